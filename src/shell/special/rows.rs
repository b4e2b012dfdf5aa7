//! Catalog queries on behalf of commands: run SQL through the session's connection into a
//! small collecting sink, and render collected rows with the user's output settings (so
//! `\x`, `\T` and `\pset null` apply to `\d` and `\n` as to query results).

use crate::db::DbError;
use crate::render::Output;
use crate::result::{ResultSink, SinkError, Value};
use crate::shell::{RunError, Session};

/// One collected result set, every value as text (`None` for NULL).
pub(super) type Rows = crate::db::collect::TextResult;

/// Run a catalog query and collect its rows; errors are reported and become `Failed`.
/// Ctrl-C cancels it like any statement.
pub(super) async fn query(session: &mut Session, sql: &str) -> Result<Rows, RunError> {
    Ok(collect(session, sql)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// Run catalog queries that do not depend on each other as one submission, so that a
/// command pays one round trip for all of them; their rows in the same order.
pub(super) async fn query_batch(
    session: &mut Session,
    queries: &[String],
) -> Result<Vec<Rows>, RunError> {
    let results = collect(session, &queries.join(";\n")).await?;
    all_there(results, queries.len())
}

/// `results`, if there are `expected` of them (else an internal error, said).
fn all_there(results: Vec<Rows>, expected: usize) -> Result<Vec<Rows>, RunError> {
    if results.len() != expected {
        eprintln!(
            "internal error: {expected} catalog queries gave {} results",
            results.len()
        );
        return Err(RunError::Failed);
    }
    Ok(results)
}

/// Like `query_batch`, where the last `optional` queries may fail (a table only some
/// servers have, a privilege only some users hold): their error is not reported, and
/// the results end before the one that failed.
pub(super) async fn query_batch_optional_tail(
    session: &mut Session,
    queries: &[String],
    optional: usize,
) -> Result<Vec<Rows>, RunError> {
    let (results, error) = run(session, &queries.join(";\n")).await;
    match error {
        Some(e) if results.len() + optional < queries.len() || e.is_connection_lost() => {
            Err(reported(session, e, &queries.join(";\n")))
        }
        Some(_) => Ok(results),
        None => all_there(results, queries.len()),
    }
}

async fn run(session: &mut Session, sql: &str) -> (Vec<Rows>, Option<DbError>) {
    let _armed = session.arm_cancel();
    crate::db::collect::query_results_until_error(session.conn_mut(), sql).await
}

async fn collect(session: &mut Session, sql: &str) -> Result<Vec<Rows>, RunError> {
    match run(session, sql).await {
        (rows, None) => Ok(rows),
        (_, Some(e)) => Err(reported(session, e, sql)),
    }
}

/// `e` told the user (a cancel needs no words), as the error the command ends with.
fn reported(session: &mut Session, e: DbError, sql: &str) -> RunError {
    match e {
        DbError::Stopped => RunError::Failed,
        // Scripts end (exit 2); at the prompt the next statement reconnects.
        e if e.is_connection_lost() => {
            session.report(&e, sql, sql, 0);
            RunError::Lost
        }
        e => {
            session.report(&e, sql, sql, 0);
            RunError::Failed
        }
    }
}

/// Run SQL through the normal renderer (list commands): results honour `\x`, `\T`, `\o`
/// and the pager. `\watch` keeps re-running the user's query, not this one.
pub(super) async fn run_listing(session: &mut Session, sql: &str) -> Result<(), RunError> {
    let saved = session.set_last_sql(None);
    let r = session.run_sql(sql, false, sql, 0).await;
    session.set_last_sql(saved);
    r
}

/// Render `rows` as the current output format would, into `out`; `footers` adds the row
/// count.
pub(super) fn render(
    session: &Session,
    rows: &Rows,
    footers: bool,
    out: &mut Vec<u8>,
) -> Result<(), RunError> {
    let settings = session.output_settings();
    let mut output = Output::new(out, settings).footers(footers);
    let r = (|| -> Result<(), SinkError> {
        output.columns(&rows.columns)?;
        for row in &rows.rows {
            let cells: Vec<Value<'_>> = row
                .iter()
                .map(|c| c.as_deref().map_or(Value::Null, Value::Text))
                .collect();
            output.row(&cells)?;
        }
        output.rows_done(rows.rows.len() as u64)
    })();
    r.map_err(|e| {
        eprintln!("output error: {}", DbError::from(e));
        RunError::Failed
    })
}

/// Render `rows` and print them (through the pager when long).
pub(super) fn show(session: &mut Session, rows: &Rows) -> Result<(), RunError> {
    let mut out = Vec::new();
    render(session, rows, true, &mut out)?;
    session.print_paged(&out)
}
