//! MySQL/MariaDB introspection over information_schema, in a few set-based queries.

use std::collections::HashMap;

use super::rows::{cell, column, foreign_keys, Interner};
use super::{Catalog, Column, Function, Relation, RelationKind};
use crate::db::collect::{literal, query_texts, query_texts_until_error, TextRows};
use crate::db::{Backend, Connection, DbError};
use crate::sql::Dialect;

const SYSTEM: &str = "('mysql', 'information_schema', 'performance_schema', 'sys')";
/// Tables and columns also come from the two system schemas an incident needs
/// (`performance_schema`, `information_schema`); completion ranks them last.
const NOT_LISTED: &str = "('mysql', 'sys')";

pub async fn load(conn: &mut Connection) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Mysql,
        ..Catalog::default()
    };
    // Independent queries, in one submission: one round trip.
    let batch = [
        "SELECT schema_name FROM information_schema.schemata ORDER BY 1".to_string(),
        "SELECT DATABASE()".to_string(),
        "SELECT @@lower_case_table_names".to_string(),
        "SELECT character_set_name FROM information_schema.character_sets ORDER BY 1".to_string(),
        "SELECT collation_name FROM information_schema.collations ORDER BY 1".to_string(),
        tables_sql(&format!("table_schema NOT IN {NOT_LISTED}")),
        columns_sql(&format!("table_schema NOT IN {NOT_LISTED}")),
        foreign_keys_sql(&format!("table_schema NOT IN {SYSTEM}")),
        format!(
            "SELECT r.routine_schema, r.routine_name, \
                    COALESCE(GROUP_CONCAT(CONCAT(p.parameter_name, ' ', p.dtd_identifier) ORDER BY p.ordinal_position SEPARATOR ', '), ''), \
                    COALESCE(r.dtd_identifier, ''), r.routine_type \
             FROM information_schema.routines r \
             LEFT JOIN information_schema.parameters p \
               ON p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name AND p.ordinal_position > 0 \
             WHERE r.routine_schema NOT IN {SYSTEM} \
             GROUP BY r.routine_schema, r.routine_name, r.dtd_identifier, r.routine_type"
        ),
        // Last: the server's built-in functions, from its help tables (MySQL and MariaDB
        // differ; the tables may be empty or unreadable, then the fixed list in
        // `complete` serves).
        "SELECT DISTINCT LOWER(t.name) FROM mysql.help_topic t \
         JOIN mysql.help_category k ON k.help_category_id = t.help_category_id \
         WHERE k.name LIKE '%Function%' ORDER BY 1"
            .to_string(),
    ];
    let (mut results, error) = query_texts_until_error(conn, &batch).await;
    let help = (results.len() == batch.len())
        .then(|| results.pop())
        .flatten();
    let Ok([databases, database, lower_case, charsets, collations, tables, columns, fks, funcs]) =
        <[TextRows; 9]>::try_from(results)
    else {
        return Err(error.unwrap_or_else(|| DbError::query("catalog queries: missing results")));
    };
    c.databases = column(databases);
    c.schemas = c.databases.clone();
    c.current_database = column(database).into_iter().next().unwrap_or_default();
    // 0: names compare with case (Linux default); 1 and 2: without.
    c.case_sensitive_tables = column(lower_case).first().is_some_and(|v| v.trim() == "0");
    c.charsets = column(charsets);
    c.collations = column(collations);
    if !c.current_database.is_empty() {
        c.search_path = vec![c.current_database.clone()];
    }

    push_relations(&mut c, tables, columns);
    c.foreign_keys = foreign_keys(&fks);

    c.functions = funcs
        .iter()
        .map(|r| Function {
            schema: cell(r, 0),
            name: cell(r, 1),
            arguments: cell(r, 2),
            return_type: cell(r, 3),
            returns_set: false,
        })
        .collect();
    if let Some(rows) = help {
        // Help topics spell `_` as `\_` (LIKE-escaped).
        let names = column(rows)
            .into_iter()
            .map(|n| n.replace("\\_", "_"))
            .filter(|n| {
                !n.is_empty() && n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            });
        c.functions.extend(names.map(|name| Function {
            schema: "mysql".into(),
            name,
            arguments: String::new(),
            return_type: "built-in".into(),
            returns_set: false,
        }));
    }
    Ok(c)
}

/// The tables and foreign keys of one database, for a refresh after DDL that touched only
/// it: its tables, foreign keys from or to it.
pub async fn load_schema(conn: &mut Connection, schema: &str) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Mysql,
        ..Catalog::default()
    };
    let lit = literal(schema, Backend::Mysql);
    let batch = [
        tables_sql(&format!("table_schema = {lit}")),
        columns_sql(&format!("table_schema = {lit}")),
        foreign_keys_sql(&format!(
            "(table_schema = {lit} OR referenced_table_schema = {lit})"
        )),
    ];
    let [tables, columns, fks] = <[TextRows; 3]>::try_from(query_texts(conn, &batch).await?)
        .map_err(|_| DbError::query("catalog queries: wrong number of results"))?;
    push_relations(&mut c, tables, columns);
    c.foreign_keys = foreign_keys(&fks);
    Ok(c)
}

// Tables and columns are two queries, joined here: MariaDB runs a join of
// information_schema.tables with .columns as a nested loop that re-reads every table's
// definition per table (about 100 s for 5,000 tables; 0.4 s apart).

/// Tables of the databases `schemas` (a condition on `table_schema`).
fn tables_sql(schemas: &str) -> String {
    format!(
        "SELECT table_schema, table_name, table_type \
         FROM information_schema.tables \
         WHERE {schemas} \
         ORDER BY table_schema, table_name"
    )
}

/// Columns of the databases `schemas`.
fn columns_sql(schemas: &str) -> String {
    format!(
        "SELECT table_schema, table_name, column_name, column_type, is_nullable, column_key \
         FROM information_schema.columns \
         WHERE {schemas} \
         ORDER BY table_schema, table_name, ordinal_position"
    )
}

fn push_relations(c: &mut Catalog, tables: TextRows, columns: TextRows) {
    let mut index: HashMap<(String, String), usize> = HashMap::with_capacity(tables.len());
    for r in tables {
        let (schema, name) = (cell(&r, 0), cell(&r, 1));
        let kind = if cell(&r, 2).contains("VIEW") {
            RelationKind::View
        } else {
            RelationKind::Table
        };
        index.insert((schema.clone(), name.clone()), c.relations.len());
        c.relations.push(Relation {
            schema,
            name,
            kind,
            columns: Vec::new(),
        });
    }
    let mut key = (String::new(), String::new());
    let mut names = Interner::default();
    for r in columns {
        key.0 = cell(&r, 0);
        key.1 = cell(&r, 1);
        let (Some(&i), Some(col)) = (index.get(&key), r.get(2).cloned().flatten()) else {
            continue; // a table created between the two queries
        };
        c.relations[i].columns.push(Column {
            name: names.get(col),
            data_type: names.get(cell(&r, 3)),
            nullable: cell(&r, 4) == "YES",
            primary_key: cell(&r, 5) == "PRI",
        });
    }
}

/// Foreign keys matching `filter` (a condition on `key_column_usage`).
fn foreign_keys_sql(filter: &str) -> String {
    format!(
        "SELECT table_schema, table_name, \
                GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR '\\x1f'), \
                referenced_table_schema, referenced_table_name, \
                GROUP_CONCAT(referenced_column_name ORDER BY ordinal_position SEPARATOR '\\x1f') \
         FROM information_schema.key_column_usage \
         WHERE referenced_table_name IS NOT NULL AND {filter} \
         GROUP BY constraint_schema, constraint_name, table_schema, table_name, \
                  referenced_table_schema, referenced_table_name"
    )
}
