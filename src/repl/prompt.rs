//! The prompt: `user@host:db> ` for servers, `file.db> ` for SQLite by default, or the
//! user's template (config `prompt`, `prompt_continuation`) with escapes:
//!
//! `\u` user, `\h` host, `\p` port, `\d` database (the file for SQLite), `\b` backend,
//! `\x` transaction state (`*` in a transaction, `!` in a failed one, psql's marks),
//! `\v` the vi mode (`[I]`, `[N]`, `[V]`; empty in emacs mode), `\\` a backslash.
//!
//! The template is split where the edit mode starts to matter: from the first `\v` (or
//! the final `>` when there is none) it is reedline's "indicator", the one part that is
//! told the edit mode; the completion menu shows the same text in its place, so nothing
//! moves while the menu is open.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reedline::{
    Prompt, PromptEditMode, PromptHistorySearch, PromptHistorySearchStatus, PromptViMode,
};
use unicode_width::UnicodeWidthStr;

use crate::db::{ConnInfo, TxState};
use crate::render::sanitize::escape_controls;

/// What the escapes expand to.
#[derive(Debug, Clone, Default)]
pub struct PromptValues {
    pub info: ConnInfo,
    pub backend: &'static str,
    pub tx: TxState,
    /// The session cannot change data: said at the start of the prompt, whatever the
    /// template, so nobody forgets on which kind of session they type.
    pub read_only: bool,
}

pub struct DbshPrompt {
    values: PromptValues,
    /// None: the default for this connection.
    template: Option<String>,
    continuation: Option<String>,
    /// Width of the prompt last drawn, to right-align the default continuation.
    width: AtomicUsize,
    /// Multi-line mode is off (Enter always runs): said on the right, as it changes
    /// what Enter does.
    pub single_line: bool,
    /// Where the indicator last drawn is kept for the completion menu, which shows it
    /// instead of its own marker (see `menu::MenuState::indicator`).
    pub shown_indicator: Option<Arc<Mutex<String>>>,
}

impl DbshPrompt {
    pub fn new(
        values: PromptValues,
        template: Option<String>,
        continuation: Option<String>,
    ) -> DbshPrompt {
        DbshPrompt {
            values,
            template,
            continuation,
            width: AtomicUsize::new(2),
            single_line: false,
            shown_indicator: None,
        }
    }

    fn default_template(&self, vi: bool) -> &'static str {
        let info = &self.values.info;
        match (info.host.is_empty(), info.user.is_empty(), vi) {
            (true, _, false) => "\\d\\x> ",
            (true, _, true) => "\\d\\x \\v> ",
            (false, true, false) => "\\h:\\d\\x> ",
            (false, true, true) => "\\h:\\d\\x \\v> ",
            (false, false, false) => "\\u@\\h:\\d\\x> ",
            (false, false, true) => "\\u@\\h:\\d\\x \\v> ",
        }
    }

    fn template(&self, vi: bool) -> &str {
        self.template
            .as_deref()
            .unwrap_or_else(|| self.default_template(vi))
    }

    /// The prompt for `mode`, escapes expanded.
    pub fn render(&self, mode: &PromptEditMode) -> String {
        let vi = matches!(mode, PromptEditMode::Vi(_));
        expand(self.template(vi), &self.values, mode)
    }
}

/// (left, indicator) parts of a template: the indicator starts at the first `\v`, or at
/// the last `>` when there is no `\v`.
fn split_template(t: &str) -> (&str, &str) {
    if let Some(i) = t.find("\\v") {
        // Blanks before `\v` go with it: reedline trims the end of the left prompt.
        let i = t[..i].trim_end().len();
        return t.split_at(i);
    }
    match t.rfind('>') {
        Some(i) => t.split_at(i),
        None => (t, ""),
    }
}

/// Expand the escapes of `template`. Unknown escapes are kept as typed.
pub fn expand(template: &str, v: &PromptValues, mode: &PromptEditMode) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // Names from the server: escape bytes shown, not obeyed.
            Some('u') => out.push_str(&escape_controls(&v.info.user, false)),
            Some('h') => out.push_str(&escape_controls(&v.info.host, false)),
            Some('p') => {
                if let Some(p) = v.info.port {
                    out.push_str(&p.to_string());
                }
            }
            Some('d') => out.push_str(&escape_controls(&v.info.database, false)),
            Some('b') => out.push_str(v.backend),
            Some('x') => out.push_str(match v.tx {
                TxState::Idle => "",
                TxState::InTransaction => "*",
                TxState::Failed => "!",
            }),
            Some('v') => out.push_str(match mode {
                PromptEditMode::Vi(PromptViMode::Normal) => "[N]",
                PromptEditMode::Vi(PromptViMode::Visual) => "[V]",
                PromptEditMode::Vi(_) => "[I]",
                _ => "",
            }),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    // Control characters from a server name or a template must not reach the terminal.
    out.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl DbshPrompt {
    /// What the session cannot do, before the prompt: `(read-only)` for dbsh's own
    /// read-only mode, `(standby)` on a replica.
    fn marker(&self) -> String {
        let mut m = String::new();
        if self.values.info.standby {
            m.push_str("(standby) ");
        }
        if self.values.read_only {
            m.push_str("(read-only) ");
        }
        m
    }
}

impl Prompt for DbshPrompt {
    fn render_prompt_left(&self) -> Cow<'_, str> {
        // The left part never holds `\v`, so any mode renders it the same.
        let (left, _) = split_template(self.template(false));
        let text = expand(left, &self.values, &PromptEditMode::Default);
        Cow::Owned(format!("{}{text}", self.marker()))
    }

    fn render_prompt_right(&self) -> Cow<'_, str> {
        Cow::Borrowed(if self.single_line {
            "[single-line]"
        } else {
            ""
        })
    }

    fn render_prompt_indicator(&self, mode: PromptEditMode) -> Cow<'_, str> {
        let vi = matches!(mode, PromptEditMode::Vi(_));
        let (left, indicator) = split_template(self.template(vi));
        let left = expand(left, &self.values, &mode);
        let text = expand(indicator, &self.values, &mode);
        let marker = self.marker().len();
        self.width
            .store(marker + left.width() + text.width(), Ordering::Relaxed);
        if let Some(shown) = &self.shown_indicator {
            if let Ok(mut s) = shown.lock() {
                s.clone_from(&text);
            }
        }
        Cow::Owned(text)
    }

    fn render_prompt_multiline_indicator(&self) -> Cow<'_, str> {
        match &self.continuation {
            Some(t) => Cow::Owned(expand(t, &self.values, &PromptEditMode::Default)),
            None => {
                let width = self.width.load(Ordering::Relaxed).max(3);
                Cow::Owned(format!("{:>width$}", "-> "))
            }
        }
    }

    fn render_prompt_history_search_indicator(&self, search: PromptHistorySearch) -> Cow<'_, str> {
        let prefix = match search.status {
            PromptHistorySearchStatus::Passing => "",
            PromptHistorySearchStatus::Failing => "failing ",
        };
        // A blank first: reedline trims the end of the left prompt.
        Cow::Owned(format!(" ({prefix}reverse-search: {}) ", search.term))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_where_the_mode_matters() {
        assert_eq!(split_template("\\d\\x \\v> "), ("\\d\\x", " \\v> "));
        assert_eq!(split_template("\\u@\\h:\\d\\x> "), ("\\u@\\h:\\d\\x", "> "));
        assert_eq!(split_template("sql$ "), ("sql$ ", ""));
    }

    fn values(user: &str, host: &str, db: &str, tx: TxState) -> PromptValues {
        PromptValues {
            info: ConnInfo {
                user: user.into(),
                host: host.into(),
                port: Some(5432),
                database: db.into(),
                ..ConnInfo::default()
            },
            backend: "postgres",
            tx,
            read_only: false,
        }
    }

    #[test]
    fn default_prompts() {
        let emacs = PromptEditMode::Emacs;
        let normal = PromptEditMode::Vi(PromptViMode::Normal);
        let insert = PromptEditMode::Vi(PromptViMode::Insert);
        let p = DbshPrompt::new(values("me", "db1", "app", TxState::Idle), None, None);
        assert_eq!(p.render(&emacs), "me@db1:app> ");
        assert_eq!(p.render(&normal), "me@db1:app [N]> ");
        assert_eq!(p.render(&insert), "me@db1:app [I]> ");
        let p = DbshPrompt::new(values("", "", "x.db", TxState::InTransaction), None, None);
        assert_eq!(p.render(&emacs), "x.db*> ");
        let p = DbshPrompt::new(values("", "h", "d", TxState::Failed), None, None);
        assert_eq!(p.render(&emacs), "h:d!> ");
    }

    #[test]
    fn template_escapes() {
        let v = values("me", "db1", "app", TxState::InTransaction);
        let mode = PromptEditMode::Vi(PromptViMode::Normal);
        assert_eq!(
            expand("\\b://\\u@\\h:\\p/\\d\\x \\v \\\\ \\q\\", &v, &mode),
            "postgres://me@db1:5432/app* [N] \\ \\q\\"
        );
        assert_eq!(expand("\\v>", &v, &PromptEditMode::Emacs), ">");
        let mut v = v;
        v.info.host = "evil\u{1b}]0;x\u{7}".into();
        assert_eq!(expand("\\h", &v, &mode), "evil\\x1b]0;x\\x07");
        v.info.database = "db\u{202e}\u{1b}[2J".into();
        let shown = expand("\\d> ", &v, &mode);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown:?}"
        );
    }

    #[test]
    fn continuation_lines_up_with_the_prompt() {
        let p = DbshPrompt::new(values("", "", ":memory:", TxState::Idle), None, None);
        let first =
            p.render_prompt_left().into_owned() + &p.render_prompt_indicator(PromptEditMode::Emacs);
        let cont = p.render_prompt_multiline_indicator().into_owned();
        assert_eq!(first.width(), cont.width());
        assert!(cont.ends_with("-> "));
        let p = DbshPrompt::new(
            values("", "", "x", TxState::Idle),
            Some("\\d> ".into()),
            Some("... ".into()),
        );
        assert_eq!(p.render_prompt_multiline_indicator(), "... ");
    }
}
