//! Statements ended by a command instead of `;`: `\gset [prefix]` (the one row into
//! variables), `\gexec` (each value run as a statement), `\gx [file]` and `\g [file]`.

use std::io;

use crate::result::{ColumnInfo, CommandOutcome, Notice, ResultSink, SinkError, Value};
use crate::shell::{RunError, Session};

/// Run `sql` ended by `command` (`\gset p_`, `\gexec`, `\gx`, `\g out.txt`).
pub(super) async fn run(
    session: &mut Session,
    sql: &str,
    command: &str,
    whole: &str,
    offset: usize,
) -> Result<(), RunError> {
    let (name, rest) = super::command_name(command);
    let args = crate::shell::special::args::split(rest, &session.script_mut().lookup());
    match name {
        "\\gset" => {
            gset(
                session,
                sql,
                args.first().map_or("", String::as_str),
                whole,
                offset,
            )
            .await
        }
        "\\gexec" => gexec(session, sql, whole, offset).await,
        "\\g" | "\\gx" | "\\G" => {
            let vertical = name != "\\g";
            match args.first() {
                Some(path) => to_file(session, sql, vertical, path, whole, offset).await,
                None => session.run_sql(sql, vertical, whole, offset).await,
            }
        }
        "\\watch" => {
            session.set_last_sql(Some(sql.to_string()));
            let then = crate::shell::special::run(session, command).await?;
            super::follow(session, then).await
        }
        _ => {
            eprintln!("invalid command {name}; try \\? for help");
            Err(RunError::Failed)
        }
    }
}

/// `\g file` / `\gx file`: this one result to a file (`|cmd` pipes it to a command).
async fn to_file(
    session: &mut Session,
    sql: &str,
    vertical: bool,
    path: &str,
    whole: &str,
    offset: usize,
) -> Result<(), RunError> {
    if let Some(cmd) = path.strip_prefix('|') {
        let saved = session.swap_destination(None);
        let mut child = match std::process::Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .stdin(std::process::Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                session.swap_destination(saved);
                eprintln!("\\g: {cmd}: {e}");
                return Err(RunError::Failed);
            }
        };
        let pipe = child
            .stdin
            .take()
            .map(|s| Box::new(s) as Box<dyn io::Write + Send>);
        session.swap_destination(pipe.map(|p| (p, cmd.to_string())));
        let r = session.run_sql(sql, vertical, whole, offset).await;
        session.swap_destination(saved);
        let _ = child.wait();
        return r;
    }
    let file = match std::fs::File::create(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("\\g: {path}: {e}");
            return Err(RunError::Failed);
        }
    };
    let saved = session.swap_destination(Some((Box::new(file), path.to_string())));
    let r = session.run_sql(sql, vertical, whole, offset).await;
    session.swap_destination(saved);
    r
}

/// `\gset [prefix]`: the single row's columns become variables (NULL unsets them).
async fn gset(
    session: &mut Session,
    sql: &str,
    prefix: &str,
    whole: &str,
    offset: usize,
) -> Result<(), RunError> {
    let mut rows = Capture::default();
    session.run_sql_into(sql, &mut rows, whole, offset).await?;
    match rows.rows.len() {
        0 if rows.columns.is_empty() => {
            eprintln!("\\gset: the statement returned no result set");
            Err(RunError::Failed)
        }
        0 => {
            eprintln!("no rows returned for \\gset");
            Err(RunError::Failed)
        }
        1 => {
            for (name, value) in rows.columns.iter().zip(&rows.rows[0]) {
                let var = format!("{prefix}{name}");
                match value {
                    Some(v) => {
                        if let Err(e) = session.script_mut().vars.set(&var, v) {
                            eprintln!("\\gset: {e}");
                            return Err(RunError::Failed);
                        }
                    }
                    None => session.script_mut().vars.unset(&var),
                }
            }
            Ok(())
        }
        _ => {
            eprintln!("more than one row returned for \\gset");
            Err(RunError::Failed)
        }
    }
}

/// `\gexec`: run the query, then each non-NULL value of its result as a statement, row by
/// row, left to right.
async fn gexec(
    session: &mut Session,
    sql: &str,
    whole: &str,
    offset: usize,
) -> Result<(), RunError> {
    let mut rows = Capture::default();
    session.run_sql_into(sql, &mut rows, whole, offset).await?;
    for statement in rows.rows.into_iter().flatten().flatten() {
        session.run_sql(&statement, false, &statement, 0).await?;
    }
    Ok(())
}

/// Collects a result's column names and values as text.
#[derive(Default)]
pub(super) struct Capture {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl ResultSink for Capture {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        self.columns = columns.iter().map(|c| c.name.clone()).collect();
        self.rows.clear();
        Ok(())
    }
    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        self.rows.push(row.iter().map(Value::text).collect());
        Ok(())
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
