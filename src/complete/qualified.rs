//! After `a.` or `a.b.`: what the qualifier can name at this position (a schema's tables
//! or types, a table's or alias's columns).
//!
//! Part of `decide`.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::context::Want;
use super::decide::{is_clause, Decide};
use super::scope;

impl Decide<'_, '_> {
    pub(super) fn is_table_position(&self) -> bool {
        let Some(last) = self.p.checked_sub(1) else {
            return false;
        };
        match self.kw(last) {
            Keyword::FROM => {
                let g = self.s.group[last];
                (g == 0 || self.s.groups[g].query) && !scope::is_distinct_from(self.s, last)
            }
            Keyword::JOIN
            | Keyword::STRAIGHT_JOIN
            | Keyword::INTO
            | Keyword::UPDATE
            | Keyword::TRUNCATE
            | Keyword::REFERENCES
            | Keyword::DESCRIBE
            | Keyword::LOCK => true,
            Keyword::TABLE | Keyword::EXISTS => self.kw(0) != Keyword::CREATE,
            Keyword::DESC => last == 0,
            Keyword::ON => self.kw(0) == Keyword::CREATE,
            _ if self.s.is(last, &Token::Comma) => {
                let g = self.s.group[last];
                let clause = self.s.back_in_group(last, g, |j| is_clause(self.kw(j)));
                matches!(clause.map(|j| self.kw(j)), Some(Keyword::FROM))
            }
            _ => false,
        }
    }

    pub(super) fn qualified(&self, qual: Vec<String>) -> Vec<Want> {
        let schema = qual.last().cloned();
        let type_position = (self.p > 0 && self.s.is(self.p - 1, &Token::DoubleColon))
            || self
                .decide()
                .iter()
                .any(|w| matches!(w, Want::Datatypes { .. }));
        if type_position {
            return vec![Want::Datatypes { schema }];
        }
        if self.is_table_position() {
            let mut v = vec![Want::Relations {
                schema: schema.clone(),
                tables: true,
                views: true,
            }];
            if matches!(self.prev_kw(0), Keyword::FROM | Keyword::JOIN)
                || self.s.is(self.p.wrapping_sub(1), &Token::Comma)
            {
                self.srf(&mut v, schema);
            }
            return v;
        }
        let mut v = vec![Want::ColumnsOf(qual.clone())];
        let in_select = self
            .s
            .back_in_group(self.p, self.s.group_at(self.p), |j| is_clause(self.kw(j)))
            .is_some_and(|j| self.kw(j) == Keyword::SELECT);
        if in_select {
            v.push(Want::Literal(&["*"]));
        }
        if qual.len() == 1 {
            v.push(Want::Relations {
                schema: schema.clone(),
                tables: true,
                views: true,
            });
            v.push(Want::Functions {
                schema,
                srf_only: false,
            });
        }
        v
    }
}
