//! The population worker (gloo-worker). (Skeleton: helper B fills it in.)

/// Registers this module as the worker's handler (called in the worker's global scope).
pub fn register() {}
