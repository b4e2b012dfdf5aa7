//! GitHub-flavoured Markdown tables: `|` escaped, newlines as `<br>`, numbers right-aligned,
//! NULL as an empty cell (or the `\pset null` text); no row-count footer (see `footer`).

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{is_numeric, sanitize, value_text, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, ColumnKind, Value};

pub struct MarkdownWriter {
    names: Vec<String>,
    kinds: Vec<ColumnKind>,
    numeric: Vec<Option<bool>>,
    rows: Vec<Vec<String>>,
    null: String,
}

impl MarkdownWriter {
    pub fn new(columns: &[ColumnInfo], s: &RenderSettings) -> MarkdownWriter {
        MarkdownWriter {
            names: columns.iter().map(|c| escape(&c.name)).collect(),
            kinds: columns.iter().map(|c| c.kind).collect(),
            numeric: vec![None; columns.len()],
            rows: Vec::new(),
            // An empty cell, unless `\pset null` chose a text.
            null: if s.null == RenderSettings::default().null {
                String::new()
            } else {
                escape(&s.null)
            },
        }
    }
}

fn escape(s: &str) -> String {
    let s = sanitize::escape_controls(s, true);
    s.replace('|', "\\|").replace('\n', "<br>")
}

impl FormatWriter for MarkdownWriter {
    fn row(&mut self, row: &[Value<'_>], _out: &mut dyn Write) -> io::Result<()> {
        let mut cells = Vec::with_capacity(row.len());
        let mut buf = String::new();
        for (i, v) in row.iter().enumerate() {
            buf.clear();
            if value_text(v, &mut buf) {
                if let Some(seen) = self.numeric.get_mut(i) {
                    let kind = self.kinds.get(i).copied().unwrap_or(ColumnKind::Unknown);
                    *seen = Some(seen.unwrap_or(true) && is_numeric(kind, v));
                }
                cells.push(escape(&buf));
            } else {
                cells.push(self.null.clone());
            }
        }
        self.rows.push(cells);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.names.len();
        let mut widths: Vec<usize> = self.names.iter().map(|h| h.width().max(3)).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.width());
            }
        }
        let right: Vec<bool> = (0..n)
            .map(|i| self.numeric[i].unwrap_or(self.kinds[i] == ColumnKind::Number))
            .collect();
        let mut s = String::new();
        let line = |s: &mut String, cells: &[String], align: bool| {
            s.push('|');
            for (i, c) in cells.iter().enumerate().take(n) {
                let fill = widths[i].saturating_sub(c.width());
                s.push(' ');
                if align && right[i] {
                    s.extend(std::iter::repeat_n(' ', fill));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.extend(std::iter::repeat_n(' ', fill));
                }
                s.push_str(" |");
            }
            s.push('\n');
        };
        line(&mut s, &self.names, false);
        s.push('|');
        for i in 0..n {
            s.push(' ');
            s.extend(std::iter::repeat_n('-', widths[i] - usize::from(right[i])));
            if right[i] {
                s.push(':');
            }
            s.push_str(" |");
        }
        s.push('\n');
        for r in &self.rows {
            line(&mut s, r, true);
        }
        self.rows.clear();
        out.write_all(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gfm_table() {
        let cols = [
            ColumnInfo {
                name: "id".into(),
                kind: ColumnKind::Number,
            },
            ColumnInfo {
                name: "note".into(),
                kind: ColumnKind::Text,
            },
        ];
        let mut w = MarkdownWriter::new(&cols, &RenderSettings::default());
        let mut out = Vec::new();
        w.row(&[Value::Int(7), Value::Text("a|b\nc")], &mut out)
            .unwrap();
        w.row(&[Value::Int(8), Value::Null], &mut out).unwrap();
        w.finish(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "| id  | note      |\n| --: | --------- |\n|   7 | a\\|b<br>c |\n|   8 |           |\n"
        );
        let s = RenderSettings {
            null: "∅".into(),
            ..RenderSettings::default()
        };
        let mut w = MarkdownWriter::new(&cols, &s);
        let mut out = Vec::new();
        w.row(&[Value::Int(8), Value::Null], &mut out).unwrap();
        w.finish(&mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("| ∅ "));
    }
}
