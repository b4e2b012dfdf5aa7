//! The vertical (expanded) format: one record per block, as psql's `\x` and mysql's `\G`.
//! Streams: each record is written as it arrives.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{sanitize, value_text, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, Value};

pub struct VerticalWriter {
    names: Vec<String>,
    name_width: usize,
    record: u64,
    null: String,
    max_field: usize,
    scratch: String,
    line: String,
}

impl VerticalWriter {
    pub fn new(columns: &[ColumnInfo], s: &RenderSettings) -> VerticalWriter {
        let names: Vec<String> = columns
            .iter()
            .map(|c| sanitize::escape_controls(&c.name, false).into_owned())
            .collect();
        VerticalWriter {
            name_width: names.iter().map(|n| n.width()).max().unwrap_or(0),
            names,
            record: 0,
            null: s.null.clone(),
            max_field: if s.terminal { s.max_field_width } else { 0 },
            scratch: String::new(),
            line: String::new(),
        }
    }
}

impl FormatWriter for VerticalWriter {
    fn row(&mut self, row: &[Value<'_>], out: &mut dyn Write) -> io::Result<()> {
        self.record += 1;
        let mut cells: Vec<String> = Vec::with_capacity(row.len());
        for v in row {
            self.scratch.clear();
            if !value_text(v, &mut self.scratch) {
                self.scratch.push_str(&self.null);
            }
            if self.max_field > 0 && self.scratch.len() > self.max_field {
                let cut: String = self.scratch.chars().take(self.max_field).collect();
                self.scratch = cut + "…";
            }
            cells.push(sanitize::escape_controls(&self.scratch, true).into_owned());
        }
        self.line.clear();
        push_record(
            &mut self.line,
            self.record,
            &self.names,
            self.name_width,
            cells.iter().map(String::as_str),
        );
        out.write_all(self.line.as_bytes())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Append one record block to `line`; `cells` are already escaped (newlines kept), and
/// `names` padded to `name_width`. Shared with the table format's `\x auto` fallback.
pub(super) fn push_record<'a>(
    line: &mut String,
    record: u64,
    names: &[String],
    name_width: usize,
    cells: impl Iterator<Item = &'a str>,
) {
    let head = format!("-[ RECORD {record} ]");
    line.push_str(&head);
    let rule = (name_width + 3).saturating_sub(head.len()).max(1);
    line.extend(std::iter::repeat_n('-', rule));
    line.push('\n');
    for (name, text) in names.iter().zip(cells) {
        for (k, part) in text.split('\n').enumerate() {
            if k == 0 {
                line.push_str(name);
                line.extend(std::iter::repeat_n(
                    ' ',
                    name_width.saturating_sub(name.width()),
                ));
            } else {
                line.extend(std::iter::repeat_n(' ', name_width));
            }
            line.push_str(" | ");
            line.push_str(part);
            line.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::ColumnKind;

    #[test]
    fn one_block_per_record() {
        let cols = [
            ColumnInfo {
                name: "id".into(),
                kind: ColumnKind::Number,
            },
            ColumnInfo {
                name: "name".into(),
                kind: ColumnKind::Text,
            },
        ];
        let mut w = VerticalWriter::new(&cols, &RenderSettings::default());
        let mut out = Vec::new();
        w.row(&[Value::Int(1), Value::Text("a\nb")], &mut out)
            .unwrap();
        w.row(&[Value::Int(2), Value::Null], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "-[ RECORD 1 ]-\nid   | 1\nname | a\n     | b\n-[ RECORD 2 ]-\nid   | 2\nname | <null>\n"
        );
    }
}
