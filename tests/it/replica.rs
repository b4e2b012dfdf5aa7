//! dbsh on a MariaDB replica the test owns (`servers.rs`: a primary and a `read_only`
//! replica of it): the `(standby)` marker at the prompt, in `\conninfo` and in the
//! destructive-statement question, the hint for a write the replica refuses, and rows
//! written on the primary read through dbsh on the replica.

mod servers;

use crate::common::{dbsh, Sandbox};
use crate::pty::Term;
use servers::Replication;

/// dbsh at the prompt on `url`, waiting for the prompt's `app>` end.
fn prompt_on(sb: &Sandbox, url: &str) -> Term {
    let mut cmd = sb.cmd();
    cmd.arg(url);
    let t = Term::spawn(cmd, 40, 160);
    t.wait_text(":app>", 60);
    t
}

/// The last line on screen holding the prompt.
fn prompt_line(t: &Term) -> String {
    t.screen()
        .lines()
        .rev()
        .find(|l| l.contains(":app>"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_prompt_starts_with_standby_on_a_mariadb_replica_and_not_on_its_primary() {
    let Some(pair) = Replication::shared() else {
        return;
    };
    let sb = Sandbox::new();
    let mut t = prompt_on(&sb, &pair.replica.url());
    assert!(
        prompt_line(&t).starts_with("(standby) app@127.0.0.1:app>"),
        "{}",
        t.screen()
    );
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);

    let mut t = prompt_on(&sb, &pair.primary.url());
    assert!(
        prompt_line(&t).starts_with("app@127.0.0.1:app>"),
        "{}",
        t.screen()
    );
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn conninfo_says_the_mariadb_replica_is_a_standby() {
    let Some(pair) = Replication::shared() else {
        return;
    };
    let r = dbsh(&[&pair.replica.url(), "-c", "\\conninfo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains(&format!("at port \"{}\"", pair.replica.port)),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("The server is a standby (read-only replica)."),
        "{}",
        r.stdout
    );
    let r = dbsh(&[&pair.primary.url(), "-c", "\\conninfo"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("standby"), "{}", r.stdout);
}

#[test]
fn the_destructive_question_says_it_would_run_on_a_mariadb_replica() {
    let Some(pair) = Replication::shared() else {
        return;
    };
    let sb = Sandbox::new();
    let mut t = prompt_on(&sb, &pair.replica.url());
    t.send("drop table ready;\r");
    t.wait_text(
        "(DROP) on a standby (read-only replica). Do you want to proceed? (y/N)",
        60,
    );
    t.send("n\r");
    t.wait_text("Not run.", 60);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
    // Nothing was sent: the table is still there on the replica.
    let r = dbsh(&[&pair.replica.url(), "-c", "select count(*) as n from ready"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_write_the_read_only_mariadb_replica_refuses_gets_a_one_line_hint() {
    let Some(pair) = Replication::shared() else {
        return;
    };
    let r = dbsh(&[&pair.replica.url(), "-c", "insert into ready values (1)"]);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains("ERROR 1290"), "{}", r.stderr);
    let hints: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("HINT: "))
        .collect();
    assert_eq!(
        hints,
        ["HINT: this server is a standby (read-only replica, @@read_only is on); connect to the primary to write"],
        "{}",
        r.stderr
    );
    // The same write on the primary needs no hint.
    let r = dbsh(&[&pair.primary.url(), "-c", "insert into ready values (1)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("HINT"), "{}", r.stderr);
}

#[test]
fn rows_written_on_the_primary_are_read_through_dbsh_on_the_mariadb_replica() {
    let Some(pair) = Replication::shared() else {
        return;
    };
    let table = crate::common::unique_name("orders");
    let r = dbsh(&[
        &pair.primary.url(),
        "-c",
        &format!(
            "create table {table} (id int primary key, item varchar(20)); \
             insert into {table} values (1, 'tea'), (2, 'milk')"
        ),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    pair.wait_replicated(&format!("SELECT COUNT(*) FROM app.{table}"), "2");
    let r = dbsh(&[
        &pair.replica.url(),
        "--format",
        "csv",
        "-c",
        &format!("select id, item from {table} order by id"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "id,item\n1,tea\n2,milk\n");
}
