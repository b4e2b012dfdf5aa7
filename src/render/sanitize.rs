//! Control characters in data never reach the terminal raw.
//!
//! A value holding `ESC[2J` or an OSC title sequence would otherwise repaint or retitle the
//! user's terminal, and bidi overrides would reorder what is shown. Such characters are
//! shown escaped (`\x1b`, `\u{202e}`); newlines are kept where the caller can lay them out.

use std::borrow::Cow;
use std::fmt::Write;

fn needs_escape(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi embeddings, overrides and isolates.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `s` with every control character escaped; newlines kept when `keep_newlines`.
pub fn escape_controls(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, keep_newlines);
    Cow::Owned(out)
}

/// Append `s` to `out`, escaping control characters.
pub fn push_escaped(out: &mut String, s: &str, keep_newlines: bool) {
    for c in s.chars() {
        if !needs_escape(c, keep_newlines) {
            out.push(c);
            continue;
        }
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences() {
        assert_eq!(escape_controls("\u{1b}[2Jgone", true), "\\x1b[2Jgone");
        assert_eq!(
            escape_controls("\u{1b}]0;title\u{7}", true),
            "\\x1b]0;title\\x07"
        );
        assert_eq!(escape_controls("a\tb\r", true), "a\\tb\\r");
        assert_eq!(escape_controls("evil\u{202e}txt", true), "evil\\u{202e}txt");
        assert_eq!(escape_controls("\u{9b}31m", true), "\\x9b31m");
    }

    #[test]
    fn keeps_ordinary_text_and_newlines_borrowed() {
        assert!(matches!(
            escape_controls("héllo 世界 🦀", true),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_controls("a\nb", true), "a\nb");
        assert_eq!(escape_controls("a\nb", false), "a\\nb");
    }
}
