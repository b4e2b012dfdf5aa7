//! SIGHUP (the terminal or SSH session went away) and SIGTERM at the prompt: restore the
//! terminal and exit, rolling back nothing on our side. History is already on disk (it is
//! appended as each statement is submitted, see `history`), and an open transaction is left
//! to the server, which rolls it back when the connection closes, as with psql.

use tokio::signal::unix::{signal, SignalKind};

/// Watch for SIGHUP and SIGTERM for the rest of the process.
pub fn install() {
    for (kind, number) in [
        (SignalKind::hangup(), libc::SIGHUP),
        (SignalKind::terminate(), libc::SIGTERM),
    ] {
        let Ok(mut stream) = signal(kind) else {
            continue;
        };
        tokio::spawn(async move {
            if stream.recv().await.is_some() {
                restore_terminal();
                std::process::exit(128 + number);
            }
        });
    }
}

/// Leave the terminal as the shell expects it: cooked mode, no bracketed paste.
fn restore_terminal() {
    use std::io::Write;
    let _ = crossterm::terminal::disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = out.write_all(b"\x1b[?2004l\r\n");
    let _ = out.flush();
}
