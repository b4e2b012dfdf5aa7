//! A progress line on stderr for long copies (`\copy`): bytes (of the total when the size
//! is known), lines and rate, redrawn four times a second after a delay, wiped at the end.
//! Counting goes through `Metered`, a reader or writer wrapper, so the copy code stays
//! unaware of it. Only drawn where the caller says stderr is an interactive terminal.

use std::io::{self, BufRead, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes and lines moved so far.
#[derive(Default)]
pub struct Counters {
    bytes: AtomicU64,
    lines: AtomicU64,
}

impl Counters {
    fn add(&self, data: &[u8]) {
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let lines = data.iter().filter(|b| **b == b'\n').count() as u64;
        self.lines.fetch_add(lines, Ordering::Relaxed);
    }
}

/// A reader or writer that counts what passes through it.
pub struct Metered<T> {
    inner: T,
    counters: Arc<Counters>,
}

impl<T> Metered<T> {
    pub fn new(inner: T, counters: Arc<Counters>) -> Metered<T> {
        Metered { inner, counters }
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counters.add(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Metered<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.counters.add(&buf[..amt.min(buf.len())]);
        }
        self.inner.consume(amt);
    }
}

impl<W: Write> Write for Metered<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.counters.add(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The drawing thread; stops and wipes its line when dropped.
pub struct Progress {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

/// Quick copies never show a line.
const DELAY: Duration = Duration::from_secs(1);
const EVERY: Duration = Duration::from_millis(250);

impl Progress {
    /// Draw `label: …` for `counters` when `show` (stderr is a terminal that takes cursor
    /// movement); `total` is the input's size in bytes when known.
    pub fn start(
        show: bool,
        label: String,
        counters: Arc<Counters>,
        total: Option<u64>,
    ) -> Progress {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let theirs = stop.clone();
        let thread = show
            .then(|| {
                std::thread::Builder::new()
                    .name("dbsh-progress".into())
                    .spawn(move || draw(&theirs, &label, &counters, total))
                    .ok()
            })
            .flatten();
        Progress { stop, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Ok(mut s) = self.stop.0.lock() {
            *s = true;
        }
        self.stop.1.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Wait `d` or until stopped; returns whether stopped.
fn stopped_within(stop: &(Mutex<bool>, Condvar), d: Duration) -> bool {
    let Ok(guard) = stop.0.lock() else {
        return true;
    };
    match stop.1.wait_timeout_while(guard, d, |s| !*s) {
        Ok((s, _)) => *s,
        Err(_) => true,
    }
}

fn draw(stop: &(Mutex<bool>, Condvar), label: &str, c: &Counters, total: Option<u64>) {
    let started = Instant::now();
    if stopped_within(stop, DELAY) {
        return;
    }
    loop {
        let line = status_line(
            label,
            c.bytes.load(Ordering::Relaxed),
            c.lines.load(Ordering::Relaxed),
            total,
            started.elapsed(),
        );
        let _ = write!(io::stderr().lock(), "\r{line}\x1b[K");
        if stopped_within(stop, EVERY) {
            let _ = write!(io::stderr().lock(), "\r\x1b[K");
            return;
        }
    }
}

/// `\copy t from 'f.csv': 43% of 280.0 MB, 1,234,567 lines, 45.2 MB/s, 2.7 s`
fn status_line(label: &str, bytes: u64, lines: u64, total: Option<u64>, took: Duration) -> String {
    let secs = took.as_secs_f64().max(0.001);
    let amount = match total {
        Some(t) if t > 0 => format!(
            "{}% of {}",
            (bytes.saturating_mul(100) / t).min(100),
            size(t)
        ),
        _ => size(bytes),
    };
    format!(
        "{label}: {amount}, {} lines, {}/s, {secs:.1} s",
        thousands(lines),
        size((bytes as f64 / secs) as u64)
    )
}

fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_share_size_lines_and_rate() {
        let line = status_line(
            "\\copy t from 'f.csv'",
            121_000_000,
            1_234_567,
            Some(280_000_000),
            Duration::from_secs(2),
        );
        assert_eq!(
            line,
            "\\copy t from 'f.csv': 43% of 280.0 MB, 1,234,567 lines, 60.5 MB/s, 2.0 s"
        );
        let line = status_line("\\copy", 999, 0, None, Duration::from_secs(1));
        assert_eq!(line, "\\copy: 999 B, 0 lines, 999 B/s, 1.0 s");
    }

    #[test]
    fn metered_readers_and_writers_count_what_passes() {
        let c = Arc::new(Counters::default());
        let mut r = Metered::new(io::BufReader::new(&b"a\nb\nc"[..]), c.clone());
        let mut s = String::new();
        r.read_line(&mut s).unwrap();
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert_eq!(c.bytes.load(Ordering::Relaxed), 5);
        assert_eq!(c.lines.load(Ordering::Relaxed), 2);
        let mut w = Metered::new(Vec::new(), c.clone());
        w.write_all(b"x\ny\n").unwrap();
        assert_eq!(c.bytes.load(Ordering::Relaxed), 9);
        assert_eq!(c.lines.load(Ordering::Relaxed), 4);
    }
}
