//! One session: a connection, the output settings, error reports. The bottom layer of
//! the shell: it runs one statement at a time and knows nothing of commands or of how
//! input is split and run (`shell::flow` does that, through `shell::run_text`).
//!
//! Errors are reported here (to stderr, with the position marked) and returned so that
//! scripts can stop at the first one; the interactive loop just goes on.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use crate::db::{Canceller, Connection, DbError, Target, TxState};
use crate::render::{self, Output, RenderSettings};
use crate::result::{Discard, ResultSink};
use crate::sql::{facts, Splitter};

pub(crate) mod fault;

/// Why running input stopped early.
#[derive(Debug)]
pub enum RunError {
    /// A statement or command failed; already reported on stderr.
    Failed,
    /// The output pipe closed (`dbsh -c … | head`): stop quietly, exit 0.
    BrokenPipe,
    /// `\q` or `quit`.
    Quit,
    /// The server connection was lost; already reported (see `session::fault`). Nothing
    /// more runs from this input; scripts exit 2.
    Lost,
}

/// Where results go: the terminal (maybe through the pager) or a `\o` file (or a
/// `\g` file or pipe, for one statement).
enum Destination {
    Stdout,
    File(io::BufWriter<Box<dyn Write + Send>>, String),
}

pub struct Session {
    /// `\W`: print a MySQL statement's warnings right after it (`\w` turns it off).
    show_warnings: bool,
    conn: Connection,
    target: Target,
    settings: RenderSettings,
    splitter: Arc<Mutex<Splitter>>,
    /// A person is at a terminal (prompts, pager, row guard).
    interactive: bool,
    row_limit: u64,
    pager: Option<String>,
    destination: Destination,
    /// The canceller of the statement in flight, for the Ctrl-C handler.
    running: Arc<Mutex<Option<Canceller>>>,
    /// Name of the script being run and the line its text starts at, for error messages.
    source: Option<(String, usize)>,
    /// The script being streamed, while one of its chunks runs (COPY data is read from it).
    script_input: Option<crate::script::ScriptInput>,
    last_sql: Option<String>,
    guard: Guard,
    /// Destructive statements prepared in this session, for the guard to see `EXECUTE`.
    prepared: crate::guard::Prepared,
    /// Cancel statements that run longer than this (`--timeout`).
    timeout: Option<std::time::Duration>,
    /// The session cannot change data (`--read-only`); re-applied after a reconnect.
    read_only: bool,
    /// Keeps the completion catalog current (interactive sessions only).
    catalog: Option<crate::catalog::load::Loader>,
    /// Names the user ran recently, most recent first: completion ranks them higher.
    recent: Arc<Mutex<Vec<String>>>,
    /// The psql variables set, for completion after `:`.
    variable_names: Arc<Mutex<Vec<String>>>,
    /// The global and saved connection's `init` statements, re-run after a reconnect.
    init: Vec<String>,
    /// The terminal takes no cursor addressing (`TERM=dumb`): no spinner.
    plain_terminal: bool,
    /// Variables, `\if` branches and the rest of psql's script state (`state/`).
    script: super::state::ScriptState,
}

/// How an open transaction was settled before leaving its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// None was open, or it was committed / rolled back as asked.
    Done,
    /// COMMIT or ROLLBACK failed (reported); the server ends it with the connection.
    Failed,
    /// Ctrl-C at the question: stay on this connection, transaction open.
    Cancelled,
}

/// What to do with a destructive statement (DROP, TRUNCATE, DELETE/UPDATE without WHERE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Ask on the terminal, defaulting to no.
    Ask,
    /// Refuse it (`--no-destructive`).
    Refuse,
    Off,
}

/// How a session starts: what the command line and the config decided.
#[derive(Debug, Clone)]
pub struct Startup {
    /// A person is at a terminal (prompts, pager, row guard).
    pub interactive: bool,
    pub row_limit: u64,
    pub read_only: bool,
    pub guard: Guard,
    pub timeout: Option<std::time::Duration>,
    pub pager: Option<String>,
    /// The global and saved connection's `init` statements, re-run after a reconnect.
    pub init: Vec<String>,
}

/// Where a statement's results go: rendered to the session's destination, or into a sink
/// (`\gset`, `\gexec`).
enum Results<'a> {
    Rendered { vertical: bool },
    Sink(&'a mut dyn ResultSink),
}

/// While alive, Ctrl-C cancels the statement in flight (see [`Session::arm_cancel`]).
pub struct Armed(Arc<Mutex<Option<Canceller>>>);

impl Drop for Armed {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = None;
        }
    }
}

impl Session {
    pub fn new(
        conn: Connection,
        target: Target,
        settings: RenderSettings,
        start: Startup,
    ) -> Session {
        let dialect = conn.backend().dialect();
        let mut splitter = Splitter::new(dialect);
        if let Some(on) = conn.standard_conforming_strings() {
            splitter.set_standard_conforming_strings(on);
        }
        Session {
            conn,
            target,
            settings,
            splitter: Arc::new(Mutex::new(splitter)),
            interactive: start.interactive,
            row_limit: start.row_limit,
            pager: start.pager,
            destination: Destination::Stdout,
            running: Arc::new(Mutex::new(None)),
            source: None,
            script_input: None,
            last_sql: None,
            guard: start.guard,
            prepared: crate::guard::Prepared::default(),
            timeout: start.timeout,
            read_only: start.read_only,
            catalog: None,
            recent: Arc::new(Mutex::new(Vec::new())),
            variable_names: Arc::new(Mutex::new(Vec::new())),
            init: start.init,
            plain_terminal: false,
            script: super::state::ScriptState::default(),
            show_warnings: false,
        }
    }

    // What the commands and the flow may read and change. Fields stay private so that
    // what must change together (a connection, its target, the splitter's rules, the
    // catalog) changes in one method.

    pub fn backend(&self) -> crate::db::Backend {
        self.conn.backend()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, for what runs outside `run_sql` (COPY, dbsh's own queries).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn settings(&self) -> &RenderSettings {
        &self.settings
    }

    pub fn settings_mut(&mut self) -> &mut RenderSettings {
        &mut self.settings
    }

    /// The splitter, shared with the prompt's validator: one set of lexical rules.
    pub fn splitter(&self) -> &Arc<Mutex<Splitter>> {
        &self.splitter
    }

    pub fn is_interactive(&self) -> bool {
        self.interactive
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn pager(&self) -> Option<&str> {
        self.pager.as_deref()
    }

    /// Returns the pager it replaces.
    pub fn set_pager(&mut self, pager: Option<String>) -> Option<String> {
        std::mem::replace(&mut self.pager, pager)
    }

    pub fn set_show_warnings(&mut self, on: bool) {
        self.show_warnings = on;
    }

    /// Where the Ctrl-C handler finds the canceller of the statement in flight.
    pub fn cancel_slot(&self) -> Arc<Mutex<Option<Canceller>>> {
        self.running.clone()
    }

    /// Make the statement about to run on this connection cancellable by Ctrl-C until
    /// the returned value is dropped.
    pub fn arm_cancel(&self) -> Armed {
        if let Ok(mut slot) = self.running.lock() {
            *slot = Some(self.conn.canceller());
        }
        Armed(self.running.clone())
    }

    /// The script being run and the line its current text starts at.
    pub fn source(&self) -> Option<&(String, usize)> {
        self.source.as_ref()
    }

    pub fn set_source(&mut self, source: Option<(String, usize)>) -> Option<(String, usize)> {
        std::mem::replace(&mut self.source, source)
    }

    /// The script being streamed (COPY data is read from it).
    pub fn script_input_mut(&mut self) -> &mut Option<crate::script::ScriptInput> {
        &mut self.script_input
    }

    pub fn last_sql(&self) -> Option<&str> {
        self.last_sql.as_deref()
    }

    pub fn set_last_sql(&mut self, sql: Option<String>) -> Option<String> {
        std::mem::replace(&mut self.last_sql, sql)
    }

    pub fn catalog(&self) -> Option<&crate::catalog::load::Loader> {
        self.catalog.as_ref()
    }

    /// Keep a completion catalog for this session from now on (interactive sessions).
    pub async fn start_catalog(&mut self) {
        self.catalog = Some(crate::catalog::load::Loader::new(&self.target));
        self.refresh_catalog().await;
    }

    /// Names run recently, most recent first, shared with the completer for ranking.
    pub fn recent_names(&self) -> Arc<Mutex<Vec<String>>> {
        self.recent.clone()
    }

    /// The psql variables set, shared with the completer (after `:`).
    pub fn variable_names(&self) -> Arc<Mutex<Vec<String>>> {
        self.variable_names.clone()
    }

    pub fn script(&self) -> &super::state::ScriptState {
        &self.script
    }

    pub fn script_mut(&mut self) -> &mut super::state::ScriptState {
        &mut self.script
    }

    /// Go on on `conn` to `target` (`\c`): the session is prepared on it as at start
    /// (read-only), the splitter takes its dialect and string rule, the catalog follows.
    /// On failure the old connection stays and the error is returned.
    pub async fn switch_connection(
        &mut self,
        conn: Connection,
        target: Target,
    ) -> Result<(), DbError> {
        let old_conn = std::mem::replace(&mut self.conn, conn);
        let old_target = std::mem::replace(&mut self.target, target);
        if let Err(e) = self.prepare_connection().await {
            self.conn = old_conn;
            self.target = old_target;
            return Err(e);
        }
        // Statements prepared on the old connection are gone with it.
        self.prepared = crate::guard::Prepared::default();
        if let Ok(mut s) = self.splitter.lock() {
            s.set_dialect(self.conn.backend().dialect());
            if let Some(on) = self.conn.standard_conforming_strings() {
                s.set_standard_conforming_strings(on);
            }
        }
        if let Some(loader) = self.catalog.as_mut() {
            loader.retarget(&self.target);
        }
        self.refresh_catalog().await;
        Ok(())
    }

    /// Remember the catalog names `sql` used, for completion ranking.
    fn note_recent_names(&self, sql: &str) {
        const KEEP: usize = 64;
        let Some(loader) = &self.catalog else { return };
        let catalog = loader.shared.get();
        let state = self.splitter.lock().map(|s| s.lex_state().clone());
        let Ok(state) = state else { return };
        // Names as the lexer sees them: words and quoted names, never string contents.
        let words: Vec<String> = crate::sql::lex::tokenize(sql, &state)
            .iter()
            .filter_map(|t| {
                let text = t.text(sql);
                match t.kind {
                    crate::sql::lex::Kind::Word => Some(text.to_lowercase()),
                    crate::sql::lex::Kind::QuotedIdent if !t.unterminated && text.len() > 2 => {
                        Some(text[1..text.len() - 1].to_lowercase())
                    }
                    _ => None,
                }
            })
            .collect();
        // The tables the statement names, found through the catalog's index, then their
        // columns: not a pass over every column of the catalog (a million at 50,000
        // tables) after each statement.
        let wanted: std::collections::HashSet<&str> = words.iter().map(String::as_str).collect();
        let mut known = std::collections::HashSet::new();
        let mut tables = Vec::new();
        for &w in &wanted {
            for i in catalog.relations_named(w) {
                let Some(r) = catalog.relations.get(i as usize) else {
                    continue;
                };
                if r.name.to_lowercase() == w {
                    known.insert(w);
                    tables.push(r);
                }
            }
        }
        let mut lower = String::new();
        for name in tables
            .iter()
            .flat_map(|r| r.columns.iter().map(|c| &*c.name))
        {
            lower.clear();
            lower.extend(name.chars().flat_map(char::to_lowercase));
            if let Some(w) = wanted.get(lower.as_str()) {
                known.insert(*w);
            }
        }
        let Ok(mut recent) = self.recent.lock() else {
            return;
        };
        for w in words.iter().filter(|w| known.contains(w.as_str())) {
            recent.retain(|r| !r.eq_ignore_ascii_case(w));
            recent.insert(0, w.clone());
        }
        recent.truncate(KEEP);
    }

    /// Reload the catalog: in the background, or right here for an in-memory database.
    pub async fn refresh_catalog(&mut self) {
        self.refresh_schema(None).await;
    }

    /// Reload after `sql` changed the schema: only the schema it touched when its text
    /// tells (`CREATE TABLE s.t`), else everything.
    async fn refresh_catalog_after(&mut self, sql: &str) {
        let Some(loader) = &self.catalog else {
            return;
        };
        let touched = crate::sql::touched::touched(sql, self.conn.backend().dialect());
        let schema = loader.shared.get().schema_touched(&touched);
        self.refresh_schema(schema).await;
    }

    async fn refresh_schema(&mut self, schema: Option<String>) {
        let Some(loader) = self.catalog.clone() else {
            return;
        };
        if loader.needs_session_connection() {
            loader.refresh_on(&mut self.conn, schema).await;
        } else {
            loader.refresh_schema(schema);
        }
    }

    /// Settings applied to every new connection of this session (also after a reconnect).
    pub async fn prepare_connection(&mut self) -> Result<(), DbError> {
        if !self.read_only {
            return Ok(());
        }
        let sql = match self.conn.backend() {
            crate::db::Backend::Postgres => "SET default_transaction_read_only = on",
            crate::db::Backend::Mysql => "SET SESSION TRANSACTION READ ONLY",
            // Opened read-only with query_only already.
            crate::db::Backend::Sqlite => return Ok(()),
        };
        self.conn.execute(sql, &mut Discard).await
    }

    /// Roll back an open transaction (end of a script); says so on stderr.
    pub async fn rollback_if_open(&mut self) {
        if self.transaction_state() != TxState::Idle
            && self.conn.execute("ROLLBACK", &mut Discard).await.is_ok()
        {
            eprintln!("dbsh: the open transaction was rolled back");
        }
    }

    /// Finish an open transaction with COMMIT or ROLLBACK.
    pub async fn end_transaction(&mut self, commit: bool) -> Result<(), DbError> {
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        self.conn.execute(sql, &mut Discard).await
    }

    /// Whether the guard lets `sql` run (`Ok(false)`: the user said no), reports a refusal;
    /// `Err` when refused by `--no-destructive` or cancelled with Ctrl-C.
    pub(crate) fn guard_allows(&mut self, sql: &str) -> Result<bool, RunError> {
        if self.guard == Guard::Off {
            return Ok(true);
        }
        let dialect = self.conn.backend().dialect();
        let verdict = self.prepared.destructive(sql, dialect);
        self.prepared.note(sql, dialect);
        let Some(why) = verdict else {
            return Ok(true);
        };
        let why = render::sanitize::escape_controls(&why, false).into_owned();
        if self.guard == Guard::Refuse {
            eprintln!("ERROR: refusing to run a destructive statement ({why}) because of --no-destructive");
            return Err(RunError::Failed);
        }
        let on = if self.conn.info().standby {
            " on a standby (read-only replica)"
        } else {
            ""
        };
        let question = format!(
            "You're about to run a destructive command ({why}){on}. Do you want to proceed? (y/N) "
        );
        match crate::tty::ask_yes_no(&question) {
            crate::tty::Answer::Yes => Ok(true),
            crate::tty::Answer::No => {
                eprintln!("Not run.");
                Ok(false)
            }
            crate::tty::Answer::Cancelled => {
                eprintln!("Cancelled: nothing more of this input runs.");
                Err(RunError::Failed)
            }
        }
    }

    /// Before leaving a connection with a transaction open (`\q`, Ctrl-D, `\c`): ask at a
    /// terminal whether to commit (default: roll back); in a script, roll back and say so.
    pub async fn settle_open_transaction(&mut self) -> Settled {
        if self.transaction_state() == TxState::Idle {
            return Settled::Done;
        }
        if !self.interactive {
            self.rollback_if_open().await;
            return Settled::Done;
        }
        let commit = match crate::tty::ask_yes_no(
            "A transaction is open. Commit it? (y/N, N rolls back) ",
        ) {
            crate::tty::Answer::Yes => true,
            crate::tty::Answer::No => false,
            crate::tty::Answer::Cancelled => {
                eprintln!("Cancelled: the transaction stays open.");
                return Settled::Cancelled;
            }
        };
        match self.end_transaction(commit).await {
            Ok(()) => {
                eprintln!("{}", if commit { "Committed." } else { "Rolled back." });
                Settled::Done
            }
            Err(e) => {
                eprintln!("{}", crate::secret::for_display(&e.to_string()));
                Settled::Failed
            }
        }
    }

    /// A status message (`Expanded display is on.`): on the query output in a human
    /// format; on stderr when the output is CSV/JSON, so stdout stays parseable; nowhere
    /// with `-q`.
    pub fn status(&mut self, message: &str) -> Result<(), RunError> {
        if self.script.quiet || self.script.vars.flag("QUIET") == Some(true) {
            return Ok(());
        }
        if self.settings.format.is_human() {
            self.print(message)
        } else {
            eprintln!("{message}");
            Ok(())
        }
    }

    /// Run `sql` into `sink` (no rendering), with the guard, fault policy and error
    /// report of any statement; for `\gset` and `\gexec`.
    pub async fn run_sql_into(
        &mut self,
        sql: &str,
        sink: &mut dyn ResultSink,
        whole: &str,
        offset: usize,
    ) -> Result<(), RunError> {
        self.run_statement(sql, &mut Results::Sink(sink), whole, offset)
            .await
    }

    /// Tell completion which psql variables are set now.
    pub fn publish_variable_names(&self) {
        if let Ok(mut names) = self.variable_names.lock() {
            names.clear();
            names.extend(self.script.vars.iter().map(|(n, _)| n.to_string()));
        }
    }

    /// Run one SQL statement and render its results.
    pub async fn run_sql(
        &mut self,
        sql: &str,
        vertical: bool,
        whole: &str,
        offset: usize,
    ) -> Result<(), RunError> {
        self.run_statement(sql, &mut Results::Rendered { vertical }, whole, offset)
            .await
    }

    /// One statement, however its results are taken: the guard first, then the fault
    /// policy on a lost connection (`fault.rs`), the catalog after DDL, the error report.
    async fn run_statement(
        &mut self,
        sql: &str,
        results: &mut Results<'_>,
        whole: &str,
        offset: usize,
    ) -> Result<(), RunError> {
        self.last_sql = Some(sql.to_string());
        if !self.guard_allows(sql)? {
            return Ok(());
        }
        let at_risk = self.work_at_risk();
        let mut result = self.execute_into(sql, results).await;
        if let Err(e) = result.as_ref() {
            if e.is_connection_lost() {
                let where_ = self.location(whole, offset);
                match self.connection_lost(e, at_risk, sql, &where_).await {
                    fault::Next::Retry => result = self.execute_into(sql, results).await,
                    fault::Next::Stop => return Err(RunError::Lost),
                }
            }
        }
        if result.is_ok() {
            if facts::affects_schema(sql, self.conn.backend().dialect()) {
                self.refresh_catalog_after(sql).await;
            } else {
                self.note_recent_names(sql);
            }
        }
        match result {
            Ok(()) => Ok(()),
            Err(DbError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                Err(RunError::BrokenPipe)
            }
            Err(DbError::Stopped) => Ok(()),
            Err(e) if e.is_connection_lost() => {
                self.report(&e, sql, whole, offset);
                Err(RunError::Lost)
            }
            Err(e) => {
                self.report(&e, sql, whole, offset);
                self.script.note_error(&e);
                Err(RunError::Failed)
            }
        }
    }

    async fn execute_into(&mut self, sql: &str, results: &mut Results<'_>) -> Result<(), DbError> {
        match results {
            Results::Rendered { vertical } => self.execute_rendered(sql, *vertical).await,
            Results::Sink(sink) => {
                let _armed = self.arm_cancel();
                self.conn.execute(sql, &mut **sink).await
            }
        }
    }

    /// Execute `sql` into the current destination, paging when that helps.
    async fn execute_rendered(&mut self, sql: &str, vertical: bool) -> Result<(), DbError> {
        let settings = self.output_settings();
        let to_terminal = settings.terminal;
        let use_pager = self.pager_applies() && (settings.format.is_human() || vertical);
        let interactive = self.interactive;
        let row_limit = self.row_limit;

        let armed = self.arm_cancel();
        let timed_out = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut buffer: Vec<u8> = Vec::new();
        let stdout = io::stdout();
        let mut lock;
        let result = {
            let out: &mut dyn Write = if use_pager {
                &mut buffer
            } else {
                match &mut self.destination {
                    Destination::File(f, _) => f,
                    Destination::Stdout => {
                        lock = stdout.lock();
                        &mut lock
                    }
                }
            };
            // Interactive and on the terminal: a spinner after 1 s, wiped at the first output.
            let spinner = (interactive && to_terminal && !self.plain_terminal)
                .then(|| crate::render::spinner::Spinner::start(std::time::Duration::from_secs(1)));
            let mut out = crate::render::spinner::StopOnWrite {
                inner: out,
                spinner,
            };
            let mut output = Output::new(&mut out, settings).vertical(vertical);
            // Files and pipes get every row: only a person at the screen is asked.
            if interactive && to_terminal && row_limit > 0 {
                output = output.row_guard(row_limit, Box::new(ask_to_continue));
            }
            output.start_timer();
            let timer = self.timeout.map(|limit| {
                let canceller = self.conn.canceller();
                let fired = timed_out.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(limit).await;
                    fired.store(true, std::sync::atomic::Ordering::SeqCst);
                    canceller.cancel().await;
                })
            });
            let mut r = execute(&mut self.conn, sql, &mut output).await;
            if let Some(t) = timer {
                t.abort();
            }
            if self.show_warnings && r.is_ok() {
                r = self.conn.show_warnings(&mut output).await;
            }
            if matches!(r, Err(DbError::Cancelled))
                && timed_out.load(std::sync::atomic::Ordering::SeqCst)
            {
                let secs = self.timeout.map_or(0.0, |t| t.as_secs_f64());
                r = Err(DbError::query(format!(
                    "canceling statement due to statement timeout (--timeout {secs} s)"
                )));
            }
            if r.is_err() {
                let _ = output.flush_partial();
            }
            r
        };
        drop(armed);
        if use_pager && !buffer.is_empty() {
            self.page_or_print(&buffer).map_err(DbError::Output)?;
        }
        result
    }

    /// The render settings for the current destination: width and escaping follow
    /// whether results reach a terminal.
    pub fn output_settings(&self) -> RenderSettings {
        let mut settings = self.settings.clone();
        let to_terminal =
            matches!(self.destination, Destination::Stdout) && io::stdout().is_terminal();
        settings.terminal = to_terminal;
        settings.sqlite_floats = self.conn.backend() == crate::db::Backend::Sqlite;
        settings.quiet = self.script.quiet || self.script.vars.flag("QUIET") == Some(true);
        // `mariadb --batch` writes NULL as the word NULL.
        if self.conn.backend() == crate::db::Backend::Mysql
            && settings.format == render::Format::Tsv
            && settings.csv_null.is_none()
        {
            settings.csv_null = Some("NULL".into());
        }
        settings.width = if to_terminal {
            terminal_size().map(|(_, cols)| cols)
        } else {
            None
        };
        settings
    }

    /// Whether output may go through the pager: a person at a terminal, pager on.
    fn pager_applies(&self) -> bool {
        matches!(self.destination, Destination::Stdout)
            && io::stdout().is_terminal()
            && self.interactive
            && self.pager.is_some()
    }

    /// Text to stdout, through the pager when taller or wider than the screen.
    fn page_or_print(&self, buffer: &[u8]) -> io::Result<()> {
        let (rows, cols) = terminal_size().unwrap_or((24, 80));
        let text = String::from_utf8_lossy(buffer);
        if render::pager::needs_pager(&text, rows, cols) {
            if let Some(cmd) = &self.pager {
                if render::pager::page(cmd, buffer).is_ok() {
                    return Ok(());
                }
            }
        }
        let mut out = io::stdout().lock();
        out.write_all(buffer)?;
        out.flush()
    }

    /// Write already rendered command output (`\d`, `\n`) the way query results go: to
    /// the `\o` file, or the terminal through the pager when it does not fit.
    pub fn print_paged(&mut self, text: &[u8]) -> Result<(), RunError> {
        let r = if self.pager_applies() {
            self.page_or_print(text)
        } else {
            match &mut self.destination {
                Destination::File(f, _) => f.write_all(text).and_then(|()| f.flush()),
                Destination::Stdout => {
                    let mut out = io::stdout().lock();
                    out.write_all(text).and_then(|()| out.flush())
                }
            }
        };
        output_result(r)
    }

    /// Print an error the way users of the backend's own client expect, with the position
    /// marked under the statement's line.
    pub fn report(&self, e: &DbError, sql: &str, whole: &str, offset: usize) {
        let mut msg = self.location(whole, offset);
        msg.push_str(&crate::secret::for_display(&e.to_string()));
        if let DbError::Query(q) = e {
            if let Some(pos) = q.position {
                msg.push('\n');
                msg.push_str(&caret(sql, pos));
            }
        }
        if let Some(h) = e.hint() {
            msg.push_str("\nhint: ");
            msg.push_str(&crate::secret::for_display(h));
        }
        eprintln!("{msg}");
    }

    /// `script:line: ` for the statement at `offset` of `whole`, when running a script.
    pub fn location(&self, whole: &str, offset: usize) -> String {
        match &self.source {
            Some((name, first_line)) => {
                let line = first_line + whole.get(..offset).map_or(0, |p| p.matches('\n').count());
                format!("{name}:{line}: ")
            }
            None => String::new(),
        }
    }

    /// Send results to `path` until `\o` with no argument.
    pub fn set_output_file(&mut self, path: Option<&str>) -> io::Result<()> {
        if let Destination::File(f, _) = &mut self.destination {
            f.flush()?;
        }
        self.destination = match path {
            Some(p) => Destination::File(
                io::BufWriter::new(Box::new(std::fs::File::create(p)?)),
                p.to_string(),
            ),
            None => Destination::Stdout,
        };
        Ok(())
    }

    /// Send results to `to` (or the terminal) for a while; returns what was there, to be
    /// swapped back. Used by `\g file` for one statement.
    pub fn swap_destination(
        &mut self,
        to: Option<(Box<dyn Write + Send>, String)>,
    ) -> Option<(Box<dyn Write + Send>, String)> {
        let new = match to {
            Some((w, name)) => Destination::File(io::BufWriter::new(w), name),
            None => Destination::Stdout,
        };
        match std::mem::replace(&mut self.destination, new) {
            Destination::Stdout => None,
            Destination::File(w, name) => w.into_inner().ok().map(|w| (w, name)),
        }
    }

    /// The connection and the raw current destination, for data that is not a result set
    /// (`COPY … TO STDOUT` streams from one into the other).
    pub fn conn_and_output(&mut self) -> (&mut Connection, Box<dyn Write + '_>) {
        let out: Box<dyn Write + '_> = match &mut self.destination {
            Destination::File(f, _) => Box::new(f),
            Destination::Stdout => Box::new(io::stdout().lock()),
        };
        (&mut self.conn, out)
    }

    pub fn output_file(&self) -> Option<&str> {
        match &self.destination {
            Destination::File(_, p) => Some(p),
            Destination::Stdout => None,
        }
    }

    /// Write a line of command output (for special commands) to the current destination.
    pub fn print(&mut self, text: &str) -> Result<(), RunError> {
        let r = match &mut self.destination {
            Destination::File(f, _) => writeln!(f, "{text}"),
            Destination::Stdout => writeln!(io::stdout().lock(), "{text}"),
        };
        output_result(r)
    }

    /// The prompt is a plain line reader: write no cursor addressing (no spinner).
    pub fn set_plain_terminal(&mut self) {
        self.plain_terminal = true;
    }

    /// Whether long work may draw a progress line: stderr is a terminal that takes cursor
    /// movement.
    pub fn shows_progress(&self) -> bool {
        use std::io::IsTerminal;
        !self.plain_terminal
            && std::io::stderr().is_terminal()
            && std::env::var("TERM").map_or(true, |t| t != "dumb")
    }

    pub fn transaction_state(&self) -> TxState {
        self.conn.transaction_state()
    }
}

/// Command output's fate: a closed pipe ends the run quietly, other errors are reported.
fn output_result(r: io::Result<()>) -> Result<(), RunError> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(RunError::BrokenPipe),
        Err(e) => {
            eprintln!("output error: {e}");
            Err(RunError::Failed)
        }
        Ok(()) => Ok(()),
    }
}

/// SQLite runs on this thread; `block_in_place` lets the Ctrl-C handler run meanwhile.
async fn execute(conn: &mut Connection, sql: &str, output: &mut Output<'_>) -> Result<(), DbError> {
    conn.execute(sql, output).await
}

/// `LINE 2: select * fro x` and a caret under character `pos` (1-based) of `sql`.
pub fn caret(sql: &str, pos: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let before: String = sql.chars().take(pos.saturating_sub(1)).collect();
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col_text = &before[line_start..];
    let line = sql.lines().nth(line_no - 1).unwrap_or("");
    let prefix = format!("LINE {line_no}: ");
    let shown = render::sanitize::escape_controls(line, false);
    let col = render::sanitize::escape_controls(col_text, false);
    format!(
        "{prefix}{shown}\n{}^",
        " ".repeat(prefix.len() + col.width())
    )
}

/// The row guard's question, asked on the terminal; Ctrl-C shows nothing more.
fn ask_to_continue(shown: u64) -> render::MoreRows {
    let question = format!("The result has more than {shown} rows. Show them all? [y/N] ");
    match crate::tty::ask_yes_no(&question) {
        crate::tty::Answer::Yes => render::MoreRows::All,
        crate::tty::Answer::No => render::MoreRows::Stop,
        crate::tty::Answer::Cancelled => render::MoreRows::Nothing,
    }
}

/// (rows, columns) of the controlling terminal.
pub fn terminal_size() -> Option<(usize, usize)> {
    // SAFETY: TIOCGWINSZ writes a winsize into the struct we own; fd 1 may not be a tty,
    // in which case ioctl fails and we return None.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        for fd in [1, 2, 0] {
            if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 {
                return Some((ws.ws_row as usize, ws.ws_col as usize));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_character() {
        assert_eq!(
            caret("select * fro x", 10),
            "LINE 1: select * fro x\n                 ^"
        );
        assert_eq!(
            caret("select 1,\n  bad x", 13),
            "LINE 2:   bad x\n          ^"
        );
    }
}
