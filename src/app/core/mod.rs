//! What every feature shares: the state, messages, commands, the views, the generic table,
//! key handling and the dispatcher.

pub mod action;
pub mod columns;
pub mod command;
pub mod command_line;
pub mod copy;
pub mod keys;
pub mod load;
pub mod messages;
pub mod msg;
pub mod nav;
pub mod overlay;
pub mod paste;
pub mod pattern;
pub mod registry;
pub mod state;
pub mod table;
pub mod update;
pub mod view;
