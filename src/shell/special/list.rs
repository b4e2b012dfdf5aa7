//! The list commands (`\d` without a name, `\dt`, `\dv`, `\dm`, `\di`, `\ds`, `\dn`, `\df`,
//! `\dT`, `\du`, `\l`, `\dx`, each with `+` for more detail): which catalog listing a
//! command name means, and running the backend's query for it through the normal renderer.

use super::pattern::Pattern;
use super::{mysql, postgres, rows, sqlite};
use crate::db::Backend;
use crate::shell::{RunError, Session};

/// What a list command lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListKind {
    /// `\d`: tables, views, materialized views, sequences, foreign tables.
    Relations,
    Tables,
    Views,
    MatViews,
    Indexes,
    Sequences,
    Schemas,
    Functions,
    Types,
    Roles,
    Databases,
    Extensions,
}

impl ListKind {
    /// `\dt+` -> (Tables, true). `\d` itself is handled by the caller (it also describes).
    pub(super) fn parse(command: &str) -> Option<(ListKind, bool)> {
        let (base, plus) = match command.strip_suffix('+') {
            Some(b) => (b, true),
            None => (command, false),
        };
        let kind = match base {
            "\\d" => ListKind::Relations,
            "\\dt" => ListKind::Tables,
            "\\dv" => ListKind::Views,
            "\\dm" => ListKind::MatViews,
            "\\di" => ListKind::Indexes,
            "\\ds" => ListKind::Sequences,
            "\\dn" => ListKind::Schemas,
            "\\df" => ListKind::Functions,
            "\\dT" => ListKind::Types,
            "\\du" | "\\dg" => ListKind::Roles,
            "\\l" | "\\list" => ListKind::Databases,
            "\\dx" => ListKind::Extensions,
            _ => return None,
        };
        Some((kind, plus))
    }

    /// The command's name without `+`, as in COMMANDS (for usage lines).
    pub(super) fn command(self) -> &'static str {
        match self {
            ListKind::Relations => "\\d",
            ListKind::Tables => "\\dt",
            ListKind::Views => "\\dv",
            ListKind::MatViews => "\\dm",
            ListKind::Indexes => "\\di",
            ListKind::Sequences => "\\ds",
            ListKind::Schemas => "\\dn",
            ListKind::Functions => "\\df",
            ListKind::Types => "\\dT",
            ListKind::Roles => "\\du",
            ListKind::Databases => "\\l",
            ListKind::Extensions => "\\dx",
        }
    }
}

/// Run a list command with its optional pattern.
pub(super) async fn run(
    session: &mut Session,
    kind: ListKind,
    plus: bool,
    arg: &str,
) -> Result<(), RunError> {
    let pattern = parse_pattern(kind.command(), arg)?;
    let backend = session.backend();
    let sql = match backend {
        Backend::Postgres => postgres::list_sql(kind, plus, pattern.as_ref()),
        Backend::Mysql => mysql::list_sql(kind, plus, pattern.as_ref()),
        Backend::Sqlite => sqlite::list_sql(kind, plus, pattern.as_ref()),
    };
    match sql {
        Ok(sql) => rows::run_listing(session, &sql).await,
        Err(why) => {
            eprintln!("{}: {why}", kind.command());
            Err(RunError::Failed)
        }
    }
}

/// Parse a command's pattern argument, reporting a bad one with the command's usage.
pub(super) fn parse_pattern(command: &str, arg: &str) -> Result<Option<Pattern>, RunError> {
    Pattern::parse(arg).map_err(|e| {
        eprintln!("{command}: {e}");
        let _ = super::usage(command);
        RunError::Failed
    })
}
