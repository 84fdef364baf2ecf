//! User-defined aggregates (CREATE AGGREGATE): a state value of the aggregate's state
//! type, folded by calling its transition function once per input row, and its final
//! function (if any) applied at the end. Either function may be built in, SQL or
//! PL/pgSQL: each call is an ordinary function-call expression over parameters, so it
//! runs exactly as the same call written in SQL would.
//!
//! Rules (PostgreSQL's `advance_transition_function` and `finalize_aggregate`):
//! 1. The state starts as `agginitval` read by the state type's input function, or NULL.
//! 2. With a strict transition function, a row with any NULL argument is skipped; if
//!    the initial value is NULL, the first row's first argument becomes the state
//!    without a call; a state that became NULL later stays NULL (the function is not
//!    called with it).
//! 3. A strict final function with a NULL state gives NULL without a call; with
//!    `FINALFUNC_EXTRA` it takes one NULL per aggregated argument after the state (and,
//!    for an ordered-set aggregate, after the direct arguments).
//!
//! Entry point: [`UserAggregate::new`].

use std::rc::Rc;

use tusk_sql::analyze::{AggregateDefinition, TypedExpr};
use tusk_types::{Datum, Result};

use super::aggregate::AggState;
use crate::{EvalContext, ExprEvaluator};

/// A user-defined aggregate ready to run for one call's types.
pub struct UserAggregate {
    definition: AggregateDefinition,
    /// `transfn($1 state, $2.. arguments)`.
    transition: ExprEvaluator,
    /// `finalfn($1 state, [direct arguments], [NULL extras])`.
    finalize: Option<ExprEvaluator>,
    transition_strict: bool,
    final_strict: bool,
}

impl std::fmt::Debug for UserAggregate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAggregate")
            .field("definition", &self.definition)
            .finish()
    }
}

/// A call of `proc` over parameters of `types` (`$1` first) returning `ret`, not strict
/// (strictness is the aggregate's rule, applied before the call).
fn call_over_params(
    proc: tusk_types::Oid,
    types: &[tusk_types::Oid],
    ret: tusk_types::Oid,
) -> TypedExpr {
    TypedExpr::Func {
        proc,
        args: types
            .iter()
            .enumerate()
            .map(|(index, t)| TypedExpr::Param {
                index,
                type_oid: *t,
            })
            .collect(),
        ret,
        strict: false,
        retset: false,
    }
}

impl UserAggregate {
    /// The aggregate `definition` (types resolved for the call, see
    /// [`AggregateDefinition`]) returning `ret`, whose aggregated arguments follow
    /// `direct` direct ones.
    ///
    /// Errors: those of compiling the calls (a transition function tusk cannot run).
    pub fn new(
        definition: &AggregateDefinition,
        ret: tusk_types::Oid,
        direct: usize,
    ) -> Result<Rc<UserAggregate>> {
        let aggregated = &definition.arg_types[direct.min(definition.arg_types.len())..];
        let mut trans_types = vec![definition.transtype];
        trans_types.extend_from_slice(aggregated);
        let transition = ExprEvaluator::compile(&call_over_params(
            definition.transfn,
            &trans_types,
            definition.transtype,
        ))?;
        let finalize = match definition.finalfn {
            Some(f) => {
                let mut types = vec![definition.transtype];
                types.extend_from_slice(&definition.arg_types[..direct]);
                if definition.final_extra {
                    types.extend_from_slice(aggregated);
                }
                Some(ExprEvaluator::compile(&call_over_params(f, &types, ret))?)
            }
            None => None,
        };
        Ok(Rc::new(UserAggregate {
            definition: definition.clone(),
            transition,
            finalize,
            transition_strict: definition.transfn_strict,
            final_strict: definition.finalfn_strict,
        }))
    }

    /// A fresh state for one group.
    pub fn start(self: &Rc<Self>) -> Box<dyn AggState> {
        Box::new(UserState {
            aggregate: self.clone(),
            value: None,
            direct: Vec::new(),
        })
    }

    fn initial(&self, ctx: &EvalContext<'_>) -> Result<Datum> {
        match &self.definition.initval {
            Some(text) => crate::io::text_in(text, self.definition.transtype, -1, ctx.output),
            None => Ok(Datum::Null),
        }
    }
}

/// One group's state: `None` until the first row or the end (rule 1), then the value
/// and whether it is still the "no value yet" NULL of rule 2.
struct UserState {
    aggregate: Rc<UserAggregate>,
    value: Option<(Datum, bool)>,
    direct: Vec<Datum>,
}

impl UserState {
    fn state(&mut self, ctx: &EvalContext<'_>) -> Result<&mut (Datum, bool)> {
        if self.value.is_none() {
            let initial = self.aggregate.initial(ctx)?;
            let empty = self.aggregate.definition.initval.is_none();
            self.value = Some((initial, empty));
        }
        Ok(self.value.as_mut().expect("set above"))
    }
}

impl AggState for UserState {
    fn advance(&mut self, ctx: &mut EvalContext<'_>, args: &[Datum]) -> Result<()> {
        let strict = self.aggregate.transition_strict;
        let (value, no_value) = self.state(ctx)?.clone();
        if strict {
            if args.iter().any(Datum::is_null) {
                return Ok(());
            }
            if no_value {
                self.value = Some((args.first().cloned().unwrap_or(Datum::Null), false));
                return Ok(());
            }
            if value.is_null() {
                return Ok(());
            }
        }
        let mut params = Vec::with_capacity(args.len() + 1);
        params.push(value);
        params.extend_from_slice(args);
        let next = {
            let mut inner = ctx.with_params(&params);
            self.aggregate.transition.eval(&mut inner, &[])?
        };
        self.value = Some((next, false));
        Ok(())
    }

    fn finish(&self, ctx: &mut EvalContext<'_>) -> Result<Datum> {
        let value = match &self.value {
            Some((v, _)) => v.clone(),
            None => self.aggregate.initial(ctx)?,
        };
        let Some(finalize) = &self.aggregate.finalize else {
            return Ok(value);
        };
        if self.aggregate.final_strict && value.is_null() {
            return Ok(Datum::Null);
        }
        let def = &self.aggregate.definition;
        let mut params = vec![value];
        params.extend(self.direct.iter().cloned());
        if def.final_extra {
            let aggregated = def.arg_types.len().saturating_sub(self.direct.len());
            params.extend(std::iter::repeat_n(Datum::Null, aggregated));
        }
        let mut inner = ctx.with_params(&params);
        finalize.eval(&mut inner, &[])
    }

    fn set_direct_args(&mut self, direct: &[Datum]) {
        self.direct = direct.to_vec();
    }
}
