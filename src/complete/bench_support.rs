//! Synthetic catalogs for benchmarks (and tests) of anything that reads a `Catalog`.
//!
//! Deterministic: the same arguments always give the same catalog, so numbers compare
//! across runs. Not used by the engine itself.

use crate::catalog::{Catalog, Column, ForeignKey, Function, Relation, RelationKind, UserType};
use crate::sql::Dialect;

const WORDS: &[&str] = &[
    "customer", "order", "invoice", "product", "account", "payment", "shipment", "user", "session",
    "event", "audit", "report", "ledger", "vendor", "contract", "ticket",
];

/// The name of table `i` in a generated catalog, e.g. `invoice_payment_0042`.
pub fn table_name(i: usize) -> String {
    let a = WORDS[i % WORDS.len()];
    let b = WORDS[(i / WORDS.len() + 3) % WORDS.len()];
    format!("{a}_{b}_{i:04}")
}

/// A PostgreSQL-flavoured catalog: `tables` tables of `columns` columns in schema
/// `public` (the search path), every tenth one a view, each table with foreign keys to
/// two earlier tables, plus 500 functions (some set-returning) and a few enum types.
pub fn generate_catalog(tables: usize, columns: usize) -> Catalog {
    let columns = columns.max(3);
    let mut relations = Vec::with_capacity(tables);
    let mut foreign_keys = Vec::new();
    let types = [
        "integer",
        "text",
        "timestamptz",
        "numeric(12,2)",
        "boolean",
        "uuid",
    ];
    for i in 0..tables {
        let name = table_name(i);
        let mut cols = vec![Column {
            name: "id".into(),
            data_type: "integer".into(),
            nullable: false,
            primary_key: true,
        }];
        let targets: Vec<usize> = if i == 0 {
            Vec::new()
        } else {
            vec![i / 2, (i * 31) % i]
        };
        for &t in &targets {
            let col = format!("{}_id", table_name(t));
            if cols.iter().any(|c| *c.name == *col) {
                continue;
            }
            cols.push(Column {
                name: col.as_str().into(),
                data_type: "integer".into(),
                nullable: true,
                primary_key: false,
            });
            foreign_keys.push(ForeignKey {
                from_schema: "public".into(),
                from_table: name.as_str().into(),
                from_columns: vec![col.into()],
                to_schema: "public".into(),
                to_table: table_name(t).into(),
                to_columns: vec!["id".into()],
            });
        }
        let mut k = 0;
        while cols.len() < columns {
            cols.push(Column {
                name: format!("{}_{k:02}", WORDS[(i + k) % WORDS.len()]).into(),
                data_type: types[(i + k) % types.len()].into(),
                nullable: true,
                primary_key: false,
            });
            k += 1;
        }
        relations.push(Relation {
            schema: "public".into(),
            name,
            kind: if i % 10 == 9 {
                RelationKind::View
            } else {
                RelationKind::Table
            },
            columns: cols,
        });
    }
    let functions = (0..500)
        .map(|i| Function {
            schema: if i % 5 == 0 {
                "pg_catalog".into()
            } else {
                "public".into()
            },
            name: format!("fn_{}_{i:03}", WORDS[i % WORDS.len()]),
            arguments: "a integer, b text".into(),
            return_type: "integer".into(),
            returns_set: i % 17 == 0,
        })
        .collect();
    let types = (0..20)
        .map(|i| UserType {
            schema: "public".into(),
            name: format!("{}_status", WORDS[i % WORDS.len()]),
            enum_labels: vec!["new".into(), "active".into(), "closed".into()],
        })
        .collect();
    Catalog {
        dialect: Dialect::Postgres,
        schemas: vec!["public".into(), "pg_catalog".into(), "audit".into()],
        search_path: vec!["public".into()],
        relations,
        foreign_keys,
        functions,
        types,
        databases: vec!["app".into(), "postgres".into()],
        current_database: "app".into(),
        case_sensitive_tables: false,
        charsets: Vec::new(),
        collations: Vec::new(),
        index: Default::default(),
    }
}
