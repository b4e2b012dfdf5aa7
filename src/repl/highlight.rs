//! SQL highlighting as you type: `sql::lex`'s tokens (which never fail: unterminated
//! strings, comments and quoted names run to the end of the input) given colour classes,
//! the theme's style per class, and the bracket matching the one at the cursor.

use std::sync::{Arc, Mutex};

use reedline::StyledText;

use super::theme::Palette;
use crate::sql::lex::{self, Kind as LexKind};
use crate::sql::{Dialect, LexState, Splitter};

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

/// Split `text` into tokens covering it entirely, in order, with `sql::lex`'s rules for
/// the session's lexical state. Never fails.
pub fn tokenize(text: &str, state: &LexState) -> Vec<Token> {
    let mut tokens: Vec<Token> = lex::tokenize(text, state)
        .into_iter()
        .map(|t| Token {
            kind: match t.kind {
                LexKind::Whitespace => Kind::Whitespace,
                LexKind::Word | LexKind::Other => Kind::Plain,
                LexKind::QuotedIdent => Kind::QuotedIdent,
                LexKind::String | LexKind::DollarBody => Kind::String,
                LexKind::Number => Kind::Number,
                LexKind::Comment | LexKind::ExecComment => Kind::Comment,
                LexKind::Operator => Kind::Operator,
                LexKind::Punct | LexKind::Semicolon | LexKind::Delimiter => Kind::Punctuation,
                LexKind::Variable | LexKind::Parameter => Kind::Parameter,
                LexKind::Command => Kind::Command,
            },
            start: t.start,
            end: t.end,
        })
        .collect();
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
    pub fn styled(&self, line: &str, cursor: usize, state: &LexState) -> StyledText {
        let mut out = StyledText::new();
        if !self.enabled {
            out.push((nu_ansi_term::Style::new(), line.to_string()));
            return out;
        }
        let tokens = tokenize(line, state);
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
        let state = self
            .splitter
            .lock()
            .map(|s| s.lex_state().clone())
            .unwrap_or_else(|_| LexState::new(Dialect::default()));
        self.styled(line, cursor, &state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, dialect: Dialect) -> Vec<(Kind, &str)> {
        tokenize(text, &LexState::new(dialect))
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
                let state = LexState::new(dialect);
                let tokens = tokenize(input, &state);
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
                    let styled = h.styled(input, cursor, &state);
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
        let tokens = tokenize(text, &LexState::new(Dialect::Postgres));
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
        let tokens = tokenize(text, &LexState::new(Dialect::Postgres));
        assert_eq!(matching_bracket(text, &tokens, 14), Some((14, 16)));
        assert_eq!(matching_bracket(text, &tokens, 8), None);
        // Unbalanced.
        let text = "select ((x)";
        let tokens = tokenize(text, &LexState::new(Dialect::Postgres));
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
        let styled = h.styled("f(x)", 1, &LexState::new(Dialect::Sqlite));
        let underlined: Vec<&str> = styled
            .buffer
            .iter()
            .filter(|(s, _)| s.is_underline)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(underlined, vec!["(", ")"]);
    }
}
