//! Adapters at the edge: AWS and Docker clients. SDK types stop here.

pub mod aws;
pub mod counter;
pub mod ecs;
mod ecs_rows;
pub mod error;

pub use aws::{AwsClients, AwsTarget, connect};
pub use counter::ApiCounter;
pub use ecs::AwsEcs;
pub use error::BackendError;
