//! SQL text + cursor -> the word being completed, the statement and its scope.
//!
//! Finds the word being completed (and the quote or `qualifier.` before it), the statement
//! under the cursor and the tables in scope there (via `scope`), then asks `decide` which
//! kinds of suggestion fit. Backslash commands are split off first with a tiny lexer of
//! their own, since they are not SQL. Reads no catalog: names are resolved later.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Whitespace};

use super::decide::Decide;
use super::keywords;
use super::lexer::{self, Tok};
use super::scope::{self, Cte, Stmt, TableRef};
use crate::sql::Dialect;

/// A kind of suggestion wanted at the cursor; `Context::wants` lists them best first.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Want {
    /// SQL keywords: `first` rank before the rest; `rest` adds every other keyword.
    Keywords {
        first: &'static [&'static str],
        rest: bool,
    },
    /// Statement-starting keywords.
    Starters,
    /// Fixed words inserted as they are (`\T` formats, `\x on`).
    Literal(&'static [&'static str]),
    Specials,
    Relations {
        schema: Option<String>,
        tables: bool,
        views: bool,
    },
    Schemas,
    /// Schema names as string literals (`SET SCHEMA 'x'`).
    SchemaLiterals,
    /// Columns of every table in scope.
    Columns,
    /// Columns of the table named by these parts (`alias`, `table`, `schema.table`).
    ColumnsOf(Vec<String>),
    Functions {
        schema: Option<String>,
        srf_only: bool,
    },
    Aliases,
    JoinClauses,
    JoinConditions,
    /// Columns shared by the last joined table and an earlier one (`USING (`).
    CommonColumns,
    Datatypes {
        schema: Option<String>,
    },
    Databases,
    Named,
    /// Character sets (MySQL `CHARACTER SET`, `CONVERT(x USING`).
    Charsets,
    Collations,
    /// `*` (or `t.*`, qualifier parts given) spelled out as the columns it stands for.
    Expand(Vec<String>),
    /// Labels of the enum type of the column named by these parts (`col = '|`).
    Values(Vec<String>),
}

pub(super) struct Context {
    pub replace_start: usize,
    /// What was typed of the word being completed, without an opening quote.
    pub word: String,
    /// The opening quote the user typed, if any.
    pub quote: Option<char>,
    /// The closing quote is already right after the cursor.
    pub closed: bool,
    pub wants: Vec<Want>,
    pub refs: Vec<TableRef>,
    /// Indices into `refs` visible at the cursor, innermost scope first.
    pub visible: Vec<usize>,
    pub ctes: Vec<Cte>,
    /// Refs of the cursor's own query named before the cursor, in order (join targets).
    pub joined: Vec<usize>,
    /// The statement's text before the word, lower case, spaces removed: conditions
    /// already written are not offered again.
    pub written: String,
}

impl Context {
    fn new(cursor: usize) -> Context {
        Context {
            replace_start: cursor,
            word: String::new(),
            quote: None,
            closed: false,
            wants: Vec::new(),
            refs: Vec::new(),
            visible: Vec::new(),
            ctes: Vec::new(),
            joined: Vec::new(),
            written: String::new(),
        }
    }
}

pub(super) fn analyze(sql: &str, cursor: usize, dialect: Dialect) -> Context {
    let chars: Vec<char> = sql.chars().collect();
    let cursor = cursor.min(chars.len());
    if let Some(ctx) = backslash(&chars, cursor, dialect) {
        return ctx;
    }
    let toks = lexer::tokenize(sql, &chars, dialect);
    let mut ctx = Context::new(cursor);

    // The token holding the cursor (or ending right at it).
    let at = toks
        .iter()
        .position(|t| t.start < cursor && cursor <= t.end);
    let mut word_idx = None;
    let mut in_string = false;
    // Inside a `$$ ... $$` body (a function's): the body is SQL of its own.
    let body = at
        .filter(|&i| is_routine_body(&toks[..i]))
        .and_then(|i| dollar_body(&toks[i], &chars));
    if let Some((body_start, body_end)) = body {
        if (body_start..=body_end).contains(&cursor) {
            let body: String = chars[body_start..body_end].iter().collect();
            let mut inner = analyze(&body, cursor - body_start, dialect);
            inner.replace_start += body_start;
            return inner;
        }
    }
    if let Some(i) = at {
        let t = &toks[i];
        match &t.token {
            // A quoted name being typed; right after its closing quote it is done.
            Token::Word(w) if w.quote_style.is_some() && (t.open || cursor < t.end) => {
                ctx.quote = chars.get(t.start).copied();
                // `"Ord|"` (editor auto-closed the quote): the closing quote stays.
                ctx.closed = !t.open && cursor + 1 == t.end;
                ctx.word = chars[(t.start + 1).min(cursor)..cursor].iter().collect();
                ctx.replace_start = t.start;
                word_idx = Some(i);
            }
            Token::Word(w) if w.quote_style.is_some() => {}
            Token::Word(_) => {
                ctx.word = chars[t.start..cursor].iter().collect();
                ctx.replace_start = t.start;
                word_idx = Some(i);
            }
            Token::Whitespace(Whitespace::SingleLineComment { comment, .. })
                if cursor < t.end || !comment.ends_with('\n') =>
            {
                return ctx;
            }
            Token::Whitespace(Whitespace::MultiLineComment(_)) => {
                // Some dialects accept an unclosed `/*` as a comment running to the end.
                let closed =
                    t.end >= t.start + 4 && chars[t.end - 2] == '*' && chars[t.end - 1] == '/';
                if cursor < t.end || t.open || !closed {
                    return ctx;
                }
            }
            // Inside a string: maybe a value of an enum column (`status = 'pa|`).
            Token::SingleQuotedString(_)
                if chars.get(t.start) == Some(&'\'') && (t.open || cursor < t.end) =>
            {
                ctx.closed = !t.open && cursor + 1 == t.end;
                ctx.word = chars[(t.start + 1).min(cursor)..cursor].iter().collect();
                ctx.replace_start = t.start;
                word_idx = Some(i);
                in_string = true;
            }
            Token::Whitespace(_) | Token::Comma | Token::LParen | Token::RParen => {}
            Token::SemiColon | Token::Period | Token::DoubleColon => {}
            // Inside (or at the end of) a literal or a number: nothing to complete.
            Token::Number(..) => return ctx,
            _ if t.open || cursor < t.end => return ctx,
            _ => {}
        }
    }

    // The statement under the cursor: between the `;` around it.
    let stmt_start = toks[..word_idx
        .or(at)
        .map_or(toks.len(), |i| i + 1)
        .min(toks.len())]
        .iter()
        .rposition(|t| matches!(t.token, Token::SemiColon) && t.end <= ctx.replace_start)
        .map_or(0, |i| i + 1);
    // A backslash command line before the cursor also ends a statement (`\x` then SQL).
    let mut stmt_start = stmt_start;
    if let Some(nl) = toks[stmt_start..]
        .iter()
        .filter(|t| is_backslash(&t.token) && t.end <= ctx.replace_start)
        .filter_map(|t| {
            chars[t.start..]
                .iter()
                .position(|&c| c == '\n')
                .map(|k| t.start + k)
        })
        .filter(|&nl| nl < ctx.replace_start)
        .max()
    {
        stmt_start = toks
            .iter()
            .position(|t| t.start > nl)
            .unwrap_or(toks.len())
            .max(stmt_start);
    }
    let stmt_end = toks[stmt_start..]
        .iter()
        .position(|t| matches!(t.token, Token::SemiColon) && t.start >= cursor)
        .map_or(toks.len(), |i| stmt_start + i);
    let mut sig: Vec<&Tok> = Vec::new();
    let mut cur = 0;
    for (i, t) in toks[stmt_start..stmt_end].iter().enumerate() {
        if t.is_trivia() || Some(stmt_start + i) == word_idx {
            continue;
        }
        if t.end <= ctx.replace_start {
            cur += 1;
        }
        sig.push(t);
    }
    let s = Stmt::new(sig, dialect, cur);
    if let Some(first) = s.toks.first() {
        ctx.written = chars[first.start.min(ctx.replace_start)..ctx.replace_start]
            .iter()
            .filter(|c| !c.is_whitespace())
            .flat_map(|c| c.to_lowercase())
            .collect();
    }

    // A word right after a backslash in SQL text (`SELECT 1 \g`): a special command.
    if cur > 0 && is_backslash(&s.toks[cur - 1].token) && s.toks[cur - 1].end == ctx.replace_start {
        ctx.replace_start = s.toks[cur - 1].start;
        ctx.word.insert(0, '\\');
        ctx.wants = vec![Want::Specials];
        return ctx;
    }

    let value_of = if in_string {
        match value_column(&s, cur) {
            Some(parts) => Some(parts),
            // `SET SCHEMA 'pu|`: the value is a schema name.
            None if cur == 2 && s.kw(0) == Keyword::SET && s.kw(1) == Keyword::SCHEMA => {
                ctx.wants = vec![Want::SchemaLiterals];
                return ctx;
            }
            None => return ctx,
        }
    } else {
        None
    };

    // `a.b.|`: the qualifier parts before the word.
    let mut qual: Vec<String> = Vec::new();
    let mut b = cur;
    // Tab right after `SELECT *` or `t.*`: expand it into the column list.
    let star = star_at(&s, cur, cursor);
    if let Some((start, q)) = &star {
        b = *start;
        ctx.replace_start = s.toks[*start].start;
        ctx.word.clear();
        qual = q.clone();
    }
    while star.is_none() && b >= 2 && qual.len() < 3 && s.is(b - 1, &Token::Period) {
        let adjacent = s.toks[b - 1].end
            == if qual.is_empty() {
                ctx.replace_start
            } else {
                s.toks[b].start
            };
        match s.word(b - 2) {
            Some(w) if adjacent => {
                qual.insert(0, w);
                b -= 2;
            }
            _ => break,
        }
    }
    if qual.is_empty() && b > 0 && s.is(b - 1, &Token::Period) {
        return ctx; // `1.|`, `).|`: nothing sensible
    }

    let (refs, ctes) = scope::extract(&s);
    let g = s.group_at(b);
    let mut levels = Vec::new();
    let mut lv = s.level(g);
    loop {
        levels.push(lv);
        let cte_body = ctes.iter().any(|c| c.body == Some(lv));
        if lv == 0 || cte_body || levels.len() > 64 {
            break;
        }
        lv = s.level(s.groups[lv].parent);
    }
    for &l in &levels {
        for (idx, r) in refs.iter().enumerate() {
            if r.level == l {
                ctx.visible.push(idx);
            }
        }
    }
    let own = levels.first().copied().unwrap_or(0);
    ctx.joined = (0..refs.len())
        .filter(|&i| refs[i].level == own && refs[i].pos < b)
        .collect();

    let d = Decide {
        s: &s,
        p: b,
        dialect,
    };
    ctx.wants = if let Some(parts) = value_of {
        vec![Want::Values(parts)]
    } else if star.is_some() {
        vec![Want::Expand(qual)]
    } else if qual.is_empty() {
        d.decide()
    } else {
        d.qualified(qual)
    };
    ctx.refs = refs;
    ctx.ctes = ctes;
    ctx
}

/// A `*` (or `t.*`) ending right at the cursor in a select list: the index of its first
/// token and the qualifier.
fn star_at(s: &Stmt, cur: usize, cursor: usize) -> Option<(usize, Vec<String>)> {
    let k = cur.checked_sub(1)?;
    if !s.is(k, &Token::Mul) || s.toks[k].end != cursor {
        return None;
    }
    let (start, qual) = match k.checked_sub(2) {
        Some(q) if s.is(k - 1, &Token::Period) => (q, vec![s.word(q)?]),
        _ => (k, Vec::new()),
    };
    let before = start.checked_sub(1)?;
    let list_start =
        matches!(s.kw(before), Keyword::SELECT | Keyword::DISTINCT) || s.is(before, &Token::Comma);
    list_start.then_some((start, qual))
}

/// The column compared with the string at `cur`: `col = '|`, `t.col <> '|`,
/// `col IN ('a', '|`.
fn value_column(s: &Stmt, cur: usize) -> Option<Vec<String>> {
    if let Some(col) = values_column(s, cur) {
        return Some(vec![col]);
    }
    let mut k = cur.checked_sub(1)?;
    let in_list = matches!(
        s.toks[k].token,
        Token::Comma | Token::LParen | Token::SingleQuotedString(_)
    );
    if in_list {
        while k > 0 && matches!(s.toks[k].token, Token::Comma | Token::SingleQuotedString(_)) {
            k -= 1;
        }
        if !s.is(k, &Token::LParen) || k == 0 || s.kw(k - 1) != Keyword::IN {
            return None;
        }
        k = k.checked_sub(2)?;
        if s.kw(k) == Keyword::NOT {
            k = k.checked_sub(1)?;
        }
    } else if matches!(s.toks[k].token, Token::Eq | Token::Neq) {
        k = k.checked_sub(1)?;
    } else {
        return None;
    }
    let mut parts = vec![s.word(k)?];
    while k >= 2 && s.is(k - 1, &Token::Period) {
        parts.insert(0, s.word(k - 2)?);
        k -= 2;
    }
    Some(parts)
}

/// `INSERT INTO t (a, b) VALUES (1, '|`: the column at the value's position.
fn values_column(s: &Stmt, cur: usize) -> Option<String> {
    let g = s.group_at(cur);
    let open = s.open_index(g)?;
    let values = s.back_in_group(open + 1, s.groups[g].parent, |j| s.kw(j) == Keyword::VALUES)?;
    let idx = (open + 1..cur)
        .filter(|&j| s.group[j] == g && s.is(j, &Token::Comma))
        .count();
    let close = values.checked_sub(1).filter(|&j| s.is(j, &Token::RParen))?;
    let cols = s.group[close];
    let cols_open = s.open_index(cols)?;
    (cols_open + 1..close)
        .filter(|&j| s.group[j] == cols && s.is_word(j))
        .nth(idx)
        .and_then(|j| s.word(j))
}

/// Do the tokens before a dollar-quoted string make it a routine body (`CREATE FUNCTION
/// ... AS`, `DO`) rather than a string value?
fn is_routine_body(before: &[Tok]) -> bool {
    let start = before
        .iter()
        .rposition(|t| matches!(t.token, Token::SemiColon))
        .map_or(0, |i| i + 1);
    let mut words = before[start..].iter().filter(|t| !t.is_trivia());
    match words.next().map(|t| t.keyword()) {
        Some(Keyword::DO) => true,
        Some(Keyword::CREATE) => {
            words.any(|t| matches!(t.keyword(), Keyword::FUNCTION | Keyword::PROCEDURE))
        }
        _ => false,
    }
}

/// The char range of the body of a dollar-quoted string token (`$tag$ body $tag$`),
/// running to the end of the text while the string is still open.
fn dollar_body(t: &Tok, chars: &[char]) -> Option<(usize, usize)> {
    let closed = matches!(t.token, Token::DollarQuotedString(_));
    let open = t.open && matches!(t.token, Token::SingleQuotedString(_));
    if !(closed || open) || chars.get(t.start) != Some(&'$') {
        return None;
    }
    let tag_len = chars[t.start + 1..t.end.min(chars.len())]
        .iter()
        .position(|&c| c == '$')?;
    let tag_ok = chars[t.start + 1..t.start + 1 + tag_len]
        .iter()
        .all(|c| c.is_alphanumeric() || *c == '_');
    if !tag_ok {
        return None;
    }
    let body_start = t.start + tag_len + 2;
    let body_end = if closed {
        t.end.checked_sub(tag_len + 2)?
    } else {
        chars.len()
    };
    (body_start <= body_end).then_some((body_start, body_end))
}

/// `.ta|` starting a statement: sqlite3's dot commands (offered on SQLite only).
fn dot_command(chars: &[char], k: usize, cursor: usize) -> Option<Context> {
    let before: String = chars[..k].iter().collect();
    let before = before.trim_end();
    let statement_start = before.is_empty() || before.ends_with(';');
    let one_word = chars[k + 1..cursor]
        .iter()
        .all(|c| c.is_alphanumeric() || *c == '_');
    if !statement_start || !one_word {
        return None;
    }
    let mut ctx = Context::new(cursor);
    ctx.replace_start = k;
    ctx.word = chars[k..cursor].iter().collect();
    ctx.wants = vec![Want::Specials];
    Some(ctx)
}

pub(super) fn is_backslash(t: &Token) -> bool {
    matches!(t, Token::Backslash | Token::Char('\\'))
}

/// `\cmd arg` lines: the command name, or its first argument.
fn backslash(chars: &[char], cursor: usize, dialect: Dialect) -> Option<Context> {
    let line_start = chars[..cursor]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |i| i + 1);
    let k = (line_start..cursor).find(|&i| !chars[i].is_whitespace())?;
    if chars[k] == '.' {
        return dot_command(chars, k, cursor);
    }
    if chars[k] != '\\' {
        return None;
    }
    let mut ctx = Context::new(cursor);
    let e = (k..cursor)
        .find(|&i| chars[i].is_whitespace())
        .unwrap_or(cursor);
    if e == cursor {
        ctx.replace_start = k;
        ctx.word = chars[k..cursor].iter().collect();
        ctx.wants = vec![Want::Specials];
        return Some(ctx);
    }
    let a = (e..cursor)
        .rev()
        .find(|&i| chars[i].is_whitespace())
        .map_or(e, |i| i + 1);
    if chars[e..a].iter().any(|c| !c.is_whitespace()) {
        return Some(ctx); // only the first argument is completed
    }
    let mut cmd: String = chars[k..e].iter().collect();
    while cmd.len() > 2 && (cmd.ends_with('+') || cmd.ends_with('S')) {
        cmd.pop();
    }
    let mut start = a;
    let mut schema = None;
    if let Some(dot) = chars[a..cursor].iter().rposition(|&c| c == '.') {
        let s: String = chars[a..a + dot].iter().collect();
        // Folded like SQL: psql reads `\d Custom.` as schema `custom`.
        let quoted = s.starts_with(['"', '`']);
        let s = s.trim_matches(|c| c == '"' || c == '`');
        schema = Some(if dialect == Dialect::Postgres && !quoted {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        });
        start = a + dot + 1;
    }
    if matches!(chars.get(start), Some('"' | '`')) && start < cursor {
        ctx.quote = chars.get(start).copied();
        ctx.word = chars[start + 1..cursor].iter().collect();
    } else {
        ctx.word = chars[start..cursor].iter().collect();
    }
    ctx.replace_start = start;
    let unqualified = schema.is_none();
    let rel = |tables, views| Want::Relations {
        schema: schema.clone(),
        tables,
        views,
    };
    ctx.wants = match cmd.as_str() {
        "\\d" if unqualified => vec![rel(true, true), Want::Schemas],
        "\\d" => vec![rel(true, true)],
        "\\dt" => vec![rel(true, false)],
        "\\dv" | "\\dm" => vec![rel(false, true)],
        "\\df" => vec![Want::Functions {
            schema: schema.clone(),
            srf_only: false,
        }],
        "\\dn" if unqualified => vec![Want::Schemas],
        "\\dT" => vec![Want::Datatypes {
            schema: schema.clone(),
        }],
        "\\c" | "\\connect" | "\\l" | "\\u" | "\\use" if unqualified => vec![Want::Databases],
        "\\n" | "\\nd" if unqualified => vec![Want::Named],
        "\\T" if unqualified => vec![Want::Literal(keywords::FORMATS)],
        "\\x" if unqualified => vec![Want::Literal(&["on", "off", "auto"])],
        "\\timing" if unqualified => vec![Want::Literal(&["on", "off"])],
        _ => Vec::new(),
    };
    Some(ctx)
}
