//! Where a PostgreSQL connection goes, resolved as libpq does: the URL and psql-style
//! flags first, then the service file (PGSERVICE), then the PG* environment, then
//! defaults (OS user, a local socket if there is one, port 5432).

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::db::target::ConnectParams;

use super::pgpass;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Result<SslMode, String> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(format!(
                    "invalid sslmode value: \"{other}\" (use disable, allow, prefer, require, verify-ca or verify-full)"
                ))
            }
        })
    }
}

/// libpq's `target_session_attrs`: which kind of server a connection must land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl SessionAttrs {
    fn parse(s: &str) -> Result<SessionAttrs, String> {
        Ok(match s {
            "any" => SessionAttrs::Any,
            "read-write" => SessionAttrs::ReadWrite,
            "read-only" => SessionAttrs::ReadOnly,
            "primary" => SessionAttrs::Primary,
            "standby" => SessionAttrs::Standby,
            "prefer-standby" => SessionAttrs::PreferStandby,
            other => {
                return Err(format!(
                    "invalid target_session_attrs value: \"{other}\" (use any, read-write, read-only, primary, standby or prefer-standby)"
                ))
            }
        })
    }
}

/// One entry of a multi-host target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    /// Host name, IP address, or a Unix-socket directory (an absolute path).
    pub host: String,
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
}

/// A resolved PostgreSQL target. `Debug` and `describe` never show the password.
/// Boxed: it is a variant of `Target`, which is otherwise small.
#[derive(Clone)]
pub struct PgTarget(Box<Resolved>);

impl std::ops::Deref for PgTarget {
    type Target = Resolved;
    fn deref(&self) -> &Resolved {
        &self.0
    }
}

/// What a `PgTarget` holds.
#[derive(Clone)]
pub struct Resolved {
    /// The host tried first (for a target reached through `on_host`, the one it names).
    /// Host name, IP address, or a Unix-socket directory (an absolute path).
    pub host: String,
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    pub(super) password: Option<String>,
    pub sslmode: SslMode,
    pub sslrootcert: Option<String>,
    pub application_name: String,
    pub connect_timeout: Option<Duration>,
    pub options: Option<String>,
    pub(super) passfile: PathBuf,
    /// `-W`: ask before connecting.
    pub(super) prompt_first: bool,
    /// A terminal is there to ask on.
    pub(super) interactive: bool,
    /// How to ask for a password there.
    pub(super) asker: Option<crate::db::PasswordAsker>,
    /// The password typed at a prompt, kept so that reconnecting does not ask again.
    pub(super) typed_password: Arc<Mutex<Option<String>>>,
    /// Every host, in the order given (`host=h1,h2`, `postgres://h1,h2/`).
    pub hosts: Vec<HostSpec>,
    pub session_attrs: SessionAttrs,
    /// `load_balance_hosts=random`: try the hosts in a random order.
    pub load_balance: bool,
}

impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgTarget")
            .field("target", &self.describe())
            .field("sslmode", &self.sslmode)
            .finish_non_exhaustive()
    }
}

/// Keywords accepted in URLs and service files (libpq's names).
const KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "user",
    "password",
    "dbname",
    "sslmode",
    "sslrootcert",
    "application_name",
    "fallback_application_name",
    "connect_timeout",
    "options",
    "service",
    "passfile",
    "target_session_attrs",
    "load_balance_hosts",
];

type Settings = BTreeMap<String, String>;

impl PgTarget {
    pub fn from_url(url: &str, params: &ConnectParams) -> Result<PgTarget, String> {
        let settings = parse_url(url)?;
        resolve(settings, params, &|k| std::env::var(k).ok())
    }

    pub fn from_params(params: &ConnectParams) -> Result<PgTarget, String> {
        resolve(Settings::new(), params, &|k| std::env::var(k).ok())
    }

    /// libpq's keyword/value form: `host=h1,h2 port=5432,5433 dbname=app`.
    pub fn from_keywords(conninfo: &str, params: &ConnectParams) -> Result<PgTarget, String> {
        let settings = parse_keywords(conninfo)?;
        resolve(settings, params, &|k| std::env::var(k).ok())
    }

    /// The same target narrowed to one of its hosts, for one connection attempt.
    pub fn on_host(&self, spec: &HostSpec) -> PgTarget {
        let mut resolved = (*self.0).clone();
        resolved.host = spec.host.clone();
        resolved.hostaddr = spec.hostaddr;
        resolved.port = spec.port;
        resolved.hosts = vec![spec.clone()];
        PgTarget(Box::new(resolved))
    }

    /// `postgres://user@host:port/dbname`, never with the password.
    pub fn describe(&self) -> String {
        if self.hosts.len() > 1 {
            let hosts: Vec<String> = self
                .hosts
                .iter()
                .map(|h| {
                    if h.host.contains(':') {
                        format!("[{}]:{}", h.host, h.port)
                    } else {
                        format!("{}:{}", h.host, h.port)
                    }
                })
                .collect();
            return format!(
                "postgres://{}@{}/{}",
                self.user,
                hosts.join(","),
                self.dbname
            );
        }
        if self.is_socket() {
            format!(
                "postgres://{}@/{}?host={} (socket {})",
                self.user,
                self.dbname,
                self.host,
                self.socket_path().display()
            )
        } else if self.host.contains(':') {
            format!(
                "postgres://{}@[{}]:{}/{}",
                self.user, self.host, self.port, self.dbname
            )
        } else {
            format!(
                "postgres://{}@{}:{}/{}",
                self.user, self.host, self.port, self.dbname
            )
        }
    }

    /// The same server, user and settings with another database (`\c dbname`).
    pub fn with_database(&self, dbname: &str) -> PgTarget {
        let mut resolved = (*self.0).clone();
        resolved.dbname = dbname.to_string();
        PgTarget(Box::new(resolved))
    }

    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    pub fn socket_path(&self) -> PathBuf {
        Path::new(&self.host).join(format!(".s.PGSQL.{}", self.port))
    }

    /// The host as `.pgpass` lines name it: the default socket directory is "localhost".
    pub(super) fn pgpass_host(&self) -> &str {
        if self.is_socket() && is_default_socket_dir(&self.host) {
            "localhost"
        } else {
            &self.host
        }
    }

    /// The host for the prompt and `\conninfo`.
    pub fn display_host(&self) -> String {
        self.pgpass_host().to_string()
    }
}

fn is_default_socket_dir(dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir == "/var/run/postgresql" || dir == "/run/postgresql" || dir == "/tmp"
}

/// Parse `postgres[ql]://[user[:password]@][host][:port][/dbname][?key=value&…]` into
/// libpq keywords (percent-decoded).
fn parse_url(url: &str) -> Result<Settings, String> {
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("postgresql://") {
        &url["postgresql://".len()..]
    } else if lower.starts_with("postgres://") {
        &url["postgres://".len()..]
    } else {
        return Err(format!("not a postgres URL: {}", redact(url)));
    };
    let mut s = Settings::new();
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match main.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (main, None),
    };
    // The password may contain '@' only percent-encoded, but be lenient: split at the last.
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                s.insert("user".into(), decode(user)?);
            }
            if let Some(p) = password {
                s.insert("password".into(), decode(p)?);
            }
            hostport
        }
        None => authority,
    };
    // Several hosts, each with its own optional port: kept as libpq's comma lists.
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for hostport in hostport.split(',') {
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("missing ']' in IPv6 host: {hostport}"))?;
            (h.to_string(), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (decode(h)?, Some(p)),
                None => (decode(hostport)?, None),
            }
        };
        hosts.push(host);
        ports.push(port.unwrap_or("").to_string());
    }
    if hosts.iter().any(|h| !h.is_empty()) {
        s.insert("host".into(), hosts.join(","));
    }
    if ports.iter().any(|p| !p.is_empty()) {
        s.insert("port".into(), ports.join(","));
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        s.insert("dbname".into(), decode(db)?);
    }
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("missing '=' after \"{pair}\" in the URL's query"))?;
        let k = decode(k)?;
        let v = decode(v)?;
        // JDBC's spelling, which libpq accepts too.
        if k == "ssl" && v == "true" {
            s.insert("sslmode".into(), "require".into());
            continue;
        }
        if !KEYWORDS.contains(&k.as_str()) {
            return Err(format!("invalid URL query parameter: \"{k}\""));
        }
        s.insert(k, v);
    }
    Ok(s)
}

/// The URL with any password replaced, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(a), Some(b)) if b > a => {
            let userinfo = &url[a + 3..b];
            match userinfo.split_once(':') {
                Some((u, _)) => format!("{}{}:***{}", &url[..a + 3], u, &url[b..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn decode(s: &str) -> Result<String, String> {
    crate::db::target::percent_decode(s, true)
}

/// Fill in what the URL and flags did not say, in libpq's order.
fn resolve(
    mut s: Settings,
    params: &ConnectParams,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<PgTarget, String> {
    // psql-style flags override the URL.
    if let Some(h) = &params.host {
        s.insert("host".into(), h.clone());
    }
    if let Some(p) = params.port {
        s.insert("port".into(), p.to_string());
    }
    if let Some(u) = &params.user {
        s.insert("user".into(), u.clone());
    }
    if let Some(d) = &params.dbname {
        s.insert("dbname".into(), d.clone());
    }
    let service = s.get("service").cloned().or_else(|| env("PGSERVICE"));
    if let Some(name) = service.filter(|n| !n.is_empty()) {
        for (k, v) in pgpass::load_service(&name, env)? {
            if !KEYWORDS.contains(&k.as_str()) || k == "service" {
                return Err(format!("invalid keyword \"{k}\" in service \"{name}\""));
            }
            s.entry(k).or_insert(v);
        }
    }
    for (key, var) in [
        ("host", "PGHOST"),
        ("hostaddr", "PGHOSTADDR"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("dbname", "PGDATABASE"),
        ("password", "PGPASSWORD"),
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("application_name", "PGAPPNAME"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
        ("options", "PGOPTIONS"),
        ("passfile", "PGPASSFILE"),
        ("target_session_attrs", "PGTARGETSESSIONATTRS"),
        ("load_balance_hosts", "PGLOADBALANCEHOSTS"),
    ] {
        if !s.contains_key(key) {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                s.insert(key.into(), v);
            }
        }
    }

    let hosts = host_list(&s)?;
    let HostSpec {
        host,
        hostaddr,
        port,
    } = hosts[0].clone();
    let user = match s.get("user").filter(|u| !u.is_empty()) {
        Some(u) => u.clone(),
        None => os_user(env).ok_or("cannot tell the current user name; give one with -U")?,
    };
    let dbname = s
        .get("dbname")
        .filter(|d| !d.is_empty())
        .cloned()
        .unwrap_or_else(|| user.clone());
    let sslmode = SslMode::parse(s.get("sslmode").map_or("prefer", String::as_str))?;
    let connect_timeout = match s.get("connect_timeout") {
        Some(t) => {
            let secs: i64 = t
                .trim()
                .parse()
                .map_err(|_| format!("invalid connect_timeout value: \"{t}\""))?;
            // libpq: zero or less waits forever; 1 means 2.
            (secs > 0).then(|| Duration::from_secs(secs.max(2) as u64))
        }
        None => None,
    };
    let session_attrs =
        SessionAttrs::parse(s.get("target_session_attrs").map_or("any", String::as_str))?;
    let load_balance = match s
        .get("load_balance_hosts")
        .map_or("disable", String::as_str)
    {
        "disable" => false,
        "random" => true,
        other => {
            return Err(format!(
                "invalid load_balance_hosts value: \"{other}\" (use disable or random)"
            ))
        }
    };
    let passfile = match s.get("passfile") {
        Some(p) => PathBuf::from(p),
        None => pgpass::home_dir(env).unwrap_or_default().join(".pgpass"),
    };
    Ok(PgTarget(Box::new(Resolved {
        host,
        hostaddr,
        port,
        user,
        dbname,
        password: s.get("password").cloned(),
        sslmode,
        sslrootcert: s.get("sslrootcert").cloned(),
        application_name: s
            .get("application_name")
            .or_else(|| s.get("fallback_application_name"))
            .cloned()
            .unwrap_or_else(|| "dbsh".into()),
        connect_timeout,
        options: s.get("options").cloned(),
        passfile,
        prompt_first: params.password_prompt,
        interactive: params.interactive,
        asker: params.asker.clone(),
        typed_password: Arc::new(Mutex::new(None)),
        hosts,
        session_attrs,
        load_balance,
    })))
}

/// The comma lists `host`, `hostaddr` and `port` paired up as libpq pairs them: one port
/// serves every host, otherwise there must be one per host; an empty entry is the default.
fn host_list(s: &Settings) -> Result<Vec<HostSpec>, String> {
    let split = |key: &str| -> Vec<String> {
        s.get(key)
            .map(|v| v.split(',').map(|e| e.trim().to_string()).collect())
            .unwrap_or_default()
    };
    let mut names = split("host");
    let addrs = split("hostaddr");
    let ports = split("port");
    if names.is_empty() {
        // Without host names, the addresses say how many hosts there are.
        names = if addrs.is_empty() {
            vec![String::new()]
        } else {
            addrs.clone()
        };
    }
    if !addrs.is_empty() && addrs.len() != names.len() {
        return Err(format!(
            "could not match {} host names to {} hostaddr values",
            names.len(),
            addrs.len()
        ));
    }
    if ports.len() > 1 && ports.len() != names.len() {
        return Err(format!(
            "could not match {} port numbers to {} hosts",
            ports.len(),
            names.len()
        ));
    }
    let mut hosts = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let port = match ports.get(if ports.len() == 1 { 0 } else { i }) {
            Some(p) if !p.is_empty() => p
                .parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| format!("invalid port number: \"{p}\""))?,
            _ => 5432,
        };
        let hostaddr = match addrs.get(i).filter(|a| !a.is_empty()) {
            Some(a) => Some(
                a.parse::<IpAddr>()
                    .map_err(|_| format!("invalid hostaddr: \"{a}\""))?,
            ),
            None => None,
        };
        let host = if name.is_empty() {
            default_host(port)
        } else {
            name.clone()
        };
        hosts.push(HostSpec {
            host,
            hostaddr,
            port,
        });
    }
    Ok(hosts)
}

/// Parse libpq's `keyword=value …` form: values may be single-quoted, with `\'` and `\\`
/// escapes; spaces around `=` are allowed.
fn parse_keywords(conninfo: &str) -> Result<Settings, String> {
    let mut s = Settings::new();
    let mut chars = conninfo.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(s);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!(
                "missing \"=\" after \"{key}\" in connection info string"
            ));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    None => {
                        return Err("unterminated quoted string in connection info string".into())
                    }
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        if !KEYWORDS.contains(&key.as_str()) {
            return Err(format!("invalid connection option \"{key}\""));
        }
        s.insert(key, value);
    }
}

/// libpq's default host: the local socket directory when a server listens there.
fn default_host(port: u16) -> String {
    for dir in ["/var/run/postgresql", "/tmp"] {
        if Path::new(dir).join(format!(".s.PGSQL.{port}")).exists() {
            return dir.to_string();
        }
    }
    "localhost".into()
}

/// The operating-system user, as libpq finds it (the password database, then $USER).
fn os_user(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    // SAFETY: getpwuid_r fills `pwd` using `buf`, both owned here and large enough by
    // the usual sysconf bound; the name is copied out before they go away.
    let from_passwd = unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        );
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            Some(
                std::ffi::CStr::from_ptr(pwd.pw_name)
                    .to_string_lossy()
                    .into_owned(),
            )
        } else {
            None
        }
    };
    from_passwd
        .filter(|u| !u.is_empty())
        .or_else(|| env("USER").filter(|u| !u.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_with(
        url: Option<&str>,
        params: &ConnectParams,
        env: &[(&str, &str)],
    ) -> Result<PgTarget, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let s = match url {
            Some(u) => parse_url(u)?,
            None => Settings::new(),
        };
        resolve(s, params, &lookup)
    }

    #[test]
    fn url_parts() {
        let t = resolve_with(
            Some("postgresql://al%40ice:p%3Ass@db.example:6543/my%20db?sslmode=require&application_name=x&connect_timeout=5"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap();
        assert_eq!(t.user, "al@ice");
        assert_eq!(t.password.as_deref(), Some("p:ss"));
        assert_eq!((t.host.as_str(), t.port), ("db.example", 6543));
        assert_eq!(t.dbname, "my db");
        assert_eq!(t.sslmode, SslMode::Require);
        assert_eq!(t.application_name, "x");
        assert_eq!(t.connect_timeout, Some(Duration::from_secs(5)));
        assert!(!t.describe().contains("p:ss"));
        assert!(!format!("{t:?}").contains("p:ss"));
        assert_eq!(t.describe(), "postgres://al@ice@db.example:6543/my db");
    }

    #[test]
    fn socket_hosts_and_ipv6() {
        let t = resolve_with(
            Some("postgres:///app?host=/var/run/postgresql"),
            &ConnectParams::default(),
            &[("USER", "x")],
        )
        .unwrap();
        assert!(t.is_socket());
        assert_eq!(t.dbname, "app");
        assert_eq!(t.pgpass_host(), "localhost");
        let t = resolve_with(
            Some("postgres://u@%2Fsrv%2Fpg:5433/d"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap();
        assert_eq!(t.host, "/srv/pg");
        assert_eq!(t.socket_path(), PathBuf::from("/srv/pg/.s.PGSQL.5433"));
        assert_eq!(t.pgpass_host(), "/srv/pg");
        let t = resolve_with(
            Some("postgres://u@[::1]:5433/d"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 5433));
    }

    #[test]
    fn flags_override_url_and_env_fills_the_rest() {
        let params = ConnectParams {
            host: Some("flaghost".into()),
            user: Some("flaguser".into()),
            ..ConnectParams::default()
        };
        let t = resolve_with(
            Some("postgres://urluser@urlhost:1111/urldb"),
            &params,
            &[
                ("PGPORT", "2222"),
                ("PGDATABASE", "envdb"),
                ("PGPASSWORD", "pw"),
                ("PGAPPNAME", "envapp"),
            ],
        )
        .unwrap();
        assert_eq!((t.host.as_str(), t.port), ("flaghost", 1111));
        assert_eq!(t.user, "flaguser");
        assert_eq!(t.dbname, "urldb");
        assert_eq!(t.password.as_deref(), Some("pw"));
        assert_eq!(t.application_name, "envapp");
        let t = resolve_with(
            None,
            &ConnectParams::default(),
            &[("PGHOST", "h"), ("PGUSER", "u"), ("PGSSLMODE", "disable")],
        )
        .unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str(), t.dbname.as_str()),
            ("h", 5432, "u", "u")
        );
        assert_eq!(t.sslmode, SslMode::Disable);
        assert_eq!(t.application_name, "dbsh");
    }

    #[test]
    fn service_file_between_url_and_env() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("svc.conf"),
            "[app]\nhost=svchost\nport=7777\ndbname=svcdb\n",
        )
        .unwrap();
        let file = dir.path().join("svc.conf").display().to_string();
        let t = resolve_with(
            Some("postgres://u@/urldb?service=app"),
            &ConnectParams::default(),
            &[
                ("PGSERVICEFILE", &file),
                ("PGPORT", "1"),
                ("PGSYSCONFDIR", "/nonexistent"),
            ],
        )
        .unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.dbname.as_str()),
            ("svchost", 7777, "urldb")
        );
        let err = resolve_with(
            None,
            &ConnectParams::default(),
            &[
                ("PGSERVICE", "nope"),
                ("PGSERVICEFILE", &file),
                ("PGSYSCONFDIR", "/nonexistent"),
            ],
        )
        .unwrap_err();
        assert!(err.contains("service \"nope\" not found"), "{err}");
    }

    #[test]
    fn bad_values_are_explained() {
        let e = resolve_with(
            Some("postgres://h/d?sslmode=maybe"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap_err();
        assert!(e.contains("invalid sslmode"), "{e}");
        let e =
            resolve_with(Some("postgres://h:99999/d"), &ConnectParams::default(), &[]).unwrap_err();
        assert!(e.contains("invalid port"), "{e}");
        let e = resolve_with(
            Some("postgres://h/d?bogus=1"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap_err();
        assert!(e.contains("\"bogus\""), "{e}");
        let e = resolve_with(
            Some("postgres://u:secret@h/%zz"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap_err();
        assert!(e.contains("percent"), "{e}");
        assert_eq!(redact("postgres://u:secret@h/d"), "postgres://u:***@h/d");
    }

    fn hosts(t: &PgTarget) -> Vec<(String, u16)> {
        t.hosts.iter().map(|h| (h.host.clone(), h.port)).collect()
    }

    #[test]
    fn url_with_several_hosts_pairs_each_with_its_port() {
        let t = resolve_with(
            Some("postgres://u@h1:5432,h2:5433,[::1]/db?target_session_attrs=read-write"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap();
        assert_eq!(
            hosts(&t),
            vec![
                ("h1".into(), 5432),
                ("h2".into(), 5433),
                ("::1".into(), 5432)
            ]
        );
        assert_eq!((t.host.as_str(), t.port), ("h1", 5432));
        assert_eq!(t.session_attrs, SessionAttrs::ReadWrite);
        assert!(!t.load_balance);
        assert_eq!(t.describe(), "postgres://u@h1:5432,h2:5433,[::1]:5432/db");
        let one = t.on_host(&t.hosts[1]);
        assert_eq!((one.host.as_str(), one.port), ("h2", 5433));
        assert_eq!(one.describe(), "postgres://u@h2:5433/db");
    }

    #[test]
    fn keyword_form_with_host_and_port_lists() {
        let t = resolve_with_keywords(
            "host=h1,h2 port = 5432,5433 dbname='my db' user=u target_session_attrs=prefer-standby load_balance_hosts=random connect_timeout=3",
        )
        .unwrap();
        assert_eq!(hosts(&t), vec![("h1".into(), 5432), ("h2".into(), 5433)]);
        assert_eq!(t.dbname, "my db");
        assert_eq!(t.session_attrs, SessionAttrs::PreferStandby);
        assert!(t.load_balance);
        assert_eq!(t.connect_timeout, Some(Duration::from_secs(3)));
        // One port serves every host.
        let t = resolve_with_keywords("host=a,b,c port=6000 user=u").unwrap();
        assert_eq!(
            hosts(&t),
            vec![("a".into(), 6000), ("b".into(), 6000), ("c".into(), 6000)]
        );
        let t = resolve_with_keywords("host=a,b hostaddr=127.0.0.1,127.0.0.2 user=u").unwrap();
        assert_eq!(t.hosts[1].hostaddr, Some("127.0.0.2".parse().unwrap()));
        let t = resolve_with_keywords(r"host=h user=u password='it\'s'").unwrap();
        assert_eq!(t.password.as_deref(), Some("it's"));
    }

    fn resolve_with_keywords(conninfo: &str) -> Result<PgTarget, String> {
        resolve(
            parse_keywords(conninfo)?,
            &ConnectParams::default(),
            &|_| None,
        )
    }

    #[test]
    fn what_libpq_rejects_in_multi_host_targets() {
        let e = resolve_with_keywords("host=a,b,c port=1,2 user=u").unwrap_err();
        assert_eq!(e, "could not match 2 port numbers to 3 hosts");
        let e = resolve_with(
            Some("postgres://u@a:1,b:2/d?port=1,2,3"),
            &ConnectParams::default(),
            &[],
        )
        .unwrap_err();
        assert_eq!(e, "could not match 3 port numbers to 2 hosts");
        let e = resolve_with_keywords("host=a,b hostaddr=127.0.0.1 user=u").unwrap_err();
        assert_eq!(e, "could not match 2 host names to 1 hostaddr values");
        let e = resolve_with_keywords("host=a user=u target_session_attrs=master").unwrap_err();
        assert!(
            e.starts_with("invalid target_session_attrs value: \"master\""),
            "{e}"
        );
        let e = resolve_with_keywords("host=a user=u load_balance_hosts=yes").unwrap_err();
        assert!(e.starts_with("invalid load_balance_hosts value"), "{e}");
        let e = resolve_with_keywords("host=a,b port=1,x user=u").unwrap_err();
        assert_eq!(e, "invalid port number: \"x\"");
        let e = resolve_with_keywords("host=a bogus=1").unwrap_err();
        assert_eq!(e, "invalid connection option \"bogus\"");
        let e = resolve_with_keywords("host=a dbname").unwrap_err();
        assert!(e.contains("missing \"=\" after \"dbname\""), "{e}");
        let e = resolve_with_keywords("host=a password='x").unwrap_err();
        assert!(e.contains("unterminated quoted string"), "{e}");
    }

    #[test]
    fn session_attrs_and_balancing_come_from_the_environment_too() {
        let t = resolve_with(
            Some("postgres://u@a,b/d"),
            &ConnectParams::default(),
            &[
                ("PGTARGETSESSIONATTRS", "standby"),
                ("PGLOADBALANCEHOSTS", "random"),
            ],
        )
        .unwrap();
        assert_eq!(t.session_attrs, SessionAttrs::Standby);
        assert!(t.load_balance);
        assert_eq!(hosts(&t), vec![("a".into(), 5432), ("b".into(), 5432)]);
    }
}
