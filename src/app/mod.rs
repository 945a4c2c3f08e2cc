//! The model: state, messages, commands and the pure `update`.

pub mod action;
pub mod command;
pub mod docker;
pub mod ecs_rows;
pub mod hosts;
pub mod keys;
pub mod logs;
pub mod msg;
pub mod op;
pub mod ops;
pub mod state;
pub mod table;
pub mod update;
pub mod view;

pub use action::Action;
pub use command::Command;
pub use msg::{InputKey, Msg};
pub use state::{AppState, ContextInfo, Mode, Settings};
pub use update::update;
pub use view::View;
