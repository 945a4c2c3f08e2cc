//! Keyboard input: key names, the per-view and global key tables, and the help entries
//! generated from them.

mod key;
pub mod keymap;

pub use key::KeyBinding;
pub use keymap::{HelpEntry, KeyContext, KeyTables, Keymap, KeymapError};
