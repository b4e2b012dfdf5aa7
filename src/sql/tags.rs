//! PostgreSQL command tags and transaction transitions, from a statement's words.
//!
//! tokio-postgres' simple-query stream reports only a row count per statement (not the
//! command tag) and not the ReadyForQuery status, so the PostgreSQL backend derives both
//! from the text it sent, statement by statement.

use super::dialect::{Dialect, LexState};
use super::facts::top_words;
use super::split::{Piece, Splitter};

/// One statement of a submission, reduced to its top-level words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Upper-cased identifiers and keywords outside parentheses, in order (a bounded number).
    words: Vec<String>,
}

const MAX_WORDS: usize = 64;

/// How a statement that succeeded moves the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxEffect {
    /// BEGIN, START TRANSACTION.
    Opens,
    /// COMMIT, ROLLBACK, PREPARE TRANSACTION.
    Closes,
    /// COMMIT AND CHAIN: a new transaction follows when one was open.
    Chains,
    /// ROLLBACK TO SAVEPOINT: a failed transaction is usable again.
    ToSavepoint,
    Keeps,
}

/// The statements of `sql` as the server will see them (empty ones dropped).
pub fn split(sql: &str) -> Vec<Statement> {
    let state = LexState::new(Dialect::Postgres);
    Splitter::new(Dialect::Postgres)
        .split(sql)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Sql { text, .. } => Some(Statement {
                words: top_words(&text, &state, MAX_WORDS),
            }),
            _ => None,
        })
        .collect()
}

impl Statement {
    fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or("", String::as_str)
    }

    pub(super) fn has(&self, w: &str) -> bool {
        self.words.iter().any(|x| x == w)
    }

    /// The statement that decides the tag: for `WITH … INSERT`, the INSERT.
    fn main_keyword(&self) -> &str {
        if self.word(0) == "WITH" {
            for w in &self.words[1..] {
                if matches!(
                    w.as_str(),
                    "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "VALUES" | "TABLE"
                ) {
                    return w;
                }
            }
            return "SELECT";
        }
        self.word(0)
    }

    /// Whether the statement may produce rows, so that asking for column types is worth it.
    pub fn may_return_rows(&self) -> bool {
        matches!(
            self.word(0),
            "SELECT" | "WITH" | "VALUES" | "TABLE" | "SHOW" | "EXPLAIN" | "FETCH"
        ) || (matches!(self.word(0), "INSERT" | "UPDATE" | "DELETE" | "MERGE")
            && self.has("RETURNING"))
    }

    /// `COPY … FROM STDIN` / `TO STDOUT` switch the protocol into copy mode, which the
    /// simple-query stream cannot carry.
    pub fn is_copy_stdio(&self) -> bool {
        self.word(0) == "COPY" && (self.has("STDIN") || self.has("STDOUT"))
    }

    /// The command tag psql prints for this statement, given the row count the server
    /// reported and whether the transaction had failed before it ran.
    pub fn tag(&self, rows: u64, failed_before: bool) -> String {
        let first = self.word(0);
        let second = self.word(1);
        match self.main_keyword() {
            "INSERT" => return format!("INSERT 0 {rows}"),
            kw @ ("UPDATE" | "DELETE" | "MERGE" | "SELECT" | "FETCH" | "MOVE" | "COPY") => {
                return format!("{kw} {rows}")
            }
            "VALUES" | "TABLE" => return format!("SELECT {rows}"),
            _ => {}
        }
        match first {
            "BEGIN" => "BEGIN".into(),
            "START" => "START TRANSACTION".into(),
            "COMMIT" | "END" if second == "PREPARED" => "COMMIT PREPARED".into(),
            // COMMIT of a failed transaction rolls it back, and the server says so.
            "COMMIT" | "END" if failed_before => "ROLLBACK".into(),
            "COMMIT" | "END" => "COMMIT".into(),
            "ROLLBACK" if second == "PREPARED" => "ROLLBACK PREPARED".into(),
            "ROLLBACK" | "ABORT" => "ROLLBACK".into(),
            "PREPARE" if second == "TRANSACTION" => "PREPARE TRANSACTION".into(),
            "SET" if second == "CONSTRAINTS" => "SET CONSTRAINTS".into(),
            "TRUNCATE" => "TRUNCATE TABLE".into(),
            "LOCK" => "LOCK TABLE".into(),
            "DECLARE" => "DECLARE CURSOR".into(),
            "CLOSE" if second == "ALL" => "CLOSE CURSOR ALL".into(),
            "CLOSE" => "CLOSE CURSOR".into(),
            "DEALLOCATE" if self.has("ALL") => "DEALLOCATE ALL".into(),
            "DISCARD" => format!("DISCARD {second}"),
            "GRANT" | "REVOKE" if !self.has("ON") => format!("{first} ROLE"),
            "REFRESH" => "REFRESH MATERIALIZED VIEW".into(),
            "IMPORT" => "IMPORT FOREIGN SCHEMA".into(),
            "REASSIGN" => "REASSIGN OWNED".into(),
            "SECURITY" => "SECURITY LABEL".into(),
            "ANALYSE" => "ANALYZE".into(),
            "CREATE" => self.create_tag(rows),
            "DROP" | "ALTER" => format!("{first} {}", self.object(1)),
            "" => String::new(),
            // EXECUTE and the rest: the keyword, with the count when there is one.
            other if rows > 0 => format!("{other} {rows}"),
            other => other.to_string(),
        }
    }

    fn create_tag(&self, rows: u64) -> String {
        let mut i = 1;
        while matches!(
            self.word(i),
            "OR" | "REPLACE"
                | "TEMP"
                | "TEMPORARY"
                | "UNLOGGED"
                | "GLOBAL"
                | "LOCAL"
                | "UNIQUE"
                | "DEFAULT"
                | "TRUSTED"
                | "PROCEDURAL"
                | "RECURSIVE"
                | "CONSTRAINT"
        ) {
            i += 1;
        }
        let object = self.object(i);
        // CREATE TABLE … AS and materialized views report the rows they stored.
        if (object == "TABLE" && self.has("AS")) || object == "MATERIALIZED VIEW" {
            return format!("SELECT {rows}");
        }
        format!("CREATE {object}")
    }

    /// The object type named at word `i` (`TABLE`, `FOREIGN TABLE`, `ROLE` for USER, …).
    fn object(&self, i: usize) -> String {
        let w = self.word(i);
        let two = |n: usize| {
            (i..i + n)
                .map(|k| self.word(k))
                .collect::<Vec<_>>()
                .join(" ")
        };
        match w {
            "USER" if self.word(i + 1) == "MAPPING" => two(2),
            "USER" | "GROUP" => "ROLE".into(),
            "FOREIGN" if self.word(i + 1) == "DATA" => two(3),
            "TEXT" => two(3),
            "FOREIGN" | "MATERIALIZED" | "EVENT" | "ACCESS" | "DEFAULT" => two(2),
            "OPERATOR" if matches!(self.word(i + 1), "CLASS" | "FAMILY") => two(2),
            other => other.to_string(),
        }
    }

    /// How this statement, having succeeded, moves the transaction.
    pub fn effect(&self) -> TxEffect {
        let first = self.word(0);
        let chain = self.has("CHAIN")
            && !self
                .words
                .windows(2)
                .any(|w| w[0] == "NO" && w[1] == "CHAIN");
        match first {
            "BEGIN" | "START" => TxEffect::Opens,
            "ROLLBACK" | "ABORT" if self.words[1..].iter().any(|w| w == "TO") => {
                TxEffect::ToSavepoint
            }
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" if self.word(1) == "PREPARED" => {
                TxEffect::Keeps
            }
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" if chain => TxEffect::Chains,
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" => TxEffect::Closes,
            "PREPARE" if self.word(1) == "TRANSACTION" => TxEffect::Closes,
            _ => TxEffect::Keeps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> Statement {
        let mut v = split(sql);
        assert_eq!(v.len(), 1, "{sql}: {v:?}");
        v.remove(0)
    }

    fn tag(sql: &str, rows: u64) -> String {
        one(sql).tag(rows, false)
    }

    #[test]
    fn splits_outside_quotes_comments_and_parens() {
        assert_eq!(split("select 1; select 2").len(), 2);
        assert_eq!(
            split("select ';'; -- a;b\n select $$;$$; select $f$ $$ ; $f$").len(),
            3
        );
        assert_eq!(
            split("select 'it''s;'; /* ; /* ; */ ; */ select \"a;\"").len(),
            2
        );
        assert_eq!(split(";; -- only a comment\n").len(), 0);
        assert_eq!(split("select E'\\';'").len(), 1);
        assert_eq!(
            split("create rule r as on insert to t do also (select 1; select 2)").len(),
            1
        );
        assert_eq!(split("select $1; select a$b").len(), 2);
    }

    #[test]
    fn tags_as_psql_prints_them() {
        assert_eq!(tag("insert into t values (1),(2),(3)", 3), "INSERT 0 3");
        assert_eq!(tag("update t set a = 1", 7), "UPDATE 7");
        assert_eq!(tag("delete from t", 0), "DELETE 0");
        assert_eq!(tag("create table t (a int)", 0), "CREATE TABLE");
        assert_eq!(tag("create temp table t (a int)", 0), "CREATE TABLE");
        assert_eq!(tag("create table t as select 1", 1), "SELECT 1");
        assert_eq!(tag("select * into t2 from t", 5), "SELECT 5");
        assert_eq!(tag("create unique index i on t (a)", 0), "CREATE INDEX");
        assert_eq!(
            tag(
                "create or replace function f() returns int as $$select 1$$ language sql",
                0
            ),
            "CREATE FUNCTION"
        );
        assert_eq!(tag("create materialized view v as select 1", 1), "SELECT 1");
        assert_eq!(tag("create user bob", 0), "CREATE ROLE");
        assert_eq!(tag("drop table if exists t", 0), "DROP TABLE");
        assert_eq!(tag("drop foreign table t", 0), "DROP FOREIGN TABLE");
        assert_eq!(tag("alter table t add column b int", 0), "ALTER TABLE");
        assert_eq!(
            tag("with x as (select 1) insert into t select * from x", 1),
            "INSERT 0 1"
        );
        assert_eq!(
            tag("with x as (delete from t returning 1) select 1", 0),
            "SELECT 0"
        );
        assert_eq!(tag("begin", 0), "BEGIN");
        assert_eq!(tag("start transaction", 0), "START TRANSACTION");
        assert_eq!(tag("end", 0), "COMMIT");
        assert_eq!(one("commit").tag(0, true), "ROLLBACK");
        assert_eq!(tag("set search_path = x", 0), "SET");
        assert_eq!(tag("truncate t", 0), "TRUNCATE TABLE");
        assert_eq!(tag("grant select on t to public", 0), "GRANT");
        assert_eq!(tag("grant r to u", 0), "GRANT ROLE");
        assert_eq!(tag("do $$begin raise notice 'x'; end$$", 0), "DO");
        assert_eq!(tag("vacuum", 0), "VACUUM");
        assert_eq!(tag("copy t from '/x'", 4), "COPY 4");
        assert_eq!(tag("values (1)", 1), "SELECT 1");
        assert_eq!(tag("declare c cursor for select 1", 0), "DECLARE CURSOR");
    }

    #[rustfmt::skip]
    #[test]
    fn transaction_effects_follow_statements() {
        use TxEffect::*;
        let cases = [
            ("begin", Opens),
            ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", Opens),
            ("commit", Closes),
            ("rollback", Closes),
            ("rollback to savepoint a", ToSavepoint),
            ("ROLLBACK TRANSACTION TO a", ToSavepoint),
            ("commit and chain", Chains),
            ("commit and no chain", Closes),
            ("commit prepared 'x'", Keeps),
            ("prepare transaction 'x'", Closes),
            ("select 1", Keeps),
        ];
        for (sql, want) in cases {
            assert_eq!(one(sql).effect(), want, "{sql}");
        }
    }

    #[test]
    fn row_returning_and_copy() {
        assert!(one("select 1").may_return_rows());
        assert!(one("insert into t values (1) returning *").may_return_rows());
        assert!(!one("insert into t values (1)").may_return_rows());
        assert!(one("copy t to stdout").is_copy_stdio());
        assert!(!one("copy t to '/tmp/x'").is_copy_stdio());
    }
}
