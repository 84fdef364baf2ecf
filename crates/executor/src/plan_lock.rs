//! Planning `SELECT ... FOR UPDATE`: each locked relation's `ctid` rides along the
//! projected row (after the target, sort and distinct columns, dropped by the final
//! `Project`), and a [`Plan::LockRows`] sits above Sort and below Limit, as PostgreSQL
//! places its LockRows node, so rows dropped by the lock step never count toward LIMIT.
//!
//! Entry points: [`ctid_columns`], [`lock_rows`].

use tusk_sql::analyze::{FromSource, Query, TypedExpr};
use tusk_types::type_oid;

use crate::plan::{LockRowsMark, LockRowsRecheck, Plan};

/// The `ctid` of each row mark's relation, over the FROM row, in mark order.
pub(crate) fn ctid_columns(query: &Query) -> Vec<TypedExpr> {
    query
        .row_marks
        .iter()
        .map(|m| TypedExpr::Column {
            index: m.ctid_slot,
            type_oid: type_oid::TID,
            typmod: -1,
            location: usize::MAX,
        })
        .collect()
}

/// `plan` topped by the [`Plan::LockRows`] of `query`, whose projected rows are `total`
/// columns wide with the `ctid` columns last.
pub(crate) fn lock_rows(query: &Query, plan: Plan, total: usize) -> Plan {
    let first = total - query.row_marks.len();
    let marks = query
        .row_marks
        .iter()
        .enumerate()
        .map(|(i, m)| LockRowsMark {
            relation: m.relation,
            name: m.name.clone(),
            column: first + i,
            strength: m.strength,
            wait: m.wait,
        })
        .collect();
    let recheck = match &query.source {
        FromSource::Relation { width, .. } if query.row_marks.len() == 1 => {
            let mut exprs = query.targets.clone();
            exprs.extend(query.sort.iter().map(|k| k.expr.clone()));
            if let Some(d) = &query.distinct {
                exprs.extend(d.iter().cloned());
            }
            exprs.extend(ctid_columns(query));
            Some(LockRowsRecheck {
                width: *width,
                filter: query.filter.clone(),
                exprs,
            })
        }
        _ => None,
    };
    Plan::LockRows {
        input: Box::new(plan),
        marks,
        recheck,
    }
}
