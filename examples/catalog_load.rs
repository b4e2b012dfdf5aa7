//! Time a catalog load the way a session does it, for bench/compare.sh (`dbsh TARGET
//! --suggest` does the same and prints candidates; this prints the steps).
//!
//!     cargo run --release --example catalog_load -- TARGET [RUNS] [SCHEMA]
//!
//! Connects to TARGET once, then runs `dbsh::catalog::load::load_with` RUNS times (default
//! 1; as a session does, with a second connection on a big MySQL server)
//! and prints what was found and how long each step took, in milliseconds:
//! `relations=… columns=… foreign_keys=… connect_ms=… load_ms=[…] snapshot_bytes=…
//! snapshot_write_ms=… snapshot_read_ms=… index_ms=…`: the disk snapshot a session writes
//! after a load and reads back at its next start, and the lookup index built after. With
//! SCHEMA, also `schema_refresh_ms=…`: reloading only that schema and merging it in (with
//! the new index), as after `CREATE TABLE SCHEMA.t`. With `CATALOG_JSON=FILE` in the
//! environment, the loaded catalog is also written to FILE as JSON.

use std::time::Instant;

use dbsh::catalog::load::load_with;
use dbsh::catalog::{refresh, snapshot};
use dbsh::db::{ConnectParams, Connection, Target};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target_text) = args.first() else {
        eprintln!("usage: catalog_load TARGET [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(1).max(1);
    let schema = args.get(2).cloned();
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
            match load_with(&mut conn, Some(&target)).await {
                Ok(c) => catalog = Some(c),
                Err(e) => {
                    eprintln!("catalog_load: {e}");
                    return 1;
                }
            }
            loads.push(ms(t));
        }
        let Some(c) = catalog else { return 1 };
        // For comparing two builds' loads of the same database.
        if let Some(path) = std::env::var_os("CATALOG_JSON") {
            let json = serde_json::to_vec_pretty(&c).expect("a catalog serializes");
            std::fs::write(path, json).expect("CATALOG_JSON is writable");
        }
        let columns: usize = c.relations.iter().map(|r| r.columns.len()).sum();
        let t = Instant::now();
        let bytes = snapshot::encode(&c);
        let write_ms = ms(t);
        let t = Instant::now();
        let back = snapshot::decode(&bytes).expect("a snapshot reads back");
        let read_ms = ms(t);
        assert_eq!(back.relations.len(), c.relations.len());
        let t = Instant::now();
        back.index();
        let index_ms = ms(t);
        let mut refresh_ms = String::new();
        if let Some(schema) = schema {
            let t = Instant::now();
            let part = match refresh::load_schema(&mut conn, &schema).await {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("catalog_load: {e}");
                    return 1;
                }
            };
            let merged = c.with_schema(part);
            merged.index();
            refresh_ms = format!(" schema_refresh_ms={:.1}", ms(t));
        }
        let loads: Vec<String> = loads.iter().map(|l| format!("{l:.1}")).collect();
        println!(
            "relations={} columns={} foreign_keys={} connect_ms={connect_ms:.1} load_ms=[{}] snapshot_bytes={} snapshot_write_ms={write_ms:.1} snapshot_read_ms={read_ms:.1} index_ms={index_ms:.1}{refresh_ms}",
            c.relations.len(),
            columns,
            c.foreign_keys.len(),
            loads.join(","),
            bytes.len(),
        );
        0
    });
    std::process::exit(code);
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
