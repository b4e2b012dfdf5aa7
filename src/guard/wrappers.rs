//! The guard seeing through wrappers: a data-modifying CTE, `EXPLAIN ANALYZE` (which runs
//! its statement; plain `EXPLAIN` does not), MariaDB's `ANALYZE DELETE`, `PREPARE … AS` /
//! `FROM '…'` and a later `EXECUTE` of that name (`Prepared` remembers the session's names).
//! `DO` blocks and `CALL` run bodies dbsh cannot see, so they always ask. The rules for a
//! bare statement stay in the parent module; this one only finds what a wrapper runs.

use std::collections::HashMap;

use sqlparser::ast::{Query, SetExpr, Statement};
use sqlparser::parser::Parser;

use super::{destructive_by_words, destructive_statement, sql_dialect};
use crate::sql::lex::{self, Kind};
use crate::sql::{Dialect, LexState};

/// The destructive statements prepared in this session (`PREPARE name AS DELETE …`), by
/// name, so that `EXECUTE name` asks as the statement itself would.
#[derive(Debug, Default, Clone)]
pub struct Prepared {
    names: HashMap<String, String>,
}

impl Prepared {
    /// Why `sql` is destructive, seeing through wrappers and prepared names, or None.
    pub fn destructive(&self, sql: &str, dialect: Dialect) -> Option<String> {
        if let Some(verdict) = self.wrapped_by_tokens(sql, dialect) {
            return verdict;
        }
        let d = sql_dialect(dialect);
        match Parser::parse_sql(d.as_ref(), sql) {
            Ok(statements) => statements.iter().find_map(|s| self.wrapped_statement(s)),
            Err(_) => wrapped_tokens_fallback(sql, dialect),
        }
    }

    /// Remember (or forget) the names `sql` prepares or deallocates; call for every
    /// statement the session runs.
    pub fn note(&mut self, sql: &str, dialect: Dialect) {
        let words = leading_words(sql, dialect);
        let first = words.first().map(|w| w.text.as_str());
        match first {
            Some("PREPARE") => {
                let Some(name) = words.get(1).map(name_key) else {
                    return;
                };
                match self.destructive(sql, dialect) {
                    Some(w) => self.names.insert(name, w),
                    None => self.names.remove(&name),
                };
            }
            Some("DEALLOCATE") | Some("DROP") => {
                let name = match words.get(1) {
                    Some(w) if w.is("PREPARE") => words.get(2),
                    other if first == Some("DEALLOCATE") => other,
                    _ => None,
                };
                match name {
                    Some(w) if w.is("ALL") => self.names.clear(),
                    Some(n) => {
                        self.names.remove(&name_key(n));
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }

    /// Wrappers sqlparser does not parse (or parses into something opaque), decided on the
    /// leading words: `Some(verdict)` when decided here, None to parse.
    fn wrapped_by_tokens(&self, sql: &str, dialect: Dialect) -> Option<Option<String>> {
        let words = leading_words(sql, dialect);
        let word = |i: usize| words.get(i).map(|w| w.text.as_str());
        match word(0)? {
            "DO" if dialect == Dialect::Postgres => {
                Some(Some("DO block: its body is not checked".into()))
            }
            "CALL" if dialect != Dialect::Sqlite => {
                Some(Some("CALL: the procedure's body is not checked".into()))
            }
            "EXECUTE" => {
                let name = name_key(words.get(1)?);
                Some(self.names.get(&name).cloned())
            }
            // MySQL: PREPARE name FROM 'text' | @variable.
            "PREPARE" if word(2) == Some("FROM") => Some(match prepared_text(sql, dialect) {
                Some(text) => self.destructive(&text, dialect),
                None => Some("PREPARE from a variable: the statement is not checked".into()),
            }),
            // MariaDB's ANALYZE runs its statement.
            "ANALYZE" if matches!(word(1), Some("DELETE" | "UPDATE")) => {
                Some(self.destructive(&sql[words[0].end..], dialect))
            }
            // MySQL's DEALLOCATE/DROP PREPARE only forgets a prepared statement.
            "DROP" if word(1) == Some("PREPARE") => Some(None),
            _ => None,
        }
    }

    fn wrapped_statement(&self, s: &Statement) -> Option<String> {
        match s {
            Statement::Query(q) => wrapped_query(q),
            Statement::Explain {
                analyze,
                options,
                statement,
                ..
            } => {
                let analyze = *analyze
                    || options.iter().flatten().any(|o| {
                        let off = o.arg.as_ref().is_some_and(|a| {
                            matches!(
                                a.to_string().to_ascii_lowercase().as_str(),
                                "false" | "off" | "0"
                            )
                        });
                        o.name.value.eq_ignore_ascii_case("analyze") && !off
                    });
                if analyze {
                    self.wrapped_statement(statement)
                        .map(|w| format!("EXPLAIN ANALYZE runs it: {w}"))
                } else {
                    None
                }
            }
            Statement::Prepare { statement, .. } => self
                .wrapped_statement(statement)
                .map(|w| format!("PREPARE of {w}")),
            Statement::Execute { name: Some(n), .. } => {
                let key =
                    n.0.last()
                        .and_then(|p| p.as_ident())
                        .map(ident_key)
                        .unwrap_or_default();
                self.names.get(&key).cloned()
            }
            Statement::Call(_) => Some("CALL: the procedure's body is not checked".into()),
            other => destructive_statement(other),
        }
    }
}

/// A prepared-statement name as the server folds it: unquoted names are case-insensitive.
fn ident_key(i: &sqlparser::ast::Ident) -> String {
    if i.quote_style.is_some() {
        i.value.clone()
    } else {
        i.value.to_ascii_lowercase()
    }
}

/// A data-modifying CTE (`WITH d AS (DELETE … RETURNING *) SELECT …`), or the statement
/// a `WITH` leads into, judged as if it stood alone.
fn wrapped_query(q: &Query) -> Option<String> {
    let in_ctes = q
        .with
        .iter()
        .flat_map(|w| &w.cte_tables)
        .find_map(|cte| wrapped_query(&cte.query));
    in_ctes.or_else(|| wrapped_set_expr(&q.body))
}

fn wrapped_set_expr(e: &SetExpr) -> Option<String> {
    match e {
        SetExpr::Delete(s) | SetExpr::Update(s) | SetExpr::Merge(s) | SetExpr::Insert(s) => {
            destructive_statement(s)
        }
        SetExpr::Query(q) => wrapped_query(q),
        SetExpr::SetOperation { left, right, .. } => {
            wrapped_set_expr(left).or_else(|| wrapped_set_expr(right))
        }
        _ => None,
    }
}

/// A word of a statement (`sql::lex`): unquoted ones upper-cased, quoted names as the
/// server reads them; `start..end` is where it lies.
struct Word {
    text: String,
    quoted: bool,
    start: usize,
    end: usize,
}

impl Word {
    /// The unquoted keyword `kw`.
    fn is(&self, kw: &str) -> bool {
        !self.quoted && self.text == kw
    }
}

/// Every word of `sql` in order, code in MySQL's `/*! … */` included; never strings or
/// comments.
fn words(sql: &str, dialect: Dialect) -> impl Iterator<Item = Word> + '_ {
    let state = LexState::new(dialect);
    lex::Lexer::new(sql, &state).filter_map(move |t| {
        let text = t.text(sql);
        let (text, quoted) = match t.kind {
            Kind::Word => (text.to_ascii_uppercase(), false),
            Kind::QuotedIdent => (lex::unquote(text, &state), true),
            _ => return None,
        };
        Some(Word {
            text,
            quoted,
            start: t.start,
            end: t.end,
        })
    })
}

/// The first words: enough for every wrapper rule.
fn leading_words(sql: &str, dialect: Dialect) -> Vec<Word> {
    words(sql, dialect).take(4).collect()
}

/// A prepared-statement name from `leading_words`, as the server folds it.
fn name_key(w: &Word) -> String {
    if w.quoted {
        w.text.clone()
    } else {
        w.text.to_ascii_lowercase()
    }
}

/// The statement text of MySQL's `PREPARE name FROM 'text'` (a plain quoted string only).
fn prepared_text(sql: &str, dialect: Dialect) -> Option<String> {
    let state = LexState::new(dialect);
    let mut tokens = lex::Lexer::new(sql, &state).filter(|t| !t.is_blank());
    tokens.find(|t| t.kind == Kind::Word && t.text(sql).eq_ignore_ascii_case("from"))?;
    let t = tokens.next()?;
    let text = t.text(sql);
    let plain = text.starts_with(['\'', '"']) && !t.unterminated;
    (t.kind == Kind::String && plain).then(|| lex::unquote(text, &state))
}

/// When sqlparser cannot parse: the leading-token rules, applied also to what follows a
/// wrapper (`WITH … (DELETE …`, `EXPLAIN ANALYZE DELETE …`, `PREPARE p AS DELETE …`).
fn wrapped_tokens_fallback(sql: &str, dialect: Dialect) -> Option<String> {
    if let Some(why) = destructive_by_words(sql, dialect) {
        return Some(why);
    }
    let words: Vec<Word> = words(sql, dialect).filter(|w| !w.quoted).collect();
    let wrapper = match words.first()?.text.as_str() {
        "WITH" | "PREPARE" => true,
        "EXPLAIN" => words.iter().any(|w| w.text == "ANALYZE"),
        _ => false,
    };
    if !wrapper {
        return None;
    }
    // Judge the first inner data-changing verb with the rest of the text: erring on the
    // side of asking (a WHERE anywhere after it counts, as for plain statements).
    let inner = words[1..]
        .iter()
        .find(|w| matches!(w.text.as_str(), "DELETE" | "UPDATE" | "TRUNCATE" | "DROP"))?;
    destructive_by_words(&sql[inner.start..], dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn destructive(sql: &str, dialect: Dialect) -> Option<String> {
        Prepared::default().destructive(sql, dialect)
    }

    /// (dialect, sql, asks?) rows: wrappers are judged by what they run.
    const WRAPPERS: &[(Dialect, &str, bool)] = &[
        (
            Dialect::Postgres,
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
            true,
        ),
        (
            Dialect::Postgres,
            "with d as (update t set x = 1 returning *) select count(*) from d",
            true,
        ),
        (
            Dialect::Postgres,
            "WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d",
            false,
        ),
        (
            Dialect::Postgres,
            "WITH a AS (SELECT 1), d AS (DELETE FROM t RETURNING 1) SELECT * FROM a",
            true,
        ),
        (
            Dialect::Postgres,
            "WITH x AS (SELECT 1) DELETE FROM t",
            true,
        ),
        (
            Dialect::Postgres,
            "WITH x AS (SELECT 'delete from t') SELECT * FROM x",
            false,
        ),
        (Dialect::Postgres, "EXPLAIN ANALYZE DELETE FROM t", true),
        (
            Dialect::Postgres,
            "explain (analyze, buffers) update t set x = 1",
            true,
        ),
        (
            Dialect::Postgres,
            "EXPLAIN (ANALYZE false) DELETE FROM t",
            false,
        ),
        (Dialect::Postgres, "EXPLAIN DELETE FROM t", false),
        (
            Dialect::Postgres,
            "EXPLAIN ANALYZE DELETE FROM t WHERE id = 1",
            false,
        ),
        (Dialect::Postgres, "PREPARE p AS DELETE FROM t", true),
        (
            Dialect::Postgres,
            "PREPARE p (int) AS DELETE FROM t WHERE id = $1",
            false,
        ),
        (Dialect::Postgres, "DO $$ BEGIN DELETE FROM t; END $$", true),
        (Dialect::Postgres, "do 'begin null; end'", true),
        (Dialect::Postgres, "CALL cleanup()", true),
        (Dialect::Mysql, "CALL cleanup()", true),
        (Dialect::Mysql, "DO SLEEP(0)", false),
        (
            Dialect::Mysql,
            "DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id",
            true,
        ),
        (
            Dialect::Mysql,
            "DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id",
            true,
        ),
        (
            Dialect::Mysql,
            "DELETE t1, t2 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.x = 1",
            false,
        ),
        (
            Dialect::Mysql,
            "DELETE FROM t1, t2 USING t1 JOIN t2 ON t1.id = t2.id",
            true,
        ),
        (
            Dialect::Mysql,
            "UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.x = 1",
            true,
        ),
        (Dialect::Mysql, "EXPLAIN ANALYZE DELETE FROM t", true),
        (Dialect::Mysql, "ANALYZE DELETE FROM t", true),
        (Dialect::Mysql, "ANALYZE TABLE t", false),
        (Dialect::Mysql, "PREPARE s FROM 'DELETE FROM t'", true),
        (
            Dialect::Mysql,
            "PREPARE s FROM 'DELETE FROM t WHERE id = ?'",
            false,
        ),
        (Dialect::Mysql, "PREPARE s FROM @q", true),
        (
            Dialect::Mysql,
            "PREPARE s FROM 'DELETE FROM t WHERE x = \\'a\\''",
            false,
        ),
        (Dialect::Mysql, "PREPARE s FROM 'DELETE FROM `a''b`'", true),
        (Dialect::Mysql, "/* ANALYZE */ ANALYZE DELETE FROM t", true),
        (Dialect::Postgres, "DO $$ BEGIN DELETE FROM t", true),
        (Dialect::Mysql, "DROP PREPARE s", false),
        (Dialect::Sqlite, "WITH x AS (SELECT 1) DELETE FROM t", true),
        (Dialect::Sqlite, "EXPLAIN QUERY PLAN DELETE FROM t", false),
        (Dialect::Sqlite, "EXPLAIN DELETE FROM t", false),
    ];

    #[test]
    fn wrappers_are_judged_by_what_they_run() {
        let mut wrong = Vec::new();
        for (dialect, sql, asks) in WRAPPERS {
            let got = destructive(sql, *dialect);
            if got.is_some() != *asks {
                wrong.push(format!("{dialect:?} {sql}: {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn executing_a_prepared_destructive_statement_asks() {
        for (dialect, prepare, execute, dealloc) in [
            (
                Dialect::Postgres,
                "PREPARE Wipe AS DELETE FROM t",
                "EXECUTE wipe",
                "DEALLOCATE wipe",
            ),
            (
                Dialect::Mysql,
                "PREPARE wipe FROM 'TRUNCATE t'",
                "EXECUTE wipe",
                "DEALLOCATE PREPARE wipe",
            ),
        ] {
            let mut p = Prepared::default();
            assert_eq!(p.destructive(execute, dialect), None, "unknown name");
            p.note(prepare, dialect);
            p.note("PREPARE fine AS SELECT 1", dialect);
            assert!(p.destructive(execute, dialect).is_some(), "{dialect:?}");
            assert_eq!(p.destructive("EXECUTE fine", dialect), None);
            p.note(dealloc, dialect);
            assert_eq!(p.destructive(execute, dialect), None, "{dialect:?}");
        }
        let mut p = Prepared::default();
        p.note("PREPARE \"Q\" AS DELETE FROM t", Dialect::Postgres);
        assert_eq!(p.destructive("EXECUTE q", Dialect::Postgres), None);
        assert!(p.destructive("EXECUTE \"Q\"", Dialect::Postgres).is_some());
        p.note("DEALLOCATE ALL", Dialect::Postgres);
        assert_eq!(p.destructive("EXECUTE \"Q\"", Dialect::Postgres), None);
    }
}
