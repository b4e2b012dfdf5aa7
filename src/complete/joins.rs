//! Join suggestions: whole `JOIN` clauses and `ON` conditions built from foreign keys
//! (both directions) and shared column names, and `USING (` columns.
//!
//! Part of the candidate builder; split out because joins are their own small world of
//! aliases and key pairs.

use super::candidates::Builder;
use super::keywords;
use super::Kind;
use crate::sql::Dialect;

impl Builder<'_, '_> {
    /// Ref names used in the statement, lower-cased, to keep new aliases unique.
    fn taken_names(&self) -> Vec<String> {
        self.ctx
            .refs
            .iter()
            .map(|r| r.ref_name().to_ascii_lowercase())
            .collect()
    }

    pub(super) fn join_clauses(&mut self) {
        let ctx = self.ctx;
        let cat = self.cat;
        let taken = self.taken_names();
        let mut emitted: Vec<String> = Vec::new();
        for &li in &ctx.joined {
            let Some(left) = self.rel(li) else {
                continue;
            };
            let left_name = self.plain_ident(ctx.refs[li].ref_name());
            let keys = cat.foreign_keys_of(&left.schema, &left.name);
            for fk in keys
                .iter()
                .filter_map(|&k| cat.foreign_keys.get(k as usize))
            {
                // Both directions: left references the target, or the target references left.
                let outgoing = *fk.from_schema == *left.schema && *fk.from_table == *left.name;
                let incoming = *fk.to_schema == *left.schema && *fk.to_table == *left.name;
                for forward in [true, false] {
                    let (t_schema, t_table, t_cols, l_cols) = match (forward, outgoing, incoming) {
                        (true, true, _) => (
                            &fk.to_schema,
                            &fk.to_table,
                            &fk.to_columns,
                            &fk.from_columns,
                        ),
                        (false, _, true) => (
                            &fk.from_schema,
                            &fk.from_table,
                            &fk.from_columns,
                            &fk.to_columns,
                        ),
                        _ => continue,
                    };
                    let Some(m) = self.m.name(t_table) else {
                        continue;
                    };
                    let alias = new_alias(t_table, &taken);
                    let mut text = if self.in_path(t_schema) {
                        self.ident(t_table)
                    } else {
                        self.qualified(t_schema, t_table)
                    };
                    text.push(' ');
                    text.push_str(&alias);
                    text.push_str(" ON ");
                    for (k, (tc, lc)) in t_cols.iter().zip(l_cols.iter()).enumerate() {
                        if k > 0 {
                            text.push_str(" AND ");
                        }
                        text.push_str(&format!(
                            "{alias}.{} = {left_name}.{}",
                            self.plain_ident(tc),
                            self.plain_ident(lc)
                        ));
                    }
                    if emitted.contains(&text) {
                        continue;
                    }
                    emitted.push(text.clone());
                    // A table already in the statement is a less likely join target.
                    let already = ctx
                        .refs
                        .iter()
                        .any(|r| r.name.eq_ignore_ascii_case(t_table));
                    let detail = format!("{} -> {}", fk.from_table, fk.to_table);
                    self.push(m, u16::from(already), t_table, text, Kind::Join, detail);
                }
            }
        }
    }

    pub(super) fn join_conditions(&mut self) {
        let ctx = self.ctx;
        let cat = self.cat;
        let Some((&last, earlier)) = ctx.joined.split_last() else {
            return;
        };
        let Some(lrel) = self.rel(last) else {
            return;
        };
        let lname = self.plain_ident(ctx.refs[last].ref_name());
        let mut emitted: Vec<String> = Vec::new();
        for &oi in earlier.iter().rev() {
            let Some(orel) = self.rel(oi) else {
                continue;
            };
            let oname = self.plain_ident(ctx.refs[oi].ref_name());
            let keys = cat.foreign_keys_of(&lrel.schema, &lrel.name);
            for fk in keys
                .iter()
                .filter_map(|&k| cat.foreign_keys.get(k as usize))
            {
                let pairs: Vec<_> = if *fk.from_schema == *lrel.schema
                    && *fk.from_table == *lrel.name
                    && *fk.to_schema == *orel.schema
                    && *fk.to_table == *orel.name
                {
                    fk.from_columns.iter().zip(fk.to_columns.iter()).collect()
                } else if *fk.to_schema == *lrel.schema
                    && *fk.to_table == *lrel.name
                    && *fk.from_schema == *orel.schema
                    && *fk.from_table == *orel.name
                {
                    fk.to_columns.iter().zip(fk.from_columns.iter()).collect()
                } else {
                    continue;
                };
                let text = pairs
                    .iter()
                    .map(|(l, o)| {
                        format!(
                            "{lname}.{} = {oname}.{}",
                            self.plain_ident(l),
                            self.plain_ident(o)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ");
                self.condition(text, 0, "fk", &mut emitted);
            }
            for lc in &lrel.columns {
                let Some(oc) = orel.columns.iter().find(|c| c.name == lc.name) else {
                    continue;
                };
                if lc.primary_key && oc.primary_key {
                    continue; // `a.id = b.id` between two keys is rarely meant
                }
                let c = self.plain_ident(&lc.name);
                let text = format!("{lname}.{c} = {oname}.{c}");
                self.condition(text, 1, "same name", &mut emitted);
            }
        }
    }

    fn condition(&mut self, text: String, sub: u16, detail: &str, emitted: &mut Vec<String>) {
        if emitted.contains(&text) || self.already_written(&text) {
            return;
        }
        if let Some(m) = self.m.name(&text) {
            emitted.push(text.clone());
            let name = text.clone();
            self.push(m, sub, &name, text, Kind::Join, detail.into());
        }
    }

    /// `a.x = b.y` (or `b.y = a.x`) is already in the statement.
    fn already_written(&self, cond: &str) -> bool {
        let norm = |t: &str| -> String {
            t.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let written = &self.ctx.written;
        cond.split(" AND ").all(|part| {
            let Some((l, r)) = part.split_once(" = ") else {
                return false;
            };
            written.contains(&norm(&format!("{l}={r}")))
                || written.contains(&norm(&format!("{r}={l}")))
        })
    }

    pub(super) fn common_columns(&mut self) {
        let ctx = self.ctx;
        let Some((&last, earlier)) = ctx.joined.split_last() else {
            return;
        };
        let mut left: Vec<(String, String)> = Vec::new();
        self.each_column(last, 0, &mut |_, n, t| {
            left.push((n.to_string(), t.to_string()))
        });
        let mut others: Vec<String> = Vec::new();
        for &oi in earlier {
            self.each_column(oi, 0, &mut |_, n, _| others.push(n.to_string()));
        }
        let mut seen = Vec::new();
        for (n, t) in &left {
            if others.iter().any(|o| o == n) {
                self.column(n, t, &mut seen);
            }
        }
    }
}

/// A short alias for `table` (initials of its words) not among `taken`.
fn new_alias(table: &str, taken: &[String]) -> String {
    let mut base: String = table
        .split(['_', ' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert(0, 't');
    }
    if !taken.contains(&base) && !keywords::is_reserved(&base, Dialect::Mysql) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|a| !taken.contains(a))
        .unwrap_or(base)
}
