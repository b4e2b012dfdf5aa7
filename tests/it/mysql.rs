//! MySQL/MariaDB backend against a real server (`DBSH_TEST_MYSQL_URL`): connecting the way
//! mysql users do, types, results, errors, cancel and recovery. Each test works in its own
//! database and drops it afterwards.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{self, dbsh, dbsh_stdin, Sandbox};

/// The parts of the test server URL that an option file needs.
struct Server {
    url: String,
    user: String,
    password: Option<String>,
    host: String,
    port: u16,
}

impl Server {
    fn get() -> Option<Server> {
        let url = common::mysql_url()?;
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let (userinfo, hostpart) = rest.rsplit_once('@').unwrap_or(("root", rest));
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u.to_string(), Some(p.to_string())),
            None => (userinfo.to_string(), None),
        };
        let authority = hostpart.split(['/', '?']).next().unwrap();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().unwrap()),
            None => (authority.to_string(), 3306),
        };
        Some(Server {
            url,
            user,
            password,
            host,
            port,
        })
    }

    /// The server URL with `db` as its database.
    fn url_for(&self, db: &str) -> String {
        let scheme_end = self.url.find("://").unwrap() + 3;
        let path_start = self.url[scheme_end..]
            .find('/')
            .map_or(self.url.len(), |i| i + scheme_end);
        let query = self.url.find('?').map_or("", |i| &self.url[i..]);
        format!("{}/{db}{query}", &self.url[..path_start])
    }

    /// `[client]` lines reaching this server.
    fn client_section(&self, database: &str) -> String {
        let mut s = format!(
            "[client]\nuser={}\nhost={}\nport={}\ndatabase={database}\n",
            self.user, self.host, self.port
        );
        if let Some(p) = &self.password {
            s.push_str(&format!("password=\"{p}\"\n"));
        }
        s
    }
}

/// A database of the test's own, dropped at the end.
struct TestDb {
    server: Server,
    name: String,
}

impl TestDb {
    fn new() -> Option<TestDb> {
        let server = Server::get()?;
        let name = common::unique_name("dbsh_my");
        let r = dbsh(&[&server.url, "-c", &format!("CREATE DATABASE {name}")]);
        assert_eq!(r.code, 0, "create database: {}", r.stderr);
        Some(TestDb { server, name })
    }

    fn url(&self) -> String {
        self.server.url_for(&self.name)
    }

    /// Run `dbsh URL -c sql…` in this database.
    fn run(&self, args: &[&str]) -> common::Run {
        let url = self.url();
        let mut all = vec![url.as_str()];
        all.extend_from_slice(args);
        dbsh(&all)
    }

    fn json(&self, sql: &str) -> String {
        let r = self.run(&["--format", "json", "-c", sql]);
        assert_eq!(r.code, 0, "{sql}: {}", r.stderr);
        r.stdout
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = dbsh(&[
            &self.server.url,
            "-c",
            &format!("DROP DATABASE IF EXISTS {}", self.name),
        ]);
    }
}

#[test]
fn types_print_as_mysql_prints_them() {
    let Some(db) = TestDb::new() else { return };
    let setup = db.run(&[
        "-c",
        "CREATE TABLE ty (d DECIMAL(20,6), f FLOAT, db DOUBLE, dt DATETIME(3), da DATE, ti TIME, \
         y YEAR, bi BIT(10), bl BLOB, vb VARBINARY(10), e ENUM('a','b'), s SET('x','y'), \
         tx TEXT, n INT, u BIGINT UNSIGNED, nul VARCHAR(3), emp VARCHAR(3))",
        "-c",
        "INSERT INTO ty VALUES (12345678901234.123456, 1.5, 0.1, '2024-02-29 13:14:15.123', \
         '2024-12-31', '-838:59:59', 2024, b'1010', x'00ff', 'ab', 'b', 'x,y', 'héllo', -5, \
         18446744073709551615, NULL, '')",
    ]);
    assert_eq!(setup.code, 0, "{}", setup.stderr);
    let out = db.json("SELECT * FROM ty");
    let expected = r#"{"d":12345678901234.123456,"f":1.5,"db":0.1,"dt":"2024-02-29 13:14:15.123","da":"2024-12-31","ti":"-838:59:59","y":2024,"bi":"0x000a","bl":"0x00ff","vb":"0x6162","e":"b","s":"x,y","tx":"héllo","n":-5,"u":18446744073709551615,"nul":null,"emp":""}"#;
    assert!(out.contains(expected), "{out}");

    let csv = db.run(&["--format", "csv", "-c", "SELECT d, dt, bl FROM ty"]);
    assert_eq!(
        csv.stdout,
        "d,dt,bl\n12345678901234.123456,2024-02-29 13:14:15.123,0x00ff\n"
    );
    // Numbers are right-aligned in tables, text is not.
    let table = db.run(&["-c", "SELECT 7 AS num, 'x' AS txt"]);
    assert!(table.stdout.contains("|   7 | x   |"), "{}", table.stdout);
}

#[test]
fn json_column_is_json() {
    let Some(db) = TestDb::new() else { return };
    let out = db.json("SELECT JSON_OBJECT('a', 1) AS j, CAST(NULL AS CHAR) AS n, '' AS e");
    // MySQL sends a JSON type (a JSON value in our output); MariaDB sends text.
    assert!(
        out.contains(r#""j":{"a": 1}"#) || out.contains(r#""j":"{\"a\": 1}""#),
        "{out}"
    );
    assert!(out.contains(r#""n":null,"e":"""#), "{out}");
}

#[test]
fn affected_rows_warnings_and_info() {
    let Some(db) = TestDb::new() else { return };
    let r = db.run(&[
        "-c",
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(3))",
        "-c",
        "INSERT IGNORE INTO t (v) VALUES ('a'), ('b'), ('toolong')",
        "-c",
        "SHOW WARNINGS",
        "-c",
        "UPDATE t SET v = 'z' WHERE id = 1",
        "-c",
        "DELETE FROM t WHERE id > 100",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Query OK, 0 rows affected\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Query OK, 3 rows affected"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Records: 3  Duplicates: 0  Warnings: 1"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("1 warning"), "{}", r.stdout);
    assert!(r.stdout.contains("| Warning | 1265 |"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Query OK, 1 row affected\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("Query OK, 0 rows affected\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn procedures_and_multi_statements_give_several_results() {
    let Some(db) = TestDb::new() else { return };
    let script = "DELIMITER //\n\
        CREATE PROCEDURE two() BEGIN SELECT 1 AS first; SELECT 2 AS second, 3 AS third; END//\n\
        DELIMITER ;\n\
        CALL two();\n";
    let r = dbsh_stdin(&[&db.url(), "--format", "csv"], script);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "first\n1\nsecond,third\n2,3\n");

    let r = db.run(&["--format", "csv", "-c", "SELECT 'a' AS x; SELECT 'b' AS y"]);
    assert_eq!(r.stdout, "x\na\ny\nb\n", "{}", r.stderr);
    // An error in a later statement is reported after the earlier results.
    let r = db.run(&["--format", "csv", "-c", "SELECT 1 AS ok; SELEC 2"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("ok\n1\n"), "{}", r.stdout);
    assert!(r.stderr.contains("ERROR 1064 (42000)"), "{}", r.stderr);
}

#[test]
fn vertical_and_errors_like_the_mysql_client() {
    let Some(db) = TestDb::new() else { return };
    let r = db.run(&["-c", "SELECT 1 AS a, 'x' AS b\\G"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("-[ RECORD 1 ]"), "{}", r.stdout);

    let r = db.run(&["-c", "SELEC 1"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("ERROR 1064 (42000): You have an error in your SQL syntax"),
        "{}",
        r.stderr
    );
    let r = db.run(&["-c", "SELECT * FROM missing_table"]);
    assert!(r.stderr.contains("ERROR 1146 (42S02)"), "{}", r.stderr);
}

#[test]
fn use_switches_the_current_database() {
    let Some(db) = TestDb::new() else { return };
    let setup = db.run(&[
        "-c",
        "CREATE TABLE here (v INT)",
        "-c",
        "INSERT INTO here VALUES (42)",
    ]);
    assert_eq!(setup.code, 0, "{}", setup.stderr);
    let other = db.server.url_for("information_schema");
    let r = dbsh(&[
        &other,
        "--format",
        "csv",
        "-c",
        &format!("USE {}", db.name),
        "-c",
        "SELECT v, DATABASE() AS d FROM here",
        "-c",
        "\\conninfo",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("42,{}", db.name)),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("database \"{}\"", db.name)),
        "{}",
        r.stdout
    );
}

#[test]
fn my_cnf_in_home_is_read() {
    let Some(db) = TestDb::new() else { return };
    let sb = Sandbox::new();
    std::fs::write(
        sb.path().join(".my.cnf"),
        db.server.client_section(&db.name),
    )
    .unwrap();
    let out = sb
        .cmd()
        .args([
            "--driver",
            "mysql",
            "--format",
            "csv",
            "-c",
            "SELECT DATABASE() AS d",
        ])
        .env_remove("MYSQL_HOST")
        .env_remove("MYSQL_TCP_PORT")
        .output()
        .unwrap();
    let r = common::finish(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("d\n{}\n", db.name));

    // A URL naming only the scheme takes the rest from ~/.my.cnf too; flags still win.
    let out = sb
        .cmd()
        .args([
            "mysql://",
            "-d",
            "information_schema",
            "--format",
            "csv",
            "-c",
            "SELECT DATABASE() AS d",
        ])
        .output()
        .unwrap();
    let r = common::finish(out);
    assert_eq!(r.stdout, "d\ninformation_schema\n", "{}", r.stderr);
}

#[test]
fn defaults_file_replaces_my_cnf() {
    let Some(db) = TestDb::new() else { return };
    let sb = Sandbox::new();
    // ~/.my.cnf points at a database that does not exist: it must not be read.
    std::fs::write(
        sb.path().join(".my.cnf"),
        db.server.client_section("no_such_db_here"),
    )
    .unwrap();
    let file = sb.path().join("other.cnf");
    std::fs::write(&file, db.server.client_section(&db.name)).unwrap();
    let file = file.to_str().unwrap();

    let r = common::finish(
        sb.cmd()
            .args([
                "--driver",
                "mysql",
                "--defaults-file",
                file,
                "--format",
                "csv",
                "-c",
                "SELECT DATABASE() AS d",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(r.stdout, format!("d\n{}\n", db.name), "{}", r.stderr);

    let url = format!("mysql://?defaults-file={file}");
    let r = common::finish(
        sb.cmd()
            .args([&url, "--format", "csv", "-c", "SELECT DATABASE() AS d"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.stdout, format!("d\n{}\n", db.name), "{}", r.stderr);

    let r = common::finish(
        sb.cmd()
            .args([
                "--driver",
                "mysql",
                "--defaults-file",
                "/nonexistent/x.cnf",
                "-c",
                "SELECT 1",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/nonexistent/x.cnf"), "{}", r.stderr);
}

#[test]
fn environment_variables_and_flags() {
    let Some(db) = TestDb::new() else { return };
    let s = &db.server;
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.args([
        "--driver",
        "mysql",
        "-U",
        &s.user,
        "-d",
        &db.name,
        "--format",
        "csv",
        "-c",
        "SELECT DATABASE() AS d",
    ])
    .env("MYSQL_HOST", &s.host)
    .env("MYSQL_TCP_PORT", s.port.to_string());
    if let Some(p) = &s.password {
        cmd.env("MYSQL_PWD", p);
    }
    let r = common::finish(cmd.output().unwrap());
    assert_eq!(r.stdout, format!("d\n{}\n", db.name), "{}", r.stderr);

    // psql-style flags override the URL.
    let r = dbsh(&[
        &s.url_for("information_schema"),
        "-d",
        &db.name,
        "--format",
        "csv",
        "-c",
        "SELECT DATABASE() AS d",
    ]);
    assert_eq!(r.stdout, format!("d\n{}\n", db.name), "{}", r.stderr);
}

#[test]
fn connection_failures_exit_2_and_say_why() {
    let Some(s) = Server::get() else { return };
    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = dbsh(&[
        &format!("mysql://{}@127.0.0.1:{port}/x", s.user),
        "-c",
        "SELECT 1",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("is the server running"), "{}", r.stderr);

    let r = dbsh(&[&s.url_for("no_such_database_dbsh"), "-c", "SELECT 1"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("Unknown database 'no_such_database_dbsh'"),
        "{}",
        r.stderr
    );

    let r = dbsh(&[
        &format!("mysql://nobody_dbsh:wrong@{}:{}/", s.host, s.port),
        "-c",
        "SELECT 1",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Access denied"), "{}", r.stderr);
    assert!(!r.stderr.contains("wrong"), "password leaked: {}", r.stderr);

    // -W without a terminal to ask on fails clearly instead of hanging.
    let r = dbsh(&[&s.url, "-W", "-c", "SELECT 1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no terminal"), "{}", r.stderr);
}

#[test]
fn ssl_modes() {
    let Some(s) = Server::get() else { return };
    let with = |mode: &str| {
        let url = s.url_for("");
        let sep = if url.contains('?') { '&' } else { '?' };
        dbsh(&[
            &format!("{url}{sep}ssl-mode={mode}"),
            "--format",
            "csv",
            "-c",
            "SELECT 1 AS one",
        ])
    };
    let have_ssl = dbsh(&[&s.url, "--format", "csv", "-c", "SELECT @@have_ssl AS s"]);
    let tls = have_ssl.stdout.contains("YES");
    for mode in ["DISABLED", "PREFERRED"] {
        let r = with(mode);
        assert_eq!(r.stdout, "one\n1\n", "{mode}: {}", r.stderr);
    }
    let r = with("REQUIRED");
    if tls {
        assert_eq!(r.code, 0, "{}", r.stderr);
    } else {
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("does not support TLS"), "{}", r.stderr);
    }
    let r = with("SOMETIMES");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown ssl-mode"), "{}", r.stderr);
}

/// Ids of sessions whose running statement contains `marker`.
fn sessions_running(server: &Server, marker: &str) -> Vec<String> {
    let r = dbsh(&[
        &server.url,
        "--format",
        "csv",
        "-c",
        &format!(
            "SELECT id FROM information_schema.processlist WHERE info LIKE '%{marker}%' AND id <> CONNECTION_ID()"
        ),
    ]);
    r.stdout.lines().skip(1).map(str::to_string).collect()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_kills_the_running_query() {
    let Some(db) = TestDb::new() else { return };
    let marker = common::unique_name("sleep_marker");
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .arg(db.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "SELECT SLEEP(30) AS {marker};").unwrap();
    } // closed: the script is complete
    wait_until("the query to show in the processlist", || {
        !sessions_running(&db.server, &marker).is_empty()
    });
    let sent = Instant::now();
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "dbsh did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "took {:?}",
        sent.elapsed()
    );
    let r = common::finish(child.wait_with_output().unwrap());
    assert_eq!(status.code(), Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("canceling statement"), "{}", r.stderr);
    assert!(
        sessions_running(&db.server, &marker).is_empty(),
        "query still running"
    );
}

#[test]
fn killed_session_ends_the_script_with_exit_2_and_runs_nothing_more() {
    let Some(db) = TestDb::new() else { return };
    let sb = Sandbox::new();
    // `\!` runs `head`, which waits on dbsh's stdin (held open here) between statements.
    let mut child = sb
        .cmd()
        .args([
            &db.server.url,
            "--format",
            "csv",
            "-c",
            &format!("USE {}", db.name),
            "-c",
            "SELECT CONNECTION_ID() AS id",
            "-c",
            "\\! head -n1 >/dev/null",
            "-c",
            "SELECT 'after' AS a, DATABASE() AS d",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let id = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(15))
            .expect("connection id");
        lines.push(line.clone());
        if line.chars().all(|c| c.is_ascii_digit()) && !line.is_empty() {
            break line;
        }
    };
    let r = dbsh(&[&db.server.url, "-c", &format!("KILL {id}")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    wait_until("the killed session to leave the processlist", || {
        let r = dbsh(&[
            &db.server.url,
            "--format",
            "csv",
            "-c",
            &format!("SELECT COUNT(*) AS n FROM information_schema.processlist WHERE id = {id}"),
        ]);
        r.stdout == "n\n0\n"
    });
    {
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "go").unwrap();
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    // No silent reconnect in a script: the next statement does not run, exit 2 (the
    // prompt reconnects to the current database; see faults.rs).
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("connection to server was lost"), "{stderr}");
    assert!(!stderr.contains("reconnect"), "{stderr}");
    assert!(
        !lines.iter().any(|l| l.starts_with("after")),
        "{lines:?} {stderr}"
    );
}

/// The library API: transaction state, the current database, and a sink that stops.
mod api {
    use super::*;
    use dbsh::db::{ConnectParams, Connection, DbError, Target, TxState};
    use dbsh::result::{ColumnInfo, CommandOutcome, Notice, ResultSink, SinkError, Value};

    #[derive(Default)]
    struct Collect {
        rows: u64,
        stop_after: Option<u64>,
        commands: Vec<CommandOutcome>,
    }

    impl ResultSink for Collect {
        fn columns(&mut self, _: &[ColumnInfo]) -> Result<(), SinkError> {
            Ok(())
        }
        fn row(&mut self, _: &[Value<'_>]) -> Result<(), SinkError> {
            self.rows += 1;
            if self.stop_after.is_some_and(|n| self.rows >= n) {
                return Err(SinkError::Stopped);
            }
            Ok(())
        }
        fn rows_done(&mut self, _: u64) -> Result<(), SinkError> {
            Ok(())
        }
        fn command(&mut self, outcome: &CommandOutcome) -> Result<(), SinkError> {
            self.commands.push(outcome.clone());
            Ok(())
        }
        fn notice(&mut self, _: &Notice) {}
    }

    use crate::common::runtime;

    #[test]
    fn transaction_state_database_and_stopping() {
        let Some(db) = TestDb::new() else { return };
        runtime().block_on(async {
            let target = Target::parse(Some(&db.server.url), &ConnectParams::default()).unwrap();
            let mut conn = Connection::connect(&target).await.unwrap();
            let mut sink = Collect::default();
            conn.execute(&format!("USE {}", db.name), &mut sink).await.unwrap();
            assert_eq!(conn.info().database, db.name);
            // The target remembers it: a reconnect goes back there.
            assert!(target.describe().ends_with(&format!("/{}", db.name)), "{}", target.describe());

            conn.execute("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY)", &mut sink)
                .await
                .unwrap();
            assert_eq!(conn.transaction_state(), TxState::Idle);
            conn.execute("BEGIN", &mut sink).await.unwrap();
            assert_eq!(conn.transaction_state(), TxState::InTransaction);
            conn.execute("INSERT INTO t VALUES (NULL), (NULL)", &mut sink).await.unwrap();
            let last = sink.commands.last().unwrap();
            assert_eq!((last.rows_affected, last.last_insert_id), (Some(2), Some(1)));
            conn.execute("COMMIT", &mut sink).await.unwrap();
            assert_eq!(conn.transaction_state(), TxState::Idle);

            // A sink that stops early: the statement ends promptly, the connection stays usable.
            let mut stopping = Collect {
                stop_after: Some(5),
                ..Collect::default()
            };
            let started = Instant::now();
            let r = conn
                .execute(
                    "SELECT a.collation_name FROM information_schema.collations a, information_schema.collations b, information_schema.collations c",
                    &mut stopping,
                )
                .await;
            assert!(matches!(r, Err(DbError::Stopped)), "{r:?}");
            assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
            let mut after = Collect::default();
            conn.execute("SELECT 1", &mut after).await.unwrap();
            assert_eq!(after.rows, 1);
        });
    }
}

#[test]
fn executable_comments_run_as_the_mysql_client_runs_them() {
    let Some(db) = TestDb::new() else { return };
    let script = "/*!40101 SET @x = 5 */;\n\
        /*!50001 CREATE VIEW v AS SELECT 7 AS seven */;\n\
        /* a plain comment */ SELECT @x AS x, seven FROM v;\n";
    let r = dbsh_stdin(&[&db.url(), "--format", "csv"], script);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "x,seven\n5,7\n");
}

/// Input for the warning tests: statements with and without warnings, `\W` and `\w`.
const WARNING_SCRIPT: &str = "SET sql_mode = '';
DROP TABLE IF EXISTS w;
CREATE TABLE w (a TINYINT);
INSERT INTO w VALUES (1000), (2000);
SELECT CAST('x1' AS SIGNED) AS v;
\\W
INSERT INTO w VALUES (3000);
SELECT 1 AS clean;
INSERT INTO w VALUES (4);
SELECT CAST('x2' AS SIGNED) AS v;
\\w
INSERT INTO w VALUES (5000);
";

#[test]
fn statements_with_warnings_say_how_many_as_the_mysql_client_does() {
    let Some(db) = TestDb::new() else { return };
    let r = dbsh_stdin(&[&db.url()], WARNING_SCRIPT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "Query OK, 2 rows affected, 2 warnings\nRecords: 2  Duplicates: 0  Warnings: 2\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("+---+\n1 row, 1 warning\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Query OK, 1 row affected\n"),
        "{}",
        r.stdout
    );
    // CSV stays parseable: no counts, no warnings on stdout.
    let csv = dbsh_stdin(&[&db.url(), "--format", "csv"], WARNING_SCRIPT);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(!csv.stdout.contains("arning"), "{}", csv.stdout);
}

#[test]
fn show_warnings_switch_prints_each_statements_own_warnings_like_mariadb() {
    let Some(db) = TestDb::new() else { return };
    let r = dbsh_stdin(&[&db.url(), "--format", "csv"], WARNING_SCRIPT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("Warning ("))
        .collect();
    // Only the two statements after `\W` that raised warnings, once each: nothing stale
    // after `SELECT 1` or the clean INSERT, nothing after `\w`.
    assert_eq!(
        ours,
        [
            "Warning (Code 1264): Out of range value for column 'a' at row 1",
            "Warning (Code 1292): Truncated incorrect INTEGER value: 'x2'",
        ],
        "{}",
        r.stderr
    );
    // The same input through the mariadb client prints the same lines.
    let s = &db.server;
    let mut cmd = std::process::Command::new("mariadb");
    cmd.args(["-h", &s.host, "-P", &s.port.to_string(), "-u", &s.user]);
    if let Some(p) = &s.password {
        cmd.arg(format!("-p{p}"));
    }
    // A fresh table for the native run.
    let script = WARNING_SCRIPT
        .replace("TABLE w ", "TABLE w2 ")
        .replace("INTO w ", "INTO w2 ")
        .replace("EXISTS w;", "EXISTS w2;");
    let native = cmd
        .arg(&db.name)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(script.as_bytes())?;
            c.wait_with_output()
        });
    let Ok(native) = native else {
        eprintln!("mariadb client not installed; compared with the expected lines only");
        return;
    };
    let theirs = String::from_utf8_lossy(&native.stdout);
    let theirs: Vec<&str> = theirs
        .lines()
        .filter(|l| l.starts_with("Warning ("))
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn line_commands_without_a_terminator_run_as_in_the_mariadb_client() {
    let Some(url) = common::mysql_url() else {
        return;
    };
    let sb = common::Sandbox::new();
    let sourced = sb.path().join("sourced.sql");
    std::fs::write(&sourced, "select 'sourced' as s;\n").unwrap();
    let script = sb.path().join("main.sql");
    std::fs::write(
        &script,
        format!(
            "use test\nsource {}\ncharset utf8mb4\nselect database() as db, @@character_set_client as cs;\n",
            sourced.display()
        ),
    )
    .unwrap();
    let native = std::process::Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-u", "root", "--batch"])
        .stdin(std::fs::File::open(&script).unwrap())
        .output()
        .expect("mariadb");
    assert!(native.status.success());
    let base = url.rsplit_once('/').unwrap().0;
    let run = common::dbsh(&[base, "--format", "tsv", "-f", script.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, String::from_utf8_lossy(&native.stdout));
    assert_eq!(run.stdout, "s\nsourced\ndb\tcs\ntest\tutf8mb4\n");
}
