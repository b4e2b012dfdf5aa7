//! psql's variable commands and friends: `\set`, `\unset`, `\getenv`, `\echo`, `\qecho`,
//! `\warn`, `\restrict`, `\unrestrict`, `\errverbose`. The store itself is in shell/state/vars.rs.

use std::io::{IsTerminal, Write};

use super::args;
use crate::shell::{RunError, Session};

fn words(session: &Session, rest: &str) -> Vec<String> {
    let vars = &session.script().vars;
    args::split(rest, &|n| vars.get(n).map(str::to_string))
}

fn fail(msg: impl std::fmt::Display) -> RunError {
    eprintln!("{msg}");
    RunError::Failed
}

/// `\set` lists every variable; `\set name [value…]` sets one (the values concatenated).
pub(super) fn set(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let w = words(session, rest);
    let Some(name) = w.first() else {
        let text: String = session
            .script_mut()
            .vars
            .iter()
            .map(|(k, v)| format!("{k} = '{v}'\n"))
            .collect();
        return session.print_paged(text.as_bytes());
    };
    let value: String = w[1..].concat();
    session
        .script_mut()
        .vars
        .set(name, &value)
        .map_err(|e| fail(format!("\\set: {e}")))
}

pub(super) fn unset(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let w = words(session, rest);
    let Some(name) = w.first() else {
        return Err(fail("\\unset: missing required argument"));
    };
    session.script_mut().vars.unset(name);
    Ok(())
}

/// `\getenv name ENVVAR`: the environment variable's value, or unset when it has none.
pub(super) fn getenv(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let w = words(session, rest);
    let [name, env] = w.as_slice() else {
        return Err(fail(
            "\\getenv: usage: \\getenv psql_variable environment_variable",
        ));
    };
    match std::env::var(env) {
        Ok(v) => session
            .script_mut()
            .vars
            .set(name, &v)
            .map_err(|e| fail(format!("\\getenv: {e}"))),
        Err(_) => {
            session.script_mut().vars.unset(name);
            Ok(())
        }
    }
}

/// The text `\echo` and friends print: the arguments joined by spaces; `-n` first leaves
/// out the newline.
fn echo_text(session: &Session, rest: &str) -> String {
    let mut w = words(session, rest);
    let newline = w.first().map(String::as_str) != Some("-n");
    if !newline {
        w.remove(0);
    }
    let mut text = w.join(" ");
    if newline {
        text.push('\n');
    }
    text
}

/// `\echo`: to standard output (not the `\o` file), as psql.
pub(super) fn echo(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let text = for_screen(echo_text(session, rest), std::io::stdout().is_terminal());
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(RunError::BrokenPipe),
        _ => Ok(()),
    }
}

/// `\qecho`: to the query output (the `\o` file when there is one).
pub(super) fn qecho(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let terminal = session.output_settings().terminal;
    let text = for_screen(echo_text(session, rest), terminal);
    session.print_paged(text.as_bytes())
}

pub(super) fn warn(session: &mut Session, rest: &str) -> Result<(), RunError> {
    eprint!(
        "{}",
        for_screen(echo_text(session, rest), std::io::stderr().is_terminal())
    );
    Ok(())
}

/// Text from a script or a variable (maybe a server value, through `\gset`) reaches a
/// terminal with its control bytes shown, not obeyed; files and pipes get it as written.
fn for_screen(text: String, terminal: bool) -> String {
    if terminal {
        crate::render::sanitize::escape_controls(&text, true).into_owned()
    } else {
        text
    }
}

/// `\restrict KEY`: from now on only `\unrestrict KEY` runs as a meta-command (pg_dump
/// output since 17.6 is wrapped in these, so that a dump cannot run client commands).
pub(super) fn restrict(session: &mut Session, rest: &str) -> Result<(), RunError> {
    let w = words(session, rest);
    let Some(key) = w.first().filter(|k| !k.is_empty()) else {
        return Err(fail("\\restrict: missing required argument"));
    };
    session.script_mut().restricted = Some(key.clone());
    Ok(())
}

pub(super) fn unrestrict(_session: &mut Session, _rest: &str) -> Result<(), RunError> {
    Err(fail("\\unrestrict: not currently in restricted mode"))
}

/// `\errverbose`: the last error again, with everything the server said.
pub(super) fn errverbose(session: &mut Session) -> Result<(), RunError> {
    match session.script_mut().last_error.clone() {
        Some(e) => session.print(&e),
        None => session.print("There is no previous error."),
    }
}
