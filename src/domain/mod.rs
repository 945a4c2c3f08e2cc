//! Plain data the UI shows, converted from SDK types at the backend edge.

pub mod ansi;
pub mod asg;
pub mod describe;
pub mod docker;
pub mod ecs;
pub mod format;
pub mod hosts;
pub mod ids;
pub mod images;
pub mod loggroups;
pub mod logs;
pub mod service;
pub mod ssh;
pub mod status;
