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
    /// Expanded form: `name,value` lines instead of a header and rows.
    names: Option<Vec<String>>,
    null: Option<String>,
    sqlite_floats: bool,
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
            names: s
                .expanded
                .then(|| columns.iter().map(|c| c.name.clone()).collect()),
            null: s.csv_null.clone(),
            sqlite_floats: s.sqlite_floats,
        };
        if w.names.is_some() {
            return Ok(w);
        }
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
            if let Some(names) = self.names.take() {
                if let Some(name) = names.get(i) {
                    self.field(name);
                }
                self.line.push(self.sep);
                self.names = Some(names);
            } else if i > 0 {
                self.line.push(self.sep);
            }
            self.scratch.clear();
            if let (Value::Float(f), true) = (v, self.sqlite_floats) {
                self.line.extend_from_slice(sqlite_float(*f).as_bytes());
            } else if value_text(v, &mut self.scratch) {
                let text = std::mem::take(&mut self.scratch);
                self.field(&text);
                self.scratch = text;
            } else if let Some(null) = self.null.clone() {
                self.field(&null);
            } else if self.sep == b'\t' {
                self.line.extend_from_slice(b"\\N");
            }
            if self.names.is_some() && i + 1 < row.len() {
                self.line.push(b'\n');
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

/// A REAL as the sqlite3 shell prints it: printf's `%!.15g` (15 significant digits, always a
/// decimal point, exponent as `e+20`), `Inf`/`-Inf`.
pub fn sqlite_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    if f.is_nan() {
        return String::new();
    }
    if f == 0.0 {
        return "0.0".into();
    }
    let sci = format!("{:.14e}", f); // d.dddddddddddddde±x
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        let t = s.trim_end_matches('0');
        if t.ends_with('.') {
            format!("{t}0")
        } else {
            t.to_string()
        }
    };
    if !(-4..15).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exp.abs())
    } else {
        let decimals = (14 - exp).max(0) as usize;
        let fixed = format!("{f:.decimals$}");
        if fixed.contains('.') {
            trim(&fixed)
        } else {
            format!("{fixed}.0")
        }
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
    fn expanded_csv_is_name_value_lines_and_null_text_applies() {
        let cols = [
            ColumnInfo {
                name: "a".into(),
                kind: ColumnKind::Text,
            },
            ColumnInfo {
                name: "b".into(),
                kind: ColumnKind::Text,
            },
        ];
        let settings = RenderSettings {
            expanded: true,
            csv_null: Some("NUL".into()),
            ..RenderSettings::default()
        };
        let mut out = Vec::new();
        let mut w = CsvWriter::new(&cols, &settings, b',', &mut out).unwrap();
        w.row(&[Value::Int(1), Value::Null], &mut out).unwrap();
        w.row(&[Value::Text("x,y"), Value::Text("z")], &mut out)
            .unwrap();
        w.finish(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,1\nb,NUL\na,\"x,y\"\nb,z\n"
        );
    }

    #[test]
    fn reals_print_as_the_sqlite3_shell_prints_them() {
        let cases = [
            (std::f64::consts::PI, "3.14159265358979"),
            (0.1 + 0.2, "0.3"),
            (1e-5, "1.0e-05"),
            (123456789012345678.0, "1.23456789012346e+17"),
            (2.0, "2.0"),
            (-0.0, "0.0"),
            (f64::INFINITY, "Inf"),
            (1.5e-7, "1.5e-07"),
            (1e20, "1.0e+20"),
            (100.0, "100.0"),
            (-2.5, "-2.5"),
            (0.001, "0.001"),
        ];
        for (f, want) in cases {
            assert_eq!(sqlite_float(f), want, "{f}");
        }
    }

    #[test]
    fn tsv_escapes_and_null() {
        let got = run(b'\t', &[vec![Value::Text("a\tb\\c\nd"), Value::Null]]);
        assert_eq!(got, "a\tb,c\na\\tb\\\\c\\nd\t\\N\n");
    }
}
