//! Candidates computed from more than a name: `*` spelled out as its columns, the result
//! columns of a set-returning function, enum labels for a compared column, and plain
//! server-side names (character sets, collations).
//!
//! Part of the candidate builder (`candidates`); reads only the catalog and the scope.

use super::candidates::{find_relation, quoted, Builder};
use super::names::{same_object, same_ref};
use super::rank::{Class, Match};
use super::Kind;
use crate::sql::Dialect;

impl Builder<'_, '_> {
    /// `SELECT *` spelled out: every column of the tables in scope (qualified when more
    /// than one table is), or of the one `t.*` names.
    pub(super) fn expand(&mut self, qual: &[String]) {
        let ctx = self.ctx;
        let refs: Vec<usize> = if qual.is_empty() {
            ctx.visible
                .iter()
                .copied()
                .filter(|&i| ctx.refs[i].level == ctx.refs[ctx.visible[0]].level)
                .collect()
        } else {
            self.find_ref(qual).into_iter().collect()
        };
        let qualify = !qual.is_empty() || refs.len() > 1;
        let mut items: Vec<String> = Vec::new();
        for &idx in &refs {
            let prefix = self.plain_ident(ctx.refs[idx].ref_name());
            self.each_column(idx, 0, &mut |b, n, _| {
                let col = b.plain_ident(n);
                items.push(if qualify {
                    format!("{prefix}.{col}")
                } else {
                    col
                });
            });
        }
        if items.is_empty() {
            return;
        }
        let text = items.join(", ");
        let m = Match {
            class: Class::Exact,
            closeness: 0,
        };
        self.push(m, 0, "*", text, Kind::Column, "columns of *".into());
    }

    /// Result columns of a set-returning function in FROM: its `TABLE(...)` / OUT
    /// columns, or the columns of the composite type (a table's row) it returns.
    pub(super) fn function_columns(
        &self,
        schema: Option<&str>,
        name: &str,
    ) -> Vec<(String, String)> {
        let cat = self.cat;
        let Some(func) = cat.functions.iter().find(|f| {
            same_object(cat, &f.name, name)
                && schema.map_or(self.in_path(&f.schema), |s| same_object(cat, &f.schema, s))
        }) else {
            return Vec::new();
        };
        // OUT parameters are the result columns: `OUT total numeric`.
        let out: Vec<(String, String)> = split_top_level(&func.arguments)
            .into_iter()
            .filter_map(|a| {
                let a = a.trim();
                let rest = a
                    .strip_prefix("OUT ")
                    .or_else(|| a.strip_prefix("INOUT "))?;
                let (n, t) = rest.trim().split_once(' ')?;
                Some((n.trim_matches('"').to_string(), t.trim().to_string()))
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
        let ret = func.return_type.trim();
        let lower = ret.to_ascii_lowercase();
        if let Some(body) = lower.strip_prefix("table(").map(|_| &ret[6..]) {
            let body = body.strip_suffix(')').unwrap_or(body);
            return split_top_level(body)
                .into_iter()
                .filter_map(|item| {
                    let item = item.trim();
                    let (n, t) = item.split_once(' ').unwrap_or((item, ""));
                    let n = n.trim_matches('"').to_string();
                    (!n.is_empty()).then(|| (n, t.trim().to_string()))
                })
                .collect();
        }
        let base = if lower.starts_with("setof ") {
            &ret[6..]
        } else {
            ret
        };
        let (s, n) = match base.rsplit_once('.') {
            Some((s, n)) => (Some(s.trim_matches('"')), n.trim_matches('"')),
            None => (None, base.trim_matches('"')),
        };
        find_relation(cat, s, n)
            .map(|r| {
                r.columns
                    .iter()
                    .map(|c| (c.name.to_string(), c.data_type.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The type of the column `parts` names, among the tables in scope.
    pub(super) fn column_type(&mut self, parts: &[String]) -> Option<String> {
        let (col, table) = parts.split_last()?;
        let refs: Vec<usize> = if table.is_empty() {
            self.ctx.visible.clone()
        } else {
            vec![self.find_ref(table)?]
        };
        let d = self.dialect();
        let mut found = None;
        for idx in refs {
            self.each_column(idx, 0, &mut |_, n, t| {
                if found.is_none() && same_ref(d, n, col) {
                    found = Some(t.to_string());
                }
            });
        }
        found
    }

    /// Enum labels for `col = '|`: a PostgreSQL enum type, or MySQL `enum(...)`/`set(...)`.
    pub(super) fn values(&mut self, parts: &[String]) {
        let Some(ty) = self.column_type(parts) else {
            return;
        };
        let labels: Vec<String> = match inline_enum(&ty) {
            Some(l) => l,
            None => {
                let name = ty.rsplit('.').next().unwrap_or(&ty).trim_matches('"');
                let cat = self.cat;
                match cat.types.iter().find(|t| t.name == name) {
                    Some(t) => t.enum_labels.clone(),
                    None => return,
                }
            }
        };
        for l in &labels {
            if let Some(m) = self.m.prefix(l) {
                let mut text = quoted(l, '\'');
                if self.ctx.closed {
                    text.pop();
                }
                self.push(m, 0, l, text, Kind::Value, ty.clone());
            }
        }
    }

    /// Plain server-side names (character sets, collations), inserted as they are.
    pub(super) fn names(&mut self, names: &[String], kind: Kind, detail: &str) {
        for n in names {
            if let Some(m) = self.m.name(n) {
                // PostgreSQL collations are identifiers (`"en_US"`); MySQL's are words.
                let text = if self.dialect() == Dialect::Postgres {
                    self.ident(n)
                } else {
                    n.clone()
                };
                self.push(m, 0, n, text, kind, detail.into());
            }
        }
    }
}

/// Splits `a integer, b numeric(10,2)` at the commas outside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The labels of a MySQL `enum('a','b')` or `set(...)` column type.
fn inline_enum(ty: &str) -> Option<Vec<String>> {
    let lower = ty.to_ascii_lowercase();
    if !(lower.starts_with("enum(") || lower.starts_with("set(")) {
        return None;
    }
    let body = ty.get(ty.find('(')? + 1..ty.rfind(')')?)?;
    let mut labels = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if in_quote && chars.peek() == Some(&'\'') => {
                cur.push('\'');
                chars.next();
            }
            '\'' if in_quote => {
                labels.push(std::mem::take(&mut cur));
                in_quote = false;
            }
            '\'' => in_quote = true,
            _ if in_quote => cur.push(c),
            _ => {}
        }
    }
    Some(labels)
}
