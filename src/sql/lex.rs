//! The one SQL scanner: text to tokens with kinds and byte spans, per dialect and lexical
//! state. It never fails and covers its input exactly: an unterminated string, quoted name,
//! comment or dollar body runs to the end and is marked `unterminated`. It knows nothing of
//! statements (see `split`) or of what they mean (see `facts`).

use super::dialect::{Dialect, LexState, Rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Whitespace,
    /// A keyword or unquoted name (may contain `$` and non-ASCII letters).
    Word,
    /// `"x"`, `` `x` ``, `[x]`, `U&"x"`.
    QuotedIdent,
    /// `'x'`, `E'x'`, `U&'x'`, `X'ff'`, MySQL `"x"`.
    String,
    /// PostgreSQL `$tag$ … $tag$`.
    DollarBody,
    Number,
    /// `-- …`, `# …` (MySQL), `/* … */`.
    Comment,
    /// MySQL's `/*!40101` / `/*M!100100` opening code in a comment, or its closing `*/`:
    /// the text between is code the server runs.
    ExecComment,
    Operator,
    /// `( ) [ ] { } , .`
    Punct,
    Semicolon,
    /// The MySQL client's custom `DELIMITER`.
    Delimiter,
    /// psql variables: `:name`, `:'name'`, `:"name"`, `:{?name}`.
    Variable,
    /// `$1`, `?`, `@var`, `@@global.x`.
    Parameter,
    /// A backslash command word (`\gset`, `\G`), or `\;`.
    Command,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The input ended inside it (string, quoted name, comment, dollar body).
    pub unterminated: bool,
}

impl Token {
    pub fn text<'a>(&self, input: &'a str) -> &'a str {
        input.get(self.start..self.end).unwrap_or("")
    }

    /// Blanks and comments: nothing a server runs.
    pub fn is_blank(&self) -> bool {
        matches!(self.kind, Kind::Whitespace | Kind::Comment)
    }
}

/// Scans `text` lazily, so that the splitter can change the state (a `SET
/// standard_conforming_strings`, a `DELIMITER`) or skip a COPY data block between tokens.
pub struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    state: LexState,
    /// The dialect's fixed rules, looked up once.
    rules: Rules,
    /// Inside a MySQL executable comment.
    in_exec: bool,
    /// On reaching `.0`, continue at `.1` (a COPY data block already handed out).
    jump: Option<(usize, usize)>,
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

/// psql's variable name characters.
fn is_var_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

const OPERATOR_BYTES: &[u8] = b"+-*/%=<>!|&^~#@?:";

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, state: &LexState) -> Lexer<'a> {
        Lexer {
            text,
            b: text.as_bytes(),
            pos: 0,
            state: state.clone(),
            rules: state.rules(),
            in_exec: false,
            jump: None,
        }
    }

    pub fn state(&self) -> &LexState {
        &self.state
    }

    /// For the string rules and the delimiter; the dialect stays.
    pub fn state_mut(&mut self) -> &mut LexState {
        &mut self.state
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Continue scanning at `pos` (a char boundary the caller found).
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.b.len());
    }

    /// When the scan reaches `at`, continue at `to`.
    pub fn jump_at(&mut self, at: usize, to: usize) {
        self.jump = Some((at, to));
    }

    /// Inside a MySQL `/*! … */` that has not closed yet.
    pub fn in_executable_comment(&self) -> bool {
        self.in_exec
    }

    fn peek(&self, n: usize) -> Option<u8> {
        self.b.get(self.pos + n).copied()
    }

    fn rest(&self) -> &[u8] {
        &self.b[self.pos..]
    }

    fn line_end(&self) -> usize {
        self.rest()
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| self.pos + i)
    }

    /// Past the closing `close` of a quoted token whose opening is already consumed;
    /// `close` doubled escapes itself. Returns false when the input ends first.
    fn quoted(&mut self, close: u8, backslash: bool, doubled: bool) -> bool {
        while let Some(c) = self.peek(0) {
            if backslash && c == b'\\' {
                self.pos = (self.pos + 2).min(self.b.len());
                continue;
            }
            self.pos += 1;
            if c == close {
                if doubled && self.peek(0) == Some(close) {
                    self.pos += 1;
                    continue;
                }
                return true;
            }
        }
        false
    }

    fn block_comment(&mut self) -> bool {
        self.pos += 2;
        let nested = self.rules.nested_comments;
        let mut depth = 1u32;
        while self.pos < self.b.len() {
            if self.rest().starts_with(b"*/") {
                self.pos += 2;
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            } else if nested && self.rest().starts_with(b"/*") {
                self.pos += 2;
                depth += 1;
            } else {
                self.pos += 1;
            }
        }
        false
    }

    /// The length of a dollar-quote tag (`$$`, `$body$`) at the cursor.
    fn dollar_tag(&self) -> Option<usize> {
        let rest = self.rest();
        if rest.get(1).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut i = 1;
        while let Some(&c) = rest.get(i) {
            if c == b'$' {
                return Some(i + 1);
            }
            if !is_var_byte(c) {
                return None;
            }
            i += 1;
        }
        None
    }

    /// A psql variable reference at the cursor (on its `:`): its length.
    /// Whether a psql statement ending (`\gset`, `\gexec`, `\gx`, `\gdesc`) starts at
    /// the byte after the backslash, as a whole word.
    fn at_psql_ending(&self) -> bool {
        let rest = &self.b[self.pos..];
        ["gset", "gexec", "gx", "gdesc"].iter().any(|w| {
            rest.starts_with(w.as_bytes())
                && rest
                    .get(w.len())
                    .is_none_or(|c| c.is_ascii_whitespace() || *c == b'\\' || *c == b';')
        })
    }

    fn variable(&self) -> Option<usize> {
        let rest = self.rest();
        let name_len = |from: usize| rest[from..].iter().take_while(|&&c| is_var_byte(c)).count();
        match rest.get(1)? {
            b'\'' | b'"' => {
                let q = rest[1];
                let n = name_len(2);
                (n > 0 && rest.get(2 + n) == Some(&q)).then_some(n + 3)
            }
            b'{' if rest.get(2) == Some(&b'?') => {
                let n = name_len(3);
                (n > 0 && rest.get(3 + n) == Some(&b'}')).then_some(n + 4)
            }
            &c if is_var_byte(c) => Some(1 + name_len(1)),
            _ => None,
        }
    }

    fn number(&mut self) {
        if self.rest().starts_with(b"0x") || self.rest().starts_with(b"0X") {
            self.pos += 2;
            while self.peek(0).is_some_and(|c| c.is_ascii_hexdigit()) {
                self.pos += 1;
            }
            return;
        }
        while self
            .peek(0)
            .is_some_and(|c| c.is_ascii_digit() || c == b'_')
        {
            self.pos += 1;
        }
        if self.peek(0) == Some(b'.') && self.peek(1) != Some(b'.') {
            self.pos += 1;
            while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(0), Some(b'e' | b'E'))
            && (self.peek(1).is_some_and(|c| c.is_ascii_digit())
                || (matches!(self.peek(1), Some(b'+' | b'-'))
                    && self.peek(2).is_some_and(|c| c.is_ascii_digit())))
        {
            self.pos += 2;
            while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
        }
    }

    /// A name byte at the cursor, not where a custom delimiter begins (`1$$`).
    fn at_word_byte(&self) -> bool {
        let delim = self.state.delimiter.as_bytes();
        self.peek(0).is_some_and(is_word_byte)
            && (delim == b";" || delim.is_empty() || !self.rest().starts_with(delim))
    }

    /// Whether the byte before the cursor ends a name (a word or a quoted name).
    fn after_name(&self) -> bool {
        self.pos > 0 && matches!(self.b[self.pos - 1], c if is_word_byte(c) || c == b'`')
    }

    fn is_line_comment(&self) -> bool {
        let rules = self.rules;
        let c = self.b[self.pos];
        if c == b'#' {
            return rules.hash_comments;
        }
        c == b'-'
            && self.peek(1) == Some(b'-')
            && (!rules.dash_comment_needs_space || self.peek(2).is_none_or(|n| n <= b' '))
    }

    /// The next token's kind and whether it is unterminated; the cursor moves past it.
    fn scan(&mut self) -> (Kind, bool) {
        let rules = self.rules;
        let dialect = self.state.dialect;
        let c = self.b[self.pos];
        let next = self.peek(1);
        let delim = &self.state.delimiter;
        if delim != ";" && !delim.is_empty() && self.rest().starts_with(delim.as_bytes()) {
            self.pos += delim.len();
            return (Kind::Delimiter, false);
        }
        if c.is_ascii_whitespace() {
            while self.peek(0).is_some_and(|c| c.is_ascii_whitespace()) {
                self.pos += 1;
            }
            return (Kind::Whitespace, false);
        }
        if self.is_line_comment() {
            self.pos = self.line_end();
            return (Kind::Comment, false);
        }
        if c == b'/' && next == Some(b'*') {
            if rules.executable_comments {
                let bang = match self.peek(2) {
                    Some(b'!') => Some(3),
                    Some(b'M') if self.peek(3) == Some(b'!') => Some(4),
                    _ => None,
                };
                if let Some(n) = bang {
                    self.pos += n;
                    while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    self.in_exec = true;
                    return (Kind::ExecComment, false);
                }
            }
            let closed = self.block_comment();
            return (Kind::Comment, !closed);
        }
        if self.in_exec && c == b'*' && next == Some(b'/') {
            self.pos += 2;
            self.in_exec = false;
            return (Kind::ExecComment, false);
        }
        if c == b'\'' {
            self.pos += 1;
            let closed = self.quoted(b'\'', self.state.backslash_in_strings(), true);
            return (Kind::String, !closed);
        }
        // MySQL names may start with `$`.
        if is_word_start(c) || (c == b'$' && dialect == Dialect::Mysql) {
            // Prefixed strings: E'…' (backslash escapes), U&'…', X'…', B'…', N'…'.
            let upper = c.to_ascii_uppercase();
            if next == Some(b'\'') && matches!(upper, b'E' | b'X' | b'B' | b'N') {
                let backslash = match upper {
                    b'E' if rules.postgres_strings => true,
                    b'N' => self.state.backslash_in_strings(),
                    _ => false,
                };
                if upper != b'E' || rules.postgres_strings {
                    self.pos += 2;
                    let closed = self.quoted(b'\'', backslash, true);
                    return (Kind::String, !closed);
                }
            }
            if rules.postgres_strings && upper == b'U' && next == Some(b'&') {
                if let Some(q @ (b'\'' | b'"')) = self.peek(2) {
                    self.pos += 3;
                    let closed = self.quoted(q, false, true);
                    let kind = if q == b'"' {
                        Kind::QuotedIdent
                    } else {
                        Kind::String
                    };
                    return (kind, !closed);
                }
            }
            // A custom delimiter ends a word: `END$$`.
            while self.at_word_byte() {
                self.pos += 1;
            }
            return (Kind::Word, false);
        }
        if dialect == Dialect::Mysql && c == b'.' && self.after_name() {
            // MySQL: `t.1col`, `t.5` name a column, never a number `.1`.
            self.pos += 1;
            return (Kind::Punct, false);
        }
        if c.is_ascii_digit() || (c == b'.' && next.is_some_and(|d| d.is_ascii_digit())) {
            let start = self.pos;
            self.number();
            // MySQL names may start with digits (`1st`, `1_000`); digits alone stay a number.
            let run = &self.b[start..self.pos];
            let digits = run.iter().all(|c| c.is_ascii_digit() || *c == b'_');
            let name = run.contains(&b'_') || self.at_word_byte();
            if dialect == Dialect::Mysql && digits && name {
                while self.at_word_byte() {
                    self.pos += 1;
                }
                return (Kind::Word, false);
            }
            return (Kind::Number, false);
        }
        match c {
            b'"' => {
                self.pos += 1;
                if self.state.double_quote_is_string() {
                    let closed = self.quoted(b'"', self.state.backslash_in_strings(), true);
                    return (Kind::String, !closed);
                }
                let closed = self.quoted(b'"', false, true);
                return (Kind::QuotedIdent, !closed);
            }
            b'`' if rules.backtick_ident => {
                self.pos += 1;
                let closed = self.quoted(b'`', false, true);
                return (Kind::QuotedIdent, !closed);
            }
            b'[' if rules.bracket_ident => {
                self.pos += 1;
                let closed = self.quoted(b']', false, false);
                return (Kind::QuotedIdent, !closed);
            }
            b'$' if rules.postgres_strings => {
                if let Some(len) = self.dollar_tag() {
                    let tag = &self.b[self.pos..self.pos + len];
                    let body = self.pos + len;
                    let found = self.b[body..].windows(len).position(|w| w == tag);
                    self.pos = found.map_or(self.b.len(), |i| body + i + len);
                    return (Kind::DollarBody, found.is_none());
                }
            }
            _ => {}
        }
        if c == b'$' && next.is_some_and(|d| d.is_ascii_digit()) {
            self.pos += 1;
            while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            return (Kind::Parameter, false);
        }
        if c == b'$' && dialect == Dialect::Sqlite && next.is_some_and(is_word_start) {
            self.pos += 1;
            while self.peek(0).is_some_and(is_word_byte) {
                self.pos += 1;
            }
            return (Kind::Parameter, false);
        }
        if c == b':' {
            if next == Some(b':') {
                self.pos += 2;
                return (Kind::Operator, false);
            }
            if let Some(len) = self.variable() {
                self.pos += len;
                return (Kind::Variable, false);
            }
        }
        if c == b'@'
            && dialect != Dialect::Postgres
            && next.is_some_and(|n| is_var_byte(n) || n == b'@')
        {
            self.pos += 1;
            while self
                .peek(0)
                .is_some_and(|c| is_var_byte(c) || c == b'@' || c == b'.')
            {
                self.pos += 1;
            }
            return (Kind::Parameter, false);
        }
        if c == b'?' && dialect != Dialect::Postgres {
            self.pos += 1;
            // SQLite's numbered `?NNN`.
            while dialect == Dialect::Sqlite && self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            return (Kind::Parameter, false);
        }
        if c == b'\\' {
            self.pos += 1;
            if next == Some(b';') {
                self.pos += 1;
            } else if dialect == Dialect::Mysql
                && matches!(next, Some(b'g' | b'G'))
                && !self.at_psql_ending()
            {
                // The mysql client's commands are one letter: `\Gselect` is `\G` + text.
                // psql's endings (`\gset`, `\gx` …) work on every backend, so they stay whole.
                self.pos += 1;
            } else {
                while self
                    .peek(0)
                    .is_some_and(|c| !c.is_ascii_whitespace() && c != b'\\')
                {
                    self.pos += 1;
                }
            }
            return (Kind::Command, false);
        }
        if c == b';' {
            self.pos += 1;
            return (Kind::Semicolon, false);
        }
        if b"()[]{},.".contains(&c) {
            self.pos += 1;
            return (Kind::Punct, false);
        }
        if OPERATOR_BYTES.contains(&c) {
            self.pos += 1;
            // A run of operator characters is one operator, but never into a comment.
            while let Some(o) = self.peek(0) {
                let stop = !OPERATOR_BYTES.contains(&o)
                    || self.is_line_comment()
                    || self.rest().starts_with(b"/*")
                    || (self.in_exec && self.rest().starts_with(b"*/"))
                    || (o == b'?' && dialect != Dialect::Postgres)
                    || (o == b'@'
                        && dialect != Dialect::Postgres
                        && self.peek(1).is_some_and(|n| is_var_byte(n) || n == b'@'))
                    || (o == b':' && self.variable().is_some());
                if stop {
                    break;
                }
                self.pos += 1;
            }
            return (Kind::Operator, false);
        }
        // Anything else: one character.
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        self.pos += len;
        (Kind::Other, false)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some((at, to)) = self.jump {
            if self.pos >= at {
                self.pos = self.pos.max(to).min(self.b.len());
                self.jump = None;
            }
        }
        if self.pos >= self.b.len() {
            return None;
        }
        let start = self.pos;
        let (kind, unterminated) = self.scan();
        // Never stand still, never split a character.
        if self.pos <= start {
            self.pos = start + 1;
        }
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        Some(Token {
            kind,
            start,
            end: self.pos,
            unterminated,
        })
    }
}

/// All tokens of `text`, covering it exactly, in order.
pub fn tokenize(text: &str, state: &LexState) -> Vec<Token> {
    Lexer::new(text, state).collect()
}

/// What a string or quoted-name token's text stands for: its prefix (`E`, `N`, `X`, `B`,
/// `U&`) and quotes gone, a doubled quote read as one, backslash escapes read where the
/// string rules of `state` (or `E'…'`) say so. `U&` escapes stay as written.
pub fn unquote(text: &str, state: &LexState) -> String {
    let open = text.find(['\'', '"', '`', '[']).unwrap_or(0);
    let prefix = text[..open].to_ascii_uppercase();
    let Some(quote) = text[open..].chars().next() else {
        return String::new();
    };
    let close = if quote == '[' { ']' } else { quote };
    let string = quote == '\'' || (quote == '"' && state.double_quote_is_string());
    let backslash = match prefix.as_str() {
        "E" => true,
        "" | "N" => string && state.backslash_in_strings(),
        _ => false,
    };
    let body = &text[open + 1..];
    let body = body.strip_suffix(close).unwrap_or(body);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if backslash => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c if c == close && chars.peek() == Some(&close) && close != ']' => {
                chars.next();
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(d: Dialect, text: &str) -> Vec<(Kind, &str)> {
        lex_with(&LexState::new(d), text)
    }

    fn lex_with<'a>(state: &LexState, text: &'a str) -> Vec<(Kind, &'a str)> {
        tokenize(text, state)
            .into_iter()
            .filter(|t| t.kind != Kind::Whitespace)
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    use Dialect::*;
    use Kind::*;

    #[rustfmt::skip]
    #[test]
    fn each_dialect_reads_quotes_and_comments_as_its_server_does() {
        type Case<'a> = (Dialect, &'a str, &'a [(Kind, &'a str)]);
        let cases: &[Case<'_>] = &[
            (Postgres, "'it''s'", &[(String, "'it''s'")]),
            (Postgres, "'a\\' x", &[(String, "'a\\'"), (Word, "x")]),
            (Postgres, "E'a\\'b' x", &[(String, "E'a\\'b'"), (Word, "x")]),
            (Postgres, "e'a\\'b'", &[(String, "e'a\\'b'")]),
            (Postgres, "U&'d\\0061t' U&\"x\"", &[(String, "U&'d\\0061t'"), (QuotedIdent, "U&\"x\"")]),
            (Postgres, "/* a /* b */ c */ x", &[(Comment, "/* a /* b */ c */"), (Word, "x")]),
            (Sqlite, "/* a /* b */ c", &[(Comment, "/* a /* b */"), (Word, "c")]),
            (Postgres, "$$ a ' $$ x", &[(DollarBody, "$$ a ' $$"), (Word, "x")]),
            (Postgres, "$f$ $$ $f$", &[(DollarBody, "$f$ $$ $f$")]),
            (Postgres, "$1 a$b$ c", &[(Parameter, "$1"), (Word, "a$b$"), (Word, "c")]),
            (Postgres, "1--c\n2", &[(Number, "1"), (Comment, "--c"), (Number, "2")]),
            (Mysql, "1--1", &[(Number, "1"), (Operator, "--"), (Number, "1")]),
            (Mysql, "1-- c", &[(Number, "1"), (Comment, "-- c")]),
            (Mysql, "# c\nx", &[(Comment, "# c"), (Word, "x")]),
            (Postgres, "# c", &[(Operator, "#"), (Word, "c")]),
            (Mysql, "'a\\'b' \"c\\\"d\"", &[(String, "'a\\'b'"), (String, "\"c\\\"d\"")]),
            (Mysql, "`a``b`", &[(QuotedIdent, "`a``b`")]),
            (Sqlite, "[a b] `c`", &[(QuotedIdent, "[a b]"), (QuotedIdent, "`c`")]),
            (Postgres, "[1]", &[(Punct, "["), (Number, "1"), (Punct, "]")]),
            (Mysql, "/*!40101 SET x=1 */", &[(ExecComment, "/*!40101"), (Word, "SET"), (Word, "x"), (Operator, "="), (Number, "1"), (ExecComment, "*/")]),
            (Mysql, "/*M!100100 a */", &[(ExecComment, "/*M!100100"), (Word, "a"), (ExecComment, "*/")]),
            (Mysql, "/*!a*/", &[(ExecComment, "/*!"), (Word, "a"), (ExecComment, "*/")]),
            (Postgres, "/*!a*/", &[(Comment, "/*!a*/")]),
            (Postgres, "x::int", &[(Word, "x"), (Operator, "::"), (Word, "int")]),
            (Postgres, ":a :'b' :\"c\" :{?d}", &[(Variable, ":a"), (Variable, ":'b'"), (Variable, ":\"c\""), (Variable, ":{?d}")]),
            (Postgres, "a := 1", &[(Word, "a"), (Operator, ":="), (Number, "1")]),
            (Postgres, "\\gset p_ \\; \\dt+", &[(Command, "\\gset"), (Word, "p_"), (Command, "\\;"), (Command, "\\dt+")]),
            (Mysql, "1\\Gx", &[(Number, "1"), (Command, "\\G"), (Word, "x")]),
            (Mysql, "@a @@global.x ?", &[(Parameter, "@a"), (Parameter, "@@global.x"), (Parameter, "?")]),
            (Mysql, "a=@b<=@@c>@", &[(Word, "a"), (Operator, "="), (Parameter, "@b"), (Operator, "<="), (Parameter, "@@c"), (Operator, ">@")]),
            (Postgres, "a<@b", &[(Word, "a"), (Operator, "<@"), (Word, "b")]),
            (Postgres, "a ? b", &[(Word, "a"), (Operator, "?"), (Word, "b")]),
            (Sqlite, "$x", &[(Parameter, "$x")]),
            (Postgres, "X'1f' b'01' N'x'", &[(String, "X'1f'"), (String, "b'01'"), (String, "N'x'")]),
            (Postgres, "1.5e3 .5 0x1F", &[(Number, "1.5e3"), (Number, ".5"), (Number, "0x1F")]),
            (Postgres, "1st t.5 $a", &[(Number, "1"), (Word, "st"), (Word, "t"), (Number, ".5"), (Other, "$"), (Word, "a")]),
            (Mysql, "1st 12 1e5 1_000 t.1col `t`.5 .5", &[(Word, "1st"), (Number, "12"), (Number, "1e5"), (Word, "1_000"), (Word, "t"), (Punct, "."), (Word, "1col"), (QuotedIdent, "`t`"), (Punct, "."), (Number, "5"), (Number, ".5")]),
            (Mysql, "$a a$ $", &[(Word, "$a"), (Word, "a$"), (Word, "$")]),
            (Sqlite, "?12 ?", &[(Parameter, "?12"), (Parameter, "?")]),
            (Mysql, "?12", &[(Parameter, "?"), (Number, "12")]),
        ];
        for (d, text, want) in cases {
            assert_eq!(lex(*d, text), *want, "{d:?} {text:?}");
        }
    }

    #[test]
    fn unquote_reads_what_a_literal_or_quoted_name_stands_for() {
        let cases: &[(Dialect, &str, &str)] = &[
            (Postgres, "'it''s'", "it's"),
            (Postgres, "'a\\n'", "a\\n"),
            (Postgres, "E'a\\'b\\n'", "a'b\n"),
            (Postgres, "\"A\"\"b\"", "A\"b"),
            (Postgres, "U&\"x\"", "x"),
            (Mysql, "'a\\'b''c'", "a'b'c"),
            (Mysql, "\"DELETE \\\"x\\\"\"", "DELETE \"x\""),
            (Mysql, "`a``b`", "a`b"),
            (Sqlite, "[a b]", "a b"),
            (Sqlite, "'a\\'", "a\\"),
            (Postgres, "'open", "open"),
        ];
        for (d, text, want) in cases {
            assert_eq!(unquote(text, &LexState::new(*d)), *want, "{d:?} {text}");
        }
    }

    #[test]
    fn lexical_state_changes_quoting() {
        let mut pg = LexState::new(Postgres);
        pg.standard_conforming_strings = false;
        assert_eq!(lex_with(&pg, "'a\\'b'"), [(String, "'a\\'b'")]);
        let mut my = LexState::new(Mysql);
        my.no_backslash_escapes = true;
        assert_eq!(lex_with(&my, "'a\\' x"), [(String, "'a\\'"), (Word, "x")]);
        my.ansi_quotes = true;
        assert_eq!(lex_with(&my, "\"a\""), [(QuotedIdent, "\"a\"")]);
        let mut my = LexState::new(Mysql);
        my.delimiter = "//".into();
        assert_eq!(
            lex_with(&my, "a;b//"),
            [
                (Word, "a"),
                (Semicolon, ";"),
                (Word, "b"),
                (Delimiter, "//")
            ]
        );
        my.delimiter = "$$".into();
        assert_eq!(
            lex_with(&my, "END$$ 10$$ 1a$$"),
            [
                (Word, "END"),
                (Delimiter, "$$"),
                (Number, "10"),
                (Delimiter, "$$"),
                (Word, "1a"),
                (Delimiter, "$$")
            ]
        );
        my.delimiter = ";;".into();
        assert_eq!(
            lex_with(&my, "a; b;;"),
            [
                (Word, "a"),
                (Semicolon, ";"),
                (Word, "b"),
                (Delimiter, ";;")
            ]
        );
    }

    #[test]
    fn unterminated_tokens_run_to_the_end_and_say_so() {
        for (d, text) in [
            (Postgres, "'abc"),
            (Postgres, "\"abc"),
            (Postgres, "/* /* */"),
            (Postgres, "$$ x"),
            (Postgres, "E'\\'"),
            (Mysql, "'\\'"),
            (Sqlite, "[x"),
        ] {
            let tokens = tokenize(text, &LexState::new(d));
            assert_eq!(tokens.len(), 1, "{text:?}");
            assert!(tokens[0].unterminated, "{text:?}");
            assert_eq!(tokens[0].end, text.len());
        }
    }

    #[test]
    fn tokens_cover_any_input_exactly() {
        let mut seed: u64 = 0x2545f4914f6cdd1d;
        let alphabet: Vec<&str> = vec![
            "'", "\"", "`", "[", "]", "$", "$$", "$a$", "/*", "*/", "/*!", "--", "-", "#", "\\",
            ":", "::", ":'", "{?", "}", "@", "?", ";", "E", "U&", "é", "🦀", "\n", " ", "1", ".",
            "x", "\u{0}",
        ];
        for _ in 0..3000 {
            let mut text = std::string::String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            for d in [Postgres, Mysql, Sqlite] {
                let mut pos = 0;
                for t in tokenize(&text, &LexState::new(d)) {
                    assert_eq!(t.start, pos, "{text:?}");
                    assert!(t.end > t.start && text.is_char_boundary(t.end), "{text:?}");
                    pos = t.end;
                }
                assert_eq!(pos, text.len(), "{text:?}");
            }
        }
    }
}
