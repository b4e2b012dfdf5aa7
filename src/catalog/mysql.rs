//! MySQL/MariaDB introspection over information_schema, in a few set-based queries.

use super::rows::{cell, column, split_list};
use super::{Catalog, Column, Dialect, ForeignKey, Function, RelationKind};
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
        let kind = if cell(&r, 2).contains("VIEW") {
            RelationKind::View
        } else {
            RelationKind::Table
        };
        let column = r.get(3).cloned().flatten().map(|name| Column {
            name,
            data_type: cell(&r, 4),
            nullable: cell(&r, 5) == "YES",
            primary_key: cell(&r, 6) == "PRI",
        });
        c.push_column(cell(&r, 0), cell(&r, 1), kind, column);
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
            from_columns: split_list(&cell(r, 2)),
            to_schema: cell(r, 3),
            to_table: cell(r, 4),
            to_columns: split_list(&cell(r, 5)),
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
