//! Fish-style suggestion: the rest of the latest history entry that starts with what is
//! typed, shown greyed after the cursor and accepted with Right or End (reedline's
//! bindings). Whole statements are history entries, so a suggestion may span lines.

use nu_ansi_term::Style;
use reedline::{History, SearchQuery};

pub struct HistoryHinter {
    /// How the suggestion looks with colours on.
    pub style: Style,
    current: String,
}

impl HistoryHinter {
    pub fn new(style: Style) -> HistoryHinter {
        HistoryHinter {
            style,
            current: String::new(),
        }
    }
}

impl reedline::Hinter for HistoryHinter {
    fn handle(
        &mut self,
        line: &str,
        pos: usize,
        history: &dyn History,
        use_ansi_coloring: bool,
        _cwd: &str,
    ) -> String {
        // Only at the end of the buffer: elsewhere the text after the cursor would be
        // drawn over by the suggestion.
        self.current = if line.trim().is_empty() || pos < line.len() {
            String::new()
        } else {
            history
                .search(SearchQuery::last_with_prefix(
                    line.to_string(),
                    history.session(),
                ))
                .ok()
                .and_then(|found| found.into_iter().next())
                .and_then(|item| item.command_line.get(line.len()..).map(str::to_string))
                .unwrap_or_default()
        };
        if self.current.is_empty() {
            return String::new();
        }
        // Without colours (NO_COLOR), dim it rather than show it like typed text.
        let style = if use_ansi_coloring {
            self.style
        } else {
            Style::new().dimmed()
        };
        style.paint(&self.current).to_string()
    }

    fn complete_hint(&self) -> String {
        self.current.clone()
    }

    fn next_hint_token(&self) -> String {
        let rest = &self.current;
        let start = rest.len() - rest.trim_start().len();
        let end = rest[start..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |i| start + i);
        rest[..end].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reedline::{FileBackedHistory, Hinter, HistoryItem};

    fn history(lines: &[&str]) -> FileBackedHistory {
        let mut h = FileBackedHistory::new(16).unwrap();
        for l in lines {
            h.save(HistoryItem::from_command_line(*l)).unwrap();
        }
        h
    }

    #[test]
    fn suggests_the_rest_of_the_latest_match() {
        let h = history(&["select 1;", "select *\nfrom t;", "update t set x = 1;"]);
        let mut hinter = HistoryHinter::new(Style::new());
        assert_eq!(
            hinter.handle("sel", 3, &h, false, ""),
            "\u{1b}[2mect *\nfrom t;\u{1b}[0m"
        );
        assert_eq!(hinter.complete_hint(), "ect *\nfrom t;");
        assert_eq!(hinter.next_hint_token(), "ect");
        assert_eq!(hinter.handle("sel", 1, &h, true, ""), "");
        assert_eq!(hinter.handle("", 0, &h, true, ""), "");
        assert_eq!(hinter.handle("zzz", 3, &h, true, ""), "");
    }
}
