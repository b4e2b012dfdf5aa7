//! Fault tests against the real servers: the backend killed (`pg_terminate_backend`, MySQL
//! `KILL`) while idle, idle inside a transaction, during a statement and in the middle of a
//! result stream, in scripts and at the prompt; and a proxy that cuts the connection after
//! any number of bytes. The promises: a transaction is applied whole or not at all, scripts
//! stop with exit 2, nothing that may have run is run again, the prompt keeps working.
//!
//! This file: the fixtures (a scratch schema/database whose sessions the test can kill) and
//! the script tests; `prompt` (pty), `sweep` (the cutting proxy), `history` (SIGHUP/SIGTERM).

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{self, bin, dbsh, unique_name, Sandbox};

mod history;
mod prompt;
mod sweep;

/// The single value `sql` returns (last CSV line), run with dbsh on `url`.
pub(super) fn scalar(url: &str, sql: &str) -> String {
    let r = dbsh(&[url, "--format", "csv", "-c", sql]);
    assert_eq!(r.code, 0, "{sql}: {}", r.stderr);
    r.stdout.lines().last().unwrap_or("").to_string()
}

pub(super) fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `(scheme://userinfo@, host:port)` of a server URL, so a proxy can stand in for the host.
pub(super) fn split_url(url: &str) -> (String, String) {
    let (head, rest) = url.split_once('@').expect("a URL with user@host");
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    (format!("{head}@"), authority.to_string())
}

pub(super) fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

/// A schema with table `t (x int)`, and a URL whose sessions are marked (application_name)
/// so the test can find and kill them. Dropped at the end.
pub(super) struct Pg {
    pub(super) admin: String,
    pub(super) url: String,
    pub(super) schema: String,
}

impl Pg {
    pub(super) fn new() -> Option<Pg> {
        let admin = common::postgres_url()?;
        let schema = unique_name("faults");
        let r = dbsh(&[
            &admin,
            "-c",
            &format!("create schema {schema}; create table {schema}.t (x int)"),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let url = with_param(
            &with_param(&admin, &format!("application_name={schema}")),
            &format!("options=-csearch_path%3D{schema}"),
        );
        Some(Pg { admin, url, schema })
    }

    pub(super) fn count(&self) -> String {
        scalar(
            &self.admin,
            &format!("select count(*) from {}.t", self.schema),
        )
    }

    pub(super) fn sessions(&self, state: &str) -> String {
        scalar(
            &self.admin,
            &format!(
                "select count(*) from pg_stat_activity where application_name = '{}' and state = '{state}'",
                self.schema
            ),
        )
    }

    pub(super) fn kill_sql(&self) -> String {
        format!(
            "select pg_terminate_backend(pid, 5000) from pg_stat_activity where application_name = '{}'",
            self.schema
        )
    }

    pub(super) fn kill(&self) {
        dbsh(&[&self.admin, "-c", &self.kill_sql()]);
    }

    /// A script line that kills this session's backend from a shell.
    pub(super) fn kill_line(&self) -> String {
        format!(
            "\\! {} '{}' -c \"{}\"",
            bin().display(),
            self.admin,
            self.kill_sql()
        )
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        dbsh(&[
            &self.admin,
            "-c",
            &format!("drop schema if exists {} cascade", self.schema),
        ]);
    }
}

/// A database with table `t (x int)` (InnoDB). Dropped at the end.
pub(super) struct My {
    pub(super) admin: String,
    pub(super) url: String,
    pub(super) db: String,
}

impl My {
    pub(super) fn new() -> Option<My> {
        let admin = common::mysql_url()?;
        let db = unique_name("faults");
        let r = dbsh(&[
            &admin,
            "-c",
            &format!("create database {db}; create table {db}.t (x int) engine=InnoDB"),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let base = admin
            .rsplit_once('/')
            .map_or(admin.clone(), |(b, _)| b.to_string());
        Some(My {
            url: format!("{base}/{db}"),
            admin,
            db,
        })
    }

    pub(super) fn count(&self) -> String {
        scalar(&self.admin, &format!("select count(*) from {}.t", self.db))
    }

    /// Ids of this database's sessions, optionally only those running a statement.
    pub(super) fn session_ids(&self, running: bool) -> Vec<String> {
        let r = dbsh(&[
            &self.admin,
            "--format",
            "csv",
            "-c",
            &format!(
                "select id from information_schema.processlist where db = '{}' and id <> connection_id(){}",
                self.db,
                if running { " and command = 'Query'" } else { "" }
            ),
        ]);
        r.stdout.lines().skip(1).map(str::to_string).collect()
    }

    pub(super) fn kill(&self) {
        for id in self.session_ids(false) {
            dbsh(&[&self.admin, "-c", &format!("KILL {id}")]);
        }
    }

    /// A script line that kills this database's other sessions from a shell.
    pub(super) fn kill_line(&self) -> String {
        format!(
            "\\! for id in $({bin} '{admin}' --format csv -c \"select id from information_schema.processlist where db = '{db}' and id <> connection_id()\" | tail -n +2); do {bin} '{admin}' -c \"KILL $id\"; done",
            bin = bin().display(),
            admin = self.admin,
            db = self.db
        )
    }
}

impl Drop for My {
    fn drop(&mut self) {
        dbsh(&[
            &self.admin,
            "-c",
            &format!("drop database if exists {}", self.db),
        ]);
    }
}

/// Run `script` as a file with dbsh on `url`; `during` runs on a thread meanwhile.
fn run_script(url: &str, script: &str, extra: &[&str]) -> common::Run {
    let sb = Sandbox::new();
    let path = sb.path().join("work.sql");
    std::fs::write(&path, script).unwrap();
    let mut args = vec![url, "-f", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::finish(sb.cmd().args(&args).output().expect("run dbsh"))
}

/// Run `script` with CSV output; once rows are flowing (a chunk of stdout has arrived),
/// call `kill`, then collect the rest.
fn run_script_killed_mid_stream(url: &str, script: &str, kill: impl FnOnce()) -> common::Run {
    use std::io::Read;
    let sb = Sandbox::new();
    let path = sb.path().join("work.sql");
    std::fs::write(&path, script).unwrap();
    let mut child = sb
        .cmd()
        .args([url, "--format", "csv", "-f", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; 64 * 1024];
    stdout.read_exact(&mut first).expect("rows before the kill");
    kill();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    common::Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&first).into_owned(),
        stderr,
    }
}

fn assert_lost(run: &common::Run, line: usize) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("work.sql:{line}: connection to server was lost")),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- scripts, PostgreSQL

#[test]
fn pg_script_backend_killed_idle_in_a_transaction_commits_nothing_and_exits_2() {
    let Some(pg) = Pg::new() else { return };
    let script = format!(
        "begin;\ninsert into t values (1);\n{}\ninsert into t values (2);\ncommit;\n",
        pg.kill_line()
    );
    // --continue-on-error does not let a script run on after a lost connection.
    let run = run_script(&pg.url, &script, &["--continue-on-error"]);
    assert_lost(&run, 4);
    assert!(
        run.stderr.contains("rolled back by the server"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("COMMIT"), "{}", run.stdout);
    assert_eq!(pg.count(), "0");
}

/// A statement ended by `\gset` follows the same loss rules as one ended by `;`.
#[test]
fn pg_script_connection_lost_in_a_gset_statement_stops_with_exit_2_and_runs_nothing_more() {
    let Some(pg) = Pg::new() else { return };
    for ending in [
        "select pg_terminate_backend(pg_backend_pid()) as gone \\gset",
        "begin;\ninsert into t values (1);\nselect pg_terminate_backend(pg_backend_pid()) \\gset\ncopy t from stdin;\n5\n\\.",
    ] {
        let script = format!("{ending}\ninsert into t values (2);\n");
        let run = run_script(&pg.url, &script, &["--continue-on-error"]);
        assert_eq!(run.code, 2, "{ending}: {}", run.stderr);
        assert!(
            run.stderr.contains("connection to server was lost"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(pg.count(), "0");
}

#[test]
fn pg_script_backend_killed_while_idle_runs_nothing_more_and_exits_2() {
    let Some(pg) = Pg::new() else { return };
    let script = format!(
        "insert into t values (1);\n{}\ninsert into t values (2);\n",
        pg.kill_line()
    );
    let run = run_script(&pg.url, &script, &[]);
    assert_lost(&run, 3);
    assert!(!run.stderr.contains("reconnect"), "{}", run.stderr);
    assert_eq!(pg.count(), "1");
}

#[test]
fn pg_script_backend_killed_during_a_statement_rolls_back_and_exits_2() {
    let Some(pg) = Pg::new() else { return };
    let script =
        "begin;\ninsert into t values (1);\nselect pg_sleep(60);\ninsert into t values (2);\ncommit;\n";
    let started = Instant::now();
    let run = std::thread::scope(|s| {
        s.spawn(|| {
            wait_until("the sleep to run", || pg.sessions("active") == "1");
            pg.kill();
        });
        run_script(&pg.url, script, &[])
    });
    assert!(started.elapsed() < Duration::from_secs(55));
    assert_lost(&run, 3);
    assert!(
        run.stderr.contains("may or may not have run"),
        "{}",
        run.stderr
    );
    assert_eq!(pg.count(), "0");
}

#[test]
fn pg_script_backend_killed_mid_result_stream_stops_with_exit_2() {
    let Some(pg) = Pg::new() else { return };
    // In the select list the series streams (in FROM it would be materialized first).
    let script = "insert into t values (1);\nselect generate_series(1, 200000000) as g;\ninsert into t values (2);\n";
    let run = run_script_killed_mid_stream(&pg.url, script, || pg.kill());
    assert_lost(&run, 2);
    assert_eq!(pg.count(), "1");
}

// ---------------------------------------------------------------- scripts, MySQL

#[test]
fn mysql_script_session_killed_idle_in_a_transaction_commits_nothing_and_exits_2() {
    let Some(my) = My::new() else { return };
    let script = format!(
        "begin;\ninsert into t values (1);\n{}\ninsert into t values (2);\ncommit;\n",
        my.kill_line()
    );
    let run = run_script(&my.url, &script, &["--continue-on-error"]);
    assert_lost(&run, 4);
    assert!(
        run.stderr.contains("rolled back by the server"),
        "{}",
        run.stderr
    );
    assert_eq!(my.count(), "0");
}

#[test]
fn mysql_script_session_killed_under_autocommit_off_commits_nothing_and_exits_2() {
    let Some(my) = My::new() else { return };
    let script = format!(
        "set autocommit = 0;\ninsert into t values (1);\n{}\ninsert into t values (2);\ncommit;\n",
        my.kill_line()
    );
    let run = run_script(&my.url, &script, &[]);
    assert_lost(&run, 4);
    assert!(
        run.stderr.contains("rolled back by the server"),
        "{}",
        run.stderr
    );
    assert_eq!(my.count(), "0");
}

#[test]
fn mysql_script_session_killed_while_idle_runs_nothing_more_and_exits_2() {
    let Some(my) = My::new() else { return };
    let script = format!(
        "insert into t values (1);\n{}\ninsert into t values (2);\n",
        my.kill_line()
    );
    let run = run_script(&my.url, &script, &[]);
    assert_lost(&run, 3);
    assert!(!run.stderr.contains("reconnect"), "{}", run.stderr);
    assert_eq!(my.count(), "1");
}

#[test]
fn mysql_script_session_killed_during_a_statement_rolls_back_and_exits_2() {
    let Some(my) = My::new() else { return };
    let script =
        "begin;\ninsert into t values (1);\nselect sleep(60);\ninsert into t values (2);\ncommit;\n";
    let started = Instant::now();
    let run = std::thread::scope(|s| {
        s.spawn(|| {
            wait_until("the sleep to run", || !my.session_ids(true).is_empty());
            my.kill();
        });
        run_script(&my.url, script, &[])
    });
    assert!(started.elapsed() < Duration::from_secs(55));
    assert_lost(&run, 3);
    assert_eq!(my.count(), "0");
}

#[test]
fn mysql_script_session_killed_mid_result_stream_stops_with_exit_2() {
    let Some(my) = My::new() else { return };
    let script = "insert into t values (1);\nselect a.seq from seq_1_to_100000 a, seq_1_to_10000 b;\ninsert into t values (2);\n";
    let run = run_script_killed_mid_stream(&my.url, script, || my.kill());
    assert_lost(&run, 2);
    assert_eq!(my.count(), "1");
}
