//! The interactive loop on reedline: read -> run -> render, until Ctrl-D or `\q`.
//!
//! reedline stays behind this module (its API moves between releases).

pub mod completer;
pub mod editor;
pub mod hangup;
pub mod highlight;
pub mod hint;
pub mod history;
pub mod keys;
pub mod menu;
pub mod plain;
pub mod prompt;
pub mod theme;
pub mod validator;

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use reedline::{EditCommand, FileBackedHistory, MenuBuilder, Reedline, Signal};

use crate::config::Config;
use crate::shell::{RunError, Session};

pub struct ReplOptions {
    pub vi: bool,
    pub history_file: Option<PathBuf>,
    pub history_size: usize,
    /// Theme name (`--theme`, config `theme`); None: the default for the terminal.
    pub theme: Option<String>,
    pub color: theme::ColorMode,
    pub prompt: Option<String>,
    pub prompt_continuation: Option<String>,
    /// Enter inserts a newline until the statement is complete; off: Enter always runs.
    pub multi_line: bool,
    pub completion: bool,
    /// Open the menu as a name is typed, not only on Tab.
    pub completion_auto: bool,
    pub keyword_case: crate::config::KeywordCase,
}

impl ReplOptions {
    pub fn from_config(config: &Config, vi_flag: bool) -> ReplOptions {
        ReplOptions {
            vi: vi_flag || config.keys == crate::config::Keys::Vi,
            history_file: config
                .history_file
                .clone()
                .or_else(crate::files::default_history_file),
            history_size: config.history_size,
            theme: config.theme.clone(),
            color: theme::ColorMode::Ansi256,
            prompt: config.prompt.clone(),
            prompt_continuation: config.prompt_continuation.clone(),
            multi_line: config.multi_line,
            completion: config.completion,
            completion_auto: config.completion && config.completion_auto,
            keyword_case: config.keyword_case,
        }
    }

    /// Apply `--theme` and `--no-color` (with `NO_COLOR` and the terminal check).
    pub fn with_cli(mut self, theme: Option<&str>, no_color: bool) -> ReplOptions {
        if let Some(t) = theme {
            self.theme = Some(t.to_string());
        }
        self.color = theme::ColorMode::detect(no_color);
        self
    }
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

/// The theme's palette, or no colours; a theme that cannot be loaded is reported and the
/// default used instead.
fn palette(opts: &ReplOptions) -> theme::Palette {
    if opts.color == theme::ColorMode::Off {
        return theme::Palette::default();
    }
    let name = opts
        .theme
        .as_deref()
        .unwrap_or_else(|| theme::default_name());
    let loaded = theme::load(name).or_else(|e| {
        eprintln!("warning: {e}; using the default theme");
        theme::load(theme::default_name())
    });
    match loaded {
        Ok(t) => theme::Palette::from_theme(&t, opts.color),
        Err(_) => theme::Palette::default(),
    }
}

fn sql_validator(session: &Session) -> Box<validator::SqlValidator> {
    Box::new(validator::SqlValidator {
        splitter: session.splitter().clone(),
    })
}

fn build_editor(
    session: &Session,
    opts: &ReplOptions,
    menu_state: &Arc<menu::MenuState>,
) -> Reedline {
    let palette = palette(opts);
    let mut hint_style = palette.style(highlight::Kind::Comment);
    if hint_style.foreground.is_none() {
        hint_style = hint_style.dimmed();
    }
    let mut editor = Reedline::create()
        .with_edit_mode(keys::edit_mode(
            opts.vi,
            opts.completion_auto,
            menu_state.clone(),
        ))
        .with_highlighter(Box::new(highlight::SqlHighlighter {
            splitter: session.splitter().clone(),
            palette,
            enabled: opts.color != theme::ColorMode::Off,
        }))
        .with_hinter(Box::new(hint::HistoryHinter::new(hint_style)))
        .with_ansi_colors(opts.color != theme::ColorMode::Off)
        .use_bracketed_paste(true);
    if opts.multi_line {
        editor = editor.with_validator(sql_validator(session));
    }
    if let (true, Some(loader)) = (opts.completion, session.catalog()) {
        let menu = reedline::IdeMenu::default()
            .with_name(keys::COMPLETION_MENU)
            // The engine reads the whole statement, text after the cursor included
            // (`select | from film` offers film's columns), as `--suggest --cursor` does.
            .with_input_mode(reedline::InputMode::FullBuffer)
            // Shown instead of the prompt's indicator while the menu is open.
            .with_marker("> ")
            .with_default_border()
            .with_max_completion_height(menu::MAX_MENU_HEIGHT)
            // The box starts under the word being completed.
            .with_correct_cursor_pos(true)
            .with_description_mode(reedline::DescriptionMode::PreferRight)
            // A character that cannot extend the name closes the menu.
            .with_word_chars("_.\\");
        editor = editor
            // The hook the menu previews Tab's choice through (see menu.rs); the menu
            // itself never splices a common prefix in.
            .with_partial_completions(true)
            .with_completer(Box::new(completer::SqlCompleter {
                catalog: loader.shared.clone(),
                options: completer::options(opts.keyword_case),
                recent: session.recent_names(),
                variables: session.variable_names(),
            }))
            .with_menu(reedline::ReedlineMenu::EngineCompleter(Box::new(
                menu::QuietMenu::new(menu, menu_state.clone()),
            )));
    }
    if let Some(history) = open_history(opts) {
        editor = editor.with_history(Box::new(history));
    }
    editor
}

/// The history file, secrets filtered, or None (with a warning) when it cannot be used.
fn open_history(opts: &ReplOptions) -> Option<history::SecretFilteringHistory> {
    let path = opts.history_file.as_ref()?;
    match prepare_history(path)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            FileBackedHistory::with_file(opts.history_size, path.clone()).map_err(|e| e.to_string())
        }) {
        Ok(history) => Some(history::SecretFilteringHistory::new(history)),
        Err(e) => {
            eprintln!("warning: history is off: {}: {e}", path.display());
            None
        }
    }
}

/// `\e [FILE]` from the prompt: edit, and return the text for the input buffer.
fn edit_command(
    file: Option<String>,
    last: Option<&str>,
    scratch: Option<&editor::Scratch>,
) -> Option<String> {
    let result = match (file, scratch) {
        (Some(f), _) => editor::edit_file(std::path::Path::new(&f)),
        (None, Some(s)) => editor::edit_text(last.unwrap_or(""), &s.file()),
        (None, None) => Err("\\e: no scratch directory for the editor".to_string()),
    };
    result.map_err(|e| eprintln!("\\e: {e}")).ok()
}

/// Ctrl-X Ctrl-E / vi `v`: the buffer through the editor, or unchanged with a reason.
fn edit_buffer(editor: &mut Reedline, scratch: Option<&editor::Scratch>) {
    let Some(s) = scratch else {
        eprintln!("editor: no scratch directory for the editor");
        return;
    };
    match editor::edit_text(editor.current_buffer_contents(), &s.file()) {
        Ok(text) => {
            editor.run_edit_commands(&[EditCommand::Clear, EditCommand::InsertString(text)]);
        }
        // On a line of its own: the cursor is still after the input.
        Err(e) => eprintln!("\neditor: {e}"),
    }
}

fn prompt_for(session: &Session, opts: &ReplOptions) -> prompt::DbshPrompt {
    prompt::DbshPrompt::new(
        prompt::PromptValues {
            info: session.conn().info(),
            backend: session.backend().name(),
            tx: session.transaction_state(),
            read_only: session.read_only(),
        },
        opts.prompt.clone(),
        opts.prompt_continuation.clone(),
    )
}

/// The loop on a terminal that takes no cursor addressing (see `plain.rs`).
async fn run_plain(session: &mut Session, opts: ReplOptions) -> i32 {
    session.set_plain_terminal();
    let completer = match (opts.completion, session.catalog()) {
        (true, Some(loader)) => Some(completer::SqlCompleter {
            catalog: loader.shared.clone(),
            options: completer::options(opts.keyword_case),
            recent: session.recent_names(),
            variables: session.variable_names(),
        }),
        _ => None,
    };
    let validator = sql_validator(session);
    let multi_line = opts.multi_line;
    let mut reader = plain::PlainReader {
        completer,
        is_complete: Box::new(move |text| {
            !multi_line
                || matches!(
                    reedline::Validator::validate(&*validator, text),
                    reedline::ValidationResult::Complete
                )
        }),
        pending: String::new(),
    };
    let scratch = editor::Scratch::create().ok();
    let mut history = open_history(&opts);
    let mut last_statement: Option<String> = None;
    loop {
        session.conn_mut().check_standby().await;
        let p = prompt_for(session, &opts);
        let mode = reedline::PromptEditMode::Emacs;
        let first = format!(
            "{}{}",
            reedline::Prompt::render_prompt_left(&p),
            reedline::Prompt::render_prompt_indicator(&p, mode)
        );
        let cont = reedline::Prompt::render_prompt_multiline_indicator(&p).into_owned();
        let buffer = match reader.read(&first, &cont) {
            plain::Read::End => match leave(session).await {
                Some(code) => return code,
                None => continue,
            },
            plain::Read::Statement(s) => s,
        };
        if let Some(file) = editor::parse_edit_command(&buffer) {
            let last = last_statement.as_deref().or(session.last_sql());
            if let Some(text) = edit_command(file, last, scratch.as_ref()) {
                reader.pending = text.replace('\n', " ");
            }
            continue;
        }
        last_statement = Some(buffer.clone());
        // As at the full prompt: on disk before it runs, so a dropped session keeps it.
        if let Some(h) = history.as_mut() {
            let _ = reedline::History::save(h, reedline::HistoryItem::from_command_line(&buffer));
        }
        match crate::shell::run_text(session, &buffer, false).await {
            Ok(()) | Err(RunError::Failed) | Err(RunError::BrokenPipe) | Err(RunError::Lost) => {}
            Err(RunError::Quit) => {
                if let Some(code) = leave(session).await {
                    return code;
                }
            }
        }
    }
}

/// vi `n` / `N` after a history search: the next older (or newer) entry holding `term`
/// than the one on the line, as readline's vi mode does.
fn search_again(editor: &mut Reedline, term: &str, older: bool) {
    let Ok(found) = editor
        .history()
        .search(reedline::SearchQuery::all_that_contain_rev(
            term.to_string(),
        ))
    else {
        return;
    };
    // Newest first, each command once.
    let mut matches: Vec<String> = Vec::new();
    for item in found {
        if !matches.contains(&item.command_line) {
            matches.push(item.command_line);
        }
    }
    let here = matches
        .iter()
        .position(|m| m == editor.current_buffer_contents());
    let next = match (here, older) {
        (Some(i), true) => i + 1,
        (None, true) => 0,
        (Some(i), false) if i > 0 => i - 1,
        _ => return,
    };
    if let Some(entry) = matches.get(next) {
        editor.run_edit_commands(&[EditCommand::Clear, EditCommand::InsertString(entry.clone())]);
    }
}

/// Run the interactive loop; returns the exit code.
pub async fn run(session: &mut Session, mut opts: ReplOptions) -> i32 {
    hangup::install();
    if plain::needed() {
        return run_plain(session, opts).await;
    }
    let scratch = editor::Scratch::create()
        .map_err(|e| eprintln!("warning: the external editor is off: {e}"))
        .ok();
    let menu_state = Arc::new(menu::MenuState::default());
    let mut editor = build_editor(session, &opts, &menu_state);
    // What `\e` edits: the last statement submitted here.
    let mut last_statement: Option<String> = None;
    loop {
        session.conn_mut().check_standby().await;
        let mut prompt = prompt_for(session, &opts);
        prompt.single_line = !opts.multi_line;
        prompt.shown_indicator = Some(menu_state.indicator.clone());
        match editor.read_line(&prompt) {
            Ok(Signal::Success(buffer)) => {
                if let Some(file) = editor::parse_edit_command(&buffer) {
                    let last = last_statement.as_deref().or(session.last_sql());
                    if let Some(text) = edit_command(file, last, scratch.as_ref()) {
                        editor.run_edit_commands(&[
                            EditCommand::Clear,
                            EditCommand::InsertString(text),
                        ]);
                    }
                    continue;
                }
                if !buffer.trim().is_empty() {
                    last_statement = Some(buffer.clone());
                }
                match crate::shell::run_text(session, &buffer, false).await {
                    Ok(())
                    | Err(RunError::Failed)
                    | Err(RunError::BrokenPipe)
                    | Err(RunError::Lost) => {}
                    Err(RunError::Quit) => {
                        if let Some(code) = leave(session).await {
                            return code;
                        }
                    }
                }
            }
            Ok(Signal::HostCommand(cmd)) => {
                // F3 / F4: adjust the editor; the next read_line resumes the same buffer.
                if cmd == keys::OPEN_EDITOR {
                    edit_buffer(&mut editor, scratch.as_ref());
                } else if cmd == keys::SEARCH_OLDER || cmd == keys::SEARCH_NEWER {
                    let term = menu_state
                        .search_term
                        .lock()
                        .map(|t| t.clone())
                        .unwrap_or_default();
                    search_again(&mut editor, &term, cmd == keys::SEARCH_OLDER);
                } else if cmd == keys::TOGGLE_MULTI_LINE {
                    opts.multi_line = !opts.multi_line;
                    editor = if opts.multi_line {
                        editor.with_validator(sql_validator(session))
                    } else {
                        editor.disable_validator()
                    };
                } else if cmd == keys::TOGGLE_VI {
                    opts.vi = !opts.vi;
                    editor = editor.with_edit_mode(keys::edit_mode(
                        opts.vi,
                        opts.completion_auto,
                        menu_state.clone(),
                    ));
                } else if cmd == keys::TOGGLE_AUTO_COMPLETION {
                    opts.completion_auto = opts.completion && !opts.completion_auto;
                    editor = editor.with_edit_mode(keys::edit_mode(
                        opts.vi,
                        opts.completion_auto,
                        menu_state.clone(),
                    ));
                }
            }
            Ok(Signal::CtrlC) => continue,
            Ok(Signal::CtrlD) => {
                if let Some(code) = leave(session).await {
                    return code;
                }
            }
            Ok(_) => continue,
            Err(e) => {
                eprintln!("terminal error: {e}");
                return 1;
            }
        }
    }
}

/// `\q` or Ctrl-D: the exit code, or None to stay (Ctrl-C at the open-transaction question).
async fn leave(session: &mut Session) -> Option<i32> {
    match session.settle_open_transaction().await {
        crate::shell::Settled::Done => Some(0),
        crate::shell::Settled::Failed => Some(1),
        crate::shell::Settled::Cancelled => None,
    }
}
