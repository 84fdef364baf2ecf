//! The index scan operator: evaluates the qualifications' values once, then reads the
//! relation's rows through [`TableAccess::index_scan`]. As the inner input of a
//! parameterized nested loop it is rescanned for each outer row, the values read from
//! that row. B-tree operators are strict: a NULL value matches no row.

use tusk_types::{Datum, Oid, Result};

use super::Operator;
use crate::index::{IndexScanKey, ScanDirection};
use crate::plan::IndexQual;
use crate::{EvalContext, ExprEvaluator, RowIter, TableAccess};

/// A relation's rows found through an index, one value per attribute (dropped ones NULL).
pub(super) struct IndexScan<'a> {
    rel: Oid,
    width: usize,
    index: Oid,
    keys: Vec<(usize, crate::index::IndexStrategy, ExprEvaluator)>,
    direction: ScanDirection,
    tables: &'a dyn TableAccess,
    rows: Option<RowIter<'a>>,
    /// The row the qualification values read (empty unless rescanned).
    params: Vec<Datum>,
    /// A qualification value was NULL: no row qualifies.
    empty: bool,
    /// The relation's attribute count, read at the first row.
    attributes: Option<usize>,
}

impl<'a> IndexScan<'a> {
    pub fn new(
        rel: Oid,
        width: usize,
        index: Oid,
        quals: &[IndexQual],
        direction: ScanDirection,
        tables: &'a dyn TableAccess,
    ) -> Result<IndexScan<'a>> {
        Ok(IndexScan {
            rel,
            width,
            index,
            keys: quals
                .iter()
                .map(|q| Ok((q.column, q.strategy, ExprEvaluator::compile(&q.value)?)))
                .collect::<Result<_>>()?,
            direction,
            tables,
            rows: None,
            params: Vec::new(),
            empty: false,
            attributes: None,
        })
    }
}

impl Operator for IndexScan<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        if self.empty {
            return Ok(None);
        }
        if self.rows.is_none() {
            let mut keys = Vec::with_capacity(self.keys.len());
            for (column, strategy, value) in &self.keys {
                let value = value.eval(ctx, &self.params)?;
                if value.is_null() {
                    self.empty = true;
                    return Ok(None);
                }
                keys.push(IndexScanKey {
                    column: *column,
                    strategy: *strategy,
                    value,
                });
            }
            self.rows =
                Some(
                    self.tables
                        .index_scan(self.rel, self.index, &keys, self.direction)?,
                );
        }
        ctx.session.check_interrupts()?;
        match self.rows.as_mut().and_then(Iterator::next) {
            None => Ok(None),
            Some(row) => {
                let (tid, mut values) = row?;
                super::complete_relation_row(
                    self.tables,
                    self.rel,
                    self.width,
                    &mut self.attributes,
                    tid,
                    &mut values,
                )?;
                Ok(Some(values))
            }
        }
    }

    fn rescan(&mut self, _ctx: &mut EvalContext<'_>, params: &[Datum]) -> Result<()> {
        self.rows = None;
        self.empty = false;
        self.params.clear();
        self.params.extend_from_slice(params);
        Ok(())
    }
}
