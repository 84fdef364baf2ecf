//! Micro-benchmarks of the parser boundary for pgbench's statements: PostgreSQL's grammar
//! and the conversion into tusk's tree on every call, against the backend's parse cache
//! (`ParseCache`), which reuses one parse for strings that differ only in their literals.
//!
//! Run with `cargo bench -p tusk-sql --bench parse`.

use tusk_sql::ParseCache;

fn main() {
    divan::main();
}

/// pgbench's TPC-B-like statements with the literals of transaction `i`.
fn tpcb_statements(i: u32) -> [String; 3] {
    let aid = 1 + (i * 7919) % 1_000_000;
    let delta = (i % 10_000) as i64 - 5000;
    [
        format!("UPDATE pgbench_accounts SET abalance = abalance + {delta} WHERE aid = {aid};"),
        format!("SELECT abalance FROM pgbench_accounts WHERE aid = {aid};"),
        format!(
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ({}, {}, {aid}, {delta}, CURRENT_TIMESTAMP);",
            1 + i % 100,
            1 + i % 10
        ),
    ]
}

#[divan::bench]
fn grammar_every_time(bencher: divan::Bencher) {
    let mut i = 0u32;
    bencher.bench_local(|| {
        i = i.wrapping_add(1);
        for sql in tpcb_statements(i) {
            divan::black_box(tusk_sql::parse(&sql).expect("parses"));
        }
    });
}

#[divan::bench]
fn parse_cache(bencher: divan::Bencher) {
    let mut cache = ParseCache::default();
    let mut i = 0u32;
    bencher.bench_local(|| {
        i = i.wrapping_add(1);
        for sql in tpcb_statements(i) {
            divan::black_box(cache.parse(&sql, 2048).expect("parses"));
        }
    });
}
