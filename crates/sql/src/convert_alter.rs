//! Conversion of `ALTER TABLE` (and `ALTER INDEX|SEQUENCE|VIEW`), `ALTER ... RENAME` and
//! `COMMENT ON` from pg_query's tree into [`crate::ast_ddl`].
//!
//! Subcommands tusk cannot run become [`AlterTableCmd::Unsupported`] (the engine answers
//! 0A000 before changing anything), so a statement mixing them fails as a whole.
//!
//! Also here: [`rename_column_references`], which rewrites a stored expression's SQL text
//! when a column it names is renamed (tusk stores defaults and CHECK constraints as text).

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::{RangeVar, Statement};
use crate::ast_ddl::{
    AlterObjectKind, AlterTableCmd, AlterTableStmt, CommentObject, CommentStmt, CreateTableStmt,
    RenameStmt, RenameTarget, TableConstraint,
};
use crate::convert::range_var;
use crate::convert_ddl::{column_def, def_value, deparse_expr, key_names, table_constraint};

fn object_kind(objtype: i32) -> AlterObjectKind {
    use pb::ObjectType as O;
    match O::from_i32(objtype) {
        Some(O::ObjectTable) => AlterObjectKind::Table,
        Some(O::ObjectIndex) => AlterObjectKind::Index,
        Some(O::ObjectSequence) => AlterObjectKind::Sequence,
        Some(O::ObjectView) => AlterObjectKind::View,
        Some(O::ObjectMatview) => AlterObjectKind::MaterializedView,
        Some(O::ObjectForeignTable) => AlterObjectKind::ForeignTable,
        _ => AlterObjectKind::Other,
    }
}

fn holder(relation: &RangeVar) -> CreateTableStmt {
    CreateTableStmt {
        relation: relation.clone(),
        if_not_exists: false,
        persistence: b'p',
        columns: Vec::new(),
        constraints: Vec::new(),
        options: Vec::new(),
        inherits: Vec::new(),
        unsupported: None,
        on_commit: crate::ast_ddl::OnCommit::Unspecified,
        partition: Default::default(),
        like: Vec::new(),
    }
}

fn options(list: &[pb::Node]) -> Vec<(String, Option<String>)> {
    list.iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => {
                let name = if d.defnamespace.is_empty() {
                    d.defname.clone()
                } else {
                    format!("{}.{}", d.defnamespace, d.defname)
                };
                Some((name, def_value(&d.arg)))
            }
            _ => None,
        })
        .collect()
}

/// `ALTER TABLE|INDEX|SEQUENCE|VIEW ...`; `None` for object kinds tusk cannot alter.
pub(crate) fn alter_table(s: &pb::AlterTableStmt) -> Result<Option<Statement>> {
    let Some(relation) = s.relation.as_ref().map(range_var) else {
        return Ok(None);
    };
    let kind = object_kind(s.objtype);
    if kind == AlterObjectKind::Other {
        return Ok(None);
    }
    let mut commands = Vec::with_capacity(s.cmds.len());
    for node in &s.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = node.node.as_ref() else {
            continue;
        };
        commands.push(command(cmd, &relation)?);
    }
    Ok(Some(Statement::AlterTable(Box::new(AlterTableStmt {
        relation,
        missing_ok: s.missing_ok,
        kind,
        commands,
    }))))
}

fn command(cmd: &pb::AlterTableCmd, relation: &RangeVar) -> Result<AlterTableCmd> {
    use pb::AlterTableType as A;
    let def = cmd.def.as_deref().and_then(|d| d.node.as_ref());
    let cascade = cmd.behavior == pb::DropBehavior::DropCascade as i32;
    if let Some(triggers) = crate::convert_trigger::trigger_enabling(cmd) {
        return Ok(triggers);
    }
    Ok(match A::from_i32(cmd.subtype) {
        Some(A::AtReplicaIdentity) => {
            AlterTableCmd::ReplicaIdentity(crate::convert_publication::replica_identity(def)?)
        }
        Some(A::AtEnableRowSecurity) => AlterTableCmd::RowSecurity {
            force: false,
            on: true,
        },
        Some(A::AtDisableRowSecurity) => AlterTableCmd::RowSecurity {
            force: false,
            on: false,
        },
        Some(A::AtForceRowSecurity) => AlterTableCmd::RowSecurity {
            force: true,
            on: true,
        },
        Some(A::AtNoForceRowSecurity) => AlterTableCmd::RowSecurity {
            force: true,
            on: false,
        },
        Some(A::AtAddColumn) => {
            let Some(NodeEnum::ColumnDef(c)) = def else {
                return Ok(AlterTableCmd::Unsupported("ADD COLUMN".into()));
            };
            let mut stmt = holder(relation);
            column_def(c, &mut stmt)?;
            if let Some((what, _)) = stmt.unsupported {
                return Ok(AlterTableCmd::Unsupported(what));
            }
            let Some(column) = stmt.columns.pop() else {
                return Ok(AlterTableCmd::Unsupported("ADD COLUMN".into()));
            };
            AlterTableCmd::AddColumn {
                column,
                constraints: stmt.constraints,
                if_not_exists: cmd.missing_ok,
            }
        }
        Some(A::AtAddIdentity) => {
            let Some(NodeEnum::Constraint(k)) = def else {
                return Err(Error::internal("ADD IDENTITY without a definition"));
            };
            AlterTableCmd::Identity(crate::ast_ddl::IdentityCmd::Add {
                column: cmd.name.clone(),
                kind: k.generated_when.bytes().next().unwrap_or(b'a'),
                options: Box::new(crate::convert_ddl::sequence_options(&k.options)?),
            })
        }
        Some(A::AtSetIdentity) => {
            let items: &[pb::Node] = match def {
                Some(NodeEnum::List(l)) => &l.items,
                _ => &[],
            };
            let mut kind = None;
            let mut rest = Vec::new();
            for item in items {
                match item.node.as_ref() {
                    Some(NodeEnum::DefElem(d)) if d.defname == "generated" => {
                        if let Some(NodeEnum::Integer(i)) =
                            d.arg.as_deref().and_then(|n| n.node.as_ref())
                        {
                            kind = u8::try_from(i.ival).ok();
                        }
                    }
                    _ => rest.push(item.clone()),
                }
            }
            AlterTableCmd::Identity(crate::ast_ddl::IdentityCmd::Set {
                column: cmd.name.clone(),
                kind,
                options: Box::new(crate::convert_ddl::sequence_options(&rest)?),
            })
        }
        Some(A::AtDropIdentity) => AlterTableCmd::Identity(crate::ast_ddl::IdentityCmd::Drop {
            column: cmd.name.clone(),
            missing_ok: cmd.missing_ok,
        }),
        Some(A::AtDropColumn) => AlterTableCmd::DropColumn {
            name: cmd.name.clone(),
            missing_ok: cmd.missing_ok,
            cascade,
        },
        Some(A::AtColumnDefault) => AlterTableCmd::ColumnDefault {
            column: cmd.name.clone(),
            default: match cmd.def.as_deref() {
                Some(raw) if raw.node.is_some() => {
                    Some((crate::convert::expr(raw)?, deparse_expr(raw)?))
                }
                _ => None,
            },
        },
        Some(A::AtDropExpression) => AlterTableCmd::DropExpression {
            column: cmd.name.clone(),
            missing_ok: cmd.missing_ok,
        },
        Some(A::AtSetNotNull) => AlterTableCmd::SetNotNull(cmd.name.clone()),
        Some(A::AtDropNotNull) => AlterTableCmd::DropNotNull(cmd.name.clone()),
        Some(A::AtAlterColumnType) => {
            let Some(NodeEnum::ColumnDef(c)) = def else {
                return Ok(AlterTableCmd::Unsupported("ALTER COLUMN TYPE".into()));
            };
            let Some(t) = c.type_name.as_ref() else {
                return Ok(AlterTableCmd::Unsupported("ALTER COLUMN TYPE".into()));
            };
            if c.coll_clause.is_some() {
                return Ok(AlterTableCmd::Unsupported("COLLATE".into()));
            }
            AlterTableCmd::AlterType {
                column: cmd.name.clone(),
                type_name: crate::convert::type_name(t),
                using: match c.raw_default.as_deref() {
                    Some(raw) => Some((crate::convert::expr(raw)?, deparse_expr(raw)?)),
                    None => None,
                },
            }
        }
        Some(A::AtAddConstraint) => {
            let Some(NodeEnum::Constraint(c)) = def else {
                return Ok(AlterTableCmd::Unsupported("ADD CONSTRAINT".into()));
            };
            if pb::ConstrType::from_i32(c.contype) == Some(pb::ConstrType::ConstrForeign) {
                return Ok(AlterTableCmd::AddForeignKey(Box::new(
                    crate::convert_ddl::foreign_key_def(c, None)?,
                )));
            }
            let mut stmt = holder(relation);
            table_constraint(c, None, &mut stmt)?;
            if let Some((what, _)) = stmt.unsupported {
                return Ok(AlterTableCmd::Unsupported(what));
            }
            let Some(constraint) = stmt.constraints.pop() else {
                return Ok(AlterTableCmd::Unsupported("this constraint".into()));
            };
            let not_valid = c.skip_validation;
            if not_valid && !matches!(constraint, TableConstraint::Check { .. }) {
                return Ok(AlterTableCmd::Unsupported(
                    "NOT VALID on a PRIMARY KEY or UNIQUE constraint".into(),
                ));
            }
            AlterTableCmd::AddConstraint {
                constraint,
                not_valid,
            }
        }
        Some(A::AtDropConstraint) => AlterTableCmd::DropConstraint {
            name: cmd.name.clone(),
            missing_ok: cmd.missing_ok,
            cascade,
        },
        Some(A::AtValidateConstraint) => AlterTableCmd::ValidateConstraint(cmd.name.clone()),
        Some(A::AtSetStatistics) => AlterTableCmd::SetStatistics {
            column: cmd.name.clone(),
            number: cmd.num as i16,
            target: match def {
                Some(NodeEnum::Integer(i)) => i.ival,
                _ => -1,
            },
        },
        Some(A::AtSetStorage) => AlterTableCmd::SetStorage {
            column: cmd.name.clone(),
            storage: match def {
                Some(NodeEnum::String(s)) => s.sval.to_lowercase(),
                _ => String::new(),
            },
        },
        Some(A::AtSetRelOptions) | Some(A::AtReplaceRelOptions) => {
            let list = match def {
                Some(NodeEnum::List(l)) => options(&l.items),
                _ => Vec::new(),
            };
            AlterTableCmd::SetOptions(list)
        }
        Some(A::AtResetRelOptions) => {
            let list = match def {
                Some(NodeEnum::List(l)) => options(&l.items),
                _ => Vec::new(),
            };
            AlterTableCmd::ResetOptions(list.into_iter().map(|(n, _)| n).collect())
        }
        Some(A::AtChangeOwner) => {
            AlterTableCmd::OwnerTo(cmd.newowner.as_ref().map_or_else(String::new, |r| {
                match pb::RoleSpecType::from_i32(r.roletype) {
                    Some(pb::RoleSpecType::RolespecCstring) => r.rolename.clone(),
                    Some(pb::RoleSpecType::RolespecCurrentUser) => "CURRENT_USER".into(),
                    Some(pb::RoleSpecType::RolespecSessionUser) => "SESSION_USER".into(),
                    _ => "CURRENT_ROLE".into(),
                }
            }))
        }
        Some(A::AtAttachPartition) | Some(A::AtDetachPartition) => {
            let Some(NodeEnum::PartitionCmd(part)) = def else {
                return Err(Error::internal(
                    "ATTACH/DETACH PARTITION without a partition",
                ));
            };
            let partition = part
                .name
                .as_ref()
                .map(range_var)
                .ok_or_else(|| Error::internal("ATTACH/DETACH PARTITION without a name"))?;
            if A::from_i32(cmd.subtype) == Some(A::AtDetachPartition) {
                AlterTableCmd::DetachPartition {
                    partition,
                    concurrently: part.concurrent,
                }
            } else {
                // `ALTER INDEX parent ATTACH PARTITION child` has no bound.
                let Some(bound) = part.bound.as_ref() else {
                    return Ok(AlterTableCmd::AttachPartitionIndex(partition));
                };
                AlterTableCmd::AttachPartition {
                    partition,
                    bound: crate::convert_partition::partition_bound(bound)?,
                    location: crate::convert_partition::bound_location(bound),
                }
            }
        }
        Some(kind @ (A::AtAddInherit | A::AtDropInherit)) => {
            let Some(NodeEnum::RangeVar(parent)) = def else {
                return Err(Error::internal("INHERIT without a parent"));
            };
            if kind == A::AtAddInherit {
                AlterTableCmd::Inherit(range_var(parent))
            } else {
                AlterTableCmd::NoInherit(range_var(parent))
            }
        }
        other => AlterTableCmd::Unsupported(unsupported_name(other)),
    })
}

/// PostgreSQL's documentation name for an ALTER TABLE subcommand tusk cannot run.
fn unsupported_name(kind: Option<pb::AlterTableType>) -> String {
    use pb::AlterTableType as A;
    match kind {
        Some(A::AtSetOptions) | Some(A::AtResetOptions) => "ALTER COLUMN SET/RESET (...)",
        Some(A::AtSetCompression) => "ALTER COLUMN SET COMPRESSION",
        Some(A::AtAlterConstraint) => "ALTER CONSTRAINT",
        Some(A::AtClusterOn) | Some(A::AtDropCluster) => "CLUSTER ON",
        Some(A::AtSetLogged) | Some(A::AtSetUnLogged) => "SET LOGGED/UNLOGGED",
        Some(A::AtSetAccessMethod) => "SET ACCESS METHOD",
        Some(A::AtSetTableSpace) => "SET TABLESPACE",
        Some(A::AtAddOf) | Some(A::AtDropOf) => "OF type",
        Some(A::AtReplicaIdentity) => "REPLICA IDENTITY",
        Some(A::AtAttachPartition) | Some(A::AtDetachPartition) => "ATTACH/DETACH PARTITION",
        Some(
            A::AtEnableTrig
            | A::AtEnableAlwaysTrig
            | A::AtEnableReplicaTrig
            | A::AtDisableTrig
            | A::AtEnableTrigAll
            | A::AtDisableTrigAll
            | A::AtEnableTrigUser
            | A::AtDisableTrigUser,
        ) => "ENABLE/DISABLE TRIGGER",
        Some(
            A::AtEnableRule | A::AtEnableAlwaysRule | A::AtEnableReplicaRule | A::AtDisableRule,
        ) => "ENABLE/DISABLE RULE",
        _ => "this ALTER TABLE form",
    }
    .to_string()
}

/// `ALTER TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE ... SET SCHEMA`; `None` for other
/// objects.
pub(crate) fn set_schema(s: &pb::AlterObjectSchemaStmt) -> Option<Statement> {
    use pb::ObjectType as O;
    let relation = s.relation.as_ref().map(range_var)?;
    match O::from_i32(s.object_type)? {
        O::ObjectTable | O::ObjectView | O::ObjectMatview | O::ObjectSequence => {}
        _ => return None,
    }
    Some(Statement::AlterRelationSchema(Box::new(
        crate::ast_ddl::AlterRelationSchemaStmt {
            kind: object_kind(s.object_type),
            relation,
            new_schema: s.newschema.clone(),
            missing_ok: s.missing_ok,
        },
    )))
}

/// `ALTER ... RENAME`; `None` for objects other than relations, columns and table
/// constraints.
pub(crate) fn rename(s: &pb::RenameStmt) -> Option<Statement> {
    use pb::ObjectType as O;
    let relation = s.relation.as_ref().map(range_var)?;
    let (kind, target) = match O::from_i32(s.rename_type)? {
        O::ObjectTable
        | O::ObjectIndex
        | O::ObjectSequence
        | O::ObjectView
        | O::ObjectMatview
        | O::ObjectForeignTable => (object_kind(s.rename_type), RenameTarget::Relation),
        O::ObjectColumn => (
            object_kind(s.relation_type),
            RenameTarget::Column(s.subname.clone()),
        ),
        O::ObjectTabconstraint => (
            AlterObjectKind::Table,
            RenameTarget::Constraint(s.subname.clone()),
        ),
        _ => return None,
    };
    if kind == AlterObjectKind::Other {
        return None;
    }
    Some(Statement::Rename(Box::new(RenameStmt {
        relation,
        kind,
        target,
        new_name: s.newname.clone(),
        missing_ok: s.missing_ok,
    })))
}

fn name_list(node: Option<&pb::Node>) -> Vec<String> {
    match node.and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::List(l)) => key_names(&l.items),
        Some(NodeEnum::String(s)) => vec![s.sval.clone()],
        _ => Vec::new(),
    }
}

fn range_var_of(parts: &[String]) -> Option<RangeVar> {
    let (schema, name) = match parts {
        [name] => (None, name.clone()),
        [schema, name] => (Some(schema.clone()), name.clone()),
        [_, schema, name] => (Some(schema.clone()), name.clone()),
        _ => return None,
    };
    Some(RangeVar {
        schema,
        name,
        alias: None,
        location: usize::MAX,
        inh: true,
    })
}

/// `COMMENT ON ... IS ...`.
pub(crate) fn comment(s: &pb::CommentStmt) -> Statement {
    use pb::ObjectType as O;
    let parts = name_list(s.object.as_deref());
    let other = |what: &str| CommentObject::Other(what.to_string());
    let object = match O::from_i32(s.objtype) {
        Some(
            O::ObjectTable
            | O::ObjectIndex
            | O::ObjectSequence
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectForeignTable,
        ) => match range_var_of(&parts) {
            Some(rv) => CommentObject::Relation(object_kind(s.objtype), rv),
            None => other("COMMENT ON this object"),
        },
        Some(O::ObjectColumn) => match parts.split_last() {
            Some((column, rel)) => match range_var_of(rel) {
                Some(rv) => CommentObject::Column(rv, column.clone()),
                None => other("COMMENT ON COLUMN"),
            },
            None => other("COMMENT ON COLUMN"),
        },
        Some(O::ObjectTabconstraint) => match parts.split_last() {
            Some((name, rel)) => match range_var_of(rel) {
                Some(rv) => CommentObject::Constraint(rv, name.clone()),
                None => other("COMMENT ON CONSTRAINT"),
            },
            None => other("COMMENT ON CONSTRAINT"),
        },
        Some(O::ObjectPublication) => CommentObject::Replication(
            crate::ast_publication::ReplicationObject::Publication,
            parts.last().cloned().unwrap_or_default(),
        ),
        Some(O::ObjectSubscription) => CommentObject::Replication(
            crate::ast_publication::ReplicationObject::Subscription,
            parts.last().cloned().unwrap_or_default(),
        ),
        // TYPE and DOMAIN name the type as a TypeName.
        Some(O::ObjectType | O::ObjectDomain) => {
            match s.object.as_deref().and_then(|n| n.node.as_ref()) {
                Some(NodeEnum::TypeName(t)) => {
                    CommentObject::Object(crate::ast_alter_object::AlterObject::Type {
                        name: crate::convert::type_name(t).names,
                        domain: s.objtype == O::ObjectDomain as i32,
                    })
                }
                _ => other("COMMENT on this kind of object"),
            }
        }
        _ => match crate::convert_alter_object::object(s.objtype, s.object.as_deref()) {
            Some(object) => CommentObject::Object(object),
            None => other("COMMENT on this kind of object"),
        },
    };
    Statement::Comment(Box::new(CommentStmt {
        object,
        comment: (!s.comment.is_empty()).then(|| s.comment.clone()),
    }))
}

/// The SQL text of a stored expression with every identifier naming column `old` renamed
/// to `new` (PostgreSQL stores column numbers, so its renames need no such step; tusk
/// stores defaults and CHECK expressions as text). Identifiers are found with PostgreSQL's
/// own scanner, so string literals and comments are left alone; an identifier spelled
/// like the column but naming something else (a function, a qualifier) is renamed too.
///
/// Errors: 42601 if the text does not scan.
pub fn rename_column_references(text: &str, old: &str, new: &str) -> Result<String> {
    let scanned = pg_query::scan(text)
        .map_err(|e| tusk_types::pg_err!(SYNTAX_ERROR, "could not scan expression: {}", e))?;
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for token in &scanned.tokens {
        if token.token != pb::Token::Ident as i32 {
            continue;
        }
        let (start, end) = (token.start as usize, token.end as usize);
        let Some(spelled) = text.get(start..end) else {
            continue;
        };
        let name = match spelled.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => spelled.to_lowercase(),
        };
        if name == old {
            out.push_str(&text[at..start]);
            out.push_str(&crate::ident::quote_identifier(new));
            at = end;
        }
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_only_identifiers_naming_the_column() {
        assert_eq!(
            rename_column_references("(a > 0) AND ('a' <> b)", "a", "x").unwrap(),
            "(x > 0) AND ('a' <> b)"
        );
        assert_eq!(
            rename_column_references("\"Mixed\" + 1", "Mixed", "new name").unwrap(),
            "\"new name\" + 1"
        );
        assert_eq!(rename_column_references("b", "a", "x").unwrap(), "b");
    }

    #[test]
    fn alter_table_subcommands_convert_in_order() {
        let parsed = crate::parse(
            "ALTER TABLE t ADD COLUMN c int DEFAULT 1 NOT NULL, DROP COLUMN IF EXISTS d, \
             ALTER b TYPE text USING b::text, ADD CONSTRAINT k CHECK (c > 0) NOT VALID",
        )
        .unwrap();
        let Statement::AlterTable(stmt) = &parsed[0].stmt else {
            panic!("not ALTER TABLE: {:?}", parsed[0].stmt);
        };
        assert_eq!(stmt.commands.len(), 4);
        assert!(matches!(
            &stmt.commands[0],
            AlterTableCmd::AddColumn { column, .. } if column.not_null && column.default.is_some()
        ));
        assert!(matches!(
            &stmt.commands[1],
            AlterTableCmd::DropColumn { name, missing_ok: true, .. } if name == "d"
        ));
        assert!(matches!(
            &stmt.commands[2],
            AlterTableCmd::AlterType { using: Some(_), .. }
        ));
        assert!(matches!(
            &stmt.commands[3],
            AlterTableCmd::AddConstraint {
                not_valid: true,
                ..
            }
        ));
    }

    #[test]
    fn attach_partition_without_bound_names_an_index() {
        let parsed = crate::parse(
            "ALTER INDEX p_idx ATTACH PARTITION s.c_idx; \
             ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)",
        )
        .unwrap();
        let Statement::AlterTable(index) = &parsed[0].stmt else {
            panic!("not ALTER INDEX: {:?}", parsed[0].stmt);
        };
        assert_eq!(index.kind, AlterObjectKind::Index);
        assert!(matches!(
            &index.commands[..],
            [AlterTableCmd::AttachPartitionIndex(rv)]
                if rv.name == "c_idx" && rv.schema.as_deref() == Some("s")
        ));
        let Statement::AlterTable(table) = &parsed[1].stmt else {
            panic!("not ALTER TABLE: {:?}", parsed[1].stmt);
        };
        assert!(matches!(
            &table.commands[..],
            [AlterTableCmd::AttachPartition { partition, .. }] if partition.name == "c"
        ));
    }

    #[test]
    fn comment_and_rename_convert() {
        let parsed = crate::parse("COMMENT ON COLUMN s.t.c IS 'hi'; COMMENT ON TABLE t IS NULL; ALTER INDEX i RENAME TO j").unwrap();
        assert!(matches!(
            &parsed[0].stmt,
            Statement::Comment(c) if matches!(&c.object, CommentObject::Column(rv, col) if rv.name == "t" && col == "c")
                && c.comment.as_deref() == Some("hi")
        ));
        assert!(matches!(&parsed[1].stmt, Statement::Comment(c) if c.comment.is_none()));
        assert!(matches!(
            &parsed[2].stmt,
            Statement::Rename(r) if r.kind == AlterObjectKind::Index && r.new_name == "j"
        ));
    }
}
