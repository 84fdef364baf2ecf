//! Index partitions: the link between an index of a partitioned table (relkind `I`) and
//! the index of each partition that stands for it, as PostgreSQL 15 keeps it.
//!
//! ```text
//!   ip_a (I, on ip) ──pg_inherits──▶ ip1_a_idx (i, on ip1)     relispartition = true
//!        │
//!        └────────pg_inherits──▶ ip2_a_idx (I, on ip2) ──▶ ip21_a_idx (i, on ip21)
//! ```
//!
//! Rules:
//! 1. An index partition has one `pg_inherits` row (inhrelid = it, inhparent = the
//!    partitioned index) and `relispartition`; a constraint's index partition's
//!    constraint has `conparentid` set to the parent's constraint.
//! 2. A partition of the table has at most one index attached to a given partitioned
//!    index.
//! 3. Two indexes match when they agree in uniqueness, key columns (by name) and
//!    expressions, operator classes, collations and predicate (PostgreSQL's
//!    `CompareIndexInfo`); sort options are not compared.
//! 4. A partitioned index is valid once as many valid indexes are attached to it as its
//!    table has partitions (`validatePartitionedIndex`); then its own parent index is
//!    checked the same way.
//!
//! Entry points: [`Session::attach_partition_index`] (`ALTER INDEX ... ATTACH
//! PARTITION`), [`Session::set_index_parent`], [`Session::detach_partition_indexes`],
//! [`Session::index_partition_drop_error`].
//! See also: `partition_index.rs` (creating the index partitions).

use std::sync::Arc;

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::index_ddl::{vector_values, TableIndex};
use super::inheritance::inheritance_children;
use super::partition_index::index_signature;
use super::Session;
use crate::relcache::{CatalogReader, RelEntry};

fn pg_inherits() -> &'static syscat::SysCatalog {
    syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits is a system catalog")
}

fn pg_index() -> &'static syscat::SysCatalog {
    syscat::system_catalog(syscat::PG_INDEX).expect("pg_index")
}

fn pg_constraint() -> &'static syscat::SysCatalog {
    syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint")
}

/// What rule 3 compares of an index, relative to its own table.
#[derive(Debug, PartialEq)]
pub(crate) struct IndexShape {
    signature: (bool, Vec<String>, Option<String>),
    opclasses: Vec<i64>,
    collations: Vec<i64>,
}

/// The shape of index `ix` of `table` (rule 3).
///
/// Errors: catalog read errors.
pub(crate) fn index_shape(
    reader: &CatalogReader<'_>,
    table: &RelEntry,
    ix: &TableIndex,
) -> Result<IndexShape> {
    let index = pg_index();
    let rows = reader.rows(index)?;
    let row = rows
        .first_matching(index.col("indexrelid"), ix.oid)
        .ok_or_else(|| Error::internal(format!("cache lookup failed for index {}", ix.oid.0)))?;
    Ok(IndexShape {
        signature: index_signature(table, ix),
        opclasses: vector_values(&row[index.col("indclass")]),
        collations: vector_values(&row[index.col("indcollation")]),
    })
}

/// The partitioned table or index `rel` is a partition of (`get_partition_parent`).
///
/// Errors: catalog read errors.
pub(crate) fn partition_parent(reader: &CatalogReader<'_>, rel: Oid) -> Result<Option<Oid>> {
    let inherits = pg_inherits();
    let rows = reader.rows(inherits)?;
    Ok(rows
        .first_matching(inherits.col("inhrelid"), rel)
        .and_then(|r| match r[inherits.col("inhparent")] {
            Datum::Oid(o) => Some(Oid(o)),
            _ => None,
        }))
}

/// The table `index` is on (`pg_index.indrelid`).
fn index_table_of(reader: &CatalogReader<'_>, index: Oid) -> Result<Oid> {
    let catalog = pg_index();
    let rows = reader.rows(catalog)?;
    match rows
        .first_matching(catalog.col("indexrelid"), index)
        .map(|r| &r[catalog.col("indrelid")])
    {
        Some(Datum::Oid(o)) => Ok(Oid(*o)),
        _ => Err(Error::internal(format!(
            "cache lookup failed for index {}",
            index.0
        ))),
    }
}

/// The PRIMARY KEY or UNIQUE constraint `index` implements.
pub(crate) fn index_constraint_oid(reader: &CatalogReader<'_>, index: Oid) -> Result<Option<Oid>> {
    let constraint = pg_constraint();
    let found = reader
        .scan(constraint)?
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| {
            r[constraint.col("conindid")] == Datum::Oid(index.0)
                && matches!(&r[constraint.col("contype")], Datum::Text(t) if t == "p" || t == "u")
        })
        .and_then(|r| match r[constraint.col("oid")] {
            Datum::Oid(o) => Some(Oid(o)),
            _ => None,
        });
    Ok(found)
}

impl Session {
    /// Whether `index` is valid (`pg_index.indisvalid`).
    pub(crate) fn index_is_valid(&self, index: Oid) -> Result<bool> {
        let catalog = pg_index();
        let rows = self.catalog_reader().rows(catalog)?;
        Ok(rows
            .first_matching(catalog.col("indexrelid"), index)
            .is_some_and(|r| r[catalog.col("indisvalid")] == Datum::Bool(true)))
    }

    /// Sets `pg_index.indisvalid` of `index`.
    pub(crate) fn set_index_valid(&mut self, index: Oid, valid: bool) -> Result<()> {
        let catalog = pg_index();
        let (c_index, c_valid) = (catalog.col("indexrelid"), catalog.col("indisvalid"));
        self.update_catalog_row(
            catalog,
            |r| r[c_index] == Datum::Oid(index.0),
            |r| r[c_valid] = Datum::Bool(valid),
        )?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Attaches index `child` to partitioned index `parent` (rule 1), its constraint to
    /// the parent's constraint when both have one.
    ///
    /// Errors: catalog write errors.
    pub(crate) fn set_index_parent(&mut self, child: Oid, parent: Oid) -> Result<()> {
        self.link_index_partition(child, parent, false)
    }

    /// As [`Session::set_index_parent`] for an index just created for its parent: its
    /// constraint also gets `connoinherit` false, as PostgreSQL's
    /// `index_constraint_create` gives a constraint with a parent.
    pub(crate) fn set_created_index_parent(&mut self, child: Oid, parent: Oid) -> Result<()> {
        self.link_index_partition(child, parent, true)
    }

    fn link_index_partition(&mut self, child: Oid, parent: Oid, created: bool) -> Result<()> {
        self.insert_inheritance_rows(child, &[parent])?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_partition = class.col("relispartition");
        self.update_class_row(child, |r| r[c_partition] = Datum::Bool(true))?;
        let reader = self.catalog_reader();
        let parent_constraint = index_constraint_oid(&reader, parent)?;
        let child_constraint = index_constraint_oid(&reader, child)?;
        drop(reader);
        if let (Some(parent), Some(child)) = (parent_constraint, child_constraint) {
            self.set_constraint_parent(child, Some(parent), created)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Sets (or clears) `conparentid` of constraint `constraint`, with `conislocal` and
    /// `coninhcount` as PostgreSQL's `ConstraintSetParentConstraint` keeps them.
    fn set_constraint_parent(
        &mut self,
        constraint: Oid,
        parent: Option<Oid>,
        created: bool,
    ) -> Result<()> {
        let catalog = pg_constraint();
        let (c_oid, c_parent, c_local, c_inh, c_noinherit) = (
            catalog.col("oid"),
            catalog.col("conparentid"),
            catalog.col("conislocal"),
            catalog.col("coninhcount"),
            catalog.col("connoinherit"),
        );
        self.update_catalog_row(
            catalog,
            |r| r[c_oid] == Datum::Oid(constraint.0),
            |r| {
                r[c_parent] = Datum::Oid(parent.map_or(0, |p| p.0));
                r[c_local] = Datum::Bool(parent.is_none());
                r[c_inh] = Datum::Int4(i32::from(parent.is_some()));
                if created {
                    r[c_noinherit] = Datum::Bool(false);
                }
            },
        )?;
        Ok(())
    }

    /// Detaches every index of `table` (a partition being detached) from its parent
    /// index: the `pg_inherits` row goes, `relispartition` and `conparentid` are
    /// cleared.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn detach_partition_indexes(&mut self, table: &RelEntry) -> Result<()> {
        let inherits = pg_inherits();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_partition = class.col("relispartition");
        for ix in self.table_indexes(table)? {
            if partition_parent(&self.catalog_reader(), ix.oid)?.is_none() {
                continue;
            }
            let c_child = inherits.col("inhrelid");
            let oid = ix.oid;
            self.delete_catalog_rows(inherits.oid, move |r: &[Datum]| {
                r[c_child] == Datum::Oid(oid.0)
            })?;
            self.update_class_row(ix.oid, |r| r[c_partition] = Datum::Bool(false))?;
            if let Some(constraint) = index_constraint_oid(&self.catalog_reader(), ix.oid)? {
                self.set_constraint_parent(constraint, None, false)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Marks partitioned index `index` of `table` valid when every partition has a
    /// valid index attached, then checks its parent index (rule 4).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn validate_partitioned_index(&mut self, index: Oid, table: Oid) -> Result<()> {
        if self.index_is_valid(index)? {
            return Ok(());
        }
        let reader = self.catalog_reader();
        let attached = inheritance_children(&reader, index)?;
        let partitions = inheritance_children(&reader, table)?.len();
        drop(reader);
        let mut valid = 0;
        for child in attached {
            if self.index_is_valid(child)? {
                valid += 1;
            }
        }
        if valid != partitions {
            return Ok(());
        }
        self.set_index_valid(index, true)?;
        let reader = self.catalog_reader();
        let parent_index = partition_parent(&reader, index)?;
        let parent_table = partition_parent(&reader, table)?;
        drop(reader);
        if let (Some(parent_index), Some(parent_table)) = (parent_index, parent_table) {
            self.validate_partitioned_index(parent_index, parent_table)?;
        }
        Ok(())
    }

    /// `ALTER INDEX parent ATTACH PARTITION rv` (PostgreSQL's `ATExecAttachPartitionIdx`):
    /// index `rv` of a partition of `parent`'s table becomes its partition; attaching it
    /// again changes nothing.
    ///
    /// Errors: 42P01 `relation "x" does not exist`; 42809 `"x" is not an index`; 55000
    /// `cannot attach index "c" as a partition of index "p"` when the partition already
    /// has an index attached, the index is attached elsewhere, or it is not on a
    /// partition of the table; 42P17 for indexes that do not match or a missing
    /// constraint.
    pub(crate) fn attach_partition_index(
        &mut self,
        parent: &Arc<RelEntry>,
        rv: &RangeVar,
    ) -> Result<()> {
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        let Some(child_oid) = resolved else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                rv.name
            ));
        };
        let child = self.reload_relation(child_oid)?;
        if !matches!(child.info.kind, b'i' | b'I') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not an index",
                rv.name
            ));
        }
        let reader = self.catalog_reader();
        let parent_table_oid = index_table_of(&reader, parent.info.oid)?;
        let child_table_oid = index_table_of(&reader, child_oid)?;
        drop(reader);
        self.lock_relation(child_table_oid, crate::lock::LockMode::ShareUpdateExclusive)?;
        self.lock_relation(child_oid, crate::lock::LockMode::AccessExclusive)?;
        let current = partition_parent(&self.catalog_reader(), child_oid)?;
        if current == Some(parent.info.oid) {
            return Ok(());
        }
        let parent_table = self.reload_relation(parent_table_oid)?;
        let child_table = self.reload_relation(child_table_oid)?;
        let cannot = |detail: String, state: SqlState| {
            Error::new(
                state,
                format!(
                    "cannot attach index \"{}\" as a partition of index \"{}\"",
                    child.info.name, parent.info.name
                ),
            )
            .detail(detail)
        };
        // Rule 2: the partition has another index attached to this one already.
        for ix in self.table_indexes(&child_table)? {
            if partition_parent(&self.catalog_reader(), ix.oid)? == Some(parent.info.oid) {
                return Err(cannot(
                    format!(
                        "Another index is already attached for partition \"{}\".",
                        child_table.info.name
                    ),
                    SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
                ));
            }
        }
        if current.is_some() {
            return Err(cannot(
                format!(
                    "Index \"{}\" is already attached to another index.",
                    child.info.name
                ),
                SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
            ));
        }
        let is_partition = inheritance_children(&self.catalog_reader(), parent_table_oid)?
            .contains(&child_table_oid)
            && super::partition_ddl::partition_bound_text(&self.catalog_reader(), child_table_oid)?
                .is_some();
        if !is_partition {
            return Err(cannot(
                format!(
                    "Index \"{}\" is not an index on any partition of table \"{}\".",
                    child.info.name, parent_table.info.name
                ),
                SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
            ));
        }
        let parent_ix = self
            .table_indexes(&parent_table)?
            .into_iter()
            .find(|ix| ix.oid == parent.info.oid)
            .ok_or_else(|| Error::internal("partitioned index missing from its table"))?;
        let child_ix = self
            .table_indexes(&child_table)?
            .into_iter()
            .find(|ix| ix.oid == child_oid)
            .ok_or_else(|| Error::internal("index missing from its table"))?;
        let reader = self.catalog_reader();
        let matches = index_shape(&reader, &parent_table, &parent_ix)?
            == index_shape(&reader, &child_table, &child_ix)?;
        let parent_constraint = index_constraint_oid(&reader, parent.info.oid)?;
        let child_constraint = index_constraint_oid(&reader, child_oid)?;
        drop(reader);
        if !matches {
            return Err(cannot(
                "The index definitions do not match.".into(),
                SqlState::INVALID_OBJECT_DEFINITION,
            ));
        }
        if parent_constraint.is_some() && child_constraint.is_none() {
            return Err(cannot(
                format!(
                    "The index \"{}\" belongs to a constraint in table \"{}\" but no constraint exists for index \"{}\".",
                    parent.info.name, parent_table.info.name, child.info.name
                ),
                SqlState::INVALID_OBJECT_DEFINITION,
            ));
        }
        self.set_index_parent(child_oid, parent.info.oid)?;
        self.validate_partitioned_index(parent.info.oid, parent_table_oid)
    }

    /// The error DROP INDEX of index partition `index` gets (its parent index requires
    /// it), if it is one.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn index_partition_drop_error(&self, index: &RelEntry) -> Result<Option<Error>> {
        let reader = self.catalog_reader();
        let Some(parent) = partition_parent(&reader, index.info.oid)? else {
            return Ok(None);
        };
        let parent_name = reader
            .entry(parent)?
            .map_or_else(String::new, |e| e.info.name.clone());
        Ok(Some(
            pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop index {} because index {} requires it",
                index.info.name,
                parent_name
            )
            .hint(format!("You can drop index {parent_name} instead.")),
        ))
    }

    /// The index partitions below partitioned index `index`, deepest last.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn index_partition_descendants(&self, index: Oid) -> Result<Vec<Oid>> {
        super::inheritance::inheritance_descendants(&self.catalog_reader(), index)
    }
}
