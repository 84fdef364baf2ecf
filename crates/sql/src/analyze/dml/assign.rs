//! Assignment to subscripts and fields of a target column (`SET a[2] = x`,
//! `INSERT INTO t (c.f1, c.f2) ...`), as PostgreSQL's `transformAssignmentIndirection`
//! builds it: the column's new value is an expression over its old value with one part
//! replaced.
//!
//! ```text
//!   SET c.arr[2] = 5
//!     → FieldStore(c, arr, SubscriptAssign(FieldSelect(c, arr), [2], 5))
//! ```
//!
//! Rules:
//! 1. The old value is the column's (UPDATE, ON CONFLICT DO UPDATE, MERGE's UPDATE) or
//!    NULL (INSERT, where the column's default does not apply). Several targets with
//!    indirection on one column compose, each starting from the previous one's result;
//!    a target without indirection may not share its column with any other.
//! 2. Consecutive subscripts form one step; a field name ends it. Each step's part of
//!    the old value is read with the matching fetch (`Subscript`, `FieldSelect`).
//! 3. The source is coerced (assignment context) to the innermost target's type: 42804
//!    `subscripted assignment to "a" requires type ...` after subscripts, `subfield "f"
//!    is of type ...` after a field, at the target's location; DEFAULT is 0A000.
//! 4. A domain over an array or a composite type is worked on in its base type and the
//!    result coerced back to the domain, so its constraints see the whole new value.
//!
//! Entry points: [`Analyzer::assign_indirection`], [`Analyzer::set_item_value`].

use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::super::coerce::CoercionContext;
use super::super::expr::Scope;
use super::super::typed::TypedExpr;
use super::super::{Analyzer, ColumnInfo, RelationInfo};
use super::{expr_start, Target};
use crate::ast::{ArrayIndex, InsertValue, SetClause, TargetIndirection};

/// PostgreSQL's `MAXDIM`.
const MAXDIM: usize = 6;

/// Which kind of step led to the value being assigned (for rule 3's messages).
#[derive(Clone, Copy, PartialEq)]
enum Reached {
    Subscripts,
    Field,
}

impl Analyzer<'_> {
    /// The new value of `column` when `source` (`None` for DEFAULT) is assigned to
    /// `indirection` of its old value `base` (rule 1); subscript expressions are
    /// analysed in `scope`.
    ///
    /// Errors: rule 3's; 42804 `cannot subscript type x because it does not support
    /// subscripting`, `cannot assign to field "f" of column "c" because its type x is not
    /// a composite type`; 42703 `... because there is no such column in data type t`;
    /// 0A000 for `.*`; the subscripts' own errors.
    #[allow(clippy::too_many_arguments)]
    pub(in crate::analyze) fn assign_indirection(
        &mut self,
        column: &ColumnInfo,
        base: TypedExpr,
        indirection: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        self.indirection_step(
            &column.name,
            &column.name,
            base,
            (column.type_oid, column.typmod),
            indirection,
            source,
            location,
            scope,
        )
    }

    /// The value one SET item gives attribute `index` of `target` (`column`): its value
    /// coerced to the column, or with indirection the old value (`prior`, the result of
    /// an earlier item on the column, else the column itself) with the part replaced.
    ///
    /// Errors: as [`Analyzer::assign_indirection`] and the plain assignment's.
    pub(super) fn set_item_value(
        &mut self,
        target: &Target,
        index: usize,
        column: &ColumnInfo,
        set: &SetClause,
        prior: Option<TypedExpr>,
    ) -> Result<TypedExpr> {
        let relation: &RelationInfo = &target.relation;
        if set.indirection.is_empty() {
            return match &set.value {
                InsertValue::Default(_) => self.relation_default(relation, column),
                InsertValue::Expr(e) => {
                    let typed = self.target_expr(e, target)?;
                    self.assign(typed, column, expr_start(e))
                }
            };
        }
        let source = match &set.value {
            InsertValue::Default(_) => None,
            InsertValue::Expr(e) => Some(self.target_expr(e, target)?),
        };
        let base = prior.unwrap_or(TypedExpr::Column {
            index,
            type_oid: column.type_oid,
            typmod: column.typmod,
            location: usize::MAX,
        });
        let scope = target.scope.clone();
        self.assign_indirection(column, base, &set.indirection, source, set.location, &scope)
    }

    /// One step of `indirection` into `base` (of `target`'s type and typmod);
    /// `column` and `name` (the column's or the last field's) are for messages.
    #[allow(clippy::too_many_arguments)]
    fn indirection_step(
        &mut self,
        column: &str,
        name: &str,
        base: TypedExpr,
        target: (Oid, i32),
        indirection: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        match indirection.first() {
            None => unreachable!("a step has indirection left"),
            Some(TargetIndirection::Field(field)) => self.field_step(
                column,
                field,
                base,
                target,
                &indirection[1..],
                source,
                location,
                scope,
            ),
            Some(TargetIndirection::Subscript(_)) => {
                let count = indirection
                    .iter()
                    .take_while(|i| matches!(i, TargetIndirection::Subscript(_)))
                    .count();
                let subscripts: Vec<&ArrayIndex> = indirection[..count]
                    .iter()
                    .map(|i| match i {
                        TargetIndirection::Subscript(s) => &**s,
                        TargetIndirection::Field(_) => unreachable!("counted subscripts"),
                    })
                    .collect();
                self.subscript_step(
                    column,
                    name,
                    base,
                    target,
                    &subscripts,
                    &indirection[count..],
                    source,
                    location,
                    scope,
                )
            }
        }
    }

    /// What `source` becomes at the end of the indirection (rule 3).
    #[allow(clippy::too_many_arguments)]
    fn assigned_value(
        &mut self,
        column: &str,
        name: &str,
        base: TypedExpr,
        target: (Oid, i32),
        rest: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
        reached: Reached,
    ) -> Result<TypedExpr> {
        if !rest.is_empty() {
            return self
                .indirection_step(column, name, base, target, rest, source, location, scope);
        }
        let Some(source) = source else {
            let what = match reached {
                Reached::Subscripts => "cannot set an array element to DEFAULT",
                Reached::Field => "cannot set a subfield to DEFAULT",
            };
            return Err(self.at(pg_err!(FEATURE_NOT_SUPPORTED, "{}", what), location));
        };
        let input = source.type_oid();
        if !self.can_coerce(input, target.0, CoercionContext::Assignment) {
            let message = match reached {
                Reached::Subscripts => format!(
                    "subscripted assignment to \"{}\" requires type {} but expression is of type {}",
                    name,
                    self.catalog.format_type(target.0),
                    self.catalog.format_type(input)
                ),
                Reached::Field => format!(
                    "subfield \"{}\" is of type {} but expression is of type {}",
                    name,
                    self.catalog.format_type(target.0),
                    self.catalog.format_type(input)
                ),
            };
            return Err(self.at(
                pg_err!(DATATYPE_MISMATCH, "{}", message)
                    .hint("You will need to rewrite or cast the expression."),
                location,
            ));
        }
        let start = match &source {
            TypedExpr::Const { location, .. } if *location != usize::MAX => *location,
            _ => location,
        };
        self.coerce(
            source,
            target.0,
            target.1,
            CoercionContext::Assignment,
            start,
        )
    }

    /// `.field` of a composite (or a domain over one) value.
    #[allow(clippy::too_many_arguments)]
    fn field_step(
        &mut self,
        column: &str,
        field: &str,
        base: TypedExpr,
        target: (Oid, i32),
        rest: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        if field == "*" {
            return Err(self.at(
                pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "row expansion via \"*\" is not supported here"
                ),
                location,
            ));
        }
        let base_type = self.base_type(target.0);
        let Some(fields) = self.catalog.composite_fields(base_type) else {
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "cannot assign to field \"{}\" of column \"{}\" because its type {} is not a composite type",
                    field,
                    column,
                    self.catalog.format_type(target.0)
                ),
                location,
            ));
        };
        let Some(i) = fields.iter().position(|(n, _, _)| n == field) else {
            return Err(self.at(
                pg_err!(
                    UNDEFINED_COLUMN,
                    "cannot assign to field \"{}\" of column \"{}\" because there is no such column in data type {}",
                    field,
                    column,
                    self.catalog.format_type(target.0)
                ),
                location,
            ));
        };
        let (field_type, field_typmod) = (fields[i].1, fields[i].2);
        let old = TypedExpr::FieldSelect {
            arg: Box::new(base.clone()),
            field: i,
            type_oid: field_type,
            typmod: field_typmod,
        };
        let value = self.assigned_value(
            column,
            field,
            old,
            (field_type, field_typmod),
            rest,
            source,
            location,
            scope,
            Reached::Field,
        )?;
        let store = TypedExpr::FieldStore {
            arg: Box::new(base),
            field: i,
            value: Box::new(value),
            fields,
            type_oid: base_type,
        };
        self.back_to_domain(store, base_type, target, location)
    }

    /// `[...]...` of an array or `jsonb` value (or a domain over one).
    #[allow(clippy::too_many_arguments)]
    fn subscript_step(
        &mut self,
        column: &str,
        name: &str,
        base: TypedExpr,
        target: (Oid, i32),
        subscripts: &[&ArrayIndex],
        rest: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let container = self.base_type(target.0);
        if container == type_oid::JSONB {
            return self.jsonb_step(
                column, name, base, target, subscripts, rest, source, location, scope,
            );
        }
        let Some(elem_type) = self.array_element_type(container) else {
            if super::super::array::fixed_length_element(container).is_some() {
                return Err(self.at(
                    pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "assignment to subscripts of type {} is not supported",
                        self.catalog.format_type(container)
                    ),
                    location,
                ));
            }
            return Err(self.at(
                pg_err!(
                    DATATYPE_MISMATCH,
                    "cannot subscript type {} because it does not support subscripting",
                    self.catalog.format_type(target.0)
                ),
                location,
            ));
        };
        if subscripts.len() > MAXDIM {
            return Err(tusk_types::adt::array::too_many_dimensions(
                subscripts.len(),
            ));
        }
        let is_slice = subscripts.iter().any(|s| s.is_slice);
        let mut lower = Vec::with_capacity(subscripts.len());
        let mut upper = Vec::with_capacity(subscripts.len());
        for s in subscripts {
            if is_slice {
                lower.push(match &s.lower {
                    Some(e) => Some(self.subscript_value(e, scope)?),
                    None if !s.is_slice => Some(TypedExpr::Const {
                        value: Datum::Int4(1),
                        type_oid: type_oid::INT4,
                        typmod: -1,
                        location: usize::MAX,
                    }),
                    None => None,
                });
            }
            upper.push(match &s.upper {
                Some(e) => Some(self.subscript_value(e, scope)?),
                None => None,
            });
        }
        let needed = if is_slice { container } else { elem_type };
        let old = TypedExpr::Subscript {
            arg: Box::new(base.clone()),
            lower: lower.clone(),
            upper: upper.clone(),
            is_slice,
            type_oid: needed,
        };
        let value = self.assigned_value(
            column,
            name,
            old,
            (needed, target.1),
            rest,
            source,
            location,
            scope,
            Reached::Subscripts,
        )?;
        let assign = TypedExpr::SubscriptAssign {
            arg: Box::new(base),
            lower,
            upper,
            is_slice,
            value: Box::new(value),
            type_oid: container,
            elem_type,
            jsonb: None,
        };
        self.back_to_domain(assign, container, target, location)
    }

    /// `[key]...` of a `jsonb` value: the subscripts are a path of text, and a NULL value
    /// starts as an array when the first subscript is an integer, else as an object.
    #[allow(clippy::too_many_arguments)]
    fn jsonb_step(
        &mut self,
        column: &str,
        name: &str,
        base: TypedExpr,
        target: (Oid, i32),
        subscripts: &[&ArrayIndex],
        rest: &[TargetIndirection],
        source: Option<TypedExpr>,
        location: usize,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let mut path = Vec::with_capacity(subscripts.len());
        let mut expect_array = false;
        for (k, s) in subscripts.iter().enumerate() {
            let (element, integer) = self.jsonb_path_element(s, scope)?;
            if k == 0 {
                expect_array = integer;
            }
            path.push(Some(element));
        }
        let old = TypedExpr::Func {
            proc: super::super::array::JSONB_EXTRACT_PATH,
            args: vec![
                base.clone(),
                TypedExpr::Array {
                    elements: path.iter().flatten().cloned().collect(),
                    elem_type: type_oid::TEXT,
                    type_oid: type_oid::TEXT_ARRAY,
                    multidims: false,
                },
            ],
            ret: type_oid::JSONB,
            strict: true,
            retset: false,
        };
        let value = self.assigned_value(
            column,
            name,
            old,
            (type_oid::JSONB, -1),
            rest,
            source,
            location,
            scope,
            Reached::Subscripts,
        )?;
        let assign = TypedExpr::SubscriptAssign {
            arg: Box::new(base),
            lower: Vec::new(),
            upper: path,
            is_slice: false,
            value: Box::new(value),
            type_oid: type_oid::JSONB,
            elem_type: type_oid::JSONB,
            jsonb: Some(expect_array),
        };
        self.back_to_domain(assign, type_oid::JSONB, target, location)
    }

    /// Rule 4: `value` (of `base_type`) coerced back to the target's domain.
    fn back_to_domain(
        &mut self,
        value: TypedExpr,
        base_type: Oid,
        target: (Oid, i32),
        location: usize,
    ) -> Result<TypedExpr> {
        if base_type == target.0 {
            return Ok(value);
        }
        self.coerce(
            value,
            target.0,
            target.1,
            CoercionContext::Assignment,
            location,
        )
    }
}
