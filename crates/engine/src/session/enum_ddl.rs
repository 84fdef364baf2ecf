//! CREATE TYPE ... AS ENUM, ALTER TYPE ... ADD VALUE | RENAME VALUE | RENAME TO and DROP TYPE
//! (PostgreSQL's `DefineEnum`, `AlterEnum`, `RemoveObjects` for types): `pg_type` rows
//! for the type and its array type `_name`, `pg_enum` rows for its labels, all written in
//! the session's transaction.
//!
//! Rules:
//! 1. Labels get sort orders 1, 2, 3, ... at creation; `ADD VALUE` appends after the
//!    largest or goes half-way between its neighbours (PostgreSQL's floats). Stored
//!    values are sort orders (see `crate::user_types`), so when no midpoint exists the
//!    labels are renumbered 1..n (as PostgreSQL does) only if no column uses the type;
//!    otherwise `ADD VALUE` fails with 0A000.
//! 2. Type DDL takes `ShareUpdateExclusiveLock` on `pg_type`, so type DDL statements
//!    take turns, then reads the catalogs afresh.
//! 3. A type a column uses cannot be dropped (2BP01); `CASCADE` dropping those columns
//!    is not supported yet (0A000).
//! 4. A label `ADD VALUE` created cannot be used until its transaction commits (55P04,
//!    PostgreSQL's `check_safe_enum_use`): the session remembers the labels it added
//!    with its top-level transaction id, and marks them in its user-type snapshot while
//!    that transaction lasts. Labels created with their type by `CREATE TYPE` are safe.
//!
//! Entry points: [`Session::type_statement`], [`Session::drop_types`],
//! [`Session::refresh_user_types`].

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_ddl::{DropKind, DropStmt};
use tusk_sql::ast_type::TypeStmt;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::Session;
use crate::lock::LockMode;
use crate::sink::{NoticeSeverity, Sink};
use crate::user_types::{self as catalog_types, UserTypeRow, PG_ENUM};
use tusk_executor::user_types::EnumLabel;

/// PostgreSQL's `NAMEDATALEN - 1`: the longest label, in bytes.
const MAX_LABEL_BYTES: usize = 63;

/// What every array type's `pg_type` row has for element type `elem` (PostgreSQL's
/// `_name` types): typtype `b` in category `A`, variable length, extended storage, and
/// the array I/O, subscripting and ANALYZE functions.
pub(super) fn array_type_columns(row: CatalogRow, elem: Oid) -> CatalogRow {
    row.set("typlen", Datum::Int2(-1))
        .set("typbyval", Datum::Bool(false))
        .set("typtype", Datum::Text("b".into()))
        .set("typcategory", Datum::Text("A".into()))
        .set("typstorage", Datum::Text("x".into()))
        .set("typsubscript", proc_oid("array_subscript_handler"))
        .set("typelem", Datum::Oid(elem.0))
        .set("typinput", proc_oid("array_in"))
        .set("typoutput", proc_oid("array_out"))
        .set("typreceive", proc_oid("array_recv"))
        .set("typsend", proc_oid("array_send"))
        .set("typanalyze", proc_oid("array_typanalyze"))
}

/// The OID of built-in function `name` (0 if there is none), as a `pg_type` column.
pub(super) fn proc_oid(name: &str) -> Datum {
    Datum::Oid(
        tusk_catalog::builtin()
            .procs_by_name(name)
            .next()
            .map_or(0, |p| p.oid.0),
    )
}

fn label_check(label: &str) -> Result<()> {
    if label.is_empty() || label.len() > MAX_LABEL_BYTES {
        return Err(pg_err!(INVALID_NAME, "invalid enum label \"{}\"", label)
            .detail("Labels must be 63 bytes or less."));
    }
    Ok(())
}

/// The sort order of a new label placed last or next to `neighbor` (label, after),
/// as PostgreSQL's AddEnumLabel computes it; `None` when no float4 lies strictly
/// between the neighbours.
///
/// Errors: 22023 `"x" is not an existing enum label`.
fn place_label(labels: &[EnumLabel], neighbor: Option<&(String, bool)>) -> Result<Option<f32>> {
    let Some((other, after)) = neighbor else {
        return Ok(Some(labels.last().map_or(1.0, |l| l.sort_order + 1.0)));
    };
    let Some(at) = labels.iter().position(|l| &l.label == other) else {
        return Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "\"{}\" is not an existing enum label",
            other
        ));
    };
    let next = if *after {
        labels.get(at + 1)
    } else {
        at.checked_sub(1).and_then(|i| labels.get(i))
    };
    let here = labels[at].sort_order;
    let Some(next) = next else {
        return Ok(Some(if *after { here + 1.0 } else { here - 1.0 }));
    };
    let mid = (here + next.sort_order) / 2.0;
    Ok((mid != here && mid != next.sort_order).then_some(mid))
}

/// A possibly schema-qualified type name as (schema, name).
pub(super) fn split_name(names: &[String]) -> (Option<&str>, &str) {
    match names {
        [.., schema, name] => (Some(schema.as_str()), name.as_str()),
        [name] => (None, name.as_str()),
        [] => (None, ""),
    }
}

impl Session {
    /// Reloads the enum labels the session's type I/O uses, if the catalogs changed
    /// since they were read.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn refresh_user_types(&mut self) -> Result<()> {
        let top = self.txn.top_xid();
        self.uncommitted_enum_values
            .retain(|(xid, _)| Some(*xid) == top);
        // Nothing this backend caches from the catalogs changed since the labels were
        // read (the cache's epoch moves on every catalog write of this backend, every
        // commit seen from others and every abort): nothing to do, with no catalog read.
        let epoch = self.relcache.borrow().epoch();
        if self.uncommitted_enum_values.is_empty() && self.user_types_epoch == Some(epoch) {
            return Ok(());
        }
        let mut types = catalog_types::load_user_types(&self.catalog_reader())?;
        self.user_types_epoch = Some(epoch);
        let uncommitted: Vec<Oid> = self
            .uncommitted_enum_values
            .iter()
            .map(|(_, oid)| *oid)
            .collect();
        types.mark_uncommitted(&uncommitted);
        if *self.output.user_types != types {
            self.output.user_types = Arc::new(types);
        }
        Ok(())
    }

    /// Refuses a new type named `name` in schema `namespace` when a type of that name is
    /// there already (a user type, or a built-in one in `pg_catalog`).
    ///
    /// Errors: 42710 `type "x" already exists`; catalog read errors.
    pub(crate) fn check_type_name_free(&self, namespace: Oid, name: &str) -> Result<()> {
        let taken = catalog_types::user_types(&self.catalog_reader())?
            .iter()
            .any(|t| t.namespace == namespace && t.name == name)
            || (namespace == syscat::PG_CATALOG_NAMESPACE
                && tusk_catalog::builtin().types_by_name(name).is_some());
        if taken {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "type \"{}\" already exists",
                name
            ));
        }
        Ok(())
    }

    /// `format_type` of a built-in or user-defined type, for messages.
    pub(crate) fn format_type(&self, oid: Oid) -> String {
        self.output
            .user_types
            .format_type(oid)
            .unwrap_or_else(|| tusk_executor::io::format_type(oid))
    }

    /// `CREATE TYPE ... AS ENUM` and `ALTER TYPE` on enums.
    ///
    /// Errors: see [`Session::create_enum`], [`Session::add_enum_value`],
    /// [`Session::rename_enum_value`]; 25006 in a read-only transaction.
    pub(crate) fn type_statement(
        &mut self,
        stmt: &TypeStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if let TypeStmt::Unsupported(message) = stmt {
            return Err(Error::new(SqlState::FEATURE_NOT_SUPPORTED, message.clone()));
        }
        if let TypeStmt::CreateBase { name } = stmt {
            // I/O functions would be C functions, which cannot exist here, so no shell
            // type can be completed: PostgreSQL's error for a base type without one.
            return Err(pg_err!(UNDEFINED_OBJECT, "type \"{}\" does not exist", name).hint(
                "Create the type as a shell type, then create its I/O functions, then do a full CREATE TYPE.",
            ));
        }
        let tag = match stmt {
            TypeStmt::CreateEnum { .. }
            | TypeStmt::CreateComposite { .. }
            | TypeStmt::CreateRange { .. } => "CREATE TYPE",
            TypeStmt::CreateDomain(_) => "CREATE DOMAIN",
            TypeStmt::AlterDomain { .. } => "ALTER DOMAIN",
            _ => "ALTER TYPE",
        };
        self.read_only_check(tag)?;
        self.lock_relation(syscat::PG_TYPE, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        match stmt {
            TypeStmt::CreateEnum { name, labels } => self.create_enum(name, labels)?,
            TypeStmt::CreateRange { name, params } => self.create_range(name, params)?,
            TypeStmt::CreateDomain(domain) => self.create_domain(domain, sql)?,
            TypeStmt::AlterDomain { name, action } => self.alter_domain(name, action, sql, sink)?,
            TypeStmt::AddEnumValue {
                name,
                label,
                neighbor,
                if_not_exists,
            } => self.add_enum_value(name, label, neighbor.as_ref(), *if_not_exists, sink)?,
            TypeStmt::RenameEnumValue { name, old, new } => {
                self.rename_enum_value(name, old, new)?
            }
            TypeStmt::RenameType { name, new_name } => self.rename_type(name, new_name)?,
            TypeStmt::CreateComposite { name, attributes } => {
                self.create_composite(name, attributes)?
            }
            TypeStmt::AlterComposite { name, actions } => {
                self.alter_composite(name, actions, sink)?
            }
            TypeStmt::RenameAttribute { name, old, new } => {
                self.rename_attribute(name, old, new)?
            }
            TypeStmt::Unsupported(_) | TypeStmt::CreateBase { .. } => {
                unreachable!("refused above")
            }
        }
        self.txn.command_counter_increment();
        self.refresh_user_types()?;
        Ok(tag.into())
    }

    /// The user-defined type `names` (possibly schema-qualified).
    ///
    /// Errors: 42704 `type "x" does not exist`.
    pub(super) fn user_type_named(&self, names: &[String]) -> Result<UserTypeRow> {
        let (schema, name) = split_name(names);
        catalog_types::user_type_by_name(&self.catalog_reader(), schema, name)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "type \"{}\" does not exist",
                names.join(".")
            )
        })
    }

    /// The enum type `names` (possibly schema-qualified).
    ///
    /// Errors: 42704 `type "x" does not exist`; 42809 `x is not an enum`.
    fn enum_type(&self, names: &[String]) -> Result<UserTypeRow> {
        let t = self.user_type_named(names)?;
        if t.typtype != b'e' {
            return Err(pg_err!(WRONG_OBJECT_TYPE, "{} is not an enum", t.name));
        }
        Ok(t)
    }

    /// `CREATE TYPE name AS ENUM (labels)`: the type's `pg_type` row (`typtype` `e`,
    /// category `E`), its array type `_name`, and one `pg_enum` row per label.
    ///
    /// Errors: 42710 `type "x" already exists`; 42602 `invalid enum label`; 23505 on
    /// `pg_enum_typid_label_index` for a repeated label; 3F000 for an unknown schema.
    fn create_enum(&mut self, names: &[String], labels: &[String]) -> Result<()> {
        let (schema, name) = split_name(names);
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        self.check_type_name_free(namespace, name)?;
        for label in labels {
            label_check(label)?;
        }
        let cluster = self.db.cluster.clone();
        let type_oid = cluster.xact.oids.next_oid(&cluster.wal);
        // PostgreSQL finds a repeated label through pg_enum's unique index.
        if let Some(label) = labels
            .iter()
            .enumerate()
            .find_map(|(i, l)| labels[..i].contains(l).then_some(l))
        {
            return Err(pg_err!(
                UNIQUE_VIOLATION,
                "duplicate key value violates unique constraint \"pg_enum_typid_label_index\""
            )
            .detail(format!(
                "Key (enumtypid, enumlabel)=({}, {label}) already exists.",
                type_oid.0
            )));
        }
        let array_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let owner = self.role_oid(&self.user.clone())?;
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let common = |row: CatalogRow| {
            row.set("typnamespace", Datum::Oid(namespace.0))
                .set("typowner", Datum::Oid(owner.0))
                .set("typisdefined", Datum::Bool(true))
                .set("typdelim", Datum::Text(",".into()))
                .set("typalign", Datum::Text("i".into()))
                .set("typtypmod", Datum::Int4(-1))
        };
        self.insert_catalog_row(
            common(CatalogRow::new(pg_type))
                .set("oid", Datum::Oid(type_oid.0))
                .set("typname", Datum::Text(name.to_string()))
                .set("typlen", Datum::Int2(4))
                .set("typbyval", Datum::Bool(true))
                .set("typtype", Datum::Text("e".into()))
                .set("typcategory", Datum::Text("E".into()))
                .set("typarray", Datum::Oid(array_oid.0))
                .set("typinput", proc_oid("enum_in"))
                .set("typoutput", proc_oid("enum_out"))
                .set("typreceive", proc_oid("enum_recv"))
                .set("typsend", proc_oid("enum_send"))
                .set("typstorage", Datum::Text("p".into())),
        )?;
        self.insert_catalog_row(
            array_type_columns(common(CatalogRow::new(pg_type)), type_oid)
                .set("oid", Datum::Oid(array_oid.0))
                .set("typname", Datum::Text(format!("_{name}"))),
        )?;
        for (i, label) in labels.iter().enumerate() {
            self.insert_enum_label(type_oid, (i + 1) as f32, label)?;
        }
        Ok(())
    }

    fn insert_enum_label(&mut self, type_oid: Oid, sort_order: f32, label: &str) -> Result<Oid> {
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_enum_row(oid, type_oid, sort_order, label)?;
        Ok(oid)
    }

    fn insert_enum_row(
        &mut self,
        oid: Oid,
        type_oid: Oid,
        sort_order: f32,
        label: &str,
    ) -> Result<()> {
        let pg_enum = syscat::system_catalog(PG_ENUM).expect("pg_enum");
        self.insert_catalog_row(
            CatalogRow::new(pg_enum)
                .set("oid", Datum::Oid(oid.0))
                .set("enumtypid", Datum::Oid(type_oid.0))
                .set("enumsortorder", Datum::Float4(sort_order))
                .set("enumlabel", Datum::Text(label.to_string())),
        )
    }

    /// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' [BEFORE | AFTER 'neighbor']`
    /// (rule 1).
    ///
    /// Errors: 42710 `enum label "x" already exists` (a NOTICE with IF NOT EXISTS);
    /// 22023 `"x" is not an existing enum label`; 42602 for an invalid label; 0A000 when
    /// no sort order fits between the neighbours.
    fn add_enum_value(
        &mut self,
        names: &[String],
        label: &str,
        neighbor: Option<&(String, bool)>,
        if_not_exists: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let ty = self.enum_type(names)?;
        label_check(label)?;
        let types = catalog_types::load_user_types(&self.catalog_reader())?;
        let labels = types.enum_labels(ty.oid).unwrap_or_default();
        if labels.iter().any(|l| l.label == label) {
            let err = pg_err!(DUPLICATE_OBJECT, "enum label \"{}\" already exists", label);
            if if_not_exists {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        DUPLICATE_OBJECT,
                        "enum label \"{}\" already exists, skipping",
                        label
                    ),
                );
                return Ok(());
            }
            return Err(err);
        }
        let sort_order = match place_label(labels, neighbor)? {
            Some(sort_order) => sort_order,
            None => {
                // No float4 between the neighbours: renumber the labels 1..n as
                // PostgreSQL's RenumberEnumType does, which is safe only while no stored
                // value holds the old sort orders (rule 1).
                if !self.columns_using_type(&[ty.oid, ty.array])?.is_empty() {
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        format!(
                            "renumbering the labels of enum {} that columns use, to make room for \"{}\", is not supported",
                            ty.name, label
                        ),
                    ));
                }
                let pg_enum = syscat::system_catalog(PG_ENUM).expect("pg_enum");
                let (c_oid, c_sort) = (pg_enum.col("oid"), pg_enum.col("enumsortorder"));
                let mut renumbered = labels.to_vec();
                for (i, l) in renumbered.iter_mut().enumerate().rev() {
                    l.sort_order = (i + 1) as f32;
                    let key = Datum::Oid(l.oid.0);
                    self.update_catalog_row(
                        pg_enum,
                        |r| r[c_oid] == key,
                        |r| r[c_sort] = Datum::Float4((i + 1) as f32),
                    )?;
                }
                place_label(&renumbered, neighbor)?
                    .ok_or_else(|| Error::internal("no room for an enum label after renumbering"))?
            }
        };
        let oid = self.insert_enum_label(ty.oid, sort_order, label)?;
        if let Some(xid) = self.txn.top_xid() {
            self.uncommitted_enum_values.push((xid, oid));
        }
        Ok(())
    }

    /// `ALTER TYPE name RENAME VALUE 'old' TO 'new'`.
    ///
    /// Errors: 22023 `"x" is not an existing enum label`; 42710 `enum label "y" already
    /// exists`; 42602 for an invalid label.
    fn rename_enum_value(&mut self, names: &[String], old: &str, new: &str) -> Result<()> {
        let ty = self.enum_type(names)?;
        label_check(new)?;
        let types = catalog_types::load_user_types(&self.catalog_reader())?;
        let labels = types.enum_labels(ty.oid).unwrap_or_default();
        let Some(found) = labels.iter().find(|l| l.label == old).cloned() else {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "\"{}\" is not an existing enum label",
                old
            ));
        };
        // PostgreSQL reports a missing old label before a taken new one.
        if labels.iter().any(|l| l.label == new) {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "enum label \"{}\" already exists",
                new
            ));
        }
        let pg_enum = syscat::system_catalog(PG_ENUM).expect("pg_enum");
        let c_oid = pg_enum.col("oid");
        self.delete_catalog_rows(PG_ENUM, |r| r[c_oid] == Datum::Oid(found.oid.0))?;
        self.insert_enum_row(found.oid, ty.oid, found.sort_order, new)
    }

    /// `ALTER TYPE name RENAME TO new_name`: the type's `typname` and its array type's
    /// (`_new_name`).
    ///
    /// Errors: 42704 `type "x" does not exist`; 42710 `type "y" already exists`; 0A000
    /// for types other than enums, composite types and domains (table row types have no
    /// `pg_type` rows in tusk).
    pub(crate) fn rename_type(&mut self, names: &[String], new_name: &str) -> Result<()> {
        let (schema, name) = split_name(names);
        let found = catalog_types::user_type_by_name(&self.catalog_reader(), schema, name)?;
        let Some(ty) = found else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "type \"{}\" does not exist",
                names.join(".")
            ));
        };
        self.refuse_rowtype_alter(&ty)?;
        if !matches!(ty.typtype, b'e' | b'c' | b'd') {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                format!("ALTER TYPE {} RENAME TO is not supported yet", ty.name),
            ));
        }
        self.check_type_name_free(ty.namespace, new_name)?;
        if ty.typtype == b'c' {
            // A composite type's pg_class row carries the name too (rule 1 of
            // `composite_ddl`).
            if self
                .catalog_reader()
                .relation_oid(ty.namespace, new_name)?
                .is_some()
            {
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists",
                    new_name
                ));
            }
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let (c_oid, c_name) = (class.col("oid"), class.col("relname"));
            let key = Datum::Oid(ty.relid.0);
            self.update_catalog_row(
                class,
                |r| r[c_oid] == key,
                |r| r[c_name] = Datum::Text(new_name.to_string()),
            )?;
        }
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let (c_oid, c_name) = (pg_type.col("oid"), pg_type.col("typname"));
        for (oid, renamed) in [
            (ty.oid, new_name.to_string()),
            (ty.array, format!("_{new_name}")),
        ] {
            let key = Datum::Oid(oid.0);
            self.update_catalog_row(
                pg_type,
                |r| r[c_oid] == key,
                |r| r[c_name] = Datum::Text(renamed),
            )?;
        }
        Ok(())
    }

    /// `DROP TYPE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]` (rule 3).
    ///
    /// Errors: 42704 `type "x" does not exist` (a NOTICE with IF EXISTS); 2BP01 `cannot
    /// drop type x because other objects depend on it`; 0A000 for CASCADE with
    /// dependent columns and for types other than enums; 25006.
    pub(crate) fn drop_types(&mut self, stmt: &DropStmt, sink: &mut dyn Sink) -> Result<String> {
        self.read_only_check(&stmt.tag)?;
        self.lock_relation(syscat::PG_TYPE, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        for rv in &stmt.objects {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let found = catalog_types::user_type_by_name(
                &self.catalog_reader(),
                rv.schema.as_deref(),
                &rv.name,
            )?;
            let Some(ty) = found else {
                if let Some(t) = tusk_catalog::builtin().types_by_name(&rv.name) {
                    return Err(pg_err!(
                        DEPENDENT_OBJECTS_STILL_EXIST,
                        "cannot drop type {} because it is required by the database system",
                        tusk_executor::io::format_type(t.oid)
                    ));
                }
                if stmt.missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "type \"{}\" does not exist, skipping",
                            shown
                        ),
                    );
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "type \"{}\" does not exist",
                    shown
                ));
            };
            self.refuse_rowtype_drop(&ty)?;
            if stmt.kind == DropKind::Domain && ty.typtype != b'd' {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not a domain", shown));
            }
            if ty.typtype == b'm' {
                let range = self.multirange_owner(ty.oid)?;
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop type {} because type {} requires it",
                    ty.name,
                    range
                )
                .hint(format!("You can drop type {range} instead.")));
            }
            if !matches!(ty.typtype, b'e' | b'd' | b'c' | b'r') {
                let owner = self.catalog_reader();
                let element = catalog_types::user_type(&owner, ty.elem)?;
                drop(owner);
                if let Some(element) = element {
                    return Err(pg_err!(
                        DEPENDENT_OBJECTS_STILL_EXIST,
                        "cannot drop type {}[] because type {} requires it",
                        element.name,
                        element.name
                    )
                    .hint(format!("You can drop type {} instead.", element.name)));
                }
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("DROP TYPE of type {} is not supported yet", ty.name),
                ));
            }
            let mut detail: Vec<String> = catalog_types::user_types(&self.catalog_reader())?
                .iter()
                .filter(|t| t.typtype == b'd' && t.base_type == ty.oid)
                .map(|t| format!("type {} depends on type {}", t.name, ty.name))
                .collect();
            let users = self.columns_using_type(&[ty.oid, ty.array])?;
            let composite_users = self.composites_using_type(&ty)?;
            let function_users = self.functions_using_type(ty.oid, ty.array)?;
            if stmt.cascade
                && users.is_empty()
                && detail.is_empty()
                && composite_users.is_empty()
                && !function_users.is_empty()
            {
                // Only functions use it: they go first, with PostgreSQL's NOTICE.
                let dependents: Vec<super::dependency::Dependent> = function_users
                    .iter()
                    .map(|f| super::dependency::Dependent {
                        rel: f.oid,
                        kind: super::dependency::DependentKind::Function,
                        description: format!("function {}", f.signature),
                        reason: String::new(),
                    })
                    .collect();
                self.report_dependents(&format!("type {}", ty.name), &dependents, true, sink)?;
                for f in &function_users {
                    self.remove_function_rows(f.oid, true)?;
                }
                self.txn.command_counter_increment();
            } else if !users.is_empty()
                || !detail.is_empty()
                || !composite_users.is_empty()
                || !function_users.is_empty()
            {
                if stmt.cascade {
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        format!(
                            "{} ... CASCADE of a type other objects use is not supported yet",
                            stmt.tag
                        ),
                    ));
                }
                detail.extend(users.iter().map(|(table, column)| {
                    format!(
                        "column {column} of table {table} depends on type {}",
                        ty.name
                    )
                }));
                detail.extend(composite_users.iter().map(|(composite, attribute)| {
                    format!(
                        "column {attribute} of composite type {composite} depends on type {}",
                        ty.name
                    )
                }));
                detail.extend(function_users.iter().map(|f| {
                    format!(
                        "function {} depends on type {}{}",
                        f.signature,
                        ty.name,
                        if f.via_array { "[]" } else { "" }
                    )
                }));
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop type {} because other objects depend on it",
                    ty.name
                )
                .detail(detail.join("\n"))
                .hint("Use DROP ... CASCADE to drop the dependent objects too."));
            }
            let root = format!("type {}", ty.name);
            self.drop_cast_dependents(ty.oid, true, &root, stmt.cascade, sink)?;
            if ty.typtype == b'd' {
                self.drop_domain_rows(&ty)?;
                self.txn.command_counter_increment();
                continue;
            }
            if ty.typtype == b'c' {
                self.drop_composite_rows(&ty)?;
                self.txn.command_counter_increment();
                continue;
            }
            if ty.typtype == b'r' {
                self.drop_range_rows(&ty)?;
                self.txn.command_counter_increment();
                continue;
            }
            let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
            let c_type = pg_type.col("oid");
            let (t, a) = (Datum::Oid(ty.oid.0), Datum::Oid(ty.array.0));
            self.delete_catalog_rows(syscat::PG_TYPE, |r| r[c_type] == t || r[c_type] == a)?;
            let pg_enum = syscat::system_catalog(PG_ENUM).expect("pg_enum");
            let c_enum = pg_enum.col("enumtypid");
            let t = Datum::Oid(ty.oid.0);
            self.delete_catalog_rows(PG_ENUM, |r| r[c_enum] == t)?;
            self.txn.command_counter_increment();
        }
        self.refresh_user_types()?;
        Ok(stmt.tag.clone())
    }

    /// Drops type `oid` (an enum, domain, range or composite type) with its array type, without
    /// looking for what uses it: the caller drops those first (DROP SCHEMA ... CASCADE).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn drop_type_object(&mut self, oid: Oid) -> Result<()> {
        let Some(ty) = catalog_types::user_type(&self.catalog_reader(), oid)? else {
            return Ok(());
        };
        match ty.typtype {
            b'd' => self.drop_domain_rows(&ty)?,
            b'r' => self.drop_range_rows(&ty)?,
            b'c' => self.drop_composite_rows(&ty)?,
            _ => {
                let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
                let c_type = pg_type.col("oid");
                let (t, a) = (Datum::Oid(ty.oid.0), Datum::Oid(ty.array.0));
                self.delete_catalog_rows(syscat::PG_TYPE, |r| r[c_type] == t || r[c_type] == a)?;
                let pg_enum = syscat::system_catalog(PG_ENUM).expect("pg_enum");
                let c_enum = pg_enum.col("enumtypid");
                let t = Datum::Oid(ty.oid.0);
                self.delete_catalog_rows(PG_ENUM, |r| r[c_enum] == t)?;
            }
        }
        self.delete_comments(ty.oid, syscat::PG_TYPE, None)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// The functions whose arguments or result use type `ty` or its `array` type (their
    /// normal `pg_depend` rows on the type), in descending OID order as PostgreSQL
    /// reports dependents.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn functions_using_type(&self, ty: Oid, array: Oid) -> Result<Vec<TypeUser>> {
        use tusk_executor::CatalogNames as _;
        let reader = self.catalog_reader();
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let d = |n: &str| depend.col(n);
        let mut functions: Vec<(Oid, bool)> = Vec::new();
        for (_, r) in reader.scan(depend)? {
            let Datum::Oid(referenced) = r[d("refobjid")] else {
                continue;
            };
            let referenced = Oid(referenced);
            if (referenced == ty || referenced == array)
                && r[d("classid")] == Datum::Oid(syscat::PG_PROC.0)
                && r[d("refclassid")] == Datum::Oid(syscat::PG_TYPE.0)
                && r[d("deptype")] == Datum::Text("n".into())
            {
                if let Datum::Oid(o) = r[d("objid")] {
                    if !functions.iter().any(|(f, _)| f.0 == o) {
                        functions.push((Oid(o), referenced == array));
                    }
                }
            }
        }
        functions.sort_by_key(|f| std::cmp::Reverse(f.0 .0));
        let names = super::catalog_names::Names(super::catalog_names::SessionCatalogNames::new(
            self.db.cluster.clone(),
            &reader,
        ));
        Ok(functions
            .into_iter()
            .map(|(oid, via_array)| TypeUser {
                oid,
                signature: names
                    .function_signature(oid)
                    .unwrap_or_else(|| oid.0.to_string()),
                via_array,
            })
            .collect())
    }

    /// (table, column) names of the live columns whose type is one of `types`.
    pub(crate) fn columns_using_type(&self, types: &[Oid]) -> Result<Vec<(String, String)>> {
        let reader = self.catalog_reader();
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let a = |n: &str| attribute.col(n);
        let rows = reader.rows(attribute)?;
        let classes = reader.rows(class)?;
        let mut out = Vec::new();
        for r in rows.iter() {
            let Datum::Oid(t) = r[a("atttypid")] else {
                continue;
            };
            if !types.contains(&Oid(t)) || r[a("attisdropped")] == Datum::Bool(true) {
                continue;
            }
            let Datum::Oid(rel) = r[a("attrelid")] else {
                continue;
            };
            let Some(c) = classes.first_matching(class.col("oid"), Oid(rel)) else {
                continue;
            };
            // An index's columns depend on the table's, which are reported instead; a
            // composite type's attributes are not table columns.
            if matches!(&c[class.col("relkind")], Datum::Text(k) if k == "i" || k == "I" || k == "c")
            {
                continue;
            }
            let table = match &c[class.col("relname")] {
                Datum::Text(s) => s.clone(),
                _ => String::new(),
            };
            let column = match &r[a("attname")] {
                Datum::Text(s) => s.clone(),
                _ => String::new(),
            };
            out.push((table, column));
        }
        Ok(out)
    }
}

/// A function that uses a type ([`Session::functions_using_type`]).
pub(crate) struct TypeUser {
    /// The function.
    pub oid: Oid,
    /// Its signature as PostgreSQL describes it: `f(integer,compos)`.
    pub signature: String,
    /// Whether it uses the type's array type rather than the type.
    pub via_array: bool,
}
