//! `\copy` on MySQL and SQLite, which have no COPY: the file is read record by record
//! (CSV with quotes across lines, or COPY's text format) and inserted in batches of
//! multi-row INSERTs, all in one transaction; export runs the query into the file. The
//! first bad record is reported (line, values) and nothing is kept.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use super::copy::{CopyCommand, CopyOptions};
use crate::db::collect::{literal, query_result};
use crate::db::{DbError, TxState};
use crate::render::progress::{Counters, Metered, Progress};
use crate::result::{ColumnInfo, CommandOutcome, Notice, ResultSink, SinkError, Value};
use crate::shell::{RunError, Session};

/// Rows per INSERT statement.
const BATCH: usize = 500;

fn fail(msg: impl std::fmt::Display) -> RunError {
    eprintln!("\\copy: {msg}");
    RunError::Failed
}

pub(super) async fn run(
    session: &mut Session,
    cmd: &CopyCommand,
    o: &CopyOptions,
) -> Result<(), RunError> {
    if cmd.from {
        import(session, cmd, o).await
    } else {
        export(session, cmd, o).await
    }
}

/// One record of the input and the line it starts on.
type Record = (usize, Vec<Option<String>>);

/// Reads records from CSV or COPY text input, one at a time.
pub(super) struct Records<R> {
    input: R,
    line: usize,
    opts: CopyOptions,
}

impl<R: BufRead> Records<R> {
    pub(super) fn new(input: R, opts: CopyOptions) -> Self {
        Records {
            input,
            line: 0,
            opts,
        }
    }

    fn read_line(&mut self, buf: &mut String) -> io::Result<bool> {
        buf.clear();
        let n = self.input.read_line(buf)?;
        if n == 0 {
            return Ok(false);
        }
        self.line += 1;
        if buf.ends_with('\n') {
            buf.pop();
            if buf.ends_with('\r') {
                buf.pop();
            }
        }
        Ok(true)
    }

    pub(super) fn next_record(&mut self) -> io::Result<Option<Record>> {
        let mut line = String::new();
        if !self.read_line(&mut line)? || line == "\\." {
            return Ok(None);
        }
        let start = self.line;
        let d = self.opts.delimiter;
        if !self.opts.csv {
            let fields = line
                .split(d)
                .map(|f| (f != self.opts.null).then(|| unescape_text(f)))
                .collect();
            return Ok(Some((start, fields)));
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut in_quotes = false;
        let mut chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        loop {
            if i >= chars.len() {
                if in_quotes {
                    // The quoted field goes on over the next line.
                    let mut more = String::new();
                    if !self.read_line(&mut more)? {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("line {start}: unterminated CSV quoted field"),
                        ));
                    }
                    field.push('\n');
                    chars = more.chars().collect();
                    i = 0;
                    continue;
                }
                break;
            }
            let c = chars[i];
            if in_quotes {
                if c == '"' && chars.get(i + 1) == Some(&'"') {
                    field.push('"');
                    i += 1;
                } else if c == '"' {
                    in_quotes = false;
                } else {
                    field.push(c);
                }
            } else if c == '"' {
                in_quotes = true;
                quoted = true;
            } else if c == d {
                fields.push(csv_value(
                    std::mem::take(&mut field),
                    quoted,
                    &self.opts.null,
                ));
                quoted = false;
            } else {
                field.push(c);
            }
            i += 1;
        }
        fields.push(csv_value(field, quoted, &self.opts.null));
        Ok(Some((start, fields)))
    }
}

/// A CSV field: unquoted and equal to the NULL text means NULL (as COPY).
fn csv_value(field: String, quoted: bool, null: &str) -> Option<String> {
    (quoted || field != null).then_some(field)
}

/// COPY text format escapes: `\t`, `\n`, `\\`, …
fn unescape_text(f: &str) -> String {
    if !f.contains('\\') {
        return f.to_string();
    }
    let mut out = String::with_capacity(f.len());
    let mut it = f.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// `table` and `table (a, b)`: the table and the column list as SQL.
fn target(what: &str) -> (String, String) {
    let (table, cols) = match what.find('(') {
        Some(i) => (what[..i].trim(), what[i..].trim()),
        None => (what.trim(), ""),
    };
    (table.to_string(), cols.to_string())
}

async fn exec(session: &mut Session, sql: &str) -> Result<(), DbError> {
    session
        .conn_mut()
        .execute(sql, &mut crate::result::Discard)
        .await
}

async fn import(session: &mut Session, cmd: &CopyCommand, o: &CopyOptions) -> Result<(), RunError> {
    let (table, cols) = target(&cmd.what);
    let width = match query_result(
        session.conn_mut(),
        &format!("SELECT * FROM {table} LIMIT 0"),
    )
    .await
    {
        Ok(r) if cols.is_empty() => r.columns.len(),
        Ok(_) => cols.split(',').count(),
        Err(e) => {
            session.report(&e, &table, &table, 0);
            return Err(RunError::Failed);
        }
    };
    let counters = std::sync::Arc::new(Counters::default());
    let (reader, size): (Box<dyn BufRead>, _) = match &cmd.file {
        Some(path) => {
            let file = File::open(path).map_err(|e| fail(format!("{path}: {e}")))?;
            let size = file.metadata().ok().map(|m| m.len());
            let reader = BufReader::with_capacity(64 * 1024, file);
            (Box::new(Metered::new(reader, counters.clone())), size)
        }
        None => (Box::new(BufReader::new(io::stdin())), None),
    };
    let progress = Progress::start(
        session.shows_progress() && cmd.file.is_some(),
        super::copy::progress_label(cmd),
        counters,
        size,
    );
    let name = cmd.file.clone().unwrap_or_else(|| "stdin".into());
    let loaded = load(
        session,
        Records::new(reader, o.clone()),
        o,
        &name,
        &table,
        &cols,
        width,
    )
    .await;
    // The progress line goes before anything else is written.
    drop(progress);
    match loaded {
        Ok(total) => session.status(&format!("COPY {total}")),
        Err(msg) => Err(fail(msg)),
    }
}

/// Insert every record in one transaction; the error says which line broke it.
async fn load(
    session: &mut Session,
    mut records: Records<Box<dyn BufRead>>,
    o: &CopyOptions,
    name: &str,
    table: &str,
    cols: &str,
    width: usize,
) -> Result<u64, String> {
    let backend = session.backend();
    if o.header {
        let _ = records.next_record().map_err(|e| format!("{name}: {e}"))?;
    }
    let insert = format!("INSERT INTO {table} {cols} VALUES ");
    // One transaction for the file; inside the user's own, a savepoint (a BEGIN there
    // would commit it on MySQL and fail on SQLite).
    let scope = Scope::for_state(session.transaction_state());
    exec(session, scope.begin)
        .await
        .map_err(|e| e.to_string())?;
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    let mut total = 0u64;
    loop {
        let next = match records.next_record() {
            Ok(r) => r,
            Err(e) => {
                let _ = exec(session, scope.rollback).await;
                return Err(format!("{name}: {e}; nothing was loaded"));
            }
        };
        if let Some((line, fields)) = &next {
            if fields.len() != width {
                let _ = exec(session, scope.rollback).await;
                return Err(format!(
                    "{name}:{line}: expected {width} columns, found {}: {}; nothing was loaded",
                    fields.len(),
                    show(fields)
                ));
            }
        }
        let done = next.is_none();
        if let Some(r) = next {
            batch.push(r);
        }
        if batch.len() == BATCH || (done && !batch.is_empty()) {
            let sql = values_sql(&insert, &batch, backend);
            if let Err(e) = exec(session, &sql).await {
                let _ = exec(session, scope.rollback).await;
                let culprit = find_bad_row(session, &scope, &insert, &batch).await;
                let why = culprit
                    .as_ref()
                    .map_or(e.to_string(), |(_, e)| e.to_string());
                let (line, fields) = culprit
                    .as_ref()
                    .map_or((batch[0].0, &batch[0].1), |(r, _)| (r.0, &r.1));
                return Err(format!(
                    "{name}:{line}: {why}\n  values: {}\nnothing was loaded",
                    show(fields)
                ));
            }
            total += batch.len() as u64;
            batch.clear();
        }
        if done {
            break;
        }
    }
    exec(session, scope.commit)
        .await
        .map_err(|e| e.to_string())?;
    Ok(total)
}

fn show(fields: &[Option<String>]) -> String {
    fields
        .iter()
        .map(|f| {
            f.as_deref()
                .map_or("NULL".to_string(), |v| format!("{v:?}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn values_sql(insert: &str, rows: &[Record], backend: crate::db::Backend) -> String {
    let mut sql = String::from(insert);
    for (i, (_, fields)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(',');
        }
        sql.push('(');
        for (j, f) in fields.iter().enumerate() {
            if j > 0 {
                sql.push(',');
            }
            match f {
                Some(v) => sql.push_str(&literal(v, backend)),
                None => sql.push_str("NULL"),
            }
        }
        sql.push(')');
    }
    sql
}

/// The first row of a failed batch that fails alone (tried in a transaction that is rolled
/// back), so the report names its line.
/// How an import is made all-or-nothing.
struct Scope {
    begin: &'static str,
    commit: &'static str,
    rollback: &'static str,
}

impl Scope {
    fn for_state(tx: TxState) -> Scope {
        if tx == TxState::Idle {
            Scope {
                begin: "BEGIN",
                commit: "COMMIT",
                rollback: "ROLLBACK",
            }
        } else {
            Scope {
                begin: "SAVEPOINT dbsh_copy",
                commit: "RELEASE SAVEPOINT dbsh_copy",
                rollback: "ROLLBACK TO SAVEPOINT dbsh_copy",
            }
        }
    }
}

/// Insert the batch's rows one by one (then take them back) to name the one that fails.
async fn find_bad_row(
    session: &mut Session,
    scope: &Scope,
    insert: &str,
    batch: &[Record],
) -> Option<(Record, DbError)> {
    let backend = session.backend();
    exec(session, scope.begin).await.ok()?;
    let mut found = None;
    for r in batch {
        let sql = values_sql(insert, std::slice::from_ref(r), backend);
        if let Err(e) = exec(session, &sql).await {
            found = Some((r.clone(), e));
            break;
        }
    }
    let _ = exec(session, scope.rollback).await;
    found
}

async fn export(session: &mut Session, cmd: &CopyCommand, o: &CopyOptions) -> Result<(), RunError> {
    let query = match cmd.what.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
        Some(q) => q.to_string(),
        None => {
            let (table, cols) = target(&cmd.what);
            let cols = cols.trim_start_matches('(').trim_end_matches(')').trim();
            let cols = if cols.is_empty() {
                "*".to_string()
            } else {
                cols.to_string()
            };
            format!("SELECT {cols} FROM {table}")
        }
    };
    let result = match &cmd.file {
        Some(path) => {
            let file = File::create(path).map_err(|e| fail(format!("{path}: {e}")))?;
            let counters = std::sync::Arc::new(Counters::default());
            let out = Metered::new(io::BufWriter::new(file), counters.clone());
            let mut w = FileSink::new(out, o.clone());
            let show = session.shows_progress();
            let _progress = Progress::start(show, super::copy::progress_label(cmd), counters, None);
            let r = session.conn_mut().execute(&query, &mut w).await;
            r.and_then(|()| w.out.flush().map_err(DbError::Output))
                .map(|()| w.rows)
        }
        None => {
            let (conn, out) = session.conn_and_output();
            let mut w = FileSink::new(out, o.clone());
            let r = conn.execute(&query, &mut w).await;
            r.and_then(|()| w.out.flush().map_err(DbError::Output))
                .map(|()| w.rows)
        }
    };
    match result {
        Ok(n) => session.status(&format!("COPY {n}")),
        Err(e) => {
            session.report(&e, &query, &query, 0);
            Err(RunError::Failed)
        }
    }
}

/// Writes a result as COPY would: CSV or text, header when asked.
struct FileSink<W: Write> {
    out: W,
    opts: CopyOptions,
    rows: u64,
    line: String,
}

impl<W: Write> FileSink<W> {
    fn new(out: W, opts: CopyOptions) -> Self {
        FileSink {
            out,
            opts,
            rows: 0,
            line: String::new(),
        }
    }

    fn field(&mut self, v: Option<&str>) {
        let d = self.opts.delimiter;
        match v {
            None => self.line.push_str(&self.opts.null),
            Some(s) if self.opts.csv => {
                let quote = s.is_empty() && self.opts.null.is_empty()
                    || s.contains(d)
                    || s.contains('"')
                    || s.contains('\n')
                    || s.contains('\r');
                if quote {
                    self.line.push('"');
                    self.line.push_str(&s.replace('"', "\"\""));
                    self.line.push('"');
                } else {
                    self.line.push_str(s);
                }
            }
            Some(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => self.line.push_str("\\\\"),
                        '\n' => self.line.push_str("\\n"),
                        '\r' => self.line.push_str("\\r"),
                        '\t' => self.line.push_str("\\t"),
                        c if c == d => {
                            self.line.push('\\');
                            self.line.push(c);
                        }
                        c => self.line.push(c),
                    }
                }
            }
        }
    }

    fn end_line(&mut self) -> Result<(), SinkError> {
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> ResultSink for FileSink<W> {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        if !self.opts.header {
            return Ok(());
        }
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                self.line.push(self.opts.delimiter);
            }
            self.field(Some(&c.name));
        }
        self.end_line()
    }
    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                self.line.push(self.opts.delimiter);
            }
            let text = v.text();
            self.field(text.as_deref());
        }
        self.rows += 1;
        self.end_line()
    }
    fn rows_done(&mut self, _: u64) -> Result<(), SinkError> {
        Ok(())
    }
    fn command(&mut self, _: &CommandOutcome) -> Result<(), SinkError> {
        Ok(())
    }
    fn notice(&mut self, n: &Notice) {
        eprintln!("{}: {}", n.severity, n.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, csv: bool) -> Vec<Record> {
        let opts = super::super::copy::options(if csv { "csv" } else { "" });
        let mut r = Records::new(text.as_bytes(), opts);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push(rec);
        }
        out
    }

    #[test]
    fn csv_records_keep_quotes_newlines_and_tell_null_from_empty() {
        let got = read("1,\"a,b\",\n2,\"two\nlines\",\"\"\n", true);
        assert_eq!(
            got[0],
            (1, vec![Some("1".into()), Some("a,b".into()), None])
        );
        assert_eq!(
            got[1],
            (
                2,
                vec![
                    Some("2".into()),
                    Some("two\nlines".into()),
                    Some(String::new())
                ]
            )
        );
    }

    #[test]
    fn text_records_unescape_and_read_null() {
        let got = read("1\ta\\tb\t\\N\n\\.\nignored\n", false);
        assert_eq!(
            got,
            vec![(1, vec![Some("1".into()), Some("a\tb".into()), None])]
        );
    }
}
