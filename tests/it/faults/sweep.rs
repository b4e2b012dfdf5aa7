//! The connection cut after N bytes, swept over N in both directions.

use std::process::Stdio;

use super::{scalar, split_url, with_param, My, Pg};
use crate::common::{self, dbsh, Sandbox};
use crate::cutproxy::{CutProxy, Direction};

/// Run the script through a proxy that cuts after `limit` bytes; (exit code, stderr).
fn through_proxy(
    upstream: &str,
    url_for_port: &dyn Fn(u16) -> String,
    script: &str,
    limit: Option<(Direction, usize)>,
) -> (common::Run, (usize, usize)) {
    let proxy = CutProxy::start(upstream, limit);
    let url = url_for_port(proxy.port);
    let sb = Sandbox::new();
    let mut child = sb
        .cmd()
        .arg(&url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // dbsh may exit before reading its input (the cut fell in the start-up): a closed
    // pipe here is part of the run, not a test failure.
    let _ = std::io::Write::write_all(&mut child.stdin.take().unwrap(), script.as_bytes());
    let run = common::finish(child.wait_with_output().unwrap());
    (run, proxy.bytes())
}

/// Sweep the cut point over the whole conversation in both directions: the table holds the
/// whole transaction or none of it; the exit code is 2, or 0 only when every statement
/// completed (then the table holds it all).
fn sweep(
    upstream: &str,
    url_for_port: &dyn Fn(u16) -> String,
    table: &dyn Fn(usize) -> String,
    create: &dyn Fn(&str),
    count: &dyn Fn(&str) -> String,
) {
    let script = |t: &str| {
        format!("begin;\ninsert into {t} values (1);\ninsert into {t} values (2);\ncommit;\n")
    };
    let t0 = table(0);
    create(&t0);
    let (run, (up, down)) = through_proxy(upstream, url_for_port, &script(&t0), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(count(&t0), "2");
    let mut runs = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (dir, total) in [(Direction::Up, up), (Direction::Down, down)] {
        // Coarse over the start-up, every few bytes over the statements at the end.
        let mut points: Vec<usize> = (0..total).step_by((total / 12).max(1)).collect();
        points.extend((total.saturating_sub(260)..=total).step_by(9));
        // Past the end: nothing is cut, everything completes.
        points.push(total + 1000);
        points.sort_unstable();
        points.dedup();
        for n in points {
            runs += 1;
            let t = table(runs);
            create(&t);
            let (run, _) = through_proxy(upstream, url_for_port, &script(&t), Some((dir, n)));
            let rows = count(&t);
            let what = format!(
                "cut {dir:?} after {n} of {total} bytes: exit {}, {rows} rows\n{}",
                run.code, run.stderr
            );
            assert!(rows == "0" || rows == "2", "{what}");
            let lost = run.stderr.contains("connection to server was lost");
            seen.insert((run.code, rows.clone(), lost));
            assert!(run.code == 0 || run.code == 2, "{what}");
            if run.code == 0 {
                assert_eq!(rows, "2", "{what}");
                assert!(
                    run.stdout.contains("COMMIT") || run.stdout.contains("Query OK"),
                    "{what}"
                );
            }
            if run.code == 2 && !run.stderr.contains("could not connect") {
                assert!(
                    run.stderr.contains("connection to server was lost"),
                    "{what}"
                );
            }
        }
    }
    // The sweep reached the statements: cuts before COMMIT (nothing applied), and cuts
    // after COMMIT was sent but before its answer, or after everything.
    assert!(seen.contains(&(2, "0".to_string(), true)), "{seen:?}");
    assert!(seen.contains(&(0, "2".to_string(), false)), "{seen:?}");
    eprintln!("{runs} cut points; outcomes (exit, rows, lost): {seen:?}");
}

#[test]
fn pg_connection_cut_after_any_byte_applies_the_transaction_whole_or_not_at_all() {
    let Some(pg) = Pg::new() else { return };
    let (userinfo, upstream) = split_url(&pg.admin);
    let url_for_port = |port: u16| {
        with_param(
            &format!("{userinfo}127.0.0.1:{port}/postgres?sslmode=disable&connect_timeout=10"),
            &format!("options=-csearch_path%3D{}", pg.schema),
        )
    };
    let create = |t: &str| {
        let r = dbsh(&[
            &pg.admin,
            "-c",
            &format!("create table {}.{t} (x int)", pg.schema),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    let count = |t: &str| {
        scalar(
            &pg.admin,
            &format!("select count(*) from {}.{t}", pg.schema),
        )
    };
    sweep(
        &upstream,
        &url_for_port,
        &|i| format!("c{i}"),
        &create,
        &count,
    );
}

#[test]
fn mysql_connection_cut_after_any_byte_applies_the_transaction_whole_or_not_at_all() {
    let Some(my) = My::new() else { return };
    let (userinfo, upstream) = split_url(&my.admin);
    let url_for_port =
        |port: u16| format!("{userinfo}127.0.0.1:{port}/{}?ssl-mode=DISABLED", my.db);
    let create = |t: &str| {
        let r = dbsh(&[
            &my.admin,
            "-c",
            &format!("create table {}.{t} (x int) engine=InnoDB", my.db),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    let count = |t: &str| scalar(&my.admin, &format!("select count(*) from {}.{t}", my.db));
    sweep(
        &upstream,
        &url_for_port,
        &|i| format!("c{i}"),
        &create,
        &count,
    );
}
