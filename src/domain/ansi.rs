//! Making untrusted log output safe to print.
//!
//! A log line can hold anything a program wrote: colour codes, cursor movement, window-title
//! (OSC) sequences, binary garbage, invalid UTF-8, or a single line of a megabyte. Printed raw,
//! such text can move the cursor, rewrite the screen or the terminal's title, or freeze a UI
//! that measures it on every frame. [`sanitize`] turns bytes into text that is safe to draw:
//!
//! - ANSI escape sequences are **stripped** (SGR colours included; they are not converted to
//!   styles): CSI (`ESC [` … final byte, and the 8-bit `0x9B`), OSC (`ESC ]` … `BEL`/`ST`),
//!   DCS, SOS, PM and APC strings, and two- or three-byte `ESC` sequences (`ESC ( B`, `ESC =`);
//! - every other control character (C0, `DEL`, C1) is removed, and so are the bidirectional
//!   override and isolate marks that reorder what a terminal shows;
//! - tabs become spaces up to the next multiple of [`TAB_WIDTH`] columns;
//! - invalid UTF-8 becomes `U+FFFD` (`�`);
//! - a line's text is cut after [`MAX_LINE_BYTES`] bytes, and then ends with a marker
//!   `… [+N bytes]` that says how much of the input was left out (so a line is never longer
//!   than [`MAX_SAFE_BYTES`]). The work done is bounded by
//!   that limit, not by the input's length.

use unicode_width::UnicodeWidthChar;

/// Most bytes of text kept for one line; the rest is replaced by a marker. (Docker splits
/// longer lines into 16 KiB pieces itself: each piece fits whole.)
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// Longest safe line: [`MAX_LINE_BYTES`] of text plus the `… [+N bytes]` marker.
pub const MAX_SAFE_BYTES: usize = MAX_LINE_BYTES + 40;

/// Tab stops are every this many columns.
pub const TAB_WIDTH: usize = 8;

/// Where the escape-sequence parser is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    Ground,
    /// After `ESC`.
    Escape,
    /// After `ESC` and an intermediate byte (`ESC (`).
    Intermediate,
    /// Inside a control sequence (`ESC [`).
    Csi,
    /// Inside a string (OSC, DCS, SOS, PM, APC) that ends with `BEL` or `ST`.
    Text,
    /// After `ESC` inside a string: `\` ends it.
    TextEscape,
}

/// Bytes of a line (without its newline) → text that is safe to print. See the module docs.
pub fn sanitize(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().min(MAX_LINE_BYTES));
    let mut parse = Parse::Ground;
    let mut column = 0usize;
    let mut offset = 0usize;
    for chunk in bytes.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            if out.len() >= MAX_LINE_BYTES {
                return cut(out, bytes.len() - (offset + i));
            }
            parse = step(parse, c, &mut out, &mut column);
        }
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            if out.len() >= MAX_LINE_BYTES {
                return cut(out, bytes.len() - offset);
            }
            // Broken bytes end any sequence they interrupt.
            parse = Parse::Ground;
            out.push('\u{FFFD}');
            column += 1;
            offset += chunk.invalid().len();
        }
    }
    out
}

/// [`sanitize`] for text that is already UTF-8.
pub fn sanitize_str(text: &str) -> String {
    sanitize(text.as_bytes())
}

/// Whether `text` must go through [`sanitize`] before it is printed: it holds a control
/// character or is longer than [`MAX_SAFE_BYTES`]. Cheap: one pass, no allocation.
pub fn needs_sanitizing(text: &str) -> bool {
    if text.len() > MAX_SAFE_BYTES {
        return true;
    }
    if text.is_ascii() {
        return text.bytes().any(|b| b < 0x20 || b == 0x7f);
    }
    text.chars().any(|c| c.is_control() || is_bidi_control(c))
}

fn cut(mut out: String, left_out: usize) -> String {
    out.push_str(&format!(" … [+{left_out} bytes]"));
    out
}

/// Marks that reorder text on screen (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Feed one character to the parser; printable text goes to `out`.
fn step(parse: Parse, c: char, out: &mut String, column: &mut usize) -> Parse {
    match parse {
        Parse::Ground => ground(c, out, column),
        Parse::Escape => match c {
            '[' => Parse::Csi,
            ']' | 'P' | 'X' | '^' | '_' => Parse::Text,
            '\u{1b}' => Parse::Escape,
            ' '..='/' => Parse::Intermediate,
            '0'..='~' => Parse::Ground,
            // Anything else cancels the sequence and is itself taken as text.
            other => ground(other, out, column),
        },
        Parse::Intermediate => match c {
            ' '..='/' => Parse::Intermediate,
            '0'..='~' => Parse::Ground,
            '\u{1b}' => Parse::Escape,
            other => ground(other, out, column),
        },
        Parse::Csi => match c {
            // Parameters and intermediates.
            ' '..='?' => Parse::Csi,
            // The final byte.
            '@'..='~' => Parse::Ground,
            '\u{1b}' => Parse::Escape,
            other => ground(other, out, column),
        },
        Parse::Text => match c {
            '\u{7}' | '\u{9c}' => Parse::Ground,
            '\u{1b}' => Parse::TextEscape,
            _ => Parse::Text,
        },
        Parse::TextEscape => match c {
            '\\' => Parse::Ground,
            // A new escape cancels the string.
            other => step(Parse::Escape, other, out, column),
        },
    }
}

fn ground(c: char, out: &mut String, column: &mut usize) -> Parse {
    match c {
        '\u{1b}' => Parse::Escape,
        '\u{9b}' => Parse::Csi,
        '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => Parse::Text,
        '\t' => {
            let spaces = TAB_WIDTH - *column % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', spaces));
            *column += spaces;
            Parse::Ground
        }
        c if c.is_control() || is_bidi_control(c) => Parse::Ground,
        c => {
            out.push(c);
            *column += c.width().unwrap_or(0);
            Parse::Ground
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(sanitize(b"GET /health 200"), "GET /health 200");
        assert_eq!(sanitize_str("héllo 世界"), "héllo 世界");
        assert!(!needs_sanitizing("héllo 世界"));
    }

    #[test]
    fn colour_codes_are_stripped() {
        assert_eq!(
            sanitize(b"\x1b[1;31mERROR\x1b[0m disk \x1b[38;5;208mfull\x1b[m"),
            "ERROR disk full"
        );
        assert_eq!(sanitize("\u{9b}32mok\u{9b}0m".as_bytes()), "ok");
        assert!(needs_sanitizing("\x1b[31mred"));
    }

    #[test]
    fn cursor_movement_and_screen_control_are_removed() {
        assert_eq!(sanitize(b"a\x1b[2J\x1b[H\x1b[10;20Hb\x1b[?1049hc"), "abc");
        assert_eq!(sanitize(b"x\x1b7\x1b8\x1b(B\x1b=y"), "xy");
        assert_eq!(sanitize(b"50%\r100%\x08!"), "50%100%!");
    }

    #[test]
    fn osc_and_other_strings_are_removed() {
        assert_eq!(sanitize(b"a\x1b]0;evil title\x07b"), "ab");
        assert_eq!(
            sanitize(b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "link"
        );
        assert_eq!(sanitize(b"a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
        assert_eq!(sanitize(b"a\x1b_apc\x1b\\b\x1b^pm\x1b\\c"), "abc");
        // Unterminated: swallowed to the end of the line, never printed.
        assert_eq!(sanitize(b"ok\x1b]0;never ends"), "ok");
    }

    #[test]
    fn control_characters_and_bidi_marks_are_removed() {
        assert_eq!(sanitize(b"a\x00b\x07c\x7fd\x0be"), "abcde");
        assert_eq!(sanitize("a\u{85}b\u{202E}c\u{2066}d".as_bytes()), "abcd");
        assert!(needs_sanitizing("a\u{202E}b"));
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize(b"\tx"), "        x");
        assert_eq!(sanitize(b"ab\tc"), "ab      c");
        assert_eq!(sanitize(b"12345678\tz"), "12345678        z");
        // Escapes take no columns.
        assert_eq!(sanitize(b"\x1b[31mab\x1b[0m\tc"), "ab      c");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(sanitize(b"a\xffb\xc3"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(sanitize(b"\xe2\x82"), "\u{FFFD}");
        // A broken byte ends the escape sequence it interrupts.
        assert_eq!(sanitize(b"\x1b[3\xff1mX"), "\u{FFFD}1mX");
    }

    #[test]
    fn binary_garbage_becomes_printable_text() {
        let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let text = sanitize(&garbage);
        assert!(!needs_sanitizing(&text));
        assert!(text.chars().all(|c| !c.is_control()));
    }

    #[test]
    fn a_megabyte_line_is_cut_with_a_marker() {
        let line = vec![b'x'; 1024 * 1024];
        let text = sanitize(&line);
        assert!(text.len() <= MAX_SAFE_BYTES);
        assert!(text.starts_with("xxxx"));
        let left_out = 1024 * 1024 - MAX_LINE_BYTES;
        assert!(
            text.ends_with(&format!(" … [+{left_out} bytes]")),
            "{}",
            &text[text.len() - 40..]
        );
        assert!(!needs_sanitizing(&text));
        assert!(needs_sanitizing(&String::from_utf8_lossy(&line)));
    }

    #[test]
    fn a_docker_sized_piece_is_kept_whole() {
        let piece = vec![b'y'; MAX_LINE_BYTES];
        assert_eq!(sanitize(&piece).len(), MAX_LINE_BYTES);
        let longer = vec![b'y'; MAX_LINE_BYTES + 1];
        assert_eq!(
            sanitize(&longer),
            format!("{} … [+1 bytes]", "y".repeat(MAX_LINE_BYTES))
        );
    }

    #[test]
    fn a_long_line_of_invalid_bytes_is_cut_too() {
        let line = vec![0xffu8; 100_000];
        let text = sanitize(&line);
        assert!(text.len() <= MAX_SAFE_BYTES);
        assert!(text.ends_with(" bytes]"));
        // Cut once: the result is not taken for a line that needs it again.
        assert!(!needs_sanitizing(&text));
    }
}
