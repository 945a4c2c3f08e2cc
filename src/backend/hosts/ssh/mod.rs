//! SSH through libssh2 (the `ssh2` crate), with what libssh2 lacks added here:
//! `~/.ssh/config` resolution ([`config`]), `known_hosts` checks with hashed entries
//! ([`known_hosts`]) and `@revoked`/`@cert-authority` lines ([`markers`]),
//! agent-then-identity-file authentication (a passphrase the user typed
//! unlocks an encrypted file for one attempt), ProxyJump through a bastion
//! (a `direct-tcpip` tunnel), an interactive PTY shell ([`shell`]) and one-off commands
//! ([`exec`]).
//!
//! Everything here is blocking: callers run it on a blocking thread.

mod auth;
pub mod config;
pub mod connect;
pub mod error;
pub mod exec;
pub mod known_hosts;
pub mod markers;
mod poller;
pub mod shell;
mod tunnel;

pub use auth::is_encrypted;
pub use config::SshOptions;
pub use connect::{Connection, Outcome, connect, connect_with, trust};
pub use error::{ChangedKey, SshError};
pub use exec::{CommandOutput, MAX_OUTPUT_BYTES, run_command};
pub use shell::{ShellEnd, ShellIo, run_shell};
