//! Candidates listed straight from the catalog: relations, schemas, functions and data
//! types, with the server's own objects held back until a prefix asks for them.
//!
//! Part of the candidate builder (`candidates`).

use std::collections::HashSet;

use super::candidates::{is_system_schema, rel_kind, Builder};
use super::keywords;
use super::names::same_object;
use super::{KeywordCase, Kind};
use crate::catalog::{Relation, RelationKind};

impl Builder<'_, '_> {
    pub(super) fn relations(&mut self, schema: Option<&str>, tables: bool, views: bool) {
        let cat = self.cat;
        if schema.is_none() {
            let ctx = self.ctx;
            for c in &ctx.ctes {
                if let Some(m) = self.m.name(&c.name) {
                    let text = self.ident(&c.name);
                    self.push(m, 0, &c.name, text, Kind::Table, "cte".into());
                }
            }
        }
        let mut seen: HashSet<&str> = HashSet::new();
        let dedup = cat.search_path.len() > 1;
        let mut rest_from = None;
        let index = cat.index();
        for (i, r) in cat.relations.iter().enumerate() {
            // With nothing typed every name matches alike: once the menu is full of them,
            // only a recently used one can still get in (checked every so often).
            if i % 512 == 0 && self.only_recent_can_enter(1) {
                rest_from = Some(i);
                break;
            }
            let system = schema.is_none() && index.in_system_schema(i);
            // Most names fail the typed prefix on their first bytes, read from the index;
            // only a name that could still match fuzzily is read itself.
            if self.m.rejects_head(index.head(i)) && (system || !self.fuzzy_can_enter()) {
                continue;
            }
            self.relation(r, system, schema, tables, views, dedup, &mut seen);
        }
        if let Some(from) = rest_from {
            // A relation named "" would match as exactly as a recent one.
            let names = self.opts.recent.iter().map(String::as_str).chain([""]);
            let mut rest: Vec<u32> = names
                .flat_map(|n| cat.relations_named(n))
                .filter(|&i| i as usize >= from)
                .collect();
            rest.sort_unstable();
            rest.dedup();
            for i in rest {
                if let Some(r) = cat.relations.get(i as usize) {
                    let system = schema.is_none() && index.in_system_schema(i as usize);
                    self.relation(r, system, schema, tables, views, dedup, &mut seen);
                }
            }
        }
    }

    /// Relation `r`, `system` when it is in a server's own schema and no schema was typed.
    #[allow(clippy::too_many_arguments)]
    fn relation<'c>(
        &mut self,
        r: &'c Relation,
        system: bool,
        schema: Option<&str>,
        tables: bool,
        views: bool,
        dedup: bool,
        seen: &mut HashSet<&'c str>,
    ) {
        let cat = self.cat;
        let is_view = matches!(r.kind, RelationKind::View | RelationKind::MaterializedView);
        if (is_view && !views) || (!is_view && !tables) {
            return;
        }
        // The server's own relations only once a prefix is typed, after the user's;
        // pg_catalog is searched implicitly, so its names go bare.
        let bare = match schema {
            Some(s) => {
                if !same_object(cat, &r.schema, s) {
                    return;
                }
                true
            }
            None if system => r.schema == "pg_catalog",
            // A name in two searched schemas resolves to the first; with one
            // schema searched there is nothing to shadow (and no hashing to pay).
            None => self.in_path(&r.schema) && (!dedup || seen.insert(&r.name)),
        };
        let found = if system {
            if self.ctx.word.is_empty() {
                return;
            }
            self.m.prefix(&r.name)
        } else {
            self.matches(&r.name)
        };
        let Some(m) = found else {
            return;
        };
        let sub = if system {
            3
        } else if bare {
            1
        } else {
            2
        };
        let Some(rank) = self.rank(m, sub, &r.name) else {
            return;
        };
        let (kind, detail) = rel_kind(r);
        let text = if bare {
            self.ident(&r.name)
        } else {
            self.qualified(&r.schema, &r.name)
        };
        self.push_ranked(rank, text, kind, detail.into());
    }

    pub(super) fn schemas(&mut self) {
        let cat = self.cat;
        for s in &cat.schemas {
            if let Some(m) = self.m.name(s) {
                // System schemas rank after the user's own.
                let system = is_system_schema(s);
                let text = self.ident(s);
                self.push(m, u16::from(system), s, text, Kind::Schema, "schema".into());
            }
        }
    }

    pub(super) fn functions(&mut self, schema: Option<&str>, srf_only: bool) {
        let cat = self.cat;
        let mut seen: HashSet<&str> = HashSet::new();
        let builtins = keywords::builtin_functions(cat.dialect);
        for f in &cat.functions {
            if srf_only && !f.returns_set {
                continue;
            }
            // The system's own functions (thousands on PostgreSQL) only by prefix once
            // something is typed, after the user's and the common built-ins.
            let system = schema.is_none() && is_system_schema(&f.schema);
            let visible = match schema {
                Some(s) => same_object(cat, &f.schema, s),
                None => system || self.in_path(&f.schema),
            };
            if !visible {
                continue;
            }
            let found = if system {
                if self.ctx.word.is_empty() {
                    continue;
                }
                // Matched first: the built-in list is only scanned for the few that match.
                let m = self.m.prefix(&f.name);
                if m.is_some() && builtins.contains(&f.name.as_str()) {
                    continue;
                }
                m
            } else {
                self.matches(&f.name)
            };
            let Some(m) = found else {
                continue;
            };
            if !seen.insert(&f.name) {
                continue; // an overload: one entry per name
            }
            let setof = if f.returns_set && !f.return_type.to_ascii_lowercase().starts_with("setof")
            {
                "setof "
            } else {
                ""
            };
            let detail = format!("({}) -> {}{}", f.arguments, setof, f.return_type);
            // The server's own function names go in as they are (`current_date` is a
            // keyword-function: quoting it would make it a column name).
            let text = if system {
                f.name.clone()
            } else {
                self.ident(&f.name)
            };
            self.push(
                m,
                if system { 2 } else { 0 },
                &f.name,
                text,
                Kind::Function,
                detail,
            );
        }
        if schema.is_some() {
            return;
        }
        let builtins: &[&str] = if srf_only {
            &[
                "generate_series",
                "unnest",
                "json_each",
                "jsonb_each",
                "regexp_split_to_table",
            ]
        } else {
            keywords::builtin_functions(self.dialect())
        };
        for name in builtins {
            if seen.contains(name) {
                continue;
            }
            // Built-ins by prefix only: `in` should not bring up `min`.
            if let Some(m) = self.m.prefix(name) {
                self.push(
                    m,
                    1,
                    name,
                    name.to_string(),
                    Kind::Function,
                    "built-in".into(),
                );
            }
        }
    }

    pub(super) fn datatypes(&mut self, schema: Option<&str>) {
        let cat = self.cat;
        if schema.is_none() {
            let lower = match self.opts.keyword_case {
                KeywordCase::Lower => true,
                KeywordCase::Upper => false,
                KeywordCase::AsTyped => self.ctx.word.chars().any(|c| c.is_lowercase()),
            };
            for t in keywords::builtin_types(self.dialect()) {
                if let Some(m) = self.m.name(t) {
                    let text = if lower {
                        t.to_lowercase()
                    } else {
                        t.to_string()
                    };
                    self.push(m, 0, t, text, Kind::Datatype, "type".into());
                }
            }
        }
        for t in &cat.types {
            let bare = match schema {
                Some(s) if !same_object(cat, &t.schema, s) => continue,
                Some(_) => true,
                None => self.in_path(&t.schema),
            };
            let Some(m) = self.m.name(&t.name) else {
                continue;
            };
            let detail = if t.enum_labels.is_empty() {
                "type".to_string()
            } else {
                format!("enum: {}", t.enum_labels.join(", "))
            };
            let text = if bare {
                self.ident(&t.name)
            } else {
                self.qualified(&t.schema, &t.name)
            };
            self.push(
                m,
                if bare { 0 } else { 2 },
                &t.name,
                text,
                Kind::Datatype,
                detail,
            );
        }
    }
}
