//! sqlite3's dot commands on SQLite: `.tables`, `.schema`, `.indexes`, `.databases` (and
//! `.help`, `.quit`), so that habits from the sqlite3 shell keep working.

use super::list::parse_pattern;
use super::pattern::Pattern;
use super::rows::{self, query};
use super::sqlite::{filter, USER_RELATIONS};
use crate::render::sanitize::escape_controls;
use crate::shell::{RunError, Session};

pub(super) async fn run(session: &mut Session, name: &str, arg: &str) -> Result<(), RunError> {
    match name {
        ".tables" => {
            let p = parse_pattern(name, arg)?;
            rows::run_listing(
                session,
                &format!(
                    "SELECT CASE WHEN l.schema = 'main' THEN l.name ELSE l.schema || '.' || l.name END \
                     AS name FROM pragma_table_list l WHERE {USER_RELATIONS} AND {} \
                     ORDER BY l.schema <> 'main', 1",
                    filter(p.as_ref(), "l.schema", "l.name")
                ),
            )
            .await
        }
        ".indexes" | ".indices" => {
            let p = parse_pattern(name, arg)?;
            rows::run_listing(
                session,
                &format!(
                    "SELECT i.name AS name, l.name AS \"table\" FROM pragma_table_list l, \
                     pragma_index_list(l.name, l.schema) i WHERE {USER_RELATIONS} AND {} \
                     ORDER BY l.name, i.name",
                    filter(p.as_ref(), "l.schema", "l.name")
                ),
            )
            .await
        }
        ".databases" => {
            if !arg.is_empty() {
                return super::usage(".databases");
            }
            rows::run_listing(
                session,
                "SELECT name, file FROM pragma_database_list ORDER BY seq",
            )
            .await
        }
        ".schema" => schema(session, parse_pattern(name, arg)?).await,
        ".help" => super::help(session, ""),
        ".quit" | ".exit" => Err(RunError::Quit),
        _ => {
            eprintln!("unknown command {name}; the dot commands are .tables .schema .indexes .databases (\\? lists the rest)");
            Err(RunError::Failed)
        }
    }
}

/// `.schema [pattern]`: the CREATE statements, as sqlite3 prints them.
async fn schema(session: &mut Session, pattern: Option<Pattern>) -> Result<(), RunError> {
    let cond = match &pattern {
        Some(p) => p.name.condition("tbl_name", crate::db::Backend::Sqlite),
        None => "TRUE".into(),
    };
    let found = query(
        session,
        &format!(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL \
             AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND {cond} \
             ORDER BY tbl_name, type DESC, name"
        ),
    )
    .await?;
    let mut text = String::new();
    for r in &found.rows {
        text.push_str(&escape_controls(super::describe::cell(r, 0), true));
        text.push_str(";\n");
    }
    session.print_paged(text.as_bytes())
}
