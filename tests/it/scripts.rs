//! Scripts written for psql run the same through dbsh (issue 14): `COPY … FROM STDIN` with
//! inline data, `COPY … TO STDOUT`, errors that name the data line. Each test runs the same
//! script through `psql` and `dbsh` and compares.

use std::process::Command;

use crate::common::{self, unique_name, Run, Sandbox};

/// Run `psql -X -q -f FILE` on `script` (in `schema`); (exit code, stdout).
pub fn psql_script(url: &str, script: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("script.sql");
    std::fs::write(&file, script).expect("write script");
    let out = Command::new("psql")
        .args([url, "-X", "-q", "-f"])
        .arg(&file)
        .output()
        .expect("run psql");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Run `dbsh URL -f FILE ARGS` on `script`.
pub fn dbsh_script(url: &str, script: &str, args: &[&str]) -> Run {
    let sb = Sandbox::new();
    let file = sb.path().join("script.sql");
    std::fs::write(&file, script).expect("write script");
    common::finish(
        sb.cmd()
            .arg(url)
            .arg("-f")
            .arg(&file)
            .args(args)
            .output()
            .expect("run dbsh"),
    )
}

/// A PostgreSQL schema of the test's own, dropped at the end.
pub struct PgSchema {
    url: String,
    pub name: String,
}

impl PgSchema {
    pub fn new(url: &str) -> PgSchema {
        let name = unique_name("dbsh_scr");
        let out = Command::new("psql")
            .args([url, "-X", "-qc", &format!("create schema {name}")])
            .output()
            .expect("psql");
        assert!(out.status.success());
        PgSchema {
            url: url.to_string(),
            name,
        }
    }
}

impl Drop for PgSchema {
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

#[test]
fn copy_from_stdin_data_and_copy_to_stdout_match_psql() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    let script = |table: &str| {
        format!(
            "set search_path to {s};\ncreate table {table}(a int, b text);\nCOPY {table} (a, b) FROM stdin;\n1\tone\n2\t\\N\n3\ttab\\there\n\\.\ncopy {table} to stdout;\ncopy (select * from {table} order by a) to stdout with (format csv, header);\nselect count(*) as n from {table} \\gset\n\\echo rows :n\n"
        )
    };
    let (code, expected) = psql_script(&url, &script("by_psql"));
    assert_eq!(code, 0);
    let run = dbsh_script(&url, &script("by_dbsh"), &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);
    assert!(expected.contains("3\ttab\\there\n"), "{expected}");
}

#[test]
fn a_bad_copy_line_is_named_and_nothing_is_loaded() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    let script = format!(
        "set search_path to {s};\ncreate table t(a int);\ncopy t from stdin;\n1\n2\nx\n4\n\\.\nselect 'not reached';\n"
    );
    let run = dbsh_script(&url, &script, &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("script.sql:6:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("line 3, column a: \"x\""),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("not reached"));
    let count = dbsh_script(
        &url,
        &format!("select count(*) from {s}.t;"),
        &["--format", "csv"],
    );
    assert_eq!(count.stdout, "count\n0\n");
}

#[test]
fn copy_data_that_no_copy_took_is_skipped_never_run_as_sql() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    // A COPY that fails before reading, and one in a branch \if skips: their data lines
    // (one looks like SQL) must not reach the server; psql would run them as statements.
    let script = format!(
        "set search_path to {s};\ncreate table t(a text);\n\
         copy nosuch from stdin;\ndrop table t;\n\\.\n\
         \\if false\ncopy t from stdin;\ndrop table t;\n\\.\n\\endif\n\
         copy t from stdin;\nkept\n\\.\n\
         select a from t;\n"
    );
    let run = dbsh_script(&url, &script, &["--format", "csv", "--continue-on-error"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("script.sql:3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("\"nosuch\" does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("ERROR").count(), 1, "{}", run.stderr);
    assert!(run.stdout.ends_with("a\nkept\n"), "{}", run.stdout);
}

#[test]
fn a_script_bigger_than_any_chunk_streams_its_copy_data_and_numbers_lines_across_it() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    let mut script =
        format!("set search_path to {s};\ncreate table t(a int);\ncopy t from stdin;\n");
    for i in 0..50_000 {
        script.push_str(&format!("{i}\n"));
    }
    script.push_str("\\.\nselect count(*) as n from t;\nselect 1/0;\n");
    let run = dbsh_script(&url, &script, &["--format", "csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.ends_with("n\n50000\n"), "{}", run.stdout);
    // The failing statement is named by its line in the whole script.
    assert!(run.stderr.contains("script.sql:50006:"), "{}", run.stderr);
}

#[test]
fn copy_to_stdout_follows_the_o_file() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let sb = Sandbox::new();
    let out = sb.path().join("out.txt");
    let script = format!(
        "\\o {}\ncopy (select g from generate_series(1,3) g) to stdout;\n\\o\n\\echo done\n",
        out.display()
    );
    let run = dbsh_script(&url, &script, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "done\n");
    assert_eq!(std::fs::read_to_string(out).unwrap(), "1\n2\n3\n");
}

#[test]
fn expanded_csv_and_null_text_match_psql_and_status_goes_to_stderr() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let script = "\\pset null NUL\n\\x\nselect 1 as a, null as b union all select 3, 4;\n\\x off\nselect null as n, '' as e;\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.sql");
    std::fs::write(&file, script).unwrap();
    let psql = Command::new("psql")
        .args([&url, "-X", "--csv", "-f"])
        .arg(&file)
        .output()
        .unwrap();
    // psql prints its status lines on stdout; dbsh keeps stdout to the data.
    let expected: String = String::from_utf8_lossy(&psql.stdout)
        .lines()
        .filter(|l| !l.contains(" display is "))
        .map(|l| format!("{l}\n"))
        .collect();
    let run = dbsh_script(&url, script, &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Expanded display is on."),
        "{}",
        run.stderr
    );
    // Deliberate difference (README): dbsh writes an empty string as "" so it differs from NULL.
    assert_eq!(run.stdout, expected.replace("NUL,\n", "NUL,\"\"\n"));
    let quiet = dbsh_script(&url, script, &["--format", "csv", "-q"]);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn pg_environment_and_a_positional_db_name_mean_postgres_as_in_psql() {
    let Some(_url) = common::postgres_url() else {
        return;
    };
    let sb = Sandbox::new();
    let run = common::finish(
        sb.cmd()
            .env("PGHOST", "127.0.0.1")
            .env("PGUSER", "postgres")
            .args(["-c", "select current_database() as db", "--format", "csv"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.stdout, "db\npostgres\n", "{}", run.stderr);
    let run = common::finish(
        sb.cmd()
            .current_dir(sb.path())
            .args(["-h", "127.0.0.1", "-U", "postgres", "template1"])
            .args(["-c", "select current_database() as db", "--format", "csv"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.stdout, "db\ntemplate1\n", "{}", run.stderr);
    let run = common::finish(
        sb.cmd()
            .args(["-h", "127.0.0.1", "-U", "postgres", "-l", "--format", "csv"])
            .output()
            .unwrap(),
    );
    assert!(run.stdout.contains("\ntemplate0,"), "{}", run.stdout);
}

#[test]
fn function_and_view_source_privileges_and_syntax_help() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    let script = format!(
        "create function {s}.add1(i int) returns int language sql as $$ select i + 1 $$;\ncreate view {s}.v as select 1 as one;\n\\sf {s}.add1\n\\sv {s}.v\n\\dp {s}.v\n\\h insert\n"
    );
    let run = dbsh_script(&url, &script, &["-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("CREATE OR REPLACE FUNCTION {s}.add1(i integer)")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "CREATE OR REPLACE VIEW {s}.v AS\n SELECT 1 AS one;"
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Access privileges"), "{}", run.stdout);
    assert!(run.stdout.contains("INSERT INTO table"), "{}", run.stdout);
}

#[test]
fn an_unknown_backslash_word_is_refused_whole() {
    let run = common::dbsh(&["sqlite::memory:", "-c", "\\gsetx"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("invalid command \\gsetx"),
        "{}",
        run.stderr
    );
}

#[test]
fn mysql_client_commands_status_and_use() {
    let Some(url) = common::mysql_url() else {
        return;
    };
    let run = common::dbsh_stdin(
        &[&url, "--format", "csv"],
        "\\s\ncharset utf8mb4;\nstatus;\n\\u information_schema\nselect database() as db;\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Current database:\ttest"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("db\ninformation_schema\n"),
        "{}",
        run.stdout
    );
}

/// `\copy` in and out, then a bad file, on one backend; the exported file and the report.
fn copy_round_trip(target: &str, table: &str) -> (String, Run) {
    let sb = Sandbox::new();
    let input = sb.path().join("in.csv");
    let bad = sb.path().join("bad.csv");
    let out = sb.path().join("out.csv");
    std::fs::write(&input, "a,b\n1,\"x,y\"\n2,\n3,\"\"\n4,\"two\nlines\"\n").unwrap();
    std::fs::write(&bad, "a,b\n10,fine\n1,duplicate\n").unwrap();
    let script = format!(
        "drop table if exists {table};\ncreate table {table}(a int primary key, b text);\n\\copy {table} from '{}' with (format csv, header)\n\\copy (select * from {table} order by a) to '{}' with (format csv, header)\n\\copy {table} from '{}' csv header\n",
        input.display(),
        out.display(),
        bad.display()
    );
    let run = common::dbsh_stdin(&[target, "-q", "--continue-on-error"], &script);
    let count = common::dbsh(&[
        target,
        "--format",
        "csv",
        "-c",
        &format!("select count(*) as n from {table}"),
    ]);
    let _ = common::dbsh(&[target, "-c", &format!("drop table {table}")]);
    assert_eq!(
        count.stdout, "n\n4\n",
        "nothing of the bad file is kept: {}",
        count.stderr
    );
    (std::fs::read_to_string(out).unwrap_or_default(), run)
}

#[test]
fn backslash_copy_round_trips_and_reports_the_first_bad_line_on_every_backend() {
    let expected = "a,b\n1,\"x,y\"\n2,\n3,\"\"\n4,\"two\nlines\"\n";
    let sb = Sandbox::new();
    let db = sb.path().join("c.db");
    let (file, run) = copy_round_trip(db.to_str().unwrap(), "cpt");
    assert_eq!(file, expected);
    assert!(
        run.stderr.contains("bad.csv:3:"),
        "{} | {}",
        run.stderr,
        run.stdout
    );
    assert!(run.stderr.contains("nothing was loaded"), "{}", run.stderr);
    if let Some(url) = common::mysql_url() {
        let table = unique_name("cpt");
        let (file, run) = copy_round_trip(&url, &table);
        assert_eq!(file, expected);
        assert!(run.stderr.contains("bad.csv:3:"), "{}", run.stderr);
    }
    if let Some(url) = common::postgres_url() {
        let schema = PgSchema::new(&url);
        let (file, run) = copy_round_trip(&url, &format!("{}.cpt", schema.name));
        assert_eq!(file, expected);
        // The server names the line of the file.
        assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    }
}

#[test]
fn sqlite_csv_matches_the_sqlite3_shell_byte_for_byte() {
    let sb = Sandbox::new();
    let db = sb.path().join("r.db");
    let setup = "create table t(i int, r real, s text); insert into t values (1, 1.5, 'a,b'), (2, 1e20, ''), (NULL, 0.1, 'q\"x'), (3, 100.0, 'line\ntwo'), (4, 3.141592653589793, NULL), (5, 1e-5, 'x');";
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(setup)
        .output()
        .expect("sqlite3");
    assert!(out.status.success());
    let query = "select * from t";
    let native = Command::new("sqlite3")
        .args(["-csv", "-header"])
        .arg(&db)
        .arg(query)
        .output()
        .expect("sqlite3");
    let run = common::dbsh(&[db.to_str().unwrap(), "--format", "csv", "-c", query]);
    assert_eq!(run.stdout, String::from_utf8_lossy(&native.stdout));
}

#[test]
fn mysql_tsv_matches_mariadb_batch_byte_for_byte() {
    let Some(url) = common::mysql_url() else {
        return;
    };
    let query = "select 1 as i, 1.5 as d, cast(2.25 as double) as f, null as n, '' as e, 'a\\tb' as t, 'x\\\\y' as bs, 'l1\\nl2' as nl";
    let native = Command::new("mariadb")
        .args([
            "-h",
            "127.0.0.1",
            "-u",
            "root",
            "test",
            "--batch",
            "-e",
            query,
        ])
        .output()
        .expect("mariadb");
    let run = common::dbsh(&[&url, "--format", "tsv", "-c", query]);
    assert_eq!(run.stdout, String::from_utf8_lossy(&native.stdout));
}

/// At the prompt, as in psql: Enter on `COPY … FROM STDIN;` sends it, then rows are typed
/// on `>>` lines (a Tab is a column separator, not completion) up to `\.`.
#[test]
fn copy_from_stdin_at_the_prompt_reads_typed_rows_until_backslash_dot() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let table = unique_name("copy_prompt");
    let r = common::dbsh(&[&url, "-c", &format!("create table {table} (a int, b text)")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(&url);
    let mut t = crate::pty::Term::spawn(cmd, 24, 100);
    t.wait_for("the prompt", 60, |s| {
        s.lines().any(|l| l.trim_end().ends_with('>'))
    });
    t.send(&format!("COPY {table} FROM stdin;\r"));
    t.wait_text(">>", 60);
    t.send("1\tx\r");
    t.send("2\ty\r");
    t.send("\\.\r");
    t.wait_text("COPY 2", 60);
    t.ctrl_d();
    t.wait_exit(60);
    let count = common::dbsh(&[
        &url,
        "--format",
        "csv",
        "-c",
        &format!("select string_agg(a || b, ' ' order by a) from {table}"),
    ]);
    common::dbsh(&[&url, "-c", &format!("drop table {table}")]);
    assert_eq!(count.stdout, "string_agg\n1x 2y\n", "{}", count.stderr);
}

#[test]
fn pset_format_unaligned_prints_what_psql_a_prints() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let script = "\\pset format unaligned\nselect 1 as a, 'x|y' as b, null as c union all select 2, 'q\"r', null;\nselect 1 as one;\n\\pset null N\nselect null as n, '' as e;\n";
    let (code, expected) = psql_script(&url, script);
    assert_eq!(code, 0);
    let run = dbsh_script(&url, script, &["-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, expected);
    assert!(
        expected.starts_with("a|b|c\n1|x|y|\n2|q\"r|\n(2 rows)\n"),
        "{expected}"
    );
}

/// `\copy` inside the user's transaction: the user's work stays uncommitted (a BEGIN would
/// commit it on MySQL), a bad file takes back only its own rows.
fn copy_inside_a_transaction(target: &str, table: &str) {
    let sb = Sandbox::new();
    let good = sb.path().join("good.csv");
    let bad = sb.path().join("bad.csv");
    std::fs::write(&good, "2,b\n3,c\n").unwrap();
    std::fs::write(&bad, "4,d\n1,duplicate\n").unwrap();
    let _ = common::dbsh(&[target, "-c", &format!("drop table if exists {table}")]);
    let script = format!(
        "create table {table}(a int primary key, b text);\n\
         begin;\ninsert into {table} values (1, 'a');\n\
         \\copy {table} from '{}' csv\n\
         \\copy {table} from '{}' csv\n\
         select count(*) as in_tx from {table};\n\
         rollback;\n\
         select count(*) as after from {table};\n",
        good.display(),
        bad.display()
    );
    let run = common::dbsh_stdin(&[target, "--format", "csv", "--continue-on-error"], &script);
    let _ = common::dbsh(&[target, "-c", &format!("drop table {table}")]);
    assert!(run.stderr.contains("bad.csv:2:"), "{}", run.stderr);
    // Rows 1-3 inside the transaction (not 4: the bad file's rows went), none after ROLLBACK.
    assert!(
        run.stdout.contains("in_tx\n3\n"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains("after\n0\n"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn backslash_copy_inside_a_transaction_neither_commits_it_nor_keeps_a_bad_file() {
    let sb = Sandbox::new();
    let db = sb.path().join("t.db");
    copy_inside_a_transaction(db.to_str().unwrap(), "cpx");
    if let Some(url) = common::mysql_url() {
        copy_inside_a_transaction(&url, &unique_name("cpx"));
    }
}

#[test]
fn a_long_backslash_copy_shows_its_progress_on_the_terminal() {
    let sb = Sandbox::new();
    let db = sb.path().join("p.db");
    let data = sb.path().join("big.csv");
    let mut text = String::new();
    for i in 0..800_000 {
        text.push_str(&format!("{i},row number {i}\n"));
    }
    std::fs::write(&data, text).unwrap();
    let db = db.to_str().unwrap();
    common::dbsh(&[db, "-c", "create table big(id integer, name text)"]);
    let mut t = crate::pty::sqlite_term(&sb, &[db]);
    t.wait_prompt("p.db>", 30);
    t.send(&format!("\\copy big from '{}' csv\r", data.display()));
    t.wait_for("the progress line", 120, |s| {
        s.lines()
            .any(|l| l.contains("big.csv': ") && l.contains("% of ") && l.contains(" lines, "))
    });
    t.wait_text("COPY 800000", 120);
    // Wiped when done: the result stands alone.
    assert!(!t.screen().contains("% of "), "{}", t.screen());
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
