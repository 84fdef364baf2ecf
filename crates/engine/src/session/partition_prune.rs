//! Plan-time partition pruning against the catalogs (PostgreSQL's `partprune.c` for
//! constant conditions): which partitions of a partitioned table can hold rows that
//! satisfy the WHERE conditions the analyzer found on its columns
//! ([`tusk_sql::analyze::partition_prune`]).
//!
//! Rules:
//! 1. A condition on a column that is not the (single-column) key, or whose literal does
//!    not read as a value of the key's type, rules nothing out; nor does any condition
//!    when the key is an expression.
//! 2. Equality keeps the partition whose bound accepts the value (the default one only
//!    when no other does); `<`, `<=`, `>`, `>=` keep the range partitions whose bounds
//!    overlap the half-line and the list partitions holding a value on it, and every
//!    default and hash partition.
//! 3. AND keeps what every part keeps, OR what some part keeps; sub-partitioned
//!    partitions are pruned with their own keys.
//!
//! Entry point: [`partitions_to_scan`].

use std::cmp::Ordering;

use tusk_access::nbtree::compare_datums;
use tusk_executor::io::text_in;
use tusk_executor::OutputSettings;
use tusk_sql::analyze::partition_prune::{PruneCondition, PruneOp};
use tusk_types::{Oid, Result};

use super::partition_ddl::{partition_key, partitions_of, PartitionInfo};
use crate::partition::{bound_accepts, PartitionBound, PartitionKey, RangeValue};
use crate::relcache::CatalogReader;

fn op_holds(op: PruneOp, order: Ordering) -> bool {
    match op {
        PruneOp::Eq => order == Ordering::Equal,
        PruneOp::Lt => order == Ordering::Less,
        PruneOp::Le => order != Ordering::Greater,
        PruneOp::Gt => order == Ordering::Greater,
        PruneOp::Ge => order != Ordering::Less,
    }
}

/// Whether partition `p` (among `all`) may hold a row satisfying `condition` (rules 1-3).
fn may_match(
    p: &PartitionInfo,
    all: &[PartitionInfo],
    key: &PartitionKey,
    condition: &PruneCondition,
    output: &OutputSettings,
) -> bool {
    match condition {
        PruneCondition::And(parts) => parts.iter().all(|c| may_match(p, all, key, c, output)),
        PruneCondition::Or(parts) => parts.iter().any(|c| may_match(p, all, key, c, output)),
        PruneCondition::Compare { column, op, value } => {
            if key.names.len() != 1 || !key.is_column(0) || key.names[0] != *column {
                return true;
            }
            let type_oid = key.types[0];
            let Ok(v) = text_in(value, type_oid, -1, output) else {
                return true;
            };
            if v.is_null() {
                return true;
            }
            let key_value = std::slice::from_ref(&v);
            match (&p.bound, op) {
                (PartitionBound::Default, PruneOp::Eq) => !all
                    .iter()
                    .any(|o| bound_accepts(&o.bound, key_value, &key.types)),
                (PartitionBound::Default, _) => true,
                (bound, PruneOp::Eq) => bound_accepts(bound, key_value, &key.types),
                (PartitionBound::Hash { .. }, _) => true,
                (PartitionBound::List(values), op) => values
                    .iter()
                    .filter(|x| !x.is_null())
                    .any(|x| op_holds(*op, compare_datums(type_oid, x, &v))),
                (PartitionBound::Range { from, to }, op) => {
                    // How the lower bound compares with the value.
                    let lower = match &from[0] {
                        RangeValue::MinValue => Ordering::Less,
                        RangeValue::MaxValue => Ordering::Greater,
                        RangeValue::Value(lo) => compare_datums(type_oid, lo, &v),
                    };
                    let upper_above = || match &to[0] {
                        RangeValue::MaxValue => true,
                        RangeValue::MinValue => false,
                        RangeValue::Value(hi) => {
                            compare_datums(type_oid, hi, &v) == Ordering::Greater
                        }
                    };
                    match op {
                        PruneOp::Lt => lower == Ordering::Less,
                        PruneOp::Le => lower != Ordering::Greater,
                        PruneOp::Gt | PruneOp::Ge => upper_above(),
                        PruneOp::Eq => true,
                    }
                }
            }
        }
    }
}

/// The descendants of `parent` to scan for rows satisfying `condition`, or `None` when
/// `parent` is not partitioned.
///
/// Errors: catalog read errors.
pub(crate) fn partitions_to_scan(
    reader: &CatalogReader<'_>,
    parent: Oid,
    condition: &PruneCondition,
    output: &OutputSettings,
) -> Result<Option<Vec<Oid>>> {
    let Some(entry) = reader.entry(parent)? else {
        return Ok(None);
    };
    let Some(key) = partition_key(reader, &entry)? else {
        return Ok(None);
    };
    let partitions = partitions_of(reader, parent, &key, output)?;
    let mut keep = Vec::new();
    for p in &partitions {
        if !may_match(p, &partitions, &key, condition, output) {
            continue;
        }
        keep.push(p.oid);
        match partitions_to_scan(reader, p.oid, condition, output)? {
            Some(below) => keep.extend(below),
            None => keep.extend(super::inheritance::inheritance_descendants(reader, p.oid)?),
        }
    }
    Ok(Some(keep))
}
