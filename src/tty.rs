//! The controlling terminal, for the one question a connection may need to ask: a
//! password, read from `/dev/tty` (not stdin, so a script piped into dbsh is not consumed)
//! with echo off, the terminal restored afterwards whatever happens.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;

/// Print `prompt` on the terminal and read one line without echoing it.
pub fn ask_password(prompt: &str) -> std::io::Result<String> {
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    let fd = tty.as_raw_fd();
    // SAFETY: tcgetattr/tcsetattr only read and write the termios struct we own, on an fd
    // that stays open for the whole function.
    let saved = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let saved = t;
        t.c_lflag &= !(libc::ECHO | libc::ECHONL);
        t.c_lflag |= libc::ICANON;
        if libc::tcsetattr(fd, libc::TCSAFLUSH, &t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        saved
    };
    let result = (|| {
        tty.write_all(prompt.as_bytes())?;
        tty.flush()?;
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match tty.read(&mut byte)? {
                0 => break,
                _ if byte[0] == b'\n' => break,
                _ => line.push(byte[0]),
            }
        }
        Ok(String::from_utf8_lossy(&line)
            .trim_end_matches('\r')
            .to_string())
    })();
    // SAFETY: as above; restores what tcgetattr returned.
    unsafe {
        libc::tcsetattr(fd, libc::TCSAFLUSH, &saved);
    }
    let _ = tty.write_all(b"\n");
    result
}
