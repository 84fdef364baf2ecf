//! Conversion of PostgreSQL's `GrantStmt` raw tree into [`crate::ast_grant`].

use pg_query::protobuf as pb;
use pg_query::NodeEnum;

use crate::ast::Statement;
use crate::ast_grant::{GrantObjects, GrantStmt, Privilege};
use crate::convert::{range_var, string_of};
use crate::convert_role::role_spec;

fn strings(nodes: &[pb::Node]) -> Vec<String> {
    nodes.iter().filter_map(string_of).collect()
}

fn routine_keyword(objtype: Option<pb::ObjectType>) -> &'static str {
    match objtype {
        Some(pb::ObjectType::ObjectProcedure) => "PROCEDURE",
        Some(pb::ObjectType::ObjectRoutine) => "ROUTINE",
        _ => "FUNCTION",
    }
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r, ...] [IN SCHEMA s, ...] GRANT | REVOKE ...`: a
/// GRANT or REVOKE whose objects are [`GrantObjects::Defaults`].
pub(crate) fn alter_default_privileges(s: &pb::AlterDefaultPrivilegesStmt) -> Statement {
    use pb::ObjectType as O;
    let unsupported = || Statement::Unsupported {
        tag: "ALTER DEFAULT PRIVILEGES".into(),
        relation: None,
    };
    let Some(action) = s.action.as_ref() else {
        return unsupported();
    };
    let mut roles = Vec::new();
    let mut schemas = Vec::new();
    for option in &s.options {
        let Some(NodeEnum::DefElem(d)) = option.node.as_ref() else {
            continue;
        };
        let items = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::List(l)) => l.items.clone(),
            _ => Vec::new(),
        };
        match d.defname.as_str() {
            "roles" => roles.extend(items.iter().filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::RoleSpec(r)) => Some(role_spec(r)),
                _ => None,
            })),
            "schemas" => schemas.extend(strings(&items)),
            _ => {}
        }
    }
    let kind = match O::from_i32(action.objtype) {
        Some(O::ObjectTable) => 'r',
        Some(O::ObjectSequence) => 'S',
        Some(O::ObjectFunction) | Some(O::ObjectProcedure) | Some(O::ObjectRoutine) => 'f',
        Some(O::ObjectType) => 'T',
        Some(O::ObjectSchema) => 'n',
        _ => return unsupported(),
    };
    match grant(action) {
        Statement::Grant(mut g) => {
            g.objects = GrantObjects::Defaults {
                kind,
                roles,
                schemas,
            };
            Statement::Grant(g)
        }
        other => other,
    }
}

/// `GRANT | REVOKE privileges ON objects TO | FROM roles`.
pub(crate) fn grant(s: &pb::GrantStmt) -> Statement {
    use pb::ObjectType as O;
    let objtype = O::from_i32(s.objtype);
    let all_in_schema = s.targtype == pb::GrantTargetType::AclTargetAllInSchema as i32;
    let objects = if s.targtype == pb::GrantTargetType::AclTargetDefaults as i32 {
        GrantObjects::Other("DEFAULT PRIVILEGES")
    } else if all_in_schema {
        let schemas = strings(&s.objects);
        match objtype {
            Some(O::ObjectTable) => GrantObjects::AllTablesInSchema(schemas),
            Some(O::ObjectSequence) => GrantObjects::AllSequencesInSchema(schemas),
            other => GrantObjects::AllRoutinesInSchema(routine_keyword(other), schemas),
        }
    } else {
        match objtype {
            Some(O::ObjectTable) | Some(O::ObjectSequence) => {
                let rvs = s
                    .objects
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::RangeVar(rv)) => Some(range_var(rv)),
                        _ => None,
                    })
                    .collect();
                if objtype == Some(O::ObjectTable) {
                    GrantObjects::Tables(rvs)
                } else {
                    GrantObjects::Sequences(rvs)
                }
            }
            Some(O::ObjectFunction) | Some(O::ObjectProcedure) | Some(O::ObjectRoutine) => {
                let functions = s
                    .objects
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::ObjectWithArgs(o)) => {
                            Some(crate::convert_function::function_name(o))
                        }
                        _ => None,
                    })
                    .collect();
                GrantObjects::Routines(routine_keyword(objtype), functions)
            }
            Some(O::ObjectSchema) => GrantObjects::Schemas(strings(&s.objects)),
            Some(O::ObjectDatabase) => GrantObjects::Databases(strings(&s.objects)),
            Some(O::ObjectLanguage) => GrantObjects::Languages(strings(&s.objects)),
            Some(O::ObjectType) | Some(O::ObjectDomain) => GrantObjects::Types(
                if objtype == Some(O::ObjectDomain) {
                    "DOMAIN"
                } else {
                    "TYPE"
                },
                s.objects
                    .iter()
                    .filter_map(|n| match n.node.as_ref() {
                        Some(NodeEnum::List(l)) => Some(strings(&l.items)),
                        Some(NodeEnum::TypeName(t)) => Some(strings(&t.names)),
                        _ => None,
                    })
                    .collect(),
            ),
            Some(O::ObjectFdw) => GrantObjects::ForeignDataWrappers(strings(&s.objects)),
            Some(O::ObjectForeignServer) => GrantObjects::ForeignServers(strings(&s.objects)),
            Some(O::ObjectLargeobject) => GrantObjects::Other("LARGE OBJECT"),
            Some(O::ObjectTablespace) => GrantObjects::Other("TABLESPACE"),
            Some(O::ObjectParameterAcl) => GrantObjects::Other("PARAMETER"),
            _ => GrantObjects::Other("this object type"),
        }
    };
    let privileges = s
        .privileges
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::AccessPriv(p)) => Some(Privilege {
                name: (!p.priv_name.is_empty()).then(|| p.priv_name.clone()),
                columns: strings(&p.cols),
            }),
            _ => None,
        })
        .collect();
    let grantees = s
        .grantees
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::RoleSpec(r)) => Some(role_spec(r)),
            _ => None,
        })
        .collect();
    Statement::Grant(Box::new(GrantStmt {
        is_grant: s.is_grant,
        privileges,
        objects,
        grantees,
        grant_option: s.grant_option,
        grantor: s.grantor.as_ref().map(role_spec),
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    }))
}
