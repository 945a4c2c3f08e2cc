//! Configuration: embedded defaults merged with the user file, themes and paths.
//!
//! - [`load`] finds the user's file (`--config`, `OPSDECK_CONFIG`, then
//!   `<XDG config>/opsdeck/config.toml`) and merges it over [`DEFAULT_CONFIG`].
//! - [`Config`] is the result; every problem is a [`ConfigError`] naming file and line.
//! - [`Theme`] holds the styles of the semantic colour slots.
//! - [`Paths`] says where config, themes, log and journal live.

mod check;
mod error;
mod load;
mod model;
mod paths;
mod suggest;
mod theme;

pub use error::ConfigError;
pub use load::{
    CONFIG_ENV, Loaded, config_path_from_env, default_key_tables, load, load_str,
    load_str_with_themes,
};
pub use model::{
    AwsSettings, Clipboard, Config, DockerSettings, GeneralSettings, LOG_LEVELS, LogsSettings,
    OpsSettings, ProfileSettings, SshAddress, SshClient, SshSettings, UiSettings,
};
pub use paths::Paths;
pub use theme::{Theme, no_color_from_env};

/// The complete default configuration, commented for users (`config.example.toml`).
pub const DEFAULT_CONFIG: &str = include_str!("../../config.example.toml");
