//! The model: state, messages, commands and the pure `update`.
//!
//! One folder per feature, the same names as in `ui`, `runtime`, `backend` and `domain`.
//! `core` is what every feature shares (state, messages, commands, views, tables, the `:`
//! line); `guard` is the one gate every change goes through (confirmation → journal → send).
//! See ARCHITECTURE.md for the rules between them.

pub mod asg;
pub mod core;
pub mod describe;
pub mod docker;
pub mod ecs;
pub mod guard;
pub mod hosts;
pub mod images;
pub mod journal;
pub mod loggroups;
pub mod logs;
pub mod service;

pub use self::core::action::{self, Action};
pub use self::core::command::{self, Command};
pub use self::core::msg::{self, InputKey, Msg};
pub use self::core::state::{self, AppState, ContextInfo, Mode, Settings};
pub use self::core::update::{self, update};
pub use self::core::view::{self, View};
