//! Every question dbsh asks a person, in one place: yes/no questions (destructive guard,
//! open transaction on exit or `\c`, the row limit) and passwords.
//!
//! Questions are asked on `/dev/tty` (not stdin, so a script piped into dbsh is never read
//! as an answer), and always the same way:
//! - input typed ahead before the question appeared is discarded (`tcflush(TCIFLUSH)`), so
//!   a stray `y` or Enter pasted earlier never answers it;
//! - the spinner is held off while the question is on screen;
//! - the terminal is put in a mode where Ctrl-C arrives as a key (ISIG off), so Ctrl-C
//!   cancels the question (`Answer::Cancelled`) instead of killing anything; the previous
//!   terminal mode is restored on every path, panics included.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;

/// What the person answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    /// No, Enter alone, Ctrl-D, or no terminal to ask on.
    No,
    /// Ctrl-C: forget what was asked about and go back to the prompt.
    Cancelled,
}

/// Ask `question` (which should end with its default, e.g. `(y/N) `); anything but
/// y/yes is no.
pub fn ask_yes_no(question: &str) -> Answer {
    match read_answer(question, true) {
        Ok(Some(a)) if matches!(a.trim().to_ascii_lowercase().as_str(), "y" | "yes") => Answer::Yes,
        Ok(Some(_)) => Answer::No,
        Ok(None) => Answer::Cancelled,
        Err(e) => {
            eprintln!("{question}\ncannot read the answer from the terminal ({e}): taken as no");
            Answer::No
        }
    }
}

/// Print `prompt` on the terminal and read one line without echoing it. Ctrl-C gives an
/// `Interrupted` error.
pub fn ask_password(prompt: &str) -> std::io::Result<String> {
    match read_answer(prompt, false)? {
        Some(p) => Ok(p),
        None => Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "cancelled with Ctrl-C",
        )),
    }
}

/// The asker connections use to get a password from the person at this terminal.
pub fn password_asker() -> crate::db::PasswordAsker {
    crate::db::PasswordAsker(std::sync::Arc::new(|prompt: &str| {
        ask_password(prompt).map_err(|e| match e.kind() {
            std::io::ErrorKind::Interrupted => "password prompt cancelled".to_string(),
            _ => format!("cannot read the password from the terminal: {e}"),
        })
    }))
}

/// The terminal mode in force before a question; put back when dropped.
struct Restore {
    fd: i32,
    saved: libc::termios,
}

impl Drop for Restore {
    fn drop(&mut self) {
        // SAFETY: restores the termios tcgetattr returned, on an fd still open.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSADRAIN, &self.saved);
        }
    }
}

/// Show `prompt` and read a line; `Ok(None)` on Ctrl-C.
fn read_answer(prompt: &str, echo: bool) -> std::io::Result<Option<String>> {
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    let fd = tty.as_raw_fd();
    let _spinner = crate::render::spinner::hold();
    // SAFETY: tcgetattr/tcsetattr/tcflush only read and write the termios struct we own,
    // on an fd that stays open for the whole function.
    let _restore = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let restore = Restore { fd, saved: t };
        t.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ECHONL | libc::ISIG);
        t.c_cc[libc::VMIN] = 1;
        t.c_cc[libc::VTIME] = 0;
        // TCSAFLUSH: typed-ahead input is dropped as the mode changes.
        if libc::tcsetattr(fd, libc::TCSAFLUSH, &t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::tcflush(fd, libc::TCIFLUSH);
        restore
    };
    // Start on a clean line (a spinner frame or partial output may be there).
    tty.write_all(format!("\r\x1b[K{prompt}").as_bytes())?;
    tty.flush()?;
    let mut line: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    let answer = loop {
        if tty.read(&mut byte)? == 0 {
            break Some(line);
        }
        match byte[0] {
            0x03 => break None,
            b'\r' | b'\n' => break Some(line),
            0x04 if line.is_empty() => break Some(line),
            0x7f | 0x08 => {
                // Pop one character (UTF-8 continuation bytes included).
                while let Some(b) = line.pop() {
                    if b & 0xc0 != 0x80 {
                        break;
                    }
                }
                if echo {
                    tty.write_all(b"\x08 \x08")?;
                }
            }
            b if b < 0x20 => {}
            b => {
                line.push(b);
                if echo && (b < 0x80) {
                    tty.write_all(&[b])?;
                }
            }
        }
        tty.flush()?;
    };
    tty.write_all(if answer.is_none() { b"^C\r\n" } else { b"\r\n" })?;
    tty.flush()?;
    Ok(answer.map(|l| String::from_utf8_lossy(&l).into_owned()))
}
