//! The model: state, messages, commands and the pure `update`.

pub mod action;
pub mod asgs;
pub mod command;
pub mod cw;
pub mod docker;
pub mod docker_table;
pub mod ecs_ops;
pub mod ecs_rows;
pub mod hosts;
pub mod hosts_prompt;
pub mod hosts_table;
pub mod hosts_target;
pub mod journal;
pub mod keys;
pub mod logbuf;
pub mod logs;
pub mod logscroll;
pub mod msg;
pub mod op;
pub mod ops;
pub mod paste;
pub mod prompt;
pub mod rollout;
pub mod scale;
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
