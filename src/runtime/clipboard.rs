//! `Command::Copy`: the text as an OSC 52 escape sequence, wrapped for the multiplexer the
//! console runs in, written to the terminal. The terminal at the end of the line (on the
//! laptop, at the end of an SSH session) puts it on its clipboard.
//!
//! The encoding is pure; only [`write`] touches the terminal.

use std::io::{self, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::tui::TerminalGuard;

/// What sits between the console and the terminal, as the environment tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mux {
    /// Straight to the terminal.
    None,
    /// tmux (`$TMUX` set).
    Tmux,
    /// GNU screen (`$STY` set, outside tmux).
    Screen,
}

impl Mux {
    /// The multiplexer, from the values of `$TMUX`, `$STY` and `$TERM`.
    ///
    /// `$TERM` alone proves nothing: tmux sets `screen-256color` too, and `$TERM` (unlike
    /// `$TMUX`) travels over SSH, so on a remote host it would wrap the sequence for a
    /// screen that is not there; only `$STY` names GNU screen.
    pub fn detect(tmux: Option<&str>, sty: Option<&str>, _term: Option<&str>) -> Mux {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        if set(tmux) {
            Mux::Tmux
        } else if set(sty) {
            Mux::Screen
        } else {
            Mux::None
        }
    }

    /// The multiplexer of this process's environment.
    pub fn from_env() -> Mux {
        let var = |name| std::env::var(name).ok();
        Mux::detect(
            var("TMUX").as_deref(),
            var("STY").as_deref(),
            var("TERM").as_deref(),
        )
    }
}

/// `ESC ] 52 ; c ; <base64> BEL`: set the clipboard to `text`. BEL ends it rather than
/// `ESC \`, which would end a passthrough wrapped around it too early.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text))
}

/// Longest piece of a sequence in one screen passthrough: screen drops longer strings.
const SCREEN_CHUNK: usize = 76;

/// `seq` wrapped so that `mux` hands it on to the terminal.
///
/// - tmux: the sequence itself (taken when tmux has `set-clipboard on`), then the same in a
///   passthrough, `ESC P tmux; <seq, every ESC doubled> ESC \` (let through with
///   `allow-passthrough on`), so either setting works.
/// - screen: `ESC P <seq> ESC \`, in pieces of at most 76 bytes, each its own passthrough.
pub fn wrap(seq: &str, mux: Mux) -> String {
    match mux {
        Mux::None => seq.to_string(),
        Mux::Tmux => format!("{seq}\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b")),
        Mux::Screen => {
            let mut out = String::with_capacity(seq.len() + seq.len() / SCREEN_CHUNK * 4 + 4);
            // The sequence is ASCII (escape, digits, base64), so every byte is a boundary.
            let bytes = seq.as_bytes();
            for piece in bytes.chunks(SCREEN_CHUNK) {
                out.push_str("\x1bP");
                out.push_str(&String::from_utf8_lossy(piece));
                out.push_str("\x1b\\");
            }
            out
        }
    }
}

/// Put `text` on the terminal's clipboard: the sequence for this environment, written and
/// flushed through the terminal the UI draws on.
pub fn write(guard: &mut TerminalGuard, text: &str) -> io::Result<()> {
    let bytes = wrap(&osc52(text), Mux::from_env());
    let out = guard.terminal.backend_mut();
    out.write_all(bytes.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_the_base64_of_the_text() {
        assert_eq!(osc52("hello"), "\x1b]52;c;aGVsbG8=\x07");
        assert_eq!(osc52("café"), "\x1b]52;c;Y2Fmw6k=\x07");
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }

    #[test]
    fn tmux_gets_the_sequence_and_a_passthrough_with_escapes_doubled() {
        let seq = osc52("hi");
        assert_eq!(
            wrap(&seq, Mux::Tmux),
            "\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn screen_gets_a_dcs_passthrough_in_short_pieces() {
        let seq = osc52("hi");
        assert_eq!(wrap(&seq, Mux::Screen), "\x1bP\x1b]52;c;aGk=\x07\x1b\\");
        let long = osc52(&"x".repeat(200));
        let wrapped = wrap(&long, Mux::Screen);
        let pieces: Vec<&str> = wrapped.split("\x1b\\").filter(|p| !p.is_empty()).collect();
        assert!(pieces.len() > 1);
        for piece in &pieces {
            let inner = piece
                .strip_prefix("\x1bP")
                .unwrap_or_else(|| panic!("{piece:?}"));
            assert!(inner.len() <= SCREEN_CHUNK);
        }
        let joined: String = pieces.iter().map(|p| &p[2..]).collect();
        assert_eq!(joined, long);
    }

    #[test]
    fn no_multiplexer_gets_the_bare_sequence() {
        assert_eq!(wrap("\x1b]52;c;aGk=\x07", Mux::None), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn the_environment_names_the_multiplexer() {
        let tmux = Some("/tmp/tmux-1000/default,123,0");
        assert_eq!(Mux::detect(tmux, None, Some("screen-256color")), Mux::Tmux);
        assert_eq!(Mux::detect(tmux, Some("1.pts"), None), Mux::Tmux);
        assert_eq!(
            Mux::detect(None, Some("123.pts-0.host"), Some("xterm")),
            Mux::Screen
        );
        // Over SSH from inside tmux: TERM came along, TMUX did not. Bare is what works.
        assert_eq!(
            Mux::detect(None, None, Some("screen.xterm-256color")),
            Mux::None
        );
        assert_eq!(
            Mux::detect(Some(""), None, Some("xterm-256color")),
            Mux::None
        );
        assert_eq!(Mux::detect(None, None, None), Mux::None);
    }
}
