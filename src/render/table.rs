//! The table format: boxed, aligned by display width (CJK and emoji count as two columns),
//! numbers right-aligned, multi-line values kept inside their cell, and wide columns wrapped
//! to the terminal's width.
//!
//! Cells are kept in one text arena with their spans and widths measured once, so a
//! million-row result costs two growing vectors, not a million small strings.

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{is_numeric, sanitize, value_text, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, Value};

/// Border styles (the config's `table_style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    Ascii,
    Unicode,
    Rounded,
    /// No outer frame, `|` between columns, a rule under the header (as psql).
    Borderless,
    /// No lines at all but a rule under the header (psql's `\pset border 0`).
    Plain,
}

struct Borders {
    /// (left, junction, right, horizontal) for the top, header separator and bottom rules.
    top: Option<[&'static str; 4]>,
    mid: [&'static str; 4],
    bottom: Option<[&'static str; 4]>,
    /// (left, between, right) around cells.
    row: [&'static str; 3],
}

impl Style {
    fn borders(self) -> Borders {
        match self {
            Style::Ascii => Borders {
                top: Some(["+-", "-+-", "-+", "-"]),
                mid: ["+-", "-+-", "-+", "-"],
                bottom: Some(["+-", "-+-", "-+", "-"]),
                row: ["| ", " | ", " |"],
            },
            Style::Unicode => Borders {
                top: Some(["┌─", "─┬─", "─┐", "─"]),
                mid: ["├─", "─┼─", "─┤", "─"],
                bottom: Some(["└─", "─┴─", "─┘", "─"]),
                row: ["│ ", " │ ", " │"],
            },
            Style::Rounded => Borders {
                top: Some(["╭─", "─┬─", "─╮", "─"]),
                mid: ["├─", "─┼─", "─┤", "─"],
                bottom: Some(["╰─", "─┴─", "─╯", "─"]),
                row: ["│ ", " │ ", " │"],
            },
            Style::Borderless => Borders {
                top: None,
                mid: ["", "-+-", "", "-"],
                bottom: None,
                row: ["", " | ", ""],
            },
            Style::Plain => Borders {
                top: None,
                mid: ["", " ", "", "-"],
                bottom: None,
                row: ["", " ", ""],
            },
        }
    }

    /// psql's `\pset border` number for this style.
    pub fn border(self) -> u8 {
        match self {
            Style::Plain => 0,
            Style::Borderless => 1,
            Style::Ascii | Style::Unicode | Style::Rounded => 2,
        }
    }

    /// The style for psql's `\pset border N`, keeping the line style of a framed `self`.
    pub fn with_border(self, border: u8) -> Style {
        match border {
            0 => Style::Plain,
            1 => Style::Borderless,
            _ if self.border() == 2 => self,
            _ => Style::Ascii,
        }
    }

    pub fn parse(s: &str) -> Option<Style> {
        match s {
            "ascii" => Some(Style::Ascii),
            "unicode" => Some(Style::Unicode),
            "rounded" => Some(Style::Rounded),
            "borderless" => Some(Style::Borderless),
            "plain" => Some(Style::Plain),
            _ => None,
        }
    }

    /// Columns taken by borders around `n` columns.
    fn overhead(self, n: usize) -> usize {
        let b = self.borders();
        let w = |s: &str| s.width();
        w(b.row[0]) + w(b.row[2]) + w(b.row[1]) * n.saturating_sub(1)
    }
}

#[derive(Clone, Copy)]
struct Cell {
    start: usize,
    end: usize,
    /// Display width of the widest line.
    width: usize,
    multiline: bool,
}

pub struct TableWriter {
    names: Vec<String>,
    kinds: Vec<crate::result::ColumnKind>,
    /// Per column: every non-null value so far was a number.
    numeric: Vec<Option<bool>>,
    text: String,
    cells: Vec<Cell>,
    scratch: String,
    null: String,
    style: Style,
    width: Option<usize>,
    max_field: usize,
    /// `\x auto`: show the result set vertically when it is wider than `width`.
    auto_vertical: bool,
}

impl TableWriter {
    pub fn new(columns: &[ColumnInfo], s: &RenderSettings) -> TableWriter {
        TableWriter {
            names: columns
                .iter()
                .map(|c| sanitize::escape_controls(&c.name, false).into_owned())
                .collect(),
            kinds: columns.iter().map(|c| c.kind).collect(),
            numeric: vec![None; columns.len()],
            text: String::new(),
            cells: Vec::new(),
            scratch: String::new(),
            null: sanitize::escape_controls(&s.null, false).into_owned(),
            style: s.style,
            width: s.width,
            max_field: if s.terminal { s.max_field_width } else { 0 },
            auto_vertical: s.expanded_auto,
        }
    }

    /// The natural width of the table (no wrapping), to decide `\x auto`.
    pub fn natural_width(&self) -> usize {
        let widths = self.column_widths();
        widths.iter().sum::<usize>() + self.style.overhead(widths.len())
    }

    fn column_widths(&self) -> Vec<usize> {
        let n = self.names.len();
        let mut widths: Vec<usize> = self.names.iter().map(|h| h.width()).collect();
        if n == 0 {
            return widths;
        }
        for (i, c) in self.cells.iter().enumerate() {
            let w = &mut widths[i % n];
            *w = (*w).max(c.width);
        }
        widths
    }

    /// Shrink the widest columns so the table fits `limit` columns of screen: every column
    /// keeps at least its header (or 8 columns), then the space left is shared out, so that
    /// narrow columns stay whole and only long text wraps.
    fn fit(&self, natural: Vec<usize>, limit: usize) -> Vec<usize> {
        const MIN: usize = 8;
        let n = natural.len();
        let overhead = self.style.overhead(n);
        if natural.iter().sum::<usize>() + overhead <= limit {
            return natural;
        }
        // Best: no header and no word (a number, a timestamp's date, a name) is cut,
        // only text wraps between words; then whole headers; then 8 columns each.
        let mut whole_words: Vec<usize> = self.names.iter().map(|h| widest_word(h)).collect();
        for (i, c) in self.cells.iter().enumerate() {
            let w = &mut whole_words[i % n];
            if c.width > *w {
                *w = (*w).max(widest_word(self.cell_text(c)));
            }
        }
        let whole_words: Vec<usize> = whole_words
            .iter()
            .zip(&natural)
            .map(|(&w, &nat)| nat.min(w.max(MIN)))
            .collect();
        let keep_headers: Vec<usize> = natural
            .iter()
            .zip(&self.names)
            .map(|(&w, name)| w.min(name.width().max(MIN)))
            .collect();
        let narrowest: Vec<usize> = natural.iter().map(|&w| w.min(MIN)).collect();
        let room = |w: &[usize]| limit.checked_sub(overhead + w.iter().sum::<usize>());
        let (mut widths, mut left) = if let Some(left) = room(&whole_words) {
            (whole_words, left)
        } else if let Some(left) = room(&keep_headers) {
            (keep_headers, left)
        } else if let Some(left) = room(&narrowest) {
            (narrowest, left)
        } else {
            // Cannot fit sensibly; the pager scrolls sideways.
            return natural;
        };
        // Max-min fair share: the columns that want least are satisfied first (whole
        // numbers and short headers), the long text columns split what remains.
        let mut wanting: Vec<usize> = (0..n).filter(|&i| widths[i] < natural[i]).collect();
        wanting.sort_by_key(|&i| natural[i] - widths[i]);
        let mut remaining = wanting.len();
        for i in wanting {
            let share = left / remaining.max(1);
            let add = share.min(natural[i] - widths[i]);
            widths[i] += add;
            left -= add;
            remaining -= 1;
        }
        widths
    }

    /// Write the held rows as vertical records (`\x auto` on a table too wide to fit).
    fn finish_vertical(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.names.len();
        let name_width = self.names.iter().map(|h| h.width()).max().unwrap_or(0);
        let mut line = String::new();
        for (k, row) in self.cells.chunks(n).enumerate() {
            super::vertical::push_record(
                &mut line,
                k as u64 + 1,
                &self.names,
                name_width,
                row.iter().map(|c| self.cell_text(c)),
            );
            if line.len() > 64 * 1024 {
                out.write_all(line.as_bytes())?;
                line.clear();
            }
        }
        out.write_all(line.as_bytes())?;
        self.cells.clear();
        self.text.clear();
        Ok(())
    }

    fn cell_text(&self, c: &Cell) -> &str {
        &self.text[c.start..c.end]
    }
}

impl FormatWriter for TableWriter {
    fn row(&mut self, row: &[Value<'_>], _out: &mut dyn Write) -> io::Result<()> {
        for (i, v) in row.iter().enumerate().take(self.names.len()) {
            self.scratch.clear();
            let null = !value_text(v, &mut self.scratch);
            if !null {
                let numeric = is_numeric(self.kinds[i], v);
                let seen = &mut self.numeric[i];
                *seen = Some(seen.unwrap_or(true) && numeric);
            }
            let shown: &str = if null { &self.null } else { &self.scratch };
            let start = self.text.len();
            if self.max_field > 0 && shown.len() > self.max_field {
                let cut: String = shown.chars().take(self.max_field).collect();
                sanitize::push_escaped(&mut self.text, &cut, true);
                self.text.push('…');
            } else {
                sanitize::push_escaped(&mut self.text, shown, true);
            }
            let stored = &self.text[start..];
            let multiline = stored.contains('\n');
            let width = if multiline {
                stored.lines().map(|l| l.width()).max().unwrap_or(0)
            } else {
                stored.width()
            };
            self.cells.push(Cell {
                start,
                end: self.text.len(),
                width,
                multiline,
            });
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.names.len();
        if n == 0 {
            return Ok(());
        }
        if let Some(limit) = self.width.filter(|_| self.auto_vertical) {
            if self.natural_width() > limit {
                return self.finish_vertical(out);
            }
        }
        let natural = self.column_widths();
        let widths = match self.width {
            Some(limit) => self.fit(natural, limit),
            None => natural,
        };
        let right: Vec<bool> = (0..n)
            .map(|i| {
                self.numeric[i]
                    .unwrap_or(matches!(self.kinds[i], crate::result::ColumnKind::Number))
            })
            .collect();
        let b = self.style.borders();
        let mut line = String::new();
        let rule = |line: &mut String, parts: [&str; 4]| {
            line.push_str(parts[0]);
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    line.push_str(parts[1]);
                }
                for _ in 0..*w {
                    line.push_str(parts[3]);
                }
            }
            line.push_str(parts[2]);
            line.push('\n');
        };
        if let Some(top) = b.top {
            rule(&mut line, top);
        }
        // Header: names are laid out like text cells (they may need wrapping too).
        let names: Vec<(String, usize)> =
            self.names.iter().map(|h| (h.clone(), h.width())).collect();
        write_row(
            &mut line,
            &b,
            &widths,
            &vec![false; n],
            names.iter().map(|(t, w)| (t.as_str(), *w, false)),
        );
        rule(&mut line, b.mid);
        out.write_all(line.as_bytes())?;
        line.clear();
        for row in self.cells.chunks(n) {
            write_row(
                &mut line,
                &b,
                &widths,
                &right,
                row.iter()
                    .map(|c| (self.cell_text(c), c.width, c.multiline)),
            );
            if line.len() > 64 * 1024 {
                out.write_all(line.as_bytes())?;
                line.clear();
            }
        }
        if let Some(bottom) = b.bottom {
            rule(&mut line, bottom);
        }
        out.write_all(line.as_bytes())?;
        self.cells.clear();
        self.text.clear();
        Ok(())
    }
}

/// Append one table row (possibly several screen lines) to `line`.
fn write_row<'a>(
    line: &mut String,
    b: &Borders,
    widths: &[usize],
    right: &[bool],
    cells: impl Iterator<Item = (&'a str, usize, bool)>,
) {
    let cells: Vec<(&str, usize, bool)> = cells.collect();
    // Fast path: every cell is one line that fits.
    if cells
        .iter()
        .zip(widths)
        .all(|((_, w, multi), max)| !multi && w <= max)
    {
        line.push_str(b.row[0]);
        for (i, ((text, w, _), max)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str(b.row[1]);
            }
            pad(line, text, *w, *max, right[i]);
        }
        trim_trailing(line, b.row[2]);
        line.push('\n');
        return;
    }
    let wrapped: Vec<Vec<(&str, usize)>> = cells
        .iter()
        .zip(widths)
        .map(|((text, _, _), max)| wrap(text, *max))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    for k in 0..height {
        line.push_str(b.row[0]);
        for (i, parts) in wrapped.iter().enumerate() {
            if i > 0 {
                line.push_str(b.row[1]);
            }
            let (text, w) = parts.get(k).copied().unwrap_or(("", 0));
            pad(line, text, w, widths[i], right[i]);
        }
        trim_trailing(line, b.row[2]);
        line.push('\n');
    }
}

/// The right border; borderless tables drop trailing blanks instead.
fn trim_trailing(line: &mut String, right: &str) {
    if right.is_empty() {
        let kept = line.trim_end_matches(' ').len();
        line.truncate(kept);
    } else {
        line.push_str(right);
    }
}

fn pad(line: &mut String, text: &str, w: usize, max: usize, right: bool) {
    let fill = max.saturating_sub(w);
    if right {
        line.extend(std::iter::repeat_n(' ', fill));
        line.push_str(text);
    } else {
        line.push_str(text);
        line.extend(std::iter::repeat_n(' ', fill));
    }
}

/// Split `text` into screen lines of at most `max` columns: at newlines, then between
/// words (the blanks at a break are dropped, so no line starts with one); a word wider
/// than the column is cut where it must be.
fn wrap(text: &str, max: usize) -> Vec<(&str, usize)> {
    let max = max.max(1);
    let mut out = Vec::new();
    for l in text.split('\n') {
        // The line being filled: byte span and width.
        let mut cur: Option<(usize, usize, usize)> = None;
        let mut pushed = false;
        for (ws, word) in words(l) {
            let ww = word.width();
            if let Some((s, e, w)) = cur.take() {
                let gap = l[e..ws].width();
                if w + gap + ww <= max {
                    cur = Some((s, ws + word.len(), w + gap + ww));
                    continue;
                }
                out.push((&l[s..e], w));
                pushed = true;
            }
            // Blanks the value starts with are kept (a break's blanks are not).
            let lead = if pushed { 0 } else { l[..ws].width() };
            if lead + ww <= max {
                let s = if pushed { ws } else { 0 };
                cur = Some((s, ws + word.len(), lead + ww));
                continue;
            }
            // Too wide for any line: cut it into column-wide pieces.
            let (mut s, mut w) = (ws, 0);
            for (i, c) in word.char_indices() {
                let cw = c.width().unwrap_or(0);
                if w + cw > max && w > 0 {
                    out.push((&l[s..ws + i], w));
                    pushed = true;
                    s = ws + i;
                    w = 0;
                }
                w += cw;
            }
            cur = Some((s, ws + word.len(), w));
        }
        match cur {
            Some((s, e, w)) => out.push((&l[s..e], w)),
            // An empty line (or blanks only) is still a line of the cell.
            None if !pushed => out.push((l.trim_end_matches(' '), l.trim_end_matches(' ').width())),
            None => {}
        }
    }
    out
}

/// The words of `line` (runs without blanks) with their byte offsets.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split(' ')
        .scan(0usize, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .filter(|(_, w)| !w.is_empty())
}

/// The widest word (run without blanks) of `text`: a column narrower than this cuts a
/// number, a date or a name in two.
fn widest_word(text: &str) -> usize {
    text.split(['\n', ' '])
        .map(|w| w.width())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::ColumnKind;

    fn render(
        cols: &[(&str, ColumnKind)],
        rows: &[Vec<Value<'_>>],
        width: Option<usize>,
    ) -> String {
        let columns: Vec<ColumnInfo> = cols
            .iter()
            .map(|(n, k)| ColumnInfo {
                name: n.to_string(),
                kind: *k,
            })
            .collect();
        let settings = RenderSettings {
            width,
            ..RenderSettings::default()
        };
        let mut w = TableWriter::new(&columns, &settings);
        let mut out = Vec::new();
        for r in rows {
            w.row(r, &mut out).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn aligns_numbers_right_and_text_left() {
        let got = render(
            &[("id", ColumnKind::Unknown), ("name", ColumnKind::Text)],
            &[
                vec![Value::Int(1), Value::Text("Alice")],
                vec![Value::Int(100), Value::Null],
            ],
            None,
        );
        assert_eq!(
            got,
            "+-----+--------+\n| id  | name   |\n+-----+--------+\n|   1 | Alice  |\n| 100 | <null> |\n+-----+--------+\n"
        );
    }

    #[test]
    fn wide_characters_align_by_display_width() {
        let got = render(
            &[("x", ColumnKind::Text)],
            &[
                vec![Value::Text("日本")],
                vec![Value::Text("🦀")],
                vec![Value::Text("abcd")],
            ],
            None,
        );
        let lines: Vec<&str> = got.lines().collect();
        let widths: Vec<usize> = lines.iter().map(|l| l.width()).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{got}");
    }

    #[test]
    fn newlines_stay_inside_the_cell() {
        let got = render(
            &[("a", ColumnKind::Text), ("b", ColumnKind::Text)],
            &[vec![Value::Text("one\ntwo"), Value::Text("x")]],
            None,
        );
        assert!(got.contains("| one | x |\n| two |   |\n"), "{got}");
    }

    #[test]
    fn snapshot_text_wraps_between_words_and_numbers_stay_whole() {
        let text = "The quick brown fox jumps over the lazy dog; pack my box with five dozen \
                    liquor jugs. Sphinx of black quartz, judge my vow.";
        let got = render(
            &[
                ("id", ColumnKind::Number),
                ("created_at", ColumnKind::Text),
                ("amount", ColumnKind::Number),
                ("description", ColumnKind::Text),
            ],
            &[
                vec![
                    Value::Int(1234567),
                    Value::Text("2024-03-01 12:34:56.789+00"),
                    Value::Text("123456789.50"),
                    Value::Text(text),
                ],
                vec![
                    Value::Int(2),
                    Value::Text("2024-03-02 00:00:00+00"),
                    Value::Text("7.25"),
                    Value::Text("short"),
                ],
            ],
            Some(80),
        );
        for l in got.lines() {
            assert!(l.width() <= 80, "{l:?}");
        }
        insta::assert_snapshot!(got);
    }

    #[test]
    fn snapshot_narrow_terminal_keeps_headers_and_numbers_whole() {
        let got = render(
            &[
                ("order_id", ColumnKind::Number),
                ("customer_name", ColumnKind::Text),
                ("notes", ColumnKind::Text),
            ],
            &[vec![
                Value::Int(100200300),
                Value::Text("Ada Lovelace-Byron"),
                Value::Text("deliver to the back door, ring twice"),
            ]],
            Some(50),
        );
        insta::assert_snapshot!(got);
    }

    #[test]
    fn wraps_to_the_terminal_width() {
        let long = "word ".repeat(40);
        let got = render(
            &[("id", ColumnKind::Number), ("body", ColumnKind::Text)],
            &[vec![Value::Int(1), Value::Text(&long)]],
            Some(40),
        );
        for l in got.lines() {
            assert!(l.width() <= 40, "{l:?} is wider than 40");
        }
        assert!(got.lines().count() > 6);
    }

    #[test]
    fn auto_expanded_goes_vertical_only_when_too_wide() {
        let columns = [
            ColumnInfo {
                name: "id".into(),
                kind: ColumnKind::Number,
            },
            ColumnInfo {
                name: "body".into(),
                kind: ColumnKind::Text,
            },
        ];
        let run = |width: usize, body: &str| {
            let settings = RenderSettings {
                width: Some(width),
                expanded_auto: true,
                ..RenderSettings::default()
            };
            let mut w = TableWriter::new(&columns, &settings);
            let mut out = Vec::new();
            w.row(&[Value::Int(1), Value::Text(body)], &mut out)
                .unwrap();
            w.finish(&mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            run(40, "short"),
            "+----+-------+\n| id | body  |\n+----+-------+\n|  1 | short |\n+----+-------+\n"
        );
        let wide = "x".repeat(60);
        assert_eq!(
            run(40, &wide),
            format!("-[ RECORD 1 ]-\nid   | 1\nbody | {wide}\n")
        );
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        let lines: Vec<&str> = wrap("the quick brown fox jumps", 10)
            .iter()
            .map(|l| l.0)
            .collect();
        assert_eq!(lines, ["the quick", "brown fox", "jumps"]);
        // A word that fills the line: no blank line after it, no blank starting the next.
        let lines: Vec<&str> = wrap("abcde fgh", 5).iter().map(|l| l.0).collect();
        assert_eq!(lines, ["abcde", "fgh"]);
        let lines: Vec<&str> = wrap("ab  cd", 3).iter().map(|l| l.0).collect();
        assert_eq!(lines, ["ab", "cd"]);
        assert_eq!(wrap("  x", 5)[0].0, "  x");
        assert_eq!(wrap("a\n\nb", 5).len(), 3);
        // A word longer than the column is cut.
        let lines: Vec<&str> = wrap("abcdefghijkl xy", 5).iter().map(|l| l.0).collect();
        assert_eq!(lines, ["abcde", "fghij", "kl xy"]);
        for (text, w) in wrap("日本語のテキスト です", 6) {
            assert!(w <= 6 && text.width() == w, "{text:?} {w}");
        }
    }

    #[test]
    fn escapes_control_characters_in_cells() {
        let got = render(
            &[("x", ColumnKind::Text)],
            &[vec![Value::Text("\u{1b}[2Jboom")]],
            None,
        );
        assert!(got.contains("\\x1b[2Jboom"));
        assert!(!got.contains('\u{1b}'));
    }
}
