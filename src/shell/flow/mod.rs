//! How a session runs a sequence of input pieces, as psql runs a script: `\if` branches
//! (skipped branches run nothing), `:var` interpolation before a statement runs,
//! `ON_ERROR_STOP` and `AUTOCOMMIT`, statement endings (`\gset`, `\gexec`, `\gx`, `\g file`),
//! inline `COPY … FROM STDIN` data, `\restrict`. It does not read SQL text itself (the
//! splitter and `interpolate` do) and does not render (the session does).

mod copy;
mod ending;
pub mod stream;

use super::special::{self, Then};
use super::state::{vars, ScriptState};
use super::{RunError, Session};
use crate::db::TxState;
use crate::sql::{Piece, Terminator};

/// Commands that take part in `\if` even inside skipped branches.
fn is_conditional(name: &str) -> bool {
    matches!(name, "\\if" | "\\elif" | "\\else" | "\\endif")
}

fn command_name(line: &str) -> (&str, &str) {
    let line = line.trim();
    match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim_start()),
        None => (line, ""),
    }
}

/// Run everything in `text` in order; see the module docs.
pub async fn run_text(session: &mut Session, text: &str, keep_going: bool) -> Result<(), RunError> {
    let server_rule = session.conn().standard_conforming_strings();
    let (start, pieces) = match session.splitter().lock() {
        Ok(mut s) => {
            // The server's word on how strings read (its default, the role's, a
            // set_config) comes before what earlier text said.
            if let Some(on) = server_rule {
                s.set_standard_conforming_strings(on);
            }
            (s.clone(), s.split(text))
        }
        Err(_) => return Err(RunError::Failed),
    };
    let mut first_error = None;
    let mut pieces = pieces.into_iter().peekable();
    // The string rule the rest was split with, as the text itself changes it.
    let mut split_rule = start.lex_state().standard_conforming_strings;
    while let Some(piece) = pieces.next() {
        if let Piece::Sql { text: sql, .. } = &piece {
            if let Some(on) =
                crate::sql::facts::sets_standard_conforming_strings(sql, start.lex_state())
            {
                split_rule = on;
            }
        }
        let result = match piece {
            Piece::Command { text: cmd, .. } => run_command(session, &cmd).await,
            Piece::CopyData { .. } => Ok(()), // after a skipped or failed COPY statement
            Piece::Sql {
                text: sql,
                terminator,
                offset,
            } => {
                let data = match pieces.peek() {
                    Some(Piece::CopyData { .. }) => match pieces.next() {
                        Some(Piece::CopyData { data, offset }) => Some((data, offset)),
                        _ => None,
                    },
                    _ => None,
                };
                if !session.script_mut().conds.active() {
                    continue;
                }
                run_statement(session, &sql, &terminator, text, offset, data).await
            }
        };
        // The statement changed the rule another way (a function, `set_config`): read the
        // rest again under the server's rule, as psql lexes each statement with it.
        if let (Some(on), Some(next)) =
            (session.conn().standard_conforming_strings(), pieces.peek())
        {
            if on != split_rule {
                let at = next.offset();
                let mut tail = start.clone();
                tail.set_standard_conforming_strings(on);
                let rest: Vec<Piece> = tail
                    .split(&text[at..])
                    .into_iter()
                    .map(|p| p.shifted(at))
                    .collect();
                if let Ok(mut s) = session.splitter().lock() {
                    *s = tail;
                }
                pieces = rest.into_iter().peekable();
                split_rule = on;
            }
        }
        match result {
            Ok(()) => {}
            Err(RunError::Failed) => {
                if session.script_mut().stops_on_error(keep_going) {
                    return Err(RunError::Failed);
                }
                // psql goes on and exits 0 when ON_ERROR_STOP is off; dbsh's own
                // --continue-on-error still reports the failure in the exit code.
                if keep_going || session.script_mut().vars.flag("ON_ERROR_STOP").is_none() {
                    first_error.get_or_insert(RunError::Failed);
                }
            }
            Err(e) => return Err(e),
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// `\g`, `\gx`, `\gset`, `\gexec` on a line of their own: run the previous statement again
/// with that ending, as psql does with an empty query buffer.
pub async fn run_last_with(session: &mut Session, command: &str) -> Result<(), RunError> {
    let Some(sql) = session.last_sql().map(str::to_string) else {
        eprintln!("{}: no previous statement to run", command_name(command).0);
        return Err(RunError::Failed);
    };
    run_statement(
        session,
        &sql,
        &Terminator::Command(command.to_string()),
        &sql,
        0,
        None,
    )
    .await
}

/// The end of a script: an `\if` left open is an error, as in psql.
pub fn finish_script(session: &mut Session) -> Result<(), RunError> {
    if session.script_mut().conds.depth() > 0 {
        eprintln!("dbsh: reached EOF without finding closing \\endif(s)");
        return Err(RunError::Failed);
    }
    Ok(())
}

/// One backslash command: conditionals always; the rest only in a running branch and
/// not while restricted.
async fn run_command(session: &mut Session, line: &str) -> Result<(), RunError> {
    let (name, rest) = command_name(line);
    if is_conditional(name) {
        return conditional(session, name, rest);
    }
    if !session.script_mut().conds.active() {
        return Ok(());
    }
    if let Some(key) = &session.script_mut().restricted {
        if name == "\\unrestrict" {
            let given = crate::shell::special::args::split(rest, &|_| None);
            if given.first() == Some(key) {
                session.script_mut().restricted = None;
                return Ok(());
            }
            eprintln!("\\unrestrict: wrong key");
            return Err(RunError::Failed);
        }
        eprintln!("backslash commands are restricted; only \\unrestrict is allowed");
        return Err(RunError::Failed);
    }
    let then = special::run(session, line).await?;
    follow(session, then).await
}

/// Do what a command left to the flow: see [`Then`]. Boxed: a script may include
/// scripts, and `\n` may run `\n`.
fn follow(
    session: &mut Session,
    then: Then,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), RunError>> + '_>> {
    Box::pin(async move {
        match then {
            Then::Done => Ok(()),
            Then::RunLast(command) => run_last_with(session, &command).await,
            Then::Include(path) => include(session, &path).await,
            Then::Run(text) => run_text(session, &text, false).await,
        }
    })
}

/// `\i FILE` (and MySQL's `source`): the script runs as it is read, as psql does.
async fn include(session: &mut Session, path: &str) -> Result<(), RunError> {
    let input = stream::open(session, std::path::Path::new(path)).map_err(|e| {
        eprintln!("\\i: {e}");
        RunError::Failed
    })?;
    match stream::run(session, input, path, false).await {
        Ok(()) => Ok(()),
        Err(stream::StreamError::Run(e)) => Err(e),
        Err(stream::StreamError::Input(e)) => {
            eprintln!("\\i: {e}");
            Err(RunError::Failed)
        }
    }
}

fn conditional(session: &mut Session, name: &str, rest: &str) -> Result<(), RunError> {
    let state = session.script_mut();
    let evaluate = |state: &ScriptState| -> bool {
        let words = crate::shell::special::args::split(rest, &state.lookup());
        let expr = words.join(" ");
        match vars::parse_bool(&expr) {
            Some(b) => b,
            None => {
                eprintln!(
                    "unrecognized value \"{expr}\" for \"{name} expression\": Boolean expected"
                );
                false
            }
        }
    };
    let r = match name {
        "\\if" => {
            let value = state.conds.active().then(|| evaluate(state));
            state.conds.push_if(|| value.unwrap_or(false));
            Ok(())
        }
        "\\elif" => {
            let value = state.conds.elif_evaluates().then(|| evaluate(state));
            state.conds.elif(|| value.unwrap_or(false))
        }
        "\\else" => state.conds.else_(),
        _ => state.conds.endif(),
    };
    r.map_err(|e| {
        eprintln!("{e}");
        RunError::Failed
    })
}

/// One SQL statement with its ending, interpolated, maybe inside an implicit transaction.
async fn run_statement(
    session: &mut Session,
    sql: &str,
    terminator: &Terminator,
    whole: &str,
    offset: usize,
    copy_data: Option<(String, usize)>,
) -> Result<(), RunError> {
    if crate::sql::facts::is_quit(sql) {
        return Err(RunError::Quit);
    }
    if let Some(r) = special::mysql_word(session, sql).await {
        return follow(session, r?).await;
    }
    let state = match session.splitter().lock() {
        Ok(s) => s.lex_state().clone(),
        Err(_) => return Err(RunError::Failed),
    };
    let sql = crate::sql::vars::interpolate(sql, &state, &session.script_mut().lookup());
    implicit_begin(session, &sql).await;
    let result = if let Some(dir) = copy::direction(session, &sql) {
        copy::run(session, &sql, dir, whole, offset, copy_data).await
    } else {
        match terminator {
            Terminator::Vertical => session.run_sql(&sql, true, whole, offset).await,
            Terminator::Command(cmd) => ending::run(session, &sql, cmd, whole, offset).await,
            _ => session.run_sql(&sql, false, whole, offset).await,
        }
    };
    if result.is_ok() {
        session.script_mut().note_success();
    }
    result
}

/// `AUTOCOMMIT off`: open a transaction before a statement outside one, as psql does
/// (not for statements that end or cannot run inside one).
async fn implicit_begin(session: &mut Session, sql: &str) {
    if session.script_mut().vars.flag("AUTOCOMMIT") != Some(false)
        || session.transaction_state() != TxState::Idle
    {
        return;
    }
    let first: Vec<String> = sql
        .split_whitespace()
        .take(3)
        .map(|w| w.trim_end_matches(';').to_ascii_uppercase())
        .collect();
    let word = |i: usize| first.get(i).map_or("", String::as_str);
    let outside_only = matches!(
        word(0),
        "BEGIN"
            | "START"
            | "COMMIT"
            | "END"
            | "ROLLBACK"
            | "ABORT"
            | "VACUUM"
            | "SAVEPOINT"
            | "RELEASE"
            | "PREPARE"
            | "CHECKPOINT"
            | "REINDEX"
            | "SET"
            | "SHOW"
    ) || (word(0) == "CREATE" && matches!(word(1), "DATABASE" | "TABLESPACE"))
        || (word(0) == "DROP" && matches!(word(1), "DATABASE" | "TABLESPACE"))
        || (word(0) == "ALTER" && word(1) == "SYSTEM")
        || (word(1) == "INDEX" && word(2) == "CONCURRENTLY");
    if outside_only {
        return;
    }
    if let Err(e) = session
        .conn_mut()
        .execute("BEGIN", &mut crate::result::Discard)
        .await
    {
        eprintln!("could not start a transaction for AUTOCOMMIT off: {e}");
    }
}

/// Set up a new session's variables: psql's defaults, then `-v NAME=VALUE`.
pub fn start(session: &mut Session, assignments: &[String], quiet: bool) -> Result<(), String> {
    let info = session.conn().info();
    let script = session.script_mut();
    script.quiet = quiet;
    let vars = &mut script.vars;
    let _ = vars.set("AUTOCOMMIT", "on");
    let _ = vars.set("DBNAME", &info.database);
    let _ = vars.set("USER", &info.user);
    let _ = vars.set("HOST", &info.host);
    if let Some(port) = info.port {
        let _ = vars.set("PORT", &port.to_string());
    }
    let _ = vars.set("QUIET", if quiet { "on" } else { "off" });
    for a in assignments {
        // psql: `-v name` alone unsets; `name=` sets empty.
        match a.split_once('=') {
            Some((name, value)) => vars.set(name, value).map_err(|e| format!("-v {a}: {e}"))?,
            None => vars.unset(a),
        }
    }
    Ok(())
}
