//! Conversion of pg_query's raw parse tree (protobuf) into [`crate::ast`]: done once, here.
//!
//! Constructs tusk cannot represent yet become `Unsupported` nodes carrying their name and
//! location, so the analyzer reports 0A000 at the right place instead of a wrong answer.

use pg_query::protobuf::{self as pb, a_const};
use pg_query::NodeEnum;
use tusk_types::{Error, Result, SqlState};

use crate::ast::*;

pub(crate) fn loc(l: i32) -> usize {
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

pub(crate) fn string_of(node: &pb::Node) -> Option<String> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        _ => None,
    }
}

fn names(nodes: &[pb::Node]) -> Vec<String> {
    nodes.iter().filter_map(string_of).collect()
}

pub(crate) fn range_var(rv: &pb::RangeVar) -> RangeVar {
    RangeVar {
        schema: (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()),
        name: rv.relname.clone(),
        alias: rv.alias.as_ref().map(alias),
        location: loc(rv.location),
        inh: rv.inh,
    }
}

fn alias(a: &pb::Alias) -> Alias {
    Alias {
        name: a.aliasname.clone(),
        columns: names(&a.colnames),
    }
}

/// `DECLARE` options, as PostgreSQL's `CURSOR_OPT_*` bits.
const CURSOR_OPT_BINARY: i32 = 0x0001;
const CURSOR_OPT_SCROLL: i32 = 0x0002;
const CURSOR_OPT_NO_SCROLL: i32 = 0x0004;
const CURSOR_OPT_HOLD: i32 = 0x0020;

/// `DECLARE name ... CURSOR FOR query`.
fn declare_cursor(s: &pb::DeclareCursorStmt) -> Result<Statement> {
    let inner = s.query.as_deref().and_then(|n| n.node.as_ref());
    let Some(inner) = inner else {
        return Err(Error::internal("DECLARE CURSOR without a query"));
    };
    let query = convert_stmt(inner)?;
    if !matches!(query, Statement::Select(_)) {
        return Err(Error::new(
            tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
            "DECLARE CURSOR must be a SELECT",
        ));
    }
    Ok(Statement::DeclareCursor(Box::new(
        crate::ast::DeclareCursorStmt {
            name: s.portalname.clone(),
            binary: s.options & CURSOR_OPT_BINARY != 0,
            scroll: if s.options & CURSOR_OPT_SCROLL != 0 {
                Some(true)
            } else if s.options & CURSOR_OPT_NO_SCROLL != 0 {
                Some(false)
            } else {
                None
            },
            hold: s.options & CURSOR_OPT_HOLD != 0,
            query: Box::new(RawStatement {
                stmt: query,
                location: 0,
                len: 0,
            }),
        },
    )))
}

/// Converts one statement node (also the elements of `CREATE SCHEMA`).
pub(crate) fn statement_of(node: &NodeEnum) -> Result<Statement> {
    convert_stmt(node)
}

fn convert_stmt(node: &NodeEnum) -> Result<Statement> {
    if let Some(stmt) = crate::convert_foreign::foreign_data(node) {
        return stmt;
    }
    Ok(match node {
        NodeEnum::SelectStmt(s) if s.into_clause.is_some() => crate::convert_ddl::select_into(s)?,
        NodeEnum::SelectStmt(s) => Statement::Select(Box::new(select(s)?)),
        NodeEnum::InsertStmt(s) => match crate::convert_dml::insert(s)? {
            Some(stmt) => Statement::Insert(Box::new(stmt)),
            None => unsupported("INSERT"),
        },
        NodeEnum::UpdateStmt(s) => match crate::convert_dml::update(s)? {
            Some(stmt) => Statement::Update(Box::new(stmt)),
            None => unsupported("UPDATE"),
        },
        NodeEnum::DeleteStmt(s) => match crate::convert_dml::delete(s)? {
            Some(stmt) => Statement::Delete(Box::new(stmt)),
            None => unsupported("DELETE"),
        },
        NodeEnum::MergeStmt(s) => match crate::convert_dml::merge(s)? {
            Some(stmt) => Statement::Merge(Box::new(stmt)),
            None => unsupported("MERGE"),
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
        NodeEnum::DeclareCursorStmt(s) => declare_cursor(s)?,
        NodeEnum::FetchStmt(s) => Statement::Fetch(crate::ast::FetchStmt {
            name: s.portalname.clone(),
            direction: match s.direction {
                2 => crate::ast::FetchDirection::Backward,
                3 => crate::ast::FetchDirection::Absolute,
                4 => crate::ast::FetchDirection::Relative,
                _ => crate::ast::FetchDirection::Forward,
            },
            count: s.how_many,
            is_move: s.ismove,
        }),
        NodeEnum::ClosePortalStmt(s) => {
            Statement::CloseCursor((!s.portalname.is_empty()).then(|| s.portalname.clone()))
        }
        NodeEnum::ExplainStmt(s) => crate::convert_explain::explain(s)?,
        NodeEnum::CreateStmt(s) => crate::convert_ddl::create_table(s)?,
        NodeEnum::DropStmt(s) if crate::convert_function::routine_kind(s).is_some() => {
            let kind = crate::convert_function::routine_kind(s).expect("checked in the guard");
            crate::convert_function::drop_function(s, kind)
        }
        NodeEnum::DropStmt(s) if crate::convert_policy::drop_policy(s).is_some() => {
            crate::convert_policy::drop_policy(s).expect("checked in the guard")
        }
        NodeEnum::CreatePolicyStmt(s) => crate::convert_policy::create_policy(s)?,
        NodeEnum::DropStmt(s) if crate::convert_publication::drop_publication(s).is_some() => {
            crate::convert_publication::drop_publication(s).expect("checked in the guard")
        }
        NodeEnum::RenameStmt(s) if crate::convert_publication::rename(s).is_some() => {
            crate::convert_publication::rename(s).expect("checked in the guard")
        }
        NodeEnum::AlterOwnerStmt(s) if crate::convert_publication::alter_owner(s).is_some() => {
            crate::convert_publication::alter_owner(s).expect("checked in the guard")
        }
        NodeEnum::CreatePublicationStmt(s) => crate::convert_publication::create_publication(s)?,
        NodeEnum::AlterPublicationStmt(s) => crate::convert_publication::alter_publication(s)?,
        NodeEnum::CreateSubscriptionStmt(s) => crate::convert_publication::create_subscription(s),
        NodeEnum::AlterSubscriptionStmt(s) => crate::convert_publication::alter_subscription(s),
        NodeEnum::DropSubscriptionStmt(s) => crate::convert_publication::drop_subscription(s),
        NodeEnum::AlterPolicyStmt(s) => crate::convert_policy::alter_policy(s)?,
        NodeEnum::RenameStmt(s) if crate::convert_policy::rename_policy(s).is_some() => {
            crate::convert_policy::rename_policy(s).expect("checked in the guard")
        }
        NodeEnum::DropStmt(s) if crate::convert_trigger::drop_trigger(s).is_some() => {
            crate::convert_trigger::drop_trigger(s).expect("checked in the guard")
        }
        NodeEnum::DropStmt(s) if crate::convert_extension::drop_extension(s).is_some() => {
            crate::convert_extension::drop_extension(s).expect("checked in the guard")
        }
        NodeEnum::DropStmt(s) if crate::convert_opclass::drop(s).is_some() => {
            crate::convert_opclass::drop(s).expect("checked in the guard")
        }
        NodeEnum::DropStmt(s) if crate::convert_cast::drop(s).is_some() => {
            crate::convert_cast::drop(s).expect("checked in the guard")
        }
        NodeEnum::CreateCastStmt(s) if crate::convert_cast::create_cast(s).is_some() => {
            crate::convert_cast::create_cast(s).expect("checked in the guard")
        }
        NodeEnum::CreateConversionStmt(s) => crate::convert_cast::create_conversion(s),
        NodeEnum::AlterOperatorStmt(s) => crate::convert_opclass::alter_operator(s),
        NodeEnum::CreateOpFamilyStmt(s) => crate::convert_opclass::create_family(s),
        NodeEnum::CreateOpClassStmt(s) => crate::convert_opclass::create_class(s),
        NodeEnum::AlterOpFamilyStmt(s) => crate::convert_opclass::alter_family(s),
        NodeEnum::DropStmt(s) => crate::convert_ddl::drop(s)?,
        NodeEnum::CreateExtensionStmt(s) => crate::convert_extension::create_extension(s)?,
        NodeEnum::AlterExtensionStmt(s) => crate::convert_extension::alter_extension(s),
        NodeEnum::CreateTrigStmt(s) => crate::convert_trigger::create_trigger(s)?,
        NodeEnum::RenameStmt(s) if crate::convert_trigger::rename_trigger(s).is_some() => {
            crate::convert_trigger::rename_trigger(s).expect("checked in the guard")
        }
        NodeEnum::CreateFunctionStmt(s) => crate::convert_function::create_function(s)?,
        NodeEnum::CallStmt(s) => crate::convert_function::call(s)?,
        NodeEnum::CreateSchemaStmt(s) => crate::convert_view::create_schema(s)?,
        NodeEnum::ViewStmt(s) => crate::convert_view::create_view(s)?,
        NodeEnum::RenameStmt(s) if s.rename_type == pb::ObjectType::ObjectType as i32 => {
            crate::convert_type::rename_type(s)
        }
        NodeEnum::CreatedbStmt(s) => crate::convert_database::create_database(s),
        NodeEnum::DropdbStmt(s) => crate::convert_database::drop_database(s),
        NodeEnum::AlterDatabaseStmt(s) => crate::convert_database::alter_database(s),
        NodeEnum::AlterDatabaseSetStmt(s) => crate::convert_database::alter_database_set(s)?,
        NodeEnum::AlterRoleSetStmt(s) => crate::convert_database::alter_role_set(s)?,
        NodeEnum::RenameStmt(s) if crate::convert_database::rename_database(s).is_some() => {
            crate::convert_database::rename_database(s).expect("checked in the guard")
        }
        NodeEnum::AlterOwnerStmt(s)
            if crate::convert_database::alter_database_owner(s).is_some() =>
        {
            crate::convert_database::alter_database_owner(s).expect("checked in the guard")
        }
        NodeEnum::CreateRoleStmt(s) => crate::convert_role::create_role(s)?,
        NodeEnum::AlterRoleStmt(s) => crate::convert_role::alter_role(s)?,
        NodeEnum::DropRoleStmt(s) => crate::convert_role::drop_role(s),
        NodeEnum::ReassignOwnedStmt(s) => crate::convert_role::reassign_owned(s),
        NodeEnum::DropOwnedStmt(s) => crate::convert_role::drop_owned(s),
        NodeEnum::GrantRoleStmt(s) => crate::convert_role::grant_role(s),
        NodeEnum::GrantStmt(s) => crate::convert_grant::grant(s),
        NodeEnum::AlterDefaultPrivilegesStmt(s) => {
            crate::convert_grant::alter_default_privileges(s)
        }
        NodeEnum::RenameStmt(s) if crate::convert_role::rename_role(s).is_some() => {
            crate::convert_role::rename_role(s).expect("checked in the guard")
        }
        NodeEnum::RenameStmt(s) if crate::convert_view::rename(s).is_some() => {
            crate::convert_view::rename(s).expect("checked in the guard")
        }
        NodeEnum::TruncateStmt(s) => crate::convert_ddl::truncate(s),
        NodeEnum::VacuumStmt(s) => crate::convert_ddl::vacuum(s),
        NodeEnum::ReindexStmt(s) => crate::convert_ddl::reindex(s)?,
        NodeEnum::CopyStmt(s) => crate::convert_ddl::copy(s)?,
        NodeEnum::CreateSeqStmt(s) => crate::convert_ddl::create_sequence(s)?,
        NodeEnum::AlterSeqStmt(s) => crate::convert_ddl::alter_sequence(s)?,
        NodeEnum::CreateTableAsStmt(s) => crate::convert_ddl::create_table_as(s)?,
        NodeEnum::RefreshMatViewStmt(s) => crate::convert_ddl::refresh_matview(s)?,
        NodeEnum::AlterObjectSchemaStmt(s) if crate::convert_alter::set_schema(s).is_some() => {
            crate::convert_alter::set_schema(s).expect("checked in the guard")
        }
        NodeEnum::LockStmt(s) => crate::convert_ddl::lock(s),
        NodeEnum::IndexStmt(s) => crate::convert_ddl::create_index(s)?,
        NodeEnum::AlterTableStmt(s) if s.objtype == pb::ObjectType::ObjectType as i32 => {
            crate::convert_type::alter_type(s)?.expect("object type checked in the guard")
        }
        NodeEnum::RenameStmt(s) if s.rename_type == pb::ObjectType::ObjectAttribute as i32 => {
            crate::convert_type::rename_attribute(s).expect("checked in the guard")
        }
        NodeEnum::AlterTableStmt(s) => match crate::convert_alter::alter_table(s)? {
            Some(stmt) => stmt,
            None => {
                let (tag, relation) = command_tag(node);
                Statement::Unsupported {
                    tag: tag.to_string(),
                    relation,
                }
            }
        },
        NodeEnum::RenameStmt(s) if crate::convert_alter_object::rename(s).is_some() => {
            crate::convert_alter_object::rename(s).expect("checked in the guard")
        }
        NodeEnum::AlterOwnerStmt(s) if crate::convert_alter_object::alter_owner(s).is_some() => {
            crate::convert_alter_object::alter_owner(s).expect("checked in the guard")
        }
        NodeEnum::AlterObjectSchemaStmt(s)
            if crate::convert_alter_object::set_schema(s).is_some() =>
        {
            crate::convert_alter_object::set_schema(s).expect("checked in the guard")
        }
        NodeEnum::AlterFunctionStmt(s) => crate::convert_alter_object::alter_function(s),
        NodeEnum::RenameStmt(s) => match crate::convert_alter::rename(s) {
            Some(stmt) => stmt,
            None => {
                let (tag, relation) = command_tag(node);
                Statement::Unsupported {
                    tag: tag.to_string(),
                    relation,
                }
            }
        },
        NodeEnum::CommentStmt(s) => crate::convert_alter::comment(s),
        NodeEnum::CreateEnumStmt(s) => crate::convert_type::create_enum(s),
        NodeEnum::CompositeTypeStmt(s) => crate::convert_type::create_composite(s)?,
        NodeEnum::CreateRangeStmt(s) => crate::convert_type::create_range(s),
        NodeEnum::DefineStmt(s) if crate::convert_type::define_type(s).is_some() => {
            crate::convert_type::define_type(s).expect("checked in the guard")
        }
        NodeEnum::DefineStmt(s) if s.kind == pb::ObjectType::ObjectAggregate as i32 => {
            crate::convert_function::create_aggregate(s)?.expect("checked in the guard")
        }
        NodeEnum::CreateDomainStmt(s) => crate::convert_type::create_domain(s)?,
        NodeEnum::AlterDomainStmt(s) => crate::convert_type::alter_domain(s)?,
        NodeEnum::AlterEnumStmt(s) => crate::convert_type::alter_enum(s),
        NodeEnum::DoStmt(s) => {
            let (mut code, mut language) = (String::new(), None);
            for arg in &s.args {
                if let Some(NodeEnum::DefElem(d)) = arg.node.as_ref() {
                    let value = d.arg.as_deref().and_then(string_of).unwrap_or_default();
                    match d.defname.as_str() {
                        "as" => code = value,
                        "language" => language = Some(value.to_ascii_lowercase()),
                        _ => {}
                    }
                }
            }
            Statement::Do { code, language }
        }
        NodeEnum::LoadStmt(s) => Statement::Load(s.filename.clone()),
        NodeEnum::ConstraintsSetStmt(s) => Statement::SetConstraints {
            names: (!s.constraints.is_empty()).then(|| {
                s.constraints
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::RangeVar(r)) => Some(range_var(r)),
                        _ => None,
                    })
                    .collect()
            }),
            deferred: s.deferred,
        },
        NodeEnum::ListenStmt(s) => Statement::Listen(ListenStmt::Listen(s.conditionname.clone())),
        NodeEnum::UnlistenStmt(s) => Statement::Listen(ListenStmt::Unlisten(
            (!s.conditionname.is_empty()).then(|| s.conditionname.clone()),
        )),
        NodeEnum::NotifyStmt(s) => Statement::Listen(ListenStmt::Notify {
            channel: s.conditionname.clone(),
            payload: (!s.payload.is_empty()).then(|| s.payload.clone()),
        }),
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
        NodeEnum::DoStmt(_) => ("DO", None),
        NodeEnum::CallStmt(_) => ("CALL", None),
        NodeEnum::LoadStmt(_) => ("LOAD", None),
        NodeEnum::ClusterStmt(_) => ("CLUSTER", None),
        NodeEnum::ReindexStmt(_) => ("REINDEX", None),
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

pub(crate) fn set_stmt(s: &pb::VariableSetStmt) -> Result<SetStmt> {
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

pub(crate) fn select(s: &pb::SelectStmt) -> Result<SelectStmt> {
    let mut out = SelectStmt::default();
    let op = match pb::SetOperation::from_i32(s.op).unwrap_or(pb::SetOperation::SetopNone) {
        pb::SetOperation::SetopUnion => Some(SetOpKind::Union),
        pb::SetOperation::SetopIntersect => Some(SetOpKind::Intersect),
        pb::SetOperation::SetopExcept => Some(SetOpKind::Except),
        _ => None,
    };
    if let Some(op) = op {
        let side = |n: &Option<Box<pb::SelectStmt>>| -> Result<SelectStmt> {
            match n.as_deref() {
                Some(inner) => select(inner),
                None => Err(Error::internal("set operation without input")),
            }
        };
        out.set_op = Some(Box::new(SetOperation {
            op,
            all: s.all,
            left: side(&s.larg)?,
            right: side(&s.rarg)?,
        }));
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
    out.order_by = sort_list(&s.sort_clause)?;
    out.limit = s.limit_count.as_deref().map(expr).transpose()?;
    out.offset = s.limit_offset.as_deref().map(expr).transpose()?;
    if !s.distinct_clause.is_empty() {
        // `DISTINCT` alone is a list holding one empty node.
        let exprs: Vec<Expr> = s
            .distinct_clause
            .iter()
            .filter(|n| n.node.is_some())
            .map(expr)
            .collect::<Result<_>>()?;
        out.distinct = Some(exprs);
    }
    for g in &s.group_clause {
        out.group_by.push(grouping_element(g, true)?);
    }
    out.group_distinct = s.group_distinct;
    out.having = s.having_clause.as_deref().map(expr).transpose()?;
    if let Some(w) = &s.with_clause {
        out.with = Some(with_clause(w)?);
    }
    let unsupported = |what: &str| Some((what.to_string(), usize::MAX));
    for w in &s.window_clause {
        if let Some(NodeEnum::WindowDef(w)) = w.node.as_ref() {
            let mut spec = window_spec(w)?;
            spec.refname = (!w.refname.is_empty()).then(|| w.refname.clone());
            out.windows.push((w.name.clone(), spec));
        }
    }
    out.locking = crate::convert_lock::locking_clauses(&s.locking_clause)?;
    if s.into_clause.is_some() {
        out.unsupported = unsupported("SELECT INTO");
    } else if s.limit_option == pb::LimitOption::WithTies as i32 {
        out.unsupported = unsupported("FETCH FIRST ... WITH TIES");
    }
    Ok(out)
}

/// A WITH clause; a data-modifying CTE keeps its statement in
/// [`CommonTableExpr::modify`].
pub(crate) fn with_clause(w: &pb::WithClause) -> Result<WithClause> {
    let mut ctes = Vec::with_capacity(w.ctes.len());
    for c in &w.ctes {
        let Some(NodeEnum::CommonTableExpr(cte)) = c.node.as_ref() else {
            continue;
        };
        let (query, modify) = match cte.ctequery.as_deref().and_then(|n| n.node.as_ref()) {
            Some(NodeEnum::SelectStmt(q)) => (select(q)?, None),
            Some(other) => (SelectStmt::default(), Some(Box::new(convert_stmt(other)?))),
            None => return Err(Error::internal("WITH query without a statement")),
        };
        let search = cte.search_clause.as_ref().map(|c| CteSearch {
            breadth_first: c.search_breadth_first,
            columns: names(&c.search_col_list),
            sequence_column: c.search_seq_column.clone(),
            location: loc(c.location),
        });
        let cycle = match &cte.cycle_clause {
            Some(c) => Some(CteCycle {
                columns: names(&c.cycle_col_list),
                mark_column: c.cycle_mark_column.clone(),
                mark_value: c.cycle_mark_value.as_deref().map(expr).transpose()?,
                mark_default: c.cycle_mark_default.as_deref().map(expr).transpose()?,
                path_column: c.cycle_path_column.clone(),
                location: loc(c.location),
            }),
            None => None,
        };
        ctes.push(CommonTableExpr {
            name: cte.ctename.clone(),
            columns: names(&cte.aliascolnames),
            query,
            modify,
            search,
            cycle,
            location: loc(cte.location),
        });
    }
    Ok(WithClause {
        recursive: w.recursive,
        ctes,
    })
}

/// `OVER w` names a window (PostgreSQL puts the name in `name`), `OVER (w ...)` refers
/// to one (`refname`); a `WINDOW w AS (...)` definition has only `name`.
fn window_spec(w: &pb::WindowDef) -> Result<WindowSpec> {
    let reference = if !w.refname.is_empty() {
        Some(w.refname.clone())
    } else if !w.name.is_empty() && w.partition_clause.is_empty() && w.order_clause.is_empty() {
        Some(w.name.clone())
    } else {
        None
    };
    Ok(WindowSpec {
        refname: reference,
        partition_by: w.partition_clause.iter().map(expr).collect::<Result<_>>()?,
        order_by: sort_list(&w.order_clause)?,
        frame: window_frame(w)?,
        location: loc(w.location),
    })
}

/// PostgreSQL's `FRAMEOPTION_*` bits.
mod frame_option {
    pub const NONDEFAULT: i32 = 0x1;
    pub const ROWS: i32 = 0x4;
    pub const GROUPS: i32 = 0x8;
    pub const START_UNBOUNDED_PRECEDING: i32 = 0x20;
    pub const END_UNBOUNDED_FOLLOWING: i32 = 0x100;
    pub const START_CURRENT_ROW: i32 = 0x200;
    pub const END_CURRENT_ROW: i32 = 0x400;
    pub const START_OFFSET_PRECEDING: i32 = 0x800;
    pub const END_OFFSET_PRECEDING: i32 = 0x1000;
    pub const START_OFFSET_FOLLOWING: i32 = 0x2000;
    pub const END_OFFSET_FOLLOWING: i32 = 0x4000;
    pub const EXCLUDE_CURRENT_ROW: i32 = 0x8000;
    pub const EXCLUDE_GROUP: i32 = 0x10000;
    pub const EXCLUDE_TIES: i32 = 0x20000;
}

fn window_frame(w: &pb::WindowDef) -> Result<Option<WindowFrame>> {
    use frame_option as f;
    let o = w.frame_options;
    if o & f::NONDEFAULT == 0 {
        return Ok(None);
    }
    let offset = |n: &Option<Box<pb::Node>>| -> Result<Box<Expr>> { boxed(n) };
    let mode = if o & f::ROWS != 0 {
        FrameMode::Rows
    } else if o & f::GROUPS != 0 {
        FrameMode::Groups
    } else {
        FrameMode::Range
    };
    let exclusion = if o & f::EXCLUDE_CURRENT_ROW != 0 {
        FrameExclusion::CurrentRow
    } else if o & f::EXCLUDE_GROUP != 0 {
        FrameExclusion::Group
    } else if o & f::EXCLUDE_TIES != 0 {
        FrameExclusion::Ties
    } else {
        FrameExclusion::NoOthers
    };
    let start = if o & f::START_UNBOUNDED_PRECEDING != 0 {
        FrameBound::UnboundedPreceding
    } else if o & f::START_CURRENT_ROW != 0 {
        FrameBound::CurrentRow
    } else if o & f::START_OFFSET_PRECEDING != 0 {
        FrameBound::Preceding(offset(&w.start_offset)?)
    } else if o & f::START_OFFSET_FOLLOWING != 0 {
        FrameBound::Following(offset(&w.start_offset)?)
    } else {
        FrameBound::UnboundedFollowing
    };
    let end = if o & f::END_UNBOUNDED_FOLLOWING != 0 {
        FrameBound::UnboundedFollowing
    } else if o & f::END_OFFSET_PRECEDING != 0 {
        FrameBound::Preceding(offset(&w.end_offset)?)
    } else if o & f::END_OFFSET_FOLLOWING != 0 {
        FrameBound::Following(offset(&w.end_offset)?)
    } else if o & f::END_CURRENT_ROW != 0 {
        FrameBound::CurrentRow
    } else {
        FrameBound::UnboundedPreceding
    };
    Ok(Some(WindowFrame {
        mode,
        start,
        end,
        exclusion,
        location: loc(w.location),
    }))
}

fn sort_list(nodes: &[pb::Node]) -> Result<Vec<SortBy>> {
    let mut out = Vec::with_capacity(nodes.len());
    for sb in nodes {
        if let Some(NodeEnum::SortBy(sb)) = sb.node.as_ref() {
            let node = sb.node.as_deref().map(expr).transpose()?;
            let Some(e) = node else { continue };
            let using = (sb.sortby_dir == pb::SortByDir::SortbyUsing as i32)
                .then(|| (names(&sb.use_op), loc(sb.location)));
            out.push(SortBy {
                expr: e,
                descending: sb.sortby_dir == pb::SortByDir::SortbyDesc as i32,
                nulls_first: match pb::SortByNulls::from_i32(sb.sortby_nulls) {
                    Some(pb::SortByNulls::SortbyNullsFirst) => Some(true),
                    Some(pb::SortByNulls::SortbyNullsLast) => Some(false),
                    _ => None,
                },
                using,
            });
        }
    }
    Ok(out)
}

/// A column definition list's names and types, and where it starts; `Err` with the
/// location of a definition without a type.
fn column_definitions(
    defs: &[pb::Node],
) -> std::result::Result<(Vec<(String, TypeName)>, usize), usize> {
    let mut column_defs = Vec::with_capacity(defs.len());
    let mut location = usize::MAX;
    for d in defs {
        if let Some(NodeEnum::ColumnDef(cd)) = d.node.as_ref() {
            let Some(t) = cd.type_name.as_ref() else {
                return Err(loc(cd.location));
            };
            location = location.min(loc(cd.location));
            column_defs.push((cd.colname.clone(), type_name(t)));
        }
    }
    Ok((column_defs, location))
}

pub(crate) fn from_item(node: &pb::Node) -> Result<FromItem> {
    Ok(match node.node.as_ref() {
        Some(NodeEnum::RangeVar(rv)) => FromItem::Relation(range_var(rv)),
        Some(NodeEnum::RangeFunction(rf)) => {
            // Each function is a list of its call and its own column definition list
            // (ROWS FROM); the item's list belongs to a lone function.
            let mut functions = Vec::with_capacity(rf.functions.len());
            for f in &rf.functions {
                let Some(NodeEnum::List(l)) = f.node.as_ref() else {
                    return Err(Error::internal("function in FROM without its call"));
                };
                let Some(call) = l.items.first() else {
                    return Err(Error::internal("function in FROM without its call"));
                };
                let defs = match l.items.get(1).and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(defs)) => defs.items.as_slice(),
                    _ => &[],
                };
                let (column_defs, column_defs_location) = match column_definitions(defs) {
                    Ok(defs) => defs,
                    Err(location) => {
                        return Ok(FromItem::Other("this column definition".into(), location))
                    }
                };
                functions.push(RangeFunctionCall {
                    call: expr(call)?,
                    column_defs,
                    column_defs_location,
                });
            }
            if !rf.coldeflist.is_empty() {
                let (defs, location) = match column_definitions(&rf.coldeflist) {
                    Ok(defs) => defs,
                    Err(location) => {
                        return Ok(FromItem::Other("this column definition".into(), location))
                    }
                };
                if functions.len() > 1 {
                    return Err(Error::new(
                        SqlState::SYNTAX_ERROR,
                        "ROWS FROM() with multiple functions cannot have a column definition list",
                    )
                    .hint(
                        "Put a separate column definition list for each function inside ROWS FROM().",
                    )
                    .position(location as u32 + 1));
                }
                if let Some(f) = functions.first_mut() {
                    f.column_defs = defs;
                    f.column_defs_location = location;
                }
            }
            FromItem::Function {
                functions,
                alias: rf.alias.as_ref().map(alias),
                ordinality: rf.ordinality,
            }
        }
        Some(NodeEnum::JoinExpr(j)) => join(j)?,
        Some(NodeEnum::RangeSubselect(rs)) => {
            match rs.subquery.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::SelectStmt(inner)) => FromItem::Subquery {
                    query: Box::new(select(inner)?),
                    alias: rs.alias.as_ref().map(alias),
                    lateral: rs.lateral,
                },
                _ => FromItem::Other("this subquery in FROM".into(), usize::MAX),
            }
        }
        _ => FromItem::Other("this FROM item".into(), usize::MAX),
    })
}

fn join(j: &pb::JoinExpr) -> Result<FromItem> {
    let kind = match pb::JoinType::from_i32(j.jointype) {
        Some(pb::JoinType::JoinInner) => JoinKind::Inner,
        Some(pb::JoinType::JoinLeft) => JoinKind::Left,
        Some(pb::JoinType::JoinRight) => JoinKind::Right,
        Some(pb::JoinType::JoinFull) => JoinKind::Full,
        _ => return Ok(FromItem::Other("this join type".into(), usize::MAX)),
    };
    let side = |n: &Option<Box<pb::Node>>| -> Result<FromItem> {
        match n.as_deref() {
            Some(n) => from_item(n),
            None => Err(Error::internal("join without input")),
        }
    };
    let qual = if j.is_natural {
        JoinQual::Natural
    } else if !j.using_clause.is_empty() {
        JoinQual::Using(names(&j.using_clause))
    } else if let Some(q) = j.quals.as_deref() {
        JoinQual::On(expr(q)?)
    } else {
        JoinQual::None
    };
    Ok(FromItem::Join(Box::new(JoinItem {
        kind,
        left: side(&j.larg)?,
        right: side(&j.rarg)?,
        qual,
        alias: j.alias.as_ref().map(alias),
        using_alias: j.join_using_alias.as_ref().map(|a| a.aliasname.clone()),
    })))
}

fn sub_link(s: &pb::SubLink) -> Result<Expr> {
    let location = loc(s.location);
    let kind = match pb::SubLinkType::from_i32(s.sub_link_type) {
        Some(pb::SubLinkType::ExistsSublink) => SubLinkKind::Exists,
        Some(pb::SubLinkType::ExprSublink) => SubLinkKind::Expr,
        Some(pb::SubLinkType::AnySublink) => SubLinkKind::Any,
        Some(pb::SubLinkType::AllSublink) => SubLinkKind::All,
        Some(pb::SubLinkType::ArraySublink) => SubLinkKind::Array,
        // Only a multiple-column SET item has one; it becomes `MultiExpr` there.
        Some(pb::SubLinkType::MultiexprSublink) => SubLinkKind::Expr,
        _ => return Ok(Expr::Unsupported("this subquery form".into(), location)),
    };
    let query = match s.subselect.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::SelectStmt(inner)) => select(inner)?,
        _ => return Err(Error::internal("subquery without SELECT")),
    };
    let test = s.testexpr.as_deref().map(expr).transpose()?;
    if let Some(Expr::Unsupported(what, at)) = &test {
        return Ok(Expr::Unsupported(what.clone(), *at));
    }
    Ok(Expr::SubLink {
        kind,
        test: test.map(Box::new),
        op: names(&s.oper_name).pop().unwrap_or_else(|| "=".into()),
        query: Box::new(query),
        location,
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
/// One GROUP BY item. Inside ROLLUP, CUBE and GROUPING SETS a parenthesised list
/// (`(a, b)`, an implicit row) is a set of expressions, as PostgreSQL's
/// `flatten_grouping_sets` reads it; at the top level it stays a row value.
fn grouping_element(node: &pb::Node, top_level: bool) -> Result<GroupingElement> {
    use pb::GroupingSetKind as K;
    let Some(NodeEnum::GroupingSet(set)) = node.node.as_ref() else {
        if !top_level {
            if let Some(NodeEnum::RowExpr(r)) = node.node.as_ref() {
                if r.row_format == pb::CoercionForm::CoerceImplicitCast as i32 {
                    return Ok(GroupingElement::Simple(
                        r.args.iter().map(expr).collect::<Result<_>>()?,
                    ));
                }
            }
        }
        return Ok(GroupingElement::Simple(vec![expr(node)?]));
    };
    let location = loc(set.location);
    let lists = |content: &[pb::Node]| -> Result<Vec<Vec<Expr>>> {
        content
            .iter()
            .map(|n| match grouping_element(n, false)? {
                GroupingElement::Simple(list) => Ok(list),
                _ => Err(Error::new(
                    SqlState::SYNTAX_ERROR,
                    "syntax error in grouping set",
                )),
            })
            .collect()
    };
    Ok(match K::from_i32(set.kind) {
        Some(K::GroupingSetEmpty) => GroupingElement::Simple(Vec::new()),
        Some(K::GroupingSetSimple) => {
            GroupingElement::Simple(set.content.iter().map(expr).collect::<Result<_>>()?)
        }
        Some(K::GroupingSetRollup) => GroupingElement::Rollup(lists(&set.content)?, location),
        Some(K::GroupingSetCube) => GroupingElement::Cube(lists(&set.content)?, location),
        Some(K::GroupingSetSets) => GroupingElement::Sets(
            set.content
                .iter()
                .map(|n| grouping_element(n, false))
                .collect::<Result<_>>()?,
            location,
        ),
        _ => return Err(Error::internal("grouping set of unknown kind")),
    })
}

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
            args: f
                .args
                .iter()
                .map(|a| match a.node.as_ref() {
                    Some(NodeEnum::NamedArgExpr(n)) => n
                        .arg
                        .as_deref()
                        .map(expr)
                        .unwrap_or_else(|| Err(Error::internal("named argument without value"))),
                    _ => expr(a),
                })
                .collect::<Result<_>>()?,
            arg_names: if f
                .args
                .iter()
                .any(|a| matches!(a.node, Some(NodeEnum::NamedArgExpr(_))))
            {
                f.args
                    .iter()
                    .map(|a| match a.node.as_ref() {
                        Some(NodeEnum::NamedArgExpr(n)) => Some((n.name.clone(), loc(n.location))),
                        _ => None,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            star: f.agg_star,
            distinct: f.agg_distinct,
            filter: f.agg_filter.as_deref().map(expr).transpose()?.map(Box::new),
            order_by: sort_list(&f.agg_order)?,
            over: f
                .over
                .as_deref()
                .map(window_spec)
                .transpose()?
                .map(Box::new),
            within_group: f.agg_within_group,
            variadic: f.func_variadic,
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
        NodeEnum::SubLink(s) => sub_link(s)?,
        NodeEnum::AArrayExpr(a) => Expr::Array(
            a.elements.iter().map(expr).collect::<Result<_>>()?,
            loc(a.location),
        ),
        NodeEnum::RowExpr(r) => Expr::Row(
            r.args.iter().map(expr).collect::<Result<_>>()?,
            loc(r.location),
        ),
        NodeEnum::CollateClause(c) => collate_clause(c)?,
        NodeEnum::AIndirection(ind) => indirection(ind)?,
        NodeEnum::SetToDefault(d) => Expr::Default(loc(d.location)),
        NodeEnum::GroupingFunc(g) => Expr::Grouping(
            g.args.iter().map(expr).collect::<Result<_>>()?,
            loc(g.location),
        ),
        NodeEnum::XmlExpr(x) => xml_expr(x)?,
        NodeEnum::XmlSerialize(x) => Expr::Xml(Box::new(XmlExpr {
            op: XmlOp::Serialize,
            name: None,
            named_args: Vec::new(),
            args: vec![x
                .expr
                .as_deref()
                .map(expr)
                .transpose()?
                .ok_or_else(|| Error::internal("XMLSERIALIZE without an argument"))?],
            document: x.xmloption == pb::XmlOptionType::XmloptionDocument as i32,
            target: x.type_name.as_ref().map(type_name),
            location: loc(x.location),
        })),
        NodeEnum::NamedArgExpr(n) => {
            Expr::Unsupported("named function arguments".into(), loc(n.location))
        }
        other => Expr::Unsupported(node_kind(other), usize::MAX),
    })
}

/// `arg[...]...` and `(arg).field...`: subscripts and field selections, applied left to
/// right.
fn indirection(ind: &pb::AIndirection) -> Result<Expr> {
    let mut arg = boxed(&ind.arg)?;
    let mut indices = Vec::new();
    for n in &ind.indirection {
        let field = match n.node.as_ref() {
            Some(NodeEnum::AIndices(i)) => {
                indices.push(ArrayIndex {
                    is_slice: i.is_slice,
                    lower: i.lidx.as_deref().map(expr).transpose()?,
                    upper: i.uidx.as_deref().map(expr).transpose()?,
                });
                continue;
            }
            Some(NodeEnum::String(s)) => s.sval.clone(),
            Some(NodeEnum::AStar(_)) => "*".to_string(),
            _ => return Ok(Expr::Unsupported("indirection".into(), arg.location())),
        };
        if !indices.is_empty() {
            arg = Box::new(Expr::Subscript {
                arg,
                indices: std::mem::take(&mut indices),
            });
        }
        arg = Box::new(Expr::FieldSelect { arg, field });
    }
    Ok(if indices.is_empty() {
        *arg
    } else {
        Expr::Subscript { arg, indices }
    })
}

/// The parse-tree node's kind, as a name for "... is not supported" errors.
fn node_kind(node: &NodeEnum) -> String {
    let text = format!("{node:?}");
    let name = text.split(['(', ' ', '{']).next().unwrap_or("expression");
    format!("expression node {name}")
}

/// An SQL/XML construct (`XmlExpr` of the raw parse tree).
fn xml_expr(x: &pb::XmlExpr) -> Result<Expr> {
    use pb::XmlExprOp as Op;
    let op = match Op::from_i32(x.op).unwrap_or(Op::Undefined) {
        Op::IsXmlconcat => XmlOp::Concat,
        Op::IsXmlelement => XmlOp::Element,
        Op::IsXmlforest => XmlOp::Forest,
        Op::IsXmlparse => XmlOp::Parse,
        Op::IsXmlpi => XmlOp::Pi,
        Op::IsXmlroot => XmlOp::Root,
        Op::IsXmlserialize => XmlOp::Serialize,
        Op::IsDocument => XmlOp::IsDocument,
        Op::Undefined => return Err(Error::internal("XML expression without an operation")),
    };
    let mut named_args = Vec::with_capacity(x.named_args.len());
    for n in &x.named_args {
        let Some(NodeEnum::ResTarget(r)) = n.node.as_ref() else {
            return Err(Error::internal("XML named argument is no ResTarget"));
        };
        let value = r
            .val
            .as_deref()
            .map(expr)
            .transpose()?
            .ok_or_else(|| Error::internal("XML named argument without a value"))?;
        let name = (!r.name.is_empty()).then(|| r.name.clone());
        named_args.push((value, name, loc(r.location)));
    }
    Ok(Expr::Xml(Box::new(XmlExpr {
        op,
        name: (!x.name.is_empty()).then(|| x.name.clone()),
        named_args,
        args: x.args.iter().map(expr).collect::<Result<_>>()?,
        document: x.xmloption == pb::XmlOptionType::XmloptionDocument as i32,
        target: None,
        location: loc(x.location),
    })))
}

/// `expr COLLATE name`: tusk compares text bytewise, which is the `C` collation, so the
/// built-in collations that mean that (`default` in a C-collated database, `C`, `POSIX`,
/// `ucs_basic`) leave the expression as it is; any other collation is not supported.
fn collate_clause(c: &pb::CollateClause) -> Result<Expr> {
    let name = names(&c.collname);
    let builtin = match name.as_slice() {
        [n] | [_, n] if name.len() == 1 || name[0] == "pg_catalog" => {
            matches!(n.as_str(), "default" | "C" | "POSIX" | "ucs_basic")
        }
        _ => false,
    };
    if !builtin {
        return Ok(Expr::Unsupported(
            format!("COLLATE \"{}\"", name.join(".")),
            loc(c.location),
        ));
    }
    match c.arg.as_deref() {
        Some(arg) => expr(arg),
        None => Ok(Expr::Unsupported("COLLATE".into(), loc(c.location))),
    }
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
        K::AexprOpAny | K::AexprOpAll => Expr::AnyAll {
            name,
            left: boxed(&a.lexpr)?,
            right: boxed(&a.rexpr)?,
            all: kind == K::AexprOpAll,
            location,
        },
        K::Undefined => Expr::Unsupported("expression".into(), location),
    })
}
