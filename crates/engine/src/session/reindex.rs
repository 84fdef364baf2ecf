//! `REINDEX` (PostgreSQL's `ExecReindex`, docs: SQL Commands, REINDEX): every B-tree
//! index named, or of the tables named, is built afresh from the table's rows into a new
//! relfilenode; the old files go at commit, so a REINDEX rolled back leaves the old
//! index in place.
//!
//! Rules:
//! 1. `INDEX` takes an index, `TABLE` a table, materialized view or partitioned table,
//!    `SCHEMA` the tables and materialized views of a schema, `DATABASE` those of the
//!    current database, `SYSTEM` its system catalogs. A partitioned table or index
//!    stands for its leaf partitions' indexes and cannot be reindexed inside a
//!    transaction block; neither can SCHEMA, DATABASE, SYSTEM nor CONCURRENTLY.
//! 2. `CONCURRENTLY` is accepted with PostgreSQL's restrictions (no system catalogs, no
//!    transaction block) and builds as a plain REINDEX does, holding the table's SHARE
//!    lock so that no write can slip past the build.
//! 3. tusk's system catalogs have no index files: reindexing them has nothing to build
//!    and reports nothing.
//! 4. Other sessions' temporary tables are skipped by SCHEMA and DATABASE.
//!
//! Entry point: [`Session::reindex`].

use std::sync::Arc;
use std::time::Instant;

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{ReindexKind, ReindexStmt};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::privilege::must_be_owner;
use super::Session;
use crate::lock::LockMode;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// The schema-qualified name PostgreSQL's REINDEX messages use (`public.t`).
fn qualified(entry: &RelEntry) -> String {
    format!("{}.{}", entry.info.namespace, entry.info.name)
}

impl Session {
    /// `REINDEX [(options)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM} [CONCURRENTLY]
    /// name` (rules 1–4); `in_block` says whether it runs in a transaction block.
    ///
    /// Errors: 25001 `REINDEX CONCURRENTLY cannot run inside a transaction block` (and
    /// `REINDEX SCHEMA`, `REINDEX TABLE` of a partitioned table, ...); 42P01; 42809
    /// `"x" is not an index`, `"x" is not a table or materialized view`; 3F000; 42501
    /// `must be owner of table t`; 0A000 `cannot reindex system catalogs concurrently`,
    /// `can only reindex the currently open database`; 23505 `could not create unique
    /// index "x"` when the rows now hold duplicates; 42704 for an unknown tablespace.
    pub(crate) fn reindex(
        &mut self,
        stmt: &ReindexStmt,
        in_block: bool,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("REINDEX")?;
        if stmt.concurrently && in_block {
            return Err(in_block_error("REINDEX CONCURRENTLY"));
        }
        if let Some(tablespace) = &stmt.tablespace {
            self.check_reindex_tablespace(tablespace)?;
        }
        match stmt.kind {
            ReindexKind::Index => {
                let rv = stmt.relation.as_ref().ok_or_else(missing_name)?;
                self.reindex_named_index(rv, stmt, in_block, sink)?;
            }
            ReindexKind::Table => {
                let rv = stmt.relation.as_ref().ok_or_else(missing_name)?;
                self.reindex_named_table(rv, stmt, in_block, sink)?;
            }
            ReindexKind::Schema | ReindexKind::System | ReindexKind::Database => {
                self.reindex_multiple(stmt, in_block, sink)?;
            }
        }
        self.txn.command_counter_increment();
        Ok("REINDEX".into())
    }

    /// `TABLESPACE name`: indexes stay in the default tablespace, the only one tusk
    /// stores relations in.
    fn check_reindex_tablespace(&self, name: &str) -> Result<()> {
        let pg_tablespace = syscat::system_catalog_by_name("pg_tablespace").expect("pg_tablespace");
        let c_name = pg_tablespace.col("spcname");
        let exists = self
            .catalog_reader()
            .scan(pg_tablespace)?
            .into_iter()
            .any(|(_, r)| r[c_name] == Datum::Text(name.to_string()));
        if !exists {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "tablespace \"{}\" does not exist",
                name
            ));
        }
        if name != "pg_default" {
            return Err(Error::feature_not_supported(format!(
                "REINDEX into tablespace \"{name}\""
            )));
        }
        Ok(())
    }

    /// `REINDEX INDEX name`.
    fn reindex_named_index(
        &mut self,
        rv: &RangeVar,
        stmt: &ReindexStmt,
        in_block: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let entry = self.reindex_target(rv)?;
        if !matches!(entry.info.kind, b'i' | b'I') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not an index",
                rv.name
            ));
        }
        self.check_relation_owner(entry.info.oid)?;
        if stmt.concurrently && entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            return Err(catalogs_concurrently());
        }
        let table = self.index_table(entry.info.oid)?;
        let on_partitioned = match table {
            Some(t) => self.catalog_reader().entry(t)?.map(|e| e.info.kind) == Some(b'p'),
            None => false,
        };
        if entry.info.kind == b'I' || on_partitioned {
            if in_block {
                return Err(in_block_error("REINDEX INDEX").context(format!(
                    "while reindexing partitioned index \"{}\"",
                    qualified(&entry)
                )));
            }
            let leaves = self.leaf_partition_indexes(entry.info.oid)?;
            if leaves.is_empty() {
                // Partition indexes not linked to this one through pg_inherits: the
                // indexes of every leaf partition are rebuilt.
                let mut partitions = Vec::new();
                if let Some(t) = table {
                    self.leaf_partitions_of(t, &mut partitions)?;
                }
                for leaf in partitions {
                    if let Some(leaf) = self.catalog_reader().entry(leaf)? {
                        self.reindex_table(&leaf, stmt.verbose, sink)?;
                    }
                }
            }
            for leaf in leaves {
                self.reindex_index(leaf, stmt.verbose, sink)?;
            }
            return Ok(());
        }
        self.reindex_index(entry.info.oid, stmt.verbose, sink)
    }

    /// `REINDEX TABLE name`.
    fn reindex_named_table(
        &mut self,
        rv: &RangeVar,
        stmt: &ReindexStmt,
        in_block: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let entry = self.reindex_target(rv)?;
        if !matches!(entry.info.kind, b'r' | b'm' | b'p' | b't') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a table or materialized view",
                rv.name
            ));
        }
        self.check_relation_owner(entry.info.oid)?;
        let catalog = entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID;
        if stmt.concurrently && catalog {
            return Err(catalogs_concurrently());
        }
        if entry.info.kind == b'p' {
            if in_block {
                return Err(in_block_error("REINDEX TABLE").context(format!(
                    "while reindexing partitioned table \"{}\"",
                    qualified(&entry)
                )));
            }
            let mut leaves = Vec::new();
            self.leaf_partitions_of(entry.info.oid, &mut leaves)?;
            for leaf in leaves {
                if let Some(leaf) = self.catalog_reader().entry(leaf)? {
                    self.reindex_table(&leaf, stmt.verbose, sink)?;
                }
            }
            return Ok(());
        }
        if !self.reindex_table(&entry, stmt.verbose, sink)? && !catalog {
            let what = if stmt.concurrently {
                "has no indexes that can be reindexed concurrently"
            } else {
                "has no indexes to reindex"
            };
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "table \"{}\" {}",
                    entry.info.name,
                    what
                ),
            );
        }
        Ok(())
    }

    /// `REINDEX SCHEMA | DATABASE | SYSTEM name` (rules 1, 3, 4).
    fn reindex_multiple(
        &mut self,
        stmt: &ReindexStmt,
        in_block: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let command = match stmt.kind {
            ReindexKind::Schema => "REINDEX SCHEMA",
            ReindexKind::System => "REINDEX SYSTEM",
            _ => "REINDEX DATABASE",
        };
        if in_block {
            return Err(in_block_error(command));
        }
        let namespace = if stmt.kind == ReindexKind::Schema {
            let Some(oid) = self.catalog_reader().namespace_oid(&stmt.name)? else {
                return Err(pg_err!(
                    INVALID_SCHEMA_NAME,
                    "schema \"{}\" does not exist",
                    stmt.name
                ));
            };
            self.check_schema_owner(oid, &stmt.name)?;
            Some(oid)
        } else {
            if !stmt.name.is_empty() && stmt.name != self.database {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "can only reindex the currently open database"
                ));
            }
            if stmt.kind == ReindexKind::System && stmt.concurrently {
                return Err(catalogs_concurrently());
            }
            None
        };
        // System catalogs are skipped by CONCURRENTLY with one warning, as PostgreSQL
        // does for a schema or database that holds them.
        let catalogs_included = match namespace {
            Some(ns) => ns == syscat::PG_CATALOG_NAMESPACE,
            None => stmt.kind != ReindexKind::Schema,
        };
        if stmt.concurrently && catalogs_included {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "cannot reindex system catalogs concurrently, skipping all"
                ),
            );
        }
        if stmt.kind == ReindexKind::System {
            // Rule 3: nothing to build.
            return Ok(());
        }
        let my_temp = self.active_temp_namespace();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_oid, c_kind, c_ns, c_persistence) = (
            class.col("oid"),
            class.col("relkind"),
            class.col("relnamespace"),
            class.col("relpersistence"),
        );
        let mut tables: Vec<(Oid, Oid, bool)> = self
            .catalog_reader()
            .scan(class)?
            .into_iter()
            .filter(|(_, r)| matches!(&r[c_kind], Datum::Text(k) if k == "r" || k == "m"))
            .filter(|(_, r)| namespace.is_none_or(|ns| r[c_ns] == Datum::Oid(ns.0)))
            .filter_map(|(_, r)| match (&r[c_oid], &r[c_ns]) {
                (Datum::Oid(o), Datum::Oid(ns)) if *o >= syscat::FIRST_NORMAL_OBJECT_ID => Some((
                    Oid(*o),
                    Oid(*ns),
                    r[c_persistence] == Datum::Text("t".into()),
                )),
                _ => None,
            })
            .collect();
        tables.sort_by_key(|(o, _, _)| o.0);
        for (oid, ns, temp) in tables {
            if temp {
                let name = self.catalog_reader().namespace_name(ns)?;
                if name.is_none() || name != my_temp {
                    continue;
                }
            }
            if let Some(entry) = self.catalog_reader().entry(oid)? {
                self.reindex_table(&entry, stmt.verbose, sink)?;
            }
        }
        Ok(())
    }

    /// The relation `rv` names.
    ///
    /// Errors: 42P01 `relation "x" does not exist`.
    fn reindex_target(&self, rv: &RangeVar) -> Result<Arc<RelEntry>> {
        let reader = self.catalog_reader();
        let entry = match reader.resolve(rv.schema.as_deref(), &rv.name)? {
            Some(oid) => reader.entry(oid)?,
            None => None,
        };
        entry.ok_or_else(|| {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown)
        })
    }

    /// 42501 `must be owner of schema s` unless the current user owns schema `oid`.
    fn check_schema_owner(&self, oid: Oid, name: &str) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let (c_oid, c_owner) = (namespace.col("oid"), namespace.col("nspowner"));
        let owner = self
            .catalog_reader()
            .scan(namespace)?
            .into_iter()
            .find(|(_, r)| r[c_oid] == Datum::Oid(oid.0))
            .and_then(|(_, r)| match r[c_owner] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            });
        let (me, privileges) = self.privileges_for_check()?;
        match owner {
            Some(owner) if privileges.has_privs_of_role(me, owner) => Ok(()),
            _ => Err(must_be_owner("schema", name)),
        }
    }

    /// The leaf partitions of partitioned table `rel`, in OID order.
    fn leaf_partitions_of(&self, rel: Oid, out: &mut Vec<Oid>) -> Result<()> {
        let mut children = super::inheritance::inheritance_children(&self.catalog_reader(), rel)?;
        children.sort_by_key(|o| o.0);
        for child in children {
            let kind = self.catalog_reader().entry(child)?.map(|e| e.info.kind);
            match kind {
                Some(b'p') => self.leaf_partitions_of(child, out)?,
                Some(_) => out.push(child),
                None => {}
            }
        }
        Ok(())
    }

    /// The leaf indexes under partitioned index `index` (through `pg_inherits`).
    fn leaf_partition_indexes(&self, index: Oid) -> Result<Vec<Oid>> {
        let mut out = Vec::new();
        let mut pending = vec![index];
        while let Some(parent) = pending.pop() {
            let mut children =
                super::inheritance::inheritance_children(&self.catalog_reader(), parent)?;
            children.sort_by_key(|o| o.0);
            for child in children {
                match self.catalog_reader().entry(child)?.map(|e| e.info.kind) {
                    Some(b'I') => pending.push(child),
                    Some(_) => out.push(child),
                    None => {}
                }
            }
        }
        out.sort_by_key(|o| o.0);
        Ok(out)
    }

    /// Rebuilds every index of `table` under its SHARE lock (rule 2); whether it had
    /// any.
    fn reindex_table(
        &mut self,
        table: &Arc<RelEntry>,
        verbose: bool,
        sink: &mut dyn Sink,
    ) -> Result<bool> {
        self.lock_relation(table.info.oid, LockMode::Share)?;
        let table = self.reload_relation(table.info.oid)?;
        let indexes = self.table_indexes(&table)?;
        if indexes.is_empty() {
            return Ok(false);
        }
        for index in indexes {
            self.lock_relation(index.oid, LockMode::AccessExclusive)?;
            let started = Instant::now();
            self.rebuild_index(&table, &index)?;
            if verbose {
                self.report_reindexed(index.oid, started, sink)?;
            }
        }
        Ok(true)
    }

    /// Rebuilds index `index` of its table.
    fn reindex_index(&mut self, index: Oid, verbose: bool, sink: &mut dyn Sink) -> Result<()> {
        let table = self
            .index_table(index)?
            .ok_or_else(|| Error::internal(format!("index {} has no pg_index row", index.0)))?;
        self.lock_relation(table, LockMode::Share)?;
        self.lock_relation(index, LockMode::AccessExclusive)?;
        let table = self.reload_relation(table)?;
        let Some(found) = self
            .table_indexes(&table)?
            .into_iter()
            .find(|ix| ix.oid == index)
        else {
            // An index of a relation without storage (a foreign table's): nothing to
            // build.
            return Ok(());
        };
        let started = Instant::now();
        self.rebuild_index(&table, &found)?;
        if verbose {
            self.report_reindexed(index, started, sink)?;
        }
        Ok(())
    }

    /// VERBOSE: INFO `index "s.x" was reindexed`, with the time it took.
    fn report_reindexed(&self, index: Oid, started: Instant, sink: &mut dyn Sink) -> Result<()> {
        let Some(entry) = self.catalog_reader().entry(index)? else {
            return Ok(());
        };
        sink.notice(
            NoticeSeverity::Info,
            &pg_err!(
                SUCCESSFUL_COMPLETION,
                "index \"{}\" was reindexed",
                qualified(&entry)
            )
            .detail(format!(
                "elapsed: {:.2} s.",
                started.elapsed().as_secs_f64()
            )),
        );
        Ok(())
    }
}

fn in_block_error(command: &str) -> Error {
    pg_err!(
        ACTIVE_SQL_TRANSACTION,
        "{} cannot run inside a transaction block",
        command
    )
}

fn catalogs_concurrently() -> Error {
    pg_err!(
        FEATURE_NOT_SUPPORTED,
        "cannot reindex system catalogs concurrently"
    )
}

fn missing_name() -> Error {
    Error::internal("REINDEX INDEX or TABLE without a name")
}
