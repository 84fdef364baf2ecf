//! Conversion of SQL/MED statements from pg_query's tree into [`crate::ast_foreign`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::Result;

use crate::ast::Statement;
use crate::ast_foreign::{
    FdwFunctions, ForeignDataStmt, ForeignObjectKind, GenericOption, OptionAction,
};
use crate::ast_role::RoleSpec;
use crate::convert::string_of;
use crate::convert_role::role_spec;

fn wrap(stmt: ForeignDataStmt) -> Statement {
    Statement::ForeignData(Box::new(stmt))
}

/// An `OPTIONS (...)` list.
pub(crate) fn generic_options(nodes: &[pb::Node]) -> Vec<GenericOption> {
    nodes
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => Some(GenericOption {
                name: d.defname.clone(),
                value: d.arg.as_deref().and_then(string_of),
                action: match pb::DefElemAction::from_i32(d.defaction) {
                    Some(pb::DefElemAction::DefelemSet) => OptionAction::Set,
                    Some(pb::DefElemAction::DefelemAdd) => OptionAction::Add,
                    Some(pb::DefElemAction::DefelemDrop) => OptionAction::Drop,
                    _ => OptionAction::Unspecified,
                },
            }),
            _ => None,
        })
        .collect()
}

fn fdw_functions(nodes: &[pb::Node]) -> FdwFunctions {
    let mut out = FdwFunctions::default();
    for n in nodes {
        let Some(NodeEnum::DefElem(d)) = n.node.as_ref() else {
            continue;
        };
        let name = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::List(l)) => Some(l.items.iter().filter_map(string_of).collect()),
            Some(NodeEnum::String(s)) => Some(vec![s.sval.clone()]),
            _ => None,
        };
        let location = d.location.max(0) as usize;
        match d.defname.as_str() {
            "handler" => out.handler.push((name, location)),
            "validator" => out.validator.push((name, location)),
            _ => {}
        }
    }
    out
}

fn user(r: &Option<pb::RoleSpec>) -> RoleSpec {
    r.as_ref().map(role_spec).unwrap_or(RoleSpec::Public)
}

fn kind_of(object_type: i32) -> Option<ForeignObjectKind> {
    match pb::ObjectType::from_i32(object_type) {
        Some(pb::ObjectType::ObjectFdw) => Some(ForeignObjectKind::Wrapper),
        Some(pb::ObjectType::ObjectForeignServer) => Some(ForeignObjectKind::Server),
        _ => None,
    }
}

fn object_name(node: Option<&pb::Node>) -> String {
    node.and_then(string_of).unwrap_or_default()
}

/// The SQL/MED statements, or `None` for any other statement (including the DROP,
/// RENAME, OWNER TO and COMMENT forms naming other kinds of object).
pub(crate) fn foreign_data(node: &NodeEnum) -> Option<Result<Statement>> {
    Some(Ok(wrap(match node {
        NodeEnum::CreateFdwStmt(s) => ForeignDataStmt::CreateWrapper {
            name: s.fdwname.clone(),
            functions: fdw_functions(&s.func_options),
            options: generic_options(&s.options),
        },
        NodeEnum::AlterFdwStmt(s) => ForeignDataStmt::AlterWrapper {
            name: s.fdwname.clone(),
            functions: fdw_functions(&s.func_options),
            options: generic_options(&s.options),
        },
        NodeEnum::CreateForeignServerStmt(s) => ForeignDataStmt::CreateServer {
            name: s.servername.clone(),
            server_type: (!s.servertype.is_empty()).then(|| s.servertype.clone()),
            version: (!s.version.is_empty()).then(|| s.version.clone()),
            wrapper: s.fdwname.clone(),
            if_not_exists: s.if_not_exists,
            options: generic_options(&s.options),
        },
        NodeEnum::AlterForeignServerStmt(s) => ForeignDataStmt::AlterServer {
            name: s.servername.clone(),
            version: s
                .has_version
                .then(|| (!s.version.is_empty()).then(|| s.version.clone())),
            options: generic_options(&s.options),
        },
        NodeEnum::CreateUserMappingStmt(s) => ForeignDataStmt::CreateUserMapping {
            user: user(&s.user),
            server: s.servername.clone(),
            if_not_exists: s.if_not_exists,
            options: generic_options(&s.options),
        },
        NodeEnum::AlterUserMappingStmt(s) => ForeignDataStmt::AlterUserMapping {
            user: user(&s.user),
            server: s.servername.clone(),
            options: generic_options(&s.options),
        },
        NodeEnum::DropUserMappingStmt(s) => ForeignDataStmt::DropUserMapping {
            user: user(&s.user),
            server: s.servername.clone(),
            missing_ok: s.missing_ok,
        },
        NodeEnum::DropStmt(s) => ForeignDataStmt::Drop {
            kind: kind_of(s.remove_type)?,
            names: s.objects.iter().filter_map(string_of).collect(),
            missing_ok: s.missing_ok,
            cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
        },
        NodeEnum::RenameStmt(s) => ForeignDataStmt::Rename {
            kind: kind_of(s.rename_type)?,
            name: object_name(s.object.as_deref()),
            new_name: s.newname.clone(),
        },
        NodeEnum::AlterOwnerStmt(s) => ForeignDataStmt::Owner {
            kind: kind_of(s.object_type)?,
            name: object_name(s.object.as_deref()),
            owner: user(&s.newowner),
        },
        NodeEnum::CommentStmt(s) => ForeignDataStmt::Comment {
            kind: kind_of(s.objtype)?,
            name: object_name(s.object.as_deref()),
            comment: (!s.comment.is_empty()).then(|| s.comment.clone()),
        },
        NodeEnum::CreateForeignTableStmt(s) => return create_foreign_table(s),
        NodeEnum::AlterTableStmt(s) => return alter_foreign_table_options(s),
        NodeEnum::ImportForeignSchemaStmt(s) => ForeignDataStmt::ImportSchema {
            server: s.server_name.clone(),
            local_schema: s.local_schema.clone(),
        },
        _ => return None,
    })))
}

/// The constraint kinds foreign tables refuse (PostgreSQL's transformCreateStmt), by
/// `ConstrType`.
fn refused_constraint(c: &pb::Constraint) -> Option<(&'static str, usize)> {
    use pb::ConstrType as T;
    let what = match T::from_i32(c.contype)? {
        T::ConstrPrimary => "primary key",
        T::ConstrUnique => "unique",
        T::ConstrForeign => "foreign key",
        T::ConstrExclusion => "exclusion",
        _ => return None,
    };
    Some((what, c.location.max(0) as usize))
}

fn create_foreign_table(s: &pb::CreateForeignTableStmt) -> Option<Result<Statement>> {
    let base = s.base_stmt.as_ref()?;
    let mut refused = None;
    let mut column_options = Vec::new();
    for elt in &base.table_elts {
        match elt.node.as_ref() {
            Some(NodeEnum::ColumnDef(c)) => {
                for k in &c.constraints {
                    if let Some(NodeEnum::Constraint(k)) = k.node.as_ref() {
                        refused = refused.or_else(|| refused_constraint(k));
                    }
                }
                if !c.fdwoptions.is_empty() {
                    column_options.push((c.colname.clone(), generic_options(&c.fdwoptions)));
                }
            }
            Some(NodeEnum::Constraint(k)) => refused = refused.or_else(|| refused_constraint(k)),
            _ => {}
        }
    }
    let table = match crate::convert_ddl::create_table(base) {
        Ok(Statement::CreateTable(t)) => t,
        Ok(_) => return None,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(wrap(ForeignDataStmt::CreateForeignTable {
        table,
        server: s.servername.clone(),
        options: generic_options(&s.options),
        column_options,
        refused,
    })))
}

/// `ALTER FOREIGN TABLE` whose subcommands all change generic options; `None` for any
/// other ALTER.
fn alter_foreign_table_options(s: &pb::AlterTableStmt) -> Option<Result<Statement>> {
    use pb::AlterTableType as T;
    if s.objtype != pb::ObjectType::ObjectForeignTable as i32 || s.cmds.is_empty() {
        return None;
    }
    let mut changes = Vec::new();
    for node in &s.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = node.node.as_ref() else {
            return None;
        };
        let options = match cmd.def.as_deref().and_then(|d| d.node.as_ref()) {
            Some(NodeEnum::List(l)) => generic_options(&l.items),
            _ => Vec::new(),
        };
        match T::from_i32(cmd.subtype)? {
            T::AtGenericOptions => changes.push((None, options)),
            T::AtAlterColumnGenericOptions => changes.push((Some(cmd.name.clone()), options)),
            _ => return None,
        }
    }
    Some(Ok(wrap(ForeignDataStmt::AlterForeignTableOptions {
        relation: crate::convert::range_var(s.relation.as_ref()?),
        missing_ok: s.missing_ok,
        changes,
    })))
}
