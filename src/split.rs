//! Splitting typed or scripted input into statements and client commands.
//!
//! This is our own small lexer, not sqlparser: it must accept every statement the servers
//! accept (including what sqlparser cannot parse), know where strings, quoted identifiers,
//! comments and dollar quotes begin and end per dialect, recognise backslash (and SQLite dot)
//! commands, MySQL's `DELIMITER`, `\G`/`\g` terminators, and routine bodies whose `;` do not
//! end the statement (`CREATE TRIGGER … BEGIN …; END;`). It never fails: unterminated input is
//! reported as incomplete. The validator, the script runner and the statement guard share it.

use crate::catalog::Dialect;

/// How a statement was ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    /// `;` or the current `DELIMITER`.
    Delimiter,
    /// `\G`: show this statement's results vertically.
    Vertical,
    /// `\g`: run, as `;` would.
    Go,
    /// The input ended before any terminator.
    Unterminated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// SQL without its terminator; `offset` is its byte offset in the input.
    Sql {
        text: String,
        terminator: Terminator,
        offset: usize,
    },
    /// A backslash or dot command, one line, leading whitespace removed.
    Command { text: String, offset: usize },
}

/// The lexer's state carried across inputs: the dialect and the MySQL client `DELIMITER`.
#[derive(Debug, Clone)]
pub struct Splitter {
    dialect: Dialect,
    delimiter: String,
}

/// What a scan ended inside of, when the input is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Statement,
    Quote,
    BlockComment,
}

impl Splitter {
    pub fn new(dialect: Dialect) -> Splitter {
        Splitter {
            dialect,
            delimiter: ";".into(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn set_dialect(&mut self, dialect: Dialect) {
        self.dialect = dialect;
    }

    pub fn delimiter(&self) -> &str {
        &self.delimiter
    }

    /// Split `input` into pieces; a `DELIMITER x` line (MySQL) changes the delimiter for
    /// what follows and for later calls.
    pub fn split(&mut self, input: &str) -> Vec<Piece> {
        let (pieces, _) = scan(input, self.dialect, &mut self.delimiter);
        pieces
    }

    /// Whether Enter should submit `input`: every statement in it is terminated (or it is
    /// only commands, whitespace and comments). Does not change the delimiter.
    pub fn is_complete(&self, input: &str) -> bool {
        let mut delimiter = self.delimiter.clone();
        let (_, open) = scan(input, self.dialect, &mut delimiter);
        open == Open::Nothing
    }
}

/// Each dialect's quoting and comment rules (shared with the highlighter).
pub struct Rules {
    pub backslash_in_strings: bool,
    pub double_quote_is_string: bool,
    pub backtick_ident: bool,
    pub bracket_ident: bool,
    pub dollar_quotes: bool,
    pub hash_comments: bool,
    pub nested_comments: bool,
    pub dot_commands: bool,
    pub delimiter_command: bool,
}

pub fn rules(dialect: Dialect) -> Rules {
    match dialect {
        Dialect::Postgres => Rules {
            backslash_in_strings: false,
            double_quote_is_string: false,
            backtick_ident: false,
            bracket_ident: false,
            dollar_quotes: true,
            hash_comments: false,
            nested_comments: true,
            dot_commands: false,
            delimiter_command: false,
        },
        Dialect::Mysql => Rules {
            backslash_in_strings: true,
            double_quote_is_string: true,
            backtick_ident: true,
            bracket_ident: false,
            dollar_quotes: false,
            hash_comments: true,
            nested_comments: false,
            dot_commands: false,
            delimiter_command: true,
        },
        Dialect::Sqlite => Rules {
            backslash_in_strings: false,
            double_quote_is_string: false,
            backtick_ident: true,
            bracket_ident: true,
            dollar_quotes: false,
            hash_comments: false,
            nested_comments: false,
            dot_commands: true,
            delimiter_command: false,
        },
    }
}

/// Tracks `BEGIN … END` nesting inside routine and trigger bodies so that their inner `;`
/// do not end the statement.
#[derive(Default)]
struct Blocks {
    /// The first words of the statement, upper-cased, to recognise `CREATE … TRIGGER`.
    head: Vec<String>,
    routine: bool,
    depth: u32,
    pending_end: bool,
}

impl Blocks {
    fn word(&mut self, word: &str) {
        let upper = word.to_ascii_uppercase();
        if self.head.len() < 8 {
            self.head.push(upper.clone());
            self.routine = self.head.first().is_some_and(|w| w == "CREATE")
                && self
                    .head
                    .iter()
                    .any(|w| matches!(w.as_str(), "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT"));
        }
        if !self.routine {
            return;
        }
        if self.pending_end {
            self.pending_end = false;
            match upper.as_str() {
                // END IF / END LOOP …: their openers were never counted.
                "IF" | "LOOP" | "WHILE" | "REPEAT" | "FOR" => return,
                // END CASE closes a counted CASE.
                "CASE" => {
                    self.depth = self.depth.saturating_sub(1);
                    return;
                }
                _ => self.depth = self.depth.saturating_sub(1),
            }
        }
        match upper.as_str() {
            "BEGIN" | "CASE" => self.depth += 1,
            "END" => self.pending_end = true,
            _ => {}
        }
    }

    /// A `;` (or other punctuation) arrived: settle a pending END. Returns whether a `;`
    /// here ends the statement.
    fn at_semicolon(&mut self) -> bool {
        if self.pending_end {
            self.pending_end = false;
            self.depth = self.depth.saturating_sub(1);
        }
        self.depth == 0
    }
}

struct Scanner<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    // Byte-based: `pos` may sit inside a multi-byte character.
    fn starts_with(&self, s: &str) -> bool {
        self.bytes[self.pos..].starts_with(s.as_bytes())
    }

    fn rest_of_line(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }
}

fn scan(input: &str, dialect: Dialect, delimiter: &mut String) -> (Vec<Piece>, Open) {
    let r = rules(dialect);
    let mut s = Scanner {
        input,
        bytes: input.as_bytes(),
        pos: 0,
    };
    let mut pieces = Vec::new();
    // Start of the current statement, and whether anything but blanks/comments is in it.
    let mut start = 0usize;
    let mut has_content = false;
    let mut blocks = Blocks::default();
    let mut word_start: Option<usize> = None;

    macro_rules! end_word {
        () => {
            if let Some(ws) = word_start.take() {
                blocks.word(&input[ws..s.pos]);
            }
        };
    }

    while s.pos < s.bytes.len() {
        let c = s.bytes[s.pos];

        // At the start of a statement: client commands.
        if !has_content {
            if c.is_ascii_whitespace() {
                s.pos += 1;
                start = s.pos;
                continue;
            }
            let is_command = c == b'\\' || (r.dot_commands && c == b'.');
            let is_delimiter_cmd = r.delimiter_command
                && s.input[s.pos..]
                    .get(..10)
                    .is_some_and(|w| w.eq_ignore_ascii_case("delimiter "));
            if is_command || is_delimiter_cmd {
                let eol = s.rest_of_line();
                let line = input[s.pos..eol].trim_end();
                if is_delimiter_cmd {
                    let new = line.get(10..).unwrap_or_default().trim();
                    if !new.is_empty() {
                        *delimiter = new.to_string();
                    }
                } else {
                    pieces.push(Piece::Command {
                        text: line.to_string(),
                        offset: s.pos,
                    });
                }
                s.pos = eol;
                start = s.pos;
                continue;
            }
        }

        // Comments.
        let line_comment = (c == b'-'
            && s.peek(1) == Some(b'-')
            && (dialect != Dialect::Mysql || s.peek(2).is_none_or(|n| n.is_ascii_whitespace())))
            || (r.hash_comments && c == b'#');
        if line_comment {
            end_word!();
            s.pos = s.rest_of_line();
            if !has_content {
                start = s.pos;
            }
            continue;
        }
        if c == b'/' && s.peek(1) == Some(b'*') {
            end_word!();
            let mut depth = 1;
            s.pos += 2;
            while depth > 0 {
                if s.pos >= s.bytes.len() {
                    return (pieces, Open::BlockComment);
                }
                if s.starts_with("*/") {
                    depth -= 1;
                    s.pos += 2;
                } else if r.nested_comments && s.starts_with("/*") {
                    depth += 1;
                    s.pos += 2;
                } else {
                    s.pos += 1;
                }
            }
            if !has_content {
                start = s.pos;
            }
            continue;
        }

        // The delimiter, when it is not `;` (MySQL `DELIMITER //`).
        if delimiter != ";" && s.starts_with(delimiter) {
            end_word!();
            if has_content {
                pieces.push(sql_piece(input, start, s.pos, Terminator::Delimiter));
            }
            s.pos += delimiter.len();
            start = s.pos;
            has_content = false;
            blocks = Blocks::default();
            continue;
        }

        // `\G` / `\g` end a statement (psql, mysql).
        if c == b'\\' && matches!(s.peek(1), Some(b'G') | Some(b'g')) {
            end_word!();
            let term = if s.peek(1) == Some(b'G') {
                Terminator::Vertical
            } else {
                Terminator::Go
            };
            pieces.push(sql_piece(input, start, s.pos, term));
            s.pos += 2;
            start = s.pos;
            has_content = false;
            blocks = Blocks::default();
            continue;
        }

        match c {
            b';' if delimiter == ";" => {
                end_word!();
                if blocks.at_semicolon() {
                    if has_content {
                        pieces.push(sql_piece(input, start, s.pos, Terminator::Delimiter));
                    }
                    s.pos += 1;
                    start = s.pos;
                    has_content = false;
                    blocks = Blocks::default();
                } else {
                    s.pos += 1;
                }
                continue;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let backtick = c == b'`' && r.backtick_ident;
                let bracket = c == b'[' && r.bracket_ident;
                if c == b'\'' || c == b'"' || backtick || bracket {
                    end_word!();
                    has_content = true;
                    let escape_prefix = c == b'\''
                        && s.pos > 0
                        && matches!(s.bytes[s.pos - 1], b'E' | b'e')
                        && (s.pos < 2 || !s.bytes[s.pos - 2].is_ascii_alphanumeric());
                    let backslashes = (r.backslash_in_strings
                        && (c == b'\'' || (c == b'"' && r.double_quote_is_string)))
                        || escape_prefix;
                    let close = if bracket { b']' } else { c };
                    if !skip_quoted(&mut s, close, backslashes, !bracket) {
                        return (pieces, Open::Quote);
                    }
                    continue;
                }
            }
            b'$' if r.dollar_quotes && word_start.is_none() => {
                if let Some(tag_len) = dollar_tag(&s.input[s.pos..]) {
                    has_content = true;
                    let tag = &s.input[s.pos..s.pos + tag_len];
                    match s.input[s.pos + tag_len..].find(tag) {
                        Some(i) => {
                            s.pos += tag_len + i + tag_len;
                            continue;
                        }
                        None => return (pieces, Open::Quote),
                    }
                }
            }
            _ => {}
        }

        // Words (for routine bodies); everything else is just content.
        let is_word_char = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        if is_word_char {
            if word_start.is_none() {
                word_start = Some(s.pos);
            }
        } else {
            end_word!();
            if !c.is_ascii_whitespace() && blocks.pending_end {
                blocks.at_semicolon();
            }
        }
        if !c.is_ascii_whitespace() {
            has_content = true;
        }
        s.pos += 1;
    }
    end_word!();
    if has_content {
        pieces.push(sql_piece(
            input,
            start,
            input.len(),
            Terminator::Unterminated,
        ));
        return (pieces, Open::Statement);
    }
    (pieces, Open::Nothing)
}

fn sql_piece(input: &str, start: usize, end: usize, terminator: Terminator) -> Piece {
    let raw = &input[start..end];
    let trimmed_start = raw.len() - raw.trim_start().len();
    Piece::Sql {
        text: raw.trim().to_string(),
        terminator,
        offset: start + trimmed_start,
    }
}

/// Skip a quoted string or identifier starting at `s.pos`; false when it never closes.
fn skip_quoted(s: &mut Scanner<'_>, close: u8, backslashes: bool, doubled_escapes: bool) -> bool {
    s.pos += 1;
    while s.pos < s.bytes.len() {
        let c = s.bytes[s.pos];
        if backslashes && c == b'\\' {
            s.pos += 2;
            continue;
        }
        if c == close {
            if doubled_escapes && s.peek(1) == Some(close) {
                s.pos += 2;
                continue;
            }
            s.pos += 1;
            return true;
        }
        s.pos += 1;
    }
    s.pos = s.bytes.len();
    false
}

/// Length of a PostgreSQL dollar-quote tag (`$$`, `$body$`) at the start of `s`.
fn dollar_tag(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    if b.get(1).is_some_and(|c| c.is_ascii_digit()) {
        return None; // $1 is a parameter
    }
    while let Some(&c) = b.get(i) {
        if c == b'$' {
            return Some(i + 1);
        }
        if !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80) {
            return None;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(p: &Piece) -> &str {
        match p {
            Piece::Sql { text, .. } => text,
            Piece::Command { text, .. } => text,
        }
    }

    fn texts(d: Dialect, input: &str) -> Vec<String> {
        Splitter::new(d)
            .split(input)
            .iter()
            .map(|p| sql(p).to_string())
            .collect()
    }

    #[test]
    fn several_statements_on_one_line() {
        assert_eq!(
            texts(Dialect::Sqlite, "select 1; select 2;select 3"),
            ["select 1", "select 2", "select 3"]
        );
    }

    #[test]
    fn semicolons_inside_strings_comments_and_identifiers() {
        let input = "select ';', \"a;b\", 1 -- x;y\n /* ; */ from t; select 2;";
        let got = texts(Dialect::Postgres, input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("select ';'"));
        assert_eq!(
            texts(Dialect::Mysql, "select 'it\\'s;', `a;b`; select 2;").len(),
            2
        );
        assert_eq!(
            texts(Dialect::Sqlite, "select [a;b] from t; select 2;").len(),
            2
        );
    }

    #[test]
    fn completeness_for_the_validator() {
        let s = Splitter::new(Dialect::Postgres);
        assert!(s.is_complete("select 1;"));
        assert!(s.is_complete("select 1;  -- done\n"));
        assert!(!s.is_complete("select 1"));
        assert!(!s.is_complete("select 'a;"));
        assert!(!s.is_complete("select 1 /* ; "));
        assert!(!s.is_complete("select $$ ; "));
        assert!(s.is_complete("select $$ ; $$;"));
        assert!(s.is_complete("\\dt"));
        assert!(s.is_complete("select 1 \\G"));
        assert!(s.is_complete(""));
        assert!(s.is_complete("  \n "));
        assert!(s.is_complete("select \"x;\" from t;"));
        assert!(!s.is_complete("select \"x; from t;"));
        // E-strings take backslash escapes, plain strings do not.
        assert!(s.is_complete("select E'a\\'b';"));
        assert!(s.is_complete("select 'a\\';"));
    }

    #[test]
    fn dollar_quotes_and_parameters() {
        let got = texts(
            Dialect::Postgres,
            "create function f() returns int as $body$ select 1; $body$ language sql; select $1;",
        );
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn terminators() {
        let pieces = Splitter::new(Dialect::Mysql).split("select 1\\G select 2\\g select 3;");
        let terms: Vec<_> = pieces
            .iter()
            .map(|p| match p {
                Piece::Sql { terminator, .. } => *terminator,
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            terms,
            [Terminator::Vertical, Terminator::Go, Terminator::Delimiter]
        );
    }

    #[test]
    fn commands_at_statement_start() {
        let pieces = Splitter::new(Dialect::Sqlite).split("\\dt users\n.tables\nselect 1;");
        assert_eq!(
            pieces.iter().map(sql).collect::<Vec<_>>(),
            ["\\dt users", ".tables", "select 1"]
        );
        assert!(matches!(pieces[0], Piece::Command { .. }));
        // A dot is only a command in SQLite.
        assert!(!Splitter::new(Dialect::Postgres).is_complete(".5 +"));
    }

    #[test]
    fn trigger_bodies_keep_their_semicolons() {
        let input = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM c;\nEND;\nselect 1;";
        let got = texts(Dialect::Sqlite, input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END"));
        let s = Splitter::new(Dialect::Sqlite);
        assert!(!s.is_complete("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM c;"));
    }

    #[test]
    fn mysql_routines_and_delimiter() {
        let mut s = Splitter::new(Dialect::Mysql);
        let got = s.split("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nselect 3;");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(s.delimiter(), ";");
        let got = texts(
            Dialect::Mysql,
            "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; END; select 3;",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        // `BEGIN` alone is a transaction, not a block.
        assert_eq!(texts(Dialect::Mysql, "begin; select 1;").len(), 2);
    }

    #[test]
    fn mysql_comments() {
        assert_eq!(texts(Dialect::Mysql, "select 1 # x;\n;").len(), 1);
        // `--1` is minus minus one in MySQL, not a comment.
        assert_eq!(texts(Dialect::Mysql, "select 2 --1;").len(), 1);
    }

    #[test]
    fn offsets_point_into_the_input() {
        let input = "  select 1;\n  select 2;";
        for p in Splitter::new(Dialect::Sqlite).split(input) {
            if let Piece::Sql { text, offset, .. } = p {
                assert!(input[offset..].starts_with(&text));
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "'",
            "\"",
            "`",
            "[",
            "$",
            "$$",
            "$a",
            "/*",
            "*/",
            "--",
            "#",
            "\\",
            "\\G",
            ";",
            "é'ü",
            "DELIMITER",
            "DELIMITER ",
            "create trigger end end end;",
            "E'\\",
            "\u{0}",
            "🦀;🦀",
            "$é$ x $é$;",
        ];
        for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            for a in samples {
                for b in samples {
                    let input = format!("{a}{b}");
                    let mut s = Splitter::new(d);
                    let _ = s.split(&input);
                    let _ = s.is_complete(&input);
                }
            }
        }
    }
}
