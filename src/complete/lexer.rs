//! Tokens with char offsets for the completion engine.
//!
//! An adapter over `sql::lex`, the one scanner: each of its tokens becomes the sqlparser
//! `Token` the engine matches on (a word with sqlparser's keyword, a quoted name as a
//! `Word` with its quote, an operator run cut as sqlparser cuts it), with char offsets,
//! the unit the public API uses. Only the vocabulary is sqlparser's: where statements,
//! strings and comments begin and end is decided by `sql::lex` alone.
//! Unfinished text is exactly what completion sees: an unterminated string, quoted name or
//! comment runs to the end and is `open` (an unfinished quoted name stays a `Word`, so it
//! can be completed).

use sqlparser::ast::DollarQuotedString;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Whitespace, Word};

use crate::sql::lex::{self, Kind};
use crate::sql::{Dialect, LexState};

/// A token and where it lies, in chars: `start..end`.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
    /// The text ran out before the token was closed (string, quoted name, comment).
    pub open: bool,
}

impl Tok {
    pub(super) fn is_trivia(&self) -> bool {
        matches!(self.token, Token::Whitespace(_))
    }

    /// The keyword of an unquoted word, `NoKeyword` otherwise.
    pub(super) fn keyword(&self) -> Keyword {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => w.keyword,
            _ => Keyword::NoKeyword,
        }
    }

    pub(super) fn word(&self) -> Option<&Word> {
        match &self.token {
            Token::Word(w) => Some(w),
            _ => None,
        }
    }
}

/// The identifier quote character of a dialect.
pub(super) fn quote_char(dialect: Dialect) -> char {
    match dialect {
        Dialect::Mysql => '`',
        Dialect::Postgres | Dialect::Sqlite => '"',
    }
}

/// Tokenizes all of `text`; never fails. `chars` is `text` as chars.
pub(super) fn tokenize(text: &str, chars: &[char], dialect: Dialect) -> Vec<Tok> {
    let mut out = Out {
        text,
        dialect,
        toks: Vec::new(),
        ascii: text.len() == chars.len(),
        byte: 0,
        char: 0,
    };
    let mut lexer = lex::Lexer::new(text, &LexState::new(dialect));
    while let Some(t) = lexer.next() {
        // sqlparser reads `\dt+` as `\` and what follows, `:name` as `:` and a name.
        if let Some(pos) = out.token(t) {
            lexer.set_pos(pos);
        }
    }
    out.toks
}

struct Out<'a> {
    text: &'a str,
    dialect: Dialect,
    toks: Vec<Tok>,
    /// Byte offsets are char offsets.
    ascii: bool,
    /// The last byte offset converted, and its char offset (tokens come in order).
    byte: usize,
    char: usize,
}

impl Out<'_> {
    fn char_at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }

    fn push(&mut self, token: Token, start: usize, end: usize, open: bool) {
        let (start, end) = (self.char_at(start), self.char_at(end));
        self.toks.push(Tok {
            token,
            start,
            end,
            open,
        });
    }

    fn word(&mut self, value: &str, start: usize, end: usize) {
        self.push(Token::make_word(value, None), start, end, false);
    }

    /// Pushes the tokens `t` stands for; Some(pos) to go on scanning at `pos`, inside `t`.
    fn token(&mut self, t: lex::Token) -> Option<usize> {
        let (start, end) = (t.start, t.end);
        let s = &self.text[start..end];
        let first = s.chars().next().unwrap_or(' ');
        let open = t.unterminated;
        let token = match t.kind {
            Kind::Whitespace | Kind::ExecComment => Token::Whitespace(Whitespace::Space),
            Kind::Comment => Token::Whitespace(comment(s, open)),
            Kind::Word => Token::make_word(s, None),
            Kind::QuotedIdent => {
                // `U&"x"`: sqlparser reads a word `U`, `&` and the quoted name.
                if first != '"' && first != '`' && first != '[' {
                    self.word(&s[..1], start, start + 1);
                    self.push(Token::Ampersand, start + 1, start + 2, false);
                    let name = lex::Token {
                        start: t.start + 2,
                        ..t
                    };
                    return self.token(name);
                }
                let close = if open { s.len() } else { s.len() - 1 };
                Token::Word(Word {
                    value: s[1..close].to_string(),
                    quote_style: Some(first),
                    keyword: Keyword::NoKeyword,
                })
            }
            Kind::String => {
                self.string(s, start, end, open);
                return None;
            }
            Kind::DollarBody if open => Token::SingleQuotedString(s[1..].to_string()),
            Kind::DollarBody => {
                let tag_len = s[1..].find('$').map_or(0, |i| i + 2);
                let tag = &s[1..tag_len - 1];
                Token::DollarQuotedString(DollarQuotedString {
                    value: s[tag_len..s.len() - tag_len].to_string(),
                    tag: (!tag.is_empty()).then(|| tag.to_string()),
                })
            }
            // `0x1F` is a number on PostgreSQL, a hex string elsewhere.
            Kind::Number => match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                Some(hex) if self.dialect != Dialect::Postgres => {
                    Token::HexStringLiteral(hex.to_string())
                }
                _ => Token::Number(s.to_string(), false),
            },
            Kind::Operator => {
                let mut at = start;
                while at < end {
                    let (token, len) = operator(&self.text[at..end], self.dialect);
                    self.push(token, at, at + len, false);
                    at += len;
                }
                return None;
            }
            Kind::Punct => match first {
                '(' => Token::LParen,
                ')' => Token::RParen,
                '[' => Token::LBracket,
                ']' => Token::RBracket,
                '{' => Token::LBrace,
                '}' => Token::RBrace,
                ',' => Token::Comma,
                _ => Token::Period,
            },
            Kind::Semicolon | Kind::Delimiter => Token::SemiColon,
            Kind::Variable | Kind::Command => {
                let head = if first == ':' {
                    Token::Colon
                } else {
                    Token::Backslash
                };
                self.push(head, start, start + 1, false);
                return Some(start + 1);
            }
            Kind::Parameter => return self.parameter(s, start, end),
            Kind::Other if first == '$' => Token::Placeholder(s.to_string()),
            Kind::Other => Token::Char(first),
        };
        self.push(token, start, end, open);
        None
    }

    /// A string literal, as the sqlparser variant its prefix selects.
    fn string(&mut self, s: &str, start: usize, end: usize, open: bool) {
        let quote = s.find(['\'', '"']).unwrap_or(0);
        let (prefix, body) = s.split_at(quote);
        // Prefixes sqlparser does not know in this dialect are words of their own.
        let known = match prefix.to_ascii_uppercase().as_str() {
            "" | "X" | "E" | "U&" => true,
            "N" | "B" => self.dialect != Dialect::Sqlite,
            _ => false,
        };
        if !known {
            self.word(prefix, start, start + quote);
            return self.string(body, start + quote, end, open);
        }
        if open {
            self.push(
                Token::SingleQuotedString(s[1..].to_string()),
                start,
                end,
                true,
            );
            return;
        }
        let inner = body[1..body.len() - 1].to_string();
        let token = match prefix.to_ascii_uppercase().as_str() {
            "X" => Token::HexStringLiteral(inner),
            "E" => Token::EscapedStringLiteral(inner),
            "U&" => Token::UnicodeStringLiteral(inner),
            "N" => Token::NationalStringLiteral(inner),
            "B" => Token::SingleQuotedByteStringLiteral(inner),
            _ if body.starts_with('"') => Token::DoubleQuotedString(inner),
            _ => Token::SingleQuotedString(inner),
        };
        self.push(token, start, end, false);
    }

    /// `$1`, `?`, `@var`: MySQL's `@a.b` is words (`@` starts a name there), SQLite's `@a`
    /// an `@` and a name.
    fn parameter(&mut self, s: &str, start: usize, end: usize) -> Option<usize> {
        if !s.starts_with('@') {
            self.push(Token::Placeholder(s.to_string()), start, end, false);
        } else if self.dialect == Dialect::Mysql {
            let mut at = start;
            for (i, part) in s.split('.').enumerate() {
                if i > 0 {
                    self.push(Token::Period, at, at + 1, false);
                    at += 1;
                }
                let token = match part {
                    "" => continue,
                    "@" => Token::AtSign,
                    "@@" => Token::AtAt,
                    _ => Token::make_word(part, None),
                };
                self.push(token, at, at + part.len(), false);
                at += part.len();
            }
        } else {
            let at = if s.starts_with("@@") { 2 } else { 1 };
            let token = if at == 2 { Token::AtAt } else { Token::AtSign };
            self.push(token, start, start + at, false);
            return Some(start + at);
        }
        None
    }
}

fn comment(s: &str, open: bool) -> Whitespace {
    if let Some(body) = s.strip_prefix("/*") {
        let body = if open { body } else { &body[..body.len() - 2] };
        return Whitespace::MultiLineComment(body.to_string());
    }
    let prefix = if s.starts_with('#') { "#" } else { "--" };
    Whitespace::SingleLineComment {
        comment: s[prefix.len()..].to_string(),
        prefix: prefix.to_string(),
    }
}

/// The first operator of a run of operator characters, as sqlparser cuts it: the longest
/// it knows in `dialect`.
fn operator(run: &str, dialect: Dialect) -> (Token, usize) {
    let pg = dialect == Dialect::Postgres;
    for len in (2..=run.len().min(4)).rev() {
        let token = match &run[..len] {
            "!~~*" if pg => Token::ExclamationMarkDoubleTildeAsterisk,
            "->>" => Token::LongArrow,
            "#>>" => Token::HashLongArrow,
            "||/" => Token::PGCubeRoot,
            "<=>" => Token::Spaceship,
            "!~*" => Token::ExclamationMarkTildeAsterisk,
            "!~~" if pg => Token::ExclamationMarkDoubleTilde,
            "~~*" if pg => Token::DoubleTildeAsterisk,
            "<->" if pg => Token::TwoWayArrow,
            "@-@" if pg => Token::AtDashAt,
            "?-|" if pg => Token::QuestionMarkDashVerticalBar,
            "?||" if pg => Token::QuestionMarkDoubleVerticalBar,
            "&<|" if pg => Token::AmpersandLeftAngleBracketVerticalBar,
            "|&>" if pg => Token::VerticalBarAmpersandRightAngleBracket,
            "<<|" if pg => Token::ShiftLeftVerticalBar,
            "|>>" if pg => Token::VerticalBarShiftRight,
            "::" => Token::DoubleColon,
            ":=" => Token::Assignment,
            "<>" | "!=" => Token::Neq,
            "<=" => Token::LtEq,
            ">=" => Token::GtEq,
            "==" => Token::DoubleEq,
            "=>" => Token::RArrow,
            "->" => Token::Arrow,
            "||" => Token::StringConcat,
            "|/" => Token::PGSquareRoot,
            "<<" => Token::ShiftLeft,
            ">>" => Token::ShiftRight,
            "&&" => Token::Overlap,
            "#>" => Token::HashArrow,
            "#-" => Token::HashMinus,
            "@>" => Token::AtArrow,
            "<@" => Token::ArrowAt,
            "@?" => Token::AtQuestion,
            "~*" => Token::TildeAsterisk,
            "!~" => Token::ExclamationMarkTilde,
            "!!" => Token::DoubleExclamationMark,
            "^@" => Token::CaretAt,
            "~~" if pg => Token::DoubleTilde,
            "@@" if pg => Token::AtAt,
            "##" if pg => Token::DoubleSharp,
            "~=" if pg => Token::TildeEqual,
            "<^" if pg => Token::LeftAngleBracketCaret,
            ">^" if pg => Token::RightAngleBracketCaret,
            "&<" if pg => Token::AmpersandLeftAngleBracket,
            "&>" if pg => Token::AmpersandRightAngleBracket,
            "?|" if pg => Token::QuestionPipe,
            "?&" if pg => Token::QuestionAnd,
            "?#" if pg => Token::QuestionMarkSharp,
            "?-" if pg => Token::QuestionMarkDash,
            _ => continue,
        };
        return (token, len);
    }
    let token = match run.as_bytes()[0] {
        b'+' => Token::Plus,
        b'-' => Token::Minus,
        b'*' => Token::Mul,
        b'/' => Token::Div,
        b'%' => Token::Mod,
        b'=' => Token::Eq,
        b'<' => Token::Lt,
        b'>' => Token::Gt,
        b'!' => Token::ExclamationMark,
        b'|' => Token::Pipe,
        b'&' => Token::Ampersand,
        b'^' => Token::Caret,
        b'~' => Token::Tilde,
        b'#' => Token::Sharp,
        b'@' => Token::AtSign,
        b'?' if pg => Token::Question,
        b'?' => Token::Placeholder("?".into()),
        b':' => Token::Colon,
        c => Token::Char(c as char),
    };
    (token, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (Token, usize, usize, bool);

    fn toks(d: Dialect, text: &str) -> Vec<Row> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(text, &chars, d)
            .into_iter()
            .filter(|t| t.token != Token::Whitespace(Whitespace::Space))
            .map(|t| (t.token, t.start, t.end, t.open))
            .collect()
    }

    fn w(s: &str, start: usize, end: usize) -> Row {
        (Token::make_word(s, None), start, end, false)
    }

    fn q(s: &str, quote: char, start: usize, end: usize, open: bool) -> Row {
        let word = Word {
            value: s.into(),
            quote_style: Some(quote),
            keyword: Keyword::NoKeyword,
        };
        (Token::Word(word), start, end, open)
    }

    fn t(token: Token, start: usize, end: usize) -> Row {
        (token, start, end, false)
    }

    #[test]
    fn tokens_are_sqlparsers_with_char_offsets() {
        use Dialect::*;
        let s = |v: &str| v.to_string();
        let dollar = Token::DollarQuotedString(DollarQuotedString {
            value: s(" b "),
            tag: Some(s("f")),
        });
        let cases: Vec<(Dialect, &str, Vec<Row>)> = vec![
            (Postgres, "sélect x", vec![w("sélect", 0, 6), w("x", 7, 8)]),
            (
                Postgres,
                "\"Ab\"\"c\" \"Op",
                vec![q("Ab\"\"c", '"', 0, 7, false), q("Op", '"', 8, 11, true)],
            ),
            (
                Mysql,
                "`a` \"s\" 'it''s",
                vec![
                    q("a", '`', 0, 3, false),
                    t(Token::DoubleQuotedString(s("s")), 4, 7),
                    (Token::SingleQuotedString(s("it''s")), 8, 14, true),
                ],
            ),
            (Sqlite, "[a b", vec![q("a b", '[', 0, 4, true)]),
            (
                Postgres,
                "E'a' $f$ b $f$ $$ x",
                vec![
                    t(Token::EscapedStringLiteral(s("a")), 0, 4),
                    t(dollar, 5, 14),
                    (Token::SingleQuotedString(s("$ x")), 15, 19, true),
                ],
            ),
            (
                Postgres,
                "a=-1::int",
                vec![
                    w("a", 0, 1),
                    t(Token::Eq, 1, 2),
                    t(Token::Minus, 2, 3),
                    t(Token::Number(s("1"), false), 3, 4),
                    t(Token::DoubleColon, 4, 6),
                    w("int", 6, 9),
                ],
            ),
            (
                Postgres,
                "-- c\n/* d",
                vec![
                    t(
                        Token::Whitespace(Whitespace::SingleLineComment {
                            comment: s(" c"),
                            prefix: s("--"),
                        }),
                        0,
                        4,
                    ),
                    (
                        Token::Whitespace(Whitespace::MultiLineComment(s(" d"))),
                        5,
                        9,
                        true,
                    ),
                ],
            ),
            (
                Postgres,
                "1 \\gset :v",
                vec![
                    t(Token::Number(s("1"), false), 0, 1),
                    t(Token::Backslash, 2, 3),
                    w("gset", 3, 7),
                    t(Token::Colon, 8, 9),
                    w("v", 9, 10),
                ],
            ),
            (
                Mysql,
                "@a.b ? 0x1F",
                vec![
                    w("@a", 0, 2),
                    t(Token::Period, 2, 3),
                    w("b", 3, 4),
                    t(Token::Placeholder(s("?")), 5, 6),
                    t(Token::HexStringLiteral(s("1F")), 7, 11),
                ],
            ),
            (
                Sqlite,
                "N'x' $v",
                vec![
                    w("N", 0, 1),
                    t(Token::SingleQuotedString(s("x")), 1, 4),
                    t(Token::Placeholder(s("$v")), 5, 7),
                ],
            ),
        ];
        for (d, text, want) in cases {
            assert_eq!(toks(d, text), want, "{d:?} {text:?}");
        }
        let chars: Vec<char> = "select \"from\"".chars().collect();
        let found = tokenize("select \"from\"", &chars, Dialect::Postgres);
        assert_eq!(found[0].keyword(), Keyword::SELECT);
        assert_eq!(found[2].keyword(), Keyword::NoKeyword);
    }
}
