//! The on-disk catalog snapshot: a compact binary encoding of a `Catalog`.
//!
//! JSON of 50,000 tables x 20 columns is about 100 MB and takes over a second to parse;
//! this format interns strings (a column type or a common column name is stored once)
//! and reads in a few tens of milliseconds. A file starts with a magic and a version: a
//! file of another version, an old JSON snapshot or a damaged file reads as None and is
//! then simply replaced by the next load, never misread.
//!
//! Layout: MAGIC, VERSION (u32 LE), then the fields in declaration order. Integers are
//! LEB128 varints; a string is a varint `k`: 0 means "new string, byte length and UTF-8
//! bytes follow", `k > 0` repeats the (k-1)th new string of the file.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Catalog, Column, ForeignKey, Function, Relation, RelationKind, UserType};
use crate::sql::Dialect;

const MAGIC: &[u8; 8] = b"dbshcat\0";
/// Bump on any change of the layout.
const VERSION: u32 = 1;

/// The snapshot bytes of `cat`.
pub fn encode(cat: &Catalog) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::with_capacity(1 << 16),
        seen: HashMap::default(),
    };
    w.out.extend_from_slice(MAGIC);
    w.out.extend_from_slice(&VERSION.to_le_bytes());
    w.byte(match cat.dialect {
        Dialect::Postgres => 0,
        Dialect::Mysql => 1,
        Dialect::Sqlite => 2,
    });
    w.strs(&cat.schemas);
    w.strs(&cat.search_path);
    w.len(cat.relations.len());
    for r in &cat.relations {
        w.str(&r.schema);
        w.str(&r.name);
        w.byte(match r.kind {
            RelationKind::Table => 0,
            RelationKind::View => 1,
            RelationKind::MaterializedView => 2,
            RelationKind::ForeignTable => 3,
        });
        w.len(r.columns.len());
        for c in &r.columns {
            w.str(&c.name);
            w.str(&c.data_type);
            w.byte(u8::from(c.nullable) | u8::from(c.primary_key) << 1);
        }
    }
    w.len(cat.foreign_keys.len());
    for fk in &cat.foreign_keys {
        w.str(&fk.from_schema);
        w.str(&fk.from_table);
        w.shared_strs(&fk.from_columns);
        w.str(&fk.to_schema);
        w.str(&fk.to_table);
        w.shared_strs(&fk.to_columns);
    }
    w.len(cat.functions.len());
    for f in &cat.functions {
        w.str(&f.schema);
        w.str(&f.name);
        w.str(&f.arguments);
        w.str(&f.return_type);
        w.byte(u8::from(f.returns_set));
    }
    w.len(cat.types.len());
    for t in &cat.types {
        w.str(&t.schema);
        w.str(&t.name);
        w.strs(&t.enum_labels);
    }
    w.strs(&cat.databases);
    w.str(&cat.current_database);
    w.byte(u8::from(cat.case_sensitive_tables));
    w.strs(&cat.charsets);
    w.strs(&cat.collations);
    w.out
}

/// The catalog in `bytes`, or None for anything but an intact snapshot of this version.
pub fn decode(bytes: &[u8]) -> Option<Catalog> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (version, rest) = rest.split_first_chunk::<4>()?;
    if u32::from_le_bytes(*version) != VERSION {
        return None;
    }
    let mut r = Reader {
        buf: rest,
        strings: Vec::new(),
    };
    let mut c = Catalog {
        dialect: match r.byte()? {
            0 => Dialect::Postgres,
            1 => Dialect::Mysql,
            2 => Dialect::Sqlite,
            _ => return None,
        },
        ..Catalog::default()
    };
    c.schemas = r.strs()?;
    c.search_path = r.strs()?;
    let n = r.len()?;
    c.relations = Vec::with_capacity(n);
    for _ in 0..n {
        let schema = r.string()?;
        let name = r.string()?;
        let kind = match r.byte()? {
            0 => RelationKind::Table,
            1 => RelationKind::View,
            2 => RelationKind::MaterializedView,
            3 => RelationKind::ForeignTable,
            _ => return None,
        };
        let k = r.len()?;
        let mut columns = Vec::with_capacity(k);
        for _ in 0..k {
            let name = r.shared()?;
            let data_type = r.shared()?;
            let flags = r.byte()?;
            columns.push(Column {
                name,
                data_type,
                nullable: flags & 1 != 0,
                primary_key: flags & 2 != 0,
            });
        }
        c.relations.push(Relation {
            schema,
            name,
            kind,
            columns,
        });
    }
    let n = r.len()?;
    c.foreign_keys = Vec::with_capacity(n);
    for _ in 0..n {
        c.foreign_keys.push(ForeignKey {
            from_schema: r.shared()?,
            from_table: r.shared()?,
            from_columns: r.shared_strs()?,
            to_schema: r.shared()?,
            to_table: r.shared()?,
            to_columns: r.shared_strs()?,
        });
    }
    let n = r.len()?;
    c.functions = Vec::with_capacity(n);
    for _ in 0..n {
        c.functions.push(Function {
            schema: r.string()?,
            name: r.string()?,
            arguments: r.string()?,
            return_type: r.string()?,
            returns_set: r.byte()? != 0,
        });
    }
    let n = r.len()?;
    c.types = Vec::with_capacity(n);
    for _ in 0..n {
        c.types.push(UserType {
            schema: r.string()?,
            name: r.string()?,
            enum_labels: r.strs()?,
        });
    }
    c.databases = r.strs()?;
    c.current_database = r.string()?;
    c.case_sensitive_tables = r.byte()? != 0;
    c.charsets = r.strs()?;
    c.collations = r.strs()?;
    r.buf.is_empty().then_some(c)
}

struct Writer<'a> {
    out: Vec<u8>,
    /// Each string written so far -> its back-reference number.
    seen: HashMap<&'a str, u64, super::rows::FastHash>,
}

impl<'a> Writer<'a> {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn str(&mut self, s: &'a str) {
        if let Some(&k) = self.seen.get(s) {
            self.varint(k);
            return;
        }
        let k = self.seen.len() as u64 + 1;
        self.seen.insert(s, k);
        self.varint(0);
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn strs(&mut self, v: &'a [String]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }

    fn shared_strs(&mut self, v: &'a [Arc<str>]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    /// The new strings met so far, as slices of the file, each with its shared copy once
    /// one was asked for.
    strings: Vec<(&'a str, Option<Arc<str>>)>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.buf.split_first()?;
        self.buf = rest;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// A count; never more than the bytes left, so a damaged file cannot ask for a huge
    /// allocation.
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.buf.len()).then_some(n)
    }

    /// The next string's number among the file's distinct strings.
    fn id(&mut self) -> Option<usize> {
        match self.varint()? {
            0 => {
                let n = self.len()?;
                let (s, rest) = self.buf.split_at_checked(n)?;
                self.buf = rest;
                self.strings.push((std::str::from_utf8(s).ok()?, None));
                Some(self.strings.len() - 1)
            }
            k => {
                let i = usize::try_from(k - 1).ok()?;
                (i < self.strings.len()).then_some(i)
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        let i = self.id()?;
        Some(self.strings[i].0.to_owned())
    }

    /// The next string as one shared allocation per distinct string of the file.
    fn shared(&mut self) -> Option<Arc<str>> {
        let i = self.id()?;
        let (s, arc) = &mut self.strings[i];
        Some(arc.get_or_insert_with(|| Arc::from(*s)).clone())
    }

    fn shared_strs(&mut self) -> Option<Vec<Arc<str>>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.shared()?);
        }
        Some(v)
    }

    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complete::bench_support::generate_catalog;

    #[test]
    fn a_catalog_reads_back_as_written() {
        let mut cat = generate_catalog(50, 6);
        cat.case_sensitive_tables = true;
        cat.charsets = vec!["utf8mb4".into()];
        cat.collations = vec!["C".into(), "ünïcode".into()];
        cat.relations[3].kind = RelationKind::MaterializedView;
        cat.relations[4].kind = RelationKind::ForeignTable;
        let bytes = encode(&cat);
        assert_eq!(decode(&bytes), Some(cat.clone()));
        // Interned: far smaller than the JSON of the same catalog.
        let json = serde_json::to_vec(&cat).unwrap();
        assert!(
            bytes.len() * 3 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn anything_else_reads_as_nothing() {
        let cat = generate_catalog(5, 4);
        let bytes = encode(&cat);
        assert_eq!(decode(&serde_json::to_vec(&cat).unwrap()), None);
        assert_eq!(decode(b""), None);
        let mut other_version = bytes.clone();
        other_version[MAGIC.len()] ^= 0xff;
        assert_eq!(decode(&other_version), None);
        // Every truncation fails cleanly (no panic, no partial catalog).
        for n in 0..bytes.len() {
            assert_eq!(decode(&bytes[..n]), None, "truncated at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }
}
