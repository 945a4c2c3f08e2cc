//! Host key checks against an OpenSSH `known_hosts` file, hashed entries included.
//!
//! Each line is handed to libssh2's known-hosts parser on its own, so that hashed
//! (`|1|salt|hash`) and plain entries match the way OpenSSH matches them, and so that the line
//! number of a changed key can be reported. New keys are appended as plain lines; the rest of
//! the file is never rewritten.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};
use ssh2::KnownHostFileKind;

use crate::backend::hosts::ssh::error::SshError;

/// What `known_hosts` says about a key a host presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// The key is known for this host.
    Known,
    /// No key of this type is known for this host; `other_types` lists those that are.
    Unknown { other_types: Vec<String> },
    /// A different key of the same type is known: line `line` (1-based), `known` fingerprint.
    Changed { line: usize, known: String },
}

/// One entry of the file that names the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub key_type: String,
    pub blob: Vec<u8>,
}

/// The entries of the file at `path` that match `name` (`host` or `[host]:port`, as
/// OpenSSH writes it). A missing file has none.
pub fn entries_for(path: &Path, name: &str) -> Result<Vec<Entry>, SshError> {
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(SshError::KnownHostsRead {
                path: path.to_path_buf(),
                detail: e.to_string(),
            });
        }
    };
    // A session is only the allocation context libssh2's parser needs; nothing connects.
    let session = ssh2::Session::new().map_err(|e| SshError::KnownHostsRead {
        path: path.to_path_buf(),
        detail: crate::backend::hosts::ssh::error::detail(&e),
    })?;
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some((key_type, blob)) = parse_line(line) else {
            continue;
        };
        let Ok(mut one) = session.known_hosts() else {
            continue;
        };
        if one.read_str(line, KnownHostFileKind::OpenSSH).is_err() {
            tracing::debug!(
                line = index + 1,
                "known_hosts line not understood by libssh2"
            );
            continue;
        }
        if matches!(one.check(name, &blob), ssh2::CheckResult::Match) {
            found.push(Entry {
                line: index + 1,
                key_type,
                blob,
            });
        }
    }
    Ok(found)
}

/// Check `blob` (a key of type `key_type`) presented by `name` against the file.
pub fn check(path: &Path, name: &str, key_type: &str, blob: &[u8]) -> Result<KeyCheck, SshError> {
    let entries = entries_for(path, name)?;
    Ok(classify(&entries, key_type, blob))
}

/// The verdict for a presented key, given the entries known for the host.
pub fn classify(entries: &[Entry], key_type: &str, blob: &[u8]) -> KeyCheck {
    if entries.iter().any(|e| e.blob == blob) {
        return KeyCheck::Known;
    }
    if let Some(same_type) = entries.iter().find(|e| e.key_type == key_type) {
        return KeyCheck::Changed {
            line: same_type.line,
            known: fingerprint(&same_type.blob),
        };
    }
    let mut other_types: Vec<String> = entries.iter().map(|e| e.key_type.clone()).collect();
    other_types.sort();
    other_types.dedup();
    KeyCheck::Unknown { other_types }
}

/// Append `name key_type base64` to the file, creating it (and its directory) if needed.
pub fn append(path: &Path, name: &str, key_type: &str, key_base64: &str) -> Result<(), SshError> {
    let fail = |e: std::io::Error| SshError::KnownHostsWrite {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(fail)?;
    }
    let needs_newline = match read_text(path) {
        Ok(text) => !text.is_empty() && !text.ends_with('\n'),
        Err(_) => false,
    };
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    let mut line = String::new();
    if needs_newline {
        line.push('\n');
    }
    line.push_str(&format!("{name} {key_type} {key_base64}\n"));
    file.write_all(line.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// `SHA256:...` of a key blob, as OpenSSH prints fingerprints.
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

/// The key blob in base64, as `known_hosts` stores it.
pub fn encode(blob: &[u8]) -> String {
    STANDARD.encode(blob)
}

/// The algorithm name a key blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...).
pub fn key_type(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let name = blob.get(4..4 + len)?;
    std::str::from_utf8(name).ok().map(str::to_string)
}

/// Host key algorithms to offer first so a host's already-known key is the one negotiated.
pub fn preferred_algorithms(known_types: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for key_type in known_types {
        let algorithms: &[&'static str] = match key_type.as_str() {
            "ssh-ed25519" => &["ssh-ed25519"],
            "ecdsa-sha2-nistp256" => &["ecdsa-sha2-nistp256"],
            "ecdsa-sha2-nistp384" => &["ecdsa-sha2-nistp384"],
            "ecdsa-sha2-nistp521" => &["ecdsa-sha2-nistp521"],
            "ssh-rsa" => &["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
            _ => &[],
        };
        for a in algorithms {
            if !out.contains(a) {
                out.push(*a);
            }
        }
    }
    out
}

/// `(key type, blob)` of a known_hosts line; `None` for comments, blanks and marker lines
/// (`@cert-authority`, `@revoked`: see [`super::markers`]), which never make a key known.
fn parse_line(line: &str) -> Option<(String, Vec<u8>)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
        return None;
    }
    let mut fields = line.split_whitespace();
    let _hosts = fields.next()?;
    let key_type = fields.next()?.to_string();
    let blob = STANDARD.decode(fields.next()?).ok()?;
    Some((key_type, blob))
}

fn read_text(path: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    std::fs::File::open(path)?.read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ed25519 public key; `ssh-keygen -lf` prints the fingerprint asserted below.
    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAILfpIOgG0XBE5zzKpFxMhcShPqxxKekzjiKCCXQoIPwz";
    /// `ssh-keygen -H` of entries for `[10.1.2.3]:2222` and `10.1.2.4`.
    const HASHED_2222: &str = "|1|FRMke57NUFc/WpMCm9HHulPXvfw=|bFbJryCQl98v3fcXF2F4Khuaz28=";
    const HASHED_22: &str = "|1|X3uFM9wfG1+7a8w0hC8HoqH33XI=|VjVc7iz8j441FmOQFGjP4lqf4TE=";

    /// The wire encoding of a key blob: length-prefixed type name, then the key.
    fn blob(key_type: &str, key: &[u8]) -> Vec<u8> {
        let mut out = (key_type.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(key_type.as_bytes());
        out.extend_from_slice(&(key.len() as u32).to_be_bytes());
        out.extend_from_slice(key);
        out
    }

    #[test]
    fn fingerprints_match_openssh() {
        // ssh-keygen -lf prints this fingerprint for this public key.
        let key = KEY;
        let blob = STANDARD.decode(key).unwrap();
        assert_eq!(key_type(&blob).as_deref(), Some("ssh-ed25519"));
        assert_eq!(encode(&blob), key);
        assert_eq!(
            fingerprint(&blob),
            "SHA256:RLOVECznRr2LnhZCCQA3j0HUc6OR/V6vqE4vX9lYFJ8"
        );
    }

    #[test]
    fn a_known_key_a_new_key_and_a_changed_key() {
        let old = blob("ssh-ed25519", &[1; 32]);
        let new = blob("ssh-ed25519", &[2; 32]);
        let rsa = blob("ssh-rsa", &[3; 64]);
        let entries = vec![Entry {
            line: 4,
            key_type: "ssh-ed25519".into(),
            blob: old.clone(),
        }];
        assert_eq!(classify(&entries, "ssh-ed25519", &old), KeyCheck::Known);
        assert_eq!(
            classify(&entries, "ssh-ed25519", &new),
            KeyCheck::Changed {
                line: 4,
                known: fingerprint(&old)
            }
        );
        assert_eq!(
            classify(&entries, "ssh-rsa", &rsa),
            KeyCheck::Unknown {
                other_types: vec!["ssh-ed25519".into()]
            }
        );
        assert_eq!(
            classify(&[], "ssh-rsa", &rsa),
            KeyCheck::Unknown {
                other_types: Vec::new()
            }
        );
    }

    #[test]
    fn plain_and_hashed_entries_match_only_their_host_and_port() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let key = KEY;
        std::fs::write(
            &path,
            format!(
                "# comment\n\n10.0.0.1 ssh-ed25519 {key}\n[10.0.0.2]:2222 ssh-ed25519 {key}\n{HASHED_2222} ssh-ed25519 {key}\n{HASHED_22} ssh-ed25519 {key}\n"
            ),
        )
        .unwrap();
        let found = entries_for(&path, "10.0.0.1").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert!(entries_for(&path, "[10.0.0.1]:2222").unwrap().is_empty());
        assert_eq!(entries_for(&path, "[10.0.0.2]:2222").unwrap()[0].line, 4);
        assert!(entries_for(&path, "10.0.0.2").unwrap().is_empty());
        // Hashed entries: for a port other than 22 the name hashed is `[host]:port`.
        assert_eq!(entries_for(&path, "[10.1.2.3]:2222").unwrap()[0].line, 5);
        assert!(entries_for(&path, "10.1.2.3").unwrap().is_empty());
        assert_eq!(entries_for(&path, "10.1.2.4").unwrap()[0].line, 6);
        assert!(entries_for(&path, "[10.1.2.4]:2222").unwrap().is_empty());
        assert!(
            entries_for(&dir.path().join("missing"), "x")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn appended_lines_are_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh").join("known_hosts");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "10.9.9.9 ssh-ed25519 AAAA").unwrap();
        let blob = blob("ssh-ed25519", &[7; 32]);
        append(&path, "[127.0.0.1]:2200", "ssh-ed25519", &encode(&blob)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("10.9.9.9 ssh-ed25519 AAAA\n[127.0.0.1]:2200 ssh-ed25519 "));
        let found = entries_for(&path, "[127.0.0.1]:2200").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].blob, blob);
        assert_eq!(
            check(&path, "[127.0.0.1]:2200", "ssh-ed25519", &blob).unwrap(),
            KeyCheck::Known
        );
    }

    #[test]
    fn known_types_come_first_in_the_offer() {
        assert_eq!(
            preferred_algorithms(&["ssh-rsa".into(), "ssh-ed25519".into()]),
            vec!["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519"]
        );
        assert!(preferred_algorithms(&["weird".into()]).is_empty());
    }
}
