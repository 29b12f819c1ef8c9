//! How the page and the studio show a status and an effect: the status's symbol (a status is never
//! colour alone: a word, a shape and a colour) and the index of each one's words in their `Ui`
//! tables, which list the words in this order.

use crate::pack::Effect;
use crate::verdict::Status;

/// A status's index in `Ui::status`, and its symbol.
pub fn status(s: Status) -> (usize, &'static str) {
    match s {
        Status::Eligible => (0, "✓"),
        Status::Limited => (1, "◐"),
        Status::Paused => (2, "‖"),
        Status::Blocked => (3, "⊘"),
        Status::Frozen => (4, "❄"),
        Status::Incomplete => (5, "?"),
    }
}

/// An effect's index in `Ui::effect`.
pub fn effect(e: Effect) -> usize {
    match e {
        Effect::Freeze => 0,
        Effect::Block => 1,
        Effect::Pause => 2,
        Effect::Limit => 3,
        Effect::Cap => 4,
    }
}
