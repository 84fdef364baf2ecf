//! User triggers in the catalog: `CREATE [OR REPLACE] TRIGGER`, `DROP TRIGGER`,
//! `ALTER TRIGGER ... RENAME TO` and ALTER TABLE's `ENABLE | DISABLE TRIGGER` write
//! `pg_trigger` rows as PostgreSQL 15 does (`tgtype` bits, `tgargs` as NUL-ended strings,
//! `tgattr` as an `int2vector`), with `pg_depend` rows on the table (automatic) and the
//! function (normal), and `pg_class.relhastriggers` set (psql lists triggers only then).
//!
//! `tgqual` holds the WHEN condition's SQL text (PostgreSQL's deparser output) rather
//! than PostgreSQL's node tree: firing analyses it again (`tusk_executor::trigger`).
//!
//! Entry points: [`Session::trigger_statement`], [`Session::set_triggers_enabled`],
//! [`Session::remove_relation_triggers`], [`Session::function_trigger_dependents`],
//! [`relation_triggers`].

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_executor::sql_function::FunctionStatement;
use tusk_executor::trigger::{
    RelationTriggers, TriggerDesc, WhenResolver, TRIGGER_TYPE_BEFORE, TRIGGER_TYPE_DELETE,
    TRIGGER_TYPE_INSERT, TRIGGER_TYPE_INSTEAD, TRIGGER_TYPE_ROW, TRIGGER_TYPE_TRUNCATE,
    TRIGGER_TYPE_UPDATE,
};
use tusk_sql::ast_trigger::{
    CreateTriggerStmt, DropTriggerStmt, RenameTriggerStmt, TriggerSelection, TriggerStmt,
    TriggerTiming,
};
use tusk_types::adt::record::{RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::function_catalog;
use super::Session;
use crate::relcache::{CatalogReader, RelEntry};
use crate::sink::{NoticeSeverity, Sink};

/// `pg_trigger`'s OID.
pub(crate) const PG_TRIGGER: Oid = Oid(2620);

fn pg_trigger() -> &'static syscat::SysCatalog {
    syscat::system_catalog(PG_TRIGGER).expect("pg_trigger is a system catalog")
}

/// `tgargs`: each argument followed by a NUL byte.
fn encode_args(args: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for a in args {
        out.extend_from_slice(a.as_bytes());
        out.push(0);
    }
    out
}

fn decode_args(bytes: &[u8], nargs: usize) -> Vec<String> {
    bytes
        .split(|b| *b == 0)
        .take(nargs)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

fn int2vector(values: &[i16]) -> Datum {
    if values.is_empty() {
        return Datum::Array(Box::new(tusk_types::adt::array::Array::empty(
            type_oid::INT2,
        )));
    }
    Datum::Array(Box::new(tusk_types::adt::array::Array {
        elem_type: type_oid::INT2,
        dims: vec![tusk_types::adt::array::ArrayDim {
            len: values.len() as i32,
            lower: 0,
        }],
        elems: values.iter().map(|v| Datum::Int2(*v)).collect(),
    }))
}

fn text_of(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

/// One decoded `pg_trigger` row.
struct TriggerRow {
    oid: Oid,
    rel: Oid,
    desc: TriggerDesc,
    internal: bool,
}

fn trigger_rows(reader: &CatalogReader<'_>, rel: Option<Oid>) -> Result<Vec<TriggerRow>> {
    let cat = pg_trigger();
    let c = |n: &str| cat.col(n);
    let rows = reader.rows(cat)?;
    let selected: Box<dyn Iterator<Item = &Vec<Datum>>> = match rel {
        Some(rel) => Box::new(rows.matching(c("tgrelid"), rel)),
        None => Box::new(rows.iter()),
    };
    let mut out = Vec::new();
    for r in selected {
        let tgrel = oid_of(&r[c("tgrelid")]);
        let nargs = match r[c("tgnargs")] {
            Datum::Int2(n) => n.max(0) as usize,
            _ => 0,
        };
        let args = match &r[c("tgargs")] {
            Datum::Bytea(b) => decode_args(b, nargs),
            _ => Vec::new(),
        };
        let columns = match &r[c("tgattr")] {
            Datum::Array(a) => a
                .elems
                .iter()
                .filter_map(|e| match e {
                    Datum::Int2(n) if *n > 0 => Some(*n as usize - 1),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let when = match &r[c("tgqual")] {
            Datum::Text(t) => Some(t.clone()),
            _ => None,
        };
        out.push(TriggerRow {
            oid: oid_of(&r[c("oid")]),
            rel: tgrel,
            internal: r[c("tgisinternal")] == Datum::Bool(true),
            desc: TriggerDesc {
                oid: oid_of(&r[c("oid")]),
                name: text_of(&r[c("tgname")]),
                tgtype: match r[c("tgtype")] {
                    Datum::Int2(t) => t,
                    _ => 0,
                },
                enabled: text_of(&r[c("tgenabled")]).bytes().next().unwrap_or(b'O'),
                function: oid_of(&r[c("tgfoid")]),
                args,
                columns,
                when,
            },
        });
    }
    out.sort_by(|a, b| a.desc.name.cmp(&b.desc.name));
    Ok(out)
}

/// The user triggers of `rel` in name order, with its row type and schema; `None` when
/// it has none.
///
/// Errors: catalog read errors.
pub(crate) fn relation_triggers(
    reader: &CatalogReader<'_>,
    rel: Oid,
) -> Result<Option<Arc<RelationTriggers>>> {
    let triggers: Vec<TriggerDesc> = trigger_rows(reader, Some(rel))?
        .into_iter()
        .filter(|t| !t.internal)
        .map(|t| t.desc)
        .collect();
    if triggers.is_empty() {
        return Ok(None);
    }
    let class = reader.rows(syscat::system_catalog(syscat::PG_CLASS).expect("pg_class"))?;
    let pg_class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let row = class.first_matching(pg_class.col("oid"), rel);
    // Tables without a row type of their own (`reltype` 0) give anonymous records.
    let row_type = row
        .map(|r| oid_of(&r[pg_class.col("reltype")]))
        .filter(|t| *t != Oid::INVALID)
        .unwrap_or(type_oid::RECORD);
    let namespace = row.map_or(Oid::INVALID, |r| oid_of(&r[pg_class.col("relnamespace")]));
    Ok(Some(Arc::new(RelationTriggers {
        row_type,
        schema: reader.namespace_name(namespace)?.unwrap_or_default(),
        triggers,
    })))
}

/// 42704 `trigger "t" for table "x" does not exist`.
fn missing_trigger(name: &str, table: &str) -> Error {
    pg_err!(
        UNDEFINED_OBJECT,
        "trigger \"{}\" for table \"{}\" does not exist",
        name,
        table
    )
}

/// The type bits of a CREATE TRIGGER.
fn tgtype(stmt: &CreateTriggerStmt) -> i16 {
    let mut t = 0;
    if stmt.for_each_row {
        t |= TRIGGER_TYPE_ROW;
    }
    match stmt.timing {
        TriggerTiming::Before => t |= TRIGGER_TYPE_BEFORE,
        TriggerTiming::InsteadOf => t |= TRIGGER_TYPE_INSTEAD,
        TriggerTiming::After => {}
    }
    for (on, bit) in [
        (stmt.events.insert, TRIGGER_TYPE_INSERT),
        (stmt.events.delete, TRIGGER_TYPE_DELETE),
        (stmt.events.update, TRIGGER_TYPE_UPDATE),
        (stmt.events.truncate, TRIGGER_TYPE_TRUNCATE),
    ] {
        if on {
            t |= bit;
        }
    }
    t
}

/// How the target of a trigger with transition tables inherits (PostgreSQL allows no
/// row-level transition tables below a parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ancestry {
    /// No parent.
    None,
    /// A partition of a partitioned table.
    Partition,
    /// An inheritance child.
    InheritanceChild,
}

/// The checks PostgreSQL's `CreateTrigger` makes on the statement's shape and target.
fn check_shape(stmt: &CreateTriggerStmt, entry: &RelEntry, ancestry: Ancestry) -> Result<()> {
    let name = &entry.info.name;
    match entry.info.kind {
        b'r' | b'p' => {
            if stmt.timing == TriggerTiming::InsteadOf {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a table", name)
                    .detail("Tables cannot have INSTEAD OF triggers."));
            }
            if entry.info.kind == b'p' && stmt.for_each_row && !stmt.transition_tables.is_empty() {
                return Err(
                    pg_err!(FEATURE_NOT_SUPPORTED, "\"{}\" is a partitioned table", name).detail(
                        "ROW triggers with transition tables are not supported on partitioned tables.",
                    ),
                );
            }
        }
        b'v' => {
            if stmt.timing != TriggerTiming::InsteadOf && stmt.for_each_row {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a view", name)
                    .detail("Views cannot have row-level BEFORE or AFTER triggers."));
            }
            if stmt.events.truncate {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a view", name)
                    .detail("Views cannot have TRUNCATE triggers."));
            }
        }
        kind => {
            let what = match kind {
                b'S' => "sequences",
                b'i' | b'I' => "indexes",
                b'm' => "materialized views",
                b'c' => "composite types",
                _ => "this kind of relation",
            };
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "relation \"{}\" cannot have triggers",
                name
            )
            .detail(format!("This operation is not supported for {what}.")));
        }
    }
    if stmt.events.truncate && stmt.for_each_row {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "TRUNCATE FOR EACH ROW triggers are not supported"
        ));
    }
    if stmt.timing == TriggerTiming::InsteadOf {
        if !stmt.for_each_row {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "INSTEAD OF triggers must be FOR EACH ROW"
            ));
        }
        if stmt.when.is_some() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "INSTEAD OF triggers cannot have WHEN conditions"
            ));
        }
        if !stmt.columns.is_empty() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "INSTEAD OF triggers cannot have column lists"
            ));
        }
    }
    check_transition_tables(stmt, entry, ancestry)?;
    if stmt.events.truncate {
        // TRUNCATE does not fire triggers yet: refusing beats never firing.
        return Err(Error::feature_not_supported("TRUNCATE triggers"));
    }
    if entry.info.kind == b'v' {
        // Writes through a view are rewritten onto its base table and never reach the
        // view's own triggers (INSTEAD OF or statement-level) yet: refusing beats never
        // firing.
        return Err(Error::feature_not_supported("triggers on views"));
    }
    if !stmt.transition_tables.is_empty() {
        return Err(Error::feature_not_supported(
            "transition tables (REFERENCING OLD TABLE / NEW TABLE)",
        ));
    }
    if stmt.constraint {
        return Err(Error::feature_not_supported("CREATE CONSTRAINT TRIGGER"));
    }
    Ok(())
}

/// PostgreSQL's checks of a REFERENCING clause, in its order: the target's kind and
/// ancestry, AFTER only, one event of INSERT, UPDATE or DELETE, no column list, tables
/// rather than rows, NEW for INSERT/UPDATE and OLD for DELETE/UPDATE, each once, under
/// different names.
///
/// Errors: 42809 on views and foreign tables; 0A000 for the unsupported forms; 42P17 for
/// invalid ones.
fn check_transition_tables(
    stmt: &CreateTriggerStmt,
    entry: &RelEntry,
    ancestry: Ancestry,
) -> Result<()> {
    if stmt.transition_tables.is_empty() {
        return Ok(());
    }
    let name = &entry.info.name;
    match entry.info.kind {
        b'f' => {
            return Err(
                pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a foreign table", name)
                    .detail("Triggers on foreign tables cannot have transition tables."),
            )
        }
        b'v' => {
            return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is a view", name)
                .detail("Triggers on views cannot have transition tables."))
        }
        _ => {}
    }
    if stmt.for_each_row {
        match ancestry {
            Ancestry::Partition => {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "ROW triggers with transition tables are not supported on partitions"
                ))
            }
            Ancestry::InheritanceChild => {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "ROW triggers with transition tables are not supported on inheritance children"
                ))
            }
            Ancestry::None => {}
        }
    }
    if stmt.timing != TriggerTiming::After {
        return Err(pg_err!(
            INVALID_OBJECT_DEFINITION,
            "transition table name can only be specified for an AFTER trigger"
        ));
    }
    if stmt.events.truncate {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "TRUNCATE triggers with transition tables are not supported"
        ));
    }
    let events = [stmt.events.insert, stmt.events.update, stmt.events.delete];
    if events.iter().filter(|e| **e).count() != 1 {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "transition tables cannot be specified for triggers with more than one event"
        ));
    }
    if !stmt.columns.is_empty() {
        return Err(pg_err!(
            FEATURE_NOT_SUPPORTED,
            "transition tables cannot be specified for triggers with column lists"
        ));
    }
    let (mut old_name, mut new_name): (Option<&str>, Option<&str>) = (None, None);
    for t in &stmt.transition_tables {
        if !t.is_table {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "ROW variable naming in the REFERENCING clause is not supported"
            )
            .hint("Use OLD TABLE or NEW TABLE for naming transition tables."));
        }
        if t.is_new {
            if !(stmt.events.insert || stmt.events.update) {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "NEW TABLE can only be specified for an INSERT or UPDATE trigger"
                ));
            }
            if new_name.is_some() {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "NEW TABLE cannot be specified multiple times"
                ));
            }
            new_name = Some(&t.name);
        } else {
            if !(stmt.events.delete || stmt.events.update) {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "OLD TABLE can only be specified for a DELETE or UPDATE trigger"
                ));
            }
            if old_name.is_some() {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "OLD TABLE cannot be specified multiple times"
                ));
            }
            old_name = Some(&t.name);
        }
    }
    if new_name.is_some() && new_name == old_name {
        return Err(pg_err!(
            INVALID_OBJECT_DEFINITION,
            "OLD TABLE name and NEW TABLE name cannot be the same"
        ));
    }
    Ok(())
}

impl Session {
    /// Runs a trigger statement; returns its command tag.
    ///
    /// Errors: see [`Session::create_trigger`], [`Session::drop_trigger`],
    /// [`Session::rename_trigger`].
    pub(crate) fn trigger_statement(
        &mut self,
        stmt: &TriggerStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            TriggerStmt::Create(c) => self.create_trigger(c, sql, sink),
            TriggerStmt::Drop(d) => self.drop_trigger(d, sink),
            TriggerStmt::Rename(r) => self.rename_trigger(r, sink),
        }
    }

    /// Whether `rel` is a partition, an inheritance child or neither (PostgreSQL's
    /// `relispartition` and `has_superclass`): a partition's parent is partitioned.
    fn trigger_target_ancestry(&self, rel: Oid) -> Result<Ancestry> {
        let reader = self.catalog_reader();
        let inherits =
            syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits is a system catalog");
        let rows = reader.rows(inherits)?;
        let parent = rows.matching(inherits.col("inhrelid"), rel).find_map(|r| {
            match r[inherits.col("inhparent")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            }
        });
        let Some(parent) = parent else {
            return Ok(Ancestry::None);
        };
        Ok(match reader.entry(parent)? {
            Some(p) if p.info.kind == b'p' => Ancestry::Partition,
            _ => Ancestry::InheritanceChild,
        })
    }

    /// `CREATE [OR REPLACE] TRIGGER`.
    ///
    /// Errors: 42P01 for a missing table; 42809 for a relation of the wrong kind (with
    /// PostgreSQL's DETAIL); 0A000 for TRUNCATE triggers, invalid INSTEAD OF forms,
    /// triggers on views, transition tables (after PostgreSQL's checks of the REFERENCING
    /// clause: [`check_transition_tables`]) and constraint triggers; 42883 `function f() does not exist`; 42P17
    /// `function f must return type trigger`; 42703 for an `UPDATE OF` column that does
    /// not exist; 42P17 for WHEN conditions referencing OLD/NEW where they cannot; 42804
    /// for a WHEN condition that is not boolean; 42710 for a duplicate name.
    pub(crate) fn create_trigger(
        &mut self,
        stmt: &CreateTriggerStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE TRIGGER")?;
        let Some(entry) = self.alter_target(&stmt.relation, false, sink)? else {
            return Ok("CREATE TRIGGER".into());
        };
        let ancestry = self.trigger_target_ancestry(entry.info.oid)?;
        check_shape(stmt, &entry, ancestry)?;
        let rel = entry.info.oid;
        self.check_relation_owner(rel)?;
        let function = self.trigger_function(&stmt.function)?;
        let mut attnums = Vec::with_capacity(stmt.columns.len());
        for column in &stmt.columns {
            let Some((index, _)) = entry.info.live_columns().find(|(_, c)| &c.name == column)
            else {
                return Err(pg_err!(
                    UNDEFINED_COLUMN,
                    "column \"{}\" of relation \"{}\" does not exist",
                    column,
                    entry.info.name
                ));
            };
            attnums.push(index as i16 + 1);
        }
        if let Some((_, text)) = &stmt.when {
            self.check_when(stmt, &entry, text, sql)?;
        }
        let existing = trigger_rows(&self.catalog_reader(), Some(rel))?
            .into_iter()
            .find(|t| t.desc.name == stmt.name);
        let oid = match existing {
            Some(t) if stmt.replace && !t.internal => {
                self.remove_object_rows(pg_trigger(), t.oid)?;
                t.oid
            }
            Some(_) => {
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "trigger \"{}\" for relation \"{}\" already exists",
                    stmt.name,
                    entry.info.name
                ))
            }
            None => {
                let cluster = self.db.cluster.clone();
                cluster.xact.oids.next_oid(&cluster.wal)
            }
        };
        let cat = pg_trigger();
        self.insert_catalog_row(
            CatalogRow::new(cat)
                .set("oid", Datum::Oid(oid.0))
                .set("tgrelid", Datum::Oid(rel.0))
                .set("tgparentid", Datum::Oid(0))
                .set("tgname", Datum::Text(stmt.name.clone()))
                .set("tgfoid", Datum::Oid(function.0))
                .set("tgtype", Datum::Int2(tgtype(stmt)))
                .set("tgenabled", Datum::Text("O".into()))
                .set("tgisinternal", Datum::Bool(false))
                .set("tgconstrrelid", Datum::Oid(0))
                .set("tgconstrindid", Datum::Oid(0))
                .set("tgconstraint", Datum::Oid(0))
                .set("tgdeferrable", Datum::Bool(false))
                .set("tginitdeferred", Datum::Bool(false))
                .set("tgnargs", Datum::Int2(stmt.args.len() as i16))
                .set("tgattr", int2vector(&attnums))
                .set("tgargs", Datum::Bytea(encode_args(&stmt.args)))
                .set(
                    "tgqual",
                    stmt.when
                        .as_ref()
                        .map_or(Datum::Null, |(_, t)| Datum::Text(t.clone())),
                )
                .set("tgoldtable", Datum::Null)
                .set("tgnewtable", Datum::Null),
        )?;
        self.insert_depend_row(PG_TRIGGER, oid, syscat::PG_PROC, function, b'n')?;
        self.insert_depend_row(PG_TRIGGER, oid, syscat::PG_CLASS, rel, b'a')?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_has = class.col("relhastriggers");
        self.update_class_row(rel, |row| row[c_has] = Datum::Bool(true))?;
        self.txn.command_counter_increment();
        Ok("CREATE TRIGGER".into())
    }

    /// The trigger function `name()`: it must exist without arguments and return
    /// `trigger`.
    fn trigger_function(&self, name: &[String]) -> Result<Oid> {
        let reader = self.catalog_reader();
        let (schema, fname) = match name {
            [.., schema, f] => (Some(schema.as_str()), f.as_str()),
            [f] => (None, f.as_str()),
            [] => (None, ""),
        };
        let namespaces = match schema {
            Some(s) => match reader.namespace_oid(s)? {
                Some(ns) => vec![ns],
                None => return Err(pg_err!(UNDEFINED_SCHEMA, "schema \"{}\" does not exist", s)),
            },
            None => function_catalog::search_namespaces(&reader)?,
        };
        let found = function_catalog::user_functions(&reader, fname, Some(&namespaces))?;
        let function = namespaces
            .iter()
            .find_map(|ns| {
                found
                    .iter()
                    .find(|f| f.namespace == *ns && f.arg_types.is_empty())
            })
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_FUNCTION,
                    "function {}() does not exist",
                    name.join(".")
                )
            })?;
        if function.ret_type != type_oid::TRIGGER {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "function {} must return type trigger",
                name.join(".")
            ));
        }
        Ok(function.oid)
    }

    /// Analyses the WHEN condition as firing will, and checks what it references (errors
    /// point at the reference in `sql`).
    fn check_when(
        &self,
        stmt: &CreateTriggerStmt,
        entry: &RelEntry,
        text: &str,
        sql: &str,
    ) -> Result<()> {
        let at = |location: Option<usize>, e: Error| match location {
            Some(l) => e.position(tusk_sql::char_position(sql, l)),
            None => e,
        };
        let (old_at, new_at) = stmt.when_references;
        let desc = RecordDesc {
            type_oid: type_oid::RECORD,
            fields: entry
                .info
                .live_columns()
                .map(|(_, c)| RecordField {
                    name: c.name.clone(),
                    type_oid: c.type_oid,
                    typmod: c.typmod,
                })
                .collect(),
        };
        let resolver = WhenResolver::new(&desc);
        let reader = self.catalog_reader();
        let analysed = super::plpgsql_call::analyze_embedded(
            &reader,
            &self.output,
            &format!("SELECT {text}"),
            &[],
            &resolver,
        )?;
        let (old, new) = resolver.referenced();
        if !stmt.for_each_row && (old || new) {
            let first = match (old_at, new_at) {
                (Some(o), Some(n)) => Some(o.min(n)),
                (o, n) => o.or(n),
            };
            return Err(at(
                first,
                pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "statement trigger's WHEN condition cannot reference column values"
                ),
            ));
        }
        if stmt.events.insert && old {
            return Err(at(
                old_at,
                pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "INSERT trigger's WHEN condition cannot reference OLD values"
                ),
            ));
        }
        if stmt.events.delete && new {
            return Err(at(
                new_at,
                pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "DELETE trigger's WHEN condition cannot reference NEW values"
                ),
            ));
        }
        if stmt.timing == TriggerTiming::Before {
            // Generated columns are computed after BEFORE triggers (PostgreSQL 15).
            let generated = resolver.new_fields().into_iter().find(|name| {
                entry
                    .info
                    .live_columns()
                    .any(|(_, c)| c.name == *name && c.generated)
            });
            if let Some(column) = generated {
                return Err(at(
                    new_at,
                    pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "BEFORE trigger's WHEN condition cannot reference NEW generated columns"
                    )
                    .detail(format!("Column \"{column}\" is a generated column.")),
                ));
            }
        }
        if let FunctionStatement::Query(q) = &analysed {
            if let Some(c) = q.columns.first() {
                if c.type_oid != type_oid::BOOL && c.type_oid != type_oid::UNKNOWN {
                    return Err(pg_err!(
                        DATATYPE_MISMATCH,
                        "argument of WHEN must be type boolean, not type {}",
                        reader_type_name(c.type_oid)
                    ));
                }
            }
        }
        Ok(())
    }

    /// `DROP TRIGGER [IF EXISTS] name ON table`.
    ///
    /// Errors: 42P01 for a missing table; 42704 `trigger "t" for table "tab" does not
    /// exist` (a NOTICE with IF EXISTS).
    pub(crate) fn drop_trigger(
        &mut self,
        stmt: &DropTriggerStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("DROP TRIGGER")?;
        let Some(entry) = self.alter_target(&stmt.relation, stmt.missing_ok, sink)? else {
            return Ok("DROP TRIGGER".into());
        };
        let found = trigger_rows(&self.catalog_reader(), Some(entry.info.oid))?
            .into_iter()
            .find(|t| t.desc.name == stmt.name);
        let Some(trigger) = found else {
            if stmt.missing_ok {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "trigger \"{}\" for relation \"{}\" does not exist, skipping",
                        stmt.name,
                        entry.info.name
                    ),
                );
                return Ok("DROP TRIGGER".into());
            }
            return Err(missing_trigger(&stmt.name, &entry.info.name));
        };
        self.check_relation_owner(entry.info.oid)?;
        self.remove_object_rows(pg_trigger(), trigger.oid)?;
        self.txn.command_counter_increment();
        Ok("DROP TRIGGER".into())
    }

    /// `ALTER TRIGGER name ON table RENAME TO new_name`.
    ///
    /// Errors: 42704 for a missing trigger; 42710 when the new name is taken.
    pub(crate) fn rename_trigger(
        &mut self,
        stmt: &RenameTriggerStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("ALTER TRIGGER")?;
        let Some(entry) = self.alter_target(&stmt.relation, false, sink)? else {
            return Ok("ALTER TRIGGER".into());
        };
        let rows = trigger_rows(&self.catalog_reader(), Some(entry.info.oid))?;
        if rows.iter().any(|t| t.desc.name == stmt.new_name) {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "trigger \"{}\" for relation \"{}\" already exists",
                stmt.new_name,
                entry.info.name
            ));
        }
        let Some(trigger) = rows.iter().find(|t| t.desc.name == stmt.name) else {
            return Err(missing_trigger(&stmt.name, &entry.info.name));
        };
        self.check_relation_owner(entry.info.oid)?;
        let new_name = stmt.new_name.clone();
        self.update_object_row(pg_trigger(), trigger.oid, move |row, c| {
            row[c("tgname")] = Datum::Text(new_name)
        })?;
        Ok("ALTER TRIGGER".into())
    }

    /// ALTER TABLE's `ENABLE | DISABLE TRIGGER name | ALL | USER`: sets `tgenabled`.
    ///
    /// Errors: 42704 `trigger "t" for table "tab" does not exist`.
    pub(crate) fn set_triggers_enabled(
        &mut self,
        entry: &RelEntry,
        selection: &TriggerSelection,
        enabled: u8,
    ) -> Result<()> {
        let rows = trigger_rows(&self.catalog_reader(), Some(entry.info.oid))?;
        let chosen: Vec<Oid> = rows
            .iter()
            .filter(|t| match selection {
                TriggerSelection::Named(n) => &t.desc.name == n,
                TriggerSelection::All => true,
                TriggerSelection::User => !t.internal,
            })
            .map(|t| t.oid)
            .collect();
        if let (TriggerSelection::Named(n), true) = (selection, chosen.is_empty()) {
            return Err(missing_trigger(n, &entry.info.name));
        }
        for oid in chosen {
            self.update_object_row(pg_trigger(), oid, move |row, c| {
                row[c("tgenabled")] = Datum::Text((enabled as char).to_string())
            })?;
        }
        Ok(())
    }

    /// Deletes the triggers of relation `rel` (it is being dropped).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_relation_triggers(&mut self, rel: Oid) -> Result<()> {
        let triggers = trigger_rows(&self.catalog_reader(), Some(rel))?;
        if triggers.is_empty() {
            return Ok(());
        }
        for t in triggers {
            self.remove_object_rows(pg_trigger(), t.oid)?;
        }
        // The caller deletes the relation's other `pg_depend` rows next.
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The triggers using function `function`, as `(trigger OID, description)`:
    /// `trigger t on table tab`.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn function_trigger_dependents(&self, function: Oid) -> Result<Vec<(Oid, String)>> {
        let reader = self.catalog_reader();
        let mut out = Vec::new();
        for t in trigger_rows(&reader, None)? {
            if t.desc.function != function {
                continue;
            }
            let table = reader
                .entry(t.rel)?
                .map(|e| e.info.name.clone())
                .unwrap_or_default();
            out.push((t.oid, format!("trigger {} on table {}", t.desc.name, table)));
        }
        Ok(out)
    }

    /// Drops trigger `oid` (DROP FUNCTION ... CASCADE).
    ///
    /// Errors: catalog write errors.
    pub(crate) fn drop_trigger_by_oid(&mut self, oid: Oid) -> Result<()> {
        self.remove_object_rows(pg_trigger(), oid)
    }
}

fn reader_type_name(oid: Oid) -> String {
    tusk_catalog::builtin()
        .type_by_oid(oid)
        .map_or_else(|| oid.0.to_string(), |t| t.name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_nul_ended_strings() {
        let args = vec!["a".to_string(), "b c".to_string()];
        let bytes = encode_args(&args);
        assert_eq!(bytes, b"a\0b c\0");
        assert_eq!(decode_args(&bytes, 2), args);
        assert!(decode_args(b"", 0).is_empty());
    }

    #[test]
    fn update_of_columns_are_an_int2vector_from_zero() {
        let Datum::Array(a) = int2vector(&[2, 1]) else {
            panic!("not an array")
        };
        assert_eq!(a.dims[0].lower, 0);
        assert_eq!(a.elems, vec![Datum::Int2(2), Datum::Int2(1)]);
    }
}
