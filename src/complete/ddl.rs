//! Rules for definitions and settings: where a data type goes (column definitions,
//! routine arguments, `::`, CAST), `CREATE TABLE` / `CREATE FUNCTION` paren groups,
//! `SET search_path` / `SET SCHEMA`, `CONVERT(x USING`.
//!
//! Part of `decide`; split out so the expression and clause rules stay readable there.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::context::Want;
use super::decide::Decide;
use crate::sql::Dialect;

impl Decide<'_, '_> {
    /// `SET search_path TO a, |`, `SET SCHEMA |`: schema names, not `UPDATE ... SET` columns.
    pub(super) fn set_statement(&self, last: usize) -> Option<Vec<Want>> {
        let s = self.s;
        if self.kw(0) != Keyword::SET {
            return None;
        }
        let mut j = 1;
        while matches!(self.kw(j), Keyword::SESSION | Keyword::LOCAL) {
            j += 1;
        }
        let schema_list = match s.word(j).as_deref() {
            Some("search_path") => (j + 1..=last).all(|k| {
                k == j + 1 && (self.kw(k) == Keyword::TO || s.is(k, &Token::Eq))
                    || k > j + 1 && (s.is(k, &Token::Comma) || s.is_word(k))
            }),
            _ if self.kw(j) == Keyword::SCHEMA => last == j,
            _ => false,
        };
        let after_sep = s.is(last, &Token::Comma)
            || s.is(last, &Token::Eq)
            || matches!(self.kw(last), Keyword::TO | Keyword::SCHEMA);
        if self.kw(j) == Keyword::SCHEMA && schema_list {
            // `SET SCHEMA` takes a string literal, not a name: `SET SCHEMA 'public'`.
            return Some(vec![Want::SchemaLiterals]);
        }
        (schema_list && after_sep).then(|| vec![Want::Schemas])
    }

    /// Is group `g` the argument list of `CREATE FUNCTION name (` (or PROCEDURE)?
    pub(super) fn routine_args_group(&self, g: usize) -> bool {
        if g == 0 || self.kw(0) != Keyword::CREATE {
            return false;
        }
        let Some(open) = self.s.open_index(g) else {
            return false;
        };
        let Some((_, m)) = open.checked_sub(1).and_then(|j| self.name_before(j)) else {
            return false;
        };
        m > 0 && matches!(self.kw(m - 1), Keyword::FUNCTION | Keyword::PROCEDURE)
    }

    /// Is group `g` the column list of `CREATE TABLE name (`?
    pub(super) fn create_table_group(&self, g: usize) -> bool {
        if g == 0 || self.kw(0) != Keyword::CREATE {
            return false;
        }
        let Some(open) = self.s.open_index(g) else {
            return false;
        };
        let Some((_, m)) = open.checked_sub(1).and_then(|j| self.name_before(j)) else {
            return false;
        };
        m > 0 && matches!(self.kw(m - 1), Keyword::TABLE | Keyword::EXISTS)
    }

    pub(super) fn datatype_position(&self, i: usize) -> bool {
        let s = self.s;
        if !s.is_word(i) || i + 1 != self.p {
            return false;
        }
        if matches!(
            self.kw(i),
            Keyword::CONSTRAINT
                | Keyword::PRIMARY
                | Keyword::FOREIGN
                | Keyword::UNIQUE
                | Keyword::CHECK
                | Keyword::KEY
                | Keyword::INDEX
                | Keyword::COLUMN
        ) {
            return false;
        }
        let g = s.group[i];
        if self.routine_args_group(g) {
            return i > 0
                && (s.is(i - 1, &Token::Comma)
                    || (s.is(i - 1, &Token::LParen) && s.group[i - 1] == g)
                    || matches!(
                        self.kw(i - 1),
                        Keyword::IN | Keyword::OUT | Keyword::INOUT | Keyword::VARIADIC
                    ));
        }
        if self.create_table_group(g) {
            return i > 0
                && (s.is(i - 1, &Token::Comma)
                    || (s.is(i - 1, &Token::LParen) && s.group[i - 1] == g));
        }
        if self.kw(0) == Keyword::ALTER {
            let a = self.prev_kw(1);
            let b = self.prev_kw(2);
            return matches!(a, Keyword::ADD | Keyword::MODIFY)
                || (a == Keyword::COLUMN && matches!(b, Keyword::ADD | Keyword::MODIFY))
                || (self.dialect == Dialect::Mysql
                    && (b == Keyword::CHANGE
                        || (b == Keyword::COLUMN && self.prev_kw(3) == Keyword::CHANGE)));
        }
        false
    }

    /// A type position: types, then schemas for a qualified type (PostgreSQL).
    pub(super) fn types(&self) -> Vec<Want> {
        let mut v = vec![Want::Datatypes { schema: None }];
        if self.dialect == Dialect::Postgres {
            v.push(Want::Schemas);
        }
        v
    }

    /// Is the `USING` at `i` the one of `CONVERT(x USING charset)`?
    pub(super) fn in_convert(&self, i: usize) -> bool {
        let s = self.s;
        s.open_index(s.group[i])
            .and_then(|o| o.checked_sub(1))
            .is_some_and(|j| self.kw(j) == Keyword::CONVERT)
    }
}
