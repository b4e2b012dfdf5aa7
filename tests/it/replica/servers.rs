//! A MariaDB primary and a read-only replica of it that the tests own: two `mariadbd` on
//! free 127.0.0.1 ports with data dirs, sockets and pid files in their own temporary
//! directories (run as `mysql` when we are root), the second replicating the first
//! (GTID), both killed when the pair is dropped, also when a test fails. The mariadb
//! client sets them up over the Unix socket as root (empty password, normal grant tables).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::cluster::{dir_owned_by, free_port, is_root, user_ids};

/// Every wait on a server gets this long: the machine may be busy with builds.
const DEADLINE: Duration = Duration::from_secs(60);

/// The account the tests connect as: all rights on `app`, none global, so `read_only`
/// holds for it (root has READ ONLY ADMIN through SUPER and may write on a replica).
pub const APP_USER: &str = "app";
pub const APP_DB: &str = "app";

/// `name` on the PATH or in the sbin directories (where Debian puts `mariadbd`).
fn find_bin(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin"])
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file());
    found
}

/// The binaries the pair needs.
struct Bins {
    server: PathBuf,
    install_db: PathBuf,
    client: PathBuf,
}

impl Bins {
    fn find() -> Option<Bins> {
        Some(Bins {
            server: find_bin("mariadbd")?,
            install_db: find_bin("mariadb-install-db")?,
            client: find_bin("mariadb")?,
        })
    }
}

/// One running `mariadbd`.
pub struct Server {
    pub port: u16,
    child: Child,
    client: PathBuf,
    /// Data, socket, pid file and log; removed after `drop` has killed the server.
    dir: tempfile::TempDir,
}

impl Server {
    /// A fresh data dir and a server on it, with `args` added; waits until it answers.
    fn start(bins: &Bins, args: &[&str]) -> Option<Server> {
        let dir = dir_owned_by("mysql")?;
        let data = dir.path().join("data");
        let mut install = as_mysql(&bins.install_db)?;
        install
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--tmpdir={}", dir.path().display()))
            .args([
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                "--innodb-log-file-size=8M",
            ])
            .current_dir(dir.path());
        let out = install.output().expect("run mariadb-install-db");
        assert!(
            out.status.success(),
            "mariadb-install-db: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let path = |name: &str| dir.path().join(name).display().to_string();
        let mut server = as_mysql(&bins.server)?;
        server
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--port={port}"))
            .arg("--bind-address=127.0.0.1")
            .arg(format!("--socket={}", path("sock")))
            .arg(format!("--pid-file={}", path("pid")))
            .arg(format!("--log-error={}", path("error.log")))
            // Its own temporary files: a server clears `#sql*` files from its tmpdir at
            // start, which in /tmp are the shared server's temporary tables.
            .arg(format!("--tmpdir={}", dir.path().display()))
            .args([
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=16M",
                "--innodb-log-file-size=8M",
            ])
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = server.spawn().expect("spawn mariadbd");
        let mut s = Server {
            port,
            child,
            client: bins.client.clone(),
            dir,
        };
        s.wait_ready();
        Some(s)
    }

    /// Until the server answers on its socket (or exits, or the deadline passes).
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + DEADLINE;
        while self.try_sql("SELECT 1").is_none() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("mariadbd exited ({status}):\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "mariadbd did not answer in {DEADLINE:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's error log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    /// The mariadb client running `sql` as root over the socket, rows tab-separated.
    fn client(&self, sql: &str) -> Command {
        let mut c = Command::new(&self.client);
        c.arg("--no-defaults")
            .arg(format!(
                "--socket={}",
                self.dir.path().join("sock").display()
            ))
            .args(["-u", "root", "-N", "-B", "-e", sql])
            .stdin(Stdio::null());
        c
    }

    /// What `sql` prints, or `None` when it fails (the server not up yet, say).
    fn try_sql(&self, sql: &str) -> Option<String> {
        let out = self.client(sql).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// What `sql` prints; panics with the server's error when it fails.
    pub fn sql(&self, sql: &str) -> String {
        let out = self.client(sql).output().expect("run mariadb");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// dbsh's URL for the application account on this server.
    pub fn url(&self) -> String {
        format!("mysql://{APP_USER}@127.0.0.1:{}/{APP_DB}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The child is mariadbd itself (no runuser in between), so this kills the server.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `program` as a command that runs as `mysql` when we are root (mariadbd refuses root).
fn as_mysql(program: &Path) -> Option<Command> {
    let mut c = Command::new(program);
    if is_root() {
        let (uid, gid) = user_ids("mysql")?;
        c.uid(uid).gid(gid);
    }
    Some(c)
}

/// A primary (server-id 1, binary log) and a replica (server-id 2, `read_only`)
/// replicating it, with the application account and database in place on both.
pub struct Replication {
    pub primary: Server,
    pub replica: Server,
}

impl Replication {
    /// The pair every test running now shares (each server takes seconds to set up on a
    /// loaded machine); stopped when the last test holding it is done.
    pub fn shared() -> Option<Arc<Replication>> {
        static PAIR: Mutex<Weak<Replication>> = Mutex::new(Weak::new());
        let mut slot = PAIR.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pair) = slot.upgrade() {
            return Some(pair);
        }
        let pair = Arc::new(Replication::start()?);
        *slot = Arc::downgrade(&pair);
        Some(pair)
    }

    fn start() -> Option<Replication> {
        let Some(bins) = Bins::find() else {
            crate::common::skipped(
                "SKIPPED: mariadbd, mariadb-install-db or mariadb is not installed",
            );
            return None;
        };
        if is_root() && user_ids("mysql").is_none() {
            crate::common::skipped("SKIPPED: no mysql system user to run mariadbd as");
            return None;
        }
        let primary = Server::start(&bins, &["--server-id=1", "--log-bin=primary-bin"])?;
        let replica = Server::start(
            &bins,
            &[
                "--server-id=2",
                "--read-only=1",
                "--relay-log=replica-relay",
            ],
        )?;
        primary.sql(
            "CREATE USER repl@'127.0.0.1' IDENTIFIED BY 'repl'; \
             GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1'",
        );
        replica.sql(&format!(
            "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={}, \
             MASTER_USER='repl', MASTER_PASSWORD='repl', MASTER_CONNECT_RETRY=1, \
             MASTER_USE_GTID=slave_pos; START SLAVE",
            primary.port
        ));
        let pair = Replication { primary, replica };
        // Made on the primary only: the replica gets them through replication.
        pair.primary.sql(&format!(
            "CREATE DATABASE {APP_DB}; CREATE USER {APP_USER}@'%'; \
             GRANT ALL ON {APP_DB}.* TO {APP_USER}@'%'; \
             CREATE TABLE {APP_DB}.ready (x int)"
        ));
        pair.wait_replicated(
            &format!(
                "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = '{APP_DB}' AND table_name = 'ready'"
            ),
            "1",
        );
        Some(pair)
    }

    /// Until `query` on the replica prints `expected` (after the replica applied what the
    /// primary wrote); panics with the replica's status at the deadline.
    pub fn wait_replicated(&self, query: &str, expected: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if self.replica.try_sql(query).as_deref().map(str::trim) == Some(expected) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "the replica did not show {expected:?} for {query} in {DEADLINE:?}\n\
                     replica status: {}\nreplica log:\n{}",
                    self.replica
                        .try_sql("SHOW SLAVE STATUS\\G")
                        .unwrap_or_default(),
                    self.replica.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
