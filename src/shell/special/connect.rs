//! `\c[onnect] [db | URL | path]` and `\conninfo`: switch database or server keeping the
//! session's settings; on failure the old connection stays. Never shows a password.

use crate::db::{Backend, ConnectParams, Connection, Target};
use crate::shell::{RunError, Session};

pub(super) async fn connect(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let arg = super::unquote(arg);
    let backend = session.backend();
    let target = if arg.is_empty() {
        session.target().clone()
    } else if looks_like_file(arg) {
        // `\c ./data.sqlite` from a server session: open the file.
        match Target::parse(Some(arg), &ConnectParams::default()) {
            Ok(t) => t,
            Err(why) => {
                eprintln!("\\c: {why}");
                return super::usage("\\c");
            }
        }
    } else if arg.contains("://") || arg.starts_with("sqlite:") || backend == Backend::Sqlite {
        let params = ConnectParams {
            interactive: session.is_interactive(),
            asker: Some(crate::tty::password_asker()),
            ..ConnectParams::default()
        };
        let parsed = match backend {
            // A bare name on SQLite is a file to open, new or not.
            Backend::Sqlite if !arg.contains("://") && !arg.starts_with("sqlite:") => {
                session.target().with_database(arg)
            }
            _ => Target::parse(Some(arg), &params).ok(),
        };
        match parsed {
            Some(t) => t,
            None => {
                let why = Target::parse(Some(arg), &params).err().unwrap_or_default();
                eprintln!("\\c: {}", crate::secret::for_display(&why));
                return super::usage("\\c");
            }
        }
    } else {
        match session.target().with_database(arg) {
            Some(t) => t,
            // MySQL: the database can be switched on the open connection.
            None => return use_database(session, arg).await,
        }
    };
    // Leaving this connection ends its transaction: the same question as `\q`.
    if session.settle_open_transaction().await == crate::shell::Settled::Cancelled {
        return Err(RunError::Failed);
    }
    let mut target = target;
    if let Target::Sqlite(t) = &mut target {
        t.read_only = session.read_only();
    }
    match Connection::connect(&target).await {
        Ok(conn) => {
            if let Err(e) = session.switch_connection(conn, target).await {
                let e = crate::secret::for_display(&e.to_string());
                eprintln!("\\c: {e}\nPrevious connection kept.");
                return Err(RunError::Failed);
            }
            let info = shown(session.conn().info());
            let text = if info.user.is_empty() {
                format!("You are now connected to database \"{}\".", info.database)
            } else {
                format!(
                    "You are now connected to database \"{}\" as user \"{}\".",
                    info.database, info.user
                )
            };
            session.print(&text)
        }
        Err(e) => {
            let e = crate::secret::for_display(&e.to_string());
            eprintln!("{e}\nPrevious connection kept.");
            Err(RunError::Failed)
        }
    }
}

async fn use_database(session: &mut Session, db: &str) -> Result<(), RunError> {
    let sql = format!("USE {}", crate::db::collect::ident(db, Backend::Mysql));
    super::rows::query(session, &sql).await?;
    session.refresh_catalog().await;
    let db = crate::secret::for_display(db);
    session.print(&format!("You are now connected to database \"{db}\"."))
}

/// Connection names as they may be shown: a database or host name can hold escape bytes.
fn shown(mut info: crate::db::ConnInfo) -> crate::db::ConnInfo {
    for s in [&mut info.database, &mut info.user, &mut info.host] {
        *s = crate::render::sanitize::escape_controls(s, false).into_owned();
    }
    info
}

pub(super) async fn conninfo(session: &mut Session) -> Result<(), RunError> {
    // ConnInfo never holds a password; its names come from the server.
    session.conn_mut().check_standby().await;
    let info = shown(session.conn().info());
    let backend = session.backend().name();
    let text = if info.host.is_empty() {
        format!(
            "You are connected to {backend} database \"{}\".",
            info.database
        )
    } else {
        format!(
            "You are connected to {backend} database \"{}\" as user \"{}\" on host \"{}\"{}.",
            info.database,
            info.user,
            info.host,
            info.port
                .map(|p| format!(" at port \"{p}\""))
                .unwrap_or_default()
        )
    };
    let text = if info.standby {
        format!("{text}\nThe server is a standby (read-only replica).")
    } else {
        text
    };
    let text = match tls(session).await {
        Some((version, cipher)) => {
            format!("{text}\nSSL connection (protocol: {version}, cipher: {cipher})")
        }
        None => text,
    };
    session.print(&text)
}

/// The TLS version and cipher the server reports for this connection, if it uses TLS.
/// A failed query (say, in an aborted transaction) just leaves the line out, silently.
async fn tls(session: &mut Session) -> Option<(String, String)> {
    let rows = match session.backend() {
        Backend::Postgres => {
            let sql = "SELECT version, cipher FROM pg_catalog.pg_stat_ssl \
                       WHERE pid = pg_catalog.pg_backend_pid() AND ssl";
            crate::db::collect::query_result(session.conn_mut(), sql)
                .await
                .ok()?
                .rows
        }
        // SHOW STATUS works on MySQL and MariaDB alike; rows are (name, value).
        Backend::Mysql => {
            let sql = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";
            let rows = crate::db::collect::query_result(session.conn_mut(), sql)
                .await
                .ok()?
                .rows;
            let value = |name: &str| {
                rows.iter()
                    .find(|r| {
                        r.first()
                            .and_then(|c| c.as_deref())
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .and_then(|r| r.get(1).cloned().flatten())
            };
            vec![vec![value("Ssl_version"), value("Ssl_cipher")]]
        }
        Backend::Sqlite => return None,
    };
    let row = rows.into_iter().next()?;
    let version = row.first().cloned().flatten().filter(|v| !v.is_empty())?;
    let cipher = row.get(1).cloned().flatten().unwrap_or_default();
    Some((
        crate::render::sanitize::escape_controls(&version, false).into_owned(),
        crate::render::sanitize::escape_controls(&cipher, false).into_owned(),
    ))
}

/// A path rather than a database name: it says so (`./`, `/`, `../`) or the file exists.
fn looks_like_file(arg: &str) -> bool {
    arg.starts_with("./")
        || arg.starts_with("../")
        || arg.starts_with('/')
        || std::path::Path::new(arg).is_file()
}
