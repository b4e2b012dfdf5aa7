//! The plain line reader, for terminals that cannot take cursor addressing: `TERM=dumb`
//! (Emacs `M-x shell`, some CI logs) and terminals that do not answer the
//! cursor-position query (a serial console).
//!
//! It writes no escape sequence at all: no cursor movement, no bracketed paste, no
//! menu, no `ESC[6n`. The terminal's own line discipline edits the line (Backspace,
//! Ctrl-U, Ctrl-W). Tab is made a second end-of-line character, so a Tab lists the
//! candidates as plain text (or completes the only one) and the prompt is printed again
//! with the text so far; that text is then kept and cannot be erased with Backspace.
//! Ctrl-C drops what was typed; Ctrl-D on an empty line leaves.

use std::io::Write;
use std::os::fd::AsRawFd;

use super::completer::SqlCompleter;

/// Whether the prompt must use this reader: `TERM=dumb` or unset, or no answer to the
/// cursor-position query (asked only of terminals that claim to be more than dumb).
pub fn needed() -> bool {
    match std::env::var("TERM") {
        Ok(t) if !t.is_empty() && t != "dumb" => crossterm::cursor::position().is_err(),
        _ => true,
    }
}

/// One read: what was typed and how the read ended.
#[derive(Debug, PartialEq)]
pub enum Chunk {
    /// Enter.
    Line(String),
    /// Tab: complete at the end of the text.
    Complete(String),
    /// Ctrl-C.
    Cancel,
    /// Ctrl-D on an empty line, or the input closed.
    End,
    /// Ctrl-D after some text: the text, no line end yet.
    Partial(String),
}

/// Sort one read of the terminal into a [`Chunk`].
pub fn classify(bytes: &[u8]) -> Chunk {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match bytes.last() {
        None => Chunk::End,
        Some(b'\n') => Chunk::Line(text(&bytes[..bytes.len() - 1])),
        Some(b'\t') => Chunk::Complete(text(&bytes[..bytes.len() - 1])),
        Some(3) => Chunk::Cancel,
        Some(_) => Chunk::Partial(text(bytes)),
    }
}

/// The terminal in canonical mode with Tab and Ctrl-C as extra line ends (and no
/// signal from Ctrl-C while reading); the old settings come back on drop.
struct LineMode {
    fd: i32,
    old: Option<libc::termios>,
}

impl LineMode {
    fn enter() -> LineMode {
        let fd = std::io::stdin().as_raw_fd();
        // SAFETY: tcgetattr/tcsetattr on our own stdin with a zeroed struct it fills.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(fd, &mut t) != 0 {
                return LineMode { fd, old: None };
            }
            let old = t;
            t.c_lflag |= libc::ICANON | libc::ECHO;
            t.c_lflag &= !libc::ISIG;
            t.c_cc[libc::VEOL] = b'\t';
            t.c_cc[libc::VEOL2] = 3;
            libc::tcsetattr(fd, libc::TCSANOW, &t);
            LineMode { fd, old: Some(old) }
        }
    }

    /// One read from the terminal: up to and including a line end.
    fn read(&self) -> Chunk {
        let mut buf = vec![0u8; 4096];
        loop {
            // SAFETY: reading into a buffer we own, of the length given.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 {
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Chunk::End;
            }
            return classify(&buf[..n as usize]);
        }
    }
}

impl Drop for LineMode {
    fn drop(&mut self) {
        if let Some(old) = &self.old {
            // SAFETY: restoring the settings read in `enter`.
            unsafe {
                libc::tcsetattr(self.fd, libc::TCSANOW, old);
            }
        }
    }
}

/// What the loop hands back to the REPL.
pub enum Read {
    Statement(String),
    End,
}

/// Reads statements with prompts, Tab listing candidates.
pub struct PlainReader {
    pub completer: Option<SqlCompleter>,
    pub is_complete: Box<dyn Fn(&str) -> bool>,
    /// Text the next read continues (after Tab or `\e`).
    pub pending: String,
}

impl PlainReader {
    /// Read one statement (or client command): lines until it is complete.
    pub fn read(&mut self, prompt: &str, continuation: &str) -> Read {
        let mut statement = String::new();
        let mut out = std::io::stdout();
        // Set before the prompt shows, so that what is typed after it is read this way.
        let mode = LineMode::enter();
        let _ = write!(out, "{prompt}{}", self.pending);
        let _ = out.flush();
        loop {
            let chunk = mode.read();
            match chunk {
                Chunk::End if statement.is_empty() && self.pending.is_empty() => {
                    let _ = writeln!(out);
                    return Read::End;
                }
                Chunk::End => {}
                Chunk::Cancel => {
                    statement.clear();
                    self.pending.clear();
                    let _ = write!(out, "\n{prompt}");
                }
                Chunk::Partial(t) => self.pending.push_str(&t),
                Chunk::Complete(t) => {
                    self.pending.push_str(&t);
                    let listing = self.complete(&statement);
                    let here = if statement.is_empty() {
                        prompt
                    } else {
                        continuation
                    };
                    let _ = write!(out, "\n{listing}{here}{}", self.pending);
                }
                Chunk::Line(t) => {
                    let line = std::mem::take(&mut self.pending) + &t;
                    if !statement.is_empty() {
                        statement.push('\n');
                    }
                    statement.push_str(&line);
                    if statement.trim().is_empty() {
                        statement.clear();
                        let _ = write!(out, "{prompt}");
                    } else if (self.is_complete)(&statement) {
                        return Read::Statement(statement);
                    } else {
                        let _ = write!(out, "{continuation}");
                    }
                }
            }
            let _ = out.flush();
        }
    }

    /// Tab at the end of `pending`: complete the only candidate in place, or return the
    /// candidates as lines of text to print.
    fn complete(&mut self, statement: &str) -> String {
        let Some(completer) = &self.completer else {
            return String::new();
        };
        let prefix = if statement.is_empty() {
            String::new()
        } else {
            format!("{statement}\n")
        };
        let whole = prefix.clone() + &self.pending;
        let found = completer.suggestions(&whole, whole.len());
        match found.as_slice() {
            [] => String::new(),
            [one] => {
                let start = one.span.start.max(prefix.len()) - prefix.len();
                self.pending.truncate(start);
                self.pending.push_str(&one.value);
                String::new()
            }
            many => listing(many.iter().map(|s| s.value.as_str()), 80),
        }
    }
}

/// Candidates in columns no wider than `width`, one text line per row.
pub fn listing<'a>(items: impl Iterator<Item = &'a str>, width: usize) -> String {
    let items: Vec<&str> = items.collect();
    let cell = items.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
    let per_line = (width / cell).max(1);
    let mut out = String::new();
    for row in items.chunks(per_line) {
        let line: String = row.iter().map(|s| format!("{s:<cell$}")).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_end_at_enter_tab_ctrl_c_and_eof() {
        assert_eq!(classify(b"select 1;\n"), Chunk::Line("select 1;".into()));
        assert_eq!(
            classify(b"select * from a\t"),
            Chunk::Complete("select * from a".into())
        );
        assert_eq!(classify(b"oops\x03"), Chunk::Cancel);
        assert_eq!(classify(b""), Chunk::End);
        assert_eq!(classify(b"sel"), Chunk::Partial("sel".into()));
    }

    #[test]
    fn candidates_are_listed_in_columns() {
        let l = listing(["actor", "actor_info", "address"].into_iter(), 30);
        assert_eq!(l, "actor       actor_info\naddress\n");
    }
}
