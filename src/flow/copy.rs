//! `COPY … FROM STDIN` with the data that follows it in the input, and `COPY … TO STDOUT`
//! into the current output (terminal or `\o` file). PostgreSQL only; the protocol work is
//! in db/postgres/copy.rs.

use crate::db::postgres::{copy_direction, error_data_line, CopyDirection};
use crate::db::{Backend, DbError};
use crate::render::Output;
use crate::result::{CommandOutcome, ResultSink};
use crate::session::{RunError, Session};

pub fn direction(session: &Session, sql: &str) -> Option<CopyDirection> {
    (session.conn.backend() == Backend::Postgres)
        .then(|| copy_direction(sql))
        .flatten()
}

pub async fn run(
    session: &mut Session,
    sql: &str,
    direction: CopyDirection,
    whole: &str,
    offset: usize,
    data: Option<(String, usize)>,
) -> Result<(), RunError> {
    session.last_sql = Some(sql.to_string());
    if let Ok(mut slot) = session.running.lock() {
        *slot = Some(session.conn.canceller());
    }
    let result = match direction {
        CopyDirection::In => match &data {
            Some((text, _)) => session.conn.copy_in(sql, &mut text.as_bytes()).await,
            None => Err(DbError::Unsupported(
                "COPY … FROM STDIN needs its data on the lines after the statement, ended by a line \\.".into(),
            )),
        },
        CopyDirection::Out => {
            let (conn, mut out) = session.conn_and_output();
            conn.copy_out(sql, &mut out).await
        }
    };
    if let Ok(mut slot) = session.running.lock() {
        *slot = None;
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
            session.script.note_error(&e);
            Err(RunError::Failed)
        }
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
