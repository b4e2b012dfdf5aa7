//! PostgreSQL backend tests (see issue: PostgreSQL backend): the real binary against the
//! server at DBSH_TEST_POSTGRES_URL, each test in a schema of its own. `psql` is used only
//! to check what the server saw.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dbsh::db::{DbError, TxState};
use dbsh::result::{ColumnInfo, CommandOutcome, Notice, ResultSink, SinkError, Value};

use crate::common::{self, connect, dbsh, runtime, unique_name, Sandbox};

/// Run `psql URL -Atc SQL` and return its stdout (trimmed), panicking on failure.
fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string()
}

/// A schema of the test's own, dropped when the test ends (even when it fails).
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new(url: &str) -> Schema {
        let name = unique_name("dbsh_pg");
        psql(url, &format!("create schema {name}"));
        Schema {
            url: url.to_string(),
            name,
        }
    }

    fn search_path(&self) -> String {
        format!("set search_path to {}", self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &self.url,
                "-X",
                "-qc",
                &format!("drop schema if exists {} cascade", self.name),
            ])
            .output();
    }
}

/// (user, host, port, dbname) of a `postgres://user@host:port/db` URL.
fn url_parts(url: &str) -> (String, String, String, String) {
    let rest = url.split("://").nth(1).expect("url scheme");
    let rest = rest.split('?').next().unwrap();
    let (auth, db) = rest.split_once('/').unwrap_or((rest, "postgres"));
    let (user, hostport) = auth.rsplit_once('@').unwrap_or(("postgres", auth));
    let user = user.split(':').next().unwrap();
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "5432"));
    (user.into(), host.into(), port.into(), db.into())
}

/// One CSV field as written by `--format csv`.
fn unquote(field: &str) -> String {
    match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

#[test]
fn every_type_prints_as_postgres_prints_it() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let exprs = [
        "123::int2",
        "(-2147483648)::int4",
        "9223372036854775807::int8",
        "12345678901234567890.123456789::numeric",
        "1.50::numeric(10,2)",
        "'NaN'::numeric",
        "0.1::float8",
        "1e100::float8",
        "'-Infinity'::float4",
        "true",
        "false",
        "'2024-02-29 13:45:01.5+02'::timestamptz",
        "'2024-02-29 13:45:01'::timestamp",
        "'2024-02-29'::date",
        "'13:45'::time",
        "'1 year 2 mons 3 days 04:05:06.7'::interval",
        "'-1 day'::interval",
        "array[1,2,null]::int[]",
        "array['a b','c,d','\"q\"',null]::text[]",
        "'{\"b\": 1, \"a\": [1, 2.50]}'::json",
        "'{\"b\": 1, \"a\": [1, 2.50]}'::jsonb",
        "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
        "'192.168.0.1/24'::inet",
        "'10.0.0.0/8'::cidr",
        "'08:00:2b:01:02:03'::macaddr",
        "int4range(1, 10)",
        "'[2024-01-01,2024-02-01)'::daterange",
        "'\\x00ff10'::bytea",
        "'héllo wörld'::text",
        "'(1,2)'::point",
        "12.34::money",
        "B'1011'::bit(4)",
        "'a & b'::tsquery",
        "row(1, 'x', null)",
        "'<a>1</a>'::xml",
    ];
    let mut args: Vec<String> = vec![url.clone(), "--format".into(), "csv".into()];
    for e in &exprs {
        args.push("-c".into());
        args.push(format!("select {e} as v"));
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = dbsh(&argv);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let values: Vec<String> = run
        .stdout
        .lines()
        .filter(|l| *l != "v")
        .map(unquote)
        .collect();
    assert_eq!(values.len(), exprs.len(), "{}", run.stdout);
    for (e, got) in exprs.iter().zip(&values) {
        let want = psql(&url, &format!("select {e}"));
        assert_eq!(got, &want, "select {e}");
    }
}

#[test]
fn null_differs_from_empty_and_json_keeps_types() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let run = dbsh(&[
        &url,
        "--format",
        "json",
        "-c",
        "select null::text as a, ''::text as b, 1::int as i, 1.50::numeric as n, true as t, \
         '{\"x\": [1]}'::jsonb as j, '007'::text as s, '\\x01'::bytea as by",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            r#"{"a":null,"b":"","i":1,"n":1.50,"t":true,"j":{"x": [1]},"s":"007","by":"\\x01"}"#
        ),
        "{}",
        run.stdout
    );
    // The table format shows NULL with its marker and '' as nothing.
    let table = dbsh(&[&url, "-c", "select null::text as a, ''::text as b"]);
    assert!(table.stdout.contains("| <null> |   |"), "{}", table.stdout);
}

#[test]
fn several_statements_in_one_submission() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let run = dbsh(&[
        &url,
        "--format",
        "csv",
        "-c",
        "select 1 as a; select 'two' as b",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "a\n1\nb\ntwo\n");
}

#[test]
fn command_tags_and_notices() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = Schema::new(&url);
    let sp = schema.search_path();
    let run = dbsh(&[
        &url,
        "-c",
        &sp,
        "-c",
        "create table t (a int)",
        "-c",
        "insert into t values (1), (2), (3)",
        "-c",
        "update t set a = a + 1 where a > 1",
        "-c",
        "delete from t where a > 100",
        "-c",
        "select * into t2 from t",
        "-c",
        "create table t3 as select * from t where a = 1",
        "-c",
        "begin",
        "-c",
        "commit",
        "-c",
        "do $$ begin raise notice 'hello from %', 'plpgsql'; end $$",
        "-c",
        "drop table t3",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "SET",
            "CREATE TABLE",
            "INSERT 0 3",
            "UPDATE 2",
            "DELETE 0",
            "SELECT 3",
            "SELECT 1",
            "BEGIN",
            "COMMIT",
            "DO",
            "DROP TABLE"
        ],
        "{}",
        run.stdout
    );
    // Notices go to stderr, never into the results.
    assert!(
        run.stderr.contains("NOTICE: hello from plpgsql"),
        "{}",
        run.stderr
    );
    assert_eq!(
        psql(&url, &format!("select count(*) from {}.t2", schema.name)),
        "3"
    );
}

#[test]
fn an_error_shows_the_position_and_exits_1() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let run = dbsh(&[&url, "-c", "select 1,\n  * fro x"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("ERROR: syntax error at or near \"fro\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("LINE 2:   * fro x\n            ^"),
        "{}",
        run.stderr
    );
    let run = dbsh(&[&url, "-c", "select 1/0"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ERROR: division by zero"),
        "{}",
        run.stderr
    );
}

#[test]
fn environment_variables_name_the_server() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let (user, host, port, db) = url_parts(&url);
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args([
            "--driver",
            "postgres",
            "--format",
            "csv",
            "-c",
            "select current_user, current_database(), current_setting('application_name')",
        ])
        .env("PGHOST", &host)
        .env("PGPORT", &port)
        .env("PGUSER", &user)
        .env("PGDATABASE", &db)
        .output()
        .unwrap();
    let run = common::finish(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("current_user,current_database,current_setting\n{user},{db},dbsh\n")
    );
    // psql-style flags override the environment.
    let out = sb
        .cmd()
        .args([
            "-h",
            &host,
            "-p",
            &port,
            "-U",
            &user,
            "-d",
            &db,
            "--format",
            "csv",
            "-c",
            "select 1 as one",
        ])
        .env("PGHOST", "no-such-host.invalid")
        .env("PGAPPNAME", "from_env")
        .output()
        .unwrap();
    let run = common::finish(out);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn pgpass_is_read_and_loose_permissions_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let Some(url) = common::postgres_url() else {
        return;
    };
    let (user, host, port, db) = url_parts(&url);
    let sb = Sandbox::new();
    let pgpass = sb.path().join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("{host}:{port}:{db}:{user}:not-needed-with-trust\n"),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = common::finish(sb.cmd().args([&url, "-c", "select 1"]).output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("WARNING"), "{}", run.stderr);
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = common::finish(sb.cmd().args([&url, "-c", "select 1"]).output().unwrap());
    assert!(
        run.stderr.contains("has group or world access"),
        "{}",
        run.stderr
    );
}

#[test]
fn connection_failures_say_where_and_why() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let (user, _, _, _) = url_parts(&url);
    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = dbsh(&[
        &format!("postgres://{user}@127.0.0.1:{port}/postgres"),
        "-c",
        "select 1",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
    assert!(
        run.stderr.contains("is the server running"),
        "{}",
        run.stderr
    );

    let (user, host, port, _) = url_parts(&url);
    let db = unique_name("nosuchdb");
    let run = dbsh(&[
        &format!("postgres://{user}@{host}:{port}/{db}"),
        "-c",
        "select 1",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(&format!("database \"{db}\" does not exist")),
        "{}",
        run.stderr
    );

    // -W without a terminal cannot ask: it says what to do instead.
    let run = dbsh(&[&url, "-W", "-c", "select 1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains(&format!("password required for user {user}")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn sslmodes() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let with = |mode: &str| {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}sslmode={mode}")
    };
    let ssl_query = "select ssl from pg_stat_ssl where pid = pg_backend_pid()";
    let server_ssl = psql(&url, "show ssl") == "on";
    for mode in ["disable", "prefer"] {
        let run = dbsh(&[&with(mode), "--format", "csv", "-c", ssl_query]);
        assert_eq!(run.code, 0, "{mode}: {}", run.stderr);
        let expect = if mode == "prefer" && server_ssl {
            "t"
        } else {
            "f"
        };
        assert_eq!(run.stdout, format!("ssl\n{expect}\n"), "{mode}");
    }
    let run = dbsh(&[&with("require"), "--format", "csv", "-c", ssl_query]);
    if server_ssl {
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "ssl\nt\n");
        // A test server's certificate is not signed by a public CA.
        let run = dbsh(&[&with("verify-full"), "-c", "select 1"]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("TLS error"), "{}", run.stderr);
    } else {
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("server does not support TLS"),
            "{}",
            run.stderr
        );
    }
}

/// Poll `cond` until it holds or `limit` passes.
fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn ctrl_c_cancels_the_running_statement() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let app = unique_name("dbsh_cancel");
    let sep = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{sep}application_name={app}");
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .arg(&target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"select pg_sleep(30);\n")
        .unwrap();
    let active = format!(
        "select count(*) from pg_stat_activity where application_name = '{app}' and state = 'active' and query like 'select pg_sleep(30)%'"
    );
    assert!(
        wait_for(Duration::from_secs(10), || psql(&url, &active) == "1"),
        "the statement never showed up in pg_stat_activity"
    );
    let sent = Instant::now();
    // SAFETY: kill only sends a signal to the child we started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    let took = sent.elapsed();
    let run = common::finish(out);
    assert!(took < Duration::from_secs(5), "cancel took {took:?}");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("canceling statement due to user request"),
        "{}",
        run.stderr
    );
    assert_eq!(psql(&url, &active), "0");
}

#[test]
fn a_terminated_session_ends_the_script_with_exit_2_and_runs_nothing_more() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let app = unique_name("dbsh_victim");
    let sep = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{sep}application_name={app}");
    let sb = Sandbox::new();
    let go = sb.path().join("go");
    // The script pauses in a shell command (bounded) until the test has killed its backend.
    let script = format!(
        "select 'before' as step;\n\\! i=0; while [ ! -e {go} ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done\nselect 'after' as step;\n",
        go = go.display()
    );
    let mut child = sb
        .cmd()
        .args([&target, "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let idle = format!(
        "select pid from pg_stat_activity where application_name = '{app}' and state = 'idle'"
    );
    let mut pid = String::new();
    assert!(
        wait_for(Duration::from_secs(10), || {
            pid = psql(&url, &idle);
            !pid.is_empty()
        }),
        "the session never went idle"
    );
    // pg_terminate_backend with a timeout waits until the backend is gone.
    assert_eq!(
        psql(&url, &format!("select pg_terminate_backend({pid}, 5000)")),
        "t"
    );
    std::fs::write(&go, "").unwrap();
    let run = common::finish(child.wait_with_output().unwrap());
    // No silent reconnect: the statement after the loss does not run (the prompt
    // reconnects; see faults.rs).
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "step\nbefore\n");
    assert!(
        run.stderr
            .contains("<stdin>:3: connection to server was lost"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("reconnect"), "{}", run.stderr);
}

/// Collects what a statement produced, optionally stopping after some rows.
#[derive(Default)]
struct Collect {
    columns: Vec<ColumnInfo>,
    rows: Vec<Vec<Option<String>>>,
    commands: Vec<CommandOutcome>,
    notices: Vec<Notice>,
    stop_after: Option<usize>,
}

impl ResultSink for Collect {
    fn columns(&mut self, columns: &[ColumnInfo]) -> Result<(), SinkError> {
        self.columns = columns.to_vec();
        Ok(())
    }
    fn row(&mut self, row: &[Value<'_>]) -> Result<(), SinkError> {
        if self.stop_after.is_some_and(|n| self.rows.len() >= n) {
            return Err(SinkError::Stopped);
        }
        self.rows.push(
            row.iter()
                .map(|v| match v {
                    Value::Text(s) => Some(s.to_string()),
                    Value::Null => None,
                    other => Some(format!("{other:?}")),
                })
                .collect(),
        );
        Ok(())
    }
    fn rows_done(&mut self, _count: u64) -> Result<(), SinkError> {
        Ok(())
    }
    fn command(&mut self, outcome: &CommandOutcome) -> Result<(), SinkError> {
        self.commands.push(outcome.clone());
        Ok(())
    }
    fn notice(&mut self, notice: &Notice) {
        self.notices.push(notice.clone());
    }
}

#[test]
fn transaction_state_follows_the_session() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let mut sink = Collect::default();
        assert_eq!(conn.transaction_state(), TxState::Idle);
        conn.execute("begin", &mut sink).await.unwrap();
        assert_eq!(conn.transaction_state(), TxState::InTransaction);
        conn.execute("savepoint a", &mut sink).await.unwrap();
        assert!(conn.execute("select 1/0", &mut sink).await.is_err());
        assert_eq!(conn.transaction_state(), TxState::Failed);
        let e = conn.execute("select 1", &mut sink).await.unwrap_err();
        assert!(
            e.to_string().contains("current transaction is aborted"),
            "{e}"
        );
        assert_eq!(conn.transaction_state(), TxState::Failed);
        conn.execute("rollback to savepoint a", &mut sink)
            .await
            .unwrap();
        assert_eq!(conn.transaction_state(), TxState::InTransaction);
        conn.execute("select 1; select 1/0", &mut sink)
            .await
            .unwrap_err();
        assert_eq!(conn.transaction_state(), TxState::Failed);
        conn.execute("commit", &mut sink).await.unwrap();
        assert_eq!(conn.transaction_state(), TxState::Idle);
        assert_eq!(
            sink.commands.last().and_then(|c| c.tag.as_deref()),
            Some("ROLLBACK")
        );
        // Errors outside a transaction leave it idle.
        conn.execute("select 1/0", &mut sink).await.unwrap_err();
        assert_eq!(conn.transaction_state(), TxState::Idle);
        let info = conn.info();
        let (user, _, port, db) = url_parts(&url);
        assert_eq!(
            (info.user, info.port, info.database),
            (user, port.parse().ok(), db)
        );
    });
}

#[test]
fn column_kinds_come_from_the_server() {
    use dbsh::result::ColumnKind::*;
    let Some(url) = common::postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let mut sink = Collect::default();
        conn.execute(
            "select 1::int2 a, 2::int8 b, 1.5::numeric c, 1.5::float4 d, true e, '{}'::jsonb f, '\\x00'::bytea g, 'x' h, now() i",
            &mut sink,
        )
        .await
        .unwrap();
        let kinds: Vec<_> = sink.columns.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [Number, Number, Number, Number, Bool, Json, Binary, Text, Text]);
        assert_eq!(sink.rows[0][4].as_deref(), Some("t"));
    });
}

#[test]
fn a_stopped_sink_cancels_and_the_connection_stays_usable() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let mut sink = Collect {
            stop_after: Some(10),
            ..Collect::default()
        };
        let start = Instant::now();
        let e = conn
            .execute(
                "select g, pg_sleep(0.001) from generate_series(1, 100000) g",
                &mut sink,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, DbError::Stopped), "{e}");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        let mut sink = Collect::default();
        conn.execute("select 42", &mut sink).await.unwrap();
        assert_eq!(sink.rows, [[Some("42".to_string())]]);
        assert_eq!(conn.transaction_state(), TxState::Idle);
    });
}

#[test]
fn a_killed_connection_reports_connection_lost() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let mut sink = Collect::default();
        conn.execute("select pg_backend_pid()", &mut sink)
            .await
            .unwrap();
        let pid = sink.rows[0][0].clone().unwrap();
        assert_eq!(
            psql(&url, &format!("select pg_terminate_backend({pid}, 5000)")),
            "t"
        );
        // The connection task needs a moment to see the server hang up; either way the
        // statement must not hang and must say the connection is gone.
        let deadline = Instant::now() + Duration::from_secs(5);
        let e = loop {
            let e = conn.execute("select 1", &mut sink).await.unwrap_err();
            if e.is_connection_lost() || Instant::now() > deadline {
                break e;
            }
        };
        assert!(e.is_connection_lost(), "{e}");
    });
}

#[test]
fn notices_reach_the_sink_in_order() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let mut conn = connect(&url).await;
        let mut sink = Collect::default();
        conn.execute(
            "do $$ begin raise notice 'one'; raise warning 'two' using hint = 'be careful'; end $$",
            &mut sink,
        )
        .await
        .unwrap();
        let got: Vec<(String, String)> = sink
            .notices
            .iter()
            .map(|n| (n.severity.clone(), n.message.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("NOTICE".to_string(), "one".to_string()),
                ("WARNING".to_string(), "two\nHINT: be careful".to_string())
            ]
        );
        assert_eq!(sink.commands[0].tag.as_deref(), Some("DO"));
    });
}

#[test]
fn scripts_split_as_psql_splits_them() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = Schema::new(&url);
    let script = format!(
        "{};\n\
         create table a (x int); create table b (x int);\n\
         create rule r as on insert to a do also (insert into b values (1); insert into b values (2));\n\
         insert into a values (0);\n\
         select count(*) as n from b;\n\
         set standard_conforming_strings = off;\n\
         select 'it\\'s' as q;\n\
         set standard_conforming_strings = on;\n\
         select 1 as j \\; select 2 as k;\n\
         select 'unterminated\n",
        schema.search_path()
    );
    let run = common::dbsh_stdin(&[&url, "--format", "csv"], &script);
    // The rule's inner `;` did not split it; the escaped quote did not swallow the rest;
    // `\;` sent both statements; the last, broken one still reached the server.
    assert_eq!(run.stdout, "n\n2\nq\nit's\nj\n1\nk\n2\n", "{}", run.stderr);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unterminated quoted string"),
        "{}",
        run.stderr
    );
}

#[test]
fn strings_split_by_the_rule_the_server_reports_not_only_by_set_statements() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    // A function turns the rule off: the rest of the script reads `\'` as psql does.
    let script = "select set_config('standard_conforming_strings', 'off', false) as c;\n\
                  select 'it\\'s' as q;\n\
                  select 2 as two;\n";
    let run = common::dbsh_stdin(&[&url, "--format", "csv"], script);
    assert_eq!(run.stdout, "c\noff\nq\nit's\ntwo\n2\n", "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A database whose default is off: known from the first statement on.
    let db = unique_name("scs");
    psql(&url, &format!("create database {db}"));
    psql(
        &url,
        &format!("alter database {db} set standard_conforming_strings = off"),
    );
    let db_url = format!("{}/{db}", url.rsplit_once('/').unwrap().0);
    let run = common::dbsh_stdin(
        &[&db_url, "--format", "csv"],
        "select 'it\\'s' as q;\nselect 2 as two;\n",
    );
    psql(&url, &format!("drop database {db}"));
    assert_eq!(run.stdout, "q\nit's\ntwo\n2\n", "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn gset_is_one_command_not_g_and_sql() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let run = dbsh(&[&url, "-c", "select 41 + 1 as x \\gset\n\\echo :x"]);
    assert_eq!(run.stdout, "42\n", "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("syntax error"), "{}", run.stderr);
}

/// The description and the query travel together; inside a transaction a failing
/// statement still shows its own error, not "current transaction is aborted".
#[test]
fn a_failing_select_in_a_transaction_reports_its_own_error() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let run = common::dbsh_stdin(
        &[&url, "--continue-on-error"],
        "begin;\nselect * from no_such_table_here;\nselect 1 as one;\nrollback;\n",
    );
    assert!(
        run.stderr
            .contains("relation \"no_such_table_here\" does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("does not exist").count(),
        1,
        "{}",
        run.stderr
    );
    // The next statement meets the aborted transaction, as in psql.
    assert!(
        run.stderr.contains("current transaction is aborted"),
        "{}",
        run.stderr
    );
}

#[test]
fn password_sets_a_scram_verifier_and_the_password_is_never_shown_or_kept() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let role = unique_name("pw_role");
    psql(&url, &format!("create role {role} login"));
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(&url);
    let mut t = crate::pty::Term::spawn(cmd, 30, 120);
    t.wait_text(":postgres>", 30);
    t.send(&format!("\\password {role}\r"));
    t.wait_text(&format!("Enter new password for user \"{role}\":"), 30);
    t.send("s3cret-one\r");
    t.wait_text("Enter it again:", 30);
    t.send("s3cret-two\r");
    t.wait_text("Passwords didn't match.", 30);
    t.send(&format!("\\password {role}\r"));
    t.wait_for("the second question", 30, |s| {
        s.matches("Enter new password").count() == 2
    });
    t.send("s3cret-one\r");
    t.wait_for("the second question", 30, |s| {
        s.matches("Enter it again").count() == 2
    });
    t.send("s3cret-one\r");
    t.send("select 'done' as d;\r");
    t.wait_text("| done |", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
    let verifier = psql(
        &url,
        &format!("select rolpassword from pg_authid where rolname = '{role}'"),
    );
    psql(&url, &format!("drop role {role}"));
    assert!(verifier.starts_with("SCRAM-SHA-256$4096:"), "{verifier}");
    assert!(!t.screen().contains("s3cret"), "{}", t.screen());
    let history = std::fs::read_to_string(sb.path().join("data/dbsh/history")).unwrap_or_default();
    assert!(!history.contains("s3cret"), "{history}");
    assert!(history.contains("select 'done'"), "{history}");
}
