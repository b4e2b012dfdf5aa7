//! History on disk as statements are submitted, shared between sessions, kept on SIGHUP;
//! SIGTERM restores the terminal.

use crate::common::Sandbox;

fn history_text(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.path().join("data/dbsh/history")).unwrap_or_default()
}

#[test]
fn history_is_on_disk_as_each_statement_is_submitted_and_survives_sighup() {
    let sb = Sandbox::new();
    let mut t = crate::pty::sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 30);
    t.send("begin;\r");
    t.send("select 'typed before the hang-up' as s;\r");
    t.wait_text("1 row", 30);
    // Written already, before any clean exit.
    assert!(
        history_text(&sb).contains("select 'typed before the hang-up' as s;"),
        "{}",
        history_text(&sb)
    );
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(t.child.id() as libc::pid_t, libc::SIGHUP) };
    let code = t.wait_exit(30);
    assert_eq!(code, 128 + libc::SIGHUP);
    // No question about the open transaction, nothing committed on our side.
    assert!(!t.screen().contains("Commit it?"), "{}", t.screen());
    let text = history_text(&sb);
    assert!(text.contains("begin;"), "{text}");
    assert!(
        text.contains("select 'typed before the hang-up' as s;"),
        "{text}"
    );
}

#[test]
fn sigterm_at_the_prompt_restores_the_terminal_and_exits() {
    let sb = Sandbox::new();
    let mut t = crate::pty::sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 30);
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(t.child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(t.wait_exit(30), 128 + libc::SIGTERM);
    let raw = t.raw();
    let off = b"\x1b[?2004l";
    assert!(
        raw.windows(off.len()).any(|w| w == off),
        "bracketed paste left on"
    );
}

#[test]
fn two_sessions_share_the_history_file() {
    let sb = Sandbox::new();
    let mut a = crate::pty::sqlite_term(&sb, &[]);
    let mut b = crate::pty::sqlite_term(&sb, &[]);
    a.wait_text(":memory:>", 30);
    b.wait_text(":memory:>", 30);
    a.send("select 'from a' as s;\r");
    a.wait_text("1 row", 30);
    b.send("select 'from b' as s;\r");
    b.wait_text("1 row", 30);
    a.send("select 'from a again' as s;\r");
    a.wait_for("the second result", 30, |s| s.matches("1 row").count() == 2);
    let text = history_text(&sb);
    for line in [
        "select 'from a' as s;",
        "select 'from b' as s;",
        "select 'from a again' as s;",
    ] {
        assert_eq!(text.matches(line).count(), 1, "{line}: {text}");
    }
    a.ctrl_d();
    b.ctrl_d();
    assert_eq!(a.wait_exit(30), 0);
    assert_eq!(b.wait_exit(30), 0);
    // Clean exits write nothing twice.
    let text = history_text(&sb);
    assert_eq!(text.matches("select 'from b' as s;").count(), 1, "{text}");
}
