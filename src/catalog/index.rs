//! Lookups over one catalog snapshot that must not scan it: relations by name, foreign
//! keys by the table at either end.
//!
//! With 50,000 tables and 100,000 foreign keys a scan per keystroke costs milliseconds;
//! these maps make each lookup a hash probe. Built once per snapshot, lazily (or ahead of
//! the first keystroke by the loader) and never updated: a changed catalog is a new
//! snapshot with a new, empty index. Derived data, so it is never written to disk.

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

/// Positions in the catalog's vectors, by the hash of a key: sorted (hash, position)
/// pairs, searched by bisection and checked against the catalog itself. Building one is
/// hashing and a sort, no allocation per entry (the catalog may hold 100,000 keys).
#[derive(Debug, Default)]
pub struct Index {
    /// Relations by ASCII-lower-cased name: a superset of what any dialect's comparison
    /// accepts, so callers filter the (few) hits with their own rule.
    relations: Vec<(u64, u32)>,
    /// Foreign keys by (schema, table) of the referencing table, exactly as spelled.
    fk_from: Vec<(u64, u32)>,
    /// Foreign keys by (schema, table) of the referenced table.
    fk_to: Vec<(u64, u32)>,
    /// Per relation, in order: its name's first bytes (`name_head`). A scan for a typed
    /// prefix reads these side by side instead of each name from wherever it was
    /// allocated (at 50,000 tables, a cache miss per name was most of a keystroke).
    heads: Vec<u64>,
    /// Per relation, in order: whether its schema is the server's own (`is_system_schema`).
    system: Vec<bool>,
}

/// The first 8 bytes of `name` ASCII-lower-cased, zero-padded, for comparing against a
/// typed prefix; `UNKNOWN_HEAD` when one is not ASCII (it might fold to ASCII).
pub fn name_head(name: &str) -> u64 {
    let mut head = [0u8; 8];
    for (h, b) in head.iter_mut().zip(name.bytes()) {
        if !b.is_ascii() {
            return UNKNOWN_HEAD;
        }
        *h = b.to_ascii_lowercase();
    }
    u64::from_le_bytes(head)
}

/// A head that rules nothing out (no UTF-8 name has eight 0xff bytes).
pub const UNKNOWN_HEAD: u64 = u64::MAX;

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// FNV-1a, continued from `h`.
fn fnv(h: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn name_hash(name: &str) -> u64 {
    fnv(FNV_START, name.bytes().map(|b| b.to_ascii_lowercase()))
}

fn table_hash(schema: &str, table: &str) -> u64 {
    // The separator keeps ("ab", "c") apart from ("a", "bc").
    fnv(
        fnv(FNV_START, schema.bytes()),
        [0xff].into_iter().chain(table.bytes()),
    )
}

fn sorted(mut v: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    v.sort_unstable();
    v
}

/// The positions stored under `hash`, in ascending order.
fn under(v: &[(u64, u32)], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let start = v.partition_point(|&(h, _)| h < hash);
    v[start..]
        .iter()
        .take_while(move |&&(h, _)| h == hash)
        .map(|&(_, i)| i)
}

impl Index {
    fn build(cat: &Catalog) -> Index {
        let relations = cat
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| (name_hash(&r.name), idx(i)))
            .collect();
        let fks = || cat.foreign_keys.iter().enumerate();
        Index {
            heads: cat.relations.iter().map(|r| name_head(&r.name)).collect(),
            system: cat
                .relations
                .iter()
                .map(|r| super::is_system_schema(&r.schema))
                .collect(),
            relations: sorted(relations),
            fk_from: sorted(
                fks()
                    .map(|(i, fk)| (table_hash(&fk.from_schema, &fk.from_table), idx(i)))
                    .collect(),
            ),
            fk_to: sorted(
                fks()
                    .map(|(i, fk)| (table_hash(&fk.to_schema, &fk.to_table), idx(i)))
                    .collect(),
            ),
        }
    }

    /// Positions of relations of `cat` whose name equals `name` ignoring ASCII case, in
    /// order.
    pub fn relations_named(&self, cat: &Catalog, name: &str) -> Vec<u32> {
        under(&self.relations, name_hash(name))
            .filter(|&i| {
                cat.relations
                    .get(i as usize)
                    .is_some_and(|r| r.name.eq_ignore_ascii_case(name))
            })
            .collect()
    }

    /// The `name_head` of relation `i`.
    pub fn head(&self, i: usize) -> u64 {
        self.heads.get(i).copied().unwrap_or(UNKNOWN_HEAD)
    }

    /// Whether relation `i` is in one of the server's own schemas.
    pub fn in_system_schema(&self, i: usize) -> bool {
        self.system.get(i).copied().unwrap_or(false)
    }

    /// Positions of foreign keys of `cat` from or to `schema.table` (exact spelling), in
    /// catalog order, each once.
    pub fn foreign_keys_of(&self, cat: &Catalog, schema: &str, table: &str) -> Vec<u32> {
        let h = table_hash(schema, table);
        let mut v: Vec<u32> = under(&self.fk_from, h)
            .chain(under(&self.fk_to, h))
            .filter(|&i| {
                cat.foreign_keys.get(i as usize).is_some_and(|fk| {
                    (*fk.from_schema == *schema && *fk.from_table == *table)
                        || (*fk.to_schema == *schema && *fk.to_table == *table)
                })
            })
            .collect();
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

    /// Positions of the relations named `name` in any ASCII case, in order.
    pub fn relations_named(&self, name: &str) -> Vec<u32> {
        self.index().relations_named(self, name)
    }

    /// Positions of the foreign keys from or to `schema.table`, in order.
    pub fn foreign_keys_of(&self, schema: &str, table: &str) -> Vec<u32> {
        self.index().foreign_keys_of(self, schema, table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{fk, rel};

    #[test]
    fn finds_relations_by_name_in_any_case_and_keys_at_either_end() {
        let cat = Catalog {
            relations: vec![rel("a", "Users"), rel("b", "users"), rel("a", "orders")],
            foreign_keys: vec![
                fk(("s", "orders"), ("s", "users")),
                fk(("s", "items"), ("s", "orders")),
                fk(("s", "x"), ("s", "y")),
            ],
            ..Catalog::default()
        };
        assert_eq!(cat.relations_named("USERS"), [0, 1]);
        assert_eq!(cat.relations_named("orders"), [2]);
        assert!(cat.relations_named("nope").is_empty());
        assert_eq!(cat.foreign_keys_of("s", "orders"), [0, 1]);
        assert!(cat.foreign_keys_of("S", "orders").is_empty());
        assert!(cat.foreign_keys_of("so", "rders").is_empty());
    }

    #[test]
    fn heads_are_the_first_bytes_folded_or_unknown() {
        assert_eq!(name_head("Users"), u64::from_le_bytes(*b"users\0\0\0"));
        assert_eq!(
            name_head("invoice_payment"),
            u64::from_le_bytes(*b"invoice_")
        );
        assert_eq!(name_head("été"), UNKNOWN_HEAD);
        assert_eq!(
            name_head("abcdefgh\u{e9}"),
            u64::from_le_bytes(*b"abcdefgh")
        );
    }

    #[test]
    fn a_clone_builds_its_own_index() {
        let mut cat = Catalog {
            relations: vec![rel("a", "t")],
            ..Catalog::default()
        };
        assert_eq!(cat.relations_named("t"), [0]);
        let mut edited = cat.clone();
        edited.relations.insert(0, rel("a", "u"));
        assert_eq!(edited.relations_named("t"), [1]);
        cat.relations.clear();
        assert_eq!(cat, Catalog::default());
    }
}
