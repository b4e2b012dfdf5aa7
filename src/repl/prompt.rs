//! The prompt: `user@host:db> ` for servers, `file.db> ` for SQLite, with psql's
//! transaction marks (`*` in a transaction, `!` in a failed one) and the vi mode.

use std::borrow::Cow;

use reedline::{
    Prompt, PromptEditMode, PromptHistorySearch, PromptHistorySearchStatus, PromptViMode,
};

use crate::db::{ConnInfo, TxState};

pub struct DbshPrompt {
    pub left: String,
    pub vi: bool,
}

impl DbshPrompt {
    pub fn new(info: &ConnInfo, tx: TxState, vi: bool) -> DbshPrompt {
        let mut left = if info.host.is_empty() {
            info.database.clone()
        } else if info.user.is_empty() {
            format!("{}:{}", info.host, info.database)
        } else {
            format!("{}@{}:{}", info.user, info.host, info.database)
        };
        left.push_str(match tx {
            TxState::Idle => "",
            TxState::InTransaction => "*",
            TxState::Failed => "!",
        });
        DbshPrompt { left, vi }
    }
}

impl Prompt for DbshPrompt {
    fn render_prompt_left(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.left)
    }

    fn render_prompt_right(&self) -> Cow<'_, str> {
        Cow::Borrowed("")
    }

    fn render_prompt_indicator(&self, mode: PromptEditMode) -> Cow<'_, str> {
        match mode {
            PromptEditMode::Vi(PromptViMode::Normal) if self.vi => Cow::Borrowed(" [N]> "),
            PromptEditMode::Vi(PromptViMode::Visual) if self.vi => Cow::Borrowed(" [V]> "),
            PromptEditMode::Vi(_) if self.vi => Cow::Borrowed(" [I]> "),
            _ => Cow::Borrowed("> "),
        }
    }

    fn render_prompt_multiline_indicator(&self) -> Cow<'_, str> {
        let width =
            unicode_width::UnicodeWidthStr::width(self.left.as_str()) + if self.vi { 6 } else { 2 };
        Cow::Owned(format!("{:>width$}", "-> "))
    }

    fn render_prompt_history_search_indicator(&self, search: PromptHistorySearch) -> Cow<'_, str> {
        let prefix = match search.status {
            PromptHistorySearchStatus::Passing => "",
            PromptHistorySearchStatus::Failing => "failing ",
        };
        Cow::Owned(format!("({prefix}reverse-search: {}) ", search.term))
    }
}
