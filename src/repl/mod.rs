//! The interactive loop on reedline: read -> run -> render, until Ctrl-D or `\q`.
//!
//! reedline stays behind this module (its API moves between releases).

pub mod history;
pub mod prompt;
pub mod validator;

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use reedline::{
    default_emacs_keybindings, default_vi_insert_keybindings, default_vi_normal_keybindings,
    default_vi_visual_keybindings, EditMode, Emacs, FileBackedHistory, Reedline, Signal, Vi,
};

use crate::config::Config;
use crate::session::{RunError, Session};

pub struct ReplOptions {
    pub vi: bool,
    pub history_file: Option<PathBuf>,
    pub history_size: usize,
}

impl ReplOptions {
    pub fn from_config(config: &Config, vi_flag: bool) -> ReplOptions {
        ReplOptions {
            vi: vi_flag || config.keys == crate::config::Keys::Vi,
            history_file: config.history_file.clone().or_else(default_history_file),
            history_size: config.history_size,
        }
    }
}

/// `$XDG_DATA_HOME/dbsh/history` (or the platform's data directory).
pub fn default_history_file() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("dbsh").join("history"))
}

/// Create the history file with mode 0600 before reedline opens it: it holds queries
/// that may name customers, tables and sometimes worse.
fn prepare_history(path: &PathBuf) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    Ok(())
}

fn build_editor(session: &Session, opts: &ReplOptions) -> Reedline {
    let edit_mode: Box<dyn EditMode> = if opts.vi {
        Box::new(Vi::new(
            default_vi_insert_keybindings(),
            default_vi_normal_keybindings(),
            default_vi_visual_keybindings(),
        ))
    } else {
        Box::new(Emacs::new(default_emacs_keybindings()))
    };
    let mut editor = Reedline::create()
        .with_edit_mode(edit_mode)
        .with_validator(Box::new(validator::SqlValidator {
            splitter: session.splitter.clone(),
        }))
        .use_bracketed_paste(true);
    if let Some(path) = &opts.history_file {
        match prepare_history(path)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                FileBackedHistory::with_file(opts.history_size, path.clone())
                    .map_err(|e| e.to_string())
            }) {
            Ok(history) => {
                editor =
                    editor.with_history(Box::new(history::SecretFilteringHistory::new(history)))
            }
            Err(e) => eprintln!("warning: history is off: {}: {e}", path.display()),
        }
    }
    editor
}

/// Run the interactive loop; returns the exit code.
pub async fn run(session: &mut Session, opts: ReplOptions) -> i32 {
    let mut editor = build_editor(session, &opts);
    loop {
        let prompt =
            prompt::DbshPrompt::new(&session.conn.info(), session.transaction_state(), opts.vi);
        match editor.read_line(&prompt) {
            Ok(Signal::Success(buffer)) => match session.run_text(&buffer, false).await {
                Ok(()) | Err(RunError::Failed) | Err(RunError::BrokenPipe) => {}
                Err(RunError::Quit) => return finish_transaction(session).await,
            },
            Ok(Signal::CtrlC) => continue,
            Ok(Signal::CtrlD) => return finish_transaction(session).await,
            Ok(_) => continue,
            Err(e) => {
                eprintln!("terminal error: {e}");
                return 1;
            }
        }
    }
}

/// Leaving with a transaction open: ask whether to commit, defaulting to roll back.
async fn finish_transaction(session: &mut Session) -> i32 {
    if session.transaction_state() == crate::db::TxState::Idle {
        return 0;
    }
    eprint!("A transaction is open. Commit it? (y/N, N rolls back) ");
    let _ = std::io::Write::flush(&mut std::io::stderr());
    let mut answer = String::new();
    let commit = std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES");
    match session.end_transaction(commit).await {
        Ok(()) => {
            eprintln!("{}", if commit { "Committed." } else { "Rolled back." });
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}
