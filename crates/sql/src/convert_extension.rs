//! Conversion of PostgreSQL's `CreateExtensionStmt`, `AlterExtensionStmt` and the extension
//! form of `DropStmt` into [`crate::ast_extension`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{pg_err, Result};

use crate::ast::Statement;
use crate::ast_extension::{AlterExtensionStmt, CreateExtensionStmt, DropExtensionStmt};

fn string_arg(d: &pb::DefElem) -> Option<String> {
    match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
        Some(NodeEnum::Integer(i)) => Some(i.ival.to_string()),
        Some(NodeEnum::Float(f)) => Some(f.fval.clone()),
        _ => None,
    }
}

fn conflicting() -> tusk_types::Error {
    pg_err!(SYNTAX_ERROR, "conflicting or redundant options")
}

/// `CREATE EXTENSION`.
///
/// Errors: 42601 for an option given twice.
pub(crate) fn create_extension(s: &pb::CreateExtensionStmt) -> Result<Statement> {
    let mut stmt = CreateExtensionStmt {
        name: s.extname.clone(),
        if_not_exists: s.if_not_exists,
        schema: None,
        version: None,
        cascade: false,
    };
    let mut cascade_seen = false;
    for o in &s.options {
        let Some(NodeEnum::DefElem(d)) = o.node.as_ref() else {
            continue;
        };
        match d.defname.as_str() {
            "schema" => {
                if stmt.schema.is_some() {
                    return Err(conflicting());
                }
                stmt.schema = string_arg(d);
            }
            "new_version" => {
                if stmt.version.is_some() {
                    return Err(conflicting());
                }
                stmt.version = string_arg(d);
            }
            "cascade" => {
                if cascade_seen {
                    return Err(conflicting());
                }
                cascade_seen = true;
                stmt.cascade = !matches!(
                    d.arg.as_deref().and_then(|n| n.node.as_ref()),
                    Some(NodeEnum::Boolean(b)) if !b.boolval
                );
            }
            other => return Err(pg_err!(SYNTAX_ERROR, "unrecognized option \"{}\"", other)),
        }
    }
    Ok(Statement::CreateExtension(Box::new(stmt)))
}

/// `DROP EXTENSION`, if `s` is one.
pub(crate) fn drop_extension(s: &pb::DropStmt) -> Option<Statement> {
    if s.remove_type != pb::ObjectType::ObjectExtension as i32 {
        return None;
    }
    let names = s
        .objects
        .iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::String(name)) => Some(name.sval.clone()),
            _ => None,
        })
        .collect();
    Some(Statement::DropExtension(DropExtensionStmt {
        names,
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    }))
}

/// `ALTER EXTENSION ... UPDATE`.
pub(crate) fn alter_extension(s: &pb::AlterExtensionStmt) -> Statement {
    let version = s.options.iter().find_map(|o| match o.node.as_ref() {
        Some(NodeEnum::DefElem(d)) if d.defname == "new_version" => string_arg(d),
        _ => None,
    });
    Statement::AlterExtension(AlterExtensionStmt {
        name: s.extname.clone(),
        version,
    })
}
