//! What the client needs to know about the SQL text it sends, without a parser: where the
//! statements of a submission begin and end, their leading keywords, and from those the
//! command tag psql would print and how the transaction state changes.
//!
//! tokio-postgres' simple-query stream reports only a row count per statement (not the
//! command tag) and not the ReadyForQuery status, so both are derived here.

use crate::db::TxState;

/// One statement of a submission, reduced to its top-level words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Upper-cased identifiers and keywords outside parentheses, in order (a bounded number).
    words: Vec<String>,
}

const MAX_WORDS: usize = 64;

/// Split `sql` into its statements as the server will see them (empty ones dropped).
pub fn split(sql: &str) -> Vec<Statement> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut nonempty = false;
    let mut depth = 0usize;
    let mut i = 0;
    let finish = |words: &mut Vec<String>, nonempty: &mut bool, out: &mut Vec<Statement>| {
        if *nonempty {
            out.push(Statement {
                words: std::mem::take(words),
            });
        }
        words.clear();
        *nonempty = false;
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest in PostgreSQL.
                let mut level = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        level += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        level -= 1;
                        i += 2;
                        if level == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' => {
                nonempty = true;
                // E'...' strings allow backslash escapes.
                let escapes = i > 0
                    && matches!(b[i - 1], b'e' | b'E')
                    && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
                i = skip_quoted(b, i, b'\'', escapes);
                continue;
            }
            b'"' => {
                nonempty = true;
                i = skip_quoted(b, i, b'"', false);
                continue;
            }
            b'$' => {
                nonempty = true;
                if let Some(end) = skip_dollar(b, i) {
                    i = end;
                    continue;
                }
                i += 1;
                continue;
            }
            b'(' | b'[' => {
                nonempty = true;
                depth += 1;
            }
            b')' | b']' => {
                nonempty = true;
                depth = depth.saturating_sub(1);
            }
            b';' if depth == 0 => {
                finish(&mut words, &mut nonempty, &mut out);
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                nonempty = true;
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                if depth == 0 && words.len() < MAX_WORDS {
                    words.push(sql[start..i].to_ascii_uppercase());
                }
                continue;
            }
            c if c.is_ascii_whitespace() => {}
            _ => nonempty = true,
        }
        i += 1;
    }
    finish(&mut words, &mut nonempty, &mut out);
    out
}

/// Index just past a quoted string or identifier starting at `start` (unterminated: the end).
fn skip_quoted(b: &[u8], start: usize, quote: u8, escapes: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// Index just past a dollar-quoted string (`$tag$ … $tag$`) starting at `start`, if it is one.
fn skip_dollar(b: &[u8], start: usize) -> Option<usize> {
    // A `$` right after an identifier character is part of that identifier, not a quote.
    if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
        return None;
    }
    let mut j = start + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        if j == start + 1 && b[j].is_ascii_digit() {
            return None; // `$1` is a parameter
        }
        j += 1;
    }
    if b.get(j) != Some(&b'$') {
        return None;
    }
    let tag = &b[start..=j];
    let body = j + 1;
    let mut k = body;
    while k + tag.len() <= b.len() {
        if &b[k..k + tag.len()] == tag {
            return Some(k + tag.len());
        }
        k += 1;
    }
    Some(b.len())
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
    /// reported and the transaction state before it ran.
    pub fn tag(&self, rows: u64, before: TxState) -> String {
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
            "COMMIT" | "END" if before == TxState::Failed => "ROLLBACK".into(),
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

    /// The transaction state after this statement succeeded, from the state before it.
    pub fn after_success(&self, before: TxState) -> TxState {
        let first = self.word(0);
        let rest = &self.words[1.min(self.words.len())..];
        let chain = self.has("CHAIN")
            && !self
                .words
                .windows(2)
                .any(|w| w[0] == "NO" && w[1] == "CHAIN");
        match first {
            "BEGIN" | "START" => TxState::InTransaction,
            "ROLLBACK" | "ABORT" if rest.iter().any(|w| w == "TO") => match before {
                TxState::Idle => TxState::Idle,
                _ => TxState::InTransaction,
            },
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" if self.word(1) == "PREPARED" => before,
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" if chain && before != TxState::Idle => {
                TxState::InTransaction
            }
            "COMMIT" | "END" | "ROLLBACK" | "ABORT" => TxState::Idle,
            "PREPARE" if self.word(1) == "TRANSACTION" => TxState::Idle,
            _ => before,
        }
    }
}

/// The transaction state after a statement failed: an error inside a transaction block
/// aborts it; outside one, the implicit transaction is simply gone.
pub fn after_error(before: TxState) -> TxState {
    match before {
        TxState::Idle => TxState::Idle,
        TxState::InTransaction | TxState::Failed => TxState::Failed,
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
        one(sql).tag(rows, TxState::Idle)
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
        assert_eq!(one("commit").tag(0, TxState::Failed), "ROLLBACK");
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

    #[test]
    fn transaction_state_follows_statements() {
        use TxState::*;
        assert_eq!(one("begin").after_success(Idle), InTransaction);
        assert_eq!(
            one("START TRANSACTION ISOLATION LEVEL SERIALIZABLE").after_success(Idle),
            InTransaction
        );
        assert_eq!(one("commit").after_success(InTransaction), Idle);
        assert_eq!(one("rollback").after_success(Failed), Idle);
        assert_eq!(
            one("rollback to savepoint a").after_success(Failed),
            InTransaction
        );
        assert_eq!(
            one("ROLLBACK TRANSACTION TO a").after_success(Failed),
            InTransaction
        );
        assert_eq!(
            one("commit and chain").after_success(InTransaction),
            InTransaction
        );
        assert_eq!(
            one("commit and no chain").after_success(InTransaction),
            Idle
        );
        assert_eq!(one("select 1").after_success(InTransaction), InTransaction);
        assert_eq!(after_error(InTransaction), Failed);
        assert_eq!(after_error(Idle), Idle);
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
