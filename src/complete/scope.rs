//! The statement under the cursor: its tokens as a tree of parenthesised groups, and the
//! tables it names (FROM, JOIN, UPDATE, INTO, ... with aliases; CTEs and derived tables
//! with the columns their select lists produce).
//!
//! Works on tokens only, tolerant of half-written SQL: anything it does not understand is
//! skipped. Resolving names against the catalog is left to `candidates`.

use sqlparser::keywords::{Keyword, RESERVED_FOR_TABLE_ALIAS};
use sqlparser::tokenizer::Token;

use super::lexer::Tok;
use super::names;
use crate::sql::Dialect;

#[derive(Debug, Clone)]
pub(super) struct Group {
    pub parent: usize,
    /// Starts with SELECT / WITH / VALUES: a query of its own (a scope level).
    pub query: bool,
}

/// Significant tokens of one statement (whitespace and comments dropped, the word being
/// completed left out) with the paren group each belongs to. A `(` and its `)` belong
/// to the group they delimit.
pub(super) struct Stmt<'a> {
    pub toks: Vec<&'a Tok>,
    pub group: Vec<usize>,
    pub groups: Vec<Group>,
    pub dialect: Dialect,
}

impl<'a> Stmt<'a> {
    /// `cursor`: how many of `toks` lie before the cursor.
    pub(super) fn new(toks: Vec<&'a Tok>, dialect: Dialect, cursor: usize) -> Stmt<'a> {
        let mut groups = vec![Group {
            parent: 0,
            query: true,
        }];
        let unclosed = unclosed_parens(&toks);
        // Per group: its `(` is never closed (text still being written).
        let mut open_ended = vec![false];
        let mut group = Vec::with_capacity(toks.len());
        let mut stack = vec![0usize];
        for (i, t) in toks.iter().enumerate() {
            // `SELECT max(| FROM t`: a clause after the cursor ends an unclosed call, so
            // the FROM is still seen as the query's.
            if i >= cursor && ends_unclosed_call(t.keyword()) {
                while let Some(&g) = stack.last() {
                    if g == 0 || groups[g].query || !open_ended[g] {
                        break;
                    }
                    stack.pop();
                }
            }
            let cur = stack.last().copied().unwrap_or(0);
            match t.token {
                Token::LParen => {
                    open_ended.push(unclosed.contains(&i));
                    groups.push(Group {
                        parent: cur,
                        query: false,
                    });
                    let g = groups.len() - 1;
                    stack.push(g);
                    group.push(g);
                }
                Token::RParen => {
                    group.push(cur);
                    if stack.len() > 1 {
                        stack.pop();
                    }
                }
                _ => {
                    group.push(cur);
                    let first_in_group =
                        i > 0 && matches!(toks[i - 1].token, Token::LParen) && group[i - 1] == cur;
                    if first_in_group
                        && matches!(
                            t.keyword(),
                            Keyword::SELECT | Keyword::WITH | Keyword::VALUES
                        )
                    {
                        groups[cur].query = true;
                    }
                }
            }
        }
        Stmt {
            toks,
            group,
            groups,
            dialect,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(super) fn kw(&self, i: usize) -> Keyword {
        self.toks.get(i).map_or(Keyword::NoKeyword, |t| t.keyword())
    }

    pub(super) fn is(&self, i: usize, token: &Token) -> bool {
        self.toks.get(i).is_some_and(|t| &t.token == token)
    }

    /// The name a word token stands for, folded as the server folds it.
    pub(super) fn word(&self, i: usize) -> Option<String> {
        self.toks
            .get(i)
            .and_then(|t| t.word())
            .map(|w| names::fold(w, self.dialect))
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.word().is_some())
    }

    /// The group a token inserted before index `pos` would belong to.
    pub(super) fn group_at(&self, pos: usize) -> usize {
        match pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p).map(|t| (p, t)))
        {
            None => 0,
            // After a `)` we are back in the group around it.
            Some((p, t)) if matches!(t.token, Token::RParen) => self.groups[self.group[p]].parent,
            Some((p, _)) => self.group[p],
        }
    }

    /// The scope level (query group) a group belongs to.
    pub(super) fn level(&self, mut g: usize) -> usize {
        while g != 0 && !self.groups[g].query {
            g = self.groups[g].parent;
        }
        g
    }

    /// Index of the `)` closing the group opened at `open`, or the end.
    pub(super) fn close_of(&self, open: usize) -> usize {
        let g = self.group[open];
        (open + 1..self.len())
            .find(|&j| self.group[j] == g && self.is(j, &Token::RParen))
            .unwrap_or(self.len())
    }

    /// The opening `(` of group `g`.
    pub(super) fn open_index(&self, g: usize) -> Option<usize> {
        if g == 0 {
            return None;
        }
        (0..self.len()).find(|&j| self.group[j] == g && self.is(j, &Token::LParen))
    }

    /// Walks back from `pos` within group `g` (skipping nested groups) to the first token
    /// satisfying `pred`; stops at the group's `(`.
    pub(super) fn back_in_group(
        &self,
        pos: usize,
        g: usize,
        pred: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut j = pos;
        while j > 0 {
            j -= 1;
            if self.group[j] != g {
                continue;
            }
            if self.is(j, &Token::LParen) {
                return None;
            }
            if self.is(j, &Token::RParen) {
                continue;
            }
            if pred(j) {
                return Some(j);
            }
        }
        None
    }
}

/// Indices of the `(` tokens no `)` closes.
fn unclosed_parens(toks: &[&Tok]) -> Vec<usize> {
    let mut stack = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.token {
            Token::LParen => stack.push(i),
            Token::RParen => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack
}

fn ends_unclosed_call(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::FROM
            | Keyword::WHERE
            | Keyword::JOIN
            | Keyword::GROUP
            | Keyword::ORDER
            | Keyword::HAVING
            | Keyword::LIMIT
            | Keyword::UNION
    )
}

/// Columns a CTE or derived table produces, as far as the text tells.
#[derive(Debug, Clone, Default)]
pub(super) struct ColSource {
    pub names: Vec<String>,
    /// Refs whose columns a `*` / `t.*` in the select list expands to.
    pub star: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(super) enum Source {
    Catalog,
    Cte(usize),
    Derived(ColSource),
    /// A function in FROM: columns unknown.
    Function,
}

#[derive(Debug, Clone)]
pub(super) struct TableRef {
    pub schema: Option<String>,
    pub name: String,
    pub alias: Option<String>,
    pub source: Source,
    /// Scope level (query group) it belongs to.
    pub level: usize,
    /// Statement index of its name (or of its `(`).
    pub pos: usize,
    derived_group: Option<usize>,
}

impl TableRef {
    /// How the statement refers to it: the alias, else the name.
    pub(super) fn ref_name(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone)]
pub(super) struct Cte {
    pub name: String,
    pub cols: ColSource,
    /// The paren group of its body.
    pub body: Option<usize>,
    explicit: bool,
}

fn is_stop(k: Keyword) -> bool {
    k != Keyword::NoKeyword
        && (RESERVED_FOR_TABLE_ALIAS.contains(&k)
            || matches!(
                k,
                Keyword::FROM
                    | Keyword::INTO
                    | Keyword::AS
                    | Keyword::VALUES
                    | Keyword::DEFAULT
                    | Keyword::USE
                    | Keyword::FORCE
                    | Keyword::IGNORE
                    | Keyword::STRAIGHT_JOIN
                    | Keyword::DO
                    | Keyword::WHEN
                    | Keyword::TABLESAMPLE
                    | Keyword::INDEXED
                    | Keyword::NOT
                    | Keyword::ADD
                    | Keyword::DROP
                    | Keyword::ALTER
                    | Keyword::RENAME
                    | Keyword::MODIFY
                    | Keyword::CHANGE
                    | Keyword::OWNER
                    | Keyword::AND
                    | Keyword::OR
                    | Keyword::IF
            ))
}

/// All table references and CTEs of the statement.
pub(super) fn extract(s: &Stmt) -> (Vec<TableRef>, Vec<Cte>) {
    let mut refs = Vec::new();
    let mut ctes = Vec::new();
    let n = s.len();
    let starts_delete = s.kw(0) == Keyword::DELETE;
    for i in 0..n {
        let k = s.kw(i);
        let list = match k {
            Keyword::WITH => {
                parse_ctes(s, i + 1, &mut ctes);
                continue;
            }
            Keyword::FROM => {
                // EXTRACT(x FROM y), IS DISTINCT FROM: not a table list.
                let g = s.group[i];
                if (g != 0 && !s.groups[g].query) || is_distinct_from(s, i) {
                    continue;
                }
                true
            }
            Keyword::USING if starts_delete && !s.is(i + 1, &Token::LParen) => true,
            Keyword::JOIN
            | Keyword::UPDATE
            | Keyword::INTO
            | Keyword::TABLE
            | Keyword::TRUNCATE
            | Keyword::REFERENCES
            | Keyword::STRAIGHT_JOIN => false,
            Keyword::DESCRIBE | Keyword::DESC | Keyword::EXPLAIN if i == 0 => false,
            Keyword::ON if s.kw(0) == Keyword::CREATE => false,
            _ => continue,
        };
        // `ON CONFLICT ... DO UPDATE`: not a table.
        if k == Keyword::UPDATE && s.kw(i.wrapping_sub(1)) == Keyword::DO {
            continue;
        }
        let mut j = i + 1;
        loop {
            let (r, next) = parse_ref(s, j, k);
            if let Some(r) = r {
                refs.push(r);
            }
            if list && next < n && s.is(next, &Token::Comma) && next > j {
                j = next + 1;
                continue;
            }
            break;
        }
    }
    // Columns of CTEs and derived tables, now that all refs are known.
    for c in ctes.iter_mut() {
        if let Some(body) = c.body {
            let cols = select_cols(s, body, &refs);
            if c.explicit {
                c.cols.star = Vec::new();
            } else {
                c.cols = cols;
            }
        }
    }
    for idx in 0..refs.len() {
        if let Some(g) = refs[idx].derived_group {
            refs[idx].source = Source::Derived(select_cols(s, g, &refs));
        } else if matches!(refs[idx].source, Source::Catalog) && refs[idx].schema.is_none() {
            if let Some(ci) = ctes
                .iter()
                .position(|c| names::same_ref(s.dialect, &c.name, &refs[idx].name))
            {
                refs[idx].source = Source::Cte(ci);
            }
        }
    }
    (refs, ctes)
}

/// `IS [NOT] DISTINCT FROM` at the FROM at `i`.
pub(super) fn is_distinct_from(s: &Stmt, i: usize) -> bool {
    i >= 2
        && s.kw(i - 1) == Keyword::DISTINCT
        && (s.kw(i - 2) == Keyword::IS
            || (s.kw(i - 2) == Keyword::NOT && s.kw(i.saturating_sub(3)) == Keyword::IS))
}

fn parse_ctes(s: &Stmt, mut j: usize, ctes: &mut Vec<Cte>) {
    if s.kw(j) == Keyword::RECURSIVE {
        j += 1;
    }
    while let Some(name) = s.word(j) {
        j += 1;
        let mut cte = Cte {
            name,
            cols: ColSource::default(),
            body: None,
            explicit: false,
        };
        if s.is(j, &Token::LParen) {
            let close = s.close_of(j);
            let g = s.group[j];
            for k in j + 1..close {
                if s.group[k] == g {
                    if let Some(w) = s.word(k) {
                        cte.cols.names.push(w);
                    }
                }
            }
            cte.explicit = true;
            j = close + 1;
        }
        if s.kw(j) != Keyword::AS {
            ctes.push(cte);
            return;
        }
        j += 1;
        while matches!(s.kw(j), Keyword::NOT | Keyword::MATERIALIZED) {
            j += 1;
        }
        if !s.is(j, &Token::LParen) {
            ctes.push(cte);
            return;
        }
        cte.body = Some(s.group[j]);
        j = s.close_of(j) + 1;
        ctes.push(cte);
        if !s.is(j, &Token::Comma) {
            return;
        }
        j += 1;
    }
}

fn parse_ref(s: &Stmt, mut j: usize, by: Keyword) -> (Option<TableRef>, usize) {
    while matches!(
        s.kw(j),
        Keyword::ONLY | Keyword::LATERAL | Keyword::TABLE | Keyword::IGNORE
    ) {
        j += 1;
    }
    if s.kw(j) == Keyword::IF {
        j += 1;
        while matches!(s.kw(j), Keyword::NOT | Keyword::EXISTS) {
            j += 1;
        }
    }
    let level = s.level(s.group_at(j));
    if s.is(j, &Token::LParen) {
        let g = s.group[j];
        let close = s.close_of(j);
        let (alias, after) = parse_alias(s, close + 1);
        let r = alias.map(|a| TableRef {
            schema: None,
            name: a.clone(),
            alias: Some(a),
            source: Source::Derived(ColSource::default()),
            level,
            pos: j,
            derived_group: s.groups[g].query.then_some(g),
        });
        return (r, after);
    }
    let Some(tok) = s.toks.get(j) else {
        return (None, j);
    };
    let Some(w) = tok.word() else {
        return (None, j);
    };
    if w.quote_style.is_none() && is_stop(w.keyword) {
        return (None, j);
    }
    let pos = j;
    let mut parts = vec![names::fold(w, s.dialect)];
    j += 1;
    while s.is(j, &Token::Period) {
        match s.word(j + 1) {
            Some(p) => {
                parts.push(p);
                j += 2;
            }
            None => {
                j += 1;
                break;
            }
        }
    }
    let mut source = Source::Catalog;
    if s.is(j, &Token::LParen) && matches!(by, Keyword::FROM | Keyword::JOIN | Keyword::USING) {
        source = Source::Function;
        j = s.close_of(j) + 1;
    }
    let (alias, after) = if matches!(
        by,
        Keyword::FROM
            | Keyword::JOIN
            | Keyword::USING
            | Keyword::UPDATE
            | Keyword::INTO
            | Keyword::STRAIGHT_JOIN
    ) {
        parse_alias(s, j)
    } else {
        (None, j)
    };
    let schema = (parts.len() >= 2).then(|| parts[parts.len() - 2].clone());
    let name = parts.pop().unwrap_or_default();
    let r = TableRef {
        schema,
        name,
        alias,
        source,
        level,
        pos,
        derived_group: None,
    };
    (Some(r), after)
}

fn parse_alias(s: &Stmt, mut j: usize) -> (Option<String>, usize) {
    let explicit = s.kw(j) == Keyword::AS;
    if explicit {
        j += 1;
    }
    let Some(w) = s.toks.get(j).and_then(|t| t.word()) else {
        return (None, j);
    };
    if !explicit && w.quote_style.is_none() && is_stop(w.keyword) {
        return (None, j);
    }
    j += 1;
    // `AS x (a, b)`: a column alias list.
    if s.is(j, &Token::LParen) {
        j = s.close_of(j) + 1;
    }
    (Some(names::fold(w, s.dialect)), j)
}

/// Output column names of the SELECT opening group `g`.
fn select_cols(s: &Stmt, g: usize, refs: &[TableRef]) -> ColSource {
    let mut out = ColSource::default();
    let n = s.len();
    let start = match s.open_index(g) {
        Some(o) => o + 1,
        None => 0,
    };
    let Some(sel) = (start..n).find(|&j| s.group[j] == g && s.kw(j) == Keyword::SELECT) else {
        return out;
    };
    let level = s.level(g);
    let mut item: Vec<usize> = Vec::new();
    let mut j = sel + 1;
    while matches!(s.kw(j), Keyword::DISTINCT | Keyword::ALL) {
        j += 1;
    }
    loop {
        let end = j >= n
            || (s.group[j] == g
                && (s.is(j, &Token::Comma)
                    || s.is(j, &Token::RParen)
                    || matches!(
                        s.kw(j),
                        Keyword::FROM
                            | Keyword::WHERE
                            | Keyword::GROUP
                            | Keyword::ORDER
                            | Keyword::LIMIT
                            | Keyword::UNION
                            | Keyword::INTO
                    )));
        if end {
            select_item(s, &item, level, refs, &mut out);
            item.clear();
            if j >= n || !s.is(j, &Token::Comma) {
                break;
            }
        } else {
            item.push(j);
        }
        j += 1;
    }
    out
}

fn select_item(s: &Stmt, item: &[usize], level: usize, refs: &[TableRef], out: &mut ColSource) {
    let Some(&e) = item.last() else {
        return;
    };
    let before = |k: usize| item.len().checked_sub(k + 1).map(|p| item[p]);
    if s.is(e, &Token::Mul) {
        let qual = before(1)
            .filter(|&p| s.is(p, &Token::Period))
            .and_then(|_| before(2))
            .and_then(|p| s.word(p));
        for (idx, r) in refs.iter().enumerate() {
            if r.level == level
                && qual
                    .as_deref()
                    .is_none_or(|q| names::same_ref(s.dialect, r.ref_name(), q))
            {
                out.star.push(idx);
            }
        }
        return;
    }
    let Some(name) = s.word(e) else {
        return;
    };
    let named = match before(1) {
        None => true,
        Some(p) => {
            s.is(p, &Token::Period)
                || s.kw(p) == Keyword::AS
                || s.is_word(p)
                || matches!(
                    s.toks[p].token,
                    Token::RParen | Token::Number(..) | Token::SingleQuotedString(_)
                )
        }
    };
    if named {
        out.names.push(name);
    }
}
