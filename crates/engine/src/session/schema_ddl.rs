//! CREATE SCHEMA, DROP SCHEMA and ALTER SCHEMA ... RENAME TO (PostgreSQL's
//! `CreateSchemaCommand`, `RemoveObjects`, `RenameSchema`): `pg_namespace` rows written
//! in the session's transaction, so a rollback leaves no trace.
//!
//! Rules:
//! 1. Names beginning with `pg_` are reserved (42939), as in PostgreSQL.
//! 2. `CREATE SCHEMA` elements are created in the new schema, sequences first, then
//!    tables, views and indexes (each kind in written order, as PostgreSQL does), and the
//!    names their queries read are looked up in it first.
//! 3. Creating a schema takes `ShareUpdateExclusiveLock` on `pg_namespace` (creations
//!    take turns without blocking readers); dropping or renaming one takes
//!    `AccessExclusiveLock` on the schema's OID, which relation creation in it also
//!    takes.
//! 4. Renaming a schema rewrites the stored queries of views that name it (views store
//!    schema-qualified SQL text, see `tusk_sql::view_query`).
//!
//! Entry points: [`Session::create_schema`], [`Session::drop_schemas`],
//! [`Session::rename_schema`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast::Statement;
use tusk_sql::ast_ddl::DropStmt;
use tusk_sql::ast_view::{CreateSchemaStmt, RenameSchemaStmt};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::dependency::{Dependent, DropRoot, PG_REWRITE};
use super::Session;
use crate::lock::LockMode;
use crate::sink::{NoticeSeverity, Sink};

fn reserved_name_check(name: &str) -> Result<()> {
    if name.starts_with("pg_") {
        return Err(
            pg_err!(RESERVED_NAME, "unacceptable schema name \"{}\"", name)
                .detail("The prefix \"pg_\" is reserved for system schemas."),
        );
    }
    Ok(())
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

impl Session {
    /// The OID of role `name` (`pg_authid`).
    ///
    /// Errors: 42704 `role "x" does not exist`; catalog read errors.
    pub(crate) fn role_oid(&self, name: &str) -> Result<Oid> {
        let authid = syscat::system_catalog_by_name("pg_authid").expect("pg_authid");
        let (c_oid, c_name) = (authid.col("oid"), authid.col("rolname"));
        self.catalog_reader()
            .scan(authid)?
            .into_iter()
            .find(|(_, r)| r[c_name] == Datum::Text(name.to_string()))
            .map(|(_, r)| oid_of(&r[c_oid]))
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name))
    }

    /// `CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION role] [elements]`.
    ///
    /// Errors: 42P06 `schema "x" already exists`; 42939 for `pg_` names; 42704 for an
    /// unknown role; 42P15 `CREATE specifies a schema (x) different from the one being
    /// created (y)`; 0A000 for IF NOT EXISTS with elements and for elements tusk cannot
    /// create; errors of the elements; 25006.
    pub(crate) fn create_schema(
        &mut self,
        stmt: &CreateSchemaStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE SCHEMA")?;
        let owner_name = match stmt.authorization.as_deref() {
            None | Some("CURRENT_USER" | "SESSION_USER" | "CURRENT_ROLE") => self.user.clone(),
            Some(role) => role.to_string(),
        };
        let owner = self.role_oid(&owner_name)?;
        let name = stmt.name.clone().unwrap_or_else(|| owner_name.clone());
        if stmt.if_not_exists && !stmt.elements.is_empty() {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "CREATE SCHEMA IF NOT EXISTS cannot include schema elements",
            ));
        }
        reserved_name_check(&name)?;
        self.lock_relation(syscat::PG_NAMESPACE, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        if self.catalog_reader().namespace_oid(&name)?.is_some() {
            if stmt.if_not_exists {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        DUPLICATE_SCHEMA,
                        "schema \"{}\" already exists, skipping",
                        name
                    ),
                );
                return Ok("CREATE SCHEMA".into());
            }
            return Err(pg_err!(
                DUPLICATE_SCHEMA,
                "schema \"{}\" already exists",
                name
            ));
        }
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_namespace_row(oid, &name, owner, Datum::Null)?;
        self.txn.command_counter_increment();
        // PostgreSQL's transformCreateSchemaStmt order: sequences, tables, views, indexes.
        let rank = |e: &Statement| match e {
            Statement::CreateSequence(_) => 0,
            Statement::CreateTable(_) => 1,
            Statement::CreateView(_) => 2,
            Statement::CreateIndex(_) => 3,
            _ => 4,
        };
        let mut elements: Vec<&Statement> = stmt.elements.iter().collect();
        elements.sort_by_key(|e| rank(e));
        for element in elements {
            self.create_schema_element(element, &name, sql, sink)?;
            self.txn.command_counter_increment();
        }
        Ok("CREATE SCHEMA".into())
    }

    fn insert_namespace_row(&mut self, oid: Oid, name: &str, owner: Oid, acl: Datum) -> Result<()> {
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        self.insert_catalog_row(
            CatalogRow::new(namespace)
                .set("oid", Datum::Oid(oid.0))
                .set("nspname", Datum::Text(name.to_string()))
                .set("nspowner", Datum::Oid(owner.0))
                .set("nspacl", acl),
        )
    }

    /// One element of `CREATE SCHEMA`, created in `schema` (rule 2).
    fn create_schema_element(
        &mut self,
        element: &Statement,
        schema: &str,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let place = |rv: &tusk_sql::ast::RangeVar| -> Result<tusk_sql::ast::RangeVar> {
            match &rv.schema {
                Some(s) if s != schema => Err(pg_err!(
                    INVALID_SCHEMA_DEFINITION,
                    "CREATE specifies a schema ({}) different from the one being created ({})",
                    s,
                    schema
                )),
                _ => Ok(tusk_sql::ast::RangeVar {
                    schema: Some(schema.to_string()),
                    ..rv.clone()
                }),
            }
        };
        match element {
            Statement::CreateTable(create) => {
                let mut create = create.clone();
                create.relation = place(&create.relation)?;
                self.create_table(&create, sql, sink)?;
            }
            Statement::CreateView(view) => {
                let mut view = view.clone();
                view.relation = place(&view.relation)?;
                self.create_view(&view, sql, Some(schema), sink)?;
            }
            Statement::CreateSequence(create) => {
                let mut create = create.clone();
                create.relation = place(&create.relation)?;
                self.create_sequence(&create, sql, sink)?;
            }
            Statement::CreateIndex(create) => {
                let mut create = create.clone();
                create.relation = place(&create.relation)?;
                self.create_index(&create, sink)?;
            }
            Statement::Unsupported { tag, .. } => {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{tag} is not supported yet"),
                ))
            }
            _ => {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    "this CREATE SCHEMA element is not supported yet",
                ))
            }
        }
        Ok(())
    }

    /// `DROP SCHEMA [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
    ///
    /// Errors: 3F000 `schema "x" does not exist`; 2BP01 `cannot drop schema x because
    /// other objects depend on it` (with PostgreSQL's DETAIL lines) without CASCADE, and
    /// `cannot drop schema pg_catalog because it is required by the database system`;
    /// 25006.
    pub(crate) fn drop_schemas(&mut self, stmt: &DropStmt, sink: &mut dyn Sink) -> Result<String> {
        self.read_only_check(&stmt.tag)?;
        // Every name is looked up before anything is dropped, as PostgreSQL does.
        let mut found: Vec<(Oid, &str)> = Vec::new();
        for object in &stmt.objects {
            let name = &object.name;
            let Some(oid) = self.catalog_reader().namespace_oid(name)? else {
                if stmt.missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "schema \"{}\" does not exist, skipping",
                            name
                        ),
                    );
                    continue;
                }
                return Err(pg_err!(
                    INVALID_SCHEMA_NAME,
                    "schema \"{}\" does not exist",
                    name
                ));
            };
            if oid.0 < syscat::FIRST_NORMAL_OBJECT_ID && oid != syscat::PUBLIC_NAMESPACE {
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop schema {} because it is required by the database system",
                    name
                ));
            }
            found.push((oid, name));
        }
        for (oid, name) in found {
            self.lock_relation(oid, LockMode::AccessExclusive)?;
            let (snapshot, generation) = self.fresh_catalog_snapshot();
            self.catalog_reader().refresh(snapshot, generation);
            if self.catalog_reader().namespace_name(oid)?.is_none() {
                // Dropped by another transaction while we waited.
                return Err(pg_err!(
                    INVALID_SCHEMA_NAME,
                    "schema \"{}\" does not exist",
                    name
                ));
            }
            let dependents = self.dependent_objects(&DropRoot::Schema(oid, name.to_string()))?;
            let members = self.schema_catalog_members(oid, name)?;
            if members.is_empty() {
                self.drop_dependents(&format!("schema {name}"), dependents, stmt.cascade, sink)?;
            } else {
                // Operator families and classes and conversions are reported with the
                // relations and dropped after them.
                let mut report: Vec<Dependent> = dependents
                    .iter()
                    .map(|d| Dependent {
                        rel: d.rel,
                        kind: d.kind,
                        reason: d.reason.clone(),
                        description: d.description.clone(),
                    })
                    .collect();
                report.extend(members.iter().map(|(_, _, description)| Dependent {
                    rel: Oid::INVALID,
                    kind: super::dependency::DependentKind::Relation,
                    reason: format!("{description} depends on schema {name}"),
                    description: description.clone(),
                }));
                self.report_dependents(&format!("schema {name}"), &report, stmt.cascade, sink)?;
                self.drop_listed_dependents(&dependents)?;
                self.remove_schema_catalog_members(&members)?;
            }
            self.remove_schema_publications(oid)?;
            self.delete_comments(oid, syscat::PG_NAMESPACE, None)?;
            let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
            let c_oid = namespace.col("oid");
            self.delete_catalog_rows(syscat::PG_NAMESPACE, move |r| r[c_oid] == Datum::Oid(oid.0))?;
            self.txn.command_counter_increment();
        }
        self.refresh_user_types()?;
        Ok(stmt.tag.clone())
    }

    /// `ALTER SCHEMA name RENAME TO new_name` (rule 4).
    ///
    /// Errors: 3F000 `schema "x" does not exist`; 42P06 `schema "x" already exists`;
    /// 42939 for `pg_` names; 42501 for system schemas; 25006.
    pub(crate) fn rename_schema(&mut self, stmt: &RenameSchemaStmt) -> Result<String> {
        self.read_only_check("ALTER SCHEMA")?;
        let Some(oid) = self.catalog_reader().namespace_oid(&stmt.name)? else {
            return Err(pg_err!(
                INVALID_SCHEMA_NAME,
                "schema \"{}\" does not exist",
                stmt.name
            ));
        };
        if self
            .catalog_reader()
            .namespace_oid(&stmt.new_name)?
            .is_some()
        {
            return Err(pg_err!(
                DUPLICATE_SCHEMA,
                "schema \"{}\" already exists",
                stmt.new_name
            ));
        }
        reserved_name_check(&stmt.new_name)?;
        if oid.0 < syscat::FIRST_NORMAL_OBJECT_ID && oid != syscat::PUBLIC_NAMESPACE {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to rename schema \"{}\"",
                stmt.name
            )
            .detail("System catalog modifications are currently disallowed."));
        }
        self.lock_relation(oid, LockMode::AccessExclusive)?;
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let (c_oid, c_owner, c_acl) = (
            namespace.col("oid"),
            namespace.col("nspowner"),
            namespace.col("nspacl"),
        );
        let row = self
            .catalog_reader()
            .scan(namespace)?
            .into_iter()
            .find(|(_, r)| r[c_oid] == Datum::Oid(oid.0))
            .map(|(_, r)| r)
            .ok_or_else(|| Error::internal("schema row vanished"))?;
        self.delete_catalog_rows(syscat::PG_NAMESPACE, move |r| r[c_oid] == Datum::Oid(oid.0))?;
        self.insert_namespace_row(
            oid,
            &stmt.new_name,
            oid_of(&row[c_owner]),
            row[c_acl].clone(),
        )?;
        self.rename_schema_in_views(&stmt.name, &stmt.new_name)?;
        self.txn.command_counter_increment();
        Ok("ALTER SCHEMA".into())
    }

    /// Rewrites the stored queries of views that name schema `old` to name `new`.
    fn rename_schema_in_views(&mut self, old: &str, new: &str) -> Result<()> {
        let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
        let (c_oid, c_action) = (rewrite.col("oid"), rewrite.col("ev_action"));
        let rows = self.catalog_reader().scan(rewrite)?;
        for (_, row) in rows {
            let Datum::Text(query) = &row[c_action] else {
                continue;
            };
            let refs = tusk_sql::view_query::relation_refs(query)?;
            if !refs.iter().any(|r| r.schema.as_deref() == Some(old)) {
                continue;
            }
            let renamed = tusk_sql::view_query::rename_schema(query, old, new)?;
            self.replace_rule_action(oid_of(&row[c_oid]), renamed)?;
        }
        Ok(())
    }
}
