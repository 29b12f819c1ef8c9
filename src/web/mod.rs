//! The web face, compiled only for wasm32: the JS API (`api`), the borrower's page (`page`) and
//! the host bridge (`bridge`).
//! Nothing below this module knows it exists.

pub mod api;
pub mod bridge;
pub mod page;
