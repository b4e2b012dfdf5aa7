//! Kinds of suggestion (from `context`) + a catalog snapshot -> candidates, ranked.
//!
//! Resolves the names the statement uses against the catalog (tables in scope, CTE and
//! derived-table columns, foreign keys for joins), quotes identifiers where the dialect
//! needs it, spells keywords in the requested case, and fills in the menu detail.
//! Each name is matched before its candidate is built, so a big catalog costs little.

use std::collections::HashSet;

use super::context::{Context, Want};
use super::keywords;
use super::lexer::quote_char;
use super::names::{same_object, same_ref};
use super::rank::{recent_rank, Match, Matcher, Rank};
use super::scope::{ColSource, Source};
use super::{Candidate, KeywordCase, Kind, Options};
use crate::catalog::{Catalog, Dialect, Relation, RelationKind};

pub fn build(ctx: &Context, cat: &Catalog, opts: &Options) -> Vec<Candidate> {
    let mut b = Builder {
        ctx,
        cat,
        opts,
        m: Matcher::new(&ctx.word),
        out: Vec::new(),
        rels: vec![None; ctx.refs.len()],
        group: 0,
    };
    for (i, want) in ctx.wants.iter().enumerate() {
        b.group = u16::try_from(i).unwrap_or(u16::MAX / 4).saturating_mul(4);
        b.want(want);
    }
    let mut out = b.out;
    out.sort_unstable_by_key(|a| a.0);
    out.into_iter().map(|(_, c)| c).collect()
}

pub(super) struct Builder<'c, 'x> {
    pub(super) ctx: &'x Context,
    pub(super) cat: &'c Catalog,
    opts: &'x Options,
    pub(super) m: Matcher,
    out: Vec<(Rank, Candidate)>,
    /// Catalog relation of each ref in `ctx.refs`, looked up once.
    rels: Vec<Option<Option<&'c Relation>>>,
    /// Rank group of the current want (sub-groups add 0..3).
    group: u16,
}

fn rel_kind(r: &Relation) -> (Kind, &'static str) {
    match r.kind {
        RelationKind::Table => (Kind::Table, "table"),
        RelationKind::ForeignTable => (Kind::Table, "foreign table"),
        RelationKind::View => (Kind::View, "view"),
        RelationKind::MaterializedView => (Kind::View, "materialized view"),
    }
}

/// Whether `name` must be quoted to be read back as itself.
pub fn needs_quote(name: &str, dialect: Dialect) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if first.is_ascii_digit() {
        return true;
    }
    let bad = |c: char| {
        !(c.is_alphanumeric() || c == '_') || (dialect == Dialect::Postgres && c.is_uppercase())
    };
    bad(first) || chars.any(bad) || keywords::is_reserved(name, dialect)
}

fn quoted(name: &str, q: char) -> String {
    let close = if q == '[' { ']' } else { q };
    let mut s = String::with_capacity(name.len() + 2);
    s.push(q);
    for c in name.chars() {
        if c == close {
            s.push(c);
        }
        s.push(c);
    }
    s.push(close);
    s
}

impl<'c> Builder<'c, '_> {
    fn dialect(&self) -> Dialect {
        self.cat.dialect
    }

    /// An identifier as it should be inserted: quoted if typed with a quote or if needed.
    pub(super) fn ident(&self, name: &str) -> String {
        match self.ctx.quote {
            Some(q) if self.ctx.closed => {
                let mut s = quoted(name, q);
                s.pop();
                s
            }
            Some(q) => quoted(name, q),
            None if needs_quote(name, self.dialect()) => quoted(name, quote_char(self.dialect())),
            None => name.to_string(),
        }
    }

    /// Like `ident` but never forced by a typed quote (for the parts a quote did not open).
    pub(super) fn plain_ident(&self, name: &str) -> String {
        if needs_quote(name, self.dialect()) {
            quoted(name, quote_char(self.dialect()))
        } else {
            name.to_string()
        }
    }

    pub(super) fn qualified(&self, schema: &str, name: &str) -> String {
        let mut s = self.ident(schema);
        s.push('.');
        s.push_str(&self.plain_ident(name));
        s
    }

    pub(super) fn in_path(&self, schema: &str) -> bool {
        self.cat.search_path.is_empty()
            || self
                .cat
                .search_path
                .iter()
                .any(|p| same_object(self.cat, p, schema))
    }

    pub(super) fn push(
        &mut self,
        m: Match,
        sub: u16,
        name: &str,
        text: String,
        kind: Kind,
        detail: String,
    ) {
        let order = u32::try_from(self.out.len()).unwrap_or(u32::MAX);
        let rank = Rank {
            m,
            group: self.group.saturating_add(sub),
            recent: recent_rank(&self.opts.recent, name),
            order,
        };
        self.out.push((rank, Candidate { text, kind, detail }));
    }

    fn keyword_text(&self, kw: &str) -> String {
        let lower = match self.opts.keyword_case {
            KeywordCase::Upper => false,
            KeywordCase::Lower => true,
            KeywordCase::AsTyped => {
                let w = &self.ctx.word;
                w.chars().any(|c| c.is_lowercase()) && !w.chars().any(|c| c.is_uppercase())
            }
        };
        if lower {
            kw.to_lowercase()
        } else {
            kw.to_uppercase()
        }
    }

    fn want(&mut self, want: &Want) {
        let sql_words = self.ctx.quote.is_none();
        match want {
            Want::Keywords { first, rest } if sql_words => self.keywords(first, *rest),
            Want::Starters if sql_words => {
                self.keywords(keywords::starters(self.dialect()), false);
            }
            Want::Literal(words) if sql_words => {
                for w in words.iter() {
                    if let Some(m) = self.m.prefix(w) {
                        self.push(m, 0, w, w.to_string(), Kind::Keyword, String::new());
                    }
                }
            }
            Want::Specials if sql_words => {
                let specials = &self.opts.special_commands;
                for (cmd, desc) in specials {
                    // Backslash commands are case-sensitive: `\t` is not `\T`.
                    if !cmd.starts_with(self.ctx.word.as_str()) {
                        continue;
                    }
                    // sqlite3's dot commands exist only on SQLite.
                    if cmd.starts_with('.') && self.dialect() != Dialect::Sqlite {
                        continue;
                    }
                    if let Some(m) = self.m.prefix(cmd) {
                        self.push(m, 0, cmd, cmd.clone(), Kind::Special, desc.clone());
                    }
                }
            }
            Want::Named if sql_words => {
                let named = &self.opts.named_queries;
                for n in named {
                    if let Some(m) = self.m.name(n) {
                        self.push(m, 0, n, n.clone(), Kind::Named, "named query".into());
                    }
                }
            }
            Want::Relations {
                schema,
                tables,
                views,
            } => self.relations(schema.as_deref(), *tables, *views),
            Want::Schemas => self.schemas(),
            Want::Columns => self.columns(),
            Want::ColumnsOf(parts) => self.columns_of(parts),
            Want::Functions { schema, srf_only } => self.functions(schema.as_deref(), *srf_only),
            Want::Aliases => self.aliases(),
            Want::JoinClauses => self.join_clauses(),
            Want::JoinConditions => self.join_conditions(),
            Want::CommonColumns => self.common_columns(),
            Want::Datatypes { schema } => self.datatypes(schema.as_deref()),
            Want::Values(parts) => self.values(parts),
            Want::Expand(qual) => self.expand(qual),
            Want::Charsets => {
                let cat = self.cat;
                self.names(&cat.charsets, Kind::Keyword, "character set");
            }
            Want::Collations => {
                let cat = self.cat;
                self.names(&cat.collations, Kind::Keyword, "collation");
            }
            Want::Databases => {
                let cat = self.cat;
                for d in &cat.databases {
                    if let Some(m) = self.m.name(d) {
                        let detail = if *d == cat.current_database {
                            "current database"
                        } else {
                            "database"
                        };
                        let text = self.ident(d);
                        self.push(m, 0, d, text, Kind::Database, detail.into());
                    }
                }
            }
            _ => {}
        }
    }

    fn keywords(&mut self, first: &[&str], rest: bool) {
        for kw in first {
            if let Some(m) = self.m.prefix(kw) {
                let text = self.keyword_text(kw);
                self.push(m, 0, kw, text, Kind::Keyword, String::new());
            }
        }
        if rest {
            let mut seen: Vec<&str> = Vec::new();
            for kw in keywords::keywords(self.dialect()) {
                if first.contains(&kw) || seen.contains(&kw) {
                    continue;
                }
                seen.push(kw);
                if let Some(m) = self.m.prefix(kw) {
                    let text = self.keyword_text(kw);
                    self.push(m, 1, kw, text, Kind::Keyword, String::new());
                }
            }
        }
    }

    fn relations(&mut self, schema: Option<&str>, tables: bool, views: bool) {
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
        for r in &cat.relations {
            let is_view = matches!(r.kind, RelationKind::View | RelationKind::MaterializedView);
            if (is_view && !views) || (!is_view && !tables) {
                continue;
            }
            // The server's own relations only once a prefix is typed, after the user's;
            // pg_catalog is searched implicitly, so its names go bare.
            let system = schema.is_none() && is_system_schema(&r.schema);
            let bare = match schema {
                Some(s) => {
                    if !same_object(cat, &r.schema, s) {
                        continue;
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
                    continue;
                }
                self.m.prefix(&r.name)
            } else {
                self.m.name(&r.name)
            };
            let Some(m) = found else {
                continue;
            };
            let (kind, detail) = rel_kind(r);
            let sub = if system {
                3
            } else if bare {
                1
            } else {
                2
            };
            let text = if bare {
                self.ident(&r.name)
            } else {
                self.qualified(&r.schema, &r.name)
            };
            self.push(m, sub, &r.name, text, kind, detail.into());
        }
    }

    fn schemas(&mut self) {
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

    pub(super) fn rel(&mut self, idx: usize) -> Option<&'c Relation> {
        if let Some(Some(cached)) = self.rels.get(idx) {
            return *cached;
        }
        let r = self.ctx.refs.get(idx)?;
        let found = match r.source {
            Source::Catalog => find_relation(self.cat, r.schema.as_deref(), &r.name),
            _ => None,
        };
        if let Some(slot) = self.rels.get_mut(idx) {
            *slot = Some(found);
        }
        found
    }

    /// Calls `f(name, type)` for each column of ref `idx` (CTE, derived or catalog table).
    pub(super) fn each_column(
        &mut self,
        idx: usize,
        depth: u8,
        f: &mut dyn FnMut(&mut Self, &str, &str),
    ) {
        if depth > 4 {
            return;
        }
        let ctx = self.ctx;
        let Some(r) = ctx.refs.get(idx) else {
            return;
        };
        match &r.source {
            Source::Catalog => {
                if let Some(rel) = self.rel(idx) {
                    for c in &rel.columns {
                        f(self, &c.name, &c.data_type);
                    }
                } else if let Some(ci) = ctx.ctes.iter().position(|c| c.name == r.name) {
                    self.each_cte_column(&ctx.ctes[ci].cols, depth, f);
                }
            }
            Source::Cte(ci) => {
                if let Some(c) = ctx.ctes.get(*ci) {
                    self.each_cte_column(&c.cols, depth, f);
                }
            }
            Source::Derived(cols) => self.each_cte_column(cols, depth, f),
            Source::Function => {
                for (n, t) in self.function_columns(r.schema.as_deref(), &r.name) {
                    f(self, &n, &t);
                }
            }
        }
    }

    /// Result columns of a set-returning function in FROM: its `TABLE(...)` / OUT
    /// columns, or the columns of the composite type (a table's row) it returns.
    fn function_columns(&self, schema: Option<&str>, name: &str) -> Vec<(String, String)> {
        let cat = self.cat;
        let Some(func) = cat.functions.iter().find(|f| {
            same_object(cat, &f.name, name)
                && schema.map_or(self.in_path(&f.schema), |s| same_object(cat, &f.schema, s))
        }) else {
            return Vec::new();
        };
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
        if base.eq_ignore_ascii_case("record") {
            // OUT parameters are the result columns: `OUT total numeric`.
            return split_top_level(&func.arguments)
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
        }
        let (s, n) = match base.rsplit_once('.') {
            Some((s, n)) => (Some(s.trim_matches('"')), n.trim_matches('"')),
            None => (None, base.trim_matches('"')),
        };
        find_relation(cat, s, n)
            .map(|r| {
                r.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.data_type.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn each_cte_column(
        &mut self,
        cols: &ColSource,
        depth: u8,
        f: &mut dyn FnMut(&mut Self, &str, &str),
    ) {
        for n in &cols.names {
            f(self, n, "");
        }
        for &s in &cols.star {
            self.each_column(s, depth + 1, f);
        }
    }

    pub(super) fn column(&mut self, name: &str, dtype: &str, seen: &mut Vec<String>) {
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_string());
        if let Some(m) = self.m.name(name) {
            let text = self.ident(name);
            self.push(m, 0, name, text, Kind::Column, dtype.to_string());
        }
    }

    fn columns(&mut self) {
        let mut seen = Vec::new();
        for &idx in &self.ctx.visible {
            self.each_column(idx, 0, &mut |b, n, t| b.column(n, t, &mut seen));
        }
    }

    /// The visible ref `parts` names, by alias first, then by table name.
    fn find_ref(&self, parts: &[String]) -> Option<usize> {
        let ctx = self.ctx;
        let d = self.dialect();
        let name = parts.last()?;
        let schema = parts.len().checked_sub(2).map(|i| &parts[i]);
        let vis = || ctx.visible.iter().copied();
        if schema.is_none() {
            if let Some(i) = vis().find(|&i| {
                ctx.refs[i]
                    .alias
                    .as_deref()
                    .is_some_and(|a| same_ref(d, a, name))
            }) {
                return Some(i);
            }
        }
        // A table with an alias is known only by its alias (`FROM users u`: no `users.`).
        vis().find(|&i| {
            let r = &ctx.refs[i];
            (r.alias.is_none() || schema.is_some())
                && same_object(self.cat, &r.name, name)
                && schema.is_none_or(|s| {
                    r.schema
                        .as_deref()
                        .is_some_and(|rs| same_object(self.cat, rs, s))
                })
        })
    }

    fn columns_of(&mut self, parts: &[String]) {
        let mut seen = Vec::new();
        if let Some(idx) = self.find_ref(parts) {
            self.each_column(idx, 0, &mut |b, n, t| b.column(n, t, &mut seen));
            return;
        }
        let ctx = self.ctx;
        let Some(name) = parts.last() else {
            return;
        };
        if parts.len() == 1 {
            let d = self.dialect();
            if let Some(c) = ctx.ctes.iter().find(|c| same_ref(d, &c.name, name)) {
                self.each_cte_column(&c.cols, 0, &mut |b, n, t| b.column(n, t, &mut seen));
                return;
            }
        }
        let schema = parts.len().checked_sub(2).map(|i| parts[i].as_str());
        // `FROM users u`: `users.` no longer names it (the server rejects `users.id`).
        let hidden = ctx.visible.iter().any(|&i| {
            let r = &ctx.refs[i];
            r.alias.is_some() && same_object(self.cat, &r.name, name)
        });
        if hidden && schema.is_none() {
            return;
        }
        if let Some(rel) = find_relation(self.cat, schema, name) {
            for c in &rel.columns {
                self.column(&c.name, &c.data_type, &mut seen);
            }
        }
    }

    /// How the tables in scope are referred to: aliases, and the names of tables that
    /// have none (`users.` is as good a qualifier as `u.`).
    fn aliases(&mut self) {
        let ctx = self.ctx;
        let mut seen: Vec<&str> = Vec::new();
        for &i in &ctx.visible {
            let r = &ctx.refs[i];
            let name = r.ref_name();
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if let Some(m) = self.m.name(name) {
                let text = self.ident(name);
                let (kind, detail) = match &r.alias {
                    Some(_) => (Kind::Alias, r.name.clone()),
                    None => (Kind::Alias, "table".to_string()),
                };
                self.push(m, u16::from(r.alias.is_none()), name, text, kind, detail);
            }
        }
    }

    fn functions(&mut self, schema: Option<&str>, srf_only: bool) {
        let cat = self.cat;
        let mut seen: HashSet<&str> = HashSet::new();
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
                if self.ctx.word.is_empty()
                    || keywords::builtin_functions(cat.dialect).contains(&f.name.as_str())
                {
                    continue;
                }
                self.m.prefix(&f.name)
            } else {
                self.m.name(&f.name)
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
            let text = self.ident(&f.name);
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

    /// `SELECT *` spelled out: every column of the tables in scope (qualified when more
    /// than one table is), or of the one `t.*` names.
    fn expand(&mut self, qual: &[String]) {
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
            class: super::rank::Class::Exact,
            closeness: 0,
        };
        self.push(m, 0, "*", text, Kind::Column, "columns of *".into());
    }

    /// Plain server-side names (character sets, collations), inserted as they are.
    fn names(&mut self, names: &[String], kind: Kind, detail: &str) {
        for n in names {
            if let Some(m) = self.m.name(n) {
                self.push(m, 0, n, n.clone(), kind, detail.into());
            }
        }
    }

    /// The type of the column `parts` names, among the tables in scope.
    fn column_type(&mut self, parts: &[String]) -> Option<String> {
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
    fn values(&mut self, parts: &[String]) {
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

    fn datatypes(&mut self, schema: Option<&str>) {
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

/// Schemas of the server's own objects, ranked after the user's.
pub fn is_system_schema(s: &str) -> bool {
    s.starts_with("pg_")
        || matches!(
            s,
            "information_schema" | "mysql" | "performance_schema" | "sys"
        )
}

/// A relation by optional schema and name: exact spelling first, then case-insensitive;
/// unqualified names are looked up along the search path first.
pub fn find_relation<'c>(
    cat: &'c Catalog,
    schema: Option<&str>,
    name: &str,
) -> Option<&'c Relation> {
    // Where names compare without case, the exact spelling still wins a tie.
    let matches = |r: &&Relation, exact: bool| {
        let name_ok = if exact {
            r.name == name
        } else {
            same_object(cat, &r.name, name)
        };
        name_ok && schema.is_none_or(|s| same_object(cat, &r.schema, s))
    };
    let mut best: Option<(&Relation, usize)> = None;
    for r in &cat.relations {
        for exact in [true, false] {
            if !matches(&r, exact) {
                continue;
            }
            let path_rank = cat
                .search_path
                .iter()
                .position(|p| p == &r.schema)
                .unwrap_or(cat.search_path.len());
            let score = path_rank * 2 + usize::from(!exact);
            if best.is_none_or(|(_, b)| score < b) {
                best = Some((r, score));
            }
            break;
        }
    }
    best.map(|(r, _)| r)
}
