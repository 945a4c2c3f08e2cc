//! A small seeded PRNG and the random keys, pastes, texts and sizes built from it.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

/// SplitMix64: tiny, fast and good enough to pick events; the same seed gives the same run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Words typed into prompts and shown in rows: plain, long, wide, hostile.
pub const WORDS: &[&str] = &[
    "web",
    "api",
    "prod",
    "payments",
    "worker-1",
    "!web",
    "env=prod",
    "3",
    "-1",
    "999999999999",
    "0",
    "yes",
    "y",
    "",
    " ",
    "日本語のサービス",
    "emoji 🚀🔥",
    "tab\there",
    "line\nbreak",
    "\u{1b}[31mred\u{1b}[0m",
    "a-very-long-name-that-goes-on-and-on-and-on-well-past-any-column-width-anyone-would-set-for-it",
    "(unclosed[regex",
    ".*",
    "ERROR",
    "\u{200b}zero\u{200d}width",
    "e\u{301}\u{301}\u{301}",
    "🏳️‍🌈",
    "\r",
    "\u{7f}",
];

/// Characters keys type: what triggers bindings, prompt text, and the odd ones.
const CHARS: &[char] = &[
    'j', 'k', 'g', 'G', 'q', '/', ':', '?', 'r', 'R', 'a', 'd', 'l', 's', 'S', 'x', 'X', 'u', 'p',
    'e', 'n', 'N', 'f', 'F', 'w', 't', 'h', 'c', 'b', '+', '-', '=', '<', '>', '!', 'y', 'Y', '0',
    '1', '3', '9', ' ', '.', '日', '🚀', '\u{301}', 'é',
];

/// The `:` lines that reach every view.
pub const COMMAND_LINES: &[&str] = &[
    "containers",
    "dc",
    "hosts",
    "asgs",
    "journal",
    "images",
    "clusters",
    "services",
    "services prod",
    "tasks prod api",
    "tasks",
    "logs /ecs/api",
    "logs /ecs/api web -15m",
    "logs",
    "nonsense",
    "q",
];

pub struct Gen {
    pub rng: Rng,
}

impl Gen {
    pub fn new(rng: Rng) -> Gen {
        Gen { rng }
    }

    pub fn word(&mut self) -> String {
        self.rng.pick(WORDS).to_string()
    }

    /// A random key press (now and then a release, which the runtime ignores).
    pub fn key(&mut self) -> KeyEvent {
        let r = &mut self.rng;
        let code = match r.below(20) {
            0..=9 => KeyCode::Char(*r.pick(CHARS)),
            10 => KeyCode::Esc,
            11 => KeyCode::Enter,
            12 => *r.pick(&[KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right]),
            13 => *r.pick(&[
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::End,
            ]),
            14 => KeyCode::Backspace,
            15 => *r.pick(&[
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Delete,
                KeyCode::Insert,
            ]),
            16 => KeyCode::F(r.below(12) as u8 + 1),
            17 => KeyCode::Char(char::from(b'a' + r.below(26) as u8)),
            _ => KeyCode::Char(*r.pick(&['j', 'k', 'j', 'k', 'G', 'g'])),
        };
        let modifiers = match r.below(12) {
            0 | 1 => KeyModifiers::CONTROL,
            2 => KeyModifiers::SHIFT,
            3 => KeyModifiers::ALT,
            _ => KeyModifiers::NONE,
        };
        let kind = if r.chance(1, 40) {
            KeyEventKind::Release
        } else {
            KeyEventKind::Press
        };
        KeyEvent {
            code,
            modifiers,
            kind,
            state: KeyEventState::NONE,
        }
    }

    /// What a terminal without bracketed paste sends for pasted text: its characters as
    /// keys (a newline is enter, a tab is tab).
    pub fn paste(&mut self) -> Vec<KeyEvent> {
        let mut text = String::new();
        for _ in 0..1 + self.rng.below(4) {
            let word = self.rng.pick::<&str>(WORDS);
            text.push_str(word);
        }
        // Now and then a long one (every key of it re-runs a search on the log view).
        if self.rng.chance(1, 100) {
            text = text.repeat(10);
        }
        text.chars().map(char_key).collect()
    }

    /// A terminal size from 0×0 to 300×100, most often an ordinary one.
    pub fn size(&mut self) -> (u16, u16) {
        let r = &mut self.rng;
        match r.below(10) {
            0 => (r.below(4) as u16, r.below(4) as u16),
            1 => (r.below(301) as u16, r.below(101) as u16),
            2 => (300, 100),
            3 => (r.below(40) as u16, r.below(12) as u16),
            4 => (120 + r.below(80) as u16, 30 + r.below(30) as u16),
            _ => *r.pick(&[(80, 24), (100, 30), (60, 20), (132, 40)]),
        }
    }
}

/// The key a terminal sends for `c`.
pub fn char_key(c: char) -> KeyEvent {
    let code = match c {
        '\n' | '\r' => KeyCode::Enter,
        '\t' => KeyCode::Tab,
        '\u{1b}' => KeyCode::Esc,
        '\u{7f}' => KeyCode::Backspace,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}
