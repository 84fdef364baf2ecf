//! ALTER TABLE (PostgreSQL's `AlterTable`): the relation is locked ACCESS EXCLUSIVE, then
//! each subcommand runs in order in the statement's transaction, seeing the catalog rows
//! the ones before it wrote (a command counter increment after each). Everything is
//! catalog rows written with the transaction's xid and, for rewrites, new relation files
//! (`alter_rewrite.rs`), so a rollback leaves catalogs and files as they were, and other
//! backends drop their cached descriptors when the transaction commits (relcache rule).
//!
//! Column layout rules:
//! 1. ADD COLUMN appends attribute `relnatts + 1`; rows written before it are shorter and
//!    read the column as NULL. A column added with a non-NULL default is filled by
//!    rewriting the table (the default evaluated once per row, so volatile defaults give
//!    each row its own value). PostgreSQL 11+ avoids the rewrite for a constant default
//!    with `attmissingval`; tusk's heap cannot store that `anyarray` column, and the
//!    rewrite reads the same afterwards.
//! 2. DROP COLUMN keeps the attribute's slot: `attisdropped`, the name
//!    `........pg.dropped.N........`, `atttypid` 0. Old rows keep their bytes there, so
//!    the slot keeps its physical width in `attlen` (-1 for the types tusk stores with a
//!    length word, `name` and `"char"` included) and the relation cache reads it back
//!    from that (`relcache::dropped_attribute_type`).
//!
//! Entry points: `Session::alter_table` (ADD CONSTRAINT ... FOREIGN KEY goes to
//! `Session::add_foreign_key`). See also `alter_rewrite.rs` (rewrites, ALTER COLUMN
//! TYPE), `alter_options.rs` (storage parameters, owner, statistics, storage modes),
//! `rename_comment.rs` (RENAME, COMMENT ON).

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope, ScopeColumn};
use tusk_sql::ast_ddl::{AlterObjectKind, AlterTableCmd, AlterTableStmt, TableConstraint};
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::alter_rewrite::NewValue;
use super::constraint_ddl::IndexConstraint;
use super::lookup::SessionLookup;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// PostgreSQL's system column names (`SystemAttributeByName`).
pub(crate) const SYSTEM_COLUMNS: &[&str] = &["tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"];

/// A relation named as `schema.name` or `name`, as messages show it.
pub(crate) fn shown_name(rv: &tusk_sql::ast::RangeVar) -> String {
    match &rv.schema {
        Some(s) => format!("{s}.{}", rv.name),
        None => rv.name.clone(),
    }
}

/// The width a dropped column keeps in `attlen`: -1 for types tusk stores with a length
/// word (see the module header), the type's own length otherwise.
pub(crate) fn physical_attlen(type_oid: Oid, attlen: i16) -> i16 {
    match type_oid {
        type_oid::NAME | type_oid::CHAR => -1,
        _ => attlen,
    }
}

/// A `pg_constraint` row of a table, as ALTER TABLE needs it.
pub(crate) struct TableConstraintRow {
    /// `oid`.
    pub oid: Oid,
    /// `conname`.
    pub name: String,
    /// `contype`: `c`, `p`, `u`, `f`, ...
    pub kind: u8,
    /// `conindid` (PRIMARY KEY and UNIQUE).
    pub index: Oid,
    /// `conbin` (CHECK): the expression's SQL text.
    pub expr: String,
    /// `convalidated`.
    pub validated: bool,
    /// `conkey`.
    pub keys: Vec<i16>,
}

fn datum_oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn datum_text(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

/// PostgreSQL's name for a subcommand in `ALTER action X cannot be performed ...`.
fn action_name(cmd: &AlterTableCmd) -> &'static str {
    match cmd {
        AlterTableCmd::AddColumn { .. } => "ADD COLUMN",
        AlterTableCmd::DropColumn { .. } => "DROP COLUMN",
        AlterTableCmd::ColumnDefault {
            default: Some(_), ..
        } => "ALTER COLUMN ... SET DEFAULT",
        AlterTableCmd::ColumnDefault { default: None, .. } => "ALTER COLUMN ... DROP DEFAULT",
        AlterTableCmd::DropExpression { .. } => "ALTER COLUMN ... DROP EXPRESSION",
        AlterTableCmd::SetNotNull(_) => "ALTER COLUMN ... SET NOT NULL",
        AlterTableCmd::DropNotNull(_) => "ALTER COLUMN ... DROP NOT NULL",
        AlterTableCmd::AlterType { .. } => "ALTER COLUMN ... SET DATA TYPE",
        AlterTableCmd::AddConstraint { .. } | AlterTableCmd::AddForeignKey(_) => "ADD CONSTRAINT",
        AlterTableCmd::DropConstraint { .. } => "DROP CONSTRAINT",
        AlterTableCmd::ValidateConstraint(_) => "VALIDATE CONSTRAINT",
        AlterTableCmd::SetStatistics { .. } => "ALTER COLUMN ... SET STATISTICS",
        AlterTableCmd::SetStorage { .. } => "ALTER COLUMN ... SET STORAGE",
        AlterTableCmd::SetOptions(_) => "SET",
        AlterTableCmd::ResetOptions(_) => "RESET",
        AlterTableCmd::OwnerTo(_) => "OWNER TO",
        AlterTableCmd::AttachPartition { .. } | AlterTableCmd::AttachPartitionIndex(_) => {
            "ATTACH PARTITION"
        }
        AlterTableCmd::DetachPartition { .. } => "DETACH PARTITION",
        AlterTableCmd::Inherit(_) => "INHERIT",
        AlterTableCmd::NoInherit(_) => "NO INHERIT",
        AlterTableCmd::SetTriggerEnabled { .. } => "ENABLE/DISABLE TRIGGER",
        AlterTableCmd::RowSecurity { .. } => "ROW LEVEL SECURITY",
        AlterTableCmd::ReplicaIdentity(_) => "REPLICA IDENTITY",
        AlterTableCmd::Identity(tusk_sql::ast_ddl::IdentityCmd::Add { .. }) => {
            "ALTER COLUMN ... ADD IDENTITY"
        }
        AlterTableCmd::Identity(tusk_sql::ast_ddl::IdentityCmd::Set { .. }) => {
            "ALTER COLUMN ... SET IDENTITY"
        }
        AlterTableCmd::Identity(tusk_sql::ast_ddl::IdentityCmd::Drop { .. }) => {
            "ALTER COLUMN ... DROP IDENTITY"
        }
        AlterTableCmd::Unsupported(_) => "this",
    }
}

/// The pass a subcommand runs in (PostgreSQL's `AT_PASS_*`): subcommands of one statement
/// run sorted by pass, in written order within a pass, so `DROP DEFAULT` runs before
/// `SET DEFAULT` and drops before additions whatever the order written.
fn pass(cmd: &AlterTableCmd) -> u8 {
    match cmd {
        AlterTableCmd::DropColumn { .. }
        | AlterTableCmd::DropNotNull(_)
        | AlterTableCmd::DropExpression { .. }
        | AlterTableCmd::DropConstraint { .. }
        | AlterTableCmd::ColumnDefault { default: None, .. } => 0,
        AlterTableCmd::AlterType { .. } => 1,
        AlterTableCmd::AddColumn { .. } => 4,
        AlterTableCmd::AddConstraint {
            constraint: TableConstraint::Check { .. },
            ..
        }
        | AlterTableCmd::AddForeignKey(_) => 5,
        AlterTableCmd::SetNotNull(_) => 6,
        AlterTableCmd::SetStatistics { .. } | AlterTableCmd::SetStorage { .. } => 10,
        AlterTableCmd::AddConstraint { .. } => 8,
        AlterTableCmd::ColumnDefault {
            default: Some(_), ..
        } => 9,
        AlterTableCmd::ValidateConstraint(_)
        | AlterTableCmd::SetOptions(_)
        | AlterTableCmd::ResetOptions(_)
        | AlterTableCmd::OwnerTo(_)
        | AlterTableCmd::AttachPartition { .. }
        | AlterTableCmd::AttachPartitionIndex(_)
        | AlterTableCmd::DetachPartition { .. }
        | AlterTableCmd::Inherit(_)
        | AlterTableCmd::NoInherit(_)
        | AlterTableCmd::SetTriggerEnabled { .. }
        | AlterTableCmd::RowSecurity { .. }
        | AlterTableCmd::ReplicaIdentity(_)
        | AlterTableCmd::Identity(_)
        | AlterTableCmd::Unsupported(_) => 10,
    }
}

impl Session {
    /// The constraints of `table` (`pg_constraint` rows with `conrelid` = table).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn table_constraints(&self, table: Oid) -> Result<Vec<TableConstraintRow>> {
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let c = |n: &str| constraint.col(n);
        Ok(self
            .catalog_reader()
            .scan(constraint)?
            .into_iter()
            .filter(|(_, r)| r[c("conrelid")] == Datum::Oid(table.0))
            .map(|(_, r)| TableConstraintRow {
                oid: datum_oid(&r[c("oid")]),
                name: datum_text(&r[c("conname")]),
                kind: datum_text(&r[c("contype")]).bytes().next().unwrap_or(b' '),
                index: datum_oid(&r[c("conindid")]),
                expr: datum_text(&r[c("conbin")]),
                validated: r[c("convalidated")] == Datum::Bool(true),
                keys: tusk_types::adt::array::int2_values(&r[c("conkey")]),
            })
            .collect())
    }

    /// The relation `rv` for an ALTER statement, locked ACCESS EXCLUSIVE; `None` (after
    /// PostgreSQL's NOTICE) when it is missing and `missing_ok`.
    ///
    /// Errors: 42P01 `relation "x" does not exist`; 42501 for system catalogs.
    pub(crate) fn alter_target(
        &mut self,
        rv: &tusk_sql::ast::RangeVar,
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<Option<Arc<RelEntry>>> {
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        if let Some(oid) = resolved {
            self.lock_relation(oid, crate::lock::LockMode::AccessExclusive)?;
        }
        // Read again after the lock: a concurrent DROP or RENAME may have committed.
        let entry = {
            let reader = self.catalog_reader();
            match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        };
        let Some(entry) = entry else {
            if missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "relation \"{}\" does not exist, skipping",
                        shown_name(rv)
                    ),
                );
                return Ok(None);
            }
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                shown_name(rv)
            ));
        };
        if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied: \"{}\" is a system catalog",
                entry.info.name
            ));
        }
        Ok(Some(entry))
    }

    /// `relation` as the catalogs now say (after this transaction's changes).
    pub(crate) fn reload_relation(&self, rel: Oid) -> Result<Arc<RelEntry>> {
        self.catalog_reader()
            .entry(rel)?
            .ok_or_else(|| Error::internal(format!("relation {} vanished", rel.0)))
    }

    /// `ALTER TABLE|INDEX|SEQUENCE|VIEW [IF EXISTS] name cmd [, ...]` (see the module
    /// header).
    ///
    /// Errors: 42P01, 42809 `ALTER action X cannot be performed on relation "x"` (with
    /// PostgreSQL's DETAIL naming the relation kind), 42501, 25006; each subcommand's errors
    /// (documented on it) with PostgreSQL's messages; 0A000 for subcommands tusk lacks,
    /// before anything changes.
    pub(crate) fn alter_table(
        &mut self,
        stmt: &AlterTableStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let tag = match stmt.kind {
            AlterObjectKind::Index => "ALTER INDEX",
            AlterObjectKind::Sequence => "ALTER SEQUENCE",
            AlterObjectKind::View => "ALTER VIEW",
            AlterObjectKind::MaterializedView => "ALTER MATERIALIZED VIEW",
            AlterObjectKind::ForeignTable => "ALTER FOREIGN TABLE",
            _ => "ALTER TABLE",
        };
        self.read_only_check(tag)?;
        let Some(entry) = self.alter_target(&stmt.relation, stmt.missing_ok, sink)? else {
            return Ok(tag.into());
        };
        if stmt.kind == AlterObjectKind::MaterializedView && entry.info.kind != b'm' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a materialized view",
                shown_name(&stmt.relation)
            ));
        }
        // The relation is checked first, as PostgreSQL's parse analysis would.
        for cmd in &stmt.commands {
            if let AlterTableCmd::Unsupported(what) = cmd {
                return Err(Error::feature_not_supported(format!("{tag} ... {what}")));
            }
        }
        self.check_inheritance_alter(&entry, stmt.relation.inh, &stmt.commands)?;
        let rel = entry.info.oid;
        self.check_relation_owner(rel)?;
        let mut commands: Vec<&AlterTableCmd> = stmt.commands.iter().collect();
        commands.sort_by_key(|c| pass(c));
        for cmd in commands {
            let entry = self.reload_relation(rel)?;
            let allowed = match cmd {
                AlterTableCmd::OwnerTo(_) => true,
                // A foreign table's rows cannot be converted: no USING.
                AlterTableCmd::AlterType { using: Some(_), .. } if entry.info.kind == b'f' => {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "\"{}\" is not a table",
                        entry.info.name
                    ));
                }
                // What PostgreSQL's ALTER FOREIGN TABLE takes: catalog-only changes.
                AlterTableCmd::AddColumn { .. }
                | AlterTableCmd::DropColumn { .. }
                | AlterTableCmd::ColumnDefault { .. }
                | AlterTableCmd::SetNotNull(_)
                | AlterTableCmd::DropNotNull(_)
                | AlterTableCmd::AlterType { .. }
                | AlterTableCmd::SetStatistics { .. }
                | AlterTableCmd::SetStorage { .. }
                | AlterTableCmd::DropConstraint { .. }
                | AlterTableCmd::ValidateConstraint(_)
                | AlterTableCmd::SetTriggerEnabled { .. }
                    if entry.info.kind == b'f' =>
                {
                    true
                }
                AlterTableCmd::AddForeignKey(def) if entry.info.kind == b'f' => {
                    let constraint =
                        tusk_sql::ast_ddl::TableConstraint::ForeignKey((**def).clone());
                    super::foreign_table_ddl::check_foreign_table_constraint(&constraint, sql)?;
                    true
                }
                AlterTableCmd::AddConstraint { constraint, .. } if entry.info.kind == b'f' => {
                    super::foreign_table_ddl::check_foreign_table_constraint(constraint, sql)?;
                    true
                }
                AlterTableCmd::SetTriggerEnabled { .. } => {
                    matches!(entry.info.kind, b'r' | b'p' | b'v')
                }
                AlterTableCmd::SetStatistics { .. } => {
                    matches!(entry.info.kind, b'r' | b'm' | b'i' | b'I')
                }
                AlterTableCmd::ColumnDefault { .. } => matches!(entry.info.kind, b'r' | b'v'),
                AlterTableCmd::SetOptions(_) | AlterTableCmd::ResetOptions(_) => {
                    matches!(entry.info.kind, b'r' | b'm' | b'i' | b'v')
                }
                AlterTableCmd::AttachPartition { .. } if entry.info.kind == b'I' => {
                    return Err(pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "\"{}\" is not a partitioned table",
                        entry.info.name
                    ));
                }
                AlterTableCmd::AttachPartition { .. } if entry.info.kind == b'i' => {
                    return Err(pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "index \"{}\" is not partitioned",
                        entry.info.name
                    ));
                }
                AlterTableCmd::AttachPartition { .. } | AlterTableCmd::DetachPartition { .. } => {
                    matches!(entry.info.kind, b'r' | b'p')
                }
                // ALTER INDEX names an index (RangeVarCallbackForAlterRelation).
                AlterTableCmd::AttachPartitionIndex(_) if entry.info.kind != b'i' => {
                    if entry.info.kind != b'I' {
                        return Err(pg_err!(
                            WRONG_OBJECT_TYPE,
                            "\"{}\" is not an index",
                            shown_name(&stmt.relation)
                        ));
                    }
                    true
                }
                _ => matches!(entry.info.kind, b'r' | b'p'),
            };
            if !allowed {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "ALTER action {} cannot be performed on relation \"{}\"",
                    action_name(cmd),
                    entry.info.name
                )
                .detail(format!(
                    "This operation is not supported for {}.",
                    match entry.info.kind {
                        b'S' => "sequences",
                        b'i' => "indexes",
                        b'I' => "partitioned indexes",
                        b'v' => "views",
                        b'm' => "materialized views",
                        b'f' => "foreign tables",
                        _ => "this kind of relation",
                    }
                )));
            }
            if matches!(
                cmd,
                AlterTableCmd::AddColumn { .. }
                    | AlterTableCmd::DropColumn { .. }
                    | AlterTableCmd::AlterType { .. }
            ) {
                self.refuse_rowtype_in_use(rel)?;
            }
            match cmd {
                AlterTableCmd::AddColumn {
                    column,
                    constraints,
                    if_not_exists,
                } => {
                    let existed = entry
                        .info
                        .live_columns()
                        .any(|(_, c)| c.name == column.name);
                    self.at_add_column(&entry, column, constraints, *if_not_exists, sql, sink)?;
                    self.ensure_toast_table(rel)?;
                    if stmt.relation.inh && !existed {
                        self.add_column_to_children(rel, column, constraints, sql, sink)?;
                    }
                }
                AlterTableCmd::DropColumn {
                    name,
                    missing_ok,
                    cascade,
                } => {
                    let existed = entry.info.live_columns().any(|(_, c)| c.name == *name);
                    self.at_drop_column(&entry, name, *missing_ok, *cascade, sink)?;
                    if existed {
                        self.txn.command_counter_increment();
                        let recurse = stmt.relation.inh;
                        self.drop_column_from_children(rel, name, recurse, *cascade, sink)?;
                    }
                }
                AlterTableCmd::DropExpression { column, missing_ok } => {
                    self.at_drop_expression(&entry, column, *missing_ok, stmt.relation.inh, sink)?
                }
                AlterTableCmd::ColumnDefault { column, default } => {
                    self.at_column_default(&entry, column, default.as_ref(), sql)?
                }
                AlterTableCmd::SetNotNull(column) => {
                    let attnum = self.alter_column_attnum(&entry, column)?;
                    self.set_not_null(&entry, &[attnum])?;
                }
                AlterTableCmd::DropNotNull(column) => self.at_drop_not_null(&entry, column)?,
                AlterTableCmd::AlterType {
                    column,
                    type_name,
                    using,
                } => {
                    self.at_alter_type(&entry, column, type_name, using.as_ref(), sql)?;
                    if stmt.relation.inh {
                        // Every inheritance descendant and partition changes with it.
                        let descendants = super::inheritance::inheritance_descendants(
                            &self.catalog_reader(),
                            rel,
                        )?;
                        for child in descendants {
                            self.lock_relation(child, crate::lock::LockMode::AccessExclusive)?;
                            self.txn.command_counter_increment();
                            let child = self.reload_relation(child)?;
                            self.at_alter_type(&child, column, type_name, using.as_ref(), sql)?;
                        }
                    }
                }
                AlterTableCmd::AddConstraint {
                    constraint,
                    not_valid,
                } => {
                    self.at_add_constraint(&entry, constraint, *not_valid, stmt.relation.inh, sql)?
                }
                AlterTableCmd::DropConstraint {
                    name, missing_ok, ..
                } => self.at_drop_constraint(&entry, name, *missing_ok, sink)?,
                AlterTableCmd::ValidateConstraint(name) => {
                    self.at_validate_constraint(&entry, name)?
                }
                AlterTableCmd::SetOptions(options) => self.at_set_options(&entry, options)?,
                AlterTableCmd::ResetOptions(names) => self.at_reset_options(&entry, names)?,
                AlterTableCmd::OwnerTo(role) => self.at_owner(&entry, role)?,
                AlterTableCmd::SetTriggerEnabled { triggers, enabled } => {
                    self.set_triggers_enabled(&entry, triggers, *enabled)?
                }
                AlterTableCmd::RowSecurity { force, on } => {
                    self.set_row_security(&entry, *force, *on)?
                }
                AlterTableCmd::SetStatistics {
                    column,
                    number,
                    target,
                } => self.at_set_statistics(&entry, column, *number, *target, sink)?,
                AlterTableCmd::SetStorage { column, storage } => {
                    self.at_set_storage(&entry, column, storage)?
                }
                AlterTableCmd::AddForeignKey(def) => {
                    let mut taken = Vec::new();
                    self.add_foreign_key(&entry, def, &mut taken, !def.not_valid)?;
                }
                AlterTableCmd::AttachPartition {
                    partition,
                    bound,
                    location,
                } => self.attach_partition(&entry, partition, bound, sql, *location)?,
                AlterTableCmd::DetachPartition {
                    partition,
                    concurrently,
                } => self.detach_partition(&entry, partition, *concurrently)?,
                AlterTableCmd::AttachPartitionIndex(index) => {
                    self.attach_partition_index(&entry, index)?
                }
                AlterTableCmd::Inherit(parent) => self.add_inherit(&entry, parent)?,
                AlterTableCmd::NoInherit(parent) => self.drop_inherit(&entry, parent)?,
                AlterTableCmd::ReplicaIdentity(identity) => {
                    self.set_replica_identity(&entry, identity)?
                }
                AlterTableCmd::Identity(command) => self.at_identity(&entry, command, sql, sink)?,
                AlterTableCmd::Unsupported(_) => {
                    unreachable!("refused before the relation was opened")
                }
            }
            self.txn.command_counter_increment();
        }
        Ok(tag.into())
    }

    /// The attribute number of live column `name`, for ALTER COLUMN.
    ///
    /// Errors: 428C9 `cannot alter system column "ctid"`; 42703 `column "x" of relation
    /// "t" does not exist`.
    pub(crate) fn alter_column_attnum(&self, table: &RelEntry, name: &str) -> Result<i16> {
        if let Some(i) = table
            .info
            .columns
            .iter()
            .position(|c| !c.dropped && c.name == name)
        {
            return Ok(i as i16 + 1);
        }
        if SYSTEM_COLUMNS.contains(&name) {
            return Err(pg_err!(
                GENERATED_ALWAYS,
                "cannot alter system column \"{}\"",
                name
            ));
        }
        Err(pg_err!(
            UNDEFINED_COLUMN,
            "column \"{}\" of relation \"{}\" does not exist",
            name,
            table.info.name
        ))
    }

    /// Updates the `pg_attribute` row of `table`'s column `attnum` by `change`.
    pub(crate) fn update_attribute_row(
        &mut self,
        table: Oid,
        attnum: i16,
        change: impl FnOnce(&mut Vec<Datum>),
    ) -> Result<()> {
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_num) = (attribute.col("attrelid"), attribute.col("attnum"));
        self.update_catalog_row(
            attribute,
            |r| r[c_rel] == Datum::Oid(table.0) && r[c_num] == Datum::Int2(attnum),
            change,
        )?;
        // Later changes to the same row in this command must see this version.
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Replaces column `attnum`'s default (`pg_attrdef`, `atthasdef`) by `text`.
    fn store_default(&mut self, table: Oid, attnum: i16, text: Option<String>) -> Result<()> {
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        let (c_rel, c_num) = (attrdef.col("adrelid"), attrdef.col("adnum"));
        self.delete_catalog_rows(syscat::PG_ATTRDEF, move |r: &[Datum]| {
            r[c_rel] == Datum::Oid(table.0) && r[c_num] == Datum::Int2(attnum)
        })?;
        let has = text.is_some();
        if let Some(text) = text {
            let cluster = self.db.cluster.clone();
            let oid = cluster.xact.oids.next_oid(&cluster.wal);
            self.insert_catalog_row(
                CatalogRow::new(attrdef)
                    .set("oid", Datum::Oid(oid.0))
                    .set("adrelid", Datum::Oid(table.0))
                    .set("adnum", Datum::Int2(attnum))
                    .set("adbin", Datum::Text(text)),
            )?;
        }
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_hasdef = attribute.col("atthasdef");
        self.update_attribute_row(table, attnum, |r| r[c_hasdef] = Datum::Bool(has))
    }

    /// Analyzes a default expression for a column of `type_oid`/`typmod`, returning the
    /// typed expression coerced to the column's type.
    ///
    /// Errors: 42804 `column "c" is of type t but default expression is of type u` with
    /// PostgreSQL's HINT; analysis errors.
    fn analyze_default(
        &self,
        column: &str,
        type_oid: Oid,
        typmod: i32,
        expr: &tusk_sql::ast::Expr,
        sql: &str,
    ) -> Result<tusk_sql::analyze::TypedExpr> {
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
        let typed = analyzer.analyze_expr(expr, &Scope::default())?;
        let found = typed.type_oid();
        analyzer
            .coerce(
                typed,
                type_oid,
                typmod,
                CoercionContext::Assignment,
                expr.location(),
            )
            .map_err(|e| {
                if e.code == SqlState::DATATYPE_MISMATCH || e.code == SqlState::CANNOT_COERCE {
                    let err = pg_err!(
                        DATATYPE_MISMATCH,
                        "column \"{}\" is of type {} but default expression is of type {}",
                        column,
                        self.format_type(type_oid),
                        self.format_type(found)
                    )
                    .hint("You will need to rewrite or cast the expression.");
                    if expr.location() == usize::MAX {
                        err
                    } else {
                        err.position(tusk_sql::char_position(sql, expr.location()))
                    }
                } else {
                    // PostgreSQL reports a default's input errors without a position.
                    Error {
                        position: None,
                        ..e
                    }
                }
            })
    }

    /// The generation expression of a column `name` added to `table`, over the table's
    /// row, and its stored text.
    fn add_column_generation(
        &self,
        table: &Arc<RelEntry>,
        name: &str,
        (type_oid, typmod): (tusk_types::Oid, i32),
        raw: (&tusk_sql::ast::Expr, &str),
        sql: &str,
    ) -> Result<(tusk_sql::analyze::TypedExpr, String)> {
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
        let mut columns: Vec<tusk_sql::analyze::GenerationColumn> = table
            .info
            .columns
            .iter()
            .map(tusk_sql::analyze::GenerationColumn::of)
            .collect();
        let new = tusk_sql::analyze::GenerationColumn {
            name: name.to_string(),
            type_oid,
            typmod,
            generated: true,
        };
        columns.push(new.clone());
        super::generated_ddl::generation_expression(
            &mut analyzer,
            &reader,
            raw,
            &table.info.name,
            &columns,
            &new,
            table.info.oid,
        )
        // ALTER TABLE reports errors in the expression without a position.
        .map_err(|e| Error {
            position: None,
            ..e
        })
    }

    /// `ADD [COLUMN] [IF NOT EXISTS] name type [DEFAULT e] [NOT NULL] [constraints]`
    /// (module header, rule 1).
    ///
    /// Errors: 42701 `column "c" of relation "t" already exists` (a NOTICE with IF NOT
    /// EXISTS), 42701 for a system column name, 54011 past 1600 columns, 0A000 for types
    /// the heap cannot store, 42804 for a default of the wrong type, 23502 when existing
    /// rows would get NULL in a NOT NULL column, and the constraints' errors.
    pub(super) fn at_add_column(
        &mut self,
        table: &Arc<RelEntry>,
        column: &tusk_sql::ast_ddl::ColumnDef,
        constraints: &[TableConstraint],
        if_not_exists: bool,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let name = &column.name;
        if SYSTEM_COLUMNS.contains(&name.as_str()) {
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "column name \"{}\" conflicts with a system column name",
                name
            ));
        }
        if table.info.live_columns().any(|(_, c)| c.name == *name) {
            if if_not_exists {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        DUPLICATE_COLUMN,
                        "column \"{}\" of relation \"{}\" already exists, skipping",
                        name,
                        table.info.name
                    ),
                );
                return Ok(());
            }
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "column \"{}\" of relation \"{}\" already exists",
                name,
                table.info.name
            ));
        }
        if table.info.columns.len() >= 1600 {
            return Err(pg_err!(
                TOO_MANY_COLUMNS,
                "tables can have at most 1600 columns"
            ));
        }
        let serial = match (
            column.type_name.names.len(),
            column.type_name.names.last().map(String::as_str),
        ) {
            (1, Some("serial" | "serial4")) => Some(type_oid::INT4),
            (1, Some("bigserial" | "serial8")) => Some(type_oid::INT8),
            (1, Some("smallserial" | "serial2")) => Some(type_oid::INT2),
            _ => None,
        };
        if column.identity.is_some() && (column.default.is_some() || serial.is_some()) {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "both default and identity specified for column \"{}\" of table \"{}\"",
                name,
                table.info.name
            ));
        }
        if serial.is_some() && column.default.is_some() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "multiple default values specified for column \"{}\" of table \"{}\"",
                name,
                table.info.name
            ));
        }
        let (type_oid, typmod) = if let Some(t) = serial {
            (t, -1)
        } else {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            Analyzer::new(&lookup, sql, Vec::new()).resolve_type_name(&column.type_name)?
        };
        let physical = crate::user_types::physical_type(&self.catalog_reader(), type_oid)?;
        if !super::composite_ddl::column_type_is_storable(type_oid, physical) {
            return Err(Error::feature_not_supported(format!(
                "columns of type {}",
                self.format_type(type_oid)
            )));
        }
        if column.identity.is_some()
            && !matches!(type_oid, type_oid::INT2 | type_oid::INT4 | type_oid::INT8)
        {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "identity column type must be smallint, integer, or bigint"
            ));
        }
        let rel = table.info.oid;
        let attnum = table.info.columns.len() as i16 + 1;
        // serial: an owned sequence <table>_<column>_seq and its nextval() default, as in
        // CREATE TABLE; existing rows each draw a value through the rewrite.
        // An identity column gets a sequence the same way (deptype `i`, its options), and
        // existing rows draw values from it, but it stores no default.
        let sequence_type = serial.or(column.identity.map(|_| type_oid));
        let serial_default = match sequence_type {
            Some(t) => {
                let (namespace, seq_name) = self.column_sequence_name(
                    table.namespace_oid,
                    &table.info.name,
                    name,
                    &column.identity_options,
                )?;
                let params = super::sequence_ddl::sequence_params(&column.identity_options, t)?;
                let deptype = if column.identity.is_some() {
                    b'i'
                } else {
                    b'a'
                };
                self.define_sequence(
                    namespace,
                    &seq_name,
                    &params,
                    t,
                    Some((rel, attnum, deptype)),
                )?;
                self.txn.command_counter_increment();
                let ident = tusk_sql::quote_identifier(&seq_name);
                let qualified = if namespace == syscat::PUBLIC_NAMESPACE {
                    ident
                } else {
                    format!(
                        "{}.{ident}",
                        tusk_sql::quote_identifier(&table.info.namespace)
                    )
                };
                let text = format!("nextval('{}'::regclass)", qualified.replace('\'', "''"));
                Some((tusk_sql::parse_expr(&text)?, text))
            }
            None => None,
        };
        let default = match serial_default.as_ref().or(column.default.as_ref()) {
            Some((expr, text)) => Some((
                self.analyze_default(name, type_oid, typmod, expr, sql)?,
                text.clone(),
            )),
            None => match &column.generated {
                // Existing rows get the value computed over them by the rewrite.
                Some(g) => Some(self.add_column_generation(
                    table,
                    name,
                    (type_oid, typmod),
                    (&g.0, &g.1),
                    sql,
                )?),
                None => None,
            },
        };
        let identity = column
            .identity
            .map(|b| (b as char).to_string())
            .unwrap_or_default();
        let collation = column
            .collation
            .as_ref()
            .map(|(names, _)| self.column_collation(names, type_oid))
            .transpose()?;
        let row = attribute_row(rel, attnum, name, type_oid, typmod, false);
        let row = match collation {
            Some(c) => row.set("attcollation", Datum::Oid(c.0)),
            None => row,
        };
        self.insert_catalog_row(
            row.set(
                "atthasdef",
                Datum::Bool(default.is_some() && column.identity.is_none()),
            )
            .set("attidentity", Datum::Text(identity))
            .set(
                "attgenerated",
                Datum::Text(if column.generated.is_some() { "s" } else { "" }.into()),
            ),
        )?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_natts = class.col("relnatts");
        self.update_class_row(rel, |r| r[c_natts] = Datum::Int2(attnum))?;
        let null_default = matches!(
            default.as_ref(),
            Some((
                tusk_sql::analyze::TypedExpr::Const {
                    value: Datum::Null,
                    ..
                },
                _
            ))
        );
        if let Some((typed, text)) = default {
            if column.identity.is_none() {
                self.store_default(rel, attnum, Some(text))?;
            }
            self.txn.command_counter_increment();
            if !null_default {
                let mut values: Vec<NewValue> =
                    (0..table.info.columns.len()).map(NewValue::Old).collect();
                values.push(NewValue::Expr(typed));
                self.rewrite_table(table, values)?;
            }
        }
        self.txn.command_counter_increment();
        if column.not_null || serial.is_some() || column.identity.is_some() {
            let entry = self.reload_relation(rel)?;
            self.set_not_null(&entry, &[attnum])?;
        }
        for constraint in constraints {
            let entry = self.reload_relation(rel)?;
            self.at_add_constraint(&entry, constraint, false, true, sql)?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// `DROP [COLUMN] [IF EXISTS] name [CASCADE]` (module header, rule 2): indexes and
    /// constraints using the column go with it (PostgreSQL's automatic dependencies), as
    /// do its default, comment and owned sequences.
    ///
    /// Errors: 428C9 `cannot drop system column "x"`; 42703 `column "x" of relation "t"
    /// does not exist` (a NOTICE with IF EXISTS).
    /// DROP COLUMN `name` of `parent` reaching its inheritance children (PostgreSQL's
    /// `ATExecDropColumn` recursion): with `recurse`, a child's column that only came
    /// from this parent (`attinhcount` 1, not local) is dropped too, and so on down;
    /// any other child column counts one parent fewer. Without it (ONLY), each child
    /// column counts one parent fewer and becomes local.
    ///
    /// Errors: those of dropping a child's column.
    fn drop_column_from_children(
        &mut self,
        parent: Oid,
        name: &str,
        recurse: bool,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_num, c_inh, c_local) = (
            attribute.col("attrelid"),
            attribute.col("attnum"),
            attribute.col("attinhcount"),
            attribute.col("attislocal"),
        );
        let children = super::inheritance::inheritance_children(&self.catalog_reader(), parent)?;
        for child in children {
            let entry = self.reload_relation(child)?;
            let Some((index, _)) = entry.info.live_columns().find(|(_, c)| c.name == name) else {
                continue;
            };
            let attnum = index as i16 + 1;
            let (count, local) = self
                .catalog_reader()
                .rows(attribute)?
                .matching(c_rel, child)
                .find(|r| r[c_num] == Datum::Int2(attnum))
                .map(|r| {
                    let count = match r[c_inh] {
                        Datum::Int4(n) => n,
                        _ => 0,
                    };
                    (count, r[c_local] == Datum::Bool(true))
                })
                .unwrap_or((0, true));
            if recurse && count == 1 && !local {
                self.at_drop_column(&entry, name, false, cascade, sink)?;
                self.txn.command_counter_increment();
                self.drop_column_from_children(child, name, true, cascade, sink)?;
            } else {
                self.update_attribute_row(child, attnum, |r| {
                    r[c_inh] = Datum::Int4((count - 1).max(0));
                    if !recurse {
                        r[c_local] = Datum::Bool(true);
                    }
                })?;
                self.txn.command_counter_increment();
            }
        }
        Ok(())
    }

    fn at_drop_column(
        &mut self,
        table: &Arc<RelEntry>,
        name: &str,
        missing_ok: bool,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let Some(index) = table
            .info
            .columns
            .iter()
            .position(|c| !c.dropped && c.name == name)
        else {
            if SYSTEM_COLUMNS.contains(&name) {
                return Err(pg_err!(
                    GENERATED_ALWAYS,
                    "cannot drop system column \"{}\"",
                    name
                ));
            }
            let err = pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" of relation \"{}\" does not exist",
                name,
                table.info.name
            );
            return super::ddl::error_or_skip(sink, missing_ok, err);
        };
        let attnum = index as i16 + 1;
        let rel = table.info.oid;
        let key = super::partition_ddl::partition_key(&self.catalog_reader(), table)?;
        if key.is_some_and(|k| k.attnums.contains(&attnum)) {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot drop column \"{}\" because it is part of the partition key of relation \"{}\"",
                name,
                table.info.name
            ));
        }
        self.drop_column_publications(table, attnum, cascade, sink)?;
        // Generated columns computed from it depend on it (PostgreSQL's pg_depend rows of
        // the generation expression): refused, or dropped first with CASCADE.
        let dependents = self.generated_dependents(table, index)?;
        if !dependents.is_empty() {
            let lines: Vec<String> = dependents
                .iter()
                .map(|d| {
                    format!(
                        "column {} of table {} depends on column {} of table {}",
                        table.info.columns[*d].name, table.info.name, name, table.info.name
                    )
                })
                .collect();
            if !cascade {
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop column {} of table {} because other objects depend on it",
                    name,
                    table.info.name
                )
                .detail(lines.join("\n"))
                .hint("Use DROP ... CASCADE to drop the dependent objects too."));
            }
            let names: Vec<String> = dependents
                .iter()
                .map(|d| {
                    format!(
                        "column {} of table {}",
                        table.info.columns[*d].name, table.info.name
                    )
                })
                .collect();
            let notice = match names.as_slice() {
                [one] => pg_err!(SUCCESSFUL_COMPLETION, "drop cascades to {}", one),
                _ => pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "drop cascades to {} other objects",
                    names.len()
                )
                .detail(
                    names
                        .iter()
                        .map(|n| format!("drop cascades to {n}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            };
            sink.notice(NoticeSeverity::Notice, &notice);
            // A generated column has no dependents of its own: these raise no notices.
            for d in &dependents {
                let entry = self.reload_relation(rel)?;
                let dependent = entry.info.columns[*d].name.clone();
                self.at_drop_column(&entry, &dependent, false, true, sink)?;
                self.txn.command_counter_increment();
            }
        }
        let reloaded;
        let table = if dependents.is_empty() {
            table
        } else {
            reloaded = self.reload_relation(rel)?;
            &reloaded
        };
        let constraints = self.table_constraints(rel)?;
        // Indexes on the column, and the PRIMARY KEY / UNIQUE constraints they implement.
        for ix in self.table_indexes(table)? {
            let in_expressions = ix
                .expressions
                .as_ref()
                .is_some_and(|x| x.columns().contains(&attnum));
            if !ix.attnums.contains(&attnum) && !in_expressions {
                continue;
            }
            if let Some(c) = constraints.iter().find(|c| c.index == ix.oid) {
                self.remove_constraint_rows(c.oid)?;
            }
            self.remove_index_catalog(ix.oid)?;
        }
        // CHECK constraints that mention the column.
        let remaining: Vec<ScopeColumn> = table
            .info
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let shown = if c.dropped || i == index {
                    String::new()
                } else {
                    c.name.clone()
                };
                ScopeColumn::slot(shown, i, c.type_oid, c.typmod)
            })
            .collect();
        let scope = Scope::single(Some(table.info.name.clone()), remaining);
        let mut dropped_checks = 0;
        for c in constraints.iter().filter(|c| c.kind == b'c') {
            let mentions = c.keys.contains(&attnum) || {
                let reader = self.catalog_reader();
                let lookup = SessionLookup {
                    builtin: tusk_executor::BuiltinLookup {
                        settings: &self.output,
                    },
                    catalog: &reader,
                };
                let parsed = tusk_sql::parse_expr(&c.expr)?;
                let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
                matches!(
                    analyzer.analyze_expr(&parsed, &scope),
                    Err(e) if e.code == SqlState::UNDEFINED_COLUMN
                )
            };
            if mentions {
                self.remove_constraint_rows(c.oid)?;
                dropped_checks += 1;
            }
        }
        if dropped_checks > 0 {
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let c_checks = class.col("relchecks");
            self.update_class_row(rel, |r| {
                if let Datum::Int2(n) = r[c_checks] {
                    r[c_checks] = Datum::Int2((n - dropped_checks).max(0));
                }
            })?;
        }
        // Sequences owned by the column, then every dependency on it.
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let d = |n: &str| depend.col(n);
        let owned: Vec<Oid> = self
            .catalog_reader()
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[d("refobjid")] == Datum::Oid(rel.0)
                    && r[d("refobjsubid")] == Datum::Int4(i32::from(attnum))
                    && r[d("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && matches!(&r[d("deptype")], Datum::Text(t) if t == "a" || t == "i")
            })
            .map(|(_, r)| datum_oid(&r[d("objid")]))
            .collect();
        self.store_default(rel, attnum, None)?;
        for seq in owned {
            if self.catalog_reader().entry(seq)?.map(|e| e.info.kind) == Some(b'S') {
                self.remove_relation_catalog(seq)?;
            }
        }
        let (d_ref, d_sub) = (d("refobjid"), d("refobjsubid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
            r[d_ref] == Datum::Oid(rel.0) && r[d_sub] == Datum::Int4(i32::from(attnum))
        })?;
        self.delete_comments(rel, syscat::PG_CLASS, Some(i32::from(attnum)))?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let a = |n: &str| attribute.col(n);
        let (c_name, c_type, c_notnull, c_len, c_dropped, c_hasdef, c_coll) = (
            a("attname"),
            a("atttypid"),
            a("attnotnull"),
            a("attlen"),
            a("attisdropped"),
            a("atthasdef"),
            a("attcollation"),
        );
        let type_oid = table.info.columns[index].type_oid;
        self.update_attribute_row(rel, attnum, |r| {
            r[c_name] = Datum::Text(format!("........pg.dropped.{attnum}........"));
            r[c_type] = Datum::Oid(0);
            r[c_notnull] = Datum::Bool(false);
            r[c_dropped] = Datum::Bool(true);
            r[c_hasdef] = Datum::Bool(false);
            r[c_coll] = Datum::Oid(0);
            if let Datum::Int2(len) = r[c_len] {
                r[c_len] = Datum::Int2(physical_attlen(type_oid, len));
            }
        })?;
        Ok(())
    }

    /// The generated columns of `table` whose expressions read its column at `index`.
    ///
    /// Errors: analysis errors of the stored expressions other than the column's absence.
    pub(super) fn generated_dependents(
        &self,
        table: &RelEntry,
        index: usize,
    ) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        for (i, c) in table.info.live_columns() {
            if !c.generated || i == index {
                continue;
            }
            let Some(text) = &c.default else {
                continue;
            };
            let without: Vec<ScopeColumn> = table
                .info
                .columns
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let shown = if c.dropped || j == index {
                        String::new()
                    } else {
                        c.name.clone()
                    };
                    ScopeColumn::slot(shown, j, c.type_oid, c.typmod)
                })
                .collect();
            let mut scope = Scope::single(Some(table.info.name.clone()), without);
            let width = table.info.columns.len();
            scope.items[0].system_columns = tusk_sql::analyze::system_columns::SYSTEM_COLUMNS
                .iter()
                .enumerate()
                .map(|(k, s)| ScopeColumn::slot(s.name.to_string(), width + k, s.type_oid, -1))
                .collect();
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let parsed = tusk_sql::parse_expr(text)?;
            let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
            match analyzer.analyze_expr(&parsed, &scope) {
                Err(e) if e.code == SqlState::UNDEFINED_COLUMN => out.push(i),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
        }
        Ok(out)
    }

    /// Deletes a constraint's `pg_constraint` row, its comment and its dependencies.
    pub(crate) fn remove_constraint_rows(&mut self, constraint: Oid) -> Result<()> {
        let pg_constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let c_oid = pg_constraint.col("oid");
        self.delete_catalog_rows(syscat::PG_CONSTRAINT, move |r: &[Datum]| {
            r[c_oid] == Datum::Oid(constraint.0)
        })?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (d_class, d_obj) = (depend.col("classid"), depend.col("objid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
            r[d_class] == Datum::Oid(syscat::PG_CONSTRAINT.0)
                && r[d_obj] == Datum::Oid(constraint.0)
        })?;
        self.delete_comments(constraint, syscat::PG_CONSTRAINT, None)?;
        Ok(())
    }

    /// `ALTER [COLUMN] c SET DEFAULT e | DROP DEFAULT`. Existing rows keep their values.
    ///
    /// Errors: 42703, 428C9; 42804 for a default of the wrong type.
    fn at_column_default(
        &mut self,
        table: &Arc<RelEntry>,
        column: &str,
        default: Option<&(tusk_sql::ast::Expr, String)>,
        sql: &str,
    ) -> Result<()> {
        let attnum = self.alter_column_attnum(table, column)?;
        let info = &table.info.columns[attnum as usize - 1];
        if info.generated {
            let e = pg_err!(
                SYNTAX_ERROR,
                "column \"{}\" of relation \"{}\" is a generated column",
                column,
                table.info.name
            );
            return Err(match default {
                Some(_) => e,
                None => e.hint("Use ALTER TABLE ... ALTER COLUMN ... DROP EXPRESSION instead."),
            });
        }
        let text = match default {
            Some((expr, text)) => {
                self.analyze_default(column, info.type_oid, info.typmod, expr, sql)?;
                Some(text.clone())
            }
            None => None,
        };
        self.store_default(table.info.oid, attnum, text)
    }

    /// `ALTER [COLUMN] c DROP EXPRESSION [IF EXISTS]`: the column keeps its values and
    /// becomes an ordinary column, in the inheritance children too unless `ONLY`.
    ///
    /// Errors: 42703; 55000 `column "c" of relation "t" is not a stored generated column`
    /// (a NOTICE with IF EXISTS); 42P16 `cannot drop generation expression from inherited
    /// column`, `ALTER TABLE / DROP EXPRESSION must be applied to child tables too`.
    fn at_drop_expression(
        &mut self,
        table: &Arc<RelEntry>,
        column: &str,
        missing_ok: bool,
        inh: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let attnum = self.alter_column_attnum(table, column)?;
        let info = &table.info.columns[attnum as usize - 1];
        if !info.generated {
            let e = pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "column \"{}\" of relation \"{}\" is not a stored generated column",
                column,
                table.info.name
            );
            return super::ddl::error_or_skip(sink, missing_ok, e);
        }
        let rel = table.info.oid;
        let children = super::inheritance::inheritance_children(&self.catalog_reader(), rel)?;
        if !inh && !children.is_empty() {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "ALTER TABLE / DROP EXPRESSION must be applied to child tables too"
            ));
        }
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_inhcount, c_generated, c_hasdef) = (
            attribute.col("attinhcount"),
            attribute.col("attgenerated"),
            attribute.col("atthasdef"),
        );
        let inherited = self
            .catalog_reader()
            .scan(attribute)?
            .into_iter()
            .any(|(_, r)| {
                r[attribute.col("attrelid")] == Datum::Oid(rel.0)
                    && r[attribute.col("attnum")] == Datum::Int2(attnum)
                    && matches!(r[c_inhcount], Datum::Int4(n) if n > 0)
            });
        if inherited {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot drop generation expression from inherited column"
            ));
        }
        self.store_default(rel, attnum, None)?;
        self.update_attribute_row(rel, attnum, |r| {
            r[c_generated] = Datum::Text(String::new());
            r[c_hasdef] = Datum::Bool(false);
        })?;
        self.txn.command_counter_increment();
        for child in children {
            let Some(entry) = self.catalog_reader().entry(child)? else {
                continue;
            };
            let inherited_generated = entry
                .info
                .live_columns()
                .any(|(_, c)| c.name == column && c.generated);
            if inherited_generated {
                self.at_drop_expression_inherited(&entry, column)?;
            }
        }
        Ok(())
    }

    /// DROP EXPRESSION reaching an inheritance child from its parent.
    fn at_drop_expression_inherited(&mut self, table: &Arc<RelEntry>, column: &str) -> Result<()> {
        let attnum = self.alter_column_attnum(table, column)?;
        let rel = table.info.oid;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_generated, c_hasdef) = (attribute.col("attgenerated"), attribute.col("atthasdef"));
        self.store_default(rel, attnum, None)?;
        self.update_attribute_row(rel, attnum, |r| {
            r[c_generated] = Datum::Text(String::new());
            r[c_hasdef] = Datum::Bool(false);
        })?;
        self.txn.command_counter_increment();
        for child in super::inheritance::inheritance_children(&self.catalog_reader(), rel)? {
            if let Some(entry) = self.catalog_reader().entry(child)? {
                if entry
                    .info
                    .live_columns()
                    .any(|(_, c)| c.name == column && c.generated)
                {
                    self.at_drop_expression_inherited(&entry, column)?;
                }
            }
        }
        Ok(())
    }

    /// `ALTER [COLUMN] c DROP NOT NULL`.
    ///
    /// Errors: 42703, 428C9; 42P16 `column "c" is in a primary key`, `column "c" is in
    /// index used as replica identity`.
    fn at_drop_not_null(&mut self, table: &Arc<RelEntry>, column: &str) -> Result<()> {
        let attnum = self.alter_column_attnum(table, column)?;
        let in_primary_key = self
            .table_constraints(table.info.oid)?
            .iter()
            .any(|c| c.kind == b'p' && c.keys.contains(&attnum));
        if in_primary_key {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "column \"{}\" is in a primary key",
                column
            ));
        }
        self.check_replica_identity_column(table.info.oid, attnum, column)?;
        // A partition keeps NOT NULL while its parent has it.
        let is_partition =
            super::partition_ddl::partition_bound_text(&self.catalog_reader(), table.info.oid)?
                .is_some();
        let parent = match is_partition {
            true => super::index_attach::partition_parent(&self.catalog_reader(), table.info.oid)?,
            false => None,
        };
        if let Some(parent) = parent {
            let parent = self.reload_relation(parent)?;
            let name = &table.info.columns[attnum as usize - 1].name;
            if parent
                .info
                .live_columns()
                .any(|(_, c)| c.name == *name && c.not_null)
            {
                return Err(pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "column \"{}\" is marked NOT NULL in parent table",
                    column
                ));
            }
        }
        if !table.info.columns[attnum as usize - 1].not_null {
            return Ok(());
        }
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_notnull = attribute.col("attnotnull");
        self.update_attribute_row(table.info.oid, attnum, |r| {
            r[c_notnull] = Datum::Bool(false)
        })
    }

    /// `ADD [CONSTRAINT name] CHECK (e) [NOT VALID]`, `PRIMARY KEY (...)`, `UNIQUE (...)`.
    ///
    /// Errors: 42710 `constraint "c" for relation "t" already exists`; 23514 `check
    /// constraint "c" of relation "t" is violated by some row` (unless NOT VALID);
    /// analysis errors of the expression; those of `add_index_constraint`.
    fn at_add_constraint(
        &mut self,
        table: &Arc<RelEntry>,
        constraint: &TableConstraint,
        not_valid: bool,
        recurse: bool,
        sql: &str,
    ) -> Result<()> {
        match constraint {
            TableConstraint::ForeignKey(def) => {
                let mut taken = Vec::new();
                self.add_foreign_key(table, def, &mut taken, !not_valid && !def.not_valid)
                    .map(|_| ())
            }
            TableConstraint::Unique {
                name,
                columns,
                primary,
                options,
                ..
            } => {
                let existing: Vec<String> = self
                    .table_constraints(table.info.oid)?
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                if let Some(n) = name.as_ref().filter(|n| existing.contains(n)) {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "constraint \"{}\" for relation \"{}\" already exists",
                        n,
                        table.info.name
                    ));
                }
                let mut taken = Vec::new();
                self.add_index_constraint(
                    table,
                    IndexConstraint {
                        name: name.as_deref(),
                        columns,
                        primary: *primary,
                        recurse,
                        options,
                    },
                    &mut taken,
                )
                .map(|_| ())
            }
            TableConstraint::Check {
                name,
                expr,
                sql: text,
                location,
                ..
            } => {
                let existing: Vec<String> = self
                    .table_constraints(table.info.oid)?
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                let typed = {
                    let reader = self.catalog_reader();
                    let lookup = SessionLookup {
                        builtin: tusk_executor::BuiltinLookup {
                            settings: &self.output,
                        },
                        catalog: &reader,
                    };
                    let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
                    let scope = super::alter_rewrite::table_scope(table);
                    analyzer
                        .analyze_expr(expr, &scope)
                        .and_then(|typed| analyzer.coerce_to_boolean(typed, "CHECK", *location))
                        // PostgreSQL reports these without a position in ALTER TABLE.
                        .map_err(|e| Error {
                            position: None,
                            ..e
                        })?
                };
                let name = match name {
                    Some(n) => {
                        if existing.contains(n) {
                            return Err(pg_err!(
                                DUPLICATE_OBJECT,
                                "constraint \"{}\" for relation \"{}\" already exists",
                                n,
                                table.info.name
                            ));
                        }
                        n.clone()
                    }
                    None => {
                        // PostgreSQL names it after the column when the expression uses
                        // exactly one (`t_c_check`), else `t_check`.
                        let used = crate::index_expressions::referenced_attnums(&typed);
                        let first = match used.as_slice() {
                            [attnum] => table
                                .info
                                .columns
                                .get(*attnum as usize - 1)
                                .map(|c| c.name.clone()),
                            _ => None,
                        };
                        let base = match first {
                            Some(c) => format!("{}_{}_check", table.info.name, c),
                            None => format!("{}_check", table.info.name),
                        };
                        let mut candidate = base.clone();
                        let mut n = 0;
                        while existing.contains(&candidate) {
                            n += 1;
                            candidate = format!("{base}{n}");
                        }
                        candidate
                    }
                };
                if !not_valid {
                    self.validate_check_rows(table, &name, &typed)?;
                }
                let keys = crate::index_expressions::referenced_attnums(&typed);
                let cluster = self.db.cluster.clone();
                let oid = cluster.xact.oids.next_oid(&cluster.wal);
                self.insert_catalog_row(
                    super::constraint_ddl::check_constraint_row(
                        oid,
                        &name,
                        table.namespace_oid,
                        text,
                    )
                    .set("convalidated", Datum::Bool(!not_valid))
                    .set("conrelid", Datum::Oid(table.info.oid.0))
                    .set(
                        "conkey",
                        Datum::Array(Box::new(Array::from_elements(
                            type_oid::INT2,
                            keys.iter().map(|&a| Datum::Int2(a)).collect(),
                        ))),
                    ),
                )?;
                let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
                let c_checks = class.col("relchecks");
                self.update_class_row(table.info.oid, |r| {
                    if let Datum::Int2(n) = r[c_checks] {
                        r[c_checks] = Datum::Int2(n + 1);
                    }
                })
            }
        }
    }

    /// `DROP CONSTRAINT [IF EXISTS] name`: a PRIMARY KEY or UNIQUE constraint takes its
    /// index with it.
    ///
    /// Errors: 42704 `constraint "c" of relation "t" does not exist` (a NOTICE with IF
    /// EXISTS).
    fn at_drop_constraint(
        &mut self,
        table: &Arc<RelEntry>,
        name: &str,
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let Some(found) = self
            .table_constraints(table.info.oid)?
            .into_iter()
            .find(|c| c.name == name)
        else {
            if missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "constraint \"{}\" of relation \"{}\" does not exist, skipping",
                        name,
                        table.info.name
                    ),
                );
                return Ok(());
            }
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "constraint \"{}\" of relation \"{}\" does not exist",
                name,
                table.info.name
            ));
        };
        let index_partition = matches!(found.kind, b'p' | b'u')
            && found.index != Oid::INVALID
            && super::index_attach::partition_parent(&self.catalog_reader(), found.index)?
                .is_some();
        if index_partition {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot drop inherited constraint \"{}\" of relation \"{}\"",
                name,
                table.info.name
            ));
        }
        self.remove_constraint_rows(found.oid)?;
        match found.kind {
            b'p' | b'u' if found.index != Oid::INVALID => {
                // The partitions' constraints and indexes go with it.
                let mut partitions = self.index_partition_descendants(found.index)?;
                partitions.reverse();
                for partition in partitions {
                    if let Some(constraint) = super::index_attach::index_constraint_oid(
                        &self.catalog_reader(),
                        partition,
                    )? {
                        self.remove_constraint_rows(constraint)?;
                    }
                    self.remove_index_catalog(partition)?;
                }
                self.remove_index_catalog(found.index)?;
            }
            b'c' => {
                let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
                let c_checks = class.col("relchecks");
                self.update_class_row(table.info.oid, |r| {
                    if let Datum::Int2(n) = r[c_checks] {
                        r[c_checks] = Datum::Int2((n - 1).max(0));
                    }
                })?;
            }
            _ => {}
        }
        Ok(())
    }

    /// `VALIDATE CONSTRAINT name`: checks the existing rows against a NOT VALID CHECK
    /// constraint and marks it validated.
    ///
    /// Errors: 42704 `constraint "c" of relation "t" does not exist`; 42809 `constraint
    /// "c" of relation "t" is not a foreign key or check constraint`; 23514.
    fn at_validate_constraint(&mut self, table: &Arc<RelEntry>, name: &str) -> Result<()> {
        let Some(found) = self
            .table_constraints(table.info.oid)?
            .into_iter()
            .find(|c| c.name == name)
        else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "constraint \"{}\" of relation \"{}\" does not exist",
                name,
                table.info.name
            ));
        };
        if found.kind != b'c' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "constraint \"{}\" of relation \"{}\" is not a foreign key or check constraint",
                name,
                table.info.name
            ));
        }
        if found.validated {
            return Ok(());
        }
        let typed = {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let parsed = tusk_sql::parse_expr(&found.expr)?;
            let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
            let typed =
                analyzer.analyze_expr(&parsed, &super::alter_rewrite::table_scope(table))?;
            analyzer.coerce_to_boolean(typed, "CHECK", usize::MAX)?
        };
        self.validate_check_rows(table, name, &typed)?;
        let pg_constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let (c_oid, c_valid) = (pg_constraint.col("oid"), pg_constraint.col("convalidated"));
        self.update_catalog_row(
            pg_constraint,
            |r| r[c_oid] == Datum::Oid(found.oid.0),
            |r| r[c_valid] = Datum::Bool(true),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_access::{deform_tuple, form_tuple, AttributeDesc};

    /// Rows written before a DROP COLUMN keep the column's bytes; reading them with the
    /// dropped slot's stand-in type must step over exactly those bytes.
    #[test]
    fn dropped_columns_keep_their_width_for_old_rows() {
        let samples = [
            (type_oid::BOOL, Datum::Bool(true)),
            (type_oid::INT2, Datum::Int2(7)),
            (type_oid::INT4, Datum::Int4(-9)),
            (type_oid::INT8, Datum::Int8(1 << 40)),
            (type_oid::FLOAT8, Datum::Float8(2.5)),
            (type_oid::DATE, Datum::Date(100)),
            (type_oid::TIMESTAMPTZ, Datum::TimestampTz(5)),
            (
                type_oid::INTERVAL,
                Datum::Interval {
                    months: 1,
                    days: 2,
                    micros: 3,
                },
            ),
            (type_oid::TEXT, Datum::Text("hello".into())),
            (type_oid::NAME, Datum::Text("a name".into())),
            (type_oid::CHAR, Datum::Text("c".into())),
            (type_oid::BYTEA, Datum::Bytea(vec![1, 2, 3])),
            (
                type_oid::INT4_ARRAY,
                Datum::Array(Box::new(Array::from_elements(
                    type_oid::INT4,
                    vec![Datum::Int4(1), Datum::Int4(2)],
                ))),
            ),
        ];
        for (type_oid, value) in samples {
            let attlen = tusk_catalog::builtin()
                .type_by_oid(type_oid)
                .expect("built-in type")
                .len;
            let before = [
                AttributeDesc { type_oid },
                AttributeDesc {
                    type_oid: type_oid::INT4,
                },
            ];
            let tuple = form_tuple(&before, &[value, Datum::Int4(42)]).expect("form");
            let after = [
                AttributeDesc {
                    type_oid: crate::relcache::dropped_attribute_type(i64::from(physical_attlen(
                        type_oid, attlen,
                    ))),
                },
                before[1],
            ];
            let row = deform_tuple(&after, &tuple.as_ref()).expect("deform");
            assert_eq!(row[1], Datum::Int4(42), "after a dropped {type_oid:?}");
        }
    }

    #[test]
    fn drops_run_before_additions_whatever_the_written_order() {
        let set = AlterTableCmd::ColumnDefault {
            column: "c".into(),
            default: Some((
                tusk_sql::ast::Expr::Unsupported(String::new(), 0),
                "1".into(),
            )),
        };
        let drop = AlterTableCmd::ColumnDefault {
            column: "c".into(),
            default: None,
        };
        assert!(pass(&drop) < pass(&set));
        assert!(
            pass(&AlterTableCmd::DropNotNull("c".into()))
                < pass(&AlterTableCmd::SetNotNull("c".into()))
        );
    }
}
