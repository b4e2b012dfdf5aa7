//! MySQL/MariaDB's catalog queries for the list and describe commands, over
//! information_schema (plain SQL through `Connection::execute`, so nothing here depends
//! on the driver). A schema is a database in MySQL: `\dn` and `\l` both list them.
//!
//! Queries filter by name in SQL and describe all matching tables at once; `\d` sends
//! them as one submission (one round trip) and joins in dbsh what MariaDB would join by
//! reading every schema's information_schema rows.

use std::collections::HashMap;

use super::describe::{cell, group, quoted, Described};
use super::list::ListKind;
use super::pattern::Pattern;
use super::rows::{query, query_batch_optional_tail, Rows};
use crate::catalog::mysql::{innodb_keys, InnodbKey, INNODB_KEYS};
use crate::db::Backend;
use crate::shell::{RunError, Session};

const MY: Backend = Backend::Mysql;

const SYSTEM: &str = "('mysql','information_schema','performance_schema','sys')";

/// The current database (without one: every schema but the system's).
fn here(schema: &str) -> String {
    format!("({schema} = DATABASE() OR (DATABASE() IS NULL AND {schema} NOT IN {SYSTEM}))")
}

/// Objects in the current database, or in the schemas the pattern names.
fn filter(pattern: Option<&Pattern>, schema: &str, name: &str) -> String {
    let here = here(schema);
    match pattern {
        None => here,
        Some(Pattern {
            schema: None,
            name: n,
        }) => format!("{here} AND {}", n.condition(name, MY)),
        Some(Pattern {
            schema: Some(s),
            name: n,
        }) => format!("{} AND {}", s.condition(schema, MY), n.condition(name, MY)),
    }
}

fn name_only(pattern: Option<&Pattern>, column: &str, default: &str) -> String {
    match pattern {
        None => default.to_string(),
        Some(p) => p.name.condition(column, MY),
    }
}

pub(super) fn list_sql(
    kind: ListKind,
    plus: bool,
    pattern: Option<&Pattern>,
) -> Result<String, String> {
    let table_types = match kind {
        ListKind::Relations => Some("'BASE TABLE','VIEW','SYSTEM VIEW','SEQUENCE'"),
        ListKind::Tables => Some("'BASE TABLE'"),
        ListKind::Views => Some("'VIEW','SYSTEM VIEW'"),
        ListKind::Sequences => Some("'SEQUENCE'"),
        _ => None,
    };
    if let Some(types) = table_types {
        let extra = if plus {
            ", engine AS `Engine`, table_rows AS `Rows`, \
             data_length + index_length AS `Size`, \
             IF(table_type = 'VIEW', NULL, table_comment) AS `Description`"
        } else {
            ""
        };
        return Ok(format!(
            "SELECT table_schema AS `Schema`, table_name AS `Name`, \
             LOWER(REPLACE(table_type, 'BASE ', '')) AS `Type`{extra} \
             FROM information_schema.tables WHERE table_type IN ({types}) AND {} ORDER BY 1, 2",
            filter(pattern, "table_schema", "table_name")
        ));
    }
    Ok(match kind {
        ListKind::MatViews => return Err("MySQL has no materialized views".into()),
        ListKind::Types => return Err("MySQL has no user-defined types".into()),
        ListKind::Extensions => return Err("MySQL has no extensions catalog".into()),
        ListKind::Indexes => format!(
            "SELECT table_schema AS `Schema`, index_name AS `Name`, \
             CASE WHEN index_name = 'PRIMARY' THEN 'primary key' WHEN non_unique = 0 THEN 'unique' \
             ELSE 'index' END AS `Type`, table_name AS `Table`, \
             GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', ') AS `Columns`, \
             index_type AS `Method` FROM information_schema.statistics WHERE {} \
             GROUP BY table_schema, table_name, index_name, non_unique, index_type ORDER BY 1, 2, 4",
            filter(pattern, "table_schema", "index_name")
        ),
        ListKind::Schemas | ListKind::Databases => {
            let extra = if plus {
                ", (SELECT SUM(t.data_length + t.index_length) FROM information_schema.tables t \
                 WHERE t.table_schema = s.schema_name) AS `Size`"
            } else {
                ""
            };
            format!(
                "SELECT schema_name AS `Name`, default_character_set_name AS `Encoding`, \
                 default_collation_name AS `Collation`{extra} FROM information_schema.schemata s \
                 WHERE {} ORDER BY 1",
                name_only(pattern, "schema_name", "TRUE")
            )
        }
        ListKind::Functions => {
            let extra = if plus {
                ", definer AS `Owner`, security_type AS `Security`, \
                 routine_comment AS `Description`"
            } else {
                ""
            };
            format!(
                "SELECT routine_schema AS `Schema`, routine_name AS `Name`, \
                 dtd_identifier AS `Result data type`, LOWER(routine_type) AS `Type`{extra} \
                 FROM information_schema.routines WHERE {} ORDER BY 1, 2",
                filter(pattern, "routine_schema", "routine_name")
            )
        }
        ListKind::Roles => format!(
            "SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) AS `Role name`, \
             CONCAT_WS(', ', IF(super_priv = 'Y', 'Superuser', NULL), \
             IF(create_user_priv = 'Y', 'Create role', NULL), \
             IF(create_priv = 'Y', 'Create DB', NULL)) AS `Attributes` \
             FROM mysql.user WHERE {} ORDER BY user, host",
            name_only(pattern, "user", "TRUE")
        ),
        _ => return Err("not a list command".into()),
    })
}

/// (schema, table, name, clause) rows for the CHECK constraints in `names` (schema,
/// table, name), each clause from `clauses` (`SELECT *` of check_constraints). Joined in
/// SQL, MariaDB reads every schema's check constraints for each table (seconds beside
/// tens of thousands of tables). Its check_constraints has a TABLE_NAME, which MySQL's
/// lacks, and needs it: column-level checks are named after the column, so the name alone
/// is not unique in a schema.
fn join_checks(names: Rows, clauses: &Rows) -> Rows {
    let col = |want: &str| {
        clauses
            .columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(want))
    };
    let (Some(schema), Some(name), Some(clause)) = (
        col("CONSTRAINT_SCHEMA"),
        col("CONSTRAINT_NAME"),
        col("CHECK_CLAUSE"),
    ) else {
        return Rows::default();
    };
    let table = col("TABLE_NAME");
    let found: HashMap<(&str, &str, &str), &str> = clauses
        .rows
        .iter()
        .map(|r| {
            let t = table.map_or("", |t| cell(r, t));
            ((cell(r, schema), t, cell(r, name)), cell(r, clause))
        })
        .collect();
    let rows = names
        .rows
        .iter()
        .filter_map(|r| {
            let t = if table.is_some() { cell(r, 1) } else { "" };
            let clause = found.get(&(cell(r, 0), t, cell(r, 2)))?;
            let mut row = r.clone();
            row.push(Some(clause.to_string()));
            Some(row)
        })
        .collect();
    Rows {
        columns: Vec::new(),
        rows,
    }
}

/// `keys` (foreign-key rows of `describe`'s `fk` query, rules NULL) with their ON DELETE
/// and ON UPDATE rules from `rules` (schema, table, name, delete rule, update rule).
fn with_rules(mut keys: Rows, rules: &Rows) -> Rows {
    let found: HashMap<(&str, &str, &str), &[Option<String>]> = rules
        .rows
        .iter()
        .map(|r| {
            (
                (cell(r, 0), cell(r, 1), cell(r, 2)),
                r.get(3..).unwrap_or_default(),
            )
        })
        .collect();
    for key in &mut keys.rows {
        let rule = found
            .get(&(cell(key, 2), cell(key, 3), cell(key, 4)))
            .map(|r| r.to_vec());
        if let (Some(rule), true) = (rule, key.len() >= 11) {
            key.truncate(9);
            key.extend(rule);
        }
    }
    keys
}

/// The keys among `keys` that reference a table of `rels` (rows of describe's tables
/// query), as rows of `fk("referenced_", true)`, in its order.
fn referencing(keys: Vec<InnodbKey>, rels: &Rows) -> Rows {
    let described: std::collections::HashSet<(&str, &str)> =
        rels.rows.iter().map(|r| (cell(r, 0), cell(r, 1))).collect();
    let mut rows: Vec<Vec<Option<String>>> = keys
        .iter()
        .filter(|k| described.contains(&(k.to.0.as_str(), k.to.1.as_str())))
        .map(|k| {
            let list = |f: fn(&(String, String)) -> &String| {
                k.columns
                    .iter()
                    .map(f)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            [
                k.to.0.clone(),
                k.to.1.clone(),
                k.from.0.clone(),
                k.from.1.clone(),
                k.name.clone(),
                list(|c| &c.0),
                k.to.0.clone(),
                k.to.1.clone(),
                list(|c| &c.1),
                k.on_delete().to_string(),
                k.on_update().to_string(),
            ]
            .into_iter()
            .map(Some)
            .collect()
        })
        .collect();
    rows.sort_by(|a, b| a[..5].cmp(&b[..5]));
    Rows {
        columns: Vec::new(),
        rows,
    }
}

pub(super) async fn describe(
    session: &mut Session,
    pattern: &Pattern,
    plus: bool,
) -> Result<Vec<Described>, RunError> {
    // Every query names the tables by the pattern itself (not by what a first query
    // found), so that all of them go in one submission: one round trip, as the mysql
    // client's SHOW CREATE TABLE.
    let these = |schema: &str, name: &str| filter(Some(pattern), schema, name);
    let comment = if plus { ", column_comment" } else { "" };
    // A table's own foreign keys and their rules are found by name; the rules are joined
    // here (`with_rules`): joined in SQL, MariaDB reads every schema's constraints. Keys
    // referencing the tables can only be found by reading every schema's keys anyway.
    let fk = |side: &str, rules: bool| {
        let (rules, join, group) = if rules {
            (
                "rc.delete_rule, rc.update_rule",
                "LEFT JOIN information_schema.referential_constraints rc \
                 ON rc.constraint_schema = k.table_schema AND rc.table_name = k.table_name \
                 AND rc.constraint_name = k.constraint_name",
                ", rc.delete_rule, rc.update_rule",
            )
        } else {
            ("NULL, NULL", "", "")
        };
        format!(
            "SELECT k.{side}table_schema, k.{side}table_name, k.table_schema, k.table_name, \
             k.constraint_name, \
             GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position SEPARATOR ', '), \
             k.referenced_table_schema, k.referenced_table_name, \
             GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position SEPARATOR ', '), \
             {rules} FROM information_schema.key_column_usage k {join} \
             WHERE k.referenced_table_name IS NOT NULL AND {} \
             GROUP BY k.table_schema, k.table_name, k.constraint_name, k.referenced_table_schema, \
             k.referenced_table_name{group} ORDER BY 1, 2, 3, 4, 5",
            these(
                &format!("k.{side}table_schema"),
                &format!("k.{side}table_name")
            )
        )
    };
    let batch = [
        format!(
            "SELECT table_schema, table_name, table_type, engine, data_length + index_length, \
             table_comment FROM information_schema.tables WHERE {} ORDER BY 1, 2",
            these("table_schema", "table_name")
        ),
        // MariaDB reports "no default" as the text NULL (a string default is quoted).
        format!(
            "SELECT table_schema, table_name, column_name, column_type, collation_name, \
             IF(is_nullable = 'NO', 'not null', NULL), \
             NULLIF(CONCAT_WS(' ', NULLIF(column_default, 'NULL'), NULLIF(extra, '')), ''){comment} \
             FROM information_schema.columns WHERE {} \
             ORDER BY table_schema, table_name, ordinal_position",
            these("table_schema", "table_name")
        ),
        format!(
            "SELECT table_schema, table_name, index_name, non_unique, \
             GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', '), index_type \
             FROM information_schema.statistics WHERE {} \
             GROUP BY table_schema, table_name, index_name, non_unique, index_type \
             ORDER BY table_schema, table_name, index_name <> 'PRIMARY', index_name",
            these("table_schema", "table_name")
        ),
        // Check constraints: names here, clauses next, joined by `join_checks`.
        format!(
            "SELECT table_schema, table_name, constraint_name \
             FROM information_schema.table_constraints \
             WHERE constraint_type = 'CHECK' AND {} ORDER BY 1, 2, 3",
            these("table_schema", "table_name")
        ),
        format!(
            "SELECT * FROM information_schema.check_constraints WHERE {}",
            match &pattern.schema {
                Some(s) => s.condition("constraint_schema", MY),
                None => here("constraint_schema"),
            }
        ),
        fk("", false),
        format!(
            "SELECT constraint_schema, table_name, constraint_name, delete_rule, update_rule \
             FROM information_schema.referential_constraints WHERE {}",
            these("constraint_schema", "table_name")
        ),
        format!(
            "SELECT event_object_schema, event_object_table, trigger_name, action_timing, \
             event_manipulation, action_orientation, action_statement \
             FROM information_schema.triggers WHERE {} \
             ORDER BY 1, 2, action_timing, event_manipulation, action_order",
            these("event_object_schema", "event_object_table")
        ),
        format!(
            "SELECT table_schema, table_name, view_definition FROM information_schema.views \
             WHERE {}",
            these("table_schema", "table_name")
        ),
    ];
    // Keys referencing the tables: InnoDB's own lists where this server and user can
    // read them; `key_column_usage` has no lookup by referenced table and opens every
    // table of every schema (minutes beside 50,000 tables with a cold table cache).
    let mut batch = batch.to_vec();
    let needed = batch.len();
    batch.extend(INNODB_KEYS.iter().map(|q| q.to_string()));
    let mut results = query_batch_optional_tail(session, &batch, INNODB_KEYS.len()).await?;
    let innodb = if results.len() == batch.len() {
        let columns = results.pop().unwrap_or_default();
        let keys = results.pop().unwrap_or_default();
        innodb_keys(&keys.rows, &columns.rows)
    } else {
        None
    };
    results.truncate(needed);
    let [rels, columns, indexes, checks, clauses, fk_out, rules, triggers, views] =
        <[Rows; 9]>::try_from(results).map_err(|_| RunError::Failed)?;
    if rels.rows.is_empty() {
        return Ok(Vec::new());
    }
    let fk_in = match innodb {
        Some(keys) => referencing(keys, &rels),
        None => query(session, &fk("referenced_", true)).await?,
    };
    let checks = join_checks(checks, &clauses);
    let fk_out = with_rules(fk_out, &rules);
    let [columns, indexes, checks, fk_out, fk_in, triggers, views] =
        [columns, indexes, checks, fk_out, fk_in, triggers, views].map(|rows| group(rows, 2));

    let mut out = Vec::new();
    for rel in &rels.rows {
        let (schema, name) = (cell(rel, 0), cell(rel, 1));
        let key = format!("{schema}.{name}");
        let kind = match cell(rel, 2) {
            "VIEW" | "SYSTEM VIEW" => "View",
            "SEQUENCE" => "Sequence",
            _ => "Table",
        };
        let mut d = Described {
            title: format!("{kind} \"{schema}.{name}\""),
            ..Described::default()
        };
        let mut header = vec!["Column", "Type", "Collation", "Nullable", "Default"];
        if plus {
            header.push("Description");
        }
        d.columns = Rows::with_columns(&header);
        for c in columns.get(&key).into_iter().flatten() {
            d.columns.rows.push(c[2..].to_vec());
        }
        let index_lines = indexes
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| {
                let what = match (cell(r, 2), cell(r, 3)) {
                    ("PRIMARY", _) => " PRIMARY KEY,",
                    (_, "0") => " UNIQUE,",
                    _ => "",
                };
                format!(
                    "{}{what} {} ({})",
                    quoted(cell(r, 2)),
                    cell(r, 5).to_lowercase(),
                    cell(r, 4)
                )
            })
            .collect();
        d.section("Indexes:", index_lines);
        let check_lines = checks
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| format!("{} CHECK ({})", quoted(cell(r, 2)), cell(r, 3)))
            .collect();
        d.section("Check constraints:", check_lines);
        let fk_line = |r: &Vec<Option<String>>| {
            let mut line = format!(
                "{} FOREIGN KEY ({}) REFERENCES {}({})",
                quoted(cell(r, 4)),
                cell(r, 5),
                qualified(schema, cell(r, 6), cell(r, 7)),
                cell(r, 8)
            );
            // As SHOW CREATE TABLE states them: RESTRICT is the default and left out.
            for (i, what) in [(9, "ON DELETE"), (10, "ON UPDATE")] {
                if !matches!(cell(r, i), "" | "RESTRICT") {
                    line.push_str(&format!(" {what} {}", cell(r, i)));
                }
            }
            line
        };
        let outgoing = fk_out
            .get(&key)
            .into_iter()
            .flatten()
            .map(fk_line)
            .collect();
        d.section("Foreign-key constraints:", outgoing);
        let incoming = fk_in
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "TABLE {} CONSTRAINT {}",
                    quoted(&qualified(schema, cell(r, 2), cell(r, 3))),
                    fk_line(r)
                )
            })
            .collect();
        d.section("Referenced by:", incoming);
        if let Some(v) = views.get(&key).and_then(|v| v.first()) {
            d.section("View definition:", vec![cell(v, 2).to_string()]);
        }
        let trigger_lines = triggers
            .get(&key)
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "{} {} {} ON {name} FOR EACH {} {}",
                    cell(r, 2),
                    cell(r, 3),
                    cell(r, 4),
                    cell(r, 5),
                    cell(r, 6)
                )
            })
            .collect();
        d.section("Triggers:", trigger_lines);
        if plus {
            let mut more = Vec::new();
            if !cell(rel, 3).is_empty() {
                more.push(format!("Engine: {}", cell(rel, 3)));
            }
            if !cell(rel, 4).is_empty() {
                more.push(format!("Size: {} bytes", cell(rel, 4)));
            }
            // information_schema says "VIEW" as the comment of every view.
            if !cell(rel, 5).is_empty() && kind != "View" {
                more.push(format!("Comment: {}", cell(rel, 5)));
            }
            d.section("Details:", more);
        }
        out.push(d);
    }
    Ok(out)
}

/// `table`, or `schema.table` when it lives in another schema than `here`.
fn qualified(here: &str, schema: &str, table: &str) -> String {
    if schema == here || schema.is_empty() {
        table.to_string()
    } else {
        format!("{schema}.{table}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(columns: &[&str], rows: &[&[&str]]) -> Rows {
        let mut r = Rows::with_columns(columns);
        r.rows = rows
            .iter()
            .map(|row| row.iter().map(|c| Some(c.to_string())).collect())
            .collect();
        r
    }

    #[test]
    fn check_clauses_join_by_table_where_the_server_names_it() {
        let names = rows(
            &["table_schema", "table_name", "constraint_name"],
            &[&["s", "a", "x"], &["s", "b", "x"], &["s", "b", "b_pos"]],
        );
        // MariaDB: a column-level check named `x` on two tables.
        let mariadb = rows(
            &[
                "CONSTRAINT_SCHEMA",
                "TABLE_NAME",
                "CONSTRAINT_NAME",
                "CHECK_CLAUSE",
            ],
            &[
                &["s", "a", "x", "`x` > 0"],
                &["s", "b", "x", "`x` > 5"],
                &["s", "b", "b_pos", "`b` > 0"],
            ],
        );
        let clauses: Vec<String> = join_checks(names.clone(), &mariadb)
            .rows
            .iter()
            .map(|r| format!("{}.{} {}", cell(r, 1), cell(r, 2), cell(r, 3)))
            .collect();
        assert_eq!(clauses, ["a.x `x` > 0", "b.x `x` > 5", "b.b_pos `b` > 0"]);
        // MySQL: names unique in a schema, no table column.
        let mysql = rows(
            &["CONSTRAINT_SCHEMA", "CONSTRAINT_NAME", "CHECK_CLAUSE"],
            &[&["s", "b_pos", "(`b` > 0)"]],
        );
        let joined = join_checks(names, &mysql);
        assert_eq!(joined.rows.len(), 1);
        assert_eq!(cell(&joined.rows[0], 3), "(`b` > 0)");
    }
}
