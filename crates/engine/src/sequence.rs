//! Sequences (PostgreSQL's `sequence.c`, docs §9.17 "Sequence Manipulation Functions"):
//! a one-page relation holding `(last_value, log_cnt, is_called)`, changed in place and
//! outside transactions (a rolled-back `nextval` is not given back).
//!
//! WAL rule (as PostgreSQL): `nextval` logs a SEQUENCE record only every 32 values, and the
//! record carries the state 32 values ahead, so replay after a crash resumes past every
//! value that may have been handed out; the first `nextval` after a checkpoint's redo
//! point always logs (its page may be written by that checkpoint without later WAL).
//!
//! Page layout: a standard page whose one item (offset 1) is 17 bytes: last_value i64,
//! log_cnt i64, is_called u8 (little-endian).
//!
//! Entry points: [`SeqParams`], [`create_storage`], [`nextval`], [`setval`],
//! [`read_state`], [`redo_sequence`].

use std::sync::Arc;

use tusk_storage::{BufferPool, Checkpointer, ItemPlacement, Page, ReadBufferMode, RedoContext};
use tusk_types::{pg_err, BlockNumber, ForkNumber, OffsetNumber, RelFileLocator, Result};
use tusk_wal::{BlockRef, DecodedRecord, RecordBuilder, RmgrId};

/// Values logged ahead by one record (`SEQ_LOG_VALS`).
const SEQ_LOG_VALS: i64 = 32;
/// `XLOG_SEQ_LOG`.
const XLOG_SEQ_LOG: u8 = 0x00;
const ITEM: OffsetNumber = OffsetNumber(1);
const ITEM_LEN: usize = 17;

/// A sequence's `pg_sequence` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqParams {
    /// `seqstart`.
    pub start: i64,
    /// `seqincrement` (never 0).
    pub increment: i64,
    /// `seqmax`.
    pub max: i64,
    /// `seqmin`.
    pub min: i64,
    /// `seqcache`.
    pub cache: i64,
    /// `seqcycle`.
    pub cycle: bool,
}

/// The stored state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqState {
    /// `last_value`.
    pub last_value: i64,
    /// `log_cnt`: values left before the next WAL record.
    pub log_cnt: i64,
    /// `is_called`.
    pub is_called: bool,
}

fn encode(state: &SeqState) -> [u8; ITEM_LEN] {
    let mut out = [0u8; ITEM_LEN];
    out[..8].copy_from_slice(&state.last_value.to_le_bytes());
    out[8..16].copy_from_slice(&state.log_cnt.to_le_bytes());
    out[16] = u8::from(state.is_called);
    out
}

fn decode(bytes: &[u8]) -> Result<SeqState> {
    if bytes.len() < ITEM_LEN {
        return Err(pg_err!(DATA_CORRUPTED, "bad sequence page item"));
    }
    let i64_at = |at: usize| i64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    Ok(SeqState {
        last_value: i64_at(0),
        log_cnt: i64_at(8),
        is_called: bytes[16] != 0,
    })
}

/// A fresh sequence page holding `state`.
fn page_with(state: &SeqState) -> Page {
    let mut page = Page::new_zeroed();
    page.init(0);
    page.add_item(&encode(state), ItemPlacement::Append)
        .expect("an empty page has room for 17 bytes");
    page
}

fn record(locator: RelFileLocator, image: Box<[u8; tusk_storage::PAGE_SIZE]>) -> RecordBuilder {
    let mut block = BlockRef::new(locator, ForkNumber::Main, BlockNumber(0));
    block.image = Some(image);
    block.will_init = true;
    RecordBuilder::new(RmgrId::SEQUENCE, XLOG_SEQ_LOG).with_block(block)
}

/// Creates the sequence's page with `last_value = start`, not called (the file exists).
///
/// Errors: I/O errors.
pub fn create_storage(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    locator: RelFileLocator,
    start: i64,
) -> Result<()> {
    create_storage_with(
        pool,
        checkpointer,
        locator,
        SeqState {
            last_value: start,
            log_cnt: 0,
            is_called: false,
        },
    )
}

/// Initialises a new sequence relation holding `state` (ALTER SEQUENCE's new storage).
///
/// Errors: I/O errors.
pub fn create_storage_with(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    locator: RelFileLocator,
    state: SeqState,
) -> Result<()> {
    write_state(pool, checkpointer, locator, state, true)
}

/// Writes `state` to the page (logging the whole page: the records are rare).
fn write_state(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    locator: RelFileLocator,
    state: SeqState,
    new: bool,
) -> Result<()> {
    let pin = if new {
        pool.new_page(locator, ForkNumber::Main)?
    } else {
        pool.read_buffer(
            locator,
            ForkNumber::Main,
            BlockNumber(0),
            ReadBufferMode::Normal,
        )?
    };
    let mut guard = pin.lock_exclusive();
    let page = page_with(&state);
    let image = Box::new(*page.as_bytes());
    let lsn = guard.lsn();
    *guard.as_bytes_mut() = *page.as_bytes();
    guard.set_lsn(lsn);
    let end = checkpointer.insert_with_redo(|_| record(locator, image));
    guard.mark_dirty(end);
    drop(guard);
    checkpointer.wal().flush(end)?;
    Ok(())
}

/// Overwrites the item of a sequence page in place.
fn store(page: &mut Page, state: &SeqState) -> Result<()> {
    let item = page
        .item_mut(ITEM)
        .ok_or_else(|| pg_err!(DATA_CORRUPTED, "bad sequence page"))?;
    item[..ITEM_LEN].copy_from_slice(&encode(state));
    Ok(())
}

/// The current state.
///
/// Errors: I/O errors; XX001 for a damaged page.
pub fn read_state(pool: &Arc<BufferPool>, locator: RelFileLocator) -> Result<SeqState> {
    let pin = pool.read_buffer(
        locator,
        ForkNumber::Main,
        BlockNumber(0),
        ReadBufferMode::Normal,
    )?;
    let page = pin.lock_shared();
    decode(
        page.item(ITEM)
            .ok_or_else(|| pg_err!(DATA_CORRUPTED, "bad sequence page"))?,
    )
}

/// `nextval`: the next value of the sequence `name` with `params` (see the module header).
///
/// Errors: 2200H `nextval: reached maximum value of sequence "s" (n)` / minimum; I/O.
pub fn nextval(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    locator: RelFileLocator,
    params: &SeqParams,
    name: &str,
) -> Result<i64> {
    let pin = pool.read_buffer(
        locator,
        ForkNumber::Main,
        BlockNumber(0),
        ReadBufferMode::Normal,
    )?;
    let mut guard = pin.lock_exclusive();
    let mut state = decode(
        guard
            .item(ITEM)
            .ok_or_else(|| pg_err!(DATA_CORRUPTED, "bad sequence page"))?,
    )?;
    let step = |from: i64| -> Result<i64> {
        let next = from.checked_add(params.increment);
        match next {
            Some(n) if n <= params.max && n >= params.min => Ok(n),
            _ if params.cycle => Ok(if params.increment > 0 {
                params.min
            } else {
                params.max
            }),
            _ => Err(if params.increment > 0 {
                pg_err!(
                    SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
                    "nextval: reached maximum value of sequence \"{}\" ({})",
                    name,
                    params.max
                )
            } else {
                pg_err!(
                    SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
                    "nextval: reached minimum value of sequence \"{}\" ({})",
                    name,
                    params.min
                )
            }),
        }
    };
    let result = if state.is_called {
        step(state.last_value)?
    } else {
        state.last_value
    };
    let must_log = state.log_cnt < 1 || guard.lsn() <= checkpointer.redo_lsn();
    state.last_value = result;
    state.is_called = true;
    if must_log {
        // Log the state SEQ_LOG_VALS values ahead (stopping at the bounds).
        let mut ahead = result;
        let mut logged = 0;
        while logged < SEQ_LOG_VALS {
            match step(ahead) {
                Ok(n) if ahead.checked_add(params.increment) == Some(n) => {
                    ahead = n;
                    logged += 1;
                }
                _ => break,
            }
        }
        let logged_state = SeqState {
            last_value: ahead,
            log_cnt: 0,
            is_called: true,
        };
        let image = Box::new(*page_with(&logged_state).as_bytes());
        let end = checkpointer.insert_with_redo(|_| record(locator, image));
        // The value may be used before any commit record flushes WAL (a transaction that
        // only called nextval has no xid): flush now, so no value is handed out twice.
        checkpointer.wal().flush(end)?;
        state.log_cnt = logged;
        store(&mut guard, &state)?;
        guard.mark_dirty(end);
    } else {
        state.log_cnt -= 1;
        store(&mut guard, &state)?;
        guard.mark_dirty_unlogged();
    }
    Ok(result)
}

/// `setval(seq, value, is_called)`.
///
/// Errors: 22003 `setval: value n is out of bounds for sequence "s" (min..max)`; I/O.
pub fn setval(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    locator: RelFileLocator,
    params: &SeqParams,
    name: &str,
    value: i64,
    is_called: bool,
) -> Result<()> {
    if value < params.min || value > params.max {
        return Err(pg_err!(
            NUMERIC_VALUE_OUT_OF_RANGE,
            "setval: value {} is out of bounds for sequence \"{}\" ({}..{})",
            value,
            name,
            params.min,
            params.max
        ));
    }
    write_state(
        pool,
        checkpointer,
        locator,
        SeqState {
            last_value: value,
            log_cnt: 0,
            is_called,
        },
        false,
    )
}

/// Redo of a SEQUENCE record: the page image is restored by the common block logic.
///
/// Errors: none beyond the common logic's.
pub fn redo_sequence(_ctx: &RedoContext<'_>, _record: &DecodedRecord) -> Result<()> {
    Ok(())
}
