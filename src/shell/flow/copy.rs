//! `COPY … FROM STDIN` with the data that follows it in the input, and `COPY … TO STDOUT`
//! into the current output (terminal or `\o` file). PostgreSQL only; the protocol work is
//! in db/postgres/copy.rs.

use std::io::{BufRead, IsTerminal, Read, Write};

use crate::script::{is_end_of_copy, ScriptInput};

use crate::db::postgres::{copy_direction, error_data_line, CopyDirection};
use crate::db::{Backend, DbError};
use crate::render::progress::{Counters, Metered, Progress};
use crate::render::Output;
use crate::result::{CommandOutcome, ResultSink};
use crate::shell::session::fault::Next;
use crate::shell::{RunError, Session};

pub(super) fn direction(session: &Session, sql: &str) -> Option<CopyDirection> {
    (session.backend() == Backend::Postgres)
        .then(|| copy_direction(sql))
        .flatten()
}

pub(super) async fn run(
    session: &mut Session,
    sql: &str,
    direction: CopyDirection,
    whole: &str,
    offset: usize,
    data: Option<(String, usize)>,
) -> Result<(), RunError> {
    session.set_last_sql(Some(sql.to_string()));
    // The rows to send: the script's data block, or typed at the terminal as in psql.
    let typed = match (direction, &data) {
        (CopyDirection::In, None) if session.is_interactive() && std::io::stdin().is_terminal() => {
            match read_data_from_terminal() {
                Ok(text) => Some(text),
                Err(e) => {
                    eprintln!("could not read the rows to copy: {e}");
                    return Err(RunError::Failed);
                }
            }
        }
        _ => None,
    };
    let rows = typed.as_deref().or(data.as_ref().map(|(t, _)| t.as_str()));
    // A streamed script: the data lines follow in its input.
    let mut streamed = match (direction, rows) {
        (CopyDirection::In, None) => session
            .script_input_mut()
            .take()
            .filter(|i| i.copy_pending)
            .map(|input| (input.line + 1, input)),
        _ => None,
    };
    let at_risk = session.work_at_risk();
    let mut result = copy_once(session, sql, direction, rows, streamed.as_mut()).await;
    if let Err(e) = &result {
        if e.is_connection_lost() {
            let where_ = session.location(whole, offset);
            match session.connection_lost(e, at_risk, sql, &where_).await {
                Next::Retry => {
                    result = copy_once(session, sql, direction, rows, streamed.as_mut()).await
                }
                Next::Stop => return Err(RunError::Lost),
            }
        }
    }
    if let Some((first_line, input)) = streamed {
        *session.script_input_mut() = Some(input);
        if let (Err(e), Some(line)) = (&result, result.as_ref().err().and_then(error_data_line)) {
            // Point at the data line the server names, in the script's numbering.
            let saved = session.set_source(None);
            let name = saved.as_ref().map_or(String::new(), |(n, _)| n.clone());
            session.set_source(Some((name, first_line + line - 1)));
            session.report(e, sql, "", 0);
            session.set_source(saved);
            session.script_mut().note_error(e);
            return Err(RunError::Failed);
        }
    }
    match result {
        Ok(rows) => {
            if direction == CopyDirection::In {
                tag(session, rows)
            } else {
                Ok(())
            }
        }
        Err(DbError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(RunError::BrokenPipe)
        }
        Err(e) => {
            // Point at the data line the server names, in the script's numbering.
            let at = match (&data, error_data_line(&e)) {
                (Some((text, start)), Some(line)) => {
                    let within: usize = text
                        .split_inclusive('\n')
                        .take(line - 1)
                        .map(str::len)
                        .sum();
                    start + within
                }
                _ => offset,
            };
            session.report(&e, sql, whole, at);
            session.script_mut().note_error(&e);
            Err(RunError::Failed)
        }
    }
}

/// One COPY on the current connection, the statement registered for Ctrl-C.
async fn copy_once(
    session: &mut Session,
    sql: &str,
    direction: CopyDirection,
    rows: Option<&str>,
    streamed: Option<&mut (usize, ScriptInput)>,
) -> Result<u64, DbError> {
    let _armed = session.arm_cancel();
    let result = match (direction, rows, streamed) {
        (CopyDirection::In, Some(text), _) => {
            session.conn_mut().copy_in(sql, &mut text.as_bytes()).await
        }
        (CopyDirection::In, None, Some((_, input))) => {
            let counters = std::sync::Arc::new(Counters::default());
            let lines = DataLines {
                input,
                line: Vec::new(),
                at: 0,
            };
            let mut data = Metered::new(lines, counters.clone());
            let label: String = sql.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            let _progress = Progress::start(session.shows_progress(), label, counters, None);
            session.conn_mut().copy_in(sql, &mut data).await
        }
        (CopyDirection::In, None, None) => Err(DbError::Unsupported(
            "COPY … FROM STDIN needs its data on the lines after the statement, ended by a line \\.".into(),
        )),
        (CopyDirection::Out, _, _) => {
            let (conn, mut out) = session.conn_and_output();
            conn.copy_out(sql, &mut out).await
        }
    };
    result
}

/// The COPY data lines of a streamed script, up to `\.` or its end, as bytes.
struct DataLines<'a> {
    input: &'a mut ScriptInput,
    line: Vec<u8>,
    at: usize,
}

impl Read for DataLines<'_> {
    /// As many whole lines as fit (one COPY message each read, not one per line).
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            if self.at == self.line.len() {
                if !self.input.copy_pending {
                    break;
                }
                match self.input.next_line() {
                    Ok(Some(l)) if !is_end_of_copy(&l) => {
                        self.line = l.into_bytes();
                        self.at = 0;
                    }
                    Ok(_) => {
                        self.input.copy_pending = false;
                        break;
                    }
                    Err(e) => {
                        self.input.copy_pending = false;
                        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
                    }
                }
            }
            let n = (buf.len() - filled).min(self.line.len() - self.at);
            buf[filled..filled + n].copy_from_slice(&self.line[self.at..self.at + n]);
            self.at += n;
            filled += n;
        }
        Ok(filled)
    }
}

/// psql's `COPY n` after data went in, rendered as any command tag is.
fn tag(session: &mut Session, rows: u64) -> Result<(), RunError> {
    let mut buffer = Vec::new();
    let mut output = Output::new(&mut buffer, session.output_settings());
    let _ = output.command(&CommandOutcome {
        tag: Some(format!("COPY {rows}")),
        rows_affected: Some(rows),
        ..CommandOutcome::default()
    });
    drop(output);
    session.print_paged(&buffer)
}

/// psql's interactive COPY: data lines typed at the terminal (cooked mode, so Tab is a
/// tab), up to a line holding only `\.` or end of input.
fn read_data_from_terminal() -> std::io::Result<String> {
    eprintln!(
        "Enter the rows to copy, one per line; end with a line holding only \\. or with Ctrl-D."
    );
    let mut data = String::new();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        eprint!(">> ");
        std::io::stderr().flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            eprintln!();
            return Ok(data);
        }
        if line.trim_end_matches(['\r', '\n']) == "\\." {
            return Ok(data);
        }
        data.push_str(&line);
    }
}
