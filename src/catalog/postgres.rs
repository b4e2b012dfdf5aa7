//! PostgreSQL introspection: a handful of set-based queries over pg_catalog, never one
//! query per table.

use super::rows::{cell, column, foreign_keys, split_list as split, Interner};
use super::{Catalog, Column, Function, RelationKind, UserType};
use crate::db::collect::{literal, query_texts, TextRows};
use crate::db::{Backend, Connection, DbError};
use crate::sql::Dialect;

/// Relations also come from pg_catalog and information_schema (`pg_stat_activity`,
/// `pg_locks`, `information_schema.columns`); completion ranks them after the user's.
const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

pub async fn load(conn: &mut Connection) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Postgres,
        ..Catalog::default()
    };
    let everything =
        format!("({USER_SCHEMAS} OR n.nspname IN ('pg_catalog', 'information_schema'))");
    // Independent queries: one submission, one round trip.
    let batch = [
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY 1".to_string(),
        "SELECT unnest(current_schemas(false))".to_string(),
        "SELECT current_database()".to_string(),
        "SELECT DISTINCT collname FROM pg_catalog.pg_collation ORDER BY 1".to_string(),
        "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1".to_string(),
        relations_sql(&everything),
        foreign_keys_sql(&USER_SCHEMAS.replace("n.nspname", "sn.nspname")),
        "SELECT n.nspname, p.proname, pg_catalog.pg_get_function_arguments(p.oid), \
                pg_catalog.pg_get_function_result(p.oid), p.proretset \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname <> 'information_schema' \
           AND (n.nspname <> 'pg_catalog' OR p.prokind IN ('f', 'a', 'w')) \
         ORDER BY 1, 2".to_string(),
        format!(
            "SELECT n.nspname, t.typname, \
               array_to_string(ARRAY(SELECT enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY enumsortorder), E'\\x1f') \
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
             WHERE t.typtype IN ('e', 'd', 'r', 'c') AND {USER_SCHEMAS} \
               AND (t.typrelid = 0 OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c') \
             ORDER BY 1, 2"
        ),
    ];
    let [schemas, search_path, database, collations, databases, rows, fks, funcs, types] =
        <[TextRows; 9]>::try_from(query_texts(conn, &batch).await?)
            .map_err(|_| DbError::query("catalog queries: wrong number of results"))?;
    c.schemas = column(schemas);
    c.search_path = column(search_path);
    c.current_database = column(database).into_iter().next().unwrap_or_default();
    c.collations = column(collations);
    c.databases = column(databases);
    push_relations(&mut c, rows);
    c.foreign_keys = foreign_keys(&fks);
    c.functions = funcs
        .iter()
        .map(|r| Function {
            schema: cell(r, 0),
            name: cell(r, 1),
            arguments: cell(r, 2),
            return_type: cell(r, 3),
            returns_set: cell(r, 4) == "t",
        })
        .collect();
    c.types = types
        .iter()
        .map(|r| UserType {
            schema: cell(r, 0),
            name: cell(r, 1),
            enum_labels: split(&cell(r, 2)),
        })
        .collect();
    Ok(c)
}

/// The relations and foreign keys of one schema, for a refresh after DDL that touched
/// only it: relations of `schema`, foreign keys from or to it.
pub async fn load_schema(conn: &mut Connection, schema: &str) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Postgres,
        ..Catalog::default()
    };
    let lit = literal(schema, Backend::Postgres);
    // By the tables' oids: a condition on the joined namespaces makes the server join
    // every foreign key of the database first (0.7 s at 50,000 tables, 0.27 s so).
    let oids = format!(
        "SELECT c.oid FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = {lit}"
    );
    let batch = [
        relations_sql(&format!("n.nspname = {lit}")),
        foreign_keys_sql(&format!(
            "(con.conrelid IN ({oids}) OR con.confrelid IN ({oids}))"
        )),
    ];
    let [rows, fks] = <[TextRows; 2]>::try_from(query_texts(conn, &batch).await?)
        .map_err(|_| DbError::query("catalog queries: wrong number of results"))?;
    push_relations(&mut c, rows);
    c.foreign_keys = foreign_keys(&fks);
    Ok(c)
}

/// Relations and their columns in the schemas `schemas` (a condition on `n.nspname`).
/// The primary key by a join (a table has at most one): a subquery per column row cost a
/// third of the load at 50,000 tables x 20 columns.
fn relations_sql(schemas: &str) -> String {
    format!(
        "SELECT n.nspname, c.relname, c.relkind, a.attname, \
                pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, \
                COALESCE(a.attnum = ANY(i.indkey), false) \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary \
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {schemas} \
         ORDER BY n.nspname, c.relname, a.attnum"
    )
}

fn push_relations(c: &mut Catalog, rows: TextRows) {
    let mut names = Interner::default();
    for r in rows {
        let kind = match cell(&r, 2).as_str() {
            "v" => RelationKind::View,
            "m" => RelationKind::MaterializedView,
            "f" => RelationKind::ForeignTable,
            _ => RelationKind::Table,
        };
        let column = r.get(3).cloned().flatten().map(|name| Column {
            name: names.get(name),
            data_type: names.get(cell(&r, 4)),
            nullable: cell(&r, 5) == "t",
            primary_key: cell(&r, 6) == "t",
        });
        c.push_column(cell(&r, 0), cell(&r, 1), kind, column);
    }
}

/// Foreign keys matching `filter` (a condition on `con`, or `sn`/`tn`, the two ends'
/// namespaces).
fn foreign_keys_sql(filter: &str) -> String {
    format!(
        "SELECT sn.nspname, sc.relname, \
           array_to_string(ARRAY(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = con.conrelid AND attnum = ANY(con.conkey) ORDER BY array_position(con.conkey, attnum)), E'\\x1f'), \
           tn.nspname, tc.relname, \
           array_to_string(ARRAY(SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = con.confrelid AND attnum = ANY(con.confkey) ORDER BY array_position(con.confkey, attnum)), E'\\x1f') \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class sc ON sc.oid = con.conrelid JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace \
         JOIN pg_catalog.pg_class tc ON tc.oid = con.confrelid JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace \
         WHERE con.contype = 'f' AND {filter}"
    )
}
