//! reedline glue for the completion engine: each request reads the latest catalog
//! snapshot (an `Arc` clone, never a wait) and maps the engine's candidates to menu
//! entries. The engine itself (`complete/`) knows nothing of reedline.

use reedline::{Completer, CompletionResult, Span, Suggestion};

use crate::catalog::load::SharedCatalog;
use crate::complete::{self, Kind, Options};
use crate::sql::lex::{tokenize, Kind as TokenKind};
use crate::sql::{Dialect, LexState};

/// At most this many entries reach the menu; the best come first anyway.
const MENU_LIMIT: usize = 100;
/// What the engine is asked for: the menu's entries and room for the few it drops
/// (a keyword or command exactly as typed).
pub const ENGINE_LIMIT: usize = MENU_LIMIT + 28;

pub struct SqlCompleter {
    pub catalog: SharedCatalog,
    pub options: Options,
    /// The session's recently used names (see `Session::recent`).
    pub recent: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The psql variables that are set (see `Session::variable_names`).
    pub variables: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Completer for SqlCompleter {
    fn complete(&mut self, line: &str, pos: usize) -> CompletionResult {
        CompletionResult::fresh(self.suggestions(line, pos))
    }
}

impl SqlCompleter {
    /// Menu entries for the cursor at byte offset `pos` of `line`.
    pub fn suggestions(&self, line: &str, pos: usize) -> Vec<Suggestion> {
        let catalog = self.catalog.get();
        if let Some((start, prefix, quote)) = variable_at(&line[..pos], catalog.dialect) {
            return self.variable_suggestions(start, pos, prefix, quote);
        }
        let cursor = complete::char_index(line, pos);
        let mut options = self.options.clone();
        options.limit = Some(ENGINE_LIMIT);
        if let Ok(recent) = self.recent.lock() {
            options.recent.clone_from(&recent);
        }
        let found = complete::suggest(line, cursor, &catalog, &options);
        let start = complete::byte_offset(line, found.replace_start).min(pos);
        let typed = &line[start..pos];
        let lower_keywords = typed.is_empty()
            && matches!(self.options.keyword_case, complete::KeywordCase::AsTyped)
            && statement_is_lower_case(&line[..pos]);
        found
            .candidates
            .into_iter()
            // Offering exactly what is typed only gets in the way of Enter.
            .filter(|c| !(c.text == typed && matches!(c.kind, Kind::Keyword | Kind::Special)))
            .take(MENU_LIMIT)
            .map(|mut c| {
                if lower_keywords && c.kind == Kind::Keyword {
                    c.text = c.text.to_lowercase();
                }
                c
            })
            .map(|c| Suggestion {
                description: Some(describe(c.kind, &c.detail)),
                value: c.text,
                span: Span::new(start, pos),
                append_whitespace: false,
                ..Suggestion::default()
            })
            .collect()
    }
}

impl SqlCompleter {
    /// psql variables after `:`, `:'` or `:"`, the quote closed as psql reads it.
    fn variable_suggestions(
        &self,
        start: usize,
        pos: usize,
        prefix: &str,
        quote: Option<char>,
    ) -> Vec<Suggestion> {
        let Ok(names) = self.variables.lock() else {
            return Vec::new();
        };
        let mut names: Vec<&String> = names.iter().filter(|n| n.starts_with(prefix)).collect();
        names.sort();
        names
            .into_iter()
            .map(|n| Suggestion {
                value: match quote {
                    Some(q) => format!("{n}{q}"),
                    None => n.clone(),
                },
                description: Some("variable".into()),
                span: Span::new(start, pos),
                append_whitespace: false,
                ..Suggestion::default()
            })
            .collect()
    }
}

/// A psql variable reference being typed at the end of `before`: where its name starts,
/// the name so far and the opening quote. Read with the one SQL lexer, so `::` (a cast)
/// and text inside strings or comments never count.
fn variable_at(before: &str, dialect: Dialect) -> Option<(usize, &str, Option<char>)> {
    let tokens = tokenize(before, &LexState::new(dialect));
    let (last, earlier) = tokens.split_last()?;
    if last.end != before.len() {
        return None;
    }
    let text = last.text(before);
    match last.kind {
        // `:name` so far (a closed `:'name'` is finished).
        TokenKind::Variable if text[1..].starts_with(|c: char| c.is_alphabetic() || c == '_') => {
            Some((last.start + 1, &text[1..], None))
        }
        TokenKind::Operator if text == ":" => Some((before.len(), "", None)),
        // `:'na` / `:"na`: the lexer sees `:` and an open quote.
        TokenKind::String | TokenKind::QuotedIdent if last.unterminated => {
            let colon = earlier.last()?;
            let quote = text.chars().next().filter(|q| matches!(q, '\'' | '"'))?;
            let name = &text[1..];
            (colon.kind == TokenKind::Operator
                && colon.text(before) == ":"
                && colon.end == last.start
                && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .then_some((last.start + 1, name, Some(quote)))
        }
        _ => None,
    }
}

/// The statement before the cursor starts with a lower-case word (`select`, `with`):
/// keywords offered where nothing is typed yet follow it (`join t on`, not `ON`).
fn statement_is_lower_case(before: &str) -> bool {
    let statement = before.rsplit(';').next().unwrap_or("");
    statement
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .is_some_and(|w| w.chars().all(char::is_lowercase))
}

/// The menu's detail line: what the candidate is, said once (`table`, `foreign table`,
/// `column integer`), never `table table`.
fn describe(kind: Kind, detail: &str) -> String {
    let kind = kind.as_str();
    if detail.is_empty() {
        kind.to_string()
    } else if detail.split_whitespace().any(|w| w == kind) {
        detail.to_string()
    } else {
        format!("{kind} {detail}")
    }
}

/// The engine's options for this session: keyword case and the backslash commands.
pub fn options(keyword_case: crate::config::KeywordCase) -> Options {
    Options {
        keyword_case: match keyword_case {
            crate::config::KeywordCase::Upper => complete::KeywordCase::Upper,
            crate::config::KeywordCase::Lower => complete::KeywordCase::Lower,
            crate::config::KeywordCase::AsTyped => complete::KeywordCase::AsTyped,
        },
        special_commands: crate::shell::special::COMMANDS
            .iter()
            .map(|c| (c.name.to_string(), c.description.to_string()))
            .collect(),
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detail_names_the_kind_once() {
        assert_eq!(describe(Kind::Table, "table"), "table");
        assert_eq!(describe(Kind::Table, "foreign table"), "foreign table");
        assert_eq!(
            describe(Kind::View, "materialized view"),
            "materialized view"
        );
        assert_eq!(describe(Kind::Column, "integer"), "column integer");
        assert_eq!(describe(Kind::Keyword, ""), "keyword");
    }

    #[test]
    fn variables_complete_after_a_colon_but_not_after_a_cast_or_in_a_string() {
        for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            assert_eq!(variable_at("select :na", d), Some((8, "na", None)));
            assert_eq!(variable_at("select :'na", d), Some((9, "na", Some('\''))));
            assert_eq!(variable_at("select :\"na", d), Some((9, "na", Some('"'))));
            assert_eq!(variable_at("select :", d), Some((8, "", None)));
            assert_eq!(variable_at("select 1::in", d), None);
            assert_eq!(variable_at("select ':na", d), None);
            assert_eq!(variable_at("select na", d), None);
        }
        assert_eq!(variable_at("select 1 -- :na", Dialect::Postgres), None);
    }

    #[test]
    fn keywords_follow_the_case_the_statement_is_typed_in() {
        assert!(statement_is_lower_case("select * from a join b "));
        assert!(!statement_is_lower_case("SELECT * from a join b "));
        assert!(statement_is_lower_case("SELECT 1; with x as ("));
        assert!(!statement_is_lower_case(""));
    }
}
