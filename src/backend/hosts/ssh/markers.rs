//! `@revoked` and `@cert-authority` lines of `known_hosts`.
//!
//! A key on a `@revoked` line is refused. opsdeck refuses it for every host, whatever the
//! line's host pattern says (OpenSSH applies the pattern): a revoked key is never one to
//! trust, and libssh2 cannot match wildcard patterns anyway.
//!
//! libssh2 cannot verify host certificates, so a `@cert-authority` line that names the host
//! cannot vouch for it. Rather than offer the host's plain key as new (which would quietly
//! replace the CA the user set up with trust on first use), the connection is refused with a
//! message that points at `[ssh] client = "openssh"`.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ssh2::KnownHostFileKind;

use super::error::SshError;

/// The marker a known_hosts line starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Revoked,
    CertAuthority,
}

/// A marker line: `@marker hosts key-type base64 [comment]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerLine {
    pub marker: Marker,
    /// The host patterns, as written (`*.example.com,!bad.example.com`, `|1|salt|hash`).
    pub hosts: String,
    pub blob: Vec<u8>,
}

/// What the marker lines say about a host and the key it presented (lines are 1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markers {
    /// The first `@revoked` line with the presented key.
    pub revoked: Option<usize>,
    /// The first `@cert-authority` line whose host patterns match the host.
    pub cert_authority: Option<usize>,
}

/// Parse a marker line; `None` for any other line. An unknown marker is not a marker line
/// opsdeck acts on (OpenSSH ignores such lines too).
pub fn parse(line: &str) -> Option<MarkerLine> {
    let mut fields = line.split_whitespace();
    let marker = match fields.next()? {
        "@revoked" => Marker::Revoked,
        "@cert-authority" => Marker::CertAuthority,
        _ => return None,
    };
    let hosts = fields.next()?.to_string();
    let _key_type = fields.next()?;
    let blob = STANDARD.decode(fields.next()?).ok()?;
    Some(MarkerLine {
        marker,
        hosts,
        blob,
    })
}

/// The marker lines of `text` that concern `name` (`host` or `[host]:port`) presenting `blob`.
pub fn scan(text: &str, name: &str, blob: &[u8]) -> Markers {
    let mut found = Markers::default();
    for (index, line) in text.lines().enumerate() {
        let Some(marked) = parse(line) else {
            continue;
        };
        match marked.marker {
            Marker::Revoked if marked.blob == blob => {
                found.revoked.get_or_insert(index + 1);
            }
            Marker::CertAuthority if hosts_match(&marked.hosts, name) => {
                found.cert_authority.get_or_insert(index + 1);
            }
            _ => {}
        }
    }
    found
}

/// [`scan`] of the file at `path`; a missing file has no markers.
pub fn check(path: &Path, name: &str, blob: &[u8]) -> Result<Markers, SshError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(scan(&String::from_utf8_lossy(&bytes), name, blob)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Markers::default()),
        Err(e) => Err(SshError::KnownHostsRead {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Whether a known_hosts host field matches `name`: a hashed entry (`|1|…`, checked by
/// libssh2), or comma-separated patterns with `*` and `?`, where a matching `!pattern`
/// excludes the host.
pub fn hosts_match(hosts: &str, name: &str) -> bool {
    if hosts.starts_with("|1|") {
        return hashed_match(hosts, name);
    }
    let name = name.to_ascii_lowercase();
    let mut matched = false;
    for pattern in hosts.split(',') {
        let pattern = pattern.to_ascii_lowercase();
        match pattern.strip_prefix('!') {
            Some(negated) if glob(negated.as_bytes(), name.as_bytes()) => return false,
            Some(_) => {}
            None => matched |= glob(pattern.as_bytes(), name.as_bytes()),
        }
    }
    matched
}

/// A hashed host field, checked by libssh2 (it computes the HMAC-SHA1 OpenSSH writes).
fn hashed_match(hosts: &str, name: &str) -> bool {
    // libssh2 needs a key to read the line; any well-formed one will do for the host check.
    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAILfpIOgG0XBE5zzKpFxMhcShPqxxKekzjiKCCXQoIPwz";
    let Ok(session) = ssh2::Session::new() else {
        return false;
    };
    let Ok(mut known) = session.known_hosts() else {
        return false;
    };
    if known
        .read_str(
            &format!("{hosts} ssh-ed25519 {KEY}"),
            KnownHostFileKind::OpenSSH,
        )
        .is_err()
    {
        return false;
    }
    let Ok(blob) = STANDARD.decode(KEY) else {
        return false;
    };
    !matches!(known.check(name, &blob), ssh2::CheckResult::NotFound)
}

/// `*` (any run) and `?` (any one character) glob matching, as OpenSSH's `match_pattern`.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAILfpIOgG0XBE5zzKpFxMhcShPqxxKekzjiKCCXQoIPwz";
    /// `ssh-keygen -H` of an entry for `[10.1.2.3]:2222`.
    const HASHED_2222: &str = "|1|FRMke57NUFc/WpMCm9HHulPXvfw=|bFbJryCQl98v3fcXF2F4Khuaz28=";

    #[test]
    fn marker_lines_are_parsed_and_others_are_not() {
        let revoked = parse(&format!("@revoked * ssh-ed25519 {KEY} old key")).unwrap();
        assert_eq!(revoked.marker, Marker::Revoked);
        assert_eq!(revoked.hosts, "*");
        assert_eq!(revoked.blob, STANDARD.decode(KEY).unwrap());
        let ca = parse(&format!("@cert-authority *.example.com ssh-ed25519 {KEY}")).unwrap();
        assert_eq!(ca.marker, Marker::CertAuthority);
        assert!(parse(&format!("10.0.0.1 ssh-ed25519 {KEY}")).is_none());
        assert!(parse(&format!("@future * ssh-ed25519 {KEY}")).is_none());
        assert!(parse("@revoked * ssh-ed25519").is_none());
        assert!(parse("# @revoked * ssh-ed25519 AAAA").is_none());
    }

    #[test]
    fn patterns_match_like_openssh() {
        assert!(hosts_match("*", "[127.0.0.1]:2222"));
        assert!(hosts_match("*.example.com", "web.example.com"));
        assert!(hosts_match("*.EXAMPLE.com", "Web.example.com"));
        assert!(!hosts_match("*.example.com", "example.com"));
        assert!(hosts_match("10.0.0.?", "10.0.0.7"));
        assert!(!hosts_match("10.0.0.?", "10.0.0.17"));
        assert!(hosts_match("a.test,*.example.com", "a.test"));
        assert!(!hosts_match(
            "*.example.com,!bad.example.com",
            "bad.example.com"
        ));
        assert!(hosts_match(
            "*.example.com,!bad.example.com",
            "good.example.com"
        ));
        assert!(hosts_match("[10.0.0.1]:2222", "[10.0.0.1]:2222"));
        assert!(!hosts_match("10.0.0.1", "[10.0.0.1]:2222"));
        assert!(hosts_match(HASHED_2222, "[10.1.2.3]:2222"));
        assert!(!hosts_match(HASHED_2222, "10.1.2.3"));
    }

    #[test]
    fn a_revoked_key_is_found_for_any_host_and_a_ca_only_for_its_hosts() {
        let blob = STANDARD.decode(KEY).unwrap();
        let text = format!(
            "# keys\n10.0.0.1 ssh-ed25519 {KEY}\n@cert-authority *.example.com ssh-ed25519 {KEY}\n@revoked other.host ssh-ed25519 {KEY}\n"
        );
        let found = scan(&text, "web.example.com", &blob);
        assert_eq!(found.revoked, Some(4));
        assert_eq!(found.cert_authority, Some(3));
        let found = scan(&text, "10.0.0.1", &[1, 2, 3]);
        assert_eq!(found, Markers::default());
    }
}
