//! Conversion of CREATE TABLE and DROP from pg_query's tree into [`crate::ast_ddl`].
//!
//! Stored expressions (defaults, CHECK) keep their SQL text, deparsed by PostgreSQL's own
//! deparser from the raw expression (so `DEFAULT 1+1` is stored as `1 + 1`).

use pg_query::protobuf as pb;
use pg_query::NodeEnum;
use tusk_types::{Error, Result};

use crate::ast::{RangeVar, Statement};
use crate::ast_ddl::{
    ColumnDef, CopyStmt, CreateIndexStmt, CreateSequenceStmt, CreateTableAsStmt, CreateTableStmt,
    DropKind, DropStmt, ForeignKeyDef, IndexElem, LockStmt, RefreshMatViewStmt, ReindexKind,
    ReindexStmt, SequenceOptions, TableConstraint, TruncateStmt, VacuumStmt,
};
use crate::convert::{expr, range_var, type_name};

fn loc(l: i32) -> usize {
    if l < 0 {
        usize::MAX
    } else {
        l as usize
    }
}

/// SQL text of an expression node (PostgreSQL's deparser, through `SELECT <expr>`).
pub(crate) fn deparse_expr(node: &pb::Node) -> Result<String> {
    let select = pb::SelectStmt {
        target_list: vec![pb::Node {
            node: Some(NodeEnum::ResTarget(Box::new(pb::ResTarget {
                val: Some(Box::new(node.clone())),
                ..Default::default()
            }))),
        }],
        limit_option: pb::LimitOption::Default as i32,
        op: pb::SetOperation::SetopNone as i32,
        ..Default::default()
    };
    let text = NodeEnum::SelectStmt(Box::new(select))
        .deparse()
        .map_err(|e| Error::internal(format!("could not deparse expression: {e}")))?;
    Ok(text
        .strip_prefix("SELECT ")
        .map(str::to_string)
        .unwrap_or(text))
}

pub(crate) fn def_value(arg: &Option<Box<pb::Node>>) -> Option<String> {
    match arg.as_deref()?.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.clone()),
        NodeEnum::Integer(i) => Some(i.ival.to_string()),
        NodeEnum::Float(f) => Some(f.fval.clone()),
        NodeEnum::Boolean(b) => Some(b.boolval.to_string()),
        NodeEnum::TypeName(t) => Some(
            t.names
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("."),
        ),
        _ => None,
    }
}

fn constraint_unsupported(what: &str, location: i32) -> Option<(String, usize)> {
    Some((what.to_string(), loc(location)))
}

/// `CREATE TABLE`.
pub(crate) fn create_table(s: &pb::CreateStmt) -> Result<Statement> {
    let relation = s
        .relation
        .as_ref()
        .map(range_var)
        .ok_or_else(|| Error::internal("CREATE TABLE without a relation"))?;
    let persistence = s
        .relation
        .as_ref()
        .and_then(|r| r.relpersistence.bytes().next())
        .unwrap_or(b'p');
    let mut stmt = CreateTableStmt {
        relation,
        if_not_exists: s.if_not_exists,
        persistence,
        columns: Vec::new(),
        constraints: Vec::new(),
        options: storage_options(&s.options),
        inherits: s
            .inh_relations
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::RangeVar(rv)) => Some(crate::convert::range_var(rv)),
                _ => None,
            })
            .collect(),
        unsupported: None,
        on_commit: crate::ast_ddl::OnCommit::from_pg(s.oncommit),
        partition: Default::default(),
        like: Vec::new(),
    };
    if let Some(spec) = &s.partspec {
        stmt.partition.by = Some(crate::convert_partition::partition_spec(spec)?);
    }
    if let Some(bound) = &s.partbound {
        // The grammar puts the parent of PARTITION OF in the inheritance list.
        let parent = stmt
            .inherits
            .pop()
            .ok_or_else(|| Error::internal("PARTITION OF without a parent"))?;
        stmt.partition.of = Some(crate::ast_partition::PartitionOf {
            parent,
            bound: crate::convert_partition::partition_bound(bound)?,
            location: crate::convert_partition::bound_location(bound),
        });
    }
    if s.of_typename.is_some() {
        stmt.unsupported = Some(("CREATE TABLE OF".into(), usize::MAX));
    }
    for element in &s.table_elts {
        match element.node.as_ref() {
            // `c WITH OPTIONS ...` of a typed table or a partition: PostgreSQL refuses a
            // generation expression there before anything else.
            Some(NodeEnum::ColumnDef(c)) if c.type_name.is_none() && has_generation(c) => {
                let on = if s.of_typename.is_some() {
                    "typed tables"
                } else {
                    "partitions"
                };
                return Err(Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    format!("generated columns are not supported on {on}"),
                ));
            }
            Some(NodeEnum::ColumnDef(c)) => column_def(c, &mut stmt)?,
            Some(NodeEnum::Constraint(c)) => table_constraint(c, None, &mut stmt)?,
            Some(NodeEnum::TableLikeClause(l)) => {
                let relation = l
                    .relation
                    .as_ref()
                    .map(range_var)
                    .ok_or_else(|| Error::internal("LIKE without a relation"))?;
                stmt.like.push(crate::ast_ddl::TableLikeClause {
                    relation,
                    options: l.options,
                    position: stmt.columns.len(),
                });
            }
            _ => stmt.unsupported = Some(("this table element".into(), usize::MAX)),
        }
    }
    for c in &s.constraints {
        if let Some(NodeEnum::Constraint(c)) = c.node.as_ref() {
            table_constraint(c, None, &mut stmt)?;
        }
    }
    Ok(Statement::CreateTable(Box::new(stmt)))
}

pub(crate) fn column_def(c: &pb::ColumnDef, stmt: &mut CreateTableStmt) -> Result<()> {
    let mut column = ColumnDef {
        name: c.colname.clone(),
        type_name: match c.type_name.as_ref() {
            Some(t) => type_name(t),
            None => crate::ast::TypeName {
                names: Vec::new(),
                typmods: Vec::new(),
                array_bounds: Vec::new(),
                location: loc(c.location),
            },
        },
        with_options: c.type_name.is_none(),
        not_null: c.is_not_null,
        default: None,
        identity: None,
        identity_options: Box::default(),
        generated: None,
        location: loc(c.location),
        collation: None,
    };
    let mut last_location = loc(c.location);
    if let Some(clause) = c.coll_clause.as_deref() {
        column.collation = Some((key_names(&clause.collname), loc(clause.location)));
    }
    for node in &c.constraints {
        let Some(NodeEnum::Constraint(k)) = node.node.as_ref() else {
            continue;
        };
        use pb::ConstrType as C;
        last_location = loc(k.location);
        match C::from_i32(k.contype) {
            Some(C::ConstrNull) => column.not_null = false,
            Some(C::ConstrNotnull) => column.not_null = true,
            Some(C::ConstrDefault) => {
                if let Some(raw) = k.raw_expr.as_deref() {
                    column.default = Some((expr(raw)?, deparse_expr(raw)?));
                }
            }
            Some(C::ConstrIdentity) => {
                if column.identity.is_some() {
                    return Err(Error::new(
                        tusk_types::SqlState::SYNTAX_ERROR,
                        format!(
                            "multiple identity specifications for column \"{}\" of table \"{}\"",
                            c.colname, stmt.relation.name
                        ),
                    ));
                }
                column.identity = Some(k.generated_when.bytes().next().unwrap_or(b'a'));
                column.identity_options = Box::new(sequence_options(&k.options)?);
                column.not_null = true;
            }
            Some(C::ConstrGenerated) => {
                if column.generated.is_some() {
                    return Err(column_clause_error(
                        "multiple generation clauses",
                        &c.colname,
                        &stmt.relation.name,
                        k.location,
                    ));
                }
                let Some(raw) = k.raw_expr.as_deref() else {
                    return Err(Error::internal("generated column without an expression"));
                };
                column.generated =
                    Some(Box::new((expr(raw)?, deparse_expr(raw)?, loc(k.location))));
            }
            _ => table_constraint(k, Some(&c.colname), stmt)?,
        }
    }
    // PostgreSQL's transformColumnDefinition reports these at the column's last
    // constraint.
    let both = match (&column.generated, &column.default, column.identity) {
        (Some(_), Some(_), _) => Some("both default and generation expression"),
        (Some(_), None, Some(_)) => Some("both identity and generation expression"),
        _ => None,
    };
    if let Some(what) = both {
        let e = Error::new(
            tusk_types::SqlState::SYNTAX_ERROR,
            format!(
                "{what} specified for column \"{}\" of table \"{}\"",
                c.colname, stmt.relation.name
            ),
        );
        return Err(if last_location == usize::MAX {
            e
        } else {
            e.position(last_location as u32 + 1)
        });
    }
    stmt.columns.push(column);
    Ok(())
}

/// Whether column definition `c` has a `GENERATED ALWAYS AS (...) STORED` clause.
fn has_generation(c: &pb::ColumnDef) -> bool {
    c.constraints.iter().any(|n| {
        matches!(n.node.as_ref(), Some(NodeEnum::Constraint(k))
            if pb::ConstrType::from_i32(k.contype) == Some(pb::ConstrType::ConstrGenerated))
    })
}

/// 42601 `<what> specified for column "c" of table "t"` at `location`.
fn column_clause_error(what: &str, column: &str, table: &str, location: i32) -> Error {
    let e = Error::new(
        tusk_types::SqlState::SYNTAX_ERROR,
        format!("{what} specified for column \"{column}\" of table \"{table}\""),
    );
    if location >= 0 {
        e.position(location as u32 + 1)
    } else {
        e
    }
}

pub(crate) fn key_names(keys: &[pb::Node]) -> Vec<String> {
    keys.iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn table_constraint(
    c: &pb::Constraint,
    column: Option<&str>,
    stmt: &mut CreateTableStmt,
) -> Result<()> {
    use pb::ConstrType as C;
    let name = (!c.conname.is_empty()).then(|| c.conname.clone());
    match C::from_i32(c.contype) {
        Some(C::ConstrCheck) => {
            let Some(raw) = c.raw_expr.as_deref() else {
                return Err(Error::internal("CHECK without an expression"));
            };
            if c.is_no_inherit {
                stmt.unsupported = constraint_unsupported("NO INHERIT", c.location);
            }
            stmt.constraints.push(TableConstraint::Check {
                name,
                expr: expr(raw)?,
                sql: deparse_expr(raw)?,
                column: column.map(str::to_string),
                location: loc(c.location),
            });
        }
        Some(kind @ (C::ConstrPrimary | C::ConstrUnique)) => {
            if !c.indexname.is_empty() {
                stmt.unsupported = constraint_unsupported("USING INDEX", c.location);
            }
            if !c.including.is_empty() {
                stmt.unsupported = constraint_unsupported("INCLUDE", c.location);
            }
            if !c.indexspace.is_empty() {
                stmt.unsupported = constraint_unsupported("USING INDEX TABLESPACE", c.location);
            }
            if c.nulls_not_distinct {
                stmt.unsupported = constraint_unsupported("NULLS NOT DISTINCT", c.location);
            }
            if c.deferrable {
                stmt.unsupported = constraint_unsupported("DEFERRABLE", c.location);
            }
            let columns = match column {
                Some(col) => vec![col.to_string()],
                None => key_names(&c.keys),
            };
            stmt.constraints.push(TableConstraint::Unique {
                name,
                columns,
                primary: kind == C::ConstrPrimary,
                options: storage_options(&c.options),
                location: loc(c.location),
            });
        }
        Some(C::ConstrForeign) => {
            stmt.constraints
                .push(TableConstraint::ForeignKey(foreign_key_def(c, column)?));
        }
        Some(C::ConstrExclusion) => {
            stmt.unsupported = constraint_unsupported("EXCLUDE constraints", c.location)
        }
        Some(C::ConstrGenerated) => {
            stmt.unsupported = constraint_unsupported("generated columns", c.location)
        }
        Some(
            kind @ (C::ConstrAttrDeferrable
            | C::ConstrAttrDeferred
            | C::ConstrAttrNotDeferrable
            | C::ConstrAttrImmediate),
        ) => {
            // A column constraint's attribute clause applies to the constraint before it
            // (PostgreSQL's `transformConstraintAttrs`); only foreign keys take it here.
            match stmt.constraints.last_mut() {
                Some(TableConstraint::ForeignKey(fk)) if column.is_some() => match kind {
                    C::ConstrAttrDeferrable => fk.deferrable = true,
                    C::ConstrAttrNotDeferrable => {
                        if fk.initially_deferred {
                            let e = Error::new(
                                tusk_types::SqlState::SYNTAX_ERROR,
                                "constraint declared INITIALLY DEFERRED must be DEFERRABLE",
                            );
                            return Err(if c.location >= 0 {
                                e.position(c.location as u32 + 1)
                            } else {
                                e
                            });
                        }
                        fk.deferrable = false;
                    }
                    C::ConstrAttrDeferred => {
                        fk.initially_deferred = true;
                        fk.deferrable = true;
                    }
                    _ => fk.initially_deferred = false,
                },
                _ => stmt.unsupported = constraint_unsupported("DEFERRABLE", c.location),
            }
        }
        _ => {}
    }
    Ok(())
}

/// A FOREIGN KEY constraint node as a [`ForeignKeyDef`]; `column` for a column constraint.
pub(crate) fn foreign_key_def(c: &pb::Constraint, column: Option<&str>) -> Result<ForeignKeyDef> {
    let Some(pktable) = c.pktable.as_ref() else {
        return Err(Error::internal("FOREIGN KEY without a referenced table"));
    };
    let code = |s: &str, default: u8| s.bytes().next().unwrap_or(default);
    Ok(ForeignKeyDef {
        name: (!c.conname.is_empty()).then(|| c.conname.clone()),
        columns: match column {
            Some(col) => vec![col.to_string()],
            None => key_names(&c.fk_attrs),
        },
        ref_table: range_var(pktable),
        ref_columns: key_names(&c.pk_attrs),
        match_type: code(&c.fk_matchtype, b's'),
        on_update: code(&c.fk_upd_action, b'a'),
        on_delete: code(&c.fk_del_action, b'a'),
        delete_set_columns: !c.fk_del_set_cols.is_empty(),
        not_valid: c.skip_validation,
        deferrable: c.deferrable || c.initdeferred,
        initially_deferred: c.initdeferred,
        location: loc(c.location),
    })
}

/// `WITH (name = value, ...)` storage parameters as `(name, value)`; a namespaced
/// parameter (`toast.x`) keeps its namespace in the name.
fn storage_options(options: &[pb::Node]) -> Vec<(String, Option<String>)> {
    options
        .iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::DefElem(d)) if !d.defnamespace.is_empty() => Some((
                format!("{}.{}", d.defnamespace, d.defname),
                def_value(&d.arg),
            )),
            Some(NodeEnum::DefElem(d)) => Some((d.defname.clone(), def_value(&d.arg))),
            _ => None,
        })
        .collect()
}

/// `CREATE INDEX`.
pub(crate) fn create_index(s: &pb::IndexStmt) -> Result<Statement> {
    let relation = s
        .relation
        .as_ref()
        .map(range_var)
        .ok_or_else(|| Error::internal("CREATE INDEX without a relation"))?;
    let mut unsupported = None;
    let mut note = |what: &str| {
        if unsupported.is_none() {
            unsupported = Some(what.to_string());
        }
    };
    if !s.index_including_params.is_empty() {
        note("INCLUDE");
    }
    if !s.table_space.is_empty() {
        note("TABLESPACE");
    }
    if s.nulls_not_distinct {
        note("NULLS NOT DISTINCT");
    }
    let mut columns = Vec::new();
    for p in &s.index_params {
        let Some(NodeEnum::IndexElem(e)) = p.node.as_ref() else {
            continue;
        };
        let expr = match e.expr.as_deref() {
            Some(raw) => Some(crate::convert::expr(raw)?),
            None => None,
        };
        if !e.collation.is_empty() {
            note("COLLATE in an index");
        }
        if !e.opclassopts.is_empty() {
            note("operator class options");
        }
        let opclass = opclass_name(&e.opclass);
        columns.push(IndexElem {
            opclass,
            column: e.name.clone(),
            expr,
            descending: e.ordering == pb::SortByDir::SortbyDesc as i32,
            nulls_first: match pb::SortByNulls::from_i32(e.nulls_ordering) {
                Some(pb::SortByNulls::SortbyNullsFirst) => Some(true),
                Some(pb::SortByNulls::SortbyNullsLast) => Some(false),
                _ => None,
            },
        });
    }
    Ok(Statement::CreateIndex(Box::new(CreateIndexStmt {
        name: (!s.idxname.is_empty()).then(|| s.idxname.clone()),
        relation,
        access_method: if s.access_method.is_empty() {
            "btree".into()
        } else {
            s.access_method.clone()
        },
        columns,
        unique: s.unique,
        if_not_exists: s.if_not_exists,
        predicate: match s.where_clause.as_deref() {
            Some(raw) => Some(crate::convert::expr(raw)?),
            None => None,
        },
        options: storage_options(&s.options),
        concurrently: s.concurrent,
        unsupported,
    })))
}

/// The operator class an index column names: its name, a `pg_catalog.` qualification
/// dropped (tusk has only the built-in classes, so any other qualification names a class
/// that does not exist, kept in the name for the error).
pub(crate) fn opclass_name(opclass: &[pb::Node]) -> Option<String> {
    let parts: Vec<&str> = opclass
        .iter()
        .filter_map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [] => None,
        ["pg_catalog", name] => Some((*name).to_string()),
        _ => Some(parts.join(".")),
    }
}

/// `DROP ...`.
pub(crate) fn drop(s: &pb::DropStmt) -> Result<Statement> {
    use pb::ObjectType as O;
    let (kind, tag) = match O::from_i32(s.remove_type) {
        Some(O::ObjectTable) => (DropKind::Table, "DROP TABLE"),
        Some(O::ObjectView) => (DropKind::View, "DROP VIEW"),
        Some(O::ObjectIndex) => (DropKind::Index, "DROP INDEX"),
        Some(O::ObjectSequence) => (DropKind::Sequence, "DROP SEQUENCE"),
        Some(O::ObjectSchema) => (DropKind::Schema, "DROP SCHEMA"),
        Some(O::ObjectFunction) => (DropKind::Other, "DROP FUNCTION"),
        Some(O::ObjectType) => (DropKind::Type, "DROP TYPE"),
        Some(O::ObjectDomain) => (DropKind::Domain, "DROP DOMAIN"),
        Some(O::ObjectMatview) => (DropKind::MaterializedView, "DROP MATERIALIZED VIEW"),
        Some(O::ObjectForeignTable) => (DropKind::ForeignTable, "DROP FOREIGN TABLE"),
        _ => (DropKind::Other, "DROP"),
    };
    let mut objects = Vec::new();
    if kind == DropKind::Schema {
        for o in &s.objects {
            if let Some(NodeEnum::String(name)) = o.node.as_ref() {
                objects.push(RangeVar {
                    schema: None,
                    name: name.sval.clone(),
                    alias: None,
                    location: usize::MAX,
                    inh: true,
                });
            }
        }
    }
    if matches!(kind, DropKind::Type | DropKind::Domain) {
        for o in &s.objects {
            if let Some(NodeEnum::TypeName(t)) = o.node.as_ref() {
                let t = type_name(t);
                let mut names = t.names.into_iter().rev();
                objects.push(RangeVar {
                    name: names.next().unwrap_or_default(),
                    schema: names.next(),
                    alias: None,
                    location: t.location,
                    inh: true,
                });
            }
        }
    }
    if matches!(
        kind,
        DropKind::Table
            | DropKind::Sequence
            | DropKind::Index
            | DropKind::View
            | DropKind::MaterializedView
            | DropKind::ForeignTable
    ) {
        for o in &s.objects {
            let Some(NodeEnum::List(list)) = o.node.as_ref() else {
                continue;
            };
            let parts = key_names(&list.items);
            let (schema, name) = match parts.as_slice() {
                [name] => (None, name.clone()),
                [schema, name] => (Some(schema.clone()), name.clone()),
                [_, schema, name] => (Some(schema.clone()), name.clone()),
                _ => continue,
            };
            objects.push(RangeVar {
                schema,
                name,
                alias: None,
                location: usize::MAX,
                inh: true,
            });
        }
    }
    Ok(Statement::Drop(DropStmt {
        kind,
        tag: tag.to_string(),
        objects,
        missing_ok: s.missing_ok,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
        concurrently: s.concurrent,
    }))
}

/// `TRUNCATE`.
pub(crate) fn truncate(s: &pb::TruncateStmt) -> Statement {
    Statement::Truncate(TruncateStmt {
        relations: s
            .relations
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::RangeVar(rv)) => Some(range_var(rv)),
                _ => None,
            })
            .collect(),
        restart_identity: s.restart_seqs,
        cascade: s.behavior == pb::DropBehavior::DropCascade as i32,
    })
}

/// `REINDEX`.
///
/// Errors: 42601 `unrecognized REINDEX option "x"`.
pub(crate) fn reindex(s: &pb::ReindexStmt) -> Result<Statement> {
    let kind = match s.kind {
        k if k == pb::ReindexObjectType::ReindexObjectIndex as i32 => ReindexKind::Index,
        k if k == pb::ReindexObjectType::ReindexObjectTable as i32 => ReindexKind::Table,
        k if k == pb::ReindexObjectType::ReindexObjectSchema as i32 => ReindexKind::Schema,
        k if k == pb::ReindexObjectType::ReindexObjectSystem as i32 => ReindexKind::System,
        _ => ReindexKind::Database,
    };
    let mut stmt = ReindexStmt {
        kind,
        relation: s.relation.as_ref().map(range_var),
        name: s.name.clone(),
        concurrently: false,
        verbose: false,
        tablespace: None,
    };
    for p in &s.params {
        let Some(NodeEnum::DefElem(d)) = p.node.as_ref() else {
            continue;
        };
        let on = || def_value(&d.arg).is_none_or(|v| !matches!(v.as_str(), "false" | "off" | "0"));
        match d.defname.as_str() {
            "concurrently" => stmt.concurrently = on(),
            "verbose" => stmt.verbose = on(),
            "tablespace" => stmt.tablespace = def_value(&d.arg),
            other => {
                return Err(tusk_types::pg_err!(
                    SYNTAX_ERROR,
                    "unrecognized REINDEX option \"{}\"",
                    other
                )
                .position(d.location.max(0) as u32 + 1))
            }
        }
    }
    Ok(Statement::Reindex(stmt))
}

/// `VACUUM` / `ANALYZE`.
pub(crate) fn vacuum(s: &pb::VacuumStmt) -> Statement {
    let mut stmt = VacuumStmt {
        vacuum: s.is_vacuumcmd,
        analyze: !s.is_vacuumcmd,
        full: false,
        verbose: false,
        relations: Vec::new(),
    };
    for o in &s.options {
        if let Some(NodeEnum::DefElem(d)) = o.node.as_ref() {
            let on = def_value(&d.arg).is_none_or(|v| !matches!(v.as_str(), "false" | "off" | "0"));
            match d.defname.as_str() {
                "analyze" => stmt.analyze = on,
                "full" => stmt.full = on,
                "verbose" => stmt.verbose = on,
                _ => {}
            }
        }
    }
    for r in &s.rels {
        if let Some(NodeEnum::VacuumRelation(v)) = r.node.as_ref() {
            if let Some(rv) = &v.relation {
                stmt.relations.push(range_var(rv));
            }
        }
    }
    Statement::Vacuum(stmt)
}

fn option_value(arg: &Option<Box<pb::Node>>) -> Option<String> {
    match arg.as_deref()?.node.as_ref()? {
        NodeEnum::List(list) => Some(
            list.items
                .iter()
                .filter_map(|n| match n.node.as_ref() {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        NodeEnum::AStar(_) => Some("*".into()),
        _ => def_value(arg),
    }
}

/// `COPY`.
pub(crate) fn copy(s: &pb::CopyStmt) -> Result<Statement> {
    let query = match s.query.as_deref() {
        Some(node) => {
            let stmt = node
                .node
                .as_ref()
                .ok_or_else(|| Error::internal("COPY without a query"))?;
            Some(
                stmt.deparse()
                    .map_err(|e| Error::internal(format!("could not deparse query: {e}")))?,
            )
        }
        None => None,
    };
    Ok(Statement::Copy(CopyStmt {
        relation: s.relation.as_ref().map(range_var),
        query,
        columns: key_names(&s.attlist),
        is_from: s.is_from,
        filename: (!s.filename.is_empty()).then(|| s.filename.clone()),
        is_program: s.is_program,
        options: s
            .options
            .iter()
            .filter_map(|o| match o.node.as_ref() {
                Some(NodeEnum::DefElem(d)) => Some((d.defname.clone(), option_value(&d.arg))),
                _ => None,
            })
            .collect(),
        has_where: s.where_clause.is_some(),
    }))
}

fn int_arg(d: &pb::DefElem) -> Result<Option<i64>> {
    let Some(node) = d.arg.as_deref().and_then(|n| n.node.as_ref()) else {
        return Ok(None);
    };
    match node {
        NodeEnum::Integer(i) => Ok(Some(i64::from(i.ival))),
        NodeEnum::Float(f) => f.fval.parse().map(Some).map_err(|_| {
            Error::new(
                tusk_types::SqlState::NUMERIC_VALUE_OUT_OF_RANGE,
                format!("value \"{}\" is out of range for type bigint", f.fval),
            )
        }),
        _ => Ok(None),
    }
}

/// Sequence options of CREATE/ALTER SEQUENCE.
pub(crate) fn sequence_options(options: &[pb::Node]) -> Result<SequenceOptions> {
    let mut out = SequenceOptions::default();
    for o in options {
        let Some(NodeEnum::DefElem(d)) = o.node.as_ref() else {
            continue;
        };
        let redundant = || {
            Error::new(
                tusk_types::SqlState::SYNTAX_ERROR,
                "conflicting or redundant options",
            )
        };
        match d.defname.as_str() {
            "as" => {
                if let Some(NodeEnum::TypeName(t)) = d.arg.as_deref().and_then(|n| n.node.as_ref())
                {
                    out.as_type = Some(type_name(t));
                }
            }
            "increment" => {
                if out.increment.is_some() {
                    return Err(redundant());
                }
                out.increment = int_arg(d)?;
            }
            "minvalue" => out.min = Some(int_arg(d)?),
            "maxvalue" => out.max = Some(int_arg(d)?),
            "start" => out.start = int_arg(d)?,
            "restart" => out.restart = Some(int_arg(d)?),
            "cache" => out.cache = int_arg(d)?,
            "cycle" => {
                out.cycle = Some(
                    matches!(
                        d.arg.as_deref().and_then(|n| n.node.as_ref()),
                        Some(NodeEnum::Boolean(b)) if b.boolval
                    ) || matches!(
                        d.arg.as_deref().and_then(|n| n.node.as_ref()),
                        Some(NodeEnum::Integer(i)) if i.ival != 0
                    ),
                )
            }
            "owned_by" => {
                let names = match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::List(l)) => key_names(&l.items),
                    _ => Vec::new(),
                };
                out.owned_by = Some(if names == ["none"] { Vec::new() } else { names });
            }
            "sequence_name" => {
                out.sequence_name = match d.arg.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::List(l)) => Some(key_names(&l.items)),
                    _ => None,
                };
            }
            other => {
                return Err(Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    format!("sequence option \"{other}\" is not supported yet"),
                ))
            }
        }
    }
    Ok(out)
}

/// Refuses `SEQUENCE NAME` in CREATE / ALTER SEQUENCE (the grammar takes it only for
/// identity columns' options).
///
/// Errors: 42601 `invalid sequence option SEQUENCE NAME` at the option.
fn refuse_sequence_name(options: &[pb::Node]) -> Result<()> {
    for o in options {
        if let Some(NodeEnum::DefElem(d)) = o.node.as_ref() {
            if d.defname == "sequence_name" {
                return Err(Error::new(
                    tusk_types::SqlState::SYNTAX_ERROR,
                    "invalid sequence option SEQUENCE NAME",
                )
                .position(d.location as u32 + 1));
            }
        }
    }
    Ok(())
}

/// `CREATE SEQUENCE`.
pub(crate) fn create_sequence(s: &pb::CreateSeqStmt) -> Result<Statement> {
    refuse_sequence_name(&s.options)?;
    let relation = s
        .sequence
        .as_ref()
        .map(range_var)
        .ok_or_else(|| Error::internal("CREATE SEQUENCE without a name"))?;
    Ok(Statement::CreateSequence(CreateSequenceStmt {
        relation,
        if_not_exists: s.if_not_exists,
        options: sequence_options(&s.options)?,
        persistence: s
            .sequence
            .as_ref()
            .and_then(|r| r.relpersistence.bytes().next())
            .unwrap_or(b'p'),
    }))
}

/// `ALTER SEQUENCE`.
pub(crate) fn alter_sequence(s: &pb::AlterSeqStmt) -> Result<Statement> {
    refuse_sequence_name(&s.options)?;
    let relation = s
        .sequence
        .as_ref()
        .map(range_var)
        .ok_or_else(|| Error::internal("ALTER SEQUENCE without a name"))?;
    Ok(Statement::AlterSequence(
        crate::ast_ddl::AlterSequenceStmt {
            relation,
            missing_ok: s.missing_ok,
            options: sequence_options(&s.options)?,
        },
    ))
}

/// `CREATE TABLE ... AS` (and `CREATE MATERIALIZED VIEW`, refused later).
pub(crate) fn create_table_as(s: &pb::CreateTableAsStmt) -> Result<Statement> {
    let into = s
        .into
        .as_deref()
        .ok_or_else(|| Error::internal("CREATE TABLE AS without a target"))?;
    let query = s
        .query
        .as_deref()
        .and_then(|n| n.node.as_ref())
        .ok_or_else(|| Error::internal("CREATE TABLE AS without a query"))?;
    let text = query
        .deparse()
        .map_err(|e| Error::internal(format!("could not deparse query: {e}")))?;
    into_statement(
        into,
        text,
        s.if_not_exists,
        s.is_select_into,
        s.objtype == pb::ObjectType::ObjectMatview as i32,
    )
}

/// `REFRESH MATERIALIZED VIEW`.
pub(crate) fn refresh_matview(s: &pb::RefreshMatViewStmt) -> Result<Statement> {
    let rel = s
        .relation
        .as_ref()
        .ok_or_else(|| Error::internal("REFRESH MATERIALIZED VIEW without a relation"))?;
    Ok(Statement::RefreshMatView(RefreshMatViewStmt {
        relation: range_var(rel),
        concurrent: s.concurrent,
        with_data: !s.skip_data,
    }))
}

/// `SELECT ... INTO name ...`: the statement without its INTO clause.
pub(crate) fn select_into(s: &pb::SelectStmt) -> Result<Statement> {
    let mut plain = s.clone();
    let into = plain
        .into_clause
        .take()
        .ok_or_else(|| Error::internal("SELECT INTO without a target"))?;
    let text = NodeEnum::SelectStmt(Box::new(plain))
        .deparse()
        .map_err(|e| Error::internal(format!("could not deparse query: {e}")))?;
    into_statement(&into, text, false, true, false)
}

fn into_statement(
    into: &pb::IntoClause,
    query: String,
    if_not_exists: bool,
    select_into: bool,
    materialized: bool,
) -> Result<Statement> {
    let rel = into
        .rel
        .as_ref()
        .ok_or_else(|| Error::internal("INTO without a relation"))?;
    Ok(Statement::CreateTableAs(Box::new(CreateTableAsStmt {
        relation: range_var(rel),
        columns: key_names(&into.col_names),
        query,
        with_data: !into.skip_data,
        if_not_exists,
        persistence: rel.relpersistence.bytes().next().unwrap_or(b'p'),
        select_into,
        materialized,
        options: into
            .options
            .iter()
            .filter_map(|o| match o.node.as_ref() {
                Some(NodeEnum::DefElem(d)) => Some((d.defname.clone(), def_value(&d.arg))),
                _ => None,
            })
            .collect(),
        on_commit: crate::ast_ddl::OnCommit::from_pg(into.on_commit),
    })))
}

/// `LOCK TABLE`.
pub(crate) fn lock(s: &pb::LockStmt) -> Statement {
    Statement::Lock(LockStmt {
        relations: s
            .relations
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::RangeVar(rv)) => Some(range_var(rv)),
                _ => None,
            })
            .collect(),
        mode: if s.mode == 0 { 8 } else { s.mode },
        nowait: s.nowait,
    })
}
