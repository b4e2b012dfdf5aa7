//! Talking to database servers: one `Connection` type over the three backends.
//!
//! A statement's results are pushed, row by row as they arrive, into a `ResultSink` (the
//! renderer), so nothing here buffers a result set and nothing here knows about terminals.
//! Each backend lives in its own file; this file holds what they share: targets, errors
//! and the cancel handle. The result types live in `crate::result`, shared with `render`.

pub mod collect;
pub mod mysql;
pub mod postgres;
pub mod sqlite;
pub mod target;

use std::fmt;

pub use target::{ConnectParams, PasswordAsker, Target};

use crate::sql::Dialect;
// The result types the backends stream into sinks (visible to the backend modules).
use crate::result::{ColumnInfo, ColumnKind, CommandOutcome, Notice, ResultSink, SinkError, Value};

/// Which server family a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Mysql,
    Sqlite,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
            Backend::Sqlite => "sqlite",
        }
    }

    pub fn dialect(self) -> Dialect {
        match self {
            Backend::Postgres => Dialect::Postgres,
            Backend::Mysql => Dialect::Mysql,
            Backend::Sqlite => Dialect::Sqlite,
        }
    }
}

/// An error from the server about a statement, with everything the server said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryError {
    pub message: String,
    /// SQLSTATE where the backend has one.
    pub sqlstate: Option<String>,
    /// Vendor error number (MySQL's 1064); when set the error prints as the mysql client does.
    pub vendor_code: Option<u32>,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// 1-based character position in the submitted statement text.
    pub position: Option<usize>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.vendor_code, &self.sqlstate) {
            (Some(code), Some(state)) => write!(f, "ERROR {code} ({state}): {}", self.message)?,
            (Some(code), None) => write!(f, "ERROR {code}: {}", self.message)?,
            (None, _) => write!(f, "ERROR: {}", self.message)?,
        }
        if let Some(detail) = &self.detail {
            write!(f, "\nDETAIL: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT: {hint}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Could not open a connection; `target` names what was tried (never with a password).
    #[error("could not connect to {target}: {message}")]
    Connect {
        target: String,
        message: String,
        hint: Option<String>,
    },
    #[error("{0}")]
    Query(QueryError),
    #[error("ERROR: canceling statement due to user request")]
    Cancelled,
    /// The connection is gone and the statement provably never left dbsh (the connection
    /// was found closed before anything was written): it may run once on a new connection.
    #[error("connection lost: {0}")]
    ConnectionLost(String),
    /// The connection broke after the statement's bytes may have reached the server: it
    /// may or may not have run, and must never be re-run behind the user's back.
    #[error("connection lost; the statement may or may not have run ({0})")]
    LostInFlight(String),
    #[error("{0}")]
    Unsupported(String),
    /// The sink failed or stopped; not the database's fault.
    #[error("output error: {0}")]
    Output(std::io::Error),
    #[error("output stopped")]
    Stopped,
}

impl DbError {
    pub fn query(message: impl Into<String>) -> DbError {
        DbError::Query(QueryError {
            message: message.into(),
            ..QueryError::default()
        })
    }

    /// Whether the connection is gone (whatever became of the statement). The one place
    /// that decides it; the backends map their error codes into these two variants.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, DbError::ConnectionLost(_) | DbError::LostInFlight(_))
    }

    /// Why the connection was lost, as the server or the socket said.
    pub fn lost_reason(&self) -> Option<&str> {
        match self {
            DbError::ConnectionLost(r) | DbError::LostInFlight(r) => Some(r),
            _ => None,
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            DbError::Connect { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }
}

impl From<SinkError> for DbError {
    fn from(e: SinkError) -> Self {
        match e {
            SinkError::Io(e) => DbError::Output(e),
            SinkError::Stopped => DbError::Stopped,
        }
    }
}

/// psql-style transaction state, shown in the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TxState {
    #[default]
    Idle,
    InTransaction,
    Failed,
}

/// What the prompt and `\conninfo` show about a connection. Never holds a password.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnInfo {
    pub user: String,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    /// The server is a read-only replica (PostgreSQL in recovery, MySQL `@@read_only`).
    pub standby: bool,
}

/// Cancels the statement running on a connection, from another task or thread.
#[derive(Clone)]
pub enum Canceller {
    Sqlite(std::sync::Arc<rusqlite::InterruptHandle>),
    Postgres(postgres::PgCanceller),
    Mysql(mysql::MyCanceller),
}

impl Canceller {
    /// Ask the server to stop the running statement. Best effort: errors are ignored
    /// because the statement may already have finished.
    pub async fn cancel(&self) {
        match self {
            Canceller::Sqlite(handle) => handle.interrupt(),
            Canceller::Postgres(c) => c.cancel().await,
            Canceller::Mysql(c) => c.cancel().await,
        }
    }
}

/// An open connection to one of the three backends.
pub enum Connection {
    Sqlite(sqlite::SqliteConnection),
    Postgres(postgres::PgConnection),
    Mysql(mysql::MyConnection),
}

impl Connection {
    pub async fn connect(target: &Target) -> Result<Connection, DbError> {
        Ok(match target {
            Target::Sqlite(t) => Connection::Sqlite(sqlite::SqliteConnection::open(t)?),
            Target::Postgres(t) => Connection::Postgres(postgres::PgConnection::connect(t).await?),
            Target::Mysql(t) => Connection::Mysql(mysql::MyConnection::connect(t).await?),
        })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Connection::Sqlite(_) => Backend::Sqlite,
            Connection::Postgres(_) => Backend::Postgres,
            Connection::Mysql(_) => Backend::Mysql,
        }
    }

    /// Run one submission (one statement, or several where the backend allows) and stream
    /// its results into `sink`.
    pub async fn execute(&mut self, sql: &str, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        match self {
            // SQLite works on this thread; let the runtime know so that the Ctrl-C
            // handler keeps running on another worker.
            Connection::Sqlite(c) => {
                let multi = tokio::runtime::Handle::try_current().is_ok_and(|h| {
                    h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread
                });
                if multi {
                    tokio::task::block_in_place(|| c.execute(sql, sink))
                } else {
                    c.execute(sql, sink)
                }
            }
            Connection::Postgres(c) => c.execute(sql, sink).await,
            Connection::Mysql(c) => c.execute(sql, sink).await,
        }
    }

    /// `SHOW WARNINGS` into `sink` as notices, right after a MySQL statement that raised
    /// some; nothing on other backends, or when the statement raised none (so warnings
    /// of an earlier statement are never shown again).
    pub async fn show_warnings(&mut self, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        match self {
            Connection::Mysql(c) if c.last_warnings() > 0 => c.show_warnings(sink).await,
            _ => Ok(()),
        }
    }

    pub fn canceller(&self) -> Canceller {
        match self {
            Connection::Sqlite(c) => Canceller::Sqlite(c.interrupt_handle()),
            Connection::Postgres(c) => Canceller::Postgres(c.canceller()),
            Connection::Mysql(c) => Canceller::Mysql(c.canceller()),
        }
    }

    /// Learn what `info().standby` needs where it costs a round trip (MySQL's
    /// `@@read_only`); done before showing it (the prompt, `\conninfo`, a reconnect).
    pub async fn check_standby(&mut self) {
        if let Connection::Mysql(c) = self {
            c.check_read_only().await;
        }
    }

    pub fn info(&self) -> ConnInfo {
        match self {
            Connection::Sqlite(c) => c.info(),
            Connection::Postgres(c) => c.info(),
            Connection::Mysql(c) => c.info(),
        }
    }

    pub fn transaction_state(&self) -> TxState {
        match self {
            Connection::Sqlite(c) => c.transaction_state(),
            Connection::Postgres(c) => c.transaction_state(),
            Connection::Mysql(c) => c.transaction_state(),
        }
    }

    /// PostgreSQL's `standard_conforming_strings` as the server last reported it; `None`
    /// on the backends that have no such setting.
    pub fn standard_conforming_strings(&self) -> Option<bool> {
        match self {
            Connection::Postgres(c) => Some(c.standard_conforming_strings()),
            _ => None,
        }
    }
}
