//! Window frames (PostgreSQL's `update_frameheadpos`/`update_frametailpos` and frame
//! exclusion): which rows of a sorted partition an aggregate, `first_value`,
//! `last_value` or `nth_value` sees from each row.
//!
//! ```text
//!   partition (sorted):  r0 r1 | r2 r3 r4 | r5 | r6      peer groups by ORDER BY keys
//!   current row r3:                 ^
//!   ROWS   1 PRECEDING AND 1 FOLLOWING  -> r2..r4
//!   GROUPS 1 PRECEDING AND CURRENT ROW  -> r0..r4   (the previous group and r3's own)
//!   RANGE  2 PRECEDING AND CURRENT ROW  -> rows whose key >= key(r3) - 2, to r4
//!   EXCLUDE GROUP / TIES / CURRENT ROW  -> then drop r2..r4 / r2,r4 / r3
//! ```
//!
//! The frame of row `i` is a run `[head, tail)` of partition positions minus the
//! excluded rows. Rules:
//! 1. Head and tail never move backwards as the current row advances (the partition is
//!    sorted and `in_range` is monotonic in it), so RANGE offsets are found by scanning
//!    forward from the previous row's head and tail.
//! 2. With RANGE offsets, a NULL key is never within an offset of a non-NULL one: NULL
//!    rows are each other's frame, as peers.
//! 3. An aggregate keeps its transition state while the head stays and nothing is
//!    excluded, adding the rows the tail passes; otherwise it starts over for the row.
//!    No inverse transitions, so the result is the one a fresh aggregation gives.
//!
//! Entry point: [`CompiledFrame::fill`]. See also `window.rs` (partitions, ranking
//! functions) and `builtins/in_range.rs`.

use std::ops::Range;

use tusk_sql::analyze::{FrameBound, WindowFrame};
use tusk_sql::ast::{FrameExclusion, FrameMode};
use tusk_types::{pg_err, Datum, Result};

use super::scalar;
use super::window::{order_compare, CompiledWindow, Function, Keyed};
use crate::builtins::ScalarFn;
use crate::{EvalContext, ExprEvaluator};

/// A frame with its offsets compiled.
pub(super) struct CompiledFrame {
    mode: FrameMode,
    start: CompiledBound,
    end: CompiledBound,
    exclusion: FrameExclusion,
    /// RANGE offsets' `in_range` functions: start, end.
    in_range: [Option<ScalarFn>; 2],
}

enum CompiledBound {
    UnboundedPreceding,
    Preceding(ExprEvaluator),
    CurrentRow,
    Following(ExprEvaluator),
    UnboundedFollowing,
}

/// A bound with its offset evaluated for a partition.
enum Bound {
    UnboundedPreceding,
    Preceding(Datum),
    CurrentRow,
    Following(Datum),
    UnboundedFollowing,
}

impl CompiledFrame {
    /// `frame`, or the default frame (RANGE UNBOUNDED PRECEDING to the current row's
    /// last peer) when there is none.
    pub(super) fn new(frame: Option<&WindowFrame>) -> Result<CompiledFrame> {
        let Some(f) = frame else {
            return Ok(CompiledFrame {
                mode: FrameMode::Range,
                start: CompiledBound::UnboundedPreceding,
                end: CompiledBound::CurrentRow,
                exclusion: FrameExclusion::NoOthers,
                in_range: [None, None],
            });
        };
        let bound = |b: &FrameBound| -> Result<CompiledBound> {
            Ok(match b {
                FrameBound::UnboundedPreceding => CompiledBound::UnboundedPreceding,
                FrameBound::Preceding(e) => CompiledBound::Preceding(ExprEvaluator::compile(e)?),
                FrameBound::CurrentRow => CompiledBound::CurrentRow,
                FrameBound::Following(e) => CompiledBound::Following(ExprEvaluator::compile(e)?),
                FrameBound::UnboundedFollowing => CompiledBound::UnboundedFollowing,
            })
        };
        let function = |p: Option<tusk_types::Oid>| p.map(scalar).transpose();
        Ok(CompiledFrame {
            mode: f.mode,
            start: bound(&f.start)?,
            end: bound(&f.end)?,
            exclusion: f.exclusion,
            in_range: [function(f.in_range[0])?, function(f.in_range[1])?],
        })
    }

    /// The offsets' values for a partition.
    ///
    /// Errors: 22004 for a NULL offset; 22013 for a negative ROWS or GROUPS offset
    /// (RANGE offsets are checked by `in_range`).
    fn bounds(&self, ctx: &mut EvalContext<'_>) -> Result<(Bound, Bound)> {
        let mut out = Vec::with_capacity(2);
        for (b, which) in [(&self.start, "starting"), (&self.end, "ending")] {
            let offset = |e: &ExprEvaluator, ctx: &mut EvalContext<'_>| -> Result<Datum> {
                let v = e.eval(ctx, &[])?;
                if v.is_null() {
                    return Err(pg_err!(
                        NULL_VALUE_NOT_ALLOWED,
                        "frame {} offset must not be null",
                        which
                    ));
                }
                if self.mode != FrameMode::Range && matches!(v, Datum::Int8(n) if n < 0) {
                    return Err(pg_err!(
                        INVALID_PRECEDING_OR_FOLLOWING_SIZE,
                        "frame {} offset must not be negative",
                        which
                    ));
                }
                Ok(v)
            };
            out.push(match b {
                CompiledBound::UnboundedPreceding => Bound::UnboundedPreceding,
                CompiledBound::Preceding(e) => Bound::Preceding(offset(e, ctx)?),
                CompiledBound::CurrentRow => Bound::CurrentRow,
                CompiledBound::Following(e) => Bound::Following(offset(e, ctx)?),
                CompiledBound::UnboundedFollowing => Bound::UnboundedFollowing,
            });
        }
        let end = out.pop().expect("two bounds");
        let start = out.pop().expect("two bounds");
        Ok((start, end))
    }

    /// Fills `values` (by input row) with `w`'s function over each row's frame in one
    /// partition, `part` in window order.
    pub(super) fn fill(
        &self,
        ctx: &mut EvalContext<'_>,
        w: &CompiledWindow,
        rows: &[Vec<Datum>],
        part: &[Keyed],
        values: &mut [Datum],
    ) -> Result<()> {
        let (start, end) = self.bounds(ctx)?;
        let groups = peer_groups(ctx, w, part)?;
        let mut walker = FrameWalker {
            frame: self,
            w,
            part,
            groups: &groups,
            head: 0,
            tail: 0,
        };
        let mut running: Option<(Box<dyn crate::builtins::aggregate::AggState>, usize, usize)> =
            None;
        for i in 0..part.len() {
            ctx.session.check_interrupts()?;
            let frame = walker.frame_of(ctx, i, &start, &end)?;
            let excluded = self.excluded(i, &groups);
            let included = |r: usize| !excluded.0.contains(&r) || r == excluded.1;
            values[part[i].row] = match &w.function {
                Function::Aggregate {
                    implementation,
                    args,
                    filter,
                } => {
                    let advance = |state: &mut Box<dyn crate::builtins::aggregate::AggState>,
                                   r: usize,
                                   ctx: &mut EvalContext<'_>|
                     -> Result<()> {
                        let row = &rows[part[r].row];
                        if let Some(f) = filter {
                            if f.eval(ctx, row)? != Datum::Bool(true) {
                                return Ok(());
                            }
                        }
                        let mut vals = Vec::with_capacity(args.len());
                        for a in args {
                            vals.push(a.eval(ctx, row)?);
                        }
                        if !implementation.skips_row(&vals) {
                            state.advance(ctx, &vals)?;
                        }
                        Ok(())
                    };
                    // Rule 3: keep the state while the head stays and nothing is left out.
                    let reusable = self.exclusion == FrameExclusion::NoOthers
                        && matches!(&running, Some((_, h, t)) if *h == frame.start && *t <= frame.end);
                    if !reusable {
                        running = Some((implementation.start(), frame.start, frame.start));
                    }
                    let (state, _, done) = running.as_mut().expect("aggregate state");
                    for r in *done..frame.end {
                        if included(r) {
                            advance(state, r, ctx)?;
                        }
                    }
                    *done = frame.end.max(*done);
                    state.finish(ctx)?
                }
                Function::Edge { last, value } => {
                    let at = if *last {
                        frame.clone().rev().find(|&r| included(r))
                    } else {
                        frame.clone().find(|&r| included(r))
                    };
                    match at {
                        Some(r) => value.eval(ctx, &rows[part[r].row])?,
                        None => Datum::Null,
                    }
                }
                Function::NthValue { value, n } => {
                    let n = match n.eval(ctx, &rows[part[i].row])? {
                        Datum::Null => None,
                        Datum::Int4(n) if n > 0 => Some(n as usize),
                        _ => {
                            return Err(pg_err!(
                                INVALID_ARGUMENT_FOR_NTH_VALUE,
                                "argument of nth_value must be greater than zero"
                            ))
                        }
                    };
                    match n.and_then(|n| frame.clone().filter(|&r| included(r)).nth(n - 1)) {
                        Some(r) => value.eval(ctx, &rows[part[r].row])?,
                        None => Datum::Null,
                    }
                }
                _ => return Err(tusk_types::Error::internal("framed ranking function")),
            };
        }
        Ok(())
    }

    /// The rows EXCLUDE leaves out of row `i`'s frame, and a row of them kept anyway
    /// (`usize::MAX` for none): TIES keeps the current row.
    fn excluded(&self, i: usize, groups: &PeerGroups) -> (Range<usize>, usize) {
        let group = groups.bounds[groups.of[i]].clone();
        match self.exclusion {
            FrameExclusion::NoOthers => (0..0, usize::MAX),
            FrameExclusion::CurrentRow => (i..i + 1, usize::MAX),
            FrameExclusion::Group => (group, usize::MAX),
            FrameExclusion::Ties => (group, i),
        }
    }
}

/// Peer groups of a sorted partition: each row's group and each group's rows.
struct PeerGroups {
    of: Vec<usize>,
    bounds: Vec<Range<usize>>,
}

fn peer_groups(
    ctx: &mut EvalContext<'_>,
    w: &CompiledWindow,
    part: &[Keyed],
) -> Result<PeerGroups> {
    let mut of = Vec::with_capacity(part.len());
    let mut bounds = Vec::new();
    let mut s = 0;
    while s < part.len() {
        let mut e = s + 1;
        while e < part.len() && order_compare(ctx, w, &part[s], &part[e])?.is_eq() {
            e += 1;
        }
        of.extend(std::iter::repeat_n(bounds.len(), e - s));
        bounds.push(s..e);
        s = e;
    }
    Ok(PeerGroups { of, bounds })
}

/// The head and tail positions, kept from row to row (rule 1).
struct FrameWalker<'a> {
    frame: &'a CompiledFrame,
    w: &'a CompiledWindow,
    part: &'a [Keyed],
    groups: &'a PeerGroups,
    head: usize,
    tail: usize,
}

/// A ROWS or GROUPS offset (a non-negative bigint) as a count.
fn count(offset: &Datum) -> usize {
    match offset {
        Datum::Int8(n) => usize::try_from(*n).unwrap_or(usize::MAX),
        _ => 0,
    }
}

impl FrameWalker<'_> {
    /// Row `i`'s frame before exclusion: `[head, tail)`, empty when the tail is before
    /// the head.
    fn frame_of(
        &mut self,
        ctx: &mut EvalContext<'_>,
        i: usize,
        start: &Bound,
        end: &Bound,
    ) -> Result<Range<usize>> {
        let len = self.part.len();
        let g = self.groups.of[i];
        let groups = &self.groups.bounds;
        let mode = self.frame.mode;
        let head = match start {
            Bound::UnboundedPreceding => 0,
            Bound::UnboundedFollowing => len,
            Bound::CurrentRow if mode == FrameMode::Rows => i,
            Bound::CurrentRow => groups[g].start,
            Bound::Preceding(n) | Bound::Following(n) => {
                let preceding = matches!(start, Bound::Preceding(_));
                match mode {
                    FrameMode::Rows if preceding => i.saturating_sub(count(n)),
                    FrameMode::Rows => i.saturating_add(count(n)).min(len),
                    FrameMode::Groups if preceding => groups[g.saturating_sub(count(n))].start,
                    FrameMode::Groups => groups
                        .get(g.saturating_add(count(n)))
                        .map_or(len, |r| r.start),
                    FrameMode::Range => {
                        self.head = self.range_head(ctx, i, n, preceding)?;
                        self.head
                    }
                }
            }
        };
        let tail = match end {
            Bound::UnboundedPreceding => 0,
            Bound::UnboundedFollowing => len,
            Bound::CurrentRow if mode == FrameMode::Rows => i + 1,
            Bound::CurrentRow => groups[g].end,
            Bound::Preceding(n) | Bound::Following(n) => {
                let preceding = matches!(end, Bound::Preceding(_));
                match mode {
                    FrameMode::Rows if preceding => (i + 1).saturating_sub(count(n)),
                    FrameMode::Rows => i.saturating_add(count(n)).saturating_add(1).min(len),
                    FrameMode::Groups if preceding => {
                        g.checked_sub(count(n)).map_or(0, |h| groups[h].end)
                    }
                    FrameMode::Groups => {
                        groups[g.saturating_add(count(n)).min(groups.len() - 1)].end
                    }
                    FrameMode::Range => {
                        self.tail = self.range_tail(ctx, i, n, preceding)?;
                        self.tail
                    }
                }
            }
        };
        Ok(head..tail.max(head))
    }

    /// The ORDER BY key of position `r`, and whether the sort is ascending and puts
    /// NULLs first.
    fn key(&self, r: usize) -> (&Datum, bool, bool) {
        let (_, _, descending, nulls_first) = &self.w.order_by[0];
        (&self.part[r].order[0], !descending, *nulls_first)
    }

    /// `in_range(val, base, offset, sub, less)` with the frame's function for one end.
    fn in_range(
        &self,
        ctx: &mut EvalContext<'_>,
        end: bool,
        val: &Datum,
        base: &Datum,
        offset: &Datum,
        (sub, less): (bool, bool),
    ) -> Result<bool> {
        let f = self.frame.in_range[usize::from(end)].expect("RANGE offset has in_range");
        let args = [
            val.clone(),
            base.clone(),
            offset.clone(),
            Datum::Bool(sub),
            Datum::Bool(less),
        ];
        Ok(f(ctx, &args)? == Datum::Bool(true))
    }

    /// RANGE `offset PRECEDING|FOLLOWING` start: the first row at or past the previous
    /// head whose key is not before `key(i) ∓ offset` (rule 2 for NULLs).
    fn range_head(
        &self,
        ctx: &mut EvalContext<'_>,
        i: usize,
        offset: &Datum,
        preceding: bool,
    ) -> Result<usize> {
        let (current, asc, nulls_first) = self.key(i);
        // Ascending: head >= current - offset (PRECEDING) or + offset (FOLLOWING).
        let (sub, less) = if asc {
            (preceding, false)
        } else {
            (!preceding, true)
        };
        let mut head = self.head;
        while head < self.part.len() {
            let (value, ..) = self.key(head);
            let found = if current.is_null() || value.is_null() {
                if nulls_first {
                    !value.is_null() || current.is_null()
                } else {
                    value.is_null() || !current.is_null()
                }
            } else {
                self.in_range(ctx, false, value, current, offset, (sub, less))?
            };
            if found {
                break;
            }
            head += 1;
        }
        Ok(head)
    }

    /// RANGE `offset PRECEDING|FOLLOWING` end: past the last row, from the previous
    /// tail on, whose key is not after `key(i) ∓ offset` (rule 2 for NULLs).
    fn range_tail(
        &self,
        ctx: &mut EvalContext<'_>,
        i: usize,
        offset: &Datum,
        preceding: bool,
    ) -> Result<usize> {
        let (current, asc, nulls_first) = self.key(i);
        let (sub, less) = if asc {
            (preceding, true)
        } else {
            (!preceding, false)
        };
        let mut tail = self.tail;
        while tail < self.part.len() {
            let (value, ..) = self.key(tail);
            let within = if current.is_null() || value.is_null() {
                if nulls_first {
                    value.is_null()
                } else {
                    current.is_null()
                }
            } else {
                self.in_range(ctx, true, value, current, offset, (sub, less))?
            };
            if !within {
                break;
            }
            tail += 1;
        }
        Ok(tail)
    }
}
