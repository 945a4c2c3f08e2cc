//! ECS clusters, services, tasks and containers: their rows and their operations.

pub mod ops;
pub mod rows;
pub mod views;
