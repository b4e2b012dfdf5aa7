//! Where a MySQL/MariaDB connection goes, resolved the way the mysql client resolves it.
//!
//! Precedence, lowest first: environment (`MYSQL_HOST`, `MYSQL_TCP_PORT`, `MYSQL_UNIX_PORT`,
//! `MYSQL_PWD`), option files (`/etc/my.cnf`, `/etc/mysql/my.cnf`, `~/.my.cnf`, or only the
//! `defaults-file`), the URL, then the `-h -p -U -d` flags. Host `localhost` means the Unix
//! socket, as in the mysql client.
//!
//! A target also remembers what its session learned (the database chosen by `USE`, a
//! password typed at the prompt, whether the server speaks TLS), so that the session's
//! reconnect (`Connection::connect(&target)`) goes back to where the user was without
//! asking again.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::mycnf::OptionFile;
use crate::db::target::ConnectParams;

pub(super) const DEFAULT_PORT: u16 = 3306;

/// Where the mysql client looks for the server's socket when none is configured.
const DEFAULT_SOCKETS: &[&str] = &[
    "/run/mysqld/mysqld.sock",
    "/var/run/mysqld/mysqld.sock",
    "/tmp/mysql.sock",
];

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The mysql client's `--ssl-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disabled,
    /// Try TLS (without verifying the certificate); fall back to plain if the server has none.
    Preferred,
    /// TLS or fail; the certificate is not verified.
    Required,
    /// TLS with a verified certificate chain (any host name).
    VerifyCa,
    /// TLS with a verified chain and host name.
    VerifyIdentity,
}

impl SslMode {
    pub fn parse(s: &str) -> Result<SslMode, String> {
        match s.to_ascii_uppercase().replace('-', "_").as_str() {
            "DISABLED" | "DISABLE" | "FALSE" | "OFF" | "0" => Ok(SslMode::Disabled),
            "PREFERRED" | "PREFER" => Ok(SslMode::Preferred),
            "REQUIRED" | "REQUIRE" | "TRUE" | "ON" | "1" => Ok(SslMode::Required),
            "VERIFY_CA" => Ok(SslMode::VerifyCa),
            "VERIFY_IDENTITY" | "VERIFY_FULL" => Ok(SslMode::VerifyIdentity),
            _ => Err(format!(
                "unknown ssl-mode '{s}' (use DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Preferred => "PREFERRED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }
}

/// TCP host and port, or a Unix socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Tcp { host: String, port: u16 },
    Socket(PathBuf),
}

/// What a session learned that a reconnect must reuse. Shared by every clone of a target.
/// `Debug` never shows the password.
#[derive(Default)]
pub struct Learned {
    /// The current database (after `USE`); `None` until a connection reports one.
    pub database: Option<Option<String>>,
    /// A password typed at the prompt.
    pub password: Option<String>,
}

/// A resolved MySQL target. `Debug` and `describe` never show the password.
#[derive(Clone)]
pub struct MyTarget {
    pub endpoint: Endpoint,
    pub user: String,
    pub password: Option<String>,
    pub database: Option<String>,
    pub ssl_mode: SslMode,
    pub ssl_ca: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// `-W`: ask for the password before connecting.
    pub ask_password: bool,
    /// A terminal is there to ask on.
    pub interactive: bool,
    /// How to ask for a password there.
    pub asker: Option<crate::db::PasswordAsker>,
    /// The scheme the user wrote, for messages.
    pub scheme: &'static str,
    learned: Arc<Mutex<Learned>>,
}

/// The parts of a `mysql://` URL. `Debug` never shows the password.
#[derive(Default, PartialEq, Eq)]
struct UrlParts {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    database: Option<String>,
    socket: Option<String>,
    ssl_mode: Option<String>,
    ssl_ca: Option<String>,
    defaults_file: Option<String>,
    connect_timeout: Option<u64>,
}

/// How a password field is shown by `Debug`: whether there is one, never what it is.
fn redacted(p: &Option<String>) -> Option<&'static str> {
    p.as_ref().map(|_| "***")
}

impl std::fmt::Debug for Learned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Learned")
            .field("database", &self.database)
            .field("password", &redacted(&self.password))
            .finish()
    }
}

impl std::fmt::Debug for MyTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MyTarget")
            .field("endpoint", &self.endpoint)
            .field("user", &self.user)
            .field("password", &redacted(&self.password))
            .field("database", &self.database)
            .field("ssl_mode", &self.ssl_mode)
            .field("ssl_ca", &self.ssl_ca)
            .field("connect_timeout", &self.connect_timeout)
            .field("ask_password", &self.ask_password)
            .field("interactive", &self.interactive)
            .field("asker", &self.asker)
            .field("scheme", &self.scheme)
            .field("learned", &self.learned)
            .finish()
    }
}

impl std::fmt::Debug for UrlParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlParts")
            .field("user", &self.user)
            .field("password", &redacted(&self.password))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("socket", &self.socket)
            .field("ssl_mode", &self.ssl_mode)
            .field("ssl_ca", &self.ssl_ca)
            .field("defaults_file", &self.defaults_file)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

/// The environment the resolution reads; a struct so that tests need not touch the process's.
#[derive(Debug, Default, Clone)]
pub(super) struct Env {
    /// The option files read when no defaults-file is given.
    pub option_files: Vec<PathBuf>,
    pub vars: Vec<(String, String)>,
}

impl Env {
    fn current() -> Env {
        let names = [
            "MYSQL_HOST",
            "MYSQL_TCP_PORT",
            "MYSQL_UNIX_PORT",
            "MYSQL_PWD",
            "USER",
            "LOGNAME",
        ];
        Env {
            option_files: OptionFile::default_paths(dirs::home_dir().as_deref()),
            vars: names
                .iter()
                .filter_map(|n| std::env::var(n).ok().map(|v| (n.to_string(), v)))
                .collect(),
        }
    }

    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

impl MyTarget {
    pub fn from_url(url: &str, params: &ConnectParams) -> Result<MyTarget, String> {
        let scheme = if url
            .get(..10)
            .is_some_and(|s| s.eq_ignore_ascii_case("mariadb://"))
        {
            "mariadb"
        } else {
            "mysql"
        };
        let parts = parse_url(url)?;
        resolve(Some(parts), params, &Env::current(), scheme, &|p| {
            p.exists()
        })
    }

    pub fn from_params(params: &ConnectParams) -> Result<MyTarget, String> {
        resolve(None, params, &Env::current(), "mysql", &|p| p.exists())
    }

    /// What this target is, URL-shaped, never with a password.
    pub fn describe(&self) -> String {
        let db = self.current_database().unwrap_or_default();
        match &self.endpoint {
            Endpoint::Tcp { host, port } => {
                let host = if host.contains(':') {
                    format!("[{host}]")
                } else {
                    host.clone()
                };
                format!("{}://{}@{host}:{port}/{db}", self.scheme, self.user)
            }
            Endpoint::Socket(path) => format!(
                "{}://{}@localhost/{db}?socket={}",
                self.scheme,
                self.user,
                path.display()
            ),
        }
    }

    /// `host:port` or the socket path, for hints.
    pub fn address(&self) -> String {
        match &self.endpoint {
            Endpoint::Tcp { host, port } => format!("{host}:{port}"),
            Endpoint::Socket(path) => format!("the socket {}", path.display()),
        }
    }

    /// The database to connect to: the one the session moved to, else the configured one.
    pub fn current_database(&self) -> Option<String> {
        match self.learned.lock() {
            Ok(l) => match &l.database {
                Some(db) => db.clone(),
                None => self.database.clone(),
            },
            Err(_) => self.database.clone(),
        }
    }

    pub fn learned(&self) -> &Arc<Mutex<Learned>> {
        &self.learned
    }

    pub fn remember_database(&self, db: Option<String>) {
        if let Ok(mut l) = self.learned.lock() {
            l.database = Some(db);
        }
    }

    pub fn remembered_password(&self) -> Option<String> {
        self.learned.lock().ok().and_then(|l| l.password.clone())
    }

    pub fn remember_password(&self, password: String) {
        if let Ok(mut l) = self.learned.lock() {
            l.password = Some(password);
        }
    }
}

fn resolve(
    url: Option<UrlParts>,
    params: &ConnectParams,
    env: &Env,
    scheme: &'static str,
    exists: &dyn Fn(&Path) -> bool,
) -> Result<MyTarget, String> {
    let url = url.unwrap_or_default();
    let defaults_file = params
        .defaults_file
        .clone()
        .or_else(|| url.defaults_file.as_ref().map(PathBuf::from));
    let cnf = OptionFile::load(defaults_file.as_deref(), &env.option_files)?;

    let user = params
        .user
        .clone()
        .or(url.user)
        .or_else(|| cnf.get("user").map(str::to_string))
        .or_else(|| {
            env.var("USER")
                .or_else(|| env.var("LOGNAME"))
                .map(str::to_string)
        })
        .unwrap_or_else(|| "root".to_string());
    let password = url
        .password
        .or_else(|| cnf.get("password").map(str::to_string))
        .or_else(|| env.var("MYSQL_PWD").map(str::to_string));
    let database = params
        .dbname
        .clone()
        .or(url.database)
        .or_else(|| cnf.get("database").map(str::to_string))
        .filter(|d| !d.is_empty());
    let port = match (params.port, url.port) {
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => match cnf.get("port").or_else(|| env.var("MYSQL_TCP_PORT")) {
            Some(p) => p
                .trim()
                .parse()
                .map_err(|_| format!("invalid port '{p}' in the option files or MYSQL_TCP_PORT"))?,
            None => DEFAULT_PORT,
        },
    };
    let ssl_mode = match url.ssl_mode.as_deref().or_else(|| cnf.get("ssl-mode")) {
        Some(m) => SslMode::parse(m)?,
        None => SslMode::Preferred,
    };
    let ssl_ca = url
        .ssl_ca
        .or_else(|| cnf.get("ssl-ca").map(str::to_string))
        .map(PathBuf::from);

    // A socket named on the URL, with no host there or in the flags, is what the user means.
    let flag_or_url_host = params.host.clone().or(url.host.clone());
    let endpoint = if let (Some(sock), None) = (&url.socket, &flag_or_url_host) {
        Endpoint::Socket(PathBuf::from(sock))
    } else {
        let host = flag_or_url_host
            .or_else(|| cnf.get("host").map(str::to_string))
            .or_else(|| env.var("MYSQL_HOST").map(str::to_string))
            .unwrap_or_else(|| "localhost".to_string());
        if host.starts_with('/') {
            // psql's `-h /dir` habit: a path is a socket.
            Endpoint::Socket(PathBuf::from(host))
        } else if host == "localhost" {
            let configured = url
                .socket
                .or_else(|| cnf.get("socket").map(str::to_string))
                .or_else(|| env.var("MYSQL_UNIX_PORT").map(str::to_string));
            match configured {
                Some(s) => Endpoint::Socket(PathBuf::from(s)),
                None => match DEFAULT_SOCKETS.iter().map(Path::new).find(|p| exists(p)) {
                    Some(p) => Endpoint::Socket(p.to_path_buf()),
                    // No local socket at all (a server in a container): TCP is the
                    // only way to reach a local server.
                    None => Endpoint::Tcp {
                        host: "127.0.0.1".into(),
                        port,
                    },
                },
            }
        } else {
            Endpoint::Tcp { host, port }
        }
    };
    Ok(MyTarget {
        endpoint,
        user,
        password,
        database,
        ssl_mode,
        ssl_ca,
        connect_timeout: url
            .connect_timeout
            .map_or(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs),
        ask_password: params.password_prompt,
        interactive: params.interactive,
        asker: params.asker.clone(),
        scheme,
        learned: Arc::new(Mutex::new(Learned::default())),
    })
}

/// `mysql://[user[:password]@][host][:port][/database][?param=value&…]`, percent-decoded.
fn parse_url(url: &str) -> Result<UrlParts, String> {
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .ok_or_else(|| format!("not a mysql:// URL: {}", redact(url)))?;
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let mut parts = UrlParts::default();
    // The last '@' ends the user part, so that an unencoded '@' in a password still works.
    let (userinfo, hostpath) = match main.rfind('@') {
        Some(at) => (Some(&main[..at]), &main[at + 1..]),
        None => (None, main),
    };
    if let Some(ui) = userinfo {
        let (u, p) = match ui.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (ui, None),
        };
        parts.user = Some(decode(u)?).filter(|u| !u.is_empty());
        parts.password = p.map(decode).transpose()?;
    }
    let (authority, path) = match hostpath.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (hostpath, None),
    };
    let (host, port) = split_host_port(authority)?;
    parts.host = Some(decode(host)?).filter(|h| !h.is_empty());
    parts.port = port;
    if let Some(p) = path {
        parts.database = Some(decode(p.trim_end_matches('/'))?).filter(|d| !d.is_empty());
    }
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(k)?.to_ascii_lowercase().replace('_', "-");
        let value = decode(v)?;
        match key.as_str() {
            "socket" => parts.socket = Some(value),
            "ssl-mode" | "sslmode" => parts.ssl_mode = Some(value),
            "ssl-ca" | "sslrootcert" => parts.ssl_ca = Some(value),
            "defaults-file" => parts.defaults_file = Some(value),
            "connect-timeout" => {
                parts.connect_timeout = Some(value.parse().map_err(|_| {
                    format!("connect-timeout must be a number of seconds, not '{value}'")
                })?)
            }
            _ => {
                return Err(format!(
                    "unknown parameter '{key}' in the mysql URL (known: socket, ssl-mode, ssl-ca, defaults-file, connect-timeout)"
                ))
            }
        }
    }
    Ok(parts)
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        // [::1]:3306
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("unclosed '[' in host '{authority}'"))?;
        (h, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port.filter(|p| !p.is_empty()) {
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| format!("invalid port '{p}' in the mysql URL"))?,
        ),
        None => None,
    };
    Ok((host, port))
}

/// Percent-decoding; a malformed escape is kept as written.
fn decode(s: &str) -> Result<String, String> {
    crate::db::target::percent_decode(s, false)
}

/// A URL with its password replaced, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((u, _)) => format!("{}{u}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)], home: Option<&Path>) -> Env {
        Env {
            option_files: home.map(|h| h.join(".my.cnf")).into_iter().collect(),
            vars: vars
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    fn target(url: Option<&str>, params: &ConnectParams, env: &Env) -> MyTarget {
        let parts = url.map(|u| parse_url(u).unwrap());
        resolve(parts, params, env, "mysql", &|_| false).unwrap()
    }

    #[test]
    fn url_parts_are_decoded() {
        let p = parse_url(
            "mysql://us%40er:p%3Aw@d@db.example:3307/my%20db?ssl-mode=REQUIRED&socket=%2Ftmp%2Fs",
        )
        .unwrap();
        assert_eq!(p.user.as_deref(), Some("us@er"));
        assert_eq!(p.password.as_deref(), Some("p:w@d"));
        assert_eq!(p.host.as_deref(), Some("db.example"));
        assert_eq!(p.port, Some(3307));
        assert_eq!(p.database.as_deref(), Some("my db"));
        assert_eq!(p.ssl_mode.as_deref(), Some("REQUIRED"));
        assert_eq!(p.socket.as_deref(), Some("/tmp/s"));
        let p = parse_url("mariadb://[::1]:3310").unwrap();
        assert_eq!((p.host.as_deref(), p.port), (Some("::1"), Some(3310)));
        assert!(parse_url("mysql://h:99999/x").is_err());
        assert!(parse_url("mysql://h/x?bogus=1")
            .unwrap_err()
            .contains("bogus"));
        assert_eq!(decode("100%").unwrap(), "100%");
        assert_eq!(decode("a%2").unwrap(), "a%2");
    }

    #[test]
    fn flags_beat_url_beats_cnf_beats_env() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".my.cnf"),
            "[client]\nuser=cnfuser\npassword=cnfpw\nhost=cnfhost\nport=4001\ndatabase=cnfdb\n",
        )
        .unwrap();
        let e = env(
            &[("MYSQL_HOST", "envhost"), ("MYSQL_PWD", "envpw")],
            Some(dir.path()),
        );
        let t = target(None, &ConnectParams::default(), &e);
        assert_eq!(
            t.endpoint,
            Endpoint::Tcp {
                host: "cnfhost".into(),
                port: 4001
            }
        );
        assert_eq!(
            (t.user.as_str(), t.password.as_deref()),
            ("cnfuser", Some("cnfpw"))
        );
        assert_eq!(t.database.as_deref(), Some("cnfdb"));

        let t = target(
            Some("mysql://u:pw@urlhost/urldb"),
            &ConnectParams::default(),
            &e,
        );
        assert_eq!(
            t.endpoint,
            Endpoint::Tcp {
                host: "urlhost".into(),
                port: 4001
            }
        );
        assert_eq!((t.user.as_str(), t.password.as_deref()), ("u", Some("pw")));

        let flags = ConnectParams {
            host: Some("flaghost".into()),
            port: Some(5000),
            user: Some("flaguser".into()),
            dbname: Some("flagdb".into()),
            ..ConnectParams::default()
        };
        let t = target(Some("mysql://u:pw@urlhost:1/urldb"), &flags, &e);
        assert_eq!(
            t.endpoint,
            Endpoint::Tcp {
                host: "flaghost".into(),
                port: 5000
            }
        );
        assert_eq!(t.user, "flaguser");
        assert_eq!(t.database.as_deref(), Some("flagdb"));
        assert!(!t.describe().contains("pw"), "{}", t.describe());
    }

    #[test]
    fn env_alone() {
        let e = env(
            &[
                ("MYSQL_HOST", "envhost"),
                ("MYSQL_TCP_PORT", "3999"),
                ("MYSQL_PWD", "x"),
                ("USER", "me"),
            ],
            None,
        );
        let t = target(None, &ConnectParams::default(), &e);
        assert_eq!(
            t.endpoint,
            Endpoint::Tcp {
                host: "envhost".into(),
                port: 3999
            }
        );
        assert_eq!((t.user.as_str(), t.password.as_deref()), ("me", Some("x")));
    }

    #[test]
    fn localhost_means_the_socket() {
        let e = env(&[("MYSQL_UNIX_PORT", "/x/mysql.sock")], None);
        let t = target(
            Some("mysql://root@localhost/db"),
            &ConnectParams::default(),
            &e,
        );
        assert_eq!(t.endpoint, Endpoint::Socket("/x/mysql.sock".into()));
        let t = target(
            Some("mysql://root@/db?socket=/y.sock"),
            &ConnectParams::default(),
            &e,
        );
        assert_eq!(t.endpoint, Endpoint::Socket("/y.sock".into()));
        assert_eq!(t.describe(), "mysql://root@localhost/db?socket=/y.sock");
        // No socket anywhere: a local server over TCP.
        let t = target(
            Some("mysql://root@localhost/db"),
            &ConnectParams::default(),
            &Env::default(),
        );
        assert_eq!(
            t.endpoint,
            Endpoint::Tcp {
                host: "127.0.0.1".into(),
                port: 3306
            }
        );
        let found = resolve(
            Some(parse_url("mysql://root@localhost").unwrap()),
            &ConnectParams::default(),
            &Env::default(),
            "mysql",
            &|p| p == Path::new("/var/run/mysqld/mysqld.sock"),
        )
        .unwrap();
        assert_eq!(
            found.endpoint,
            Endpoint::Socket("/var/run/mysqld/mysqld.sock".into())
        );
    }

    #[test]
    fn ssl_modes_and_redaction() {
        assert_eq!(
            SslMode::parse("verify_identity").unwrap(),
            SslMode::VerifyIdentity
        );
        assert!(SslMode::parse("maybe").is_err());
        assert_eq!(redact("mysql://u:secret@h/db"), "mysql://u:***@h/db");
    }

    #[test]
    fn learned_database_is_shared_by_clones() {
        let t = target(
            Some("mysql://root@h/a"),
            &ConnectParams::default(),
            &Env::default(),
        );
        let clone = t.clone();
        t.remember_database(Some("b".into()));
        assert_eq!(clone.current_database().as_deref(), Some("b"));
        assert_eq!(clone.describe(), "mysql://root@h:3306/b");
    }
}
