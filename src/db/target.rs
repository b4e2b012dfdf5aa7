//! Where to connect: turning the command line's TARGET and psql-style flags into a `Target`.

use std::path::PathBuf;

use super::{mysql::MyTarget, postgres::PgTarget, Backend};

/// psql-style connection flags (`-h -p -U -d -W`, `--driver`).
#[derive(Debug, Clone, Default)]
pub struct ConnectParams {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub dbname: Option<String>,
    /// `-W`: ask for a password before connecting.
    pub password_prompt: bool,
    /// `--driver`: which backend the flags mean when no URL says so.
    pub driver: Option<Backend>,
    /// Whether a terminal is available to ask for a password on.
    pub interactive: bool,
    /// MySQL `--defaults-file`: read only this option file instead of the usual my.cnf files.
    pub defaults_file: Option<PathBuf>,
    /// How to ask a person for a password (db never touches the terminal itself).
    pub asker: Option<PasswordAsker>,
}

/// Asks a person for a password: given the prompt text, the password typed, or why there is
/// none (Ctrl-C, no terminal). Supplied by the caller so that db stays off the terminal.
#[derive(Clone)]
pub struct PasswordAsker(pub std::sync::Arc<AskFn>);

/// The function behind a `PasswordAsker`.
pub type AskFn = dyn Fn(&str) -> Result<String, String> + Send + Sync;

impl std::fmt::Debug for PasswordAsker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordAsker")
    }
}

impl PasswordAsker {
    /// Ask on a blocking thread (the question waits for a person).
    pub async fn ask(&self, prompt: String) -> Result<String, String> {
        let f = self.0.clone();
        tokio::task::spawn_blocking(move || f(&prompt))
            .await
            .map_err(|e| format!("password prompt failed: {e}"))?
    }
}

/// Whether libpq environment variables name a server or database.
fn pg_environment() -> bool {
    [
        "PGHOST",
        "PGHOSTADDR",
        "PGDATABASE",
        "PGUSER",
        "PGPORT",
        "PGSERVICE",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
}

impl ConnectParams {
    fn any_given(&self) -> bool {
        self.host.is_some() || self.port.is_some() || self.user.is_some() || self.dbname.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteTarget {
    /// `None`: an in-memory database.
    pub path: Option<PathBuf>,
    pub read_only: bool,
}

#[derive(Debug, Clone)]
pub enum Target {
    Sqlite(SqliteTarget),
    Postgres(PgTarget),
    Mysql(MyTarget),
}

impl Target {
    /// Resolve TARGET (already expanded from a saved-connection alias) and the flags.
    pub fn parse(target: Option<&str>, params: &ConnectParams) -> Result<Target, String> {
        let Some(t) = target else {
            return match params.driver {
                Some(Backend::Mysql) => Ok(Target::Mysql(MyTarget::from_params(params)?)),
                Some(Backend::Sqlite) => Ok(Target::Sqlite(SqliteTarget {
                    path: params.dbname.as_ref().map(PathBuf::from),
                    read_only: false,
                })),
                Some(Backend::Postgres) => Ok(Target::Postgres(PgTarget::from_params(params)?)),
                // As psql: PGHOST, PGDATABASE, … name a server even without flags.
                None if params.any_given() || pg_environment() => {
                    Ok(Target::Postgres(PgTarget::from_params(params)?))
                }
                None => Ok(Target::Sqlite(SqliteTarget {
                    path: None,
                    read_only: false,
                })),
            };
        };
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Target::Postgres(PgTarget::from_url(t, params)?));
        }
        // libpq's keyword/value form (`host=h1,h2 dbname=app`), as psql takes it.
        if t.contains('=') && !t.contains("://") {
            return Ok(Target::Postgres(PgTarget::from_keywords(t, params)?));
        }
        if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
            return Ok(Target::Mysql(MyTarget::from_url(t, params)?));
        }
        if lower == "sqlite::memory:" || lower == "sqlite://:memory:" || t == ":memory:" {
            return Ok(Target::Sqlite(SqliteTarget {
                path: None,
                read_only: false,
            }));
        }
        if let Some(rest) = t
            .strip_prefix("sqlite://")
            .or_else(|| t.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err("sqlite:// needs a path, e.g. sqlite://data/app.db".into());
            }
            return Ok(Target::Sqlite(SqliteTarget {
                path: Some(PathBuf::from(rest)),
                read_only: false,
            }));
        }
        if t.contains("://") {
            let scheme = t.split("://").next().unwrap_or_default();
            return Err(format!(
                "unknown scheme '{scheme}://' (use postgres://, mysql://, mariadb:// or sqlite://)"
            ));
        }
        let path = PathBuf::from(t);
        // psql's positional database name (`dbsh -U postgres mydb`): a bare word that is no
        // file, when flags or the environment say a server is meant.
        let bare_word = !path.exists() && !t.contains('/') && !t.contains('.');
        if bare_word && params.dbname.is_none() {
            let server = params
                .driver
                .filter(|d| *d != Backend::Sqlite)
                .or_else(|| (params.any_given() || pg_environment()).then_some(Backend::Postgres));
            if let Some(backend) = server {
                let with_db = ConnectParams {
                    dbname: Some(t.to_string()),
                    ..params.clone()
                };
                return Target::parse(
                    None,
                    &ConnectParams {
                        driver: Some(backend),
                        ..with_db
                    },
                );
            }
        }
        // A bare word that is neither a file nor looks like a path is most likely a
        // mistyped saved-connection name: creating an empty database would hide that.
        if !path.exists() && !t.contains('/') && !t.contains('.') {
            return Err(format!(
                "'{t}' is neither a saved connection nor an existing file (to create a new SQLite database, give a path such as ./{t}.db)"
            ));
        }
        Ok(Target::Sqlite(SqliteTarget {
            path: Some(path),
            read_only: false,
        }))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Target::Sqlite(_) => Backend::Sqlite,
            Target::Postgres(_) => Backend::Postgres,
            Target::Mysql(_) => Backend::Mysql,
        }
    }

    /// A stable name for caches keyed by target (the catalog snapshot): no password.
    pub fn cache_key(&self) -> String {
        match self {
            // Canonical, so ./x.db and x.db share a cache.
            Target::Sqlite(SqliteTarget { path: Some(p), .. }) => p
                .canonicalize()
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
            other => other.describe(),
        }
    }

    /// The same server and credentials with another database (`\c dbname`); for SQLite,
    /// another file. `None` for MySQL, which switches database on the open connection.
    pub fn with_database(&self, db: &str) -> Option<Target> {
        match self {
            Target::Postgres(t) => Some(Target::Postgres(t.with_database(db))),
            Target::Sqlite(t) => Some(Target::Sqlite(SqliteTarget {
                path: Some(PathBuf::from(db)),
                read_only: t.read_only,
            })),
            Target::Mysql(_) => None,
        }
    }

    /// What this target is, for messages: never includes a password.
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(t) => match &t.path {
                Some(p) => p.display().to_string(),
                None => "sqlite::memory:".into(),
            },
            Target::Postgres(t) => t.describe(),
            Target::Mysql(t) => t.describe(),
        }
    }
}

/// Percent-decoding of a connection URL's part, for both backends. `strict` (libpq's
/// rule): a `%` not followed by two hex digits is an error naming it; otherwise it is
/// kept as written (MySQL URLs, where passwords often hold a bare `%`).
pub(crate) fn percent_decode(s: &str, strict: bool) -> Result<String, String> {
    if strict {
        let b = s.as_bytes();
        if let Some(i) = (0..b.len()).find(|&i| {
            b[i] == b'%'
                && !(b.get(i + 1..i + 3)).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
        }) {
            // Only the token: the part may be a password.
            let token: String = s[i..].chars().take(3).collect();
            return Err(format!("invalid percent-encoded token: \"{token}\""));
        }
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|d| d.into_owned())
        .map_err(|_| "a percent-encoded part of the URL is not UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_path(t: &str) -> Option<PathBuf> {
        match Target::parse(Some(t), &ConnectParams::default()) {
            Ok(Target::Sqlite(s)) => s.path,
            other => panic!("{t}: {other:?}"),
        }
    }

    #[test]
    fn sqlite_forms() {
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://data/x.db"), Some("data/x.db".into()));
        assert_eq!(sqlite_path("sqlite:///tmp/x.db"), Some("/tmp/x.db".into()));
        assert_eq!(sqlite_path("./new.db"), Some("./new.db".into()));
        assert!(matches!(
            Target::parse(None, &ConnectParams::default()),
            Ok(Target::Sqlite(SqliteTarget { path: None, .. }))
        ));
    }

    #[test]
    fn bare_word_is_not_silently_a_new_file() {
        let err = Target::parse(Some("prodd"), &ConnectParams::default()).unwrap_err();
        assert!(err.contains("neither a saved connection"), "{err}");
        let err = Target::parse(Some("oracle://x"), &ConnectParams::default()).unwrap_err();
        assert!(err.contains("unknown scheme 'oracle://'"), "{err}");
    }

    #[test]
    fn libpq_keyword_form_is_a_postgres_target() {
        match Target::parse(
            Some("host=h1,h2 port=1,2 user=u dbname=d"),
            &ConnectParams::default(),
        ) {
            Ok(Target::Postgres(t)) => {
                assert_eq!(t.describe(), "postgres://u@h1:1,h2:2/d")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_percent_decoder_strict_for_libpq_lenient_for_mysql() {
        assert_eq!(percent_decode("p%40ss%C3%A9", true).unwrap(), "p@ssé");
        let e = percent_decode("secret%zzrest", true).unwrap_err();
        assert!(e.contains("\"%zz\"") && !e.contains("rest"), "{e}");
        assert!(percent_decode("ab%4", true).is_err());
        assert_eq!(percent_decode("100%", false).unwrap(), "100%");
        assert_eq!(percent_decode("a%2", false).unwrap(), "a%2");
        assert!(percent_decode("%ff", false).is_err(), "not UTF-8");
    }
}
