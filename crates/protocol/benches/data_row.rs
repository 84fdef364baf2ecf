//! Measures DataRow encoding: the zero-copy builder against the iterator form, for a pgbench-
//! like row (int4, int4, text, NULL). Run: `cargo bench -p tusk-protocol --bench data_row`.
//! Prints nanoseconds per row; no assertions on time.

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use tusk_protocol::BackendWriter;

const ROWS: u32 = 2_000_000;

fn main() {
    let filler = "x".repeat(84);
    let mut w = BackendWriter::with_capacity(1 << 20);

    let start = Instant::now();
    for i in 0..ROWS {
        w.begin_data_row(4);
        w.push_text_with(|buf| write!(buf, "{i}").expect("Vec write cannot fail"));
        w.push_text_with(|buf| write!(buf, "{}", i % 10).expect("Vec write cannot fail"));
        w.push_value(filler.as_bytes());
        w.push_null();
        w.end_data_row();
        if w.len() > 1 << 20 {
            black_box(w.as_bytes());
            w.clear();
        }
    }
    let builder = start.elapsed();

    let start = Instant::now();
    for i in 0..ROWS {
        let a = i.to_string();
        let b = (i % 10).to_string();
        w.data_row([
            Some(a.as_bytes()),
            Some(b.as_bytes()),
            Some(filler.as_bytes()),
            None,
        ]);
        if w.len() > 1 << 20 {
            black_box(w.as_bytes());
            w.clear();
        }
    }
    let iterator = start.elapsed();

    println!(
        "DataRow (int4, int4, text(84), NULL): builder {:.1} ns/row, iterator with String columns {:.1} ns/row",
        builder.as_nanos() as f64 / f64::from(ROWS),
        iterator.as_nanos() as f64 / f64::from(ROWS)
    );
}
