//! What the connected database holds: schemas, relations, columns, functions, foreign keys.
//!
//! A `Catalog` is a plain, immutable snapshot. Loaders (one file per backend) build it in
//! the background; the completer reads the latest snapshot through an `Arc` and never
//! waits for the database. Nothing here talks to a server or knows about the terminal.

#[cfg(test)]
mod fixtures;
mod index;
pub mod load;
pub mod mysql;
pub mod postgres;
pub mod refresh;
mod rows;
pub mod snapshot;
pub mod sqlite;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use index::{name_head, Index, IndexCell, UNKNOWN_HEAD};

use crate::sql::Dialect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelationKind {
    Table,
    View,
    MaterializedView,
    ForeignTable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Shared (`Arc`): a big catalog repeats the same few column names and types a
    /// million times; one allocation each keeps snapshot reads and copies cheap.
    pub name: Arc<str>,
    /// The type as the server spells it (`integer`, `varchar(20)`, `TEXT`).
    pub data_type: Arc<str>,
    pub nullable: bool,
    pub primary_key: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Schema (PostgreSQL), database (MySQL) or attached database (`main`, SQLite).
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    pub columns: Vec<Column>,
}

/// `from_schema.from_table(from_columns) REFERENCES to_schema.to_table(to_columns)`.
/// Shared strings, as in `Column`: 100,000 keys repeat the same schema and table names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub from_schema: Arc<str>,
    pub from_table: Arc<str>,
    pub from_columns: Vec<Arc<str>>,
    pub to_schema: Arc<str>,
    pub to_table: Arc<str>,
    pub to_columns: Vec<Arc<str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub schema: String,
    pub name: String,
    /// Argument list as the server prints it (`a integer, b text`), empty when none.
    pub arguments: String,
    pub return_type: String,
    /// Set-returning (usable after FROM on PostgreSQL).
    pub returns_set: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserType {
    pub schema: String,
    pub name: String,
    /// Labels of an enum type, in order; empty for other types.
    pub enum_labels: Vec<String>,
}

/// One snapshot of a database's schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub dialect: Dialect,
    /// Schemas (PostgreSQL), databases visible as schemas (MySQL), attached databases (SQLite).
    pub schemas: Vec<String>,
    /// Schemas searched for unqualified names, in order (search_path, current database, `main`).
    pub search_path: Vec<String>,
    pub relations: Vec<Relation>,
    pub foreign_keys: Vec<ForeignKey>,
    pub functions: Vec<Function>,
    pub types: Vec<UserType>,
    /// Databases on the server (for `\c`, `USE`).
    pub databases: Vec<String>,
    pub current_database: String,
    /// MySQL with `lower_case_table_names = 0`: table and database names compare with
    /// case. (PostgreSQL and SQLite rules follow from the dialect.)
    #[serde(default)]
    pub case_sensitive_tables: bool,
    /// Character sets and collations the server knows (MySQL/MariaDB).
    #[serde(default)]
    pub charsets: Vec<String>,
    #[serde(default)]
    pub collations: Vec<String>,
    /// Lookups by name and by foreign-key end, derived from the fields above.
    #[serde(skip)]
    pub index: IndexCell,
}

impl Catalog {}

/// A schema of the server's own (PostgreSQL `pg_*` and `information_schema`, MySQL's
/// system databases), whose objects completion offers after the user's.
pub fn is_system_schema(s: &str) -> bool {
    s.starts_with("pg_")
        || matches!(
            s,
            "information_schema" | "mysql" | "performance_schema" | "sys"
        )
}
