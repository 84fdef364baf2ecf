//! Composite values in expressions: row constructors (`ROW(a, b)`, `(a, b)`), whole-row
//! references (`t`, `t.*` naming a FROM item) and field selection (`(x).f`, `(x).*`),
//! as PostgreSQL's `transformRowExpr`, `transformWholeRowRef` and
//! `ParseComplexProjection` analyse them.
//!
//! A row constructor's fields are named `f1`, `f2`, ...; a whole-row reference is a row
//! constructor over the item's visible columns named by them, so selecting a field of
//! it resolves, at analysis time, to the column itself. Both have the type `record`.
//!
//! Entry points: [`Analyzer::row_constructor`], [`whole_row`], [`Analyzer::field_select`],
//! [`Analyzer::expand_fields`], [`Analyzer::column_definitions`] (column definition lists
//! of functions returning `record` in FROM).

use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::expr::{Scope, ScopeItem};
use super::typed::TypedExpr;
use super::Analyzer;
use crate::ast::{Expr, TypeName};

/// The record of a FROM item's columns (a whole-row reference), of the relation's
/// `row_type` when it has one, else `record`; for an item an outer join null-extends,
/// NULL when every column is NULL.
pub(super) fn whole_row(item: &ScopeItem, row_type: Option<Oid>, location: usize) -> TypedExpr {
    let row_type = row_type.unwrap_or(type_oid::RECORD);
    let mut row = row_of_columns(item, location);
    if let TypedExpr::Row { type_oid, .. } = &mut row {
        *type_oid = row_type;
    }
    if !item.nullable {
        return row;
    }
    let TypedExpr::Row { args, .. } = &row else {
        unreachable!("row_of_columns builds a row");
    };
    let all_null = TypedExpr::And(
        args.iter()
            .map(|a| TypedExpr::NullTest {
                arg: Box::new(a.clone()),
                is_null: true,
            })
            .collect(),
    );
    TypedExpr::Case {
        arg: None,
        whens: vec![(
            all_null,
            TypedExpr::Const {
                value: Datum::Null,
                type_oid: row_type,
                typmod: -1,
                location: usize::MAX,
            },
        )],
        default: Box::new(row),
        type_oid: row_type,
    }
}

fn row_of_columns(item: &ScopeItem, location: usize) -> TypedExpr {
    TypedExpr::Row {
        args: item
            .columns
            .iter()
            .map(|c| match &c.expr {
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
            })
            .collect(),
        names: item.columns.iter().map(|c| c.name.clone()).collect(),
        type_oid: type_oid::RECORD,
    }
}

impl Analyzer<'_> {
    /// `ROW(items)`: a record whose fields are the items, named `f1`, `f2`, ...; an
    /// unknown-type literal stays `unknown`, as in PostgreSQL.
    ///
    /// Errors: those of the items.
    pub(super) fn row_constructor(&mut self, items: &[Expr], scope: &Scope) -> Result<TypedExpr> {
        let mut args = Vec::with_capacity(items.len());
        for item in items {
            args.push(self.analyze_expr(item, scope)?);
        }
        Ok(TypedExpr::Row {
            names: (1..=args.len()).map(|i| format!("f{i}")).collect(),
            args,
            type_oid: type_oid::RECORD,
        })
    }

    /// `(arg).field`: the field's value.
    ///
    /// Errors: 42809 `column notation .f applied to type T, which is not a composite
    /// type`; 42703 `could not identify column "f" in record data type` when the record's
    /// shape is unknown here or lacks the field; 0A000 for `(arg).*` outside a SELECT
    /// list (`row expansion via "*" is not supported here`).
    pub(super) fn field_select(
        &mut self,
        arg: &Expr,
        field: &str,
        scope: &Scope,
    ) -> Result<TypedExpr> {
        let location = arg.location();
        if field == "*" {
            return Err(self.at(
                pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "row expansion via \"*\" is not supported here"
                ),
                location,
            ));
        }
        let e = self.analyze_expr(arg, scope)?;
        self.select_field(e, field, location)
    }

    /// Field `field` of the analysed record `e`.
    fn select_field(&self, e: TypedExpr, field: &str, location: usize) -> Result<TypedExpr> {
        let e = match e {
            // A null-extended whole row: its fields are its columns all the same.
            TypedExpr::Case { default, .. } if matches!(*default, TypedExpr::Row { .. }) => {
                *default
            }
            e => e,
        };
        match e {
            TypedExpr::Row { args, names, .. } => match names.iter().position(|n| n == field) {
                Some(i) => Ok(args.into_iter().nth(i).expect("one name per field")),
                None => Err(self.at(
                    pg_err!(
                        UNDEFINED_COLUMN,
                        "could not identify column \"{}\" in record data type",
                        field
                    ),
                    location,
                )),
            },
            e if e.type_oid() == type_oid::RECORD && !self.out_fields(&e).is_empty() => {
                let fields = self.out_fields(&e);
                match fields.iter().position(|(name, _)| name == field) {
                    Some(i) => Ok(TypedExpr::FieldSelect {
                        arg: Box::new(e),
                        field: i,
                        type_oid: fields[i].1,
                        typmod: -1,
                    }),
                    None => Err(self.at(
                        pg_err!(
                            UNDEFINED_COLUMN,
                            "could not identify column \"{}\" in record data type",
                            field
                        ),
                        location,
                    )),
                }
            }
            e if e.type_oid() == type_oid::RECORD => Err(self.at(
                pg_err!(
                    UNDEFINED_COLUMN,
                    "could not identify column \"{}\" in record data type",
                    field
                ),
                location,
            )),
            e if self.catalog.composite_fields(e.type_oid()).is_some() => {
                let fields = self
                    .catalog
                    .composite_fields(e.type_oid())
                    .expect("checked in the guard");
                match fields.iter().position(|(name, _, _)| name == field) {
                    Some(i) => Ok(TypedExpr::FieldSelect {
                        arg: Box::new(e),
                        field: i,
                        type_oid: fields[i].1,
                        typmod: fields[i].2,
                    }),
                    None => Err(self.at(
                        pg_err!(
                            UNDEFINED_COLUMN,
                            "column \"{}\" not found in data type {}",
                            field,
                            self.catalog.format_type(e.type_oid())
                        ),
                        location,
                    )),
                }
            }
            e => Err(self.at(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "column notation .{} applied to type {}, which is not a composite type",
                    field,
                    self.catalog.format_type(e.type_oid())
                ),
                location,
            )),
        }
    }

    /// The fields of the record a call of a function with several OUT arguments
    /// returns (name, type); empty for other expressions.
    fn out_fields(&self, e: &TypedExpr) -> Vec<(String, Oid)> {
        match e {
            TypedExpr::Func {
                proc,
                retset: false,
                ..
            } => self
                .catalog
                .function(*proc)
                .map(|f| f.out_columns)
                .filter(|c| c.len() > 1)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// `(arg).*` in a SELECT list: one (name, value) per field of the record.
    ///
    /// Errors: those of [`Analyzer::field_select`] for a value whose fields are unknown
    /// here.
    pub(super) fn expand_fields(
        &mut self,
        arg: &Expr,
        scope: &Scope,
    ) -> Result<Vec<(String, TypedExpr)>> {
        let location = arg.location();
        match self.analyze_expr(arg, scope)? {
            TypedExpr::Row { args, names, .. } => Ok(names.into_iter().zip(args).collect()),
            TypedExpr::Case { default, .. } if matches!(*default, TypedExpr::Row { .. }) => {
                let TypedExpr::Row { args, names, .. } = *default else {
                    unreachable!("matched above");
                };
                Ok(names.into_iter().zip(args).collect())
            }
            e if e.type_oid() == type_oid::RECORD && !self.out_fields(&e).is_empty() => Ok(self
                .out_fields(&e)
                .into_iter()
                .enumerate()
                .map(|(i, (name, type_oid))| {
                    (
                        name,
                        TypedExpr::FieldSelect {
                            arg: Box::new(e.clone()),
                            field: i,
                            type_oid,
                            typmod: -1,
                        },
                    )
                })
                .collect()),
            e if e.type_oid() == type_oid::RECORD => Err(self.at(
                pg_err!(FEATURE_NOT_SUPPORTED, "record type has not been registered"),
                location,
            )),
            e if self.catalog.composite_fields(e.type_oid()).is_some() => Ok(self
                .catalog
                .composite_fields(e.type_oid())
                .expect("checked in the guard")
                .into_iter()
                .enumerate()
                .map(|(i, (name, type_oid, typmod))| {
                    (
                        name,
                        TypedExpr::FieldSelect {
                            arg: Box::new(e.clone()),
                            field: i,
                            type_oid,
                            typmod,
                        },
                    )
                })
                .collect()),
            e => Err(self.at(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "type {} is not composite",
                    self.catalog.format_type(e.type_oid())
                ),
                location,
            )),
        }
    }

    /// `json[b]_populate_record[set](base, ...)`: the fields of `row_type` (the base
    /// argument's composite type) appended to the call as the three constant arrays of
    /// [`Analyzer::column_definitions`] and the type's OID, which is how the functions
    /// learn the shape they fill.
    ///
    /// Errors: 42804 `first argument of jsonb_populate_record must be a row type` for a
    /// base argument of no known composite type.
    pub(super) fn append_row_shape(
        &mut self,
        function: &str,
        args: &mut Vec<TypedExpr>,
        row_type: Oid,
    ) -> Result<()> {
        let Some(fields) = self.catalog.composite_fields(row_type) else {
            // PostgreSQL raises it when the call runs: no position.
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "first argument of {} must be a row type",
                function
            ));
        };
        args.extend(shape_arrays(&fields));
        args.push(TypedExpr::Const {
            value: Datum::Oid(row_type.0),
            type_oid: type_oid::OID,
            typmod: -1,
            location: usize::MAX,
        });
        Ok(())
    }

    /// The column definition list of a function in FROM (`AS x(a int, b text)`): the
    /// columns it defines, after checking that `call` returns `record` without OUT
    /// arguments (`out_count` of them). The definitions are appended to the call as
    /// three constant arrays (names `text[]`, types `oid[]`, typmods `int4[]`), which is
    /// how the `json[b]_to_record[set]` functions learn the shape they fill.
    ///
    /// Errors: 42601 `a column definition list is required for functions returning
    /// "record"`, `... is only allowed for functions returning "record"`, `... is
    /// redundant for a function with OUT parameters`; 42704 for an unknown type.
    pub(super) fn column_definitions(
        &mut self,
        call: &mut TypedExpr,
        out_count: usize,
        defs: &[(String, TypeName)],
        defs_location: usize,
        call_location: usize,
    ) -> Result<Option<Vec<(String, Oid, i32)>>> {
        let returns_record = call.type_oid() == type_oid::RECORD;
        if defs.is_empty() {
            if returns_record && out_count == 0 && matches!(call, TypedExpr::Func { .. }) {
                return Err(self.at(
                    pg_err!(
                        SYNTAX_ERROR,
                        "a column definition list is required for functions returning \"record\""
                    ),
                    call_location,
                ));
            }
            return Ok(None);
        }
        if out_count > 0 {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "a column definition list is redundant for a function with OUT parameters"
                ),
                defs_location,
            ));
        }
        let TypedExpr::Func { args, .. } = call else {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "a column definition list is only allowed for functions returning \"record\""
                ),
                defs_location,
            ));
        };
        if !returns_record {
            return Err(self.at(
                pg_err!(
                    SYNTAX_ERROR,
                    "a column definition list is only allowed for functions returning \"record\""
                ),
                defs_location,
            ));
        }
        let mut columns = Vec::with_capacity(defs.len());
        for (name, type_name) in defs {
            let (t, typmod) = self.resolve_type_name(type_name)?;
            columns.push((name.clone(), t, typmod));
        }
        args.extend(shape_arrays(&columns));
        Ok(Some(columns))
    }
}

/// A row shape (name, type, typmod per column) as three constant arrays: names `text[]`,
/// types `oid[]`, typmods `int4[]`, appended to the calls of the JSON-to-record
/// functions.
fn shape_arrays(columns: &[(String, Oid, i32)]) -> [TypedExpr; 3] {
    let array = |elem: Oid, array_type: Oid, values: Vec<Datum>| TypedExpr::Const {
        value: Datum::Array(Box::new(Array::from_elements(elem, values))),
        type_oid: array_type,
        typmod: -1,
        location: usize::MAX,
    };
    [
        array(
            type_oid::TEXT,
            type_oid::TEXT_ARRAY,
            columns.iter().map(|c| Datum::Text(c.0.clone())).collect(),
        ),
        array(
            type_oid::OID,
            type_oid::OID_ARRAY,
            columns.iter().map(|c| Datum::Oid(c.1 .0)).collect(),
        ),
        array(
            type_oid::INT4,
            type_oid::INT4_ARRAY,
            columns.iter().map(|c| Datum::Int4(c.2)).collect(),
        ),
    ]
}
