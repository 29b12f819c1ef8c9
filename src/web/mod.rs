//! The web face, compiled only for wasm32: the JS API (`api`) and the borrower's page (`page`).
//! Nothing below this module knows it exists.

pub mod api;
pub mod page;
