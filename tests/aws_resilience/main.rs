//! How the AWS adapter behaves when the things around it misbehave: a `credential_process`
//! helper that hangs, an endpoint that refuses connections, a view left while its fetch runs.
//! - `credentials`: one helper at a time, killed at its deadline, said in one line;
//! - `refused`: a refused connection is reported after one attempt;
//! - `cancel` (moto): a newer fetch stops the one still in flight.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cancel;
#[path = "../common/mod.rs"]
mod common;
mod credentials;
#[path = "../common/moto.rs"]
mod moto;
mod refused;

use std::error::Error;

type TestResult = Result<(), Box<dyn Error>>;
