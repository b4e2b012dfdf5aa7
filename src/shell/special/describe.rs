//! `\d name`: describe each relation matching a pattern the way psql does — a title, the
//! columns as a table (rendered with the user's settings), then footer sections: indexes,
//! check constraints, foreign keys out and in, a view's definition, triggers, partitioning,
//! and with `+` sizes and comments. The backend files produce `Described` values; this file
//! prints them.

use std::collections::HashMap;

use super::list::parse_pattern;
use super::rows::{self, Rows};
use super::{mysql, postgres, sqlite};
use crate::db::Backend;
use crate::render::sanitize::escape_controls;
use crate::shell::{RunError, Session};

/// One described relation.
#[derive(Debug, Default)]
pub(super) struct Described {
    /// `Table "public.orders"`
    pub title: String,
    pub columns: Rows,
    /// ("Indexes:", lines) in print order; empty sections are left out.
    pub sections: Vec<(String, Vec<String>)>,
}

impl Described {
    pub(super) fn section(&mut self, heading: &str, lines: Vec<String>) {
        if !lines.is_empty() {
            self.sections.push((heading.to_string(), lines));
        }
    }

    /// A footer line of its own (`Partition key: RANGE (id)`), printed unindented.
    pub(super) fn line(&mut self, text: String) {
        self.sections.push((text, Vec::new()));
    }
}

/// `\d[+] pattern`.
pub(super) async fn run(session: &mut Session, plus: bool, arg: &str) -> Result<(), RunError> {
    let command = if plus { "\\d+" } else { "\\d" };
    let Some(pattern) = parse_pattern("\\d", arg)? else {
        return Err(RunError::Failed);
    };
    let found = match session.backend() {
        Backend::Postgres => postgres::describe(session, &pattern, plus).await?,
        Backend::Mysql => mysql::describe(session, &pattern, plus).await?,
        Backend::Sqlite => sqlite::describe(session, &pattern, plus).await?,
    };
    if found.is_empty() {
        eprintln!("{command}: did not find any relation named \"{arg}\".");
        return Err(RunError::Failed);
    }
    let mut out = Vec::new();
    for (i, d) in found.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(escape_controls(&d.title, false).as_bytes());
        out.push(b'\n');
        // Empty, not the NULL marker, for "no default" and "nullable", as psql shows them.
        let mut columns = d.columns.clone();
        for row in &mut columns.rows {
            for c in row.iter_mut() {
                c.get_or_insert_with(String::new);
            }
        }
        rows::render(session, &columns, false, &mut out)?;
        for (heading, lines) in &d.sections {
            for h in heading.lines() {
                out.extend_from_slice(escape_controls(h, false).as_bytes());
                out.push(b'\n');
            }
            for line in lines {
                for l in line.lines() {
                    out.extend_from_slice(b"    ");
                    out.extend_from_slice(escape_controls(l, false).as_bytes());
                    out.push(b'\n');
                }
            }
        }
    }
    session.print_paged(&out)
}

/// Rows grouped by the text of their first `key` columns (joined with '.'), in order.
pub(super) fn group(rows: Rows, key: usize) -> HashMap<String, Vec<Vec<Option<String>>>> {
    let mut map: HashMap<String, Vec<Vec<Option<String>>>> = HashMap::new();
    for row in rows.rows {
        let k = row
            .iter()
            .take(key)
            .map(|c| c.as_deref().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(".");
        map.entry(k).or_default().push(row);
    }
    map
}

/// Cell `i` of a row as text ("" for NULL or a missing cell).
pub(super) fn cell(row: &[Option<String>], i: usize) -> &str {
    row.get(i).and_then(|c| c.as_deref()).unwrap_or("")
}

/// `name` quoted as psql shows names in footers.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
