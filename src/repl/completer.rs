//! reedline glue for the completion engine: each request reads the latest catalog
//! snapshot (an `Arc` clone, never a wait) and maps the engine's candidates to menu
//! entries. The engine itself (`complete/`) knows nothing of reedline.

use reedline::{Completer, CompletionResult, Span, Suggestion};

use crate::catalog::load::SharedCatalog;
use crate::complete::{self, Kind, Options};

/// At most this many entries reach the menu; the best come first anyway.
const MENU_LIMIT: usize = 100;

pub struct SqlCompleter {
    pub catalog: SharedCatalog,
    pub options: Options,
    /// The session's recently used names (see `Session::recent`).
    pub recent: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
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
        let cursor = complete::char_index(line, pos);
        let mut options = self.options.clone();
        if let Ok(recent) = self.recent.lock() {
            options.recent.clone_from(&recent);
        }
        let found = complete::suggest(line, cursor, &catalog, &options);
        let start = complete::byte_offset(line, found.replace_start).min(pos);
        let typed = &line[start..pos];
        found
            .candidates
            .into_iter()
            // Offering exactly what is typed only gets in the way of Enter.
            .filter(|c| !(c.text == typed && matches!(c.kind, Kind::Keyword | Kind::Special)))
            .take(MENU_LIMIT)
            .map(|c| Suggestion {
                description: Some(if c.detail.is_empty() {
                    c.kind.as_str().to_string()
                } else {
                    format!("{} {}", c.kind.as_str(), c.detail)
                }),
                value: c.text,
                span: Span::new(start, pos),
                append_whitespace: false,
                ..Suggestion::default()
            })
            .collect()
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
        special_commands: crate::special::COMMANDS
            .iter()
            .map(|c| (c.name.to_string(), c.description.to_string()))
            .collect(),
        ..Options::default()
    }
}
