//! SQL highlighting as you type: a small dialect-aware lexer that never fails (unterminated
//! strings, comments and quoted names run to the end of the input, anything it does not
//! know is plain text), the theme's style per token kind, and the bracket matching the one
//! at the cursor.
//!
//! Not sqlparser's tokenizer: it stops at the first unterminated string, and a keystroke
//! in the middle of a statement would leave the rest uncoloured.

use std::sync::{Arc, Mutex};

use reedline::StyledText;

use super::theme::Palette;
use crate::catalog::Dialect;
use crate::split::Splitter;
// Quoting and comment rules are the splitter's: one source of truth per dialect.
use crate::split::{rules, Rules};

/// What a token is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Whitespace,
    Keyword,
    Type,
    Function,
    String,
    QuotedIdent,
    Number,
    /// NULL, TRUE, FALSE.
    Constant,
    Comment,
    Operator,
    Punctuation,
    /// `$1`, `?`, `:name`, `@var`.
    Parameter,
    /// A backslash (or SQLite dot) command word.
    Command,
}

/// A token: its kind and byte range in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

#[rustfmt::skip]
const KEYWORDS: &[&str] = &[
    "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC",
    "ATTACH", "AUTOINCREMENT", "AUTO_INCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CALL",
    "CASCADE", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "COMMENT", "COMMIT", "CONFLICT",
    "CONSTRAINT", "COPY", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "DATABASES", "DECLARE", "DEFAULT",
    "DEFERRABLE", "DEFERRED", "DELETE", "DELIMITER", "DESC", "DESCRIBE", "DETACH", "DISTINCT",
    "DO", "DROP", "EACH", "ELSE", "ELSEIF", "END", "ENGINE", "ESCAPE", "EXCEPT", "EXCLUDE",
    "EXCLUSIVE", "EXECUTE", "EXISTS", "EXPLAIN", "EXTENSION", "FETCH", "FILTER", "FIRST",
    "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "FUNCTION", "GLOB", "GRANT", "GROUP",
    "GROUPS", "HAVING", "IF", "IGNORE", "ILIKE", "IMMEDIATE", "IN", "INDEX", "INNER", "INSERT",
    "INSTEAD", "INTERSECT", "INTERVAL", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LANGUAGE",
    "LAST", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOCK", "LOOP", "MATCH", "MATERIALIZED",
    "MERGE", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULLS", "OF", "OFFSET", "ON",
    "ONLY", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION", "PRAGMA", "PRECEDING",
    "PRIMARY", "PROCEDURE", "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX", "RELEASE",
    "RENAME", "REPLACE", "RESTRICT", "RETURN", "RETURNING", "RETURNS", "REVOKE", "RIGHT",
    "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SCHEMA", "SELECT", "SEQUENCE", "SET", "SHOW",
    "SOME", "START", "TABLE", "TABLES", "TEMP", "TEMPORARY", "THEN", "TIES", "TO",
    "TRANSACTION", "TRIGGER", "TRUNCATE", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USE",
    "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN", "WHERE", "WHILE", "WINDOW", "WITH",
    "WITHOUT",
];

#[rustfmt::skip]
const TYPES: &[&str] = &[
    "BIGINT", "BIGSERIAL", "BINARY", "BIT", "BLOB", "BOOL", "BOOLEAN", "BYTEA", "CHAR",
    "CHARACTER", "DATE", "DATETIME", "DECIMAL", "DOUBLE", "ENUM", "FLOAT", "INT", "INTEGER",
    "JSON", "JSONB", "LONGTEXT", "MEDIUMINT", "MONEY", "NUMERIC", "REAL", "SERIAL", "SMALLINT",
    "TEXT", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TINYINT", "UUID", "VARBINARY", "VARCHAR",
    "VARYING", "YEAR",
];

const CONSTANTS: &[&str] = &["FALSE", "NULL", "TRUE", "UNKNOWN"];

fn is_one_of(word: &str, list: &[&str]) -> bool {
    word.len() <= 24 && {
        let upper = word.to_ascii_uppercase();
        list.binary_search(&upper.as_str()).is_ok()
    }
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    rules: Rules,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn peek(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) {
        if let Some(c) = self.rest().chars().next() {
            self.pos += c.len_utf8();
        }
    }

    fn bump_while(&mut self, f: impl Fn(char) -> bool) {
        while self.peek(0).is_some_and(&f) {
            self.bump();
        }
    }

    fn skip_to_line_end(&mut self) {
        self.pos = self
            .rest()
            .find('\n')
            .map_or(self.s.len(), |i| self.pos + i);
    }

    /// After an opening `quote`: up to and including the closing one (doubled quotes and,
    /// where the dialect has them, backslashes escape), or to the end of the input.
    fn quoted(&mut self, quote: char, backslash: bool) {
        while let Some(c) = self.peek(0) {
            self.bump();
            if backslash && c == '\\' {
                self.bump();
            } else if c == quote {
                if self.peek(0) == Some(quote) {
                    self.bump();
                } else {
                    return;
                }
            }
        }
    }

    fn block_comment(&mut self) {
        self.pos += 2;
        let mut depth = 1u32;
        while depth > 0 && self.pos < self.s.len() {
            let rest = self.rest();
            if rest.starts_with("*/") {
                depth -= 1;
                self.pos += 2;
            } else if self.rules.nested_comments && rest.starts_with("/*") {
                depth += 1;
                self.pos += 2;
            } else {
                self.bump();
            }
        }
    }

    /// A `$tag$` opening at the cursor, if any: its length in bytes.
    fn dollar_tag(&self) -> Option<usize> {
        let rest = self.rest();
        let body = rest.get(1..)?;
        let end = body.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        let tag_ok = body
            .get(..end)?
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_digit());
        (tag_ok && body.get(end..)?.starts_with('$')).then_some(end + 2)
    }

    fn next_kind(&mut self) -> Option<Kind> {
        let c = self.peek(0)?;
        let next = self.peek(1);
        let kind = if c.is_whitespace() {
            self.bump_while(char::is_whitespace);
            Kind::Whitespace
        } else if (c == '-' && next == Some('-')) || (c == '#' && self.rules.hash_comments) {
            self.skip_to_line_end();
            Kind::Comment
        } else if c == '/' && next == Some('*') {
            self.block_comment();
            Kind::Comment
        } else if c == '\'' {
            self.bump();
            self.quoted('\'', self.rules.backslash_in_strings);
            Kind::String
        } else if matches!(c, 'E' | 'e') && next == Some('\'') {
            // PostgreSQL escape strings take backslash escapes.
            self.pos += 2;
            self.quoted('\'', true);
            Kind::String
        } else if matches!(c, 'X' | 'x' | 'B' | 'b' | 'N' | 'n') && next == Some('\'') {
            self.pos += 2;
            self.quoted('\'', self.rules.backslash_in_strings);
            Kind::String
        } else if c == '"' {
            self.bump();
            if self.rules.double_quote_is_string {
                self.quoted('"', self.rules.backslash_in_strings);
                Kind::String
            } else {
                self.quoted('"', false);
                Kind::QuotedIdent
            }
        } else if c == '`' && self.rules.backtick_ident {
            self.bump();
            self.quoted('`', false);
            Kind::QuotedIdent
        } else if c == '[' && self.rules.bracket_ident {
            self.bump();
            self.quoted(']', false);
            Kind::QuotedIdent
        } else if c == '$' && self.rules.dollar_quotes && self.dollar_tag().is_some() {
            let len = self.dollar_tag().unwrap_or(1);
            let tag = self.rest().get(..len).unwrap_or("$").to_string();
            self.pos += len;
            self.pos = self
                .rest()
                .find(&tag)
                .map_or(self.s.len(), |i| self.pos + i + len);
            Kind::String
        } else if c == '$' && next.is_some_and(|d| d.is_ascii_digit()) {
            self.bump();
            self.bump_while(|c| c.is_ascii_digit());
            Kind::Parameter
        } else if c.is_ascii_digit() || (c == '.' && next.is_some_and(|d| d.is_ascii_digit())) {
            self.number();
            Kind::Number
        } else if c.is_alphabetic() || c == '_' {
            self.bump_while(|c| c.is_alphanumeric() || c == '_' || c == '$');
            Kind::Plain
        } else if c == '\\' {
            self.bump();
            self.bump_while(|c| !c.is_whitespace() && c != '\\');
            Kind::Command
        } else if c == ':' && next.is_some_and(|n| n.is_alphabetic() || n == '_' || n == '\'') {
            // psql variables: `:name`, `:'name'`.
            self.bump();
            if self.peek(0) == Some('\'') {
                self.bump();
                self.quoted('\'', false);
            } else {
                self.bump_while(|c| c.is_alphanumeric() || c == '_');
            }
            Kind::Parameter
        } else if c == '@' && next.is_some_and(|n| n.is_alphanumeric() || n == '_' || n == '@') {
            self.bump();
            self.bump_while(|c| c.is_alphanumeric() || c == '_' || c == '@' || c == '.');
            Kind::Parameter
        } else if c == '?' {
            self.bump();
            Kind::Parameter
        } else if "()[]{},;.".contains(c) {
            self.bump();
            Kind::Punctuation
        } else if "+-*/%=<>!|&^~:#@".contains(c) {
            self.bump();
            // A run of operator characters is one operator, but not into a comment.
            while let Some(o) = self.peek(0) {
                let rest = self.rest();
                if !"+-*/%=<>!|&^~:#@".contains(o)
                    || rest.starts_with("--")
                    || rest.starts_with("/*")
                    || (o == '#' && self.rules.hash_comments)
                {
                    break;
                }
                self.bump();
            }
            Kind::Operator
        } else {
            self.bump();
            Kind::Plain
        };
        Some(kind)
    }

    fn number(&mut self) {
        if self.rest().starts_with("0x") || self.rest().starts_with("0X") {
            self.pos += 2;
            self.bump_while(|c| c.is_ascii_hexdigit());
            return;
        }
        self.bump_while(|c| c.is_ascii_digit() || c == '_');
        if self.peek(0) == Some('.') && self.peek(1) != Some('.') {
            self.bump();
            self.bump_while(|c| c.is_ascii_digit());
        }
        if matches!(self.peek(0), Some('e' | 'E'))
            && (self.peek(1).is_some_and(|c| c.is_ascii_digit())
                || (matches!(self.peek(1), Some('+' | '-'))
                    && self.peek(2).is_some_and(|c| c.is_ascii_digit())))
        {
            self.bump();
            self.bump();
            self.bump_while(|c| c.is_ascii_digit());
        }
    }
}

/// Split `text` into tokens covering it entirely, in order. Never fails.
pub fn tokenize(text: &str, dialect: Dialect) -> Vec<Token> {
    let mut lexer = Lexer {
        s: text,
        pos: 0,
        rules: rules(dialect),
    };
    let mut tokens: Vec<Token> = Vec::new();
    loop {
        let start = lexer.pos;
        let Some(kind) = lexer.next_kind() else {
            break;
        };
        if lexer.pos <= start {
            // Cannot happen (every branch consumes); guards against an endless loop.
            lexer.pos = text.len();
        }
        tokens.push(Token {
            kind,
            start,
            end: lexer.pos,
        });
    }
    classify_words(text, &mut tokens);
    tokens
}

/// Words become keywords, types, constants or function names; a word right after a `.`
/// is a column or table name whatever it is spelled like.
fn classify_words(text: &str, tokens: &mut [Token]) {
    let mut prev: Option<usize> = None;
    for i in 0..tokens.len() {
        let t = tokens[i];
        if t.kind == Kind::Whitespace || t.kind == Kind::Comment {
            continue;
        }
        let prev_text = prev.and_then(|p| text.get(tokens[p].start..tokens[p].end));
        if t.kind == Kind::Plain {
            let word = text.get(t.start..t.end).unwrap_or("");
            let next_is_paren = tokens[i + 1..]
                .iter()
                .find(|n| n.kind != Kind::Whitespace)
                .is_some_and(|n| text.get(n.start..n.end) == Some("("));
            let qualified = prev_text == Some(".");
            tokens[i].kind = if qualified {
                if next_is_paren {
                    Kind::Function
                } else {
                    Kind::Plain
                }
            } else if is_one_of(word, CONSTANTS) {
                Kind::Constant
            } else if is_one_of(word, TYPES) {
                Kind::Type
            } else if is_one_of(word, KEYWORDS) {
                Kind::Keyword
            } else if next_is_paren && word.chars().next().is_some_and(char::is_alphabetic) {
                Kind::Function
            } else {
                Kind::Plain
            };
        }
        prev = Some(i);
    }
}

/// Byte offsets of the bracket at (or just before) `cursor` and its partner.
pub fn matching_bracket(text: &str, tokens: &[Token], cursor: usize) -> Option<(usize, usize)> {
    let brackets: Vec<(usize, char)> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Punctuation)
        .filter_map(|t| {
            let c = text.get(t.start..)?.chars().next()?;
            "()[]{}".contains(c).then_some((t.start, c))
        })
        .collect();
    let at = |pos: usize| brackets.iter().position(|(p, _)| *p == pos);
    let before = text
        .get(..cursor.min(text.len()))
        .and_then(|s| s.char_indices().next_back())
        .map(|(i, _)| i);
    let idx = at(cursor).or_else(|| before.and_then(at))?;
    let (pos, c) = brackets[idx];
    let (open, close, forward) = match c {
        '(' => ('(', ')', true),
        '[' => ('[', ']', true),
        '{' => ('{', '}', true),
        ')' => ('(', ')', false),
        ']' => ('[', ']', false),
        _ => ('{', '}', false),
    };
    let mut depth = 0i32;
    let candidates: Box<dyn Iterator<Item = &(usize, char)>> = if forward {
        Box::new(brackets[idx..].iter())
    } else {
        Box::new(brackets[..=idx].iter().rev())
    };
    for &(p, b) in candidates {
        if b == open {
            depth += if forward { 1 } else { -1 };
        } else if b == close {
            depth += if forward { -1 } else { 1 };
        }
        if depth == 0 {
            return Some((pos.min(p), pos.max(p)));
        }
    }
    None
}

/// The reedline highlighter: the session's dialect (read each time, as `\c` may change
/// it) and the theme's palette.
pub struct SqlHighlighter {
    pub splitter: Arc<Mutex<Splitter>>,
    pub palette: Palette,
    /// Colours off: reedline strips styles then anyway, so skip the work.
    pub enabled: bool,
}

impl SqlHighlighter {
    pub fn styled(&self, line: &str, cursor: usize, dialect: Dialect) -> StyledText {
        let mut out = StyledText::new();
        if !self.enabled {
            out.push((nu_ansi_term::Style::new(), line.to_string()));
            return out;
        }
        let tokens = tokenize(line, dialect);
        let pair = matching_bracket(line, &tokens, cursor);
        for t in &tokens {
            let mut style = self.palette.style(t.kind);
            if pair.is_some_and(|(a, b)| t.start == a || t.start == b) {
                style = self.palette.bracket;
            }
            out.push((style, line.get(t.start..t.end).unwrap_or("").to_string()));
        }
        out
    }
}

impl reedline::Highlighter for SqlHighlighter {
    fn highlight(&self, line: &str, cursor: usize) -> StyledText {
        let dialect = self
            .splitter
            .lock()
            .map(|s| s.dialect())
            .unwrap_or_default();
        self.styled(line, cursor, dialect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, dialect: Dialect) -> Vec<(Kind, &str)> {
        tokenize(text, dialect)
            .into_iter()
            .filter(|t| t.kind != Kind::Whitespace)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [KEYWORDS, TYPES, CONSTANTS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn tokens_of_a_statement() {
        use Kind::*;
        assert_eq!(
            kinds(
                "SELECT count(*), t.name, 'it''s' -- c\nFROM \"T\" WHERE x >= 1.5e3 AND y IS NULL;",
                Dialect::Postgres
            ),
            vec![
                (Keyword, "SELECT"),
                (Function, "count"),
                (Punctuation, "("),
                (Operator, "*"),
                (Punctuation, ")"),
                (Punctuation, ","),
                (Plain, "t"),
                (Punctuation, "."),
                (Plain, "name"),
                (Punctuation, ","),
                (String, "'it''s'"),
                (Comment, "-- c"),
                (Keyword, "FROM"),
                (QuotedIdent, "\"T\""),
                (Keyword, "WHERE"),
                (Plain, "x"),
                (Operator, ">="),
                (Number, "1.5e3"),
                (Keyword, "AND"),
                (Plain, "y"),
                (Keyword, "IS"),
                (Constant, "NULL"),
                (Punctuation, ";"),
            ]
        );
    }

    #[test]
    fn dialects_differ() {
        use Kind::*;
        assert_eq!(kinds("\"a\"", Dialect::Mysql), vec![(String, "\"a\"")]);
        assert_eq!(kinds("`a b`", Dialect::Mysql), vec![(QuotedIdent, "`a b`")]);
        assert_eq!(kinds("# c", Dialect::Mysql), vec![(Comment, "# c")]);
        assert_eq!(
            kinds("$$ a ' b $$ x", Dialect::Postgres),
            vec![(String, "$$ a ' b $$"), (Plain, "x")]
        );
        assert_eq!(
            kinds("$fn$ x $fn$", Dialect::Postgres),
            vec![(String, "$fn$ x $fn$")]
        );
        assert_eq!(kinds("$1", Dialect::Postgres), vec![(Parameter, "$1")]);
        assert_eq!(kinds("'a\\'b'", Dialect::Mysql), vec![(String, "'a\\'b'")]);
        assert_eq!(
            kinds("[my col]", Dialect::Sqlite),
            vec![(QuotedIdent, "[my col]")]
        );
        assert_eq!(
            kinds("x::int", Dialect::Postgres),
            vec![(Plain, "x"), (Operator, "::"), (Type, "int")]
        );
        assert_eq!(
            kinds("\\d+ users", Dialect::Postgres),
            vec![(Command, "\\d+"), (Plain, "users")]
        );
    }

    #[test]
    fn unterminated_tokens_run_to_the_end() {
        use Kind::*;
        assert_eq!(
            kinds("select 'abc\nfrom t", Dialect::Postgres),
            vec![(Keyword, "select"), (String, "'abc\nfrom t")]
        );
        assert_eq!(
            kinds("select /* abc\nfrom", Dialect::Sqlite),
            vec![(Keyword, "select"), (Comment, "/* abc\nfrom")]
        );
        assert_eq!(
            kinds("select \"abc", Dialect::Postgres),
            vec![(Keyword, "select"), (QuotedIdent, "\"abc")]
        );
        assert_eq!(
            kinds("$$ body", Dialect::Postgres),
            vec![(String, "$$ body")]
        );
        // The rest of a multi-line statement is still coloured.
        assert_eq!(
            kinds("select 1,\n  2\nfrom t", Dialect::Sqlite)
                .iter()
                .filter(|(k, _)| *k == Keyword)
                .count(),
            2
        );
    }

    #[test]
    fn tokens_cover_the_input_and_no_input_panics() {
        let inputs = [
            "",
            "'",
            "\"",
            "$",
            "$$",
            "$a",
            "$1$",
            "/*",
            "/* /* */",
            "--",
            "E'\\",
            "x'",
            "0x",
            "1e",
            "1e+",
            ".5",
            "..",
            "\\",
            ":'",
            "@",
            "[",
            "`",
            "select 🦀 from \"🦀\" where '🦀' = 🦀(🦀) ;",
            "ünïcödé(ß) → ∑",
            "\u{0}\u{1b}[31m\t\r\n",
            "((([]{)]}",
            "é'\u{301}",
        ];
        for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            for input in inputs {
                let tokens = tokenize(input, dialect);
                let mut pos = 0;
                for t in &tokens {
                    assert_eq!(t.start, pos, "{input:?}");
                    assert!(t.end > t.start, "{input:?}");
                    assert!(input.is_char_boundary(t.end), "{input:?}");
                    pos = t.end;
                }
                assert_eq!(pos, input.len(), "{input:?}");
                let h = SqlHighlighter {
                    splitter: Arc::new(Mutex::new(Splitter::new(dialect))),
                    palette: Palette::default(),
                    enabled: true,
                };
                for cursor in 0..=input.len() + 1 {
                    let styled = h.styled(input, cursor, dialect);
                    let joined: std::string::String =
                        styled.buffer.iter().map(|(_, s)| s.as_str()).collect();
                    assert_eq!(joined, input);
                }
            }
        }
    }

    #[test]
    fn brackets_match_around_the_cursor() {
        let text = "select f(a, (b)) [1]";
        let tokens = tokenize(text, Dialect::Postgres);
        // On the outer opening bracket.
        assert_eq!(matching_bracket(text, &tokens, 8), Some((8, 15)));
        // On the inner closing one, and just after the outer closing one.
        assert_eq!(matching_bracket(text, &tokens, 14), Some((12, 14)));
        assert_eq!(matching_bracket(text, &tokens, 15), Some((8, 15)));
        assert_eq!(matching_bracket(text, &tokens, 16), Some((8, 15)));
        assert_eq!(matching_bracket(text, &tokens, 20), Some((17, 19)));
        assert_eq!(matching_bracket(text, &tokens, 0), None);
        // Brackets in strings do not count.
        let text = "select '(' || (x)";
        let tokens = tokenize(text, Dialect::Postgres);
        assert_eq!(matching_bracket(text, &tokens, 14), Some((14, 16)));
        assert_eq!(matching_bracket(text, &tokens, 8), None);
        // Unbalanced.
        let text = "select ((x)";
        let tokens = tokenize(text, Dialect::Postgres);
        assert_eq!(matching_bracket(text, &tokens, 7), None);
    }

    #[test]
    fn brackets_get_the_bracket_style() {
        let mut palette = Palette::default();
        palette.bracket = nu_ansi_term::Style::new().underline();
        let h = SqlHighlighter {
            splitter: Arc::new(Mutex::new(Splitter::new(Dialect::Sqlite))),
            palette,
            enabled: true,
        };
        let styled = h.styled("f(x)", 1, Dialect::Sqlite);
        let underlined: Vec<&str> = styled
            .buffer
            .iter()
            .filter(|(s, _)| s.is_underline)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(underlined, vec!["(", ")"]);
    }
}
