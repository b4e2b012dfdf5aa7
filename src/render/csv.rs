//! CSV (RFC 4180 quoting) and TSV (tab-separated, backslash escapes, `\N` for NULL, as
//! PostgreSQL's COPY text format). Streams row by row.

use std::io::{self, Write};

use super::{sanitize, value_text, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, Value};

pub struct CsvWriter {
    sep: u8,
    /// Escape control characters: only when a terminal is the destination.
    terminal: bool,
    scratch: String,
    line: Vec<u8>,
}

impl CsvWriter {
    pub fn new(
        columns: &[ColumnInfo],
        s: &RenderSettings,
        sep: u8,
        out: &mut dyn Write,
    ) -> io::Result<CsvWriter> {
        let mut w = CsvWriter {
            sep,
            terminal: s.terminal,
            scratch: String::new(),
            line: Vec::with_capacity(256),
        };
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                w.line.push(sep);
            }
            w.field(&c.name);
        }
        w.line.push(b'\n');
        out.write_all(&w.line)?;
        w.line.clear();
        Ok(w)
    }

    fn field(&mut self, s: &str) {
        let s = if self.terminal {
            sanitize::escape_controls(s, true)
        } else {
            std::borrow::Cow::Borrowed(s)
        };
        if self.sep == b'\t' {
            for &b in s.as_bytes() {
                match b {
                    b'\t' => self.line.extend_from_slice(b"\\t"),
                    b'\n' => self.line.extend_from_slice(b"\\n"),
                    b'\r' => self.line.extend_from_slice(b"\\r"),
                    b'\\' => self.line.extend_from_slice(b"\\\\"),
                    _ => self.line.push(b),
                }
            }
            return;
        }
        // An empty string is quoted so that it differs from NULL (an empty field).
        let quote = s.is_empty()
            || s.bytes()
                .any(|b| b == self.sep || b == b'"' || b == b'\n' || b == b'\r');
        if !quote {
            self.line.extend_from_slice(s.as_bytes());
            return;
        }
        self.line.push(b'"');
        for &b in s.as_bytes() {
            if b == b'"' {
                self.line.push(b'"');
            }
            self.line.push(b);
        }
        self.line.push(b'"');
    }
}

impl FormatWriter for CsvWriter {
    fn row(&mut self, row: &[Value<'_>], out: &mut dyn Write) -> io::Result<()> {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.line.push(self.sep);
            }
            self.scratch.clear();
            if value_text(v, &mut self.scratch) {
                let text = std::mem::take(&mut self.scratch);
                self.field(&text);
                self.scratch = text;
            } else if self.sep == b'\t' {
                self.line.extend_from_slice(b"\\N");
            }
        }
        self.line.push(b'\n');
        if self.line.len() >= 32 * 1024 {
            out.write_all(&self.line)?;
            self.line.clear();
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.line)?;
        self.line.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::ColumnKind;

    fn run(sep: u8, rows: &[Vec<Value<'_>>]) -> String {
        let cols = [
            ColumnInfo {
                name: "a".into(),
                kind: ColumnKind::Text,
            },
            ColumnInfo {
                name: "b,c".into(),
                kind: ColumnKind::Text,
            },
        ];
        let mut out = Vec::new();
        let mut w = CsvWriter::new(&cols, &RenderSettings::default(), sep, &mut out).unwrap();
        for r in rows {
            w.row(r, &mut out).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rfc4180_quoting() {
        let got = run(
            b',',
            &[
                vec![Value::Text("plain"), Value::Text("has,comma")],
                vec![Value::Text("say \"hi\""), Value::Text("two\nlines")],
                vec![Value::Null, Value::Int(3)],
                vec![Value::Text(""), Value::Null],
            ],
        );
        assert_eq!(
            got,
            "a,\"b,c\"\nplain,\"has,comma\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n,3\n\"\",\n"
        );
    }

    #[test]
    fn tsv_escapes_and_null() {
        let got = run(b'\t', &[vec![Value::Text("a\tb\\c\nd"), Value::Null]]);
        assert_eq!(got, "a\tb,c\na\\tb\\\\c\\nd\t\\N\n");
    }
}
