//! `\copy`, psql's client-side COPY, on every backend: `\copy table [(cols)] from 'file'
//! [with (format csv, header, delimiter ',', null '')]` and `\copy {table | (query)} to
//! 'file' | stdout [with (…)]`. PostgreSQL streams the file through `COPY … FROM STDIN` /
//! `TO STDOUT`; MySQL and SQLite read and write the file here (copy_rows.rs).

use std::fs::File;
use std::io::BufReader;

use crate::db::Backend;
use crate::render::progress::{Counters, Metered, Progress};
use crate::shell::{RunError, Session};

/// A parsed `\copy` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CopyCommand {
    /// `table`, `table (a, b)` or `(query)`, as written.
    pub what: String,
    pub from: bool,
    /// None: stdin / stdout.
    pub file: Option<String>,
    /// Everything after the file, as written (`with (format csv, header)`, `csv header`).
    pub options: String,
}

/// The options that matter when dbsh reads or writes the file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CopyOptions {
    pub csv: bool,
    pub header: bool,
    pub delimiter: char,
    pub null: String,
}

fn fail(msg: impl std::fmt::Display) -> RunError {
    eprintln!("\\copy: {msg}");
    RunError::Failed
}

/// Split `\copy` arguments: what, direction, file, options.
pub(super) fn parse(arg: &str) -> Result<CopyCommand, String> {
    let arg = arg.trim().trim_end_matches(';').trim();
    let chars: Vec<char> = arg.chars().collect();
    // `what` ends before the FROM/TO keyword at parenthesis depth 0, outside quotes.
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut split = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth -= 1,
                c if c.is_whitespace() && depth == 0 => {
                    let rest: String = chars[i + 1..].iter().collect();
                    let word = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if word == "from" || word == "to" {
                        split = Some((i, word == "from"));
                        break;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    let Some((at, from)) = split else {
        return Err(
            "usage: \\copy table [(columns)] from 'file' | \\copy {table | (query)} to 'file'"
                .into(),
        );
    };
    let what: String = chars[..at].iter().collect::<String>().trim().to_string();
    let rest: String = chars[at..].iter().collect();
    let rest = rest.trim_start();
    let rest = rest[if from { 4 } else { 2 }..].trim_start();
    let (target, options) = if let Some(body) = rest.strip_prefix('\'') {
        let mut name = String::new();
        let mut it = body.char_indices().peekable();
        let mut end = body.len();
        while let Some((j, c)) = it.next() {
            if c == '\'' {
                if it.peek().map(|p| p.1) == Some('\'') {
                    name.push('\'');
                    it.next();
                    continue;
                }
                end = j + 1;
                break;
            }
            name.push(c);
        }
        (name, body[end..].trim().to_string())
    } else {
        let word = rest.split_whitespace().next().unwrap_or("");
        (word.to_string(), rest[word.len()..].trim().to_string())
    };
    if what.is_empty() || target.is_empty() {
        return Err("missing table or file".into());
    }
    let file = match target.to_ascii_lowercase().as_str() {
        "stdin" | "stdout" | "pstdin" | "pstdout" => None,
        _ => Some(target),
    };
    Ok(CopyCommand {
        what,
        from,
        file,
        options,
    })
}

/// Read psql/COPY options, new style `with (format csv, header)` or old `csv header`.
pub(super) fn options(text: &str) -> CopyOptions {
    let mut o = CopyOptions {
        csv: false,
        header: false,
        delimiter: '\t',
        null: "\\N".into(),
    };
    let inner = text
        .trim()
        .strip_prefix("with")
        .or_else(|| text.trim().strip_prefix("WITH"))
        .unwrap_or(text)
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')');
    let words = crate::shell::special::args::split(&inner.replace(',', " "), &|_| None);
    let mut delimiter = None;
    let mut null = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].to_ascii_lowercase();
        let next = words.get(i + 1).cloned();
        match w.as_str() {
            "format" => {
                o.csv = next
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case("csv"));
                i += 1;
            }
            "csv" => o.csv = true,
            "header" => {
                o.header = !matches!(
                    next.as_deref().map(str::to_ascii_lowercase).as_deref(),
                    Some("false" | "off" | "0")
                );
                if matches!(
                    next.as_deref().map(str::to_ascii_lowercase).as_deref(),
                    Some("true" | "false" | "on" | "off" | "1" | "0")
                ) {
                    i += 1;
                }
            }
            "delimiter" => {
                delimiter = next.and_then(|n| n.chars().next());
                i += 1;
            }
            "null" => {
                null = next;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    if o.csv {
        o.delimiter = ',';
        o.null = String::new();
    }
    if let Some(d) = delimiter {
        o.delimiter = d;
    }
    if let Some(n) = null {
        o.null = n;
    }
    o
}

pub(super) async fn run(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let cmd = parse(arg).map_err(fail)?;
    if session.backend() == Backend::Postgres {
        return postgres(session, &cmd).await;
    }
    super::copy_rows::run(session, &cmd, &options(&cmd.options)).await
}

/// PostgreSQL: the server's COPY, with the file streamed through this connection.
async fn postgres(session: &mut Session, cmd: &CopyCommand) -> Result<(), RunError> {
    let (dir, stdio) = if cmd.from {
        ("FROM", "STDIN")
    } else {
        ("TO", "STDOUT")
    };
    let sql = format!("COPY {} {dir} {stdio} {}", cmd.what, cmd.options);
    let counters = std::sync::Arc::new(Counters::default());
    let label = progress_label(cmd);
    let result = match (&cmd.file, cmd.from) {
        (Some(path), true) => {
            let file = File::open(path).map_err(|e| fail(format!("{path}: {e}")))?;
            let size = file.metadata().ok().map(|m| m.len());
            let mut reader =
                Metered::new(BufReader::with_capacity(64 * 1024, file), counters.clone());
            let _progress = Progress::start(session.shows_progress(), label, counters, size);
            session.conn_mut().copy_in(&sql, &mut reader).await
        }
        (None, true) => {
            let mut stdin = std::io::stdin().lock();
            session.conn_mut().copy_in(&sql, &mut stdin).await
        }
        (Some(path), false) => {
            let file = File::create(path).map_err(|e| fail(format!("{path}: {e}")))?;
            let mut out = Metered::new(std::io::BufWriter::new(file), counters.clone());
            let _progress = Progress::start(session.shows_progress(), label, counters, None);
            session.conn_mut().copy_out(&sql, &mut out).await
        }
        (None, false) => {
            let (conn, mut out) = session.conn_and_output();
            conn.copy_out(&sql, &mut out).await
        }
    };
    // COPY TO sends the header line as one more data message.
    let header = !cmd.from && options(&cmd.options).header;
    match result {
        Ok(n) => session.status(&format!("COPY {}", n - u64::from(header && n > 0))),
        Err(e) => {
            session.report(&e, &sql, &sql, 0);
            session.script_mut().note_error(&e);
            Err(RunError::Failed)
        }
    }
}

/// What the progress line is about: the command as typed, shortened.
pub(super) fn progress_label(cmd: &CopyCommand) -> String {
    let what: String = cmd.what.chars().take(40).collect();
    let dir = if cmd.from { "from" } else { "to" };
    match &cmd.file {
        Some(f) => format!("\\copy {what} {dir} '{f}'"),
        None => format!("\\copy {what} {dir}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psql_copy_syntax_is_read() {
        let c = parse("t (a, b) from 'my file.csv' with (format csv, header)").unwrap();
        assert_eq!(c.what, "t (a, b)");
        assert!(c.from);
        assert_eq!(c.file.as_deref(), Some("my file.csv"));
        let o = options(&c.options);
        assert!(o.csv && o.header && o.delimiter == ',');
        let c = parse("(select 1 as \"x from y\") to stdout csv header").unwrap();
        assert_eq!(c.what, "(select 1 as \"x from y\")");
        assert_eq!(c.file, None);
        assert!(!c.from);
        let o = options("with (delimiter '|', null 'NULL')");
        assert_eq!((o.csv, o.delimiter, o.null.as_str()), (false, '|', "NULL"));
    }
}
