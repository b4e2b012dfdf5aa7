//! A server restart, on a PostgreSQL cluster the test owns (initdb/pg_ctl from the
//! installed server, on a free port, stopped at the end even when the test fails): the
//! prompt reconnects and runs nothing it should not; a script exits 2.

use crate::cluster::Cluster;
use crate::common::{dbsh, Sandbox};
use crate::pty::Term;

#[test]
fn server_restart_ends_a_script_with_exit_2_and_the_prompt_reconnects_running_nothing_until_the_server_is_back(
) {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.url();
    let r = dbsh(&[&url, "-c", "create table t (x int)"]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // A script: the restart falls between two statements of a transaction.
    let sb = Sandbox::new();
    let script = sb.path().join("work.sql");
    std::fs::write(
        &script,
        format!(
            "begin;\ninsert into t values (1);\n\\! {}\ninsert into t values (2);\ncommit;\n",
            cluster.ctl_shell("restart")
        ),
    )
    .unwrap();
    let run = crate::common::finish(
        sb.cmd()
            .args([&url, "--continue-on-error", "-f", script.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("work.sql:4: connection to server was lost"),
        "{}",
        run.stderr
    );
    let count = |url: &str| {
        let r = dbsh(&[url, "--format", "csv", "-c", "select count(*) as n from t"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert_eq!(count(&url), "n\n0\n");

    // The prompt: restarted inside a transaction.
    let mut cmd = sb.cmd();
    cmd.arg(&url);
    let mut t = Term::spawn(cmd, 40, 160);
    t.wait_text(":postgres>", 30);
    t.send("begin;\r");
    t.send("insert into t values (1);\r");
    t.wait_text("INSERT 0 1", 30);
    cluster.ctl("restart");
    t.send("insert into t values (2);\r");
    t.wait_text("rolled back by the server", 30);
    t.wait_text("; restored: ", 30);
    t.send("select count(*) as n from t;\r");
    t.wait_text("1 row", 30);
    assert!(t.screen().contains("| 0 |"), "{}", t.screen());

    // The server is down: the reconnect fails, nothing runs, the prompt stays; once the
    // server is back, a statement that was never sent runs on the new connection.
    cluster.ctl("stop");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("could not reconnect", 30);
    t.wait_text("The next statement tries again.", 30);
    cluster.ctl("start");
    t.send("select 40 + 2 as answer;\r");
    t.wait_text("had not been sent", 30);
    t.wait_text("42 |", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
    assert_eq!(count(&url), "n\n0\n");
}
