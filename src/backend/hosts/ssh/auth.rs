//! Public key authentication: the ssh-agent first, then the identity files.
//!
//! A passphrase-protected identity file is only tried with a passphrase the user typed in the
//! console for that file of that hop ([`KeyUnlock`]). Without one, when neither the agent nor
//! a plain file logged in, the first encrypted file comes back as
//! [`SshError::NeedsPassphrase`], and the console asks for its passphrase; a wrong one is
//! [`SshError::BadPassphrase`]. The passphrase is handed to libssh2 for this one attempt and
//! never logged or saved; `ssh-add` (the agent) still works and still goes first.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ssh2::Session;

use crate::backend::hosts::ssh::error::{SshError, detail};
use crate::domain::ssh::{HopRole, KeyUnlock, LockedKey, SshHop};

/// Authenticate `session` as `hop.user`. `hop_name` is how messages name the hop; `unlock`
/// is a passphrase for one of its identity files, if the user gave one.
pub fn authenticate(
    session: &Session,
    hop: &SshHop,
    role: HopRole,
    hop_name: &str,
    agent_socket: Option<&Path>,
    unlock: Option<&KeyUnlock>,
) -> Result<(), SshError> {
    // Asking for the methods also tries the "none" method, which some servers accept.
    let methods = match session.auth_methods(&hop.user) {
        Ok(methods) => methods.to_string(),
        Err(_) if session.authenticated() => return Ok(()),
        Err(e) => {
            return Err(SshError::Channel {
                hop: hop_name.to_string(),
                action: "asking for the authentication methods",
                detail: detail(&e),
            });
        }
    };
    if session.authenticated() {
        return Ok(());
    }
    let mut tried = Vec::new();
    if !methods.split(',').any(|m| m == "publickey") {
        return Err(SshError::Auth {
            hop: hop_name.to_string(),
            user: hop.user.clone(),
            tried: "nothing".to_string(),
            hint: format!(
                "the server accepts only {methods}; opsdeck uses keys — set [ssh] client = \"openssh\""
            ),
        });
    }
    match agent_socket {
        Some(socket) => {
            if try_agent(session, &hop.user, socket, &mut tried) {
                return Ok(());
            }
        }
        None => tried.push("no agent (SSH_AUTH_SOCK unset)".to_string()),
    }
    let unlock = unlock.filter(|u| u.role == role);
    let locked = |file: &Path| LockedKey {
        role,
        hop: hop_name.to_string(),
        file: file.to_path_buf(),
        shown: short_path(file),
    };
    let mut encrypted = None;
    let mut wrong_passphrase = None;
    for file in &hop.identity_files {
        let passphrase = unlock
            .filter(|u| u.file == *file)
            .map(|u| u.passphrase.expose());
        match try_file(session, &hop.user, file, passphrase) {
            FileResult::Accepted => return Ok(()),
            FileResult::Rejected => tried.push(short_path(file)),
            FileResult::Missing => tried.push(format!("{} (missing)", short_path(file))),
            FileResult::Encrypted => {
                encrypted.get_or_insert_with(|| locked(file));
                tried.push(format!("{} (passphrase-protected)", short_path(file)));
            }
            FileResult::WrongPassphrase => {
                wrong_passphrase.get_or_insert_with(|| locked(file));
                tried.push(format!("{} (wrong passphrase)", short_path(file)));
            }
            FileResult::Unreadable(why) => {
                tried.push(format!("{} (unreadable: {why})", short_path(file)))
            }
        }
    }
    if hop.identity_files.is_empty() {
        tried.push("no identity files".to_string());
    }
    if let Some(key) = wrong_passphrase {
        return Err(SshError::BadPassphrase(key));
    }
    if let Some(key) = encrypted {
        return Err(SshError::NeedsPassphrase(key));
    }
    let hint = format!(
        "add the right key to ssh-agent or set IdentityFile in ~/.ssh/config for {}",
        hop.name
    );
    Err(SshError::Auth {
        hop: hop_name.to_string(),
        user: hop.user.clone(),
        tried: tried.join(", "),
        hint,
    })
}

/// Try every key of the agent; `true` once one is accepted.
fn try_agent(session: &Session, user: &str, socket: &Path, tried: &mut Vec<String>) -> bool {
    let mut agent = match session.agent() {
        Ok(agent) => agent,
        Err(e) => {
            tried.push(format!("agent (unavailable: {})", detail(&e)));
            return false;
        }
    };
    if let Err(e) = agent.set_identity_path(socket) {
        tried.push(format!("agent (bad socket path: {})", detail(&e)));
        return false;
    }
    if let Err(e) = agent.connect() {
        tracing::debug!(socket = %socket.display(), "ssh-agent connect failed: {e}");
        tried.push("agent (not running)".to_string());
        return false;
    }
    let identities = match agent.list_identities().and_then(|()| agent.identities()) {
        Ok(identities) => identities,
        Err(e) => {
            tried.push(format!("agent (cannot list keys: {})", detail(&e)));
            let _ = agent.disconnect();
            return false;
        }
    };
    let count = identities.len();
    let accepted = identities
        .iter()
        .any(|identity| agent.userauth(user, identity).is_ok());
    let _ = agent.disconnect();
    if !accepted {
        tried.push(match count {
            0 => "agent (no keys)".to_string(),
            1 => "agent (1 key)".to_string(),
            n => format!("agent ({n} keys)"),
        });
    }
    accepted
}

enum FileResult {
    Accepted,
    Rejected,
    Missing,
    Encrypted,
    WrongPassphrase,
    Unreadable(String),
}

/// libssh2's error code for a private key file it cannot read or decrypt.
const LIBSSH2_ERROR_FILE: i32 = -16;

/// Try one identity file; an encrypted one only with `passphrase`.
fn try_file(session: &Session, user: &str, file: &Path, passphrase: Option<&str>) -> FileResult {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileResult::Missing,
        Err(e) => return FileResult::Unreadable(e.kind().to_string()),
    };
    let encrypted = is_encrypted(&text);
    drop(text);
    let passphrase = match (encrypted, passphrase) {
        (false, _) => None,
        (true, None) => return FileResult::Encrypted,
        (true, Some(passphrase)) => Some(passphrase),
    };
    // With a passphrase, the public half comes from the private key itself: libssh2 then
    // decrypts it first, so a wrong passphrase is told apart from a key the server refuses.
    let public = public_key_path(file);
    let public = public
        .as_deref()
        .filter(|p| passphrase.is_none() && p.exists());
    match session.userauth_pubkey_file(user, public, file, passphrase) {
        Ok(()) if session.authenticated() => FileResult::Accepted,
        Ok(()) => FileResult::Rejected,
        Err(e)
            if passphrase.is_some() && e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_FILE) =>
        {
            tracing::debug!(file = %file.display(), "key not decrypted: {}", detail(&e));
            FileResult::WrongPassphrase
        }
        Err(e) => {
            tracing::debug!(file = %file.display(), "key not accepted: {}", detail(&e));
            FileResult::Rejected
        }
    }
}

fn public_key_path(file: &Path) -> Option<PathBuf> {
    let mut name = file.file_name()?.to_os_string();
    name.push(".pub");
    Some(file.with_file_name(name))
}

/// Whether a private key file needs a passphrase: PEM with `ENCRYPTED`, or an OpenSSH key
/// whose cipher is not `none`.
pub fn is_encrypted(text: &str) -> bool {
    if text.contains("ENCRYPTED") {
        return true;
    }
    const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const END: &str = "-----END OPENSSH PRIVATE KEY-----";
    let Some(start) = text.find(BEGIN) else {
        return false;
    };
    let body = &text[start + BEGIN.len()..];
    let body = body.split(END).next().unwrap_or_default();
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let Ok(bytes) = STANDARD.decode(compact) else {
        return false;
    };
    // "openssh-key-v1\0", then the cipher name as a length-prefixed string.
    const MAGIC: &[u8] = b"openssh-key-v1\0";
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes)
    else {
        return false;
    };
    rest.get(4..4 + len as usize)
        .is_some_and(|cipher| cipher != b"none")
}

/// `~/.ssh/id_ed25519` style, for messages.
fn short_path(path: &Path) -> String {
    let text = path.display().to_string();
    match std::env::var_os("HOME").map(PathBuf::from) {
        Some(home) => match path.strip_prefix(&home) {
            Ok(rest) => format!("~/{}", rest.display()),
            Err(_) => text,
        },
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keygen(dir: &Path, name: &str, passphrase: &str) -> String {
        let path = dir.join(name);
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", passphrase, "-f"])
            .arg(&path)
            .status();
        match status {
            Ok(s) if s.success() => std::fs::read_to_string(path).unwrap(),
            _ => String::new(),
        }
    }

    #[test]
    fn encrypted_keys_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let plain = keygen(dir.path(), "plain", "");
        let locked = keygen(dir.path(), "locked", "secret phrase");
        if plain.is_empty() {
            eprintln!("skipped: ssh-keygen is not installed");
            return;
        }
        assert!(!is_encrypted(&plain));
        assert!(is_encrypted(&locked));
        assert!(is_encrypted(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        ));
        assert!(!is_encrypted("garbage"));
    }
}
