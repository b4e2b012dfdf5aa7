//! PostgreSQL clusters a test owns (initdb/pg_ctl from the installed server, on free
//! ports, stopped when dropped, even when the test fails): a primary, and a streaming
//! standby of it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A server binary (`initdb`, `pg_ctl`) from the newest installed PostgreSQL.
fn pg_bin(name: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop()
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The server refuses to run as root: there, run it as `postgres`.
pub fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

pub struct Cluster {
    dir: tempfile::TempDir,
    pub port: u16,
    pg_ctl: PathBuf,
}

impl Cluster {
    pub fn start() -> Option<Cluster> {
        let (Some(initdb), Some(pg_ctl)) = (pg_bin("initdb"), pg_bin("pg_ctl")) else {
            crate::common::skipped("SKIPPED: no initdb/pg_ctl under /usr/lib/postgresql");
            return None;
        };
        let dir = server_owned_dir()?;
        let data = dir.path().join("data");
        let out = as_server_user(&initdb)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let cluster = Cluster { dir, port, pg_ctl };
        cluster.ctl("start");
        Some(cluster)
    }

    /// A streaming standby of `primary` (`pg_basebackup -R`), started and accepting
    /// read-only connections.
    pub fn standby_of(primary: &Cluster) -> Option<Cluster> {
        let Some(basebackup) = pg_bin("pg_basebackup") else {
            crate::common::skipped("SKIPPED: no pg_basebackup under /usr/lib/postgresql");
            return None;
        };
        let dir = server_owned_dir()?;
        let out = as_server_user(&basebackup)
            .args([
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-R",
                "--no-sync",
                "-X",
                "stream",
            ])
            .arg("-p")
            .arg(primary.port.to_string())
            .arg("-D")
            .arg(dir.path().join("data"))
            .output()
            .expect("run pg_basebackup");
        assert!(
            out.status.success(),
            "pg_basebackup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cluster = Cluster {
            dir,
            port: free_port(),
            pg_ctl: primary.pg_ctl.clone(),
        };
        cluster.ctl("start");
        Some(cluster)
    }

    pub fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        )
    }

    /// The pg_ctl command line for `action`, as a shell command.
    pub fn ctl_shell(&self, action: &str) -> String {
        let data = self.dir.path().join("data");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let prefix = if is_root() {
            "runuser -u postgres -- "
        } else {
            ""
        };
        format!(
            "{prefix}{} -D {} -l {} -o '{options}' -m fast -w {action} >/dev/null",
            self.pg_ctl.display(),
            data.display(),
            self.dir.path().join("log").display(),
        )
    }

    pub fn ctl(&self, action: &str) {
        let out = Command::new("sh")
            .args(["-c", &self.ctl_shell(action)])
            .output()
            .expect("run pg_ctl");
        assert!(
            out.status.success(),
            "pg_ctl {action}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args([
                "-c",
                &self.ctl_shell("stop").replace("-m fast", "-m immediate"),
            ])
            .output();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private temporary directory the server user owns.
pub fn server_owned_dir() -> Option<tempfile::TempDir> {
    dir_owned_by("postgres")
}

/// A private temporary directory `user` owns when we are root (ours otherwise).
pub fn dir_owned_by(user: &str) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().expect("tempdir");
    if is_root() {
        let (uid, _) = user_ids(user)?;
        std::os::unix::fs::chown(dir.path(), Some(uid), None).expect("chown");
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    Some(dir)
}

/// The uid and gid of the system user `user`.
pub fn user_ids(user: &str) -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, user]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}
