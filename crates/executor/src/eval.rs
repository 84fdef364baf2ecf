//! Expression evaluation: a [`TypedExpr`] is compiled once into a tree whose function
//! calls already point at their implementations, then evaluated per row.
//!
//! NULL handling follows SQL: strict functions return NULL on any NULL argument without
//! being called; AND/OR are three-valued; CASE, COALESCE and NULLIF evaluate lazily.

use std::cmp::Ordering;
use std::sync::Arc;

use tusk_sql::analyze::{CastKind, TypedExpr};
use tusk_sql::ast::{BoolTestKind, SqlValueFunction, SubLinkKind};
use tusk_types::adt::record::{Record, RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use crate::builtins::{self, Builtin, ScalarFn};
use crate::subquery::{hashed_test, HashedValues, SubqueryRunner};
use crate::{array_eval, io, EvalContext};
use tusk_sql::analyze::walk::is_correlated;

/// `pg_typeof(any)`: folded at compile time, since the argument's type is known then.
const PG_TYPEOF: Oid = Oid(1619);

enum Node {
    /// A binary-coercible cast between types whose values tusk represents differently
    /// (`integer` and the OID family).
    IntToOid(Box<Node>),
    OidToInt(Box<Node>),
    Const(Datum),
    Param(usize),
    Column(usize),
    Call {
        f: ScalarFn,
        args: Vec<Node>,
        strict: bool,
    },
    /// `enum_first`, `enum_last`, `enum_range` of enum `type_oid`.
    EnumSupport {
        f: crate::user_types::EnumSupport,
        type_oid: Oid,
        args: Vec<Node>,
    },
    /// A value of `type_oid` as JSON text (`datum_to_json`), NULL kept.
    ToJson {
        arg: Box<Node>,
        type_oid: Oid,
    },
    InOut {
        arg: Box<Node>,
        from: Oid,
        to: Oid,
        typmod: i32,
        explicit: bool,
    },
    Typmod {
        arg: Box<Node>,
        type_oid: Oid,
        typmod: i32,
        explicit: bool,
    },
    /// A value checked against a domain's constraints (`CastKind::Domain`); the checks
    /// read the value as their case test value.
    DomainCheck {
        arg: Box<Node>,
        domain: String,
        not_null: bool,
        checks: Vec<(String, Node)>,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    NullTest {
        arg: Box<Node>,
        is_null: bool,
    },
    BoolTest {
        arg: Box<Node>,
        kind: BoolTestKind,
    },
    Case {
        arg: Option<Box<Node>>,
        whens: Vec<(Node, Node)>,
        default: Box<Node>,
    },
    CaseTest,
    /// A built-in call whose trailing arguments are the elements of an array passed
    /// with `VARIADIC`: `fixed` are the arguments before it; each element goes through
    /// `templates[(fixed.len() + i) % templates.len()]` (its conversion to the declared
    /// argument type, reading the element as the case test value). A NULL array makes
    /// the result NULL, or no trailing arguments at all when `null_array_is_empty`
    /// (`format`).
    VariadicCall {
        f: ScalarFn,
        fixed: Vec<Node>,
        templates: Vec<Node>,
        array: Box<Node>,
        strict: bool,
        null_array_is_empty: bool,
    },
    /// A call of a user-defined function ([`crate::sql_function`]).
    UserCall {
        proc: Oid,
        /// The arguments' types (they resolve a polymorphic function's types).
        arg_types: Vec<Oid>,
        args: Vec<Node>,
    },
    Coalesce(Vec<Node>),
    MinMax {
        args: Vec<Node>,
        cmp: ScalarFn,
    },
    NullIf {
        left: Box<Node>,
        right: Box<Node>,
        eq: ScalarFn,
    },
    Distinct {
        not: bool,
        left: Box<Node>,
        right: Box<Node>,
        eq: ScalarFn,
    },
    SqlValue(SqlValueFunction),
    SubLink {
        kind: SubLinkKind,
        test: Option<Box<Node>>,
        runner: Box<SubqueryRunner>,
    },
    /// Column `column` of `SET (a, b, ...) = (subquery)`: the subquery runs once per
    /// computed row for all the columns of assignment `id`.
    MultiExprSubLink {
        id: usize,
        column: usize,
        runner: Box<SubqueryRunner>,
    },
    /// `left = ANY (uncorrelated subquery)` with hashable sides (PostgreSQL's hashed
    /// SubPlan): the subquery's values, each through `right`, are hashed once.
    HashedSubLink {
        left: Box<Node>,
        right: Box<Node>,
        runner: Box<SubqueryRunner>,
        table: std::cell::RefCell<Option<HashedValues>>,
    },
    ArrayBuild {
        elements: Vec<Node>,
        elem_type: Oid,
        multidims: bool,
    },
    Subscript {
        arg: Box<Node>,
        lower: Vec<Option<Node>>,
        upper: Vec<Option<Node>>,
        is_slice: bool,
    },
    /// Subscripted assignment (`array_eval::assign_subscripts`).
    SubscriptAssign {
        arg: Box<Node>,
        lower: Vec<Option<Node>>,
        upper: Vec<Option<Node>>,
        is_slice: bool,
        value: Box<Node>,
        elem_type: Oid,
        jsonb: Option<bool>,
    },
    /// A record with one field replaced; NULL becomes a record of `desc` first.
    FieldStore {
        arg: Box<Node>,
        field: usize,
        value: Box<Node>,
        desc: Arc<RecordDesc>,
    },
    ScalarArrayOp {
        f: ScalarFn,
        all: bool,
        strict: bool,
        left: Box<Node>,
        right: Box<Node>,
    },
    /// `ROW(...)`: a record of the values, shaped by `desc`.
    Row {
        args: Vec<Node>,
        desc: Arc<RecordDesc>,
    },
    /// `(arg).field`: NULL if the record is NULL.
    FieldSelect {
        arg: Box<Node>,
        field: usize,
    },
    /// A polymorphic function's array result labelled with the element type the
    /// analyzer resolved.
    ArrayLabel {
        arg: Box<Node>,
        elem_type: Oid,
    },
    /// An array cast element by element: `element` reads each element as the CASE
    /// operand ([`Node::CaseTest`]).
    ArrayMap {
        arg: Box<Node>,
        element: Box<Node>,
        target_element: Oid,
    },
}

/// A compiled expression.
pub struct ExprEvaluator {
    root: Node,
    type_oid: Oid,
}

fn scalar(proc: Oid) -> Result<ScalarFn> {
    match builtins::lookup(proc)? {
        Builtin::Scalar(f) => Ok(f),
        Builtin::Rows(_) => Err(Error::feature_not_supported(
            "functions returning records outside FROM",
        )),
        Builtin::Set(_) => Err(Error::feature_not_supported(
            "set-returning functions in this position",
        )),
    }
}

/// Whether values of `t` are `Datum::Oid` (oid, the reg* types, xid, cid).
fn is_oid_family(t: Oid) -> bool {
    use tusk_types::type_oid as t_;
    matches!(
        t,
        t_::OID
            | t_::REGPROC
            | t_::REGPROCEDURE
            | t_::REGOPER
            | t_::REGOPERATOR
            | t_::REGCLASS
            | t_::REGTYPE
            | t_::REGNAMESPACE
            | t_::REGROLE
    )
}

/// A binary-coercible cast: the value as is, except where tusk's representations differ.
fn relabel(inner: Node, from: Oid, to: Oid) -> Node {
    if from == tusk_types::type_oid::INT4 && is_oid_family(to) {
        Node::IntToOid(Box::new(inner))
    } else if is_oid_family(from) && to == tusk_types::type_oid::INT4 {
        Node::OidToInt(Box::new(inner))
    } else {
        inner
    }
}

/// A JSON constructor call: values become JSON text by their SQL types; the keys of
/// `*_build_object` become text through their output functions.
fn compile_json_constructor(
    proc: Oid,
    args: &[TypedExpr],
    strict: bool,
    shape: builtins::json_build::ConstructorArgs,
) -> Result<Node> {
    use builtins::json_build::ConstructorArgs;
    let mut compiled = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let node = compile(a)?;
        let is_key = shape == ConstructorArgs::KeyValuePairs && i % 2 == 0;
        compiled.push(if is_key && a.type_oid() != type_oid::TEXT {
            Node::InOut {
                arg: Box::new(node),
                from: a.type_oid(),
                to: type_oid::TEXT,
                typmod: -1,
                explicit: false,
            }
        } else if is_key {
            node
        } else {
            Node::ToJson {
                arg: Box::new(node),
                type_oid: a.type_oid(),
            }
        });
    }
    Ok(Node::Call {
        f: scalar(proc)?,
        args: compiled,
        strict,
    })
}

/// Compiles built-in call `call` whose last argument is `VARIADIC array` (of
/// `elem_type` elements): the call is compiled with an element in that place, which
/// gives the element's conversion to the declared argument type; `json_build_object`'s
/// elements alternate between key and value conversions.
fn compile_variadic_call(
    call: &TypedExpr,
    row: Option<&tusk_catalog::ProcRow>,
    array: &TypedExpr,
    elem_type: Oid,
) -> Result<Node> {
    let TypedExpr::Func {
        proc,
        args,
        ret,
        strict,
        retset,
    } = call
    else {
        return Err(Error::internal("VARIADIC array outside a call"));
    };
    let fixed_len = args.len() - 1;
    let pairs = row.and_then(|p| builtins::json_build::is_json_constructor(&p.src))
        == Some(builtins::json_build::ConstructorArgs::KeyValuePairs);
    let mut template_args = args[..fixed_len].to_vec();
    let element = TypedExpr::CaseTest {
        type_oid: elem_type,
    };
    template_args.push(element.clone());
    if pairs {
        template_args.push(element);
    }
    let compiled = compile(&TypedExpr::Func {
        proc: *proc,
        args: template_args,
        ret: *ret,
        strict: *strict,
        retset: *retset,
    })?;
    let array = Box::new(compile(array)?);
    let null_array_is_empty = row.is_some_and(|p| p.src == "text_format");
    let spread = |node: Node| -> Result<Node> {
        let Node::Call {
            f,
            mut args,
            strict,
        } = node
        else {
            return Err(Error::feature_not_supported(
                "VARIADIC with an argument other than ARRAY[...] for this function",
            ));
        };
        let templates = args.split_off(fixed_len);
        Ok(Node::VariadicCall {
            f,
            fixed: args,
            templates,
            array,
            strict,
            null_array_is_empty,
        })
    };
    match compiled {
        Node::ArrayLabel { arg, elem_type } => Ok(Node::ArrayLabel {
            arg: Box::new(spread(*arg)?),
            elem_type,
        }),
        other => spread(other),
    }
}

fn compile(e: &TypedExpr) -> Result<Node> {
    Ok(match e {
        TypedExpr::Const { value, .. } => Node::Const(value.clone()),
        TypedExpr::Param { index, .. } => Node::Param(*index),
        TypedExpr::Column { index, .. } => Node::Column(*index),
        TypedExpr::Aggregate(_) => {
            return Err(Error::internal(
                "aggregate call outside an aggregation (the analyzer replaces them)",
            ))
        }
        TypedExpr::Window(_) => {
            return Err(Error::internal(
                "window call outside a window operator (the analyzer replaces them)",
            ))
        }
        // The grouping rewrite replaces every GROUPING of an aggregating query; one left
        // over stands where no query level groups.
        TypedExpr::GroupingFunc { .. } => {
            return Err(tusk_types::pg_err!(
                GROUPING_ERROR,
                "arguments to GROUPING must be grouping expressions of the associated query level"
            ))
        }
        TypedExpr::Func { proc, args, .. } if *proc == PG_TYPEOF => {
            let t = args
                .first()
                .map(TypedExpr::type_oid)
                .unwrap_or(type_oid::UNKNOWN);
            Node::Const(Datum::Oid(t.0))
        }
        TypedExpr::Func {
            proc,
            args,
            strict,
            retset,
            ret,
        } => {
            if *retset {
                return Err(Error::feature_not_supported(
                    "set-returning functions inside expressions",
                ));
            }
            let row = tusk_catalog::builtin().proc_by_oid(*proc);
            if let Some(TypedExpr::VariadicArray { array, elem_type }) = args.last() {
                return compile_variadic_call(e, row, array, *elem_type);
            }
            if let Some(f) = row.and_then(|p| crate::user_types::EnumSupport::by_source(&p.src)) {
                let type_oid = args.first().map_or(*ret, TypedExpr::type_oid);
                return Ok(Node::EnumSupport {
                    f,
                    type_oid,
                    args: args.iter().map(compile).collect::<Result<_>>()?,
                });
            }
            if row.is_none() && crate::sql_function::is_user_function(*proc) {
                return Ok(Node::UserCall {
                    proc: *proc,
                    arg_types: args.iter().map(TypedExpr::type_oid).collect(),
                    args: args.iter().map(compile).collect::<Result<_>>()?,
                });
            }
            if let Some(shape) = row.and_then(|p| builtins::json_build::is_json_constructor(&p.src))
            {
                return compile_json_constructor(*proc, args, *strict, shape);
            }
            let declared = row.map(|p| p.arg_types.clone()).unwrap_or_default();
            // Range and multirange functions take their `anyelement` argument as the
            // range's subtype.
            let takes_range = declared
                .iter()
                .any(|d| matches!(d.0, 3831 | 5080 | 4537 | 4538));
            let mut compiled = Vec::with_capacity(args.len());
            for (i, a) in args.iter().enumerate() {
                let decl = declared
                    .get(i)
                    .copied()
                    .or(declared.last().copied())
                    .unwrap_or(type_oid::ANY);
                let node = compile(a)?;
                // "any" arguments and text||non-text arrive as text, through the type's output.
                let needs_text = decl == type_oid::ANY
                    || (matches!(decl.0, 2776 | 2283)
                        && !takes_range
                        && a.type_oid() != type_oid::TEXT);
                if needs_text && a.type_oid() != type_oid::TEXT {
                    // `text || non-text` goes through the type's cast to text where pg_cast
                    // has one (bool gives 'true', not 't'); "any" arguments (`concat`,
                    // `format`) and the rest through the type's output function.
                    let cast = tusk_catalog::builtin().cast(a.type_oid(), type_oid::TEXT);
                    if let Some(c) = cast.filter(|c| {
                        c.method == tusk_catalog::CastMethod::Function && decl != type_oid::ANY
                    }) {
                        compiled.push(Node::Call {
                            f: scalar(c.func)?,
                            args: vec![node],
                            strict: true,
                        });
                        continue;
                    }
                    compiled.push(Node::InOut {
                        arg: Box::new(node),
                        from: a.type_oid(),
                        to: type_oid::TEXT,
                        typmod: -1,
                        explicit: false,
                    });
                } else {
                    compiled.push(node);
                }
            }
            let call = Node::Call {
                f: scalar(*proc)?,
                args: compiled,
                strict: *strict,
            };
            let polymorphic_array = tusk_catalog::builtin()
                .proc_by_oid(*proc)
                .is_some_and(|p| matches!(p.ret_type, type_oid::ANYARRAY | Oid(5078)));
            match io::array_type_element(*ret) {
                Some(elem_type) if polymorphic_array => Node::ArrayLabel {
                    arg: Box::new(call),
                    elem_type,
                },
                _ => call,
            }
        }
        TypedExpr::Cast {
            arg,
            kind,
            target,
            typmod,
            explicit,
        } => {
            let inner = compile(arg)?;
            let from = arg.type_oid();
            let converted = match kind {
                CastKind::Func(proc) => {
                    let f = scalar(*proc)?;
                    let strict = tusk_catalog::builtin()
                        .proc_by_oid(*proc)
                        .is_none_or(|p| p.strict);
                    let mut args = vec![inner];
                    // Length-coercion functions (varchar(x, typmod, explicit)) take extra args.
                    let nargs = tusk_catalog::builtin()
                        .proc_by_oid(*proc)
                        .map(|p| p.arg_types.len())
                        .unwrap_or(1);
                    if nargs >= 2 {
                        args.push(Node::Const(Datum::Int4(*typmod)));
                    }
                    if nargs >= 3 {
                        args.push(Node::Const(Datum::Bool(*explicit)));
                    }
                    Node::Call { f, args, strict }
                }
                CastKind::Domain(d) => Node::DomainCheck {
                    arg: Box::new(inner),
                    domain: d.name.clone(),
                    not_null: d.not_null,
                    checks: d
                        .checks
                        .iter()
                        .map(|(name, check)| Ok((name.clone(), compile(check)?)))
                        .collect::<Result<_>>()?,
                },
                CastKind::InOut => Node::InOut {
                    arg: Box::new(inner),
                    from,
                    to: *target,
                    typmod: *typmod,
                    explicit: *explicit,
                },
                CastKind::Relabel => relabel(inner, from, *target),
                CastKind::ArrayCoerce {
                    element,
                    source_element,
                    target_element,
                } => {
                    let element_cast = TypedExpr::Cast {
                        arg: Box::new(TypedExpr::CaseTest {
                            type_oid: *source_element,
                        }),
                        kind: (**element).clone(),
                        target: *target_element,
                        typmod: *typmod,
                        explicit: *explicit,
                    };
                    Node::ArrayMap {
                        arg: Box::new(inner),
                        element: Box::new(compile(&element_cast)?),
                        target_element: *target_element,
                    }
                }
            };
            if *typmod >= 0 && !matches!(kind, CastKind::InOut | CastKind::ArrayCoerce { .. }) {
                Node::Typmod {
                    arg: Box::new(converted),
                    type_oid: *target,
                    typmod: *typmod,
                    explicit: *explicit,
                }
            } else {
                converted
            }
        }
        TypedExpr::And(args) => Node::And(args.iter().map(compile).collect::<Result<_>>()?),
        TypedExpr::Or(args) => Node::Or(args.iter().map(compile).collect::<Result<_>>()?),
        TypedExpr::Not(arg) => Node::Not(Box::new(compile(arg)?)),
        TypedExpr::Row {
            args,
            names,
            type_oid,
        } => Node::Row {
            args: args.iter().map(compile).collect::<Result<_>>()?,
            desc: Arc::new(RecordDesc {
                type_oid: *type_oid,
                fields: args
                    .iter()
                    .zip(names)
                    .map(|(a, name)| RecordField {
                        name: name.clone(),
                        type_oid: a.type_oid(),
                        typmod: a.typmod(),
                    })
                    .collect(),
            }),
        },
        TypedExpr::FieldSelect { arg, field, .. } => Node::FieldSelect {
            arg: Box::new(compile(arg)?),
            field: *field,
        },
        TypedExpr::NullTest { arg, is_null } => Node::NullTest {
            arg: Box::new(compile(arg)?),
            is_null: *is_null,
        },
        TypedExpr::BoolTest { arg, kind } => Node::BoolTest {
            arg: Box::new(compile(arg)?),
            kind: *kind,
        },
        TypedExpr::Case {
            arg,
            whens,
            default,
            ..
        } => Node::Case {
            arg: arg.as_deref().map(compile).transpose()?.map(Box::new),
            whens: whens
                .iter()
                .map(|(c, r)| Ok((compile(c)?, compile(r)?)))
                .collect::<Result<_>>()?,
            default: Box::new(compile(default)?),
        },
        TypedExpr::CaseTest { .. } => Node::CaseTest,
        TypedExpr::VariadicArray { .. } => {
            return Err(Error::internal(
                "VARIADIC array outside the last argument of a built-in call",
            ))
        }
        TypedExpr::Coalesce { args, .. } => {
            Node::Coalesce(args.iter().map(compile).collect::<Result<_>>()?)
        }
        TypedExpr::MinMax { args, cmp_proc, .. } => Node::MinMax {
            args: args.iter().map(compile).collect::<Result<_>>()?,
            cmp: scalar(*cmp_proc)?,
        },
        TypedExpr::NullIf {
            left,
            right,
            eq_proc,
            ..
        } => Node::NullIf {
            left: Box::new(compile(left)?),
            right: Box::new(compile(right)?),
            eq: scalar(*eq_proc)?,
        },
        TypedExpr::Distinct {
            not,
            left,
            right,
            eq_proc,
        } => Node::Distinct {
            not: *not,
            left: Box::new(compile(left)?),
            right: Box::new(compile(right)?),
            eq: scalar(*eq_proc)?,
        },
        TypedExpr::SqlValue { kind, .. } => Node::SqlValue(*kind),
        TypedExpr::OuterColumn { .. } => {
            return Err(Error::internal(
                "outer reference not bound before its subquery ran",
            ))
        }
        TypedExpr::SubLink {
            kind: SubLinkKind::Any,
            test: Some(test),
            query,
            ..
        } if !is_correlated(query) && hashed_test(test).is_some() => {
            let (left, right) = hashed_test(test).expect("checked in the guard");
            Node::HashedSubLink {
                left: Box::new(compile(left)?),
                right: Box::new(compile(right)?),
                runner: Box::new(SubqueryRunner::new(query, None)),
                table: std::cell::RefCell::new(None),
            }
        }
        TypedExpr::SubLink {
            kind: SubLinkKind::MultiExpr { id, column, .. },
            query,
            ..
        } => Node::MultiExprSubLink {
            id: *id,
            column: *column,
            runner: Box::new(SubqueryRunner::new(query, Some(2))),
        },
        TypedExpr::SubLink {
            kind, test, query, ..
        } => Node::SubLink {
            kind: *kind,
            test: test.as_deref().map(compile).transpose()?.map(Box::new),
            runner: Box::new(SubqueryRunner::new(
                query,
                match kind {
                    SubLinkKind::Exists => Some(1),
                    SubLinkKind::Expr => Some(2),
                    SubLinkKind::Any
                    | SubLinkKind::All
                    | SubLinkKind::Array
                    | SubLinkKind::MultiExpr { .. } => None,
                },
            )),
        },
        TypedExpr::Array {
            elements,
            elem_type,
            multidims,
            ..
        } => Node::ArrayBuild {
            elements: elements.iter().map(compile).collect::<Result<_>>()?,
            elem_type: *elem_type,
            multidims: *multidims,
        },
        TypedExpr::Subscript { arg, upper, .. }
            if crate::builtins::geo::subscript_fn(arg.type_oid()).is_some() =>
        {
            let f = crate::builtins::geo::subscript_fn(arg.type_oid()).expect("checked above");
            match upper.as_slice() {
                [Some(index)] => Node::Call {
                    f,
                    args: vec![compile(arg)?, compile(index)?],
                    strict: true,
                },
                _ => Node::Const(Datum::Null),
            }
        }
        TypedExpr::Subscript {
            arg,
            lower,
            upper,
            is_slice,
            ..
        } => Node::Subscript {
            arg: Box::new(compile(arg)?),
            lower: compile_subscripts(lower)?,
            upper: compile_subscripts(upper)?,
            is_slice: *is_slice,
        },
        TypedExpr::SubscriptAssign {
            arg,
            lower,
            upper,
            is_slice,
            value,
            elem_type,
            jsonb,
            ..
        } => Node::SubscriptAssign {
            arg: Box::new(compile(arg)?),
            lower: compile_subscripts(lower)?,
            upper: compile_subscripts(upper)?,
            is_slice: *is_slice,
            value: Box::new(compile(value)?),
            elem_type: *elem_type,
            jsonb: *jsonb,
        },
        TypedExpr::FieldStore {
            arg,
            field,
            value,
            fields,
            type_oid,
        } => Node::FieldStore {
            arg: Box::new(compile(arg)?),
            field: *field,
            value: Box::new(compile(value)?),
            desc: Arc::new(RecordDesc {
                type_oid: *type_oid,
                fields: fields
                    .iter()
                    .map(|(name, type_oid, typmod)| RecordField {
                        name: name.clone(),
                        type_oid: *type_oid,
                        typmod: *typmod,
                    })
                    .collect(),
            }),
        },
        TypedExpr::ScalarArrayOp {
            proc,
            all,
            strict,
            left,
            right,
        } => Node::ScalarArrayOp {
            f: scalar(*proc)?,
            all: *all,
            strict: *strict,
            left: Box::new(compile(left)?),
            right: Box::new(compile(right)?),
        },
    })
}

impl ExprEvaluator {
    /// Compiles an analysed expression.
    ///
    /// Errors: 0A000 when a function it calls is not implemented yet.
    pub fn compile(expr: &TypedExpr) -> Result<ExprEvaluator> {
        Ok(ExprEvaluator {
            root: compile(expr)?,
            type_oid: expr.type_oid(),
        })
    }

    /// The result type.
    pub fn type_oid(&self) -> Oid {
        self.type_oid
    }

    /// Evaluates over one input row.
    pub fn eval(&self, ctx: &mut EvalContext<'_>, row: &[Datum]) -> Result<Datum> {
        eval(&self.root, ctx, row, &Datum::Null)
    }
}

/// The subscripts of one side (lower or upper bounds) of a subscript node; an omitted
/// slice bound stays `None`.
fn compile_subscripts(v: &[Option<TypedExpr>]) -> Result<Vec<Option<Node>>> {
    v.iter()
        .map(|e| e.as_ref().map(compile).transpose())
        .collect()
}

/// The values of [`compile_subscripts`]' nodes for `row`.
fn eval_subscripts(
    v: &[Option<Node>],
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
    case_value: &Datum,
) -> Result<Vec<Option<Datum>>> {
    v.iter()
        .map(|n| {
            n.as_ref()
                .map(|n| eval(n, ctx, row, case_value))
                .transpose()
        })
        .collect()
}

fn truth(d: &Datum) -> Option<bool> {
    match d {
        Datum::Bool(b) => Some(*b),
        _ => None,
    }
}

fn eval(
    node: &Node,
    ctx: &mut EvalContext<'_>,
    row: &[Datum],
    case_value: &Datum,
) -> Result<Datum> {
    Ok(match node {
        Node::Const(v) => v.clone(),
        Node::Param(i) => ctx.params.get(*i).cloned().unwrap_or(Datum::Null),
        Node::Column(i) => row.get(*i).cloned().unwrap_or(Datum::Null),
        Node::Call { f, args, strict } => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                let v = eval(a, ctx, row, case_value)?;
                if *strict && v.is_null() {
                    return Ok(Datum::Null);
                }
                values.push(v);
            }
            f(ctx, &values)?
        }
        Node::VariadicCall {
            f,
            fixed,
            templates,
            array,
            strict,
            null_array_is_empty,
        } => {
            let mut values = Vec::with_capacity(fixed.len());
            for a in fixed {
                let v = eval(a, ctx, row, case_value)?;
                if *strict && v.is_null() {
                    return Ok(Datum::Null);
                }
                values.push(v);
            }
            match eval(array, ctx, row, case_value)? {
                Datum::Array(a) => {
                    for (i, element) in a.elems.iter().enumerate() {
                        let template = &templates[(fixed.len() + i) % templates.len()];
                        let v = eval(template, ctx, row, element)?;
                        if *strict && v.is_null() {
                            return Ok(Datum::Null);
                        }
                        values.push(v);
                    }
                }
                Datum::Null if *null_array_is_empty => {}
                Datum::Null => return Ok(Datum::Null),
                other => {
                    return Err(Error::internal(format!(
                        "VARIADIC argument is not an array: {other:?}"
                    )))
                }
            }
            f(ctx, &values)?
        }
        Node::UserCall {
            proc,
            arg_types,
            args,
        } => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                values.push(eval(a, ctx, row, case_value)?);
            }
            crate::sql_function::call_value(ctx, *proc, arg_types, &values)?
        }
        Node::IntToOid(arg) => match eval(arg, ctx, row, case_value)? {
            Datum::Int4(v) => Datum::Oid(v as u32),
            other => other,
        },
        Node::OidToInt(arg) => match eval(arg, ctx, row, case_value)? {
            Datum::Oid(v) => Datum::Int4(v as i32),
            other => other,
        },
        Node::EnumSupport { f, type_oid, args } => {
            let values = args
                .iter()
                .map(|a| eval(a, ctx, row, case_value))
                .collect::<Result<Vec<_>>>()?;
            f.call(&ctx.output.user_types, *type_oid, &values)?
        }
        Node::ToJson { arg, type_oid } => {
            let v = eval(arg, ctx, row, case_value)?;
            if v.is_null() {
                return Ok(Datum::Null);
            }
            let mut out = String::new();
            builtins::json_build::datum_to_json(&v, *type_oid, ctx.output, &mut out)?;
            Datum::Text(out)
        }
        Node::InOut {
            arg,
            from,
            to,
            typmod,
            explicit,
        } => {
            let v = eval(arg, ctx, row, case_value)?;
            if v.is_null() {
                return Ok(Datum::Null);
            }
            let text = io::text_out_string(&v, *from, ctx.output)?;
            let parsed = io::text_in(&text, *to, -1, ctx.output)?;
            apply_typmod(parsed, *to, *typmod, *explicit)?
        }
        Node::DomainCheck {
            arg,
            domain,
            not_null,
            checks,
        } => {
            let value = eval(arg, ctx, row, case_value)?;
            if value == Datum::Null && *not_null {
                return Err(pg_err!(
                    NOT_NULL_VIOLATION,
                    "domain {} does not allow null values",
                    domain
                ));
            }
            for (name, check) in checks {
                if eval(check, ctx, row, &value)? == Datum::Bool(false) {
                    return Err(pg_err!(
                        CHECK_VIOLATION,
                        "value for domain {} violates check constraint \"{}\"",
                        domain,
                        name
                    ));
                }
            }
            value
        }
        Node::Typmod {
            arg,
            type_oid,
            typmod,
            explicit,
        } => apply_typmod(
            eval(arg, ctx, row, case_value)?,
            *type_oid,
            *typmod,
            *explicit,
        )?,
        Node::And(args) => {
            let mut saw_null = false;
            for a in args {
                match truth(&eval(a, ctx, row, case_value)?) {
                    Some(false) => return Ok(Datum::Bool(false)),
                    None => saw_null = true,
                    Some(true) => {}
                }
            }
            if saw_null {
                Datum::Null
            } else {
                Datum::Bool(true)
            }
        }
        Node::Or(args) => {
            let mut saw_null = false;
            for a in args {
                match truth(&eval(a, ctx, row, case_value)?) {
                    Some(true) => return Ok(Datum::Bool(true)),
                    None => saw_null = true,
                    Some(false) => {}
                }
            }
            if saw_null {
                Datum::Null
            } else {
                Datum::Bool(false)
            }
        }
        Node::Not(arg) => match truth(&eval(arg, ctx, row, case_value)?) {
            Some(b) => Datum::Bool(!b),
            None => Datum::Null,
        },
        Node::NullTest { arg, is_null } => match eval(arg, ctx, row, case_value)? {
            // A record IS NULL when every field is, IS NOT NULL when none is.
            Datum::Record(r) if *is_null => Datum::Bool(r.values.iter().all(Datum::is_null)),
            Datum::Record(r) => Datum::Bool(!r.values.iter().any(Datum::is_null)),
            v => Datum::Bool(v.is_null() == *is_null),
        },
        Node::Row { args, desc } => {
            let values = args
                .iter()
                .map(|a| eval(a, ctx, row, case_value))
                .collect::<Result<Vec<_>>>()?;
            Datum::Record(Box::new(Record::new(desc.clone(), values)))
        }
        Node::FieldSelect { arg, field } => match eval(arg, ctx, row, case_value)? {
            Datum::Record(mut r) if *field < r.values.len() => r.values.swap_remove(*field),
            Datum::Null => Datum::Null,
            other => {
                return Err(Error::internal(format!(
                    "field {field} selected from {other:?}"
                )))
            }
        },
        Node::BoolTest { arg, kind } => {
            let v = truth(&eval(arg, ctx, row, case_value)?);
            Datum::Bool(match kind {
                BoolTestKind::IsTrue => v == Some(true),
                BoolTestKind::IsNotTrue => v != Some(true),
                BoolTestKind::IsFalse => v == Some(false),
                BoolTestKind::IsNotFalse => v != Some(false),
                BoolTestKind::IsUnknown => v.is_none(),
                BoolTestKind::IsNotUnknown => v.is_some(),
            })
        }
        Node::Case {
            arg,
            whens,
            default,
        } => {
            let operand = match arg {
                Some(a) => eval(a, ctx, row, case_value)?,
                None => case_value.clone(),
            };
            for (cond, result) in whens {
                if truth(&eval(cond, ctx, row, &operand)?) == Some(true) {
                    return eval(result, ctx, row, case_value);
                }
            }
            eval(default, ctx, row, case_value)?
        }
        Node::CaseTest => case_value.clone(),
        Node::HashedSubLink {
            left,
            right,
            runner,
            table,
        } => {
            if table.borrow().is_none() {
                let values = runner.values(ctx, row)?;
                let mut hashed = HashedValues {
                    rows: values.len(),
                    ..HashedValues::default()
                };
                for v in &values {
                    let key = eval(right, ctx, row, v)?;
                    if key.is_null() {
                        hashed.any_null = true;
                    } else {
                        hashed.keys.insert(crate::operator::key_part(&key));
                    }
                }
                *table.borrow_mut() = Some(hashed);
            }
            let value = eval(left, ctx, row, case_value)?;
            let table = table.borrow();
            let hashed = table.as_ref().expect("built above");
            if hashed.rows == 0 {
                Datum::Bool(false)
            } else if value.is_null() {
                Datum::Null
            } else if hashed.keys.contains(&crate::operator::key_part(&value)) {
                Datum::Bool(true)
            } else if hashed.any_null {
                Datum::Null
            } else {
                Datum::Bool(false)
            }
        }
        Node::MultiExprSubLink { id, column, runner } => {
            crate::subquery::multi_expr_value(runner, *id, *column, ctx, row)?
        }
        Node::SubLink { kind, test, runner } => {
            let values = runner.values(ctx, row)?;
            match kind {
                SubLinkKind::Exists => Datum::Bool(!values.is_empty()),
                SubLinkKind::Expr | SubLinkKind::MultiExpr { .. } => {
                    if values.len() > 1 {
                        return Err(tusk_types::pg_err!(
                            CARDINALITY_VIOLATION,
                            "more than one row returned by a subquery used as an expression"
                        ));
                    }
                    values.into_iter().next().unwrap_or(Datum::Null)
                }
                SubLinkKind::Array => {
                    let elem_type = runner.column_type(0);
                    Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
                        elem_type, values,
                    )))
                }
                SubLinkKind::Any | SubLinkKind::All => {
                    let any = *kind == SubLinkKind::Any;
                    let test = test
                        .as_deref()
                        .ok_or_else(|| Error::internal("ANY/ALL without a comparison"))?;
                    let mut saw_null = false;
                    for v in &values {
                        match truth(&eval(test, ctx, row, v)?) {
                            Some(b) if b == any => return Ok(Datum::Bool(any)),
                            Some(_) => {}
                            None => saw_null = true,
                        }
                    }
                    if saw_null {
                        Datum::Null
                    } else {
                        Datum::Bool(!any)
                    }
                }
            }
        }
        Node::Coalesce(args) => {
            for a in args {
                let v = eval(a, ctx, row, case_value)?;
                if !v.is_null() {
                    return Ok(v);
                }
            }
            Datum::Null
        }
        Node::MinMax { args, cmp, .. } => {
            let mut best: Option<Datum> = None;
            for a in args {
                let v = eval(a, ctx, row, case_value)?;
                if v.is_null() {
                    continue;
                }
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        if truth(&cmp(ctx, &[v.clone(), b.clone()])?) == Some(true) {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            best.unwrap_or(Datum::Null)
        }
        Node::NullIf { left, right, eq } => {
            let l = eval(left, ctx, row, case_value)?;
            let r = eval(right, ctx, row, case_value)?;
            if !l.is_null() && !r.is_null() && truth(&eq(ctx, &[l.clone(), r])?) == Some(true) {
                Datum::Null
            } else {
                l
            }
        }
        Node::Distinct {
            not,
            left,
            right,
            eq,
        } => {
            let l = eval(left, ctx, row, case_value)?;
            let r = eval(right, ctx, row, case_value)?;
            let distinct = match (l.is_null(), r.is_null()) {
                (true, true) => false,
                (true, false) | (false, true) => true,
                (false, false) => truth(&eq(ctx, &[l, r])?) != Some(true),
            };
            Datum::Bool(distinct != *not)
        }
        Node::ArrayBuild {
            elements,
            elem_type,
            multidims,
        } => {
            let mut values = Vec::with_capacity(elements.len());
            for e in elements {
                values.push(eval(e, ctx, row, case_value)?);
            }
            array_eval::build_array(values, *elem_type, *multidims)?
        }
        Node::Subscript {
            arg,
            lower,
            upper,
            is_slice,
        } => {
            let array = eval(arg, ctx, row, case_value)?;
            let lower = eval_subscripts(lower, ctx, row, case_value)?;
            let upper = eval_subscripts(upper, ctx, row, case_value)?;
            if *is_slice {
                array_eval::fetch_slice(&array, &lower, &upper)
            } else {
                let subscripts: Vec<Datum> = upper
                    .into_iter()
                    .map(|u| u.unwrap_or(Datum::Null))
                    .collect();
                array_eval::fetch_element(&array, &subscripts)
            }
        }
        Node::SubscriptAssign {
            arg,
            lower,
            upper,
            is_slice,
            value,
            elem_type,
            jsonb,
        } => {
            let container = eval(arg, ctx, row, case_value)?;
            let lower = eval_subscripts(lower, ctx, row, case_value)?;
            let upper = eval_subscripts(upper, ctx, row, case_value)?;
            array_eval::check_assignment_subscripts(&lower, &upper, jsonb.is_some())?;
            let value = eval(value, ctx, row, case_value)?;
            match jsonb {
                Some(expect_array) => {
                    array_eval::assign_jsonb(container, &upper, value, *expect_array)?
                }
                None => array_eval::assign_subscripts(
                    container, &lower, &upper, *is_slice, value, *elem_type,
                )?,
            }
        }
        Node::FieldStore {
            arg,
            field,
            value,
            desc,
        } => {
            let mut record = match eval(arg, ctx, row, case_value)? {
                Datum::Record(r) => r,
                Datum::Null => Box::new(Record::new(
                    desc.clone(),
                    vec![Datum::Null; desc.fields.len()],
                )),
                other => {
                    return Err(Error::internal(format!(
                        "field {field} stored into {other:?}"
                    )))
                }
            };
            let value = eval(value, ctx, row, case_value)?;
            match record.values.get_mut(*field) {
                Some(slot) => *slot = value,
                None => return Err(Error::internal(format!("record has no field {field}"))),
            }
            Datum::Record(record)
        }
        Node::ScalarArrayOp {
            f,
            all,
            strict,
            left,
            right,
        } => {
            let l = eval(left, ctx, row, case_value)?;
            let r = eval(right, ctx, row, case_value)?;
            array_eval::scalar_array_op(ctx, *f, *strict, *all, l, &r)?
        }
        Node::ArrayLabel { arg, elem_type } => match eval(arg, ctx, row, case_value)? {
            Datum::Array(mut a) => {
                a.elem_type = *elem_type;
                Datum::Array(a)
            }
            other => other,
        },
        Node::ArrayMap {
            arg,
            element,
            target_element,
        } => match eval(arg, ctx, row, case_value)? {
            Datum::Array(a) => {
                let mut elems = Vec::with_capacity(a.elems.len());
                for e in &a.elems {
                    elems.push(if e.is_null() {
                        Datum::Null
                    } else {
                        eval(element, ctx, row, e)?
                    });
                }
                Datum::Array(Box::new(tusk_types::adt::array::Array {
                    elem_type: *target_element,
                    dims: a.dims.clone(),
                    elems,
                }))
            }
            other => other,
        },
        Node::SqlValue(kind) => match kind {
            SqlValueFunction::CurrentTimestamp => Datum::TimestampTz(ctx.transaction_start),
            SqlValueFunction::LocalTimestamp => {
                let offset = ctx
                    .output
                    .time_zone
                    .utc_to_local(ctx.transaction_start)
                    .offset as i64;
                Datum::Timestamp(ctx.transaction_start + offset * 1_000_000)
            }
            SqlValueFunction::CurrentDate => {
                let offset = ctx
                    .output
                    .time_zone
                    .utc_to_local(ctx.transaction_start)
                    .offset as i64;
                Datum::Date(
                    (ctx.transaction_start + offset * 1_000_000).div_euclid(86_400_000_000) as i32,
                )
            }
            SqlValueFunction::LocalTime | SqlValueFunction::CurrentTime => {
                let offset = ctx
                    .output
                    .time_zone
                    .utc_to_local(ctx.transaction_start)
                    .offset;
                let time = (ctx.transaction_start + i64::from(offset) * 1_000_000)
                    .rem_euclid(86_400_000_000);
                if matches!(kind, SqlValueFunction::CurrentTime) {
                    Datum::Bytea(
                        tusk_types::adt::datetime::TimeTz {
                            time,
                            offset_secs: offset,
                        }
                        .to_key(),
                    )
                } else {
                    Datum::Time(time)
                }
            }
            SqlValueFunction::CurrentRole
            | SqlValueFunction::CurrentUser
            | SqlValueFunction::User => Datum::Text(ctx.current_user.to_string()),
            SqlValueFunction::SessionUser => Datum::Text(ctx.session_user.to_string()),
            SqlValueFunction::CurrentCatalog => Datum::Text(ctx.database.to_string()),
            SqlValueFunction::CurrentSchema => Datum::Text("public".to_string()),
        },
    })
}

/// Enforces a typmod on a value of `type_oid` (varchar/char lengths, numeric precision).
fn apply_typmod(v: Datum, type_oid: Oid, typmod: i32, explicit: bool) -> Result<Datum> {
    if typmod < 0 || v.is_null() {
        return Ok(v);
    }
    match (type_oid, v) {
        (type_oid::VARCHAR | type_oid::BPCHAR, v) => {
            io::apply_char_typmod(v, type_oid, typmod, explicit)
        }
        (type_oid::NUMERIC, Datum::Numeric(n)) => {
            Ok(Datum::Numeric(io::apply_numeric_typmod(n, typmod)?))
        }
        (type_oid::TIME, Datum::Time(t)) => Ok(Datum::Time(
            tusk_types::adt::datetime::time::adjust_time_for_typmod(t, typmod),
        )),
        (type_oid::TIMETZ, Datum::Bytea(key)) => {
            let mut t = tusk_types::adt::datetime::TimeTz::from_key(&key)
                .ok_or_else(|| Error::internal("malformed timetz datum"))?;
            t.time = tusk_types::adt::datetime::time::adjust_time_for_typmod(t.time, typmod);
            Ok(Datum::Bytea(t.to_key()))
        }
        (type_oid::BIT | type_oid::VARBIT, Datum::Bytea(key)) => {
            use tusk_types::adt::bit::{malformed, BitString};
            let b = BitString::from_key(&key).ok_or_else(malformed)?;
            let b = if type_oid == type_oid::BIT {
                b.coerce_bit(typmod as usize, explicit)?
            } else {
                b.coerce_varbit(typmod as usize, explicit)?
            };
            Ok(Datum::Bytea(b.to_key()))
        }
        (type_oid::TIMESTAMP, Datum::Timestamp(t)) => Ok(Datum::Timestamp(
            tusk_types::adt::datetime::timestamp::adjust_timestamp_for_typmod(t, typmod)?,
        )),
        (type_oid::TIMESTAMPTZ, Datum::TimestampTz(t)) => Ok(Datum::TimestampTz(
            tusk_types::adt::datetime::timestamp::adjust_timestamp_for_typmod(t, typmod)?,
        )),
        (
            type_oid::INTERVAL,
            Datum::Interval {
                months,
                days,
                micros,
            },
        ) => {
            let iv = tusk_types::adt::datetime::interval_parse::adjust_interval_for_typmod(
                tusk_types::adt::datetime::Interval {
                    months,
                    days,
                    micros,
                },
                typmod,
            )?;
            Ok(Datum::Interval {
                months: iv.months,
                days: iv.days,
                micros: iv.micros,
            })
        }
        (_, Datum::Array(mut a)) => {
            let elem_type = a.elem_type;
            a.elems = std::mem::take(&mut a.elems)
                .into_iter()
                .map(|e| apply_typmod(e, elem_type, typmod, explicit))
                .collect::<Result<_>>()?;
            Ok(Datum::Array(a))
        }
        (_, v) => Ok(v),
    }
}

/// Sort order of two values by a `<` function; NULLs placed by `nulls_first`.
pub(crate) fn sort_compare(
    ctx: &mut EvalContext<'_>,
    lt: ScalarFn,
    a: &Datum,
    b: &Datum,
    descending: bool,
    nulls_first: bool,
) -> Result<Ordering> {
    let ord = match (a.is_null(), b.is_null()) {
        (true, true) => return Ok(Ordering::Equal),
        (true, false) => {
            return Ok(if nulls_first {
                Ordering::Less
            } else {
                Ordering::Greater
            })
        }
        (false, true) => {
            return Ok(if nulls_first {
                Ordering::Greater
            } else {
                Ordering::Less
            })
        }
        (false, false) => {
            if truth(&lt(ctx, &[a.clone(), b.clone()])?) == Some(true) {
                Ordering::Less
            } else if truth(&lt(ctx, &[b.clone(), a.clone()])?) == Some(true) {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
    };
    Ok(if descending { ord.reverse() } else { ord })
}
