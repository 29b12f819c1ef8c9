//! Small SVG charts. (Skeleton: helper B fills it in.)
pub const NAME: &str = "charts";
