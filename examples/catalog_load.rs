//! Time a catalog load the way a session does it, for bench/compare.sh (until
//! `dbsh TARGET --suggest` is wired, which does the same and prints candidates).
//!
//!     cargo run --release --example catalog_load -- TARGET [RUNS]
//!
//! Connects to TARGET once, then runs `dbsh::catalog::load::load` RUNS times (default 1)
//! and prints what was found and how long each step took, in milliseconds:
//! `relations=… columns=… foreign_keys=… connect_ms=… load_ms=[…] json_bytes=…
//! json_write_ms=… json_read_ms=…`. The JSON numbers are the disk snapshot a session
//! writes after a load and reads back, synchronously, at its next start.

use std::time::Instant;

use dbsh::catalog::load::load;
use dbsh::db::{ConnectParams, Connection, Target};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target_text) = args.first() else {
        eprintln!("usage: catalog_load TARGET [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(1).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let code = rt.block_on(async move {
        let target = match Target::parse(Some(target_text), &ConnectParams::default()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("catalog_load: {e}");
                return 2;
            }
        };
        let t0 = Instant::now();
        let mut conn = match Connection::connect(&target).await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("catalog_load: {e}");
                return 2;
            }
        };
        let connect_ms = ms(t0);
        let mut loads = Vec::new();
        let mut catalog = None;
        for _ in 0..runs {
            let t = Instant::now();
            match load(&mut conn).await {
                Ok(c) => catalog = Some(c),
                Err(e) => {
                    eprintln!("catalog_load: {e}");
                    return 1;
                }
            }
            loads.push(ms(t));
        }
        let Some(c) = catalog else { return 1 };
        let columns: usize = c.relations.iter().map(|r| r.columns.len()).sum();
        let t = Instant::now();
        let json = serde_json::to_vec(&c).expect("a catalog serializes");
        let write_ms = ms(t);
        let t = Instant::now();
        let back: dbsh::catalog::Catalog = serde_json::from_slice(&json).expect("and reads back");
        let read_ms = ms(t);
        assert_eq!(back.relations.len(), c.relations.len());
        let loads: Vec<String> = loads.iter().map(|l| format!("{l:.1}")).collect();
        println!(
            "relations={} columns={} foreign_keys={} connect_ms={connect_ms:.1} load_ms=[{}] json_bytes={} json_write_ms={write_ms:.1} json_read_ms={read_ms:.1}",
            c.relations.len(),
            columns,
            c.foreign_keys.len(),
            loads.join(","),
            json.len(),
        );
        0
    });
    std::process::exit(code);
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
