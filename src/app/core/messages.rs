//! Every message the status line showed, for `:messages`: the last 100, with their times.

use std::collections::VecDeque;

use crate::app::core::table::Tone;

/// How many messages are kept.
pub const KEPT: usize = 100;

/// One message as the status line showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Epoch seconds, as the console last knew the time (ticks and results carry it).
    pub time: i64,
    pub text: String,
    pub tone: Tone,
    /// How many times in a row it was shown (a failing refresh repeats its error).
    pub count: u32,
}

/// The kept messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    kept: VecDeque<Message>,
}

impl Messages {
    /// Keep a message; the same text again only counts up and moves its time.
    pub fn push(&mut self, time: i64, text: &str, tone: Tone) {
        if let Some(last) = self.kept.back_mut()
            && last.text == text
            && last.tone == tone
        {
            last.count = last.count.saturating_add(1);
            last.time = time;
            return;
        }
        if self.kept.len() == KEPT {
            self.kept.pop_front();
        }
        self.kept.push_back(Message {
            time,
            text: text.to_string(),
            tone,
            count: 1,
        });
    }

    /// Newest first, as the overlay lists them.
    pub fn newest_first(&self) -> impl Iterator<Item = &Message> {
        self.kept.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_hundred_newest_first() {
        let mut m = Messages::default();
        for i in 0..150 {
            m.push(i, &format!("message {i}"), Tone::Normal);
        }
        assert_eq!(m.len(), KEPT);
        let texts: Vec<&str> = m.newest_first().map(|m| m.text.as_str()).collect();
        assert_eq!(texts[0], "message 149");
        assert_eq!(texts[KEPT - 1], "message 50");
    }

    #[test]
    fn a_repeated_message_counts_up() {
        let mut m = Messages::default();
        m.push(1, "refresh failed: connection refused", Tone::Error);
        m.push(6, "refresh failed: connection refused", Tone::Error);
        m.push(7, "connected", Tone::Normal);
        let all: Vec<&Message> = m.newest_first().collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[1].count, all[1].time), (2, 6));
    }
}
