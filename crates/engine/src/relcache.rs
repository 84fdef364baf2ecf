//! Catalog reads and the relation cache: names to relations through `pg_namespace`,
//! `pg_class`, `pg_attribute`, `pg_attrdef` and `pg_constraint` stored in the heap, and
//! each backend's cache of what it read (PostgreSQL's relcache and syscache).
//!
//! Lookups read each catalog's visible rows once, decoded, into the cache
//! ([`CatalogReader::rows`], a [`CatalogRows`] with maps by OID-valued columns), in place
//! of PostgreSQL's catalog indexes; catalog information functions (`pg_table_is_visible`,
//! `pg_get_indexdef`, ...) share those rows.
//!
//! Invalidation (rule): a transaction that changed catalogs bumps the cluster's catalog
//! generation when it commits, after its commit is in the commit log and before it leaves
//! the proc array; each backend drops its whole cache when it sees a new generation at
//! statement start. A backend's own catalog writes drop its cache at once (entries it then
//! loads include its uncommitted changes, which only it can see), and so does the end of
//! its transaction or a rollback to a savepoint that undid catalog changes. While its
//! transaction has catalog changes, decoded rows are reused only within the command that
//! read them.
//!
//! Besides relations by name and OID, the cache holds each table's opened index list
//! (`RelationGetIndexList` with the key columns the planner and index maintenance need),
//! so a statement reads `pg_index` only when the catalogs changed. Every clear bumps the
//! cache's epoch ([`RelCache::epoch`]), which cached plans of prepared statements compare
//! to know whether what they were built from still holds.
//!
//! Entry points: [`CatalogReader`], [`RelEntry`], [`RelCache`], [`catalog_locator`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use tusk_access::{AttributeDesc, HeapRelation, HEAP_DEFAULT_FILLFACTOR};
use tusk_catalog::rows::CatalogRows;
use tusk_catalog::syscat::{self, SysCatalog};
use tusk_sql::analyze::{CheckInfo, ColumnInfo, RelationInfo};
use tusk_storage::BufferPool;
use tusk_txn::Clog;
use tusk_types::{Datum, ItemPointer, Oid, RelFileLocator, Result};

use crate::heap::{HeapScanIter, ReadView};
use crate::index_maintenance::OpenIndex;
use crate::transaction::{DEFAULT_TABLESPACE, GLOBAL_TABLESPACE};

/// Where a catalog's files are in database `db`.
pub fn catalog_locator(db: Oid, catalog: &SysCatalog) -> RelFileLocator {
    if catalog.shared {
        RelFileLocator {
            spc_oid: GLOBAL_TABLESPACE,
            db_oid: Oid::INVALID,
            rel_number: catalog.oid,
        }
    } else {
        RelFileLocator {
            spc_oid: DEFAULT_TABLESPACE,
            db_oid: db,
            rel_number: catalog.oid,
        }
    }
}

/// Heap attribute descriptors of a catalog.
pub fn catalog_attrs(catalog: &SysCatalog) -> Vec<AttributeDesc> {
    catalog
        .columns
        .iter()
        .map(|c| AttributeDesc {
            type_oid: c.type_oid,
        })
        .collect()
}

/// The type whose storage reads a dropped column's bytes in rows written before the
/// drop: ALTER TABLE DROP COLUMN leaves the slot's width in `attlen` (-1 for a value with
/// a length word), and these types are stored with exactly those widths.
pub fn dropped_attribute_type(attlen: i64) -> Oid {
    match attlen {
        1 => tusk_types::type_oid::BOOL,
        2 => tusk_types::type_oid::INT2,
        4 => tusk_types::type_oid::INT4,
        8 => tusk_types::type_oid::INT8,
        16 => tusk_types::type_oid::INTERVAL,
        _ => tusk_types::type_oid::BYTEA,
    }
}

/// A relation as the executor and DDL need it.
#[derive(Clone)]
pub struct RelEntry {
    /// The analyzer's view.
    pub info: Arc<RelationInfo>,
    /// Its files.
    pub locator: RelFileLocator,
    /// Heap descriptors of its attributes.
    pub attrs: Arc<Vec<AttributeDesc>>,
    /// The heap.
    pub heap: Arc<HeapRelation>,
    /// `relpersistence`.
    pub persistence: u8,
    /// `relnamespace`.
    pub namespace_oid: Oid,
    /// `relispopulated`: false for a materialized view created or refreshed `WITH NO
    /// DATA`, which cannot be scanned.
    pub populated: bool,
    /// `relispartition`.
    pub is_partition: bool,
}

/// One backend's cached relations (see the module header).
#[derive(Default)]
pub struct RelCache {
    generation: u64,
    by_name: HashMap<(Oid, String), Option<Oid>>,
    by_oid: HashMap<Oid, Arc<RelEntry>>,
    namespaces: HashMap<String, Option<Oid>>,
    sequences: HashMap<Oid, crate::sequence::SeqParams>,
    /// Decoded rows of system catalogs, by catalog OID, with the command id they were
    /// read at when the transaction had catalog changes of its own (see
    /// [`CatalogReader::own_changes_cid`]).
    catalogs: HashMap<Oid, (Option<u32>, Arc<CatalogRows>)>,
    indexes: HashMap<Oid, Arc<Vec<OpenIndex>>>,
    epoch: u64,
}

impl RelCache {
    /// Drops everything if the cluster's catalog generation moved.
    pub fn check_generation(&mut self, generation: u64) {
        if generation != self.generation {
            self.clear();
            self.generation = generation;
        }
    }

    /// The decoded rows of `catalog` if the cache holds them for a reader whose own
    /// catalog changes are at `own_changes_cid` (see [`CatalogReader::own_changes_cid`]).
    pub fn cached_rows(
        &self,
        catalog: Oid,
        own_changes_cid: Option<u32>,
    ) -> Option<Arc<CatalogRows>> {
        match self.catalogs.get(&catalog) {
            Some((cid, rows)) if *cid == own_changes_cid => Some(rows.clone()),
            _ => None,
        }
    }

    /// Drops what a write to system catalog `catalog` by this backend makes stale: the
    /// relations, names and sequences read from any catalog, and `catalog`'s decoded rows.
    /// Other catalogs' decoded rows stay (they are tagged with the command that read them).
    pub fn invalidate_catalog(&mut self, catalog: Oid) {
        self.by_name.clear();
        self.by_oid.clear();
        self.namespaces.clear();
        self.sequences.clear();
        self.indexes.clear();
        self.catalogs.remove(&catalog);
        self.epoch += 1;
    }

    /// Drops everything.
    pub fn clear(&mut self) {
        self.by_name.clear();
        self.by_oid.clear();
        self.namespaces.clear();
        self.sequences.clear();
        self.catalogs.clear();
        self.indexes.clear();
        self.epoch += 1;
    }

    /// How many times the cache was cleared or invalidated: equal epochs mean no catalog
    /// change became visible to this backend in between (see the module header).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }
}

fn text(d: &Datum) -> String {
    match d {
        Datum::Text(s) => s.clone(),
        _ => String::new(),
    }
}

fn oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        Datum::Int4(i) => Oid(*i as u32),
        _ => Oid::INVALID,
    }
}

fn int(d: &Datum) -> i64 {
    match d {
        Datum::Int2(i) => i64::from(*i),
        Datum::Int4(i) => i64::from(*i),
        Datum::Int8(i) => *i,
        _ => 0,
    }
}

fn flag(d: &Datum) -> bool {
    matches!(d, Datum::Bool(true))
}

fn byte(d: &Datum) -> u8 {
    text(d).bytes().next().unwrap_or(0)
}

/// Reads catalogs of one database for one backend, through its cache.
pub struct CatalogReader<'a> {
    /// Shared buffers.
    pub pool: &'a Arc<BufferPool>,
    /// Commit log.
    pub clog: &'a Arc<Clog>,
    /// The database.
    pub db: Oid,
    /// What catalog reads see.
    pub view: RefCell<ReadView>,
    /// The cluster's catalog generation when `view`'s snapshot was taken.
    pub generation: std::cell::Cell<u64>,
    /// The backend's cache.
    pub cache: &'a RefCell<RelCache>,
    /// Bypass the cache (own uncommitted catalog changes).
    pub bypass_cache: bool,
    /// The current command id if the transaction has changed catalogs itself: decoded
    /// catalog rows are then reused only within that command, since the next command
    /// sees this one's changes.
    pub own_changes_cid: Option<u32>,
    /// Schemas searched for unqualified names, in order (`pg_catalog` included where
    /// PostgreSQL puts it).
    pub search_path: Vec<String>,
    /// The current user's name and the `row_security` setting, for the row-level
    /// security of the statements analysed through this reader; `None` for internal
    /// reads that never analyse a query of a user.
    pub row_security_user: Option<(String, bool)>,
}

impl CatalogReader<'_> {
    /// Reads on with `snapshot` (taken after waiting for a lock, when catalogs may have
    /// changed meanwhile), dropping the cache.
    pub fn refresh(&self, snapshot: tusk_txn::Snapshot, generation: u64) {
        self.view.borrow_mut().snapshot = snapshot;
        self.generation.set(generation);
        self.cache.borrow_mut().clear();
    }

    /// Visible rows of a system catalog, with their TIDs.
    ///
    /// Errors: I/O errors; commit-log errors.
    pub fn scan(&self, catalog: &'static SysCatalog) -> Result<Vec<(ItemPointer, Vec<Datum>)>> {
        let heap = Arc::new(HeapRelation::new(
            self.pool.clone(),
            catalog_locator(self.db, catalog),
            HEAP_DEFAULT_FILLFACTOR,
        ));
        HeapScanIter::new(
            heap,
            Arc::new(catalog_attrs(catalog)),
            self.view.borrow().clone(),
            self.clog.clone(),
        )?
        .collect()
    }

    /// The visible rows of a system catalog, decoded once per catalog generation and kept
    /// in the backend's cache (read afresh, and not kept, while the transaction's own
    /// catalog changes bypass the cache).
    ///
    /// Errors: I/O errors; commit-log errors.
    pub fn rows(&self, catalog: &'static SysCatalog) -> Result<Arc<CatalogRows>> {
        if !self.bypass_cache {
            if let Some((cid, rows)) = self.cache.borrow().catalogs.get(&catalog.oid) {
                if *cid == self.own_changes_cid {
                    return Ok(rows.clone());
                }
            }
        }
        let rows = Arc::new(CatalogRows::new(
            catalog.columns.len(),
            self.scan(catalog)?.into_iter().map(|(_, r)| r).collect(),
        ));
        if !self.bypass_cache {
            self.cache
                .borrow_mut()
                .catalogs
                .insert(catalog.oid, (self.own_changes_cid, rows.clone()));
        }
        Ok(rows)
    }

    fn catalog(oid: Oid) -> &'static SysCatalog {
        syscat::system_catalog(oid).expect("system catalogs are fixed")
    }

    /// The OID of schema `name`.
    ///
    /// Errors: catalog read errors.
    pub fn namespace_oid(&self, name: &str) -> Result<Option<Oid>> {
        if name == "pg_temp" {
            // The alias of the session's temp schema, which its search path holds once
            // the schema exists.
            return match self.search_path.iter().find(|s| s.starts_with("pg_temp_")) {
                Some(temp) => self.namespace_oid(&temp.clone()),
                None => Ok(None),
            };
        }
        if !self.bypass_cache {
            if let Some(found) = self.cache.borrow().namespaces.get(name) {
                return Ok(*found);
            }
        }
        let catalog = Self::catalog(syscat::PG_NAMESPACE);
        let (c_oid, c_name) = (catalog.col("oid"), catalog.col("nspname"));
        let found = self
            .rows(catalog)?
            .iter()
            .find(|r| matches!(&r[c_name], Datum::Text(n) if n == name))
            .map(|r| oid(&r[c_oid]));
        if !self.bypass_cache {
            self.cache
                .borrow_mut()
                .namespaces
                .insert(name.to_string(), found);
        }
        Ok(found)
    }

    /// The name of schema `oid`.
    ///
    /// Errors: catalog read errors.
    pub fn namespace_name(&self, namespace: Oid) -> Result<Option<String>> {
        let catalog = Self::catalog(syscat::PG_NAMESPACE);
        let (c_oid, c_name) = (catalog.col("oid"), catalog.col("nspname"));
        Ok(self
            .rows(catalog)?
            .first_matching(c_oid, namespace)
            .map(|r| text(&r[c_name])))
    }

    /// The OID of relation `name` in schema `namespace`.
    ///
    /// Errors: catalog read errors.
    pub fn relation_oid(&self, namespace: Oid, name: &str) -> Result<Option<Oid>> {
        let key = (namespace, name.to_string());
        if !self.bypass_cache {
            if let Some(found) = self.cache.borrow().by_name.get(&key) {
                return Ok(*found);
            }
        }
        let catalog = Self::catalog(syscat::PG_CLASS);
        let (c_oid, c_name, c_ns) = (
            catalog.col("oid"),
            catalog.col("relname"),
            catalog.col("relnamespace"),
        );
        let found = self
            .rows(catalog)?
            .matching(c_ns, namespace)
            .find(|r| matches!(&r[c_name], Datum::Text(n) if n == name))
            .map(|r| oid(&r[c_oid]));
        if !self.bypass_cache {
            self.cache.borrow_mut().by_name.insert(key, found);
        }
        Ok(found)
    }

    /// Resolves `schema.name` or `name` through the search path to a relation OID.
    ///
    /// Errors: catalog read errors.
    pub fn resolve(&self, schema: Option<&str>, name: &str) -> Result<Option<Oid>> {
        match schema {
            Some(s) => match self.namespace_oid(s)? {
                Some(ns) => self.relation_oid(ns, name),
                None => Ok(None),
            },
            None => {
                for s in &self.search_path {
                    if let Some(ns) = self.namespace_oid(s)? {
                        if let Some(rel) = self.relation_oid(ns, name)? {
                            return Ok(Some(rel));
                        }
                    }
                }
                Ok(None)
            }
        }
    }

    /// The schema new objects go to: the first schema of the search path that exists
    /// (other than `pg_catalog` and the session's temp schema, which only `TEMP` or
    /// `pg_temp.` creates in).
    ///
    /// Errors: 3F000 `no schema has been selected to create in`.
    pub fn creation_namespace(&self, explicit: Option<&str>) -> Result<(Oid, String)> {
        if let Some(s) = explicit {
            return match self.namespace_oid(s)? {
                Some(ns) => Ok((ns, s.to_string())),
                None => Err(tusk_types::pg_err!(
                    INVALID_SCHEMA_NAME,
                    "schema \"{}\" does not exist",
                    s
                )),
            };
        }
        for s in self
            .search_path
            .iter()
            .filter(|s| *s != "pg_catalog" && !s.starts_with("pg_temp_"))
        {
            if let Some(ns) = self.namespace_oid(s)? {
                return Ok((ns, s.clone()));
            }
        }
        Err(tusk_types::pg_err!(
            INVALID_SCHEMA_NAME,
            "no schema has been selected to create in"
        ))
    }

    /// The `pg_sequence` parameters of sequence `seq`.
    ///
    /// Errors: catalog read errors.
    pub fn sequence_params(&self, seq: Oid) -> Result<Option<crate::sequence::SeqParams>> {
        if !self.bypass_cache {
            if let Some(p) = self.cache.borrow().sequences.get(&seq) {
                return Ok(Some(*p));
            }
        }
        let catalog = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        let c = |n: &str| catalog.col(n);
        let found = self
            .rows(catalog)?
            .first_matching(c("seqrelid"), seq)
            .map(|r| crate::sequence::SeqParams {
                start: int(&r[c("seqstart")]),
                increment: int(&r[c("seqincrement")]),
                max: int(&r[c("seqmax")]),
                min: int(&r[c("seqmin")]),
                cache: int(&r[c("seqcache")]),
                cycle: flag(&r[c("seqcycle")]),
            });
        if let (Some(p), false) = (found, self.bypass_cache) {
            self.cache.borrow_mut().sequences.insert(seq, p);
        }
        Ok(found)
    }

    /// The cached opened indexes of table `rel` (see the module header), if loaded since
    /// the last clear.
    pub fn cached_indexes(&self, rel: Oid) -> Option<Arc<Vec<OpenIndex>>> {
        if self.bypass_cache {
            return None;
        }
        self.cache.borrow().indexes.get(&rel).cloned()
    }

    /// Caches the opened indexes of table `rel`, read under this reader's snapshot.
    pub fn cache_indexes(&self, rel: Oid, indexes: Arc<Vec<OpenIndex>>) {
        if !self.bypass_cache {
            self.cache.borrow_mut().indexes.insert(rel, indexes);
        }
    }

    /// The relation with OID `rel`, loaded from the catalogs if not cached.
    ///
    /// Errors: catalog read errors.
    pub fn entry(&self, rel: Oid) -> Result<Option<Arc<RelEntry>>> {
        if !self.bypass_cache {
            if let Some(e) = self.cache.borrow().by_oid.get(&rel) {
                return Ok(Some(e.clone()));
            }
        }
        let class = Self::catalog(syscat::PG_CLASS);
        let classes = self.rows(class)?;
        let Some(row) = classes.first_matching(class.col("oid"), rel) else {
            return Ok(None);
        };
        let namespace_oid = oid(&row[class.col("relnamespace")]);
        let namespace = self.namespace_name(namespace_oid)?.unwrap_or_default();
        let attribute = Self::catalog(syscat::PG_ATTRIBUTE);
        let a = |n: &str| attribute.col(n);
        let mut columns: Vec<(i64, ColumnInfo, Oid)> = self
            .rows(attribute)?
            .matching(a("attrelid"), rel)
            .filter(|r| int(&r[a("attnum")]) > 0)
            .map(|r| {
                (
                    int(&r[a("attnum")]),
                    ColumnInfo {
                        name: text(&r[a("attname")]),
                        type_oid: oid(&r[a("atttypid")]),
                        typmod: int(&r[a("atttypmod")]) as i32,
                        not_null: flag(&r[a("attnotnull")]),
                        default: None,
                        identity: byte(&r[a("attidentity")]),
                        generated: byte(&r[a("attgenerated")]) == b's',
                        dropped: flag(&r[a("attisdropped")]),
                    },
                    dropped_attribute_type(int(&r[a("attlen")])),
                )
            })
            .collect();
        columns.sort_by_key(|(n, _, _)| *n);
        let physical: Vec<Oid> = columns
            .iter()
            .map(|(_, c, dropped_type)| {
                if c.dropped {
                    Ok(*dropped_type)
                } else {
                    crate::user_types::physical_type(self, c.type_oid)
                }
            })
            .collect::<Result<_>>()?;
        let mut columns: Vec<ColumnInfo> = columns.into_iter().map(|(_, c, _)| c).collect();
        let mut checks = Vec::new();
        let mut primary_key = Vec::new();
        if rel.0 >= syscat::FIRST_NORMAL_OBJECT_ID {
            let attrdef = Self::catalog(syscat::PG_ATTRDEF);
            for r in self.rows(attrdef)?.matching(attrdef.col("adrelid"), rel) {
                let n = int(&r[attrdef.col("adnum")]);
                if let Some(c) = columns.get_mut((n - 1).max(0) as usize) {
                    c.default = Some(text(&r[attrdef.col("adbin")]));
                }
            }
            if columns.iter().any(|c| c.identity != 0) {
                // An identity column's values come from its sequence (the pg_depend row
                // of deptype `i`), as PostgreSQL's rewriter supplies them.
                let depend = Self::catalog(syscat::PG_DEPEND);
                let d = |n: &str| depend.col(n);
                for r in self.rows(depend)?.matching(d("refobjid"), rel) {
                    if r[d("classid")] != Datum::Oid(syscat::PG_CLASS.0)
                        || byte(&r[d("deptype")]) != b'i'
                    {
                        continue;
                    }
                    let n = int(&r[d("refobjsubid")]);
                    if let Some(c) = columns.get_mut((n - 1).max(0) as usize) {
                        if c.identity != 0 {
                            c.default =
                                Some(format!("nextval('{}'::regclass)", oid(&r[d("objid")]).0));
                        }
                    }
                }
            }
            let constraint = Self::catalog(syscat::PG_CONSTRAINT);
            let k = |n: &str| constraint.col(n);
            let mut found: Vec<(String, String)> = Vec::new();
            for r in self.rows(constraint)?.matching(k("conrelid"), rel) {
                match byte(&r[k("contype")]) {
                    b'c' => found.push((text(&r[k("conname")]), text(&r[k("conbin")]))),
                    b'p' => {
                        if let Datum::Array(keys) = &r[k("conkey")] {
                            primary_key = keys
                                .elems
                                .iter()
                                .filter_map(|e| match e {
                                    Datum::Int2(n) if *n > 0 => Some(*n as usize - 1),
                                    _ => None,
                                })
                                .collect();
                        }
                    }
                    _ => {}
                }
            }
            // PostgreSQL checks CHECK constraints in name order.
            found.sort();
            checks = found
                .into_iter()
                .map(|(name, expr)| CheckInfo { name, expr })
                .collect();
        }
        let locator = if rel.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            match syscat::system_catalog(rel) {
                Some(c) => catalog_locator(self.db, c),
                None => return Ok(None),
            }
        } else {
            RelFileLocator {
                spc_oid: DEFAULT_TABLESPACE,
                db_oid: self.db,
                rel_number: oid(&row[class.col("relfilenode")]),
            }
        };
        let attrs: Vec<AttributeDesc> = physical
            .into_iter()
            .map(|type_oid| AttributeDesc { type_oid })
            .collect();
        let mut heap = HeapRelation::new(self.pool.clone(), locator, HEAP_DEFAULT_FILLFACTOR);
        // The TOAST relation its rows' out-of-line values live in (toast.rs rule 1).
        if let Datum::Oid(toast) = row[class.col("reltoastrelid")] {
            if toast != 0 {
                if let Some(toast) = crate::toast::open_toast_relation(self, Oid(toast))? {
                    heap = heap.with_toast(toast);
                }
            }
        }
        let entry = Arc::new(RelEntry {
            info: Arc::new(RelationInfo {
                oid: rel,
                name: text(&row[class.col("relname")]),
                namespace,
                kind: byte(&row[class.col("relkind")]),
                columns,
                checks,
                primary_key,
            }),
            locator,
            attrs: Arc::new(attrs),
            heap: Arc::new(heap),
            persistence: byte(&row[class.col("relpersistence")]),
            namespace_oid,
            populated: row[class.col("relispopulated")] != Datum::Bool(false),
            is_partition: row[class.col("relispartition")] == Datum::Bool(true),
        });
        if !self.bypass_cache {
            self.cache.borrow_mut().by_oid.insert(rel, entry.clone());
        }
        Ok(Some(entry))
    }
}
