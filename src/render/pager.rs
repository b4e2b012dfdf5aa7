//! Sending long output through `$PAGER` (default `less -SRXF`).
//!
//! The session renders into a buffer first when interactive; if the text is taller or
//! wider than the screen, it goes to the pager, otherwise straight to the terminal.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// The pager command: `DBSH_PAGER`, then `PAGER`, then `less -SRXF`.
pub fn command(configured: Option<&str>) -> String {
    configured
        .map(str::to_string)
        .or_else(|| std::env::var("DBSH_PAGER").ok())
        .or_else(|| std::env::var("PAGER").ok())
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -SRXF".into())
}

/// Whether `text` needs a pager on a `rows` x `cols` screen.
pub fn needs_pager(text: &str, rows: usize, cols: usize) -> bool {
    let mut lines = 0;
    for l in text.lines() {
        lines += 1;
        if lines >= rows || unicode_width::UnicodeWidthStr::width(l) > cols {
            return true;
        }
    }
    false
}

/// Run `cmd` through the shell with `text` on its stdin and wait for it.
pub fn page(cmd: &str, text: &[u8]) -> io::Result<()> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit the pager before reading everything: not an error.
        match stdin.write_all(text) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(())
}
