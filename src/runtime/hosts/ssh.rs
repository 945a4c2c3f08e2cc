//! Runs SSH commands: resolve through `~/.ssh/config`, connect and verify on a blocking
//! thread, report back; and the interactive session itself.
//!
//! A passphrase the user typed travels in [`SshHandle::unlock`] to one connection attempt and
//! is dropped (wiped) when it returns; it is never logged.
//!
//! A verified connection for a shell is parked under a ticket until the loop hands the
//! terminal over, so the session starts without connecting twice.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::hosts::{HostSession, HostsMsg, Purpose, RunOutput};
use crate::backend::hosts::ssh::{
    self, Connection, MAX_OUTPUT_BYTES, Outcome, SshError, SshOptions, run_command,
};
use crate::config::{SshClient, SshSettings};
use crate::domain::ssh::{
    HopRole, HostKey, KeyUnlock, LockedKey, Passphrase, SshClientKind, SshPlan, SshRequest,
};
use crate::runtime::hosts::ssh_term::{openssh_command, openssh_session, shell_in_terminal};

/// Runs SSH work for the loop. Cheap to clone.
#[derive(Clone, Default)]
pub struct SshHandle {
    options: Arc<SshOptions>,
    parked: Arc<Mutex<HashMap<u64, Connection>>>,
    next_ticket: Arc<AtomicU64>,
}

impl SshHandle {
    pub fn new(options: SshOptions) -> Self {
        Self {
            options: Arc::new(options),
            ..Self::default()
        }
    }

    /// Resolve and connect for `purpose`; the outcome comes back as a `Msg::Hosts`.
    pub fn connect(&self, request: SshRequest, purpose: Purpose, tx: mpsc::Sender<Msg>) {
        let handle = self.clone();
        tokio::spawn(async move {
            let work = tokio::task::spawn_blocking(move || {
                let label = request.label.clone();
                let plan = ssh::config::load(&handle.options)
                    .and_then(|config| ssh::config::resolve(&request, &config, &handle.options));
                match plan {
                    Ok(plan) => handle.proceed(plan, purpose),
                    Err(e) => failed(&label, &e),
                }
            });
            let msg = match work.await {
                Ok(msg) => msg,
                Err(e) => HostsMsg::Failed {
                    message: format!("the SSH worker stopped: {e}"),
                },
            };
            let _ = tx.send(Msg::Hosts(msg)).await;
        });
    }

    /// Save a key the user trusted, then connect again with the same plan.
    pub fn trust(&self, plan: SshPlan, key: HostKey, purpose: Purpose, tx: mpsc::Sender<Msg>) {
        let handle = self.clone();
        tokio::spawn(async move {
            let work = tokio::task::spawn_blocking(move || {
                tracing::info!(host = %key.host, fingerprint = %key.fingerprint, "host key trusted by the user");
                match ssh::trust(&plan, &key) {
                    Ok(()) => handle.proceed(plan, purpose),
                    Err(e) => failed(&plan.label, &e),
                }
            });
            let msg = work.await.unwrap_or_else(|e| HostsMsg::Failed {
                message: format!("the SSH worker stopped: {e}"),
            });
            let _ = tx.send(Msg::Hosts(msg)).await;
        });
    }

    /// Connect again with the passphrase the user typed for `key` (try number `attempt`).
    pub fn unlock(
        &self,
        plan: SshPlan,
        key: LockedKey,
        passphrase: Passphrase,
        purpose: Purpose,
        attempt: u8,
        tx: mpsc::Sender<Msg>,
    ) {
        let handle = self.clone();
        tokio::spawn(async move {
            let work = tokio::task::spawn_blocking(move || {
                let unlock = KeyUnlock {
                    role: key.role,
                    file: key.file,
                    passphrase,
                };
                handle.proceed_with(plan, purpose, Some((&unlock, attempt)))
                // `unlock` (and the passphrase in it) is dropped and wiped here.
            });
            let msg = work.await.unwrap_or_else(|e| HostsMsg::Failed {
                message: format!("the SSH worker stopped: {e}"),
            });
            let _ = tx.send(Msg::Hosts(msg)).await;
        });
    }

    /// Connect with a resolved plan and do what it is for (blocking).
    fn proceed(&self, plan: SshPlan, purpose: Purpose) -> HostsMsg {
        self.proceed_with(plan, purpose, None)
    }

    /// [`proceed`](Self::proceed), unlocking one identity file with a passphrase (try
    /// number `.1`).
    fn proceed_with(
        &self,
        plan: SshPlan,
        purpose: Purpose,
        unlock: Option<(&KeyUnlock, u8)>,
    ) -> HostsMsg {
        if plan.client == SshClientKind::OpenSsh {
            return match purpose {
                Purpose::Shell => HostsMsg::Ready {
                    session: HostSession {
                        label: plan.label.clone(),
                        plan: Box::new(plan),
                        ticket: None,
                    },
                },
                Purpose::Run { name, command } => openssh_run(&plan, name, command),
            };
        }
        let conn = match ssh::connect_with(&plan, unlock.map(|(u, _)| u)) {
            Ok(Outcome::Ready(conn)) => conn,
            Ok(Outcome::UnknownKey(key)) => {
                return HostsMsg::KeyUnknown {
                    plan: Box::new(plan),
                    key,
                    purpose,
                };
            }
            Err(SshError::NeedsPassphrase(key)) => {
                if let Some((unlocked, _)) = unlock
                    && unlocked.role != key.role
                {
                    return both_hops_locked(&plan);
                }
                return HostsMsg::PassphraseNeeded {
                    plan: Box::new(plan),
                    key,
                    purpose,
                    failed: 0,
                };
            }
            Err(SshError::BadPassphrase(key)) => {
                tracing::info!(host = %plan.label, hop = %key.hop, "wrong passphrase for an identity file");
                return HostsMsg::PassphraseNeeded {
                    plan: Box::new(plan),
                    key,
                    purpose,
                    failed: unlock.map_or(1, |(_, attempt)| attempt),
                };
            }
            Err(e) => return failed(&plan.label, &e),
        };
        match purpose {
            Purpose::Shell => {
                let ticket = self.park(conn);
                HostsMsg::Ready {
                    session: HostSession {
                        label: plan.label.clone(),
                        plan: Box::new(plan),
                        ticket: Some(ticket),
                    },
                }
            }
            Purpose::Run { name, command } => {
                let result = run_command(&conn, &command, MAX_OUTPUT_BYTES)
                    .map(|out| RunOutput {
                        text: out.text,
                        exit_status: out.exit_status,
                        truncated: out.truncated,
                    })
                    .map_err(|e| e.user_message());
                HostsMsg::Output {
                    host: plan.label,
                    name,
                    command,
                    result,
                }
            }
        }
    }

    /// Keep a connection for the session that is about to start (only the newest is kept).
    fn park(&self, conn: Connection) -> u64 {
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(mut parked) = self.parked.lock() {
            parked.clear();
            parked.insert(ticket, conn);
        }
        ticket
    }

    fn take(&self, ticket: Option<u64>) -> Option<Connection> {
        let ticket = ticket?;
        self.parked.lock().ok()?.remove(&ticket)
    }

    /// Run an interactive session in the terminal (already left by the UI) until it ends.
    pub async fn run_session(&self, session: HostSession) -> Result<(), String> {
        let parked = self.take(session.ticket);
        let plan = *session.plan;
        let result = tokio::task::spawn_blocking(move || match plan.client {
            SshClientKind::OpenSsh => openssh_session(&plan),
            SshClientKind::Ssh2 => {
                let conn = match parked {
                    Some(conn) => conn,
                    // Nothing parked (it was replaced): connect again, trusting nothing new.
                    None => match ssh::connect(&plan)? {
                        Outcome::Ready(conn) => conn,
                        Outcome::UnknownKey(key) => {
                            return Err(SshError::HostKeyUnknown {
                                hop: key.role.name().to_string(),
                                host: key.host,
                            });
                        }
                    },
                };
                let started = std::time::Instant::now();
                let result = shell_in_terminal(&conn);
                tracing::debug!(elapsed = ?started.elapsed(), "ssh shell returned");
                result
            }
        })
        .await;
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => {
                tracing::warn!("ssh session failed: {e:?}");
                Err(e.user_message())
            }
            Err(e) => Err(format!("the SSH session stopped: {e}")),
        }
    }
}

/// The options from `[ssh]` and the environment (`HOME`, `SSH_AUTH_SOCK`, `USER`).
pub fn options_from_config(ssh: &SshSettings) -> SshOptions {
    let env = |key: &str| std::env::var_os(key).filter(|v| !v.is_empty());
    let home = env("HOME").map(PathBuf::from);
    let path = |value: &str| -> Option<PathBuf> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match (value.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => Some(home.join(rest)),
            _ => Some(PathBuf::from(value)),
        }
    };
    SshOptions {
        ssh_config: path(&ssh.config_file),
        known_hosts: path(&ssh.known_hosts),
        agent_socket: path(&ssh.agent_socket).or_else(|| env("SSH_AUTH_SOCK").map(PathBuf::from)),
        local_user: ["USER", "LOGNAME"]
            .iter()
            .find_map(|k| env(k))
            .map(|v| v.to_string_lossy().into_owned()),
        timeout_secs: ssh.timeout,
        client: match ssh.client {
            SshClient::Ssh2 => SshClientKind::Ssh2,
            SshClient::Openssh => SshClientKind::OpenSsh,
        },
        home,
    }
}

/// The bastion and the target each need a passphrase: one prompt carries one, so one of them
/// has to come from the agent.
fn both_hops_locked(plan: &SshPlan) -> HostsMsg {
    let bastion = plan.bastion.as_ref().map_or("-", |b| b.name.as_str());
    HostsMsg::Failed {
        message: format!(
            "both the {} {bastion} and the {} {} need a passphrase-protected key: add one of them to ssh-agent (ssh-add) and try again",
            HopRole::Bastion.name(),
            HopRole::Target.name(),
            plan.label
        ),
    }
}

fn failed(label: &str, err: &SshError) -> HostsMsg {
    tracing::warn!(host = label, "ssh failed: {err:?}");
    HostsMsg::Failed {
        message: err.user_message(),
    }
}

/// A one-off command through the system `ssh` (no prompts: BatchMode).
fn openssh_run(plan: &SshPlan, name: String, command: String) -> HostsMsg {
    let output = openssh_command(plan, Some(&command))
        .stdin(std::process::Stdio::null())
        .output();
    let result = match output {
        Ok(out) if out.status.code() == Some(255) => Err(format!(
            "ssh to {} failed: {}",
            plan.label,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("exit status 255")
        )),
        Ok(out) => {
            let mut bytes = out.stdout;
            bytes.extend_from_slice(&out.stderr);
            let truncated = bytes.len() > MAX_OUTPUT_BYTES;
            bytes.truncate(MAX_OUTPUT_BYTES);
            Ok(RunOutput {
                text: String::from_utf8_lossy(&bytes).into_owned(),
                exit_status: out.status.code(),
                truncated,
            })
        }
        Err(e) => Err(SshError::OpenSsh {
            detail: e.to_string(),
        }
        .user_message()),
    };
    HostsMsg::Output {
        host: plan.label.clone(),
        name,
        command,
        result,
    }
}
