//! Backslash commands and output control on each backend (see issue: Backslash commands
//! and output control, the same on all three backends): describe and list over a fixture
//! schema, patterns, dot commands, named queries, `\o`, `\i`, `\c`, `\watch`, usage
//! errors (SQLite here; the servers in postgres.rs and mysql.rs); in a pseudo-terminal
//! (pty.rs), `\x auto` on a narrow screen and the pager rule.

mod mysql;
mod postgres;
mod pty;

use crate::common::{finish, Run, Sandbox};

/// The fixture: two tables joined by a foreign key, checks, an index, a view.
pub const FIXTURE: &str = "
create table users (id integer primary key, email varchar(200) not null unique, name varchar(50) default 'anon', age int check (age > 0));
create table orders (id integer primary key, user_id int references users(id), total numeric(10,2), constraint total_pos check (total >= 0));
create index orders_user_idx on orders(user_id);
create view big_orders as select id, total from orders where total > 100;
";

pub fn run(sb: &Sandbox, args: &[&str]) -> Run {
    finish(sb.cmd().args(args).output().expect("run dbsh"))
}

/// A SQLite file with the fixture, in the sandbox.
fn sqlite_fixture(sb: &Sandbox) -> String {
    let db = sb.path().join("fx.db").display().to_string();
    let r = run(sb, &[&db, "-c", FIXTURE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    db
}

#[test]
fn sqlite_describe_shows_columns_indexes_checks_and_foreign_keys() {
    let sb = Sandbox::new();
    let db = sqlite_fixture(&sb);
    let r = run(&sb, &[&db, "-c", "\\d users", "-c", "\\d orders"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout, @r#"
    Table "main.users"
    +--------+--------------+----------+---------+
    | Column | Type         | Nullable | Default |
    +--------+--------------+----------+---------+
    | id     | INTEGER      |          |         |
    | email  | varchar(200) | not null |         |
    | name   | varchar(50)  |          | 'anon'  |
    | age    | INT          |          |         |
    +--------+--------------+----------+---------+
    Indexes:
        PRIMARY KEY (id)
        "sqlite_autoindex_users_1" UNIQUE CONSTRAINT (email)
    Check constraints:
        CHECK (age > 0)
    Referenced by:
        TABLE "orders" FOREIGN KEY (user_id) REFERENCES users(id)
    Table "main.orders"
    +---------+---------------+----------+---------+
    | Column  | Type          | Nullable | Default |
    +---------+---------------+----------+---------+
    | id      | INTEGER       |          |         |
    | user_id | INT           |          |         |
    | total   | numeric(10,2) |          |         |
    +---------+---------------+----------+---------+
    Indexes:
        PRIMARY KEY (id)
        "orders_user_idx" (user_id)
    Check constraints:
        "total_pos" CHECK (total >= 0)
    Foreign-key constraints:
        FOREIGN KEY (user_id) REFERENCES users(id)
    "#);
    // A view shows its definition; an unknown name is an error.
    let r = run(&sb, &[&db, "-c", "\\d big_orders"]);
    assert!(
        r.stdout.contains("View \"main.big_orders\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("View definition:\n    CREATE VIEW big_orders as select id, total"),
        "{}",
        r.stdout
    );
    let r = run(&sb, &[&db, "-c", "\\d nope"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("did not find any relation named \"nope\""),
        "{}",
        r.stderr
    );
}

#[test]
fn sqlite_describe_lists_the_triggers_on_a_table() {
    let sb = Sandbox::new();
    let db = sqlite_fixture(&sb);
    let r = run(
        &sb,
        &[
            &db,
            "-c",
            "create trigger users_audit after update on users begin select 1; end",
            "-c",
            "\\d users",
            "-c",
            "\\d orders",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (users, orders) = r.stdout.split_once("Table \"main.orders\"").unwrap();
    assert!(
        users.contains("Triggers:\n    users_audit after update on users begin select 1; end\n"),
        "{users}"
    );
    assert!(!orders.contains("Triggers:"), "{orders}");
}

#[test]
fn sqlite_lists_with_patterns_and_says_what_it_lacks() {
    let sb = Sandbox::new();
    let db = sqlite_fixture(&sb);
    let r = run(
        &sb,
        &[
            &db,
            "--format",
            "csv",
            "-c",
            "\\d",
            "-c",
            "\\dt",
            "-c",
            "\\dv",
            "-c",
            "\\dt USER*",
            "-c",
            "\\dt \"USER*\"",
            "-c",
            "\\di",
            "-c",
            "\\l",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let fx = sb.path().join("fx.db").display().to_string();
    assert_eq!(
        lines,
        [
            "Schema,Name,Type",
            "main,big_orders,view",
            "main,orders,table",
            "main,users,table",
            "Schema,Name,Type",
            "main,orders,table",
            "main,users,table",
            "Schema,Name,Type",
            "main,big_orders,view",
            // Unquoted patterns ignore case; quoted ones are exact.
            "Schema,Name,Type",
            "main,users,table",
            "Schema,Name,Type",
            "Schema,Name,Type,Table",
            "main,orders_user_idx,index,orders",
            "main,sqlite_autoindex_users_1,unique constraint,users",
            "Name,File",
            &format!("main,{fx}"),
            "temp,\"\"",
        ]
    );
    for (cmd, msg) in [
        ("\\dx", "\\dx: SQLite has no extensions catalog"),
        ("\\du", "\\du: SQLite has no roles"),
        ("\\dm", "\\dm: SQLite has no materialized views"),
        ("\\dT", "\\dT: SQLite has no user-defined types"),
    ] {
        let r = run(&sb, &[&db, "-c", cmd]);
        assert_eq!(r.code, 1, "{cmd}");
        assert!(r.stderr.contains(msg), "{cmd}: {}", r.stderr);
    }
    // A quote in a pattern is escaped, never SQL.
    let r = run(&sb, &[&db, "-c", "\\dt a'b*"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 rows"), "{}", r.stdout);
}

#[test]
fn sqlite_dot_commands() {
    let sb = Sandbox::new();
    let db = sqlite_fixture(&sb);
    let r = run(
        &sb,
        &[
            &db,
            "--format",
            "csv",
            "-c",
            ".tables",
            "-c",
            ".indexes orders",
            "-c",
            ".databases",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(
            "name\nbig_orders\norders\nusers\nname,table\norders_user_idx,orders\nname,file\nmain,"
        ),
        "{}",
        r.stdout
    );
    let r = run(&sb, &[&db, "-c", ".schema ord*"]);
    assert_eq!(
        r.stdout,
        "CREATE TABLE orders (id integer primary key, user_id int references users(id), total numeric(10,2), constraint total_pos check (total >= 0));\nCREATE INDEX orders_user_idx on orders(user_id);\n"
    );
    let r = run(&sb, &[&db, "-c", ".frobnicate"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown command .frobnicate"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_arguments_print_a_usage_line() {
    for (cmd, usage) in [
        ("\\x sideways", "usage: \\x [on|off|auto]"),
        ("\\timing maybe", "usage: \\timing [on|off]"),
        ("\\T nope", "usage: \\T [format]"),
        ("\\pset colour red", "usage: \\pset null TEXT"),
        ("\\watch -1", "usage: \\watch [seconds]"),
        ("\\ns lonely", "usage: \\ns name query"),
        ("\\nd", "usage: \\nd name"),
        ("\\i", "usage: \\i file"),
        ("\\dt a.b.c", "usage: \\dt[+] [pattern]"),
    ] {
        let r = crate::common::dbsh(&["-c", cmd]);
        assert_eq!(r.code, 1, "{cmd}");
        assert!(r.stderr.contains(usage), "{cmd}: {}", r.stderr);
    }
}

#[test]
fn help_lists_every_command_and_explains_one() {
    let r = crate::common::dbsh(&["-c", "\\?"]);
    assert_eq!(r.code, 0);
    for c in dbsh::shell::special::COMMANDS {
        assert!(r.stdout.contains(c.usage), "{} missing from \\?", c.name);
    }
    let r = crate::common::dbsh(&["-c", "\\? dt+"]);
    assert_eq!(r.stdout, "\\dt[+] [pattern]\n    list tables\n");
}

#[test]
fn expanded_and_format_settings() {
    let r = crate::common::dbsh(&[
        "-c",
        "\\x on",
        "-c",
        "select 1 as a, 2 as b",
        "-c",
        "\\x off",
        "-c",
        "\\pset format csv",
        "-c",
        "select 3 as c",
        "-c",
        "\\pset null (nil)",
        "-c",
        "\\T table",
        "-c",
        "select null as n",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Expanded display is on.\n-[ RECORD 1 ]-\na | 1\nb | 2\n1 row\nExpanded display is off.\nc\n3\nOutput format is table.\n+-------+\n| n     |\n+-------+\n| (nil) |\n+-------+\n1 row\n"
    );
    // While the output is CSV, status messages go to stderr (stdout stays parseable).
    assert!(
        r.stderr
            .contains("Output format is csv.\nNull display is \"(nil)\".\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn named_queries_round_trip_with_arguments() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            "-c",
            "\\ns greet select '$1' as who, $2 + 1 as n, '$*' as everything",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "Saved: greet\n");
    let path = sb.path().join("config/dbsh/named_queries.toml");
    let mode = std::fs::metadata(&path)
        .expect("store")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let r = run(
        &sb,
        &["--format", "csv", "-c", "\\n greet 'Ada Lovelace' 41"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "who,n,everything\nAda Lovelace,42,Ada Lovelace 41\n"
    );
    let r = run(&sb, &["-c", "\\n greet only-one"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("greet: needs 2 arguments, got 1"),
        "{}",
        r.stderr
    );
    let r = run(&sb, &["--format", "csv", "-c", "\\n"]);
    assert!(r.stdout.starts_with("Name,Query\ngreet,"), "{}", r.stdout);
    let r = run(&sb, &["-c", "\\nd greet", "-c", "\\n greet"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("Deleted: greet"), "{}", r.stdout);
    assert!(r.stderr.contains("no named query 'greet'"), "{}", r.stderr);
}

#[test]
fn output_to_a_file_and_include_a_script() {
    let sb = Sandbox::new();
    let out = sb.path().join("out.txt").display().to_string();
    let script = sb.path().join("s.sql");
    std::fs::write(
        &script,
        "create table t (x int);\ninsert into t values (7);\n\\echo from the script\n",
    )
    .unwrap();
    let r = run(
        &sb,
        &[
            "-c",
            &format!("\\i {}", script.display()),
            "-c",
            &format!("\\o {out}"),
            "-c",
            "select x from t",
            "-c",
            "\\d t",
            "-c",
            "\\o",
            "-c",
            "select 'screen' as s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(file.contains("| 7 |"), "{file}");
    assert!(file.contains("Table \"main.t\""), "{file}");
    assert!(!r.stdout.contains("| 7 |"), "{}", r.stdout);
    assert!(r.stdout.contains("from the script"));
    assert!(r.stdout.contains("screen"));
}

#[test]
fn sqlite_connect_switches_files_and_keeps_the_old_one_on_failure() {
    let sb = Sandbox::new();
    let db = sqlite_fixture(&sb);
    let other = sb.path().join("other.db").display().to_string();
    let dir = sb.path().display().to_string();
    let r = run(
        &sb,
        &[
            &db,
            "--format",
            "csv",
            "-c",
            &format!("\\c {other}"),
            "-c",
            "create table only_here (x int)",
            "-c",
            "\\dt",
            "-c",
            &format!("\\c {db}"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("You are now connected to database \"other.db\"."),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("main,only_here,table"), "{}", r.stdout);
    // A directory cannot be opened: the old connection stays and still works.
    let r = run(
        &sb,
        &[
            &db,
            "--format",
            "csv",
            "--continue-on-error",
            "-c",
            &format!("\\c {dir}"),
            "-c",
            "select count(*) as n from users",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Previous connection kept."),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "n\n0\n");
}

#[test]
fn watch_needs_a_query_first() {
    let r = crate::common::dbsh(&["-c", "\\watch 1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no query to repeat"), "{}", r.stderr);
}
