//! Safe on production: the destructive-statement guard, the open-transaction question on
//! exit, read-only sessions, timeouts, and secrets kept out of history and `ps`.

use crate::common::{dbsh, Sandbox};
use crate::pty::sqlite_term;

#[test]
fn the_guard_asks_before_drop_and_defaults_to_no() {
    let sb = Sandbox::new();
    let db = sb.path().join("g.db");
    let db = db.to_str().unwrap();
    let mut t = sqlite_term(&sb, &[db]);
    t.wait_text("g.db>", 10);
    t.send("create table keep(x);\r");
    t.wait_text("OK", 5);
    // A string mentioning drop and an UPDATE with WHERE never ask.
    t.send("select 'drop table keep' as s;\r");
    t.wait_text("1 row", 5);
    t.send("update keep set x = 1 where x = 2;\r");
    t.wait_text("0 rows affected", 5);
    assert!(!t.screen().contains("destructive"), "{}", t.screen());

    t.send("drop table keep;\r");
    t.wait_text("Do you want to proceed? (y/N)", 5);
    t.send("\r");
    t.wait_text("Not run.", 5);
    t.send("delete from keep;\r");
    t.wait_text("(DELETE without WHERE)", 5);
    t.send("y\r");
    t.wait_text("OK, 0 rows affected", 5);
    t.wait_prompt("g.db>", 5);
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
    let r = dbsh(&[
        db,
        "--format",
        "csv",
        "-c",
        "select name from sqlite_master",
    ]);
    assert_eq!(
        r.stdout, "name\nkeep\n",
        "the table survived the refused DROP"
    );
}

#[test]
fn no_destructive_refuses_in_scripts_with_exit_1() {
    let r = dbsh(&[
        "--no-destructive",
        "-c",
        "create table t(x)",
        "-c",
        "drop table t",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("refusing to run a destructive statement (DROP)"),
        "{}",
        r.stderr
    );
    // Without the flag, scripts never prompt.
    let r = dbsh(&["-c", "create table t(x)", "-c", "drop table t"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn exiting_with_an_open_transaction_asks_and_rolls_back_by_default() {
    let sb = Sandbox::new();
    let db = sb.path().join("tx.db");
    let db = db.to_str().unwrap();
    dbsh(&[db, "-c", "create table t(x)"]);
    let mut t = sqlite_term(&sb, &[db]);
    t.wait_text("tx.db>", 10);
    t.send("begin;\r");
    t.wait_prompt("tx.db*>", 5);
    t.send("insert into t values (1);\r");
    t.wait_text("1 row affected", 5);
    t.ctrl_d();
    t.wait_text("A transaction is open. Commit it?", 5);
    t.send("\r");
    t.wait_text("Rolled back.", 5);
    assert_eq!(t.wait_exit(5), 0);
    let r = dbsh(&[db, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n0\n");

    let mut t = sqlite_term(&sb, &[db]);
    t.wait_text("tx.db>", 10);
    t.send("begin; insert into t values (2);\r");
    t.wait_text("1 row affected", 5);
    t.send("\\q\r");
    t.wait_text("Commit it?", 5);
    t.send("y\r");
    t.wait_text("Committed.", 5);
    assert_eq!(t.wait_exit(5), 0);
    let r = dbsh(&[db, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n1\n");
}

#[test]
fn scripts_roll_back_an_open_transaction_and_say_so() {
    let sb = Sandbox::new();
    let db = sb.path().join("s.db");
    let db = db.to_str().unwrap();
    let r = dbsh(&[
        db,
        "-c",
        "create table t(x); begin; insert into t values (1)",
    ]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("the open transaction was rolled back"),
        "{}",
        r.stderr
    );
    let r = dbsh(&[db, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n0\n");
}

#[test]
fn read_only_sessions_refuse_writes_with_the_engines_error() {
    let sb = Sandbox::new();
    let db = sb.path().join("ro.db");
    let db = db.to_str().unwrap();
    dbsh(&[db, "-c", "create table t(x)"]);
    let r = dbsh(&["--read-only", db, "-c", "insert into t values (1)"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("readonly database"), "{}", r.stderr);
    let r = dbsh(&[
        "--read-only",
        db,
        "--format",
        "csv",
        "-c",
        "select count(*) as n from t",
    ]);
    assert_eq!(r.stdout, "n\n0\n", "{}", r.stderr);
}

#[test]
fn timeout_cancels_long_statements() {
    let started = std::time::Instant::now();
    let r = dbsh(&[
        "--timeout",
        "0.3",
        "-c",
        "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("statement timeout"), "{}", r.stderr);
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn password_statements_stay_out_of_history() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("ALTER USER bob PASSWORD 'hunter2';\r");
    t.wait_text("ERROR", 5);
    t.send("select 'kept' as k;\r");
    t.wait_text("1 row", 5);
    t.ctrl_d();
    t.wait_exit(5);
    let history = std::fs::read_to_string(sb.path().join("data/dbsh/history")).unwrap();
    assert!(history.contains("select 'kept'"), "{history}");
    assert!(!history.contains("hunter2"), "{history}");
}

#[test]
fn passwords_vanish_from_the_command_line() {
    let sb = Sandbox::new();
    // Any argument shaped like a URL with a password is scrubbed, whichever flag it is.
    let mut child = sb
        .cmd()
        .args(["--theme", "postgres://u:sekrit@host/db"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let path = format!("/proc/{}/cmdline", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut cmdline = String::new();
    while std::time::Instant::now() < deadline {
        cmdline = std::fs::read(&path)
            .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
            .unwrap_or_default();
        if cmdline.contains("u:******@host") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    drop(child.stdin.take());
    let _ = child.wait();
    assert!(cmdline.contains("postgres://u:******@host/db"), "{cmdline}");
    assert!(!cmdline.contains("sekrit"));
}

#[test]
fn hostile_input_is_handled() {
    // A NUL byte, a 10 MB statement and a 20 MB value: errors or results, never a crash.
    // SQLite's own tokenizer rejects a NUL in SQL text: a located error, not a crash.
    let r = crate::common::dbsh_stdin(&[], "select 'a\u{0}b' as x;");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("LINE 1: select 'a\\x00b' as x"),
        "{}",
        r.stderr
    );
    // NUL inside data is shown escaped in a table, kept raw in CSV to a pipe.
    let r = dbsh(&["-c", "select 'a' || char(0) || 'b' as y"]);
    assert!(r.stdout.contains("| a\\x00b |"), "{}", r.stdout);
    let r = dbsh(&["--format", "csv", "-c", "select 'a' || char(0) || 'b' as y"]);
    assert_eq!(r.stdout, "y\na\u{0}b\n");
    let big = format!("select length('{}') as n", "x".repeat(10 * 1024 * 1024));
    let r = crate::common::dbsh_stdin(&["--format", "csv"], &big);
    assert_eq!(r.stdout, "n\n10485760\n", "{}", r.stderr);
    let r = dbsh(&[
        "--format",
        "csv",
        "-c",
        "select length(randomblob(20000000)) as n, hex(zeroblob(10)) as h",
    ]);
    assert_eq!(r.stdout, "n,h\n20000000,00000000000000000000\n");
}

/// A scratch schema (PostgreSQL) or database (MySQL) and the URL that uses it; dropped on
/// drop.
pub(crate) struct Scratch {
    pub(crate) url: String,
    admin_url: String,
    drop: String,
}

impl Scratch {
    pub(crate) fn postgres() -> Option<Scratch> {
        let url = crate::common::postgres_url()?;
        let schema = crate::common::unique_name("safety");
        let r = dbsh(&[&url, "-c", &format!("create schema {schema}")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let sep = if url.contains('?') { '&' } else { '?' };
        Some(Scratch {
            url: format!("{url}{sep}options=-csearch_path%3D{schema}"),
            drop: format!("drop schema {schema} cascade"),
            admin_url: url,
        })
    }

    pub(crate) fn mysql() -> Option<Scratch> {
        let url = crate::common::mysql_url()?;
        let db = crate::common::unique_name("safety");
        let r = dbsh(&[&url, "-c", &format!("create database {db}")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let base = url
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(url.clone());
        Some(Scratch {
            url: format!("{base}/{db}"),
            drop: format!("drop database {db}"),
            admin_url: url,
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        dbsh(&[&self.admin_url, "-c", &self.drop]);
    }
}

fn guard_and_exit_question(s: &Scratch, prompt_end: &str) {
    let r = dbsh(&[&s.url, "-c", "create table keep(x int)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sb = Sandbox::new();
    let mut t = crate::pty::Term::spawn(
        {
            let mut c = sb.cmd();
            c.arg(&s.url);
            c
        },
        30,
        100,
    );
    t.wait_for("the prompt", 10, |sc| {
        sc.lines().any(|l| l.trim_end().ends_with(prompt_end))
    });
    t.send("drop table keep;\r");
    t.wait_text("Do you want to proceed? (y/N)", 5);
    t.send("n\r");
    t.wait_text("Not run.", 5);
    t.send("begin;\r");
    t.wait_for("the transaction mark", 5, |sc| sc.contains("*>"));
    t.send("insert into keep values (1);\r");
    t.wait_text("1", 5);
    t.ctrl_d();
    t.wait_text("A transaction is open. Commit it?", 5);
    t.send("\r");
    t.wait_text("Rolled back.", 5);
    assert_eq!(t.wait_exit(5), 0);
    let r = dbsh(&[
        &s.url,
        "--format",
        "csv",
        "-c",
        "select count(*) as n from keep",
    ]);
    assert_eq!(
        r.stdout, "n\n0\n",
        "the table survived and the insert was rolled back: {}",
        r.stderr
    );
}

#[test]
fn guard_and_exit_question_on_postgres() {
    let Some(s) = Scratch::postgres() else { return };
    guard_and_exit_question(&s, ">");
}

#[test]
fn guard_and_exit_question_on_mysql() {
    let Some(s) = Scratch::mysql() else { return };
    guard_and_exit_question(&s, ">");
}

#[test]
fn read_only_refuses_inserts_on_servers() {
    for s in [Scratch::postgres(), Scratch::mysql()]
        .into_iter()
        .flatten()
    {
        let r = dbsh(&[&s.url, "-c", "create table t(x int)"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = dbsh(&["--read-only", &s.url, "-c", "insert into t values (1)"]);
        assert_eq!(r.code, 1, "{}: {}", s.url, r.stdout);
        assert!(
            r.stderr.contains("read-only") || r.stderr.contains("READ ONLY"),
            "the server's own error: {}",
            r.stderr
        );
        let r = dbsh(&[
            "--read-only",
            &s.url,
            "--format",
            "csv",
            "-c",
            "select count(*) as n from t",
        ]);
        assert_eq!(r.stdout, "n\n0\n", "{}", r.stderr);
    }
}

#[test]
fn an_error_in_the_middle_of_a_stream_keeps_what_came_and_says_what_went_wrong() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    let r = dbsh(&[
        &url,
        "--format",
        "csv",
        "-c",
        "select 10 / (5 - x) as q from generate_series(1, 10) x",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("division by zero"), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("q\n2\n"),
        "rows before the error are kept: {}",
        r.stdout
    );
}

#[test]
fn random_bytes_never_panic_the_splitter_guard_or_script_reader() {
    use dbsh::sql::Dialect;
    // xorshift: deterministic, no dependency.
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: &[u8] = b"select from where ';\"`[]$$--/**/#\\G\\g\n\t begin end case trigger create delimiter drop update delete truncate \x00\xff\xc3\xa9";
    for _ in 0..3000 {
        let len = (next() % 80) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if r % 4 == 0 {
                    (r >> 8) as u8
                } else {
                    alphabet[(r >> 8) as usize % alphabet.len()]
                }
            })
            .collect();
        let mut input =
            dbsh::script::ScriptInput::new(Box::new(std::io::Cursor::new(bytes.clone())));
        while let Ok(Some(_)) = input.next_line() {}
        let text = String::from_utf8_lossy(&bytes);
        for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            let mut s = dbsh::sql::Splitter::new(d);
            for piece in s.split(&text) {
                if let dbsh::sql::Piece::Sql { text, offset, .. } = piece {
                    assert!(offset <= text.len() + offset);
                    let _ = dbsh::guard::destructive(&text, d);
                }
            }
            let _ = s.is_complete(&text);
            let _ = dbsh::sql::facts::carries_secret(&text);
        }
    }
}
