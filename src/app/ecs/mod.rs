//! ECS clusters, services, tasks and containers: their rows and views. Their operations are
//! the guard's (`guard::ecs_ops`).

pub mod copy;
pub mod describe;
pub mod rows;
pub mod views;
