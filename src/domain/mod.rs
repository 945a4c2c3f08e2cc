//! Plain data the UI shows, converted from SDK types at the backend edge.

pub mod docker;
pub mod ecs;
pub mod format;
pub mod ids;
pub mod log;
