//! Backslash commands as a user meets them at the prompt: `\watch` stopped by Ctrl-C,
//! `\x auto` on a narrow terminal, the pager only for output taller than the screen.

use crate::common::Sandbox;
use crate::pty::Term;

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
