//! An elapsed-time spinner on stderr for long statements at the prompt: it appears after a
//! delay (so quick statements never flicker), and is wiped when its guard drops or when
//! output starts.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Questions on screen: while non-zero, no spinner draws (checked under the stderr lock, so
/// a frame is never drawn over a question).
static HELD: AtomicUsize = AtomicUsize::new(0);

/// Keep every spinner off the screen (and wipe a frame already drawn) until the returned
/// guard drops: for questions asked while a statement runs.
pub fn hold() -> Hold {
    HELD.fetch_add(1, Ordering::SeqCst);
    // Taking the lock waits out a frame being drawn (the question then starts by
    // wiping its line).
    drop(std::io::stderr().lock());
    Hold
}

pub struct Hold;

impl Drop for Hold {
    fn drop(&mut self) {
        HELD.fetch_sub(1, Ordering::SeqCst);
    }
}

const FRAMES: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Spinner;

/// Stops (and wipes) the spinner when dropped or when `stop` is called.
pub struct SpinnerGuard {
    state: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Start a spinner that shows after `delay`.
    pub fn start(delay: Duration) -> SpinnerGuard {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let theirs = state.clone();
        let thread = std::thread::Builder::new()
            .name("dbsh-spinner".into())
            .spawn(move || spin(&theirs, delay))
            .ok();
        SpinnerGuard { state, thread }
    }
}

/// Wait for `stop` or the next frame; returns whether it was asked to stop.
fn wait(state: &(Mutex<bool>, Condvar), d: Duration) -> bool {
    let (lock, cvar) = state;
    let Ok(stopped) = lock.lock() else {
        return true;
    };
    match cvar.wait_timeout_while(stopped, d, |s| !*s) {
        Ok((s, _)) => *s,
        Err(_) => true,
    }
}

fn spin(state: &(Mutex<bool>, Condvar), delay: Duration) {
    let started = Instant::now();
    if wait(state, delay) {
        return;
    }
    let mut frame = 0;
    loop {
        let secs = started.elapsed().as_secs_f64();
        let mut err = std::io::stderr().lock();
        if HELD.load(Ordering::SeqCst) == 0 {
            let _ = write!(err, "\r{} {secs:.1} s", FRAMES[frame % FRAMES.len()]);
            let _ = err.flush();
        }
        drop(err);
        frame += 1;
        if wait(state, Duration::from_millis(100)) {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
            return;
        }
    }
}

impl SpinnerGuard {
    /// Stop and wipe the spinner now (before writing results); idempotent.
    pub fn stop(&mut self) {
        if let Ok(mut s) = self.state.0.lock() {
            *s = true;
        }
        self.state.1.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SpinnerGuard {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A writer that stops the spinner before the first byte of output.
pub struct StopOnWrite<'a, W: Write + ?Sized> {
    pub inner: &'a mut W,
    pub spinner: Option<SpinnerGuard>,
}

impl<W: Write + ?Sized> Write for StopOnWrite<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(mut s) = self.spinner.take() {
            s.stop();
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_statement_never_shows_it() {
        let t = Instant::now();
        let guard = Spinner::start(Duration::from_secs(5));
        drop(guard);
        assert!(t.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn writing_stops_it() {
        let mut out = Vec::new();
        let mut w = StopOnWrite {
            inner: &mut out,
            spinner: Some(Spinner::start(Duration::from_millis(10))),
        };
        std::thread::sleep(Duration::from_millis(50));
        w.write_all(b"rows").unwrap();
        assert!(w.spinner.is_none());
        assert_eq!(out, b"rows");
    }
}
