//! Turning result sets into text: tables, vertical records, CSV/TSV, JSON/JSONL, Markdown.
//!
//! `Output` is the `ResultSink` the session hands to a connection. Streaming formats (CSV,
//! TSV, JSON, JSONL, vertical) write each row as it arrives, so they run in bounded memory;
//! the table and Markdown formats hold one result set to size its columns. Nothing here
//! knows which backend produced the rows.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod pager;
pub mod progress;
pub mod sanitize;
pub mod spinner;
pub mod table;
pub mod unaligned;
pub mod vertical;

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use crate::result::{ColumnInfo, ColumnKind, CommandOutcome, Notice, ResultSink, SinkError, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Vertical,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Markdown,
    // psql's -A: '|'-separated, header line, (N rows) footer.
    Unaligned,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Vertical,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
        Format::Unaligned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Vertical => "vertical",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "markdown",
            Format::Unaligned => "unaligned",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Formats meant for people get row counts, command tags and timing on stdout;
    /// the others carry only data so that parsers can read them.
    pub fn is_human(self) -> bool {
        matches!(
            self,
            Format::Table | Format::Vertical | Format::Markdown | Format::Unaligned
        )
    }
}

/// How results are shown; the session owns one and `\x`, `\T`, `\pset` change it.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    pub format: Format,
    /// `\x auto`: vertical when the table would be wider than the terminal.
    pub expanded_auto: bool,
    pub null: String,
    pub timing: bool,
    pub style: table::Style,
    /// Terminal width, when writing to a terminal: tables wrap wide cells to fit it.
    pub width: Option<usize>,
    /// Cut table/vertical cells longer than this many characters (0: never); only
    /// applied when writing to a terminal, so scripts get every byte.
    pub max_field_width: usize,
    /// Whether the destination is a terminal (escape control characters in every format).
    pub terminal: bool,
    /// `\x` under CSV/TSV: each field on a line of its own, `name,value` (as psql).
    pub expanded: bool,
    /// `\pset null` for CSV/TSV, once the user set it (before: empty, and `\N` in TSV).
    pub csv_null: Option<String>,
    /// CSV/TSV floats as the sqlite3 shell writes them (15 significant digits, `1.0e+20`),
    /// so dbsh can stand in for `sqlite3 -csv` in a pipeline.
    pub sqlite_floats: bool,
    /// `-q`: no command tags (`CREATE TABLE`, `INSERT 0 1`), as psql -q.
    pub quiet: bool,
}

impl Default for RenderSettings {
    fn default() -> Self {
        RenderSettings {
            format: Format::Table,
            expanded_auto: false,
            null: "<null>".into(),
            timing: false,
            style: table::Style::Ascii,
            width: None,
            max_field_width: 500,
            terminal: false,
            expanded: false,
            csv_null: None,
            sqlite_floats: false,
            quiet: false,
        }
    }
}

/// Asked once when a human-format result passes the row limit.
pub type RowGuard = Box<dyn FnMut(u64) -> MoreRows>;

/// The answer to "show more than the limit?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoreRows {
    All,
    /// Show what came so far, marked "(stopped)".
    Stop,
    /// Cancelled: show nothing more of this result, not even what is held back.
    Nothing,
}

/// A format's writer for one result set.
trait FormatWriter {
    fn row(&mut self, row: &[Value<'_>], out: &mut dyn Write) -> io::Result<()>;
    /// The result set is complete (or was stopped); write what is held.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// The `ResultSink` that renders into a writer (stdout, a `\o` file, the pager).
pub struct Output<'w> {
    out: &'w mut dyn Write,
    settings: RenderSettings,
    /// A one-off override for this submission (`\G`).
    vertical_once: bool,
    writer: Option<Box<dyn FormatWriter>>,
    rows: u64,
    row_limit: u64,
    guard: Option<RowGuard>,
    stopped: bool,
    started: Instant,
    result_sets: usize,
    /// The current result set's warning count (MySQL), shown after its row count.
    warnings: u32,
    /// Row counts, tags and timing after each result (off for `\d`'s column list).
    footers: bool,
}

impl<'w> Output<'w> {
    pub fn new(out: &'w mut dyn Write, settings: RenderSettings) -> Output<'w> {
        Output {
            out,
            settings,
            vertical_once: false,
            writer: None,
            rows: 0,
            row_limit: 0,
            guard: None,
            stopped: false,
            started: Instant::now(),
            result_sets: 0,
            warnings: 0,
            footers: true,
        }
    }

    /// Show this submission's results vertically (a trailing `\G`).
    pub fn vertical(mut self, on: bool) -> Self {
        self.vertical_once = on;
        self
    }

    /// Leave out row counts, tags and timing (tables that are part of a larger report).
    pub fn footers(mut self, on: bool) -> Self {
        self.footers = on;
        self
    }

    /// Ask `guard` before showing more than `limit` rows in a human format.
    pub fn row_guard(mut self, limit: u64, guard: RowGuard) -> Self {
        self.row_limit = limit;
        self.guard = Some(guard);
        self
    }

    /// Restart the clock (each statement's time is measured from here).
    pub fn start_timer(&mut self) {
        self.started = Instant::now();
    }

    fn format(&self) -> Format {
        if self.vertical_once {
            Format::Vertical
        } else {
            self.settings.format
        }
    }

    fn elapsed(&mut self) -> Duration {
        let now = Instant::now();
        let d = now - self.started;
        self.started = now;
        d
    }

    fn footer(&mut self, text: &str) -> io::Result<()> {
        let elapsed = self.elapsed();
        // Markdown goes into documents: the table alone, no "N rows" after it.
        if self.format().is_human() && self.format() != Format::Markdown && self.footers {
            if self.settings.timing {
                writeln!(self.out, "{text} ({})", format_duration(elapsed))?;
            } else {
                writeln!(self.out, "{text}")?;
            }
        }
        Ok(())
    }

    /// Write out whatever a stopped or failed statement left buffered.
    pub fn flush_partial(&mut self) -> io::Result<()> {
        let Some(mut w) = self.writer.take() else {
            return self.out.flush();
        };
        // A statement cancelled before its first row leaves nothing worth a frame.
        if self.rows > 0 || self.stopped {
            w.finish(self.out)?;
            let rows = self.rows;
            let note = if self.stopped {
                format!("{} (stopped)", row_count(rows))
            } else {
                format!("{} (incomplete)", row_count(rows))
            };
            self.footer(&note)?;
        }
        self.out.flush()
    }

    pub fn result_sets(&self) -> usize {
        self.result_sets
    }
}

impl ResultSink for Output<'_> {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        if let Some(mut w) = self.writer.take() {
            w.finish(self.out)?;
        }
        self.rows = 0;
        self.warnings = 0;
        self.result_sets += 1;
        let s = &self.settings;
        let writer: Box<dyn FormatWriter> = match self.format() {
            Format::Table => Box::new(table::TableWriter::new(columns, s)),
            Format::Vertical => Box::new(vertical::VerticalWriter::new(columns, s)),
            Format::Csv => Box::new(csv::CsvWriter::new(columns, s, b',', self.out)?),
            Format::Tsv => Box::new(csv::CsvWriter::new(columns, s, b'\t', self.out)?),
            Format::Json => Box::new(json::JsonWriter::new(columns, s, false, self.out)?),
            Format::Jsonl => Box::new(json::JsonWriter::new(columns, s, true, self.out)?),
            Format::Markdown => Box::new(markdown::MarkdownWriter::new(columns, s)),
            Format::Unaligned => Box::new(unaligned::UnalignedWriter::new(columns, s, self.out)?),
        };
        self.writer = Some(writer);
        Ok(())
    }

    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        if self.row_limit > 0 && self.rows == self.row_limit && self.format().is_human() {
            if let Some(guard) = self.guard.as_mut() {
                let asked = Instant::now();
                let answer = guard(self.rows);
                // The reported time is the server's, not the person's thinking time.
                self.started += asked.elapsed();
                self.guard = None; // ask once per submission
                if answer != MoreRows::All {
                    self.stopped = true;
                    if answer == MoreRows::Nothing {
                        self.writer = None;
                    }
                    return Err(SinkError::Stopped);
                }
            }
        }
        if let Some(w) = self.writer.as_mut() {
            w.row(row, self.out)?;
        }
        self.rows += 1;
        Ok(())
    }

    fn rows_done(&mut self, count: u64) -> Result<(), SinkError> {
        if let Some(mut w) = self.writer.take() {
            w.finish(self.out)?;
        }
        let mut text = row_count(count);
        if self.warnings > 0 {
            text.push_str(&crate::result::warning_count(self.warnings));
        }
        if self.format() == Format::Unaligned {
            // psql's footer in this format: `(2 rows)`.
            text = format!("({text})");
        }
        self.footer(&text)?;
        self.out.flush()?;
        Ok(())
    }

    fn command(&mut self, outcome: &CommandOutcome) -> Result<(), SinkError> {
        if self.settings.quiet {
            return Ok(());
        }
        let mut text = match (&outcome.tag, outcome.rows_affected) {
            (Some(tag), _) => tag.clone(),
            (None, Some(1)) => "OK, 1 row affected".to_string(),
            (None, Some(n)) => format!("OK, {n} rows affected"),
            (None, None) => "OK".to_string(),
        };
        // A backend's own tag already says how many warnings (`Query OK, …, 1 warning`).
        if outcome.warnings > 0 && outcome.tag.is_none() {
            text.push_str(&crate::result::warning_count(outcome.warnings));
        }
        self.footer(&text)?;
        self.out.flush()?;
        Ok(())
    }

    fn warnings(&mut self, count: u32) {
        self.warnings = count;
    }

    fn notice(&mut self, notice: &Notice) {
        // Notices go to stderr so that they never corrupt CSV/JSON on stdout.
        let msg = sanitize::escape_controls(&notice.message, true);
        eprintln!("{}: {}", notice.severity, msg);
    }
}

pub fn row_count(n: u64) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

pub fn format_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.3} s", ms / 1000.0)
    }
}

/// The text of a value for human formats (and CSV), written into `buf`.
/// `None` for NULL, so each format can show it its own way.
pub fn value_text(v: &Value<'_>, buf: &mut String) -> bool {
    match v {
        Value::Null => return false,
        Value::Int(n) => {
            let _ = write!(buf, "{n}");
        }
        Value::UInt(n) => {
            let _ = write!(buf, "{n}");
        }
        Value::Float(f) => push_float(buf, *f),
        Value::Text(s) => buf.push_str(s),
        Value::Bytes(b) => push_hex(buf, b),
        Value::Bool(b) => buf.push_str(if *b { "true" } else { "false" }),
    }
    true
}

/// Floats in their shortest round-trip form (`1.5`, `1e100`), always with a dot or an
/// exponent so that they read as floats.
pub fn push_float(buf: &mut String, f: f64) {
    let _ = write!(buf, "{f:?}");
}

pub fn push_hex(buf: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.reserve(2 + bytes.len() * 2);
    buf.push_str("0x");
    for b in bytes {
        buf.push(HEX[(b >> 4) as usize] as char);
        buf.push(HEX[(b & 15) as usize] as char);
    }
}

/// Whether a column's values should be right-aligned, given what was seen.
pub fn is_numeric(kind: ColumnKind, v: &Value<'_>) -> bool {
    match kind {
        ColumnKind::Number => true,
        ColumnKind::Unknown => matches!(v, Value::Int(_) | Value::UInt(_) | Value::Float(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A result of `n` one-column rows through `Output` with timing on, the row guard
    /// answering `answer` after `think`; what was written.
    fn guarded(n: u64, answer: MoreRows, think: Duration) -> String {
        let mut out = Vec::new();
        let settings = RenderSettings {
            timing: true,
            ..RenderSettings::default()
        };
        let mut o = Output::new(&mut out, settings).row_guard(
            3,
            Box::new(move |_| {
                std::thread::sleep(think);
                answer
            }),
        );
        o.start_timer();
        o.columns(&[ColumnInfo {
            name: "i".into(),
            kind: ColumnKind::Number,
        }])
        .unwrap();
        let mut stopped = false;
        for i in 0..n {
            if o.row(&[Value::Int(i as i64)]).is_err() {
                stopped = true;
                break;
            }
        }
        if stopped {
            o.flush_partial().unwrap();
        } else {
            o.rows_done(n).unwrap();
        }
        drop(o);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_reported_time_excludes_the_time_spent_answering() {
        let text = guarded(5, MoreRows::All, Duration::from_millis(600));
        assert!(text.contains("5 rows ("), "{text}");
        assert!(text.trim_end().ends_with(" ms)"), "not seconds: {text}");
    }

    #[test]
    fn cancelling_the_row_question_shows_nothing_more() {
        let text = guarded(5, MoreRows::Nothing, Duration::ZERO);
        assert!(!text.contains("| 2"), "{text}");
        let text = guarded(5, MoreRows::Stop, Duration::ZERO);
        assert!(text.contains("3 rows (stopped)"), "{text}");
    }
}
