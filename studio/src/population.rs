//! The population what-if panel. (Skeleton: helper B fills it in.)
use crate::app::App;
use web_sys::Element;

/// Builds the panel inside `parent`.
pub fn mount(_parent: &Element, _app: App) {}
