//! SQL cursors: `DECLARE`, `FETCH`, `MOVE`, `CLOSE` (PostgreSQL docs: SQL Commands,
//! DECLARE / FETCH / MOVE / CLOSE; positioning as `DoPortalRunFetch` and `PortalRunSelect`).
//!
//! A cursor's query runs to completion at DECLARE, under the statement's snapshot, and its
//! rows are kept in the session (PostgreSQL materialises WITH HOLD cursors at commit the
//! same way; tusk does it for every cursor). So rows are those the DECLARE's snapshot saw,
//! as in PostgreSQL, but a query's errors and volatile side effects happen at DECLARE
//! rather than at the FETCH that would reach them.
//!
//! Position (invariant): `position` is the current row, 1-based; 0 is before the first
//! row and `rows.len() + 1` after the last. Forward fetches return the rows after the
//! current one, backward fetches those before it, and both leave the cursor on the last
//! row returned, or past the end they ran into.
//!
//! Lifetime: a cursor without HOLD ends with its transaction; a WITH HOLD cursor survives
//! the commit of the transaction that declared it and is dropped if that transaction
//! aborts. Rolling back to a savepoint drops the cursors declared after it. DISCARD ALL
//! and CLOSE ALL drop all.
//!
//! Entry points: `Session::declare_cursor`, `Session::fetch_rows`, `Session::close_cursor`,
//! [`Cursors`].

use std::collections::HashMap;

use tusk_sql::ast::{DeclareCursorStmt, FetchDirection, FetchStmt, FETCH_ALL};
use tusk_types::{pg_err, Datum, Result};

use super::extended::Plan;
use super::statement::RowTarget;
use super::xact::BlockState;
use super::Session;
use crate::sink::ColumnDesc;

/// One open cursor.
pub(crate) struct Cursor {
    /// Result columns (text format; `binary` says what FETCH sends).
    pub(crate) columns: Vec<ColumnDesc>,
    rows: Vec<Vec<Datum>>,
    position: usize,
    /// `BINARY`.
    pub(crate) binary: bool,
    /// `NO SCROLL`: backward movement is an error.
    no_scroll: bool,
    hold: bool,
    /// Declared by the current transaction (dropped if it aborts).
    in_current_transaction: bool,
    /// Savepoints open when it was declared.
    savepoint_depth: usize,
}

/// The session's open cursors, by name.
#[derive(Default)]
pub(crate) struct Cursors {
    open: HashMap<String, Cursor>,
}

impl Cursors {
    /// Whether no cursor is open (PostgreSQL's `ThereAreNoReadyPortals` for cursors).
    pub(crate) fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// The cursor named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Cursor> {
        self.open.get(name)
    }

    /// Transaction end: a commit keeps WITH HOLD cursors, an abort keeps only those
    /// declared by earlier transactions.
    pub(crate) fn at_transaction_end(&mut self, committed: bool) {
        self.open.retain(|_, c| {
            c.hold && (committed || !c.in_current_transaction) && {
                c.in_current_transaction = false;
                true
            }
        });
    }

    /// Rollback to the savepoint with `outer` savepoints before it: drops the cursors
    /// declared after it was set.
    pub(crate) fn at_rollback_to(&mut self, outer: usize) {
        self.open.retain(|_, c| c.savepoint_depth <= outer);
    }

    /// DISCARD ALL.
    pub(crate) fn clear(&mut self) {
        self.open.clear();
    }
}

impl Cursor {
    fn len(&self) -> usize {
        self.rows.len()
    }

    /// `PortalRunSelect`: up to `count` rows forward or backward (`FETCH_ALL` = all; none
    /// if `count` is not positive), appending their indexes to `out` when given.
    fn run(&mut self, forward: bool, count: i64, out: Option<&mut Vec<usize>>) -> Result<()> {
        if !forward && self.no_scroll {
            return Err(pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "cursor can only scan forward"
            )
            .hint("Declare it with SCROLL option to enable backward scan."));
        }
        if count <= 0 {
            return Ok(());
        }
        let n = self.len();
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        // Rows available in that direction: after the current one, or before it.
        let available = if forward {
            n.saturating_sub(self.position)
        } else {
            self.position.saturating_sub(1)
        };
        let taken = count.min(available);
        let first = self.position;
        if let Some(out) = out {
            if forward {
                // Rows first+1 ..= first+taken, 0-based.
                out.extend(first..first + taken);
            } else {
                // Rows first-1 down to first-taken, 0-based.
                let before = first.saturating_sub(1);
                out.extend((before - taken..before).rev());
            }
        }
        if forward {
            self.position += taken;
        } else {
            self.position -= taken;
        }
        if count > taken {
            // Ran into the end: the cursor is past it.
            self.position = if forward { n + 1 } else { 0 };
        }
        Ok(())
    }

    fn on_row(&self) -> bool {
        self.position >= 1 && self.position <= self.len()
    }

    /// `DoPortalRunFetch`: moves as `direction` / `count` say; returns the rows a FETCH
    /// returns (for MOVE, the number of rows it counts).
    fn fetch(
        &mut self,
        direction: FetchDirection,
        count: i64,
        is_move: bool,
    ) -> Result<Vec<usize>> {
        let mut rows = Vec::new();
        // `FETCH FORWARD -n` is `FETCH BACKWARD n`, and the other way round.
        let (direction, count) = match direction {
            FetchDirection::Forward if count < 0 => {
                (FetchDirection::Backward, count.saturating_neg())
            }
            FetchDirection::Backward if count < 0 => {
                (FetchDirection::Forward, count.saturating_neg())
            }
            other => (other, count),
        };
        match direction {
            FetchDirection::Absolute => {
                if count > 0 {
                    self.position = 0;
                    if count > 1 {
                        self.run(true, count - 1, None)?;
                    }
                    self.run(true, 1, Some(&mut rows))?;
                } else if count < 0 {
                    self.run(true, FETCH_ALL, None)?;
                    if count < -1 {
                        self.run(false, -(count + 1), None)?;
                    }
                    self.run(false, 1, Some(&mut rows))?;
                } else {
                    self.position = 0;
                }
            }
            FetchDirection::Relative if count != 0 => {
                let forward = count > 0;
                let steps = count.checked_abs().unwrap_or(i64::MAX);
                if steps > 1 {
                    self.run(forward, steps - 1, None)?;
                }
                self.run(forward, 1, Some(&mut rows))?;
            }
            FetchDirection::Relative => self.fetch_current(is_move, &mut rows)?,
            FetchDirection::Forward | FetchDirection::Backward if count == 0 => {
                self.fetch_current(is_move, &mut rows)?
            }
            FetchDirection::Forward => {
                self.run(true, count, Some(&mut rows))?;
            }
            FetchDirection::Backward => {
                self.run(false, count, Some(&mut rows))?;
            }
        }
        Ok(rows)
    }

    /// `FETCH 0` / `RELATIVE 0`: the current row again, if the cursor is on one.
    fn fetch_current(&mut self, is_move: bool, rows: &mut Vec<usize>) -> Result<()> {
        if self.on_row() {
            if is_move {
                rows.push(self.position - 1);
            } else {
                self.run(false, 1, None)?;
                self.run(true, 1, Some(rows))?;
            }
        }
        Ok(())
    }
}

fn no_such_cursor(name: &str) -> tusk_types::Error {
    pg_err!(INVALID_CURSOR_NAME, "cursor \"{}\" does not exist", name)
}

impl Session {
    /// `DECLARE`: runs the query and keeps its rows under the cursor's name.
    ///
    /// Errors: 25P01 `DECLARE CURSOR can only be used in transaction blocks` (without
    /// HOLD, outside a block); 42P03 `cursor "c" already exists`; the query's errors.
    pub(crate) fn declare_cursor(
        &mut self,
        stmt: &DeclareCursorStmt,
        sql: &str,
        params: &[Datum],
    ) -> Result<String> {
        if !stmt.hold && matches!(self.block, BlockState::Idle | BlockState::Implicit) {
            return Err(pg_err!(
                NO_ACTIVE_SQL_TRANSACTION,
                "DECLARE CURSOR can only be used in transaction blocks"
            ));
        }
        if self.cursors.open.contains_key(&stmt.name) {
            return Err(pg_err!(
                DUPLICATE_CURSOR,
                "cursor \"{}\" already exists",
                stmt.name
            ));
        }
        if let tusk_sql::ast::Statement::Select(select) = &stmt.query.stmt {
            if let Some(lock) = select.locking.first() {
                let clause = lock.strength.clause_name();
                if stmt.hold {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "DECLARE CURSOR WITH HOLD ... {} is not supported",
                        clause
                    )
                    .detail("Holdable cursors must be READ ONLY."));
                }
                if stmt.scroll == Some(true) {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "DECLARE SCROLL CURSOR ... {} is not supported",
                        clause
                    )
                    .detail("Scrollable cursors must be READ ONLY."));
                }
            }
        }
        let prepared = self.plan(&stmt.query, sql, Vec::new())?;
        if matches!(&prepared.plan, Plan::Query(q) if !q.modifying.is_empty()) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "DECLARE CURSOR must not contain data-modifying statements in WITH"
            ));
        }
        let columns = self.describe(&prepared, &[]).unwrap_or_default();
        let mut rows = Vec::new();
        self.execute(&prepared, params, &[], RowTarget::Collect(&mut rows), false)?;
        self.cursors.open.insert(
            stmt.name.clone(),
            Cursor {
                columns,
                rows,
                position: 0,
                binary: stmt.binary,
                no_scroll: stmt.scroll == Some(false),
                hold: stmt.hold,
                in_current_transaction: true,
                savepoint_depth: self.savepoints.len(),
            },
        );
        Ok("DECLARE CURSOR".into())
    }

    /// `FETCH` / `MOVE`: the rows FETCH returns (none for MOVE) and the command tag
    /// (`FETCH n` / `MOVE n`).
    ///
    /// Errors: 34000 `cursor "c" does not exist`; 55000 `cursor can only scan forward`
    /// for backward movement of a NO SCROLL cursor.
    pub(crate) fn fetch_rows(&mut self, stmt: &FetchStmt) -> Result<(Vec<Vec<Datum>>, String)> {
        let cursor = self
            .cursors
            .open
            .get_mut(&stmt.name)
            .ok_or_else(|| no_such_cursor(&stmt.name))?;
        let passed = cursor.fetch(stmt.direction, stmt.count, stmt.is_move)?;
        let n = passed.len();
        if stmt.is_move {
            return Ok((Vec::new(), format!("MOVE {n}")));
        }
        let rows = passed.into_iter().map(|i| cursor.rows[i].clone()).collect();
        Ok((rows, format!("FETCH {n}")))
    }

    /// `CLOSE name` / `CLOSE ALL`.
    ///
    /// Errors: 34000 `cursor "c" does not exist`.
    pub(crate) fn close_cursor(&mut self, name: Option<&str>) -> Result<String> {
        match name {
            Some(name) => {
                self.cursors
                    .open
                    .remove(name)
                    .ok_or_else(|| no_such_cursor(name))?;
                Ok("CLOSE CURSOR".into())
            }
            None => {
                self.cursors.clear();
                Ok("CLOSE CURSOR ALL".into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(n: usize, no_scroll: bool) -> Cursor {
        Cursor {
            columns: Vec::new(),
            rows: (1..=n as i32).map(|i| vec![Datum::Int4(i)]).collect(),
            position: 0,
            binary: false,
            no_scroll,
            hold: false,
            in_current_transaction: true,
            savepoint_depth: 0,
        }
    }

    /// The 1-based row numbers a FETCH returns.
    fn fetch(c: &mut Cursor, direction: FetchDirection, count: i64) -> Vec<usize> {
        let passed = c.fetch(direction, count, false).expect("fetch");
        passed.into_iter().map(|i| i + 1).collect()
    }

    use FetchDirection::*;

    #[test]
    fn forward_and_backward_follow_postgres_positions() {
        let mut c = cursor(3, false);
        assert_eq!(fetch(&mut c, Forward, 2), vec![1, 2]);
        assert_eq!(fetch(&mut c, Forward, 0), vec![2]);
        assert_eq!(fetch(&mut c, Forward, FETCH_ALL), vec![3]);
        assert_eq!(fetch(&mut c, Forward, 1), Vec::<usize>::new());
        // After the end, PRIOR returns the last row.
        assert_eq!(fetch(&mut c, Backward, 1), vec![3]);
        assert_eq!(fetch(&mut c, Backward, FETCH_ALL), vec![2, 1]);
        assert_eq!(fetch(&mut c, Backward, 1), Vec::<usize>::new());
        assert_eq!(fetch(&mut c, Forward, 0), Vec::<usize>::new());
        assert_eq!(fetch(&mut c, Forward, 1), vec![1]);
    }

    #[test]
    fn absolute_and_relative_positions() {
        let mut c = cursor(5, false);
        assert_eq!(fetch(&mut c, Absolute, 3), vec![3]);
        assert_eq!(fetch(&mut c, Absolute, -1), vec![5]);
        assert_eq!(fetch(&mut c, Absolute, -2), vec![4]);
        assert_eq!(fetch(&mut c, Relative, -2), vec![2]);
        assert_eq!(fetch(&mut c, Relative, 0), vec![2]);
        assert_eq!(fetch(&mut c, Relative, 2), vec![4]);
        assert_eq!(fetch(&mut c, Absolute, 9), Vec::<usize>::new());
        assert_eq!(fetch(&mut c, Backward, 1), vec![5]);
        assert_eq!(fetch(&mut c, Absolute, 0), Vec::<usize>::new());
        assert_eq!(fetch(&mut c, Forward, 1), vec![1]);
        assert_eq!(fetch(&mut c, Absolute, -9), Vec::<usize>::new());
        assert_eq!(fetch(&mut c, Forward, 1), vec![1]);
    }

    #[test]
    fn move_counts_rows_and_move_zero_reports_the_current_row() {
        let mut c = cursor(4, false);
        assert_eq!(c.fetch(Forward, 3, true).expect("move").len(), 3);
        assert_eq!(c.fetch(Forward, 0, true).expect("move").len(), 1);
        assert_eq!(fetch(&mut c, Forward, 1), vec![4]);
        assert_eq!(c.fetch(Forward, FETCH_ALL, true).expect("move").len(), 0);
        assert_eq!(c.fetch(Forward, 0, true).expect("move").len(), 0);
    }

    #[test]
    fn no_scroll_cursors_refuse_backward_movement() {
        let mut c = cursor(2, true);
        assert_eq!(fetch(&mut c, Forward, 1), vec![1]);
        let e = c
            .fetch(Backward, 1, false)
            .expect_err("backward on NO SCROLL");
        assert_eq!(
            e.code,
            tusk_types::SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE
        );
        assert_eq!(e.message, "cursor can only scan forward");
    }

    #[test]
    fn hold_cursors_survive_commit_only() {
        let mut cursors = Cursors::default();
        let mut held = cursor(1, false);
        held.hold = true;
        cursors.open.insert("held".into(), held);
        cursors.open.insert("plain".into(), cursor(1, false));
        cursors.at_transaction_end(true);
        assert!(cursors.get("held").is_some());
        assert!(cursors.get("plain").is_none());
        // Declared by an earlier, committed transaction: an abort keeps it.
        cursors.at_transaction_end(false);
        assert!(cursors.get("held").is_some());
        let mut fresh = cursor(1, false);
        fresh.hold = true;
        cursors.open.insert("fresh".into(), fresh);
        cursors.at_transaction_end(false);
        assert!(cursors.get("fresh").is_none());
    }
}
