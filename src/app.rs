//! One run of dbsh: resolve the target, connect, then run the REPL, the commands, or the
//! script. Maps every outcome to an exit code: 0 ok, 1 a statement failed, 2 usage or
//! connection errors.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use crate::cli::{Cli, Driver};
use crate::config::Config;
use crate::db::{Backend, Canceller, ConnectParams, Connection, Target};
use crate::render::{Format, RenderSettings};
use crate::session::{RunError, Session};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// A user-facing error: what went wrong, and maybe how to fix it.
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    pub code: i32,
}

impl UserError {
    pub fn usage(message: impl Into<String>) -> UserError {
        UserError {
            message: message.into(),
            hint: None,
            code: EXIT_USAGE,
        }
    }

    pub fn print(&self) {
        eprintln!("dbsh: error: {}", self.message);
        if let Some(h) = &self.hint {
            eprintln!("hint: {h}");
        }
    }
}

pub fn run(cli: Cli) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            UserError::usage(format!("cannot start the runtime: {e}")).print();
            return EXIT_USAGE;
        }
    };
    match runtime.block_on(run_async(cli)) {
        Ok(code) => code,
        Err(e) => {
            e.print();
            e.code
        }
    }
}

async fn run_async(cli: Cli) -> Result<i32, UserError> {
    let config = Config::load(cli.config.as_deref()).map_err(|e| UserError::usage(e.to_string()))?;
    let stdin_tty = std::io::stdin().is_terminal();
    let interactive = cli.commands.is_empty() && cli.file.is_none() && stdin_tty && cli.suggest.is_none();

    let target_text = cli.target.as_deref().map(|t| match config.connections.get(t) {
        Some(saved) => saved.url.clone(),
        None => t.to_string(),
    });
    let params = ConnectParams {
        host: cli.host.clone(),
        port: cli.port,
        user: cli.user.clone(),
        dbname: cli.dbname.clone(),
        password_prompt: cli.password_prompt,
        driver: cli.driver.map(|d| match d {
            Driver::Postgres => Backend::Postgres,
            Driver::Mysql => Backend::Mysql,
            Driver::Sqlite => Backend::Sqlite,
        }),
        interactive: stdin_tty,
        defaults_file: cli.defaults_file.clone(),
    };
    let target = Target::parse(target_text.as_deref(), &params).map_err(UserError::usage)?;
    let conn = Connection::connect(&target).await.map_err(|e| UserError {
        hint: e.hint().map(str::to_string),
        message: e.to_string(),
        code: EXIT_USAGE,
    })?;

    let mut settings = RenderSettings {
        null: config.null.clone(),
        style: config.table_style,
        max_field_width: config.max_field_width,
        timing: config.timing.unwrap_or(interactive),
        ..RenderSettings::default()
    };
    if let Some(f) = cli.format {
        settings.format = f;
    }
    if cli.expanded {
        settings.format = Format::Vertical;
    }
    let mut session = Session::new(conn, target, settings, interactive);
    session.row_limit = config.row_limit;
    if interactive && config.pager {
        session.pager = Some(crate::render::pager::command(config.pager_command.as_deref()));
    }
    install_interrupt_handler(session.running.clone(), interactive);

    if interactive {
        let opts = crate::repl::ReplOptions::from_config(&config, cli.vi);
        return Ok(crate::repl::run(&mut session, opts).await);
    }

    let keep_going = cli.continue_on_error;
    let mut failed = false;
    let mut outcome = |r: Result<(), RunError>| -> Option<i32> {
        match r {
            Ok(()) => None,
            Err(RunError::Quit) | Err(RunError::BrokenPipe) => Some(if failed { EXIT_FAILED } else { EXIT_OK }),
            Err(RunError::Failed) => {
                failed = true;
                (!keep_going).then_some(EXIT_FAILED)
            }
        }
    };
    if !cli.commands.is_empty() {
        for c in &cli.commands {
            let r = session.run_text(c, keep_going).await;
            if let Some(code) = outcome(r) {
                return Ok(code);
            }
        }
    } else {
        let (name, text) = match &cli.file {
            Some(path) => (
                path.display().to_string(),
                crate::script::read_script(path).map_err(UserError::usage)?,
            ),
            None => ("<stdin>".to_string(), crate::script::read_stdin().map_err(UserError::usage)?),
        };
        session.source = Some((name, 1));
        let r = session.run_text(&text, keep_going).await;
        if let Some(code) = outcome(r) {
            return Ok(code);
        }
    }
    Ok(if failed { EXIT_FAILED } else { EXIT_OK })
}

/// Ctrl-C cancels the statement in flight; with none in flight, a script run stops
/// (at the prompt the line editor sees Ctrl-C as a key, not a signal).
fn install_interrupt_handler(running: Arc<Mutex<Option<Canceller>>>, interactive: bool) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut sigint) = signal(SignalKind::interrupt()) else {
        return;
    };
    tokio::spawn(async move {
        while sigint.recv().await.is_some() {
            let canceller = running.lock().ok().and_then(|slot| slot.clone());
            match canceller {
                Some(c) => {
                    tokio::spawn(async move { c.cancel().await });
                }
                None if !interactive => std::process::exit(130),
                None => {}
            }
        }
    });
}
