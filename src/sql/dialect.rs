//! The SQL dialects dbsh speaks, what sets them apart lexically, and the lexical state a
//! session carries (PostgreSQL `standard_conforming_strings`, MySQL `DELIMITER` and
//! `sql_mode` flags). Pure data: nothing here scans text.

use serde::{Deserialize, Serialize};

/// The SQL dialect a catalog (and a statement) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Dialect {
    Postgres,
    Mysql,
    #[default]
    Sqlite,
}

/// Each dialect's fixed quoting and comment rules.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub backtick_ident: bool,
    pub bracket_ident: bool,
    /// `$tag$ … $tag$`, `E'…'`, `U&'…'`.
    pub postgres_strings: bool,
    pub hash_comments: bool,
    pub nested_comments: bool,
    /// `--` starts a comment only when a space or control character follows.
    pub dash_comment_needs_space: bool,
    /// `/*!NNNNN … */` and `/*M!NNNNNN … */` hold code the server runs.
    pub executable_comments: bool,
    /// A `;` inside parentheses does not end a statement (psql).
    pub parens_hold_semicolons: bool,
    pub dot_commands: bool,
    pub delimiter_command: bool,
}

impl Dialect {
    pub fn rules(self) -> Rules {
        let postgres = self == Dialect::Postgres;
        let mysql = self == Dialect::Mysql;
        let sqlite = self == Dialect::Sqlite;
        Rules {
            backtick_ident: !postgres,
            bracket_ident: sqlite,
            postgres_strings: postgres,
            hash_comments: mysql,
            nested_comments: postgres,
            dash_comment_needs_space: mysql,
            executable_comments: mysql,
            parens_hold_semicolons: postgres,
            dot_commands: sqlite,
            delimiter_command: mysql,
        }
    }
}

/// The session's lexical state: what decides how the same text splits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexState {
    pub dialect: Dialect,
    /// PostgreSQL: backslashes in plain `'…'` strings are literal (on, the default); off
    /// makes `'a\'b'` one string.
    pub standard_conforming_strings: bool,
    /// MySQL `sql_mode` NO_BACKSLASH_ESCAPES.
    pub no_backslash_escapes: bool,
    /// MySQL `sql_mode` ANSI_QUOTES: `"` quotes identifiers, not strings.
    pub ansi_quotes: bool,
    /// The MySQL client's statement delimiter (`DELIMITER //`).
    pub delimiter: String,
}

impl LexState {
    pub fn new(dialect: Dialect) -> LexState {
        LexState {
            dialect,
            standard_conforming_strings: true,
            no_backslash_escapes: false,
            ansi_quotes: false,
            delimiter: ";".into(),
        }
    }

    pub fn rules(&self) -> Rules {
        self.dialect.rules()
    }

    /// Whether a backslash escapes the next character in a plain `'…'` string.
    pub fn backslash_in_strings(&self) -> bool {
        match self.dialect {
            Dialect::Postgres => !self.standard_conforming_strings,
            Dialect::Mysql => !self.no_backslash_escapes,
            Dialect::Sqlite => false,
        }
    }

    /// Whether `"…"` is a string (MySQL without ANSI_QUOTES) rather than an identifier.
    pub fn double_quote_is_string(&self) -> bool {
        self.dialect == Dialect::Mysql && !self.ansi_quotes
    }
}
