//! The side-by-side verdicts. (Skeleton: helper A fills it in.)
pub const NAME: &str = "compare";
