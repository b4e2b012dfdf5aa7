//! The questions dbsh asks a person (destructive guard, open transaction, row limit) and
//! the guard seeing through wrappers: Ctrl-C cancels a question and returns to a working
//! prompt, files get every row without asking, `\c` asks like `\q`, `--no-destructive`
//! refuses wrapped destructive statements.

use crate::common::dbsh;
use crate::pty::sqlite_term;
use crate::safety::Scratch;

#[test]
fn ctrl_c_at_the_guard_question_cancels_and_the_prompt_still_works() {
    let sb = crate::common::Sandbox::new();
    let db = sb.path().join("c.db");
    let db = db.to_str().unwrap();
    dbsh(&[
        db,
        "-c",
        "create table keep(x); insert into keep values (1)",
    ]);
    let mut t = sqlite_term(&sb, &[db]);
    t.wait_prompt("c.db>", 30);
    t.send("delete from keep; select 'after' as s;\r");
    t.wait_text("Do you want to proceed? (y/N)", 30);
    t.send("\x03");
    t.wait_text("Cancelled", 30);
    t.wait_prompt("c.db>", 30);
    assert!(
        !t.screen().contains("| after"),
        "the rest of the input did not run: {}",
        t.screen()
    );
    t.send("select count(*) as n from keep;\r");
    t.wait_text("1 row", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn typed_ahead_input_never_answers_the_guard_question() {
    let sb = crate::common::Sandbox::new();
    let db = sb.path().join("ta.db");
    let db = db.to_str().unwrap();
    dbsh(&[db, "-c", "create table keep(x)"]);
    let mut t = sqlite_term(&sb, &[db]);
    t.wait_prompt("ta.db>", 30);
    t.send("select count(*) from (with recursive c(i) as (select 1 union all select i + 1 from c where i < 10000000) select i from c); drop table keep;\r");
    // The spinner shows the statement is running (and the editor has let go of input):
    // this "y" is typed before the question exists and must be thrown away.
    t.wait_for("the spinner", 60, |s| {
        s.lines()
            .any(|l| l.trim_end().ends_with(" s") && !l.contains('|'))
    });
    t.send("y\r");
    t.wait_text("Do you want to proceed? (y/N)", 60);
    t.send("\r");
    t.wait_text("Not run.", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    let r = dbsh(&[
        db,
        "--format",
        "csv",
        "-c",
        "select name from sqlite_master",
    ]);
    assert_eq!(r.stdout, "name\nkeep\n", "{}", r.stderr);
}

#[test]
fn ctrl_c_at_the_exit_question_stays_at_the_prompt_with_the_transaction_open() {
    let sb = crate::common::Sandbox::new();
    let db = sb.path().join("x.db");
    let db = db.to_str().unwrap();
    dbsh(&[db, "-c", "create table t(x)"]);
    let mut t = sqlite_term(&sb, &[db]);
    t.wait_prompt("x.db>", 30);
    t.send("begin; insert into t values (1);\r");
    t.wait_prompt("x.db*>", 30);
    t.send("\\q\r");
    t.wait_text("Commit it?", 30);
    t.send("\x03");
    t.wait_prompt("x.db*>", 30);
    t.send("commit;\r");
    t.wait_prompt("x.db>", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    let r = dbsh(&[db, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n1\n");
}

#[test]
fn the_row_question_is_not_asked_when_output_goes_to_a_file() {
    let sb = crate::common::Sandbox::new();
    let out = sb.path().join("rows.txt");
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory:>", 30);
    t.send(&format!("\\o {}\r", out.display()));
    t.send("with recursive c(i) as (select 1 union all select i + 1 from c where i < 1500) select i from c;\r");
    t.send("\\o\r");
    t.send("select 'done' as d;\r");
    t.wait_text("| done", 30);
    assert!(!t.screen().contains("Show them all"), "{}", t.screen());
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}: {}", t.screen()));
    assert!(text.contains("1500 rows"), "every row reached the file");
    assert!(text.contains("| 1500 |"), "every row reached the file");
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn ctrl_c_at_the_row_question_shows_nothing_more() {
    let sb = crate::common::Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory:>", 30);
    t.send("with recursive c(i) as (select 1 union all select i + 1 from c where i < 1500) select i from c;\r");
    t.wait_text("Show them all?", 30);
    t.send("\x03");
    t.wait_prompt(":memory:>", 30);
    let screen = t.screen();
    assert!(
        !screen.contains("| 1500 |") && !screen.contains("rows (stopped)"),
        "{screen}"
    );
    t.send("select 'still here' as s;\r");
    t.wait_text("still here", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn reconnecting_with_a_transaction_open_asks_like_quit() {
    let sb = crate::common::Sandbox::new();
    let a = sb.path().join("a.db");
    let b = sb.path().join("b.db");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    dbsh(&[a, "-c", "create table t(x)"]);
    let mut t = sqlite_term(&sb, &[a]);
    t.wait_prompt("a.db>", 30);
    t.send("begin; insert into t values (1);\r");
    t.wait_prompt("a.db*>", 30);
    t.send(&format!("\\c {b}\r"));
    t.wait_text("A transaction is open. Commit it?", 30);
    t.send("y\r");
    t.wait_text("Committed.", 30);
    t.wait_prompt("b.db>", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    let r = dbsh(&[a, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n1\n");
}

#[test]
fn no_destructive_refuses_wrapped_destructive_statements_on_sqlite() {
    for sql in [
        "with x as (select 1) delete from t",
        "with x as (select 1) update t set x = 2",
    ] {
        let r = dbsh(&["--no-destructive", "-c", "create table t(x)", "-c", sql]);
        assert_eq!(r.code, 1, "{sql}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{sql}: {}", r.stderr);
    }
    let r = dbsh(&[
        "--no-destructive",
        "-c",
        "create table t(x)",
        "-c",
        "explain query plan delete from t",
    ]);
    assert_eq!(
        r.code, 0,
        "EXPLAIN without running is allowed: {}",
        r.stderr
    );
}

#[test]
fn no_destructive_refuses_wrapped_destructive_statements_on_postgres() {
    let Some(s) = Scratch::postgres() else { return };
    let r = dbsh(&[
        &s.url,
        "-c",
        "create table t(x int); insert into t values (1)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for sql in [
        "with d as (delete from t returning *) select * from d",
        "explain analyze delete from t",
        "explain (analyze) update t set x = 2",
        "prepare wipe as delete from t",
        "do $$ begin delete from t; end $$",
    ] {
        let r = dbsh(&["--no-destructive", &s.url, "-c", sql]);
        assert_eq!(r.code, 1, "{sql}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{sql}: {}", r.stderr);
    }
    let r = dbsh(&[
        &s.url,
        "--format",
        "csv",
        "-c",
        "select count(*) as n from t",
    ]);
    assert_eq!(r.stdout, "n\n1\n", "nothing was deleted");
    let r = dbsh(&[&s.url, "--no-destructive", "-c", "explain delete from t"]);
    assert_eq!(r.code, 0, "plain EXPLAIN does not run it: {}", r.stderr);
}

#[test]
fn no_destructive_refuses_multi_table_delete_on_mysql() {
    let Some(s) = Scratch::mysql() else { return };
    let r = dbsh(&[&s.url, "-c", "create table a(id int); create table b(id int); insert into a values (1); insert into b values (1)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for sql in [
        "delete a, b from a join b on a.id = b.id",
        "prepare s from 'delete from a'",
        "call nothing_here()",
    ] {
        let r = dbsh(&["--no-destructive", &s.url, "-c", sql]);
        assert_eq!(r.code, 1, "{sql}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{sql}: {}", r.stderr);
    }
    let r = dbsh(&[
        &s.url,
        "--format",
        "csv",
        "-c",
        "select count(*) as n from a",
    ]);
    assert_eq!(r.stdout, "n\n1\n", "nothing was deleted");
}

#[test]
fn json_output_of_an_unchecked_sqlite_json_column_is_valid_and_inert() {
    let sb = crate::common::Sandbox::new();
    let db = sb.path().join("j.db");
    let db = db.to_str().unwrap();
    let r = dbsh(&[
        db,
        "-c",
        "create table t(doc JSON); insert into t values ('hello'), (char(27) || '[2J'), ('{\"a\": 1}'), ('[1,'), (''), (NULL)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for format in ["json", "jsonl"] {
        let r = dbsh(&[db, "--format", format, "-c", "select doc from t"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
        let docs: Vec<serde_json::Value> = if format == "json" {
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
        } else {
            r.stdout
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
                .collect()
        };
        let got: Vec<&serde_json::Value> = docs.iter().map(|d| &d["doc"]).collect();
        assert_eq!(got[0], "hello");
        assert_eq!(got[1], "\u{1b}[2J");
        // SQLite never checked it: a string, even when it looks like JSON.
        assert_eq!(got[2], "{\"a\": 1}");
        assert_eq!(got[3], "[1,");
        assert_eq!(got[5], &serde_json::Value::Null);
    }
}

#[test]
fn a_database_name_with_an_escape_byte_never_puts_escape_on_the_screen() {
    let sb = crate::common::Sandbox::new();
    let name = "e\u{1b}]0;pwned\u{7}x.db";
    let path = sb.path().join(name);
    let path = path.to_str().unwrap();
    let r = dbsh(&[path, "-c", "create table t(x)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut t = sqlite_term(&sb, &[path]);
    t.wait_text("x.db>", 30);
    t.send("\\conninfo\r");
    t.wait_text("You are connected", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(
        !raw.contains("\u{1b}]0;pwned"),
        "the title sequence reached the terminal"
    );
    assert!(
        raw.contains("\\x1b]0;pwned"),
        "shown escaped instead: {raw:?}"
    );
}

/// A PostgreSQL cluster of the test's own that wants a SCRAM password over TCP (the shared
/// server trusts every local connection). Stopped when dropped, panics included.
struct ScramCluster {
    dir: tempfile::TempDir,
    port: u16,
    bin: std::path::PathBuf,
}

const SCRAM_PASSWORD: &str = "s3cret-pw";

impl ScramCluster {
    fn start() -> Option<ScramCluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())?;
        let dir = tempfile::tempdir().ok()?;
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            let uid = user_id("postgres")?;
            std::os::unix::fs::chown(dir.path(), Some(uid.0), Some(uid.1)).ok()?;
        }
        std::fs::write(dir.path().join("pw"), SCRAM_PASSWORD).ok()?;
        if root {
            let uid = user_id("postgres")?;
            std::os::unix::fs::chown(dir.path().join("pw"), Some(uid.0), Some(uid.1)).ok()?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let mut cluster = ScramCluster { dir, port, bin };
        let data = cluster.dir.path().join("data");
        let ok = cluster.run(&[
            "initdb",
            "-D",
            data.to_str()?,
            "-A",
            "scram-sha-256",
            "-U",
            "postgres",
            &format!("--pwfile={}", cluster.dir.path().join("pw").display()),
        ]);
        if !ok {
            return None;
        }
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            cluster.port,
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("log");
        if !cluster.run(&[
            "pg_ctl",
            "-D",
            data.to_str()?,
            "-o",
            &opts,
            "-l",
            log.to_str()?,
            "-w",
            "-t",
            "60",
            "start",
        ]) {
            cluster.port = 0;
            return None;
        }
        Some(cluster)
    }

    fn run(&self, args: &[&str]) -> bool {
        let exe = self.bin.join(args[0]);
        let mut cmd = if unsafe { libc::geteuid() } == 0 {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            std::process::Command::new(&exe)
        };
        cmd.args(&args[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for ScramCluster {
    fn drop(&mut self) {
        if self.port != 0 {
            let data = self.dir.path().join("data");
            self.run(&[
                "pg_ctl",
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ]);
        }
    }
}

/// (uid, gid) of `name` from /etc/passwd.
fn user_id(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.split(':').next() == Some(name))?;
    let f: Vec<&str> = line.split(':').collect();
    Some((f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?))
}

#[test]
fn postgres_asks_for_a_password_on_a_terminal_and_says_how_to_supply_one_without() {
    let Some(cluster) = ScramCluster::start() else {
        eprintln!("skipped: cannot start a test-owned PostgreSQL cluster (initdb/pg_ctl under /usr/lib/postgresql/*/bin)");
        return;
    };
    let url = cluster.url();
    // No terminal: a clear error saying where a password can come from.
    let r = dbsh(&[&url, "-c", "select 1"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("PGPASSWORD") && r.stderr.contains(".pgpass"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("invalid configuration"), "{}", r.stderr);

    let sb = crate::common::Sandbox::new();
    let mut t = sqlite_term(&sb, &[&url]);
    t.wait_text("Password for user postgres:", 60);
    t.send(SCRAM_PASSWORD);
    t.send("\r");
    t.wait_text(":postgres>", 60);
    assert!(
        !t.screen().contains(SCRAM_PASSWORD),
        "the password is not echoed"
    );
    t.send("select 'in' as s;\r");
    t.wait_text("| in", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);

    // Ctrl-C at the password prompt cancels the connection; the terminal is given back.
    let mut t = sqlite_term(&sb, &[&url]);
    t.wait_text("Password for user postgres:", 60);
    t.send("\x03");
    let code = t.wait_exit(30);
    assert_ne!(code, 0);
    t.wait_text("cancelled", 30);
}

#[test]
fn a_password_in_a_url_never_reaches_history_or_error_messages() {
    let sb = crate::common::Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory:>", 30);
    t.send("\\c postgres://bob:hunter2@127.0.0.1:1/x\r");
    t.wait_text("Previous connection kept", 60);
    t.send("\\c mysql://bob:hunter3@127.0.0.1:1/x\r");
    t.wait_for("the second failure", 60, |s| {
        s.matches("Previous connection kept").count() == 2
    });
    t.send("select 'kept' as s;\r");
    t.wait_text("| kept", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    // The typed line shows what was typed; nothing dbsh printed repeats the password.
    let screen = t.screen();
    for line in screen.lines().filter(|l| !l.starts_with(":memory:>")) {
        assert!(!line.contains("hunter"), "{screen}");
    }
    let history = sb.path().join("data/dbsh/history");
    let saved = std::fs::read_to_string(&history).unwrap_or_default();
    assert!(saved.contains("select 'kept'"), "history works: {saved:?}");
    assert!(
        !saved.contains("hunter2") && !saved.contains("hunter3"),
        "{saved:?}"
    );

    let r = dbsh(&["postgres://bob:hunter2@127.0.0.1:1/x", "-c", "select 1"]);
    assert_ne!(r.code, 0);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    let r = dbsh(&["mysql://bob:hunter2@127.0.0.1:1/x", "-c", "select 1"]);
    assert_ne!(r.code, 0);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}

/// A value that came from the server through `\gset` and is printed with `\echo` shows its
/// escape bytes instead of obeying them.
#[test]
fn echo_of_a_server_value_never_puts_escape_on_the_screen() {
    let sb = crate::common::Sandbox::new();
    let mut t = sqlite_term(&sb, &["sqlite::memory:"]);
    t.wait_text(":memory:>", 30);
    t.send("select char(27) || ']0;pwned' || char(7) as v \\gset\r");
    t.send("\\echo :v\r");
    t.wait_text("pwned", 30);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(!raw.contains("\u{1b}]0;pwned"), "{raw:?}");
    assert!(raw.contains("\\x1b]0;pwned"), "{raw:?}");
}

#[test]
fn a_statement_typed_ahead_while_another_runs_is_submitted_by_its_enter() {
    let sb = crate::common::Sandbox::new();
    let mut t = sqlite_term(&sb, &["sqlite::memory:"]);
    t.wait_text(":memory:>", 30);
    t.send("select count(*) as big from (with recursive c(i) as (select 1 union all select i + 1 from c where i < 10000000) select i from c);\r");
    t.wait_for("the spinner", 60, |s| {
        s.lines()
            .any(|l| l.trim_end().ends_with(" s") && !l.contains('|'))
    });
    // Typed while the first one runs: it runs next, as in psql.
    t.send("select 6 * 7 as answer;\r");
    t.wait_text("10000000 |", 120);
    t.wait_text("42 |", 60);
    t.send("\\q\r");
    assert_eq!(t.wait_exit(30), 0);
}
