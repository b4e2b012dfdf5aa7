//! JSON (one array of objects per result set, one object per line inside it) and JSON Lines.
//! Numbers are JSON numbers, NULL is `null`, booleans are booleans; values JSON can't hold
//! exactly (NaN, binary) become strings. Streams row by row.

use std::io::{self, Write};

use super::{push_float, push_hex, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, ColumnKind, Value};

pub struct JsonWriter {
    /// Column names already encoded as JSON strings, with the colon.
    keys: Vec<String>,
    kinds: Vec<ColumnKind>,
    lines: bool,
    rows: u64,
    buf: String,
}

impl JsonWriter {
    pub fn new(
        columns: &[ColumnInfo],
        _s: &RenderSettings,
        lines: bool,
        out: &mut dyn Write,
    ) -> io::Result<JsonWriter> {
        let keys = columns
            .iter()
            .map(|c| {
                let mut k = String::new();
                push_json_string(&mut k, &c.name);
                k.push(':');
                k
            })
            .collect();
        if !lines {
            out.write_all(b"[")?;
        }
        Ok(JsonWriter {
            keys,
            kinds: columns.iter().map(|c| c.kind).collect(),
            lines,
            rows: 0,
            buf: String::with_capacity(256),
        })
    }
}

impl FormatWriter for JsonWriter {
    fn row(&mut self, row: &[Value<'_>], out: &mut dyn Write) -> io::Result<()> {
        if !self.lines {
            self.buf.push_str(if self.rows == 0 { "\n" } else { ",\n" });
        }
        self.buf.push('{');
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            if let Some(k) = self.keys.get(i) {
                self.buf.push_str(k);
            }
            let kind = self.kinds.get(i).copied().unwrap_or(ColumnKind::Unknown);
            push_json_value(&mut self.buf, v, kind);
        }
        self.buf.push('}');
        if self.lines {
            self.buf.push('\n');
        }
        self.rows += 1;
        if self.buf.len() >= 32 * 1024 {
            out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.lines {
            self.buf
                .push_str(if self.rows == 0 { "]\n" } else { "\n]\n" });
        }
        out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }
}

fn push_json_value(buf: &mut String, v: &Value<'_>, kind: ColumnKind) {
    match v {
        Value::Null => buf.push_str("null"),
        Value::Int(n) => buf.push_str(&n.to_string()),
        Value::UInt(n) => buf.push_str(&n.to_string()),
        Value::Float(f) if f.is_finite() => push_float(buf, *f),
        Value::Float(f) => push_json_string(buf, &f.to_string()),
        Value::Bool(b) => buf.push_str(if *b { "true" } else { "false" }),
        Value::Bytes(b) => {
            let mut hex = String::new();
            push_hex(&mut hex, b);
            push_json_string(buf, &hex);
        }
        Value::Text(s) => match kind {
            ColumnKind::Number if is_json_number(s) => buf.push_str(s),
            ColumnKind::Bool if matches!(*s, "t" | "true" | "1") => buf.push_str("true"),
            ColumnKind::Bool if matches!(*s, "f" | "false" | "0") => buf.push_str("false"),
            // The server's JSON text, embedded only once checked to be JSON.
            ColumnKind::Json if is_json(s) => push_checked_json(buf, s),
            _ => push_json_string(buf, s),
        },
    }
}

/// Whether `s` is one complete JSON value (a server's JSON column is trusted only this far).
fn is_json(s: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok()
}

/// Append text already known to be JSON, with the characters JSON allows raw inside strings
/// but a terminal would act on (DEL, C1 controls, bidi overrides) escaped. Outside strings
/// such characters cannot occur in valid JSON, so escaping them keeps it valid.
fn push_checked_json(buf: &mut String, s: &str) {
    for c in s.chars() {
        if c == '\u{7f}'
            || ('\u{80}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
        {
            buf.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            buf.push(c);
        }
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
pub fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if c.is_ascii_digit() => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+') | Some(b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

pub fn push_json_string(buf: &mut String, s: &str) {
    buf.push('"');
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) => {
                buf.push_str(&format!("\\u{:04x}", c as u32));
            }
            // Bidi controls are legal JSON but would reorder a terminal's text.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                buf.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: bool, rows: &[Vec<Value<'_>>]) -> String {
        let cols = [
            ColumnInfo {
                name: "n".into(),
                kind: ColumnKind::Number,
            },
            ColumnInfo {
                name: "t\"x".into(),
                kind: ColumnKind::Text,
            },
        ];
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&cols, &RenderSettings::default(), lines, &mut out).unwrap();
        for r in rows {
            w.row(r, &mut out).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_nulls_and_strings() {
        let got = run(
            false,
            &[
                vec![Value::Text("12.50"), Value::Text("a\u{1b}b")],
                vec![Value::Text("NaN"), Value::Null],
                vec![Value::Float(1.5), Value::Int(-3)],
            ],
        );
        assert_eq!(
            got,
            "[\n{\"n\":12.50,\"t\\\"x\":\"a\\u001bb\"},\n{\"n\":\"NaN\",\"t\\\"x\":null},\n{\"n\":1.5,\"t\\\"x\":-3}\n]\n"
        );
        assert_eq!(run(false, &[]), "[]\n");
    }

    #[test]
    fn json_lines() {
        let got = run(true, &[vec![Value::Int(1), Value::Bool(true)]]);
        assert_eq!(got, "{\"n\":1,\"t\\\"x\":true}\n");
    }

    fn one(kind: ColumnKind, v: Value<'_>) -> String {
        let cols = [ColumnInfo {
            name: "v".into(),
            kind,
        }];
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&cols, &RenderSettings::default(), true, &mut out).unwrap();
        w.row(&[v], &mut out).unwrap();
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hostile_values_stay_valid_inert_json() {
        let hostile = [
            "hello",
            "\u{1b}[2J",
            "{\"a\": \"\u{1b}]0;x\u{7}\"}",
            "[1, 2",
            "\"a\u{202e}b\"",
            "{\"k\": \"\u{9b}31m\u{7f}\"}",
            "\"\\u001b\"",
            "",
            " ",
            "1 2",
            "{\"a\":1}garbage",
            "\u{0}",
            "NaN",
        ];
        for kind in [
            ColumnKind::Json,
            ColumnKind::Text,
            ColumnKind::Unknown,
            ColumnKind::Number,
            ColumnKind::Bool,
        ] {
            for h in hostile {
                let line = one(kind, Value::Text(h));
                let parsed: serde_json::Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("{kind:?} {h:?} -> {line:?}: {e}"));
                assert!(parsed.get("v").is_some(), "{line}");
                assert!(
                    !line
                        .chars()
                        .any(|c| c.is_control() && c != '\n'
                            || ('\u{202a}'..='\u{202e}').contains(&c)),
                    "{kind:?} {h:?} -> {line:?}"
                );
            }
        }
        // Not JSON: a string, never pasted raw.
        assert_eq!(
            one(ColumnKind::Json, Value::Text("hello")),
            "{\"v\":\"hello\"}\n"
        );
        // Server JSON is embedded as it is, with terminal-active characters escaped.
        assert_eq!(
            one(ColumnKind::Json, Value::Text("{\"a\": [1, \"x\u{9b}\"]}")),
            "{\"v\":{\"a\": [1, \"x\\u009b\"]}}\n"
        );
    }

    #[test]
    fn number_grammar() {
        for ok in ["0", "-1", "1.5", "1e10", "1.5E-3", "12.50"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "NaN", "Infinity", "1e", "+1", "0x10",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
