//! PostgreSQL through tokio-postgres: connect as libpq would, run any SQL with the simple
//! query protocol (rows stream into the sink as they arrive, in the server's own text
//! form), cancel on Ctrl-C, and notice when the connection is gone.
//!
//! A lost connection is `DbError::ConnectionLost` only when the statement provably never
//! left dbsh (the client was closed before the request was queued); once it may have been
//! written it is `DbError::LostInFlight`. Both are decided from the client's closed state
//! and SQLSTATE codes, never from message text (servers translate messages).
//!
//! The driver's simple-query stream gives column names but not types, and row counts but
//! not command tags or the transaction status. Column types come from describing the
//! statement, sent together with the query so both cost one round trip (only for a lone
//! statement that may return rows); tags and
//! the transaction state are derived from the statement text (`crate::sql::tags`).

mod connect;
mod copy;
mod pgpass;
mod target;
mod tls;

use std::future::poll_fn;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{AsyncMessage, CancelToken, Client, SimpleQueryMessage};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::sql::tags::{self, TxEffect};

pub use copy::{copy_direction, error_data_line, CopyDirection};
pub use target::{PgTarget, SslMode};

use super::{
    ColumnInfo, ColumnKind, CommandOutcome, ConnInfo, DbError, Notice, QueryError, ResultSink,
    SinkError, TxState, Value,
};

/// How long a cancel request may take before we stop waiting for it.
const CANCEL_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends a cancel request for the statement running on one connection.
#[derive(Clone)]
pub struct PgCanceller(Arc<CancelHandle>);

struct CancelHandle {
    token: CancelToken,
    tls: MakeRustlsConnect,
    /// Set when a cancel was asked for, so that a statement not yet sent is not sent.
    requested: AtomicBool,
    /// Held while a cancel request is on its way.
    sending: tokio::sync::Mutex<()>,
}

impl PgCanceller {
    pub async fn cancel(&self) {
        let h = &self.0;
        let _sending = h.sending.lock().await;
        h.requested.store(true, Ordering::SeqCst);
        let _ = tokio::time::timeout(CANCEL_TIMEOUT, h.token.cancel_query(h.tls.clone())).await;
    }

    /// Wait until a cancel request on its way has been handled (the server, or a pooler,
    /// closed its connection), as psql does before going on: PgBouncer 1.18 crashes when
    /// the cancelling client hangs up first, which an exiting dbsh would do.
    pub(super) async fn settled(&self) {
        if self.0.requested.load(Ordering::SeqCst) {
            let _ = tokio::time::timeout(CANCEL_TIMEOUT, self.0.sending.lock()).await;
        }
    }
}

pub struct PgConnection {
    /// Boxed: the driver's client is large, and `Connection` is an enum of backends.
    client: Box<Client>,
    canceller: PgCanceller,
    /// Notices (and LISTEN notifications) from the connection task, in arrival order.
    notices: mpsc::UnboundedReceiver<Notice>,
    /// Why the connection task ended, once it has.
    closed_reason: Arc<Mutex<Option<String>>>,
    /// In recovery; follows the server's `in_hot_standby` reports (a promotion).
    standby: Arc<AtomicBool>,
    /// The server's `standard_conforming_strings`, as it last reported it (a `SET`, a
    /// function calling `set_config`, the role's or database's default).
    conforming: Arc<AtomicBool>,
    tx: TxState,
    info: ConnInfo,
}

impl PgConnection {
    pub async fn connect(target: &PgTarget) -> Result<PgConnection, DbError> {
        let opened = connect::open(target).await?;
        let (notice_tx, notices) = mpsc::unbounded_channel();
        let closed_reason = Arc::new(Mutex::new(None));
        let standby = Arc::new(AtomicBool::new(opened.standby));
        let conforming = Arc::new(AtomicBool::new(
            opened
                .connection
                .parameter("standard_conforming_strings")
                .is_none_or(|v| v == "on"),
        ));
        spawn_connection(
            opened.connection,
            notice_tx,
            closed_reason.clone(),
            Reports {
                standby: standby.clone(),
                conforming: conforming.clone(),
            },
        );
        let canceller = PgCanceller(Arc::new(CancelHandle {
            token: opened.client.cancel_token(),
            tls: opened.tls,
            requested: AtomicBool::new(false),
            sending: tokio::sync::Mutex::new(()),
        }));
        Ok(PgConnection {
            client: Box::new(opened.client),
            canceller,
            notices,
            closed_reason,
            standby,
            conforming,
            tx: TxState::Idle,
            info: ConnInfo {
                user: opened.host.user.clone(),
                host: opened.host.display_host(),
                port: Some(opened.host.port),
                database: opened.host.dbname.clone(),
                standby: opened.standby,
            },
        })
    }

    /// The driver client, for the catalog loader and describe commands.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn current_database(&self) -> &str {
        &self.info.database
    }

    pub fn canceller(&self) -> PgCanceller {
        self.canceller.clone()
    }

    pub fn info(&self) -> ConnInfo {
        ConnInfo {
            standby: self.standby.load(Ordering::Relaxed),
            ..self.info.clone()
        }
    }

    pub fn transaction_state(&self) -> TxState {
        self.tx
    }

    /// Whether `'…'` strings take backslashes literally, as the server last said.
    pub fn standard_conforming_strings(&self) -> bool {
        self.conforming.load(Ordering::Relaxed)
    }

    fn lost(&self) -> DbError {
        let reason = self
            .closed_reason
            .lock()
            .ok()
            .and_then(|r| r.clone())
            .unwrap_or_else(|| "the server closed the connection".into());
        DbError::ConnectionLost(reason)
    }

    fn deliver_notices(&mut self, sink: &mut dyn ResultSink) {
        while let Ok(n) = self.notices.try_recv() {
            sink.notice(&n);
        }
    }

    pub async fn execute(&mut self, sql: &str, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        let result = self.run(sql, sink).await;
        self.canceller.settled().await;
        result
    }

    async fn run(&mut self, sql: &str, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        self.deliver_notices(sink);
        if self.client.is_closed() {
            // The server rolled back whatever was open when the connection went.
            self.tx = TxState::Idle;
            return Err(self.lost());
        }
        let statements = tags::split(sql);
        if statements.iter().any(tags::Statement::is_copy_stdio) {
            return Err(DbError::Unsupported(
                "COPY … FROM STDIN / TO STDOUT is not supported; COPY to or from a server file works".into(),
            ));
        }
        self.canceller.0.requested.store(false, Ordering::SeqCst);
        // One Query message: the row description carries the type OIDs (the vendored
        // tokio-postgres exposes them), so the server parses the text once and no
        // statement name is left behind for a pooler to lose.
        let queued = self.client.simple_query_raw(sql).await;
        let mut run = Run {
            statements: &statements,
            index: 0,
            in_rows: false,
            pending_columns: None,
            rows: 0,
        };
        let stream = match queued {
            Ok(s) => s,
            // The request could not even be queued: the connection task had ended.
            Err(e) if e.is_closed() => {
                self.tx = TxState::Idle;
                return Err(self.lost());
            }
            Err(e) => return Err(self.fail(&run, e)),
        };
        let mut stream = pin!(stream);
        if self.canceller.0.requested.load(Ordering::SeqCst) {
            self.canceller.cancel().await;
        }
        loop {
            let next = stream.next().await;
            self.deliver_notices(sink);
            let message = match next {
                None => return Ok(()),
                Some(Ok(m)) => m,
                Some(Err(e)) => return Err(self.fail(&run, e)),
            };
            if let Err(e) = self.handle(&mut run, message, sink) {
                // The sink is done (closed pipe, or the user declined more rows): stop
                // the statement on the server and read what is still on its way.
                self.canceller.cancel().await;
                while let Some(m) = stream.next().await {
                    match m {
                        Ok(SimpleQueryMessage::CommandComplete(_)) => run.complete(&mut self.tx),
                        Ok(_) => {}
                        Err(_) => {
                            self.tx = after_error(run.state_before(self.tx));
                            break;
                        }
                    }
                }
                self.deliver_notices(sink);
                return Err(e.into());
            }
        }
    }

    /// Pass one message of the result stream on to the sink.
    fn handle(
        &mut self,
        run: &mut Run<'_>,
        message: SimpleQueryMessage,
        sink: &mut dyn ResultSink,
    ) -> Result<(), SinkError> {
        match message {
            SimpleQueryMessage::RowDescription(cols) => {
                let infos: Vec<ColumnInfo> = cols
                    .iter()
                    .map(|c| ColumnInfo {
                        name: c.name().to_string(),
                        kind: Type::from_oid(c.type_oid())
                            .map_or(ColumnKind::Text, |t| kind_of(&t)),
                    })
                    .collect();
                run.in_rows = true;
                run.rows = 0;
                // Held until the first row or the end, so that a statement failing before
                // its first row (a cancelled pg_sleep) shows only its error, as in psql.
                run.pending_columns = Some(infos);
                Ok(())
            }
            SimpleQueryMessage::Row(row) => {
                let mut cells: Vec<Value<'_>> = Vec::with_capacity(row.len());
                for i in 0..row.len() {
                    cells.push(match row.try_get(i) {
                        Ok(Some(text)) => Value::Text(text),
                        _ => Value::Null,
                    });
                }
                if let Some(cols) = run.pending_columns.take() {
                    sink.columns(&cols)?;
                }
                run.rows += 1;
                sink.row(&cells)
            }
            SimpleQueryMessage::CommandComplete(count) => {
                let before = run.state_before(self.tx);
                let result = if run.in_rows {
                    match run.pending_columns.take() {
                        Some(cols) => sink.columns(&cols).and_then(|()| sink.rows_done(run.rows)),
                        None => sink.rows_done(run.rows),
                    }
                } else if let Some(stmt) = run.statements.get(run.index) {
                    sink.command(&CommandOutcome {
                        tag: Some(stmt.tag(count, before == TxState::Failed)),
                        rows_affected: Some(count),
                        ..CommandOutcome::default()
                    })
                } else {
                    Ok(())
                };
                run.complete(&mut self.tx);
                result
            }
            _ => Ok(()),
        }
    }

    /// The error a failed statement ends with; the transaction state follows it.
    fn fail(&mut self, run: &Run<'_>, e: tokio_postgres::Error) -> DbError {
        self.tx = after_error(run.state_before(self.tx));
        if let Some(db) = e.as_db_error() {
            // 57014 is also the server's own statement_timeout: only our request is a cancel.
            if db.code() == &SqlState::QUERY_CANCELED
                && self.canceller.0.requested.load(Ordering::SeqCst)
            {
                return DbError::Cancelled;
            }
            let q = QueryError {
                message: db.message().to_string(),
                sqlstate: Some(db.code().code().to_string()),
                vendor_code: None,
                detail: db.detail().map(str::to_string),
                hint: db
                    .hint()
                    .map(str::to_string)
                    .or_else(|| connect::standby_write_hint(db.code().code(), self.info.standby)),
                position: match db.position() {
                    Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
                    _ => None,
                },
            };
            // The server ends this session (terminated backend, shutdown, idle timeout)
            // while our statement was on its way or running: it may or may not have run.
            if ends_session(db) {
                self.tx = TxState::Idle;
                if let Ok(mut r) = self.closed_reason.lock() {
                    r.get_or_insert_with(|| db.message().to_string());
                }
                return DbError::LostInFlight(format!("{}: {}", db.severity(), db.message()));
            }
            return DbError::Query(q);
        }
        // Not the server's answer: the socket broke (or the protocol did) after the request
        // was queued, so the statement may have reached the server.
        self.tx = TxState::Idle;
        let reason = if e.is_closed() || self.client.is_closed() {
            "server closed the connection unexpectedly".to_string()
        } else {
            e.to_string()
        };
        DbError::LostInFlight(reason)
    }
}

/// Progress through the statements of one submission.
struct Run<'a> {
    statements: &'a [tags::Statement],
    /// The statement whose results are arriving.
    index: usize,
    in_rows: bool,
    pending_columns: Option<Vec<ColumnInfo>>,
    rows: u64,
}

impl Run<'_> {
    fn state_before(&self, tx: TxState) -> TxState {
        tx
    }

    /// The current statement finished: move the transaction state and go to the next.
    fn complete(&mut self, tx: &mut TxState) {
        if let Some(stmt) = self.statements.get(self.index) {
            *tx = after_success(stmt.effect(), *tx);
        }
        self.index += 1;
        self.in_rows = false;
        self.rows = 0;
    }
}

/// Whether the server is ending the session with this error: FATAL/PANIC (the
/// nonlocalized severity), or a code that only comes with a closing connection.
fn ends_session(db: &tokio_postgres::error::DbError) -> bool {
    use tokio_postgres::error::Severity;
    matches!(
        db.parsed_severity(),
        Some(Severity::Fatal | Severity::Panic)
    ) || [
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CRASH_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
        SqlState::IDLE_SESSION_TIMEOUT,
    ]
    .contains(db.code())
        || db.code().code().starts_with("08")
}

/// The transaction state after a statement that succeeded.
fn after_success(effect: TxEffect, before: TxState) -> TxState {
    match effect {
        TxEffect::Opens => TxState::InTransaction,
        TxEffect::Closes => TxState::Idle,
        TxEffect::Chains | TxEffect::ToSavepoint if before != TxState::Idle => {
            TxState::InTransaction
        }
        TxEffect::Chains | TxEffect::ToSavepoint => TxState::Idle,
        TxEffect::Keeps => before,
    }
}

/// The transaction state after a statement failed: an error inside a transaction block
/// aborts it; outside one, the implicit transaction is simply gone.
pub(super) fn after_error(before: TxState) -> TxState {
    match before {
        TxState::Idle => TxState::Idle,
        TxState::InTransaction | TxState::Failed => TxState::Failed,
    }
}

/// How renderers should treat a column of this type.
fn kind_of(t: &Type) -> ColumnKind {
    match *t {
        Type::INT2
        | Type::INT4
        | Type::INT8
        | Type::NUMERIC
        | Type::FLOAT4
        | Type::FLOAT8
        | Type::OID => ColumnKind::Number,
        Type::BOOL => ColumnKind::Bool,
        Type::JSON | Type::JSONB => ColumnKind::Json,
        Type::BYTEA => ColumnKind::Binary,
        _ => ColumnKind::Text,
    }
}

/// Server parameters the connection task keeps up to date for the session.
struct Reports {
    standby: Arc<AtomicBool>,
    conforming: Arc<AtomicBool>,
}

/// Drive the connection on its own task, forwarding notices and notifications, and
/// recording why it ended.
fn spawn_connection<S, T>(
    mut connection: tokio_postgres::Connection<S, T>,
    notices: mpsc::UnboundedSender<Notice>,
    closed_reason: Arc<Mutex<Option<String>>>,
    reports: Reports,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let reason = loop {
            let message = poll_fn(|cx| {
                let m = connection.poll_message(cx);
                if let Some(hot) = connection.parameter("in_hot_standby") {
                    reports.standby.store(hot == "on", Ordering::Relaxed);
                }
                if let Some(on) = connection.parameter("standard_conforming_strings") {
                    reports.conforming.store(on == "on", Ordering::Relaxed);
                }
                m
            })
            .await;
            match message {
                Some(Ok(AsyncMessage::Notice(n))) => {
                    let mut message = n.message().to_string();
                    if let Some(d) = n.detail() {
                        message.push_str("\nDETAIL: ");
                        message.push_str(d);
                    }
                    if let Some(h) = n.hint() {
                        message.push_str("\nHINT: ");
                        message.push_str(h);
                    }
                    let _ = notices.send(Notice {
                        severity: n.severity().to_string(),
                        message,
                    });
                }
                Some(Ok(AsyncMessage::Notification(n))) => {
                    let _ = notices.send(Notice {
                        severity: "NOTIFY".into(),
                        message: format!(
                            "asynchronous notification \"{}\" with payload \"{}\" received from server process with PID {}",
                            n.channel(),
                            n.payload(),
                            n.process_id()
                        ),
                    });
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    break match e.as_db_error() {
                        Some(db) => db.message().to_string(),
                        None => e.to_string(),
                    }
                }
                None => break "the connection was closed".to_string(),
            }
        };
        if let Ok(mut r) = closed_reason.lock() {
            r.get_or_insert(reason);
        }
    });
}
