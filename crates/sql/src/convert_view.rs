//! Conversion of PostgreSQL's `CreateSchemaStmt`, `RenameStmt` (schemas) and `ViewStmt`
//! raw trees into [`crate::ast_view`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::Statement;
use crate::ast_view::{CreateSchemaStmt, CreateViewStmt, RenameSchemaStmt, ViewCheckOption};

/// `CREATE SCHEMA`: the elements are converted like top-level statements.
pub(crate) fn create_schema(s: &pb::CreateSchemaStmt) -> Result<Statement> {
    let authorization = s
        .authrole
        .as_ref()
        .map(|r| match pb::RoleSpecType::from_i32(r.roletype) {
            Some(pb::RoleSpecType::RolespecCurrentUser) => "CURRENT_USER".to_string(),
            Some(pb::RoleSpecType::RolespecSessionUser) => "SESSION_USER".to_string(),
            Some(pb::RoleSpecType::RolespecCurrentRole) => "CURRENT_ROLE".to_string(),
            Some(pb::RoleSpecType::RolespecPublic) => "PUBLIC".to_string(),
            _ => r.rolename.clone(),
        });
    let mut elements = Vec::with_capacity(s.schema_elts.len());
    for element in &s.schema_elts {
        let Some(node) = element.node.as_ref() else {
            continue;
        };
        elements.push(crate::convert::statement_of(node)?);
    }
    Ok(Statement::CreateSchema(Box::new(CreateSchemaStmt {
        name: (!s.schemaname.is_empty()).then(|| s.schemaname.clone()),
        authorization,
        if_not_exists: s.if_not_exists,
        elements,
    })))
}

/// `ALTER SCHEMA name RENAME TO new_name`; `None` for other renames.
pub(crate) fn rename(s: &pb::RenameStmt) -> Option<Statement> {
    if pb::ObjectType::from_i32(s.rename_type) != Some(pb::ObjectType::ObjectSchema) {
        return None;
    }
    Some(Statement::RenameSchema(RenameSchemaStmt {
        name: s.subname.clone(),
        new_name: s.newname.clone(),
    }))
}

/// `CREATE [OR REPLACE] VIEW`.
pub(crate) fn create_view(s: &pb::ViewStmt) -> Result<Statement> {
    let view = s
        .view
        .as_ref()
        .ok_or_else(|| Error::internal("CREATE VIEW without a name"))?;
    let query = s
        .query
        .as_deref()
        .and_then(|n| n.node.as_ref())
        .ok_or_else(|| Error::internal("CREATE VIEW without a query"))?;
    let NodeEnum::SelectStmt(select) = query else {
        return Err(Error::internal(
            "CREATE VIEW with a query that is not a SELECT",
        ));
    };
    let text = query
        .deparse()
        .map_err(|e| Error::internal(format!("could not deparse query: {e}")))?;
    let check_option = match pb::ViewCheckOption::from_i32(s.with_check_option) {
        Some(pb::ViewCheckOption::LocalCheckOption) => ViewCheckOption::Local,
        Some(pb::ViewCheckOption::CascadedCheckOption) => ViewCheckOption::Cascaded,
        _ => ViewCheckOption::None,
    };
    let persistence = view.relpersistence.bytes().next().unwrap_or(b'p');
    Ok(Statement::CreateView(Box::new(CreateViewStmt {
        relation: crate::convert::range_var(view),
        columns: s
            .aliases
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect(),
        query: text,
        select: Box::new(crate::convert::select(select)?),
        replace: s.replace,
        persistence,
        check_option,
        options: s
            .options
            .iter()
            .filter_map(|o| match o.node.as_ref() {
                Some(NodeEnum::DefElem(d)) => {
                    Some((d.defname.clone(), crate::convert_ddl::def_value(&d.arg)))
                }
                _ => None,
            })
            .collect(),
    })))
}
