//! Rules around joins: what `ON` is followed by (join conditions, qualifiers, or the
//! object list of `GRANT ... ON` / `CREATE INDEX ... ON`), whether the cursor is inside a
//! join's `ON` condition, and NATURAL/CROSS joins, which take no condition.
//!
//! Part of `decide`.

use sqlparser::keywords::Keyword;

use super::context::Want;
use super::decide::{is_clause, only_keywords, Decide};
use super::keywords;

impl Decide<'_, '_> {
    pub(super) fn after_on(&self, i: usize) -> Vec<Want> {
        let first = self.kw(0);
        if first == Keyword::CREATE {
            return vec![self.relations(true, false), Want::Schemas];
        }
        if matches!(first, Keyword::INSERT | Keyword::REPLACE) {
            return only_keywords(keywords::followers("ON", self.dialect));
        }
        if matches!(first, Keyword::GRANT | Keyword::REVOKE) {
            let mut v = vec![self.relations(true, true), Want::Schemas];
            v.push(Want::Keywords {
                first: keywords::grant_on(self.dialect),
                rest: false,
            });
            return v;
        }
        if i > 0 && self.kw(i - 1) == Keyword::COMMENT {
            return only_keywords(&["TABLE", "COLUMN", "VIEW", "SCHEMA", "FUNCTION"]);
        }
        vec![
            Want::JoinConditions,
            Want::Aliases,
            Want::Columns,
            Want::Functions {
                schema: None,
                srf_only: false,
            },
            Want::Keywords {
                first: &[],
                rest: true,
            },
        ]
    }

    /// Is the JOIN at `i` a NATURAL or CROSS join (no ON, no USING)?
    pub(super) fn join_takes_no_on(&self, i: usize) -> bool {
        (1..=3)
            .filter_map(|k| i.checked_sub(k))
            .take_while(|&j| {
                matches!(
                    self.kw(j),
                    Keyword::NATURAL
                        | Keyword::CROSS
                        | Keyword::LEFT
                        | Keyword::RIGHT
                        | Keyword::FULL
                        | Keyword::INNER
                        | Keyword::OUTER
                )
            })
            .any(|j| matches!(self.kw(j), Keyword::NATURAL | Keyword::CROSS))
    }

    /// Is the keyword at `i` inside the `ON` condition of a join?
    pub(super) fn in_join_on(&self, i: usize) -> bool {
        let s = self.s;
        let g = s.group[i];
        let clause = s.back_in_group(i, g, |j| is_clause(self.kw(j)));
        clause.is_some_and(|j| {
            self.kw(j) == Keyword::ON
                && !matches!(
                    self.kw(0),
                    Keyword::CREATE | Keyword::INSERT | Keyword::REPLACE | Keyword::GRANT
                )
        })
    }
}
