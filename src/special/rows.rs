//! Catalog queries on behalf of commands: run SQL through the session's connection into a
//! small collecting sink, and render collected rows with the user's output settings (so
//! `\x`, `\T` and `\pset null` apply to `\d` and `\n` as to query results).

use crate::db::{
    ColumnInfo, ColumnKind, CommandOutcome, DbError, Notice, ResultSink, SinkError, Value,
};
use crate::render::{value_text, Output};
use crate::session::{RunError, Session};

/// One collected result set, every value as text (`None` for NULL).
#[derive(Debug, Default, Clone)]
pub struct Rows {
    pub columns: Vec<ColumnInfo>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Rows {
    /// A result set built by hand (for command output that is not a query).
    pub fn new(names: &[&str]) -> Rows {
        Rows {
            columns: names
                .iter()
                .map(|n| ColumnInfo {
                    name: n.to_string(),
                    kind: ColumnKind::Text,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

/// Keeps the first result set of a submission.
#[derive(Default)]
struct Collect {
    sets: Vec<Rows>,
}

impl ResultSink for Collect {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        self.sets.push(Rows {
            columns: columns.to_vec(),
            rows: Vec::new(),
        });
        Ok(())
    }
    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        let mut cells = Vec::with_capacity(row.len());
        for v in row {
            let mut s = String::new();
            cells.push(value_text(v, &mut s).then_some(s));
        }
        if let Some(set) = self.sets.last_mut() {
            set.rows.push(cells);
        }
        Ok(())
    }
    fn rows_done(&mut self, _: u64) -> Result<(), SinkError> {
        Ok(())
    }
    fn command(&mut self, _: &CommandOutcome) -> Result<(), SinkError> {
        Ok(())
    }
    fn notice(&mut self, _: &Notice) {}
}

/// Run a catalog query and collect its rows; errors are reported and become `Failed`.
/// Ctrl-C cancels it like any statement.
pub async fn query(session: &mut Session, sql: &str) -> Result<Rows, RunError> {
    if let Ok(mut slot) = session.running.lock() {
        *slot = Some(session.conn.canceller());
    }
    let mut sink = Collect::default();
    let r = session.conn.execute(sql, &mut sink).await;
    if let Ok(mut slot) = session.running.lock() {
        *slot = None;
    }
    match r {
        Ok(()) => Ok(sink.sets.into_iter().next().unwrap_or_default()),
        Err(DbError::Stopped) => Err(RunError::Failed),
        Err(e) => {
            session.report(&e, sql, sql, 0);
            Err(RunError::Failed)
        }
    }
}

/// Run SQL through the normal renderer (list commands): results honour `\x`, `\T`, `\o`
/// and the pager. `\watch` keeps re-running the user's query, not this one.
pub async fn run_listing(session: &mut Session, sql: &str) -> Result<(), RunError> {
    let saved = session.last_sql.take();
    let r = session.run_sql(sql, false, sql, 0).await;
    session.last_sql = saved;
    r
}

/// Render `rows` as the current output format would, into `out`; `footers` adds the row
/// count.
pub fn render(
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
pub fn show(session: &mut Session, rows: &Rows) -> Result<(), RunError> {
    let mut out = Vec::new();
    render(session, rows, true, &mut out)?;
    session.print_paged(&out)
}
