//! The partition information functions (PostgreSQL's `partitionfuncs.c`):
//! `pg_partition_tree`, `pg_partition_root` and `pg_partition_ancestors`, read from
//! `pg_class` (`relkind`, `relispartition`) and `pg_inherits`.
//!
//! Rules:
//! 1. Only a relation that can be part of a partition tree is answered for: a
//!    partitioned table or index, or a partition (`relispartition`); for any other
//!    relation, or an OID naming none, the tree and the ancestors are empty and the root
//!    is NULL.
//! 2. The tree lists the relation first, then its descendants level by level, children
//!    in OID order (`find_all_inheritors`); `level` counts from the given relation, and
//!    `parentrelid` is each one's partitioned parent (also for the given relation when
//!    it is a partition).
//! 3. The ancestors start with the relation itself; the root is the last of them.
//!
//! Entry point: [`register`].

use tusk_types::{Datum, Oid, Result};

use super::catalog_info::{catalog, oid_arg, row_by_oid};
use super::Table;
use crate::context::SessionContext;

/// `relkind` and `relispartition` of `rel`; `None` if no relation has that OID.
fn class_info(session: &dyn SessionContext, rel: Oid) -> Result<Option<(u8, bool)>> {
    let class = catalog("pg_class");
    Ok(row_by_oid(session, class, rel)?.map(|r| {
        let kind = match &r[class.col("relkind")] {
            Datum::Text(t) => t.bytes().next().unwrap_or(b'r'),
            _ => b'r',
        };
        (kind, r[class.col("relispartition")] == Datum::Bool(true))
    }))
}

/// Rule 1.
fn can_be_partition(session: &dyn SessionContext, rel: Oid) -> Result<bool> {
    Ok(match class_info(session, rel)? {
        Some((kind, is_partition)) => is_partition || matches!(kind, b'p' | b'I'),
        None => false,
    })
}

/// The partitioned parent of partition `rel`.
fn parent_of(session: &dyn SessionContext, rel: Oid) -> Result<Option<Oid>> {
    if !class_info(session, rel)?.is_some_and(|(_, p)| p) {
        return Ok(None);
    }
    let inherits = catalog("pg_inherits");
    let rows = session.catalog_rows(inherits.oid)?;
    Ok(rows
        .first_matching(inherits.col("inhrelid"), rel)
        .and_then(|r| oid_arg(&r[inherits.col("inhparent")])))
}

/// `rel` and its ancestors, nearest first (rule 3).
fn ancestors(session: &dyn SessionContext, rel: Oid) -> Result<Vec<Oid>> {
    let mut out = vec![rel];
    let mut current = rel;
    while let Some(parent) = parent_of(session, current)? {
        if out.contains(&parent) {
            break;
        }
        out.push(parent);
        current = parent;
    }
    Ok(out)
}

/// `pg_partition_tree(rel)`: (relid, parentrelid, isleaf, level) rows (rule 2).
fn partition_tree(session: &dyn SessionContext, root: Oid) -> Result<Vec<Vec<Datum>>> {
    if !can_be_partition(session, root)? {
        return Ok(Vec::new());
    }
    let inherits = catalog("pg_inherits");
    let rows = session.catalog_rows(inherits.oid)?;
    let mut out = Vec::new();
    let mut level_members = vec![root];
    let mut level = 0;
    while !level_members.is_empty() {
        let mut next = Vec::new();
        for rel in level_members {
            let (kind, _) = class_info(session, rel)?.unwrap_or((b'r', false));
            let parent = parent_of(session, rel)?;
            out.push(vec![
                Datum::Oid(rel.0),
                parent.map_or(Datum::Null, |p| Datum::Oid(p.0)),
                Datum::Bool(!matches!(kind, b'p' | b'I')),
                Datum::Int4(level),
            ]);
            let mut children: Vec<Oid> = rows
                .matching(inherits.col("inhparent"), rel)
                .filter_map(|r| oid_arg(&r[inherits.col("inhrelid")]))
                .collect();
            children.sort_unstable_by_key(|o| o.0);
            next.extend(children);
        }
        level_members = next;
        level += 1;
    }
    Ok(out)
}

pub(super) fn register(t: &mut Table) {
    t.insert(
        "pg_partition_tree",
        super::Builtin::Rows(|ctx, a| {
            let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            partition_tree(ctx.session, rel)
        }),
    );
    t.insert(
        "pg_partition_ancestors",
        super::Builtin::Set(|ctx, a| {
            let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
            if !can_be_partition(ctx.session, rel)? {
                return Ok(Vec::new());
            }
            Ok(ancestors(ctx.session, rel)?
                .into_iter()
                .map(|o| Datum::Oid(o.0))
                .collect())
        }),
    );
    super::reg(t, &["pg_partition_root"], |ctx, a| {
        let rel = oid_arg(&a[0]).unwrap_or(Oid::INVALID);
        if !can_be_partition(ctx.session, rel)? {
            return Ok(Datum::Null);
        }
        let chain = ancestors(ctx.session, rel)?;
        Ok(Datum::Oid(chain.last().copied().unwrap_or(rel).0))
    });
}
