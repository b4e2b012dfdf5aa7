//! What the rest of the program asks of a statement's text, in one place: its leading
//! words, whether it quits, may change the schema, the database or rows, carries a secret,
//! is destructive (the guard's fallback), is a COPY over the client connection, or sets
//! `standard_conforming_strings`. All from `lex` tokens, so text in strings, quoted names
//! and comments never counts. PostgreSQL command tags live in `tags`.

use super::dialect::{Dialect, LexState};
use super::lex::{Kind, Lexer, Token};

/// The tokens that carry meaning, lazily: no blanks, no comments.
fn significant<'a>(sql: &'a str, state: &LexState) -> impl Iterator<Item = (Kind, &'a str)> {
    Lexer::new(sql, state)
        .filter(|t: &Token| !t.is_blank() && t.kind != Kind::ExecComment)
        .map(move |t| (t.kind, t.text(sql)))
}

/// Upper-cased words outside parentheses, in order, at most `max` (code in MySQL
/// executable comments counts; strings, quoted names and comments do not).
pub fn top_words(sql: &str, state: &LexState, max: usize) -> Vec<String> {
    let mut depth = 0usize;
    let mut words = Vec::new();
    for (kind, text) in significant(sql, state) {
        match (kind, text) {
            (Kind::Punct, "(") => depth += 1,
            (Kind::Punct, ")") => depth = depth.saturating_sub(1),
            (Kind::Word, w) if depth == 0 => {
                words.push(w.to_ascii_uppercase());
                if words.len() >= max {
                    break;
                }
            }
            _ => {}
        }
    }
    words
}

/// Every unquoted word, upper-cased.
fn all_words(sql: &str, state: &LexState) -> Vec<String> {
    significant(sql, state)
        .filter(|(k, _)| *k == Kind::Word)
        .map(|(_, w)| w.to_ascii_uppercase())
        .collect()
}

fn leading(sql: &str, dialect: Dialect, n: usize) -> Vec<String> {
    top_words(sql, &LexState::new(dialect), n)
}

/// `quit` or `exit`, alone (a trailing `;` allowed).
pub fn is_quit(text: &str) -> bool {
    let w = text.trim().trim_end_matches(';').trim();
    w.eq_ignore_ascii_case("quit") || w.eq_ignore_ascii_case("exit")
}

/// Whether a statement may change what the catalog holds (DDL, `SET search_path`, `USE`,
/// PostgreSQL's `SELECT … INTO new_table`).
pub fn affects_schema(sql: &str, dialect: Dialect) -> bool {
    let words = leading(sql, dialect, 64);
    let has = |w: &str| words.iter().any(|x| x == w);
    match words.first().map_or("", String::as_str) {
        "CREATE" | "ALTER" | "DROP" | "RENAME" | "COMMENT" | "ATTACH" | "DETACH" | "USE"
        | "IMPORT" => true,
        "SET" => words
            .iter()
            .take(4)
            .any(|w| w == "SEARCH_PATH" || w == "SCHEMA"),
        "SELECT" => has("INTO"),
        _ => false,
    }
}

/// Whether a statement may have changed the current database (`USE`, `DROP DATABASE`).
pub fn may_change_database(sql: &str, dialect: Dialect) -> bool {
    all_words(sql, &LexState::new(dialect))
        .iter()
        .any(|w| w == "USE" || w == "DROP")
}

/// Whether a statement changes rows, so that a "rows affected" count means something.
pub fn changes_rows(sql: &str, dialect: Dialect) -> bool {
    matches!(
        leading(sql, dialect, 1).first().map(String::as_str),
        Some("INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "WITH")
    )
}

/// Whether text sets or carries a password (`ALTER USER … PASSWORD`, `CREATE USER …
/// IDENTIFIED BY`, `SET PASSWORD`, `GRANT … IDENTIFIED BY`, `\password`): such text stays
/// out of history. Conservative: a false positive only skips history.
pub fn carries_secret(text: &str) -> bool {
    let tokens: Vec<_> = significant(text, &LexState::new(Dialect::Postgres)).collect();
    let words: Vec<String> = tokens
        .iter()
        .filter(|(k, _)| *k == Kind::Word)
        .map(|(_, w)| w.to_ascii_uppercase())
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let mentions_secret = has("PASSWORD") || has("IDENTIFIED");
    words.windows(2).any(|pair| {
        matches!(
            (pair[0].as_str(), pair[1].as_str()),
            ("ALTER" | "CREATE", "USER" | "ROLE") | ("SET", "PASSWORD")
        )
    }) && mentions_secret
        || has("GRANT") && has("IDENTIFIED")
        || tokens
            .iter()
            .any(|(k, t)| *k == Kind::Command && t.eq_ignore_ascii_case("\\password"))
}

/// The guard's fallback when no parser understands the statement: its leading words
/// only, erring on the side of asking.
pub fn destructive_by_words(sql: &str, dialect: Dialect) -> Option<&'static str> {
    let words = all_words(sql, &LexState::new(dialect));
    let has = |w: &str| words.iter().any(|x| x == w);
    match words.first()?.as_str() {
        "DROP" => Some("DROP"),
        "TRUNCATE" => Some("TRUNCATE"),
        "DELETE" if !has("WHERE") => Some("DELETE without WHERE"),
        "UPDATE" if !has("WHERE") => Some("UPDATE without WHERE"),
        "ALTER" if has("DROP") => Some("ALTER … DROP"),
        _ => None,
    }
}

fn is_copy(sql: &str, state: &LexState, direction: &str, stream: &str) -> bool {
    // Only a COPY is read to its end.
    top_words(sql, state, 1)
        .first()
        .is_some_and(|w| w == "COPY")
        && top_words(sql, state, 64)
            .windows(2)
            .any(|w| w[0] == direction && w[1] == stream)
}

/// `COPY … FROM STDIN`: the client sends the data that follows (PostgreSQL).
pub fn is_copy_from_stdin(sql: &str, state: &LexState) -> bool {
    is_copy(sql, state, "FROM", "STDIN")
}

/// `COPY … TO STDOUT`: the server streams data to the client (PostgreSQL).
pub fn is_copy_to_stdout(sql: &str, state: &LexState) -> bool {
    is_copy(sql, state, "TO", "STDOUT")
}

/// The new value of `standard_conforming_strings` when the statement sets it (`SET
/// [SESSION|LOCAL] standard_conforming_strings = off`, `… TO DEFAULT`, `RESET …`).
pub fn sets_standard_conforming_strings(sql: &str, state: &LexState) -> Option<bool> {
    // The first few tokens decide; a long statement is not read to its end.
    let tokens: Vec<_> = significant(sql, state).take(6).collect();
    let word = |i: usize| {
        tokens
            .get(i)
            .map(|(_, t)| t.trim_matches('\'').to_ascii_lowercase())
            .unwrap_or_default()
    };
    let mut i = match word(0).as_str() {
        "reset" => return (word(1) == "standard_conforming_strings").then_some(true),
        "set" => 1,
        _ => return None,
    };
    if matches!(word(i).as_str(), "session" | "local") {
        i += 1;
    }
    if word(i) != "standard_conforming_strings" || !matches!(word(i + 1).as_str(), "=" | "to") {
        return None;
    }
    match word(i + 2).as_str() {
        "on" | "true" | "yes" | "1" | "default" => Some(true),
        "off" | "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// The new MySQL `sql_mode` when the statement sets it to a literal (`SET sql_mode =
/// 'ANSI_QUOTES'`, `SET @@SESSION.sql_mode := '…'`, mysqldump's `/*!40101 SET …, SQL_MODE =
/// '…' */`): the upper-cased mode names. A global setting or a computed value is unknown.
pub fn sets_sql_mode(sql: &str, state: &LexState) -> Option<Vec<String>> {
    let tokens: Vec<_> = significant(sql, state).take(64).collect();
    if !tokens.first()?.1.eq_ignore_ascii_case("set") {
        return None;
    }
    let at = (1..tokens.len().saturating_sub(2)).find(|&i| {
        let w = &tokens[i..i + 3];
        let before = tokens[i - 1].1;
        let global = ["global", "persist", "persist_only"]
            .iter()
            .any(|g| before.eq_ignore_ascii_case(g));
        let name = w[0].1.to_ascii_lowercase();
        let session = matches!(
            name.as_str(),
            "sql_mode" | "@@sql_mode" | "@@session.sql_mode" | "@@local.sql_mode"
        );
        !global && session && matches!(w[1].1, "=" | ":=") && w[2].0 == Kind::String
    })?;
    let literal = tokens[at + 2].1;
    let body = literal.get(1..literal.len().saturating_sub(1))?;
    Some(
        body.split(',')
            .map(|m| m.trim().to_ascii_uppercase())
            .filter(|m| !m.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    #[test]
    fn statements_are_read_by_their_words_not_their_strings() {
        assert!(is_quit("quit"));
        assert!(is_quit("EXIT;"));
        assert!(!is_quit("quite"));
        for sql in [
            "create table t (a int)",
            "/* c */ DROP TABLE x",
            "set search_path = a",
            "select * into t2 from t",
            "use db",
            "ALTER TABLE t ADD c int",
            "SET search_path = app, public",
        ] {
            assert!(affects_schema(sql, Postgres), "{sql}");
        }
        for sql in [
            "select 1",
            "select ' into ' from t",
            "select * from (select 1 into x) y",
            "insert into t values (1)",
            "set timezone = 'UTC'",
            "update t set x = 1",
        ] {
            assert!(!affects_schema(sql, Postgres), "{sql}");
        }
        assert!(may_change_database("USE foo", Mysql));
        assert!(may_change_database("drop database x", Mysql));
        assert!(!may_change_database("select used from t", Mysql));
        assert!(!may_change_database("select 'use x'", Mysql));
        assert!(changes_rows("  insert into t values (1)", Sqlite));
        assert!(changes_rows("WITH x AS (select 1) delete from t", Sqlite));
        assert!(!changes_rows("create table t (a)", Sqlite));
    }

    #[test]
    fn secrets_are_recognised() {
        assert!(carries_secret("ALTER USER bob PASSWORD 'hunter2'"));
        assert!(carries_secret("alter role bob with password 'x'"));
        assert!(carries_secret("CREATE USER 'u'@'%' IDENTIFIED BY 'pw'"));
        assert!(carries_secret("SET PASSWORD FOR 'u' = PASSWORD('pw')"));
        assert!(carries_secret("GRANT ALL ON *.* TO u IDENTIFIED BY 'pw'"));
        assert!(carries_secret("\\password bob"));
        assert!(!carries_secret("select password from users"));
        assert!(!carries_secret("ALTER USER bob RENAME TO rob"));
    }

    #[test]
    fn destructive_fallback_reads_words() {
        assert_eq!(
            destructive_by_words("DROP TABLE t PURGE", Sqlite),
            Some("DROP")
        );
        assert_eq!(
            destructive_by_words("delete from t limit 3", Mysql),
            Some("DELETE without WHERE")
        );
        assert_eq!(
            destructive_by_words("update t set a = 1 where x", Mysql),
            None
        );
        assert_eq!(destructive_by_words("'drop table t'", Sqlite), None);
        assert_eq!(destructive_by_words("selec 1", Sqlite), None);
    }

    #[rustfmt::skip]
    #[test]
    fn copy_and_string_settings() {
        let pg = LexState::new(Postgres);
        assert!(is_copy_from_stdin("COPY t (a, b) FROM stdin WITH (format csv)", &pg));
        assert!(!is_copy_from_stdin("copy t from '/tmp/x'", &pg));
        assert!(!is_copy_from_stdin("select 'copy t from stdin'", &pg));
        assert!(is_copy_to_stdout("copy (select 1) to STDOUT", &pg));
        assert!(!is_copy_to_stdout("copy t to '/x'", &pg));
        let cases = [
            ("SET standard_conforming_strings = off", Some(false)),
            ("set session standard_conforming_strings to 'off'", Some(false)),
            ("SET LOCAL standard_conforming_strings = on", Some(true)),
            ("set standard_conforming_strings to default", Some(true)),
            ("RESET standard_conforming_strings", Some(true)),
            ("set search_path = off", None),
            ("select 1", None),
        ];
        for (sql, want) in cases {
            assert_eq!(sets_standard_conforming_strings(sql, &pg), want, "{sql}");
        }
        let my = LexState::new(Mysql);
        let modes = |sql: &str| sets_sql_mode(sql, &my);
        assert_eq!(modes("SET sql_mode = 'ansi_quotes,NO_BACKSLASH_ESCAPES'"), Some(vec!["ANSI_QUOTES".into(), "NO_BACKSLASH_ESCAPES".into()]));
        assert_eq!(modes("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */"), Some(vec!["NO_AUTO_VALUE_ON_ZERO".into()]));
        assert_eq!(modes("SET @@SESSION.sql_mode := ''"), Some(vec![]));
        assert_eq!(modes("SET GLOBAL sql_mode = 'ANSI'"), None);
        assert_eq!(modes("SET @@global.sql_mode = 'ANSI'"), None);
        assert_eq!(modes("SET sql_mode = @OLD_SQL_MODE"), None);
        assert_eq!(modes("select 'sql_mode = x'"), None);
    }
}
