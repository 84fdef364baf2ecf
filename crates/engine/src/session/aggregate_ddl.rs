//! CREATE [OR REPLACE] AGGREGATE (PostgreSQL's `DefineAggregate` and `AggregateCreate`):
//! a `pg_proc` row of `prokind = 'a'` (`LANGUAGE internal`, `prosrc =
//! 'aggregate_dummy'`) and its `pg_aggregate` row, with `pg_depend` rows on the
//! functions and types it uses. DROP AGGREGATE is `drop_functions` with
//! [`RoutineKind::Aggregate`](tusk_sql::ast_function::RoutineKind).
//!
//! Rules:
//! 1. The new form names the arguments (`name(int)`, `name(*)`, `name(direct ORDER BY
//!    aggregated)`); the old form gives the one input type as `BASETYPE` (`'ANY'` for
//!    none). `SFUNC` and `STYPE` are required (42P13).
//! 2. The transition function is found by name for `(stype, aggregated args...)`
//!    (`(stype, all args)` for a hypothetical-set aggregate); its arguments must take
//!    those types without run-time coercion and its result must be the state type
//!    (42804). The final function takes `(stype)` plus the direct arguments, or with
//!    `FINALFUNC_EXTRA` every argument.
//! 3. `INITCOND` is checked by the state type's input function at CREATE. A strict
//!    transition function without one needs an input type the state can hold (42P13).
//! 4. Combine, serial, deserial and moving-aggregate functions are stored only; tusk
//!    runs aggregates without them.
//! 5. Unknown options are a WARNING, as in PostgreSQL.
//!
//! Entry points: [`Session::create_aggregate`], [`aggregate_definition`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_executor::BuiltinLookup;
use tusk_sql::analyze::{AggregateDefinition, Analyzer, CatalogLookup, FuncCandidate};
use tusk_sql::ast::TypeName;
use tusk_sql::ast_function::{ArgMode, CreateAggregateStmt, DefinitionValue};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::function_catalog::{self, pg_proc, LANG_INTERNAL};
use super::lookup::SessionLookup;
use super::Session;
use crate::relcache::CatalogReader;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_aggregate`'s OID.
const PG_AGGREGATE: Oid = Oid(2600);

fn pg_aggregate() -> &'static syscat::SysCatalog {
    syscat::system_catalog(PG_AGGREGATE).expect("pg_aggregate")
}

/// Whether `t` is a polymorphic pseudo-type (`anyelement`, `anyarray`, ...).
fn is_polymorphic(t: Oid) -> bool {
    matches!(
        t.0,
        2283 | 2277 | 2776 | 3500 | 3831 | 4537 | 5077..=5080 | 4538
    )
}

/// The `pg_aggregate` row of user-defined aggregate `proc`, decoded, with the
/// strictness of its functions; `None` if there is none.
///
/// Errors: catalog read errors.
pub(crate) fn aggregate_definition(
    catalog: &CatalogReader<'_>,
    proc: Oid,
) -> Result<Option<AggregateDefinition>> {
    if proc.0 < 16384 {
        return Ok(None);
    }
    let Some(function) = function_catalog::user_function(catalog, proc)? else {
        return Ok(None);
    };
    let c = pg_aggregate();
    let rows = catalog.rows(c)?;
    let Some(row) = rows.first_matching(c.col("aggfnoid"), proc) else {
        return Ok(None);
    };
    let oid = |name: &str| match &row[c.col(name)] {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    };
    let strict = |f: Oid| -> Result<bool> {
        if f.0 < 16384 {
            return Ok(tusk_catalog::builtin()
                .proc_by_oid(f)
                .is_some_and(|p| p.strict));
        }
        Ok(function_catalog::user_function(catalog, f)?.is_some_and(|u| u.strict))
    };
    let transfn = oid("aggtransfn");
    let finalfn = Some(oid("aggfinalfn")).filter(|f| *f != Oid::INVALID);
    Ok(Some(AggregateDefinition {
        kind: match &row[c.col("aggkind")] {
            Datum::Text(t) => t.bytes().next().unwrap_or(b'n'),
            _ => b'n',
        },
        num_direct_args: match &row[c.col("aggnumdirectargs")] {
            Datum::Int2(n) => (*n).max(0) as usize,
            _ => 0,
        },
        transfn,
        transfn_strict: strict(transfn)?,
        finalfn,
        finalfn_strict: match finalfn {
            Some(f) => strict(f)?,
            None => false,
        },
        final_extra: row[c.col("aggfinalextra")] == Datum::Bool(true),
        transtype: oid("aggtranstype"),
        initval: match &row[c.col("agginitval")] {
            Datum::Text(t) => Some(t.clone()),
            _ => None,
        },
        arg_types: function.arg_types,
    }))
}

/// The options of a CREATE AGGREGATE statement, by name.
#[derive(Default)]
struct Options<'a> {
    sfunc: Option<&'a DefinitionValue>,
    stype: Option<&'a DefinitionValue>,
    basetype: Option<&'a DefinitionValue>,
    finalfunc: Option<&'a DefinitionValue>,
    final_extra: bool,
    final_modify: Option<u8>,
    combinefunc: Option<&'a DefinitionValue>,
    serialfunc: Option<&'a DefinitionValue>,
    deserialfunc: Option<&'a DefinitionValue>,
    msfunc: Option<&'a DefinitionValue>,
    minvfunc: Option<&'a DefinitionValue>,
    mstype: Option<&'a DefinitionValue>,
    mfinalfunc: Option<&'a DefinitionValue>,
    mfinal_extra: bool,
    mfinal_modify: Option<u8>,
    initcond: Option<String>,
    minitcond: Option<String>,
    sortop: Option<&'a DefinitionValue>,
    sspace: i32,
    msspace: i32,
    hypothetical: bool,
    parallel: Option<u8>,
}

/// The text of an option's value, as PostgreSQL's `defGetString` gives it.
fn value_text(v: &DefinitionValue) -> String {
    match v {
        DefinitionValue::None => String::new(),
        DefinitionValue::Type(t) => t.names.join("."),
        DefinitionValue::Text(s) | DefinitionValue::Number(s) => s.clone(),
        DefinitionValue::Operator(names) => names.join("."),
    }
}

fn modify_letter(name: &str, v: &DefinitionValue) -> Result<u8> {
    match value_text(v).to_lowercase().as_str() {
        "read_only" => Ok(b'r'),
        "shareable" => Ok(b's'),
        "read_write" => Ok(b'w'),
        _ => Err(pg_err!(
            SYNTAX_ERROR,
            "parameter \"{}\" must be READ_ONLY, SHAREABLE, or READ_WRITE",
            name
        )),
    }
}

impl<'a> Options<'a> {
    fn parse(stmt: &'a CreateAggregateStmt, sink: &mut dyn Sink) -> Result<Options<'a>> {
        let mut o = Options::default();
        for (name, value, _) in &stmt.options {
            match name.as_str() {
                "sfunc" | "sfunc1" => o.sfunc = Some(value),
                "stype" | "stype1" => o.stype = Some(value),
                "basetype" => o.basetype = Some(value),
                "finalfunc" => o.finalfunc = Some(value),
                "finalfunc_extra" => o.final_extra = bool_option(value),
                "finalfunc_modify" => o.final_modify = Some(modify_letter(name, value)?),
                "combinefunc" => o.combinefunc = Some(value),
                "serialfunc" => o.serialfunc = Some(value),
                "deserialfunc" => o.deserialfunc = Some(value),
                "msfunc" => o.msfunc = Some(value),
                "minvfunc" => o.minvfunc = Some(value),
                "mstype" => o.mstype = Some(value),
                "mfinalfunc" => o.mfinalfunc = Some(value),
                "mfinalfunc_extra" => o.mfinal_extra = bool_option(value),
                "mfinalfunc_modify" => o.mfinal_modify = Some(modify_letter(name, value)?),
                "initcond" | "initcond1" => o.initcond = Some(value_text(value)),
                "minitcond" => o.minitcond = Some(value_text(value)),
                "sortop" => o.sortop = Some(value),
                "sspace" => o.sspace = value_text(value).parse().unwrap_or(0),
                "msspace" => o.msspace = value_text(value).parse().unwrap_or(0),
                "hypothetical" => o.hypothetical = bool_option(value),
                "parallel" => {
                    o.parallel = Some(match value_text(value).to_lowercase().as_str() {
                        "safe" => b's',
                        "restricted" => b'r',
                        "unsafe" => b'u',
                        _ => {
                            return Err(pg_err!(
                                INVALID_PARAMETER_VALUE,
                                "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE"
                            ))
                        }
                    })
                }
                other => sink.notice(
                    NoticeSeverity::Warning,
                    &Error::new(
                        SqlState::SYNTAX_ERROR,
                        format!("aggregate attribute \"{other}\" not recognized"),
                    ),
                ),
            }
        }
        Ok(o)
    }
}

/// A boolean option: true when given without a value.
fn bool_option(v: &DefinitionValue) -> bool {
    match v {
        DefinitionValue::None => true,
        other => matches!(
            value_text(other).to_lowercase().as_str(),
            "true" | "on" | "1" | "yes"
        ),
    }
}

impl Session {
    /// `CREATE [OR REPLACE] AGGREGATE` (rules 1 to 5).
    ///
    /// Errors: 42P13 for missing or inconsistent options; 42883 `function f(integer,
    /// integer) does not exist` for a transition or final function not found; 42804 for
    /// a transition function of the wrong result type or needing run-time coercion;
    /// 42723 for an existing aggregate without OR REPLACE; the state type's input errors
    /// for INITCOND; 25006.
    pub(crate) fn create_aggregate(
        &mut self,
        stmt: &CreateAggregateStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE AGGREGATE")?;
        let options = Options::parse(stmt, sink)?;
        let Some(stype) = options.stype else {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "aggregate stype must be specified"
            ));
        };
        let Some(sfunc) = options.sfunc else {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "aggregate sfunc must be specified"
            ));
        };
        if options.mstype.is_none() {
            let without = [
                ("msfunc", options.msfunc.is_some()),
                ("minvfunc", options.minvfunc.is_some()),
                ("mfinalfunc", options.mfinalfunc.is_some()),
                ("msspace", options.msspace != 0),
                ("minitcond", options.minitcond.is_some()),
            ];
            if let Some((which, _)) = without.iter().find(|(_, given)| *given) {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "aggregate {} must not be specified without mstype",
                    which
                ));
            }
        }
        if options.mstype.is_some() {
            if options.msfunc.is_none() {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "aggregate msfunc must be specified when mstype is specified"
                ));
            }
            if options.minvfunc.is_none() {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "aggregate minvfunc must be specified when mstype is specified"
                ));
            }
        }
        let name = stmt.name.last().cloned().unwrap_or_default();
        let schema = match stmt.name.as_slice() {
            [schema, _] | [_, schema, _] => Some(schema.as_str()),
            _ => None,
        };
        let reader = self.catalog_reader();
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        let lookup = SessionLookup {
            builtin: BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        // Rule 1: the arguments.
        let (arg_types, variadic): (Vec<Oid>, Oid) = match &stmt.args {
            Some(args) => {
                if options.basetype.is_some() {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "basetype is redundant with aggregate input type specification"
                    ));
                }
                let mut types = Vec::with_capacity(args.len());
                let mut variadic = Oid::INVALID;
                for a in args {
                    if matches!(a.mode, ArgMode::Out | ArgMode::InOut | ArgMode::Table) {
                        return Err(pg_err!(
                            INVALID_FUNCTION_DEFINITION,
                            "aggregates cannot have output arguments"
                        ));
                    }
                    let t = analyzer.resolve_type_name(&a.type_name)?.0;
                    if a.mode == ArgMode::Variadic {
                        variadic = match t.0 {
                            2276 => type_oid::ANY,
                            2277 => Oid(2283),
                            5078 => Oid(5077),
                            _ => tusk_types::adt::array::builtin_element_type(t)
                                .unwrap_or(type_oid::ANY),
                        };
                    }
                    types.push(t);
                }
                (types, variadic)
            }
            None => match options.basetype {
                None => {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "aggregate input type must be specified"
                    ))
                }
                Some(b) => {
                    let t = resolve_type(&mut analyzer, b)?;
                    if t == type_oid::ANY {
                        (Vec::new(), Oid::INVALID)
                    } else {
                        (vec![t], Oid::INVALID)
                    }
                }
            },
        };
        let direct = stmt.direct_args.unwrap_or(0);
        let kind = match stmt.direct_args {
            None => b'n',
            Some(_) if options.hypothetical => b'h',
            Some(_) => b'o',
        };
        let transtype = resolve_type(&mut analyzer, stype)?;
        let mstype = options
            .mstype
            .map(|t| resolve_type(&mut analyzer, t))
            .transpose()?;
        if is_polymorphic(transtype) && !arg_types.iter().any(|t| is_polymorphic(*t)) {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "cannot determine transition data type"
            )
            .detail(polymorphic_detail(&lookup, transtype)));
        }
        if let Some(pseudo) = lookup
            .type_info(transtype)
            .filter(|t| t.typtype == b'p' && !is_polymorphic(t.oid) && t.oid != INTERNAL)
        {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "aggregate transition data type cannot be {}",
                lookup.format_type(pseudo.oid)
            ));
        }
        match (options.serialfunc, options.deserialfunc) {
            (Some(_), Some(_)) if transtype != INTERNAL => {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "serialization functions may be specified only when the aggregate transition data type is internal"
                ))
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "must specify both or neither of serialization and deserialization functions"
                ))
            }
            _ => {}
        }
        // Rule 2: the transition function's arguments.
        // `name(VARIADIC t ORDER BY VARIADIC t)` keeps one argument, direct and
        // aggregated at once: the transition function takes it after the state.
        let aggregated: Vec<Oid> = match arg_types.last() {
            Some(last) if direct >= arg_types.len() && variadic != Oid::INVALID => vec![*last],
            _ => arg_types[direct.min(arg_types.len())..].to_vec(),
        };
        let mut trans_inputs = vec![transtype];
        trans_inputs.extend(aggregated.iter().copied());
        let (transfn, trans_ret, transfn_strict) =
            find_support_function(&lookup, &analyzer, sfunc, &trans_inputs)?;
        if trans_ret != transtype {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "return type of transition function {} is not {}",
                value_text(sfunc),
                lookup.format_type(transtype)
            ));
        }
        // Rule 3.
        if transfn_strict && options.initcond.is_none() {
            let first = aggregated.first().copied();
            let compatible = first.is_some_and(|f| {
                f == transtype
                    || (is_polymorphic(f) && is_polymorphic(transtype))
                    || lookup
                        .cast(f, transtype)
                        .is_some_and(|c| c.func.is_none() && !c.inout)
            });
            if !compatible {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "must not omit initial value when transition function is strict and transition type is not compatible with input type"
                ));
            }
        }
        let (finalfn, final_ret) = match options.finalfunc {
            Some(f) => {
                let mut inputs = vec![transtype];
                if options.final_extra {
                    inputs.extend(arg_types.iter().copied());
                } else {
                    inputs.extend(arg_types[..direct.min(arg_types.len())].iter().copied());
                }
                let (oid, ret, strict) = find_support_function(&lookup, &analyzer, f, &inputs)?;
                if options.final_extra && strict {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "final function with extra arguments must not be declared STRICT"
                    ));
                }
                (oid, ret)
            }
            None => (Oid::INVALID, transtype),
        };
        if is_polymorphic(final_ret) && !arg_types.iter().any(|t| is_polymorphic(*t)) {
            return Err(pg_err!(
                INVALID_FUNCTION_DEFINITION,
                "cannot determine result data type"
            )
            .detail(polymorphic_detail(&lookup, final_ret)));
        }
        // Stored-only functions (rule 4), checked to exist.
        let stored = |v: Option<&DefinitionValue>, inputs: Vec<Oid>| -> Result<Oid> {
            match v {
                Some(v) => Ok(find_support_function(&lookup, &analyzer, v, &inputs)?.0),
                None => Ok(Oid::INVALID),
            }
        };
        let combinefn = stored(options.combinefunc, vec![transtype, transtype])?;
        let serialfn = stored(options.serialfunc, vec![transtype])?;
        let deserialfn = stored(options.deserialfunc, vec![type_oid::BYTEA, INTERNAL])?;
        let mtranstype = mstype.unwrap_or(Oid::INVALID);
        let mut m_inputs = vec![mtranstype];
        m_inputs.extend(aggregated.iter().copied());
        let (msfunc, minvfunc) = match (options.msfunc, options.minvfunc) {
            (Some(ms), Some(minv)) => {
                let (msfunc, ms_ret, ms_strict) =
                    find_support_function(&lookup, &analyzer, ms, &m_inputs)?;
                if ms_ret != mtranstype {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "return type of transition function {} is not {}",
                        value_text(ms),
                        lookup.format_type(mtranstype)
                    ));
                }
                if ms_strict && options.minitcond.is_none() {
                    let first = aggregated.first().copied();
                    let compatible = first.is_some_and(|f| {
                        f == mtranstype
                            || (is_polymorphic(f) && is_polymorphic(mtranstype))
                            || lookup
                                .cast(f, mtranstype)
                                .is_some_and(|c| c.func.is_none() && !c.inout)
                    });
                    if !compatible {
                        return Err(pg_err!(
                            INVALID_FUNCTION_DEFINITION,
                            "must not omit initial value when moving-aggregate transition function is strict and moving-aggregate state type is not compatible with input type"
                        ));
                    }
                }
                let (minvfunc, inv_ret, inv_strict) =
                    find_support_function(&lookup, &analyzer, minv, &m_inputs)?;
                if inv_ret != mtranstype {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "return type of inverse transition function {} is not {}",
                        value_text(minv),
                        lookup.format_type(mtranstype)
                    ));
                }
                if inv_strict != ms_strict {
                    return Err(pg_err!(
                        INVALID_FUNCTION_DEFINITION,
                        "strictness of aggregate's forward and inverse transition functions must match"
                    ));
                }
                (msfunc, minvfunc)
            }
            _ => (Oid::INVALID, Oid::INVALID),
        };
        let mfinalfn = stored(options.mfinalfunc, vec![mtranstype])?;
        let sortop = match options.sortop {
            Some(v) => {
                let op = value_text(v);
                let op_name = op.rsplit('.').next().unwrap_or(&op).to_string();
                let input = arg_types.first().copied().unwrap_or(Oid::INVALID);
                lookup
                    .operators(&op_name)
                    .into_iter()
                    .find(|o| o.left == input && o.right == input)
                    .map(|o| o.oid)
                    .ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_FUNCTION,
                            "operator does not exist: {} {} {}",
                            lookup.format_type(input),
                            op_name,
                            lookup.format_type(input)
                        )
                    })?
            }
            None => Oid::INVALID,
        };
        drop(analyzer);
        // Rule 3: INITCOND through the state type's input function.
        if !is_polymorphic(transtype) && transtype != INTERNAL {
            if let Some(text) = &options.initcond {
                lookup.input_literal(text, transtype, -1)?;
            }
        }
        if let (Some(t), Some(text)) = (mstype, &options.minitcond) {
            if !is_polymorphic(t) && t != INTERNAL {
                lookup.input_literal(text, t, -1)?;
            }
        }
        let existing = function_catalog::user_functions(&reader, &name, Some(&[namespace]))?
            .into_iter()
            .find(|f| f.arg_types == arg_types);
        let old_kind = match &existing {
            Some(old) if old.kind == b'a' => {
                aggregate_definition(&reader, old.oid)?.map(|d| d.kind)
            }
            _ => None,
        };
        let signature = format!(
            "{}({})",
            name,
            arg_types
                .iter()
                .map(|t| lookup.format_type(*t))
                .collect::<Vec<_>>()
                .join(", ")
        );
        drop(reader);
        if let Some(old) = &existing {
            if !stmt.replace {
                return Err(pg_err!(
                    DUPLICATE_FUNCTION,
                    "function \"{}\" already exists with same argument types",
                    name
                ));
            }
            if old.kind != b'a' {
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
            if old.ret_type != final_ret {
                return Err(pg_err!(
                    INVALID_FUNCTION_DEFINITION,
                    "cannot change return type of existing function"
                )
                .hint(format!("Use DROP AGGREGATE {} first.", signature)));
            }
            if let Some(old_kind) = old_kind.filter(|k| *k != kind) {
                return Err(
                    pg_err!(WRONG_OBJECT_TYPE, "cannot change routine kind").detail(format!(
                        "\"{}\" is {}.",
                        name,
                        match old_kind {
                            b'o' => "an ordered-set aggregate",
                            b'h' => "a hypothetical-set aggregate",
                            _ => "an ordinary aggregate function",
                        }
                    )),
                );
            }
        }
        let cluster = self.db.cluster.clone();
        let oid = existing
            .as_ref()
            .map(|f| f.oid)
            .unwrap_or_else(|| cluster.xact.oids.next_oid(&cluster.wal));
        if existing.is_some() {
            // The pg_proc row and its pg_aggregate row.
            self.remove_function_rows(oid, false)?;
        }
        let arg_names: Vec<String> = stmt
            .args
            .iter()
            .flatten()
            .map(|a| a.name.clone().unwrap_or_default())
            .collect();
        let array = |elem: Oid, values: Vec<Datum>| {
            Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
                elem, values,
            )))
        };
        let variadic_mode = variadic != Oid::INVALID;
        let proc_row = CatalogRow::new(pg_proc())
            .set("oid", Datum::Oid(oid.0))
            .set("proname", Datum::Text(name.clone()))
            .set("pronamespace", Datum::Oid(namespace.0))
            .set("proowner", Datum::Oid(self.current_user_oid()?.0))
            .set("prolang", Datum::Oid(LANG_INTERNAL.0))
            .set("procost", Datum::Float4(1.0))
            .set("prorows", Datum::Float4(0.0))
            .set("provariadic", Datum::Oid(variadic.0))
            .set("prosupport", Datum::Oid(0))
            .set("prokind", Datum::Text("a".into()))
            .set("prosecdef", Datum::Bool(false))
            .set("proleakproof", Datum::Bool(false))
            .set("proisstrict", Datum::Bool(false))
            .set("proretset", Datum::Bool(false))
            .set("provolatile", Datum::Text("i".into()))
            .set(
                "proparallel",
                Datum::Text((options.parallel.unwrap_or(b'u') as char).to_string()),
            )
            .set("pronargs", Datum::Int2(arg_types.len() as i16))
            .set("pronargdefaults", Datum::Int2(0))
            .set("prorettype", Datum::Oid(final_ret.0))
            .set(
                "proargtypes",
                super::index_ddl::oidvector(arg_types.clone()),
            )
            .set(
                "proallargtypes",
                if variadic_mode {
                    array(
                        type_oid::OID,
                        arg_types.iter().map(|t| Datum::Oid(t.0)).collect(),
                    )
                } else {
                    Datum::Null
                },
            )
            .set(
                "proargmodes",
                if variadic_mode {
                    let n = arg_types.len();
                    array(
                        type_oid::CHAR,
                        (0..n)
                            .map(|i| Datum::Text(if i + 1 == n { "v" } else { "i" }.into()))
                            .collect(),
                    )
                } else {
                    Datum::Null
                },
            )
            .set(
                "proargnames",
                if arg_names.iter().any(|n| !n.is_empty()) {
                    array(
                        type_oid::TEXT,
                        arg_names.into_iter().map(Datum::Text).collect(),
                    )
                } else {
                    Datum::Null
                },
            )
            .set("proargdefaults", Datum::Null)
            .set("protrftypes", Datum::Null)
            .set("prosrc", Datum::Text("aggregate_dummy".into()))
            .set("probin", Datum::Null)
            .set("prosqlbody", Datum::Null)
            .set("proconfig", Datum::Null)
            .set("proacl", Datum::Null);
        self.insert_catalog_row(proc_row)?;
        let default_modify = if kind == b'n' { b'r' } else { b'w' };
        let text_or_null = |t: &Option<String>| t.clone().map_or(Datum::Null, Datum::Text);
        let aggregate_row = CatalogRow::new(pg_aggregate())
            .set("aggfnoid", Datum::Oid(oid.0))
            .set("aggkind", Datum::Text((kind as char).to_string()))
            .set("aggnumdirectargs", Datum::Int2(direct as i16))
            .set("aggtransfn", Datum::Oid(transfn.0))
            .set("aggfinalfn", Datum::Oid(finalfn.0))
            .set("aggcombinefn", Datum::Oid(combinefn.0))
            .set("aggserialfn", Datum::Oid(serialfn.0))
            .set("aggdeserialfn", Datum::Oid(deserialfn.0))
            .set("aggmtransfn", Datum::Oid(msfunc.0))
            .set("aggminvtransfn", Datum::Oid(minvfunc.0))
            .set("aggmfinalfn", Datum::Oid(mfinalfn.0))
            .set("aggfinalextra", Datum::Bool(options.final_extra))
            .set("aggmfinalextra", Datum::Bool(options.mfinal_extra))
            .set(
                "aggfinalmodify",
                Datum::Text((options.final_modify.unwrap_or(default_modify) as char).to_string()),
            )
            .set(
                "aggmfinalmodify",
                Datum::Text((options.mfinal_modify.unwrap_or(default_modify) as char).to_string()),
            )
            .set("aggsortop", Datum::Oid(sortop.0))
            .set("aggtranstype", Datum::Oid(transtype.0))
            .set("aggtransspace", Datum::Int4(options.sspace))
            .set("aggmtranstype", Datum::Oid(mtranstype.0))
            .set("aggmtransspace", Datum::Int4(options.msspace))
            .set("agginitval", text_or_null(&options.initcond))
            .set("aggminitval", text_or_null(&options.minitcond));
        self.insert_catalog_row(aggregate_row)?;
        self.insert_depend_row(syscat::PG_PROC, oid, syscat::PG_NAMESPACE, namespace, b'n')?;
        let mut functions = vec![
            transfn, finalfn, combinefn, serialfn, deserialfn, msfunc, minvfunc, mfinalfn,
        ];
        functions.retain(|f| f.0 >= 16384);
        functions.sort_by_key(|f| f.0);
        functions.dedup();
        for f in functions {
            self.insert_depend_row(syscat::PG_PROC, oid, syscat::PG_PROC, f, b'n')?;
        }
        let mut types: Vec<Oid> = arg_types.clone();
        types.extend([transtype, final_ret, mtranstype]);
        types.retain(|t| t.0 >= 16384);
        types.sort_by_key(|t| t.0);
        types.dedup();
        for t in types {
            self.insert_depend_row(syscat::PG_PROC, oid, syscat::PG_TYPE, t, b'n')?;
        }
        Ok("CREATE AGGREGATE".into())
    }
}

impl Session {
    /// The user-defined aggregates that use function `function` as one of their support
    /// functions, with their descriptions (`function agg(bigint,text)`): DROP FUNCTION's
    /// dependents.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn function_aggregate_dependents(
        &self,
        function: Oid,
    ) -> Result<Vec<(Oid, String)>> {
        let reader = self.catalog_reader();
        let c = pg_aggregate();
        let columns = [
            "aggtransfn",
            "aggfinalfn",
            "aggcombinefn",
            "aggserialfn",
            "aggdeserialfn",
            "aggmtransfn",
            "aggminvtransfn",
            "aggmfinalfn",
        ]
        .map(|name| c.col(name));
        let lookup = SessionLookup {
            builtin: BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut out = Vec::new();
        for row in reader.rows(c)?.iter() {
            if !columns
                .iter()
                .any(|col| row[*col] == Datum::Oid(function.0))
            {
                continue;
            }
            let Datum::Oid(aggregate) = row[c.col("aggfnoid")] else {
                continue;
            };
            let aggregate = Oid(aggregate);
            if aggregate == function {
                continue;
            }
            if let Some(f) = function_catalog::user_function(&reader, aggregate)? {
                let types: Vec<String> =
                    f.arg_types.iter().map(|t| lookup.format_type(*t)).collect();
                out.push((
                    aggregate,
                    format!("function {}({})", f.name, types.join(",")),
                ));
            }
        }
        Ok(out)
    }
}

/// The type an option names (`STYPE = int[]`, `BASETYPE = 'ANY'`).
///
/// Errors: 42704 for an unknown type.
fn resolve_type(analyzer: &mut Analyzer<'_>, v: &DefinitionValue) -> Result<Oid> {
    match v {
        DefinitionValue::Type(t) => Ok(analyzer.resolve_type_name(t)?.0),
        other => {
            let text = value_text(other);
            if text.eq_ignore_ascii_case("any") {
                return Ok(type_oid::ANY);
            }
            let t = TypeName {
                names: vec![text],
                typmods: Vec::new(),
                array_bounds: Vec::new(),
                location: usize::MAX,
            };
            Ok(analyzer.resolve_type_name(&t)?.0)
        }
    }
}

/// PostgreSQL's DETAIL for a polymorphic type no argument decides.
fn polymorphic_detail(lookup: &SessionLookup<'_>, t: Oid) -> String {
    let wanted = match t.0 {
        3831 | 4537 => "anyrange or anymultirange",
        5080 | 4538 => "anycompatiblerange or anycompatiblemultirange",
        5077..=5079 => "anycompatible, anycompatiblearray, anycompatiblenonarray, anycompatiblerange, or anycompatiblemultirange",
        _ => "anyelement, anyarray, anynonarray, anyenum, anyrange, or anymultirange",
    };
    format!(
        "A result of type {} requires at least one input of type {}.",
        lookup.format_type(t),
        wanted
    )
}

/// The `internal` pseudo-type.
const INTERNAL: Oid = Oid(2281);

/// The function `name` that takes `inputs` without run-time coercion (PostgreSQL's
/// `lookup_agg_function`): its OID, its result type (resolved for polymorphic
/// functions) and strictness.
///
/// Errors: 42883 `function f(integer, integer) does not exist`; 42804 for a set-returning
/// function or one needing run-time coercion.
fn find_support_function(
    lookup: &SessionLookup<'_>,
    analyzer: &Analyzer<'_>,
    name: &DefinitionValue,
    inputs: &[Oid],
) -> Result<(Oid, Oid, bool)> {
    let names: Vec<String> = match name {
        DefinitionValue::Type(t) => t.names.clone(),
        other => vec![value_text(other)],
    };
    let fname = names.last().cloned().unwrap_or_default();
    let candidates: Vec<FuncCandidate> = match names.as_slice() {
        [schema, _] if schema != "pg_catalog" => {
            lookup.schema_functions(schema, &fname).unwrap_or_default()
        }
        _ => lookup.functions(&fname),
    };
    let signature = || {
        let types: Vec<String> = inputs.iter().map(|t| lookup.format_type(*t)).collect();
        format!("{}({})", fname, types.join(", "))
    };
    // A polymorphic argument takes a concrete type, or the same polymorphic type.
    let accepts = |declared: Oid, actual: Oid| {
        declared == actual
            || declared == type_oid::ANY
            || (is_polymorphic(declared) && !is_polymorphic(actual) && actual != Oid::INVALID)
    };
    let binary = |declared: Oid, actual: Oid| {
        lookup
            .cast(actual, declared)
            .is_some_and(|c| c.func.is_none() && !c.inout)
    };
    // A polymorphic input (an aggregate's own polymorphic state or argument) matches
    // only the same polymorphic parameter, and then every polymorphic parameter must
    // take one: a concrete type elsewhere is not consistent with it.
    let consistent = |c: &FuncCandidate| {
        let polymorphic = |d: Oid| is_polymorphic(d) && d != type_oid::ANY;
        let pairs = || c.args.iter().zip(inputs).filter(|(d, _)| polymorphic(**d));
        !(pairs().any(|(_, a)| is_polymorphic(*a)) && pairs().any(|(_, a)| !is_polymorphic(*a)))
    };
    let usable =
        |c: &&FuncCandidate| c.kind == b'f' && c.args.len() == inputs.len() && consistent(c);
    let chosen = candidates
        .iter()
        .filter(usable)
        .find(|c| c.args.iter().zip(inputs).all(|(d, a)| accepts(*d, *a)))
        .or_else(|| {
            candidates.iter().filter(usable).find(|c| {
                c.args
                    .iter()
                    .zip(inputs)
                    .all(|(d, a)| accepts(*d, *a) || binary(*d, *a))
            })
        });
    let Some(chosen) = chosen else {
        // A candidate reachable only through coercion is PostgreSQL's "requires
        // run-time type coercion".
        let coercible = candidates.iter().filter(usable).find(|c| {
            c.args.iter().zip(inputs).all(|(d, a)| {
                a == d
                    || lookup
                        .cast(*a, *d)
                        .is_some_and(|p| p.context == tusk_sql::analyze::CoercionContext::Implicit)
            })
        });
        if let Some(c) = coercible {
            let types: Vec<String> = c.args.iter().map(|t| lookup.format_type(*t)).collect();
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "function {}({}) requires run-time type coercion",
                fname,
                types.join(", ")
            ));
        }
        return Err(pg_err!(
            UNDEFINED_FUNCTION,
            "function {} does not exist",
            signature()
        ));
    };
    if chosen.retset {
        return Err(pg_err!(
            DATATYPE_MISMATCH,
            "function {} returns a set",
            signature()
        ));
    }
    // Concrete inputs fix a polymorphic candidate's argument types; an input that
    // reaches its resolved type only through a conversion (int4 where anycompatible
    // resolved to bigint) would need run-time coercion.
    if !inputs.iter().any(|t| is_polymorphic(*t)) {
        let resolved: Vec<Oid> = chosen
            .args
            .iter()
            .map(|d| {
                if is_polymorphic(*d) {
                    analyzer.resolve_polymorphic_type(*d, &chosen.args, inputs)
                } else {
                    *d
                }
            })
            .collect();
        let mismatched: Vec<usize> = resolved
            .iter()
            .zip(inputs)
            .enumerate()
            .filter(|(_, (d, a))| {
                **d != **a && **d != type_oid::ANY && !is_polymorphic(**d) && !binary(**d, **a)
            })
            .map(|(i, _)| i)
            .collect();
        // The anyelement family takes no conversion at all: an input inconsistent with
        // the others matches nothing.
        if mismatched.iter().any(|i| {
            is_polymorphic(chosen.args[*i]) && !matches!(chosen.args[*i].0, 5077..=5080 | 4538)
        }) {
            return Err(pg_err!(
                UNDEFINED_FUNCTION,
                "function {} does not exist",
                signature()
            ));
        }
        if !mismatched.is_empty() {
            let types: Vec<String> = resolved.iter().map(|t| lookup.format_type(*t)).collect();
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "function {}({}) requires run-time type coercion",
                fname,
                types.join(", ")
            ));
        }
    }
    // Polymorphic inputs keep a polymorphic result as declared (the aggregate is
    // polymorphic too); concrete ones fix it.
    let ret = if inputs.iter().any(|t| is_polymorphic(*t)) {
        chosen.ret
    } else {
        analyzer.resolve_polymorphic_type(chosen.ret, &chosen.args, inputs)
    };
    Ok((chosen.oid, ret, chosen.strict))
}
