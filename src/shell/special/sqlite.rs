//! SQLite's catalog queries for the list and describe commands, over the table-valued
//! pragmas (`pragma_table_list`, `pragma_table_xinfo`, `pragma_index_list`,
//! `pragma_foreign_key_list`). Attached databases play the part of schemas and databases;
//! there are no roles, types, sequences or extensions.
//!
//! The pragmas are joined against the matching tables, so each section is one query.

use super::describe::{cell, group, quoted, Described};
use super::list::ListKind;
use super::pattern::Pattern;
use super::rows::{query, Rows};
use crate::db::collect::{ident, literal};
use crate::db::Backend;
use crate::shell::{RunError, Session};

const LITE: Backend = Backend::Sqlite;

/// User tables and views (not SQLite's own `sqlite_*` tables).
pub(super) const USER_RELATIONS: &str =
    "l.type IN ('table','view','virtual') AND l.name NOT LIKE 'sqlite!_%' ESCAPE '!'";

pub(super) fn filter(pattern: Option<&Pattern>, schema: &str, name: &str) -> String {
    match pattern {
        None => "TRUE".into(),
        Some(Pattern {
            schema: None,
            name: n,
        }) => n.condition(name, LITE),
        Some(Pattern {
            schema: Some(s),
            name: n,
        }) => format!(
            "{} AND {}",
            s.condition(schema, LITE),
            n.condition(name, LITE)
        ),
    }
}

fn name_only(pattern: Option<&Pattern>, column: &str) -> String {
    pattern.map_or_else(|| "TRUE".into(), |p| p.name.condition(column, LITE))
}

pub(super) fn list_sql(
    kind: ListKind,
    plus: bool,
    pattern: Option<&Pattern>,
) -> Result<String, String> {
    let types = match kind {
        ListKind::Relations => Some("'table','view','virtual'"),
        ListKind::Tables => Some("'table','virtual'"),
        ListKind::Views => Some("'view'"),
        _ => None,
    };
    if let Some(types) = types {
        let extra = if plus {
            ", l.ncol AS \"Columns\", CASE WHEN l.wr THEN 'without rowid' END AS \"Rowid\", \
             CASE WHEN l.strict THEN 'strict' END AS \"Strict\""
        } else {
            ""
        };
        return Ok(format!(
            "SELECT l.schema AS \"Schema\", l.name AS \"Name\", l.type AS \"Type\"{extra} \
             FROM pragma_table_list l WHERE l.type IN ({types}) \
             AND l.name NOT LIKE 'sqlite!_%' ESCAPE '!' AND {} ORDER BY 1, 2",
            filter(pattern, "l.schema", "l.name")
        ));
    }
    Ok(match kind {
        ListKind::MatViews => return Err("SQLite has no materialized views".into()),
        ListKind::Sequences => {
            return Err(
                "SQLite has no sequences (AUTOINCREMENT counters are in sqlite_sequence)".into(),
            )
        }
        ListKind::Types => return Err("SQLite has no user-defined types".into()),
        ListKind::Roles => return Err("SQLite has no roles".into()),
        ListKind::Extensions => return Err("SQLite has no extensions catalog".into()),
        ListKind::Indexes => format!(
            "SELECT l.schema AS \"Schema\", i.name AS \"Name\", \
             CASE i.origin WHEN 'pk' THEN 'primary key' WHEN 'u' THEN 'unique constraint' \
             ELSE CASE WHEN i.\"unique\" THEN 'unique index' ELSE 'index' END END AS \"Type\", \
             l.name AS \"Table\" FROM pragma_table_list l, pragma_index_list(l.name, l.schema) i \
             WHERE l.type = 'table' AND {} ORDER BY 1, 2",
            filter(pattern, "l.schema", "i.name")
        ),
        ListKind::Schemas | ListKind::Databases => format!(
            "SELECT name AS \"Name\", file AS \"File\" FROM pragma_database_list \
             WHERE {} ORDER BY seq",
            name_only(pattern, "name")
        ),
        ListKind::Functions => format!(
            "SELECT name AS \"Name\", type AS \"Type\", narg AS \"Arguments\", \
             CASE WHEN builtin THEN 'built-in' ELSE 'application' END AS \"Origin\" \
             FROM pragma_function_list WHERE {} ORDER BY 1, 3",
            name_only(pattern, "name")
        ),
        _ => return Err("not a list command".into()),
    })
}

pub(super) async fn describe(
    session: &mut Session,
    pattern: &Pattern,
    _plus: bool,
) -> Result<Vec<Described>, RunError> {
    let which = format!(
        "{USER_RELATIONS} AND {}",
        filter(Some(pattern), "l.schema", "l.name")
    );
    let rels = query(
        session,
        &format!(
            "SELECT l.schema, l.name, l.type FROM pragma_table_list l WHERE {which} ORDER BY 1, 2"
        ),
    )
    .await?;
    if rels.rows.is_empty() {
        return Ok(Vec::new());
    }
    let columns = group(
        query(
            session,
            &format!(
                "SELECT l.schema, l.name, c.name, c.type, CASE WHEN c.\"notnull\" THEN 'not null' END, \
                 CASE c.hidden WHEN 2 THEN 'generated always (virtual)' \
                 WHEN 3 THEN 'generated always (stored)' ELSE c.dflt_value END, c.pk \
                 FROM pragma_table_list l, pragma_table_xinfo(l.name, l.schema) c \
                 WHERE {which} AND c.hidden <> 1 ORDER BY l.schema, l.name, c.cid"
            ),
        )
        .await?,
        2,
    );
    let indexes = group(
        query(
            session,
            &format!(
                "SELECT l.schema, l.name, i.name, i.\"unique\", i.origin, i.partial, \
                 (SELECT group_concat(coalesce(ii.name, '(expression)'), ', ') \
                  FROM pragma_index_info(i.name, l.schema) ii) \
                 FROM pragma_table_list l, pragma_index_list(l.name, l.schema) i \
                 WHERE {which} ORDER BY l.schema, l.name, i.origin <> 'pk', i.name"
            ),
        )
        .await?,
        2,
    );
    let fk_out = group(
        query(
            session,
            &format!(
                "SELECT l.schema, l.name, f.id, f.\"table\", group_concat(f.\"from\", ', '), \
                 group_concat(f.\"to\", ', '), f.on_update, f.on_delete \
                 FROM pragma_table_list l, pragma_foreign_key_list(l.name, l.schema) f \
                 WHERE {which} GROUP BY l.schema, l.name, f.id ORDER BY 1, 2, 3"
            ),
        )
        .await?,
        2,
    );
    let fk_in = group(
        query(
            session,
            &format!(
                "SELECT l.schema, l.name, m.name, f.id, group_concat(f.\"from\", ', '), \
                 group_concat(f.\"to\", ', ') FROM pragma_table_list l \
                 JOIN pragma_table_list m ON m.schema = l.schema AND m.type = 'table' \
                 JOIN pragma_foreign_key_list(m.name, m.schema) f \
                 WHERE f.\"table\" = l.name COLLATE NOCASE AND {which} \
                 GROUP BY l.schema, l.name, m.name, f.id ORDER BY 1, 2, 3, 4"
            ),
        )
        .await?,
        2,
    );
    // The CREATE text (view definitions, CHECK constraints): one query per schema.
    let mut sql_text = std::collections::HashMap::new();
    let mut triggers = std::collections::HashMap::new();
    let mut schemas: Vec<&str> = rels.rows.iter().map(|r| cell(r, 0)).collect();
    schemas.dedup();
    for schema in schemas {
        let names: Vec<String> = rels
            .rows
            .iter()
            .filter(|r| cell(r, 0) == schema)
            .map(|r| literal(cell(r, 1), LITE))
            .collect();
        let names = names.join(", ");
        let found = query(
            session,
            &format!(
                "SELECT type, name, tbl_name, sql FROM {}.sqlite_schema WHERE name IN ({names}) \
                 OR (type = 'trigger' AND tbl_name IN ({names})) ORDER BY name",
                ident(schema, LITE),
            ),
        )
        .await?;
        for r in found.rows {
            if cell(&r, 0) == "trigger" {
                triggers
                    .entry(format!("{schema}.{}", cell(&r, 2)))
                    .or_insert_with(Vec::new)
                    .push(trigger_line(cell(&r, 3)));
            } else {
                sql_text.insert(format!("{schema}.{}", cell(&r, 1)), cell(&r, 3).to_string());
            }
        }
    }

    let mut out = Vec::new();
    for rel in &rels.rows {
        let (schema, name) = (cell(rel, 0), cell(rel, 1));
        let key = format!("{schema}.{name}");
        let kind = match cell(rel, 2) {
            "view" => "View",
            "virtual" => "Virtual table",
            _ => "Table",
        };
        let mut d = Described {
            title: format!("{kind} \"{schema}.{name}\""),
            ..Described::default()
        };
        d.columns = Rows::with_columns(&["Column", "Type", "Nullable", "Default"]);
        let mut pk: Vec<(u32, String)> = Vec::new();
        for c in columns.get(&key).into_iter().flatten() {
            d.columns.rows.push(c[2..6].to_vec());
            if let Ok(n) = cell(c, 6).parse::<u32>() {
                if n > 0 {
                    pk.push((n, cell(c, 2).to_string()));
                }
            }
        }
        let idx = indexes.get(&key).map(Vec::as_slice).unwrap_or_default();
        let mut index_lines = Vec::new();
        // A rowid table's INTEGER PRIMARY KEY has no index of its own.
        if !pk.is_empty() && !idx.iter().any(|r| cell(r, 4) == "pk") {
            pk.sort();
            let cols: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
            index_lines.push(format!("PRIMARY KEY ({})", cols.join(", ")));
        }
        for r in idx {
            let what = match (cell(r, 4), cell(r, 3)) {
                ("pk", _) => " PRIMARY KEY",
                ("u", _) => " UNIQUE CONSTRAINT",
                (_, "1") => " UNIQUE",
                _ => "",
            };
            let partial = if cell(r, 5) == "1" { " (partial)" } else { "" };
            index_lines.push(format!(
                "{}{what} ({}){partial}",
                quoted(cell(r, 2)),
                cell(r, 6)
            ));
        }
        d.section("Indexes:", index_lines);
        let create = sql_text.get(&key).map(String::as_str).unwrap_or("");
        if kind == "Table" {
            d.section("Check constraints:", check_constraints(create));
        }
        let outgoing = fk_out
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| {
                let mut line = format!("FOREIGN KEY ({}) REFERENCES {}", cell(r, 4), cell(r, 3));
                if !cell(r, 5).is_empty() {
                    line.push_str(&format!("({})", cell(r, 5)));
                }
                for (i, what) in [(6, "ON UPDATE"), (7, "ON DELETE")] {
                    if !matches!(cell(r, i), "" | "NO ACTION") {
                        line.push_str(&format!(" {what} {}", cell(r, i)));
                    }
                }
                line
            })
            .collect();
        d.section("Foreign-key constraints:", outgoing);
        let incoming = fk_in
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| {
                let to = match cell(r, 5) {
                    "" => String::new(),
                    cols => format!("({cols})"),
                };
                format!(
                    "TABLE {} FOREIGN KEY ({}) REFERENCES {name}{to}",
                    quoted(cell(r, 2)),
                    cell(r, 4)
                )
            })
            .collect();
        d.section("Referenced by:", incoming);
        if kind == "View" && !create.is_empty() {
            d.section("View definition:", vec![create.to_string()]);
        }
        d.section("Triggers:", triggers.remove(&key).unwrap_or_default());
        out.push(d);
    }
    Ok(out)
}

/// A trigger as psql lists it: its CREATE statement without `CREATE [TEMP] TRIGGER
/// [IF NOT EXISTS]`, so it starts with the trigger's name.
pub(super) fn trigger_line(create: &str) -> String {
    let mut rest = create.trim_start();
    for word in [
        "CREATE",
        "TEMPORARY",
        "TEMP",
        "TRIGGER",
        "IF",
        "NOT",
        "EXISTS",
    ] {
        let n = word.len();
        if rest.len() > n
            && rest[..n].eq_ignore_ascii_case(word)
            && rest.as_bytes()[n].is_ascii_whitespace()
        {
            rest = rest[n..].trim_start();
        }
    }
    rest.to_string()
}

/// The CHECK constraints in a CREATE TABLE statement (SQLite keeps no catalog of them):
/// `CHECK (expr)`, with `"name"` before it when the constraint is named.
pub(super) fn check_constraints(create: &str) -> Vec<String> {
    let b = create.as_bytes();
    let mut out = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                let start = i;
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
                i += 1;
                words.push(create.get(start..i.min(b.len())).unwrap_or(""));
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = &create[start..i];
                if word.eq_ignore_ascii_case("check") {
                    let mut j = i;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b'(') {
                        let end = balanced(b, j);
                        let expr = create.get(j + 1..end.saturating_sub(1)).unwrap_or("");
                        let name = match words.as_slice() {
                            [.., kw, n] if kw.eq_ignore_ascii_case("constraint") => {
                                format!("{} ", quoted(n.trim_matches(['"', '`', '[', ']'])))
                            }
                            _ => String::new(),
                        };
                        out.push(format!("{name}CHECK ({})", expr.trim()));
                        i = end;
                        continue;
                    }
                }
                words.push(word);
            }
            _ => i += 1,
        }
    }
    out
}

/// The index just past the parenthesis that closes the one at `open` (quotes respected).
fn balanced(b: &[u8], open: usize) -> usize {
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_line_starts_at_the_trigger_name() {
        assert_eq!(
            trigger_line(
                "create temp trigger if not exists audit AFTER INSERT ON t BEGIN SELECT 1; END"
            ),
            "audit AFTER INSERT ON t BEGIN SELECT 1; END"
        );
        assert_eq!(
            trigger_line("CREATE TRIGGER ifx BEFORE DELETE ON t"),
            "ifx BEFORE DELETE ON t"
        );
    }

    #[test]
    fn finds_check_constraints() {
        let sql = "CREATE TABLE t (a int CHECK (a > 0), b text check(b <> ')'), \
                   CONSTRAINT \"pos\" CHECK ((a + 1) > 1), c int DEFAULT 'check (no)')";
        assert_eq!(
            check_constraints(sql),
            vec![
                "CHECK (a > 0)".to_string(),
                "CHECK (b <> ')')".to_string(),
                "\"pos\" CHECK ((a + 1) > 1)".to_string(),
            ]
        );
    }
}
