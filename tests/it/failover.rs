//! Multi-host targets on a primary and a streaming standby the test owns: which host
//! `target_session_attrs` picks, the standby marker, a write a standby refuses, and a
//! failover (primary stopped, standby promoted) that the prompt and a new run follow.

use crate::cluster::Cluster;
use crate::common::{dbsh, Sandbox};
use crate::pty::Term;

/// Both servers, standby first, with the given `target_session_attrs`.
fn both(standby: &Cluster, primary: &Cluster, attrs: &str) -> String {
    format!(
        "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/postgres?sslmode=disable&target_session_attrs={attrs}",
        standby.port, primary.port
    )
}

/// The port `\conninfo` reports, and whether it says the server is a standby.
fn landed_on(url: &str) -> (String, bool) {
    let r = dbsh(&[url, "-c", "\\conninfo"]);
    assert_eq!(r.code, 0, "{url}: {}", r.stderr);
    let port = r
        .stdout
        .split("at port \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string();
    (port, r.stdout.contains("standby"))
}

#[test]
fn target_session_attrs_pick_the_host_the_standby_is_marked_and_after_failover_dbsh_lands_on_the_new_primary(
) {
    let Some(primary) = Cluster::start() else {
        return;
    };
    let Some(standby) = Cluster::standby_of(&primary) else {
        return;
    };
    let p = primary.port.to_string();
    let s = standby.port.to_string();

    for (attrs, port, on_standby) in [
        ("any", &s, true),
        ("read-write", &p, false),
        ("primary", &p, false),
        ("read-only", &s, true),
        ("standby", &s, true),
        ("prefer-standby", &s, true),
    ] {
        assert_eq!(
            landed_on(&both(&standby, &primary, attrs)),
            (port.clone(), on_standby),
            "target_session_attrs={attrs}"
        );
    }
    // No standby to prefer: prefer-standby takes the primary.
    let only_primary = format!("{}&target_session_attrs=prefer-standby", primary.url());
    assert_eq!(landed_on(&only_primary), (p.clone(), false));

    // A write the standby refuses gets the hint.
    let r = dbsh(&[&standby.url(), "-c", "create table t (x int)"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("standby (read-only replica)"),
        "{}",
        r.stderr
    );

    // The prompt: on the primary, marked nowhere as standby.
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(both(&standby, &primary, "read-write"));
    let mut t = Term::spawn(cmd, 40, 160);
    t.wait_text(":postgres>", 30);
    assert!(!t.screen().contains("(standby)"), "{}", t.screen());
    t.send("create table t (x int);\r");
    t.wait_text("CREATE TABLE", 30);

    // Failover: the primary goes, the standby is promoted.
    primary.ctl("stop");
    standby.ctl("promote");
    t.send("insert into t values (1);\r");
    t.wait_text(&format!("reconnected to 127.0.0.1:{s}"), 60);
    t.send("insert into t values (2);\r");
    // Both inserts (the first re-run on the new connection): \conninfo typed while the
    // second still waits in the line editor's input would land in the same read and be
    // dropped with it.
    t.wait_for("both inserts", 30, |s| s.matches("INSERT 0 1").count() >= 2);
    t.send("\\conninfo\r");
    t.wait_text(&format!("at port \"{s}\""), 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);

    // A new run lands on the new primary too.
    assert_eq!(
        landed_on(&both(&standby, &primary, "read-write")),
        (s.clone(), false)
    );
}

#[test]
fn the_prompt_and_the_destructive_question_show_standby_on_a_replica_until_it_is_promoted() {
    let Some(primary) = Cluster::start() else {
        return;
    };
    let Some(standby) = Cluster::standby_of(&primary) else {
        return;
    };
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(standby.url());
    let mut t = Term::spawn(cmd, 40, 160);
    t.wait_text("(standby) ", 30);
    assert!(t.screen().contains("(standby) "), "{}", t.screen());
    // The destructive-statement question says where it would run.
    t.send("drop table nothing_here;\r");
    t.wait_text(
        "on a standby (read-only replica). Do you want to proceed?",
        30,
    );
    t.send("n\r");
    t.wait_text("Not run.", 30);
    // Promoted under the open session: the next prompt drops the marker.
    primary.ctl("stop");
    standby.ctl("promote");
    t.send("select 6 * 7 as answer;\r");
    t.wait_text("42 |", 30);
    t.wait_for("a prompt without the marker", 30, |s| {
        s.lines()
            .rev()
            .find(|l| l.contains(":postgres>"))
            .is_some_and(|l| !l.contains("(standby)"))
    });
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
