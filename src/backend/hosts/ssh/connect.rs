//! Opening a verified, authenticated session to a plan's target, through its bastion if any.
//!
//! Per hop: TCP connect with the plan's timeout, the SSH handshake (offering first the host key
//! types `known_hosts` already has for the host), the host key check, then authentication.
//! An unknown host key stops the connection and is handed back to be confirmed; a changed one
//! is refused. A passphrase-protected identity file the agent could not stand in for stops it
//! too ([`SshError::NeedsPassphrase`]); [`connect_with`] tries again with the passphrase.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ssh2::{MethodType, Session};

use crate::backend::hosts::ssh::auth::authenticate;
use crate::backend::hosts::ssh::error::{ChangedKey, SshError, detail};
use crate::backend::hosts::ssh::known_hosts::{self, KeyCheck};
use crate::backend::hosts::ssh::markers;
use crate::backend::hosts::ssh::tunnel::Tunnel;
use crate::domain::ssh::{HopRole, HostKey, KeyUnlock, SshHop, SshPlan};

/// libssh2's error code for a blocking call that ran out of time.
const LIBSSH2_ERROR_TIMEOUT: i32 = -9;

/// An authenticated session to the target. Dropping it closes the session and the tunnel.
pub struct Connection {
    pub session: Session,
    /// The descriptor of the target session's socket, to poll on.
    pub fd: RawFd,
    /// How messages name the target.
    pub hop_name: String,
    /// Keeps the bastion hop alive; dropped after `session`.
    tunnel: Option<Tunnel>,
}

impl Connection {
    /// Whether this connection goes through a bastion.
    pub fn tunnelled(&self) -> bool {
        self.tunnel.is_some()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.session.set_blocking(true);
        self.session.set_timeout(1_000);
        let _ = self.session.disconnect(None, "opsdeck session ended", None);
        // The target session goes first, then the bridge that carried it.
        self.tunnel.take();
    }
}

/// The result of connecting: a session, or a host key waiting for the user's trust.
pub enum Outcome {
    Ready(Connection),
    UnknownKey(HostKey),
}

/// How messages name a hop: `bastion jump (203.0.113.9:22)` or `host web-1`.
pub fn hop_name(role: HopRole, plan: &SshPlan, hop: &SshHop) -> String {
    match role {
        HopRole::Bastion => format!("bastion {}", hop.name),
        HopRole::Target => format!("host {}", plan.label),
    }
}

/// Connect to the plan's target (through its bastion), verifying every host key.
pub fn connect(plan: &SshPlan) -> Result<Outcome, SshError> {
    connect_with(plan, None)
}

/// [`connect`], with the passphrase the user gave for one identity file of one hop. The agent
/// is still tried first.
pub fn connect_with(plan: &SshPlan, unlock: Option<&KeyUnlock>) -> Result<Outcome, SshError> {
    let timeout = Duration::from_secs(plan.timeout_secs.max(1));
    let target_name = hop_name(HopRole::Target, plan, &plan.target);
    // Declared first so it is dropped last: the target session rides inside it.
    let mut tunnel = None;
    let (fd, mut session) = match &plan.bastion {
        None => {
            let stream = tcp_connect(&plan.target, &target_name, timeout)?;
            let fd = stream.as_raw_fd();
            let mut session = new_session(&target_name, timeout)?;
            session.set_tcp_stream(stream);
            (fd, session)
        }
        Some(bastion) => {
            let bastion_name = hop_name(HopRole::Bastion, plan, bastion);
            let stream = tcp_connect(bastion, &bastion_name, timeout)?;
            let bastion_fd = stream.as_raw_fd();
            let mut bastion_session = new_session(&bastion_name, timeout)?;
            bastion_session.set_tcp_stream(stream);
            let key = handshake(
                &mut bastion_session,
                plan,
                HopRole::Bastion,
                bastion,
                &bastion_name,
            )?;
            if let Some(key) = key {
                return Ok(Outcome::UnknownKey(key));
            }
            authenticate(
                &bastion_session,
                bastion,
                HopRole::Bastion,
                &bastion_name,
                plan.agent_socket.as_deref(),
                unlock,
            )?;
            let target = format!("{}:{}", plan.target.host, plan.target.port);
            let tunnel_error = |detail: String| SshError::Tunnel {
                bastion: bastion.name.clone(),
                target: target.clone(),
                detail,
            };
            let channel = bastion_session
                .channel_direct_tcpip(&plan.target.host, plan.target.port, None)
                .map_err(|e| tunnel_error(detail(&e)))?;
            let (near, far) = UnixStream::pair().map_err(|e| tunnel_error(e.to_string()))?;
            tunnel = Some(
                Tunnel::start(bastion_session, channel, bastion_fd, far)
                    .map_err(|e| tunnel_error(e.to_string()))?,
            );
            let fd = near.as_raw_fd();
            let mut session = new_session(&target_name, timeout)?;
            session.set_tcp_stream(near);
            (fd, session)
        }
    };
    let key = handshake(
        &mut session,
        plan,
        HopRole::Target,
        &plan.target,
        &target_name,
    )?;
    if let Some(key) = key {
        return Ok(Outcome::UnknownKey(key));
    }
    authenticate(
        &session,
        &plan.target,
        HopRole::Target,
        &target_name,
        plan.agent_socket.as_deref(),
        unlock,
    )?;
    Ok(Outcome::Ready(Connection {
        session,
        fd,
        hop_name: target_name,
        tunnel,
    }))
}

/// Save a host key the user confirmed to the plan's known_hosts file.
pub fn trust(plan: &SshPlan, key: &HostKey) -> Result<(), SshError> {
    known_hosts::append(&plan.known_hosts, &key.host, &key.key_type, &key.key_base64)
}

fn new_session(hop: &str, timeout: Duration) -> Result<Session, SshError> {
    let session = Session::new().map_err(|e| SshError::Connect {
        hop: hop.to_string(),
        addr: "-".into(),
        detail: detail(&e),
    })?;
    session.set_timeout(u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX));
    Ok(session)
}

/// Connect to the first address of `hop` that answers, within `timeout` each.
fn tcp_connect(hop: &SshHop, name: &str, timeout: Duration) -> Result<TcpStream, SshError> {
    let addrs: Vec<SocketAddr> = (hop.host.as_str(), hop.port)
        .to_socket_addrs()
        .map_err(|e| SshError::Resolve {
            hop: name.to_string(),
            host: hop.host.clone(),
            detail: e.to_string(),
        })?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => {
                // Keystrokes go out at once, not when Nagle's algorithm allows.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => {
                tracing::debug!(%addr, "connect failed: {e}");
                last = Some((addr, e));
            }
        }
    }
    let Some((addr, e)) = last else {
        return Err(SshError::Resolve {
            hop: name.to_string(),
            host: hop.host.clone(),
            detail: "no address found".into(),
        });
    };
    let hop = name.to_string();
    let addr = addr.to_string();
    Err(match e.kind() {
        std::io::ErrorKind::ConnectionRefused => SshError::Refused { hop, addr },
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => SshError::Timeout {
            hop,
            addr,
            secs: timeout.as_secs(),
        },
        _ => SshError::Connect {
            hop,
            addr,
            detail: e.to_string(),
        },
    })
}

/// Handshake, then check the host key: `Some(key)` when it is not known yet.
fn handshake(
    session: &mut Session,
    plan: &SshPlan,
    role: HopRole,
    hop: &SshHop,
    name: &str,
) -> Result<Option<HostKey>, SshError> {
    let kh_name = hop.known_hosts_name();
    let entries = known_hosts::entries_for(&plan.known_hosts, &kh_name)?;
    let known_types: Vec<String> = entries.iter().map(|e| e.key_type.clone()).collect();
    prefer_known_types(session, &known_types);
    let addr = format!("{}:{}", hop.host, hop.port);
    session.handshake().map_err(|e| {
        if e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_TIMEOUT) {
            SshError::Timeout {
                hop: name.to_string(),
                addr: addr.clone(),
                secs: plan.timeout_secs,
            }
        } else {
            SshError::Handshake {
                hop: name.to_string(),
                addr: addr.clone(),
                detail: detail(&e),
            }
        }
    })?;
    let Some((blob, _)) = session.host_key() else {
        return Err(SshError::NoHostKey {
            hop: name.to_string(),
        });
    };
    let key_type = known_hosts::key_type(blob).unwrap_or_else(|| "unknown".to_string());
    let marked = markers::check(&plan.known_hosts, &kh_name, blob)?;
    if let Some(line) = marked.revoked {
        tracing::warn!(host = %kh_name, line, "revoked host key: refused");
        return Err(SshError::HostKeyRevoked {
            hop: name.to_string(),
            fingerprint: known_hosts::fingerprint(blob),
            path: plan.known_hosts.clone(),
            line,
        });
    }
    let verdict = known_hosts::classify(&entries, &key_type, blob);
    if let (KeyCheck::Unknown { .. }, Some(line)) = (&verdict, marked.cert_authority) {
        // Offering the plain key as new would bypass the CA the user set up.
        tracing::warn!(host = %kh_name, line, "@cert-authority line not supported: refused");
        return Err(SshError::CertAuthority {
            hop: name.to_string(),
            path: plan.known_hosts.clone(),
            line,
        });
    }
    match verdict {
        KeyCheck::Known => Ok(None),
        KeyCheck::Changed { line, known } => {
            tracing::warn!(host = %kh_name, line, "host key changed: refused");
            Err(SshError::HostKeyChanged(Box::new(ChangedKey {
                hop: name.to_string(),
                host: kh_name,
                fingerprint: known_hosts::fingerprint(blob),
                known,
                path: plan.known_hosts.clone(),
                line,
            })))
        }
        KeyCheck::Unknown { other_types } => Ok(Some(HostKey {
            role,
            host: kh_name,
            key_type,
            fingerprint: known_hosts::fingerprint(blob),
            key_base64: known_hosts::encode(blob),
            other_types_known: other_types,
        })),
    }
}

/// Offer the host key algorithms already known for the host first, as OpenSSH does, so a
/// host with several keys presents the one we can check.
fn prefer_known_types(session: &Session, known_types: &[String]) {
    let preferred = known_hosts::preferred_algorithms(known_types);
    if preferred.is_empty() {
        return;
    }
    let Ok(supported) = session.supported_algs(MethodType::HostKey) else {
        return;
    };
    let mut order: Vec<&str> = preferred
        .iter()
        .copied()
        .filter(|a| supported.contains(a))
        .collect();
    for a in &supported {
        if !order.contains(a) {
            order.push(a);
        }
    }
    if let Err(e) = session.method_pref(MethodType::HostKey, &order.join(",")) {
        tracing::debug!("host key preference not set: {}", detail(&e));
    }
}
