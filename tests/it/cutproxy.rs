//! A TCP proxy for fault tests: forwards 127.0.0.1:PORT to a server and cuts the connection
//! (both directions, both sockets) once a set number of bytes has passed in one direction.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// Which way the byte budget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// dbsh to the server.
    Up,
    /// The server to dbsh.
    Down,
}

pub struct CutProxy {
    pub port: u16,
    /// Bytes forwarded so far, over all connections: (up, down).
    up: Arc<AtomicUsize>,
    down: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl CutProxy {
    /// Forward to `upstream`; the first connection is cut after `limit` bytes in `dir`
    /// (`None`: never cut).
    pub fn start(upstream: &str, limit: Option<(Direction, usize)>) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicUsize::new(0));
        let down = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let upstream = upstream.to_string();
        let (u, d, s) = (up.clone(), down.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let (up_limit, down_limit) = match limit {
                    Some((Direction::Up, n)) => (Some(n), None),
                    Some((Direction::Down, n)) => (None, Some(n)),
                    None => (None, None),
                };
                pump(&client, &server, up_limit, u.clone());
                pump(&server, &client, down_limit, d.clone());
            }
        });
        CutProxy {
            port,
            up,
            down,
            stop,
        }
    }

    /// Bytes forwarded so far: (up, down).
    pub fn bytes(&self) -> (usize, usize) {
        (
            self.up.load(Ordering::SeqCst),
            self.down.load(Ordering::SeqCst),
        )
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copy `from` to `to` on a thread; after `limit` bytes, cut both sockets.
fn pump(from: &TcpStream, to: &TcpStream, limit: Option<usize>, count: Arc<AtomicUsize>) {
    let (mut from, mut to) = (from.try_clone().unwrap(), to.try_clone().unwrap());
    std::thread::spawn(move || {
        let mut passed = 0usize;
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let allowed = limit.map_or(n, |l| n.min(l.saturating_sub(passed)));
            if allowed > 0 && to.write_all(&buf[..allowed]).is_err() {
                break;
            }
            passed += allowed;
            count.fetch_add(allowed, Ordering::SeqCst);
            if allowed < n || limit.is_some_and(|l| passed >= l) {
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                return;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
