//! The shell: one session and everything that runs in it, as psql's `MainLoop`,
//! `command.c` and `common.c` are one program. Three layers, arrows pointing down only:
//!
//! - `flow` (top): runs input in order as psql runs a script: pieces from `sql::split`,
//!   `\if` branches, `:var` interpolation, statement endings (`\gset`, `\gexec`, `\g file`),
//!   COPY data, scripts streamed as they are read. It alone runs text, so a command that
//!   needs text run (`\i`, `\n`, `\g` alone) says so with a [`special::Then`] instead of
//!   running it.
//! - `special` (middle): the backslash and dot commands; each reads its arguments, asks
//!   the session and the catalog, and prints.
//! - `session` and `state` (bottom): the connection, output destination, error reports,
//!   the fault policy (`session::fault`), and psql's script state (variables, the `\if`
//!   stack). They know nothing of commands or of the flow.
//!
//! The REPL and the script runner hand text to [`run_text`] or [`flow::stream::run`].

pub mod flow;
pub mod session;
pub mod special;
pub mod state;

pub use session::{Guard, RunError, Session, Settled};

/// Run everything in `text`, in order. Stops at the first failure unless `keep_going`;
/// returns the first failure (or `Quit` / `BrokenPipe`). Completion then learns the
/// variables set.
pub async fn run_text(session: &mut Session, text: &str, keep_going: bool) -> Result<(), RunError> {
    let result = flow::run_text(session, text, keep_going).await;
    session.publish_variable_names();
    result
}
