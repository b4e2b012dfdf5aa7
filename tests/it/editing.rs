//! The editing experience at a real prompt: colours per the theme (read back cell by cell),
//! NO_COLOR, the vi mode indicator, the external editor, history suggestions, bracketed
//! paste, the prompt template, run-time toggles and the slow-statement spinner.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use crate::common::{dbsh, Sandbox};
use crate::pty::{sqlite_term, Term};

const F3: &str = "\x1bOR";
const F4: &str = "\x1bOS";

/// dbsh with colours allowed (the sandbox sets NO_COLOR) on a 100x30 terminal.
fn colour_term(sb: &Sandbox, args: &[&str], truecolor: bool) -> Term {
    let mut cmd = sb.cmd();
    cmd.env_remove("NO_COLOR").args(args);
    if truecolor {
        cmd.env("COLORTERM", "truecolor");
    } else {
        cmd.env_remove("COLORTERM");
    }
    Term::spawn(cmd, 30, 100)
}

/// Row and column of the last occurrence of `text` on screen (ASCII screens).
fn find(t: &Term, text: &str) -> Option<(u16, u16)> {
    let screen = t.screen();
    screen
        .lines()
        .enumerate()
        .filter_map(|(row, line)| line.rfind(text).map(|col| (row as u16, col as u16)))
        .last()
}

fn fg_at(t: &Term, row: u16, col: u16) -> vt100::Color {
    t.parser()
        .screen()
        .cell(row, col)
        .map_or(vt100::Color::Default, |c| c.fgcolor())
}

/// Every cell's foreground colour on screen.
fn all_colours(t: &Term) -> Vec<vt100::Color> {
    let parser = t.parser();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let mut out = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if let Some(cell) = screen.cell(r, c) {
                out.push(cell.fgcolor());
            }
        }
    }
    out
}

/// The line the prompt is on (the last one that starts with the database name).
fn line(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| l.starts_with(":memory:"))
        .unwrap_or("")
        .trim_end()
        .to_string()
}

fn write_config(sb: &Sandbox, text: &str) {
    let dir = sb.path().join("config/dbsh");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// A script usable as `$EDITOR`: runs `body` with the file as `$1`.
fn editor_script(sb: &Sandbox, body: &str) -> String {
    let path = sb.path().join("fake-editor.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn keywords_strings_and_numbers_have_the_theme_colours() {
    let sb = Sandbox::new();
    let mut t = colour_term(&sb, &["--theme", "dark"], true);
    t.wait_text(":memory:>", 10);
    t.send("select 'abc', 42 -- note");
    t.wait_text("-- note", 5);
    let (row, col) = find(&t, "select 'abc'").unwrap();
    // Colours from themes/dark.tmTheme.
    for i in 0..6 {
        assert_eq!(
            fg_at(&t, row, col + i),
            vt100::Color::Rgb(0x7C, 0xAF, 0xE0),
            "keyword"
        );
    }
    assert_eq!(
        fg_at(&t, row, col + 7),
        vt100::Color::Rgb(0x9C, 0xCB, 0x7A),
        "string"
    );
    assert_eq!(
        fg_at(&t, row, col + 14),
        vt100::Color::Rgb(0xE0, 0x97, 0x6A),
        "number"
    );
    assert_eq!(
        fg_at(&t, row, col + 17),
        vt100::Color::Rgb(0x7D, 0x85, 0x90),
        "comment"
    );
    t.send("\x03");
    t.wait_prompt(":memory:>", 5);
    t.send("\x04");
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn the_ansi_theme_uses_palette_colours_and_256_colour_terminals_get_approximations() {
    let sb = Sandbox::new();
    let mut t = colour_term(&sb, &["--theme", "ansi"], true);
    t.wait_text(":memory:>", 10);
    t.send("select 1");
    t.wait_text("select 1", 5);
    let (row, col) = find(&t, "select 1").unwrap();
    assert_eq!(fg_at(&t, row, col), vt100::Color::Idx(4));
    assert_eq!(fg_at(&t, row, col + 7), vt100::Color::Idx(5));
    drop(t);

    let mut t = colour_term(&sb, &["--theme", "dark"], false);
    t.wait_text(":memory:>", 10);
    t.send("select 1");
    t.wait_text("select 1", 5);
    let (row, col) = find(&t, "select 1").unwrap();
    // #7CAFE0 on the xterm 256-colour cube.
    assert_eq!(fg_at(&t, row, col), vt100::Color::Idx(110));
}

#[test]
fn a_multi_line_statement_with_an_open_string_is_still_coloured() {
    let sb = Sandbox::new();
    let mut t = colour_term(&sb, &["--theme", "dark"], true);
    t.wait_text(":memory:>", 10);
    t.send("select 1,\r");
    t.wait_text("->", 5);
    t.send("'open from t");
    t.wait_text("'open from t", 5);
    let (row, col) = find(&t, "'open from t").unwrap();
    // The unterminated string runs to the end: `from` is part of it.
    assert_eq!(fg_at(&t, row, col + 6), vt100::Color::Rgb(0x9C, 0xCB, 0x7A));
    let (row, col) = find(&t, "select 1,").unwrap();
    assert_eq!(fg_at(&t, row, col), vt100::Color::Rgb(0x7C, 0xAF, 0xE0));
}

#[test]
fn no_color_and_the_flag_turn_colours_off() {
    let sb = Sandbox::new();
    // The sandbox sets NO_COLOR=1.
    let mut t = sqlite_term(&sb, &["--theme", "dark"]);
    t.wait_text(":memory:>", 10);
    t.send("select 'abc', 42 -- note");
    t.wait_text("-- note", 5);
    assert!(all_colours(&t).iter().all(|c| *c == vt100::Color::Default));
    drop(t);

    let mut t = colour_term(&sb, &["--no-color"], true);
    t.wait_text(":memory:>", 10);
    t.send("select (1) -- x");
    t.wait_text("-- x", 5);
    assert!(all_colours(&t).iter().all(|c| *c == vt100::Color::Default));
}

#[test]
fn the_bracket_matching_the_cursor_is_underlined() {
    let sb = Sandbox::new();
    let mut t = colour_term(&sb, &[], true);
    t.wait_text(":memory:>", 10);
    t.send("select (1 + (2))");
    t.wait_text("select (1 + (2))", 5);
    let (row, col) = find(&t, "select (1 + (2))").unwrap();
    let underlined = |t: &Term, c: u16| {
        t.parser()
            .screen()
            .cell(row, col + c)
            .is_some_and(|cell| cell.underline())
    };
    // The cursor is just after the outer `)`: both outer brackets, not the inner ones.
    t.wait_for("the outer pair underlined", 5, |_| {
        underlined(&t, 7) && underlined(&t, 15)
    });
    assert!(!underlined(&t, 12) && !underlined(&t, 14));
}

#[test]
fn vi_mode_shows_and_switches() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &["--vi"]);
    t.wait_prompt(":memory: [I]>", 10);
    t.send("select 7 as seven");
    t.wait_text("seven", 5);
    t.send("\x1b");
    t.wait_text(":memory: [N]>", 5);
    // `A` appends at the end, back in insert mode.
    t.send("A;");
    t.wait_text(":memory: [I]> select 7 as seven;", 5);
    t.send("\r");
    t.wait_text("1 row", 5);
    // F4 switches to emacs keys, and back.
    t.send(F4);
    t.wait_prompt(":memory:>", 5);
    t.send(F4);
    t.wait_prompt(":memory: [I]>", 5);
    t.send("\x04");
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn vi_u_takes_back_a_whole_insert_or_change_and_ctrl_r_redoes_it() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &["--vi"]);
    t.wait_prompt(":memory: [I]>", 30);
    let normal = |t: &mut Term, want: &str| {
        t.send("\x1b");
        t.wait_for(want, 30, |s| line(s) == format!(":memory: [N]> {want}"));
    };
    t.send("select 1");
    normal(&mut t, "select 1");
    t.send("A as one, 2 as two");
    normal(&mut t, "select 1 as one, 2 as two");
    // One `u` takes back the whole second insert, words and all; the next the first.
    t.send("u");
    t.wait_for("the second insert undone", 30, |s| {
        line(s) == ":memory: [N]> select 1"
    });
    t.send("u");
    t.wait_for("the first insert undone", 30, |s| {
        line(s) == ":memory: [N]>"
    });
    t.send("\x12");
    t.wait_for("redone", 30, |s| line(s) == ":memory: [N]> select 1");
    // `cw` and the text typed after it are one change too.
    t.send("0cwvalues (7), (8)");
    normal(&mut t, "values (7), (8) 1");
    t.send("u");
    t.wait_for("the change undone", 30, |s| {
        line(s) == ":memory: [N]> select 1"
    });
    // Ctrl-C clears the line, then Ctrl-D on the empty line leaves.
    t.send("\x03");
    t.wait_for("an empty line", 30, |s| line(s).ends_with('>'));
    t.send("\x04");
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn vi_text_typed_ahead_of_esc_stays_in_order() {
    // One write: the editor reads the text and Esc as one batch, as after a slow link.
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &["--vi"]);
    t.wait_prompt(":memory: [I]>", 30);
    t.send("select 42 as answer\x1b");
    t.wait_text(":memory: [N]> select 42 as answer", 30);
    t.send("A;");
    t.wait_text(":memory: [I]> select 42 as answer;", 30);
    t.send("\r");
    t.wait_text("1 row", 30);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn every_line_typed_ahead_runs_even_when_its_enter_arrives_as_a_newline() {
    // Typed while a statement runs, Enter reaches the terminal as `\n` (the line
    // discipline's ICRNL), which the editor reads as Ctrl-J: several lines then arrive
    // in one read, and each must run.
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory:>", 30);
    t.send("select 11 as first;\nselect 22 as second;\nselect 33 as third;\n");
    t.wait_for("all three results", 30, |s| {
        s.contains("| first |") && s.contains("| second |") && s.contains("| third |")
    });
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn vi_mode_from_the_config_file() {
    let sb = Sandbox::new();
    write_config(&sb, "keys = \"vi\"\n");
    let t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory: [I]>", 10);
}

#[test]
fn backslash_e_edits_the_last_statement_and_brings_it_back() {
    let sb = Sandbox::new();
    let script = editor_script(&sb, "sed -i 's/41/42/' \"$1\"");
    let mut cmd = sb.cmd();
    cmd.env("EDITOR", &script).env_remove("VISUAL");
    let mut t = Term::spawn(cmd, 30, 100);
    t.wait_text(":memory:>", 10);
    t.send("select 41 as answer;\r");
    t.wait_text("1 row", 5);
    t.send("\\e\r");
    // The edited text is in the buffer, not run yet.
    t.wait_for("the edited statement", 5, |s| {
        s.lines()
            .last_non_empty()
            .is_some_and(|l| l.trim_end() == ":memory:> select 42 as answer;")
    });
    t.send("\r");
    t.wait_text("|     42 |", 5);
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn backslash_e_file_loads_the_edited_file() {
    let sb = Sandbox::new();
    let file = sb.path().join("q.sql");
    std::fs::write(&file, "select 'from file' as src;\n").unwrap();
    let script = editor_script(&sb, "sed -i 's/file/the editor/' \"$1\"");
    let mut cmd = sb.cmd();
    cmd.env("VISUAL", &script);
    let mut t = Term::spawn(cmd, 30, 100);
    t.wait_text(":memory:>", 10);
    t.send(&format!("\\e {}\r", file.display()));
    t.wait_text("select 'from the editor' as src;", 5);
    t.send("\r");
    t.wait_text("| from the editor |", 5);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("the editor"));
}

#[test]
fn ctrl_x_ctrl_e_and_vi_v_open_the_buffer_in_the_editor() {
    let sb = Sandbox::new();
    let script = editor_script(&sb, "sed -i 's/one/two/' \"$1\"");
    for args in [&[][..], &["--vi"][..]] {
        let mut cmd = sb.cmd();
        cmd.env("EDITOR", &script).env_remove("VISUAL").args(args);
        let mut t = Term::spawn(cmd, 30, 100);
        t.wait_text(":memory:", 10);
        t.send("select 'one' as n;");
        t.wait_text("'one'", 5);
        if args.is_empty() {
            t.send("\x18\x05");
        } else {
            t.send("\x1b");
            t.wait_text("[N]", 5);
            t.send("v");
        }
        t.wait_text("select 'two' as n;", 5);
        t.send("\r");
        t.wait_text("| two |", 5);
    }
}

#[test]
fn a_history_suggestion_appears_and_right_accepts_it() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("select 'suggest me' as s;\r");
    t.wait_text("1 row", 5);
    t.send("select 'sug");
    t.wait_for("the suggestion", 5, |s| {
        s.lines()
            .last_non_empty()
            .is_some_and(|l| l.trim_end() == ":memory:> select 'suggest me' as s;")
    });
    t.send("\x1b[C\r");
    t.wait_for("the statement to run again", 5, |s| {
        s.matches("1 row").count() == 2
    });
}

#[test]
fn a_pasted_script_runs_only_after_enter() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("\x1b[200~select 1 as first;\nselect 2 as second;\x1b[201~");
    t.wait_text("select 2 as second;", 5);
    // Not synchronisation: give a line-by-line runner the chance to misbehave.
    std::thread::sleep(Duration::from_millis(300));
    assert!(!t.screen().contains("1 row"), "{}", t.screen());
    t.send("\r");
    t.wait_for("both results", 5, |s| s.matches("1 row").count() == 2);
    let screen = t.screen();
    assert!(
        screen.contains("first") && screen.contains("second"),
        "{screen}"
    );
}

#[test]
fn a_long_paste_is_handled_at_once() {
    let sb = Sandbox::new();
    let mut t = colour_term(&sb, &[], true);
    t.wait_text(":memory:>", 10);
    let long = format!("select length('{}') as n;", "x".repeat(5000));
    let start = Instant::now();
    t.send(&format!("\x1b[200~{long}\x1b[201~\r"));
    t.wait_text("| 5000 |", 10);
    eprintln!(
        "5,000-character paste to result: {} ms",
        start.elapsed().as_millis()
    );
}

#[test]
fn enter_runs_without_a_semicolon_when_multi_line_is_off() {
    let sb = Sandbox::new();
    write_config(&sb, "multi_line = false\n");
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text("[single-line]", 10);
    t.send("select 3 as three\r");
    t.wait_text("1 row", 5);
    // Alt-Enter still inserts a newline.
    t.send("select 4\x1b\ras four\r");
    t.wait_for("the second result", 5, |s| s.matches("1 row").count() == 2);
    assert!(t.screen().contains("four"));
    // F3 turns multi-line back on: Enter continues an incomplete statement.
    t.send(F3);
    t.wait_for("multi-line on", 5, |s| {
        s.lines()
            .last_non_empty()
            .is_some_and(|l| !l.contains("[single-line]"))
    });
    t.send("select 5 as five\r");
    t.wait_text("  -> ", 5);
    assert!(!t.screen().contains("five |"));
    t.send(";\r");
    t.wait_for("the third result", 5, |s| s.matches("1 row").count() == 3);
}

#[test]
fn keys_typed_right_after_a_function_key_are_kept() {
    // F3 returns to the REPL to switch modes; what was typed after it in the same read
    // is the next line's, not dropped.
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt(":memory:>", 30);
    t.send(&format!("{F3}select 6 as six\r"));
    t.wait_text("1 row", 30);
    assert!(t.screen().contains("six"), "{}", t.screen());
    // The prompt is back (with F3's `[single-line]` on the right) before Ctrl-D.
    t.wait_for("the prompt", 30, |s| {
        s.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.starts_with(":memory:>"))
    });
    t.send("\x04");
    assert_eq!(t.wait_exit(30), 0);
}

#[test]
fn the_prompt_follows_the_config_template() {
    let sb = Sandbox::new();
    write_config(
        &sb,
        "prompt = \"\\\\b:\\\\d\\\\x> \"\nprompt_continuation = \"... \"\n",
    );
    let mut t = sqlite_term(&sb, &[]);
    t.wait_prompt("sqlite::memory:>", 10);
    t.send("begin;\r");
    t.wait_prompt("sqlite::memory:*>", 5);
    t.send("select 1\r");
    t.wait_text("... ", 5);
}

#[test]
fn a_slow_statement_shows_a_spinner_that_goes_away() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send(
        "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;\r",
    );
    let spinning = |s: &str| s.chars().any(|c| ('⠀'..='⣿').contains(&c));
    t.wait_for("the spinner", 5, spinning);
    assert!(t.screen().contains(" s"));
    t.send("\x03");
    t.wait_text("canceling statement due to user request", 5);
    assert!(!spinning(&t.screen()), "{}", t.screen());
}

#[test]
fn list_themes_shows_built_in_and_user_themes() {
    let out = dbsh(&["--list-themes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in ["ansi", "dark", "light"] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{name}\t"))),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_user_theme_from_the_config_directory_is_listed_and_used() {
    let sb = Sandbox::new();
    let dir = sb.path().join("config/dbsh/themes");
    std::fs::create_dir_all(&dir).unwrap();
    let dark = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/dark.tmTheme"))
        .unwrap();
    std::fs::write(dir.join("mine.tmTheme"), dark.replace("#7CAFE0", "#FF0000")).unwrap();
    let out = crate::common::finish(sb.cmd().arg("--list-themes").output().unwrap());
    assert!(out.stdout.contains("mine\tuser"), "{}", out.stdout);

    let mut t = colour_term(&sb, &["--theme", "mine"], true);
    t.wait_text(":memory:>", 10);
    t.send("select 1");
    t.wait_text("select 1", 5);
    let (row, col) = find(&t, "select 1").unwrap();
    assert_eq!(fg_at(&t, row, col), vt100::Color::Rgb(0xFF, 0, 0));
}

#[test]
fn an_unknown_theme_warns_and_falls_back() {
    let sb = Sandbox::new();
    let t = colour_term(&sb, &["--theme", "nope"], true);
    t.wait_text("unknown theme 'nope'", 10);
    t.wait_text(":memory:>", 10);
}

trait LastNonEmpty<'a> {
    fn last_non_empty(self) -> Option<&'a str>;
}

impl<'a, I: DoubleEndedIterator<Item = &'a str>> LastNonEmpty<'a> for I {
    fn last_non_empty(self) -> Option<&'a str> {
        self.rev().find(|l| !l.trim().is_empty())
    }
}

#[test]
fn vi_n_and_capital_n_step_through_the_matches_of_the_last_search() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &["--vi"]);
    t.wait_prompt(":memory: [I]>", 30);
    for (i, q) in ["select 1 as a1;", "select 2 as b2;", "select 3 as a3;"]
        .iter()
        .enumerate()
    {
        t.send(q);
        t.send("\r");
        t.wait_for("the result", 30, |s| s.matches(" row").count() == i + 1);
    }
    t.send("\x1b");
    t.wait_text(":memory: [N]>", 30);
    t.send("/");
    t.send("as a");
    t.send("\r");
    t.wait_for("the newest match", 30, |s| {
        line(s).ends_with("select 3 as a3;")
    });
    // Still in normal mode (an Esc sent right before `n` would read as Alt-n).
    assert!(
        line(&t.screen()).starts_with(":memory: [N]>"),
        "{}",
        t.screen()
    );
    t.send("n");
    t.wait_for("the next older match", 30, |s| {
        line(s).ends_with("select 1 as a1;")
    });
    t.send("N");
    t.wait_for("back to the newer match", 30, |s| {
        line(s).ends_with("select 3 as a3;")
    });
    t.send("\r");
    t.wait_for("the statement ran", 30, |s| s.matches(" row").count() == 4);
    t.ctrl_d();
    assert_eq!(t.wait_exit(30), 0);
}
