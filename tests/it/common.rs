//! Shared helpers: running the real binary, and reaching the test servers.
//!
//! Server tests call `postgres_url()` / `mysql_url()`, which probe the host and port of the
//! URL they were given; when a server cannot be reached they say SKIPPED once, uncaptured,
//! and the test returns, unless `DBSH_REQUIRE_BACKENDS` names that backend (CI sets it), in
//! which case the test fails.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dbsh"))
}

/// A scratch home: config, history and cache directories of their own, so tests never
/// read or write the developer's files.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A `dbsh` command with HOME and the XDG directories inside the sandbox.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        let home = self.dir.path();
        c.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("DBSH_CONFIG")
            .env_remove("PAGER")
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .env_remove("PGHOST")
            .env_remove("PGHOSTADDR")
            .env_remove("PGDATABASE")
            .env_remove("PGUSER")
            .env_remove("PGPORT")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }
}

/// Result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `dbsh ARGS` in a fresh sandbox.
pub fn dbsh(args: &[&str]) -> Run {
    let sb = Sandbox::new();
    finish(sb.cmd().args(args).output().expect("run dbsh"))
}

/// Run `dbsh ARGS` with `input` on stdin.
pub fn dbsh_stdin(args: &[&str], input: &str) -> Run {
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dbsh");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    finish(child.wait_with_output().expect("wait dbsh"))
}

fn required(backend: &str) -> bool {
    std::env::var("DBSH_REQUIRE_BACKENDS")
        .map(|v| v.split(',').any(|b| b.trim() == backend))
        .unwrap_or(false)
}

/// Reachable server URL, or None (after saying so) when the server is down and not required.
fn server_url(backend: &str, var: &str, default: &str, default_port: u16) -> Option<String> {
    let url = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let host_port = host_port(&url, default_port);
    let reachable = std::net::ToSocketAddrs::to_socket_addrs(&host_port)
        .into_iter()
        .flatten()
        .any(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    if reachable {
        return Some(url);
    }
    if required(backend) {
        panic!("{backend} is required (DBSH_REQUIRE_BACKENDS) but {host_port} cannot be reached");
    }
    skipped(&format!(
        "SKIPPED: {backend} tests: no server at {host_port}; set {var} or start it"
    ));
    None
}

/// `host:port` of a `scheme://user:pw@host:port/db?…` URL (`[v6]:port` kept as written).
fn host_port(url: &str, default_port: u16) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let has_port = match host.rfind(']') {
        Some(end) => host[end..].contains(':'),
        None => host.contains(':'),
    };
    match (host, has_port) {
        ("", _) => format!("127.0.0.1:{default_port}"),
        (h, true) => h.to_string(),
        (h, false) => format!("{h}:{default_port}"),
    }
}

/// Say `line` once per test run, on the terminal where the developer sees it: the test
/// harness captures what a passing test prints with `eprintln!`, not what is written to
/// the standard error stream itself.
pub fn skipped(line: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.iter().any(|s| s == line) {
        said.push(line.to_string());
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

pub fn postgres_url() -> Option<String> {
    server_url(
        "postgres",
        "DBSH_TEST_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
        5432,
    )
}

pub fn mysql_url() -> Option<String> {
    server_url(
        "mysql",
        "DBSH_TEST_MYSQL_URL",
        "mysql://root@127.0.0.1:3306/test",
        3306,
    )
}

/// A name no other test (or test run) uses: for schemas and databases.
pub fn unique_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A runtime like the binary's, for tests that drive the library directly.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A library connection to `url`; panics with the reason when it cannot connect.
pub async fn connect(url: &str) -> dbsh::db::Connection {
    let target = dbsh::db::Target::parse(Some(url), &dbsh::db::ConnectParams::default())
        .unwrap_or_else(|e| panic!("target {url}: {e}"));
    match dbsh::db::Connection::connect(&target).await {
        Ok(c) => c,
        Err(e) => panic!("connect {url}: {e}"),
    }
}

#[test]
fn the_probe_reaches_the_host_and_port_of_the_url_given() {
    assert_eq!(
        host_port("postgres://u:p@db.example:6432/x?sslmode=require", 5432),
        "db.example:6432"
    );
    assert_eq!(
        host_port("mysql://root@10.0.0.7/test", 3306),
        "10.0.0.7:3306"
    );
    assert_eq!(host_port("postgres://[::1]:5433/db", 5432), "[::1]:5433");
    assert_eq!(host_port("postgres://[::1]/db", 5432), "[::1]:5432");
    assert_eq!(host_port("postgres:///db", 5432), "127.0.0.1:5432");
}
