//! Relation files for DDL: creating one (CREATE TABLE/INDEX/SEQUENCE) and giving a
//! relation a new relfilenode (TRUNCATE, table rewrites, index rebuilds), as PostgreSQL's
//! `RelationCreateStorage` and `RelationSetNewRelfilenumber` do.
//!
//! Invariants: the storage CREATE WAL record is written before the file, so replay
//! recreates it; a file created by the transaction is removed if it aborts, and a
//! replaced file is removed when it commits.
//!
//! Entry points: `Session::create_relation_file`, `Session::new_relation_file`,
//! `Session::set_relation_file`.

use tusk_catalog::syscat;
use tusk_storage::storage_wal::create_record;
use tusk_types::{Datum, ForkNumber, Oid, RelFileLocator, Result};

use super::Session;
use crate::transaction::DEFAULT_TABLESPACE;

impl Session {
    /// Creates the main fork of relfilenode `rel_number` in this database and registers it
    /// for removal should the transaction abort.
    ///
    /// Errors: I/O errors creating the file.
    pub(crate) fn create_relation_file(&mut self, rel_number: Oid) -> Result<RelFileLocator> {
        let cluster = self.db.cluster.clone();
        let locator = RelFileLocator {
            spc_oid: DEFAULT_TABLESPACE,
            db_oid: self.db_oid,
            rel_number,
        };
        cluster
            .wal
            .insert(&create_record(locator, ForkNumber::Main));
        cluster
            .pool
            .smgr()
            .create(locator, ForkNumber::Main, false)?;
        self.txn.created_relation(locator);
        Ok(locator)
    }

    /// A new, empty relation file under a fresh relfilenode (an OID from the counter).
    ///
    /// Errors: as [`Session::create_relation_file`].
    pub(crate) fn new_relation_file(&mut self) -> Result<(Oid, RelFileLocator)> {
        let cluster = self.db.cluster.clone();
        let node = cluster.xact.oids.next_oid(&cluster.wal);
        Ok((node, self.create_relation_file(node)?))
    }

    /// Points relation `rel` at relfilenode `node` (with `relpages`/`reltuples` reset to
    /// `stats` when given) and removes its old file `old` at commit.
    ///
    /// Errors: catalog write errors.
    pub(crate) fn set_relation_file(
        &mut self,
        rel: Oid,
        node: Oid,
        old: RelFileLocator,
        stats: Option<(i32, f32)>,
    ) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_node, c_pages, c_tuples) = (
            class.col("relfilenode"),
            class.col("relpages"),
            class.col("reltuples"),
        );
        self.update_class_row(rel, |row| {
            row[c_node] = Datum::Oid(node.0);
            if let Some((pages, tuples)) = stats {
                row[c_pages] = Datum::Int4(pages);
                row[c_tuples] = Datum::Float4(tuples);
            }
        })?;
        self.txn.dropped_relation(old);
        Ok(())
    }
}
