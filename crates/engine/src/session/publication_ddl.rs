//! Publications in the catalog (PostgreSQL docs: CREATE | ALTER | DROP PUBLICATION;
//! chapter 31.1): `pg_publication` rows, their tables in `pg_publication_rel` (with the
//! row filter `prqual` as ruleutils' plain text and the column list `prattrs` as an
//! `int2vector`) and their schemas in `pg_publication_namespace`, each membership with
//! `a` dependencies on the publication and on the table or schema.
//!
//! Rules:
//! 1. A membership goes with its table or schema: dropping either removes the rows
//!    ([`Session::remove_relation_publications`], [`Session::remove_schema_publications`]).
//! 2. Statements check what PostgreSQL's `publicationcmds.c` checks, in its order.
//! 3. There is no logical decoding: what a publication publishes matters only to
//!    `pg_publication_tables` and to the replica identity checks of UPDATE and DELETE
//!    (`session/replica_identity.rs`).
//!
//! Entry points: [`Session::replication_statement`] (which also dispatches the
//! subscription statements), [`Session::remove_relation_publications`],
//! [`Session::remove_schema_publications`].

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_executor::publication::{
    publication_namespaces, publication_rels, Publication, PublicationRel,
};
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_publication::{
    AlterPublication, CreatePublicationStmt, PublicationAction, PublicationObject,
    ReplicationObject, ReplicationOption, ReplicationStmt,
};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{ObjectKind, ACL_CREATE};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::index_ddl::int2vector;
use super::privilege::{must_be_owner, Privileges};
use super::Session;
use crate::lock::LockMode;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_publication`'s OID.
pub(crate) const PG_PUBLICATION: Oid = Oid(6104);
/// `pg_publication_rel`'s OID.
pub(crate) const PG_PUBLICATION_REL: Oid = Oid(6106);
/// `pg_publication_namespace`'s OID.
pub(crate) const PG_PUBLICATION_NAMESPACE: Oid = Oid(6237);

fn catalog(oid: Oid) -> &'static syscat::SysCatalog {
    syscat::system_catalog(oid).expect("publication catalogs are system catalogs")
}

/// The publish actions and `publish_via_partition_root` a `WITH (...)` list sets.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PublicationOptions {
    /// `publish`: insert, update, delete, truncate.
    pub publish: Option<[bool; 4]>,
    /// `publish_via_partition_root`.
    pub via_root: Option<bool>,
}

/// PostgreSQL's `defGetBoolean`.
pub(crate) fn option_boolean(name: &str, value: Option<&str>) -> Result<bool> {
    let Some(v) = value else {
        return Ok(true);
    };
    match v.to_ascii_lowercase().as_str() {
        "true" | "on" | "1" => Ok(true),
        "false" | "off" | "0" => Ok(false),
        _ => Err(pg_err!(SYNTAX_ERROR, "{} requires a Boolean value", name)),
    }
}

/// 42601 `conflicting or redundant options` at the repeated option.
pub(crate) fn conflicting_option(sql: &str, location: usize) -> Error {
    pg_err!(SYNTAX_ERROR, "conflicting or redundant options")
        .position(tusk_sql::char_position(sql, location))
}

/// PostgreSQL's `parse_publication_options`.
///
/// Errors: 42601 `conflicting or redundant options`, `unrecognized publication
/// parameter: "x"`; 22023 `unrecognized value for publication option "publish": "x"`.
fn parse_options(sql: &str, options: &[ReplicationOption]) -> Result<PublicationOptions> {
    let mut out = PublicationOptions::default();
    for (name, value, location) in options {
        match name.as_str() {
            "publish" => {
                if out.publish.is_some() {
                    return Err(conflicting_option(sql, *location));
                }
                let mut actions = [false; 4];
                let text = value.clone().unwrap_or_default();
                for item in text.split(',') {
                    let item = item.trim();
                    match item {
                        "insert" => actions[0] = true,
                        "update" => actions[1] = true,
                        "delete" => actions[2] = true,
                        "truncate" => actions[3] = true,
                        _ => {
                            return Err(pg_err!(
                                INVALID_PARAMETER_VALUE,
                                "unrecognized value for publication option \"{}\": \"{}\"",
                                "publish",
                                item
                            ))
                        }
                    }
                }
                out.publish = Some(actions);
            }
            "publish_via_partition_root" => {
                if out.via_root.is_some() {
                    return Err(conflicting_option(sql, *location));
                }
                out.via_root = Some(option_boolean(name, value.as_deref())?);
            }
            _ => {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "unrecognized publication parameter: \"{}\"",
                    name
                ))
            }
        }
    }
    Ok(out)
}

/// A table of a publication statement, opened and checked.
pub(crate) struct PublicationTable {
    pub entry: Arc<RelEntry>,
    pub columns: Option<Vec<String>>,
    pub filter: Option<Box<(tusk_sql::ast::Expr, String)>>,
}

/// The tables of an object list and its schemas (OID, name).
type PublicationObjects<'a> = (Vec<&'a PublicationObject>, Vec<(Oid, String)>);

/// 42704 `publication "p" does not exist`.
fn missing_publication(name: &str) -> Error {
    pg_err!(UNDEFINED_OBJECT, "publication \"{}\" does not exist", name)
}

impl Session {
    /// Runs a publication or subscription statement; returns its command tag.
    ///
    /// Errors: those of each statement.
    pub(crate) fn replication_statement(
        &mut self,
        stmt: &ReplicationStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        match stmt {
            ReplicationStmt::CreatePublication(c) => self.create_publication(c, sql, sink),
            ReplicationStmt::AlterPublication { name, change } => {
                self.alter_publication(name, change, sql)
            }
            ReplicationStmt::Drop {
                kind: ReplicationObject::Publication,
                names,
                missing_ok,
                ..
            } => self.drop_publications(names, *missing_ok, sink),
            ReplicationStmt::Rename {
                kind: ReplicationObject::Publication,
                name,
                new_name,
            } => self.rename_publication(name, new_name),
            ReplicationStmt::Owner {
                kind: ReplicationObject::Publication,
                name,
                owner,
            } => self.publication_owner(name, owner),
            other => self.subscription_statement(other, sql, sink),
        }
    }

    /// The publication named `name`.
    pub(crate) fn publication_by_name(&self, name: &str) -> Result<Option<Publication>> {
        let reader = self.catalog_reader();
        let source = |cat| reader.rows(cat);
        Ok(Publication::all(&source)?
            .into_iter()
            .find(|p| p.name == name))
    }

    fn publication_rels(&self, publication: Oid) -> Result<Vec<PublicationRel>> {
        let reader = self.catalog_reader();
        let source = |cat| reader.rows(cat);
        Ok(publication_rels(&source)?
            .into_iter()
            .filter(|r| r.publication == publication)
            .collect())
    }

    fn publication_schemas(&self, publication: Oid) -> Result<Vec<(Oid, Oid)>> {
        let reader = self.catalog_reader();
        let source = |cat| reader.rows(cat);
        Ok(publication_namespaces(&source)?
            .into_iter()
            .filter(|(_, p, _)| *p == publication)
            .map(|(oid, _, schema)| (oid, schema))
            .collect())
    }

    /// The object and catalog of `COMMENT ON PUBLICATION | SUBSCRIPTION name`, after
    /// the owner check.
    ///
    /// Errors: 42704 for a missing object; 42501 `must be owner of ...`.
    pub(crate) fn replication_comment_target(
        &self,
        kind: ReplicationObject,
        name: &str,
    ) -> Result<(Oid, Oid)> {
        match kind {
            ReplicationObject::Publication => {
                let publication = self.owned_publication(name)?;
                Ok((publication.oid, PG_PUBLICATION))
            }
            ReplicationObject::Subscription => Ok((
                self.owned_subscription(name)?.oid,
                super::subscription_ddl::PG_SUBSCRIPTION,
            )),
        }
    }

    /// Checks that the current user owns `publication`.
    ///
    /// Errors: 42501 `must be owner of publication p`.
    fn check_publication_owner(&self, publication: &Publication) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let (me, privileges) = self.privileges_for_check()?;
        if privileges.has_privs_of_role(me, publication.owner) {
            return Ok(());
        }
        Err(must_be_owner("publication", &publication.name))
    }

    /// Whether `role` holds CREATE on the current database.
    pub(crate) fn has_database_create(&self, role: Oid, privileges: &Privileges) -> Result<bool> {
        let cat = syscat::system_catalog_by_name("pg_database").expect("pg_database");
        let reader = self.catalog_reader();
        let rows = reader.rows(cat)?;
        let Some(row) = rows.first_matching(cat.col("oid"), self.db_oid) else {
            return Ok(false);
        };
        let owner = match &row[cat.col("datdba")] {
            Datum::Oid(o) => Oid(*o),
            _ => Oid::INVALID,
        };
        let (granted, _) = privileges.mask(
            role,
            owner,
            &row[cat.col("datacl")],
            ObjectKind::Database,
            ACL_CREATE,
        );
        Ok(granted & ACL_CREATE != 0)
    }

    /// The first schema of `search_path` that exists (`CURRENT_SCHEMA`).
    ///
    /// Errors: 3F000 `no schema has been selected for CURRENT_SCHEMA`.
    pub(crate) fn current_schema_oid(&self) -> Result<Oid> {
        let setting = self.config.get_string("search_path");
        let reader = self.catalog_reader();
        for item in setting.split(',') {
            let item = item.trim();
            let name = if item == "$user" || item == "\"$user\"" {
                self.user.clone()
            } else if let Some(q) = item.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
                q.replace("\"\"", "\"")
            } else {
                item.to_lowercase()
            };
            if name.is_empty() {
                continue;
            }
            if let Some(oid) = reader.namespace_oid(&name)? {
                return Ok(oid);
            }
        }
        Err(pg_err!(
            INVALID_SCHEMA_NAME,
            "no schema has been selected for CURRENT_SCHEMA"
        ))
    }

    /// The tables and schemas of an object list (PostgreSQL's
    /// `ObjectsInPublicationToOids`): schemas resolved and made unique in order.
    ///
    /// Errors: 3F000 `schema "s" does not exist`, `no schema has been selected for
    /// CURRENT_SCHEMA`.
    fn publication_objects<'a>(
        &self,
        objects: &'a [PublicationObject],
    ) -> Result<PublicationObjects<'a>> {
        let mut tables = Vec::new();
        let mut schemas: Vec<(Oid, String)> = Vec::new();
        for object in objects {
            match object {
                PublicationObject::Table { .. } => tables.push(object),
                PublicationObject::Schema { name, .. } => {
                    let oid = match name {
                        Some(n) => self.catalog_reader().namespace_oid(n)?.ok_or_else(|| {
                            pg_err!(INVALID_SCHEMA_NAME, "schema \"{}\" does not exist", n)
                        })?,
                        None => self.current_schema_oid()?,
                    };
                    if !schemas.iter().any(|(o, _)| *o == oid) {
                        let shown = self
                            .catalog_reader()
                            .namespace_name(oid)?
                            .unwrap_or_default();
                        schemas.push((oid, shown));
                    }
                }
            }
        }
        Ok((tables, schemas))
    }

    /// Opens the tables of an object list (PostgreSQL's `OpenTableList`): each locked
    /// `ShareUpdateExclusive`, a table named twice kept once, the inheritance children of
    /// a table named without ONLY added.
    ///
    /// Errors: 42P01 for a missing table; 42710 `conflicting or redundant WHERE clauses
    /// for table "t"`, `conflicting or redundant column lists for table "t"`.
    fn open_publication_tables(
        &mut self,
        objects: &[&PublicationObject],
    ) -> Result<Vec<PublicationTable>> {
        let mut out: Vec<PublicationTable> = Vec::new();
        for object in objects {
            let PublicationObject::Table {
                relation,
                columns,
                filter,
            } = object
            else {
                continue;
            };
            let entry = self.open_publication_relation(relation)?;
            if let Some(earlier) = out.iter().find(|t| t.entry.info.oid == entry.info.oid) {
                if earlier.filter.is_some() || filter.is_some() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "conflicting or redundant WHERE clauses for table \"{}\"",
                        entry.info.name
                    ));
                }
                if earlier.columns.is_some() || columns.is_some() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "conflicting or redundant column lists for table \"{}\"",
                        entry.info.name
                    ));
                }
                continue;
            }
            let children = if relation.inh && entry.info.kind != b'p' {
                self.inheritance_descendants(entry.info.oid)?
            } else {
                Vec::new()
            };
            out.push(PublicationTable {
                entry,
                columns: columns.clone(),
                filter: filter.clone(),
            });
            for child in children {
                if out.iter().any(|t| t.entry.info.oid == child) {
                    continue;
                }
                self.lock_relation(child, LockMode::ShareUpdateExclusive)?;
                if let Some(entry) = self.catalog_reader().entry(child)? {
                    out.push(PublicationTable {
                        entry,
                        columns: columns.clone(),
                        filter: filter.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    fn open_publication_relation(&mut self, relation: &RangeVar) -> Result<Arc<RelEntry>> {
        let missing = || {
            pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                match &relation.schema {
                    Some(s) => format!("{s}.{}", relation.name),
                    None => relation.name.clone(),
                }
            )
        };
        let oid = self
            .catalog_reader()
            .resolve(relation.schema.as_deref(), &relation.name)?
            .ok_or_else(missing)?;
        self.lock_relation(oid, LockMode::ShareUpdateExclusive)?;
        self.catalog_reader().entry(oid)?.ok_or_else(missing)
    }

    /// Every inheritance descendant of `rel`, in OID order.
    fn inheritance_descendants(&self, rel: Oid) -> Result<Vec<Oid>> {
        let cat = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let rows = self.catalog_reader().rows(cat)?;
        let mut out: Vec<Oid> = Vec::new();
        let mut queue = vec![rel];
        while let Some(at) = queue.pop() {
            for r in rows.matching(cat.col("inhparent"), at) {
                if let Datum::Oid(child) = r[cat.col("inhrelid")] {
                    if !out.contains(&Oid(child)) {
                        out.push(Oid(child));
                        queue.push(Oid(child));
                    }
                }
            }
        }
        out.sort_by_key(|o| o.0);
        Ok(out)
    }

    /// PostgreSQL's `CheckPubRelationColumnList`.
    ///
    /// Errors: 0A000 `cannot use column list for relation "s.t" in publication "p"`.
    fn check_column_lists(
        &self,
        publication: &str,
        tables: &[PublicationTable],
        has_schemas: bool,
        via_root: bool,
    ) -> Result<()> {
        for t in tables.iter().filter(|t| t.columns.is_some()) {
            let detail = if has_schemas {
                "Column lists cannot be specified in publications containing FOR TABLES IN SCHEMA elements."
            } else if t.entry.info.kind == b'p' && !via_root {
                "Column lists cannot be specified for partitioned tables when publish_via_partition_root is false."
            } else {
                continue;
            };
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot use column list for relation \"{}.{}\" in publication \"{}\"",
                t.entry.info.namespace,
                t.entry.info.name,
                publication
            )
            .detail(detail));
        }
        Ok(())
    }

    /// PostgreSQL's `check_publication_add_relation`.
    ///
    /// Errors: 42809 for relations other than tables; 22023 for system, temporary and
    /// unlogged tables.
    fn check_publication_relation(entry: &RelEntry) -> Result<()> {
        let name = &entry.info.name;
        let refuse = |code: tusk_types::SqlState, what: &str| {
            Err(Error::new(
                code,
                format!("cannot add relation \"{name}\" to publication"),
            )
            .detail(format!("This operation is not supported for {what}.")))
        };
        if !matches!(entry.info.kind, b'r' | b'p') {
            let what = match entry.info.kind {
                b'v' => "views",
                b'm' => "materialized views",
                b'S' => "sequences",
                b'i' | b'I' => "indexes",
                b'f' => "foreign tables",
                b'c' => "composite types",
                b't' => "TOAST tables",
                _ => "this kind of relation",
            };
            return refuse(tusk_types::SqlState::WRONG_OBJECT_TYPE, what);
        }
        if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            return refuse(
                tusk_types::SqlState::INVALID_PARAMETER_VALUE,
                "system tables",
            );
        }
        match entry.persistence {
            b't' => refuse(
                tusk_types::SqlState::INVALID_PARAMETER_VALUE,
                "temporary tables",
            ),
            b'u' => refuse(
                tusk_types::SqlState::INVALID_PARAMETER_VALUE,
                "unlogged tables",
            ),
            _ => Ok(()),
        }
    }

    /// PostgreSQL's `PublicationAddTables`: each table checked (owner, kind), its row
    /// filter and column list turned into catalog form, and a `pg_publication_rel` row
    /// written unless it is a member already (`if_not_exists`, for SET).
    ///
    /// Errors: 42501 `must be owner of table t`; those of
    /// [`Session::check_publication_relation`]; 42710 `relation "t" is already member of
    /// publication "p"`; row filter and column list errors.
    fn add_publication_tables(
        &mut self,
        publication: &Publication,
        tables: &[PublicationTable],
        if_not_exists: bool,
        sql: &str,
    ) -> Result<()> {
        for t in tables {
            self.check_relation_owner(t.entry.info.oid)?;
            Self::check_publication_relation(&t.entry)?;
            let qual = match &t.filter {
                Some(f) => Some(self.publication_filter(&t.entry, &f.0, sql)?),
                None => None,
            };
            let attrs = match &t.columns {
                Some(cols) => Some(publication_columns(&t.entry, cols)?),
                None => None,
            };
            let existing = self
                .publication_rels(publication.oid)?
                .into_iter()
                .find(|r| r.relation == t.entry.info.oid);
            if existing.is_some() {
                if if_not_exists {
                    continue;
                }
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "relation \"{}\" is already member of publication \"{}\"",
                    t.entry.info.name,
                    publication.name
                ));
            }
            let cluster = self.db.cluster.clone();
            let oid = cluster.xact.oids.next_oid(&cluster.wal);
            self.insert_catalog_row(
                CatalogRow::new(catalog(PG_PUBLICATION_REL))
                    .set("oid", Datum::Oid(oid.0))
                    .set("prpubid", Datum::Oid(publication.oid.0))
                    .set("prrelid", Datum::Oid(t.entry.info.oid.0))
                    .set(
                        "prqual",
                        qual.as_ref()
                            .map_or(Datum::Null, |(text, _)| Datum::Text(text.clone())),
                    )
                    .set(
                        "prattrs",
                        attrs
                            .as_ref()
                            .map_or(Datum::Null, |a| int2vector(a.clone())),
                    ),
            )?;
            self.insert_depend_row(
                PG_PUBLICATION_REL,
                oid,
                PG_PUBLICATION,
                publication.oid,
                b'a',
            )?;
            self.insert_depend_row(
                PG_PUBLICATION_REL,
                oid,
                syscat::PG_CLASS,
                t.entry.info.oid,
                b'a',
            )?;
            // `n` dependencies on the columns the row filter reads and the column list
            // names, as PostgreSQL records them.
            let columns = qual
                .iter()
                .flat_map(|(_, c)| c.iter())
                .chain(attrs.iter().flatten());
            for attnum in columns.copied().collect::<Vec<i16>>() {
                let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
                self.insert_catalog_row(
                    CatalogRow::new(depend)
                        .set("classid", Datum::Oid(PG_PUBLICATION_REL.0))
                        .set("objid", Datum::Oid(oid.0))
                        .set("objsubid", Datum::Int4(0))
                        .set("refclassid", Datum::Oid(syscat::PG_CLASS.0))
                        .set("refobjid", Datum::Oid(t.entry.info.oid.0))
                        .set("refobjsubid", Datum::Int4(i32::from(attnum)))
                        .set("deptype", Datum::Text("n".into())),
                )?;
            }
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// PostgreSQL's `PublicationDropTables`.
    ///
    /// Errors: 42601 `cannot use a WHERE clause when removing a table from a
    /// publication`, `column list must not be specified in ALTER PUBLICATION ... DROP`;
    /// 42704 `relation "t" is not part of the publication`.
    fn drop_publication_tables(
        &mut self,
        publication: &Publication,
        tables: &[(Oid, String, bool, bool)],
        missing_ok: bool,
    ) -> Result<()> {
        for (rel, name, has_filter, has_columns) in tables {
            if *has_columns {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "column list must not be specified in ALTER PUBLICATION ... DROP"
                ));
            }
            if *has_filter {
                return Err(pg_err!(
                    SYNTAX_ERROR,
                    "cannot use a WHERE clause when removing a table from a publication"
                ));
            }
            let found = self
                .publication_rels(publication.oid)?
                .into_iter()
                .find(|r| r.relation == *rel);
            let Some(found) = found else {
                if missing_ok {
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "relation \"{}\" is not part of the publication",
                    name
                ));
            };
            self.remove_object_rows(catalog(PG_PUBLICATION_REL), found.oid)?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// PostgreSQL's `PublicationAddSchemas`.
    ///
    /// Errors: 22023 `cannot add schema "s" to publication` for system and temporary
    /// schemas; 42710 `schema "s" is already member of publication "p"`.
    fn add_publication_schemas(
        &mut self,
        publication: &Publication,
        schemas: &[(Oid, String)],
        if_not_exists: bool,
    ) -> Result<()> {
        for (schema, name) in schemas {
            let system = *schema == syscat::PG_CATALOG_NAMESPACE
                || *schema == syscat::PG_TOAST_NAMESPACE
                || name == "information_schema";
            let temp = name.starts_with("pg_temp_") || name.starts_with("pg_toast_temp_");
            if system || temp {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "cannot add schema \"{}\" to publication",
                    name
                )
                .detail(if system {
                    "This operation is not supported for system schemas."
                } else {
                    "Temporary schemas cannot be replicated."
                }));
            }
            if self
                .publication_schemas(publication.oid)?
                .iter()
                .any(|(_, s)| s == schema)
            {
                if if_not_exists {
                    continue;
                }
                return Err(pg_err!(
                    DUPLICATE_OBJECT,
                    "schema \"{}\" is already member of publication \"{}\"",
                    name,
                    publication.name
                ));
            }
            let cluster = self.db.cluster.clone();
            let oid = cluster.xact.oids.next_oid(&cluster.wal);
            self.insert_catalog_row(
                CatalogRow::new(catalog(PG_PUBLICATION_NAMESPACE))
                    .set("oid", Datum::Oid(oid.0))
                    .set("pnpubid", Datum::Oid(publication.oid.0))
                    .set("pnnspid", Datum::Oid(schema.0)),
            )?;
            self.insert_depend_row(
                PG_PUBLICATION_NAMESPACE,
                oid,
                PG_PUBLICATION,
                publication.oid,
                b'a',
            )?;
            self.insert_depend_row(
                PG_PUBLICATION_NAMESPACE,
                oid,
                syscat::PG_NAMESPACE,
                *schema,
                b'a',
            )?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// PostgreSQL's `PublicationDropSchemas`.
    ///
    /// Errors: 42704 `tables from schema "s" are not part of the publication`.
    fn drop_publication_schemas(
        &mut self,
        publication: &Publication,
        schemas: &[(Oid, String)],
        missing_ok: bool,
    ) -> Result<()> {
        for (schema, name) in schemas {
            let found = self
                .publication_schemas(publication.oid)?
                .into_iter()
                .find(|(_, s)| s == schema);
            let Some((oid, _)) = found else {
                if missing_ok {
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "tables from schema \"{}\" are not part of the publication",
                    name
                ));
            };
            self.remove_object_rows(catalog(PG_PUBLICATION_NAMESPACE), oid)?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// `CREATE PUBLICATION`.
    ///
    /// Errors: 42501 `permission denied for database d`, `must be superuser to create FOR
    /// ALL TABLES publication`, `must be superuser to create FOR TABLES IN SCHEMA
    /// publication`; 42710 `publication "p" already exists`; option errors; those of the
    /// tables and schemas.
    fn create_publication(
        &mut self,
        stmt: &CreatePublicationStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE PUBLICATION")?;
        let (me, privileges) = self.privileges_for_check()?;
        if !self.superuser && !self.has_database_create(me, &privileges)? {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied for database {}",
                self.database
            ));
        }
        if stmt.all_tables && !self.superuser {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be superuser to create FOR ALL TABLES publication"
            ));
        }
        if self.publication_by_name(&stmt.name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "publication \"{}\" already exists",
                stmt.name
            ));
        }
        let options = parse_options(sql, &stmt.options)?;
        let [insert, update, delete, truncate] = options.publish.unwrap_or([true; 4]);
        let via_root = options.via_root.unwrap_or(false);
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            CatalogRow::new(catalog(PG_PUBLICATION))
                .set("oid", Datum::Oid(oid.0))
                .set("pubname", Datum::Text(stmt.name.clone()))
                .set("pubowner", Datum::Oid(me.0))
                .set("puballtables", Datum::Bool(stmt.all_tables))
                .set("pubinsert", Datum::Bool(insert))
                .set("pubupdate", Datum::Bool(update))
                .set("pubdelete", Datum::Bool(delete))
                .set("pubtruncate", Datum::Bool(truncate))
                .set("pubviaroot", Datum::Bool(via_root)),
        )?;
        self.txn.command_counter_increment();
        let publication = Publication {
            oid,
            name: stmt.name.clone(),
            owner: me,
            all_tables: stmt.all_tables,
            insert,
            update,
            delete,
            truncate,
            via_root,
        };
        if !stmt.all_tables {
            let (tables, schemas) = self.publication_objects(&stmt.objects)?;
            if !schemas.is_empty() && !self.superuser {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be superuser to create FOR TABLES IN SCHEMA publication"
                ));
            }
            if !tables.is_empty() {
                let tables = self.open_publication_tables(&tables)?;
                self.check_partitioned_filters(&tables, via_root)?;
                self.check_column_lists(&stmt.name, &tables, !schemas.is_empty(), via_root)?;
                self.add_publication_tables(&publication, &tables, false, sql)?;
            }
            if !schemas.is_empty() {
                self.add_publication_schemas(&publication, &schemas, false)?;
            }
        }
        if self.config.get_string("wal_level") != "logical" {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    WARNING,
                    "wal_level is insufficient to publish logical changes"
                )
                .hint("Set wal_level to \"logical\" before creating subscriptions."),
            );
        }
        Ok("CREATE PUBLICATION".into())
    }

    /// The publication `name`, after the owner check.
    ///
    /// Errors: 42704 `publication "p" does not exist`; 42501 `must be owner of
    /// publication p`.
    fn owned_publication(&self, name: &str) -> Result<Publication> {
        let publication = self
            .publication_by_name(name)?
            .ok_or_else(|| missing_publication(name))?;
        self.check_publication_owner(&publication)?;
        Ok(publication)
    }

    /// `ALTER PUBLICATION name SET (...) | ADD | DROP | SET objects`.
    ///
    /// Errors: those of [`Session::owned_publication`]; option errors; 0A000 `cannot set
    /// parameter "publish_via_partition_root" to false for publication "p"`; 55000
    /// `publication "p" is defined as FOR ALL TABLES`; 42501 `must be superuser to add or
    /// set schemas`; 0A000 `cannot add schema to publication "p"`; those of the tables
    /// and schemas.
    fn alter_publication(
        &mut self,
        name: &str,
        change: &AlterPublication,
        sql: &str,
    ) -> Result<String> {
        self.read_only_check("ALTER PUBLICATION")?;
        let publication = self.owned_publication(name)?;
        let (action, objects) = match change {
            AlterPublication::Options(options) => {
                self.alter_publication_options(&publication, options, sql)?;
                return Ok("ALTER PUBLICATION".into());
            }
            AlterPublication::Objects(action, objects) => (*action, objects),
        };
        let (tables, schemas) = self.publication_objects(objects)?;
        if matches!(action, PublicationAction::Add | PublicationAction::Set)
            && !schemas.is_empty()
            && !self.superuser
        {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must be superuser to add or set schemas"
            ));
        }
        let all_tables = |detail: &str| {
            pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "publication \"{}\" is defined as FOR ALL TABLES",
                publication.name
            )
            .detail(detail.to_string())
        };
        if !schemas.is_empty() && publication.all_tables {
            return Err(all_tables(
                "Schemas cannot be added to or dropped from FOR ALL TABLES publications.",
            ));
        }
        if !tables.is_empty() && publication.all_tables {
            return Err(all_tables(
                "Tables cannot be added to or dropped from FOR ALL TABLES publications.",
            ));
        }
        self.alter_publication_tables(&publication, action, &tables, !schemas.is_empty(), sql)?;
        self.alter_publication_schemas(&publication, action, &schemas)?;
        Ok("ALTER PUBLICATION".into())
    }

    /// `ALTER PUBLICATION ... SET (options)` (PostgreSQL's `AlterPublicationOptions`).
    fn alter_publication_options(
        &mut self,
        publication: &Publication,
        options: &[ReplicationOption],
        sql: &str,
    ) -> Result<()> {
        let parsed = parse_options(sql, options)?;
        if parsed.via_root == Some(false) && !publication.all_tables {
            let reader = self.catalog_reader();
            for member in self.publication_rels(publication.oid)? {
                let Some(entry) = reader.entry(member.relation)? else {
                    continue;
                };
                if entry.info.kind != b'p' {
                    continue;
                }
                let what = if member.qual.is_some() {
                    "a WHERE clause"
                } else if member.attrs.is_some() {
                    "a column list"
                } else {
                    continue;
                };
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "cannot set parameter \"{}\" to false for publication \"{}\"",
                    "publish_via_partition_root",
                    publication.name
                )
                .detail(format!(
                    "The publication contains {what} for partitioned table \"{}\", which is not allowed when \"{}\" is false.",
                    entry.info.name, "publish_via_partition_root"
                )));
            }
        }
        let publish = parsed.publish;
        let via_root = parsed.via_root;
        self.update_object_row(catalog(PG_PUBLICATION), publication.oid, move |row, c| {
            if let Some([insert, update, delete, truncate]) = publish {
                row[c("pubinsert")] = Datum::Bool(insert);
                row[c("pubupdate")] = Datum::Bool(update);
                row[c("pubdelete")] = Datum::Bool(delete);
                row[c("pubtruncate")] = Datum::Bool(truncate);
            }
            if let Some(v) = via_root {
                row[c("pubviaroot")] = Datum::Bool(v);
            }
        })
    }

    /// PostgreSQL's `AlterPublicationTables`.
    fn alter_publication_tables(
        &mut self,
        publication: &Publication,
        action: PublicationAction,
        tables: &[&PublicationObject],
        has_schemas: bool,
        sql: &str,
    ) -> Result<()> {
        if tables.is_empty() && action != PublicationAction::Set {
            return Ok(());
        }
        let opened = self.open_publication_tables(tables)?;
        match action {
            PublicationAction::Add => {
                self.check_partitioned_filters(&opened, publication.via_root)?;
                let has_schemas =
                    has_schemas || !self.publication_schemas(publication.oid)?.is_empty();
                self.check_column_lists(
                    &publication.name,
                    &opened,
                    has_schemas,
                    publication.via_root,
                )?;
                self.add_publication_tables(publication, &opened, false, sql)
            }
            PublicationAction::Drop => {
                let named: Vec<(Oid, String, bool, bool)> = opened
                    .iter()
                    .map(|t| {
                        (
                            t.entry.info.oid,
                            t.entry.info.name.clone(),
                            t.filter.is_some(),
                            t.columns.is_some(),
                        )
                    })
                    .collect();
                self.drop_publication_tables(publication, &named, false)
            }
            PublicationAction::Set => {
                self.check_partitioned_filters(&opened, publication.via_root)?;
                self.check_column_lists(
                    &publication.name,
                    &opened,
                    has_schemas,
                    publication.via_root,
                )?;
                // Keep the members named again with the same row filter and column list;
                // drop the others, then add what is missing.
                let mut keep = Vec::new();
                for t in &opened {
                    let qual = match &t.filter {
                        Some(f) => Some(self.publication_filter(&t.entry, &f.0, sql)?.0),
                        None => None,
                    };
                    let attrs = match &t.columns {
                        Some(cols) => Some(publication_columns(&t.entry, cols)?),
                        None => None,
                    };
                    keep.push((t.entry.info.oid, qual, attrs));
                }
                let mut drop = Vec::new();
                for member in self.publication_rels(publication.oid)? {
                    let same = keep.iter().any(|(rel, qual, attrs)| {
                        *rel == member.relation && *qual == member.qual && *attrs == member.attrs
                    });
                    if !same {
                        drop.push(member.oid);
                    }
                }
                for oid in drop {
                    self.remove_object_rows(catalog(PG_PUBLICATION_REL), oid)?;
                }
                self.txn.command_counter_increment();
                self.add_publication_tables(publication, &opened, true, sql)
            }
        }
    }

    /// PostgreSQL's `AlterPublicationSchemas`.
    fn alter_publication_schemas(
        &mut self,
        publication: &Publication,
        action: PublicationAction,
        schemas: &[(Oid, String)],
    ) -> Result<()> {
        if schemas.is_empty() && action != PublicationAction::Set {
            return Ok(());
        }
        match action {
            PublicationAction::Add => {
                if self
                    .publication_rels(publication.oid)?
                    .iter()
                    .any(|r| r.attrs.is_some())
                {
                    return Err(pg_err!(
                        FEATURE_NOT_SUPPORTED,
                        "cannot add schema to publication \"{}\"",
                        publication.name
                    )
                    .detail("Schemas cannot be added if any tables that specify a column list are already part of the publication."));
                }
                self.add_publication_schemas(publication, schemas, false)
            }
            PublicationAction::Drop => self.drop_publication_schemas(publication, schemas, false),
            PublicationAction::Set => {
                // The schemas no longer named (their names matter only for errors, which
                // `missing_ok` rules out).
                let stale: Vec<(Oid, String)> = self
                    .publication_schemas(publication.oid)?
                    .into_iter()
                    .filter(|(_, s)| !schemas.iter().any(|(o, _)| o == s))
                    .map(|(_, s)| (s, String::new()))
                    .collect();
                self.drop_publication_schemas(publication, &stale, true)?;
                self.add_publication_schemas(publication, schemas, true)
            }
        }
    }

    /// `DROP PUBLICATION [IF EXISTS] names`.
    ///
    /// Errors: 42704 `publication "p" does not exist`; 42501 `must be owner of
    /// publication p`.
    fn drop_publications(
        &mut self,
        names: &[String],
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("DROP PUBLICATION")?;
        let mut found = Vec::new();
        for name in names {
            match self.publication_by_name(name)? {
                Some(p) => {
                    self.check_publication_owner(&p)?;
                    found.push(p);
                }
                None if missing_ok => sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "publication \"{}\" does not exist, skipping",
                        name
                    ),
                ),
                None => return Err(missing_publication(name)),
            }
        }
        for publication in found {
            for member in self.publication_rels(publication.oid)? {
                self.remove_object_rows(catalog(PG_PUBLICATION_REL), member.oid)?;
            }
            for (oid, _) in self.publication_schemas(publication.oid)? {
                self.remove_object_rows(catalog(PG_PUBLICATION_NAMESPACE), oid)?;
            }
            self.remove_object_rows(catalog(PG_PUBLICATION), publication.oid)?;
            self.delete_comments(publication.oid, PG_PUBLICATION, None)?;
            self.txn.command_counter_increment();
        }
        Ok("DROP PUBLICATION".into())
    }

    /// `ALTER PUBLICATION name RENAME TO new_name`.
    ///
    /// Errors: 42704; 42501; 42710 `publication "p" already exists`.
    fn rename_publication(&mut self, name: &str, new_name: &str) -> Result<String> {
        self.read_only_check("ALTER PUBLICATION")?;
        let publication = self
            .publication_by_name(name)?
            .ok_or_else(|| missing_publication(name))?;
        if self.publication_by_name(new_name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "publication \"{}\" already exists",
                new_name
            ));
        }
        self.check_publication_owner(&publication)?;
        let new_name = new_name.to_string();
        self.update_object_row(catalog(PG_PUBLICATION), publication.oid, move |row, c| {
            row[c("pubname")] = Datum::Text(new_name)
        })?;
        Ok("ALTER PUBLICATION".into())
    }

    /// `ALTER PUBLICATION name OWNER TO role` (PostgreSQL's
    /// `AlterPublicationOwner_internal`).
    ///
    /// Errors: 42704; 42501 `must be owner of publication p`, `must be member of role
    /// "r"`, `permission denied for database d`, `permission denied to change owner of
    /// publication "p"` (FOR ALL TABLES and FOR TABLES IN SCHEMA publications need a
    /// superuser owner).
    fn publication_owner(&mut self, name: &str, owner: &RoleSpec) -> Result<String> {
        self.read_only_check("ALTER PUBLICATION")?;
        let publication = self
            .publication_by_name(name)?
            .ok_or_else(|| missing_publication(name))?;
        let new_owner = self.resolve_role_spec(owner)?;
        if publication.owner == new_owner.oid {
            return Ok("ALTER PUBLICATION".into());
        }
        if !self.superuser {
            self.check_publication_owner(&publication)?;
            let (me, privileges) = self.privileges_for_check()?;
            if !privileges.has_privs_of_role(me, new_owner.oid) {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be member of role \"{}\"",
                    new_owner.name
                ));
            }
            if !self.has_database_create(new_owner.oid, &privileges)? {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied for database {}",
                    self.database
                ));
            }
            let hint = if publication.all_tables && !new_owner.superuser {
                Some("The owner of a FOR ALL TABLES publication must be a superuser.")
            } else if !new_owner.superuser && !self.publication_schemas(publication.oid)?.is_empty()
            {
                Some("The owner of a FOR TABLES IN SCHEMA publication must be a superuser.")
            } else {
                None
            };
            if let Some(hint) = hint {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied to change owner of publication \"{}\"",
                    publication.name
                )
                .hint(hint));
            }
        }
        let owner = new_owner.oid;
        self.update_object_row(catalog(PG_PUBLICATION), publication.oid, move |row, c| {
            row[c("pubowner")] = Datum::Oid(owner.0)
        })?;
        Ok("ALTER PUBLICATION".into())
    }

    /// The publication memberships of `table` whose column list or row filter names
    /// column `attnum`, which DROP COLUMN is dropping: refused, or dropped with CASCADE
    /// (rule 1, PostgreSQL's `n` dependencies of a membership on its columns).
    ///
    /// Errors: 2BP01 `cannot drop column c of table t because other objects depend on
    /// it`.
    pub(crate) fn drop_column_publications(
        &mut self,
        table: &RelEntry,
        attnum: i16,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let column = table.info.columns[attnum as usize - 1].name.clone();
        let dependents: Vec<(Oid, String)> = {
            let reader = self.catalog_reader();
            let source = |cat| reader.rows(cat);
            let publications = Publication::all(&source)?;
            publication_rels(&source)?
                .into_iter()
                .filter(|m| m.relation == table.info.oid)
                .filter(|m| {
                    m.attrs.as_ref().is_some_and(|a| a.contains(&attnum))
                        || m.qual.as_deref().is_some_and(|q| {
                            super::replica_identity::filter_column_names(q).contains(&column)
                        })
                })
                .filter_map(|m| {
                    let name = publications
                        .iter()
                        .find(|p| p.oid == m.publication)?
                        .name
                        .clone();
                    Some((m.oid, name))
                })
                .collect()
        };
        if dependents.is_empty() {
            return Ok(());
        }
        // PostgreSQL's object descriptions name the table qualified unless visible.
        let described = self.relation_description(table)?;
        let table_name = described
            .split_once(' ')
            .map_or(described.as_str(), |(_, n)| n);
        if !cascade {
            let lines: Vec<String> = dependents
                .iter()
                .map(|(_, p)| {
                    format!(
                        "publication of table {table_name} in publication {p} depends on column {column} of table {table_name}"
                    )
                })
                .collect();
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop column {} of table {} because other objects depend on it",
                column,
                table_name
            )
            .detail(lines.join("\n"))
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        for (oid, p) in dependents {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "drop cascades to publication of table {} in publication {}",
                    table_name,
                    p
                ),
            );
            self.remove_object_rows(catalog(PG_PUBLICATION_REL), oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Deletes the publication memberships of relation `rel` (it is being dropped; rule
    /// 1).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_relation_publications(&mut self, rel: Oid) -> Result<()> {
        let members: Vec<Oid> = {
            let reader = self.catalog_reader();
            let source = |cat| reader.rows(cat);
            publication_rels(&source)?
                .into_iter()
                .filter(|m| m.relation == rel)
                .map(|m| m.oid)
                .collect()
        };
        if members.is_empty() {
            return Ok(());
        }
        for oid in members {
            self.remove_object_rows(catalog(PG_PUBLICATION_REL), oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Deletes the publication memberships of schema `schema` (it is being dropped; rule
    /// 1).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_schema_publications(&mut self, schema: Oid) -> Result<()> {
        let members: Vec<Oid> = {
            let reader = self.catalog_reader();
            let source = |cat| reader.rows(cat);
            publication_namespaces(&source)?
                .into_iter()
                .filter(|(_, _, s)| *s == schema)
                .map(|(oid, _, _)| oid)
                .collect()
        };
        if members.is_empty() {
            return Ok(());
        }
        for oid in members {
            self.remove_object_rows(catalog(PG_PUBLICATION_NAMESPACE), oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }
}

/// The attribute numbers of column list `columns` of table `entry`, in attribute order
/// (PostgreSQL's `publication_translate_columns`).
///
/// Errors: 42703 `column "x" of relation "t" does not exist`; 42P10 `cannot use system
/// column "x" in publication column list`, `cannot use generated column "x" in
/// publication column list`; 42701 `duplicate column "x" in publication column list`.
pub(crate) fn publication_columns(entry: &RelEntry, columns: &[String]) -> Result<Vec<i16>> {
    let mut out: Vec<i16> = Vec::new();
    for name in columns {
        if tusk_sql::analyze::system_columns::system_column(name).is_some() {
            return Err(pg_err!(
                INVALID_COLUMN_REFERENCE,
                "cannot use system column \"{}\" in publication column list",
                name
            ));
        }
        let Some((index, column)) = entry.info.live_columns().find(|(_, c)| &c.name == name) else {
            return Err(pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" of relation \"{}\" does not exist",
                name,
                entry.info.name
            ));
        };
        if column.generated {
            return Err(pg_err!(
                INVALID_COLUMN_REFERENCE,
                "cannot use generated column \"{}\" in publication column list",
                name
            ));
        }
        let attnum = index as i16 + 1;
        if out.contains(&attnum) {
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "duplicate column \"{}\" in publication column list",
                name
            ));
        }
        out.push(attnum);
    }
    out.sort_unstable();
    Ok(out)
}
