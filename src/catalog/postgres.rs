//! PostgreSQL introspection: a handful of set-based queries over pg_catalog, never one
//! query per table.

use std::collections::HashMap;
use std::sync::Arc;

use super::rows::{cell, column, foreign_keys, split_list as split, FastHash, Interner};
use super::{Catalog, Column, ForeignKey, Function, Relation, RelationKind, UserType};
use crate::db::collect::{cell_text, for_each_row, literal, TextRows};
use crate::db::{Backend, Connection, DbError};
use crate::result::Value;
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
    // Independent queries.
    let batch = [
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY 1".to_string(),
        "SELECT unnest(current_schemas(false))".to_string(),
        "SELECT current_database()".to_string(),
        "SELECT DISTINCT collname FROM pg_catalog.pg_collation ORDER BY 1".to_string(),
        "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1".to_string(),
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
    // Relations, columns and keys: a million rows at 50,000 tables, read as they arrive,
    // in the same submission (one round trip).
    let mut read = Relations::default();
    let mut small: Vec<TextRows> = Vec::new();
    let sql = [
        batch.join(";\n"),
        relations_sql(&everything),
        // Foreign keys by the two tables' oids and column numbers, named here from the
        // columns read: resolving names on the server costs two subqueries per key
        // (2.9 s at 50,000 tables, 0.07 s so).
        format!(
            "SELECT con.conrelid, con.conkey, con.confrelid, con.confkey \
             FROM pg_catalog.pg_constraint con \
             JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE con.contype = 'f' AND {USER_SCHEMAS}"
        ),
    ]
    .join(";\n");
    let sets = for_each_row(conn, &sql, |set, row| {
        if set < batch.len() {
            small.resize_with(set + 1, Vec::new);
            small[set].push(
                row.iter()
                    .map(|v| cell_text(v).map(|t| t.into_owned()))
                    .collect(),
            );
        } else {
            read.row(set - batch.len(), row);
        }
    })
    .await?;
    if sets != batch.len() + RELATION_SETS + 1 {
        return Err(DbError::query("catalog queries: wrong number of results"));
    }
    small.resize_with(batch.len(), Vec::new);
    let [schemas, search_path, database, collations, databases, funcs, types] =
        <[TextRows; 7]>::try_from(small)
            .map_err(|_| DbError::query("catalog queries: wrong number of results"))?;
    c.schemas = column(schemas);
    c.search_path = column(search_path);
    c.current_database = column(database).into_iter().next().unwrap_or_default();
    c.collations = column(collations);
    c.databases = column(databases);
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
    read.finish(&mut c);
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
    // Names come from the server here: the other end may be in a schema not read now.
    let oids = format!(
        "SELECT c.oid FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = {lit}"
    );
    let fks = foreign_keys_sql(&format!(
        "(con.conrelid IN ({oids}) OR con.confrelid IN ({oids}))"
    ));
    let mut read = Relations::default();
    let mut keys: TextRows = Vec::new();
    let sql = format!("{};\n{fks}", relations_sql(&format!("n.nspname = {lit}")));
    for_each_row(conn, &sql, |set, row| {
        if set < RELATION_SETS {
            read.row(set, row);
        } else {
            keys.push(
                row.iter()
                    .map(|v| cell_text(v).map(|t| t.into_owned()))
                    .collect(),
            );
        }
    })
    .await?;
    read.finish(&mut c);
    c.foreign_keys = foreign_keys(&keys);
    Ok(c)
}

/// Result sets of `relations_sql`.
const RELATION_SETS: usize = 3;

/// Relations, their primary keys and their columns in the schemas `schemas` (a condition
/// on `n.nspname`): three result sets, read by `Relations`. Unordered columns, sorted
/// here: the server's sort of a million rows cost more than the rest of the query.
fn relations_sql(schemas: &str) -> String {
    let relations = "pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace";
    let wanted = format!("c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {schemas}");
    format!(
        "SELECT c.oid, n.nspname, c.relname, c.relkind FROM {relations} WHERE {wanted} \
         ORDER BY n.nspname, c.relname;\n\
         SELECT i.indrelid, i.indkey FROM pg_catalog.pg_index i WHERE i.indisprimary \
           AND i.indrelid IN (SELECT c.oid FROM {relations} WHERE {wanted});\n\
         SELECT a.attrelid, a.attnum, a.attname, \
                pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull \
         FROM pg_catalog.pg_attribute a \
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE {wanted} AND a.attnum > 0 AND NOT a.attisdropped"
    )
}

/// The rows of `relations_sql` (sets 0 to 2) and of the full load's foreign keys by oid
/// and column number (set 3), as they arrive.
#[derive(Default)]
struct Relations {
    relations: Vec<Relation>,
    /// Relation oid -> position in `relations`.
    by_oid: HashMap<u32, usize, FastHash>,
    primary_keys: HashMap<u32, Vec<i16>, FastHash>,
    /// Per relation: (attnum, column), sorted at the end.
    columns: Vec<Vec<(i16, Column)>>,
    names: Interner,
    /// (from oid, from attnums, to oid, to attnums).
    keys: Vec<(u32, Vec<i16>, u32, Vec<i16>)>,
}

impl Relations {
    fn row(&mut self, set: usize, row: &[Value<'_>]) {
        let text = |i: usize| row.get(i).and_then(cell_text).unwrap_or_default();
        let oid = |i: usize| text(i).parse::<u32>().unwrap_or(0);
        match set {
            0 => {
                let kind = match &*text(3) {
                    "v" => RelationKind::View,
                    "m" => RelationKind::MaterializedView,
                    "f" => RelationKind::ForeignTable,
                    _ => RelationKind::Table,
                };
                self.by_oid.insert(oid(0), self.relations.len());
                self.relations.push(Relation {
                    schema: text(1).into_owned(),
                    name: text(2).into_owned(),
                    kind,
                    columns: Vec::new(),
                });
                self.columns.push(Vec::new());
            }
            1 => {
                self.primary_keys.insert(oid(0), attnums(&text(1)));
            }
            2 => {
                let Some(&i) = self.by_oid.get(&oid(0)) else {
                    return; // a relation created between the two queries
                };
                let column = Column {
                    name: self.names.get_str(&text(2)),
                    data_type: self.names.get_str(&text(3)),
                    nullable: text(4) == "t",
                    primary_key: false,
                };
                self.columns[i].push((text(1).parse().unwrap_or(0), column));
            }
            _ => self
                .keys
                .push((oid(0), attnums(&text(1)), oid(2), attnums(&text(3)))),
        }
    }

    fn finish(mut self, c: &mut Catalog) {
        for (&oid, &i) in &self.by_oid {
            let pk = self.primary_keys.get(&oid);
            let columns = &mut self.columns[i];
            columns.sort_unstable_by_key(|(num, _)| *num);
            for (num, col) in columns.iter_mut() {
                col.primary_key = pk.is_some_and(|pk| pk.contains(num));
            }
        }
        // A key's columns by number, named from what was read; a key whose table or
        // column was not read (created meanwhile) is left out.
        let named = |oid: u32, nums: &[i16]| -> Option<(usize, Vec<Arc<str>>)> {
            let i = *self.by_oid.get(&oid)?;
            let cols = &self.columns[i];
            let names = nums
                .iter()
                .map(|n| {
                    let at = cols.binary_search_by_key(n, |(num, _)| *num).ok()?;
                    Some(cols[at].1.name.clone())
                })
                .collect::<Option<Vec<_>>>()?;
            Some((i, names))
        };
        let mut shared = Interner::default();
        for (from, from_nums, to, to_nums) in &self.keys {
            let (Some((f, from_columns)), Some((t, to_columns))) =
                (named(*from, from_nums), named(*to, to_nums))
            else {
                continue;
            };
            let (f, t) = (&self.relations[f], &self.relations[t]);
            c.foreign_keys.push(ForeignKey {
                from_schema: shared.get_str(&f.schema),
                from_table: shared.get_str(&f.name),
                from_columns,
                to_schema: shared.get_str(&t.schema),
                to_table: shared.get_str(&t.name),
                to_columns,
            });
        }
        for (rel, cols) in self.relations.iter_mut().zip(self.columns) {
            rel.columns = cols.into_iter().map(|(_, col)| col).collect();
        }
        c.relations = self.relations;
    }
}

/// Column numbers as PostgreSQL prints an `int2vector` (`1 2`) or an `int2[]` (`{1,2}`).
fn attnums(text: &str) -> Vec<i16> {
    text.trim_matches(|ch| ch == '{' || ch == '}')
        .split([' ', ','])
        .filter_map(|n| n.parse().ok())
        .collect()
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
