//! MySQL/MariaDB introspection over information_schema, in a few set-based queries.

use super::postgres::{cell, column};
use super::{Catalog, Column, Dialect, ForeignKey, Function, Relation, RelationKind};
use crate::db::collect::query_text;
use crate::db::{Connection, DbError};

const SYSTEM: &str = "('mysql', 'information_schema', 'performance_schema', 'sys')";

pub async fn load(conn: &mut Connection) -> Result<Catalog, DbError> {
    let mut c = Catalog {
        dialect: Dialect::Mysql,
        ..Catalog::default()
    };
    c.databases = column(
        query_text(
            conn,
            "SELECT schema_name FROM information_schema.schemata ORDER BY 1",
        )
        .await?,
    );
    c.schemas = c.databases.clone();
    c.current_database = column(query_text(conn, "SELECT DATABASE()").await?)
        .into_iter()
        .next()
        .unwrap_or_default();
    if !c.current_database.is_empty() {
        c.search_path = vec![c.current_database.clone()];
    }

    let rows = query_text(
        conn,
        &format!(
            "SELECT t.table_schema, t.table_name, t.table_type, c.column_name, c.column_type, \
                    c.is_nullable, c.column_key \
             FROM information_schema.tables t \
             LEFT JOIN information_schema.columns c \
               ON c.table_schema = t.table_schema AND c.table_name = t.table_name \
             WHERE t.table_schema NOT IN {SYSTEM} \
             ORDER BY t.table_schema, t.table_name, c.ordinal_position"
        ),
    )
    .await?;
    for r in rows {
        let (schema, name) = (cell(&r, 0), cell(&r, 1));
        let same = c
            .relations
            .last()
            .is_some_and(|l| l.schema == schema && l.name == name);
        if !same {
            let kind = if cell(&r, 2).contains("VIEW") {
                RelationKind::View
            } else {
                RelationKind::Table
            };
            c.relations.push(Relation {
                schema,
                name,
                kind,
                columns: Vec::new(),
            });
        }
        if let (Some(rel), Some(col)) = (c.relations.last_mut(), r.get(3).cloned().flatten()) {
            rel.columns.push(Column {
                name: col,
                data_type: cell(&r, 4),
                nullable: cell(&r, 5) == "YES",
                primary_key: cell(&r, 6) == "PRI",
            });
        }
    }

    let fks = query_text(
        conn,
        &format!(
            "SELECT table_schema, table_name, \
                    GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR '\\x1f'), \
                    referenced_table_schema, referenced_table_name, \
                    GROUP_CONCAT(referenced_column_name ORDER BY ordinal_position SEPARATOR '\\x1f') \
             FROM information_schema.key_column_usage \
             WHERE referenced_table_name IS NOT NULL AND table_schema NOT IN {SYSTEM} \
             GROUP BY constraint_schema, constraint_name, table_schema, table_name, \
                      referenced_table_schema, referenced_table_name"
        ),
    )
    .await?;
    c.foreign_keys = fks
        .iter()
        .map(|r| ForeignKey {
            from_schema: cell(r, 0),
            from_table: cell(r, 1),
            from_columns: cell(r, 2).split('\u{1f}').map(str::to_string).collect(),
            to_schema: cell(r, 3),
            to_table: cell(r, 4),
            to_columns: cell(r, 5).split('\u{1f}').map(str::to_string).collect(),
        })
        .collect();

    let funcs = query_text(
        conn,
        &format!(
            "SELECT r.routine_schema, r.routine_name, \
                    COALESCE(GROUP_CONCAT(CONCAT(p.parameter_name, ' ', p.dtd_identifier) ORDER BY p.ordinal_position SEPARATOR ', '), ''), \
                    COALESCE(r.dtd_identifier, ''), r.routine_type \
             FROM information_schema.routines r \
             LEFT JOIN information_schema.parameters p \
               ON p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name AND p.ordinal_position > 0 \
             WHERE r.routine_schema NOT IN {SYSTEM} \
             GROUP BY r.routine_schema, r.routine_name, r.dtd_identifier, r.routine_type"
        ),
    )
    .await?;
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
    Ok(c)
}
