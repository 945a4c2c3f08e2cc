//! Plain data the UI shows, converted from SDK types at the backend edge.

pub mod ansi;
pub mod docker;
pub mod ec2;
pub mod ecs;
pub mod format;
pub mod ids;
pub mod log;
pub mod ops;
pub mod ssh;
