//! CloudWatch tails against a real moto server (`OPSDECK_MOTO_URL`).
//!
//! - `polling`: a log group tail in polling mode: events put while it is open arrive once each
//!   and in order, equal timestamps straddling two polls, pages with nextToken, errors;
//! - `service`: an ECS service tail merges its tasks' streams (found from the task definition's
//!   awslogs options), follows replaced tasks and polls with one `FilterLogEvents`;
//! - `groups`: the log groups view's listing, more than one page of it;
//! - `live`: `StartLiveTail` through the `stream-` prefix stripping interceptor, and the
//!   fallback from live tail to polling.
//!
//! moto answers `StartLiveTail` for the most recently created log group, whatever the request
//! names: tests that create log groups hold [`support::GROUPS`] while they do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod groups;
mod live;
#[path = "../common/moto.rs"]
mod moto;
mod polling;
mod service;
mod support;
