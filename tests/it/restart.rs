//! A server restart, on a PostgreSQL cluster the test owns (initdb/pg_ctl from the
//! installed server, on a free port, stopped at the end even when the test fails): the
//! prompt reconnects and runs nothing it should not; a script exits 2.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{dbsh, Sandbox};
use crate::pty::Term;

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

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The server refuses to run as root: there, run it as `postgres`.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    pg_ctl: PathBuf,
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let (Some(initdb), Some(pg_ctl)) = (pg_bin("initdb"), pg_bin("pg_ctl")) else {
            eprintln!("SKIPPED: no initdb/pg_ctl under /usr/lib/postgresql");
            return None;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        if is_root() {
            let Ok(out) = Command::new("id").args(["-u", "postgres"]).output() else {
                return None;
            };
            let uid: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
            std::os::unix::fs::chown(dir.path(), Some(uid), None).expect("chown");
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
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
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster { dir, port, pg_ctl };
        cluster.ctl("start");
        Some(cluster)
    }

    fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        )
    }

    /// The pg_ctl command line for `action`, as a shell command.
    fn ctl_shell(&self, action: &str) -> String {
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

    fn ctl(&self, action: &str) {
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

#[test]
fn server_restart_ends_a_script_with_exit_2_and_the_prompt_reconnects_running_nothing_until_the_server_is_back(
) {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.url();
    let r = dbsh(&[&url, "-c", "create table t (x int)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // A script: the restart falls between two statements of a transaction.
    let sb = Sandbox::new();
    let script = sb.path().join("work.sql");
    std::fs::write(
        &script,
        format!(
            "begin;\ninsert into t values (1);\n\\! {}\ninsert into t values (2);\ncommit;\n",
            cluster.ctl_shell("restart")
        ),
    )
    .unwrap();
    let run = crate::common::finish(
        sb.cmd()
            .args([&url, "--continue-on-error", "-f", script.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("work.sql:4: connection to server was lost"),
        "{}",
        run.stderr
    );
    let count = |url: &str| {
        let r = dbsh(&[url, "--format", "csv", "-c", "select count(*) as n from t"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert_eq!(count(&url), "n\n0\n");

    // The prompt: restarted inside a transaction.
    let mut cmd = sb.cmd();
    cmd.arg(&url);
    let mut t = Term::spawn(cmd, 40, 160);
    t.wait_text(":postgres>", 30);
    t.send("begin;\r");
    t.send("insert into t values (1);\r");
    t.wait_text("INSERT 0 1", 30);
    cluster.ctl("restart");
    t.send("insert into t values (2);\r");
    t.wait_text("rolled back by the server", 30);
    t.wait_text("; restored: ", 30);
    t.send("select count(*) as n from t;\r");
    t.wait_text("1 row", 30);
    assert!(t.screen().contains("| 0 |"), "{}", t.screen());

    // The server is down: the reconnect fails, nothing runs, the prompt stays; once the
    // server is back, a statement that was never sent runs on the new connection.
    cluster.ctl("stop");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("could not reconnect", 30);
    t.wait_text("The next statement tries again.", 30);
    cluster.ctl("start");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("had not been sent", 30);
    t.wait_text("42 |", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
    assert_eq!(count(&url), "n\n0\n");
}
