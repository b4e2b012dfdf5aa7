//! One run of dbsh: resolve the target, connect, then run the REPL, the commands, or the
//! script. Maps every outcome to an exit code: 0 ok, 1 a statement failed, 2 usage or
//! connection errors.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use crate::cli::{Cli, Driver};
use crate::config::Config;
use crate::db::{Backend, Canceller, ConnectParams, Connection, Target};
use crate::render::{Format, RenderSettings};
use crate::shell::session::Startup;
use crate::shell::{Guard, RunError, Session};

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
        eprintln!("dbsh: error: {}", crate::secret::for_display(&self.message));
        if let Some(h) = &self.hint {
            eprintln!("hint: {}", crate::secret::for_display(h));
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
    if let Some(shell) = cli.completions {
        print_completions(shell);
        return Ok(EXIT_OK);
    }
    if cli.list_themes {
        for (name, origin) in crate::repl::theme::list() {
            println!("{name}\t{origin}");
        }
        return Ok(EXIT_OK);
    }
    let loaded =
        Config::load(cli.config.as_deref()).map_err(|e| UserError::usage(e.to_string()))?;
    for w in &loaded.warnings {
        eprintln!("dbsh: warning: {w}");
    }
    let config = &loaded.config;
    if cli.list_dsn {
        for (name, c) in &config.connections {
            println!("{name}\t{}", crate::secret::mask_url(&c.url));
        }
        return Ok(EXIT_OK);
    }
    let stdin_tty = std::io::stdin().is_terminal();
    let interactive = cli.commands.is_empty()
        && cli.file.is_none()
        && stdin_tty
        && cli.suggest.is_none()
        && !cli.list_databases;
    if interactive && !loaded.exists && cli.config.is_none() {
        // First interactive run: leave a commented default that documents every option.
        if let Some(path) = &loaded.path {
            if crate::config::write_default(path).is_ok() {
                eprintln!("dbsh: wrote a default config to {}", path.display());
            }
        }
    }

    let saved = cli
        .target
        .as_deref()
        .and_then(|t| config.connections.get(t));
    let target_text = match &cli.target {
        Some(name) if saved.is_some() => config
            .connection_url(name)
            .map_err(|e| UserError::usage(e.to_string()))?,
        other => other.clone(),
    };
    let read_only = cli.read_only || saved.is_some_and(|s| s.read_only);
    let mut init: Vec<String> = config.init.clone();
    if let Some(s) = saved {
        init.extend(s.init.iter().cloned());
    }
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
        asker: Some(crate::tty::password_asker()),
    };
    let mut target = Target::parse(target_text.as_deref(), &params).map_err(UserError::usage)?;
    if let Target::Sqlite(t) = &mut target {
        t.read_only = read_only;
    }
    let mut conn = Connection::connect(&target).await.map_err(|e| UserError {
        hint: e.hint().map(str::to_string),
        message: e.to_string(),
        code: EXIT_USAGE,
    })?;

    if let Some(sql) = &cli.suggest {
        print_suggestions(&mut conn, &target, sql, cli.cursor, config).await;
        return Ok(EXIT_OK);
    }

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
    let timeout = cli.timeout.or(config.timeout).filter(|t| *t > 0.0);
    let start = Startup {
        interactive,
        row_limit: config.row_limit,
        read_only,
        guard: if cli.no_destructive {
            Guard::Refuse
        } else if interactive && config.destructive_warning {
            Guard::Ask
        } else {
            Guard::Off
        },
        timeout: timeout.map(std::time::Duration::from_secs_f64),
        pager: (interactive && config.pager)
            .then(|| crate::render::pager::command(config.pager_command.as_deref())),
        init: init.clone(),
    };
    let mut session = Session::new(conn, target, settings, start);
    crate::shell::flow::start(&mut session, &cli.vars, cli.quiet).map_err(UserError::usage)?;
    session.prepare_connection().await.map_err(|e| UserError {
        message: format!("cannot make the session read-only: {e}"),
        hint: None,
        code: EXIT_USAGE,
    })?;
    install_interrupt_handler(session.cancel_slot(), interactive);
    for statement in &init {
        if crate::shell::run_text(&mut session, statement, false)
            .await
            .is_err()
        {
            return Err(UserError {
                message: format!("init statement failed: {statement}"),
                hint: Some("fix `init` in the config file".into()),
                code: EXIT_USAGE,
            });
        }
    }
    if cli.list_databases {
        let sql = match session.backend() {
            Backend::Postgres => {
                "SELECT datname AS \"Name\", pg_catalog.pg_get_userbyid(datdba) AS \"Owner\", pg_catalog.pg_encoding_to_char(encoding) AS \"Encoding\" FROM pg_catalog.pg_database ORDER BY 1"
            }
            Backend::Mysql => "SHOW DATABASES",
            Backend::Sqlite => "SELECT name AS \"Name\", file AS \"File\" FROM pragma_database_list ORDER BY seq",
        };
        let mut exit = ScriptExit::new(false);
        let r = crate::shell::run_text(&mut session, sql, false).await;
        return Ok(exit.after(r).unwrap_or_else(|| exit.at_end()));
    }

    if interactive {
        session.start_catalog().await;
        // --theme, then the saved connection's theme (telling production apart at a
        // glance), then the config's.
        let theme = cli
            .theme
            .as_deref()
            .or(saved.and_then(|s| s.theme.as_deref()));
        let opts =
            crate::repl::ReplOptions::from_config(config, cli.vi).with_cli(theme, cli.no_color);
        return Ok(crate::repl::run(&mut session, opts).await);
    }

    let code = run_script(&mut session, &cli).await?;
    session.rollback_if_open().await;
    Ok(code)
}

/// Run `-c` commands, a `-f` script or stdin; the exit code.
async fn run_script(session: &mut Session, cli: &Cli) -> Result<i32, UserError> {
    let keep_going = cli.continue_on_error;
    let mut exit = ScriptExit::new(keep_going);
    if !cli.commands.is_empty() {
        for c in &cli.commands {
            let r = crate::shell::run_text(session, c, keep_going).await;
            if let Some(code) = exit.after(r) {
                return Ok(code);
            }
        }
    } else {
        // Read as it runs, as psql: a restore of any size in bounded memory.
        let (name, input) = match &cli.file {
            Some(path) => (
                path.display().to_string(),
                crate::shell::flow::stream::open(session, path).map_err(UserError::usage)?,
            ),
            None => (
                "<stdin>".to_string(),
                crate::shell::flow::stream::stdin(session),
            ),
        };
        let r = match crate::shell::flow::stream::run(session, input, &name, keep_going).await {
            Ok(()) => crate::shell::flow::finish_script(session),
            Err(crate::shell::flow::stream::StreamError::Run(e)) => Err(e),
            Err(crate::shell::flow::stream::StreamError::Input(e)) => {
                return Err(UserError::usage(e));
            }
        };
        if let Some(code) = exit.after(r) {
            return Ok(code);
        }
    }
    Ok(exit.at_end())
}

/// The one place a run's exit code is decided: 0 when everything ran, 1 when a statement
/// or command failed (at once, or at the end with `--continue-on-error`), 2 when the
/// connection was lost (nothing more may run, whatever `--continue-on-error` says).
struct ScriptExit {
    keep_going: bool,
    failed: bool,
}

impl ScriptExit {
    fn new(keep_going: bool) -> ScriptExit {
        ScriptExit {
            keep_going,
            failed: false,
        }
    }

    /// After one piece of input: `Some(code)` when the run ends here.
    fn after(&mut self, r: Result<(), RunError>) -> Option<i32> {
        match r {
            Ok(()) => None,
            Err(RunError::Quit) | Err(RunError::BrokenPipe) => Some(self.at_end()),
            Err(RunError::Failed) => {
                self.failed = true;
                (!self.keep_going).then_some(EXIT_FAILED)
            }
            Err(RunError::Lost) => Some(EXIT_USAGE),
        }
    }

    fn at_end(&self) -> i32 {
        if self.failed {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }
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

/// The completion script for `shell`: clap's, plus saved connection names (from
/// `dbsh --list-dsn`) as targets where the shell makes that easy.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dbsh", &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    match shell {
        clap_complete::Shell::Bash => script.push_str(
            "\n_dbsh_targets() {\n    _dbsh \"$@\"\n    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n    if [[ \"$cur\" != -* ]]; then\n        COMPREPLY+=( $(compgen -W \"$(dbsh --list-dsn 2>/dev/null | cut -f1)\" -- \"$cur\") )\n    fi\n}\ncomplete -F _dbsh_targets -o nosort -o bashdefault -o default dbsh\n",
        ),
        clap_complete::Shell::Fish => script.push_str(
            "complete -c dbsh -f -a \"(dbsh --list-dsn 2>/dev/null | string split -f1 \\t)\" -d 'saved connection'\n",
        ),
        _ => {}
    }
    script
}

fn print_completions(shell: clap_complete::Shell) {
    print!("{}", completion_script(shell));
}

/// `--suggest`: load the current catalog (not a cached snapshot) and print the
/// candidates, one `TEXT<TAB>KIND` per line. Any input gets an answer and exit code 0; if
/// the catalog cannot be read, keywords still complete.
async fn print_suggestions(
    conn: &mut Connection,
    target: &Target,
    sql: &str,
    cursor: Option<usize>,
    config: &Config,
) {
    let catalog = match crate::catalog::load::load_with(conn, Some(target)).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dbsh: warning: cannot read the catalog: {e}");
            crate::catalog::Catalog {
                dialect: conn.backend().dialect(),
                ..Default::default()
            }
        }
    };
    let cursor = cursor.unwrap_or_else(|| sql.chars().count());
    let options = crate::repl::completer::options(config.keyword_case);
    let found = crate::complete::suggest(sql, cursor, &catalog, &options);
    use std::io::Write;
    let _ = std::io::stdout().write_all(crate::complete::suggest_lines(&found).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_0_ran_1_failed_2_connection_lost() {
        let mut stop = ScriptExit::new(false);
        assert_eq!(stop.after(Ok(())), None);
        assert_eq!(stop.after(Err(RunError::Failed)), Some(EXIT_FAILED));
        let mut go_on = ScriptExit::new(true);
        assert_eq!(go_on.after(Err(RunError::Failed)), None);
        assert_eq!(go_on.after(Ok(())), None);
        // The failure is remembered: `\q` later still exits 1.
        assert_eq!(go_on.after(Err(RunError::Quit)), Some(EXIT_FAILED));
        assert_eq!(
            ScriptExit::new(true).after(Err(RunError::Lost)),
            Some(EXIT_USAGE)
        );
        assert_eq!(
            ScriptExit::new(false).after(Err(RunError::BrokenPipe)),
            Some(EXIT_OK)
        );
        assert_eq!(ScriptExit::new(false).at_end(), EXIT_OK);
    }
}
