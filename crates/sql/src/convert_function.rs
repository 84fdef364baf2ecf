//! Conversion of `CREATE FUNCTION/PROCEDURE`, `DROP FUNCTION/PROCEDURE/ROUTINE` and
//! `CALL` from pg_query's tree into [`crate::ast_function`].
//!
//! SQL-standard bodies (`RETURN expr`, `BEGIN ATOMIC ... END`) become SQL text through
//! PostgreSQL's deparser, one statement per `;`-separated part; `RETURN expr` becomes
//! `SELECT expr`.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::Statement;
use crate::ast_function::{
    ArgMode, CallStmt, CreateFunctionStmt, DropFunctionStmt, FunctionArg, FunctionName, RoutineKind,
};
use crate::convert::{expr, type_name};
use crate::convert_ddl::{def_value, key_names};

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
///
/// Errors: XX000 if a SQL-standard body cannot be deparsed.
pub(crate) fn create_function(s: &pb::CreateFunctionStmt) -> Result<Statement> {
    let mut args = Vec::with_capacity(s.parameters.len());
    for p in &s.parameters {
        let Some(NodeEnum::FunctionParameter(p)) = p.node.as_ref() else {
            continue;
        };
        let mode = match pb::FunctionParameterMode::from_i32(p.mode) {
            Some(pb::FunctionParameterMode::FuncParamOut) => ArgMode::Out,
            Some(pb::FunctionParameterMode::FuncParamInout) => ArgMode::InOut,
            Some(pb::FunctionParameterMode::FuncParamVariadic) => ArgMode::Variadic,
            Some(pb::FunctionParameterMode::FuncParamTable) => ArgMode::Table,
            _ => ArgMode::In,
        };
        let Some(t) = p.arg_type.as_ref() else {
            return Err(Error::internal("function parameter without a type"));
        };
        args.push(FunctionArg {
            name: (!p.name.is_empty()).then(|| p.name.clone()),
            type_name: type_name(t),
            mode,
            default: p.defexpr.as_deref().map(expr).transpose()?,
        });
    }
    let mut stmt = CreateFunctionStmt {
        is_procedure: s.is_procedure,
        replace: s.replace,
        name: key_names(&s.funcname),
        args,
        returns: s.return_type.as_ref().map(type_name),
        setof: s.return_type.as_ref().is_some_and(|t| t.setof),
        language: None,
        as_body: Vec::new(),
        sql_body: s.sql_body.as_deref().map(sql_body).transpose()?,
        volatility: None,
        strict: None,
        security_definer: None,
        leakproof: None,
        cost: None,
        rows: None,
        parallel: None,
        unsupported_option: None,
    };
    for o in &s.options {
        let Some(NodeEnum::DefElem(d)) = o.node.as_ref() else {
            continue;
        };
        let value = def_value(&d.arg);
        let flag = || value.as_deref() == Some("true");
        match d.defname.as_str() {
            "as" => {
                stmt.as_body = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::List(l)) => key_names(&l.items),
                    _ => value.into_iter().collect(),
                }
            }
            "language" => stmt.language = value.map(|v| v.to_lowercase()),
            "volatility" => {
                stmt.volatility = match value.as_deref() {
                    Some("immutable") => Some(b'i'),
                    Some("stable") => Some(b's'),
                    _ => Some(b'v'),
                }
            }
            "strict" => stmt.strict = Some(flag()),
            "security" => stmt.security_definer = Some(flag()),
            "leakproof" => stmt.leakproof = Some(flag()),
            "cost" => stmt.cost = value.and_then(|v| v.parse().ok()),
            "rows" => stmt.rows = value.and_then(|v| v.parse().ok()),
            "parallel" => {
                stmt.parallel = match value.as_deref() {
                    Some("safe") => Some(b's'),
                    Some("restricted") => Some(b'r'),
                    _ => Some(b'u'),
                }
            }
            other => stmt.unsupported_option = Some(other.to_uppercase()),
        }
    }
    Ok(Statement::CreateFunction(Box::new(stmt)))
}

/// The SQL text of a SQL-standard body: `RETURN expr` as `SELECT expr`, `BEGIN ATOMIC`
/// statements joined by `; `.
fn sql_body(node: &pb::Node) -> Result<String> {
    let deparse = |n: &NodeEnum| -> Result<String> {
        match n {
            NodeEnum::ReturnStmt(r) => {
                let value = r
                    .returnval
                    .as_deref()
                    .ok_or_else(|| Error::internal("RETURN without a value"))?;
                Ok(format!(
                    "SELECT {}",
                    crate::convert_ddl::deparse_expr(value)?
                ))
            }
            other => other
                .deparse()
                .map_err(|e| Error::internal(format!("could not deparse function body: {e}"))),
        }
    };
    let mut parts = Vec::new();
    collect_statements(node, &mut |n| {
        parts.push(deparse(n)?);
        Ok(())
    })?;
    Ok(parts.join("; "))
}

fn collect_statements(
    node: &pb::Node,
    visit: &mut dyn FnMut(&NodeEnum) -> Result<()>,
) -> Result<()> {
    match node.node.as_ref() {
        Some(NodeEnum::List(l)) => {
            for item in &l.items {
                collect_statements(item, visit)?;
            }
            Ok(())
        }
        Some(n) => visit(n),
        None => Ok(()),
    }
}

pub(crate) fn function_name(o: &pb::ObjectWithArgs) -> FunctionName {
    FunctionName {
        name: key_names(&o.objname),
        args: (!o.args_unspecified).then(|| {
            o.objargs
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                    _ => None,
                })
                .collect()
        }),
    }
}

/// `DROP FUNCTION | PROCEDURE | ROUTINE`.
pub(crate) fn drop_function(s: &pb::DropStmt, kind: RoutineKind) -> Statement {
    let functions = s
        .objects
        .iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::ObjectWithArgs(o)) => Some(function_name(o)),
            _ => None,
        })
        .collect();
    Statement::DropFunction(DropFunctionStmt {
        kind,
        functions,
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    })
}

/// `CREATE [OR REPLACE] AGGREGATE`: `None` for other `DefineStmt`s.
///
/// Errors: internal errors for malformed trees only.
pub(crate) fn create_aggregate(s: &pb::DefineStmt) -> Result<Option<Statement>> {
    use crate::ast_function::{CreateAggregateStmt, DefinitionValue};
    if s.kind != pb::ObjectType::ObjectAggregate as i32 {
        return Ok(None);
    }
    let (args, direct_args) = if s.oldstyle {
        (None, None)
    } else {
        let mut params = Vec::new();
        let mut direct = None;
        for (i, node) in s.args.iter().enumerate() {
            match (i, node.node.as_ref()) {
                (0, Some(NodeEnum::List(list))) => {
                    for p in &list.items {
                        let Some(NodeEnum::FunctionParameter(p)) = p.node.as_ref() else {
                            continue;
                        };
                        let Some(t) = p.arg_type.as_ref() else {
                            return Err(Error::internal("aggregate argument without a type"));
                        };
                        params.push(FunctionArg {
                            name: (!p.name.is_empty()).then(|| p.name.clone()),
                            type_name: type_name(t),
                            mode: match pb::FunctionParameterMode::from_i32(p.mode) {
                                Some(pb::FunctionParameterMode::FuncParamVariadic) => {
                                    ArgMode::Variadic
                                }
                                Some(pb::FunctionParameterMode::FuncParamOut) => ArgMode::Out,
                                Some(pb::FunctionParameterMode::FuncParamInout) => ArgMode::InOut,
                                _ => ArgMode::In,
                            },
                            default: None,
                        });
                    }
                }
                (1, Some(NodeEnum::Integer(n))) if n.ival >= 0 => direct = Some(n.ival as usize),
                _ => {}
            }
        }
        (Some(params), direct)
    };
    let mut options = Vec::with_capacity(s.definition.len());
    for d in &s.definition {
        let Some(NodeEnum::DefElem(d)) = d.node.as_ref() else {
            continue;
        };
        let value = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
            None => DefinitionValue::None,
            Some(NodeEnum::TypeName(t)) => DefinitionValue::Type(type_name(t)),
            Some(NodeEnum::String(v)) => DefinitionValue::Text(v.sval.clone()),
            Some(NodeEnum::Integer(v)) => DefinitionValue::Number(v.ival.to_string()),
            Some(NodeEnum::Float(v)) => DefinitionValue::Number(v.fval.clone()),
            Some(NodeEnum::List(l)) => DefinitionValue::Operator(
                l.items
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::String(v)) => Some(v.sval.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            Some(NodeEnum::AStar(_)) => DefinitionValue::Text("*".into()),
            Some(_) => DefinitionValue::Text(String::new()),
        };
        options.push((d.defname.clone(), value, d.location.max(0) as usize));
    }
    Ok(Some(Statement::CreateAggregate(Box::new(
        CreateAggregateStmt {
            replace: s.replace,
            name: key_names(&s.defnames),
            args,
            direct_args,
            options,
            location: 0,
        },
    ))))
}

/// `CALL procedure(args)`.
///
/// Errors: those of converting the arguments.
pub(crate) fn call(s: &pb::CallStmt) -> Result<Statement> {
    let call = s
        .funccall
        .as_ref()
        .ok_or_else(|| Error::internal("CALL without a call"))?;
    let node = pb::Node {
        node: Some(NodeEnum::FuncCall(call.clone())),
    };
    Ok(Statement::Call(CallStmt { call: expr(&node)? }))
}

/// The routine kind a DROP statement removes, `None` if it drops something else.
pub(crate) fn routine_kind(s: &pb::DropStmt) -> Option<RoutineKind> {
    use pb::ObjectType as O;
    match O::from_i32(s.remove_type) {
        Some(O::ObjectFunction) => Some(RoutineKind::Function),
        Some(O::ObjectProcedure) => Some(RoutineKind::Procedure),
        Some(O::ObjectRoutine) => Some(RoutineKind::Routine),
        Some(O::ObjectAggregate) => Some(RoutineKind::Aggregate),
        _ => None,
    }
}

/// Checks that `body` parses as a PL/pgSQL function body (PostgreSQL's PL/pgSQL grammar
/// through pg_query).
///
/// Errors: 42601 with the grammar's message.
pub fn check_plpgsql_body(body: &str) -> Result<()> {
    let mut tag = String::from("$tusk$");
    while body.contains(&tag) {
        tag.insert(1, 'x');
    }
    let source = format!("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS {tag}{body}{tag}");
    pg_query::parse_plpgsql(&source).map(|_| ()).map_err(|e| {
        let raw = e.to_string();
        let message = raw
            .strip_prefix("Error parsing query: ")
            .or_else(|| raw.strip_prefix("Invalid statement: "))
            .unwrap_or(&raw)
            .to_string();
        Error::new(tusk_types::SqlState::SYNTAX_ERROR, message)
    })
}

#[cfg(test)]
mod tests {
    use crate::ast::Statement;
    use crate::ast_function::{ArgMode, RoutineKind};

    fn one(sql: &str) -> Statement {
        crate::parse(sql).expect("parses").remove(0).stmt
    }

    #[test]
    fn create_aggregate_keeps_both_forms_and_ordered_set_arguments() {
        use crate::ast_function::DefinitionValue;
        let Statement::CreateAggregate(a) = one(
            "CREATE OR REPLACE AGGREGATE s.agg(float8 ORDER BY int, text) \
             (SFUNC = f, STYPE = int[], INITCOND = '{}', SSPACE = 8, HYPOTHETICAL, SORTOP = >)",
        ) else {
            panic!("not a CREATE AGGREGATE");
        };
        assert!(a.replace);
        assert_eq!(a.name, vec!["s".to_string(), "agg".to_string()]);
        assert_eq!(a.args.as_ref().map(Vec::len), Some(3));
        assert_eq!(a.direct_args, Some(1));
        let names: Vec<&str> = a.options.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sfunc",
                "stype",
                "initcond",
                "sspace",
                "hypothetical",
                "sortop"
            ]
        );
        assert_eq!(a.options[2].1, DefinitionValue::Text("{}".into()));
        assert_eq!(a.options[4].1, DefinitionValue::None);
        assert_eq!(a.options[5].1, DefinitionValue::Operator(vec![">".into()]));

        let Statement::CreateAggregate(old) =
            one("CREATE AGGREGATE c (BASETYPE = 'ANY', SFUNC = int8inc, STYPE = int8)")
        else {
            panic!("not a CREATE AGGREGATE");
        };
        assert_eq!(old.args, None);
        assert_eq!(old.options[0].1, DefinitionValue::Text("ANY".into()));

        let Statement::CreateAggregate(star) =
            one("CREATE AGGREGATE c(*) (SFUNC = int8inc, STYPE = int8)")
        else {
            panic!("not a CREATE AGGREGATE");
        };
        assert_eq!(star.args, Some(Vec::new()));
        assert_eq!(star.direct_args, None);
    }

    #[test]
    fn drop_aggregate_is_a_routine_drop() {
        let Statement::DropFunction(d) = one("DROP AGGREGATE IF EXISTS a(int), b(*)") else {
            panic!("not a DROP");
        };
        assert_eq!(d.kind, RoutineKind::Aggregate);
        assert_eq!(d.functions[1].args, Some(Vec::new()));
    }

    #[test]
    fn create_function_keeps_arguments_options_and_body() {
        let Statement::CreateFunction(f) = one(
            "CREATE OR REPLACE FUNCTION s.f(a int, OUT b text, c int DEFAULT 1) \
             RETURNS SETOF record STRICT STABLE LANGUAGE SQL AS $$ SELECT 1 $$",
        ) else {
            panic!("not a CREATE FUNCTION");
        };
        assert!(f.replace && f.setof && !f.is_procedure);
        assert_eq!(f.name, vec!["s".to_string(), "f".to_string()]);
        let modes: Vec<ArgMode> = f.args.iter().map(|a| a.mode).collect();
        assert_eq!(modes, vec![ArgMode::In, ArgMode::Out, ArgMode::In]);
        assert!(f.args[2].default.is_some());
        assert_eq!(f.language.as_deref(), Some("sql"));
        assert_eq!(f.strict, Some(true));
        assert_eq!(f.volatility, Some(b's'));
        assert_eq!(f.as_body, vec![" SELECT 1 ".to_string()]);
    }

    #[test]
    fn sql_standard_bodies_become_statement_text() {
        let Statement::CreateFunction(f) = one("CREATE FUNCTION f(x int) RETURNS int RETURN x + 1")
        else {
            panic!("not a CREATE FUNCTION");
        };
        assert_eq!(f.sql_body.as_deref(), Some("SELECT x + 1"));
        assert!(f.language.is_none());
    }

    #[test]
    fn drop_routines_keep_their_kind_and_argument_lists() {
        let Statement::DropFunction(d) = one("DROP PROCEDURE IF EXISTS p(int), q CASCADE") else {
            panic!("not a DROP PROCEDURE");
        };
        assert_eq!(d.kind, RoutineKind::Procedure);
        assert!(d.missing_ok && d.cascade);
        assert_eq!(d.functions.len(), 2);
        assert_eq!(d.functions[0].args.as_ref().map(Vec::len), Some(1));
        assert!(d.functions[1].args.is_none());
    }
}
