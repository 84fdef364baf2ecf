//! Expression analysis: [`crate::ast::Expr`] to [`TypedExpr`].

use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::coerce::{is_polymorphic, CoercionContext};
use super::resolve::{Candidate, Selection};
use super::typed::TypedExpr;
use super::{Analyzer, FuncCandidate, OperCandidate};
use crate::ast::{Expr, Literal, SqlValueFunction, SubLinkKind, TypeName};

/// The names an expression can see: the namespace items of the FROM clause (PostgreSQL's
/// `p_namespace`), in FROM order. The default scope sees nothing (no FROM).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Namespace items.
    pub items: Vec<ScopeItem>,
    /// The enclosing query's scope, for correlated references (`None` at the top).
    pub outer: Option<Box<Scope>>,
}

/// One namespace item: a relation, subquery, function or join of the FROM clause.
#[derive(Debug, Clone)]
pub struct ScopeItem {
    /// The name it is referred to by (alias, else relation or function name); `None`
    /// for a join without an alias.
    pub name: Option<String>,
    /// Its columns, in order.
    pub columns: Vec<ScopeColumn>,
    /// Visible to qualified references (`name.column`, `name.*`).
    pub rel_visible: bool,
    /// Visible to unqualified column references and `*`.
    pub cols_visible: bool,
    /// The relation's own name when an alias replaced it (for PostgreSQL's "invalid
    /// reference to FROM-clause entry" error).
    pub relation: Option<String>,
    /// Its system columns (`ctid`, `xmin`, ...: see `system_columns.rs`), found by name
    /// only after its own columns and never part of `*`; empty for items other than
    /// relations, and for relations of statements that do not reference them.
    pub system_columns: Vec<ScopeColumn>,
    /// On the null-extended side of an outer join: a whole-row reference to it is NULL
    /// when all its columns are (PostgreSQL nulls the whole-row Var).
    pub nullable: bool,
    /// For a table with a primary key: the FROM-row slots of the key's columns (empty
    /// otherwise). Grouping by all of them makes the table's other columns grouped too.
    pub primary_key: Vec<usize>,
    /// What the item is, for the locking clause (`FOR UPDATE OF name`).
    pub kind: super::row_mark::ItemKind,
}

/// One visible column.
#[derive(Debug, Clone)]
pub struct ScopeColumn {
    /// Column name.
    pub name: String,
    /// Its value over the FROM row: a [`TypedExpr::Column`], or for a merged column of a
    /// FULL JOIN USING, the COALESCE of both sides.
    pub expr: TypedExpr,
}

impl ScopeColumn {
    /// A column that is slot `index` of the FROM row.
    pub fn slot(name: String, index: usize, type_oid: Oid, typmod: i32) -> ScopeColumn {
        ScopeColumn {
            name,
            expr: TypedExpr::Column {
                index,
                type_oid,
                typmod,
                location: usize::MAX,
            },
        }
    }
}

impl Scope {
    /// A scope of one unnamed item with `columns`.
    pub fn single(name: Option<String>, columns: Vec<ScopeColumn>) -> Scope {
        Scope {
            items: vec![ScopeItem {
                rel_visible: name.is_some(),
                name,
                columns,
                cols_visible: true,
                relation: None,
                system_columns: Vec::new(),
                nullable: false,
                primary_key: Vec::new(),
                kind: super::row_mark::ItemKind::Other,
            }],
            outer: None,
        }
    }

    /// The item `name.` refers to.
    ///
    /// Errors: 42P01 `missing FROM-clause entry for table "t"`, or `invalid reference to
    /// FROM-clause entry for table "t"` when `t` is a relation known by an alias.
    pub(crate) fn qualified(&self, name: &str) -> Result<&ScopeItem> {
        if let Some(item) = self
            .items
            .iter()
            .find(|i| i.rel_visible && i.name.as_deref() == Some(name))
        {
            return Ok(item);
        }
        if self
            .items
            .iter()
            .any(|i| !i.rel_visible && !i.cols_visible && i.name.as_deref() == Some(name))
        {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "invalid reference to FROM-clause entry for table \"{}\"",
                name
            )
            .hint(format!(
                "There is an entry for table \"{name}\", but it cannot be referenced from this part of the query."
            )));
        }
        if let Some(item) = self
            .items
            .iter()
            .find(|i| i.relation.as_deref() == Some(name))
        {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "invalid reference to FROM-clause entry for table \"{}\"",
                name
            )
            .hint(format!(
                "Perhaps you meant to reference the table alias \"{}\".",
                item.name.as_deref().unwrap_or_default()
            )));
        }
        Err(pg_err!(
            UNDEFINED_TABLE,
            "missing FROM-clause entry for table \"{}\"",
            name
        ))
    }
}

/// The aggregate-call parts of a function call.
pub(crate) struct FuncExtras<'e> {
    /// `f(*)`.
    pub star: bool,
    /// `f(DISTINCT ...)`.
    pub distinct: bool,
    /// `FILTER (WHERE ...)`.
    pub filter: Option<&'e Expr>,
    /// `ORDER BY` inside the call.
    pub order_by: &'e [crate::ast::SortBy],
    /// `OVER (...)`.
    pub over: Option<&'e crate::ast::WindowSpec>,
    /// `WITHIN GROUP (ORDER BY ...)`: `order_by` holds the aggregated arguments.
    pub within_group: bool,
    /// `VARIADIC` before the last argument.
    pub variadic: bool,
    /// Names of arguments in named notation and their locations (see `Expr::Func`);
    /// empty if none.
    pub arg_names: &'e [Option<(String, usize)>],
}

/// Whether `arg` is an `ARRAY[...]` constructor of plain values (not empty, no nested
/// `ARRAY[...]`), which a `VARIADIC` call spreads at analysis time.
fn is_array_constructor(arg: Option<&Expr>) -> bool {
    matches!(arg, Some(Expr::Array(elements, _))
        if !elements.is_empty() && !elements.iter().any(|e| matches!(e, Expr::Array(..))))
}

/// Where each argument of a call in named notation goes among `f`'s declared arguments:
/// positional ones first, named ones by name; `None` if a name is unknown, a position is
/// filled twice, or a left-out argument has no default (PostgreSQL's
/// `MatchNamedCall`).
fn named_slots(f: &FuncCandidate, names: &[Option<String>]) -> Option<Vec<usize>> {
    let nargs = f.args.len();
    if f.variadic != Oid::INVALID || f.arg_names.len() != nargs || names.len() > nargs {
        return None;
    }
    let mut filled = vec![false; nargs];
    let mut slots = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let slot = match name {
            None => i,
            Some(n) => f.arg_names.iter().position(|a| a == n)?,
        };
        if filled[slot] {
            return None;
        }
        filled[slot] = true;
        slots.push(slot);
    }
    let first_default = nargs - f.defaults.len();
    if filled[..first_default].iter().any(|f| !f) {
        return None;
    }
    Some(slots)
}

/// A column of an enclosing query's scope, seen from `levels_up` levels inside.
fn outer_reference(e: TypedExpr, levels_up: usize) -> TypedExpr {
    match e {
        TypedExpr::Column {
            index,
            type_oid,
            typmod,
            location,
        } => TypedExpr::OuterColumn {
            levels_up,
            index,
            type_oid,
            typmod,
            location,
        },
        other => other
            .map_children(&mut |c| Ok(outer_reference(c, levels_up)))
            .expect("the rewrite cannot fail"),
    }
}

#[derive(Clone)]
struct OperCand(OperCandidate, Vec<Oid>);

impl Candidate for OperCand {
    fn arg_types(&self) -> &[Oid] {
        &self.1
    }
}

#[derive(Clone)]
struct FuncCand(FuncCandidate);

impl Candidate for FuncCand {
    fn arg_types(&self) -> &[Oid] {
        &self.0.args
    }
}

impl Analyzer<'_> {
    /// Analyses an expression in `scope`.
    ///
    /// Errors: 42703 undefined column, 42883 undefined function/operator (with PostgreSQL's
    /// HINT), 42725 ambiguous function/operator, 42804 datatype mismatch, 42P18
    /// indeterminate parameter type, 0A000 for constructs tusk cannot evaluate yet, and
    /// the input errors of literals cast to a type; each with the cursor position.
    pub fn analyze_expr(&mut self, expr: &Expr, scope: &Scope) -> Result<TypedExpr> {
        match expr {
            Expr::Const(lit, location) => self.literal(lit, *location),
            Expr::Column(fields, location) => self.column(fields, scope, *location),
            Expr::Param(n, location) => {
                let index = *n as usize;
                if index == 0 {
                    return Err(self.at(
                        pg_err!(UNDEFINED_PARAMETER, "there is no parameter ${n}"),
                        *location,
                    ));
                }
                if self.param_types.len() < index {
                    self.param_types.resize(index, Oid::INVALID);
                }
                let t = self.param_types[index - 1];
                Ok(TypedExpr::Param {
                    index: index - 1,
                    type_oid: if t == Oid::INVALID {
                        type_oid::UNKNOWN
                    } else {
                        t
                    },
                })
            }
            Expr::Op {
                name,
                left: Some(left),
                right,
                location,
            } if matches!((&**left, &**right), (Expr::Row(..), Expr::Row(..))) => {
                self.row_comparison(name, left, right, *location, scope)
            }
            Expr::Op {
                name,
                left,
                right,
                location,
            } => {
                let l = left
                    .as_deref()
                    .map(|e| self.analyze_expr(e, scope))
                    .transpose()?;
                let r = self.analyze_expr(right, scope)?;
                self.make_op(name, l, r, *location)
            }
            Expr::Row(items, _) => self.row_constructor(items, scope),
            Expr::Grouping(args, location) => self.grouping_call(args, *location, scope),
            Expr::FieldSelect { arg, field } => self.field_select(arg, field, scope),
            Expr::Distinct {
                not,
                left,
                right,
                location,
            } if matches!((&**left, &**right), (Expr::Row(..), Expr::Row(..))) => {
                let (Expr::Row(l, _), Expr::Row(r, _)) = (&**left, &**right) else {
                    unreachable!("matched above");
                };
                self.check_row_sizes(l, r, *location)?;
                let mut tests = Vec::with_capacity(l.len());
                for (a, b) in l.iter().zip(r) {
                    let (a, b, proc) = self.equality(a, b, *location, scope)?;
                    tests.push(TypedExpr::Distinct {
                        not: *not,
                        left: Box::new(a),
                        right: Box::new(b),
                        eq_proc: proc,
                    });
                }
                Ok(if *not {
                    TypedExpr::And(tests)
                } else {
                    TypedExpr::Or(tests)
                })
            }
            Expr::Distinct {
                not,
                left,
                right,
                location,
            } => {
                let (left, right, proc) = self.equality(left, right, *location, scope)?;
                Ok(TypedExpr::Distinct {
                    not: *not,
                    left: Box::new(left),
                    right: Box::new(right),
                    eq_proc: proc,
                })
            }
            Expr::NullIf(a, b, location) => {
                let (left, right, proc) = self.equality(a, b, *location, scope)?;
                let type_oid = left.type_oid();
                Ok(TypedExpr::NullIf {
                    left: Box::new(left),
                    right: Box::new(right),
                    eq_proc: proc,
                    type_oid,
                })
            }
            Expr::InList {
                expr,
                list,
                negated,
                location,
            } => {
                let mut tests = Vec::with_capacity(list.len());
                for item in list {
                    let op = if *negated { "<>" } else { "=" };
                    if matches!((&**expr, item), (Expr::Row(..), Expr::Row(..))) {
                        tests.push(self.row_comparison(op, expr, item, *location, scope)?);
                        continue;
                    }
                    let l = self.analyze_expr(expr, scope)?;
                    let r = self.analyze_expr(item, scope)?;
                    tests.push(self.make_op(op, Some(l), r, *location)?);
                }
                Ok(if *negated {
                    TypedExpr::And(tests)
                } else {
                    TypedExpr::Or(tests)
                })
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
                symmetric,
                location,
            } => {
                let range = |this: &mut Self, lo: &Expr, hi: &Expr| -> Result<TypedExpr> {
                    let a = this.analyze_expr(expr, scope)?;
                    let l = this.analyze_expr(lo, scope)?;
                    let ge = this.make_op(">=", Some(a), l, *location)?;
                    let a = this.analyze_expr(expr, scope)?;
                    let h = this.analyze_expr(hi, scope)?;
                    let le = this.make_op("<=", Some(a), h, *location)?;
                    Ok(TypedExpr::And(vec![ge, le]))
                };
                let mut test = range(self, low, high)?;
                if *symmetric {
                    test = TypedExpr::Or(vec![test, range(self, high, low)?]);
                }
                Ok(if *negated {
                    TypedExpr::Not(Box::new(test))
                } else {
                    test
                })
            }
            Expr::And(args) | Expr::Or(args) => {
                let word = if matches!(expr, Expr::And(_)) {
                    "AND"
                } else {
                    "OR"
                };
                let mut out = Vec::with_capacity(args.len());
                for a in args {
                    let e = self.analyze_expr(a, scope)?;
                    out.push(self.coerce_to_boolean(e, word, a.location())?);
                }
                Ok(if word == "AND" {
                    TypedExpr::And(out)
                } else {
                    TypedExpr::Or(out)
                })
            }
            Expr::Not(arg) => {
                let e = self.analyze_expr(arg, scope)?;
                Ok(TypedExpr::Not(Box::new(self.coerce_to_boolean(
                    e,
                    "NOT",
                    arg.location(),
                )?)))
            }
            Expr::Func {
                name,
                args,
                star,
                distinct,
                filter,
                order_by,
                over,
                within_group,
                variadic,
                arg_names,
                location,
            } => self.func_call(
                name,
                args,
                FuncExtras {
                    star: *star,
                    distinct: *distinct,
                    filter: filter.as_deref(),
                    order_by,
                    over: over.as_deref(),
                    within_group: *within_group,
                    variadic: *variadic,
                    arg_names,
                },
                *location,
                scope,
            ),
            Expr::Cast {
                arg,
                type_name,
                location,
            } => {
                let (target, typmod) = self.resolve_type_name(type_name)?;
                let e = match arg.as_ref() {
                    Expr::Array(elements, at) if self.array_element_type(target).is_some() => {
                        self.array_constructor(elements, *at, Some((target, typmod)), scope)?
                    }
                    _ => self.analyze_expr(arg, scope)?,
                };
                let at = if *location == usize::MAX {
                    arg.location()
                } else {
                    *location
                };
                self.coerce(e, target, typmod, CoercionContext::Explicit, at)
            }
            Expr::NullTest { arg, is_null, .. } if matches!(&**arg, Expr::Row(..)) => {
                // A row IS NULL when every field is; IS NOT NULL when none is.
                let Expr::Row(items, _) = &**arg else {
                    unreachable!("matched above");
                };
                let tests = items
                    .iter()
                    .map(|e| {
                        Ok(TypedExpr::NullTest {
                            arg: Box::new(self.analyze_expr(e, scope)?),
                            is_null: *is_null,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(TypedExpr::And(tests))
            }
            Expr::NullTest { arg, is_null, .. } => Ok(TypedExpr::NullTest {
                arg: Box::new(self.analyze_expr(arg, scope)?),
                is_null: *is_null,
            }),
            Expr::BoolTest { arg, kind, .. } => {
                let e = self.analyze_expr(arg, scope)?;
                Ok(TypedExpr::BoolTest {
                    arg: Box::new(self.coerce_to_boolean(e, "IS TRUE", arg.location())?),
                    kind: *kind,
                })
            }
            Expr::Case {
                arg,
                whens,
                default,
                location,
            } => self.case(arg.as_deref(), whens, default.as_deref(), *location, scope),
            Expr::Coalesce(args, location) => {
                let typed = args
                    .iter()
                    .map(|a| self.analyze_expr(a, scope))
                    .collect::<Result<Vec<_>>>()?;
                let (args, type_oid) = self.unify(typed, "COALESCE", *location)?;
                Ok(TypedExpr::Coalesce { args, type_oid })
            }
            Expr::MinMax {
                greatest,
                args,
                location,
            } => {
                let typed = args
                    .iter()
                    .map(|a| self.analyze_expr(a, scope))
                    .collect::<Result<Vec<_>>>()?;
                let word = if *greatest { "GREATEST" } else { "LEAST" };
                let (args, type_oid) = self.unify(typed, word, *location)?;
                let cmp =
                    self.comparison_proc(if *greatest { ">" } else { "<" }, type_oid, *location)?;
                Ok(TypedExpr::MinMax {
                    greatest: *greatest,
                    args,
                    cmp_proc: cmp,
                    type_oid,
                })
            }
            Expr::Array(elements, location) => {
                self.array_constructor(elements, *location, None, scope)
            }
            Expr::Subscript { arg, indices } => self.subscript(arg, indices, scope),
            Expr::AnyAll {
                name,
                left,
                right,
                all,
                location,
            } => self.scalar_array_op(name, left, right, *all, *location, scope),
            Expr::SqlValue(kind, precision, _) => Ok(TypedExpr::SqlValue {
                kind: *kind,
                precision: *precision,
                type_oid: match kind {
                    SqlValueFunction::CurrentDate => type_oid::DATE,
                    SqlValueFunction::CurrentTime => type_oid::TIMETZ,
                    SqlValueFunction::CurrentTimestamp => type_oid::TIMESTAMPTZ,
                    SqlValueFunction::LocalTime => type_oid::TIME,
                    SqlValueFunction::LocalTimestamp => type_oid::TIMESTAMP,
                    _ => type_oid::NAME,
                },
            }),
            Expr::SubLink {
                kind,
                test,
                op,
                query,
                location,
            } => self.sub_link(*kind, test.as_deref(), op, query, *location, scope),
            Expr::Xml(x) => self.xml_expr(x, scope),
            Expr::Unsupported(what, location) => {
                Err(self.at(Error::feature_not_supported(what), *location))
            }
            Expr::Default(location) => Err(self.at(
                pg_err!(SYNTAX_ERROR, "DEFAULT is not allowed in this context"),
                *location,
            )),
        }
    }

    /// Resolves `a = b` and returns both operands coerced to the operator's input types,
    /// with the operator's function (for IS DISTINCT FROM and NULLIF).
    fn equality(
        &mut self,
        a: &Expr,
        b: &Expr,
        location: usize,
        scope: &Scope,
    ) -> Result<(TypedExpr, TypedExpr, Oid)> {
        let l = self.analyze_expr(a, scope)?;
        let r = self.analyze_expr(b, scope)?;
        match self.make_op("=", Some(l), r, location)? {
            TypedExpr::Func { proc, args, .. } if args.len() == 2 => {
                let mut args = args.into_iter();
                match (args.next(), args.next()) {
                    (Some(left), Some(right)) => Ok((left, right, proc)),
                    _ => Err(Error::internal("= without operands")),
                }
            }
            _ => Err(Error::internal("= did not resolve to a binary function")),
        }
    }

    fn literal(&mut self, lit: &Literal, location: usize) -> Result<TypedExpr> {
        Ok(match lit {
            Literal::Integer(i) => match i32::try_from(*i) {
                Ok(v) => TypedExpr::Const {
                    value: Datum::Int4(v),
                    type_oid: type_oid::INT4,
                    typmod: -1,
                    location: usize::MAX,
                },
                Err(_) => TypedExpr::Const {
                    value: Datum::Int8(*i),
                    type_oid: type_oid::INT8,
                    typmod: -1,
                    location: usize::MAX,
                },
            },
            Literal::Numeric(text) => {
                // PostgreSQL: an integer-looking literal that fits in bigint is bigint.
                // PostgreSQL's make_const: a numeric literal that is an integer (the
                // grammar folds a leading minus in) is int4 if it fits, else int8.
                let integral = text.strip_prefix('-').unwrap_or(text);
                if let (true, Ok(v)) = (
                    !integral.is_empty() && integral.bytes().all(|b| b.is_ascii_digit()),
                    text.parse::<i64>(),
                ) {
                    if let Ok(small) = i32::try_from(v) {
                        return Ok(TypedExpr::Const {
                            value: Datum::Int4(small),
                            type_oid: type_oid::INT4,
                            typmod: -1,
                            location: usize::MAX,
                        });
                    }
                    TypedExpr::Const {
                        value: Datum::Int8(v),
                        type_oid: type_oid::INT8,
                        typmod: -1,
                        location: usize::MAX,
                    }
                } else {
                    let value = self
                        .catalog
                        .input_literal(text, type_oid::NUMERIC, -1)
                        .map_err(|e| self.at(e, location))?;
                    TypedExpr::Const {
                        value,
                        type_oid: type_oid::NUMERIC,
                        typmod: -1,
                        location: usize::MAX,
                    }
                }
            }
            Literal::String(s) => TypedExpr::Const {
                value: Datum::Text(s.clone()),
                type_oid: type_oid::UNKNOWN,
                typmod: -1,
                location,
            },
            Literal::Bool(b) => TypedExpr::Const {
                value: Datum::Bool(*b),
                type_oid: type_oid::BOOL,
                typmod: -1,
                location: usize::MAX,
            },
            Literal::Null => TypedExpr::Const {
                value: Datum::Null,
                type_oid: type_oid::UNKNOWN,
                typmod: -1,
                location,
            },
            // B'1010' and X'1F' (the scanner keeps the b/x prefix): a `bit` constant of
            // the literal's own length, as PostgreSQL's make_const gives.
            Literal::BitString(text) => TypedExpr::Const {
                value: Datum::Bytea(
                    tusk_types::adt::bit::BitString::parse(text)
                        .map_err(|e| self.at(e, location))?
                        .to_key(),
                ),
                type_oid: type_oid::BIT,
                typmod: -1,
                location: usize::MAX,
            },
        })
    }

    fn column(&mut self, fields: &[String], scope: &Scope, location: usize) -> Result<TypedExpr> {
        let (relation, name) = match fields {
            [name] => (None, name),
            [rel, name] => (Some(rel), name),
            [.., rel, name] => (Some(rel), name),
            [] => return Err(Error::internal("empty column reference")),
        };
        if name == "*" {
            // `t.*` in an expression: the whole row of `t`.
            if let Some(row) = relation.and_then(|rel| self.whole_row_ref(rel, scope, location)) {
                return Ok(row);
            }
            // `r.*` of a row or record variable (PL/pgSQL, a trigger's WHEN `OLD.*`): the
            // variable's whole value.
            let variable = &fields[..fields.len() - 1];
            if let Some(value) = self.param_resolver.and_then(|r| r.resolve(variable)) {
                return Ok(value);
            }
            return Err(self.at(
                Error::feature_not_supported("a whole-row reference"),
                location,
            ));
        }
        // This query's names first, then each enclosing query's (PostgreSQL's
        // colNameToVar walking up the parse states).
        let mut level = scope;
        let mut levels_up = 0;
        loop {
            if let Some(found) = self.column_at_level(relation, name, level, location)? {
                if let Some(resolver) = self.param_resolver {
                    if resolver.conflict_is_error() && resolver.resolve(fields).is_some() {
                        return Err(self.at(
                            pg_err!(
                                AMBIGUOUS_COLUMN,
                                "column reference \"{}\" is ambiguous",
                                fields.join(".")
                            )
                            .detail(
                                "It could refer to either a PL/pgSQL variable or a table column.",
                            ),
                            location,
                        ));
                    }
                }
                let found = self.domain_base_column(found);
                return Ok(if levels_up == 0 {
                    found
                } else {
                    outer_reference(found, levels_up)
                });
            }
            match &level.outer {
                Some(outer) => {
                    level = outer;
                    levels_up += 1;
                }
                None => break,
            }
        }
        // A lone name that no column has may name a FROM item: its whole row.
        if relation.is_none() {
            if let Some(row) = self.whole_row_ref(name, scope, location) {
                return Ok(row);
            }
        }
        if let Some(param) = self.param_resolver.and_then(|r| r.resolve(fields)) {
            return Ok(param);
        }
        Err(match relation {
            Some(rel) => match scope.qualified(rel) {
                Err(e) => {
                    // An entry this part of the query may not see, at any level, is
                    // the better message.
                    let mut level = Some(scope);
                    let mut best = e;
                    while let Some(l) = level {
                        if let Err(e) = l.qualified(rel) {
                            if e.message.starts_with("invalid reference") {
                                best = e;
                                break;
                            }
                        }
                        level = l.outer.as_deref();
                    }
                    self.at(best, location)
                }
                Ok(_) => self.at(
                    pg_err!(UNDEFINED_COLUMN, "column {}.{} does not exist", rel, name),
                    location,
                ),
            },
            None => self.at(
                pg_err!(UNDEFINED_COLUMN, "column \"{}\" does not exist", name),
                location,
            ),
        })
    }

    /// The whole row of the FROM item `name` visible in `scope` or an enclosing query's
    /// (PostgreSQL's `transformWholeRowRef`); `None` if there is none.
    fn whole_row_ref(&self, name: &str, scope: &Scope, location: usize) -> Option<TypedExpr> {
        let mut level = Some(scope);
        let mut levels_up = 0;
        while let Some(l) = level {
            if let Ok(item) = l.qualified(name) {
                let row_type = match item.kind {
                    super::row_mark::ItemKind::Relation(rel) => self.catalog.relation_row_type(rel),
                    _ => None,
                };
                let row = super::record::whole_row(item, row_type, location);
                return Some(if levels_up == 0 {
                    row
                } else {
                    outer_reference(row, levels_up)
                });
            }
            level = l.outer.as_deref();
            levels_up += 1;
        }
        None
    }

    /// A column reference resolved in one query level's names: `None` if that level has
    /// no such relation or column.
    ///
    /// Errors: 42702 ambiguous; 42703 when the named relation is here but lacks it.
    fn column_at_level(
        &self,
        relation: Option<&String>,
        name: &str,
        scope: &Scope,
        location: usize,
    ) -> Result<Option<TypedExpr>> {
        let ambiguous = |this: &Self| {
            this.at(
                pg_err!(
                    AMBIGUOUS_COLUMN,
                    "column reference \"{}\" is ambiguous",
                    name
                ),
                location,
            )
        };
        let mut found: Option<&ScopeColumn> = None;
        match relation {
            None => {
                for item in scope.items.iter().filter(|i| i.cols_visible) {
                    // PostgreSQL's scanNSItemForColumn: system columns after the item's
                    // own.
                    let own = if item.columns.iter().any(|c| c.name == name) {
                        &item.columns
                    } else {
                        &item.system_columns
                    };
                    for c in own.iter().filter(|c| c.name == name) {
                        if found.is_some() {
                            return Err(ambiguous(self));
                        }
                        found = Some(c);
                    }
                }
            }
            Some(rel) => {
                let Ok(item) = scope.qualified(rel) else {
                    return Ok(None);
                };
                for c in item.columns.iter().filter(|c| c.name == name) {
                    if found.is_some() {
                        return Err(ambiguous(self));
                    }
                    found = Some(c);
                }
                if found.is_none() {
                    found = item.system_columns.iter().find(|c| c.name == name);
                }
                if found.is_none() {
                    return Err(self.at(
                        pg_err!(UNDEFINED_COLUMN, "column {}.{} does not exist", rel, name),
                        location,
                    ));
                }
            }
        }
        Ok(found.map(|c| match &c.expr {
            TypedExpr::Column {
                index,
                type_oid,
                typmod,
                ..
            } => TypedExpr::Column {
                index: *index,
                type_oid: *type_oid,
                typmod: *typmod,
                location,
            },
            other => other.clone(),
        }))
    }

    /// A subquery in an expression (PostgreSQL's `transformSubLink`).
    ///
    /// Errors: 42601 `subquery must return only one column` / `subquery has too many
    /// columns`; the operator errors of ANY/ALL; every error of the subquery.
    fn sub_link(
        &mut self,
        kind: SubLinkKind,
        test: Option<&Expr>,
        op: &str,
        query: &crate::ast::SelectStmt,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        self.pending_outer = Some(scope.clone());
        let q = self.analyze_select(query)?;
        self.pending_outer = None;
        let (test, type_oid) = match kind {
            SubLinkKind::Exists => (None, type_oid::BOOL),
            SubLinkKind::Expr => {
                if q.columns.len() != 1 {
                    return Err(self.at(
                        pg_err!(SYNTAX_ERROR, "subquery must return only one column"),
                        location,
                    ));
                }
                (None, q.columns[0].type_oid)
            }
            SubLinkKind::MultiExpr {
                column, columns, ..
            } => {
                if q.columns.len() != columns {
                    return Err(self.at(
                        pg_err!(
                            SYNTAX_ERROR,
                            "number of columns does not match number of values"
                        ),
                        location,
                    ));
                }
                (None, q.columns[column].type_oid)
            }
            SubLinkKind::Array => {
                if q.columns.len() != 1 {
                    return Err(self.at(
                        pg_err!(SYNTAX_ERROR, "subquery must return only one column"),
                        location,
                    ));
                }
                let elem = q.columns[0].type_oid;
                let array = self.array_type_of(elem).ok_or_else(|| {
                    self.at(
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "could not find array type for data type {}",
                            self.catalog.format_type(elem)
                        ),
                        location,
                    )
                })?;
                (None, array)
            }
            SubLinkKind::Any | SubLinkKind::All => {
                let Some(test) = test else {
                    return Err(Error::internal("ANY/ALL without a tested value"));
                };
                // A row on the left compares with the subquery's columns pair by pair.
                let (test, width) = match test {
                    Expr::Row(elems, _) if elems.len() == 1 => (&elems[0], 1),
                    Expr::Row(elems, _) => (test, elems.len()),
                    _ => (test, 1),
                };
                if q.columns.len() != width {
                    let msg = if q.columns.len() > width {
                        "subquery has too many columns"
                    } else {
                        "subquery has too few columns"
                    };
                    return Err(self.at(pg_err!(SYNTAX_ERROR, "{}", msg), location));
                }
                if let Expr::Row(elems, _) = test {
                    let cmp = self.row_sublink_test(op, elems, &q, location, scope)?;
                    return Ok(TypedExpr::SubLink {
                        kind,
                        test: Some(Box::new(cmp)),
                        query: Box::new(q),
                        type_oid: type_oid::BOOL,
                    });
                }
                let left = self.analyze_expr(test, scope)?;
                let right = TypedExpr::CaseTest {
                    type_oid: q.columns[0].type_oid,
                };
                let cmp = self.make_op(op, Some(left), right, location)?;
                if cmp.type_oid() != type_oid::BOOL {
                    return Err(self.at(
                        pg_err!(
                            WRONG_OBJECT_TYPE,
                            "op ANY/ALL (array) requires operator to yield boolean"
                        ),
                        location,
                    ));
                }
                (Some(Box::new(cmp)), type_oid::BOOL)
            }
        };
        Ok(TypedExpr::SubLink {
            kind,
            test,
            query: Box::new(q),
            type_oid,
        })
    }

    /// PostgreSQL's `coerce_to_specific_type`: `e` as `target` where an assignment cast
    /// allows it.
    ///
    /// Errors: 42804 `argument of CONSTRUCT must be type x, not type y`; the coercion's
    /// errors (an unknown literal's input).
    pub(crate) fn coerce_to_specific_type(
        &mut self,
        e: TypedExpr,
        target: Oid,
        construct: &str,
        location: usize,
    ) -> Result<TypedExpr> {
        let from = e.type_oid();
        if from != type_oid::UNKNOWN
            && from != target
            && !self.can_coerce(from, target, CoercionContext::Assignment)
        {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "argument of {} must be type {}, not type {}",
                    construct,
                    self.catalog.format_type(target),
                    self.catalog.format_type(from)
                ),
                location,
            ));
        }
        self.coerce(e, target, -1, CoercionContext::Assignment, location)
    }

    /// Coerces a condition to boolean: 42804 `argument of AND must be type boolean, not type integer`.
    pub fn coerce_to_boolean(
        &mut self,
        e: TypedExpr,
        construct: &str,
        location: usize,
    ) -> Result<TypedExpr> {
        let t = e.type_oid();
        if t == type_oid::BOOL {
            return Ok(e);
        }
        if !self.can_coerce(t, type_oid::BOOL, CoercionContext::Assignment) {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "argument of {} must be type boolean, not type {}",
                    construct,
                    self.catalog.format_type(t)
                ),
                location,
            ));
        }
        self.coerce(e, type_oid::BOOL, -1, CoercionContext::Assignment, location)
    }

    /// Resolves an operator and builds the call of its function.
    pub(crate) fn make_op(
        &mut self,
        name: &str,
        left: Option<TypedExpr>,
        right: TypedExpr,
        location: usize,
    ) -> Result<TypedExpr> {
        let inputs: Vec<Oid> = match &left {
            Some(l) => vec![l.type_oid(), right.type_oid()],
            None => vec![right.type_oid()],
        };
        let prefix = left.is_none();
        let operators = self.catalog.operators(name);
        if let Some(op) = exact_operator(&operators, &inputs, prefix) {
            return self.finish_op(op, left, right, prefix, location);
        }
        let candidates: Vec<OperCand> = operators
            .into_iter()
            .filter(|o| (o.left == Oid::INVALID) == prefix)
            .map(|o| {
                let args = if prefix {
                    vec![o.right]
                } else {
                    vec![o.left, o.right]
                };
                OperCand(o, args)
            })
            .collect();
        let describe = |this: &Self| match &left {
            Some(_) => format!(
                "{} {} {}",
                this.catalog.format_type(inputs[0]),
                name,
                this.catalog.format_type(inputs[1])
            ),
            None => format!("{} {}", name, this.catalog.format_type(inputs[0])),
        };
        let chosen = match self.select_candidate(&inputs, candidates) {
            Selection::Unique(c) => c,
            Selection::Ambiguous => {
                return Err(self.at(
                    pg_err!(AMBIGUOUS_FUNCTION, "operator is not unique: {}", describe(self)).hint(
                        "Could not choose a best candidate operator. You might need to add explicit type casts.",
                    ),
                    location,
                ))
            }
            Selection::None => {
                return Err(self.at(
                    pg_err!(UNDEFINED_FUNCTION, "operator does not exist: {}", describe(self)).hint(
                        "No operator matches the given name and argument types. You might need to add explicit type casts.",
                    ),
                    location,
                ))
            }
        };
        self.finish_op(chosen.0, left, right, prefix, location)
    }

    /// The call of operator `op` on its coerced operands.
    fn finish_op(
        &mut self,
        op: OperCandidate,
        left: Option<TypedExpr>,
        right: TypedExpr,
        prefix: bool,
        location: usize,
    ) -> Result<TypedExpr> {
        let declared = if prefix {
            vec![op.right]
        } else {
            vec![op.left, op.right]
        };
        let mut args = Vec::with_capacity(2);
        if let Some(l) = left {
            args.push(l);
        }
        args.push(right);
        let args = self.coerce_args(args, &declared, location)?;
        let ret = self.resolve_polymorphic_result(op.result, &declared, &args);
        let strict = self.catalog.function(op.proc).is_none_or(|f| f.strict);
        Ok(TypedExpr::Func {
            proc: op.proc,
            args,
            ret,
            strict,
            retset: false,
        })
    }

    pub(crate) fn coerce_args(
        &mut self,
        args: Vec<TypedExpr>,
        declared: &[Oid],
        location: usize,
    ) -> Result<Vec<TypedExpr>> {
        self.coerce_call_args(args, declared, Oid::INVALID, location)
    }

    /// The arguments of a call of a function declared to take `declared` and return
    /// `ret` (which decides what an undeterminable polymorphic type is reported as),
    /// coerced to the types it takes.
    pub(crate) fn coerce_call_args(
        &mut self,
        args: Vec<TypedExpr>,
        declared: &[Oid],
        ret: Oid,
        location: usize,
    ) -> Result<Vec<TypedExpr>> {
        let args = self.unify_anycompatible(args, declared, location)?;
        self.check_polymorphic_determined(&args, declared, ret)?;
        let unknown_targets: Vec<Oid> = declared
            .iter()
            .map(|t| self.unknown_polymorphic_target(&args, declared, *t))
            .collect();
        let mut unknown_targets = unknown_targets.into_iter();
        args.into_iter()
            .zip(
                declared
                    .iter()
                    .copied()
                    .chain(std::iter::repeat(type_oid::ANY)),
            )
            .map(|(a, t)| {
                let unknown_target = unknown_targets.next().unwrap_or(type_oid::TEXT);
                if is_polymorphic(t) {
                    // An unknown literal passed to a polymorphic argument takes the type
                    // the other polymorphic arguments give it, else text.
                    if a.type_oid() == type_oid::UNKNOWN {
                        return self.coerce(
                            a,
                            unknown_target,
                            -1,
                            CoercionContext::Implicit,
                            location,
                        );
                    }
                    return Ok(a);
                }
                self.coerce(a, t, -1, CoercionContext::Implicit, location)
            })
            .collect()
    }

    pub(crate) fn resolve_polymorphic_result(
        &self,
        ret: Oid,
        declared: &[Oid],
        args: &[TypedExpr],
    ) -> Oid {
        let actual: Vec<Oid> = args.iter().map(TypedExpr::type_oid).collect();
        self.resolve_polymorphic_type(ret, declared, &actual)
    }

    /// The concrete type polymorphic type `ret` stands for in a call whose arguments,
    /// declared `declared`, have the types `actual`: fixed by the first argument of
    /// the same family (`anyelement`'s or `anycompatible`'s) whose type is known, else
    /// by the first polymorphic argument; `text` when nothing fixes it. A type that
    /// is not polymorphic is returned as is.
    pub fn resolve_polymorphic_type(&self, ret: Oid, declared: &[Oid], actual: &[Oid]) -> Oid {
        if !is_polymorphic(ret) {
            return ret;
        }
        let family = |t: Oid| matches!(t.0, 5077..=5080 | 4538);
        let polymorphic = |d: &Oid| is_polymorphic(*d) && *d != type_oid::ANY;
        let pairs = || declared.iter().zip(actual);
        let ranges = |t: Oid| matches!(t.0, 3831 | 5080 | 4537 | 4538);
        let known = |d: &Oid, a: &Oid| {
            polymorphic(d) && family(*d) == family(ret) && *a != type_oid::UNKNOWN
        };
        // A range or multirange result is fixed by a range or multirange argument
        // first (its element type may be coerced to the range's subtype).
        let actual = pairs()
            .find(|(d, a)| known(d, a) && ranges(**d) && ranges(ret))
            .or_else(|| pairs().find(|(d, a)| known(d, a)))
            .or_else(|| pairs().find(|(d, _)| polymorphic(d)))
            .map(|(d, a)| (*d, *a));
        let Some((decl, actual)) = actual else {
            return type_oid::TEXT;
        };
        if matches!(decl.0, 3831 | 5080 | 4537 | 4538) || matches!(ret.0, 3831 | 5080 | 4537 | 4538)
        {
            return self.resolve_range_polymorphism(ret, decl, actual);
        }
        let decl_is_array = matches!(decl.0, 2277 | 5078);
        let ret_is_array = matches!(ret.0, 2277 | 5078);
        match (decl_is_array, ret_is_array) {
            (true, false) => self
                .catalog
                .type_info(actual)
                .map(|t| t.elem)
                .unwrap_or(actual),
            (false, true) => {
                let name = self
                    .catalog
                    .type_info(actual)
                    .map(|t| format!("_{}", t.name));
                name.and_then(|n| self.catalog.type_by_name(&n))
                    .map(|t| t.oid)
                    .unwrap_or(actual)
            }
            _ => actual,
        }
    }

    /// A polymorphic result when ranges or multiranges are involved: the subtype of an
    /// `anyrange` argument for `anyelement` (`lower`, `upper`), the range itself for
    /// `anyrange` (`range_merge`), the range over an `anyelement` argument's type
    /// otherwise; a multirange argument stands for its range type, and an
    /// `anymultirange` result is the multirange over the range so found.
    fn resolve_range_polymorphism(&self, ret: Oid, decl: Oid, actual: Oid) -> Oid {
        use tusk_types::adt::range::range_type_of;
        let range_subtype = |t: Oid| self.catalog.range_subtype(t);
        let range_multirange_type = |t: Oid| self.catalog.range_multirange(t);
        // A multirange argument fixes the range type its ranges have.
        let (decl, actual) = if matches!(decl.0, 4537 | 4538) {
            (
                Oid(3831),
                self.catalog.multirange_range(actual).unwrap_or(actual),
            )
        } else {
            (decl, actual)
        };
        let decl_is_range = matches!(decl.0, 3831 | 5080);
        if matches!(ret.0, 4537 | 4538) {
            let range = if decl_is_range {
                actual
            } else {
                range_type_of(actual).unwrap_or(actual)
            };
            return range_multirange_type(range).unwrap_or(range);
        }
        let element = if decl_is_range {
            range_subtype(actual).unwrap_or(actual)
        } else if matches!(decl.0, 2277 | 5078) {
            self.catalog
                .type_info(actual)
                .map(|t| t.elem)
                .unwrap_or(actual)
        } else {
            actual
        };
        match ret.0 {
            3831 | 5080 if decl_is_range => actual,
            3831 | 5080 => range_type_of(element).unwrap_or(actual),
            2277 | 5078 => self
                .catalog
                .type_info(element)
                .map(|t| format!("_{}", t.name))
                .and_then(|n| self.catalog.type_by_name(&n))
                .map_or(element, |t| t.oid),
            _ => element,
        }
    }

    /// The arguments of a call of a user-defined variadic function, its variadic ones
    /// gathered into the array its last parameter is (built-in functions take them one
    /// by one).
    ///
    /// Errors: 42704 when the elements' type has no array type.
    fn pack_variadic_arguments(
        &mut self,
        chosen: &FuncCandidate,
        mut args: Vec<TypedExpr>,
    ) -> Result<Vec<TypedExpr>> {
        // PostgreSQL's FirstNormalObjectId: functions created after initdb.
        const FIRST_NORMAL_OBJECT_ID: u32 = 16384;
        if chosen.variadic == Oid::INVALID
            || chosen.variadic == type_oid::ANY
            || chosen.oid.0 < FIRST_NORMAL_OBJECT_ID
        {
            return Ok(args);
        }
        let Some(full) = self.catalog.function(chosen.oid) else {
            return Ok(args);
        };
        let fixed = full.args.len().saturating_sub(1);
        if args.len() < fixed {
            return Ok(args);
        }
        let elements = args.split_off(fixed);
        let elem_type = match elements.first() {
            Some(e) => e.type_oid(),
            None => return Ok(args),
        };
        let array_type = self.array_type_of(elem_type).ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "could not find array type for data type {}",
                self.catalog.format_type(elem_type)
            )
        })?;
        args.push(TypedExpr::Array {
            elements,
            elem_type,
            type_oid: array_type,
            multidims: false,
        });
        Ok(args)
    }

    /// A call with `VARIADIC` before an array expression other than an `ARRAY[...]`
    /// constructor (`concat(VARIADIC arr)`, `format(f, VARIADIC $1)`): resolved with one
    /// argument of the array's element type in the array's place. A built-in function
    /// gets a [`TypedExpr::VariadicArray`] there (its elements are spread when the call
    /// runs); a user-defined one gets the array itself, coerced to its variadic
    /// parameter's type (PostgreSQL docs §38.5.6).
    ///
    /// Errors: 42804 `VARIADIC argument must be an array`; 0A000 for aggregates and
    /// set-returning functions called so; resolution errors.
    fn variadic_array_call(
        &mut self,
        name: &[String],
        args: &[Expr],
        extras: FuncExtras<'_>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let Some((last, rest)) = args.split_last() else {
            return Err(Error::internal("VARIADIC without an argument"));
        };
        let array = self.analyze_expr(last, scope)?;
        let elem_type = self
            .catalog
            .type_info(array.type_oid())
            .filter(|t| t.category == b'A' && t.elem != Oid::INVALID)
            .map(|t| t.elem);
        let Some(elem_type) = elem_type else {
            return Err(self.at(
                pg_err!(DATATYPE_MISMATCH, "VARIADIC argument must be an array"),
                last.location(),
            ));
        };
        let plain = FuncExtras {
            variadic: false,
            ..extras
        };
        self.pending_variadic = Some(TypedExpr::VariadicArray {
            array: Box::new(array),
            elem_type,
        });
        let resolved = self.func_call(name, rest, plain, location, scope);
        self.pending_variadic = None;
        let resolved = match resolved {
            // PostgreSQL names the array type in `function f(text[]) does not exist`:
            // report the call as written.
            Err(e) if e.code == SqlState::UNDEFINED_FUNCTION => {
                let written = FuncExtras {
                    variadic: false,
                    ..extras
                };
                return match self.func_call(name, args, written, location, scope) {
                    Err(written) if written.code == SqlState::UNDEFINED_FUNCTION => Err(written),
                    _ => Err(e),
                };
            }
            other => other,
        };
        let refusal = self.at(
            Error::feature_not_supported(
                "VARIADIC with an argument other than ARRAY[...] in this call",
            ),
            last.location(),
        );
        let unsupported = || refusal.clone();
        let TypedExpr::Func {
            proc,
            mut args,
            ret,
            strict,
            retset,
        } = resolved?
        else {
            return Err(unsupported());
        };
        if retset {
            return Err(unsupported());
        }
        let Some(spread) = args.pop() else {
            return Err(unsupported());
        };
        let whole = |analyzer: &mut Self, v: TypedExpr, target: Oid| -> Result<TypedExpr> {
            let TypedExpr::VariadicArray { array, .. } = v else {
                return Err(unsupported());
            };
            analyzer.coerce(
                *array,
                target,
                -1,
                CoercionContext::Implicit,
                last.location(),
            )
        };
        let last_arg = match spread {
            v @ TypedExpr::VariadicArray { .. } => v,
            // The elements need a conversion: convert the array as a whole.
            TypedExpr::Cast { arg, target, .. }
                if matches!(*arg, TypedExpr::VariadicArray { .. }) =>
            {
                let array_type = self.array_type_of(target).ok_or_else(unsupported)?;
                TypedExpr::VariadicArray {
                    array: Box::new(whole(self, *arg, array_type)?),
                    elem_type: target,
                }
            }
            // A user-defined function takes the array itself.
            TypedExpr::Array {
                mut elements,
                type_oid,
                ..
            } if elements.len() == 1 => {
                let element = match elements.pop() {
                    Some(TypedExpr::Cast { arg, .. }) => *arg,
                    Some(other) => other,
                    None => return Err(unsupported()),
                };
                whole(self, element, type_oid)?
            }
            _ => return Err(unsupported()),
        };
        args.push(last_arg);
        Ok(TypedExpr::Func {
            proc,
            args,
            ret,
            strict,
            retset,
        })
    }

    /// The arguments of a call with `VARIADIC` before an `ARRAY[...]` constructor of plain
    /// values, spread into one argument per element at analysis time (tusk's built-in
    /// variadic functions take their variadic arguments one by one).
    ///
    /// Errors: 42804 `VARIADIC argument must be an array`.
    fn expand_variadic_argument(&mut self, args: &[Expr], _scope: &Scope) -> Result<Vec<Expr>> {
        let Some((last, rest)) = args.split_last() else {
            return Err(Error::internal("VARIADIC without an argument"));
        };
        match last {
            Expr::Array(elements, _)
                if !elements.is_empty()
                    && !elements.iter().any(|e| matches!(e, Expr::Array(..))) =>
            {
                let mut out = rest.to_vec();
                out.extend(elements.iter().cloned());
                Ok(out)
            }
            _ => Err(Error::internal(
                "VARIADIC spread at analysis time of no ARRAY[...] constructor",
            )),
        }
    }

    /// 42601 `unequal number of entries in row expressions`.
    fn check_row_sizes(&self, left: &[Expr], right: &[Expr], location: usize) -> Result<()> {
        if left.len() != right.len() {
            return Err(self.at(
                pg_err!(SYNTAX_ERROR, "unequal number of entries in row expressions"),
                location,
            ));
        }
        Ok(())
    }

    /// `ROW(a1, a2, ...) op ROW(b1, b2, ...)` (PostgreSQL docs §9.24.5): `=` holds when
    /// every pair is equal, `<>` when any pair differs; `<`, `<=`, `>`, `>=` compare the
    /// pairs left to right, the first unequal pair deciding (expanded as
    /// `a1 < b1 OR (a1 = b1 AND (...))`, which gives the same NULL results).
    ///
    /// Errors: 42601 for rows of different lengths; 42883 for other operators (with
    /// PostgreSQL's message and HINT); operator resolution errors of the pairs.
    fn row_comparison(
        &mut self,
        name: &str,
        left: &Expr,
        right: &Expr,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let (Expr::Row(l, _), Expr::Row(r, _)) = (left, right) else {
            return Err(Error::internal("row comparison of non-rows"));
        };
        self.check_row_sizes(l, r, location)?;
        if l.is_empty() {
            return Err(self.at(
                pg_err!(FEATURE_NOT_SUPPORTED, "cannot compare rows of zero length"),
                location,
            ));
        }
        let pair = |this: &mut Self, op: &str, i: usize| -> Result<TypedExpr> {
            let a = this.analyze_expr(&l[i], scope)?;
            let b = this.analyze_expr(&r[i], scope)?;
            this.make_op(op, Some(a), b, location)
        };
        self.combine_row_pairs(name, l.len(), pair, location)
    }

    /// The comparison of `ROW(a1, ..., an) op ANY|ALL (subquery)` with one row of the
    /// subquery, which the executor hands over as a record (the `CaseTest` value): the
    /// pairs `ai op (row).fi` combined as [`Self::row_comparison`] does.
    ///
    /// Errors: as [`Self::row_comparison`].
    fn row_sublink_test(
        &mut self,
        name: &str,
        elems: &[Expr],
        q: &super::Query,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let lefts = elems
            .iter()
            .map(|e| self.analyze_expr(e, scope))
            .collect::<Result<Vec<_>>>()?;
        let pair = |this: &mut Self, op: &str, i: usize| -> Result<TypedExpr> {
            let field = TypedExpr::FieldSelect {
                arg: Box::new(TypedExpr::CaseTest {
                    type_oid: type_oid::RECORD,
                }),
                field: i,
                type_oid: q.columns[i].type_oid,
                typmod: q.columns[i].typmod,
            };
            this.make_op(op, Some(lefts[i].clone()), field, location)
        };
        self.combine_row_pairs(name, elems.len(), pair, location)
    }

    /// Combines the pairwise comparisons of two rows of `n` fields for operator `name`
    /// (see [`Self::row_comparison`]); `pair(op, i)` compares the `i`th fields with `op`.
    fn combine_row_pairs(
        &mut self,
        name: &str,
        n: usize,
        mut pair: impl FnMut(&mut Self, &str, usize) -> Result<TypedExpr>,
        location: usize,
    ) -> Result<TypedExpr> {
        match name {
            "=" | "<>" => {
                let tests = (0..n)
                    .map(|i| pair(self, name, i))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if name == "=" {
                    TypedExpr::And(tests)
                } else {
                    TypedExpr::Or(tests)
                })
            }
            "<" | "<=" | ">" | ">=" => {
                let strict = &name[..1];
                let last = n - 1;
                let mut acc = pair(self, name, last)?;
                for i in (0..last).rev() {
                    let decided = pair(self, strict, i)?;
                    let equal = pair(self, "=", i)?;
                    acc = TypedExpr::Or(vec![decided, TypedExpr::And(vec![equal, acc])]);
                }
                Ok(acc)
            }
            other => {
                // The pairs must resolve first, as in PostgreSQL.
                for i in 0..n {
                    pair(self, other, i)?;
                }
                Err(self.at(
                    pg_err!(
                        UNDEFINED_FUNCTION,
                        "could not determine interpretation of row comparison operator {}",
                        other
                    )
                    .hint(
                        "Row comparison operators must be associated with btree operator families.",
                    ),
                    location,
                ))
            }
        }
    }

    fn func_call(
        &mut self,
        name: &[String],
        args: &[Expr],
        extras: FuncExtras<'_>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        if extras.variadic && !is_array_constructor(args.last()) {
            return self.variadic_array_call(name, args, extras, location, scope);
        }
        if extras.variadic {
            let expanded = self.expand_variadic_argument(args, scope)?;
            let plain = FuncExtras {
                variadic: false,
                ..extras
            };
            let spread = self.func_call(name, &expanded, plain, location, scope);
            return match spread {
                // PostgreSQL names the array type in `function f(integer, text[]) does
                // not exist`: report the call as written.
                Err(e) if e.code == SqlState::UNDEFINED_FUNCTION => {
                    let plain = FuncExtras {
                        variadic: false,
                        ..extras
                    };
                    match self.func_call(name, args, plain, location, scope) {
                        Err(written) if written.code == SqlState::UNDEFINED_FUNCTION => {
                            Err(written)
                        }
                        _ => Err(e),
                    }
                }
                other => other,
            };
        }
        let star = extras.star;
        let fname = name.last().cloned().unwrap_or_default();
        let mut qualified: Option<Vec<FuncCandidate>> = None;
        if let [schema, _] = name {
            if schema != "pg_catalog" {
                match self.catalog.schema_functions(schema, &fname) {
                    Some(found) => qualified = Some(found),
                    None => {
                        return Err(self.at(
                            pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", schema),
                            location,
                        ))
                    }
                }
            }
        }
        let spread = self.pending_variadic.take();
        let mut typed = args
            .iter()
            .map(|a| self.analyze_expr(a, scope))
            .collect::<Result<Vec<_>>>()?;
        typed.extend(spread);
        // An ordered-set call is resolved over its direct arguments followed by its
        // aggregated ones (the WITHIN GROUP sort keys).
        if extras.within_group {
            for s in extras.order_by {
                typed.push(self.analyze_expr(&s.expr, scope)?);
            }
        }
        let inputs: Vec<Oid> = typed.iter().map(TypedExpr::type_oid).collect();
        // Named notation: each name used once (PostgreSQL's parser check).
        let named_with_locations = extras.arg_names;
        for (i, n) in named_with_locations.iter().enumerate() {
            match n {
                Some((n, at))
                    if named_with_locations[..i]
                        .iter()
                        .flatten()
                        .any(|(m, _)| m == n) =>
                {
                    return Err(self.at(
                        pg_err!(SYNTAX_ERROR, "argument name \"{}\" used more than once", n),
                        *at,
                    ));
                }
                Some(_) => {}
                None if named_with_locations[..i].iter().any(Option::is_some) => {
                    return Err(self.at(
                        pg_err!(
                            SYNTAX_ERROR,
                            "positional argument cannot follow named argument"
                        ),
                        args[i].location(),
                    ));
                }
                None => {}
            }
        }
        let named_owned: Vec<Option<String>> = named_with_locations
            .iter()
            .map(|n| n.as_ref().map(|(name, _)| name.clone()))
            .collect();
        let named = named_owned.as_slice();
        // Trailing arguments left out take their defaults (`proargdefaults`): the
        // candidate is matched on the arguments given.
        let mut omitted: Vec<(Oid, Vec<(Oid, Datum)>)> = Vec::new();
        // For calls in named notation: the declared position of each argument given.
        let mut placements: Vec<(Oid, Vec<usize>)> = Vec::new();
        let candidates: Vec<FuncCand> = qualified
            .unwrap_or_else(|| self.catalog.functions(&fname))
            .into_iter()
            .filter_map(|mut f| {
                if !named.is_empty() {
                    let slots = named_slots(&f, named)?;
                    f.args = slots.iter().map(|s| f.args[*s]).collect();
                    placements.push((f.oid, slots));
                    return Some(FuncCand(f));
                }
                if f.variadic == Oid::INVALID
                    && f.args.len() > inputs.len()
                    && f.args.len() - inputs.len() <= f.defaults.len()
                {
                    let missing = f.args.len() - inputs.len();
                    let types = f.args.split_off(inputs.len());
                    let values = f.defaults[f.defaults.len() - missing..].to_vec();
                    omitted.push((f.oid, types.into_iter().zip(values).collect()));
                }
                // A user-defined variadic function needs one variadic argument at least
                // (built-in ones without any have their own entries).
                let least = if f.oid.0 >= 16384 {
                    f.args.len()
                } else {
                    f.args.len().saturating_sub(1)
                };
                if f.variadic != Oid::INVALID && inputs.len() >= least && !f.args.is_empty() {
                    let elem = if f.variadic == type_oid::ANY {
                        type_oid::ANY
                    } else {
                        f.variadic
                    };
                    f.args.pop();
                    while f.args.len() < inputs.len() {
                        f.args.push(elem);
                    }
                }
                (f.args.len() == inputs.len()).then_some(FuncCand(f))
            })
            .collect();
        // A variadic expansion identical to a plain candidate loses to it (PostgreSQL's
        // func_get_detail prefers the non-variadic function).
        let plain: Vec<Vec<Oid>> = candidates
            .iter()
            .filter(|c| c.0.variadic == Oid::INVALID)
            .map(|c| c.0.args.clone())
            .collect();
        let candidates: Vec<FuncCand> = candidates
            .into_iter()
            .filter(|c| c.0.variadic == Oid::INVALID || !plain.contains(&c.0.args))
            .collect();
        let signature = || {
            let types: Vec<String> = inputs
                .iter()
                .enumerate()
                .map(|(i, t)| match named.get(i).and_then(Option::as_deref) {
                    Some(n) => format!("{} => {}", n, self.catalog.format_type(*t)),
                    None => self.catalog.format_type(*t),
                })
                .collect();
            format!("{}({})", fname, types.join(", "))
        };
        // One unknown-type literal or string passed to a function named like a type,
        // with no candidate taking exactly that, is a type conversion (PostgreSQL docs
        // §10.3 step 2, through I/O): `cidr('10.1.2.3/8')`, `inet(text(i))`.
        use tusk_types::type_oid::{BPCHAR, NAME, TEXT, UNKNOWN, VARCHAR};
        if let ([arg], [UNKNOWN | TEXT | VARCHAR | BPCHAR | NAME]) =
            (typed.as_slice(), inputs.as_slice())
        {
            let exact = candidates.iter().any(|c| c.0.args == inputs);
            let unqualified = name.len() == 1 || name[0] == "pg_catalog";
            if !exact
                && unqualified
                && !star
                && !extras.within_group
                && !named.iter().any(Option::is_some)
            {
                if let Some(t) = self.catalog.type_by_name(&fname) {
                    let at = args[0].location();
                    return self.coerce(arg.clone(), t.oid, -1, CoercionContext::Explicit, at);
                }
            }
        }
        let chosen = match self.select_candidate(&inputs, candidates) {
            Selection::Unique(FuncCand(f)) => f,
            Selection::Ambiguous => {
                return Err(self.at(
                    pg_err!(AMBIGUOUS_FUNCTION, "function {} is not unique", signature()).hint(
                        "Could not choose a best candidate function. You might need to add explicit type casts.",
                    ),
                    location,
                ))
            }
            Selection::None => {
                let sig = if star { format!("{fname}(*)") } else { signature() };
                return Err(self.at(
                    pg_err!(UNDEFINED_FUNCTION, "function {} does not exist", sig).hint(
                        "No function matches the given name and argument types. You might need to add explicit type casts.",
                    ),
                    location,
                ));
            }
        };
        if extras.within_group || chosen.kind == b'a' {
            let definition = if chosen.kind == b'a' {
                self.catalog.aggregate_definition(chosen.oid)
            } else {
                None
            };
            let aggkind = definition.as_ref().map_or(b'n', |d| d.kind);
            if extras.within_group && chosen.kind != b'a' {
                return Err(self.at(
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "WITHIN GROUP specified, but {} is not an aggregate function",
                        fname
                    ),
                    location,
                ));
            }
            if extras.within_group && aggkind == b'n' {
                return Err(self.at(
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP",
                        fname
                    ),
                    location,
                ));
            }
            if !extras.within_group && aggkind != b'n' {
                return Err(self.at(
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "WITHIN GROUP is required for ordered-set aggregate {}",
                        fname
                    ),
                    location,
                ));
            }
            if extras.within_group {
                if extras.over.is_some() {
                    return Err(self.at(
                        pg_err!(
                            FEATURE_NOT_SUPPORTED,
                            "OVER is not supported for ordered-set aggregate {}",
                            fname
                        ),
                        location,
                    ));
                }
                let direct = typed.len() - extras.order_by.len();
                return self.ordered_set_call(
                    &chosen, &fname, definition, typed, direct, &extras, location, scope,
                );
            }
        }
        if !named.is_empty() && (extras.over.is_some() || matches!(chosen.kind, b'a' | b'w')) {
            return Err(self.at(
                Error::feature_not_supported(
                    "named notation for aggregate and window function arguments",
                ),
                location,
            ));
        }
        if chosen.kind == b'a' && typed.is_empty() && !star {
            return Err(self.at(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "{}(*) must be used to call a parameterless aggregate function",
                    fname
                ),
                location,
            ));
        }
        if let Some(over) = extras.over {
            return self.window_call(&chosen, typed, &fname, &extras, over, location, scope);
        }
        if chosen.kind == b'w' {
            return Err(self.at(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "window function {} requires an OVER clause",
                    fname
                ),
                location,
            ));
        }
        if chosen.kind == b'a' {
            let args = self.coerce_args(typed, &chosen.args, location)?;
            let ret = self.resolve_polymorphic_result(chosen.ret, &chosen.args, &args);
            // A user-defined variadic aggregate's transition function takes the variadic
            // arguments as one array, as its declaration has them.
            let args = self.pack_variadic_arguments(&chosen, args)?;
            return self.aggregate_call(chosen.oid, args, ret, &extras, location, scope, false);
        }
        let not_aggregate = |what: &str, this: &Self| {
            this.at(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "{} specified, but {} is not an aggregate function",
                    what,
                    fname
                ),
                location,
            )
        };
        if star {
            return Err(not_aggregate(&format!("{fname}(*)"), self));
        }
        if extras.distinct {
            return Err(not_aggregate("DISTINCT", self));
        }
        if !extras.order_by.is_empty() {
            return Err(not_aggregate("ORDER BY", self));
        }
        if extras.filter.is_some() {
            return Err(not_aggregate("FILTER", self));
        }
        if chosen.kind == b'p' && !self.procedures_allowed {
            return Err(self.at(
                pg_err!(WRONG_OBJECT_TYPE, "{} is a procedure", signature())
                    .hint("To call a procedure, use CALL."),
                location,
            ));
        }
        let mut args = self.coerce_call_args(typed, &chosen.args, chosen.ret, location)?;
        let mut declared = chosen.args.clone();
        if let Some((_, slots)) = placements.iter().find(|(oid, _)| *oid == chosen.oid) {
            let full = self
                .catalog
                .function(chosen.oid)
                .ok_or_else(|| Error::internal("chosen function vanished"))?;
            let first_default = full.args.len() - full.defaults.len();
            let mut placed: Vec<Option<TypedExpr>> = vec![None; full.args.len()];
            for (arg, slot) in args.into_iter().zip(slots) {
                placed[*slot] = Some(arg);
            }
            args = placed
                .into_iter()
                .enumerate()
                .map(|(i, a)| {
                    a.unwrap_or_else(|| TypedExpr::Const {
                        value: full.defaults[i - first_default].clone(),
                        type_oid: full.args[i],
                        typmod: -1,
                        location: usize::MAX,
                    })
                })
                .collect();
            declared = full.args.clone();
        }
        if let Some((_, defaults)) = omitted.iter().find(|(oid, _)| *oid == chosen.oid) {
            for (type_oid, value) in defaults {
                declared.push(*type_oid);
                args.push(TypedExpr::Const {
                    value: value.clone(),
                    type_oid: *type_oid,
                    typmod: -1,
                    location: usize::MAX,
                });
            }
        }
        let ret = self.resolve_polymorphic_result(chosen.ret, &declared, &args);
        let mut args = self.pack_variadic_arguments(&chosen, args)?;
        if chosen.oid.0 < 16384
            && matches!(
                name.last().map(String::as_str),
                Some(
                    "json_populate_record"
                        | "jsonb_populate_record"
                        | "json_populate_recordset"
                        | "jsonb_populate_recordset"
                )
            )
        {
            let function = name.last().cloned().unwrap_or_default();
            self.append_row_shape(&function, &mut args, ret)?;
        }
        if ret == Oid::INVALID {
            // An `anyarray` column (pg_statistic's) has no element type to give.
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "cannot determine element type of \"anyarray\" argument"
            ));
        }
        Ok(TypedExpr::Func {
            proc: chosen.oid,
            args,
            ret,
            strict: chosen.strict,
            retset: chosen.retset,
        })
    }

    fn case(
        &mut self,
        arg: Option<&Expr>,
        whens: &[(Expr, Expr)],
        default: Option<&Expr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let test = arg.map(|a| self.analyze_expr(a, scope)).transpose()?;
        let test = match test {
            Some(t) if t.type_oid() == type_oid::UNKNOWN => {
                Some(self.coerce(t, type_oid::TEXT, -1, CoercionContext::Implicit, location)?)
            }
            other => other,
        };
        let mut conditions = Vec::with_capacity(whens.len());
        let mut results = Vec::with_capacity(whens.len() + 1);
        for (cond, result) in whens {
            let c = self.analyze_expr(cond, scope)?;
            let c = match &test {
                Some(t) => {
                    let placeholder = TypedExpr::CaseTest {
                        type_oid: t.type_oid(),
                    };
                    self.make_op("=", Some(placeholder), c, cond.location())?
                }
                None => self.coerce_to_boolean(c, "CASE/WHEN", cond.location())?,
            };
            conditions.push(c);
            results.push(self.analyze_expr(result, scope)?);
        }
        match default {
            Some(d) => results.push(self.analyze_expr(d, scope)?),
            None => results.push(TypedExpr::Const {
                value: Datum::Null,
                type_oid: type_oid::UNKNOWN,
                typmod: -1,
                location: usize::MAX,
            }),
        }
        let (mut results, type_oid) = self.unify(results, "CASE", location)?;
        let default = results
            .pop()
            .ok_or_else(|| Error::internal("CASE without ELSE slot"))?;
        Ok(TypedExpr::Case {
            arg: test.map(Box::new),
            whens: conditions.into_iter().zip(results).collect(),
            default: Box::new(default),
            type_oid,
        })
    }

    /// `select_common_type` + coercion of every expression to it.
    pub(crate) fn unify(
        &mut self,
        exprs: Vec<TypedExpr>,
        construct: &str,
        location: usize,
    ) -> Result<(Vec<TypedExpr>, Oid)> {
        let mut ptype = type_oid::UNKNOWN;
        for e in &exprs {
            let ntype = e.type_oid();
            if ntype == type_oid::UNKNOWN || ntype == ptype {
                continue;
            }
            if ptype == type_oid::UNKNOWN {
                ptype = ntype;
                continue;
            }
            let pinfo = self.catalog.type_info(ptype);
            let ninfo = self.catalog.type_info(ntype);
            let (pcat, ppref) = pinfo
                .map(|i| (i.category, i.preferred))
                .unwrap_or((b'U', false));
            let ncat = ninfo.map(|i| i.category).unwrap_or(b'U');
            if pcat != ncat {
                return Err(self.at(
                    pg_err!(
                        DATATYPE_MISMATCH,
                        "{} types {} and {} cannot be matched",
                        construct,
                        self.catalog.format_type(ptype),
                        self.catalog.format_type(ntype)
                    ),
                    location,
                ));
            }
            if !ppref
                && self.can_coerce(ptype, ntype, CoercionContext::Implicit)
                && !self.can_coerce(ntype, ptype, CoercionContext::Implicit)
            {
                ptype = ntype;
            }
        }
        if ptype == type_oid::UNKNOWN {
            ptype = type_oid::TEXT;
        }
        let mut out = Vec::with_capacity(exprs.len());
        for e in exprs {
            let t = e.type_oid();
            if t != ptype && !self.can_coerce(t, ptype, CoercionContext::Implicit) {
                return Err(self.at(
                    pg_err!(
                        CANNOT_COERCE,
                        "{} could not convert type {} to {}",
                        construct,
                        self.catalog.format_type(t),
                        self.catalog.format_type(ptype)
                    ),
                    location,
                ));
            }
            out.push(self.coerce(e, ptype, -1, CoercionContext::Implicit, location)?);
        }
        Ok((out, ptype))
    }

    /// The function of the comparison operator `op` (`<`, `>`) for a type.
    pub(crate) fn comparison_proc(&mut self, op: &str, t: Oid, location: usize) -> Result<Oid> {
        // The operator of the type's own (default operator class) comparison first: an
        // implicit cast made by CREATE CAST must not make it ambiguous, as PostgreSQL's
        // sorting goes through the type's operator class rather than operator resolution.
        let operators = self.catalog.operators(op);
        let own = operators
            .iter()
            .find(|o| o.left == t && o.right == t)
            .or_else(|| {
                operators.iter().find(|o| {
                    o.left == o.right
                        && matches!(o.left.0, 2277 | 3500 | 3831 | 4537)
                        && self.polymorphic_accepts(t, o.left)
                })
            });
        if let Some(o) = own {
            return Ok(o.proc);
        }
        let a = TypedExpr::Const {
            value: Datum::Null,
            type_oid: t,
            typmod: -1,
            location: usize::MAX,
        };
        match self.make_op(op, Some(a.clone()), a, location)? {
            TypedExpr::Func { proc, .. } => Ok(proc),
            _ => Err(Error::internal("comparison did not resolve to a function")),
        }
    }

    /// Resolves a type name to (OID, typmod), PostgreSQL's `typenameTypeIdAndMod`.
    ///
    /// Errors: 42704 `type "x" does not exist`; 22023 for invalid typmods.
    pub fn resolve_type_name(&mut self, t: &TypeName) -> Result<(Oid, i32)> {
        let name = t.names.last().cloned().unwrap_or_default();
        let info = match t.names.as_slice() {
            [schema, _] => self
                .catalog
                .qualified_type(schema, &name)
                .map_err(|e| self.at(e, t.location))?
                .ok_or_else(|| {
                    self.at(
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "type \"{}.{}\" does not exist",
                            schema,
                            name
                        ),
                        t.location,
                    )
                })?,
            _ => self.catalog.type_by_name(&name).ok_or_else(|| {
                self.at(
                    pg_err!(UNDEFINED_OBJECT, "type \"{}\" does not exist", name),
                    t.location,
                )
            })?,
        };
        let mut oid = info.oid;
        let typmods: Vec<i64> = t
            .typmods
            .iter()
            .map(|m| match m {
                Expr::Const(Literal::Integer(i), _) => Ok(*i),
                other => Err(self.at(
                    pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "type modifiers must be simple constants or identifiers"
                    ),
                    other.location(),
                )),
            })
            .collect::<Result<_>>()?;
        let typmod = self.typmod_in(&info.name, &typmods, t.location)?;
        if !t.array_bounds.is_empty() {
            let array_name = format!("_{}", info.name);
            oid = self
                .catalog
                .type_by_name(&array_name)
                .map(|a| a.oid)
                .ok_or_else(|| {
                    self.at(
                        pg_err!(
                            UNDEFINED_OBJECT,
                            "could not find array type for data type {}",
                            name
                        ),
                        t.location,
                    )
                })?;
        }
        Ok((oid, typmod))
    }

    /// Type-modifier input for the built-in types that take one.
    fn typmod_in(&self, type_name: &str, mods: &[i64], location: usize) -> Result<i32> {
        if mods.is_empty() {
            return Ok(-1);
        }
        let invalid =
            |msg: String| self.at(Error::new(SqlState::INVALID_PARAMETER_VALUE, msg), location);
        match type_name {
            "varchar" | "bpchar" | "bit" | "varbit" => {
                let label = match type_name {
                    "varchar" => "varchar",
                    "bpchar" => "char",
                    "bit" => "bit",
                    _ => "varbit",
                };
                if mods.len() > 1 {
                    return Err(invalid("invalid type modifier".into()));
                }
                let n = mods[0];
                if n < 1 {
                    return Err(invalid(format!(
                        "length for type {label} must be at least 1"
                    )));
                }
                if n > 10_485_760 {
                    return Err(invalid(format!(
                        "length for type {label} cannot exceed 10485760"
                    )));
                }
                Ok(if type_name.starts_with("bit") || type_name == "varbit" {
                    n as i32
                } else {
                    n as i32 + 4
                })
            }
            "numeric" => {
                let precision = mods[0];
                let scale = mods.get(1).copied().unwrap_or(0);
                if mods.len() > 2 {
                    return Err(invalid("invalid NUMERIC type modifier".into()));
                }
                if !(1..=1000).contains(&precision) {
                    return Err(invalid(format!(
                        "NUMERIC precision {precision} must be between 1 and 1000"
                    )));
                }
                if !(-1000..=1000).contains(&scale) {
                    return Err(invalid(format!(
                        "NUMERIC scale {scale} must be between -1000 and 1000"
                    )));
                }
                Ok((((precision as i32) << 16) | (scale as i32 & 0xffff)) + 4)
            }
            "timestamp" | "timestamptz" | "time" | "timetz" | "interval" => {
                let p = mods[mods.len() - 1];
                if p < 0 {
                    let label = type_name.to_uppercase();
                    return Err(invalid(format!(
                        "{label}({p}) precision must not be negative"
                    )));
                }
                Ok(p.min(6) as i32)
            }
            _ => Err(invalid(format!(
                "type modifier is not allowed for type \"{type_name}\""
            ))),
        }
    }
}

/// The one operator among `operators` whose operand types are exactly `inputs`, as the
/// first step of operator resolution takes it (an unknown operand of a binary operator
/// counts as the other operand's type: PostgreSQL's `binary_oper_exact`); `None` when no
/// operator, or more than one, matches exactly, and the full resolution runs.
fn exact_operator(
    operators: &[OperCandidate],
    inputs: &[Oid],
    prefix: bool,
) -> Option<OperCandidate> {
    let known: Vec<Oid> = inputs
        .iter()
        .copied()
        .filter(|t| *t != type_oid::UNKNOWN)
        .collect();
    let matches = |declared: Oid, input: Oid| {
        declared == input
            || (input == type_oid::UNKNOWN
                && known.len() == 1
                && inputs.len() == 2
                && declared == known[0])
    };
    let mut found = None;
    for op in operators
        .iter()
        .filter(|o| (o.left == Oid::INVALID) == prefix)
    {
        let exact = if prefix {
            matches(op.right, inputs[0])
        } else {
            matches(op.left, inputs[0]) && matches(op.right, inputs[1])
        };
        if exact {
            if found.is_some() {
                return None;
            }
            found = Some(op.clone());
        }
    }
    found
}
