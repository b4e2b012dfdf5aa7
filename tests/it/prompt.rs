//! The prompt under the fingers: the completion menu and the keys around it, in emacs
//! and vi mode, at 80x24 and 200x50, and the plain reader for dumb terminals. Each test
//! drives the real binary on a pseudo-terminal over a small SQLite file.

use crate::common::Sandbox;
use crate::pty::Term;

/// A database with the names the tests complete.
fn film_db(sb: &Sandbox) -> String {
    let db = sb.path().join("films.db");
    let out = sb
        .cmd()
        .arg(&db)
        .arg("-c")
        .arg(
            "create table actor(actor_id integer, first_name text);\
             create table actor_info(info text);\
             create table film(film_id integer, title text, length integer)",
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db.to_str().unwrap().to_string()
}

const SIZES: [(u16, u16); 2] = [(24, 80), (50, 200)];
const LONG: u64 = 30;

fn start(sb: &Sandbox, db: &str, vi: bool, (rows, cols): (u16, u16)) -> Term {
    let mut cmd = sb.cmd();
    cmd.arg(db);
    if vi {
        cmd.arg("--vi");
    }
    let t = Term::spawn(cmd, rows, cols);
    t.wait_text("films.db", LONG);
    t
}

/// The line the prompt is on (the last one that starts with the database name).
fn input_line(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| l.starts_with("films.db"))
        .unwrap_or("")
        .trim_end()
        .to_string()
}

fn wait_line(t: &Term, what: &str, pred: impl Fn(&str) -> bool) {
    t.wait_for(what, LONG, |s| pred(&input_line(s)));
}

/// Ctrl-C, and wait until it is handled: reedline drops keys that arrive with it.
fn ctrl_c(t: &mut Term) {
    let before = t.raw().len();
    t.send("\x03");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(LONG);
    while t.raw().len() == before || !input_line(&t.screen()).ends_with('>') {
        assert!(
            std::time::Instant::now() < deadline,
            "no prompt after Ctrl-C:\n{}",
            t.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn quit(mut t: Term) {
    ctrl_c(&mut t);
    t.send("\x04");
    assert_eq!(t.wait_exit(LONG), 0);
}

#[test]
fn the_first_tab_previews_the_first_candidate_and_enter_takes_it() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for vi in [false, true] {
        for size in SIZES {
            let t = start(&sb, &db, vi, size);
            let mut t = t;
            t.send("select * from act");
            t.wait_text("actor_info", LONG);
            t.send("\t");
            wait_line(&t, "actor previewed", |l| l.ends_with("from actor"));
            t.send("\t");
            wait_line(&t, "actor_info previewed", |l| {
                l.ends_with("from actor_info")
            });
            // Shift-Tab walks back.
            t.send("\x1b[Z");
            wait_line(&t, "actor again", |l| l.ends_with("from actor"));
            // Enter takes the entry and closes the menu; the next Enter runs.
            t.send("\r");
            t.wait_for("the menu closed", LONG, |s| !s.contains("actor_info"));
            t.send(";\r");
            t.wait_text("0 rows", LONG);
            quit(t);
        }
    }
}

#[test]
fn enter_runs_the_statement_however_the_menu_opened() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for vi in [false, true] {
        let mut t = start(&sb, &db, vi, (24, 80));
        // Opened by typing, then Backspace: the menu of keywords stays, Enter runs.
        t.send("select 1 as one;x");
        wait_line(&t, "x typed", |l| l.ends_with(";x"));
        t.send("\x7f");
        t.wait_text("keyword", LONG);
        wait_line(&t, "x erased", |l| l.ends_with("select 1 as one;"));
        t.send("\r");
        t.wait_text("1 row", LONG);
        let screen = t.screen();
        assert!(!screen.to_lowercase().contains(";select"), "{screen}");
        // Opened by typing a name: Enter runs what is typed.
        t.send("select title from film where length > 1 order by tit");
        t.wait_text("column", LONG);
        t.send("le;\r");
        t.wait_text("0 rows", LONG);
        quit(t);
    }
}

#[test]
fn completion_reads_the_text_after_the_cursor() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for size in SIZES {
        let mut t = start(&sb, &db, false, size);
        // `select | from film;`: the columns of film, not functions.
        t.send("select  from film;");
        t.send(&"\x1b[D".repeat(11));
        t.send("\t");
        wait_line(&t, "a film column", |l| {
            l.ends_with("select film_id from film;")
        });
        ctrl_c(&mut t);
        // `select ti| from film`
        t.send("select ti from film;");
        t.send(&"\x1b[D".repeat(11));
        t.send("\t");
        wait_line(&t, "title", |l| l.ends_with("select title from film;"));
        ctrl_c(&mut t);
        // `select f.| from film f`
        t.send("select f. from film f;");
        t.send(&"\x1b[D".repeat(13));
        t.send("\t");
        wait_line(&t, "f.film_id", |l| {
            l.ends_with("select f.film_id from film f;")
        });
        t.send("\r\r");
        t.wait_text("0 rows", LONG);
        quit(t);
    }
}

#[test]
fn arrows_walk_history_and_the_line_until_the_menu_is_entered() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for vi in [false, true] {
        for size in SIZES {
            let mut t = start(&sb, &db, vi, size);
            t.send("select 42 as answer;\r");
            t.wait_text("1 row", LONG);
            // The menu opened by typing; Up recalls history.
            t.send("sel");
            t.wait_text("keyword", LONG);
            t.send("\x1b[A");
            wait_line(&t, "history recalled", |l| {
                l.ends_with("select 42 as answer;")
            });
            ctrl_c(&mut t);
            // Left moves the cursor in the line with the menu open.
            t.send("select * from act");
            t.wait_text("actor_info", LONG);
            t.send("\x1b[D");
            t.send("X");
            wait_line(&t, "X before t", |l| l.ends_with("from acXt"));
            ctrl_c(&mut t);
            // Right at the end takes the grey history hint.
            t.send("select 42 as ans");
            wait_line(&t, "the grey hint", |l| l.ends_with("select 42 as answer;"));
            t.send("\x1b[C");
            t.send("\r");
            t.wait_for("the hinted statement run", LONG, |s| {
                s.matches("1 row").count() == 2
            });
            // Entered with Tab, Down walks the menu instead.
            ctrl_c(&mut t);
            t.send("select * from act");
            t.wait_text("actor_info", LONG);
            t.send("\t");
            wait_line(&t, "actor", |l| l.ends_with("from actor"));
            t.send("\x1b[B");
            wait_line(&t, "actor_info", |l| l.ends_with("from actor_info"));
            quit(t);
        }
    }
}

#[test]
fn ctrl_r_searches_history_with_the_menu_on() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for vi in [false, true] {
        let mut t = start(&sb, &db, vi, (24, 80));
        t.send("select 'needle' as n;\r");
        t.wait_text("1 row", LONG);
        t.send("\x12");
        t.wait_text("reverse-search", LONG);
        t.send("needl");
        t.wait_text("reverse-search: needl)", LONG);
        t.send("\r");
        wait_line(&t, "found", |l| l.ends_with("select 'needle' as n;"));
        t.send("\r");
        t.wait_for("run again", LONG, |s| s.matches("1 row").count() == 2);
        if vi {
            // `/` from normal mode searches too.
            t.send("\x1b");
            t.wait_text("[N]>", LONG);
            t.send("/");
            t.wait_text("reverse-search", LONG);
            t.send("needl");
            t.wait_text("reverse-search: needl)", LONG);
        }
        quit(t);
    }
}

#[test]
fn the_vi_mode_indicator_stays_put_while_the_menu_is_open() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    let t = start(&sb, &db, true, (24, 80));
    t.wait_text("films.db [I]>", LONG);
    let mut t = t;
    t.send("select * from act");
    t.wait_text("actor_info", LONG);
    let line = input_line(&t.screen());
    assert_eq!(line, "films.db [I]> select * from act");
    quit(t);
}

#[test]
fn keywords_keep_the_case_typed_and_details_name_the_kind_once() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    let mut t = start(&sb, &db, false, (24, 80));
    t.send("sel");
    t.wait_text("keyword", LONG);
    t.send("\t");
    wait_line(&t, "lower-case select", |l| l.ends_with("> select"));
    t.send(" * from act");
    t.wait_text("actor_info", LONG);
    let screen = t.screen();
    assert!(screen.contains("table"), "{screen}");
    assert!(!screen.contains("table table"), "{screen}");
    quit(t);
}

#[test]
fn the_menu_fits_a_small_terminal() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for (rows, cols) in [(24, 80), (12, 40)] {
        let mut t = start(&sb, &db, false, (rows, cols));
        t.send("select * from film where ");
        t.send("\t");
        t.wait_text("film_id", LONG);
        let screen = t.screen();
        // The box is drawn whole: its top and bottom corners are on screen.
        assert!(screen.contains('╭') && screen.contains('╰'), "{screen}");
        quit(t);
    }
}

#[test]
fn in_a_statement_taller_than_the_screen_the_menu_opens_under_the_cursor_line() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    for (rows, cols) in [(12, 80), (24, 80)] {
        let mut t = start(&sb, &db, false, (rows, cols));
        // Alt-Enter: a newline, whatever the statement; more lines than the screen has.
        for i in 1..=usize::from(rows) + 4 {
            t.send(&format!("select {i},\x1b\r"));
        }
        t.wait_text(&format!("select {},", rows + 4), LONG);
        t.send("fil");
        t.wait_for("the menu below the line being typed", LONG, |s| {
            let lines: Vec<&str> = s.lines().collect();
            let top = lines.iter().position(|l| l.contains('╭'));
            // The row right above the box is the cursor line, and the line before it
            // the statement's last full line.
            top.is_some_and(|top| {
                top >= 2
                    && lines[top - 1].trim_end().ends_with("-> fil")
                    && lines[top - 2].contains(&format!("select {},", rows + 4))
            })
        });
        quit(t);
    }
}

/// dbsh on a terminal that cannot take escape sequences.
fn plain_term(sb: &Sandbox, db: &str, term: &str, answer_cpr: bool) -> Term {
    let mut cmd = sb.cmd();
    cmd.arg(db);
    let t = Term::spawn_as(cmd, 24, 80, term, answer_cpr);
    t.wait_text("films.db>", LONG);
    t
}

fn plain_session_works(mut t: Term) {
    t.send("select 6 * 7 as n;\r");
    t.wait_text("42", LONG);
    // Longer than the spinner's one-second delay: no spinner on such a terminal.
    t.send("with recursive c(x) as (select 1 union all select x + 1 from c limit 1500000) select count(*) as m from c;\r");
    t.wait_for("the result and a new prompt", LONG, |s| {
        s.contains("1500000")
            && s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with('>'))
    });
    // The catalog loads in the background: Tab again until it has (each Tab re-prints
    // the line, so the text typed so far is kept).
    t.send("select * from act\t");
    let listed = |s: &str| {
        s.lines()
            .any(|l| l.contains("actor") && l.contains("actor_info"))
    };
    let mut tries = 0;
    while !t.try_wait_for(3, listed) {
        tries += 1;
        assert!(tries < 20, "candidates never listed:\n{}", t.screen());
        t.send("\t");
    }
    t.send("or_i\t");
    t.wait_text("actor_info", LONG);
    t.send(";\r");
    t.wait_text("0 rows", LONG);
    t.ctrl_d();
    assert_eq!(t.wait_exit(LONG), 0);
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        !raw.contains(&0x1b),
        "an escape sequence was written:\n{text:?}"
    );
}

#[test]
fn a_dumb_terminal_gets_plain_lines_without_escape_sequences() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    plain_session_works(plain_term(&sb, &db, "dumb", true));
    // History is kept there too, as each statement is submitted.
    let history = std::fs::read_to_string(sb.path().join("data/dbsh/history")).unwrap();
    assert!(history.contains("select 6 * 7 as n;"), "{history}");
}

#[test]
fn a_terminal_that_does_not_answer_the_cursor_query_gets_plain_lines() {
    let sb = Sandbox::new();
    let db = film_db(&sb);
    let mut t = plain_term(&sb, &db, "xterm-256color", false);
    // The one query asked, before anything else; then nothing but text.
    let raw = t.raw();
    let after = raw
        .windows(4)
        .position(|w| w == b"\x1b[6n")
        .map_or(0, |i| i + 4);
    t.send("select 6 * 7 as n;\r");
    t.wait_text("42", LONG);
    t.ctrl_d();
    assert_eq!(t.wait_exit(LONG), 0);
    let raw = t.raw();
    assert!(
        !raw[after..].contains(&0x1b),
        "{:?}",
        String::from_utf8_lossy(&raw)
    );
}

#[test]
fn a_cancelled_editor_leaves_the_line_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let db = film_db(&sb);
    let script = sb.path().join("cancel-editor");
    // vim's `:cq`: the file may be touched, the exit status says "cancel".
    std::fs::write(
        &script,
        "#!/bin/sh\necho 'drop table film;' > \"$1\"\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    for vi in [false, true] {
        let mut cmd = sb.cmd();
        cmd.arg(&db).env("EDITOR", &script).env_remove("VISUAL");
        if vi {
            cmd.arg("--vi");
        }
        let mut t = Term::spawn(cmd, 24, 80);
        t.wait_text("films.db", LONG);
        t.send("select 1 as kept;");
        wait_line(&t, "typed", |l| l.ends_with("select 1 as kept;"));
        if vi {
            t.send("\x1b");
            t.wait_text("[N]>", LONG);
            t.send("v");
        } else {
            t.send("\x18\x05");
        }
        t.wait_text("exited with status 1; the buffer is unchanged", LONG);
        wait_line(&t, "the line kept", |l| l.ends_with("select 1 as kept;"));
        t.send("\r");
        t.wait_text("1 row", LONG);
        assert!(!t.screen().contains("drop table"), "{}", t.screen());
        quit(t);
    }
}

#[test]
fn postgres_prompt_completes_from_the_whole_line_like_suggest() {
    let Some(url) = crate::common::postgres_url() else {
        return;
    };
    let schema = crate::common::unique_name("prompt");
    let setup = format!(
        "create schema {schema}; create table {schema}.film (film_id int, title text); \
         create table {schema}.actor (actor_id int)"
    );
    let r = crate::common::dbsh(&[&url, "-c", &setup]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg(&url);
    let mut t = Term::spawn(cmd, 24, 80);
    t.wait_for("the prompt", LONG, |s| {
        s.lines().any(|l| l.trim_end().ends_with('>'))
    });
    // `select | from S.film f;` then `f.|`: film's columns, as --suggest gives them.
    let line = format!("select f. from {schema}.film f;");
    t.send(&line);
    t.send(&"\x1b[D".repeat(line.len() - "select f.".len()));
    // The catalog loads in the background: Tab again until it is in (each Tab that
    // finds columns moves through them, so either column proves the point).
    let found = |s: &str| {
        s.lines().any(|l| {
            let l = l.trim_end();
            l.ends_with(&format!("select f.film_id from {schema}.film f;"))
                || l.ends_with(&format!("select f.title from {schema}.film f;"))
                // Tab on the `*` candidate spells out the columns: also read from the FROM.
                || l.ends_with(&format!("select f.film_id, f.title from {schema}.film f;"))
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(LONG);
    let mut ok = false;
    while !ok && std::time::Instant::now() < deadline {
        t.send("\t");
        ok = t.try_wait_for(2, found);
    }
    let screen = t.screen();
    t.send("\x03");
    drop(t);
    crate::common::dbsh(&[&url, "-c", &format!("drop schema {schema} cascade")]);
    assert!(ok, "{screen}");
}
