//! Completion: SQL text + cursor + catalog snapshot -> ranked candidates. Pure; no I/O.
//!
//! This file is the public face of the engine: the candidate types, the options the glue
//! passes in, [`suggest`] (what the reedline completer and `--suggest` call) and the
//! `--suggest` output format. The work is split: `lexer` tokenizes, `context` finds the
//! word, the statement and the tables in scope (`scope`), `decide` says what may come at
//! the cursor (with `qualified` for `a.|`, `ddl` for type positions and settings, `join_rules`
//! for ON),
//! `candidates` turns that into names from the catalog (`listing` for catalog lists,
//! `derived` for `*`, function result columns and enum labels, `joins`; `keywords` holds
//! the fixed vocabulary), and `rank` matches them against what was typed and orders them.
//! `names` is the one place that says how the server folds and compares identifiers.
//! Nothing here knows about reedline, a terminal or a connection.

pub mod bench_support;
mod candidates;
mod context;
mod ddl;
mod decide;
mod derived;
mod join_rules;
mod joins;
mod keywords;
mod lexer;
mod listing;
mod names;
mod qualified;
mod rank;
mod scope;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_engine;
#[cfg(test)]
mod tests_peers;
#[cfg(test)]
mod tests_rules;
#[cfg(test)]
mod tests_scale;
#[cfg(test)]
mod tests_schemata;

use crate::catalog::Catalog;

/// What a candidate is; printed by `--suggest` as the second column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Keyword,
    Table,
    View,
    Column,
    Function,
    Schema,
    Database,
    Alias,
    /// A whole join clause or join condition built from foreign keys or shared columns.
    Join,
    Datatype,
    /// A backslash command.
    Special,
    /// A named (saved) query.
    Named,
    /// A literal value: an enum label, quoted.
    Value,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Keyword => "keyword",
            Kind::Table => "table",
            Kind::View => "view",
            Kind::Column => "column",
            Kind::Function => "function",
            Kind::Schema => "schema",
            Kind::Database => "database",
            Kind::Alias => "alias",
            Kind::Join => "join",
            Kind::Datatype => "datatype",
            Kind::Special => "special",
            Kind::Named => "named",
            Kind::Value => "value",
        }
    }
}

/// One entry of the completion menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What replaces the text from `Suggestions::replace_start` to the cursor.
    pub text: String,
    pub kind: Kind,
    /// Shown beside the text: a column's type, a function's `(args) -> type`, `table`, ...
    pub detail: String,
}

/// The answer to one completion request, best candidate first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    pub candidates: Vec<Candidate>,
    /// Char index where the word being completed starts (at most the cursor).
    pub replace_start: usize,
}

/// How keywords are spelled in candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeywordCase {
    #[default]
    Upper,
    Lower,
    /// Follow what the user typed: lower case if the typed prefix is all lower case.
    AsTyped,
}

/// Session settings the glue passes with each request.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub keyword_case: KeywordCase,
    /// Names used recently (tables, columns, functions...), most recent first; they rank
    /// higher among equally good matches. Compared case-insensitively, unquoted.
    pub recent: Vec<String>,
    /// Backslash commands (`\d`, `\dt`, ...) with a one-line description.
    pub special_commands: Vec<(String, String)>,
    /// Names of saved queries, for `\n`.
    pub named_queries: Vec<String>,
    /// Only the best this many candidates (a menu shows few): with 50,000 tables in the
    /// catalog the rest are ranked but never built. None: all of them (`--suggest`).
    pub limit: Option<usize>,
}

/// Candidates for the cursor at char index `cursor` of `sql`.
///
/// Never panics: a cursor past the end is clamped, any text is accepted.
pub fn suggest(sql: &str, cursor: usize, catalog: &Catalog, opts: &Options) -> Suggestions {
    let ctx = context::analyze(sql, cursor, catalog.dialect);
    let replace_start = ctx.replace_start;
    let candidates = candidates::build(&ctx, catalog, opts);
    Suggestions {
        candidates,
        replace_start,
    }
}

/// The `--suggest` output: one `TEXT<TAB>KIND` line per candidate, best first.
pub fn suggest_lines(suggestions: &Suggestions) -> String {
    let mut out = String::new();
    for c in &suggestions.candidates {
        // A quoted name may hold a tab or newline; keep the one-line-per-candidate format.
        out.extend(
            c.text
                .chars()
                .map(|ch| if ch.is_control() { ' ' } else { ch }),
        );
        out.push('\t');
        out.push_str(c.kind.as_str());
        out.push('\n');
    }
    out
}

/// Converts a byte offset (as editors such as reedline report it) to the char index
/// [`suggest`] takes; offsets inside a char or past the end are clamped.
pub fn char_index(text: &str, byte_offset: usize) -> usize {
    let mut end = byte_offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count()
}

/// Converts a char index to a byte offset, clamped to the end of `text`.
pub fn byte_offset(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}
