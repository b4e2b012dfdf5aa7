//! Lookups over one catalog snapshot that must not scan it: relations by name, foreign
//! keys by the table at either end.
//!
//! With 50,000 tables and 100,000 foreign keys a scan per keystroke costs milliseconds;
//! these maps make each lookup a hash probe. Built once per snapshot, lazily (or ahead of
//! the first keystroke by the loader) and never updated: a changed catalog is a new
//! snapshot with a new, empty index. Derived data, so it is never written to disk.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Catalog;

/// The lazily built index of a `Catalog`. Cloning gives an empty one (a clone may be
/// edited, as a per-schema refresh does); two indexes always compare equal.
#[derive(Default)]
pub struct IndexCell(OnceLock<Index>);

impl Clone for IndexCell {
    fn clone(&self) -> Self {
        IndexCell::default()
    }
}

impl PartialEq for IndexCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for IndexCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCell")
    }
}

impl IndexCell {
    pub(super) fn get_or_build(&self, cat: &Catalog) -> &Index {
        self.0.get_or_init(|| Index::build(cat))
    }
}

/// Positions in the catalog's vectors, by key.
#[derive(Debug, Default)]
pub struct Index {
    /// Relations by ASCII-lower-cased name: a superset of what any dialect's comparison
    /// accepts, so callers filter the (few) hits with their own rule.
    relations: HashMap<Box<str>, Vec<u32>>,
    /// Foreign keys by (schema, table) of the referencing table, exactly as spelled.
    fk_from: HashMap<(Box<str>, Box<str>), Vec<u32>>,
    /// Foreign keys by (schema, table) of the referenced table.
    fk_to: HashMap<(Box<str>, Box<str>), Vec<u32>>,
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn key(schema: &str, table: &str) -> (Box<str>, Box<str>) {
    (schema.into(), table.into())
}

impl Index {
    fn build(cat: &Catalog) -> Index {
        let mut relations: HashMap<Box<str>, Vec<u32>> =
            HashMap::with_capacity(cat.relations.len());
        for (i, r) in cat.relations.iter().enumerate() {
            relations
                .entry(r.name.to_ascii_lowercase().into())
                .or_default()
                .push(idx(i));
        }
        let mut fk_from: HashMap<_, Vec<u32>> = HashMap::new();
        let mut fk_to: HashMap<_, Vec<u32>> = HashMap::new();
        for (i, fk) in cat.foreign_keys.iter().enumerate() {
            fk_from
                .entry(key(&fk.from_schema, &fk.from_table))
                .or_default()
                .push(idx(i));
            fk_to
                .entry(key(&fk.to_schema, &fk.to_table))
                .or_default()
                .push(idx(i));
        }
        Index {
            relations,
            fk_from,
            fk_to,
        }
    }

    /// Positions of relations whose name equals `name` ignoring ASCII case, in order.
    pub fn relations_named(&self, name: &str) -> &[u32] {
        let found = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.relations.get(name.to_ascii_lowercase().as_str())
        } else {
            self.relations.get(name)
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// Positions of foreign keys from or to `schema.table` (exact spelling), in catalog
    /// order, each once.
    pub fn foreign_keys_of(&self, schema: &str, table: &str) -> Vec<u32> {
        let k = key(schema, table);
        let mut v: Vec<u32> = self
            .fk_from
            .get(&k)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        v.extend(self.fk_to.get(&k).into_iter().flatten().copied());
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl Catalog {
    /// The lookup index of this snapshot, built on first use.
    pub fn index(&self) -> &Index {
        self.index.get_or_build(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ForeignKey, Relation, RelationKind};

    fn rel(schema: &str, name: &str) -> Relation {
        Relation {
            schema: schema.into(),
            name: name.into(),
            kind: RelationKind::Table,
            columns: Vec::new(),
        }
    }

    fn fk(from: &str, to: &str) -> ForeignKey {
        ForeignKey {
            from_schema: "s".into(),
            from_table: from.into(),
            from_columns: vec!["x".into()],
            to_schema: "s".into(),
            to_table: to.into(),
            to_columns: vec!["id".into()],
        }
    }

    #[test]
    fn finds_relations_by_name_in_any_case_and_keys_at_either_end() {
        let cat = Catalog {
            relations: vec![rel("a", "Users"), rel("b", "users"), rel("a", "orders")],
            foreign_keys: vec![fk("orders", "users"), fk("items", "orders"), fk("x", "y")],
            ..Catalog::default()
        };
        assert_eq!(cat.index().relations_named("USERS"), &[0, 1]);
        assert_eq!(cat.index().relations_named("orders"), &[2]);
        assert!(cat.index().relations_named("nope").is_empty());
        assert_eq!(cat.index().foreign_keys_of("s", "orders"), vec![0, 1]);
        assert!(cat.index().foreign_keys_of("S", "orders").is_empty());
    }

    #[test]
    fn a_clone_builds_its_own_index() {
        let mut cat = Catalog {
            relations: vec![rel("a", "t")],
            ..Catalog::default()
        };
        assert_eq!(cat.index().relations_named("t"), &[0]);
        let mut edited = cat.clone();
        edited.relations.insert(0, rel("a", "u"));
        assert_eq!(edited.index().relations_named("t"), &[1]);
        cat.relations.clear();
        assert_eq!(cat, Catalog::default());
    }
}
