//! The ECS views: clusters, services, tasks, and a task's containers with their detail pane.

pub mod detail;
