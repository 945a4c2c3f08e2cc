//! Adapters at the edge: AWS and Docker clients. SDK types stop here.

pub mod asg;
pub mod aws;
mod batch;
pub mod counter;
pub mod credentials;
pub mod cwlogs;
mod cwlogs_cursor;
mod cwlogs_live;
pub mod cwlogs_streams;
pub mod docker;
mod docker_error;
mod docker_logs;
pub mod docker_rows;
pub mod ec2;
pub mod ecs;
mod ecs_rows;
pub mod error;
pub mod limiter;
pub mod livetail_endpoint;
pub mod operations;
pub mod ops;
pub mod ops_rows;
mod retry;
pub mod ssh;

pub use aws::{AwsClients, AwsTarget, connect};
pub use counter::ApiCounter;
pub use ecs::AwsEcs;
pub use error::BackendError;
