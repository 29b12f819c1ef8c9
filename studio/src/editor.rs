//! The rule pack editor. (Skeleton: helper A fills it in.)
pub const NAME: &str = "editor";
