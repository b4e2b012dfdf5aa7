//! Backslash commands and output control on each backend (see issue: Backslash commands
//! and output control, the same on all three backends): describe and list over a fixture
//! schema, patterns, dot commands, named queries, `\o`, `\i`, `\c`, `\watch`, usage
//! errors; in a pseudo-terminal, `\x auto` on a narrow screen and the pager rule.

use crate::common::{finish, mysql_url, postgres_url, unique_name, Run, Sandbox};
use crate::pty::Term;
use std::process::{Command, Stdio};

/// The fixture: two tables joined by a foreign key, checks, an index, a view.
const FIXTURE: &str = "
create table users (id integer primary key, email varchar(200) not null unique, name varchar(50) default 'anon', age int check (age > 0));
create table orders (id integer primary key, user_id int references users(id), total numeric(10,2), constraint total_pos check (total >= 0));
create index orders_user_idx on orders(user_id);
create view big_orders as select id, total from orders where total > 100;
";

fn run(sb: &Sandbox, args: &[&str]) -> Run {
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
    for c in dbsh::special::COMMANDS {
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
        "Expanded display is on.\n-[ RECORD 1 ]-\na | 1\nb | 2\n1 row\nExpanded display is off.\nOutput format is csv.\nc\n3\nNull display is \"(nil)\".\nOutput format is table.\n+-------+\n| n     |\n+-------+\n| (nil) |\n+-------+\n1 row\n"
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
fn watch_repeats_the_last_query_until_interrupted() {
    let sb = Sandbox::new();
    let mut t = crate::pty::sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("select 'tick' as w;\r");
    t.wait_text("1 row", 5);
    t.send("\\watch 0.2\r");
    t.wait_for("three runs", 10, |s| s.matches("(every 0.2s)").count() >= 3);
    t.send("\x03");
    t.wait_prompt(":memory:>", 5);
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 5);
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn expanded_auto_goes_vertical_only_when_the_table_is_too_wide() {
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.env("PAGER", "cat");
    let mut t = Term::spawn(cmd, 30, 40);
    t.wait_text(":memory:>", 10);
    t.send("\\x auto\r");
    t.wait_text("automatically", 5);
    t.send("select 1 as a, 2 as b;\r");
    t.wait_text("| a | b |", 5);
    t.send("select 'a value wide enough' as first, 'to pass forty columns' as second;\r");
    t.wait_text("-[ RECORD 1 ]", 5);
    let screen = t.screen();
    assert!(screen.contains("first  | a value wide enough"), "{screen}");
    assert!(
        screen.contains("second | to pass forty columns"),
        "{screen}"
    );
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn the_pager_is_used_only_when_output_is_taller_than_the_screen() {
    let sb = Sandbox::new();
    let paged = sb.path().join("paged.txt");
    let pager = sb.path().join("pager.sh");
    std::fs::write(&pager, format!("#!/bin/sh\ncat >> '{}'\n", paged.display())).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pager, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut cmd = sb.cmd();
    cmd.env("PAGER", &pager);
    let mut t = Term::spawn(cmd, 20, 80);
    t.wait_text(":memory:>", 10);
    t.send("select 'short' as s;\r");
    t.wait_text("1 row", 5);
    assert!(!paged.exists(), "a short result went through the pager");
    t.send("with recursive c(x) as (select 1 union all select x + 1 from c where x < 50) select x from c;\r");
    t.wait_for("the pager to run", 5, |_| {
        std::fs::read_to_string(&paged).is_ok_and(|p| p.contains("50 rows"))
    });
    assert!(!t.screen().contains("50 rows"), "{}", t.screen());
    // \pager off: long output stays on the screen.
    t.send("\\pager off\r");
    t.wait_text("Pager usage is off.", 5);
    t.send("with recursive c(x) as (select 1 union all select x + 1 from c where x < 40) select x from c;\r");
    t.wait_text("40 rows", 5);
    let text = std::fs::read_to_string(&paged).unwrap();
    assert!(!text.contains("40 rows"), "{text}");
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

// ---- PostgreSQL ----

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A schema of the test's own holding the fixture, dropped when the test ends.
struct PgSchema {
    url: String,
    name: String,
}

impl PgSchema {
    fn new(url: &str) -> PgSchema {
        let name = unique_name("dbsh_sp");
        psql(
            url,
            &format!("create schema {name}; set search_path to {name}; {FIXTURE}"),
        );
        PgSchema {
            url: url.into(),
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
            .stderr(Stdio::null())
            .output();
    }
}

#[test]
fn postgres_describe_shows_columns_indexes_and_foreign_keys() {
    let Some(url) = postgres_url() else { return };
    let s = PgSchema::new(&url);
    let sp = format!("set search_path to {}", s.name);
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[&url, "-c", &sp, "-c", "\\d users", "-c", "\\d orders"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.replace(&s.name, "SCHEMA");
    insta::assert_snapshot!(text, @r#"
    SET
    Table "SCHEMA.users"
    +--------+------------------------+-----------+----------+---------------------------+
    | Column | Type                   | Collation | Nullable | Default                   |
    +--------+------------------------+-----------+----------+---------------------------+
    | id     | integer                |           | not null |                           |
    | email  | character varying(200) |           | not null |                           |
    | name   | character varying(50)  |           |          | 'anon'::character varying |
    | age    | integer                |           |          |                           |
    +--------+------------------------+-----------+----------+---------------------------+
    Indexes:
        "users_pkey" PRIMARY KEY, btree (id)
        "users_email_key" UNIQUE CONSTRAINT, btree (email)
    Check constraints:
        "users_age_check" CHECK (age > 0)
    Referenced by:
        TABLE "orders" CONSTRAINT "orders_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id)
    Table "SCHEMA.orders"
    +---------+---------------+-----------+----------+---------+
    | Column  | Type          | Collation | Nullable | Default |
    +---------+---------------+-----------+----------+---------+
    | id      | integer       |           | not null |         |
    | user_id | integer       |           |          |         |
    | total   | numeric(10,2) |           |          |         |
    +---------+---------------+-----------+----------+---------+
    Indexes:
        "orders_pkey" PRIMARY KEY, btree (id)
        "orders_user_idx" btree (user_id)
    Check constraints:
        "total_pos" CHECK (total >= 0::numeric)
    Foreign-key constraints:
        "orders_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id)
    "#);
    // Qualified, case-insensitive pattern; a view's definition; \d+ details.
    let r = run(&sb, &[&url, "-c", &format!("\\d+ {}.BIG_*", s.name)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("View definition:\n     SELECT orders.id,"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("| Description |"), "{}", r.stdout);
    assert!(r.stdout.contains("Size: "), "{}", r.stdout);
}

#[test]
fn postgres_list_commands() {
    let Some(url) = postgres_url() else { return };
    let s = PgSchema::new(&url);
    psql(&url, &format!("set search_path to {n}; create materialized view mv as select 1 as x; create sequence seq1; create type mood as enum ('sad', 'ok'); create function add1(int) returns int language sql as 'select $1 + 1'", n = s.name));
    let sb = Sandbox::new();
    let n = &s.name;
    let r = run(
        &sb,
        &[
            &url,
            "--format",
            "csv",
            "-c",
            &format!("\\dt {n}.*"),
            "-c",
            &format!("\\dv {n}.*"),
            "-c",
            &format!("\\dm {n}.*"),
            "-c",
            &format!("\\di {n}.orders*"),
            "-c",
            &format!("\\ds {n}.*"),
            "-c",
            &format!("\\dn {n}"),
            "-c",
            &format!("\\df {n}.add*"),
            "-c",
            &format!("\\dT {n}.*"),
            "-c",
            "\\du postgres",
            "-c",
            "\\l postgres",
            "-c",
            "\\dx plpgsql",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = r.stdout.replace(n.as_str(), "S");
    for want in [
        "Schema,Name,Type,Owner\nS,orders,table,",
        "\nS,users,table,",
        "Schema,Name,Type,Owner\nS,big_orders,view,",
        "Schema,Name,Type,Owner\nS,mv,materialized view,",
        "Schema,Name,Type,Owner,Table\nS,orders_pkey,index,",
        "\nS,orders_user_idx,index,",
        "Schema,Name,Type,Owner\nS,seq1,sequence,",
        "Name,Owner\nS,",
        "Schema,Name,Result data type,Argument data types,Type\nS,add1,integer,integer,func\n",
        "Schema,Name,Description\nS,S.mood,\n",
        "Role name,Attributes\npostgres,\"Superuser, Create role, Create DB, Replication, Bypass RLS\"\n",
        "Name,Owner,Encoding,Collate,Ctype,Access privileges\npostgres,",
        "Name,Version,Schema,Description\nplpgsql,1.0,pg_catalog,PL/pgSQL procedural language\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // The relations of other schemas stay out of a schema-qualified listing.
    assert!(!text.contains("pg_class"), "{text}");
}

#[test]
fn postgres_connect_switches_database_and_conninfo_hides_the_password() {
    let Some(url) = postgres_url() else { return };
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url,
            "-c",
            "\\c template1",
            "-c",
            "select current_database()",
            "-c",
            "\\conninfo",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("You are now connected to database \"template1\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("| template1        |"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("You are connected to postgres database \"template1\""),
        "{}",
        r.stdout
    );
    // A database that does not exist: the old connection stays.
    let r = run(
        &sb,
        &[
            &url,
            "--continue-on-error",
            "-c",
            "\\c no_such_db_here",
            "-c",
            "select current_database() = current_database() as ok",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Previous connection kept."),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("| t  |"), "{}", r.stdout);
    // A password in the URL never shows.
    let with_pw = url.replacen("://postgres@", "://postgres:sekrit-pw@", 1);
    let r = run(&sb, &[&with_pw, "-c", "\\conninfo"]);
    assert!(
        !r.stdout.contains("sekrit-pw") && !r.stderr.contains("sekrit-pw"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

// ---- MySQL / MariaDB ----

/// (user, password, host, port) of a `mysql://user[:pw]@host:port/db` URL.
fn mysql_parts(url: &str) -> (String, Option<String>, String, String) {
    let rest = url.split("://").nth(1).unwrap_or("");
    let auth_host = rest.split('/').next().unwrap_or("");
    let (auth, hostport) = auth_host.rsplit_once('@').unwrap_or(("root", auth_host));
    let (user, pw) = match auth.split_once(':') {
        Some((u, p)) => (u.to_string(), Some(p.to_string())),
        None => (auth.to_string(), None),
    };
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
    (user, pw, host.into(), port.into())
}

fn mysql_cli(url: &str, sql: &str) {
    let (user, pw, host, port) = mysql_parts(url);
    let mut c = Command::new("mysql");
    c.args(["-u", &user, "-h", &host, "-P", &port, "-e", sql]);
    if let Some(p) = pw {
        c.env("MYSQL_PWD", p);
    }
    let out = c.output().expect("run mysql");
    assert!(
        out.status.success(),
        "mysql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A database of the test's own holding the fixture, dropped when the test ends.
struct MyDb {
    url: String,
    name: String,
}

impl Drop for MyDb {
    fn drop(&mut self) {
        let (user, pw, host, port) = mysql_parts(&self.url);
        let mut c = Command::new("mysql");
        c.args([
            "-u",
            &user,
            "-h",
            &host,
            "-P",
            &port,
            "-e",
            &format!("drop database if exists {}", self.name),
        ]);
        if let Some(p) = pw {
            c.env("MYSQL_PWD", p);
        }
        let _ = c.output();
    }
}

/// The URL of a fresh fixture database, or None when MySQL is down or dbsh's MySQL
/// backend is not built in yet.
fn mysql_fixture() -> Option<(MyDb, String)> {
    let url = mysql_url()?;
    let name = unique_name("dbsh_sp");
    mysql_cli(
        &url,
        &format!("create database {name}; use {name}; {FIXTURE}"),
    );
    let db = MyDb {
        url: url.clone(),
        name: name.clone(),
    };
    let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
    let db_url = format!("{base}/{name}");
    let probe = crate::common::dbsh(&[&db_url, "-c", "select 1"]);
    if probe.stderr.contains("not built yet") {
        eprintln!("SKIPPED: dbsh's mysql backend is not built yet");
        return None;
    }
    Some((db, db_url))
}

#[test]
fn mysql_describe_shows_columns_indexes_and_foreign_keys() {
    let Some((_db, url)) = mysql_fixture() else {
        return;
    };
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url,
            "-c",
            "\\d users",
            "-c",
            "\\d orders",
            "-c",
            "\\d big_orders",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    for want in [
        "| id     | int(11)      |                    | not null |",
        "| email  | varchar(200) | utf8mb4_general_ci | not null |",
        "| name   | varchar(50)  | utf8mb4_general_ci |          | 'anon'",
        "\"PRIMARY\" PRIMARY KEY, btree (id)",
        "\"email\" UNIQUE, btree (email)",
        "CHECK (`age` > 0)",
        "Referenced by:\n    TABLE \"orders\" CONSTRAINT \"orders_ibfk_1\" FOREIGN KEY (user_id) REFERENCES users(id)",
        "\"orders_user_idx\" btree (user_id)",
        "\"total_pos\" CHECK (`total` >= 0)",
        "Foreign-key constraints:\n    \"orders_ibfk_1\" FOREIGN KEY (user_id) REFERENCES users(id)",
        "View definition:",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn mysql_list_commands_and_show_pass_through() {
    let Some((db, url)) = mysql_fixture() else {
        return;
    };
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url,
            "--format",
            "csv",
            "-c",
            "\\dt",
            "-c",
            "\\dv",
            "-c",
            "\\dt USER*",
            "-c",
            "\\di orders*",
            "-c",
            &format!("\\l {}", db.name),
            "-c",
            "show tables",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = &db.name;
    assert!(r.stdout.starts_with(&format!(
        "Schema,Name,Type\n{n},orders,table\n{n},users,table\nSchema,Name,Type\n{n},big_orders,view\nSchema,Name,Type\n{n},users,table\n"
    )), "{}", r.stdout);
    assert!(
        r.stdout
            .contains(&format!("{n},orders_user_idx,index,orders,user_id,BTREE")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("big_orders\norders\nusers\n"),
        "{}",
        r.stdout
    );
    let r = run(&sb, &[&url, "-c", "\\dx"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("\\dx: MySQL has no extensions catalog"),
        "{}",
        r.stderr
    );
}

#[test]
fn watch_needs_a_query_first() {
    let r = crate::common::dbsh(&["-c", "\\watch 1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no query to repeat"), "{}", r.stderr);
}
