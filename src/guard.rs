//! Statement safety checks, pure functions over SQL text: which statements destroy data
//! (so the session asks first).
//!
//! Destructive statements are recognised from sqlparser's parse tree, not by grepping for
//! words, so `UPDATE t SET x = 1 WHERE id = 3` or a string containing 'drop' never asks.
//! When sqlparser cannot parse a statement (it does not know every dialect's corners), the
//! fallback (`sql::facts`) looks at its words only, erring on the side of asking.
//!
//! Wrappers (a data-modifying CTE, `EXPLAIN ANALYZE`, `PREPARE`/`EXECUTE`, `DO`, `CALL`)
//! are seen through in `wrappers`.

mod wrappers;

pub use wrappers::Prepared;

use sqlparser::ast::Statement;
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};

use crate::sql::Dialect;

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

/// The word-level rules, for text no parser understands.
fn destructive_by_words(sql: &str, dialect: Dialect) -> Option<String> {
    crate::sql::facts::destructive_by_words(sql, dialect).map(String::from)
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
        }
    }
}
