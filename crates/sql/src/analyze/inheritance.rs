//! Inheritance expansion: a scan of a relation with inheritance children reads the
//! relation's own rows and those of every descendant, as PostgreSQL's
//! `expand_inherited_rtentry` makes an append of them, unless the reference says `ONLY`.
//!
//! ```text
//!  FROM p            (p has children c1, c2; c2 has child g)
//!  ──────────────▶   SetOp(UNION ALL,
//!                          SetOp(UNION ALL,
//!                                SetOp(UNION ALL, ONLY p, ONLY c1 → p's slots),
//!                                ONLY c2 → p's slots),
//!                          ONLY g → p's slots)
//! ```
//!
//! Layout rule: the expansion produces exactly the parent's FROM-row slots (one per
//! attribute, dropped ones included, then the system columns when the statement has
//! them), so the rest of the analysis sees the parent's layout. A descendant's columns
//! are matched to the parent's by name (a child may order them differently or have
//! more); a dropped parent attribute reads NULL; system columns are the descendant's own,
//! so `tableoid` names the relation each row lives in.
//!
//! UPDATE and DELETE of a parent (without ONLY) are analysed again against each
//! descendant, named as the parent is in the statement (its alias, else its name), so
//! each row is changed in the relation it lives in
//! ([`super::ModifyQuery::inherited`]).
//!
//! Entry points: [`Analyzer::inheritance_source`], [`Analyzer::inherited_modifications`].

use std::sync::Arc;

use tusk_types::{Datum, Error, Result};

use super::select::{FromSource, OutputColumn, Query};
use super::typed::TypedExpr;
use super::ModifyQuery;
use super::{Analyzer, RelationInfo};
use crate::ast::{Alias, RangeVar, SetOpKind};

impl Analyzer<'_> {
    /// The rows of `parent` as a FROM source of `width` slots: the relation alone when
    /// `inh` is false (`ONLY`) or it has no inheritance children, otherwise the append of
    /// it and its descendants laid out as the parent (module docs). `system` says whether
    /// the slots include the system columns.
    ///
    /// Errors: catalog read and lock errors; XX000 if a descendant lacks a column of the
    /// parent (the catalogs never allow it).
    pub(super) fn inheritance_source(
        &self,
        parent: &RelationInfo,
        inh: bool,
        width: usize,
        system: bool,
        name: &str,
    ) -> Result<FromSource> {
        let own = FromSource::Relation {
            oid: parent.oid,
            width,
        };
        if !inh {
            return Ok(own);
        }
        let mut descendants = self.catalog.inheritance_descendants(parent.oid)?;
        if parent.kind == b'p' {
            // Plan-time pruning of partitions WHERE rules out (`partition_prune.rs`).
            let condition = self
                .prune_filter
                .as_ref()
                .and_then(|f| super::partition_prune::prune_conditions(f, &[name]));
            if let Some(condition) = condition {
                if let Some(keep) = self.catalog.partitions_to_scan(parent.oid, &condition)? {
                    descendants.retain(|d| keep.contains(&d.oid));
                }
            }
        }
        if descendants.is_empty() {
            return Ok(own);
        }
        let columns = scan_output_columns(parent, width);
        let identity: Vec<TypedExpr> =
            TypedExpr::column_refs(columns.iter().map(|c| (c.type_oid, c.typmod)));
        // A partitioned table and its partitioned partitions hold no rows: the append
        // is of the leaves alone.
        let partitioned = parent.kind == b'p';
        if partitioned {
            descendants.retain(|d| d.kind != b'p');
            if descendants.is_empty() {
                return Ok(own);
            }
        }
        let mut rest = descendants.iter();
        let mut combined = if partitioned {
            let first = rest.next().expect("a leaf partition is left");
            let branch = child_branch(parent, first, &columns, system)?;
            let same_layout = first.columns.len() == parent.columns.len()
                && first
                    .columns
                    .iter()
                    .zip(&parent.columns)
                    .all(|(c, p)| c.name == p.name && c.dropped == p.dropped);
            if descendants.len() == 1 {
                return Ok(if same_layout {
                    branch.source
                } else {
                    FromSource::Subquery(Box::new(branch))
                });
            }
            branch
        } else {
            passthrough(own, &columns, identity.clone())
        };
        for child in rest {
            let branch = child_branch(parent, child, &columns, system)?;
            combined = passthrough(
                FromSource::SetOp {
                    op: SetOpKind::Union,
                    all: true,
                    left: Box::new(combined),
                    right: Box::new(branch),
                },
                &columns,
                identity.clone(),
            );
        }
        Ok(combined.source)
    }
}

impl Analyzer<'_> {
    /// The modification `analyze` makes of each inheritance descendant of the target
    /// `rv` names (none for `ONLY`): `analyze` gets the statement's target replaced by a
    /// reference to the descendant alone, aliased as the target is seen in the statement.
    ///
    /// Errors: catalog read and lock errors; the analysis errors of each descendant's
    /// statement; 0A000 when a descendant's RETURNING list is not `returning_width` wide.
    pub(super) fn inherited_modifications(
        &mut self,
        rv: &RangeVar,
        returning_width: usize,
        mut analyze: impl FnMut(&mut Self, RangeVar) -> Result<ModifyQuery>,
    ) -> Result<Vec<ModifyQuery>> {
        if !rv.inh {
            return Ok(Vec::new());
        }
        let Some(parent) = self.catalog.relation(rv.schema.as_deref(), &rv.name)? else {
            return Ok(Vec::new());
        };
        let mut modifications = Vec::new();
        for child in self.catalog.inheritance_descendants(parent.oid)? {
            let alias = rv.alias.clone().unwrap_or(Alias {
                name: rv.name.clone(),
                columns: Vec::new(),
            });
            let target = RangeVar {
                schema: Some(child.namespace.clone()),
                name: child.name.clone(),
                alias: Some(alias),
                location: rv.location,
                inh: false,
            };
            // The child's rows are subject to the parent's policies (row_security.rs).
            let source = self
                .row_security_source
                .filter(|(c, _)| *c == parent.oid)
                .map_or(parent.oid, |(_, p)| p);
            let saved = self.row_security_source.replace((child.oid, source));
            let modification = analyze(self, target);
            self.row_security_source = saved;
            let modification = modification?;
            if modification.returning_columns.len() != returning_width {
                // `RETURNING *` over a child with columns of its own.
                return Err(Error::feature_not_supported(
                    "RETURNING * of a table whose inheritance children have more columns",
                ));
            }
            modifications.push(modification);
        }
        Ok(modifications)
    }
}

/// A query over `source` with `targets` as its output `columns`.
fn passthrough(source: FromSource, columns: &[OutputColumn], targets: Vec<TypedExpr>) -> Query {
    Query {
        modifying: Vec::new(),
        columns: columns.to_vec(),
        source,
        filter: None,
        aggregation: None,
        windows: Vec::new(),
        target_locations: vec![usize::MAX; targets.len()],
        targets,
        sort: Vec::new(),
        distinct: None,
        limit: None,
        offset: None,
        row_marks: Vec::new(),
    }
}

/// `ONLY child` with its row rearranged into the parent's slots (`columns`).
fn child_branch(
    parent: &RelationInfo,
    child: &Arc<RelationInfo>,
    columns: &[OutputColumn],
    system: bool,
) -> Result<Query> {
    let system_count = columns.len() - parent.columns.len();
    let child_width = child.columns.len() + if system { system_count } else { 0 };
    let mut targets = Vec::with_capacity(columns.len());
    for c in &parent.columns {
        if c.dropped {
            targets.push(TypedExpr::Const {
                value: Datum::Null,
                type_oid: c.type_oid,
                typmod: c.typmod,
                location: usize::MAX,
            });
            continue;
        }
        let (index, found) = child
            .live_columns()
            .find(|(_, x)| x.name == c.name)
            .ok_or_else(|| {
                Error::internal(format!(
                    "column \"{}\" of relation \"{}\" is missing from its child \"{}\"",
                    c.name, parent.name, child.name
                ))
            })?;
        targets.push(TypedExpr::Column {
            index,
            type_oid: found.type_oid,
            typmod: found.typmod,
            location: usize::MAX,
        });
    }
    for (i, c) in columns[parent.columns.len()..].iter().enumerate() {
        targets.push(TypedExpr::Column {
            index: child.columns.len() + i,
            type_oid: c.type_oid,
            typmod: -1,
            location: usize::MAX,
        });
    }
    Ok(passthrough(
        FromSource::Relation {
            oid: child.oid,
            width: child_width,
        },
        columns,
        targets,
    ))
}

/// The output columns of a scan of `relation` that yields `width` columns: its columns,
/// then the first system columns (`ctid`, ...) up to that width.
pub(super) fn scan_output_columns(relation: &RelationInfo, width: usize) -> Vec<OutputColumn> {
    let system_count = width - relation.columns.len();
    relation
        .columns
        .iter()
        .map(|c| OutputColumn {
            name: c.name.clone(),
            type_oid: c.type_oid,
            typmod: c.typmod,
        })
        .chain(
            super::system_columns::SYSTEM_COLUMNS
                .iter()
                .take(system_count)
                .map(|c| OutputColumn {
                    name: c.name.to_string(),
                    type_oid: c.type_oid,
                    typmod: -1,
                }),
        )
        .collect()
}
