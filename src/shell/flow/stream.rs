//! Running a script as it is read, as psql does: lines gather until the splitter says
//! they hold complete statements, which then run (so `DELIMITER`, `\if` and the server's
//! string rule apply to what follows), and the data after `COPY … FROM STDIN` goes to the
//! server line by line (`copy.rs` reads it from the session's `ScriptInput`). Memory stays
//! bounded by the longest statement, whatever the script's size.

use crate::script::ScriptInput;
use crate::shell::{RunError, Session};

/// Why a streamed script stopped before its end, other than a statement's failure.
pub enum StreamError {
    Run(RunError),
    /// The input could not be read (not UTF-8, an I/O error): nothing after it ran.
    Input(String),
}

/// The script at `path`, to be read for `session`'s backend: MySQL takes a script's raw
/// bytes (BLOB values in a dump), the others want UTF-8.
pub fn open(session: &Session, path: &std::path::Path) -> Result<ScriptInput, String> {
    crate::script::open(path, raw_bytes(session))
}

/// Standard input as a script, by the same rule as [`open`].
pub fn stdin(session: &Session) -> ScriptInput {
    let stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
    let mut input = ScriptInput::new(Box::new(stdin));
    input.raw_bytes = raw_bytes(session);
    input
}

fn raw_bytes(session: &Session) -> bool {
    session.backend() == crate::db::Backend::Mysql
}

/// Run everything `input` holds; `name` is used in error locations (`name:line:`).
pub async fn run(
    session: &mut Session,
    mut input: ScriptInput,
    name: &str,
    keep_going: bool,
) -> Result<(), StreamError> {
    let saved_source = session.set_source(None);
    let saved_input = session.script_input_mut().take();
    let result = run_lines(session, &mut input, name, keep_going).await;
    session.set_source(saved_source);
    *session.script_input_mut() = saved_input;
    result
}

async fn run_lines(
    session: &mut Session,
    input: &mut ScriptInput,
    name: &str,
    keep_going: bool,
) -> Result<(), StreamError> {
    let mut chunk = String::new();
    let mut chunk_line = 1;
    let mut failed = false;
    loop {
        let line = input
            .next_line()
            .map_err(|e| StreamError::Input(format!("{name}: {e}; nothing after it was run")))?;
        let end = line.is_none();
        // A statement can only end on a line holding the delimiter or a backslash (`\g`,
        // a command), or at the start of a statement (a client command, a comment): other
        // lines are not checked, so a long statement costs no rescans (mariadb-dump puts
        // each row of an INSERT on its own line).
        let mut may_end = end || chunk.trim().is_empty();
        if let Some(l) = line {
            if !may_end {
                may_end = l.contains('\\')
                    || session
                        .splitter()
                        .lock()
                        .map_or(true, |s| l.contains(s.delimiter()));
            }
            chunk.push_str(&l);
        }
        if !may_end {
            continue;
        }
        let (complete, copy) = match session.splitter().lock() {
            // The data starts on the next line: asked without the newline that ends the
            // COPY line, as at the prompt.
            Ok(s) if !end => (
                s.is_complete(&chunk),
                s.awaits_copy_data(chunk.trim_end_matches(['\n', '\r'])),
            ),
            _ => (true, false),
        };
        if !complete && !copy {
            continue;
        }
        input.copy_pending = copy;
        session.set_source(Some((name.to_string(), chunk_line)));
        // The COPY data, if the chunk ends with a COPY, is read from the same input.
        *session.script_input_mut() = Some(std::mem::replace(input, ScriptInput::empty()));
        let text = if copy {
            chunk.trim_end_matches(['\n', '\r'])
        } else {
            &chunk
        };
        let result = super::run_text(session, text, keep_going).await;
        if let Some(back) = session.script_input_mut().take() {
            *input = back;
        }
        // The COPY did not take its data (it failed first, was skipped by `\if`, or is not
        // PostgreSQL's): the block is data, never SQL.
        input.skip_copy_data();
        chunk.clear();
        chunk_line = input.line + 1;
        match result {
            Ok(()) => {}
            Err(RunError::Failed) if !session.script_mut().stops_on_error(keep_going) => {
                failed = true
            }
            Err(e) => return Err(StreamError::Run(e)),
        }
        if end {
            break;
        }
    }
    if failed {
        Err(StreamError::Run(RunError::Failed))
    } else {
        Ok(())
    }
}
