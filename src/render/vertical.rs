//! The vertical (expanded) format: one record per block, as psql's `\x` and mysql's `\G`.
//! Streams: each record is written as it arrives.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{sanitize, value_text, FormatWriter, RenderSettings};
use crate::db::{ColumnInfo, Value};

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
        let line = &mut self.line;
        line.clear();
        let head = format!("-[ RECORD {} ]", self.record);
        line.push_str(&head);
        let rule = (self.name_width + 3).saturating_sub(head.len()).max(1);
        line.extend(std::iter::repeat_n('-', rule));
        line.push('\n');
        for (name, v) in self.names.iter().zip(row) {
            self.scratch.clear();
            if !value_text(v, &mut self.scratch) {
                self.scratch.push_str(&self.null);
            }
            if self.max_field > 0 && self.scratch.len() > self.max_field {
                let cut: String = self.scratch.chars().take(self.max_field).collect();
                self.scratch = cut + "…";
            }
            let text = sanitize::escape_controls(&self.scratch, true);
            for (k, part) in text.split('\n').enumerate() {
                if k == 0 {
                    line.push_str(name);
                    line.extend(std::iter::repeat_n(' ', self.name_width - name.width()));
                } else {
                    line.extend(std::iter::repeat_n(' ', self.name_width));
                }
                line.push_str(" | ");
                line.push_str(part);
                line.push('\n');
            }
        }
        out.write_all(line.as_bytes())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ColumnKind;

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
