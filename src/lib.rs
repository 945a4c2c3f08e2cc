//! opsdeck: a terminal operations console for AWS ECS, EC2 hosts and local Docker containers.
//!
//! The layers, from the outside in:
//! - [`tui`] owns the terminal (raw mode, alternate screen, panic hook).
//! - [`runtime`] runs the one loop: it turns keys into [`app::Action`]s, runs
//!   [`app::Command`]s in tasks and feeds their results back as [`app::Msg`]s.
//! - [`app`] is the model: [`app::AppState`] and the pure [`app::update`].
//! - [`ui`] draws an `AppState` with a [`config::Theme`]; it never mutates.
//! - [`backend`] holds the adapters that own SDK clients; SDK types stop there.
//! - [`domain`] is the plain data passed between them.
//! - [`config`] and [`input`] load the config, themes and keymap.

pub mod app;
pub mod backend;
pub mod cli;
pub mod config;
pub mod domain;
pub mod fsmode;
pub mod input;
pub mod logging;
pub mod runtime;
pub mod start;
pub mod tui;
pub mod ui;
