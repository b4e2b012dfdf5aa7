//! How the server resolves a name: folding of unquoted identifiers and the comparisons
//! each dialect applies between a name in the statement and a name in the catalog.
//!
//! PostgreSQL folds unquoted names to lower case and compares exactly (`"Users"` and
//! `users` are two tables; alias `U` is alias `u`). MySQL compares table and database
//! names as `lower_case_table_names` says, columns and aliases without case. SQLite
//! ignores case everywhere. Every lookup in the engine goes through here, so a
//! candidate never names something the server would resolve to another object.

use sqlparser::tokenizer::Word;

use crate::catalog::Catalog;
use crate::sql::Dialect;

/// The name the server sees for a word of the statement.
pub(super) fn fold(w: &Word, dialect: Dialect) -> String {
    match w.quote_style {
        Some(q) => {
            let close = if q == '[' { ']' } else { q };
            let doubled: String = [close, close].iter().collect();
            if w.value.contains(&doubled) {
                w.value.replace(&doubled, &close.to_string())
            } else {
                w.value.clone()
            }
        }
        None if dialect == Dialect::Postgres => w.value.to_ascii_lowercase(),
        None => w.value.clone(),
    }
}

/// A table, view, schema or type name of the catalog against a folded statement name.
pub(super) fn same_object(cat: &Catalog, catalog_name: &str, name: &str) -> bool {
    cat.same_name(catalog_name, name)
}

/// Aliases, CTE names and columns: exact on PostgreSQL (after folding), caseless elsewhere.
pub(super) fn same_ref(dialect: Dialect, a: &str, b: &str) -> bool {
    match dialect {
        Dialect::Postgres => a == b,
        Dialect::Mysql | Dialect::Sqlite => a.eq_ignore_ascii_case(b),
    }
}
