//! Splitting typed or scripted input into statements, client commands and COPY data, on
//! the tokens of `lex`. It must accept every statement the servers accept, so it reads no
//! grammar: only where statements end per dialect (`;` outside parentheses in PostgreSQL,
//! the MySQL client's `DELIMITER`, `\g`-style commands, routine and trigger bodies whose `;`
//! do not end the statement). It never fails and never drops text: what is left open at
//! the end is still a piece (`Terminator::Unterminated`), for the server to judge.

use super::dialect::{Dialect, LexState};
use super::facts;
use super::lex::{Kind, Lexer, Token};

/// How a statement was ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terminator {
    /// `;` or the current `DELIMITER`.
    Delimiter,
    /// `\G`: show this statement's results vertically.
    Vertical,
    /// `\g`: run, as `;` would.
    Go,
    /// Another statement-ending command, whole with its arguments: `\gx`, `\gset p_`,
    /// `\gexec`, `\g file`, `\gdesc`, `\watch 2`, `\crosstabview`.
    Command(String),
    /// The input ended before any terminator.
    Unterminated,
}

impl Terminator {
    /// `\G` and `\gx` ask for the expanded form.
    pub fn is_vertical(&self) -> bool {
        match self {
            Terminator::Vertical => true,
            Terminator::Command(c) => c == "\\gx" || c.starts_with("\\gx "),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// SQL without its terminator (`\;` joins become `;`); `offset` is its byte offset in
    /// the input.
    Sql {
        text: String,
        terminator: Terminator,
        offset: usize,
    },
    /// A backslash or dot command, one line, leading whitespace removed.
    Command { text: String, offset: usize },
    /// The lines after `COPY … FROM STDIN` up to a `\.` line (not included), newlines kept.
    CopyData { data: String, offset: usize },
}

impl Piece {
    pub fn offset(&self) -> usize {
        match self {
            Piece::Sql { offset, .. } | Piece::Command { offset, .. } => *offset,
            Piece::CopyData { offset, .. } => *offset,
        }
    }

    /// The same piece with its offset moved by `by` (a piece of a split tail of the input).
    pub fn shifted(mut self, by: usize) -> Piece {
        match &mut self {
            Piece::Sql { offset, .. }
            | Piece::Command { offset, .. }
            | Piece::CopyData { offset, .. } => *offset += by,
        }
        self
    }
}

/// The lexical state carried across inputs: dialect, `DELIMITER`, string rules.
#[derive(Debug, Clone)]
pub struct Splitter {
    state: LexState,
}

/// Statement-ending backslash commands (psql; `\G` from the mysql client).
const TERMINATING: &[&str] = &[
    "\\g",
    "\\G",
    "\\gx",
    "\\gset",
    "\\gexec",
    "\\gdesc",
    "\\watch",
    "\\crosstabview",
];

impl Splitter {
    pub fn new(dialect: Dialect) -> Splitter {
        Splitter {
            state: LexState::new(dialect),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.state.dialect
    }

    /// A new connection: its dialect, with that dialect's default string rules.
    pub fn set_dialect(&mut self, dialect: Dialect) {
        let delimiter = std::mem::take(&mut self.state.delimiter);
        self.state = LexState {
            delimiter,
            ..LexState::new(dialect)
        };
    }

    pub fn delimiter(&self) -> &str {
        &self.state.delimiter
    }

    pub fn lex_state(&self) -> &LexState {
        &self.state
    }

    /// From the server's parameter status (PostgreSQL).
    pub fn set_standard_conforming_strings(&mut self, on: bool) {
        self.state.standard_conforming_strings = on;
    }

    /// Split `input` into pieces; `DELIMITER x` and `SET sql_mode` (MySQL) and `SET
    /// standard_conforming_strings` (PostgreSQL) change how what follows splits, here and in
    /// later calls.
    pub fn split(&mut self, input: &str) -> Vec<Piece> {
        let (pieces, _, state) = scan(input, &self.state);
        self.state = state;
        pieces
    }

    /// Whether Enter should submit `input`: every statement in it is terminated, every
    /// COPY data block ended (or it is only commands, blanks and comments). Changes nothing.
    pub fn is_complete(&self, input: &str) -> bool {
        scan(input, &self.state).1
    }

    /// At the prompt: `input` ends with a `COPY … FROM STDIN` statement and nothing on the
    /// lines after it, so Enter sends it and the data is read from the terminal, as psql
    /// does (no completion or history inside data).
    pub fn awaits_copy_data(&self, input: &str) -> bool {
        let (pieces, complete, _) = scan(input, &self.state);
        !complete
            && matches!(
                pieces.last(),
                Some(Piece::Sql { text, terminator: Terminator::Delimiter, .. })
                    if facts::is_copy_from_stdin(text, &self.state)
            )
    }
}

/// The statement being read.
#[derive(Default)]
struct Current {
    /// Where its first non-blank token starts.
    start: Option<usize>,
    /// `\;` tokens inside it, sent as `;`.
    joins: Vec<usize>,
    depth: u32,
    blocks: Blocks,
}

fn scan(input: &str, state: &LexState) -> (Vec<Piece>, bool, LexState) {
    let mut lx = Lexer::new(input, state);
    let mut pieces = Vec::new();
    let mut cur = Current::default();
    let mut open = false;
    let parens_hold_semicolons = state.rules().parens_hold_semicolons;
    loop {
        if cur.start.is_none() && client_command(input, &mut lx, &mut pieces) {
            continue;
        }
        let Some(t) = lx.next() else { break };
        if t.unterminated {
            open = true;
        }
        let custom_delimiter = lx.state().delimiter != ";";
        let ends = match t.kind {
            Kind::Whitespace | Kind::Comment if !t.unterminated => continue,
            Kind::Semicolon if !custom_delimiter => {
                let in_body = !cur.blocks.at_semicolon();
                let in_parens = parens_hold_semicolons && cur.depth > 0;
                (!in_body && !in_parens).then_some(Terminator::Delimiter)
            }
            Kind::Delimiter => Some(Terminator::Delimiter),
            Kind::Command if t.text(input) == "\\;" => {
                cur.start.get_or_insert(t.start);
                cur.joins.push(t.start);
                continue;
            }
            Kind::Command if TERMINATING.contains(&t.text(input)) => {
                Some(command_terminator(input, &t, &mut lx))
            }
            Kind::Word => {
                cur.blocks.word(t.text(input));
                None
            }
            Kind::Punct => {
                match t.text(input) {
                    "(" => cur.depth += 1,
                    ")" => cur.depth = cur.depth.saturating_sub(1),
                    _ => {}
                }
                cur.blocks.punct();
                None
            }
            _ => {
                cur.blocks.punct();
                None
            }
        };
        match ends {
            None => {
                cur.start.get_or_insert(t.start);
            }
            Some(terminator) => {
                let copy = finish(input, &mut cur, t.start, terminator, &mut pieces, &mut lx);
                if copy {
                    open |= !copy_data(input, &mut lx, &mut pieces);
                }
            }
        }
    }
    if lx.in_executable_comment() {
        open = true;
    }
    if cur.start.is_some() {
        finish(
            input,
            &mut cur,
            input.len(),
            Terminator::Unterminated,
            &mut pieces,
            &mut lx,
        );
        open = true;
    }
    (pieces, !open, lx.state().clone())
}

/// At the start of a statement: a backslash or dot command line, or `DELIMITER x`.
/// Consumes it (and the blanks before it) and returns true.
fn client_command(input: &str, lx: &mut Lexer<'_>, pieces: &mut Vec<Piece>) -> bool {
    let from = lx.pos();
    let at = from
        + input[from..]
            .bytes()
            .take_while(u8::is_ascii_whitespace)
            .count();
    let rest = &input[at..];
    let rules = lx.state().rules();
    let is_delimiter = rules.delimiter_command
        && rest
            .get(..9)
            .is_some_and(|w| w.eq_ignore_ascii_case("delimiter"))
        && rest[9..].starts_with([' ', '\t']);
    let is_command = (rest.starts_with('\\') && !rest.starts_with("\\;"))
        || (rules.dot_commands && rest.starts_with('.'));
    if rules.delimiter_command && !is_delimiter && !is_command {
        if let Some(word) = mysql_line_word(rest) {
            mysql_line_command(input, at, word, lx, pieces);
            return true;
        }
    }
    if !is_delimiter && !is_command {
        return false;
    }
    let eol = rest.find('\n').map_or(input.len(), |i| at + i);
    let line = input[at..eol].trim_end();
    if is_delimiter {
        let new = line[9..].trim();
        if !new.is_empty() {
            lx.state_mut().delimiter = new.to_string();
        }
    } else {
        pieces.push(Piece::Command {
            text: line.to_string(),
            offset: at,
        });
    }
    lx.set_pos(eol);
    true
}

/// The mysql client's commands that run at the start of a statement without a terminator,
/// the rest of the line being their argument.
const MYSQL_LINE_COMMANDS: &[&str] = &[
    "use",
    "source",
    "charset",
    "status",
    "quit",
    "exit",
    "warnings",
    "nowarning",
];

fn mysql_line_word(rest: &str) -> Option<&'static str> {
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ';')
        .unwrap_or(rest.len());
    let word = &rest[..end];
    MYSQL_LINE_COMMANDS
        .iter()
        .find(|w| w.eq_ignore_ascii_case(word))
        .copied()
}

/// `use db`, `source f`, … up to the end of the line or a `;`: a statement of its own
/// (`\W`/`\w` for `warnings`/`nowarning`), as the mysql client runs them.
fn mysql_line_command(
    input: &str,
    at: usize,
    word: &str,
    lx: &mut Lexer<'_>,
    pieces: &mut Vec<Piece>,
) {
    let eol = input[at..].find('\n').map_or(input.len(), |i| at + i);
    let (end, next) = match input[at..eol].find(';') {
        Some(i) => (at + i, at + i + 1),
        None => (eol, eol),
    };
    let mut text = input[at..end].trim_end();
    let delimiter = lx.state().delimiter.clone();
    if delimiter != ";" {
        text = text
            .strip_suffix(delimiter.as_str())
            .unwrap_or(text)
            .trim_end();
    }
    pieces.push(match word {
        "warnings" => Piece::Command {
            text: "\\W".into(),
            offset: at,
        },
        "nowarning" => Piece::Command {
            text: "\\w".into(),
            offset: at,
        },
        _ => Piece::Sql {
            text: text.to_string(),
            terminator: Terminator::Delimiter,
            offset: at,
        },
    });
    lx.set_pos(next);
}

/// `\g`-style command `t` ended a statement: read its arguments (the rest of the line,
/// except for the mysql client's one-letter `\g`/`\G`).
fn command_terminator(input: &str, t: &Token, lx: &mut Lexer<'_>) -> Terminator {
    let word = t.text(input);
    let mut args = "";
    // The mysql client's `\g`/`\G` take no arguments; psql's endings do, everywhere.
    if lx.state().dialect != Dialect::Mysql || !matches!(word, "\\g" | "\\G") {
        let eol = input[t.end..].find('\n').map_or(input.len(), |i| t.end + i);
        args = input[t.end..eol].trim();
        lx.set_pos(eol);
    }
    match (word, args.is_empty()) {
        ("\\g", true) => Terminator::Go,
        ("\\G", true) => Terminator::Vertical,
        (_, true) => Terminator::Command(word.to_string()),
        _ => Terminator::Command(format!("{word} {args}")),
    }
}

/// Emit the statement read so far (if any), ending at `end`; returns whether it was a
/// `COPY … FROM STDIN` whose data follows.
fn finish(
    input: &str,
    cur: &mut Current,
    end: usize,
    terminator: Terminator,
    pieces: &mut Vec<Piece>,
    lx: &mut Lexer<'_>,
) -> bool {
    let done = std::mem::take(cur);
    let Some(start) = done.start else {
        return false;
    };
    let mut text = String::new();
    let mut from = start;
    for j in done.joins {
        text.push_str(&input[from..j]);
        text.push(';');
        from = j + 2;
    }
    text.push_str(&input[from..end.max(from)]);
    let text = text.trim_end().to_string();
    let dialect = lx.state().dialect;
    let mut copy = false;
    if dialect == Dialect::Mysql {
        if let Some(modes) = facts::sets_sql_mode(&text, lx.state()) {
            let has = |m: &str| modes.iter().any(|x| x == m);
            let state = lx.state_mut();
            // ANSI (and the modes that imply it) include ANSI_QUOTES.
            state.ansi_quotes = has("ANSI_QUOTES")
                || ["ANSI", "DB2", "ORACLE", "POSTGRESQL", "MSSQL", "MAXDB"]
                    .iter()
                    .any(|m| has(m));
            state.no_backslash_escapes = has("NO_BACKSLASH_ESCAPES");
        }
    }
    if dialect == Dialect::Postgres {
        if let Some(on) = facts::sets_standard_conforming_strings(&text, lx.state()) {
            lx.state_mut().standard_conforming_strings = on;
        }
        copy =
            terminator != Terminator::Unterminated && facts::is_copy_from_stdin(&text, lx.state());
    }
    pieces.push(Piece::Sql {
        text,
        terminator,
        offset: start,
    });
    copy
}

/// The data block after `COPY … FROM STDIN`: the next lines up to a `\.` line (psql reads
/// to the end of input when there is none). Text after the COPY's terminator on its own
/// line is read after the data, as psql does. Returns whether the `\.` line was found.
fn copy_data(input: &str, lx: &mut Lexer<'_>, pieces: &mut Vec<Piece>) -> bool {
    let pos = lx.pos();
    let Some(nl) = input[pos..].find('\n').map(|i| pos + i) else {
        return false;
    };
    let data_start = nl + 1;
    let mut line_start = data_start;
    let (data_end, resume, found) = loop {
        if line_start >= input.len() {
            break (input.len(), input.len(), false);
        }
        let line_end = input[line_start..]
            .find('\n')
            .map_or(input.len(), |i| line_start + i);
        let line = &input[line_start..line_end];
        if line.strip_suffix('\r').unwrap_or(line) == "\\." {
            break (line_start, (line_end + 1).min(input.len()), true);
        }
        line_start = line_end + 1;
    };
    pieces.push(Piece::CopyData {
        data: input[data_start..data_end].to_string(),
        offset: data_start,
    });
    lx.jump_at(nl, resume);
    found
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
        if self.head.len() < 8 {
            self.head.push(word.to_ascii_uppercase());
            self.routine = self.head.first().is_some_and(|w| w == "CREATE")
                && self
                    .head
                    .iter()
                    .any(|w| matches!(w.as_str(), "TRIGGER" | "PROCEDURE" | "FUNCTION" | "EVENT"));
        }
        if !self.routine {
            return;
        }
        let is = |w: &str| word.eq_ignore_ascii_case(w);
        if self.pending_end {
            self.pending_end = false;
            // END IF / END LOOP …: their openers were never counted.
            if ["IF", "LOOP", "WHILE", "REPEAT", "FOR"]
                .iter()
                .any(|w| is(w))
            {
                return;
            }
            self.depth = self.depth.saturating_sub(1);
            // END CASE closes a counted CASE.
            if is("CASE") {
                return;
            }
        }
        if is("BEGIN") || is("CASE") {
            self.depth += 1;
        } else if is("END") {
            self.pending_end = true;
        }
    }

    /// Punctuation or a comment settles a pending END.
    fn punct(&mut self) {
        if self.pending_end {
            self.pending_end = false;
            self.depth = self.depth.saturating_sub(1);
        }
    }

    /// Whether a `;` here ends the statement.
    fn at_semicolon(&mut self) -> bool {
        self.punct();
        self.depth == 0
    }
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
