//! The log view's memory: a bounded ring of lines, and the search over them.
//!
//! Lines are numbered by a sequence number that never changes (the first line ever received
//! is 0), so a position survives the oldest lines being dropped. Appending is O(new lines):
//! the search is kept as a sorted list of matching sequence numbers, extended as lines arrive
//! and trimmed as they are dropped, never recomputed over the whole buffer on an append.

use std::collections::VecDeque;

use regex::Regex;

use crate::app::core::pattern::Pattern;
use crate::domain::logs::LogLine;

/// Bytes of text budgeted per line: the buffer also drops its oldest lines when the text it
/// holds passes `max_lines × BYTES_PER_LINE`, so a flood of very long lines stays bounded.
pub const BYTES_PER_LINE: usize = 1024;
/// What a line costs beyond its text (the struct, the queue slot).
const LINE_OVERHEAD: usize = 64;
/// The byte budget is never smaller than this, so a few long lines always fit.
const MIN_BYTES: usize = 1024 * 1024;
/// Lines searched at once when a search is set; a bigger buffer is searched in steps
/// ([`LogBuffer::continue_search`]) so a keystroke in the prompt never stalls the console.
pub const SCAN_STEP: usize = 200_000;

/// A compiled search and the lines it matches.
#[derive(Debug, Clone)]
pub struct Search {
    text: String,
    /// The terms a line must match, all of them (the words of the text).
    include: Vec<Pattern>,
    /// The `!terms` a line must not match.
    exclude: Vec<Pattern>,
    /// `@name`: only the lines of these containers (by their label), when any.
    only: Vec<String>,
    /// `!@name`: not the lines of these containers.
    hide: Vec<String>,
    /// One regex for what to highlight: any of the terms to match. `None` when there is
    /// none (the text is only exclusions, or could not be compiled).
    regex: Option<Regex>,
    /// Why the text is matched literally (it is not a valid regex), if it is.
    invalid: Option<String>,
    /// Sequence numbers of matching lines still in the buffer, ascending.
    matches: VecDeque<u64>,
    /// Lines from this sequence number on have been searched; older ones not yet (a big
    /// buffer is searched newest first, [`SCAN_STEP`] lines at a time).
    scanned_from: u64,
}

impl Search {
    /// Compile `text`: a regex, case-insensitive unless the text has an uppercase letter;
    /// text that is not a valid regex is matched literally (and `invalid` says why).
    ///
    /// Several words are several terms, all to be matched; a `!term` excludes the lines that
    /// match it (as the tables' filters do): `error !healthcheck`.
    pub fn new(text: &str) -> Search {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        let mut only = Vec::new();
        let mut hide = Vec::new();
        for word in text.split_whitespace() {
            if let Some(name) = word.strip_prefix("!@").filter(|n| !n.is_empty()) {
                hide.push(name.to_string());
                continue;
            }
            if let Some(name) = word.strip_prefix('@').filter(|n| !n.is_empty()) {
                only.push(name.to_string());
                continue;
            }
            match word.strip_prefix('!') {
                Some(term) if !term.is_empty() => exclude.push(Pattern::new(term)),
                Some(_) => {}
                None => include.push(Pattern::new(word)),
            }
        }
        let invalid = include
            .iter()
            .chain(&exclude)
            .find_map(|p| p.invalid().map(|why| format!("{}: {why}", p.text())));
        // Each term keeps its own case rule: lowercase ones ignore case.
        let sources: Vec<String> = include
            .iter()
            .filter_map(|p| {
                let flag = if p.text().chars().any(char::is_uppercase) {
                    ""
                } else {
                    "i"
                };
                p.regex().map(|re| format!("(?{flag}:{})", re.as_str()))
            })
            .collect();
        let regex = (!sources.is_empty())
            .then(|| {
                regex::RegexBuilder::new(&sources.join("|"))
                    .size_limit(1 << 22)
                    .build()
                    .ok()
            })
            .flatten();
        Search {
            text: text.to_string(),
            include,
            exclude,
            only,
            hide,
            regex,
            invalid,
            matches: VecDeque::new(),
            scanned_from: 0,
        }
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The compiled regex (the escaped text when `invalid` is set).
    pub fn regex(&self) -> Option<&Regex> {
        self.regex.as_ref()
    }

    /// Why the text is matched literally, if it is not a valid regex.
    pub fn invalid(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Sequence numbers of the matching lines in the buffer, oldest first (of the lines
    /// searched so far: see [`LogBuffer::search_complete`]).
    pub fn matches(&self) -> &VecDeque<u64> {
        &self.matches
    }

    /// Whether a line matches: every term in its text or its label, no `!term` in either.
    pub fn is_match(&self, line: &LogLine) -> bool {
        let hit = |p: &Pattern| {
            p.is_match(&line.text) || (!line.label.is_empty() && p.is_match(&line.label))
        };
        let terms = self.include.len() + self.exclude.len() + self.only.len() + self.hide.len();
        if terms == 0 {
            return false;
        }
        let container = container_of(&line.label);
        let shown = |names: &[String]| names.iter().any(|n| Some(n.as_str()) == container);
        (self.only.is_empty() || shown(&self.only))
            && !shown(&self.hide)
            && self.include.iter().all(hit)
            && !self.exclude.iter().any(hit)
    }
}

/// The container a merged line's label names: `1a2b3c4d/log-router` → `log-router`.
pub fn container_of(label: &str) -> Option<&str> {
    let name = label.rsplit('/').next().unwrap_or(label);
    (!name.is_empty()).then_some(name)
}

/// A bounded ring of log lines with an incremental search.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    max_lines: usize,
    max_bytes: usize,
    bytes: usize,
    /// Lines dropped from the front: also the sequence number of the first line held.
    dropped: u64,
    search: Option<Search>,
}

impl Default for LogBuffer {
    fn default() -> Self {
        LogBuffer::new(50_000)
    }
}

impl LogBuffer {
    /// A buffer that keeps at most `max_lines` lines (at least 1), and at most
    /// `max_lines × BYTES_PER_LINE` bytes of text.
    pub fn new(max_lines: usize) -> LogBuffer {
        let max_lines = max_lines.max(1);
        LogBuffer {
            lines: VecDeque::with_capacity(max_lines.min(1024)),
            max_lines,
            max_bytes: max_lines.saturating_mul(BYTES_PER_LINE).max(MIN_BYTES),
            bytes: 0,
            dropped: 0,
            search: None,
        }
    }

    /// Most lines kept.
    pub fn max_lines(&self) -> usize {
        self.max_lines
    }

    /// Lines held now.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines dropped because the buffer was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Approximate bytes held (text plus a fixed cost per line).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Sequence number of the oldest line held.
    pub fn first_seq(&self) -> u64 {
        self.dropped
    }

    /// Sequence number the next line will get.
    pub fn end_seq(&self) -> u64 {
        self.dropped + self.lines.len() as u64
    }

    /// The time of the newest line held, when it has one (milliseconds since the epoch).
    pub fn newest_millis(&self) -> Option<i64> {
        self.lines.back().and_then(|l| l.ts_millis)
    }

    /// The line with this sequence number, if still held.
    pub fn get(&self, seq: u64) -> Option<&LogLine> {
        let index = usize::try_from(seq.checked_sub(self.dropped)?).ok()?;
        self.lines.get(index)
    }

    /// Append a line, dropping the oldest ones past the bounds. O(1) plus one regex match
    /// when a search is set.
    pub fn push(&mut self, line: LogLine) {
        let seq = self.end_seq();
        if let Some(search) = &mut self.search
            && search.is_match(&line)
        {
            search.matches.push_back(seq);
        }
        self.bytes += cost(&line);
        self.lines.push_back(line);
        while self.lines.len() > self.max_lines
            || (self.bytes > self.max_bytes && self.lines.len() > 1)
        {
            self.drop_front();
        }
    }

    fn drop_front(&mut self) {
        if let Some(old) = self.lines.pop_front() {
            self.bytes = self.bytes.saturating_sub(cost(&old));
            self.dropped += 1;
            if let Some(search) = &mut self.search {
                while search.matches.front().is_some_and(|&s| s < self.dropped) {
                    search.matches.pop_front();
                }
                search.scanned_from = search.scanned_from.max(self.dropped);
            }
        }
    }

    /// The current search, if any.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// Search for `text` (empty: no search), scanning the newest [`SCAN_STEP`] lines now
    /// and the rest with [`LogBuffer::continue_search`]. Returns why the text is matched
    /// literally, if it is not a valid regex.
    pub fn set_search(&mut self, text: &str) -> Option<String> {
        if text.is_empty() {
            self.search = None;
            return None;
        }
        let mut search = Search::new(text);
        search.scanned_from = self.end_seq();
        let invalid = search.invalid.clone();
        self.search = Some(search);
        self.continue_search(SCAN_STEP);
        invalid
    }

    /// Search up to `budget` more of the older lines not searched yet.
    pub fn continue_search(&mut self, budget: usize) {
        let first = self.dropped;
        let Some(search) = &mut self.search else {
            return;
        };
        let until = search.scanned_from;
        let from = until.saturating_sub(budget as u64).max(first);
        for seq in (from..until).rev() {
            let index = (seq - first) as usize;
            if self
                .lines
                .get(index)
                .is_some_and(|line| search.is_match(line))
            {
                search.matches.push_front(seq);
            }
        }
        search.scanned_from = from;
    }

    /// Whether every line held has been searched.
    pub fn search_complete(&self) -> bool {
        self.search
            .as_ref()
            .is_none_or(|s| s.scanned_from <= self.dropped)
    }

    /// The lines as shown: every line, or (`filtered`, with a search set) only the matches.
    pub fn view(&self, filtered: bool) -> LineView<'_> {
        LineView {
            buf: self,
            matches: if filtered {
                self.search.as_ref().map(|s| &s.matches)
            } else {
                None
            },
        }
    }

    /// The first match after `seq`, wrapping to the first match; `(seq, wrapped)`.
    pub fn next_match(&self, after: Option<u64>) -> Option<(u64, bool)> {
        let matches = &self.search.as_ref()?.matches;
        let start = after.map_or(0, |a| matches.partition_point(|&s| s <= a));
        match matches.get(start) {
            Some(&seq) => Some((seq, false)),
            None => matches.front().map(|&seq| (seq, after.is_some())),
        }
    }

    /// The last match before `seq`, wrapping to the last match; `(seq, wrapped)`.
    pub fn prev_match(&self, before: Option<u64>) -> Option<(u64, bool)> {
        let matches = &self.search.as_ref()?.matches;
        let end = before.map_or(matches.len(), |b| matches.partition_point(|&s| s < b));
        match end.checked_sub(1).and_then(|i| matches.get(i)) {
            Some(&seq) => Some((seq, false)),
            None => matches.back().map(|&seq| (seq, before.is_some())),
        }
    }
}

fn cost(line: &LogLine) -> usize {
    line.text.len() + line.label.len() + LINE_OVERHEAD
}

/// The lines a log view shows, indexed 0.. in display order: all lines, or only the matches.
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a> {
    buf: &'a LogBuffer,
    matches: Option<&'a VecDeque<u64>>,
}

impl<'a> LineView<'a> {
    /// Whether only matching lines are shown.
    pub fn is_filtered(&self) -> bool {
        self.matches.is_some()
    }

    pub fn len(&self) -> usize {
        match self.matches {
            Some(m) => m.len(),
            None => self.buf.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sequence number of the line at display index `index`.
    pub fn seq(&self, index: usize) -> Option<u64> {
        match self.matches {
            Some(m) => m.get(index).copied(),
            None => (index < self.buf.len()).then(|| self.buf.dropped + index as u64),
        }
    }

    /// The line at display index `index` with its sequence number.
    pub fn line(&self, index: usize) -> Option<(u64, &'a LogLine)> {
        let seq = self.seq(index)?;
        self.buf.get(seq).map(|line| (seq, line))
    }

    /// Display index of the last shown line at or before `seq` (the first line if none).
    pub fn index_at_or_before(&self, seq: u64) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        let after = match self.matches {
            Some(m) => m.partition_point(|&s| s <= seq),
            None => usize::try_from(seq.saturating_add(1).saturating_sub(self.buf.dropped))
                .unwrap_or(usize::MAX)
                .min(self.buf.len()),
        };
        Some(after.saturating_sub(1))
    }

    /// Display index of the first shown line at or after `seq` (the last line if none).
    pub fn index_at_or_after(&self, seq: u64) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        let at = match self.matches {
            Some(m) => m.partition_point(|&s| s < seq),
            None => usize::try_from(seq.saturating_sub(self.buf.dropped)).unwrap_or(usize::MAX),
        };
        Some(at.min(self.len() - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(max: usize, texts: &[&str]) -> LogBuffer {
        let mut buf = LogBuffer::new(max);
        for t in texts {
            buf.push(LogLine::new(t));
        }
        buf
    }

    fn texts(view: LineView<'_>) -> Vec<String> {
        (0..view.len())
            .filter_map(|i| view.line(i).map(|(_, l)| l.text.clone()))
            .collect()
    }

    #[test]
    fn the_ring_keeps_the_newest_lines_and_counts_the_dropped() {
        let mut buf = LogBuffer::new(3);
        for i in 0..10 {
            buf.push(LogLine::new(&format!("line {i}")));
        }
        assert_eq!(buf.len(), 3);
        assert_eq!(buf.dropped(), 7);
        assert_eq!(buf.first_seq(), 7);
        assert_eq!(buf.end_seq(), 10);
        assert_eq!(texts(buf.view(false)), ["line 7", "line 8", "line 9"]);
        assert!(buf.get(6).is_none());
        assert_eq!(buf.get(9).map(|l| l.text.as_str()), Some("line 9"));
    }

    #[test]
    fn the_ring_is_bounded_by_bytes_too() {
        let mut buf = LogBuffer::new(1000);
        let long = "x".repeat(16 * 1024);
        for _ in 0..200 {
            buf.push(LogLine::new(&long));
        }
        assert!(buf.bytes() <= 1024 * 1024);
        assert!(buf.len() < 200);
        assert_eq!(buf.dropped() as usize + buf.len(), 200);
    }

    #[test]
    fn search_matches_follow_appends_and_drops() {
        let mut buf = filled(4, &["error one", "ok", "ERROR two"]);
        assert_eq!(buf.set_search("error"), None);
        assert_eq!(buf.search().map(|s| s.matches().len()), Some(2));
        buf.push(LogLine::new("error three"));
        buf.push(LogLine::new("fine"));
        buf.push(LogLine::new("fine"));
        // "error one" (0) and "ok" (1) were dropped.
        let matches: Vec<u64> = buf
            .search()
            .map(|s| s.matches().iter().copied().collect())
            .unwrap_or_default();
        assert_eq!(matches, [2, 3]);
        assert_eq!(texts(buf.view(true)), ["ERROR two", "error three"]);
    }

    #[test]
    fn a_big_buffer_is_searched_newest_first_in_steps() {
        let mut buf = LogBuffer::new(10);
        for i in 0..10 {
            buf.push(LogLine::new(&format!("hit {i}")));
        }
        buf.set_search("hit");
        // All 10 fit in one step.
        assert!(buf.search_complete());
        assert_eq!(buf.search().map(|s| s.matches().len()), Some(10));
        // By hand, in steps of 4: newest first, then older ones, in order.
        let search = buf.search.as_mut().unwrap();
        search.matches.clear();
        search.scanned_from = 10;
        buf.continue_search(4);
        assert!(!buf.search_complete());
        let seqs = |b: &LogBuffer| {
            b.search()
                .unwrap()
                .matches()
                .iter()
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(seqs(&buf), [6, 7, 8, 9]);
        buf.push(LogLine::new("hit 10"));
        buf.continue_search(4);
        assert_eq!(seqs(&buf), (2..=10).collect::<Vec<_>>());
        buf.continue_search(4);
        assert!(buf.search_complete());
        assert_eq!(seqs(&buf), (1..=10).collect::<Vec<_>>());
    }

    #[test]
    fn uppercase_makes_the_search_case_sensitive() {
        let mut buf = filled(10, &["Error a", "error b"]);
        buf.set_search("Error");
        assert_eq!(texts(buf.view(true)), ["Error a"]);
        buf.set_search("err.r");
        assert_eq!(texts(buf.view(true)), ["Error a", "error b"]);
    }

    #[test]
    fn at_terms_pick_or_hide_containers_by_label() {
        let line = |label: &str, t: &str| {
            let mut l = LogLine::new(t);
            l.label = label.to_string();
            l
        };
        let hide = Search::new("!@log-router");
        assert!(hide.is_match(&line("1a2b3c4d/app", "GET /")));
        assert!(!hide.is_match(&line("1a2b3c4d/log-router", "flushed 3 chunks")));
        let only = Search::new("@app error");
        assert!(only.is_match(&line("9f8e7d6c/app", "error: boom")));
        assert!(!only.is_match(&line("9f8e7d6c/app", "ok")));
        assert!(!only.is_match(&line("9f8e7d6c/log-router", "error: boom")));
    }

    #[test]
    fn several_terms_all_match_and_a_bang_term_excludes() {
        let line = |t: &str| LogLine::new(t);
        let s = Search::new("error timeout");
        assert!(s.is_match(&line("ERROR upstream timeout after 30s")));
        assert!(!s.is_match(&line("error: connection refused")));
        let s = Search::new("error !healthcheck");
        assert!(s.is_match(&line("error in handler")));
        assert!(!s.is_match(&line("error: GET /healthcheck 500")));
        let only_out = Search::new("!healthcheck");
        assert!(only_out.is_match(&line("GET /orders 200")));
        assert!(!only_out.is_match(&line("GET /healthcheck 200")));
        assert!(only_out.regex().is_none(), "nothing to highlight");
        let hl = Search::new("error Timeout").regex().cloned().unwrap();
        assert!(hl.is_match("ERROR"), "a lowercase term ignores case");
        assert!(!hl.is_match("timeout"), "an uppercase term keeps it");
    }

    #[test]
    fn an_invalid_regex_is_matched_literally() {
        let mut buf = filled(10, &["call f(x", "call f"]);
        let why = buf.set_search("f(x");
        assert!(
            why.is_some_and(|w| w.contains("unclosed")),
            "{:?}",
            buf.search().and_then(|s| s.invalid())
        );
        assert_eq!(texts(buf.view(true)), ["call f(x"]);
    }

    #[test]
    fn labels_are_searched_too() {
        let mut buf = LogBuffer::new(10);
        buf.push(LogLine::new("hello").labelled("1a2b/app", 0));
        buf.push(LogLine::new("hello").labelled("9f9f/app", 1));
        buf.set_search("9f9f");
        assert_eq!(buf.view(true).len(), 1);
    }

    #[test]
    fn next_and_prev_wrap_around() {
        let mut buf = filled(10, &["a", "hit", "b", "hit", "c"]);
        buf.set_search("hit");
        assert_eq!(buf.next_match(None), Some((1, false)));
        assert_eq!(buf.next_match(Some(1)), Some((3, false)));
        assert_eq!(buf.next_match(Some(3)), Some((1, true)));
        assert_eq!(buf.prev_match(Some(3)), Some((1, false)));
        assert_eq!(buf.prev_match(Some(1)), Some((3, true)));
        assert_eq!(buf.prev_match(None), Some((3, false)));
        buf.set_search("zzz");
        assert_eq!(buf.next_match(Some(0)), None);
    }

    #[test]
    fn view_indexes_map_to_sequence_numbers() {
        let mut buf = LogBuffer::new(3);
        for t in ["a", "hit 1", "b", "hit 2", "c"] {
            buf.push(LogLine::new(t));
        }
        // Held: seq 2 "b", 3 "hit 2", 4 "c".
        let all = buf.view(false);
        assert_eq!(all.seq(0), Some(2));
        assert_eq!(all.index_at_or_before(0), Some(0));
        assert_eq!(all.index_at_or_before(3), Some(1));
        assert_eq!(all.index_at_or_after(99), Some(2));
        buf.set_search("hit");
        let hits = buf.view(true);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits.index_at_or_before(4), Some(0));
        assert_eq!(hits.index_at_or_after(2), Some(0));
        assert_eq!(hits.seq(0), Some(3));
        let empty = LogBuffer::new(3);
        assert_eq!(empty.view(false).index_at_or_before(0), None);
    }
}
