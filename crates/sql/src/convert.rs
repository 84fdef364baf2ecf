//! Conversion of pg_query's raw parse tree (protobuf) into [`crate::ast`]: done once, here.
//!
//! Constructs tusk cannot represent yet become `Unsupported` nodes carrying their name and
//! location, so the analyzer reports 0A000 at the right place instead of a wrong answer.

use pg_query::protobuf::{self as pb, a_const};
use pg_query::NodeEnum;
use tusk_types::{Error, Result, SqlState};

use crate::ast::*;

fn loc(l: i32) -> usize {
    if l < 0 {
        usize::MAX
    } else {
        l as usize
    }
}

/// Converts one raw statement.
pub(crate) fn statement(raw: &pb::RawStmt) -> Result<RawStatement> {
    let node = raw.stmt.as_deref().and_then(|n| n.node.as_ref());
    let stmt = match node {
        Some(node) => convert_stmt(node)?,
        None => return Err(Error::internal("empty raw statement")),
    };
    Ok(RawStatement {
        stmt,
        location: raw.stmt_location.max(0) as usize,
        len: raw.stmt_len.max(0) as usize,
    })
}

fn string_of(node: &pb::Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        _ => None,
    }
}

fn names(nodes: &[pb::Node]) -> Vec<String> {
    nodes.iter().filter_map(string_of).collect()
}

fn range_var(rv: &pb::RangeVar) -> RangeVar {
    RangeVar {
        schema: (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()),
        name: rv.relname.clone(),
        alias: rv.alias.as_ref().map(alias),
        location: loc(rv.location),
    }
}

fn alias(a: &pb::Alias) -> Alias {
    Alias {
        name: a.aliasname.clone(),
        columns: names(&a.colnames),
    }
}

fn convert_stmt(node: &NodeEnum) -> Result<Statement> {
    Ok(match node {
        NodeEnum::SelectStmt(s) => Statement::Select(Box::new(select(s)?)),
        NodeEnum::InsertStmt(s) => match &s.relation {
            Some(rv) => Statement::Insert(range_var(rv)),
            None => unsupported("INSERT"),
        },
        NodeEnum::UpdateStmt(s) => match &s.relation {
            Some(rv) => Statement::Update(range_var(rv)),
            None => unsupported("UPDATE"),
        },
        NodeEnum::DeleteStmt(s) => match &s.relation {
            Some(rv) => Statement::Delete(range_var(rv)),
            None => unsupported("DELETE"),
        },
        NodeEnum::VariableShowStmt(s) => Statement::Show(s.name.to_lowercase()),
        NodeEnum::VariableSetStmt(s) => Statement::Set(set_stmt(s)?),
        NodeEnum::TransactionStmt(s) => Statement::Transaction(transaction(s)),
        NodeEnum::PrepareStmt(s) => {
            let inner = s.query.as_deref().and_then(|n| n.node.as_ref());
            let Some(inner) = inner else {
                return Err(Error::internal("PREPARE without a statement"));
            };
            Statement::Prepare {
                name: s.name.clone(),
                arg_types: s
                    .argtypes
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::TypeName(t)) => Some(type_name(t)),
                        _ => None,
                    })
                    .collect(),
                statement: Box::new(RawStatement {
                    stmt: convert_stmt(inner)?,
                    location: 0,
                    len: 0,
                }),
            }
        }
        NodeEnum::ExecuteStmt(s) => Statement::Execute {
            name: s.name.clone(),
            params: s.params.iter().map(expr).collect::<Result<_>>()?,
        },
        NodeEnum::DeallocateStmt(s) => {
            Statement::Deallocate((!s.name.is_empty()).then(|| s.name.clone()))
        }
        NodeEnum::CheckPointStmt(_) => Statement::Checkpoint,
        NodeEnum::DiscardStmt(s) => Statement::Discard(match pb::DiscardMode::from_i32(s.target) {
            Some(pb::DiscardMode::DiscardPlans) => DiscardTarget::Plans,
            Some(pb::DiscardMode::DiscardSequences) => DiscardTarget::Sequences,
            Some(pb::DiscardMode::DiscardTemp) => DiscardTarget::Temp,
            _ => DiscardTarget::All,
        }),
        other => {
            let (tag, relation) = command_tag(other);
            Statement::Unsupported {
                tag: tag.to_string(),
                relation,
            }
        }
    })
}

fn unsupported(tag: &str) -> Statement {
    Statement::Unsupported {
        tag: tag.to_string(),
        relation: None,
    }
}

/// PostgreSQL's command tag for statements tusk cannot run yet, and a relation they need.
fn command_tag(node: &NodeEnum) -> (&'static str, Option<RangeVar>) {
    let rel = |rv: &Option<pb::RangeVar>| rv.as_ref().map(range_var);
    match node {
        NodeEnum::CreateStmt(_) => ("CREATE TABLE", None),
        NodeEnum::CreateTableAsStmt(_) => ("CREATE TABLE AS", None),
        NodeEnum::IndexStmt(s) => ("CREATE INDEX", rel(&s.relation)),
        NodeEnum::ViewStmt(_) => ("CREATE VIEW", None),
        NodeEnum::CreateSeqStmt(_) => ("CREATE SEQUENCE", None),
        NodeEnum::CreateSchemaStmt(_) => ("CREATE SCHEMA", None),
        NodeEnum::CreateFunctionStmt(_) => ("CREATE FUNCTION", None),
        NodeEnum::CreatedbStmt(_) => ("CREATE DATABASE", None),
        NodeEnum::DropdbStmt(_) => ("DROP DATABASE", None),
        NodeEnum::CreateRoleStmt(_) => ("CREATE ROLE", None),
        NodeEnum::CreateExtensionStmt(_) => ("CREATE EXTENSION", None),
        NodeEnum::CreateDomainStmt(_) => ("CREATE DOMAIN", None),
        NodeEnum::CompositeTypeStmt(_)
        | NodeEnum::CreateEnumStmt(_)
        | NodeEnum::CreateRangeStmt(_) => ("CREATE TYPE", None),
        NodeEnum::DefineStmt(_) => ("CREATE", None),
        NodeEnum::AlterTableStmt(s) => ("ALTER TABLE", rel(&s.relation)),
        NodeEnum::RenameStmt(s) => ("ALTER", rel(&s.relation)),
        NodeEnum::DropStmt(_) => ("DROP", None),
        NodeEnum::TruncateStmt(_) => ("TRUNCATE TABLE", None),
        NodeEnum::CopyStmt(s) => ("COPY", rel(&s.relation)),
        NodeEnum::VacuumStmt(s) => (if s.is_vacuumcmd { "VACUUM" } else { "ANALYZE" }, None),
        NodeEnum::ExplainStmt(_) => ("EXPLAIN", None),
        NodeEnum::LockStmt(_) => ("LOCK TABLE", None),
        NodeEnum::CommentStmt(_) => ("COMMENT", None),
        NodeEnum::GrantStmt(s) => (if s.is_grant { "GRANT" } else { "REVOKE" }, None),
        NodeEnum::GrantRoleStmt(s) => (
            if s.is_grant {
                "GRANT ROLE"
            } else {
                "REVOKE ROLE"
            },
            None,
        ),
        NodeEnum::DeclareCursorStmt(_) => ("DECLARE CURSOR", None),
        NodeEnum::FetchStmt(s) => (if s.ismove { "MOVE" } else { "FETCH" }, None),
        NodeEnum::ClosePortalStmt(_) => ("CLOSE CURSOR", None),
        NodeEnum::ListenStmt(_) => ("LISTEN", None),
        NodeEnum::UnlistenStmt(_) => ("UNLISTEN", None),
        NodeEnum::NotifyStmt(_) => ("NOTIFY", None),
        NodeEnum::DoStmt(_) => ("DO", None),
        NodeEnum::CallStmt(_) => ("CALL", None),
        NodeEnum::LoadStmt(_) => ("LOAD", None),
        NodeEnum::ClusterStmt(_) => ("CLUSTER", None),
        NodeEnum::ReindexStmt(_) => ("REINDEX", None),
        NodeEnum::MergeStmt(s) => ("MERGE", rel(&s.relation)),
        NodeEnum::CreateTrigStmt(s) => ("CREATE TRIGGER", rel(&s.relation)),
        NodeEnum::RuleStmt(s) => ("CREATE RULE", rel(&s.relation)),
        NodeEnum::AlterSystemStmt(_) => ("ALTER SYSTEM", None),
        NodeEnum::AlterRoleStmt(_) => ("ALTER ROLE", None),
        NodeEnum::AlterDatabaseSetStmt(_) | NodeEnum::AlterDatabaseStmt(_) => {
            ("ALTER DATABASE", None)
        }
        NodeEnum::AlterRoleSetStmt(_) => ("ALTER ROLE", None),
        NodeEnum::DropRoleStmt(_) => ("DROP ROLE", None),
        NodeEnum::CreateTableSpaceStmt(_) => ("CREATE TABLESPACE", None),
        NodeEnum::CreatePublicationStmt(_) => ("CREATE PUBLICATION", None),
        NodeEnum::CreateSubscriptionStmt(_) => ("CREATE SUBSCRIPTION", None),
        NodeEnum::CreatePolicyStmt(_) => ("CREATE POLICY", None),
        NodeEnum::AlterOwnerStmt(_) => ("ALTER", None),
        NodeEnum::AlterObjectSchemaStmt(_) => ("ALTER", None),
        NodeEnum::AlterSeqStmt(_) => ("ALTER SEQUENCE", None),
        NodeEnum::AlterDomainStmt(_) => ("ALTER DOMAIN", None),
        NodeEnum::AlterFunctionStmt(_) => ("ALTER FUNCTION", None),
        NodeEnum::AlterEnumStmt(_) => ("ALTER TYPE", None),
        NodeEnum::CreateCastStmt(_) => ("CREATE CAST", None),
        NodeEnum::CreateOpClassStmt(_) => ("CREATE OPERATOR CLASS", None),
        NodeEnum::CreateConversionStmt(_) => ("CREATE CONVERSION", None),
        NodeEnum::CreateStatsStmt(_) => ("CREATE STATISTICS", None),
        NodeEnum::RefreshMatViewStmt(_) => ("REFRESH MATERIALIZED VIEW", None),
        NodeEnum::ReassignOwnedStmt(_) => ("REASSIGN OWNED", None),
        NodeEnum::DropOwnedStmt(_) => ("DROP OWNED", None),
        NodeEnum::SecLabelStmt(_) => ("SECURITY LABEL", None),
        NodeEnum::ImportForeignSchemaStmt(_) => ("IMPORT FOREIGN SCHEMA", None),
        NodeEnum::ConstraintsSetStmt(_) => ("SET CONSTRAINTS", None),
        NodeEnum::CreateEventTrigStmt(_) => ("CREATE EVENT TRIGGER", None),
        NodeEnum::CreatePlangStmt(_) => ("CREATE LANGUAGE", None),
        NodeEnum::AlterDefaultPrivilegesStmt(_) => ("ALTER DEFAULT PRIVILEGES", None),
        NodeEnum::CreateForeignTableStmt(_) => ("CREATE FOREIGN TABLE", None),
        NodeEnum::CreateFdwStmt(_) => ("CREATE FOREIGN DATA WRAPPER", None),
        NodeEnum::CreateForeignServerStmt(_) => ("CREATE SERVER", None),
        NodeEnum::CreateUserMappingStmt(_) => ("CREATE USER MAPPING", None),
        NodeEnum::CreateAmStmt(_) => ("CREATE ACCESS METHOD", None),
        NodeEnum::CreateTransformStmt(_) => ("CREATE TRANSFORM", None),
        NodeEnum::AlterTsdictionaryStmt(_) | NodeEnum::AlterTsconfigurationStmt(_) => {
            ("ALTER TEXT SEARCH", None)
        }
        _ => ("UTILITY", None),
    }
}

fn transaction(s: &pb::TransactionStmt) -> TransactionStmt {
    use pb::TransactionStmtKind as K;
    match K::from_i32(s.kind).unwrap_or(K::Undefined) {
        K::TransStmtCommit => TransactionStmt::Commit { chain: s.chain },
        K::TransStmtRollback => TransactionStmt::Rollback { chain: s.chain },
        K::TransStmtSavepoint => TransactionStmt::Savepoint(s.savepoint_name.clone()),
        K::TransStmtRelease => TransactionStmt::Release(s.savepoint_name.clone()),
        K::TransStmtRollbackTo => TransactionStmt::RollbackTo(s.savepoint_name.clone()),
        K::TransStmtPrepare => TransactionStmt::TwoPhase("PREPARE TRANSACTION".into()),
        K::TransStmtCommitPrepared => TransactionStmt::TwoPhase("COMMIT PREPARED".into()),
        K::TransStmtRollbackPrepared => TransactionStmt::TwoPhase("ROLLBACK PREPARED".into()),
        _ => TransactionStmt::Begin(transaction_options(&s.options)),
    }
}

/// Transaction modes from `DefElem`s: transaction_isolation / transaction_read_only /
/// transaction_deferrable, each with an A_Const argument.
fn transaction_options(options: &[pb::Node]) -> Vec<TransactionOption> {
    let mut out = Vec::new();
    for opt in options {
        let Some(NodeEnum::DefElem(d)) = opt.node.as_ref() else {
            continue;
        };
        let arg = d.arg.as_deref().and_then(|n| n.node.as_ref());
        let (text, int) = match arg {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(a_const::Val::Sval(s)) => (Some(s.sval.clone()), None),
                Some(a_const::Val::Ival(i)) => (None, Some(i.ival)),
                _ => (None, None),
            },
            _ => (None, None),
        };
        match d.defname.as_str() {
            "transaction_isolation" => {
                out.push(TransactionOption::Isolation(text.unwrap_or_default()))
            }
            "transaction_read_only" => out.push(TransactionOption::ReadOnly(int.unwrap_or(0) != 0)),
            "transaction_deferrable" => {
                out.push(TransactionOption::Deferrable(int.unwrap_or(0) != 0))
            }
            _ => {}
        }
    }
    out
}

fn set_stmt(s: &pb::VariableSetStmt) -> Result<SetStmt> {
    use pb::VariableSetKind as K;
    let name = s.name.to_lowercase();
    Ok(match K::from_i32(s.kind).unwrap_or(K::Undefined) {
        K::VarSetValue => {
            let mut values = Vec::new();
            for arg in &s.args {
                values.push(set_arg(arg)?);
            }
            SetStmt::Value {
                name,
                values,
                local: s.is_local,
            }
        }
        K::VarSetDefault => SetStmt::Default {
            name,
            local: s.is_local,
        },
        K::VarSetCurrent => SetStmt::FromCurrent { name },
        K::VarSetMulti => SetStmt::Transaction {
            session: name == "session characteristics",
            options: transaction_options(&s.args),
        },
        K::VarReset => SetStmt::Reset(name),
        K::VarResetAll => SetStmt::ResetAll,
        K::Undefined => return Err(Error::internal("unknown SET kind")),
    })
}

fn set_arg(node: &pb::Node) -> Result<SetArg> {
    match node.node.as_ref() {
        Some(NodeEnum::AConst(c)) => Ok(match &c.val {
            Some(a_const::Val::Sval(s)) => SetArg::String(s.sval.clone()),
            Some(a_const::Val::Ival(i)) => SetArg::Number(i.ival.to_string()),
            Some(a_const::Val::Fval(f)) => SetArg::Number(f.fval.clone()),
            Some(a_const::Val::Boolval(b)) => {
                SetArg::String(if b.boolval { "true" } else { "false" }.into())
            }
            _ => SetArg::String(String::new()),
        }),
        Some(NodeEnum::TypeCast(tc)) => {
            // SET TIME ZONE INTERVAL '...': the interval literal, marked as such for the
            // TimeZone check (which turns it into a fixed-offset zone).
            let inner = match tc.arg.as_deref() {
                Some(inner) => set_arg(inner)?,
                None => return Err(Error::internal("SET argument cast without operand")),
            };
            let is_interval = tc
                .type_name
                .as_ref()
                .and_then(|t| names(&t.names).pop())
                .is_some_and(|n| n == "interval");
            Ok(match inner {
                SetArg::String(text) if is_interval => {
                    SetArg::String(format!("INTERVAL '{}'", text.replace('\'', "''")))
                }
                other => other,
            })
        }
        _ => Err(Error::new(
            SqlState::SYNTAX_ERROR,
            "unexpected SET argument",
        )),
    }
}

fn select(s: &pb::SelectStmt) -> Result<SelectStmt> {
    let mut out = SelectStmt::default();
    if pb::SetOperation::from_i32(s.op).unwrap_or(pb::SetOperation::SetopNone)
        != pb::SetOperation::SetopNone
    {
        out.unsupported = Some(("set operations (UNION/INTERSECT/EXCEPT)".into(), usize::MAX));
        return Ok(out);
    }
    for t in &s.target_list {
        if let Some(NodeEnum::ResTarget(rt)) = t.node.as_ref() {
            let expr = match rt.val.as_deref() {
                Some(v) => expr(v)?,
                None => Expr::Unsupported("target without value".into(), loc(rt.location)),
            };
            out.targets.push(ResTarget {
                name: (!rt.name.is_empty()).then(|| rt.name.clone()),
                expr,
                location: loc(rt.location),
            });
        }
    }
    for f in &s.from_clause {
        out.from.push(from_item(f)?);
    }
    if let Some(w) = s.where_clause.as_deref() {
        out.where_clause = Some(expr(w)?);
    }
    for row in &s.values_lists {
        if let Some(NodeEnum::List(list)) = row.node.as_ref() {
            out.values
                .push(list.items.iter().map(expr).collect::<Result<_>>()?);
        }
    }
    for sb in &s.sort_clause {
        if let Some(NodeEnum::SortBy(sb)) = sb.node.as_ref() {
            let node = sb.node.as_deref().map(expr).transpose()?;
            let Some(e) = node else { continue };
            out.order_by.push(SortBy {
                expr: e,
                descending: sb.sortby_dir == pb::SortByDir::SortbyDesc as i32,
                nulls_first: match pb::SortByNulls::from_i32(sb.sortby_nulls) {
                    Some(pb::SortByNulls::SortbyNullsFirst) => Some(true),
                    Some(pb::SortByNulls::SortbyNullsLast) => Some(false),
                    _ => None,
                },
            });
        }
    }
    out.limit = s.limit_count.as_deref().map(expr).transpose()?;
    out.offset = s.limit_offset.as_deref().map(expr).transpose()?;
    let unsupported = |what: &str| Some((what.to_string(), usize::MAX));
    if !s.distinct_clause.is_empty() {
        out.unsupported = unsupported("SELECT DISTINCT");
    } else if !s.group_clause.is_empty() {
        out.unsupported = unsupported("GROUP BY");
    } else if s.having_clause.is_some() {
        out.unsupported = unsupported("HAVING");
    } else if !s.window_clause.is_empty() {
        out.unsupported = unsupported("WINDOW");
    } else if s.with_clause.is_some() {
        out.unsupported = unsupported("WITH");
    } else if !s.locking_clause.is_empty() {
        out.unsupported = unsupported("FOR UPDATE/SHARE");
    } else if s.into_clause.is_some() {
        out.unsupported = unsupported("SELECT INTO");
    } else if s.limit_option == pb::LimitOption::WithTies as i32 {
        out.unsupported = unsupported("FETCH FIRST ... WITH TIES");
    }
    Ok(out)
}

fn from_item(node: &pb::Node) -> Result<FromItem> {
    Ok(match node.node.as_ref() {
        Some(NodeEnum::RangeVar(rv)) => FromItem::Relation(range_var(rv)),
        Some(NodeEnum::RangeFunction(rf)) => {
            let call = rf.functions.first().and_then(|f| match f.node.as_ref() {
                Some(NodeEnum::List(l)) => l.items.first(),
                _ => None,
            });
            match call {
                Some(call) if rf.functions.len() == 1 && !rf.is_rowsfrom && !rf.lateral => {
                    FromItem::Function {
                        call: expr(call)?,
                        alias: rf.alias.as_ref().map(alias),
                        ordinality: rf.ordinality,
                    }
                }
                _ => FromItem::Other("ROWS FROM / LATERAL function".into(), usize::MAX),
            }
        }
        Some(NodeEnum::JoinExpr(_)) => FromItem::Other("JOIN".into(), usize::MAX),
        Some(NodeEnum::RangeSubselect(_)) => FromItem::Other("subquery in FROM".into(), usize::MAX),
        _ => FromItem::Other("this FROM item".into(), usize::MAX),
    })
}

fn boxed(node: &Option<Box<pb::Node>>) -> Result<Box<Expr>> {
    match node.as_deref() {
        Some(n) => Ok(Box::new(expr(n)?)),
        None => Err(Error::internal("missing operand in parse tree")),
    }
}

pub(crate) fn type_name(t: &pb::TypeName) -> TypeName {
    TypeName {
        names: names(&t.names),
        typmods: t.typmods.iter().filter_map(|n| expr(n).ok()).collect(),
        array_bounds: t
            .array_bounds
            .iter()
            .map(|n| match n.node.as_ref() {
                Some(NodeEnum::Integer(i)) => i.ival,
                _ => -1,
            })
            .collect(),
        location: loc(t.location),
    }
}

/// Converts an expression node.
pub(crate) fn expr(node: &pb::Node) -> Result<Expr> {
    let Some(n) = node.node.as_ref() else {
        return Err(Error::internal("empty expression node"));
    };
    Ok(match n {
        NodeEnum::AConst(c) => {
            let lit = if c.isnull {
                Literal::Null
            } else {
                match &c.val {
                    Some(a_const::Val::Ival(i)) => Literal::Integer(i.ival as i64),
                    Some(a_const::Val::Fval(f)) => Literal::Numeric(f.fval.clone()),
                    Some(a_const::Val::Sval(s)) => Literal::String(s.sval.clone()),
                    Some(a_const::Val::Boolval(b)) => Literal::Bool(b.boolval),
                    Some(a_const::Val::Bsval(b)) => Literal::BitString(b.bsval.clone()),
                    None => Literal::Null,
                }
            };
            Expr::Const(lit, loc(c.location))
        }
        NodeEnum::ColumnRef(c) => Expr::Column(
            c.fields
                .iter()
                .map(|f| match f.node.as_ref() {
                    Some(NodeEnum::String(s)) => s.sval.clone(),
                    _ => "*".to_string(),
                })
                .collect(),
            loc(c.location),
        ),
        NodeEnum::ParamRef(p) => Expr::Param(p.number.max(0) as u32, loc(p.location)),
        NodeEnum::AExpr(a) => a_expr(a)?,
        NodeEnum::BoolExpr(b) => {
            let args = b.args.iter().map(expr).collect::<Result<Vec<_>>>()?;
            match pb::BoolExprType::from_i32(b.boolop) {
                Some(pb::BoolExprType::AndExpr) => Expr::And(args),
                Some(pb::BoolExprType::OrExpr) => Expr::Or(args),
                _ => Expr::Not(Box::new(
                    args.into_iter()
                        .next()
                        .ok_or_else(|| Error::internal("NOT without operand"))?,
                )),
            }
        }
        NodeEnum::FuncCall(f) => Expr::Func {
            name: names(&f.funcname),
            args: f.args.iter().map(expr).collect::<Result<_>>()?,
            star: f.agg_star,
            distinct: f.agg_distinct,
            has_extras: f.over.is_some()
                || f.agg_filter.is_some()
                || f.agg_within_group
                || !f.agg_order.is_empty(),
            location: loc(f.location),
        },
        NodeEnum::TypeCast(tc) => Expr::Cast {
            arg: boxed(&tc.arg)?,
            type_name: tc
                .type_name
                .as_ref()
                .map(type_name)
                .ok_or_else(|| Error::internal("cast without type"))?,
            location: loc(tc.location),
        },
        NodeEnum::NullTest(t) => Expr::NullTest {
            arg: boxed(&t.arg)?,
            is_null: t.nulltesttype == pb::NullTestType::IsNull as i32,
            location: loc(t.location),
        },
        NodeEnum::BooleanTest(t) => Expr::BoolTest {
            arg: boxed(&t.arg)?,
            kind: match pb::BoolTestType::from_i32(t.booltesttype) {
                Some(pb::BoolTestType::IsTrue) => BoolTestKind::IsTrue,
                Some(pb::BoolTestType::IsNotTrue) => BoolTestKind::IsNotTrue,
                Some(pb::BoolTestType::IsFalse) => BoolTestKind::IsFalse,
                Some(pb::BoolTestType::IsNotFalse) => BoolTestKind::IsNotFalse,
                Some(pb::BoolTestType::IsUnknown) => BoolTestKind::IsUnknown,
                _ => BoolTestKind::IsNotUnknown,
            },
            location: loc(t.location),
        },
        NodeEnum::CaseExpr(c) => {
            let mut whens = Vec::new();
            for w in &c.args {
                if let Some(NodeEnum::CaseWhen(w)) = w.node.as_ref() {
                    whens.push((*boxed(&w.expr)?, *boxed(&w.result)?));
                }
            }
            Expr::Case {
                arg: c.arg.as_deref().map(expr).transpose()?.map(Box::new),
                whens,
                default: c.defresult.as_deref().map(expr).transpose()?.map(Box::new),
                location: loc(c.location),
            }
        }
        NodeEnum::CoalesceExpr(c) => Expr::Coalesce(
            c.args.iter().map(expr).collect::<Result<_>>()?,
            loc(c.location),
        ),
        NodeEnum::MinMaxExpr(m) => Expr::MinMax {
            greatest: m.op == pb::MinMaxOp::IsGreatest as i32,
            args: m.args.iter().map(expr).collect::<Result<_>>()?,
            location: loc(m.location),
        },
        NodeEnum::SqlvalueFunction(f) => {
            use pb::SqlValueFunctionOp as Op;
            let op = Op::from_i32(f.op).unwrap_or(Op::SqlvalueFunctionOpUndefined);
            let precision = matches!(
                op,
                Op::SvfopCurrentTimeN
                    | Op::SvfopCurrentTimestampN
                    | Op::SvfopLocaltimeN
                    | Op::SvfopLocaltimestampN
            )
            .then_some(f.typmod);
            let kind = match op {
                Op::SvfopCurrentDate => SqlValueFunction::CurrentDate,
                Op::SvfopCurrentTime | Op::SvfopCurrentTimeN => SqlValueFunction::CurrentTime,
                Op::SvfopCurrentTimestamp | Op::SvfopCurrentTimestampN => {
                    SqlValueFunction::CurrentTimestamp
                }
                Op::SvfopLocaltime | Op::SvfopLocaltimeN => SqlValueFunction::LocalTime,
                Op::SvfopLocaltimestamp | Op::SvfopLocaltimestampN => {
                    SqlValueFunction::LocalTimestamp
                }
                Op::SvfopCurrentRole => SqlValueFunction::CurrentRole,
                Op::SvfopCurrentUser => SqlValueFunction::CurrentUser,
                Op::SvfopUser => SqlValueFunction::User,
                Op::SvfopSessionUser => SqlValueFunction::SessionUser,
                Op::SvfopCurrentCatalog => SqlValueFunction::CurrentCatalog,
                _ => SqlValueFunction::CurrentSchema,
            };
            Expr::SqlValue(kind, precision, loc(f.location))
        }
        NodeEnum::SubLink(s) => Expr::Unsupported("subquery".into(), loc(s.location)),
        NodeEnum::AArrayExpr(a) => Expr::Unsupported("ARRAY[...]".into(), loc(a.location)),
        NodeEnum::RowExpr(r) => Expr::Unsupported("ROW(...)".into(), loc(r.location)),
        NodeEnum::CollateClause(c) => Expr::Unsupported("COLLATE".into(), loc(c.location)),
        NodeEnum::AIndirection(_) => {
            Expr::Unsupported("subscripts and field selection".into(), usize::MAX)
        }
        NodeEnum::GroupingFunc(g) => Expr::Unsupported("GROUPING".into(), loc(g.location)),
        NodeEnum::XmlExpr(x) => Expr::Unsupported("XML functions".into(), loc(x.location)),
        NodeEnum::NamedArgExpr(n) => {
            Expr::Unsupported("named function arguments".into(), loc(n.location))
        }
        other => Expr::Unsupported(node_kind(other), usize::MAX),
    })
}

/// The parse-tree node's kind, as a name for "... is not supported" errors.
fn node_kind(node: &NodeEnum) -> String {
    let text = format!("{node:?}");
    let name = text.split(['(', ' ', '{']).next().unwrap_or("expression");
    format!("expression node {name}")
}

fn a_expr(a: &pb::AExpr) -> Result<Expr> {
    use pb::AExprKind as K;
    let name = names(&a.name).pop().unwrap_or_default();
    let location = loc(a.location);
    let kind = K::from_i32(a.kind).unwrap_or(K::Undefined);
    Ok(match kind {
        // `a SIMILAR TO b` arrives as `a ~ similar_to_escape(b)`, an ordinary operator.
        K::AexprOp | K::AexprLike | K::AexprIlike | K::AexprSimilar => Expr::Op {
            name,
            left: a.lexpr.as_deref().map(expr).transpose()?.map(Box::new),
            right: boxed(&a.rexpr)?,
            location,
        },
        K::AexprDistinct | K::AexprNotDistinct => Expr::Distinct {
            not: kind == K::AexprNotDistinct,
            left: boxed(&a.lexpr)?,
            right: boxed(&a.rexpr)?,
            location,
        },
        K::AexprNullif => Expr::NullIf(boxed(&a.lexpr)?, boxed(&a.rexpr)?, location),
        K::AexprIn => {
            let list = match a.rexpr.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::List(l)) => l.items.iter().map(expr).collect::<Result<_>>()?,
                _ => return Ok(Expr::Unsupported("IN".into(), location)),
            };
            Expr::InList {
                expr: boxed(&a.lexpr)?,
                list,
                negated: name == "<>",
                location,
            }
        }
        K::AexprBetween | K::AexprNotBetween | K::AexprBetweenSym | K::AexprNotBetweenSym => {
            let bounds: Vec<Expr> = match a.rexpr.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::List(l)) => l.items.iter().map(expr).collect::<Result<_>>()?,
                _ => Vec::new(),
            };
            let mut it = bounds.into_iter();
            match (it.next(), it.next()) {
                (Some(low), Some(high)) => Expr::Between {
                    expr: boxed(&a.lexpr)?,
                    low: Box::new(low),
                    high: Box::new(high),
                    negated: matches!(kind, K::AexprNotBetween | K::AexprNotBetweenSym),
                    symmetric: matches!(kind, K::AexprBetweenSym | K::AexprNotBetweenSym),
                    location: 0,
                },
                _ => Expr::Unsupported("BETWEEN".into(), location),
            }
        }
        K::AexprOpAny | K::AexprOpAll => Expr::Unsupported("ANY/ALL (array)".into(), location),
        K::Undefined => Expr::Unsupported("expression".into(), location),
    })
}
