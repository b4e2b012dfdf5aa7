//! Completion as a user meets it: the menu at the real prompt, and `--suggest` against
//! each real server (it loads the current catalog, so new tables show at once).

use crate::common::{dbsh, mysql_url, postgres_url, unique_name, Sandbox};
use crate::pty::sqlite_term;

fn sample_db(sb: &Sandbox) -> String {
    let db = sb.path().join("shop.db");
    let db = db.to_str().unwrap().to_string();
    let r = dbsh(&[
        &db,
        "-c",
        "create table customers(id integer primary key, name text, email text);\
         create table orders(id integer primary key, customer_id int references customers(id), total real);\
         create view big_orders as select * from orders where total > 100",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    db
}

#[test]
fn tab_after_from_shows_the_tables_in_the_menu() {
    let sb = Sandbox::new();
    let db = sample_db(&sb);
    let mut t = sqlite_term(&sb, &[&db]);
    t.wait_text("shop.db>", 10);
    t.send("SELECT * FROM ");
    t.send("\t");
    t.wait_for("the completion menu", 5, |s| {
        s.contains("customers") && s.contains("orders") && s.contains("big_orders")
    });
    // Tab again moves through the menu; Enter accepts the highlighted name.
    t.send("\r");
    t.wait_for("a table name inserted", 5, |s| {
        s.lines().any(|l| {
            l.starts_with("shop.db> SELECT * FROM big_orders")
                || l.starts_with("shop.db> SELECT * FROM customers")
        })
    });
    t.send("\x03");
    t.wait_for("a fresh prompt", 5, |s| s.matches("shop.db>").count() == 2);
    t.ctrl_d();
    t.wait_exit(5);
}

#[test]
fn the_menu_opens_as_a_name_is_typed_and_enter_still_runs() {
    let sb = Sandbox::new();
    let db = sample_db(&sb);
    let mut t = sqlite_term(&sb, &[&db]);
    t.wait_text("shop.db>", 10);
    t.send("select * from customers where nam");
    t.wait_for("column candidates", 5, |s| {
        s.contains("name") && s.contains("column")
    });
    // `=` ends the word and closes the menu the typing opened; Enter runs the statement.
    t.send("e = 'x';\r");
    t.wait_text("0 rows", 5);
    t.ctrl_d();
    t.wait_exit(5);
}

#[test]
fn new_tables_complete_after_ddl_at_the_prompt() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("create table fresh_table(x);\r");
    t.wait_text("OK", 5);
    t.send("select * from fre");
    // In the menu's box, not only in the echoed DDL.
    t.wait_for("the new table in the menu", 5, |s| {
        s.lines()
            .any(|l| l.contains("fresh_table") && l.contains('│'))
    });
    // Ctrl-C drops the line; once the next prompt is up, Ctrl-D exits.
    t.send("\x03");
    t.wait_for("a fresh prompt", 5, |s| s.matches(":memory:>").count() == 3);
    t.ctrl_d();
    t.wait_exit(5);
}

#[test]
fn suggest_on_sqlite() {
    let sb = Sandbox::new();
    let db = sample_db(&sb);
    let r = dbsh(&[&db, "--suggest", "SELECT * FROM "]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("customers\ttable\n"), "{}", r.stdout);
    assert!(r.stdout.contains("big_orders\tview\n"), "{}", r.stdout);
    let r = dbsh(&[&db, "--suggest", "SELECT o. FROM orders o", "--cursor", "9"]);
    let first: Vec<&str> = r.stdout.lines().take(3).collect();
    assert_eq!(
        first,
        ["id\tcolumn", "customer_id\tcolumn", "total\tcolumn"]
    );
    let r = dbsh(&[&db, "--suggest", "SELECT * FROM orders o JOIN "]);
    assert!(
        r.stdout
            .lines()
            .next()
            .is_some_and(|l| l.ends_with("\tjoin") && l.contains("customers")),
        "{}",
        r.stdout
    );
}

#[test]
fn suggest_answers_any_input_with_exit_0() {
    for input in [
        "",
        "'",
        "\"unterminated",
        "select $$",
        "\\",
        "🦀 from",
        "select * from t where (((",
        "\u{0}",
    ] {
        if input.contains('\u{0}') {
            continue; // not passable through argv
        }
        let r = dbsh(&["--suggest", input]);
        assert_eq!(r.code, 0, "{input:?}: {}", r.stderr);
    }
    let r = dbsh(&["--suggest", "sel", "--cursor", "999"]);
    assert_eq!(r.code, 0);
    // Keywords follow the case typed (config `keyword_case`, default as_typed).
    assert!(r.stdout.starts_with("select\tkeyword"), "{}", r.stdout);
}

#[test]
fn suggest_on_postgres_with_quoting_and_schemas() {
    let Some(url) = postgres_url() else { return };
    let schema = unique_name("cpl");
    let setup = format!(
        "create schema {schema}; create table {schema}.\"UserAccounts\" (id int primary key, \"select\" text); \
         create table {schema}.sessions (id int, user_id int references {schema}.\"UserAccounts\"(id))"
    );
    let r = dbsh(&[&url, "-c", &setup]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = dbsh(&[&url, "--suggest", &format!("SELECT * FROM {schema}.")]);
    let r2 = dbsh(&[
        &url,
        "--suggest",
        &format!("SELECT  FROM {schema}.\"UserAccounts\""),
        "--cursor",
        "7",
    ]);
    dbsh(&[&url, "-c", &format!("drop schema {schema} cascade")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"UserAccounts\"\ttable"), "{}", r.stdout);
    assert!(r.stdout.contains("sessions\ttable"), "{}", r.stdout);
    assert!(r2.stdout.contains("\"select\"\tcolumn"), "{}", r2.stdout);
}

#[test]
fn suggest_on_mysql() {
    let Some(url) = mysql_url() else { return };
    let db = unique_name("cpl_my");
    let r = dbsh(&[
        &url,
        "-c",
        &format!("create database {db}"),
        "-c",
        &format!("create table {db}.`select` (id int, `Weird Name` int)"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    let r = dbsh(&[&format!("{base}/{db}"), "--suggest", "SELECT * FROM "]);
    let r2 = dbsh(&[
        &format!("{base}/{db}"),
        "--suggest",
        "SELECT  FROM `select`",
        "--cursor",
        "7",
    ]);
    dbsh(&[&url, "-c", &format!("drop database {db}")]);
    assert!(r.stdout.contains("`select`\ttable"), "{}", r.stdout);
    assert!(r2.stdout.contains("`Weird Name`\tcolumn"), "{}", r2.stdout);
}

#[test]
fn suggest_on_postgres_resolves_names_as_the_server_does() {
    let Some(url) = postgres_url() else { return };
    let s = unique_name("fold");
    let setup = format!(
        "create schema {s}; create table {s}.users (id int primary key, email text); \
         create table {s}.\"Users\" (userid int, nickname text); \
         create type {s}.mood as enum ('sad', 'ok'); \
         create table {s}.tickets (id int, m {s}.mood); \
         create function {s}._helper() returns int language sql as 'select 1'"
    );
    let r = dbsh(&[&url, "-c", &setup]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let suggest = |sql: &str, cursor: Option<usize>| {
        let mut args = vec![url.clone(), "--suggest".into(), sql.to_string()];
        if let Some(c) = cursor {
            args.push("--cursor".into());
            args.push(c.to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        dbsh(&args).stdout
    };
    let unquoted = suggest(&format!("SELECT U. FROM {s}.Users U"), Some(9));
    let quoted = suggest(&format!("SELECT U. FROM {s}.\"Users\" U"), Some(9));
    let join = suggest(
        &format!("SELECT * FROM {s}.users U JOIN {s}.\"Users\" U2 ON "),
        None,
    );
    let labels = suggest(&format!("SELECT * FROM {s}.tickets WHERE m = '"), None);
    let underscore = suggest(&format!("SELECT {s}._h"), None);
    let unclosed = suggest(&format!("SELECT MAX( from {s}.users"), Some(11));
    dbsh(&[&url, "-c", &format!("drop schema {s} cascade")]);
    assert!(unquoted.contains("email\tcolumn"), "{unquoted}");
    assert!(!unquoted.contains("userid"), "{unquoted}");
    assert!(quoted.contains("userid\tcolumn"), "{quoted}");
    assert!(!quoted.contains("email"), "{quoted}");
    assert!(!join.contains("\"U"), "{join}");
    assert!(labels.contains("'sad'\tvalue"), "{labels}");
    assert!(underscore.contains("_helper\tfunction"), "{underscore}");
    assert!(unclosed.contains("email\tcolumn"), "{unclosed}");
}

#[test]
fn suggest_on_mysql_follows_lower_case_table_names() {
    let Some(url) = mysql_url() else { return };
    let db = unique_name("cpl_case");
    let r = dbsh(&[
        &url,
        "-c",
        &format!("create database {db}"),
        "-c",
        &format!("create table {db}.tickets (id int, level enum('low','high'))"),
        "-c",
        &format!("create table {db}.Users (userid int)"),
        "-c",
        &format!("create table {db}.users (email text)"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let base = url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    let target = format!("{base}/{db}");
    let labels = dbsh(&[
        &target,
        "--suggest",
        "SELECT * FROM tickets WHERE level IN ('low', '",
    ]);
    let on_pg_words = dbsh(&[
        &target,
        "--suggest",
        "INSERT INTO tickets VALUES (1, 'low') ON ",
    ]);
    let dot = dbsh(&[&target, "--suggest", "."]);
    let builtin = dbsh(&[&target, "--suggest", "SELECT sec_to_ti"]);
    // This server runs with lower_case_table_names = 0: `Users` and `users` differ.
    let upper = dbsh(&[
        &target,
        "--suggest",
        "SELECT u. FROM Users u",
        "--cursor",
        "9",
    ]);
    dbsh(&[&url, "-c", &format!("drop database {db}")]);
    assert!(labels.stdout.contains("'high'\tvalue"), "{}", labels.stdout);
    assert!(
        on_pg_words.stdout.contains("DUPLICATE KEY UPDATE\tkeyword")
            && !on_pg_words.stdout.contains("CONFLICT"),
        "{}",
        on_pg_words.stdout
    );
    assert!(!dot.stdout.contains(".tables"), "{}", dot.stdout);
    assert!(
        builtin.stdout.starts_with("sec_to_time\tfunction"),
        "{}",
        builtin.stdout
    );
    assert!(upper.stdout.contains("userid\tcolumn"), "{}", upper.stdout);
    assert!(!upper.stdout.contains("email"), "{}", upper.stdout);
}

#[test]
fn suggest_on_postgres_reads_result_columns_of_set_returning_functions() {
    let Some(url) = postgres_url() else { return };
    let s = unique_name("srf");
    let setup = format!(
        "create schema {s}; \
         create function {s}.orders_of(n int) returns table (order_id int, total numeric) \
           language sql as 'select 1, 2.0'; \
         create function {s}.stats(out day date, out hits bigint) returns setof record \
           language sql as 'select current_date, 1::bigint'"
    );
    let r = dbsh(&[&url, "-c", &setup]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let table = dbsh(&[
        &url,
        "--suggest",
        &format!("SELECT * FROM {s}.orders_of(1) x WHERE x."),
    ]);
    let out = dbsh(&[
        &url,
        "--suggest",
        &format!("SELECT s. FROM {s}.stats() s"),
        "--cursor",
        "9",
    ]);
    dbsh(&[&url, "-c", &format!("drop schema {s} cascade")]);
    assert!(
        table.stdout.contains("order_id\tcolumn"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("total\tcolumn"), "{}", table.stdout);
    assert!(out.stdout.contains("hits\tcolumn"), "{}", out.stdout);
}

#[test]
fn a_colon_offers_the_psql_variables_that_are_set() {
    let sb = Sandbox::new();
    let db = sample_db(&sb);
    let mut t = sqlite_term(&sb, &[&db]);
    t.wait_text("shop.db>", 30);
    t.send("\\set shop_limit 3\r");
    t.wait_for("the next prompt", 30, |s| {
        s.matches("shop.db>").count() == 2
    });
    t.send("select * from customers limit :shop_l");
    t.send("\t");
    t.wait_for("the variable completed", 30, |s| {
        s.lines()
            .any(|l| l.starts_with("shop.db> select * from customers limit :shop_limit"))
    });
    t.send("\x03");
    t.wait_for("a fresh prompt", 30, |s| s.matches("shop.db>").count() == 3);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn tab_in_the_same_burst_as_the_typed_word_completes_it() {
    // A paste or a terminal multiplexer delivers the word and Tab together, before the
    // menu typing opened has been drawn (and so brought up to date).
    let sb = Sandbox::new();
    let db = sample_db(&sb);
    let mut t = sqlite_term(&sb, &[&db]);
    t.wait_text("shop.db>", 30);
    t.send("select * from cust\t");
    t.wait_for("the table name completed", 30, |s| {
        s.lines()
            .any(|l| l.trim_end() == "shop.db> select * from customers")
    });
    t.send("\x03");
    t.wait_for("a fresh prompt", 30, |s| s.matches("shop.db>").count() == 2);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
