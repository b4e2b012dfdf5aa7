//! Statement safety checks, pure functions over SQL text: which statements destroy data
//! (so the session asks first) and which carry secrets (so history never stores them).
//!
//! Destructive statements are recognised from sqlparser's parse tree, not by grepping for
//! words, so `UPDATE t SET x = 1 WHERE id = 3` or a string containing 'drop' never asks.
//! When sqlparser cannot parse a statement (it does not know every dialect's corners), the
//! fallback looks at its leading tokens only, erring on the side of asking.
//!
//! Wrappers (a data-modifying CTE, `EXPLAIN ANALYZE`, `PREPARE`/`EXECUTE`, `DO`, `CALL`)
//! are seen through in `wrappers`.

mod wrappers;

pub use wrappers::Prepared;

use sqlparser::ast::Statement;
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::catalog::Dialect;

fn sql_dialect(d: Dialect) -> Box<dyn SqlDialect> {
    match d {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    }
}

/// Why `sql` is destructive (`"DROP"`, `"DELETE without WHERE"`, …), or None. Knows no
/// prepared statements: a session uses `Prepared::destructive`.
pub fn destructive(sql: &str, dialect: Dialect) -> Option<String> {
    Prepared::default().destructive(sql, dialect)
}

/// The name of an enum variant from its Debug form (`DropFunction(…)` -> `DropFunction`),
/// so that every present and future `Drop…` statement counts.
fn variant_name<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    s.chars().take_while(|c| c.is_alphanumeric()).collect()
}

fn destructive_statement(s: &Statement) -> Option<String> {
    match s {
        Statement::Truncate { .. } => Some("TRUNCATE".into()),
        Statement::Delete(d) if d.selection.is_none() => Some("DELETE without WHERE".into()),
        Statement::Update(u) if u.selection.is_none() => Some("UPDATE without WHERE".into()),
        Statement::AlterTable(a) => a
            .operations
            .iter()
            .find(|op| variant_name(op).starts_with("Drop"))
            .map(|_| "ALTER … DROP".into()),
        other => {
            let name = variant_name(other);
            name.starts_with("Drop").then(|| "DROP".into())
        }
    }
}

fn destructive_by_tokens(sql: &str, d: &dyn SqlDialect) -> Option<String> {
    let tokens = Tokenizer::new(d, sql).tokenize().ok()?;
    let words: Vec<String> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
        .collect();
    let first = words.first()?.as_str();
    let has = |w: &str| words.iter().any(|x| x == w);
    match first {
        "DROP" => Some("DROP".into()),
        "TRUNCATE" => Some("TRUNCATE".into()),
        "DELETE" if !has("WHERE") => Some("DELETE without WHERE".into()),
        "UPDATE" if !has("WHERE") => Some("UPDATE without WHERE".into()),
        "ALTER" if has("DROP") => Some("ALTER … DROP".into()),
        _ => None,
    }
}

/// Whether `sql` sets or carries a password (`ALTER USER … PASSWORD`, `CREATE USER …
/// IDENTIFIED BY`, `SET PASSWORD`, `GRANT … IDENTIFIED BY`): such text stays out of history.
pub fn carries_secret(sql: &str) -> bool {
    let mut words = Vec::new();
    let mut word = String::new();
    // Plain word scan: conservative on purpose (a false positive only skips history).
    for c in sql.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == '\\' {
            word.push(c.to_ascii_uppercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    let mentions_secret = has("PASSWORD") || has("IDENTIFIED");
    words.windows(2).any(|pair| {
        matches!(
            (pair[0].as_str(), pair[1].as_str()),
            ("ALTER" | "CREATE", "USER" | "ROLE") | ("SET", "PASSWORD")
        )
    }) && mentions_secret
        || words.iter().any(|w| w == "GRANT") && has("IDENTIFIED")
        || words.iter().any(|w| w == "\\PASSWORD")
        || crate::secret::mask(sql) != sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(sql: &str) -> Option<String> {
        destructive(sql, Dialect::Postgres)
    }

    #[test]
    fn destructive_statements_are_recognised() {
        assert_eq!(d("DROP TABLE users").as_deref(), Some("DROP"));
        assert_eq!(d("drop index if exists i").as_deref(), Some("DROP"));
        assert_eq!(d("DROP FUNCTION f(int)").as_deref(), Some("DROP"));
        assert_eq!(d("TRUNCATE orders").as_deref(), Some("TRUNCATE"));
        assert_eq!(d("DELETE FROM t").as_deref(), Some("DELETE without WHERE"));
        assert_eq!(
            d("update t set x = 1").as_deref(),
            Some("UPDATE without WHERE")
        );
        assert_eq!(
            d("ALTER TABLE t DROP COLUMN c").as_deref(),
            Some("ALTER … DROP")
        );
        assert_eq!(
            destructive("DELETE FROM t LIMIT 5", Dialect::Mysql).as_deref(),
            Some("DELETE without WHERE")
        );
    }

    #[test]
    fn safe_statements_never_ask() {
        for sql in [
            "UPDATE t SET x = 1 WHERE id = 3",
            "DELETE FROM t WHERE id = 3",
            "SELECT 'drop table users'",
            "INSERT INTO log VALUES ('truncate')",
            "ALTER TABLE t ADD COLUMN drop_me int",
            "CREATE TABLE dropped (x int)",
            "SELECT * FROM \"drop\"",
        ] {
            assert_eq!(d(sql), None, "{sql}");
        }
    }

    #[test]
    fn unparseable_statements_fall_back_to_leading_tokens() {
        // sqlparser may not know every corner; the fallback still catches the verb.
        assert_eq!(
            destructive(
                "DROP TABLE t CASCADE CONSTRAINTS PURGE WITH EXTRA",
                Dialect::Sqlite
            )
            .as_deref(),
            Some("DROP")
        );
        assert_eq!(destructive("selec 1", Dialect::Sqlite), None);
        assert_eq!(destructive("'unterminated", Dialect::Sqlite), None);
    }

    #[test]
    fn secrets_are_recognised() {
        assert!(carries_secret("ALTER USER bob PASSWORD 'hunter2'"));
        assert!(carries_secret("alter role bob with password 'x'"));
        assert!(carries_secret("CREATE USER 'u'@'%' IDENTIFIED BY 'pw'"));
        assert!(carries_secret("SET PASSWORD FOR 'u' = PASSWORD('pw')"));
        assert!(carries_secret("GRANT ALL ON *.* TO u IDENTIFIED BY 'pw'"));
        assert!(!carries_secret("select password from users"));
        assert!(!carries_secret("ALTER USER bob RENAME TO rob"));
        assert!(carries_secret("\\c postgres://u:pw@h/db"));
        assert!(carries_secret("\\c host=h password=pw"));
        assert!(!carries_secret("\\c postgres://u@h/db"));
    }

    #[test]
    fn never_panics() {
        for s in [
            "",
            ";",
            "'",
            "DROP",
            "\u{0}",
            "🦀 drop",
            "update",
            "$$",
            "alter table",
        ] {
            for dl in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
                let _ = destructive(s, dl);
            }
            let _ = carries_secret(s);
        }
    }
}
