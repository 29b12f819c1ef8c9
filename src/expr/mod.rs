//! The expression language: `syntax` (lexer, tree, Pratt parser) → `types` (names resolved and
//! types checked against the schema) → `eval` (three-valued, exact, traced).

pub mod eval;
pub mod syntax;
pub mod types;

pub use eval::{eval, NoTrace, Outcome, Scope, TextTrace, Tracer, Undet};
pub use syntax::{parse, Expr, ExprError, Kind, Span};
pub use types::{check, check_as, Names, Usage};
