//! WAL insertion micro-benchmarks (divan): record encoding plus the copy into the WAL buffers,
//! alone and with a flush per record, on the in-memory file system (so the figures measure
//! our code, not the disk). Run with `cargo bench -p tusk-wal`.

use std::path::Path;
use std::sync::Arc;

use tusk_io::MemVfs;
use tusk_types::{BlockNumber, ForkNumber, Lsn, Oid, RelFileLocator, Xid};
use tusk_wal::{BlockRef, RecordBuilder, RmgrId, Wal, WalConfig};

fn main() {
    divan::main();
}

fn open_wal() -> Wal {
    let vfs = Arc::new(MemVfs::new());
    let config = WalConfig {
        segment_size: 1024 * 1024,
        ..WalConfig::default()
    };
    Wal::open(vfs, Path::new("/pg_wal"), config, Lsn::INVALID).expect("open")
}

/// A heap-insert-sized record: one block reference with a 100-byte tuple.
fn heap_insert() -> RecordBuilder {
    let mut block = BlockRef::new(
        RelFileLocator {
            spc_oid: Oid(1663),
            db_oid: Oid(5),
            rel_number: Oid(16384),
        },
        ForkNumber::Main,
        BlockNumber(42),
    );
    block.data = vec![7; 100];
    RecordBuilder::new(RmgrId::HEAP, 0x00)
        .with_xid(Xid(1000))
        .with_block(block)
        .with_main_data(vec![0; 3])
}

#[divan::bench(threads = [1, 2, 4])]
fn insert_heap_record(bencher: divan::Bencher) {
    let wal = open_wal();
    let record = heap_insert();
    bencher.bench(|| wal.insert(divan::black_box(&record)));
}

#[divan::bench]
fn insert_and_flush(bencher: divan::Bencher) {
    let wal = open_wal();
    let record = heap_insert();
    bencher.bench_local(|| {
        let end = wal.insert(divan::black_box(&record));
        wal.flush(end).expect("flush");
    });
}

#[divan::bench]
fn encode_full_page_image_record(bencher: divan::Bencher) {
    let mut record = heap_insert();
    record.blocks[0].image = Some(Box::new([3u8; 8192]));
    bencher.bench_local(|| divan::black_box(&record).encode(Lsn(16)));
}
