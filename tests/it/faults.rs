//! Fault tests against the real servers: the backend killed (`pg_terminate_backend`, MySQL
//! `KILL`) while idle, idle inside a transaction, during a statement and in the middle of a
//! result stream, in scripts and at the prompt; and a proxy that cuts the connection after
//! any number of bytes. The promises: a transaction is applied whole or not at all, scripts
//! stop with exit 2, nothing that may have run is run again, the prompt keeps working.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{self, bin, dbsh, unique_name, Sandbox};
use crate::cutproxy::{CutProxy, Direction};
use crate::pty::Term;

/// The single value `sql` returns (last CSV line), run with dbsh on `url`.
fn scalar(url: &str, sql: &str) -> String {
    let r = dbsh(&[url, "--format", "csv", "-c", sql]);
    assert_eq!(r.code, 0, "{sql}: {}", r.stderr);
    r.stdout.lines().last().unwrap_or("").to_string()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `(scheme://userinfo@, host:port)` of a server URL, so a proxy can stand in for the host.
fn split_url(url: &str) -> (String, String) {
    let (head, rest) = url.split_once('@').expect("a URL with user@host");
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    (format!("{head}@"), authority.to_string())
}

fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

/// A schema with table `t (x int)`, and a URL whose sessions are marked (application_name)
/// so the test can find and kill them. Dropped at the end.
struct Pg {
    admin: String,
    url: String,
    schema: String,
}

impl Pg {
    fn new() -> Option<Pg> {
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

    fn count(&self) -> String {
        scalar(
            &self.admin,
            &format!("select count(*) from {}.t", self.schema),
        )
    }

    fn sessions(&self, state: &str) -> String {
        scalar(
            &self.admin,
            &format!(
                "select count(*) from pg_stat_activity where application_name = '{}' and state = '{state}'",
                self.schema
            ),
        )
    }

    fn kill_sql(&self) -> String {
        format!(
            "select pg_terminate_backend(pid, 5000) from pg_stat_activity where application_name = '{}'",
            self.schema
        )
    }

    fn kill(&self) {
        dbsh(&[&self.admin, "-c", &self.kill_sql()]);
    }

    /// A script line that kills this session's backend from a shell.
    fn kill_line(&self) -> String {
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
struct My {
    admin: String,
    url: String,
    db: String,
}

impl My {
    fn new() -> Option<My> {
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

    fn count(&self) -> String {
        scalar(&self.admin, &format!("select count(*) from {}.t", self.db))
    }

    /// Ids of this database's sessions, optionally only those running a statement.
    fn session_ids(&self, running: bool) -> Vec<String> {
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

    fn kill(&self) {
        for id in self.session_ids(false) {
            dbsh(&[&self.admin, "-c", &format!("KILL {id}")]);
        }
    }

    /// A script line that kills this database's other sessions from a shell.
    fn kill_line(&self) -> String {
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

// ---------------------------------------------------------------- at the prompt

fn term(url: &str, extra: &[&str], sb: &Sandbox) -> Term {
    let mut cmd = sb.cmd();
    cmd.arg(url).args(extra);
    Term::spawn(cmd, 40, 160)
}

/// The last non-empty line on screen.
fn last_line(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
        .to_string()
}

#[test]
fn pg_prompt_backend_killed_idle_in_a_transaction_says_rolled_back_and_runs_nothing() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send("begin;\r");
    t.wait_for("the transaction mark", 30, |s| last_line(s).ends_with("*>"));
    t.send("insert into t values (1);\r");
    t.wait_text("INSERT 0 1", 30);
    pg.kill();
    t.send("insert into t values (2);\r");
    t.wait_text("rolled back by the server", 30);
    t.wait_text("reconnected; restored", 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(":postgres>")
    });
    // The new connection has no transaction: COMMIT commits nothing.
    t.send("commit;\r");
    t.wait_text("there is no transaction in progress", 30);
    assert!(!t.screen().contains("INSERT 0 1\nINSERT"), "{}", t.screen());
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn pg_prompt_statement_that_never_left_runs_once_on_the_rebuilt_session() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let config = sb.path().join("dbsh.toml");
    std::fs::write(
        &config,
        format!("init = [\"set search_path = {}, public\"]\n", pg.schema),
    )
    .unwrap();
    let admin_url = pg.admin.clone();
    let mut t = term(
        &with_param(&admin_url, &format!("application_name={}", pg.schema)),
        &["--read-only", "--config", config.to_str().unwrap()],
        &sb,
    );
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    pg.kill();
    // The client sees the hang-up before the next statement: it is sent on a new session.
    wait_until("the session to go", || pg.sessions("idle") == "0");
    // The client reads the hang-up as it arrives (its connection task always polls the
    // socket); this margin is for a loaded machine, not synchronisation with the server.
    std::thread::sleep(Duration::from_millis(500));
    t.send("select current_setting('transaction_read_only') as ro, current_schema() as s, count(*) as n from t;\r");
    t.wait_text("reconnected; restored", 30);
    t.wait_text("1 row", 30);
    let screen = t.screen();
    assert!(screen.contains("read-only"), "{screen}");
    assert!(screen.contains("1 init statement"), "{screen}");
    assert!(
        screen.contains(&format!("search_path {}, public", pg.schema)),
        "{screen}"
    );
    assert!(screen.contains("had not been sent"), "{screen}");
    assert!(
        screen.contains(&format!("| on | {} | 0 |", pg.schema)),
        "{screen}"
    );
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn pg_prompt_backend_killed_during_a_statement_is_not_run_again() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send("insert into t select 1 from pg_sleep(60);\r");
    wait_until("the statement to run", || pg.sessions("active") == "1");
    pg.kill();
    t.wait_text("may or may not have run", 30);
    t.wait_text("reconnected; restored", 30);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    assert!(!t.screen().contains("had not been sent"), "{}", t.screen());
    assert_eq!(pg.sessions("active"), "0");
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn mysql_prompt_session_killed_in_a_transaction_reconnects_to_the_current_database_and_runs_nothing(
) {
    let Some(my) = My::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&my.admin, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":test>"));
    t.send(&format!("use {};\r", my.db));
    t.wait_for("the new database", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("begin;\r");
    t.send("insert into t values (1);\r");
    t.wait_for("the transaction mark", 30, |s| last_line(s).ends_with("*>"));
    my.kill();
    wait_until("the session to go", || my.session_ids(false).is_empty());
    t.send("insert into t values (2);\r");
    t.wait_text("may or may not have run", 30);
    t.wait_text("rolled back by the server", 30);
    t.wait_text(&format!("restored: database \"{}\"", my.db), 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("select database() as d, count(*) as n from t;\r");
    t.wait_text(&format!("| {} | 0 |", my.db), 30);
    assert_eq!(my.count(), "0");
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn mysql_prompt_session_killed_during_a_statement_is_not_run_again() {
    let Some(my) = My::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&my.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("insert into t select sleep(60);\r");
    wait_until("the statement to run", || !my.session_ids(true).is_empty());
    my.kill();
    t.wait_text("may or may not have run", 30);
    t.wait_text("reconnected; restored", 30);
    t.wait_for("the prompt", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    assert_eq!(my.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

// ---------------------------------------------------------------- cut after N bytes

/// Run the script through a proxy that cuts after `limit` bytes; (exit code, stderr).
fn through_proxy(
    upstream: &str,
    url_for_port: &dyn Fn(u16) -> String,
    script: &str,
    limit: Option<(Direction, usize)>,
) -> (common::Run, (usize, usize)) {
    let proxy = CutProxy::start(upstream, limit);
    let url = url_for_port(proxy.port);
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .arg(&url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), script.as_bytes()).unwrap();
    let run = common::finish(child.wait_with_output().unwrap());
    (run, proxy.bytes())
}

/// Sweep the cut point over the whole conversation in both directions: the table holds the
/// whole transaction or none of it; the exit code is 2, or 0 only when every statement
/// completed (then the table holds it all).
fn sweep(
    upstream: &str,
    url_for_port: &dyn Fn(u16) -> String,
    table: &dyn Fn(usize) -> String,
    create: &dyn Fn(&str),
    count: &dyn Fn(&str) -> String,
) {
    let script = |t: &str| {
        format!("begin;\ninsert into {t} values (1);\ninsert into {t} values (2);\ncommit;\n")
    };
    let t0 = table(0);
    create(&t0);
    let (run, (up, down)) = through_proxy(upstream, url_for_port, &script(&t0), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(count(&t0), "2");
    let mut runs = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (dir, total) in [(Direction::Up, up), (Direction::Down, down)] {
        // Coarse over the start-up, every few bytes over the statements at the end.
        let mut points: Vec<usize> = (0..total).step_by((total / 12).max(1)).collect();
        points.extend((total.saturating_sub(260)..=total).step_by(9));
        // Past the end: nothing is cut, everything completes.
        points.push(total + 1000);
        points.sort_unstable();
        points.dedup();
        for n in points {
            runs += 1;
            let t = table(runs);
            create(&t);
            let (run, _) = through_proxy(upstream, url_for_port, &script(&t), Some((dir, n)));
            let rows = count(&t);
            let what = format!(
                "cut {dir:?} after {n} of {total} bytes: exit {}, {rows} rows\n{}",
                run.code, run.stderr
            );
            assert!(rows == "0" || rows == "2", "{what}");
            let lost = run.stderr.contains("connection to server was lost");
            seen.insert((run.code, rows.clone(), lost));
            assert!(run.code == 0 || run.code == 2, "{what}");
            if run.code == 0 {
                assert_eq!(rows, "2", "{what}");
                assert!(
                    run.stdout.contains("COMMIT") || run.stdout.contains("Query OK"),
                    "{what}"
                );
            }
            if run.code == 2 && !run.stderr.contains("could not connect") {
                assert!(
                    run.stderr.contains("connection to server was lost"),
                    "{what}"
                );
            }
        }
    }
    // The sweep reached the statements: cuts before COMMIT (nothing applied), and cuts
    // after COMMIT was sent but before its answer, or after everything.
    assert!(seen.contains(&(2, "0".to_string(), true)), "{seen:?}");
    assert!(seen.contains(&(0, "2".to_string(), false)), "{seen:?}");
    eprintln!("{runs} cut points; outcomes (exit, rows, lost): {seen:?}");
}

#[test]
fn pg_connection_cut_after_any_byte_applies_the_transaction_whole_or_not_at_all() {
    let Some(pg) = Pg::new() else { return };
    let (userinfo, upstream) = split_url(&pg.admin);
    let url_for_port = |port: u16| {
        with_param(
            &format!("{userinfo}127.0.0.1:{port}/postgres?sslmode=disable&connect_timeout=10"),
            &format!("options=-csearch_path%3D{}", pg.schema),
        )
    };
    let create = |t: &str| {
        let r = dbsh(&[
            &pg.admin,
            "-c",
            &format!("create table {}.{t} (x int)", pg.schema),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    let count = |t: &str| {
        scalar(
            &pg.admin,
            &format!("select count(*) from {}.{t}", pg.schema),
        )
    };
    sweep(
        &upstream,
        &url_for_port,
        &|i| format!("c{i}"),
        &create,
        &count,
    );
}

#[test]
fn mysql_connection_cut_after_any_byte_applies_the_transaction_whole_or_not_at_all() {
    let Some(my) = My::new() else { return };
    let (userinfo, upstream) = split_url(&my.admin);
    let url_for_port =
        |port: u16| format!("{userinfo}127.0.0.1:{port}/{}?ssl-mode=DISABLED", my.db);
    let create = |t: &str| {
        let r = dbsh(&[
            &my.admin,
            "-c",
            &format!("create table {}.{t} (x int) engine=InnoDB", my.db),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    let count = |t: &str| scalar(&my.admin, &format!("select count(*) from {}.{t}", my.db));
    sweep(
        &upstream,
        &url_for_port,
        &|i| format!("c{i}"),
        &create,
        &count,
    );
}

// ---------------------------------------------------------------- history and hang-ups

fn history_text(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.path().join("data/dbsh/history")).unwrap_or_default()
}

#[test]
fn history_is_on_disk_as_each_statement_is_submitted_and_survives_sighup() {
    let sb = Sandbox::new();
    let mut t = crate::pty::sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 30);
    t.send("begin;\r");
    t.send("select 'typed before the hang-up' as s;\r");
    t.wait_text("1 row", 30);
    // Written already, before any clean exit.
    assert!(
        history_text(&sb).contains("select 'typed before the hang-up' as s;"),
        "{}",
        history_text(&sb)
    );
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(t.child.id() as libc::pid_t, libc::SIGHUP) };
    let code = t.wait_exit(30);
    assert_eq!(code, 128 + libc::SIGHUP);
    // No question about the open transaction, nothing committed on our side.
    assert!(!t.screen().contains("Commit it?"), "{}", t.screen());
    let text = history_text(&sb);
    assert!(text.contains("begin;"), "{text}");
    assert!(
        text.contains("select 'typed before the hang-up' as s;"),
        "{text}"
    );
}

#[test]
fn sigterm_at_the_prompt_restores_the_terminal_and_exits() {
    let sb = Sandbox::new();
    let mut t = crate::pty::sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 30);
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(t.child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(t.wait_exit(30), 128 + libc::SIGTERM);
    let raw = t.raw();
    let off = b"\x1b[?2004l";
    assert!(
        raw.windows(off.len()).any(|w| w == off),
        "bracketed paste left on"
    );
}

#[test]
fn two_sessions_share_the_history_file() {
    let sb = Sandbox::new();
    let mut a = crate::pty::sqlite_term(&sb, &[]);
    let mut b = crate::pty::sqlite_term(&sb, &[]);
    a.wait_text(":memory:>", 30);
    b.wait_text(":memory:>", 30);
    a.send("select 'from a' as s;\r");
    a.wait_text("1 row", 30);
    b.send("select 'from b' as s;\r");
    b.wait_text("1 row", 30);
    a.send("select 'from a again' as s;\r");
    a.wait_for("the second result", 30, |s| s.matches("1 row").count() == 2);
    let text = history_text(&sb);
    for line in [
        "select 'from a' as s;",
        "select 'from b' as s;",
        "select 'from a again' as s;",
    ] {
        assert_eq!(text.matches(line).count(), 1, "{line}: {text}");
    }
    a.ctrl_d();
    b.ctrl_d();
    assert_eq!(a.wait_exit(30), 0);
    assert_eq!(b.wait_exit(30), 0);
    // Clean exits write nothing twice.
    let text = history_text(&sb);
    assert_eq!(text.matches("select 'from b' as s;").count(), 1, "{text}");
}

#[test]
fn pg_include_at_the_prompt_stops_the_file_at_a_lost_connection_and_the_prompt_reconnects() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let file = sb.path().join("work.sql");
    std::fs::write(
        &file,
        format!(
            "begin;\ninsert into t values (1);\n{}\ninsert into t values (2);\ncommit;\n",
            pg.kill_line()
        ),
    )
    .unwrap();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send(&format!("\\i {}\r", file.display()));
    t.wait_text("work.sql:4: connection to server was lost", 30);
    t.wait_text("rolled back by the server", 30);
    t.wait_text("reconnected; restored", 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(":postgres>")
    });
    assert!(!t.screen().contains("COMMIT"), "{}", t.screen());
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
