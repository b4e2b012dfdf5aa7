//! Reading introspection rows (text cells) into catalog values.

use std::collections::HashSet;
use std::sync::Arc;

use super::ForeignKey;

/// Cell `i` as text; NULL and missing cells are empty.
pub(crate) fn cell(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// The first cell of every row.
pub(crate) fn column(rows: Vec<Vec<Option<String>>>) -> Vec<String> {
    rows.into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect()
}

/// A list packed into one cell with the unit separator (U+001F); empty for "".
pub(crate) fn split_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('\u{1f}').map(str::to_string).collect()
    }
}

/// Foreign keys from rows of (from schema, from table, from columns, to schema, to table,
/// to columns), the column lists packed with `split_list`'s separator.
pub(crate) fn foreign_keys(rows: &[Vec<Option<String>>]) -> Vec<ForeignKey> {
    let mut names = Interner::default();
    let list = |names: &mut Interner, s: String| -> Vec<Arc<str>> {
        split_list(&s).into_iter().map(|c| names.get(c)).collect()
    };
    rows.iter()
        .map(|r| ForeignKey {
            from_schema: names.get(cell(r, 0)),
            from_table: names.get(cell(r, 1)),
            from_columns: list(&mut names, cell(r, 2)),
            to_schema: names.get(cell(r, 3)),
            to_table: names.get(cell(r, 4)),
            to_columns: list(&mut names, cell(r, 5)),
        })
        .collect()
}

/// One shared allocation per distinct column name or type of a load: 50,000 tables
/// repeat `id`, `integer`, `text` a million times.
#[derive(Default)]
pub(crate) struct Interner(HashSet<Arc<str>, FastHash>);

/// The hasher of the catalog's big maps: a million lookups per load, keys from the
/// server, no need for SipHash's resistance to chosen keys.
pub(crate) type FastHash = foldhash::fast::RandomState;

impl Interner {
    pub(crate) fn get(&mut self, s: String) -> Arc<str> {
        if let Some(a) = self.0.get(s.as_str()) {
            return a.clone();
        }
        let a: Arc<str> = s.into();
        self.0.insert(a.clone());
        a
    }

    /// `get` without an allocation when `s` was seen before.
    pub(crate) fn get_str(&mut self, s: &str) -> Arc<str> {
        match self.0.get(s) {
            Some(a) => a.clone(),
            None => self.get(s.to_string()),
        }
    }
}
