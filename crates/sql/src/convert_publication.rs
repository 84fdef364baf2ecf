//! Conversion of publication and subscription statements (and ALTER TABLE's `REPLICA
//! IDENTITY`) from pg_query's tree into [`crate::ast_publication`].
//!
//! PostgreSQL's grammar already resolves the object list's continuation names
//! (`preprocess_pubobj_list`), so each element here is a table or a schema.

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::Statement;
use crate::ast_publication::{
    AlterPublication, AlterSubscription, CreatePublicationStmt, CreateSubscriptionStmt,
    PublicationAction, PublicationObject, ReplicaIdentity, ReplicationObject, ReplicationOption,
    ReplicationStmt,
};
use crate::convert::{expr, range_var, string_of};
use crate::convert_ddl::{def_value, deparse_expr};
use crate::convert_role::role_spec;

fn stmt(s: ReplicationStmt) -> Statement {
    Statement::Replication(Box::new(s))
}

fn options(list: &[pb::Node]) -> Vec<ReplicationOption> {
    list.iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => Some((
                d.defname.to_lowercase(),
                def_value(&d.arg),
                d.location.max(0) as usize,
            )),
            _ => None,
        })
        .collect()
}

fn names(list: &[pb::Node]) -> Vec<String> {
    list.iter().filter_map(string_of).collect()
}

fn objects(list: &[pb::Node]) -> Result<Vec<PublicationObject>> {
    use pb::PublicationObjSpecType as T;
    let mut out = Vec::with_capacity(list.len());
    for node in list {
        let Some(NodeEnum::PublicationObjSpec(spec)) = node.node.as_ref() else {
            continue;
        };
        let location = spec.location.max(0) as usize;
        out.push(match T::from_i32(spec.pubobjtype) {
            Some(T::PublicationobjTablesInSchema) => PublicationObject::Schema {
                name: Some(spec.name.clone()),
                location,
            },
            Some(T::PublicationobjTablesInCurSchema) => PublicationObject::Schema {
                name: None,
                location,
            },
            _ => {
                let table = spec
                    .pubtable
                    .as_deref()
                    .ok_or_else(|| Error::internal("publication table without a table"))?;
                let relation = table
                    .relation
                    .as_ref()
                    .map(range_var)
                    .ok_or_else(|| Error::internal("publication table without a name"))?;
                let filter = match table.where_clause.as_deref() {
                    Some(w) if w.node.is_some() => Some(Box::new((expr(w)?, deparse_expr(w)?))),
                    _ => None,
                };
                PublicationObject::Table {
                    relation,
                    columns: (!table.columns.is_empty()).then(|| names(&table.columns)),
                    filter,
                }
            }
        });
    }
    Ok(out)
}

/// `CREATE PUBLICATION`.
///
/// Errors: those of converting row filter expressions.
pub(crate) fn create_publication(s: &pb::CreatePublicationStmt) -> Result<Statement> {
    Ok(stmt(ReplicationStmt::CreatePublication(
        CreatePublicationStmt {
            name: s.pubname.clone(),
            all_tables: s.for_all_tables,
            objects: objects(&s.pubobjects)?,
            options: options(&s.options),
        },
    )))
}

/// `ALTER PUBLICATION ... SET (options)` or `ADD | DROP | SET objects`.
///
/// Errors: those of converting row filter expressions.
pub(crate) fn alter_publication(s: &pb::AlterPublicationStmt) -> Result<Statement> {
    use pb::AlterPublicationAction as A;
    let change = if !s.options.is_empty() {
        AlterPublication::Options(options(&s.options))
    } else {
        let action = match A::from_i32(s.action) {
            Some(A::ApDropObjects) => PublicationAction::Drop,
            Some(A::ApSetObjects) => PublicationAction::Set,
            _ => PublicationAction::Add,
        };
        AlterPublication::Objects(action, objects(&s.pubobjects)?)
    };
    Ok(stmt(ReplicationStmt::AlterPublication {
        name: s.pubname.clone(),
        change,
    }))
}

/// `CREATE SUBSCRIPTION`.
pub(crate) fn create_subscription(s: &pb::CreateSubscriptionStmt) -> Statement {
    stmt(ReplicationStmt::CreateSubscription(
        CreateSubscriptionStmt {
            name: s.subname.clone(),
            conninfo: s.conninfo.clone(),
            publications: names(&s.publication),
            options: options(&s.options),
        },
    ))
}

/// `ALTER SUBSCRIPTION`.
pub(crate) fn alter_subscription(s: &pb::AlterSubscriptionStmt) -> Statement {
    use pb::AlterSubscriptionType as A;
    let opts = options(&s.options);
    let change = match A::from_i32(s.kind) {
        Some(A::AlterSubscriptionConnection) => AlterSubscription::Connection(s.conninfo.clone()),
        Some(A::AlterSubscriptionSetPublication) => AlterSubscription::Publication {
            add: None,
            names: names(&s.publication),
            options: opts,
        },
        Some(A::AlterSubscriptionAddPublication) => AlterSubscription::Publication {
            add: Some(true),
            names: names(&s.publication),
            options: opts,
        },
        Some(A::AlterSubscriptionDropPublication) => AlterSubscription::Publication {
            add: Some(false),
            names: names(&s.publication),
            options: opts,
        },
        Some(A::AlterSubscriptionRefresh) => AlterSubscription::Refresh(opts),
        Some(A::AlterSubscriptionEnabled) => AlterSubscription::Enable(
            opts.iter()
                .any(|(n, v, _)| n == "enabled" && v.as_deref() != Some("false")),
        ),
        Some(A::AlterSubscriptionSkip) => AlterSubscription::Skip(opts),
        _ => AlterSubscription::Options(opts),
    };
    stmt(ReplicationStmt::AlterSubscription {
        name: s.subname.clone(),
        change,
    })
}

/// `DROP SUBSCRIPTION`.
pub(crate) fn drop_subscription(s: &pb::DropSubscriptionStmt) -> Statement {
    stmt(ReplicationStmt::Drop {
        kind: ReplicationObject::Subscription,
        names: vec![s.subname.clone()],
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    })
}

fn object_kind(objtype: i32) -> Option<ReplicationObject> {
    use pb::ObjectType as O;
    match O::from_i32(objtype)? {
        O::ObjectPublication => Some(ReplicationObject::Publication),
        O::ObjectSubscription => Some(ReplicationObject::Subscription),
        _ => None,
    }
}

/// `DROP PUBLICATION`; `None` unless `s` drops publications.
pub(crate) fn drop_publication(s: &pb::DropStmt) -> Option<Statement> {
    let kind = object_kind(s.remove_type)?;
    Some(stmt(ReplicationStmt::Drop {
        kind,
        names: names(&s.objects),
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    }))
}

/// `ALTER PUBLICATION | SUBSCRIPTION ... RENAME TO`; `None` for other objects.
pub(crate) fn rename(s: &pb::RenameStmt) -> Option<Statement> {
    let kind = object_kind(s.rename_type)?;
    Some(stmt(ReplicationStmt::Rename {
        kind,
        name: s.object.as_deref().and_then(string_of)?,
        new_name: s.newname.clone(),
    }))
}

/// `ALTER PUBLICATION | SUBSCRIPTION ... OWNER TO`; `None` for other objects.
pub(crate) fn alter_owner(s: &pb::AlterOwnerStmt) -> Option<Statement> {
    let kind = object_kind(s.object_type)?;
    Some(stmt(ReplicationStmt::Owner {
        kind,
        name: s.object.as_deref().and_then(string_of)?,
        owner: role_spec(s.newowner.as_ref()?),
    }))
}

/// ALTER TABLE's `REPLICA IDENTITY` subcommand.
pub(crate) fn replica_identity(def: Option<&NodeEnum>) -> Result<ReplicaIdentity> {
    let Some(NodeEnum::ReplicaIdentityStmt(r)) = def else {
        return Err(Error::internal("REPLICA IDENTITY without its form"));
    };
    Ok(match r.identity_type.as_str() {
        "f" => ReplicaIdentity::Full,
        "n" => ReplicaIdentity::Nothing,
        "i" => ReplicaIdentity::Index(r.name.clone()),
        _ => ReplicaIdentity::Default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(sql: &str) -> ReplicationStmt {
        match crate::parse(sql).expect("parses").pop().expect("one").stmt {
            Statement::Replication(r) => *r,
            other => panic!("not a replication statement: {other:?}"),
        }
    }

    #[test]
    fn create_publication_keeps_tables_columns_filters_and_schemas() {
        let ReplicationStmt::CreatePublication(c) = one(
            "CREATE PUBLICATION p FOR TABLE ONLY s.t (a, b) WHERE (a > 1), TABLES IN SCHEMA \
             x, CURRENT_SCHEMA WITH (publish = 'insert')",
        ) else {
            panic!("not CREATE PUBLICATION")
        };
        assert_eq!(c.name, "p");
        assert!(!c.all_tables);
        assert_eq!(c.objects.len(), 3);
        let PublicationObject::Table {
            relation,
            columns,
            filter,
        } = &c.objects[0]
        else {
            panic!("not a table")
        };
        assert_eq!(relation.schema.as_deref(), Some("s"));
        assert!(!relation.inh);
        assert_eq!(
            columns.as_deref(),
            Some(&["a".to_string(), "b".to_string()][..])
        );
        assert_eq!(filter.as_ref().map(|f| f.1.as_str()), Some("a > 1"));
        assert!(matches!(
            &c.objects[1],
            PublicationObject::Schema { name: Some(n), .. } if n == "x"
        ));
        assert!(matches!(
            &c.objects[2],
            PublicationObject::Schema { name: None, .. }
        ));
        assert_eq!(c.options[0].0, "publish");
        assert_eq!(c.options[0].1.as_deref(), Some("insert"));
    }

    #[test]
    fn subscription_statements_convert() {
        let ReplicationStmt::CreateSubscription(c) = one(
            "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION a, b WITH (connect = false)",
        ) else {
            panic!("not CREATE SUBSCRIPTION")
        };
        assert_eq!(c.publications, vec!["a", "b"]);
        assert_eq!(c.conninfo, "dbname=x");
        assert_eq!(
            one("ALTER SUBSCRIPTION s DISABLE"),
            ReplicationStmt::AlterSubscription {
                name: "s".into(),
                change: AlterSubscription::Enable(false)
            }
        );
        assert!(matches!(
            one("DROP SUBSCRIPTION IF EXISTS s"),
            ReplicationStmt::Drop {
                kind: ReplicationObject::Subscription,
                missing_ok: true,
                ..
            }
        ));
    }
}
