//! Client commands typed from habit: `\sf`/`\sv` (function and view source), `\dp`
//! (privileges), `\h` (brief SQL syntax per dialect), `\s` (history; MySQL: status),
//! `\u db` and `\W` (MySQL), `status`.

use super::rows;
use super::Then;
use crate::db::collect::literal;
use crate::db::Backend;
use crate::shell::{RunError, Session};

fn fail(msg: impl std::fmt::Display) -> RunError {
    eprintln!("{msg}");
    RunError::Failed
}

/// `\sf name` / `\sv name`: the CREATE statement of a function or view.
pub(super) async fn source(session: &mut Session, view: bool, arg: &str) -> Result<(), RunError> {
    let cmd = if view { "\\sv" } else { "\\sf" };
    let name = arg.trim().trim_end_matches('+').trim();
    if name.is_empty() {
        return Err(fail(format!("{cmd}: missing required argument")));
    }
    let backend = session.backend();
    let sql = match (backend, view) {
        (Backend::Postgres, false) => {
            let cast = if name.contains('(') { "regprocedure" } else { "regproc" };
            format!("SELECT pg_catalog.pg_get_functiondef({}::pg_catalog.{cast})", literal(name, backend))
        }
        (Backend::Postgres, true) => format!(
            "SELECT 'CREATE OR REPLACE VIEW ' || {0}::pg_catalog.regclass::text || ' AS' || chr(10) || pg_catalog.pg_get_viewdef({0}::pg_catalog.regclass, true)",
            literal(name, backend)
        ),
        (Backend::Mysql, false) => {
            // A function or a procedure: ask the catalog which.
            let kind = rows::query(
                session,
                &format!(
                    "SELECT routine_type FROM information_schema.routines WHERE routine_schema = DATABASE() AND routine_name = {}",
                    literal(name, backend)
                ),
            )
            .await?;
            let kind = kind
                .rows
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .unwrap_or_else(|| "FUNCTION".into());
            let r = rows::query(session, &format!("SHOW CREATE {kind} `{}`", name.replace('`', "``"))).await?;
            return print_column(session, &r, 2);
        }
        (Backend::Mysql, true) => {
            let r = rows::query(session, &format!("SHOW CREATE VIEW `{}`", name.replace('`', "``"))).await?;
            return print_column(session, &r, 1);
        }
        (Backend::Sqlite, true) => format!(
            "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = {}",
            literal(name, backend)
        ),
        (Backend::Sqlite, false) => {
            return Err(fail("\\sf: SQLite has no stored functions"));
        }
    };
    let r = rows::query(session, &sql).await?;
    print_column(session, &r, 0)
}

fn print_column(session: &mut Session, r: &rows::Rows, col: usize) -> Result<(), RunError> {
    match r
        .rows
        .first()
        .and_then(|row| row.get(col).cloned().flatten())
    {
        Some(text) => {
            let mut text = text.trim_end().to_string();
            text.push('\n');
            session.print_paged(text.as_bytes())
        }
        None => Err(fail("no such object")),
    }
}

/// `\dp [pattern]`: table privileges (PostgreSQL), grants (MySQL).
pub(super) async fn privileges(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let backend = session.backend();
    let sql = match backend {
        Backend::Postgres => {
            let filter = if arg.is_empty() {
                "n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid)".to_string()
            } else {
                format!(
                    "c.relname LIKE {}",
                    literal(&arg.replace('*', "%"), backend)
                )
            };
            format!(
                "SELECT n.nspname AS \"Schema\", c.relname AS \"Name\", \
                 CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
                 WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END AS \"Type\", \
                 pg_catalog.array_to_string(c.relacl, E'\\n') AS \"Access privileges\" \
                 FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r','v','m','S','f','p') AND {filter} ORDER BY 1, 2"
            )
        }
        Backend::Mysql => "SHOW GRANTS".to_string(),
        Backend::Sqlite => return Err(fail("\\dp: SQLite has no privileges")),
    };
    rows::run_listing(session, &sql).await
}

/// `\s`: the history file (MySQL's `\s` is `status`).
pub(super) fn history(session: &mut Session) -> Result<(), RunError> {
    let Some(path) = crate::files::default_history_file() else {
        return Err(fail("\\s: no history file"));
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => session.print_paged(text.as_bytes()),
        Err(e) => Err(fail(format!("\\s: {}: {e}", path.display()))),
    }
}

/// mysql's `status` / `\s`: what the session is connected to.
pub(super) async fn status(session: &mut Session) -> Result<(), RunError> {
    let info = session.conn().info();
    let version = match session.backend() {
        Backend::Mysql => "SELECT VERSION(), @@character_set_client, @@character_set_connection, @@character_set_server",
        Backend::Postgres => "SELECT pg_catalog.version(), pg_catalog.current_setting('client_encoding'), pg_catalog.current_setting('client_encoding'), pg_catalog.current_setting('server_encoding')",
        Backend::Sqlite => "SELECT sqlite_version(), 'UTF-8', 'UTF-8', 'UTF-8'",
    };
    let r = rows::query(session, version).await?;
    let row = r.rows.first().cloned().unwrap_or_default();
    let get = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let text = format!(
        "--------------\nConnection:\t\t{}\nCurrent database:\t{}\nCurrent user:\t\t{}\nServer version:\t\t{}\nClient characterset:\t{}\nConn.  characterset:\t{}\nServer characterset:\t{}\n--------------\n",
        session.target().describe(),
        info.database,
        info.user,
        get(0),
        get(1),
        get(2),
        get(3)
    );
    session.print_paged(text.as_bytes())
}

/// `\h [statement]`: brief syntax of common statements for this dialect.
pub(super) fn syntax_help(session: &mut Session, arg: &str) -> Result<(), RunError> {
    let topics = super::syntax::topics(session.backend());
    let want = arg.trim().to_ascii_uppercase();
    if want.is_empty() {
        let mut text = String::from("Available help (\\h NAME):\n");
        for (name, _) in topics {
            text.push_str("  ");
            text.push_str(name);
            text.push('\n');
        }
        return session.print_paged(text.as_bytes());
    }
    let found: Vec<_> = topics
        .iter()
        .filter(|(name, _)| name.starts_with(want.as_str()))
        .collect();
    if found.is_empty() {
        return Err(fail(format!(
            "No help available for \"{}\".\nTry \\h with no arguments to see available help.",
            arg.trim()
        )));
    }
    let mut text = String::new();
    for (name, body) in found {
        text.push_str(&format!("Command:     {name}\nSyntax:\n{body}\n\n"));
    }
    session.print_paged(text.as_bytes())
}

/// The mysql client's own words that arrive as statements: `status`, `charset NAME`,
/// `source FILE`. None when `sql` is not one of them.
pub async fn mysql_word(session: &mut Session, sql: &str) -> Option<Result<Then, RunError>> {
    if session.backend() != Backend::Mysql {
        return None;
    }
    let sql = sql.trim().trim_end_matches(';').trim();
    let (word, rest) = sql.split_once(char::is_whitespace).unwrap_or((sql, ""));
    let rest = rest.trim();
    match word.to_ascii_lowercase().as_str() {
        "status" if rest.is_empty() => Some(status(session).await.map(|()| Then::Done)),
        "charset" if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            let set = format!("SET NAMES {rest}");
            Some(
                session
                    .run_sql(&set, false, &set, 0)
                    .await
                    .map(|()| Then::Done),
            )
        }
        "source" if !rest.is_empty() => Some(super::output::include_path(rest).map(Then::Include)),
        _ => None,
    }
}
