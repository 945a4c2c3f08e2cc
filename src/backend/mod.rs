//! Adapters at the edge: AWS, Docker and SSH clients. SDK types stop here.
//!
//! `aws`, `batch`, `counter` and `error` are shared by every AWS feature; the feature folders
//! (`ecs`, `asg`, `logs`, `hosts`, `docker`) carry the same names as in `app`, `ui` and `runtime`.

pub mod asg;
pub mod aws;
mod batch;
pub mod counter;
pub mod credentials;
pub mod describe;
pub mod docker;
pub mod ecs;
pub mod error;
pub mod hosts;
pub mod limiter;
pub mod logs;
pub mod operations;
mod retry;

pub use aws::{AwsClients, AwsTarget, connect};
pub use counter::ApiCounter;
pub use ecs::AwsEcs;
pub use error::BackendError;
