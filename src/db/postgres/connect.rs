//! Opening a PostgreSQL connection: the driver configuration from a `PgTarget`, the
//! password (given, `.pgpass`, or asked for on the terminal), and failures explained the
//! way psql users expect (which host/port/user, and why). A multi-host target is tried
//! host by host, as libpq does: each connection is checked against
//! `target_session_attrs` and dropped when it does not fit.

use tokio_postgres::config::SslMode as DriverSslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::db::DbError;

use super::pgpass;
use super::target::{PgTarget, SessionAttrs, SslMode};
use super::tls;

/// A connected client and the connection future that must be driven for it to work.
pub(super) struct Opened<C> {
    pub client: tokio_postgres::Client,
    pub connection: C,
    pub tls: MakeRustlsConnect,
    /// The target narrowed to the host this connection reached.
    pub host: PgTarget,
    /// The server is a hot standby (in recovery).
    pub standby: bool,
}

type DriverConnection = tokio_postgres::Connection<
    tokio_postgres::Socket,
    <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>>::Stream,
>;

/// What a server said about itself, as `target_session_attrs` needs it.
#[derive(Debug, Clone, Copy)]
struct ServerState {
    standby: bool,
    read_only: bool,
}

/// Why a server that answered is not the one asked for (libpq's words), or `None`.
fn mismatch(attrs: SessionAttrs, st: ServerState) -> Option<&'static str> {
    match attrs {
        SessionAttrs::Any | SessionAttrs::PreferStandby => None,
        SessionAttrs::ReadWrite if st.read_only => Some("session is read-only"),
        SessionAttrs::ReadOnly if !st.read_only => Some("session is not read-only"),
        SessionAttrs::Primary if st.standby => Some("server is in hot standby mode"),
        SessionAttrs::Standby if !st.standby => Some("server is not in hot standby mode"),
        _ => None,
    }
}

/// Connect to the first host of `target` that fits its `target_session_attrs`, trying
/// them in order (or shuffled, with `load_balance_hosts=random`). `prefer-standby` takes
/// any host only when no standby answered.
pub(super) async fn open(target: &PgTarget) -> Result<Opened<DriverConnection>, DbError> {
    let mut hosts = target.hosts.clone();
    if target.load_balance {
        shuffle(&mut hosts);
    }
    let single = hosts.len() == 1;
    let mut failures: Vec<(String, DbError)> = Vec::new();
    let passes: &[SessionAttrs] = match target.session_attrs {
        SessionAttrs::PreferStandby => &[SessionAttrs::Standby, SessionAttrs::Any],
        other => &[other],
    };
    for &attrs in passes {
        for spec in &hosts {
            let one = target.on_host(spec);
            let name = host_label(&one);
            let mut opened = match open_host(&one).await {
                Ok(o) => o,
                // A single host's failure is reported exactly as before.
                Err(e) if single => return Err(e),
                Err(e) => {
                    failures.push((name, e));
                    continue;
                }
            };
            let state = match server_state(&mut opened).await {
                Ok(st) => st,
                Err(e) => {
                    failures.push((name, e));
                    continue;
                }
            };
            match mismatch(attrs, state) {
                None => {
                    opened.standby = state.standby;
                    return Ok(opened);
                }
                Some(why) => failures.push((name, connect_error(&one, why, None))),
            }
        }
    }
    Err(all_failed(target, failures))
}

fn host_label(one: &PgTarget) -> String {
    if one.is_socket() {
        one.socket_path().display().to_string()
    } else if one.host.contains(':') {
        format!("[{}]:{}", one.host, one.port)
    } else {
        format!("{}:{}", one.host, one.port)
    }
}

/// One error naming every host and why it was passed over; a lone failure is kept as is.
fn all_failed(target: &PgTarget, mut failures: Vec<(String, DbError)>) -> DbError {
    if failures.len() == 1 {
        return failures.pop().map(|(_, e)| e).expect("one failure");
    }
    let hint = failures
        .iter()
        .rev()
        .find_map(|(_, e)| e.hint().map(str::to_string));
    let lines: Vec<String> = failures
        .iter()
        .map(|(host, e)| match e {
            DbError::Connect { message, .. } => format!("  {host}: {message}"),
            other => format!("  {host}: {other}"),
        })
        .collect();
    connect_error(target, format!("no host fits\n{}", lines.join("\n")), hint)
}

/// Whether the server is a standby and its sessions read-only: from the parameters the
/// server reports at start-up (PostgreSQL 14 and later, no round trip), else by asking.
async fn server_state(opened: &mut Opened<DriverConnection>) -> Result<ServerState, DbError> {
    let on = |v: &str| v == "on";
    let conn = &opened.connection;
    if let (Some(hot), Some(ro)) = (
        conn.parameter("in_hot_standby"),
        conn.parameter("default_transaction_read_only"),
    ) {
        return Ok(ServerState {
            standby: on(hot),
            read_only: on(hot) || on(ro),
        });
    }
    let query = opened.client.simple_query(
        "SELECT pg_catalog.pg_is_in_recovery()::text, pg_catalog.current_setting('transaction_read_only')",
    );
    let rows = tokio::select! {
        r = query => r,
        _ = &mut opened.connection => {
            return Err(connect_error(&opened.host, "the server closed the connection", None));
        }
    }
    .map_err(|e| connect_error(&opened.host, e.to_string(), None))?;
    let row = rows.iter().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(r) => Some(r),
        _ => None,
    });
    let get = |i: usize| row.and_then(|r| r.get(i)).unwrap_or("");
    let standby = get(0) == "true";
    Ok(ServerState {
        standby,
        read_only: standby || on(get(1)),
    })
}

/// The one-line hint for a write a standby refused (SQLSTATE 25006 on a server in recovery;
/// on a primary the same code means a read-only transaction, which needs no hint).
pub(super) fn standby_write_hint(sqlstate: &str, standby: bool) -> Option<String> {
    (standby && sqlstate == "25006").then(|| {
        "this server is a standby (read-only replica); connect to the primary, e.g. with target_session_attrs=read-write".to_string()
    })
}

/// Fisher–Yates with the standard library's per-process random hasher keys.
fn shuffle<T>(items: &mut [T]) {
    use std::hash::{BuildHasher, Hasher};
    for i in (1..items.len()).rev() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        let j = (h.finish() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn connect_error(target: &PgTarget, message: impl Into<String>, hint: Option<String>) -> DbError {
    DbError::Connect {
        target: target.describe(),
        message: message.into(),
        hint,
    }
}

/// Which password to try first, and where it came from (for the error message).
fn known_password(target: &PgTarget) -> (Option<String>, bool) {
    if let Some(p) = &target.password {
        return (Some(p.clone()), false);
    }
    if let Ok(typed) = target.typed_password.lock() {
        if let Some(p) = typed.as_ref() {
            return (Some(p.clone()), false);
        }
    }
    let from_file = pgpass::read_password_file(&target.passfile).and_then(|text| {
        pgpass::find_password(
            &text,
            &pgpass::PassKey {
                host: target.pgpass_host(),
                port: target.port,
                dbname: &target.dbname,
                user: &target.user,
            },
        )
    });
    let found = from_file.is_some();
    (from_file, found)
}

/// Connect to the one host `target` names.
async fn open_host(target: &PgTarget) -> Result<Opened<DriverConnection>, DbError> {
    let home = pgpass::home_dir(&|k| std::env::var(k).ok());
    let tls_config = tls::client_config(target.sslmode, target.sslrootcert.as_deref(), home)
        .map_err(|m| connect_error(target, m, None))?;
    let tls = MakeRustlsConnect::new(tls_config);

    let (mut password, mut from_pgpass) = known_password(target);
    if target.prompt_first && password.is_none() {
        password = Some(ask_password(target).await?);
        from_pgpass = false;
    }
    loop {
        let config = driver_config(target, password.as_deref());
        match config.connect(tls.clone()).await {
            Ok((client, connection)) => {
                return Ok(Opened {
                    client,
                    connection,
                    tls,
                    host: target.clone(),
                    standby: false,
                })
            }
            Err(e) if password.is_none() && wants_password(&e) => {
                password = Some(ask_password(target).await?);
                from_pgpass = false;
            }
            Err(e) => return Err(explain(target, &e, from_pgpass)),
        }
    }
}

fn driver_config(target: &PgTarget, password: Option<&str>) -> tokio_postgres::Config {
    let mut c = tokio_postgres::Config::new();
    if target.is_socket() {
        c.host_path(&target.host);
    } else {
        c.host(&target.host);
    }
    if let Some(addr) = target.hostaddr {
        c.hostaddr(addr);
    }
    c.port(target.port)
        .user(&target.user)
        .dbname(&target.dbname)
        .application_name(&target.application_name);
    if let Some(p) = password {
        c.password(p);
    }
    if let Some(t) = target.connect_timeout {
        c.connect_timeout(t);
    }
    if let Some(o) = &target.options {
        c.options(o);
    }
    // The server never offers TLS on a Unix socket, and libpq does not ask there.
    c.ssl_mode(match target.sslmode {
        _ if target.is_socket() => DriverSslMode::Disable,
        SslMode::Disable => DriverSslMode::Disable,
        SslMode::Allow | SslMode::Prefer => DriverSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => DriverSslMode::Require,
    });
    c
}

/// The server asked for a password and the driver had none: the driver reports this as a
/// configuration error whose cause says "password missing" (its own text, not the
/// server's translated one).
fn wants_password(e: &tokio_postgres::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cause {
        if c.to_string().contains("password missing") {
            return true;
        }
        cause = c.source();
    }
    false
}

/// Turn a driver error into what went wrong and what to try.
fn explain(target: &PgTarget, e: &tokio_postgres::Error, from_pgpass: bool) -> DbError {
    let where_ = if target.is_socket() {
        format!("on Unix socket \"{}\"", target.socket_path().display())
    } else {
        format!("on {}:{}", target.host, target.port)
    };
    if let Some(db) = e.as_db_error() {
        let mut message = db.message().to_string();
        let hint = match db.code().code() {
            "28P01" | "28000" if from_pgpass => {
                message.push_str(&format!(
                    " (password retrieved from file \"{}\")",
                    target.passfile.display()
                ));
                None
            }
            "28P01" => {
                Some("check the password (PGPASSWORD, ~/.pgpass, or -W to type it)".to_string())
            }
            "3D000" => Some(format!(
                "list the databases with: dbsh {} -c '\\l'",
                target_without_db(target)
            )),
            _ => db.hint().map(str::to_string),
        };
        return connect_error(target, message, hint);
    }
    let text = e.to_string();
    if wants_password(e) {
        return connect_error(
            target,
            format!(
                "password required for user {}; set PGPASSWORD, use ~/.pgpass, or run interactively",
                target.user
            ),
            None,
        );
    }
    if text.contains("server does not support TLS") {
        return connect_error(
            target,
            format!(
                "server does not support TLS, but sslmode={} requires it",
                sslmode_name(target.sslmode)
            ),
            Some("use sslmode=prefer or sslmode=disable, or enable ssl on the server".into()),
        );
    }
    // The io error underneath says more than the driver's wrapper.
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let tls_error = s.downcast_ref::<rustls::Error>().or_else(|| {
            s.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(tls) = tls_error {
            return connect_error(
                target,
                format!("TLS error: {tls}"),
                Some(format!(
                    "sslmode={} checks the server certificate; give the CA with sslrootcert=FILE",
                    sslmode_name(target.sslmode)
                )),
            );
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let hint = Some(format!(
                "is the server running {where_} and accepting connections?"
            ));
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    connect_error(target, "connection refused", hint)
                }
                std::io::ErrorKind::NotFound => {
                    connect_error(target, "no such file or directory", hint)
                }
                std::io::ErrorKind::TimedOut => connect_error(target, "timeout expired", None),
                _ => connect_error(target, io.to_string(), None),
            };
        }
        source = s.source();
    }
    connect_error(target, text, None)
}

fn target_without_db(target: &PgTarget) -> String {
    if target.is_socket() {
        format!(
            "-h {} -p {} -U {} -d postgres",
            target.host, target.port, target.user
        )
    } else {
        format!(
            "postgres://{}@{}:{}/postgres",
            target.user, target.host, target.port
        )
    }
}

fn sslmode_name(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "disable",
        SslMode::Allow => "allow",
        SslMode::Prefer => "prefer",
        SslMode::Require => "require",
        SslMode::VerifyCa => "verify-ca",
        SslMode::VerifyFull => "verify-full",
    }
}

/// Ask for the password through the caller's asker (a terminal prompt), or explain how
/// to supply one when there is no one to ask.
async fn ask_password(target: &PgTarget) -> Result<String, DbError> {
    let Some(asker) = target.asker.as_ref().filter(|_| target.interactive) else {
        return Err(connect_error(
            target,
            format!(
                "password required for user {}; there is no terminal to ask on",
                target.user
            ),
            Some(
                "set PGPASSWORD, put it in ~/.pgpass, or set password_env on the saved connection"
                    .into(),
            ),
        ));
    };
    let prompt = format!("Password for user {}: ", target.user);
    let answer = asker
        .ask(prompt)
        .await
        .map_err(|e| connect_error(target, e, None))?;
    if let Ok(mut typed) = target.typed_password.lock() {
        *typed = Some(answer.clone());
    }
    Ok(answer)
}
