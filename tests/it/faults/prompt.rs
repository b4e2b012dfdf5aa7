//! Faults at the prompt (pty): the session says what happened, reconnects, rebuilds itself
//! and runs nothing that may already have run.

use std::time::Duration;

use super::{wait_until, with_param, My, Pg};
use crate::common::Sandbox;
use crate::pty::Term;

fn term(url: &str, extra: &[&str], sb: &Sandbox) -> Term {
    let mut cmd = sb.cmd();
    cmd.arg(url).args(extra);
    Term::spawn(cmd, 40, 160)
}

/// The last non-empty line on screen.
fn last_line(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
        .to_string()
}

#[test]
fn pg_prompt_backend_killed_idle_in_a_transaction_says_rolled_back_and_runs_nothing() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send("begin;\r");
    t.wait_for("the transaction mark", 30, |s| last_line(s).ends_with("*>"));
    t.send("insert into t values (1);\r");
    t.wait_text("INSERT 0 1", 30);
    pg.kill();
    t.send("insert into t values (2);\r");
    t.wait_text("rolled back by the server", 30);
    t.wait_text("; restored: ", 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(":postgres>")
    });
    // The new connection has no transaction: COMMIT commits nothing.
    t.send("commit;\r");
    t.wait_text("there is no transaction in progress", 30);
    assert!(!t.screen().contains("INSERT 0 1\nINSERT"), "{}", t.screen());
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn pg_prompt_statement_that_never_left_runs_once_on_the_rebuilt_session() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let config = sb.path().join("dbsh.toml");
    std::fs::write(
        &config,
        format!("init = [\"set search_path = {}, public\"]\n", pg.schema),
    )
    .unwrap();
    let admin_url = pg.admin.clone();
    let mut t = term(
        &with_param(&admin_url, &format!("application_name={}", pg.schema)),
        &["--read-only", "--config", config.to_str().unwrap()],
        &sb,
    );
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    pg.kill();
    // The client sees the hang-up before the next statement: it is sent on a new session.
    wait_until("the session to go", || pg.sessions("idle") == "0");
    // The client reads the hang-up as it arrives (its connection task always polls the
    // socket); this margin is for a loaded machine, not synchronisation with the server.
    std::thread::sleep(Duration::from_millis(500));
    t.send("select current_setting('transaction_read_only') as ro, current_schema() as s, count(*) as n from t;\r");
    t.wait_text("; restored: ", 30);
    t.wait_text("1 row", 30);
    let screen = t.screen();
    assert!(screen.contains("read-only"), "{screen}");
    assert!(screen.contains("1 init statement"), "{screen}");
    assert!(
        screen.contains(&format!("search_path {}, public", pg.schema)),
        "{screen}"
    );
    assert!(screen.contains("had not been sent"), "{screen}");
    assert!(
        screen.contains(&format!("| on | {} | 0 |", pg.schema)),
        "{screen}"
    );
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn pg_prompt_backend_killed_during_a_statement_is_not_run_again() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send("insert into t select 1 from pg_sleep(60);\r");
    wait_until("the statement to run", || pg.sessions("active") == "1");
    pg.kill();
    t.wait_text("may or may not have run", 30);
    t.wait_text("; restored: ", 30);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    assert!(!t.screen().contains("had not been sent"), "{}", t.screen());
    assert_eq!(pg.sessions("active"), "0");
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn mysql_prompt_session_killed_in_a_transaction_reconnects_to_the_current_database_and_runs_nothing(
) {
    let Some(my) = My::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&my.admin, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":test>"));
    t.send(&format!("use {};\r", my.db));
    t.wait_for("the new database", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("begin;\r");
    t.send("insert into t values (1);\r");
    t.wait_for("the transaction mark", 30, |s| last_line(s).ends_with("*>"));
    my.kill();
    wait_until("the session to go", || my.session_ids(false).is_empty());
    t.send("insert into t values (2);\r");
    t.wait_text("may or may not have run", 30);
    t.wait_text("rolled back by the server", 30);
    t.wait_text(&format!("restored: database \"{}\"", my.db), 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("select database() as d, count(*) as n from t;\r");
    t.wait_text(&format!("| {} | 0 |", my.db), 30);
    assert_eq!(my.count(), "0");
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn mysql_prompt_session_killed_during_a_statement_is_not_run_again() {
    let Some(my) = My::new() else { return };
    let sb = Sandbox::new();
    let mut t = term(&my.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    t.send("insert into t select sleep(60);\r");
    wait_until("the statement to run", || !my.session_ids(true).is_empty());
    my.kill();
    t.wait_text("may or may not have run", 30);
    t.wait_text("; restored: ", 30);
    t.wait_for("the prompt", 30, |s| {
        last_line(s).ends_with(&format!(":{}>", my.db))
    });
    assert_eq!(my.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn pg_include_at_the_prompt_stops_the_file_at_a_lost_connection_and_the_prompt_reconnects() {
    let Some(pg) = Pg::new() else { return };
    let sb = Sandbox::new();
    let file = sb.path().join("work.sql");
    std::fs::write(
        &file,
        format!(
            "begin;\ninsert into t values (1);\n{}\ninsert into t values (2);\ncommit;\n",
            pg.kill_line()
        ),
    )
    .unwrap();
    let mut t = term(&pg.url, &[], &sb);
    t.wait_for("the prompt", 30, |s| last_line(s).ends_with(":postgres>"));
    t.send(&format!("\\i {}\r", file.display()));
    t.wait_text("work.sql:4: connection to server was lost", 30);
    t.wait_text("rolled back by the server", 30);
    t.wait_text("; restored: ", 30);
    t.wait_for("a prompt without the mark", 30, |s| {
        last_line(s).ends_with(":postgres>")
    });
    assert!(!t.screen().contains("COMMIT"), "{}", t.screen());
    assert_eq!(pg.count(), "0");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("42", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
