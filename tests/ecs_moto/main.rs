//! The ECS adapter and the AWS connection against a real moto server (`OPSDECK_MOTO_URL`).
//!
//! Each test seeds its own cluster, named with a fixed-length random token so that no cluster
//! name is a substring of another (moto matches cluster names as substrings).
//! - `listing`: clusters, services and tasks as rows, and how many requests each listing takes;
//! - `describe`: the describe view's documents of a service, task, container, task definition;
//! - `connect`: profiles, regions, missing credentials, dead and silent endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod connect;
mod describe;
mod fleet;
mod listing;
#[path = "../common/moto.rs"]
mod moto;

use std::error::Error;

use moto::{REGION, moto_target};

type TestResult = Result<(), Box<dyn Error>>;
