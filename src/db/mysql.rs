//! MySQL and MariaDB through mysql_async's text protocol, so that any statement the server
//! accepts runs (including multi-statement strings, `CALL` with several result sets and
//! commands the binary protocol cannot prepare).
//!
//! Rows are streamed into the sink as the driver reads them; nothing holds a result set.
//! MySQL has no cancel request: `KILL QUERY <id>` goes over a short-lived side connection,
//! both for Ctrl-C and for a sink that stops reading. There is no ping before a statement:
//! a dead connection is found by the statement's own write and read, and classified by
//! `types::lost` from error numbers: `DbError::ConnectionLost` only where the statement
//! provably never left dbsh, `DbError::LostInFlight` once it may have been written.
//!
//! Submodules: `target` (URL/flags/my.cnf/env resolution), `mycnf` (option files), `types`
//! (columns, cells, errors), `password` (the no-echo prompt).

mod mycnf;
mod target;
mod types;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mysql_async::consts::StatusFlags;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, DriverError, Error as MyError, IoError, Opts, OptsBuilder, SslOpts};

pub use target::{Endpoint, MyTarget, SslMode};

use super::{ColumnInfo, CommandOutcome, ConnInfo, DbError, ResultSink, TxState, Value};
use crate::result::Notice;
use types::{
    ER_ACCESS_DENIED, ER_ACCESS_DENIED_NO_PASSWORD, ER_BAD_DB, ER_OPTION_PREVENTS_STATEMENT,
};

/// A side connection for `KILL QUERY` gives up after this long.
const KILL_TIMEOUT: Duration = Duration::from_secs(5);

/// Shared by a connection and its cancellers.
#[derive(Default)]
struct CancelState {
    /// Set by `cancel`; the running statement ends as `DbError::Cancelled`.
    requested: AtomicBool,
    /// Held while a `KILL QUERY` is on its way, so that a statement does not return (and
    /// the next one start) before the kill has landed.
    in_flight: tokio::sync::Mutex<()>,
}

/// Cancels the statement running on one connection (Ctrl-C).
#[derive(Clone)]
pub struct MyCanceller {
    side: Opts,
    id: u32,
    state: Arc<CancelState>,
}

impl MyCanceller {
    pub async fn cancel(&self) {
        let _guard = self.state.in_flight.lock().await;
        self.state.requested.store(true, Ordering::SeqCst);
        kill_query(&self.side, self.id).await;
    }
}

pub struct MyConnection {
    conn: Conn,
    target: MyTarget,
    /// This connection's options without a database (which may be dropped meanwhile),
    /// for side connections.
    side: Opts,
    cancel: Arc<CancelState>,
    tx: TxState,
    database: Option<String>,
    /// `autocommit` as the server last reported it (off: every statement is in a
    /// transaction that a lost connection rolls back).
    autocommit: bool,
    /// The server said it is closing this connection (killed, shutdown): never send on it.
    broken: Option<String>,
    /// The server is read-only (`@@read_only`), as replicas are; `None` until asked
    /// (`check_read_only`): a run of `-c`/`-f` does not pay a round trip for a marker
    /// only the prompt and `\conninfo` show.
    read_only_server: Option<bool>,
    /// The warning count of the last statement run (0 when it had none), so that `\W`
    /// asks `SHOW WARNINGS` only when there is something new to show.
    last_warnings: u32,
}

impl MyConnection {
    pub async fn connect(target: &MyTarget) -> Result<MyConnection, DbError> {
        let mut typed = None;
        let mut password = target
            .remembered_password()
            .or_else(|| target.password.clone());
        if target.ask_password && target.remembered_password().is_none() {
            let pw = ask_password(target).await?;
            password = Some(pw.clone());
            typed = Some(pw);
        }
        let database = target.current_database();
        let conn = match open(target, password.as_deref(), database.as_deref()).await {
            Ok(c) => c,
            // As psql does: ask when the server wants a password we do not have.
            Err(e) if password.is_none() && target.interactive && is_access_denied(&e) => {
                let pw = ask_password(target).await?;
                let c = open(target, Some(&pw), database.as_deref())
                    .await
                    .map_err(|e| connect_error(target, &e, true))?;
                typed = Some(pw);
                c
            }
            Err(e) => return Err(connect_error(target, &e, password.is_some())),
        };
        if let Some(pw) = typed {
            target.remember_password(pw);
        }
        let side = OptsBuilder::from_opts(conn.opts().clone())
            .db_name(None::<String>)
            .into();
        Ok(MyConnection {
            read_only_server: None,
            last_warnings: 0,
            conn,
            target: target.clone(),
            side,
            cancel: Arc::new(CancelState::default()),
            tx: TxState::Idle,
            database,
            autocommit: true,
            broken: None,
        })
    }

    pub fn canceller(&self) -> MyCanceller {
        MyCanceller {
            side: self.side.clone(),
            id: self.conn.id(),
            state: self.cancel.clone(),
        }
    }

    pub fn info(&self) -> ConnInfo {
        let (host, port) = match &self.target.endpoint {
            Endpoint::Tcp { host, port } => (host.clone(), Some(*port)),
            Endpoint::Socket(_) => ("localhost".to_string(), None),
        };
        ConnInfo {
            user: self.target.user.clone(),
            host,
            port,
            database: self.database.clone().unwrap_or_default(),
            standby: self.read_only_server == Some(true),
        }
    }

    pub fn transaction_state(&self) -> TxState {
        self.tx
    }

    /// Ask the server once whether it is read-only (a replica), for `info().standby`.
    pub async fn check_read_only(&mut self) {
        if self.read_only_server.is_none() && self.broken.is_none() {
            self.read_only_server = Some(server_read_only(&mut self.conn).await);
        }
    }

    /// Whether `autocommit` was on at the end of the last statement.
    pub fn autocommit(&self) -> bool {
        self.autocommit
    }

    /// The database `USE` last moved to (`None`: no database selected).
    pub fn current_database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The server's connection id (what `KILL` and the processlist call it).
    pub fn connection_id(&self) -> u32 {
        self.conn.id()
    }

    /// How many warnings the last statement produced.
    pub fn last_warnings(&self) -> u32 {
        self.last_warnings
    }

    /// `SHOW WARNINGS` for the statement just run, each as a notice
    /// (`Warning (Code 1264): Out of range value …`, as the mysql client prints them).
    pub async fn show_warnings(&mut self, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        let rows: Vec<(String, u32, String)> = self
            .conn
            .query("SHOW WARNINGS")
            .await
            .map_err(types::statement_error)?;
        for (level, code, message) in rows {
            sink.notice(&Notice {
                severity: format!("{level} (Code {code})"),
                message,
            });
        }
        Ok(())
    }

    /// The driver connection, for the catalog loader and describe commands.
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }

    pub async fn execute(&mut self, sql: &str, sink: &mut dyn ResultSink) -> Result<(), DbError> {
        if let Some(reason) = &self.broken {
            return Err(DbError::ConnectionLost(reason.clone()));
        }
        self.cancel.requested.store(false, Ordering::SeqCst);
        self.last_warnings = 0;
        let outcome = stream(
            &mut self.conn,
            sql,
            sink,
            &self.cancel,
            &self.side,
            &mut self.last_warnings,
        )
        .await;
        if let Some(ok) = self.conn.last_ok_packet() {
            let flags = ok.status_flags();
            self.tx = if flags.contains(StatusFlags::SERVER_STATUS_IN_TRANS) {
                TxState::InTransaction
            } else {
                TxState::Idle
            };
            self.autocommit = flags.contains(StatusFlags::SERVER_STATUS_AUTOCOMMIT);
        }
        let mut result = match outcome {
            Ok(()) => Ok(()),
            Err(Failure { error, broken }) => {
                if broken.is_some() {
                    self.broken = broken;
                    // The server rolls back whatever was open when the connection went.
                    self.tx = TxState::Idle;
                }
                Err(error)
            }
        };
        if self.cancel.requested.load(Ordering::SeqCst) {
            // Wait for the KILL to land, so it cannot hit the next statement.
            drop(self.cancel.in_flight.lock().await);
            let keep = match &result {
                Err(e) => {
                    e.is_connection_lost() || matches!(e, DbError::Output(_) | DbError::Stopped)
                }
                Ok(()) => false,
            };
            if !keep {
                result = Err(DbError::Cancelled);
            }
        }
        if self.broken.is_none()
            && crate::sql::facts::may_change_database(sql, crate::sql::Dialect::Mysql)
        {
            self.refresh_database().await;
        }
        if let Err(DbError::Query(q)) = &mut result {
            if q.vendor_code == Some(u32::from(ER_OPTION_PREVENTS_STATEMENT)) {
                // 1290 has other causes (--secure-file-priv): ask the server, which may
                // also have been made read-only since we connected (a switchover).
                let read_only = server_read_only(&mut self.conn).await;
                self.read_only_server = Some(read_only);
                if read_only && q.hint.is_none() {
                    q.hint = Some(types::read_only_write_hint());
                }
            }
        }
        result
    }

    async fn refresh_database(&mut self) {
        let row: Result<Option<mysql_async::Row>, _> =
            self.conn.query_first("SELECT DATABASE()").await;
        if let Ok(Some(row)) = row {
            if let Some(Ok(db)) = row.get_opt::<Option<String>, _>(0) {
                self.target.remember_database(db.clone());
                self.database = db;
            }
        }
    }
}

/// Whether the server refuses writes (`@@global.read_only`), as replicas are run; `false`
/// when it cannot say (a proxy refusing the query).
async fn server_read_only(conn: &mut Conn) -> bool {
    conn.query_first::<String, _>("SELECT @@global.read_only")
        .await
        .ok()
        .flatten()
        .is_some_and(|v| types::read_only_value(&v))
}

/// Why `stream` ended early; `broken` says the connection must not be used again.
struct Failure {
    error: DbError,
    broken: Option<String>,
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Self {
        Failure {
            error,
            broken: None,
        }
    }
}

/// A driver error during a statement: a lost connection (never to be used again) or the
/// server rejecting the statement.
fn failure(e: MyError) -> Failure {
    match types::lost(&e) {
        Some(lost) => Failure {
            broken: lost.lost_reason().map(str::to_string),
            error: lost,
        },
        None => Failure::from(types::statement_error(e)),
    }
}

/// Run `sql` and push every result set into `sink` as it arrives.
async fn stream(
    conn: &mut Conn,
    sql: &str,
    sink: &mut dyn ResultSink,
    cancel: &CancelState,
    side: &Opts,
    last_warnings: &mut u32,
) -> Result<(), Failure> {
    let id = conn.id();
    // A script's raw bytes (BLOB values in a dump) go to the server as they were read.
    let raw = crate::rawbytes::encode(sql);
    let mut result = match &raw {
        Some(bytes) => conn.query_iter(bytes.as_slice()).await,
        None => conn.query_iter(sql).await,
    }
    .map_err(failure)?;
    // Reused across rows: the cells borrow from one row at a time.
    let mut owned: Vec<Option<String>> = Vec::new();
    loop {
        let Some(columns) = result.columns() else {
            // No result set pending: either the end, or a later statement's error that
            // the driver keeps until asked for the next row.
            return match result.next().await {
                Ok(_) => Ok(()),
                Err(e) => Err(failure(e)),
            };
        };
        if columns.is_empty() {
            let outcome = command_outcome(
                result.affected_rows(),
                result.warnings(),
                result.last_insert_id(),
                &result.info(),
            );
            *last_warnings = outcome.warnings;
            if let Err(e) = sink.command(&outcome) {
                let _ = result.drop_result().await;
                return Err(DbError::from(e).into());
            }
            // Moves on to the next statement's result.
            result.next().await.map_err(failure)?;
            continue;
        }
        let infos: Vec<ColumnInfo> = columns.iter().map(types::column_info).collect();
        let kinds: Vec<_> = infos.iter().map(|c| c.kind).collect();
        if let Err(e) = sink.columns(&infos) {
            abandon(result, side, id).await;
            return Err(DbError::from(e).into());
        }
        let mut count = 0u64;
        loop {
            if cancel.requested.load(Ordering::SeqCst) {
                // The KILL is on its way; stop showing rows now.
                let _ = result.drop_result().await;
                return Err(DbError::Cancelled.into());
            }
            // `next` gives this result set's rows, then `None` once it moved to the next.
            let row = match result.next().await {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => return Err(failure(e)),
            };
            owned.clear();
            owned.extend((0..row.len()).map(|i| row.as_ref(i).and_then(types::owned_text)));
            let cells: Vec<Value<'_>> = (0..row.len())
                .map(|i| match row.as_ref(i) {
                    Some(v) => types::cell(
                        v,
                        kinds.get(i).copied().unwrap_or(super::ColumnKind::Text),
                        &owned[i],
                    ),
                    None => Value::Null,
                })
                .collect();
            if let Err(e) = sink.row(&cells) {
                drop(cells);
                abandon(result, side, id).await;
                return Err(DbError::from(e).into());
            }
            count += 1;
        }
        // The EOF/OK packet after the rows carries this result set's warning count.
        let warnings = u32::from(result.warnings());
        *last_warnings = warnings;
        sink.warnings(warnings);
        sink.rows_done(count).map_err(DbError::from)?;
    }
}

/// Stop a result nobody reads any more: kill the query (rows may be millions) and drain
/// what is already on the wire, so the connection stays usable.
async fn abandon(
    result: mysql_async::QueryResult<'_, 'static, mysql_async::TextProtocol>,
    side: &Opts,
    id: u32,
) {
    kill_query(side, id).await;
    let _ = result.drop_result().await;
}

/// `KILL QUERY id` from a new connection; best effort, bounded in time.
async fn kill_query(side: &Opts, id: u32) {
    let kill = async {
        let mut c = Conn::new(side.clone()).await?;
        c.query_drop(format!("KILL QUERY {id}")).await?;
        c.disconnect().await
    };
    let _ = tokio::time::timeout(KILL_TIMEOUT, kill).await;
}

/// What the mysql client prints after a statement without rows.
fn command_outcome(
    affected: u64,
    warnings: u16,
    last_insert_id: Option<u64>,
    info: &str,
) -> CommandOutcome {
    let rows = if affected == 1 { "row" } else { "rows" };
    let mut tag = format!("Query OK, {affected} {rows} affected");
    if warnings > 0 {
        tag.push_str(&crate::result::warning_count(u32::from(warnings)));
    }
    if !info.is_empty() {
        // `Records: 3  Duplicates: 0  Warnings: 0`, on its own line as the mysql client shows it.
        tag.push('\n');
        tag.push_str(info);
    }
    CommandOutcome {
        tag: Some(tag),
        rows_affected: Some(affected),
        warnings: u32::from(warnings),
        last_insert_id: last_insert_id.filter(|&id| id != 0),
    }
}

/// 1045, or MariaDB's 1698 (unknown user, or a unix_socket account).
fn is_access_denied(e: &MyError) -> bool {
    matches!(e, MyError::Server(se) if se.code == ER_ACCESS_DENIED || se.code == ER_ACCESS_DENIED_NO_PASSWORD)
}

async fn ask_password(target: &MyTarget) -> Result<String, DbError> {
    let Some(asker) = target.asker.as_ref().filter(|_| target.interactive) else {
        return Err(DbError::Connect {
            target: target.describe(),
            message: "a password is needed but there is no terminal to ask on".into(),
            hint: Some(
                "put it in the URL, in ~/.my.cnf ([client] password=…) or in MYSQL_PWD".into(),
            ),
        });
    };
    asker
        .ask(format!("Password for {}: ", target.user))
        .await
        .map_err(|message| DbError::Connect {
            target: target.describe(),
            message,
            hint: None,
        })
}

/// Open a connection with the target's TLS mode; PREFERRED goes on in plain text on the
/// same connection when the server offers no TLS (the vendored driver's plain fallback).
async fn open(
    target: &MyTarget,
    password: Option<&str>,
    db: Option<&str>,
) -> Result<Conn, MyError> {
    let tls = match (&target.endpoint, target.ssl_mode) {
        // A Unix socket is local already; the mysql client does not encrypt it either.
        (Endpoint::Socket(_), _) | (_, SslMode::Disabled) => None,
        (_, mode) => Some(ssl_opts(mode, target.ssl_ca.as_deref())),
    };
    let opts = options(target, password, db, tls);
    match tokio::time::timeout(target.connect_timeout, Conn::new(opts)).await {
        Ok(r) => r,
        Err(_) => Err(MyError::Io(IoError::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("timed out after {} s", target.connect_timeout.as_secs()),
        )))),
    }
}

fn ssl_opts(mode: SslMode, ca: Option<&std::path::Path>) -> SslOpts {
    let mut ssl = SslOpts::default();
    if let Some(ca) = ca {
        ssl = ssl.with_root_certs(vec![ca.to_path_buf().into()]);
    }
    match mode {
        SslMode::VerifyIdentity => ssl,
        SslMode::VerifyCa => ssl.with_danger_skip_domain_validation(true),
        // Encryption without verification, as the mysql client's REQUIRED/PREFERRED;
        // PREFERRED also takes a server without TLS.
        _ => ssl
            .with_danger_accept_invalid_certs(true)
            .with_danger_skip_domain_validation(true)
            .with_plain_fallback(mode == SslMode::Preferred),
    }
}

fn options(
    target: &MyTarget,
    password: Option<&str>,
    db: Option<&str>,
    ssl: Option<SslOpts>,
) -> Opts {
    let b = OptsBuilder::default()
        .user(Some(target.user.clone()))
        .pass(password.map(str::to_string))
        .db_name(db.map(str::to_string))
        // Connect where the user said; do not switch TCP to the socket behind their back.
        .prefer_socket(false)
        // Known values skip the driver's `SELECT @@max_allowed_packet, @@wait_timeout`.
        .max_allowed_packet(Some(1 << 30))
        .wait_timeout(Some(28800))
        .tcp_nodelay(true)
        .ssl_opts(ssl);
    match &target.endpoint {
        Endpoint::Tcp { host, port } => b.ip_or_hostname(host.clone()).tcp_port(*port).into(),
        Endpoint::Socket(path) => b.socket(Some(path.to_string_lossy().into_owned())).into(),
    }
}

/// A failed connection as the user should see it: what, why, and what to try.
fn connect_error(target: &MyTarget, e: &MyError, had_password: bool) -> DbError {
    let address = target.address();
    let (message, hint) = match e {
        MyError::Server(se) => {
            let message = format!("ERROR {} ({}): {}", se.code, se.state, se.message);
            let hint = match se.code {
                ER_ACCESS_DENIED | ER_ACCESS_DENIED_NO_PASSWORD if !had_password => Some(
                    "no password was given: use -W to be asked, or put it in the URL, ~/.my.cnf or MYSQL_PWD"
                        .to_string(),
                ),
                ER_ACCESS_DENIED | ER_ACCESS_DENIED_NO_PASSWORD => Some("check the user name and password".to_string()),
                ER_BAD_DB => Some("check the database name (SHOW DATABASES lists them)".to_string()),
                _ => None,
            };
            (message, hint)
        }
        MyError::Io(IoError::Io(io)) => {
            use std::io::ErrorKind::*;
            let hint = match io.kind() {
                ConnectionRefused => Some(format!("is the server running on {address}?")),
                NotFound if matches!(target.endpoint, Endpoint::Socket(_)) => Some(format!(
                    "is the server running? {address} does not exist (give a host such as 127.0.0.1 to use TCP)"
                )),
                TimedOut => Some(format!("is {address} reachable (firewall, host name)?")),
                _ => None,
            };
            let message = match io.kind() {
                ConnectionRefused => "connection refused".to_string(),
                NotFound if matches!(target.endpoint, Endpoint::Socket(_)) => {
                    "no such socket".to_string()
                }
                _ => io.to_string(),
            };
            (message, hint)
        }
        MyError::Io(IoError::Tls(t)) => (
            format!("TLS error: {t}"),
            Some("check ssl-ca, or use ssl-mode=REQUIRED to encrypt without verifying".into()),
        ),
        MyError::Driver(DriverError::NoClientSslFlagFromServer) => (
            format!(
                "the server does not support TLS (ssl-mode={})",
                target.ssl_mode.name()
            ),
            Some("use ssl-mode=PREFERRED or DISABLED, or enable TLS on the server".into()),
        ),
        other => (other.to_string(), None),
    };
    DbError::Connect {
        target: target.describe(),
        message,
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_text() {
        let o = command_outcome(3, 1, Some(7), "Records: 3  Duplicates: 0  Warnings: 1");
        assert_eq!(
            o.tag.as_deref(),
            Some("Query OK, 3 rows affected, 1 warning\nRecords: 3  Duplicates: 0  Warnings: 1")
        );
        assert_eq!(
            (o.rows_affected, o.warnings, o.last_insert_id),
            (Some(3), 1, Some(7))
        );
        assert_eq!(
            command_outcome(1, 0, None, "").tag.as_deref(),
            Some("Query OK, 1 row affected")
        );
        assert_eq!(command_outcome(0, 0, Some(0), "").last_insert_id, None);
    }
}
