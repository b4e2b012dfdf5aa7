//! Which kinds of suggestion fit at the cursor, from the tokens before it.
//!
//! The rules read like a grammar cheat-sheet: the previous keyword or punctuation, the
//! clause the cursor is in, the statement's first keyword. Output is a list of `Want`s,
//! best first; nothing here looks at the catalog.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::context::{is_backslash, Want};
use super::keywords;
use super::scope::{self, Stmt};
use crate::sql::Dialect;

pub(super) struct Decide<'a, 's> {
    pub s: &'a Stmt<'s>,
    /// Tokens before this index are the context (the qualifier excluded).
    pub p: usize,
    pub dialect: Dialect,
}

const EXPR_FIRST: &[&str] = &[];

fn expr() -> Vec<Want> {
    expr_with(EXPR_FIRST)
}

fn expr_with(first: &'static [&'static str]) -> Vec<Want> {
    vec![
        Want::Columns,
        Want::Aliases,
        Want::Functions {
            schema: None,
            srf_only: false,
        },
        Want::Keywords { first, rest: true },
    ]
}

/// A select-list item: columns, `*`, qualifiers, functions, keywords.
fn select_list() -> Vec<Want> {
    let mut v = expr_with(&["DISTINCT"]);
    v.insert(1, Want::Literal(&["*"]));
    v
}

fn keywords_first(first: &'static [&'static str]) -> Vec<Want> {
    vec![Want::Keywords { first, rest: true }]
}

pub(super) fn only_keywords(first: &'static [&'static str]) -> Vec<Want> {
    vec![Want::Keywords { first, rest: false }]
}

const COLUMN_DEF_START: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY KEY",
    "FOREIGN KEY",
    "UNIQUE",
    "CHECK",
];
const COLUMN_CONSTRAINTS: &[&str] = &[
    "NOT NULL",
    "NULL",
    "PRIMARY KEY",
    "DEFAULT",
    "REFERENCES",
    "UNIQUE",
    "CHECK",
    "COLLATE",
];

impl Decide<'_, '_> {
    pub(super) fn kw(&self, i: usize) -> Keyword {
        self.s.kw(i)
    }

    /// Keyword `k` places back from the context end (0 = the last one).
    pub(super) fn prev_kw(&self, k: usize) -> Keyword {
        match self.p.checked_sub(k + 1) {
            Some(i) => self.kw(i),
            None => Keyword::NoKeyword,
        }
    }

    pub(super) fn relations(&self, tables: bool, views: bool) -> Want {
        Want::Relations {
            schema: None,
            tables,
            views,
        }
    }

    pub(super) fn srf(&self, v: &mut Vec<Want>, schema: Option<String>) {
        if self.dialect == Dialect::Postgres {
            v.push(Want::Functions {
                schema,
                srf_only: true,
            });
        }
    }

    pub(super) fn decide(&self) -> Vec<Want> {
        let Some(last) = self.p.checked_sub(1) else {
            return vec![Want::Starters, Want::Specials];
        };
        let s = self.s;
        if let Some(v) = self.set_statement(last) {
            return v;
        }
        match &s.toks[last].token {
            Token::DoubleColon => self.types(),
            Token::LParen => self.after_paren(last),
            Token::Comma => self.after_comma(last),
            Token::SemiColon => vec![Want::Starters, Want::Specials],
            Token::Mul
                if last == 0
                    || matches!(self.kw(last - 1), Keyword::SELECT | Keyword::DISTINCT)
                    || s.is(last - 1, &Token::Comma)
                    || s.is(last - 1, &Token::Period) =>
            {
                self.after_value(last)
            }
            t if is_backslash(t) => vec![Want::Specials],
            // PL/pgSQL `PERFORM` runs a query without its result: a select list follows.
            Token::Word(w)
                if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("perform") =>
            {
                self.after_keyword(last, Keyword::SELECT, "SELECT")
            }
            Token::Word(w) if w.quote_style.is_none() && w.keyword != Keyword::NoKeyword => {
                self.after_keyword(last, w.keyword, &w.value)
            }
            Token::Word(_)
            | Token::Number(..)
            | Token::RParen
            | Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::DollarQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::EscapedStringLiteral(_)
            | Token::HexStringLiteral(_)
            | Token::Placeholder(_) => self.after_value(last),
            _ => expr(),
        }
    }

    fn after_keyword(&self, i: usize, k: Keyword, value: &str) -> Vec<Want> {
        let s = self.s;
        let prev = if i > 0 {
            self.kw(i - 1)
        } else {
            Keyword::NoKeyword
        };
        let first = self.kw(0);
        // `CREATE DATABASE x WITH TEMPLATE |`: a database to copy.
        if first == Keyword::CREATE && value.eq_ignore_ascii_case("template") {
            return vec![Want::Databases];
        }
        match k {
            Keyword::SELECT => select_list(),
            Keyword::AND | Keyword::OR if self.in_join_on(i) => {
                let mut v = vec![Want::JoinConditions];
                v.extend(expr());
                v
            }
            // `CREATE TABLE x LIKE t`: a table to copy.
            Keyword::LIKE if first == Keyword::CREATE => {
                vec![self.relations(true, false), Want::Schemas]
            }
            Keyword::SET if prev == Keyword::CHARACTER => vec![Want::Charsets],
            Keyword::CHARSET if i > 0 => vec![Want::Charsets],
            Keyword::COLLATE => vec![Want::Collations],
            Keyword::USING if self.in_convert(i) => vec![Want::Charsets],
            Keyword::WHERE
            | Keyword::AND
            | Keyword::OR
            | Keyword::HAVING
            | Keyword::WHEN
            | Keyword::THEN
            | Keyword::ELSE
            | Keyword::CASE
            | Keyword::BETWEEN
            | Keyword::LIKE
            | Keyword::ILIKE
            | Keyword::RLIKE
            | Keyword::REGEXP
            | Keyword::GLOB
            | Keyword::RETURNING
            | Keyword::DISTINCT
            | Keyword::ANY
            | Keyword::SOME
            | Keyword::ALL => expr(),
            Keyword::NOT => expr_with(keywords::followers("NOT", self.dialect)),
            Keyword::BY if matches!(prev, Keyword::ORDER | Keyword::GROUP | Keyword::PARTITION) => {
                expr()
            }
            Keyword::ON => self.after_on(i),
            Keyword::SET => {
                if i == 0 {
                    keywords_first(&[])
                } else if first == Keyword::ALTER {
                    only_keywords(&["DEFAULT", "NOT NULL", "DATA TYPE"])
                } else {
                    vec![Want::Columns]
                }
            }
            Keyword::USING if first == Keyword::DELETE => {
                vec![self.relations(true, false), Want::Schemas]
            }
            Keyword::USING => Vec::new(),
            Keyword::AS => self.after_as(),
            Keyword::FROM => {
                let g = s.group[i];
                if (g != 0 && !s.groups[g].query) || scope::is_distinct_from(s, i) {
                    return expr();
                }
                if first == Keyword::DELETE {
                    return vec![self.relations(true, false), Want::Schemas];
                }
                let mut v = vec![self.relations(true, true)];
                self.srf(&mut v, None);
                v.push(Want::Schemas);
                v
            }
            Keyword::JOIN | Keyword::STRAIGHT_JOIN => {
                // NATURAL and CROSS joins take no ON: offer tables, not `t ON ...` clauses.
                let mut v = if self.join_takes_no_on(i) {
                    vec![self.relations(true, true)]
                } else {
                    vec![Want::JoinClauses, self.relations(true, true)]
                };
                self.srf(&mut v, None);
                v.push(Want::Schemas);
                v
            }
            Keyword::INTO | Keyword::REFERENCES => vec![self.relations(true, false), Want::Schemas],
            Keyword::UPDATE if prev == Keyword::DO => only_keywords(&["SET"]),
            // MySQL `ON DUPLICATE KEY UPDATE`: columns of the insert target.
            Keyword::UPDATE if prev == Keyword::KEY => vec![Want::Columns],
            Keyword::UPDATE | Keyword::TRUNCATE | Keyword::LOCK => {
                let mut v = vec![self.relations(true, false), Want::Schemas];
                if k == Keyword::TRUNCATE {
                    v.push(Want::Keywords {
                        first: &["TABLE"],
                        rest: false,
                    });
                }
                v
            }
            Keyword::TABLE => self.after_table_kw(i),
            Keyword::EXISTS if prev == Keyword::IF || prev == Keyword::NOT => {
                let mut j = i - 1;
                while j > 0 && matches!(self.kw(j), Keyword::IF | Keyword::NOT) {
                    j -= 1;
                }
                match self.kw(j) {
                    Keyword::TABLE => self.after_table_kw(j),
                    Keyword::VIEW if first != Keyword::CREATE => vec![self.relations(false, true)],
                    Keyword::SCHEMA | Keyword::DATABASE if first == Keyword::DROP => {
                        vec![if self.kw(j) == Keyword::SCHEMA {
                            Want::Schemas
                        } else {
                            Want::Databases
                        }]
                    }
                    _ => Vec::new(),
                }
            }
            // MySQL's `EXPLAIN t` describes a table, like DESCRIBE.
            Keyword::EXPLAIN if i == 0 && self.dialect == Dialect::Mysql => vec![
                Want::Keywords {
                    first: keywords::followers("EXPLAIN", self.dialect),
                    rest: false,
                },
                self.relations(true, true),
            ],
            Keyword::DESCRIBE | Keyword::DESC | Keyword::EXPLAIN
                if i == 0 && k != Keyword::EXPLAIN =>
            {
                vec![self.relations(true, true), Want::Schemas]
            }
            Keyword::USE => vec![Want::Databases],
            Keyword::DATABASE if matches!(prev, Keyword::DROP | Keyword::ALTER) => {
                vec![Want::Databases]
            }
            Keyword::SCHEMA if matches!(prev, Keyword::DROP | Keyword::ALTER) => {
                vec![Want::Schemas]
            }
            Keyword::VIEW
                if matches!(prev, Keyword::DROP | Keyword::ALTER | Keyword::MATERIALIZED)
                    && first != Keyword::CREATE =>
            {
                vec![self.relations(false, true)]
            }
            Keyword::FUNCTION if matches!(prev, Keyword::DROP | Keyword::ALTER) => {
                vec![Want::Functions {
                    schema: None,
                    srf_only: false,
                }]
            }
            Keyword::RETURNS => self.types(),
            Keyword::TYPE if first == Keyword::ALTER && prev != Keyword::ALTER => self.types(),
            Keyword::TYPE
            | Keyword::INDEX
            | Keyword::TRIGGER
            | Keyword::SEQUENCE
            | Keyword::VIEW
                if prev == Keyword::CREATE || first == Keyword::CREATE =>
            {
                Vec::new()
            }
            Keyword::IN
            | Keyword::LIMIT
            | Keyword::OFFSET
            | Keyword::VALUES
            | Keyword::INTERVAL
            | Keyword::RECURSIVE
            | Keyword::CONSTRAINT => Vec::new(),
            Keyword::IS => only_keywords(keywords::followers("IS", self.dialect)),
            Keyword::WITH if i == 0 => only_keywords(&["RECURSIVE"]),
            Keyword::COLUMN if first == Keyword::ALTER && prev != Keyword::ADD => {
                vec![Want::Columns]
            }
            Keyword::ADD if first == Keyword::ALTER && i > 0 => {
                let mut v = only_keywords(keywords::alter_add(self.dialect));
                v.push(Want::Datatypes { schema: None });
                v
            }
            Keyword::ALTER if first == Keyword::ALTER && i > 1 => {
                vec![
                    Want::Keywords {
                        first: &["COLUMN"],
                        rest: false,
                    },
                    Want::Columns,
                ]
            }
            Keyword::DROP if first == Keyword::ALTER && i > 0 => {
                let mut v = only_keywords(&["COLUMN", "CONSTRAINT"]);
                v.insert(0, Want::Columns);
                v
            }
            _ => {
                let upper = value.to_ascii_uppercase();
                let f = keywords::followers(&upper, self.dialect);
                if f.is_empty() {
                    self.after_value(i)
                } else {
                    keywords_first(f)
                }
            }
        }
    }

    fn after_table_kw(&self, i: usize) -> Vec<Want> {
        let first = self.kw(0);
        if first == Keyword::CREATE && i > 0 {
            return Vec::new(); // naming a new table
        }
        vec![self.relations(true, false), Want::Schemas]
    }

    fn after_as(&self) -> Vec<Want> {
        let g = self.s.group_at(self.p);
        if let Some(open) = self.s.open_index(g) {
            if open > 0
                && matches!(
                    self.kw(open - 1),
                    Keyword::CAST | Keyword::TRY_CAST | Keyword::SAFE_CAST
                )
            {
                return self.types();
            }
        }
        if self.kw(0) == Keyword::CREATE {
            return vec![Want::Starters];
        }
        Vec::new() // naming an alias
    }

    /// The name chain ending at `j` (`a.b.c`): its parts and the index before it.
    pub(super) fn name_before(&self, j: usize) -> Option<(Vec<String>, usize)> {
        let s = self.s;
        let mut parts = vec![s.word(j)?];
        let mut m = j;
        while m >= 2 && s.is(m - 1, &Token::Period) {
            match s.word(m - 2) {
                Some(w) => {
                    parts.insert(0, w);
                    m -= 2;
                }
                None => break,
            }
        }
        Some((parts, m))
    }

    fn after_paren(&self, open: usize) -> Vec<Want> {
        let s = self.s;
        let Some(j) = open.checked_sub(1) else {
            return only_keywords(&["SELECT", "VALUES", "WITH"]);
        };
        let g = s.group[open];
        if self.create_table_group(g) {
            return only_keywords(COLUMN_DEF_START);
        }
        match self.kw(j) {
            Keyword::IN | Keyword::ANY | Keyword::ALL | Keyword::SOME => {
                return expr_with(&["SELECT"]);
            }
            Keyword::EXISTS => return only_keywords(&["SELECT"]),
            Keyword::FROM | Keyword::JOIN | Keyword::UNION | Keyword::LATERAL => {
                return only_keywords(&["SELECT", "VALUES", "WITH"]);
            }
            Keyword::AS => return vec![Want::Starters],
            Keyword::USING => return vec![Want::CommonColumns],
            Keyword::VALUES => {
                return vec![
                    Want::Functions {
                        schema: None,
                        srf_only: false,
                    },
                    Want::Keywords {
                        first: &["DEFAULT", "NULL"],
                        rest: false,
                    },
                ]
            }
            Keyword::KEY | Keyword::UNIQUE | Keyword::INDEX => return vec![Want::Columns],
            _ => {}
        }
        if let Some((parts, m)) = self.name_before(j) {
            let before = m.checked_sub(1).map_or(Keyword::NoKeyword, |b| self.kw(b));
            let on_create = before == Keyword::ON && self.kw(0) == Keyword::CREATE;
            if matches!(before, Keyword::INTO | Keyword::REFERENCES) || on_create {
                return vec![Want::ColumnsOf(parts)];
            }
            // `varchar(`, `numeric(` inside a column definition: a size.
            let in_def = self.create_table_group(s.group[j]) || self.kw(0) == Keyword::ALTER;
            if in_def && s.is_word(j) && parts.len() == 1 {
                return Vec::new();
            }
            if parts.len() == 1 && parts[0].eq_ignore_ascii_case("table_info") {
                return vec![self.relations(true, true)];
            }
            if parts.len() == 1 && parts[0].eq_ignore_ascii_case("count") {
                let mut v = expr();
                v.insert(1, Want::Literal(&["*"]));
                return v;
            }
            return expr();
        }
        expr_with(&["SELECT"])
    }

    fn after_comma(&self, comma: usize) -> Vec<Want> {
        let s = self.s;
        let g = s.group[comma];
        if g != 0 && !s.groups[g].query {
            if self.create_table_group(g) {
                return only_keywords(COLUMN_DEF_START);
            }
            if let Some(open) = s.open_index(g) {
                return match open.checked_sub(1).map(|j| self.kw(j)) {
                    Some(Keyword::VALUES) | None => vec![Want::Functions {
                        schema: None,
                        srf_only: false,
                    }],
                    _ => self.after_paren(open),
                };
            }
        }
        let clause = s.back_in_group(comma, g, |j| is_clause(self.kw(j)));
        match clause.map(|j| self.kw(j)) {
            Some(Keyword::FROM) | Some(Keyword::USING) => {
                let mut v = vec![self.relations(true, true)];
                self.srf(&mut v, None);
                v.push(Want::Schemas);
                v
            }
            Some(Keyword::SET) => vec![Want::Columns],
            Some(Keyword::SELECT) => select_list(),
            Some(Keyword::WITH) | Some(Keyword::VALUES) | Some(Keyword::LIMIT) => Vec::new(),
            _ => expr(),
        }
    }

    /// After a complete operand or name: keywords, or a type in a column definition.
    fn after_value(&self, i: usize) -> Vec<Want> {
        if self.datatype_position(i) {
            return self.types();
        }
        let s = self.s;
        let g = s.group_at(self.p);
        if self.create_table_group(g) {
            return only_keywords(COLUMN_CONSTRAINTS);
        }
        let clause = s.back_in_group(self.p, g, |j| is_clause(self.kw(j)));
        let name = match clause.map(|j| self.kw(j)) {
            Some(
                Keyword::FROM | Keyword::UPDATE | Keyword::INTO | Keyword::TABLE | Keyword::USING,
            ) => "TABLE",
            Some(Keyword::JOIN) if clause.is_some_and(|j| self.join_takes_no_on(j)) => "TABLE",
            Some(Keyword::JOIN) => "JOIN",
            Some(Keyword::SELECT) => "SELECT",
            Some(Keyword::WHERE) => "WHERE",
            Some(Keyword::ON) => "ON",
            Some(Keyword::HAVING) => "HAVING",
            Some(Keyword::SET) => "SET",
            Some(Keyword::LIMIT) => "LIMIT",
            Some(Keyword::BY) => match clause.and_then(|j| j.checked_sub(1)).map(|j| self.kw(j)) {
                Some(Keyword::GROUP) => "GROUP",
                _ => "ORDER",
            },
            _ => "",
        };
        keywords_first(keywords::clause_followers(name, self.dialect))
    }
}

pub(super) fn is_clause(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::SELECT
            | Keyword::FROM
            | Keyword::WHERE
            | Keyword::BY
            | Keyword::HAVING
            | Keyword::SET
            | Keyword::VALUES
            | Keyword::RETURNING
            | Keyword::WITH
            | Keyword::USING
            | Keyword::JOIN
            | Keyword::ON
            | Keyword::INTO
            | Keyword::UPDATE
            | Keyword::LIMIT
            | Keyword::TABLE
            | Keyword::WINDOW
    )
}
