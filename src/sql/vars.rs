//! psql variable interpolation in SQL text: `:name` (the value as is), `:'name'` (as a
//! string literal), `:"name"` (as a quoted identifier), `:{?name}` (TRUE or FALSE: whether
//! it is set). Only where the lexer sees a variable reference: never inside strings, quoted
//! names, comments or dollar bodies, never in a `::` cast. An unset variable is left as
//! written, as psql does.

use super::dialect::{Dialect, LexState};
use super::lex::{Kind, Lexer};

/// `sql` with its variable references replaced; `lookup` gives a variable's value.
pub fn interpolate(sql: &str, state: &LexState, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut from = 0;
    for t in Lexer::new(sql, state).filter(|t| t.kind == Kind::Variable) {
        let reference = t.text(sql);
        let body = &reference[1..];
        let replacement =
            if let Some(name) = body.strip_prefix("{?").and_then(|b| b.strip_suffix('}')) {
                Some(
                    if lookup(name).is_some() {
                        "TRUE"
                    } else {
                        "FALSE"
                    }
                    .to_string(),
                )
            } else if let Some(name) = body.strip_prefix('\'').and_then(|b| b.strip_suffix('\'')) {
                lookup(name).map(|v| quote_literal(&v, state))
            } else if let Some(name) = body.strip_prefix('"').and_then(|b| b.strip_suffix('"')) {
                lookup(name).map(|v| quote_ident(&v, state))
            } else {
                lookup(body)
            };
        if let Some(r) = replacement {
            out.push_str(&sql[from..t.start]);
            out.push_str(&r);
            from = t.end;
        }
    }
    out.push_str(&sql[from..]);
    out
}

/// A string literal holding `value`, as the dialect reads it back. PostgreSQL: a value
/// with backslashes becomes ` E'…'` (leading space, as libpq writes it) so that it means
/// the same whatever `standard_conforming_strings` says.
pub fn quote_literal(value: &str, state: &LexState) -> String {
    let doubled = value.replace('\'', "''");
    match state.dialect {
        Dialect::Postgres if value.contains('\\') => {
            format!(" E'{}'", doubled.replace('\\', "\\\\"))
        }
        Dialect::Mysql if state.backslash_in_strings() => {
            format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
        }
        _ => format!("'{doubled}'"),
    }
}

/// A quoted identifier naming `value`.
pub fn quote_ident(value: &str, state: &LexState) -> String {
    if state.dialect == Dialect::Mysql && !state.ansi_quotes {
        format!("`{}`", value.replace('`', "``"))
    } else {
        format!("\"{}\"", value.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: Dialect, sql: &str) -> String {
        let lookup = |name: &str| match name {
            "t" => Some("users".to_string()),
            "v" => Some("O'Brien".to_string()),
            "b" => Some("a\\b".to_string()),
            "q" => Some("we\"ird".to_string()),
            _ => None,
        };
        interpolate(sql, &LexState::new(d), &lookup)
    }

    #[rustfmt::skip]
    #[test]
    fn variables_are_replaced_only_where_psql_replaces_them() {
        use Dialect::*;
        let cases = [
            (Postgres, "select * from :t", "select * from users"),
            (Postgres, "select :'v'", "select 'O''Brien'"),
            (Postgres, "select :'b'", "select  E'a\\\\b'"),
            (Postgres, "select * from :\"q\"", "select * from \"we\"\"ird\""),
            (Postgres, "select :{?t}, :{?nope}", "select TRUE, FALSE"),
            // Unset: left as written.
            (Postgres, "select :nope, :'nope', :\"nope\"", "select :nope, :'nope', :\"nope\""),
            // Not in strings, quoted names, comments, dollar bodies or casts.
            (Postgres, "select ':t', \":t\", $$ :t $$ -- :t", "select ':t', \":t\", $$ :t $$ -- :t"),
            (Postgres, "select /* :t */ x::t", "select /* :t */ x::t"),
            (Postgres, "select a[1:2]", "select a[1:2]"),
            (Mysql, "select :'b', :\"q\"", "select 'a\\\\b', `we\"ird`"),
            (Sqlite, "select :'v' from :\"t\"", "select 'O''Brien' from \"users\""),
        ];
        for (d, sql, want) in cases {
            assert_eq!(run(d, sql), want, "{d:?} {sql}");
        }
    }
}
