//! PostgreSQL's catalog queries for the list and describe commands (modelled on psql's).
//!
//! Every query filters by name in SQL and works on sets (`attrelid IN (…)`), so describing
//! a table costs the same handful of queries in a schema of ten tables or fifty thousand:
//! two round trips, the relation lookup and then the rest as one submission.

use std::collections::HashMap;

use super::describe::{cell, group, quoted, Described};
use super::list::ListKind;
use super::pattern::Pattern;
use super::rows::{query, query_batch, Rows};
use crate::db::Backend;
use crate::shell::{RunError, Session};

const PG: Backend = Backend::Postgres;

/// The WHERE condition psql uses for objects in schemas: no pattern hides the system
/// schemas and shows what the search path sees; a name pattern alone looks only at what
/// the search path sees; a schema pattern looks in the schemas it names.
fn filter(pattern: Option<&Pattern>, schema: &str, name: &str, visible: &str) -> String {
    match pattern {
        None => format!(
            "{schema} <> 'pg_catalog' AND {schema} !~ '^pg_toast' AND {schema} <> 'information_schema' AND {visible}"
        ),
        Some(Pattern {
            schema: None,
            name: n,
        }) => format!("{visible} AND {}", n.condition(name, PG)),
        Some(Pattern {
            schema: Some(s),
            name: n,
        }) => format!(
            "{} AND {}",
            s.condition(schema, PG),
            n.condition(name, PG)
        ),
    }
}

/// A condition on a global object's name (schema, role, database, extension).
fn name_only(pattern: Option<&Pattern>, column: &str, default: &str) -> String {
    match pattern {
        None => default.to_string(),
        Some(p) => p.name.condition(column, PG),
    }
}

pub(super) fn list_sql(
    kind: ListKind,
    plus: bool,
    pattern: Option<&Pattern>,
) -> Result<String, String> {
    let relkinds = match kind {
        ListKind::Relations => Some("'r','p','v','m','S','f'"),
        ListKind::Tables => Some("'r','p'"),
        ListKind::Views => Some("'v'"),
        ListKind::MatViews => Some("'m'"),
        ListKind::Indexes => Some("'i','I'"),
        ListKind::Sequences => Some("'S'"),
        _ => None,
    };
    if let Some(relkinds) = relkinds {
        let index = kind == ListKind::Indexes;
        let mut cols = String::from(
            "n.nspname AS \"Schema\", c.relname AS \"Name\", \
             CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' \
             WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' \
             WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' \
             WHEN 'I' THEN 'partitioned index' END AS \"Type\", \
             pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"",
        );
        let mut from = String::from(
            "pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
        );
        if index {
            cols.push_str(", c2.relname AS \"Table\"");
            from.push_str(
                " LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid \
                 LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid",
            );
        }
        if plus {
            cols.push_str(
                ", CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' \
                 WHEN 'u' THEN 'unlogged' END AS \"Persistence\", \
                 pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS \"Size\", \
                 pg_catalog.obj_description(c.oid, 'pg_class') AS \"Description\"",
            );
        }
        return Ok(format!(
            "SELECT {cols} FROM {from} WHERE c.relkind IN ({relkinds}) AND {} ORDER BY 1, 2",
            filter(
                pattern,
                "n.nspname",
                "c.relname",
                "pg_catalog.pg_table_is_visible(c.oid)"
            )
        ));
    }
    Ok(match kind {
        ListKind::Schemas => {
            let extra = if plus {
                ", pg_catalog.array_to_string(n.nspacl, E'\\n') AS \"Access privileges\", \
                 pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\""
            } else {
                ""
            };
            format!(
                "SELECT n.nspname AS \"Name\", pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"{extra} \
                 FROM pg_catalog.pg_namespace n WHERE {} ORDER BY 1",
                name_only(
                    pattern,
                    "n.nspname",
                    "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
                )
            )
        }
        ListKind::Functions => {
            let extra = if plus {
                ", CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' \
                 WHEN 'v' THEN 'volatile' END AS \"Volatility\", \
                 pg_catalog.pg_get_userbyid(p.proowner) AS \"Owner\", l.lanname AS \"Language\", \
                 pg_catalog.obj_description(p.oid, 'pg_proc') AS \"Description\""
            } else {
                ""
            };
            format!(
                "SELECT n.nspname AS \"Schema\", p.proname AS \"Name\", \
                 pg_catalog.pg_get_function_result(p.oid) AS \"Result data type\", \
                 pg_catalog.pg_get_function_arguments(p.oid) AS \"Argument data types\", \
                 CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' \
                 ELSE 'func' END AS \"Type\"{extra} \
                 FROM pg_catalog.pg_proc p \
                 LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang \
                 WHERE {} ORDER BY 1, 2, 4",
                filter(
                    pattern,
                    "n.nspname",
                    "p.proname",
                    "pg_catalog.pg_function_is_visible(p.oid)"
                )
            )
        }
        ListKind::Types => {
            let extra = if plus {
                "t.typname AS \"Internal name\", \
                 CASE WHEN t.typrelid != 0 THEN 'tuple' WHEN t.typlen < 0 THEN 'var' \
                 ELSE CAST(t.typlen AS pg_catalog.text) END AS \"Size\", \
                 pg_catalog.array_to_string(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e \
                 WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), E'\\n') AS \"Elements\", \
                 pg_catalog.pg_get_userbyid(t.typowner) AS \"Owner\", "
            } else {
                ""
            };
            format!(
                "SELECT n.nspname AS \"Schema\", pg_catalog.format_type(t.oid, NULL) AS \"Name\", {extra}\
                 pg_catalog.obj_description(t.oid, 'pg_type') AS \"Description\" \
                 FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)) \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid) \
                 AND {} ORDER BY 1, 2",
                filter(
                    pattern,
                    "n.nspname",
                    "t.typname",
                    "pg_catalog.pg_type_is_visible(t.oid)"
                )
            )
        }
        ListKind::Roles => {
            let extra = if plus {
                ", pg_catalog.shobj_description(r.oid, 'pg_authid') AS \"Description\""
            } else {
                ""
            };
            format!(
                "SELECT r.rolname AS \"Role name\", pg_catalog.concat_ws(', ', \
                 CASE WHEN r.rolsuper THEN 'Superuser' END, \
                 CASE WHEN r.rolcreaterole THEN 'Create role' END, \
                 CASE WHEN r.rolcreatedb THEN 'Create DB' END, \
                 CASE WHEN NOT r.rolcanlogin THEN 'Cannot login' END, \
                 CASE WHEN r.rolreplication THEN 'Replication' END, \
                 CASE WHEN r.rolbypassrls THEN 'Bypass RLS' END) AS \"Attributes\"{extra} \
                 FROM pg_catalog.pg_roles r WHERE {} ORDER BY 1",
                name_only(pattern, "r.rolname", "r.rolname !~ '^pg_'")
            )
        }
        ListKind::Databases => {
            let (extra, join) = if plus {
                (
                    ", CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT') \
                     THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname)) \
                     ELSE 'No Access' END AS \"Size\", t.spcname AS \"Tablespace\", \
                     pg_catalog.shobj_description(d.oid, 'pg_database') AS \"Description\"",
                    " JOIN pg_catalog.pg_tablespace t ON d.dattablespace = t.oid",
                )
            } else {
                ("", "")
            };
            format!(
                "SELECT d.datname AS \"Name\", pg_catalog.pg_get_userbyid(d.datdba) AS \"Owner\", \
                 pg_catalog.pg_encoding_to_char(d.encoding) AS \"Encoding\", \
                 d.datcollate AS \"Collate\", d.datctype AS \"Ctype\", \
                 pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\"{extra} \
                 FROM pg_catalog.pg_database d{join} WHERE {} ORDER BY 1",
                name_only(pattern, "d.datname", "TRUE")
            )
        }
        ListKind::Extensions => format!(
            "SELECT e.extname AS \"Name\", e.extversion AS \"Version\", n.nspname AS \"Schema\", \
             c.description AS \"Description\" FROM pg_catalog.pg_extension e \
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
             LEFT JOIN pg_catalog.pg_description c ON c.objoid = e.oid \
             AND c.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
             WHERE {} ORDER BY 1",
            name_only(pattern, "e.extname", "TRUE")
        ),
        _ => return Err("not a list command".into()),
    })
}

/// Describe every relation matching `pattern`: one query for the relations, then one per
/// section for all of them at once.
pub(super) async fn describe(
    session: &mut Session,
    pattern: &Pattern,
    plus: bool,
) -> Result<Vec<Described>, RunError> {
    let rels = query(
        session,
        &format!(
            "SELECT c.oid, n.nspname, c.relname, c.relkind, \
             pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid)), \
             pg_catalog.obj_description(c.oid, 'pg_class') \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r','p','v','m','i','I','S','f','c') AND {} ORDER BY 2, 3",
            filter(
                Some(pattern),
                "n.nspname",
                "c.relname",
                "pg_catalog.pg_table_is_visible(c.oid)"
            )
        ),
    )
    .await?;
    if rels.rows.is_empty() {
        return Ok(Vec::new());
    }
    // Oids come from the server as numbers; keep only digits all the same.
    let oids: Vec<&str> = rels
        .rows
        .iter()
        .map(|r| cell(r, 0))
        .filter(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let ids = oids.join(",");
    let comment = if plus {
        ", pg_catalog.col_description(a.attrelid, a.attnum)"
    } else {
        ""
    };
    // Everything else depends only on the oids: one submission, one round trip.
    let batch = [
        format!(
            "SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), \
             (SELECT co.collname FROM pg_catalog.pg_collation co, pg_catalog.pg_type t \
              WHERE co.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation), \
             CASE WHEN a.attnotnull THEN 'not null' END, \
             CASE WHEN a.attidentity = 'a' THEN 'generated always as identity' \
             WHEN a.attidentity = 'd' THEN 'generated by default as identity' \
             WHEN a.attgenerated = 's' THEN 'generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') stored' \
             ELSE pg_catalog.pg_get_expr(d.adbin, d.adrelid) END{comment} \
             FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d \
             ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef \
             WHERE a.attrelid IN ({ids}) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attrelid, a.attnum"
        ),
        format!(
            "SELECT i.indrelid, c2.relname, i.indisprimary, i.indisunique, con.contype, \
             pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), i.indisvalid \
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c2 ON c2.oid = i.indexrelid \
             LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = i.indrelid \
             AND con.conindid = i.indexrelid AND con.contype IN ('p','u','x') \
             WHERE i.indrelid IN ({ids}) ORDER BY i.indrelid, i.indisprimary DESC, c2.relname"
        ),
        format!(
            "SELECT conrelid, contype, conname, pg_catalog.pg_get_constraintdef(oid, true) \
             FROM pg_catalog.pg_constraint WHERE conrelid IN ({ids}) AND contype IN ('c','f') \
             ORDER BY conrelid, contype, conname"
        ),
        format!(
            "SELECT confrelid, conrelid::pg_catalog.regclass, conname, \
             pg_catalog.pg_get_constraintdef(oid, true) FROM pg_catalog.pg_constraint \
             WHERE confrelid IN ({ids}) AND contype = 'f' ORDER BY 1, 2, 3"
        ),
        format!(
            "SELECT c.oid, pg_catalog.pg_get_viewdef(c.oid, true) FROM pg_catalog.pg_class c \
             WHERE c.oid IN ({ids}) AND c.relkind IN ('v','m')"
        ),
        format!(
            "SELECT t.tgrelid, t.tgenabled = 'D', pg_catalog.pg_get_triggerdef(t.oid, true) \
             FROM pg_catalog.pg_trigger t WHERE t.tgrelid IN ({ids}) AND NOT t.tgisinternal \
             ORDER BY 1, t.tgname"
        ),
        format!(
            "SELECT c.oid, i.inhparent::pg_catalog.regclass, \
             pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid \
             WHERE c.oid IN ({ids}) AND c.relispartition"
        ),
        format!(
            "SELECT partrelid, pg_catalog.pg_get_partkeydef(partrelid) \
             FROM pg_catalog.pg_partitioned_table WHERE partrelid IN ({ids})"
        ),
        format!(
            "SELECT i.inhparent, c.oid::pg_catalog.regclass, \
             pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_inherits i \
             JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid \
             WHERE i.inhparent IN ({ids}) AND c.relispartition \
             ORDER BY 1, pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', \
             c.oid::pg_catalog.regclass::pg_catalog.text"
        ),
    ];
    let [columns, indexes, constraints, referenced, views, triggers, parent, key, children] =
        <[Rows; 9]>::try_from(query_batch(session, &batch).await?)
            .map_err(|_| RunError::Failed)?
            .map(|rows| group(rows, 1));
    let parts = Partitions {
        parent,
        key,
        children,
    };

    let mut out = Vec::new();
    for rel in &rels.rows {
        let oid = cell(rel, 0);
        let kind = match cell(rel, 3) {
            "r" => "Table",
            "p" => "Partitioned table",
            "v" => "View",
            "m" => "Materialized view",
            "i" => "Index",
            "I" => "Partitioned index",
            "S" => "Sequence",
            "f" => "Foreign table",
            _ => "Composite type",
        };
        let mut d = Described {
            title: format!("{kind} \"{}.{}\"", cell(rel, 1), cell(rel, 2)),
            ..Described::default()
        };
        let mut header = vec!["Column", "Type", "Collation", "Nullable", "Default"];
        if plus {
            header.push("Description");
        }
        d.columns = Rows::with_columns(&header);
        for c in columns.get(oid).into_iter().flatten() {
            d.columns.rows.push(c[1..].to_vec());
        }
        if let Some(p) = parts.parent.get(oid).and_then(|v| v.first()) {
            d.line(format!("Partition of: {} {}", cell(p, 1), cell(p, 2)));
        }
        if let Some(k) = parts.key.get(oid).and_then(|v| v.first()) {
            d.line(format!("Partition key: {}", cell(k, 1)));
        }
        let index_lines = indexes
            .get(oid)
            .into_iter()
            .flatten()
            .map(|r| {
                let what = match (cell(r, 2), cell(r, 4), cell(r, 3)) {
                    ("t", _, _) => " PRIMARY KEY,",
                    (_, "u", _) => " UNIQUE CONSTRAINT,",
                    (_, "x", _) => " EXCLUDE CONSTRAINT,",
                    (_, _, "t") => " UNIQUE,",
                    _ => "",
                };
                let def = cell(r, 5);
                let using = def.find(" USING ").map_or(def, |i| &def[i + 7..]);
                let invalid = if cell(r, 6) == "f" { " INVALID" } else { "" };
                format!("{}{what} {using}{invalid}", quoted(cell(r, 1)))
            })
            .collect();
        d.section("Indexes:", index_lines);
        let cons = constraints.get(oid).map(Vec::as_slice).unwrap_or_default();
        let of = |t: &str| -> Vec<String> {
            cons.iter()
                .filter(|r| cell(r, 1) == t)
                .map(|r| format!("{} {}", quoted(cell(r, 2)), cell(r, 3)))
                .collect()
        };
        d.section("Check constraints:", of("c"));
        d.section("Foreign-key constraints:", of("f"));
        let refs = referenced
            .get(oid)
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "TABLE {} CONSTRAINT {} {}",
                    quote_regclass(cell(r, 1)),
                    quoted(cell(r, 2)),
                    cell(r, 3)
                )
            })
            .collect();
        d.section("Referenced by:", refs);
        if let Some(def) = views.get(oid).and_then(|v| v.first()) {
            d.section("View definition:", vec![cell(def, 1).to_string()]);
        }
        let trig = triggers.get(oid).map(Vec::as_slice).unwrap_or_default();
        let trigger_lines = |disabled: &str| -> Vec<String> {
            trig.iter()
                .filter(|r| cell(r, 1) == disabled)
                .map(|r| {
                    let def = cell(r, 2);
                    def.find(" TRIGGER ")
                        .map_or(def, |i| &def[i + 9..])
                        .to_string()
                })
                .collect()
        };
        d.section("Triggers:", trigger_lines("f"));
        d.section("Disabled user triggers:", trigger_lines("t"));
        if cell(rel, 3) == "p" {
            let children = parts
                .children
                .get(oid)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !plus {
                d.line(format!(
                    "Number of partitions: {} (Use \\d+ to list them.)",
                    children.len()
                ));
            } else if !children.is_empty() {
                let list: Vec<String> = children
                    .iter()
                    .map(|r| format!("{} {}", cell(r, 1), cell(r, 2)))
                    .collect();
                d.line(format!("Partitions: {}", list.join(",\n            ")));
            }
        }
        if plus {
            let mut more = vec![format!("Size: {}", cell(rel, 4))];
            if let Some(c) = rel.get(5).and_then(|c| c.as_deref()) {
                more.push(format!("Comment: {c}"));
            }
            d.section("Details:", more);
        }
        out.push(d);
    }
    Ok(out)
}

/// Partitioning of the described relations, each map keyed by oid.
struct Partitions {
    /// A partition's (oid, parent, bound).
    parent: HashMap<String, Vec<Vec<Option<String>>>>,
    /// A partitioned table's (oid, key definition).
    key: HashMap<String, Vec<Vec<Option<String>>>>,
    /// A partitioned table's (oid, partition, bound) rows, DEFAULT last as psql lists them.
    children: HashMap<String, Vec<Vec<Option<String>>>>,
}

/// psql quotes the referencing table's name in "Referenced by" (`TABLE "items"`).
fn quote_regclass(name: &str) -> String {
    if name.starts_with('"') {
        name.to_string()
    } else {
        match name.split_once('.') {
            Some((s, n)) if !n.starts_with('"') => format!("{s}.{}", quoted(n)),
            Some(_) => name.to_string(),
            None => quoted(name),
        }
    }
}
