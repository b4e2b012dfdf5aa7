//! Backslash commands on MySQL/MariaDB: describe and list over information_schema, `SHOW`
//! passing through, each test in a database of its own holding the fixture. They skip
//! (saying so) while dbsh's MySQL backend is not built in.

use std::process::Command;

use super::{run, FIXTURE};
use crate::common::{mysql_url, unique_name, Sandbox};

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
        crate::common::skipped("SKIPPED: dbsh's mysql backend is not built yet");
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
fn mysql_describe_states_foreign_key_actions_and_triggers() {
    let Some((db, url)) = mysql_fixture() else {
        return;
    };
    mysql_cli(
        &url,
        &format!(
            "use {}; create table parent (id int primary key);
             create table child (a int, b int,
               constraint child_a foreign key (a) references parent(id) on update cascade on delete set null,
               constraint child_b foreign key (b) references parent(id));
             create trigger child_fill before insert on child for each row set new.b = new.a;
             create table pair (x int, y int, primary key (x, y));
             create table pair_ref (q int, p int,
               constraint pr foreign key (p, q) references pair (x, y) on delete no action);",
            db.name
        ),
    );
    let sb = Sandbox::new();
    let r = run(
        &sb,
        &[
            &url,
            "-c",
            "\\d child",
            "-c",
            "\\d parent",
            "-c",
            "\\d pair",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    for want in [
        "\"child_a\" FOREIGN KEY (a) REFERENCES parent(id) ON DELETE SET NULL ON UPDATE CASCADE\n",
        "\"child_b\" FOREIGN KEY (b) REFERENCES parent(id)\n",
        "TABLE \"child\" CONSTRAINT \"child_a\" FOREIGN KEY (a) REFERENCES parent(id) ON DELETE SET NULL ON UPDATE CASCADE\n",
        "Triggers:\n    child_fill BEFORE INSERT ON child FOR EACH ROW set new.b = new.a\n",
        "TABLE \"pair_ref\" CONSTRAINT \"pr\" FOREIGN KEY (p, q) REFERENCES pair(x, y) ON DELETE NO ACTION\n",
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
