//! Tuple routing (PostgreSQL's `execPartition.c`): a row inserted into a partitioned
//! table goes to the leaf partition whose bound accepts its key, through every level of
//! sub-partitioning, rearranged into the leaf's column order (columns match by name); a
//! row written into a partition directly must satisfy its partition constraint (its
//! bound and those of its partitioned ancestors); an UPDATE through a partitioned table
//! that moves a row's key out of its partition deletes it there and routes the new row
//! from the statement's target (row movement).
//!
//! Errors follow PostgreSQL: 23514 `no partition of relation "t" found for row` with
//! DETAIL `Partition key of the failing row contains (a) = (5).`, 23514 `new row for
//! relation "p1" violates partition constraint` with DETAIL `Failing row contains (...)`.
//!
//! A partitioned table's key and its partitions' parsed bounds are read once per
//! statement ([`PartitionDescs`]), not once per routed row.
//!
//! A routed row must also satisfy the leaf's own NOT NULL and CHECK constraints (those
//! of the statement's target are checked by the executor before routing): 23502 `null
//! value in column "b" of relation "p1" violates not-null constraint`, 23514 `new row
//! for relation "p1" violates check constraint "c"`. They are evaluated without a
//! session, as index expressions are.
//!
//! Entry points: [`SessionTables::route_insert`], [`SessionTables::fits_partition`],
//! [`SessionTables::check_leaf_constraints`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use tusk_catalog::syscat;
use tusk_executor::io::text_out_string;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::partition_ddl::{partition_key, partitions_of, PartitionInfo};
use super::tables::SessionTables;
use crate::partition::{bound_accepts, PartitionBound, PartitionKey};
use crate::relcache::RelEntry;

/// A partitioned table's key and partitions, as routing reads them.
pub(crate) struct PartitionDesc {
    key: PartitionKey,
    partitions: Vec<PartitionInfo>,
}

/// The statement's [`PartitionDesc`]s by partitioned table (`None`: not partitioned).
#[derive(Default)]
pub(crate) struct PartitionDescs(
    RefCell<HashMap<Oid, Option<Arc<PartitionDesc>>>>,
    /// Leaf partitions' CHECK constraints (name, expression over the leaf's row).
    RefCell<HashMap<Oid, LeafChecks>>,
    /// Relations' partitioned parents (`None`: not a partition), asked for every row
    /// written.
    RefCell<HashMap<Oid, Option<Oid>>>,
);

/// A leaf partition's CHECK constraints, analysed over its row.
type LeafChecks = Arc<Vec<(String, tusk_sql::analyze::TypedExpr)>>;

/// The partitioned parent of `rel` when it is a partition.
fn partition_parent(tables: &SessionTables<'_>, rel: Oid) -> Result<Option<Oid>> {
    if let Some(parent) = tables.partition_descs.2.borrow().get(&rel) {
        return Ok(*parent);
    }
    // Most written relations are no partition, which their cached entry tells.
    let is_partition = tables.catalog.entry(rel)?.is_some_and(|e| e.is_partition);
    let parent = if !is_partition
        || super::partition_ddl::partition_bound_text(&tables.catalog, rel)?.is_none()
    {
        None
    } else {
        let catalog = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let rows = tables.catalog.rows(catalog)?;
        rows.first_matching(catalog.col("inhrelid"), rel)
            .and_then(|r| match r[catalog.col("inhparent")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            })
    };
    tables.partition_descs.2.borrow_mut().insert(rel, parent);
    Ok(parent)
}

/// `row` of `from` rearranged into `to`'s columns, matched by name (a column `to` has and
/// `from` lacks, or a dropped one, is NULL).
fn map_row(from: &RelEntry, to: &RelEntry, row: &[Datum]) -> Vec<Datum> {
    let same = from.info.columns.len() == to.info.columns.len()
        && from
            .info
            .columns
            .iter()
            .zip(&to.info.columns)
            .all(|(a, b)| a.name == b.name && a.dropped == b.dropped);
    if same {
        return row.to_vec();
    }
    to.info
        .columns
        .iter()
        .map(|c| {
            if c.dropped {
                return Datum::Null;
            }
            from.info
                .live_columns()
                .find(|(_, f)| f.name == c.name)
                .and_then(|(i, _)| row.get(i).cloned())
                .unwrap_or(Datum::Null)
        })
        .collect()
}

/// The values of `key` (the key of partitioned table `parent`) for `row`, laid out as
/// `rel` (a table of the partition tree): key columns found by name (a missing column
/// gives NULL), key expressions evaluated over the row in `parent`'s layout.
///
/// Errors: those of evaluating key expressions.
pub(crate) fn key_values(
    rel: &RelEntry,
    parent: &RelEntry,
    key: &PartitionKey,
    row: &[Datum],
) -> Result<Vec<Datum>> {
    let mut parent_row: Option<Vec<Datum>> = None;
    key.names
        .iter()
        .zip(&key.exprs)
        .map(|(name, expr)| match expr {
            Some(e) => {
                let mapped = parent_row.get_or_insert_with(|| map_row(rel, parent, row));
                crate::index_expressions::evaluate(e, mapped)
            }
            None => Ok(rel
                .info
                .live_columns()
                .find(|(_, c)| c.name == *name)
                .and_then(|(i, _)| row.get(i).cloned())
                .unwrap_or(Datum::Null)),
        })
        .collect()
}

/// The partition of `partitions` that accepts `key` (a default one last).
fn choose(partitions: &[PartitionInfo], key: &[Datum], types: &[Oid]) -> Option<Oid> {
    partitions
        .iter()
        .find(|p| bound_accepts(&p.bound, key, types))
        .or_else(|| {
            partitions
                .iter()
                .find(|p| p.bound == PartitionBound::Default)
        })
        .map(|p| p.oid)
}

impl SessionTables<'_> {
    fn partition_entry(&self, rel: Oid) -> Result<Arc<RelEntry>> {
        self.entry(rel)
    }

    /// The key and partitions of partitioned table `parent`, read at its first use in
    /// the statement; `None` when it is not partitioned.
    fn partition_desc(&self, parent: &RelEntry) -> Result<Option<Arc<PartitionDesc>>> {
        let oid = parent.info.oid;
        if let Some(desc) = self.partition_descs.0.borrow().get(&oid) {
            return Ok(desc.clone());
        }
        let desc = match partition_key(&self.catalog, parent)? {
            Some(key) => {
                let partitions = partitions_of(&self.catalog, oid, &key, self.output)?;
                Some(Arc::new(PartitionDesc { key, partitions }))
            }
            None => None,
        };
        self.partition_descs
            .0
            .borrow_mut()
            .insert(oid, desc.clone());
        Ok(desc)
    }

    /// Checks `row`, routed from `root` (where it was `root_row`) to leaf partition
    /// `leaf` (in its layout), against the leaf's NOT NULL and CHECK constraints (see
    /// the module header); the DETAIL shows the row as `root` lays it out.
    ///
    /// Errors: 23502, 23514 as above; errors evaluating a constraint.
    pub(crate) fn check_leaf_constraints(
        &self,
        root: Oid,
        root_row: &[Datum],
        leaf: Oid,
        row: &[Datum],
    ) -> Result<()> {
        let entry = self.partition_entry(leaf)?;
        let detail = || -> Result<String> {
            self.failing_row_detail(&*self.partition_entry(root)?, root_row)
        };
        for (i, c) in entry.info.live_columns() {
            if c.not_null && row.get(i).is_none_or(Datum::is_null) {
                return Err(pg_err!(
                    NOT_NULL_VIOLATION,
                    "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
                    c.name,
                    entry.info.name
                )
                .detail(detail()?));
            }
        }
        if entry.info.checks.is_empty() {
            return Ok(());
        }
        let cached = self.partition_descs.1.borrow().get(&leaf).cloned();
        let checks = match cached {
            Some(c) => c,
            None => {
                let mut analysed = Vec::with_capacity(entry.info.checks.len());
                for check in &entry.info.checks {
                    let (_, predicate) = super::index_expression_ddl::stored_index_expressions(
                        &self.catalog,
                        &entry,
                        "",
                        &check.expr,
                    )?;
                    if let Some(p) = predicate {
                        analysed.push((check.name.clone(), p));
                    }
                }
                let analysed = Arc::new(analysed);
                self.partition_descs
                    .1
                    .borrow_mut()
                    .insert(leaf, analysed.clone());
                analysed
            }
        };
        for (name, expr) in checks.iter() {
            if crate::index_expressions::evaluate(expr, row)? == Datum::Bool(false) {
                return Err(pg_err!(
                    CHECK_VIOLATION,
                    "new row for relation \"{}\" violates check constraint \"{}\"",
                    entry.info.name,
                    name
                )
                .detail(detail()?));
            }
        }
        Ok(())
    }

    /// PostgreSQL's `Failing row contains (...)` for `row` of `rel`.
    fn failing_row_detail(&self, rel: &RelEntry, row: &[Datum]) -> Result<String> {
        let mut parts = Vec::new();
        for (i, c) in rel.info.live_columns() {
            let value = row.get(i).cloned().unwrap_or(Datum::Null);
            parts.push(if value.is_null() {
                "null".to_string()
            } else {
                text_out_string(&value, c.type_oid, self.output)?
            });
        }
        Ok(format!("Failing row contains ({}).", parts.join(", ")))
    }

    /// Whether `row` (laid out as partition `rel`) satisfies `rel`'s partition constraint:
    /// its bound and every partitioned ancestor's. `true` for a relation that is no
    /// partition.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn fits_partition(&self, rel: Oid, row: &[Datum]) -> Result<bool> {
        let entry = self.partition_entry(rel)?;
        let mut child = entry.clone();
        while let Some(parent_oid) = partition_parent(self, child.info.oid)? {
            let parent = self.partition_entry(parent_oid)?;
            let Some(desc) = self.partition_desc(&parent)? else {
                return Ok(true);
            };
            let values = key_values(&entry, &parent, &desc.key, row)?;
            if choose(&desc.partitions, &values, &desc.key.types) != Some(child.info.oid) {
                return Ok(false);
            }
            child = parent;
        }
        Ok(true)
    }

    /// Where a row written into `rel` goes: `None` to `rel` itself (no partitioning
    /// involved); otherwise the leaf partition and the row in its layout.
    ///
    /// Errors: 23514 `new row for relation "p1" violates partition constraint` when `rel`
    /// is a partition the row does not fit; 23514 `no partition of relation "t" found for
    /// row` when a level has no partition for the key; catalog read errors.
    pub(crate) fn route_insert(
        &self,
        rel: Oid,
        row: &[Datum],
    ) -> Result<Option<(Oid, Vec<Datum>)>> {
        let entry = self.partition_entry(rel)?;
        if !self.fits_partition(rel, row)? {
            return Err(pg_err!(
                CHECK_VIOLATION,
                "new row for relation \"{}\" violates partition constraint",
                entry.info.name
            )
            .detail(self.failing_row_detail(&entry, row)?));
        }
        if entry.info.kind != b'p' {
            return Ok(None);
        }
        let mut current = entry;
        let mut current_row = row.to_vec();
        while current.info.kind == b'p' {
            let Some(desc) = self.partition_desc(&current)? else {
                break;
            };
            let key = &desc.key;
            let values = key_values(&current, &current, key, &current_row)?;
            let Some(target) = choose(&desc.partitions, &values, &key.types) else {
                let shown = values
                    .iter()
                    .zip(&key.types)
                    .map(|(v, t)| {
                        if v.is_null() {
                            Ok("null".to_string())
                        } else {
                            text_out_string(v, *t, self.output)
                        }
                    })
                    .collect::<Result<Vec<_>>>()?;
                return Err(pg_err!(
                    CHECK_VIOLATION,
                    "no partition of relation \"{}\" found for row",
                    current.info.name
                )
                .detail(format!(
                    "Partition key of the failing row contains ({}) = ({}).",
                    key.names.join(", "),
                    shown.join(", ")
                )));
            };
            let next = self.partition_entry(target)?;
            current_row = map_row(&current, &next, &current_row);
            current = next;
        }
        Ok(Some((current.info.oid, current_row)))
    }

    /// The error for an UPDATE of partition `rel` whose new row leaves it, when the row
    /// cannot move (the statement named the partition itself).
    pub(crate) fn partition_constraint_error(
        &self,
        rel: Oid,
        row: &[Datum],
    ) -> Result<tusk_types::Error> {
        let entry = self.partition_entry(rel)?;
        Ok(pg_err!(
            CHECK_VIOLATION,
            "new row for relation \"{}\" violates partition constraint",
            entry.info.name
        )
        .detail(self.failing_row_detail(&entry, row)?))
    }

    /// `row` of `from` in the layout of `to` (columns matched by name).
    pub(crate) fn map_partition_row(
        &self,
        from: Oid,
        to: Oid,
        row: &[Datum],
    ) -> Result<Vec<Datum>> {
        Ok(map_row(
            &*self.partition_entry(from)?,
            &*self.partition_entry(to)?,
            row,
        ))
    }
}
