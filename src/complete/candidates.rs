//! Kinds of suggestion (from `context`) + a catalog snapshot -> candidates, ranked.
//!
//! Resolves the names the statement uses against the catalog (tables in scope, CTE and
//! derived-table columns, foreign keys for joins), quotes identifiers where the dialect
//! needs it, spells keywords in the requested case, and fills in the menu detail.
//! Each name is matched before its candidate is built, so a big catalog costs little.

use super::context::{Context, Want};
use super::keywords;
use super::lexer::quote_char;
use super::names::{same_object, same_ref};
use super::rank::{Class, Match, Matcher, Rank, Recent};
use super::scope::{ColSource, Source};
use super::{Candidate, KeywordCase, Kind, Options};
use crate::catalog::{Catalog, Relation, RelationKind};
use crate::sql::Dialect;

pub(super) fn build(ctx: &Context, cat: &Catalog, opts: &Options) -> Vec<Candidate> {
    let mut b = Builder {
        ctx,
        cat,
        opts,
        m: Matcher::new(&ctx.word),
        recent: Recent::new(&opts.recent),
        out: Vec::new(),
        limit: opts.limit.unwrap_or(usize::MAX).max(1),
        cutoff: None,
        order: 0,
        rels: vec![None; ctx.refs.len()],
        group: 0,
    };
    for (i, want) in ctx.wants.iter().enumerate() {
        b.group = u16::try_from(i).unwrap_or(u16::MAX / 4).saturating_mul(4);
        b.want(want);
    }
    let mut out = b.out;
    out.sort_unstable_by_key(|a| a.0);
    out.truncate(b.limit);
    out.into_iter().map(|(_, c)| c).collect()
}

pub(super) struct Builder<'c, 'x> {
    pub(super) ctx: &'x Context,
    pub(super) cat: &'c Catalog,
    pub(super) opts: &'x Options,
    pub(super) m: Matcher,
    recent: Recent<'x>,
    out: Vec<(Rank, Candidate)>,
    /// At most this many candidates are wanted (`Options::limit`).
    limit: usize,
    /// With a limit: the worst rank still kept after the last pruning. A candidate that
    /// ranks after it can never be shown, so its text is never built.
    cutoff: Option<Rank>,
    /// Generation order of the next candidate.
    order: u32,
    /// Catalog relation of each ref in `ctx.refs`, looked up once.
    rels: Vec<Option<Option<&'c Relation>>>,
    /// Rank group of the current want (sub-groups add 0..3).
    group: u16,
}

pub(super) fn rel_kind(r: &Relation) -> (Kind, &'static str) {
    match r.kind {
        RelationKind::Table => (Kind::Table, "table"),
        RelationKind::ForeignTable => (Kind::Table, "foreign table"),
        RelationKind::View => (Kind::View, "view"),
        RelationKind::MaterializedView => (Kind::View, "materialized view"),
    }
}

/// Whether `name` must be quoted to be read back as itself.
pub(super) fn needs_quote(name: &str, dialect: Dialect) -> bool {
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

pub(super) fn quoted(name: &str, q: char) -> String {
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
    pub(super) fn dialect(&self) -> Dialect {
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

    /// The rank a candidate named `name` would get, or None when a limit is set and it
    /// could not make the cut: callers check this before building text and detail.
    pub(super) fn rank(&mut self, m: Match, sub: u16, name: &str) -> Option<Rank> {
        let rank = Rank {
            m,
            group: self.group.saturating_add(sub),
            recent: self.recent.rank(name),
            order: self.order,
        };
        self.order = self.order.saturating_add(1);
        match self.cutoff {
            Some(worst) if rank > worst => None,
            _ => Some(rank),
        }
    }

    /// `self.m.name(name)`, but without the (costly) subsequence search once the menu is
    /// full of prefix matches: a scattered match ranks after every one of them.
    pub(super) fn matches(&self, name: &str) -> Option<Match> {
        match self.m.prefix(name) {
            Some(m) => Some(m),
            None if self.fuzzy_can_enter() => self.m.fuzzy(name),
            None => None,
        }
    }

    /// Whether a scattered (subsequence) match could still make the menu.
    pub(super) fn fuzzy_can_enter(&self) -> bool {
        self.cutoff.is_none_or(|c| c.m.class == Class::Fuzzy)
    }

    /// Nothing is typed, the menu is full, and no candidate of sub-group `sub` or later
    /// that is not recently used can rank before the worst one kept.
    pub(super) fn only_recent_can_enter(&self, sub: u16) -> bool {
        let Some(worst) = self.cutoff else {
            return false;
        };
        let best_left = Rank {
            m: Match {
                class: Class::Prefix,
                closeness: 0,
            },
            group: self.group.saturating_add(sub),
            recent: u32::MAX,
            order: self.order,
        };
        self.ctx.word.is_empty() && best_left > worst
    }

    pub(super) fn push_ranked(&mut self, rank: Rank, text: String, kind: Kind, detail: String) {
        self.out.push((rank, Candidate { text, kind, detail }));
        // Keep the best `limit` once twice that many are held: a bounded, linear-time
        // top-K, however many names the catalog holds.
        if self.limit < usize::MAX / 2 && self.out.len() >= self.limit * 2 {
            let k = self.limit - 1;
            self.out.select_nth_unstable_by_key(k, |a| a.0);
            self.out.truncate(self.limit);
            self.cutoff = self.out.get(k).map(|a| a.0);
        }
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
        if let Some(rank) = self.rank(m, sub, name) {
            self.push_ranked(rank, text, kind, detail);
        }
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
            Want::SchemaLiterals => {
                let cat = self.cat;
                for n in &cat.schemas {
                    if let Some(m) = self.m.name(n) {
                        let mut text = quoted(n, '\'');
                        if self.ctx.closed {
                            text.pop();
                        }
                        self.push(
                            m,
                            u16::from(is_system_schema(n)),
                            n,
                            text,
                            Kind::Schema,
                            "schema".into(),
                        );
                    }
                }
            }
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
        if let Some(m) = self.matches(name) {
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
    pub(super) fn find_ref(&self, parts: &[String]) -> Option<usize> {
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
}

pub(super) use crate::catalog::is_system_schema;

/// A relation by optional schema and name: exact spelling first, then case-insensitive;
/// unqualified names are looked up along the search path first.
pub(super) fn find_relation<'c>(
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
    // Only the relations of that name (in any case), not the whole catalog.
    let named = cat.relations_named(name);
    for r in named.iter().filter_map(|&i| cat.relations.get(i as usize)) {
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
