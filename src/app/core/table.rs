//! A generic table: rows, the filtered and sorted view of them, and the selection.

use std::cmp::Ordering;

use crate::app::core::columns;

/// The tone of a cell or row: the theme maps it to a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Normal,
    Ok,
    Warn,
    Error,
    Muted,
}

/// One column of a table view. How the widths are used: `ui::columns::fit_columns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// Narrowest the column gets before columns to its right are dropped.
    pub min: u16,
    /// Widest it grows when there is room.
    pub preferred: u16,
    /// Sort numerically (`3/4` sorts by its first number).
    pub numeric: bool,
    /// Higher stays longer when the table is narrow (`app::core::columns`); 0 by default.
    pub priority: u8,
    /// A compact form: this column stands for the `count` columns from `first`, shown
    /// instead of them when they do not all fit, and hidden otherwise.
    pub compact_for: Option<(usize, usize)>,
}

impl Column {
    /// A text column of a fixed `width` (minimum and preferred alike).
    pub const fn text(title: &'static str, width: u16) -> Self {
        Self {
            title,
            min: width,
            preferred: width,
            numeric: false,
            priority: 0,
            compact_for: None,
        }
    }

    /// A numeric column of a fixed `width`.
    pub const fn num(title: &'static str, width: u16) -> Self {
        Self {
            title,
            min: width,
            preferred: width,
            numeric: true,
            priority: 0,
            compact_for: None,
        }
    }

    /// The same column, allowed to shrink to `min` (never above its preferred width).
    pub const fn min(self, min: u16) -> Self {
        Self {
            min: if min < self.preferred {
                min
            } else {
                self.preferred
            },
            ..self
        }
    }

    /// The same column with a priority: higher stays longer on narrow terminals.
    pub const fn priority(self, priority: u8) -> Self {
        Self { priority, ..self }
    }

    /// The same column as the compact form of the `count` columns from `first`.
    pub const fn compact_for(self, first: usize, count: usize) -> Self {
        Self {
            compact_for: Some((first, count)),
            ..self
        }
    }
}

/// A row type the generic table can show.
pub trait TableRow: Clone + PartialEq {
    /// The columns, in order.
    fn columns() -> &'static [Column];
    /// One string per column. `now` is epoch seconds, for ages.
    fn cells(&self, now: i64) -> Vec<String>;
    /// Tone of each cell; the default is the row's tone for every cell.
    fn tones(&self) -> Vec<Tone> {
        vec![self.tone(); Self::columns().len()]
    }
    /// Tone of the whole row.
    fn tone(&self) -> Tone {
        Tone::Normal
    }
    /// A stable identity, to keep the selection across refreshes.
    fn key(&self) -> String;
}

/// Parsed `/` filter: substring match, `!term` excludes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowFilter {
    pub text: String,
}

impl RowFilter {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() || self.text.trim() == "!"
    }

    /// Whether a row with these cells passes. Case-insensitive.
    pub fn matches(&self, cells: &[String]) -> bool {
        if self.is_empty() {
            return true;
        }
        let text = self.text.trim();
        let (negate, needle) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let needle = needle.to_lowercase();
        let found = cells.iter().any(|c| c.to_lowercase().contains(&needle));
        found != negate
    }
}

/// Whether a view's data is loading, loaded or failed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Load {
    #[default]
    Loading,
    Loaded,
    /// The last fetch failed; rows from before (if any) are kept.
    Failed(String),
}

/// Rows plus the view of them.
#[derive(Debug, Clone, PartialEq)]
pub struct TableState<R: TableRow> {
    rows: Vec<R>,
    /// Indexes into `rows`, filtered and sorted.
    visible: Vec<usize>,
    selected: usize,
    pub filter: RowFilter,
    /// Sort column and descending flag.
    pub sort: Option<(usize, bool)>,
    pub load: Load,
    /// Epoch seconds used for the cells of the visible rows.
    now: i64,
    /// Columns scrolled past after the pinned first one (`app::core::columns`).
    column_offset: usize,
    /// Rows with a change in flight: row key → what is being done (`redeploying…`).
    pub marks: Vec<(String, String)>,
}

impl<R: TableRow> Default for TableState<R> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            visible: Vec::new(),
            selected: 0,
            filter: RowFilter::default(),
            sort: None,
            load: Load::Loading,
            now: 0,
            column_offset: 0,
            marks: Vec::new(),
        }
    }
}

impl<R: TableRow> TableState<R> {
    /// What is being done to the row with this key, if a change is in flight.
    pub fn mark(&self, key: &str) -> Option<&str> {
        self.marks
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, label)| label.as_str())
    }

    /// Replace the rows, keeping the selection on the same item when it is still there.
    /// Returns whether anything a user sees changed.
    pub fn set_rows(&mut self, rows: Vec<R>, now: i64) -> bool {
        let was_loaded = self.load == Load::Loaded;
        if was_loaded && rows == self.rows && now / 60 == self.now / 60 {
            return false;
        }
        let key = self.selected_row().map(TableRow::key);
        self.rows = rows;
        self.now = now;
        self.load = Load::Loaded;
        self.rebuild();
        if let Some(pos) =
            key.and_then(|key| self.visible.iter().position(|&i| self.rows[i].key() == key))
        {
            self.selected = pos;
        }
        self.clamp();
        true
    }

    /// Forget everything (entering a different parent).
    pub fn reset(&mut self) {
        self.rows.clear();
        self.visible.clear();
        self.selected = 0;
        self.filter = RowFilter::default();
        self.load = Load::Loading;
        self.column_offset = 0;
    }

    /// Columns scrolled past (the renderer clamps it to its own width).
    pub fn column_offset(&self) -> usize {
        self.column_offset
    }

    /// Scroll the columns by `delta`, within what a table `width` wide can scroll.
    pub fn scroll_columns(&mut self, delta: isize, width: u16) {
        let max = columns::max_offset(R::columns(), width);
        let next = (self.column_offset.min(max) as isize).saturating_add(delta);
        self.column_offset = next.clamp(0, max as isize) as usize;
    }

    /// Back to the first columns (another view, another width).
    pub fn reset_columns(&mut self) {
        self.column_offset = 0;
    }

    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    /// The rows after filter and sort.
    pub fn visible(&self) -> impl Iterator<Item = &R> {
        self.visible.iter().map(|&i| &self.rows[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.visible.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn set_filter(&mut self, text: &str) {
        self.filter = RowFilter::new(text);
        self.rebuild();
        self.selected = 0;
    }

    /// Move the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.visible.len() - 1;
        let next = (self.selected as isize)
            .saturating_add(delta)
            .clamp(0, last as isize);
        self.selected = next as usize;
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
    }

    pub fn select_last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// Sort by the next (`step = 1`) or previous (`-1`) column; the first press sorts by column 0.
    /// Compact forms are skipped: the columns they stand for sort the same rows.
    pub fn cycle_sort(&mut self, step: isize) {
        let columns = R::columns();
        let n = columns.len() as isize;
        if n == 0 {
            return;
        }
        let mut next = match self.sort {
            None if step >= 0 => 0,
            None => n - 1,
            Some((c, _)) => (c as isize + step).rem_euclid(n),
        };
        let step = if step >= 0 { 1 } else { -1 };
        for _ in 0..n {
            if columns[next as usize].compact_for.is_none() {
                break;
            }
            next = (next + step).rem_euclid(n);
        }
        self.sort = Some((next as usize, false));
        self.rebuild();
    }

    pub fn reverse_sort(&mut self) {
        let col = self.sort.map(|(c, _)| c).unwrap_or(0);
        let desc = self.sort.map(|(_, d)| !d).unwrap_or(true);
        self.sort = Some((col, desc));
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let now = self.now;
        let cells: Vec<Vec<String>> = self.rows.iter().map(|r| r.cells(now)).collect();
        let mut visible: Vec<usize> = (0..self.rows.len())
            .filter(|&i| self.filter.matches(&cells[i]))
            .collect();
        if let Some((col, desc)) = self.sort {
            let numeric = R::columns().get(col).is_some_and(|c| c.numeric);
            visible.sort_by(|&a, &b| {
                let (x, y) = (cell(&cells[a], col), cell(&cells[b], col));
                let ord = if numeric {
                    leading_number(x)
                        .partial_cmp(&leading_number(y))
                        .unwrap_or(Ordering::Equal)
                        .then_with(|| x.cmp(y))
                } else {
                    x.to_lowercase().cmp(&y.to_lowercase())
                };
                if desc { ord.reverse() } else { ord }
            });
        }
        self.visible = visible;
        self.clamp();
    }

    fn clamp(&mut self) {
        if self.selected >= self.visible.len() {
            self.selected = self.visible.len().saturating_sub(1);
        }
    }
}

/// The table operations keys reach, without the row type.
pub trait TableOps {
    fn move_by(&mut self, delta: isize);
    fn select_first(&mut self);
    fn select_last(&mut self);
    fn cycle_sort(&mut self, step: isize);
    fn reverse_sort(&mut self);
    fn set_filter(&mut self, text: &str);
    fn scroll_columns(&mut self, delta: isize, width: u16);
    fn reset_columns(&mut self);
}

impl<R: TableRow> TableOps for TableState<R> {
    fn move_by(&mut self, delta: isize) {
        TableState::move_by(self, delta)
    }
    fn select_first(&mut self) {
        TableState::select_first(self)
    }
    fn select_last(&mut self) {
        TableState::select_last(self)
    }
    fn cycle_sort(&mut self, step: isize) {
        TableState::cycle_sort(self, step)
    }
    fn reverse_sort(&mut self) {
        TableState::reverse_sort(self)
    }
    fn set_filter(&mut self, text: &str) {
        TableState::set_filter(self, text)
    }
    fn scroll_columns(&mut self, delta: isize, width: u16) {
        TableState::scroll_columns(self, delta, width)
    }
    fn reset_columns(&mut self) {
        TableState::reset_columns(self)
    }
}

fn cell(cells: &[String], col: usize) -> &str {
    cells.get(col).map(String::as_str).unwrap_or("")
}

/// The first number in a cell (`"3/4"` → 3, `"12m"` → 12); none sorts first.
fn leading_number(s: &str) -> f64 {
    let digits: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().unwrap_or(f64::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, PartialEq, Debug)]
    struct Item(&'static str, u32);

    impl TableRow for Item {
        fn columns() -> &'static [Column] {
            const C: &[Column] = &[Column::text("NAME", 10), Column::num("N", 4)];
            C
        }
        fn cells(&self, _now: i64) -> Vec<String> {
            vec![self.0.to_string(), self.1.to_string()]
        }
        fn key(&self) -> String {
            self.0.to_string()
        }
    }

    fn table() -> TableState<Item> {
        let mut t = TableState::default();
        t.set_rows(vec![Item("web", 10), Item("api", 2), Item("worker", 30)], 0);
        t
    }

    #[test]
    fn filter_includes_and_excludes() {
        let mut t = table();
        t.set_filter("w");
        assert_eq!(
            t.visible().map(|r| r.0).collect::<Vec<_>>(),
            ["web", "worker"]
        );
        t.set_filter("!w");
        assert_eq!(t.visible().map(|r| r.0).collect::<Vec<_>>(), ["api"]);
        t.set_filter("WEB");
        assert_eq!(t.visible_len(), 1);
        t.set_filter("zzz");
        assert_eq!(t.visible_len(), 0);
        assert!(t.selected_row().is_none());
    }

    #[test]
    fn numeric_columns_sort_as_numbers() {
        let mut t = table();
        t.cycle_sort(1);
        t.cycle_sort(1);
        assert_eq!(t.visible().map(|r| r.1).collect::<Vec<_>>(), [2, 10, 30]);
        t.reverse_sort();
        assert_eq!(t.visible().map(|r| r.1).collect::<Vec<_>>(), [30, 10, 2]);
    }

    #[test]
    fn selection_follows_the_item_across_refreshes() {
        let mut t = table();
        t.move_by(2);
        assert_eq!(t.selected_row().map(|r| r.0), Some("worker"));
        t.set_rows(vec![Item("new", 1), Item("web", 10), Item("worker", 30)], 0);
        assert_eq!(t.selected_row().map(|r| r.0), Some("worker"));
        t.set_rows(vec![Item("new", 1)], 0);
        assert_eq!(t.selected_row().map(|r| r.0), Some("new"));
    }

    #[test]
    fn identical_data_is_not_a_change() {
        let mut t = table();
        assert!(!t.set_rows(vec![Item("web", 10), Item("api", 2), Item("worker", 30)], 5));
        assert!(t.set_rows(vec![Item("web", 11)], 5));
    }

    #[test]
    fn movement_is_clamped() {
        let mut t = table();
        t.move_by(-5);
        assert_eq!(t.selected_index(), 0);
        t.move_by(50);
        assert_eq!(t.selected_index(), 2);
        let mut empty: TableState<Item> = TableState::default();
        empty.move_by(3);
        assert_eq!(empty.selected_index(), 0);
    }
}
