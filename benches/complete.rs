//! Speed of the pure completion engine on generated catalogs of 5,000 and 50,000 tables x
//! 20 columns with foreign keys (the 50,000 one: schema-per-tenant scale). Criterion gives
//! means; a plain timing loop before it prints p50 / p99 / max per keystroke, the numbers
//! the 5 ms target is about, with the options the interactive menu passes (the best 100
//! or so candidates, 64 recently used names). Also: reading the on-disk snapshot, and
//! merging one reloaded schema into the catalog (the refresh after a `CREATE TABLE`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use dbsh::catalog::refresh::SchemaPart;
use dbsh::catalog::{snapshot, Catalog};
use dbsh::complete::bench_support::{generate_catalog, table_name};
use dbsh::complete::{suggest, Options};

/// (name, sql, cursor as char index)
fn cases() -> Vec<(&'static str, String, usize)> {
    let t = table_name;
    let end = |s: String| {
        let n = s.chars().count();
        (s, n)
    };
    let mut v = Vec::new();
    let (s, n) = end("SELECT * FROM inv".to_string());
    v.push(("from_prefix", s, n));
    let (s, n) = end("SELECT * FROM ".to_string());
    v.push(("from_empty_all_tables", s, n));
    let s = format!("SELECT a. FROM {} a", t(4000));
    v.push(("alias_dot", s, 9));
    let (s, n) = end(format!(
        "SELECT * FROM {} a JOIN {} b ON b.id = a.id JOIN {} c ON c.id = b.id WHERE ",
        t(3000),
        t(1500),
        t(750)
    ));
    v.push(("where_3_joins", s, n));
    let (s, n) = end(format!("SELECT * FROM {} a JOIN ", t(2000)));
    v.push(("join_fk", s, n));
    let (s, n) = end(format!(
        "SELECT * FROM {} a JOIN {} b ON ",
        t(2000),
        t(1000)
    ));
    v.push(("on_fk_condition", s, n));

    // A ~5,000-char statement: wide select list, joins, long WHERE; cursor at the end.
    let mut long = String::from("SELECT ");
    for i in 0..60 {
        long.push_str(&format!("a.{}_{:02}, ", "customer", i % 20));
    }
    long.push_str(&format!(
        "b.id FROM {} a JOIN {} b ON b.id = a.id JOIN {} c ON c.id = b.id WHERE ",
        t(3000),
        t(1500),
        t(750)
    ));
    while long.chars().count() < 4990 {
        long.push_str("a.id > 10 AND c.id < 99 OR ");
    }
    let (s, n) = end(long.clone());
    v.push(("long_statement_end", s, n));
    let mid = long.find("a.customer_1").map_or(10, |b| b + 2);
    v.push(("long_statement_middle", long, mid));
    v
}

/// CPU time of this thread: what the engine itself spends, without the time another
/// process held the core (the shared VM the numbers come from is rarely idle).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `ts` is.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn percentiles(cat: &Catalog, opts: &Options) {
    println!(
        "{:<24} {:>10} {:>10} {:>10} {:>10} {:>6}",
        "case", "p50", "p99", "max", "p99 cpu", "cands"
    );
    for (name, sql, cursor) in cases() {
        let runs = 300;
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut cpu: Vec<Duration> = Vec::with_capacity(runs);
        let mut n = 0;
        for _ in 0..runs {
            let (t0, c0) = (Instant::now(), thread_cpu());
            let out = suggest(black_box(&sql), cursor, cat, opts);
            times.push(t0.elapsed());
            cpu.push(thread_cpu().saturating_sub(c0));
            n = out.candidates.len();
        }
        times.sort();
        cpu.sort();
        let at = |v: &[Duration], q: f64| v[((v.len() as f64 - 1.0) * q) as usize];
        println!(
            "{name:<24} {:>10.3?} {:>10.3?} {:>10.3?} {:>10.3?} {n:>6}",
            at(&times, 0.5),
            at(&times, 0.99),
            at(&times, 1.0),
            at(&cpu, 0.99),
        );
    }
}

/// What the interactive completer passes: a limit of about the menu's size and the
/// session's recently used names (up to 64).
fn menu_options() -> Options {
    Options {
        limit: Some(dbsh::repl::completer::ENGINE_LIMIT),
        recent: (0..64).map(|i| table_name(i * 97)).collect(),
        ..Options::default()
    }
}

fn bench(c: &mut Criterion) {
    let cat = generate_catalog(5000, 20);
    let opts = menu_options();
    let mut g = c.benchmark_group("suggest");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(50);
    for (name, sql, cursor) in cases() {
        g.bench_function(name, |b| {
            b.iter(|| suggest(black_box(&sql), cursor, &cat, &opts))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

/// Reading the on-disk catalog snapshot that makes the next start complete at once (and
/// the JSON it replaced, for comparison).
fn snapshot_read(cat: &Catalog) {
    let bytes = snapshot::encode(cat);
    let runs = 20;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        let back = snapshot::decode(black_box(&bytes)).expect("decode");
        times.push(t0.elapsed());
        black_box(back);
    }
    times.sort();
    let json = serde_json::to_vec(cat).expect("serialize");
    let t0 = Instant::now();
    black_box(serde_json::from_slice::<Catalog>(&json).expect("parse"));
    let json_time = t0.elapsed();
    println!(
        "snapshot read: {:.1} MB, p50 {:.1?}, max {:.1?} (JSON: {:.1} MB, {:.1?})",
        bytes.len() as f64 / 1e6,
        times[runs / 2],
        times[runs - 1],
        json.len() as f64 / 1e6,
        json_time
    );
}

/// Merging one reloaded schema (a tenant of 20 tables) into the catalog, as the refresh
/// after `CREATE TABLE tenant.t` does once the server answered.
fn schema_merge(cat: &Catalog) {
    let mut big = cat.clone();
    for r in big.relations.iter_mut().take(20) {
        r.schema = "tenant".into();
    }
    big.schemas.push("tenant".into());
    let part = Catalog {
        relations: big.relations[..21].to_vec(),
        ..Catalog::default()
    };
    let runs = 10;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let p = SchemaPart {
            schema: "tenant".into(),
            catalog: part.clone(),
            incoming_keys: true,
        };
        let t0 = Instant::now();
        let merged = big.with_schema(black_box(p));
        merged.index();
        times.push(t0.elapsed());
        black_box(merged);
    }
    times.sort();
    println!(
        "schema refresh merge (+ index): p50 {:.1?}, max {:.1?}",
        times[runs / 2],
        times[runs - 1]
    );
}

fn main() {
    let opts = menu_options();
    let cat = generate_catalog(5000, 20);
    println!("5,000 tables x 20 columns");
    snapshot_read(&cat);
    percentiles(&cat, &opts);
    let big = generate_catalog(50_000, 20);
    println!("50,000 tables x 20 columns");
    snapshot_read(&big);
    schema_merge(&big);
    percentiles(&big, &opts);
    drop(big);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
