//! Analysis of `LANGUAGE sql` function bodies, for CREATE FUNCTION's validation
//! (`check_function_bodies`) and for calls (PostgreSQL's `fmgr_sql` preparing its
//! execution state), and the session's side of calling a user-defined function
//! ([`tusk_executor::SessionContext::sql_function`]).
//!
//! Rules:
//! 1. The body's statements are analysed with the function's input arguments as
//!    parameters: `$n`, or a name no column has (`x`, or `f.x` qualified by the
//!    function's name), resolved through [`ParamResolver`].
//! 2. Unless the function returns `void` or is a procedure, the last statement must be a
//!    SELECT or an INSERT/UPDATE/DELETE with RETURNING (42P13), whose single column must
//!    be of the result type or assignable to it; a function returning a row type returns
//!    all the row's columns.
//! 3. Functions with polymorphic arguments or results are checked at CREATE only for
//!    syntax. A call analyses the body for the types its actual arguments fix
//!    ([`resolve_call`]): each polymorphic argument, OUT argument and the result take
//!    the concrete type they stand for, once per resolved signature and statement.
//!
//! Entry points: [`analyze_body`], the `sql_function` method of
//! [`super::interrupts::Interrupts`].

use std::sync::Arc;

use tusk_executor::sql_function::{FunctionResult, FunctionStatement, SqlFunction};
use tusk_executor::{BuiltinLookup, OutputSettings};
use tusk_sql::analyze::{Analyzer, CatalogLookup, CoercionContext, ParamResolver, TypedExpr};
use tusk_sql::ast::Statement;
use tusk_types::adt::record::{RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Error, Oid, Result, SqlState};

use super::function_catalog::{self, UserFunction, LANG_SQL};
use super::lookup::SessionLookup;

/// Input arguments by name (rule 1).
struct ArgumentNames<'a> {
    function: &'a str,
    names: Vec<String>,
    types: &'a [Oid],
}

impl ParamResolver for ArgumentNames<'_> {
    fn resolve(&self, fields: &[String]) -> Option<TypedExpr> {
        let name = match fields {
            [name] => name,
            [function, name] if function == self.function => name,
            _ => return None,
        };
        let index = self.names.iter().position(|n| !n.is_empty() && n == name)?;
        Some(TypedExpr::Param {
            index,
            type_oid: self.types[index],
        })
    }
}

/// Whether `t` is a polymorphic pseudo-type (`anyelement`, `anyarray`, ...).
pub(crate) fn is_polymorphic(t: Oid) -> bool {
    matches!(
        t.0,
        2277 | 2283 | 2776 | 3500 | 3831 | 4537 | 4538 | 5077 | 5078 | 5079 | 5080
    )
}

fn return_mismatch(catalog: &dyn CatalogLookup, ret: Oid, detail: String) -> Error {
    pg_err!(
        INVALID_FUNCTION_DEFINITION,
        "return type mismatch in function declared to return {}",
        catalog.format_type(ret)
    )
    .detail(detail)
}

/// `function` with its polymorphic argument and result types replaced by those a call
/// with arguments of the types `actual` fixes (rule 3); a function without polymorphic
/// types is returned as is.
///
/// Errors: 0A000 `return type anyarray is not supported for SQL functions` when the
/// result stays polymorphic (an `anyarray` column passed to an `anyarray` argument);
/// 42804 when an argument's type stays undetermined (a call without argument types).
pub(crate) fn resolve_call(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
    actual: &[Oid],
) -> Result<UserFunction> {
    let polymorphic = |types: &[Oid]| types.iter().any(|t| is_polymorphic(*t));
    if !polymorphic(&function.arg_types)
        && !polymorphic(&function.all_arg_types)
        && !is_polymorphic(function.ret_type)
    {
        return Ok(function.clone());
    }
    let analyzer = Analyzer::new(catalog, "", Vec::new());
    let declared = &function.arg_types;
    let resolve = |t: Oid| {
        if actual.len() < declared.len() {
            t
        } else {
            analyzer.resolve_polymorphic_type(t, declared, actual)
        }
    };
    let mut resolved = function.clone();
    resolved.ret_type = resolve(function.ret_type);
    if is_polymorphic(resolved.ret_type) {
        return Err(Error::feature_not_supported(format!(
            "return type {} is not supported for SQL functions",
            catalog.format_type(resolved.ret_type)
        ))
        .context(format!("SQL function \"{}\" during startup", function.name)));
    }
    resolved.arg_types = declared.iter().map(|t| resolve(*t)).collect();
    resolved.all_arg_types = function.all_arg_types.iter().map(|t| resolve(*t)).collect();
    let all = if resolved.all_arg_types.is_empty() {
        &resolved.arg_types
    } else {
        &resolved.all_arg_types
    };
    let original = if function.all_arg_types.is_empty() {
        &function.arg_types
    } else {
        &function.all_arg_types
    };
    if let Some((declared, _)) = original
        .iter()
        .zip(all)
        .find(|(_, t)| is_polymorphic(**t) && **t != type_oid::ANY)
    {
        return Err(pg_err!(
            DATATYPE_MISMATCH,
            "could not determine actual type of argument declared {}",
            catalog.format_type(*declared)
        ));
    }
    Ok(resolved)
}

/// Analyses `body` (the function's `prosrc` or `prosqlbody`) for `function` (rules 1, 2).
///
/// Errors: the body's syntax and analysis errors; 42P13 for a final statement that does
/// not produce the declared result; 0A000 for statements other than SELECT, INSERT,
/// UPDATE and DELETE, and for polymorphic functions (resolve them first:
/// [`resolve_call`]).
pub(crate) fn analyze_body(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
    body: &str,
) -> Result<SqlFunction> {
    if function.arg_types.iter().any(|t| is_polymorphic(*t)) || is_polymorphic(function.ret_type) {
        return Err(Error::feature_not_supported(
            "SQL functions with polymorphic arguments or results",
        ));
    }
    let raw = tusk_sql::parse(body)?;
    let resolver = ArgumentNames {
        function: &function.name,
        names: function.input_names(),
        types: &function.arg_types,
    };
    let mut statements = Vec::with_capacity(raw.len());
    for r in &raw {
        let mut analyzer =
            Analyzer::new(catalog, body, function.arg_types.clone()).with_param_resolver(&resolver);
        statements.push(match &r.stmt {
            Statement::Select(s) => FunctionStatement::Query(Box::new(analyzer.analyze_select(s)?)),
            Statement::Insert(s) => {
                FunctionStatement::Modify(Box::new(analyzer.analyze_insert(s)?))
            }
            Statement::Update(s) => {
                FunctionStatement::Modify(Box::new(analyzer.analyze_update(s)?))
            }
            Statement::Delete(s) => {
                FunctionStatement::Modify(Box::new(analyzer.analyze_delete(s)?))
            }
            Statement::Merge(s) => FunctionStatement::Modify(Box::new(analyzer.analyze_merge(s)?)),
            _ => {
                return Err(Error::feature_not_supported(
                    "statements other than SELECT, INSERT, UPDATE and DELETE in SQL functions",
                ))
            }
        });
    }
    let result = result_shape(catalog, function, &mut statements)?;
    Ok(SqlFunction {
        name: function.name.clone(),
        statements,
        strict: function.strict,
        retset: function.retset,
        result,
        procedural: None,
    })
}

/// Checks the final statement against the declared result and says how a single result
/// is shaped (rule 2).
fn result_shape(
    catalog: &dyn CatalogLookup,
    function: &UserFunction,
    statements: &mut [FunctionStatement],
) -> Result<FunctionResult> {
    let ret = function.ret_type;
    if function.kind == b'p' && ret == type_oid::VOID {
        return Ok(FunctionResult::Void);
    }
    if ret == type_oid::VOID {
        return Ok(FunctionResult::Void);
    }
    let final_statement = || {
        return_mismatch(
            catalog,
            ret,
            "Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.".into(),
        )
    };
    let Some(last) = statements.last_mut() else {
        return Err(final_statement());
    };
    let columns: Vec<(String, Oid, i32)> = match last {
        FunctionStatement::Query(q) => q
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.type_oid, c.typmod))
            .collect(),
        FunctionStatement::Modify(m) if !m.returning_columns.is_empty() => m
            .returning_columns
            .iter()
            .map(|c| (c.name.clone(), c.type_oid, c.typmod))
            .collect(),
        FunctionStatement::Modify(_) => return Err(final_statement()),
    };
    let out = function.out_columns();
    let wanted: Option<Vec<(String, Oid)>> = if out.len() > 1
        || (ret == type_oid::RECORD && !out.is_empty())
    {
        Some(out)
    } else if ret == type_oid::RECORD || catalog.type_info(ret).is_some_and(|t| t.typtype == b'c') {
        None
    } else {
        Some(vec![(String::new(), ret)])
    };
    let Some(wanted) = wanted else {
        // A record of whatever the final statement returns.
        let desc = RecordDesc {
            type_oid: ret,
            fields: columns
                .iter()
                .map(|(name, t, typmod)| RecordField {
                    name: name.clone(),
                    type_oid: *t,
                    typmod: *typmod,
                })
                .collect(),
        };
        return Ok(FunctionResult::Record(Arc::new(desc)));
    };
    if columns.len() != wanted.len() {
        return Err(return_mismatch(
            catalog,
            ret,
            if wanted.len() == 1 {
                "Final statement must return exactly one column.".into()
            } else {
                format!(
                    "Final statement returns {} columns.",
                    if columns.len() < wanted.len() {
                        "too few"
                    } else {
                        "too many"
                    }
                )
            },
        ));
    }
    for (i, ((_, actual, _), (_, want))) in columns.iter().zip(&wanted).enumerate() {
        if actual == want {
            continue;
        }
        let FunctionStatement::Query(q) = last else {
            return Err(mismatch_detail(
                catalog,
                ret,
                *actual,
                *want,
                wanted.len(),
                i,
            ));
        };
        let Some(target) = q.targets.get(i).cloned() else {
            return Err(mismatch_detail(
                catalog,
                ret,
                *actual,
                *want,
                wanted.len(),
                i,
            ));
        };
        let mut analyzer = Analyzer::new(catalog, "", Vec::new());
        let coerced = analyzer
            .coerce(target, *want, -1, CoercionContext::Assignment, usize::MAX)
            .map_err(|_| mismatch_detail(catalog, ret, *actual, *want, wanted.len(), i))?;
        q.targets[i] = coerced;
        q.columns[i].type_oid = *want;
        q.columns[i].typmod = -1;
    }
    if wanted.len() == 1 && ret != type_oid::RECORD {
        return Ok(FunctionResult::Value);
    }
    Ok(FunctionResult::Record(Arc::new(RecordDesc {
        type_oid: type_oid::RECORD,
        fields: wanted
            .into_iter()
            .map(|(name, t)| RecordField {
                name,
                type_oid: t,
                typmod: -1,
            })
            .collect(),
    })))
}

fn mismatch_detail(
    catalog: &dyn CatalogLookup,
    ret: Oid,
    actual: Oid,
    want: Oid,
    width: usize,
    column: usize,
) -> Error {
    if width == 1 {
        return_mismatch(
            catalog,
            ret,
            format!("Actual return type is {}.", catalog.format_type(actual)),
        )
    } else {
        return_mismatch(
            catalog,
            ret,
            format!(
                "Final statement returns {} instead of {} at column {}.",
                catalog.format_type(actual),
                catalog.format_type(want),
                column + 1
            ),
        )
    }
}

/// The body of `function`: `prosqlbody` if it has one, else `prosrc`.
pub(crate) fn body_of(function: &UserFunction) -> &str {
    function.sql_body.as_deref().unwrap_or(&function.src)
}

/// Prepares user function `proc` for a call with arguments of the types `arg_types`
/// through the session's catalog.
///
/// Errors: 42883 if there is no such function; those of [`resolve_call`] and
/// [`analyze_body`]; the procedural-language dispatch's errors.
pub(crate) fn prepare_call(
    catalog: &crate::relcache::CatalogReader<'_>,
    output: &OutputSettings,
    proc: Oid,
    arg_types: &[Oid],
) -> Result<Arc<SqlFunction>> {
    let function = function_catalog::user_function(catalog, proc)?.ok_or_else(|| {
        Error::new(
            SqlState::UNDEFINED_FUNCTION,
            format!("function with OID {} does not exist", proc.0),
        )
    })?;
    let lookup = SessionLookup {
        builtin: BuiltinLookup { settings: output },
        catalog,
    };
    if function.language != LANG_SQL {
        return super::procedural::prepare_procedural(&lookup, &function).map(Arc::new);
    }
    let function = resolve_call(&lookup, &function, arg_types)?;
    analyze_body(&lookup, &function, body_of(&function)).map(Arc::new)
}
