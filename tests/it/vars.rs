//! psql variables and conditionals (issue 14): `\set`, `:name` in its three quotings,
//! `\gset`, `\gexec`, `\if`, `\echo` argument quoting, `ON_ERROR_STOP`, `AUTOCOMMIT`,
//! `\restrict`, `-v`; compared with psql where one is at hand, and the same on SQLite and
//! MySQL.

use crate::common::{self, dbsh_stdin};
use crate::scripts::{dbsh_script, psql_script, PgSchema};

/// A script that prints only through `\echo`, so psql and dbsh output compare exactly.
const ECHO_SCRIPT: &str = r#"\set n 3
\set who 'O''Brien'
\set tbl 'My Table'
\echo 'x y' :n :'who' :"tbl" :nope
\echo -n no-newline
\echo
select :n + 1 as four, :'who' as who \gset q_
\echo :q_four :q_who
\if :{?q_four}
  \echo four-is-set
\elif true
  \echo never
\else
  \echo never
\endif
\if off
  \if :q_four
    \echo never
  \endif
  select no_such_function();
\elif yes
  \echo elif-ran
\endif
select 'select ' || g || ' as v' from (values (1)) t(g) \gexec
"#;

#[test]
fn echo_set_gset_and_if_print_what_psql_prints() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let (code, expected) = psql_script(&url, ECHO_SCRIPT);
    assert_eq!(code, 0);
    let run = dbsh_script(&url, ECHO_SCRIPT, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // \gexec's result is a table, drawn differently; the rest is text and must match.
    assert!(run.stdout.contains("| v |\n+---+\n| 1 |"), "{}", run.stdout);
    assert!(expected.contains(" v \n---\n 1\n(1 row)\n\n"), "{expected}");
    assert_eq!(
        run.stdout
            .replace("+---+\n| v |\n+---+\n| 1 |\n+---+\n1 row\n", ""),
        expected.replace(" v \n---\n 1\n(1 row)\n\n", "")
    );
}

#[test]
fn variables_work_on_sqlite() {
    let run = dbsh_stdin(
        &["sqlite::memory:"],
        "\\set n 3\nselect :n * 2 as d, :'n' || 'x' as s \\gset\n\\echo :d :s\n\\if :d\n\\echo never\n\\endif\n",
    );
    assert_eq!(run.stdout, "6 3x\n", "{}", run.stderr);
    assert!(run.stderr.contains("Boolean expected"), "{}", run.stderr);
}

#[test]
fn variables_work_on_mysql() {
    let Some(url) = common::mysql_url() else {
        return;
    };
    let run = dbsh_stdin(&[&url], "\\set n 3\nselect :n * 2 as d \\gset\n\\echo :d\n");
    assert_eq!(run.stdout, "6\n", "{}", run.stderr);
}

#[test]
fn dash_v_sets_a_variable() {
    let run = dbsh_stdin(
        &[
            "sqlite::memory:",
            "-v",
            "x=hello",
            "--set",
            "y=1",
            "--format",
            "csv",
        ],
        "select :'x' as x, :y as y;\n",
    );
    assert_eq!(run.stdout, "x,y\nhello,1\n", "{}", run.stderr);
}

#[test]
fn on_error_stop_off_goes_on_and_exits_0_like_psql() {
    let script = "\\set ON_ERROR_STOP off\nselect nope;\n\\echo after\n";
    let run = dbsh_stdin(&["sqlite::memory:"], script);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "after\n"),
        "{}",
        run.stderr
    );
    let script = "\\set ON_ERROR_STOP on\nselect nope;\n\\echo after\n";
    let run = dbsh_stdin(&["sqlite::memory:", "--continue-on-error"], script);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    if let Some(url) = common::postgres_url() {
        let (code, out) = psql_script(
            &url,
            "\\set ON_ERROR_STOP off\nselect nope;\n\\echo after\n",
        );
        assert_eq!((code, out.as_str()), (0, "after\n"));
    }
}

#[test]
fn autocommit_off_leaves_work_uncommitted_as_psql() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let schema = PgSchema::new(&url);
    let s = &schema.name;
    let script = |t: &str| format!("\\set AUTOCOMMIT off\ncreate table {s}.{t}(a int);\n");
    psql_script(&url, &script("p"));
    let run = dbsh_script(&url, &script("d"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = format!(
        "select count(*) as n from information_schema.tables where table_schema = '{s}' \\gset\n\\echo :n\n"
    );
    assert_eq!(psql_script(&url, &check).1, "0\n");
    assert_eq!(dbsh_script(&url, &check, &[]).stdout, "0\n");
}

#[test]
fn restrict_allows_no_other_backslash_command_until_unrestrict() {
    let run = dbsh_stdin(
        &["sqlite::memory:", "--continue-on-error"],
        "\\restrict k3y\n\\echo refused\nselect 1 as sql_still_runs;\n\\unrestrict wrong\n\\unrestrict k3y\n\\echo allowed\n",
    );
    assert!(!run.stdout.contains("refused"), "{}", run.stdout);
    assert!(run.stdout.contains("sql_still_runs"));
    assert!(run.stdout.ends_with("allowed\n"), "{}", run.stdout);
    assert!(run.stderr.contains("restricted"), "{}", run.stderr);
}

#[test]
fn an_unclosed_if_fails_the_script() {
    let run = dbsh_stdin(&["sqlite::memory:"], "\\if true\n\\echo in\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("\\endif"), "{}", run.stderr);
}

#[test]
fn a_lone_g_command_reruns_the_previous_statement() {
    let run = dbsh_stdin(
        &["sqlite::memory:", "--format", "csv"],
        "select 41 + 1 as v;\n\\gset p_\n\\echo :p_v\n",
    );
    assert_eq!(run.stdout, "v\n42\n42\n", "{}", run.stderr);
}

#[test]
fn connect_to_a_file_path_from_a_server_session_opens_sqlite() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    let run = dbsh_stdin(
        &[&url, "--format", "csv", "-q"],
        &format!(
            "\\c {}\ncreate table t(a);\ninsert into t values (7);\nselect a from t;\n",
            db.display()
        ),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.ends_with("a\n7\n"), "{}", run.stdout);
    assert!(db.exists());
}

#[test]
fn quiet_leaves_out_command_tags_but_not_rows() {
    let run = dbsh_stdin(
        &["sqlite::memory:", "-q"],
        "create table x(a);\ninsert into x values (1);\n\\x\nselect a from x;\n",
    );
    assert_eq!(
        run.stdout, "-[ RECORD 1 ]-\na | 1\n1 row\n",
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr, "");
}
