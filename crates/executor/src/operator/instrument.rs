//! EXPLAIN ANALYZE's per-node counters (PostgreSQL's `Instrumentation`, `instrument.c`):
//! every operator built for an analysed plan is wrapped in an [`Instrumented`] operator
//! that counts its loops (starts and rescans that produced a call), the rows it returned,
//! with TIMING the time spent inside it (its inputs included) until its first row and in
//! all, and with BUFFERS the shared buffer accesses made meanwhile (inputs included, as
//! PostgreSQL counts them), read from the backend's counters through a probe the caller
//! gives.
//!
//! Invariants: counters are keyed by the address of the [`Plan`] node the operator runs,
//! so the printer finds them while walking the same plan tree; a node registered with no
//! loops was built but never asked for a row (`(never executed)`); a node that is absent
//! was not run by an instrumented operator at all (sub-plans run as separate queries).
//!
//! Entry points: [`PlanInstrumentation`], [`NodeCounters`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tusk_types::{BufferUsage, Datum, Result};

use super::{BoxedOperator, Operator};
use crate::plan::Plan;
use crate::EvalContext;

/// What one plan node did while the statement ran.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeCounters {
    /// Times the node was started (first call, and each first call after a rescan).
    pub loops: u64,
    /// Rows returned over all loops.
    pub rows: u64,
    /// Sum over loops of the time to the loop's first row (to its end when it had none).
    pub startup: Duration,
    /// Time spent inside the node over all loops.
    pub total: Duration,
    /// Shared buffer accesses inside the node (BUFFERS).
    pub buffers: BufferUsage,
}

impl NodeCounters {
    /// PostgreSQL's ` (actual time=S..T rows=R loops=L)` (milliseconds per loop, rows per
    /// loop rounded), ` (actual rows=R loops=L)` without timing, or ` (never executed)`.
    pub fn text(&self, timing: bool) -> String {
        if self.loops == 0 {
            return " (never executed)".into();
        }
        let loops = self.loops as f64;
        // Per loop, printed with `%.0f` as PostgreSQL does (ties to even).
        let rows = self.rows as f64 / loops;
        if timing {
            format!(
                " (actual time={:.3}..{:.3} rows={rows:.0} loops={})",
                self.startup.as_secs_f64() * 1000.0 / loops,
                self.total.as_secs_f64() * 1000.0 / loops,
                self.loops
            )
        } else {
            format!(" (actual rows={rows:.0} loops={})", self.loops)
        }
    }
}

/// The counters of every node of one analysed plan, by node.
#[derive(Debug, Clone, Default)]
pub struct PlanInstrumentation {
    nodes: HashMap<usize, NodeCounters>,
    /// TIMING: whether times were measured.
    pub timing: bool,
    /// BUFFERS: the backend's buffer counters, read around each node call.
    pub buffer_probe: Option<fn() -> BufferUsage>,
}

impl PlanInstrumentation {
    /// The counters of `node` (a node of the plan that ran), `None` when no instrumented
    /// operator ran it.
    pub fn get(&self, node: &Plan) -> Option<&NodeCounters> {
        self.nodes.get(&key(node))
    }
}

fn key(node: &Plan) -> usize {
    node as *const Plan as usize
}

/// The counters shared by the operators of one running plan.
pub(crate) type SharedInstrumentation = Rc<RefCell<PlanInstrumentation>>;

/// A fresh, empty set of counters.
pub(crate) fn shared(
    timing: bool,
    buffer_probe: Option<fn() -> BufferUsage>,
) -> SharedInstrumentation {
    Rc::new(RefCell::new(PlanInstrumentation {
        nodes: HashMap::new(),
        timing,
        buffer_probe,
    }))
}

/// Wraps `inner` (the operator running `node`) so that it counts into `counters`.
pub(crate) fn wrap<'a>(
    inner: BoxedOperator<'a>,
    node: &Plan,
    counters: &SharedInstrumentation,
) -> BoxedOperator<'a> {
    let key = key(node);
    let (timing, buffer_probe) = {
        let mut all = counters.borrow_mut();
        all.nodes.entry(key).or_default();
        (all.timing, all.buffer_probe)
    };
    Box::new(Instrumented {
        inner,
        key,
        counters: counters.clone(),
        timing,
        buffer_probe,
        started: false,
        loop_time: Duration::ZERO,
        first_row: false,
    })
}

/// An operator counting what the operator it wraps does.
struct Instrumented<'a> {
    inner: BoxedOperator<'a>,
    key: usize,
    counters: SharedInstrumentation,
    timing: bool,
    buffer_probe: Option<fn() -> BufferUsage>,
    /// This loop has been asked for a row.
    started: bool,
    /// Time inside the node during this loop.
    loop_time: Duration,
    /// This loop returned its first row (or ended).
    first_row: bool,
}

impl Instrumented<'_> {
    fn record(&mut self, elapsed: Duration, buffers: BufferUsage, row: bool, ended: bool) {
        let mut all = self.counters.borrow_mut();
        let c = all.nodes.entry(self.key).or_default();
        c.buffers.add(&buffers);
        if !self.started {
            self.started = true;
            c.loops += 1;
        }
        self.loop_time += elapsed;
        c.total += elapsed;
        if row {
            c.rows += 1;
        }
        if !self.first_row && (row || ended) {
            self.first_row = true;
            c.startup += self.loop_time;
        }
    }
}

impl Operator for Instrumented<'_> {
    fn next(&mut self, ctx: &mut EvalContext<'_>) -> Result<Option<Vec<Datum>>> {
        let start = self.timing.then(Instant::now);
        let before = self.buffer_probe.map(|probe| probe());
        let result = self.inner.next(ctx);
        let elapsed = start.map_or(Duration::ZERO, |s| s.elapsed());
        let buffers = match (self.buffer_probe, before) {
            (Some(probe), Some(before)) => probe().since(&before),
            _ => BufferUsage::default(),
        };
        match &result {
            Ok(Some(_)) => self.record(elapsed, buffers, true, false),
            Ok(None) => self.record(elapsed, buffers, false, true),
            Err(_) => {}
        }
        result
    }

    fn rescan(&mut self, ctx: &mut EvalContext<'_>, params: &[Datum]) -> Result<()> {
        self.started = false;
        self.first_row = false;
        self.loop_time = Duration::ZERO;
        self.inner.rescan(ctx, params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_print_as_postgresql_does() {
        let never = NodeCounters::default();
        assert_eq!(never.text(true), " (never executed)");
        let c = NodeCounters {
            loops: 2,
            rows: 5,
            startup: Duration::from_micros(20),
            total: Duration::from_micros(3000),
            buffers: BufferUsage::default(),
        };
        // Rows and times are per loop; C's `%.0f` rounds 2.5 to even.
        assert_eq!(c.text(false), " (actual rows=2 loops=2)");
        assert_eq!(c.text(true), " (actual time=0.010..1.500 rows=2 loops=2)");
    }
}
