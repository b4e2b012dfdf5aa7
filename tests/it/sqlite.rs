//! SQLite and backend-independent CLI tests: the real binary, its stdout, stderr and exit code.

use crate::common::{dbsh, dbsh_stdin, Sandbox};

/// The Chinook sample database, in the repository (`tests/fixtures/chinook`).
const CHINOOK: &str = "tests/fixtures/chinook/Chinook_Sqlite.sqlite";

/// A copy of Chinook in `sb`, so that no test writes beside the repository's file.
fn chinook(sb: &Sandbox) -> String {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CHINOOK);
    let to = sb.path().join("chinook.sqlite");
    std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    to.display().to_string()
}

#[test]
fn table_output_with_row_count() {
    let r = dbsh(&[
        "-c",
        "select 1 as id, 'Alice' as name, null as note union all select 20, 'Bob', 'x'",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout, @r"
    +----+-------+--------+
    | id | name  | note   |
    +----+-------+--------+
    |  1 | Alice | <null> |
    | 20 | Bob   | x      |
    +----+-------+--------+
    2 rows
    ");
}

#[test]
fn every_format() {
    let sql = "select 1 as n, 'a,\"b\"' as t, null as z, 2.5 as f, x'cafe' as b";
    let out = |fmt: &str| {
        let r = dbsh(&["--format", fmt, "-c", sql]);
        assert_eq!(r.code, 0, "{fmt}: {}", r.stderr);
        r.stdout
    };
    assert_eq!(out("csv"), "n,t,z,f,b\n1,\"a,\"\"b\"\"\",,2.5,0xcafe\n");
    assert_eq!(out("tsv"), "n\tt\tz\tf\tb\n1\ta,\"b\"\t\\N\t2.5\t0xcafe\n");
    assert_eq!(
        out("json"),
        "[\n{\"n\":1,\"t\":\"a,\\\"b\\\"\",\"z\":null,\"f\":2.5,\"b\":\"0xcafe\"}\n]\n"
    );
    assert_eq!(
        out("jsonl"),
        "{\"n\":1,\"t\":\"a,\\\"b\\\"\",\"z\":null,\"f\":2.5,\"b\":\"0xcafe\"}\n"
    );
    assert_eq!(
        out("vertical"),
        "-[ RECORD 1 ]-\nn | 1\nt | a,\"b\"\nz | <null>\nf | 2.5\nb | 0xcafe\n1 row\n"
    );
    assert_eq!(
        out("markdown"),
        // NULL is an empty cell and no footer follows: the table goes into documents.
        "| n   | t     | z   | f   | b      |\n| --: | ----- | --- | --: | ------ |\n|   1 | a,\"b\" |     | 2.5 | 0xcafe |\n"
    );
    // -x is vertical too.
    assert!(dbsh(&["-x", "-c", "select 1 as a"])
        .stdout
        .starts_with("-[ RECORD 1 ]"));
}

#[test]
fn json_output_parses_with_a_real_parser() {
    let r = dbsh(&[
        "--format",
        "json",
        "-c",
        "select 'quote\" back\\ tab\t nl\n' as s, 1e100 as big, -0.5 as neg, 'é🦀' as u",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Python's json module is the ecosystem's parser of record here.
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import json,sys; d=json.load(sys.stdin); r=d[0]; assert r['s']=='quote\" back\\\\ tab\\t nl\\n', r; assert r['big']==1e100; assert r['neg']==-0.5; assert r['u']=='é🦀'; print('ok')",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut py) = py else {
        crate::common::skipped("SKIPPED: python3 not available to cross-check JSON");
        return;
    };
    use std::io::Write;
    py.stdin
        .take()
        .unwrap()
        .write_all(r.stdout.as_bytes())
        .unwrap();
    let out = py.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ok",
        "{}",
        r.stdout
    );
}

#[test]
fn errors_go_to_stderr_with_the_position_and_exit_1() {
    let r = dbsh(&["-c", "select 1;", "-c", "selec 2"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("1 row"), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "ERROR: near \"selec\": syntax error\nLINE 1: selec 2\n        ^\n"
    );
}

#[test]
fn scripts_stop_at_the_first_error_unless_told_to_go_on() {
    let script = "create table t(a);\ninsert into t values (1);\n\nselect nope from t;\ninsert into t values (2);\nselect count(*) as n from t;\n";
    let r = dbsh_stdin(&["--format", "csv"], script);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("<stdin>:4: ERROR: no such column: nope"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("n\n"), "{}", r.stdout);

    let r = dbsh_stdin(&["--format", "csv", "--continue-on-error"], script);
    assert_eq!(r.code, 1, "an error still shows in the exit code");
    assert!(r.stdout.ends_with("n\n2\n"), "{}", r.stdout);
}

#[test]
fn file_scripts_name_the_file_and_line() {
    let sb = Sandbox::new();
    let path = sb.path().join("s.sql");
    std::fs::write(&path, "select 1;\n-- comment\nselect * from missing;\n").unwrap();
    let r = crate::common::finish(
        sb.cmd()
            .args(["-f", path.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!(
            "{}:3: ERROR: no such table: missing",
            path.display()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn invalid_utf8_in_a_script_is_reported_with_its_offset() {
    let sb = Sandbox::new();
    let path = sb.path().join("bad.sql");
    std::fs::write(&path, b"select 1;\nselect '\xff\xfe';\n").unwrap();
    let r = crate::common::finish(
        sb.cmd()
            .args(["-f", path.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("invalid UTF-8 at byte 18 (line 2); nothing was run"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn connection_errors_exit_2() {
    let sb = Sandbox::new();
    let not_db = sb.path().join("notes.txt");
    std::fs::write(
        &not_db,
        "this is not a database, just text that is long enough",
    )
    .unwrap();
    let r = dbsh(&[not_db.to_str().unwrap(), "-c", "select 1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("file is not a database"), "{}", r.stderr);
    assert!(r.stderr.contains("not a SQLite database"), "{}", r.stderr);

    let r = dbsh(&["no_such_alias", "-c", "select 1"]);
    assert_eq!(r.code, 2);
    assert!(r
        .stderr
        .contains("neither a saved connection nor an existing file"));

    let r = dbsh(&["--format", "yaml"]);
    assert_eq!(r.code, 2, "usage errors exit 2");
}

#[test]
fn sqlite_urls_and_files() {
    let sb = Sandbox::new();
    let db = sb.path().join("app.db");
    let db = db.to_str().unwrap();
    for target in [db.to_string(), format!("sqlite://{db}")] {
        let r = crate::common::finish(
            sb.cmd()
                .args([
                    target.as_str(),
                    "-c",
                    "create table if not exists t(x); insert into t values (1)",
                ])
                .output()
                .unwrap(),
        );
        assert_eq!(r.code, 0, "{target}: {}", r.stderr);
    }
    let r = dbsh(&[db, "--format", "csv", "-c", "select count(*) as n from t"]);
    assert_eq!(r.stdout, "n\n2\n");
    let r = dbsh(&["sqlite::memory:", "--format", "csv", "-c", "select 7 as n"]);
    assert_eq!(r.stdout, "n\n7\n");
}

#[test]
fn a_closed_pipe_is_a_normal_exit() {
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .args([
            "--format",
            "csv",
            "-c",
            "with recursive c(x) as (select 1 union all select x+1 from c where x < 2000000) select x from c",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Read;
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        // Dropping our end closes the pipe, as `| head` does.
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn several_statements_on_one_line_run_in_order() {
    let r = dbsh(&[
        "--format",
        "csv",
        "-c",
        "select 1 as a; select 2 as b;select 3 as c",
    ]);
    assert_eq!(r.stdout, "a\n1\nb\n2\nc\n3\n");
}

#[test]
fn backslash_commands_in_scripts() {
    let sb = Sandbox::new();
    let out = sb.path().join("out.txt");
    let inc = sb.path().join("inc.sql");
    std::fs::write(&inc, "select 'from include' as src;\n").unwrap();
    let script = format!(
        "\\o {}\nselect 1 as to_file;\n\\o\n\\i {}\n\\pset null NULL\nselect null as n;\n\\T csv\nselect 5 as five;\n\\echo done\n",
        out.display(),
        inc.display()
    );
    let r = dbsh_stdin(&[], &script);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(file.contains("| to_file |"), "{file}");
    assert!(!r.stdout.contains("to_file"), "{}", r.stdout);
    assert!(r.stdout.contains("| from include |"), "{}", r.stdout);
    assert!(r.stdout.contains("| NULL |"), "{}", r.stdout);
    assert!(r.stdout.contains("five\n5\n"), "{}", r.stdout);
    assert!(r.stdout.ends_with("done\n"), "{}", r.stdout);

    let r = dbsh(&["-c", "\\nosuch"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("invalid command \\nosuch"),
        "{}",
        r.stderr
    );
    let r = dbsh(&["-c", "\\x sideways"]);
    assert!(
        r.stderr.contains("usage: \\x [on|off|auto]"),
        "{}",
        r.stderr
    );
}

#[test]
fn triggers_with_inner_semicolons_run_whole() {
    let script = "create table a(x); create table log(x);\n\
        create trigger t after insert on a begin\n  insert into log values (new.x);\n  insert into log values (new.x * 10);\nend;\n\
        insert into a values (2);\nselect sum(x) as s from log;\n";
    let r = dbsh_stdin(&["--format", "csv"], script);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.ends_with("s\n22\n"), "{}", r.stdout);
}

#[test]
fn chinook_sample_database() {
    let sb = Sandbox::new();
    let db = chinook(&sb);
    let sql = "select g.Name as genre, count(*) as tracks from Track t join Genre g using (GenreId) group by 1 order by 2 desc limit 3";
    let out = sb
        .cmd()
        .args([db.as_str(), "-c", sql])
        .output()
        .expect("run dbsh");
    let r = crate::common::finish(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout, @r"
    +-------+--------+
    | genre | tracks |
    +-------+--------+
    | Rock  |   1297 |
    | Latin |    579 |
    | Metal |    374 |
    +-------+--------+
    3 rows
    ");
}

#[test]
fn wide_characters_and_newlines_keep_the_table_aligned() {
    let r = dbsh(&[
        "-c",
        "select '日本語' as a, 'x' as b union all select 'two\nlines', '🦀'",
    ]);
    insta::assert_snapshot!(r.stdout, @r"
    +--------+----+
    | a      | b  |
    +--------+----+
    | 日本語 | x  |
    | two    | 🦀 |
    | lines  |    |
    +--------+----+
    2 rows
    ");
}

#[test]
fn an_unterminated_last_statement_is_sent_and_fails() {
    let sb = Sandbox::new();
    let path = sb.path().join("s.sql");
    std::fs::write(&path, "select 1;\nselect 'oops\n").unwrap();
    let r = crate::common::finish(
        sb.cmd()
            .args(["-f", path.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .starts_with(&format!("{}:2: ERROR: unrecognized token", path.display())),
        "{}",
        r.stderr
    );
}

#[test]
fn pset_border_and_linestyle_draw_tables_as_psql_numbers_them() {
    let r = dbsh(&[
        ":memory:",
        "-c",
        "\\pset border 0\nselect 1 as a, 'xx' as bb;\n\\pset border 1\nselect 1 as a;\n\\pset border 2\n\\pset linestyle unicode\nselect 1 as a;",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Border style is 0.\na bb\n- --\n1 xx\n1 row\n\
         Border style is 1.\na\n-\n1\n1 row\n\
         Border style is 2.\nLine style is unicode.\n┌───┐\n│ a │\n├───┤\n│ 1 │\n└───┘\n1 row\n"
    );
}
