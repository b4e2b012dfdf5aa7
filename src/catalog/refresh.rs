//! Refreshing one schema instead of the whole catalog after DDL: which schema a statement
//! touched (from `sql::touched`, resolved against the snapshot), loading that schema's
//! relations and foreign keys, and merging them into a new snapshot.
//!
//! With 50,000 tables a full reload takes seconds; a `CREATE TABLE` in one tenant's schema
//! needs only that schema.

use super::{Catalog, ForeignKey};
use crate::db::{Backend, Connection, DbError};
use crate::sql::touched::Touched;
use crate::sql::Dialect;

/// One schema's relations and foreign keys, freshly loaded.
pub struct SchemaPart {
    pub schema: String,
    pub catalog: Catalog,
    /// The foreign keys include those from other schemas pointing into this one (on MySQL
    /// only where InnoDB's key lists can be read: information_schema would open every
    /// table of every database for them).
    pub incoming_keys: bool,
}

/// Load the relations and foreign keys of `schema` alone.
pub async fn load_schema(conn: &mut Connection, schema: &str) -> Result<SchemaPart, DbError> {
    let (catalog, incoming_keys) = match conn.backend() {
        Backend::Postgres => (super::postgres::load_schema(conn, schema).await?, true),
        Backend::Mysql => super::mysql::load_schema(conn, schema).await?,
        Backend::Sqlite => (super::sqlite::load_schema(conn, schema).await?, true),
    };
    Ok(SchemaPart {
        schema: schema.to_string(),
        catalog,
        incoming_keys,
    })
}

impl Catalog {
    /// Whether two table or schema names are the same object, by the server's rules
    /// (PostgreSQL: exact; MySQL: as `lower_case_table_names` says; SQLite: no case).
    pub fn same_name(&self, a: &str, b: &str) -> bool {
        match self.dialect {
            Dialect::Postgres => a == b,
            Dialect::Mysql if self.case_sensitive_tables => a == b,
            Dialect::Mysql | Dialect::Sqlite => a.eq_ignore_ascii_case(b),
        }
    }

    /// The one schema, as this catalog spells it, whose relations `touched` changes; None
    /// when that cannot be told (then everything is reloaded). An unqualified name is the
    /// relation the search path finds, or for a new one the first schema searched.
    pub fn schema_touched(&self, touched: &Touched) -> Option<String> {
        let Touched::Relations { creates, names } = touched else {
            return None;
        };
        let mut found: Option<&str> = None;
        for (schema, name) in names {
            let s = match schema {
                Some(s) => self.schemas.iter().find(|x| self.same_name(x, s))?,
                None => {
                    let named = self.relations_named(name);
                    let existing = self.search_path.iter().find(|p| {
                        named.iter().any(|&i| {
                            self.relations
                                .get(i as usize)
                                .is_some_and(|r| r.schema == **p && self.same_name(&r.name, name))
                        })
                    });
                    match existing {
                        Some(p) => p,
                        None if *creates => {
                            let first = self.search_path.first()?;
                            self.schemas.iter().find(|x| *x == first)?
                        }
                        // Altered yet unknown here: this snapshot is behind anyway.
                        None => return None,
                    }
                }
            };
            if found.is_some_and(|f| f != s) {
                return None;
            }
            found = Some(s);
        }
        found.map(str::to_string)
    }

    /// This catalog with the relations and foreign keys of `part.schema` replaced by
    /// `part`'s; everything else (functions, types, other schemas) kept. The schema's
    /// relations stay where they were in the order; a new schema's go where it sorts.
    pub fn with_schema(&self, part: SchemaPart) -> Catalog {
        let s = part.schema.as_str();
        let mut c = self.clone();
        let at = c
            .relations
            .iter()
            .position(|r| r.schema == s)
            .or_else(|| c.relations.iter().position(|r| r.schema.as_str() > s))
            .unwrap_or(c.relations.len());
        // Everything removed lies at or after `at`.
        c.relations.retain(|r| r.schema != s);
        c.relations.splice(at..at, part.catalog.relations);
        let covered =
            |fk: &ForeignKey| *fk.from_schema == *s || (part.incoming_keys && *fk.to_schema == *s);
        c.foreign_keys.retain(|fk| !covered(fk));
        c.foreign_keys.extend(part.catalog.foreign_keys);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{fk, rel};
    use crate::sql::touched::touched;

    fn tenants() -> Catalog {
        Catalog {
            dialect: Dialect::Postgres,
            schemas: vec!["a".into(), "b".into(), "public".into()],
            search_path: vec!["public".into(), "b".into()],
            relations: vec![
                rel("a", "t"),
                rel("b", "t"),
                rel("b", "u"),
                rel("public", "p"),
            ],
            foreign_keys: vec![
                fk(("a", "t"), ("b", "t")),
                fk(("b", "u"), ("b", "t")),
                fk(("public", "p"), ("a", "t")),
            ],
            ..Catalog::default()
        }
    }

    #[test]
    fn the_schema_a_statement_touched_is_told_from_its_names_and_the_search_path() {
        let cat = tenants();
        let at = |sql: &str| cat.schema_touched(&touched(sql, Dialect::Postgres));
        assert_eq!(at("CREATE TABLE a.n (x int)"), Some("a".into()));
        assert_eq!(at("CREATE TABLE n (x int)"), Some("public".into()));
        assert_eq!(at("ALTER TABLE u ADD y int"), Some("b".into()));
        assert_eq!(at("DROP TABLE u, p"), None);
        assert_eq!(at("CREATE TABLE nope.n (x int)"), None);
        assert_eq!(at("CREATE TABLE \"A\".n (x int)"), None);
        assert_eq!(at("CREATE SCHEMA c"), None);
    }

    #[test]
    fn a_reloaded_schema_replaces_only_its_own_relations_and_keys() {
        let cat = tenants();
        let part = SchemaPart {
            schema: "b".into(),
            catalog: Catalog {
                relations: vec![rel("b", "t"), rel("b", "new")],
                foreign_keys: vec![fk(("b", "new"), ("b", "t")), fk(("a", "t"), ("b", "t"))],
                ..Catalog::default()
            },
            incoming_keys: true,
        };
        let merged = cat.with_schema(part);
        let names: Vec<String> = merged
            .relations
            .iter()
            .map(|r| format!("{}.{}", r.schema, r.name))
            .collect();
        assert_eq!(names, ["a.t", "b.t", "b.new", "public.p"]);
        assert_eq!(
            merged.foreign_keys,
            vec![
                fk(("public", "p"), ("a", "t")),
                fk(("b", "new"), ("b", "t")),
                fk(("a", "t"), ("b", "t")),
            ]
        );
        assert_eq!(merged.search_path, cat.search_path);
        // The index follows the new relations.
        assert_eq!(merged.relations_named("new"), [2]);

        // A schema with no relations yet goes where it sorts.
        let fresh = cat.with_schema(SchemaPart {
            schema: "aa".into(),
            catalog: Catalog {
                relations: vec![rel("aa", "x")],
                ..Catalog::default()
            },
            incoming_keys: false,
        });
        assert_eq!(fresh.relations[1].schema, "aa");
    }
}
