//! Which tables or views a schema-changing statement touches, when its text says so
//! plainly: `CREATE TABLE s.t`, `ALTER TABLE t …`, `DROP VIEW a, b`. The catalog loader
//! then reloads only their schema instead of the whole catalog (50,000 tables).
//!
//! Conservative: anything else, or anything that may reach into another schema (a
//! qualified name elsewhere in the statement, `CASCADE`, `SET SCHEMA`, a temporary table,
//! a three-part name), is `Touched::Everything`.

use super::dialect::{Dialect, LexState};
use super::lex::{Kind, Lexer, Token};

/// What a statement changes, as far as its text tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// These relations: (schema if written, name), as the server folds them. `creates`:
    /// made by the statement (an unqualified one lands in the current schema).
    Relations {
        creates: bool,
        names: Vec<(Option<String>, String)>,
    },
    /// Anything may have changed: reload everything.
    Everything,
}

/// A significant token: its kind and text.
type Tok<'a> = (Kind, &'a str);

/// The relations `sql` (one statement) touches; see the module doc.
pub fn touched(sql: &str, dialect: Dialect) -> Touched {
    let state = LexState::new(dialect);
    let toks: Vec<Tok> = Lexer::new(sql, &state)
        .filter(|t: &Token| !t.is_blank() && t.kind != Kind::ExecComment)
        .map(|t| (t.kind, t.text(sql)))
        .collect();
    read(&toks, dialect).unwrap_or(Touched::Everything)
}

fn is_word(t: Option<&Tok>, w: &str) -> bool {
    t.is_some_and(|(k, s)| *k == Kind::Word && s.eq_ignore_ascii_case(w))
}

fn read(toks: &[Tok], dialect: Dialect) -> Option<Touched> {
    let w = |i: usize, s: &str| is_word(toks.get(i), s);
    let mut i = 1;
    let creates = if w(0, "CREATE") {
        if w(i, "OR") && w(i + 1, "REPLACE") {
            i += 2;
        }
        true
    } else if w(0, "ALTER") || w(0, "DROP") {
        false
    } else {
        return None;
    };
    // Temporary tables live in a per-session schema: not worth telling apart.
    if creates && w(i, "UNLOGGED") {
        i += 1;
    }
    if w(i, "MATERIALIZED") {
        i += 1;
    }
    if !(w(i, "TABLE") || w(i, "VIEW")) {
        return None;
    }
    i += 1;
    if w(i, "IF") {
        i += if w(i + 1, "NOT") { 3 } else { 2 };
    }
    if !creates && w(i, "ONLY") {
        i += 1;
    }
    let mut names = Vec::new();
    loop {
        let (name, next) = object_name(toks, i, dialect)?;
        names.push(name);
        i = next;
        // Only DROP lists several.
        if w(0, "DROP") && toks.get(i).is_some_and(|t| t.1 == ",") {
            i += 1;
            continue;
        }
        break;
    }
    // What follows must stay within the same schema.
    let schema = names[0].0.clone();
    if names.iter().any(|(s, _)| *s != schema) {
        return None;
    }
    let rest = &toks[i..];
    let cascades = rest.iter().any(|t| is_word(Some(t), "CASCADE"))
        || rest
            .windows(2)
            .any(|p| is_word(Some(&p[0]), "SET") && is_word(Some(&p[1]), "SCHEMA"));
    if cascades || qualified_elsewhere(rest, schema.as_deref(), dialect) {
        return None;
    }
    Some(Touched::Relations { creates, names })
}

/// A name: an unquoted word or a quoted identifier, folded as the server folds it.
fn ident(t: &Tok, dialect: Dialect) -> Option<String> {
    match t.0 {
        Kind::Word if dialect == Dialect::Postgres => Some(t.1.to_ascii_lowercase()),
        Kind::Word => Some(t.1.to_string()),
        // U&"…": escapes not worth decoding here.
        Kind::QuotedIdent if t.1.starts_with('U') || t.1.starts_with('u') => None,
        Kind::QuotedIdent => Some(super::lex::unquote(t.1, &LexState::new(dialect))),
        _ => None,
    }
}

/// `name` or `schema.name` at `i`; a three-part name is not understood.
fn object_name(
    toks: &[Tok],
    i: usize,
    dialect: Dialect,
) -> Option<((Option<String>, String), usize)> {
    let first = ident(toks.get(i)?, dialect)?;
    if toks.get(i + 1).is_some_and(|t| t.1 == ".") {
        let second = ident(toks.get(i + 2)?, dialect)?;
        if toks.get(i + 3).is_some_and(|t| t.1 == ".") {
            return None;
        }
        return Some(((Some(first), second), i + 3));
    }
    Some(((None, first), i + 1))
}

/// Some `x.y` in `rest` names schema `x` other than `schema` (or any schema when the
/// touched name was unqualified). `alias.column` inside a view body counts too: erring
/// on the side of a full reload costs time, never a stale name.
fn qualified_elsewhere(rest: &[Tok], schema: Option<&str>, dialect: Dialect) -> bool {
    rest.windows(3).any(|t| {
        t[1].1 == "."
            && matches!(t[0].0, Kind::Word | Kind::QuotedIdent)
            && matches!(t[2].0, Kind::Word | Kind::QuotedIdent)
            && ident(&t[0], dialect).as_deref() != schema.or(Some("\0"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn rels(creates: bool, names: &[(Option<&str>, &str)]) -> Touched {
        Touched::Relations {
            creates,
            names: names
                .iter()
                .map(|(s, n)| (s.map(str::to_string), n.to_string()))
                .collect(),
        }
    }

    #[test]
    fn plain_table_and_view_statements_name_what_they_touch() {
        let cases = [
            ("CREATE TABLE s.t (a int)", rels(true, &[(Some("s"), "t")])),
            ("create table T (a int)", rels(true, &[(None, "t")])),
            (
                "CREATE TABLE IF NOT EXISTS \"S\".\"T\" (a int REFERENCES \"S\".u)",
                rels(true, &[(Some("S"), "T")]),
            ),
            (
                "create or replace view v as select a from t",
                rels(true, &[(None, "v")]),
            ),
            (
                "CREATE MATERIALIZED VIEW s.m AS SELECT 1",
                rels(true, &[(Some("s"), "m")]),
            ),
            (
                "alter table if exists only s.t add column b int",
                rels(false, &[(Some("s"), "t")]),
            ),
            ("ALTER TABLE t RENAME TO u", rels(false, &[(None, "t")])),
            (
                "drop table if exists s.a, s.b",
                rels(false, &[(Some("s"), "a"), (Some("s"), "b")]),
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(touched(sql, Postgres), want, "{sql}");
        }
        assert_eq!(
            touched("CREATE TABLE `Db`.`T` (a int)", Mysql),
            rels(true, &[(Some("Db"), "T")])
        );
        // A doubled quote inside a quoted name is one quote.
        assert_eq!(
            touched("CREATE TABLE \"a\"\"b\".\"c\" (a int)", Postgres),
            rels(true, &[(Some("a\"b"), "c")])
        );
        assert_eq!(
            touched("DROP TABLE `a``b`.t", Mysql),
            rels(false, &[(Some("a`b"), "t")])
        );
    }

    #[test]
    fn anything_that_may_reach_further_reloads_everything() {
        for sql in [
            "CREATE SCHEMA s",
            "CREATE TEMP TABLE t (a int)",
            "CREATE INDEX ON s.t (a)",
            "DROP TABLE s.t CASCADE",
            "DROP TABLE a.t, b.t",
            "DROP TABLE t, s.u",
            "ALTER TABLE s.t SET SCHEMA o",
            "ALTER TABLE t RENAME TO o.t",
            "CREATE VIEW s.v AS SELECT * FROM o.t",
            "CREATE TABLE d.s.t (a int)",
            "SET search_path = s",
            "USE db",
            "RENAME TABLE a TO b",
            "SELECT 1 INTO t",
            "",
        ] {
            assert_eq!(touched(sql, Postgres), Touched::Everything, "{sql}");
        }
    }
}
