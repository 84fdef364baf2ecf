//! Micro-benchmarks of the buffer pool hot path: pinning and unpinning a page that is already
//! in the pool (a hit), with and without taking its content lock.
//!
//! Run with `cargo bench -p tusk-storage --bench buffer_pin`.

use std::sync::Arc;

use tusk_io::MemVfs;
use tusk_storage::{
    BufferPool, BufferPoolConfig, ItemPlacement, NoWalFlush, ReadBufferMode, Smgr, SmgrConfig,
};
use tusk_types::{BlockNumber, ForkNumber, Lsn, Oid, RelFileLocator};

fn main() {
    divan::main();
}

const REL: RelFileLocator = RelFileLocator {
    spc_oid: Oid(1663),
    db_oid: Oid(5),
    rel_number: Oid(16384),
};

/// A pool of 128 frames holding the 64 pages of one relation.
fn warm_pool() -> Arc<BufferPool> {
    let smgr = Arc::new(Smgr::new(
        Arc::new(MemVfs::new()),
        "/data",
        SmgrConfig::default(),
    ));
    smgr.create(REL, ForkNumber::Main, false).expect("create");
    let pool = Arc::new(BufferPool::new(
        BufferPoolConfig {
            shared_buffers: 128,
            data_checksums: true,
        },
        smgr,
        Arc::new(NoWalFlush),
    ));
    for _ in 0..64 {
        let buf = pool.new_page(REL, ForkNumber::Main).expect("extend");
        let mut page = buf.lock_exclusive();
        page.init(0);
        page.add_item(b"tuple", ItemPlacement::Append)
            .expect("fits");
        page.mark_dirty(Lsn(1));
    }
    pool
}

#[divan::bench]
fn pin_unpin_hit(bencher: divan::Bencher) {
    let pool = warm_pool();
    let mut block = 0u32;
    bencher.bench_local(|| {
        block = (block + 1) % 64;
        let buf = pool
            .read_buffer(
                REL,
                ForkNumber::Main,
                BlockNumber(block),
                ReadBufferMode::Normal,
            )
            .expect("hit");
        divan::black_box(buf.block());
    });
}

#[divan::bench]
fn pin_lock_shared_unpin_hit(bencher: divan::Bencher) {
    let pool = warm_pool();
    let mut block = 0u32;
    bencher.bench_local(|| {
        block = (block + 1) % 64;
        let buf = pool
            .read_buffer(
                REL,
                ForkNumber::Main,
                BlockNumber(block),
                ReadBufferMode::Normal,
            )
            .expect("hit");
        let page = buf.lock_shared();
        divan::black_box(page.max_offset());
    });
}

#[divan::bench]
fn page_checksum(bencher: divan::Bencher) {
    let page = [7u8; tusk_storage::PAGE_SIZE];
    bencher.bench_local(|| tusk_storage::page::page_checksum(divan::black_box(&page), 3));
}
