//! psql's unaligned format (`-A`, `\pset format unaligned`): a header line, then each row's
//! values joined by `|` with no quoting or padding; NULL is the `\pset null` text (empty by
//! default). The `(N rows)` footer is the renderer's, not this writer's.

use std::io::{self, Write};

use super::{sanitize, value_text, FormatWriter, RenderSettings};
use crate::result::{ColumnInfo, Value};

pub struct UnalignedWriter {
    terminal: bool,
    null: String,
    scratch: String,
    line: String,
}

impl UnalignedWriter {
    pub fn new(
        columns: &[ColumnInfo],
        s: &RenderSettings,
        out: &mut dyn Write,
    ) -> io::Result<UnalignedWriter> {
        let mut w = UnalignedWriter {
            terminal: s.terminal,
            null: s.csv_null.clone().unwrap_or_default(),
            scratch: String::new(),
            line: String::new(),
        };
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        for (i, name) in names.iter().enumerate() {
            w.field(i, name);
        }
        w.line.push('\n');
        out.write_all(w.line.as_bytes())?;
        w.line.clear();
        Ok(w)
    }

    fn field(&mut self, i: usize, s: &str) {
        if i > 0 {
            self.line.push('|');
        }
        if self.terminal {
            self.line.push_str(&sanitize::escape_controls(s, true));
        } else {
            self.line.push_str(s);
        }
    }
}

impl FormatWriter for UnalignedWriter {
    fn row(&mut self, row: &[Value<'_>], out: &mut dyn Write) -> io::Result<()> {
        for (i, v) in row.iter().enumerate() {
            self.scratch.clear();
            let text = if value_text(v, &mut self.scratch) {
                std::mem::take(&mut self.scratch)
            } else {
                self.null.clone()
            };
            self.field(i, &text);
            self.scratch = text;
        }
        self.line.push('\n');
        out.write_all(self.line.as_bytes())?;
        self.line.clear();
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
