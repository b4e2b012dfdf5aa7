//! Tokens with char offsets for the completion engine.
//!
//! Wraps sqlparser's tokenizer, which stops at the first unterminated string, quoted
//! identifier or comment. Unfinished text is exactly what completion sees, so the tail
//! that failed is turned into one synthetic "open" token (an unfinished quoted identifier
//! stays a `Word` so it can be completed) and tokenizing goes on where possible.
//! Offsets are char indices, the unit the public API uses.

use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace, Word};

use crate::sql::Dialect;

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

/// Tokenizes all of `text`; never fails. `chars` is `text` as chars (offset lookups).
pub(super) fn tokenize(text: &str, chars: &[char], dialect: Dialect) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut base = 0usize; // char offset where the current tokenizer run starts
                           // Each restart skips at least one char; the cap keeps hostile input linear-ish.
    for _ in 0..16 {
        if base >= chars.len() {
            break;
        }
        let byte = crate::complete::byte_offset(text, base);
        let rest = &text[byte..];
        let mut buf: Vec<TokenWithSpan> = Vec::new();
        let ok = match dialect {
            Dialect::Postgres => run(&PostgreSqlDialect {}, rest, &mut buf),
            Dialect::Mysql => run(&MySqlDialect {}, rest, &mut buf),
            Dialect::Sqlite => run(&SQLiteDialect {}, rest, &mut buf),
        };
        let line_starts = line_starts(&chars[base..]);
        let mut last_end = base;
        for t in buf {
            if matches!(t.token, Token::EOF) {
                continue;
            }
            let start = base + to_offset(&line_starts, t.span.start.line, t.span.start.column);
            let end = base + to_offset(&line_starts, t.span.end.line, t.span.end.column);
            let (start, end) = (start.min(chars.len()), end.min(chars.len()).max(start));
            last_end = end;
            out.push(Tok {
                token: t.token,
                start,
                end,
                open: false,
            });
        }
        if ok {
            break;
        }
        // The tokenizer stopped at `last_end`: classify the unfinished tail.
        match open_token(&chars[last_end..], dialect) {
            Some(token) => {
                out.push(Tok {
                    token,
                    start: last_end,
                    end: chars.len(),
                    open: true,
                });
                break;
            }
            None => {
                // Something else it did not like: skip one char and carry on.
                if let Some(&c) = chars.get(last_end) {
                    out.push(Tok {
                        token: Token::Char(c),
                        start: last_end,
                        end: last_end + 1,
                        open: false,
                    });
                }
                base = last_end + 1;
            }
        }
    }
    out
}

fn run<D: SqlDialect>(dialect: &D, text: &str, buf: &mut Vec<TokenWithSpan>) -> bool {
    Tokenizer::new(dialect, text)
        .with_unescape(false)
        .tokenize_with_location_into_buf(buf)
        .is_ok()
}

fn line_starts(chars: &[char]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            starts.push(i + 1);
        }
    }
    starts
}

fn to_offset(line_starts: &[usize], line: u64, column: u64) -> usize {
    let line = usize::try_from(line).unwrap_or(usize::MAX).max(1);
    let column = usize::try_from(column).unwrap_or(usize::MAX).max(1);
    match line_starts.get(line - 1) {
        Some(&s) => s.saturating_add(column - 1),
        None => line_starts.last().copied().unwrap_or(0),
    }
}

/// What an unterminated tail is: a quoted name being typed, a string, or a comment.
fn open_token(tail: &[char], dialect: Dialect) -> Option<Token> {
    let first = *tail.first()?;
    let rest = || tail[1..].iter().collect::<String>();
    let ident_quote = first == quote_char(dialect)
        || (dialect == Dialect::Sqlite && (first == '`' || first == '['));
    if ident_quote {
        return Some(Token::Word(Word {
            value: rest(),
            quote_style: Some(first),
            keyword: Keyword::NoKeyword,
        }));
    }
    match first {
        '\'' | '"' | '`' | '$' => Some(Token::SingleQuotedString(rest())),
        'e' | 'E' | 'n' | 'N' | 'x' | 'X' | 'b' | 'B' | 'u' | 'U' | 'r' | 'R'
            if tail.iter().skip(1).take(2).any(|&c| c == '\'' || c == '"') =>
        {
            Some(Token::SingleQuotedString(rest()))
        }
        '/' if tail.get(1) == Some(&'*') => {
            Some(Token::Whitespace(Whitespace::MultiLineComment(rest())))
        }
        _ => None,
    }
}
