//! CREATE [OR REPLACE] FUNCTION / PROCEDURE and DROP FUNCTION / PROCEDURE / ROUTINE
//! (PostgreSQL's `CreateFunction`, `ProcedureCreate`, `RemoveObjects`): `pg_proc` rows
//! with their `pg_depend` rows, written in the session's transaction so a rollback leaves
//! nothing.
//!
//! Rules:
//! 1. The language is `sql` (14), `plpgsql` (13563), `internal` (12) or `c` (13); a body
//!    without `LANGUAGE` is SQL only in the SQL-standard forms; any other name is 42704.
//! 2. With `check_function_bodies` on, a SQL body is analysed at CREATE
//!    ([`super::sql_function::analyze_body`]), a PL/pgSQL one parsed.
//! 3. OR REPLACE keeps the OID; it may not change the result type (42P13) or the kind
//!    (42809). Without it, a function of the same name and input types is 42723.
//! 4. Argument defaults are evaluated at CREATE and kept as constants (see
//!    `function_catalog`'s header for the stored form).
//! 5. `LANGUAGE C` (superusers only) names a built-in C library and symbol,
//!    `AS 'file' [, 'symbol']` (`probin`, `prosrc`), resolved at CREATE
//!    (`c_language`: 58P01 for an unknown file, 42883 for an unknown symbol).
//!
//! Entry points: [`Session::create_function`], [`Session::drop_functions`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_executor::{BuiltinLookup, ExprEvaluator};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope};
use tusk_sql::ast_function::{ArgMode, CreateFunctionStmt, DropFunctionStmt, RoutineKind};
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::{
    self, pg_proc, UserFunction, LANG_C, LANG_INTERNAL, LANG_PLPGSQL, LANG_SQL,
};
use super::lookup::SessionLookup;
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

/// A CREATE FUNCTION statement with its names and types resolved.
struct Resolved {
    namespace: Oid,
    /// (mode, name, type) of every argument.
    args: Vec<(ArgMode, Option<String>, Oid)>,
    ret: Oid,
    /// Defaults of the trailing input arguments, as text (`None` for NULL).
    defaults: Vec<Option<String>>,
}

/// PostgreSQL's `check_valid_polymorphic_signature`: a polymorphic result (or OUT
/// argument) must be decidable from the inputs.
///
/// Errors: 42P13 `cannot determine result data type` with PostgreSQL's DETAIL.
fn check_polymorphic_signature(resolved: &Resolved) -> Result<()> {
    const SIMPLE: [u32; 6] = [2283, 2277, 2776, 3500, 3831, 4537];
    const COMPATIBLE: [u32; 5] = [5077, 5078, 5079, 5080, 4538];
    let inputs: Vec<u32> = resolved
        .args
        .iter()
        .filter(|(mode, _, _)| !matches!(mode, ArgMode::Out | ArgMode::Table))
        .map(|(_, _, t)| t.0)
        .collect();
    let outputs = std::iter::once(resolved.ret.0).chain(
        resolved
            .args
            .iter()
            .filter(|(mode, _, _)| matches!(mode, ArgMode::Out | ArgMode::InOut | ArgMode::Table))
            .map(|(_, _, t)| t.0),
    );
    for out in outputs {
        let (needed, wanted): (&[u32], &str) = match out {
            // anyrange, anymultirange
            3831 | 4537 => (&[3831, 4537], "anyrange or anymultirange"),
            // anycompatiblerange, anycompatiblemultirange
            5080 | 4538 => (
                &[5080, 4538],
                "anycompatiblerange or anycompatiblemultirange",
            ),
            t if SIMPLE.contains(&t) => (
                &SIMPLE,
                "anyelement, anyarray, anynonarray, anyenum, anyrange, or anymultirange",
            ),
            t if COMPATIBLE.contains(&t) => (
                &COMPATIBLE,
                "anycompatible, anycompatiblearray, anycompatiblenonarray, anycompatiblerange, or anycompatiblemultirange",
            ),
            _ => continue,
        };
        if !inputs.iter().any(|t| needed.contains(t)) {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "cannot determine result data type"
            )
            .detail(format!(
                "A result of type {} requires at least one input of type {}.",
                tusk_executor::io::format_type(Oid(out)),
                wanted
            )));
        }
    }
    Ok(())
}

fn signature(name: &str, types: &[Oid]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| tusk_executor::io::format_type(*t))
        .collect();
    format!("{}({})", name, names.join(", "))
}

/// A one-dimensional array of `elem` values, indexed from 1.
fn array_value(elem: Oid, values: Vec<Datum>) -> Datum {
    Datum::Array(Box::new(Array::from_elements(elem, values)))
}

impl Session {
    fn resolve_function_definition(&mut self, stmt: &CreateFunctionStmt) -> Result<Resolved> {
        let reader = self.catalog_reader();
        let (schema, _) = match stmt.name.as_slice() {
            [schema, _] => (Some(schema.as_str()), ()),
            [_, schema, _] => (Some(schema.as_str()), ()),
            _ => (None, ()),
        };
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        let lookup = SessionLookup {
            builtin: BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        let mut args = Vec::with_capacity(stmt.args.len());
        let mut default_exprs = Vec::new();
        for a in &stmt.args {
            let (t, _) = analyzer.resolve_type_name(&a.type_name)?;
            if stmt.is_procedure && matches!(a.mode, ArgMode::Table) {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "procedures cannot have OUT arguments"
                ));
            }
            match &a.default {
                Some(d) if a.mode.is_input() => {
                    let typed = analyzer.analyze_expr(d, &Scope::default())?;
                    let typed =
                        analyzer.coerce(typed, t, -1, CoercionContext::Assignment, d.location())?;
                    default_exprs.push((ExprEvaluator::compile(&typed)?, t));
                }
                Some(_) => {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "only input parameters can have default values"
                    ))
                }
                None if a.mode.is_input() && !default_exprs.is_empty() => {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "input parameters after one with a default value must also have defaults"
                    ))
                }
                None => {}
            }
            // Input names must differ among inputs, output names among outputs (an
            // input and an output may share one).
            let output = |m: &ArgMode| matches!(m, ArgMode::Out | ArgMode::InOut | ArgMode::Table);
            if let Some(name) = a.name.as_deref().filter(|n| !n.is_empty()) {
                let clash = args
                    .iter()
                    .any(|(m, n, _): &(ArgMode, Option<String>, Oid)| {
                        n.as_deref() == Some(name)
                            && ((m.is_input() && a.mode.is_input())
                                || (output(m) && output(&a.mode)))
                    });
                if clash {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "parameter name \"{}\" used more than once",
                        name
                    ));
                }
            }
            args.push((a.mode, a.name.clone(), t));
        }
        let outs: Vec<Oid> = args
            .iter()
            .filter(|(m, _, _)| matches!(m, ArgMode::Out | ArgMode::InOut | ArgMode::Table))
            .map(|(_, _, t)| *t)
            .collect();
        let ret = match &stmt.returns {
            Some(t) if !args.iter().any(|(m, _, _)| *m == ArgMode::Table) => {
                let (ret, _) = analyzer.resolve_type_name(t)?;
                let implied = match outs.as_slice() {
                    [] => ret,
                    [one] => *one,
                    _ => type_oid::RECORD,
                };
                if implied != ret {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "function result type must be {} because of OUT parameters",
                        tusk_executor::io::format_type(implied)
                    ));
                }
                ret
            }
            _ if stmt.is_procedure => {
                if outs.is_empty() {
                    type_oid::VOID
                } else {
                    type_oid::RECORD
                }
            }
            _ => match outs.as_slice() {
                [] => {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "function result type must be specified"
                    ))
                }
                [one] if stmt.returns.is_none() => *one,
                _ => type_oid::RECORD,
            },
        };
        drop(analyzer);
        drop(reader);
        let mut defaults = Vec::with_capacity(default_exprs.len());
        for (e, t) in default_exprs {
            let value = self.with_eval_context(&[], |ctx| e.eval(ctx, &[]))?;
            defaults.push(if value.is_null() {
                None
            } else {
                Some(tusk_executor::io::text_out_string(&value, t, &self.output)?)
            });
        }
        Ok(Resolved {
            namespace,
            args,
            ret,
            defaults,
        })
    }

    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE` (rules 1 to 4).
    ///
    /// Errors: 42704 `language "x" does not exist`; 42P13 for result type problems and
    /// bodies whose final statement does not fit; 42723 `function "f" already exists with
    /// same argument types`; 42809 `cannot change routine kind`; 0A000 for options tusk
    /// does not support; the body's errors; 25006.
    pub(crate) fn create_function(
        &mut self,
        stmt: &CreateFunctionStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let _ = sink;
        let noun = if stmt.is_procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        };
        self.read_only_check(&format!("CREATE {noun}"))?;
        if let Some(option) = &stmt.unsupported_option {
            return Err(Error::feature_not_supported(format!(
                "CREATE FUNCTION ... {option}"
            )));
        }
        let language = match stmt.language.as_deref() {
            Some("sql") => LANG_SQL,
            Some("plpgsql") => LANG_PLPGSQL,
            Some("internal") if !self.superuser => {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied for language internal"
                ))
            }
            Some("internal") => LANG_INTERNAL,
            Some("c") if !self.superuser => {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied for language c"
                ))
            }
            Some("c") => LANG_C,
            Some(other) => {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "language \"{}\" does not exist",
                    other
                ))
            }
            None if stmt.sql_body.is_some() => LANG_SQL,
            None => {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "no language specified"
                ))
            }
        };
        let name = stmt.name.last().cloned().unwrap_or_default();
        let resolved = self.resolve_function_definition(stmt)?;
        let input_types: Vec<Oid> = resolved
            .args
            .iter()
            .filter(|(m, _, _)| m.is_input())
            .map(|(_, _, t)| *t)
            .collect();
        // A C function's AS is 'file' [, 'symbol'] (rule 5).
        let (src, bin) = if language == LANG_C {
            match stmt.as_body.as_slice() {
                [file] => (name.clone(), file.clone()),
                [file, symbol] => (symbol.clone(), file.clone()),
                _ => {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "no function body specified"
                    ))
                }
            }
        } else {
            (String::new(), String::new())
        };
        let src = match (&stmt.sql_body, stmt.as_body.first()) {
            _ if language == LANG_C => src,
            (Some(_), Some(_)) => {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "duplicate function body specified"
                ))
            }
            (Some(_), None) => String::new(),
            (None, Some(body)) => body.clone(),
            (None, None) => {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "no function body specified"
                ))
            }
        };
        if language == LANG_INTERNAL && tusk_executor::builtins::by_src(src.trim()).is_none() {
            return Err(pg_err!(
                UNDEFINED_FUNCTION,
                "there is no built-in function named \"{}\"",
                src.trim()
            ));
        }
        if language == LANG_C {
            super::c_language::resolve(&bin, &src)?;
        }
        if stmt.sql_body.is_some() && language != LANG_SQL {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "inline SQL function body only valid for language SQL"
            ));
        }
        check_polymorphic_signature(&resolved)?;
        // An existing function of the same signature (rule 3).
        let existing = {
            let reader = self.catalog_reader();
            function_catalog::user_functions(&reader, &name, Some(&[resolved.namespace]))?
                .into_iter()
                .find(|f| f.arg_types == input_types)
        };
        let kind = if stmt.is_procedure { b'p' } else { b'f' };
        if let Some(old) = &existing {
            if !stmt.replace {
                return Err(pg_err!(
                    DUPLICATE_FUNCTION,
                    "function \"{}\" already exists with same argument types",
                    name
                ));
            }
            if old.kind != kind {
                return Err(
                    pg_err!(WRONG_OBJECT_TYPE, "cannot change routine kind").detail(format!(
                        "\"{}\" is a {}.",
                        name,
                        if old.kind == b'p' {
                            "procedure"
                        } else {
                            "function"
                        }
                    )),
                );
            }
            if old.ret_type != resolved.ret || old.retset != stmt.setof {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "cannot change return type of existing function"
                )
                .hint(format!(
                    "Use DROP {} {} first.",
                    if stmt.is_procedure {
                        "PROCEDURE"
                    } else {
                        "FUNCTION"
                    },
                    signature(&name, &input_types)
                )));
            }
        }
        let cluster = self.db.cluster.clone();
        let oid = existing
            .as_ref()
            .map(|f| f.oid)
            .unwrap_or_else(|| cluster.xact.oids.next_oid(&cluster.wal));
        let variadic = resolved
            .args
            .iter()
            .find(|(m, _, _)| *m == ArgMode::Variadic)
            .map(|(_, _, t)| {
                // `VARIADIC anyarray` takes anyelement values, `anycompatiblearray`
                // anycompatible ones.
                match t.0 {
                    2277 => return Oid(2283),
                    5078 => return Oid(5077),
                    _ => {}
                }
                tusk_types::adt::array::builtin_element_type(*t)
                    .filter(|_| *t != Oid(22) && *t != type_oid::OIDVECTOR)
                    .unwrap_or(type_oid::ANY)
            })
            .unwrap_or(Oid::INVALID);
        let function = UserFunction {
            oid,
            name: name.clone(),
            namespace: resolved.namespace,
            kind,
            language,
            arg_types: input_types.clone(),
            all_arg_types: if resolved.args.iter().all(|(m, _, _)| *m == ArgMode::In) {
                Vec::new()
            } else {
                resolved.args.iter().map(|(_, _, t)| *t).collect()
            },
            arg_modes: if resolved.args.iter().all(|(m, _, _)| *m == ArgMode::In) {
                Vec::new()
            } else {
                resolved
                    .args
                    .iter()
                    .map(|(m, _, _)| m.letter() as u8)
                    .collect()
            },
            arg_names: if resolved.args.iter().any(|(_, n, _)| n.is_some()) {
                resolved
                    .args
                    .iter()
                    .map(|(_, n, _)| n.clone().unwrap_or_default())
                    .collect()
            } else {
                Vec::new()
            },
            ret_type: resolved.ret,
            retset: stmt.setof,
            strict: stmt.strict.unwrap_or(false),
            volatility: stmt.volatility.unwrap_or(b'v'),
            variadic,
            src: src.clone(),
            bin: (language == LANG_C).then_some(bin),
            sql_body: stmt.sql_body.clone(),
            defaults: None,
        };
        if existing.is_some() {
            self.remove_function_rows(oid, false)?;
        }
        let row = self.proc_row(stmt, &function, &resolved)?;
        self.insert_catalog_row(row)?;
        self.insert_depend_row(
            syscat::PG_PROC,
            oid,
            syscat::PG_NAMESPACE,
            resolved.namespace,
            b'n',
        )?;
        let mut types: Vec<Oid> = resolved.args.iter().map(|(_, _, t)| *t).collect();
        types.push(resolved.ret);
        types.sort_by_key(|t| t.0);
        types.dedup();
        for t in types.into_iter().filter(|t| t.0 >= 16384) {
            self.insert_depend_row(syscat::PG_PROC, oid, syscat::PG_TYPE, t, b'n')?;
        }
        // Rule 2, with the new row visible: a body may call the function itself.
        self.txn.command_counter_increment();
        if self.config.get_string("check_function_bodies") == "on"
            && language != LANG_INTERNAL
            && language != LANG_C
        {
            if language == LANG_PLPGSQL {
                let reader = self.catalog_reader();
                let lookup = SessionLookup {
                    builtin: BuiltinLookup {
                        settings: &self.output,
                    },
                    catalog: &reader,
                };
                super::procedural::validate_procedural(&lookup, &function)?;
            } else if !function
                .arg_types
                .iter()
                .any(|t| super::sql_function::is_polymorphic(*t))
                && !super::sql_function::is_polymorphic(function.ret_type)
            {
                let reader = self.catalog_reader();
                let lookup = SessionLookup {
                    builtin: BuiltinLookup {
                        settings: &self.output,
                    },
                    catalog: &reader,
                };
                super::sql_function::analyze_body(
                    &lookup,
                    &function,
                    super::sql_function::body_of(&function),
                )?;
            } else {
                tusk_sql::parse(super::sql_function::body_of(&function))?;
            }
        }
        Ok(format!("CREATE {noun}"))
    }

    fn proc_row(
        &self,
        stmt: &CreateFunctionStmt,
        f: &UserFunction,
        resolved: &Resolved,
    ) -> Result<CatalogRow> {
        let letters = |values: &[u8]| -> Datum {
            if values.is_empty() {
                Datum::Null
            } else {
                array_value(
                    type_oid::CHAR,
                    values
                        .iter()
                        .map(|c| Datum::Text((*c as char).to_string()))
                        .collect(),
                )
            }
        };
        let defaults = if resolved.defaults.is_empty() {
            Datum::Null
        } else {
            let texts = array_value(
                type_oid::TEXT,
                resolved
                    .defaults
                    .iter()
                    .map(|d| d.clone().map_or(Datum::Null, Datum::Text))
                    .collect(),
            );
            Datum::Text(tusk_executor::io::text_out_string(
                &texts,
                type_oid::TEXT_ARRAY,
                &self.output,
            )?)
        };
        let rows = stmt.rows.unwrap_or(if stmt.setof { 1000.0 } else { 0.0 });
        Ok(CatalogRow::new(pg_proc())
            .set("oid", Datum::Oid(f.oid.0))
            .set("proname", Datum::Text(f.name.clone()))
            .set("pronamespace", Datum::Oid(f.namespace.0))
            .set("proowner", Datum::Oid(self.current_user_oid()?.0))
            .set("prolang", Datum::Oid(f.language.0))
            .set("procost", Datum::Float4(stmt.cost.unwrap_or(100.0) as f32))
            .set("prorows", Datum::Float4(rows as f32))
            .set("provariadic", Datum::Oid(f.variadic.0))
            .set("prosupport", Datum::Oid(0))
            .set("prokind", Datum::Text((f.kind as char).to_string()))
            .set(
                "prosecdef",
                Datum::Bool(stmt.security_definer.unwrap_or(false)),
            )
            .set("proleakproof", Datum::Bool(stmt.leakproof.unwrap_or(false)))
            .set("proisstrict", Datum::Bool(f.strict))
            .set("proretset", Datum::Bool(f.retset))
            .set(
                "provolatile",
                Datum::Text((f.volatility as char).to_string()),
            )
            .set(
                "proparallel",
                Datum::Text((stmt.parallel.unwrap_or(b'u') as char).to_string()),
            )
            .set("pronargs", Datum::Int2(f.arg_types.len() as i16))
            .set(
                "pronargdefaults",
                Datum::Int2(resolved.defaults.len() as i16),
            )
            .set("prorettype", Datum::Oid(f.ret_type.0))
            .set(
                "proargtypes",
                // An oidvector is indexed from 0, as PostgreSQL's buildoidvector makes it.
                super::index_ddl::oidvector(f.arg_types.clone()),
            )
            .set(
                "proallargtypes",
                if f.all_arg_types.is_empty() {
                    Datum::Null
                } else {
                    array_value(
                        type_oid::OID,
                        f.all_arg_types.iter().map(|t| Datum::Oid(t.0)).collect(),
                    )
                },
            )
            .set("proargmodes", letters(&f.arg_modes))
            .set(
                "proargnames",
                if f.arg_names.is_empty() {
                    Datum::Null
                } else {
                    array_value(
                        type_oid::TEXT,
                        f.arg_names.iter().map(|n| Datum::Text(n.clone())).collect(),
                    )
                },
            )
            .set("proargdefaults", defaults)
            .set("protrftypes", Datum::Null)
            .set("prosrc", Datum::Text(f.src.clone()))
            .set("probin", f.bin.clone().map_or(Datum::Null, Datum::Text))
            .set(
                "prosqlbody",
                f.sql_body.clone().map_or(Datum::Null, Datum::Text),
            )
            .set("proconfig", Datum::Null)
            .set("proacl", Datum::Null))
    }

    /// Deletes function `oid`'s `pg_proc` row and, unless it is being replaced, its
    /// `pg_depend` and `pg_description` rows.
    pub(crate) fn remove_function_rows(&mut self, oid: Oid, dependents_too: bool) -> Result<()> {
        let c_oid = pg_proc().col("oid");
        self.delete_catalog_rows(syscat::PG_PROC, move |r| r[c_oid] == Datum::Oid(oid.0))?;
        let aggregate = syscat::system_catalog(Oid(2600)).expect("pg_aggregate");
        let c_fn = aggregate.col("aggfnoid");
        self.delete_catalog_rows(Oid(2600), move |r| r[c_fn] == Datum::Oid(oid.0))?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (c_class, c_obj) = (depend.col("classid"), depend.col("objid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r| {
            r[c_class] == Datum::Oid(syscat::PG_PROC.0) && r[c_obj] == Datum::Oid(oid.0)
        })?;
        if dependents_too {
            let description =
                syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
            let (c_class, c_obj) = (description.col("classoid"), description.col("objoid"));
            self.delete_catalog_rows(syscat::PG_DESCRIPTION, move |r| {
                r[c_class] == Datum::Oid(syscat::PG_PROC.0) && r[c_obj] == Datum::Oid(oid.0)
            })?;
        }
        Ok(())
    }

    /// `DROP FUNCTION | PROCEDURE | ROUTINE [IF EXISTS] f[(types)] [, ...]`.
    ///
    /// Errors: 42883 `function f(integer) does not exist` (a NOTICE with IF EXISTS);
    /// 42883 `could not find a function named "f"`; 42725 `function name "f" is not
    /// unique`; 42809 `f(integer) is not a procedure`; 25006.
    pub(crate) fn drop_functions(
        &mut self,
        stmt: &DropFunctionStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let (noun, tag) = match stmt.kind {
            RoutineKind::Function => ("function", "DROP FUNCTION"),
            RoutineKind::Procedure => ("procedure", "DROP PROCEDURE"),
            RoutineKind::Routine => ("routine", "DROP ROUTINE"),
            RoutineKind::Aggregate => ("aggregate", "DROP AGGREGATE"),
        };
        self.read_only_check(tag)?;
        let mut targets: Vec<(Oid, String)> = Vec::new();
        for f in &stmt.functions {
            let name = f.name.last().cloned().unwrap_or_default();
            let (found, wanted) = {
                let reader = self.catalog_reader();
                let namespaces = match f.name.as_slice() {
                    [schema, _] | [_, schema, _] => match reader.namespace_oid(schema)? {
                        Some(ns) => vec![ns],
                        None if stmt.missing_ok => {
                            sink.notice(
                                NoticeSeverity::Notice,
                                &pg_err!(
                                    UNDEFINED_SCHEMA,
                                    "schema \"{}\" does not exist, skipping",
                                    schema
                                ),
                            );
                            continue;
                        }
                        None => {
                            return Err(pg_err!(
                                UNDEFINED_SCHEMA,
                                "schema \"{}\" does not exist",
                                schema
                            ))
                        }
                    },
                    _ => function_catalog::search_namespaces(&reader)?,
                };
                let lookup = SessionLookup {
                    builtin: BuiltinLookup {
                        settings: &self.output,
                    },
                    catalog: &reader,
                };
                let wanted = match &f.args {
                    Some(types) => {
                        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
                        Some(
                            types
                                .iter()
                                .map(|t| analyzer.resolve_type_name(t).map(|(o, _)| o))
                                .collect::<Result<Vec<Oid>>>()?,
                        )
                    }
                    None => None,
                };
                let mut found =
                    function_catalog::user_functions(&reader, &name, Some(&namespaces))?;
                if let Some(w) = &wanted {
                    found.retain(|u| &u.arg_types == w);
                }
                // The first schema of the search path that has one wins.
                if let Some(first) = namespaces
                    .iter()
                    .find(|ns| found.iter().any(|u| u.namespace == **ns))
                {
                    found.retain(|u| u.namespace == *first);
                }
                (found, wanted)
            };
            let aggregate = stmt.kind == RoutineKind::Aggregate;
            let shown = |types: &Option<Vec<Oid>>| match types {
                Some(t) if aggregate && t.is_empty() => format!("{name}(*)"),
                Some(t) => signature(&name, t),
                None => format!("{name}()"),
            };
            let function = match found.as_slice() {
                [] => {
                    let err = match &wanted {
                        Some(_) => pg_err!(
                            UNDEFINED_FUNCTION,
                            "{} {} does not exist",
                            noun,
                            shown(&wanted)
                        ),
                        None => pg_err!(
                            UNDEFINED_FUNCTION,
                            "could not find a {} named \"{}\"",
                            noun,
                            name
                        ),
                    };
                    if stmt.missing_ok {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &Error::new(
                                SqlState::SUCCESSFUL_COMPLETION,
                                format!("{} {} does not exist, skipping", noun, shown(&wanted)),
                            ),
                        );
                        continue;
                    }
                    return Err(err);
                }
                [one] => one.clone(),
                _ => {
                    return Err(pg_err!(
                        AMBIGUOUS_FUNCTION,
                        "{} name \"{}\" is not unique",
                        noun,
                        name
                    )
                    .hint(format!(
                        "Specify the argument list to select the {noun} unambiguously."
                    )))
                }
            };
            let shown = signature(&name, &function.arg_types);
            match (stmt.kind, function.kind) {
                (RoutineKind::Function, b'p') => {
                    return Err(pg_err!(WRONG_OBJECT_TYPE, "{} is not a function", shown))
                }
                (RoutineKind::Function, b'a') => {
                    return Err(
                        pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is an aggregate function", name)
                            .hint("Use DROP AGGREGATE to drop aggregate functions."),
                    )
                }
                (RoutineKind::Aggregate, k) if k != b'a' => {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "function {} is not an aggregate",
                        shown
                    ))
                }
                (RoutineKind::Procedure, k) if k != b'p' => {
                    return Err(pg_err!(WRONG_OBJECT_TYPE, "{} is not a procedure", shown))
                }
                _ => {}
            }
            targets.push((function.oid, shown));
        }
        for (oid, shown) in targets {
            let triggers = self.function_trigger_dependents(oid)?;
            if !triggers.is_empty() {
                let dependents: Vec<_> = triggers
                    .iter()
                    .map(|(_, d)| super::dependency::Dependent {
                        kind: super::dependency::DependentKind::Relation,
                        rel: Oid::INVALID,
                        reason: format!("{d} depends on {noun} {shown}"),
                        description: d.clone(),
                    })
                    .collect();
                let root = format!("{noun} {shown}");
                self.report_dependents(&root, &dependents, stmt.cascade, sink)?;
                for (trigger, _) in triggers {
                    self.drop_trigger_by_oid(trigger)?;
                }
            }
            let aggregates = self.function_aggregate_dependents(oid)?;
            if !aggregates.is_empty() {
                // Object descriptions list argument types without spaces.
                let shown = shown.replace(", ", ",");
                let dependents: Vec<_> = aggregates
                    .iter()
                    .map(|(_, d)| super::dependency::Dependent {
                        rel: Oid::INVALID,
                        kind: super::dependency::DependentKind::Function,
                        reason: format!("{d} depends on {noun} {shown}"),
                        description: d.clone(),
                    })
                    .collect();
                self.report_dependents(
                    &format!("{noun} {shown}"),
                    &dependents,
                    stmt.cascade,
                    sink,
                )?;
                for (aggregate, _) in aggregates {
                    self.remove_function_rows(aggregate, true)?;
                }
            }
            self.drop_function_wrapper_dependents(
                oid,
                &format!("{noun} {shown}"),
                stmt.cascade,
                sink,
            )?;
            self.drop_cast_dependents(oid, false, &format!("{noun} {shown}"), stmt.cascade, sink)?;
            self.remove_function_rows(oid, true)?;
        }
        Ok(tag.to_string())
    }
}
