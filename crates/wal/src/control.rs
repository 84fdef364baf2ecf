//! The control file, `global/pg_control`: where the last checkpoint is, and the cluster's
//! identity and state (PostgreSQL's role for it, our byte format).
//!
//! ```text
//! offset size  field
//!   0     8    system identifier
//!   8     4    control file format version (CONTROL_VERSION)
//!  12     4    catalog version
//!  16     8    time of last update (Unix seconds)
//!  24     8    checkpoint: start LSN of the last checkpoint record
//!  32     8    redo: that checkpoint's redo LSN
//!  40     8    minimum recovery point
//!  48     4    state (DbState, PostgreSQL's numbering)
//!  52     4    timeline
//!  56     4    previous timeline
//!  60     4    next xid
//!  64     4    next OID
//!  68     4    oldest xid
//!  72     4    WAL segment size in bytes
//!  76     4    data block size in bytes
//!  80     1    data checksums enabled (0/1)
//!  81     3    zero padding
//!  84     4    CRC-32C over bytes 0..84
//!  88  8104    zeroes (the file is 8192 bytes, one write)
//! ```
//!
//! Writes are atomic: the new content goes to `pg_control.tmp`, which is synced, renamed over
//! `pg_control`, and the directory synced (WAL rule 8 in `docs/design/wal.md`).

use std::fmt;
use std::path::{Path, PathBuf};

use tusk_io::{OpenOptions, Vfs};
use tusk_types::{pg_err, Error, Lsn, Oid, Result, Xid};

use crate::record::{u32_at, u64_at};

/// Path of the control file relative to the data directory.
pub const CONTROL_FILE_PATH: &str = "global/pg_control";
/// Size of the control file on disk in bytes.
pub const CONTROL_FILE_SIZE: usize = 8192;
/// The format version this code writes.
const CONTROL_VERSION: u32 = 2;
/// The earlier format it still reads: no xid epoch (taken as 0), CRC at 84.
const CONTROL_VERSION_NO_EPOCH: u32 = 1;
/// Bytes covered by the CRC.
const CRC_OFFSET: usize = 88;

/// Cluster state as recorded in the control file (PostgreSQL's `DBState`, same numbering).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DbState {
    /// Starting up.
    Startup = 0,
    /// Cleanly shut down.
    Shutdowned = 1,
    /// Shut down while in (archive) recovery, as a standby.
    ShutdownedInRecovery = 2,
    /// Shutting down.
    Shutdowning = 3,
    /// Replaying WAL after a crash.
    InCrashRecovery = 4,
    /// Replaying archived or streamed WAL (standby, PITR).
    InArchiveRecovery = 5,
    /// Running normally.
    InProduction = 6,
}

impl DbState {
    /// Decodes the stored number.
    pub fn from_u32(value: u32) -> Option<DbState> {
        Some(match value {
            0 => DbState::Startup,
            1 => DbState::Shutdowned,
            2 => DbState::ShutdownedInRecovery,
            3 => DbState::Shutdowning,
            4 => DbState::InCrashRecovery,
            5 => DbState::InArchiveRecovery,
            6 => DbState::InProduction,
            _ => return None,
        })
    }
}

impl fmt::Display for DbState {
    /// The words `pg_controldata` prints ("in production", "shut down").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DbState::Startup => "starting up",
            DbState::Shutdowned => "shut down",
            DbState::ShutdownedInRecovery => "shut down in recovery",
            DbState::Shutdowning => "shutting down",
            DbState::InCrashRecovery => "in crash recovery",
            DbState::InArchiveRecovery => "in archive recovery",
            DbState::InProduction => "in production",
        })
    }
}

/// The content of `global/pg_control`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ControlFile {
    /// Unique id of this cluster, chosen at initdb; also in every WAL segment's long header.
    pub system_identifier: u64,
    /// Catalog version the cluster was created with.
    pub catalog_version: u32,
    /// Current state.
    pub state: DbState,
    /// Time of the last update, Unix seconds.
    pub time: u64,
    /// Start LSN of the last checkpoint record (where recovery finds it).
    pub checkpoint: Lsn,
    /// That checkpoint's redo LSN (where replay starts).
    pub redo: Lsn,
    /// Recovery must replay at least to here before the cluster is consistent.
    pub min_recovery_point: Lsn,
    /// Current timeline.
    pub timeline: u32,
    /// Previous timeline.
    pub prev_timeline: u32,
    /// Next transaction id as of the last checkpoint.
    pub next_xid: Xid,
    /// How many times the xid counter had wrapped around at the last checkpoint (the high
    /// half of the next full transaction id, PostgreSQL's `nextXid` epoch).
    pub next_xid_epoch: u32,
    /// Next OID as of the last checkpoint.
    pub next_oid: Oid,
    /// Oldest unfrozen xid as of the last checkpoint.
    pub oldest_xid: Xid,
    /// WAL segment size in bytes.
    pub wal_segment_size: u32,
    /// Data page size in bytes.
    pub block_size: u32,
    /// Whether data pages carry checksums (`initdb --data-checksums`).
    pub data_checksums: bool,
}

impl ControlFile {
    /// Encoded size of the fields, CRC included, in bytes.
    pub const SIZE: usize = 92;

    /// The file's bytes ([`CONTROL_FILE_SIZE`], zero padded).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(CONTROL_FILE_SIZE);
        out.extend_from_slice(&self.system_identifier.to_le_bytes());
        out.extend_from_slice(&CONTROL_VERSION.to_le_bytes());
        out.extend_from_slice(&self.catalog_version.to_le_bytes());
        out.extend_from_slice(&self.time.to_le_bytes());
        out.extend_from_slice(&self.checkpoint.0.to_le_bytes());
        out.extend_from_slice(&self.redo.0.to_le_bytes());
        out.extend_from_slice(&self.min_recovery_point.0.to_le_bytes());
        out.extend_from_slice(&(self.state as u32).to_le_bytes());
        out.extend_from_slice(&self.timeline.to_le_bytes());
        out.extend_from_slice(&self.prev_timeline.to_le_bytes());
        out.extend_from_slice(&self.next_xid.0.to_le_bytes());
        out.extend_from_slice(&self.next_oid.0.to_le_bytes());
        out.extend_from_slice(&self.oldest_xid.0.to_le_bytes());
        out.extend_from_slice(&self.wal_segment_size.to_le_bytes());
        out.extend_from_slice(&self.block_size.to_le_bytes());
        out.extend_from_slice(&[u8::from(self.data_checksums), 0, 0, 0]);
        out.extend_from_slice(&self.next_xid_epoch.to_le_bytes());
        debug_assert_eq!(out.len(), CRC_OFFSET);
        let crc = crc32c::crc32c(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out.resize(CONTROL_FILE_SIZE, 0);
        out
    }

    /// Decodes the file's bytes.
    ///
    /// Errors (PostgreSQL's texts): XX001 "incorrect checksum in control file"; 55000
    /// "database files are incompatible with server" for another format version; XX001
    /// "could not read file ..." if it is too short.
    pub fn decode(bytes: &[u8]) -> Result<ControlFile> {
        if bytes.len() < Self::SIZE {
            return Err(pg_err!(
                DATA_CORRUPTED,
                "could not read file \"{CONTROL_FILE_PATH}\": read {} of {}",
                bytes.len(),
                Self::SIZE
            ));
        }
        let version = u32_at(bytes, 8);
        if version != CONTROL_VERSION && version != CONTROL_VERSION_NO_EPOCH {
            return Err(pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "database files are incompatible with server"
            )
            .detail(format!(
                "The database cluster was initialized with PG_CONTROL_VERSION {version} \
                 (0x{version:08x}), but the server was compiled with PG_CONTROL_VERSION \
                 {CONTROL_VERSION} (0x{CONTROL_VERSION:08x})."
            ))
            .hint("It looks like you need to initdb."));
        }
        let crc_offset = if version == CONTROL_VERSION_NO_EPOCH {
            84
        } else {
            CRC_OFFSET
        };
        if crc32c::crc32c(&bytes[..crc_offset]) != u32_at(bytes, crc_offset) {
            return Err(pg_err!(
                DATA_CORRUPTED,
                "incorrect checksum in control file"
            ));
        }
        let state = DbState::from_u32(u32_at(bytes, 48))
            .ok_or_else(|| pg_err!(DATA_CORRUPTED, "invalid database state in control file"))?;
        Ok(ControlFile {
            system_identifier: u64_at(bytes, 0),
            catalog_version: u32_at(bytes, 12),
            time: u64_at(bytes, 16),
            checkpoint: Lsn(u64_at(bytes, 24)),
            redo: Lsn(u64_at(bytes, 32)),
            min_recovery_point: Lsn(u64_at(bytes, 40)),
            state,
            timeline: u32_at(bytes, 52),
            prev_timeline: u32_at(bytes, 56),
            next_xid: Xid(u32_at(bytes, 60)),
            next_xid_epoch: if version == CONTROL_VERSION_NO_EPOCH {
                0
            } else {
                u32_at(bytes, 84)
            },
            next_oid: Oid(u32_at(bytes, 64)),
            oldest_xid: Xid(u32_at(bytes, 68)),
            wal_segment_size: u32_at(bytes, 72),
            block_size: u32_at(bytes, 76),
            data_checksums: bytes[80] != 0,
        })
    }

    /// Reads `<datadir>/global/pg_control`.
    ///
    /// Errors: as [`ControlFile::decode`]; 58P01 (undefined_file) "could not open file
    /// \"global/pg_control\": No such file or directory" if it is missing; other I/O errors.
    pub fn read(vfs: &dyn Vfs, datadir: &Path) -> Result<ControlFile> {
        let path = datadir.join(CONTROL_FILE_PATH);
        let file = vfs.open(&path, OpenOptions::EXISTING).map_err(|e| {
            Error::io(
                format_args!("could not open file \"{CONTROL_FILE_PATH}\""),
                &e,
            )
        })?;
        let mut bytes = vec![0u8; CONTROL_FILE_SIZE];
        let n = file.read_at(&mut bytes, 0).map_err(|e| {
            Error::io(
                format_args!("could not read file \"{CONTROL_FILE_PATH}\""),
                &e,
            )
        })?;
        bytes.truncate(n);
        ControlFile::decode(&bytes)
    }

    /// Writes `<datadir>/global/pg_control` atomically: temporary file, fsync, rename,
    /// directory fsync. Creates `global/` if missing. Errors: I/O errors (class 58).
    pub fn write(&self, vfs: &dyn Vfs, datadir: &Path) -> Result<()> {
        self.write_with_fsync(vfs, datadir, true)
    }

    /// [`ControlFile::write`]; with `fsync` false (the `fsync = off` setting) no file or
    /// directory is synced, as PostgreSQL's `pg_fsync` does nothing then: the rename is still
    /// atomic against a process crash, not against power loss.
    pub fn write_with_fsync(&self, vfs: &dyn Vfs, datadir: &Path, fsync: bool) -> Result<()> {
        let path = datadir.join(CONTROL_FILE_PATH);
        let dir: PathBuf = path
            .parent()
            .expect("control file path has a parent")
            .into();
        let tmp = dir.join("pg_control.tmp");
        let io = |what: &str, p: &Path, e: std::io::Error| {
            Error::io(format_args!("{what} \"{}\"", p.display()), &e)
        };
        if !vfs.exists(&dir) {
            vfs.create_dir_all(&dir)
                .map_err(|e| io("could not create directory", &dir, e))?;
            if fsync {
                vfs.sync_dir(datadir)
                    .map_err(|e| io("could not fsync file", datadir, e))?;
            }
        }
        let file = vfs
            .open(&tmp, OpenOptions::CREATE_TRUNCATE)
            .map_err(|e| io("could not create file", &tmp, e))?;
        file.write_all_at(&self.encode(), 0)
            .map_err(|e| io("could not write file", &tmp, e))?;
        if fsync {
            file.sync_all()
                .map_err(|e| io("could not fsync file", &tmp, e))?;
        }
        vfs.rename(&tmp, &path).map_err(|e| {
            Error::io(
                format_args!(
                    "could not rename file \"{}\" to \"{}\"",
                    tmp.display(),
                    path.display()
                ),
                &e,
            )
        })?;
        if fsync {
            vfs.sync_dir(&dir)
                .map_err(|e| io("could not fsync file", &dir, e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tusk_io::{CrashMode, FaultVfs};
    use tusk_types::SqlState;

    fn sample() -> ControlFile {
        ControlFile {
            system_identifier: 7_300_000_000_000_000_001,
            catalog_version: 202_209_061,
            state: DbState::InProduction,
            time: 1_700_000_000,
            checkpoint: Lsn(0x0100_0060),
            redo: Lsn(0x0100_0028),
            min_recovery_point: Lsn::INVALID,
            timeline: 1,
            prev_timeline: 1,
            next_xid: Xid(735),
            next_xid_epoch: 0,
            next_oid: Oid(16384),
            oldest_xid: Xid(716),
            wal_segment_size: 16 * 1024 * 1024,
            block_size: 8192,
            data_checksums: true,
        }
    }

    #[test]
    fn the_epoch_round_trips_and_the_format_without_it_reads_as_epoch_zero() {
        let control = ControlFile {
            next_xid_epoch: 7,
            ..sample()
        };
        assert_eq!(
            ControlFile::decode(&control.encode()).expect("decode"),
            control
        );
        // The earlier layout: version 1, CRC over the first 84 bytes.
        let mut old = control.encode()[..84].to_vec();
        old[8..12].copy_from_slice(&CONTROL_VERSION_NO_EPOCH.to_le_bytes());
        let crc = crc32c::crc32c(&old);
        old.extend_from_slice(&crc.to_le_bytes());
        old.resize(CONTROL_FILE_SIZE, 0);
        assert_eq!(ControlFile::decode(&old).expect("decode"), sample());
    }

    #[test]
    fn write_then_read_survives_a_crash() {
        let vfs = Arc::new(FaultVfs::new());
        let datadir = Path::new("/pgdata");
        vfs.create_dir_all(datadir).expect("mkdir");
        vfs.sync_dir(Path::new("/")).expect("sync root");
        let control = sample();
        control.write(vfs.as_ref(), datadir).expect("write");
        assert_eq!(
            ControlFile::read(vfs.as_ref(), datadir).expect("read"),
            control
        );
        let after = vfs.crash(CrashMode::DropUnsynced);
        assert_eq!(ControlFile::read(&after, datadir).expect("read"), control);
        assert_eq!(
            after.read_dir(&datadir.join("global")).expect("ls"),
            vec![datadir.join(CONTROL_FILE_PATH)]
        );
    }

    #[test]
    fn update_is_atomic_at_every_sync_point() {
        let datadir = Path::new("/pgdata");
        let old = sample();
        let mut new = sample();
        new.checkpoint = Lsn(0x0200_0060);
        new.state = DbState::Shutdowned;
        for point in 0..=3 {
            let vfs = FaultVfs::new();
            vfs.create_dir_all(datadir).expect("mkdir");
            old.write(&vfs, datadir).expect("write old");
            vfs.sync_everything();
            vfs.crash_at_sync(point);
            new.write(&vfs, datadir).expect("write new");
            let after = vfs.crash(CrashMode::TearLastWrite { keep_bytes: 40 });
            let read = ControlFile::read(&after, datadir).expect("old or new, never torn");
            assert!(read == old || read == new, "sync point {point}");
            if point >= 2 {
                assert_eq!(read, new);
            }
        }
    }

    #[test]
    fn damaged_control_file_reports_checksum_error() {
        let vfs = tusk_io::MemVfs::new();
        let datadir = Path::new("/pgdata");
        vfs.create_dir_all(datadir).expect("mkdir");
        sample().write(&vfs, datadir).expect("write");
        let file = vfs
            .open(&datadir.join(CONTROL_FILE_PATH), OpenOptions::EXISTING)
            .expect("open");
        file.write_all_at(&[0xFF], 30).expect("damage");
        let err = ControlFile::read(&vfs, datadir).expect_err("bad crc");
        assert_eq!(err.code, SqlState::DATA_CORRUPTED);
        assert_eq!(err.message, "incorrect checksum in control file");
        let missing = ControlFile::read(&vfs, Path::new("/elsewhere")).expect_err("missing");
        assert_eq!(
            missing.message,
            "could not open file \"global/pg_control\": No such file or directory"
        );
        assert_eq!(missing.code, SqlState::UNDEFINED_FILE);
    }
}
