//! PostgreSQL behind PgBouncer in transaction mode (a test-owned cluster and pooler on free
//! ports, stopped when dropped): between two transactions the pooler hands the client another
//! server connection, so nothing dbsh sends may rely on session state, named prepared
//! statements included.

use crate::cluster::{as_server_user, free_port, server_owned_dir, Cluster};
use crate::common::{dbsh, finish, Sandbox};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Pooler {
    _dir: tempfile::TempDir,
    pidfile: PathBuf,
    port: u16,
}

impl Pooler {
    /// PgBouncer in transaction mode in front of `cluster`, with fewer server connections
    /// than clients so that clients share them.
    fn start(cluster: &Cluster) -> Option<Pooler> {
        let bin = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let Some(bin) = bin else {
            crate::common::skipped(
                "SKIPPED: pgbouncer is not installed (apt-get install pgbouncer)",
            );
            return None;
        };
        let dir = server_owned_dir()?;
        let port = free_port();
        let pidfile = dir.path().join("pgbouncer.pid");
        let users = dir.path().join("users.txt");
        write_owned(&users, "\"postgres\" \"\"\n");
        let ini = dir.path().join("pgbouncer.ini");
        write_owned(
            &ini,
            &format!(
                "[databases]\n\
                 postgres = host=127.0.0.1 port={} dbname=postgres\n\
                 [pgbouncer]\n\
                 listen_addr = 127.0.0.1\n\
                 listen_port = {port}\n\
                 unix_socket_dir =\n\
                 auth_type = trust\n\
                 auth_file = {}\n\
                 pool_mode = transaction\n\
                 default_pool_size = 4\n\
                 max_client_conn = 200\n\
                 logfile = {}\n\
                 pidfile = {}\n",
                cluster.port,
                users.display(),
                dir.path().join("pgbouncer.log").display(),
                pidfile.display(),
            ),
        );
        let out = as_server_user(&bin)
            .arg("-d")
            .arg(&ini)
            .output()
            .expect("run pgbouncer");
        assert!(
            out.status.success(),
            "pgbouncer: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "pgbouncer never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Pooler {
            _dir: dir,
            pidfile,
            port,
        })
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Pooler {
    fn drop(&mut self) {
        if let Some(pid) = std::fs::read_to_string(&self.pidfile)
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
        {
            // SAFETY: kill only sends a signal to the pooler this test started.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    }
}

/// A file the server user (who runs the pooler) can read.
fn write_owned(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let _ = Command::new("chown")
        .arg("postgres")
        .arg(path)
        .stderr(Stdio::null())
        .status();
}

#[test]
fn twenty_sessions_through_pgbouncer_in_transaction_mode_run_statements_describe_copy_and_complete_without_an_error(
) {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let Some(pooler) = Pooler::start(&cluster) else {
        return;
    };
    let url = pooler.url();
    let sb = Sandbox::new();
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let script = sb.path().join(format!("s{i}.sql"));
            std::fs::write(
                &script,
                format!(
                    "create table t{i} (id int primary key, name text);\n\
                     insert into t{i} values (1, 'a'), (2, 'b');\n\
                     select count(*) as n from t{i};\n\
                     select 1 as one; select 2 as two;\n\
                     \\d t{i}\n\
                     copy t{i} from stdin;\n3\tc\n\\.\n\
                     copy (select name from t{i} order by id) to stdout;\n\
                     begin; insert into t{i} values (4, 'd'); commit;\n\
                     select sum(id) as total from t{i};\n\
                     select 'broken' from nowhere_{i};\n"
                ),
            )
            .unwrap();
            sb.cmd()
                .args([&url, "-f", script.to_str().unwrap()])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn dbsh")
        })
        .collect();
    for (i, child) in clients.into_iter().enumerate() {
        let r = finish(child.wait_with_output().unwrap());
        // The one deliberate error, and nothing else: no "prepared statement … does not
        // exist / already exists" from a statement name the pooler could not carry.
        assert_eq!(r.code, 1, "client {i}: {}", r.stderr);
        assert_eq!(
            r.stderr.matches("ERROR").count(),
            1,
            "client {i}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("nowhere_{i}")),
            "client {i}: {}",
            r.stderr
        );
        for want in [
            "| n |\n+---+\n| 2 |",
            "| one |\n+-----+\n|   1 |",
            "| two |\n+-----+\n|   2 |",
            "| total |\n+-------+\n|    10 |",
            "\na\nb\nc\n",
            &format!("Table \"public.t{i}\""),
            "| integer |",
        ] {
            assert!(
                r.stdout.contains(want),
                "client {i} lacks {want:?}:\n{}",
                r.stdout
            );
        }
    }
    // The completion catalog loads through the pooler too.
    let r = dbsh(&[&url, "--suggest", "select * from t1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.lines().any(|l| l.starts_with("t19")),
        "{}",
        r.stdout
    );
}

#[test]
fn ctrl_c_through_pgbouncer_cancels_the_statement_on_the_server() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let Some(pooler) = Pooler::start(&cluster) else {
        return;
    };
    let sb = Sandbox::new();
    let child = sb
        .cmd()
        .args([&pooler.url(), "-c", "select pg_sleep(60)"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_sleeping(&cluster);
    // SAFETY: kill only sends a signal to the child we started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let r = finish(child.wait_with_output().unwrap());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("canceling statement due to user request"),
        "{}",
        r.stderr
    );
    assert_eq!(sleeping(&cluster), "count\n0\n");
}

/// The `pg_sleep(60)` the tests run, as the server lists it.
const SLEEPING: &str =
    "from pg_stat_activity where state = 'active' and query like 'select pg_sleep(60)%'";

/// Until the cluster runs the test's `pg_sleep(60)` (deadline 60 s).
fn wait_until_sleeping(cluster: &Cluster) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let count = sleeping(cluster);
        if count == "count\n1\n" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the statement never ran: {count}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many of the test's `pg_sleep(60)` the cluster runs, as CSV (or the error).
fn sleeping(cluster: &Cluster) -> String {
    let r = dbsh(&[
        &cluster.url(),
        "--format",
        "csv",
        "-c",
        &format!("select count(*) {SLEEPING}"),
    ]);
    r.stdout + &r.stderr
}

#[test]
fn a_server_connection_killed_behind_pgbouncer_is_reported_and_the_next_statement_runs() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let Some(pooler) = Pooler::start(&cluster) else {
        return;
    };
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(pooler.url());
    let mut t = crate::pty::Term::spawn(cmd, 30, 120);
    t.wait_text(":postgres>", 60);
    t.send("select pg_sleep(60);\r");
    wait_until_sleeping(&cluster);
    dbsh(&[
        &cluster.url(),
        "-c",
        &format!("select pg_terminate_backend(pid) {SLEEPING}"),
    ]);
    // The loss is said plainly; the session reconnects through the pooler.
    t.wait_text("may or may not have run", 60);
    t.send("select 6 * 7 as answer;\r");
    t.wait_text("42 |", 60);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
