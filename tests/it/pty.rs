//! Pseudo-terminal tests: the real binary at a real prompt, keys typed, the screen read
//! back through a vt100 parser. Waiting is by polling the screen with a deadline.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The shortest deadline any wait gets, whatever the test asked for (seconds).
const MIN_WAIT: u64 = 60;

use crate::common::Sandbox;

pub struct Term {
    pub child: Child,
    writer: std::fs::File,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote, raw, for asserting on escape sequences.
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader has read everything (the terminal's other end closed).
    drained: Arc<std::sync::atomic::AtomicBool>,
}

impl Term {
    /// Start `cmd` on a new pseudo-terminal of `rows` x `cols`.
    pub fn spawn(cmd: Command, rows: u16, cols: u16) -> Term {
        Term::spawn_as(cmd, rows, cols, "xterm-256color", true)
    }

    /// Like `spawn`, with `TERM=term`, answering cursor-position queries or not (a
    /// serial console does not).
    pub fn spawn_as(mut cmd: Command, rows: u16, cols: u16, term: &str, answer_cpr: bool) -> Term {
        let mut master: libc::c_int = 0;
        let mut slave: libc::c_int = 0;
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty fills in two fds we then own.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &ws,
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: fresh fds from openpty, owned from here on.
        let master = unsafe { OwnedFd::from_raw_fd(master) };
        let slave = unsafe { OwnedFd::from_raw_fd(slave) };
        // openpty's fds are inherited by every child spawned meanwhile (other tests run
        // in parallel): such a child would keep this terminal open, and its reader would
        // see no end after dbsh exits. Only dbsh gets the slave, as its stdio.
        for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
            // SAFETY: sets a flag on an fd this function owns.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        let slave_fd = slave.as_raw_fd();
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave))
            .env("TERM", term);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::ioctl(slave_fd, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn in pty");
        let mut reader = std::fs::File::from(master.try_clone().unwrap());
        let writer = std::fs::File::from(master);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, r, d) = (parser.clone(), raw.clone(), drained.clone());
        let mut answer = writer.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut parser = p.lock().unwrap();
                parser.process(&buf[..n]);
                // Answer cursor-position queries as a real terminal would; the line
                // editor otherwise waits for a reply that never comes.
                if answer_cpr && buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    let (row, col) = parser.screen().cursor_position();
                    let _ = write!(answer, "\x1b[{};{}R", row + 1, col + 1);
                }
                drop(parser);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            d.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        Term {
            child,
            writer,
            parser,
            raw,
            drained,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    #[allow(dead_code)] // for tests that read colours
    pub fn parser(&self) -> std::sync::MutexGuard<'_, vt100::Parser> {
        self.parser.lock().unwrap()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Wait until the screen satisfies `pred`; panic with the screen after `secs`, or
    /// after `MIN_WAIT` if that is longer: a busy 2-core machine can stall a process for
    /// seconds, and a deadline only bounds how long a real failure takes to report.
    pub fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs.max(MIN_WAIT));
        loop {
            let s = self.screen();
            if pred(&s) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Like `wait_for`, but answers instead of panicking (to clean up after a failure).
    #[allow(dead_code)]
    pub fn try_wait_for(&self, secs: u64, pred: impl Fn(&str) -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() <= deadline {
            if pred(&self.screen()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Wait until the last line on screen is an empty prompt.
    pub fn wait_prompt(&self, prompt: &str, secs: u64) {
        self.wait_for("an empty prompt", secs, |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::trim_end)
                == Some(prompt)
        });
    }

    /// Ctrl-D at the next empty prompt. Control keys sent while a statement runs reach the
    /// terminal's line discipline (cooked mode), not dbsh, as with any line editor.
    pub fn ctrl_d(&mut self) {
        self.wait_for("a prompt", 10, |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_end().ends_with('>'))
        });
        self.send("\x04");
    }

    pub fn wait_text(&self, text: &str, secs: u64) {
        self.wait_for(text, secs, |s| s.contains(text));
    }

    /// Wait for the process to exit; its exit code.
    pub fn wait_exit(&mut self, secs: u64) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(secs.max(MIN_WAIT));
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What dbsh wrote last (restoring the terminal) may still be on its way
                // to the reader: wait until it has read to the end, within reason.
                let until = Instant::now() + Duration::from_secs(10);
                while !self.drained.load(std::sync::atomic::Ordering::SeqCst)
                    && Instant::now() < until
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("dbsh did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// dbsh on an in-memory SQLite database, in a sandbox, on a 100x30 terminal.
pub fn sqlite_term(sb: &Sandbox, args: &[&str]) -> Term {
    let mut cmd = sb.cmd();
    cmd.args(args);
    Term::spawn(cmd, 30, 100)
}

#[test]
fn a_query_typed_at_the_prompt_shows_a_table() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("select 1 as one,\r");
    // Not complete yet: Enter inserts a newline and the continuation prompt shows.
    t.wait_text("->", 5);
    t.send("'two' as two;\r");
    t.wait_text("1 row", 5);
    let screen = t.screen();
    assert!(screen.contains("| one | two |"), "{screen}");
    assert!(screen.contains("|   1 | two |"), "{screen}");
    t.send("\\q\r");
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn ctrl_c_interrupts_a_long_query_and_the_prompt_stays() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send(
        "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;\r",
    );
    // The statement is running once the line has been accepted and no new prompt shows.
    t.wait_for("the query to start", 5, |s| s.contains("from c;"));
    std::thread::sleep(Duration::from_millis(200)); // let it get going; not synchronisation
    t.send("\x03");
    t.wait_text("canceling statement due to user request", 5);
    t.send("select 41 + 1 as answer;\r");
    t.wait_text("42", 5);
    // Ctrl-D at an empty prompt exits.
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn history_is_kept_across_runs_with_private_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    {
        let mut t = sqlite_term(&sb, &[]);
        t.wait_text(":memory:>", 10);
        t.send("select 'remember me';\r");
        t.wait_text("1 row", 5);
        t.ctrl_d();
        t.wait_exit(5);
    }
    let path = sb.path().join("data/dbsh/history");
    let text = std::fs::read_to_string(&path).expect("history file");
    assert!(text.contains("select 'remember me';"), "{text}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Up-arrow in a new session brings it back.
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("\x1b[A");
    t.wait_text("select 'remember me';", 5);
    t.send("\x03");
    t.wait_prompt(":memory:>", 5);
    t.ctrl_d();
    assert_eq!(t.wait_exit(5), 0);
}

#[test]
fn control_characters_in_data_do_not_reach_the_terminal() {
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.send("select char(27) || ']0;pwned' || char(7) || char(27) || '[2J' as evil;\r");
    t.wait_text("1 row", 5);
    let screen = t.screen();
    assert!(screen.contains("\\x1b]0;pwned\\x07\\x1b[2J"), "{screen}");
    let raw = t.raw();
    let needle = b"\x1b]0;pwned";
    assert!(
        !raw.windows(needle.len()).any(|w| w == needle),
        "a raw title sequence reached the terminal"
    );
    t.ctrl_d();
    t.wait_exit(5);
}
