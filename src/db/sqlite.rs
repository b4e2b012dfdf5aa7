//! SQLite through rusqlite (bundled, so nothing needs to be installed).
//!
//! Statements run on the calling thread; the session runs them inside
//! `block_in_place` so that Ctrl-C, handled on another worker, can interrupt them.

use std::path::Path;
use std::sync::Arc;

use fallible_iterator::FallibleIterator;
use rusqlite::types::ValueRef;
use rusqlite::{Batch, OpenFlags};

use super::target::SqliteTarget;
use super::{
    ColumnInfo, ColumnKind, CommandOutcome, ConnInfo, DbError, QueryError, ResultSink, TxState,
    Value,
};

pub struct SqliteConnection {
    conn: rusqlite::Connection,
    interrupt: Arc<rusqlite::InterruptHandle>,
    name: String,
}

impl SqliteConnection {
    pub fn open(target: &SqliteTarget) -> Result<SqliteConnection, DbError> {
        let connect_error = |message: String, hint: Option<String>| DbError::Connect {
            target: target
                .path
                .as_deref()
                .map_or_else(|| "sqlite::memory:".into(), |p| p.display().to_string()),
            message,
            hint,
        };
        let conn = match &target.path {
            None => rusqlite::Connection::open_in_memory(),
            Some(path) => {
                if path.is_dir() {
                    return Err(connect_error(
                        "it is a directory, not a database file".into(),
                        None,
                    ));
                }
                let mut flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                flags |= if target.read_only {
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                } else {
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
                };
                rusqlite::Connection::open_with_flags(path, flags)
            }
        }
        .map_err(|e| connect_error(sqlite_message(&e), None))?;
        // Opening is lazy: reading the schema is what finds out whether the file is a
        // database at all.
        conn.query_row("PRAGMA schema_version", [], |_| Ok(()))
            .map_err(|e| {
                let hint = target
                    .path
                    .as_ref()
                    .filter(|p| p.exists())
                    .map(|_| "the file exists but is not a SQLite database".to_string());
                connect_error(sqlite_message(&e), hint)
            })?;
        if target.read_only {
            conn.execute_batch("PRAGMA query_only = ON")
                .map_err(|e| connect_error(sqlite_message(&e), None))?;
        }
        let interrupt = Arc::new(conn.get_interrupt_handle());
        let name = target
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| ":memory:".into(), |n| n.to_string_lossy().into_owned());
        Ok(SqliteConnection {
            conn,
            interrupt,
            name,
        })
    }

    pub fn interrupt_handle(&self) -> Arc<rusqlite::InterruptHandle> {
        self.interrupt.clone()
    }

    pub fn info(&self) -> ConnInfo {
        ConnInfo {
            user: String::new(),
            host: String::new(),
            port: None,
            database: self.name.clone(),
            standby: false,
        }
    }

    pub fn transaction_state(&self) -> TxState {
        if self.conn.is_autocommit() {
            TxState::Idle
        } else {
            TxState::InTransaction
        }
    }

    /// The underlying connection, for the catalog loader and describe commands.
    pub fn raw(&self) -> &rusqlite::Connection {
        &self.conn
    }

    pub fn execute(&mut self, sql: &str, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        let mut batch = Batch::new(&self.conn, sql);
        loop {
            let mut stmt = match batch.next() {
                Ok(Some(stmt)) => stmt,
                Ok(None) => return Ok(()),
                Err(e) => return Err(query_error(e)),
            };
            let columns: Vec<ColumnInfo> = stmt
                .columns()
                .map(|c| ColumnInfo {
                    name: c.name().to_string(),
                    kind: c.decl_type().map_or(ColumnKind::Unknown, kind_of_decltype),
                })
                .collect();
            if columns.is_empty() {
                stmt.raw_execute().map_err(query_error)?;
                sink.command(&CommandOutcome {
                    rows_affected: crate::sql::facts::changes_rows(
                        sql,
                        crate::sql::Dialect::Sqlite,
                    )
                    .then(|| self.conn.changes()),
                    ..CommandOutcome::default()
                })?;
                continue;
            }
            sink.columns(&columns)?;
            let mut rows = stmt.raw_query();
            let mut count = 0u64;
            while let Some(row) = rows.next().map_err(query_error)? {
                // A fresh Vec per row: the cells borrow from this row only.
                let mut cells: Vec<Value<'_>> = Vec::with_capacity(columns.len());
                for i in 0..columns.len() {
                    cells.push(match row.get_ref(i).map_err(query_error)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => Value::Int(n),
                        ValueRef::Real(f) => Value::Float(f),
                        ValueRef::Text(t) => match std::str::from_utf8(t) {
                            Ok(s) => Value::Text(s),
                            // Not valid UTF-8: show the bytes rather than guess.
                            Err(_) => Value::Bytes(t),
                        },
                        ValueRef::Blob(b) => Value::Bytes(b),
                    });
                }
                sink.row(&cells)?;
                count += 1;
            }
            sink.rows_done(count)?;
        }
    }
}

fn kind_of_decltype(decl: &str) -> ColumnKind {
    // SQLite's own type-affinity rules, in their order.
    let d = decl.to_ascii_uppercase();
    if d.contains("INT") {
        ColumnKind::Number
    } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
        ColumnKind::Text
    } else if d.contains("BLOB") || d.is_empty() {
        ColumnKind::Binary
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        ColumnKind::Number
    } else if d.contains("BOOL") {
        ColumnKind::Bool
    } else if d.contains("NUM") || d.contains("DEC") {
        ColumnKind::Number
    } else if d.contains("JSON") {
        // SQLite never checks a JSON column's contents: it is only text.
        ColumnKind::Text
    } else {
        ColumnKind::Unknown
    }
}

fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(err, Some(msg)) => {
            if msg.is_empty() {
                err.to_string()
            } else {
                msg.clone()
            }
        }
        rusqlite::Error::SqliteFailure(err, None) => err.to_string(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

fn query_error(e: rusqlite::Error) -> DbError {
    if let rusqlite::Error::SqliteFailure(err, _) = &e {
        if err.code == rusqlite::ErrorCode::OperationInterrupted {
            return DbError::Cancelled;
        }
    }
    let position = match &e {
        rusqlite::Error::SqlInputError { sql, offset, .. } => usize::try_from(*offset)
            .ok()
            .map(|off| sql.get(..off).map_or(0, |p| p.chars().count()) + 1),
        _ => None,
    };
    DbError::Query(QueryError {
        message: sqlite_message(&e),
        position,
        ..QueryError::default()
    })
}
