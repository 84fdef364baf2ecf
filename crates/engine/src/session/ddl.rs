//! CREATE TABLE and DROP TABLE: catalog rows written in the session's transaction (so a
//! rollback leaves no trace), the relation file created with a WAL record ahead of it and
//! removed if the transaction aborts; a dropped relation's file is removed after the
//! commit (PostgreSQL's `heap_create_with_catalog`, `RemoveRelations`).

use tusk_access::{HeapRelation, HEAP_DEFAULT_FILLFACTOR};
use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope, ScopeColumn};
use tusk_sql::ast::Expr;
use tusk_sql::ast_ddl::{CreateTableStmt, DropKind, DropStmt, TableConstraint};
use tusk_types::{pg_err, Datum, Error, ItemPointer, Oid, Result};

use super::lookup::SessionLookup;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::heap::{HeapWriter, WriteOutcome};
use crate::relcache::{catalog_attrs, catalog_locator};
use crate::sink::{NoticeSeverity, Sink};

/// PostgreSQL's `MaxHeapAttributeNumber`.
const MAX_HEAP_ATTRIBUTE_NUMBER: usize = 1600;

fn not_supported(message: impl Into<String>) -> Error {
    Error::new(tusk_types::SqlState::FEATURE_NOT_SUPPORTED, message.into())
}

/// 42701 `column name "xmin" conflicts with a system column name`.
/// `error`, or with `missing_ok` (IF EXISTS) a NOTICE of its message with
/// `, skipping` appended and success, as PostgreSQL reports a skipped object.
pub(crate) fn error_or_skip(sink: &mut dyn Sink, missing_ok: bool, error: Error) -> Result<()> {
    if !missing_ok {
        return Err(error);
    }
    sink.notice(
        NoticeSeverity::Notice,
        &pg_err!(SUCCESSFUL_COMPLETION, "{}, skipping", error.message),
    );
    Ok(())
}

pub(crate) fn system_column_conflict(name: &str) -> Error {
    pg_err!(
        DUPLICATE_COLUMN,
        "column name \"{}\" conflicts with a system column name",
        name
    )
}

/// A column of a table being created.
pub(super) struct NewColumn {
    pub(super) name: String,
    pub(super) type_oid: Oid,
    pub(super) typmod: i32,
    pub(super) not_null: bool,
    pub(super) default: Option<String>,
    pub(super) identity: Option<u8>,
    pub(super) identity_options: Box<tusk_sql::ast_ddl::SequenceOptions>,
    pub(super) serial: bool,
    /// A stored generated column (`attgenerated = 's'`): `default` holds its expression.
    pub(super) generated: bool,
    /// The generation expression written for this column, analysed once every column
    /// is known (its text then goes to `default`).
    pub(super) generation: Option<(Expr, String)>,
    /// `COLLATE` written for the column (`None`: the type's collation).
    pub(super) collation: Option<Oid>,
}

fn first_column(expr: &Expr, columns: &[NewColumn]) -> Option<String> {
    // The first column the expression mentions, for PostgreSQL's constraint names.
    let text = format!("{expr:?}");
    columns
        .iter()
        .filter_map(|c| {
            text.find(&format!("\"{}\"", c.name))
                .map(|at| (at, c.name.clone()))
        })
        .min()
        .map(|(_, n)| n)
}

impl Session {
    pub(crate) fn read_only_check(&self, command: &str) -> Result<()> {
        if self.config.get_string("transaction_read_only") == "on" {
            return Err(pg_err!(
                READ_ONLY_SQL_TRANSACTION,
                "cannot execute {} in a read-only transaction",
                command
            ));
        }
        Ok(())
    }

    /// Inserts a catalog row with the transaction's xid.
    pub(crate) fn insert_catalog_row(&mut self, row: CatalogRow) -> Result<()> {
        let row = self.apply_default_acl(row)?;
        let cluster = self.db.cluster.clone();
        let services = &cluster.xact;
        let xid = self.txn.writing_xid(services)?;
        let own = self.txn.current_xids(services);
        let catalog = row.catalog();
        let heap = HeapRelation::new(
            cluster.pool.clone(),
            catalog_locator(self.db_oid, catalog),
            HEAP_DEFAULT_FILLFACTOR,
        );
        let check = || Ok(());
        let writer = HeapWriter {
            pool: &cluster.pool,
            checkpointer: &cluster.checkpointer,
            services,
            xid,
            cid: self.txn.cid,
            own_xids: &own,
            isolation: self.txn.isolation,
            backend: self.txn.backend,
            deadlock_timeout: std::time::Duration::from_secs(1),
            check_interrupts: &check,
        };
        let values = row.into_values();
        writer.insert(&heap, &catalog_attrs(catalog), &values)?;
        self.txn.catalog_changed();
        // Own catalog changes invalidate what this backend cached (others never saw them).
        self.relcache.borrow_mut().invalidate_catalog(catalog.oid);
        if self.creating_extension.is_some() {
            self.record_extension_member(catalog.oid, &values)?;
        }
        Ok(())
    }

    /// Deletes the catalog rows of `catalog_oid` that `matches` selects.
    pub(crate) fn delete_catalog_rows(
        &mut self,
        catalog_oid: Oid,
        matches: impl Fn(&[Datum]) -> bool,
    ) -> Result<usize> {
        let cluster = self.db.cluster.clone();
        let catalog = syscat::system_catalog(catalog_oid).expect("system catalogs are fixed");
        let targets: Vec<ItemPointer> = {
            let reader = self.catalog_reader();
            reader
                .scan(catalog)?
                .into_iter()
                .filter(|(_, r)| matches(r))
                .map(|(tid, _)| tid)
                .collect()
        };
        if targets.is_empty() {
            return Ok(0);
        }
        let services = &cluster.xact;
        let xid = self.txn.writing_xid(services)?;
        let own = self.txn.current_xids(services);
        let heap = HeapRelation::new(
            cluster.pool.clone(),
            catalog_locator(self.db_oid, catalog),
            HEAP_DEFAULT_FILLFACTOR,
        );
        let signals = self.signals.clone();
        let deadline = self.statement_deadline;
        let check = move || super::interrupts::check_signals(&signals, deadline);
        let writer = HeapWriter {
            pool: &cluster.pool,
            checkpointer: &cluster.checkpointer,
            services,
            xid,
            cid: self.txn.cid,
            own_xids: &own,
            isolation: self.txn.isolation,
            backend: self.txn.backend,
            deadlock_timeout: std::time::Duration::from_secs(1),
            check_interrupts: &check,
        };
        let pids = |b: u32| b as i32;
        for tid in &targets {
            if let WriteOutcome::Done(_) = writer.delete(&heap, *tid, &pids)? {
                continue;
            }
            return Err(Error::internal("tuple concurrently updated"));
        }
        self.txn.catalog_changed();
        // Own catalog changes invalidate what this backend cached (others never saw them).
        self.relcache.borrow_mut().invalidate_catalog(catalog.oid);
        Ok(targets.len())
    }

    /// The `pg_attribute` rows of `rel`'s system columns (attnum -1 .. -6), as PostgreSQL
    /// writes them for every relation with storage.
    ///
    /// Errors: catalog write errors.
    pub(crate) fn insert_system_attribute_rows(&mut self, rel: Oid) -> Result<()> {
        for c in &tusk_sql::analyze::system_columns::SYSTEM_COLUMNS {
            self.insert_catalog_row(attribute_row(rel, c.attnum, c.name, c.type_oid, -1, true))?;
        }
        Ok(())
    }

    /// `CREATE TABLE`.
    ///
    /// Errors: 42P07, 42701, 42704, 42804, 3F000, 25006, 0A000 for what tusk lacks (see
    /// the checks below), with PostgreSQL's messages.
    pub(crate) fn create_table(
        &mut self,
        stmt: &CreateTableStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let position = |e: Error, location: usize| {
            if location == usize::MAX {
                e
            } else {
                e.position(tusk_sql::char_position(sql, location))
            }
        };
        self.read_only_check("CREATE TABLE")?;
        if let Some((what, location)) = &stmt.unsupported {
            return Err(position(
                not_supported(format!("{what} is not supported yet")),
                *location,
            ));
        }
        let rv = &stmt.relation;
        let temp = self.is_temp_creation(stmt.persistence, rv)?;
        let persistence = if temp { b't' } else { stmt.persistence };
        if !temp && stmt.on_commit != tusk_sql::ast_ddl::OnCommit::Unspecified {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "ON COMMIT can only be used on temporary tables"
            ));
        }
        // Creations in one schema take turns (there is no unique index on relation names
        // to arbitrate between concurrent transactions).
        let ns = if temp {
            self.temp_creation_namespace()?
        } else {
            self.checked_creation_namespace(rv.schema.as_deref())
                .map_err(|e| position(e, rv.location))?
        };
        self.lock_relation(ns.0, crate::lock::LockMode::AccessExclusive)?;
        let (namespace, namespace_name) = {
            let reader = self.catalog_reader();
            if let Some(existing) = reader.relation_oid(ns.0, &rv.name)? {
                let _ = existing;
                let err = pg_err!(DUPLICATE_TABLE, "relation \"{}\" already exists", rv.name);
                if stmt.if_not_exists {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            DUPLICATE_TABLE,
                            "relation \"{}\" already exists, skipping",
                            rv.name
                        ),
                    );
                    return Ok("CREATE TABLE".into());
                }
                return Err(err);
            }
            ns
        };
        if namespace == syscat::PG_CATALOG_NAMESPACE || namespace == syscat::PG_TOAST_NAMESPACE {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to create \"{}.{}\"",
                namespace_name,
                rv.name
            )
            .detail("System catalog modifications are currently disallowed."));
        }
        Self::check_partitioning_clauses(stmt)?;
        if stmt.columns.len() > MAX_HEAP_ATTRIBUTE_NUMBER {
            return Err(pg_err!(
                TOO_MANY_COLUMNS,
                "tables can have at most {} columns",
                MAX_HEAP_ATTRIBUTE_NUMBER
            ));
        }
        let (heap_options, toast_options) = super::alter_options::table_reloptions(&stmt.options)?;
        let inherited = match &stmt.partition.of {
            Some(of) => Some(self.inherited_definition(
                std::slice::from_ref(&of.parent),
                persistence,
                true,
                sink,
            )?),
            None if stmt.inherits.is_empty() => None,
            None => Some(self.inherited_definition(&stmt.inherits, persistence, false, sink)?),
        };
        // Per column: (attinhcount, attislocal).
        let mut inheritance_marks: Vec<(i32, bool)> = Vec::new();
        let mut likes = stmt
            .like
            .iter()
            .map(|l| Ok((l.position, self.table_like_definition(l, sql)?)))
            .collect::<Result<Vec<_>>>()?;
        // Columns: names, types, defaults.
        let mut columns: Vec<NewColumn> = Vec::with_capacity(stmt.columns.len());
        {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
            for (index, c) in stmt.columns.iter().enumerate() {
                super::table_like::take_like_columns(&mut likes, index, &mut columns)?;
                if tusk_sql::analyze::system_columns::system_column(&c.name).is_some() {
                    return Err(system_column_conflict(&c.name));
                }
                if columns.iter().any(|x| x.name == c.name) {
                    return Err(pg_err!(
                        DUPLICATE_COLUMN,
                        "column \"{}\" specified more than once",
                        c.name
                    ));
                }
                let type_name = c.type_name.names.last().cloned().unwrap_or_default();
                let serial = match (c.type_name.names.len(), type_name.as_str()) {
                    (1, "serial" | "serial4") => Some(tusk_types::type_oid::INT4),
                    (1, "bigserial" | "serial8") => Some(tusk_types::type_oid::INT8),
                    (1, "smallserial" | "serial2") => Some(tusk_types::type_oid::INT2),
                    _ => None,
                };
                // `c WITH OPTIONS` of a partition: the parent's column, with options.
                let from_parent = if c.with_options {
                    let found = inherited
                        .as_ref()
                        .and_then(|d| d.columns.iter().find(|x| x.name == c.name));
                    match found {
                        Some(x) => Some((x.type_oid, x.typmod)),
                        None => {
                            return Err(pg_err!(
                                UNDEFINED_COLUMN,
                                "column \"{}\" does not exist",
                                c.name
                            ))
                        }
                    }
                } else {
                    None
                };
                let (type_oid, typmod) = match (from_parent, serial) {
                    (Some(t), _) => t,
                    (None, Some(t)) => {
                        if c.default.is_some() {
                            return Err(pg_err!(
                                SYNTAX_ERROR,
                                "multiple default values specified for column \"{}\" of table \"{}\"",
                                c.name,
                                rv.name
                            ));
                        }
                        (t, -1)
                    }
                    (None, None) => analyzer.resolve_type_name(&c.type_name)?,
                };
                let physical = crate::user_types::physical_type(&self.catalog_reader(), type_oid)?;
                if !super::composite_ddl::column_type_is_storable(type_oid, physical) {
                    return Err(position(
                        not_supported(format!(
                            "columns of type {} are not supported yet",
                            self.format_type(type_oid)
                        )),
                        c.type_name.location,
                    ));
                }
                if c.generated.is_some() && stmt.partition.of.is_some() {
                    return Err(not_supported(
                        "generated columns are not supported on partitions",
                    ));
                }
                if c.identity.is_some() {
                    if c.default.is_some() || serial.is_some() {
                        return Err(pg_err!(
                            SYNTAX_ERROR,
                            "both default and identity specified for column \"{}\" of table \"{}\"",
                            c.name,
                            rv.name
                        ));
                    }
                    if !matches!(
                        type_oid,
                        tusk_types::type_oid::INT2
                            | tusk_types::type_oid::INT4
                            | tusk_types::type_oid::INT8
                    ) {
                        return Err(pg_err!(
                            INVALID_PARAMETER_VALUE,
                            "identity column type must be smallint, integer, or bigint"
                        ));
                    }
                }
                let default = match &c.default {
                    Some((expr, text)) => {
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
                                if e.code == tusk_types::SqlState::DATATYPE_MISMATCH
                                    || e.code == tusk_types::SqlState::CANNOT_COERCE
                                {
                                    position(
                                        pg_err!(
                                            DATATYPE_MISMATCH,
                                            "column \"{}\" is of type {} but default expression is of type {}",
                                            c.name,
                                            self.format_type(type_oid),
                                            self.format_type(found)
                                        )
                                        .hint("You will need to rewrite or cast the expression."),
                                        expr.location(),
                                    )
                                } else {
                                    e
                                }
                            })?;
                        Some(text.clone())
                    }
                    None => None,
                };
                columns.push(NewColumn {
                    name: c.name.clone(),
                    type_oid,
                    typmod,
                    not_null: c.not_null || serial.is_some(),
                    default,
                    identity: c.identity,
                    identity_options: c.identity_options.clone(),
                    serial: serial.is_some(),
                    generated: c.generated.is_some(),
                    generation: c.generated.as_ref().map(|g| (g.0.clone(), g.1.clone())),
                    collation: c
                        .collation
                        .as_ref()
                        .map(|(names, at)| {
                            self.column_collation(names, type_oid)
                                .map_err(|e| position(e, *at))
                        })
                        .transpose()?,
                });
            }
            super::table_like::take_like_columns(&mut likes, stmt.columns.len(), &mut columns)?;
            if let Some(definition) = &inherited {
                let local = std::mem::take(&mut columns);
                (columns, inheritance_marks) = self.merge_inherited_columns(
                    definition,
                    local,
                    stmt.partition.of.is_some(),
                    sink,
                )?;
            }
            let scope = Scope::single(
                Some(rv.name.clone()),
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ScopeColumn::slot(c.name.clone(), i, c.type_oid, c.typmod))
                    .collect(),
            );
            let mut has_primary = false;
            for constraint in &stmt.constraints {
                match constraint {
                    TableConstraint::Check { expr, .. } => {
                        let typed = analyzer.analyze_expr(expr, &scope)?;
                        analyzer.coerce_to_boolean(typed, "CHECK", expr.location())?;
                    }
                    TableConstraint::ForeignKey(_) => {}
                    TableConstraint::Unique {
                        primary,
                        columns: keys,
                        ..
                    } => {
                        for key in keys {
                            let Some(column) = columns.iter_mut().find(|c| c.name == *key) else {
                                return Err(pg_err!(
                                    UNDEFINED_COLUMN,
                                    "column \"{}\" named in key does not exist",
                                    key
                                ));
                            };
                            if *primary {
                                column.not_null = true;
                            }
                        }
                        if *primary {
                            if has_primary {
                                return Err(pg_err!(
                                    INVALID_TABLE_DEFINITION,
                                    "multiple primary keys for table \"{}\" are not allowed",
                                    rv.name
                                ));
                            }
                            has_primary = true;
                        }
                    }
                }
            }
        }
        // Constraint names: given, or PostgreSQL's <table>_<column>_check with a number
        // appended on collision.
        let mut checks: Vec<(String, String)> = inherited
            .iter()
            .flat_map(|d| d.checks.iter().map(|c| (c.name.clone(), c.expr.clone())))
            .collect();
        let inherited_checks = checks.len();
        // Inherited CHECK constraints a LIKE clause also defines (conislocal).
        let mut merged_checks: Vec<usize> = Vec::new();
        for (_, like) in &likes {
            for (name, text) in &like.checks {
                match checks.iter().position(|(x, _)| x == name) {
                    Some(i) if i < inherited_checks && checks[i].1 == *text => {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(
                                SUCCESSFUL_COMPLETION,
                                "merging constraint \"{}\" with inherited definition",
                                name
                            ),
                        );
                        merged_checks.push(i);
                    }
                    Some(_) => {
                        return Err(pg_err!(
                            DUPLICATE_OBJECT,
                            "constraint \"{}\" for relation \"{}\" already exists",
                            name,
                            rv.name
                        ))
                    }
                    None => checks.push((name.clone(), text.clone())),
                }
            }
        }
        for constraint in &stmt.constraints {
            if let TableConstraint::Check {
                name,
                expr,
                sql: text,
                column,
                ..
            } = constraint
            {
                let name = match name {
                    Some(n) => {
                        // The same constraint as an inherited one merges with it.
                        let inherited_same = checks
                            .iter()
                            .position(|(x, t)| x == n && t == text)
                            .filter(|&i| i < inherited_checks && !merged_checks.contains(&i));
                        if let Some(i) = inherited_same {
                            sink.notice(
                                NoticeSeverity::Notice,
                                &pg_err!(
                                    SUCCESSFUL_COMPLETION,
                                    "merging constraint \"{}\" with inherited definition",
                                    n
                                ),
                            );
                            merged_checks.push(i);
                            continue;
                        }
                        if checks.iter().any(|(x, _)| x == n) {
                            return Err(pg_err!(
                                DUPLICATE_OBJECT,
                                "constraint \"{}\" for relation \"{}\" already exists",
                                n,
                                rv.name
                            ));
                        }
                        n.clone()
                    }
                    None => {
                        let col = column.clone().or_else(|| first_column(expr, &columns));
                        let base = match col {
                            Some(c) => format!("{}_{}_check", rv.name, c),
                            None => format!("{}_check", rv.name),
                        };
                        let mut candidate = base.clone();
                        let mut n = 0;
                        while checks.iter().any(|(x, _)| *x == candidate) {
                            n += 1;
                            candidate = format!("{base}{n}");
                        }
                        candidate
                    }
                };
                checks.push((name, text.clone()));
            }
        }
        let partitioning = self.prepare_partitioning(stmt, &columns, sql)?;
        // Catalog rows and the file.
        let cluster = self.db.cluster.clone();
        let rel_oid = cluster.xact.oids.next_oid(&cluster.wal);
        // CREATE FOREIGN TABLE: relkind `f`, no access method and no storage.
        let foreign = self.creating_foreign_table;
        let relkind = if foreign { b'f' } else { partitioning.relkind };
        let rowtype = if super::rowtype::has_rowtype(relkind) {
            Some(self.allocate_rowtype(namespace, &rv.name)?)
        } else {
            None
        };
        for (i, column) in columns.iter_mut().enumerate() {
            if !column.serial && column.identity.is_none() {
                continue;
            }
            let (seq_namespace, name) = self.column_sequence_name(
                namespace,
                &rv.name,
                &column.name,
                &column.identity_options,
            )?;
            let params =
                super::sequence_ddl::sequence_params(&column.identity_options, column.type_oid)?;
            // An identity's sequence is part of its column (deptype `i`); a serial's is
            // only owned by it (`a`).
            let deptype = if column.identity.is_some() {
                b'i'
            } else {
                b'a'
            };
            self.define_sequence(
                seq_namespace,
                &name,
                &params,
                column.type_oid,
                Some((rel_oid, i as i16 + 1, deptype)),
            )?;
            if column.identity.is_some() {
                // The value comes from the sequence without a stored default.
                continue;
            }
            let qualified = if namespace == syscat::PUBLIC_NAMESPACE || temp {
                name.clone()
            } else {
                format!("{namespace_name}.{name}")
            };
            column.default = Some(format!(
                "nextval('{}'::regclass)",
                qualified.replace('\'', "''")
            ));
        }
        let owner = self.current_user_oid()?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(rel_oid.0))
                .set("relname", Datum::Text(rv.name.clone()))
                .set("relnamespace", Datum::Oid(namespace.0))
                .set("reltype", Datum::Oid(rowtype.map_or(0, |(t, _)| t.0)))
                .set("relowner", Datum::Oid(owner.0))
                .set(
                    "relam",
                    // A partitioned table has no storage, so no access method.
                    Datum::Oid(if partitioning.relkind == b'p' || foreign {
                        0
                    } else {
                        syscat::HEAP_TABLE_AM.0
                    }),
                )
                .set(
                    "relfilenode",
                    Datum::Oid(if foreign { 0 } else { rel_oid.0 }),
                )
                .set("reltuples", Datum::Float4(-1.0))
                .set(
                    "relpersistence",
                    Datum::Text((persistence as char).to_string()),
                )
                .set("relkind", Datum::Text((relkind as char).to_string()))
                .set("relispartition", Datum::Bool(partitioning.bound.is_some()))
                .set(
                    "relpartbound",
                    partitioning.bound.clone().map_or(Datum::Null, Datum::Text),
                )
                .set("relnatts", Datum::Int2(columns.len() as i16))
                .set("relchecks", Datum::Int2(checks.len() as i16))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("d".into()))
                .set(
                    "relfrozenxid",
                    Datum::Oid(self.txn.top_xid().map_or(0, |x| x.0)),
                )
                .set("relminmxid", Datum::Oid(1)),
        )?;
        for (i, c) in columns.iter().enumerate() {
            let row = attribute_row(
                rel_oid,
                i as i16 + 1,
                &c.name,
                c.type_oid,
                c.typmod,
                c.not_null,
            )
            .set("atthasdef", Datum::Bool(c.default.is_some() || c.generated))
            .set(
                "attinhcount",
                Datum::Int4(inheritance_marks.get(i).map_or(0, |m| m.0)),
            )
            .set(
                "attislocal",
                Datum::Bool(inheritance_marks.get(i).is_none_or(|m| m.1)),
            )
            .set(
                "attidentity",
                Datum::Text(
                    c.identity
                        .map(|b| (b as char).to_string())
                        .unwrap_or_default(),
                ),
            )
            .set(
                "attgenerated",
                Datum::Text(if c.generated { "s" } else { "" }.into()),
            );
            let row = match c.collation {
                Some(collation) => row.set("attcollation", Datum::Oid(collation.0)),
                None => row,
            };
            self.insert_catalog_row(row)?;
        }
        self.insert_system_attribute_rows(rel_oid)?;
        if let Some(rowtype) = rowtype {
            self.insert_relation_rowtype(rel_oid, rowtype, namespace, &rv.name, owner)?;
        }
        // Generation expressions are analysed once the table exists, as PostgreSQL cooks
        // them after creating the relation (so `'t'::regclass` names it).
        if columns.iter().any(|c| c.generation.is_some()) {
            self.txn.command_counter_increment();
            let generation_columns: Vec<tusk_sql::analyze::GenerationColumn> = columns
                .iter()
                .map(|c| tusk_sql::analyze::GenerationColumn {
                    name: c.name.clone(),
                    type_oid: c.type_oid,
                    typmod: c.typmod,
                    generated: c.generated,
                })
                .collect();
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
            for (i, column) in columns.iter_mut().enumerate() {
                if let Some((raw, raw_text)) = column.generation.take() {
                    let (_, text) = super::generated_ddl::generation_expression(
                        &mut analyzer,
                        &reader,
                        (&raw, &raw_text),
                        &rv.name,
                        &generation_columns,
                        &generation_columns[i],
                        rel_oid,
                    )?;
                    column.default = Some(text);
                }
            }
        }
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        for (i, c) in columns.iter().enumerate() {
            if let Some(text) = &c.default {
                let oid = cluster.xact.oids.next_oid(&cluster.wal);
                self.insert_catalog_row(
                    CatalogRow::new(attrdef)
                        .set("oid", Datum::Oid(oid.0))
                        .set("adrelid", Datum::Oid(rel_oid.0))
                        .set("adnum", Datum::Int2(i as i16 + 1))
                        .set("adbin", Datum::Text(text.clone())),
                )?;
            }
        }
        for (i, (name, text)) in checks.iter().enumerate() {
            let oid = cluster.xact.oids.next_oid(&cluster.wal);
            let is_inherited = i < inherited_checks;
            self.insert_catalog_row(
                super::constraint_ddl::check_constraint_row(oid, name, namespace, text)
                    .set("conrelid", Datum::Oid(rel_oid.0))
                    .set(
                        "conislocal",
                        Datum::Bool(!is_inherited || merged_checks.contains(&i)),
                    )
                    .set("coninhcount", Datum::Int4(i32::from(is_inherited))),
            )?;
        }
        if let Some(definition) = &inherited {
            let parents: Vec<Oid> = definition.parents.iter().map(|p| p.info.oid).collect();
            self.insert_inheritance_rows(rel_oid, &parents)?;
        }
        self.finish_partitioning(rel_oid, &partitioning, &columns)?;
        if !foreign {
            self.create_relation_file(rel_oid)?;
        }
        self.txn.command_counter_increment();
        if !foreign {
            self.ensure_toast_table(rel_oid)?;
            self.store_table_reloptions(rel_oid, heap_options, toast_options)?;
        }
        if let Some(parent) = inherited.as_ref().filter(|_| partitioning.bound.is_some()) {
            self.copy_parent_indexes(parent.parents[0].info.oid, rel_oid)?;
        }
        if temp {
            self.register_on_commit(rel_oid, stmt.on_commit);
        }
        // PRIMARY KEY first, then UNIQUE constraints, as PostgreSQL's transformIndexConstraints.
        #[allow(clippy::type_complexity)]
        let mut keys: Vec<(
            &Option<String>,
            &Vec<String>,
            bool,
            &[(String, Option<String>)],
        )> = stmt
            .constraints
            .iter()
            .filter_map(|c| match c {
                TableConstraint::Unique {
                    name,
                    columns,
                    primary,
                    options,
                    ..
                } => Some((name, columns, *primary, options.as_slice())),
                TableConstraint::Check { .. } | TableConstraint::ForeignKey(_) => None,
            })
            .collect();
        keys.sort_by_key(|k| !k.2);
        let mut taken: Vec<String> = checks.iter().map(|(n, _)| n.clone()).collect();
        if !keys.is_empty() {
            let entry = self
                .catalog_reader()
                .entry(rel_oid)?
                .ok_or_else(|| Error::internal("new table not visible"))?;
            for (name, columns, primary, options) in keys {
                self.add_index_constraint(
                    &entry,
                    super::constraint_ddl::IndexConstraint {
                        name: name.as_deref(),
                        columns,
                        primary,
                        recurse: true,
                        options,
                    },
                    &mut taken,
                )?;
            }
        }
        // LIKE's keys and indexes, after the table's own (PostgreSQL's
        // expandTableLikeClause runs after the table is made).
        if !likes.is_empty() {
            let relation = tusk_sql::ast::RangeVar {
                schema: Some(namespace_name.clone()),
                ..rv.clone()
            };
            for (_, like) in likes {
                self.apply_like_definition(rel_oid, &relation, like, &mut taken, sink)?;
            }
        }
        // FOREIGN KEY constraints last: they may reference the keys just made.
        for constraint in &stmt.constraints {
            if let TableConstraint::ForeignKey(def) = constraint {
                let entry = self
                    .catalog_reader()
                    .entry(rel_oid)?
                    .ok_or_else(|| Error::internal("new table not visible"))?;
                self.add_foreign_key(&entry, def, &mut taken, false)?;
            }
        }
        Ok("CREATE TABLE".into())
    }

    /// `DROP TABLE`.
    ///
    /// Errors: 42P01 `table "x" does not exist`, 42809 for a relation of another kind,
    /// 42501 for system catalogs, 25006; 0A000 for other object kinds.
    pub(crate) fn drop_statement(
        &mut self,
        stmt: &DropStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if stmt.kind == DropKind::Index {
            return self.drop_index(stmt, sink);
        }
        if matches!(stmt.kind, DropKind::View | DropKind::MaterializedView) {
            return self.drop_views(stmt, sink);
        }
        if stmt.kind == DropKind::Schema {
            return self.drop_schemas(stmt, sink);
        }
        if matches!(stmt.kind, DropKind::Type | DropKind::Domain) {
            return self.drop_types(stmt, sink);
        }
        if !matches!(
            stmt.kind,
            DropKind::Table | DropKind::Sequence | DropKind::ForeignTable
        ) {
            return Err(not_supported(format!("{} is not supported yet", stmt.tag)));
        }
        self.read_only_check(&stmt.tag)?;
        let (kind, kind_name, hint) = match stmt.kind {
            DropKind::Sequence => (b'S', "sequence", "Use DROP SEQUENCE to remove a sequence."),
            DropKind::ForeignTable => (
                b'f',
                "foreign table",
                "Use DROP FOREIGN TABLE to remove a foreign table.",
            ),
            _ => (b'r', "table", "Use DROP TABLE to remove a table."),
        };
        // The relations named, resolved before any is dropped: one that goes with an
        // earlier one (a partition of a partitioned table named before it) is skipped,
        // as PostgreSQL deletes all of them together.
        let mut named = Vec::with_capacity(stmt.objects.len());
        for rv in &stmt.objects {
            named.push(
                self.catalog_reader()
                    .resolve(rv.schema.as_deref(), &rv.name)?,
            );
        }
        let dropping_together: Vec<Oid> = named.iter().flatten().copied().collect();
        for (rv, named) in stmt.objects.iter().zip(named) {
            let resolved = self
                .catalog_reader()
                .resolve(rv.schema.as_deref(), &rv.name)?;
            if let Some(oid) = resolved {
                self.lock_relation(oid, crate::lock::LockMode::AccessExclusive)?;
            }
            // Read again after the lock: a concurrent DROP may have committed meanwhile.
            let found = {
                let reader = self.catalog_reader();
                match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                    Some(oid) => reader.entry(oid)?,
                    None => None,
                }
            };
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let Some(entry) = found else {
                if named.is_some() {
                    continue;
                }
                if stmt.missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "{} \"{}\" does not exist, skipping",
                            kind_name,
                            shown
                        ),
                    );
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_TABLE,
                    "{} \"{}\" does not exist",
                    kind_name,
                    shown
                ));
            };
            let rel = entry.info.oid;
            if rel.0 < syscat::FIRST_NORMAL_OBJECT_ID {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied: \"{}\" is a system catalog",
                    entry.info.name
                ));
            }
            // A partitioned table is a table to DROP TABLE.
            let partitioned = kind == b'r' && entry.info.kind == b'p';
            if entry.info.kind != kind && !partitioned {
                let other_hint = match entry.info.kind {
                    b'S' => "Use DROP SEQUENCE to remove a sequence.",
                    b'v' => "Use DROP VIEW to remove a view.",
                    b'i' | b'I' => "Use DROP INDEX to remove an index.",
                    b'm' => "Use DROP MATERIALIZED VIEW to remove a materialized view.",
                    b'f' => "Use DROP FOREIGN TABLE to remove a foreign table.",
                    _ => hint,
                };
                return Err(
                    pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not a {}", shown, kind_name)
                        .hint(other_hint),
                );
            }
            self.check_relation_owner(rel)?;
            if kind == b'S' {
                if let Some((table, column, true)) = self.sequence_owner(rel)? {
                    return Err(pg_err!(
                        DEPENDENT_OBJECTS_STILL_EXIST,
                        "cannot drop sequence {} because column {column} of table {table} requires it",
                        entry.info.name
                    )
                    .hint(format!("You can drop column {column} of table {table} instead.")));
                }
            }
            if kind == b'S' {
                self.drop_sequence_defaults(rel, &entry.info.name, stmt.cascade, sink)?;
            }
            if partitioned {
                // Its partitions go with it, without CASCADE, as in PostgreSQL.
                self.drop_partitions(rel, stmt.cascade, sink)?;
            }
            let description = self.relation_description(&entry)?;
            let mut dependents =
                self.dependent_objects(&super::dependency::DropRoot::Relation(rel))?;
            // Relations the statement names itself do not hold this one back.
            dependents.retain(|d| {
                !(d.kind == super::dependency::DependentKind::Relation
                    && dropping_together.contains(&d.rel))
            });
            self.drop_dependents(&description, dependents, stmt.cascade, sink)?;
            let owned = if kind == b'r' || kind == b'f' {
                self.owned_sequences(rel)?
            } else {
                Vec::new()
            };
            if kind == b'r' {
                let mut dropping = Vec::new();
                for other in &stmt.objects {
                    if let Some(oid) = self
                        .catalog_reader()
                        .resolve(other.schema.as_deref(), &other.name)?
                    {
                        dropping.push(oid);
                    }
                }
                self.drop_foreign_keys_referencing(
                    rel,
                    &entry.info.name,
                    &dropping,
                    stmt.cascade,
                    sink,
                )?;
                for index in self.table_indexes(&entry)? {
                    self.remove_index_catalog(index.oid)?;
                }
            }
            for seq in owned {
                self.remove_relation_catalog(seq)?;
            }
            self.remove_relation_catalog(rel)?;
        }
        Ok(stmt.tag.clone())
    }

    /// Deletes every catalog row of relation `rel` and schedules its files' removal at
    /// commit.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_relation_catalog(&mut self, rel: Oid) -> Result<()> {
        let Some(entry) = self.catalog_reader().entry(rel)? else {
            return Ok(());
        };
        self.remove_toast_table(rel)?;
        // A relation's row type, or the type of a composite type's relation.
        if super::rowtype::has_rowtype(entry.info.kind) || entry.info.kind == b'c' {
            self.remove_relation_rowtype(rel)?;
        }
        let oid_is = |col: usize| move |r: &[Datum]| r[col] == Datum::Oid(rel.0);
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.delete_catalog_rows(syscat::PG_CLASS, oid_is(class.col("oid")))?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        self.delete_catalog_rows(syscat::PG_ATTRIBUTE, oid_is(attribute.col("attrelid")))?;
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        self.delete_catalog_rows(syscat::PG_ATTRDEF, oid_is(attrdef.col("adrelid")))?;
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        self.delete_catalog_rows(syscat::PG_CONSTRAINT, oid_is(constraint.col("conrelid")))?;
        self.remove_relation_triggers(rel)?;
        self.remove_relation_policies(rel)?;
        self.remove_relation_publications(rel)?;
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        self.delete_catalog_rows(sequence.oid, oid_is(sequence.col("seqrelid")))?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (d_obj, d_ref) = (depend.col("objid"), depend.col("refobjid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
            r[d_obj] == Datum::Oid(rel.0) || r[d_ref] == Datum::Oid(rel.0)
        })?;
        self.delete_comments(rel, syscat::PG_CLASS, None)?;
        self.remove_inheritance_rows(rel)?;
        self.remove_partitioned_table_row(rel)?;
        self.remove_foreign_table_row(rel)?;
        if !matches!(entry.info.kind, b'v' | b'f') {
            // Views and foreign tables have no storage.
            self.txn.dropped_relation(entry.locator);
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Relations depending automatically or internally on columns of `table`
    /// (`pg_depend` deptype `a` or `i`): its owned and identity sequences, and its indexes
    /// (removed before these).
    pub(crate) fn owned_sequences(&self, table: Oid) -> Result<Vec<Oid>> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        Ok(self
            .catalog_reader()
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[c("refobjid")] == Datum::Oid(table.0)
                    && r[c("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                    && matches!(&r[c("deptype")], Datum::Text(t) if t == "a" || t == "i")
            })
            .filter_map(|(_, r)| match r[c("objid")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            })
            .collect())
    }

    /// The (table, column) names owning sequence `seq`, if any, and whether it is the
    /// column's identity sequence (deptype `i`) rather than a serial's (`a`).
    fn sequence_owner(&self, seq: Oid) -> Result<Option<(String, String, bool)>> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        let reader = self.catalog_reader();
        let found = reader.scan(depend)?.into_iter().find(|(_, r)| {
            r[c("objid")] == Datum::Oid(seq.0)
                && matches!(&r[c("deptype")], Datum::Text(t) if t == "a" || t == "i")
        });
        let Some((_, row)) = found else {
            return Ok(None);
        };
        let (Datum::Oid(table), Datum::Int4(attnum)) =
            (&row[c("refobjid")], &row[c("refobjsubid")])
        else {
            return Ok(None);
        };
        let Some(entry) = reader.entry(Oid(*table))? else {
            return Ok(None);
        };
        let column = entry
            .info
            .columns
            .get((*attnum - 1).max(0) as usize)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let identity = row[c("deptype")] == Datum::Text("i".into());
        Ok(Some((entry.info.name.clone(), column, identity)))
    }
}
