//! `CREATE EXTENSION`, `DROP EXTENSION` and `ALTER EXTENSION` over the extensions tusk has
//! built in (`tusk_catalog::extension`), as PostgreSQL's `extension.c` behaves
//! (PostgreSQL docs: CREATE EXTENSION, §38.17).
//!
//! Rules:
//! 1. CREATE EXTENSION inserts the `pg_extension` row (and the control file's comment as
//!    its `pg_description`), then runs the install script statement by statement in the
//!    current transaction with `search_path` set to the target schema alone, as
//!    PostgreSQL's `execute_extension_script` does. A failed script fails the statement
//!    and the transaction leaves nothing behind.
//! 2. While the script runs, every top-level object it creates (functions, relations other
//!    than indexes and TOAST tables, types other than array and row types) gets a
//!    `pg_depend` row of type `e` on the extension (`Session::insert_catalog_row` calls
//!    [`Session::record_extension_member`]). That row is what DROP EXTENSION and `\dx+`
//!    read.
//! 3. DROP EXTENSION drops the member views first (refusing, as RESTRICT, when objects
//!    outside the extension depend on them), then the member functions, then the
//!    membership, comment and `pg_extension` rows.
//! 4. Only superusers may create an extension, except a `trusted` one, which the owner of
//!    the current database may create too (PostgreSQL 15: PUBLIC has no CREATE on a
//!    database); its script then runs with superuser rights, as in PostgreSQL.
//!
//! Entry points: [`Session::create_extension`], [`Session::drop_extensions`],
//! [`Session::alter_extension`].

use tusk_catalog::extension::{builtin_extension, builtin_extensions, BuiltinExtension};
use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_extension::{AlterExtensionStmt, CreateExtensionStmt, DropExtensionStmt};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::statement::{NullSink, RowTarget};
use super::Session;
use crate::lock::LockMode;
use crate::sink::{NoticeSeverity, Sink};

/// `pg_extension`'s OID, the `classid` of membership rows' referenced object.
const PG_EXTENSION: Oid = Oid(3079);

/// An installed extension: its `pg_extension` row's fields.
struct InstalledExtension {
    oid: Oid,
    owner: Oid,
}

fn pg_extension() -> &'static syscat::SysCatalog {
    syscat::system_catalog(PG_EXTENSION).expect("pg_extension")
}

fn not_available(name: &str) -> Error {
    let names: Vec<&str> = builtin_extensions().iter().map(|e| e.name).collect();
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        format!("extension \"{name}\" is not available"),
    )
    .detail(format!(
        "tusk has no extension \"{name}\" built in; it provides {}.",
        names.join(", ")
    ))
    .hint("The extension must first be installed on the system where PostgreSQL is running.")
}

impl Session {
    /// The `pg_extension` row named `name`, if any.
    fn installed_extension(&self, name: &str) -> Result<Option<InstalledExtension>> {
        let catalog = pg_extension();
        let (c_oid, c_name, c_owner) = (
            catalog.col("oid"),
            catalog.col("extname"),
            catalog.col("extowner"),
        );
        let rows = self.catalog_reader().scan(catalog)?;
        Ok(rows.into_iter().find_map(|(_, r)| {
            (r[c_name] == Datum::Text(name.to_string())).then(|| InstalledExtension {
                oid: match r[c_oid] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid(0),
                },
                owner: match r[c_owner] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid(0),
                },
            })
        }))
    }

    /// `CREATE EXTENSION [IF NOT EXISTS] name [SCHEMA s] [VERSION v] [CASCADE]`.
    ///
    /// Errors: 0A000 `extension "x" is not available` for one tusk does not have;
    /// 42710 `extension "x" already exists` (a NOTICE with IF NOT EXISTS); 22023 for a
    /// version other than the built-in one and for a schema the extension cannot live
    /// in; 3F000 for a missing schema; 42501 for a role that may not create it (rule 4);
    /// 25006 in a read-only transaction; errors of the install script.
    pub(crate) fn create_extension(
        &mut self,
        stmt: &CreateExtensionStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE EXTENSION")?;
        let tag = "CREATE EXTENSION".to_string();
        self.lock_relation(PG_EXTENSION, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        if self.installed_extension(&stmt.name)?.is_some() {
            let e = pg_err!(
                DUPLICATE_OBJECT,
                "extension \"{}\" already exists",
                stmt.name
            );
            if stmt.if_not_exists {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        DUPLICATE_OBJECT,
                        "extension \"{}\" already exists, skipping",
                        stmt.name
                    ),
                );
                return Ok(tag);
            }
            return Err(e);
        }
        let ext = builtin_extension(&stmt.name).ok_or_else(|| not_available(&stmt.name))?;
        if let Some(v) = &stmt.version {
            if v != ext.version {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "extension \"{}\" has no installation script nor update path for version \"{}\"",
                    ext.name,
                    v
                ));
            }
        }
        let owner = self.current_user_oid()?;
        self.check_may_create_extension(ext, owner)?;
        let (namespace, schema) = self.extension_schema(ext, stmt.schema.as_deref())?;
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        let catalog = pg_extension();
        self.insert_catalog_row(
            CatalogRow::new(catalog)
                .set("oid", Datum::Oid(oid.0))
                .set("extname", Datum::Text(ext.name.to_string()))
                .set("extowner", Datum::Oid(owner.0))
                .set("extnamespace", Datum::Oid(namespace.0))
                .set("extrelocatable", Datum::Bool(ext.relocatable))
                .set("extversion", Datum::Text(ext.version.to_string()))
                .set("extconfig", Datum::Null)
                .set("extcondition", Datum::Null),
        )?;
        let description = syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
        self.insert_catalog_row(
            CatalogRow::new(description)
                .set("objoid", Datum::Oid(oid.0))
                .set("classoid", Datum::Oid(PG_EXTENSION.0))
                .set("objsubid", Datum::Int4(0))
                .set("description", Datum::Text(ext.comment.to_string())),
        )?;
        self.txn.command_counter_increment();
        self.run_extension_script(ext, oid, &schema)?;
        Ok(tag)
    }

    /// Rule 4.
    fn check_may_create_extension(&self, ext: &BuiltinExtension, role: Oid) -> Result<()> {
        if self.superuser {
            return Ok(());
        }
        let denied = || {
            pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to create extension \"{}\"",
                ext.name
            )
        };
        if !ext.trusted {
            return Err(denied().hint("Must be superuser to create this extension."));
        }
        let database = syscat::system_catalog_by_name("pg_database").expect("pg_database");
        let (c_oid, c_dba) = (database.col("oid"), database.col("datdba"));
        let owner = self
            .catalog_reader()
            .scan(database)?
            .into_iter()
            .find(|(_, r)| r[c_oid] == Datum::Oid(self.db_oid.0))
            .map(|(_, r)| r[c_dba].clone());
        let privileges = self.privileges_for_check()?.1;
        let owns = match owner {
            Some(Datum::Oid(o)) => privileges.has_privs_of_role(role, Oid(o)),
            _ => false,
        };
        if owns {
            Ok(())
        } else {
            Err(denied()
                .hint("Must have CREATE privilege on current database to create this extension."))
        }
    }

    /// The schema the extension goes into: its control file's, the one named, or the
    /// first schema of the search path that exists.
    ///
    /// Errors: 3F000; 22023 when the extension must live in another schema.
    fn extension_schema(
        &self,
        ext: &BuiltinExtension,
        named: Option<&str>,
    ) -> Result<(Oid, String)> {
        if let Some(fixed) = ext.schema {
            if named.is_some_and(|n| n != fixed) {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "extension \"{}\" must be installed in schema \"{}\"",
                    ext.name,
                    fixed
                ));
            }
            return self.catalog_reader().creation_namespace(Some(fixed));
        }
        let reader = self.catalog_reader();
        match named {
            Some(s) => match reader.namespace_oid(s)? {
                Some(ns) => Ok((ns, s.to_string())),
                None => Err(pg_err!(
                    INVALID_SCHEMA_NAME,
                    "schema \"{}\" does not exist",
                    s
                )),
            },
            None => reader.creation_namespace(None),
        }
    }

    /// Rule 1: the script's statements in order, members recorded (rule 2), with the
    /// search path and superuser rights restored afterwards whatever happens.
    fn run_extension_script(
        &mut self,
        ext: &BuiltinExtension,
        oid: Oid,
        schema: &str,
    ) -> Result<()> {
        if ext.script.is_empty() {
            return Ok(());
        }
        let statements = tusk_sql::parse(ext.script)?;
        let saved_path = self.config.get_string("search_path");
        let saved_superuser = self.superuser;
        let quoted = tusk_sql::quote_identifier(schema);
        self.config.set("search_path", Some(&quoted), false, true)?;
        self.refresh_output_settings();
        self.superuser = true;
        self.creating_extension = Some(oid);
        let mut result = Ok(());
        for raw in &statements {
            let step = self.plan(raw, ext.script, Vec::new()).and_then(|prepared| {
                self.execute(&prepared, &[], &[], RowTarget::Stream(&mut NullSink), false)
            });
            if let Err(e) = step {
                result = Err(e.context(format!("extension script of \"{}\"", ext.name)));
                break;
            }
            self.txn.command_counter_increment();
        }
        self.creating_extension = None;
        self.superuser = saved_superuser;
        let restored = self
            .config
            .set("search_path", Some(&saved_path), false, true);
        self.refresh_output_settings();
        result.and(restored)
    }

    /// Rule 2: records the object a new catalog row creates as a member of the extension
    /// being created, if it is a top-level object.
    pub(crate) fn record_extension_member(&mut self, catalog: Oid, row: &[Datum]) -> Result<()> {
        let Some(ext) = self.creating_extension else {
            return Ok(());
        };
        let class = syscat::system_catalog(catalog).expect("system catalog");
        let text = |name: &str| match &row[class.col(name)] {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        let member = match catalog {
            syscat::PG_PROC => true,
            syscat::PG_CLASS => {
                matches!(text("relkind").as_str(), "r" | "v" | "m" | "S" | "p" | "f")
            }
            syscat::PG_TYPE => {
                let is_array = matches!(row[class.col("typelem")], Datum::Oid(e) if e != 0)
                    && text("typcategory") == "A";
                let is_rowtype = matches!(row[class.col("typrelid")], Datum::Oid(r) if r != 0);
                !is_array && !is_rowtype
            }
            _ => false,
        };
        if !member {
            return Ok(());
        }
        let Datum::Oid(object) = row[class.col("oid")] else {
            return Ok(());
        };
        self.insert_depend_row(catalog, Oid(object), PG_EXTENSION, ext, b'e')
    }

    /// The members of extension `ext`: (catalog, object) pairs.
    fn extension_members(&self, ext: Oid) -> Result<Vec<(Oid, Oid)>> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        let (c_class, c_obj, c_refclass, c_ref, c_type) = (
            c("classid"),
            c("objid"),
            c("refclassid"),
            c("refobjid"),
            c("deptype"),
        );
        Ok(self
            .catalog_reader()
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[c_refclass] == Datum::Oid(PG_EXTENSION.0)
                    && r[c_ref] == Datum::Oid(ext.0)
                    && r[c_type] == Datum::Text("e".into())
            })
            .filter_map(|(_, r)| match (&r[c_class], &r[c_obj]) {
                (Datum::Oid(class), Datum::Oid(obj)) => Some((Oid(*class), Oid(*obj))),
                _ => None,
            })
            .collect())
    }

    /// `DROP EXTENSION [IF EXISTS] name [, ...] [CASCADE | RESTRICT]` (rule 3).
    ///
    /// Errors: 42704 `extension "x" does not exist` (a NOTICE with IF EXISTS); 42501
    /// `must be owner of extension x`; 2BP01 when other objects depend on a member and
    /// CASCADE is not given; 0A000 for plpgsql (built into the server); 25006.
    pub(crate) fn drop_extensions(
        &mut self,
        stmt: &DropExtensionStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("DROP EXTENSION")?;
        self.lock_relation(PG_EXTENSION, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        let mut targets = Vec::new();
        for name in &stmt.names {
            match self.installed_extension(name)? {
                Some(ext) => targets.push((name.clone(), ext)),
                None if stmt.missing_ok => sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "extension \"{}\" does not exist, skipping",
                        name
                    ),
                ),
                None => {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "extension \"{}\" does not exist",
                        name
                    ))
                }
            }
        }
        for (name, ext) in targets {
            if name == "plpgsql" {
                // PL/pgSQL is built into tusk: its language cannot go away.
                return Err(Error::feature_not_supported("DROP EXTENSION plpgsql"));
            }
            let privileges = self.privileges_for_check()?;
            if !privileges.1.has_privs_of_role(privileges.0, ext.owner) {
                return Err(super::privilege::must_be_owner("extension", &name));
            }
            let members = self.extension_members(ext.oid)?;
            let description = format!("extension {name}");
            for &(class, object) in &members {
                if class != syscat::PG_CLASS {
                    continue;
                }
                self.lock_relation(object, LockMode::AccessExclusive)?;
                let dependents: Vec<_> = self
                    .dependent_objects(&super::dependency::DropRoot::Relation(object))?
                    .into_iter()
                    .filter(|d| !members.contains(&(syscat::PG_CLASS, d.rel)))
                    .collect();
                self.drop_dependents(&description, dependents, stmt.cascade, sink)?;
                if self.catalog_reader().entry(object)?.is_some() {
                    self.drop_relation_object(object)?;
                }
                self.txn.command_counter_increment();
            }
            for &(class, object) in &members {
                if class == syscat::PG_PROC {
                    self.remove_function_rows(object, true)?;
                    self.txn.command_counter_increment();
                }
            }
            let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
            let (c_refclass, c_ref) = (depend.col("refclassid"), depend.col("refobjid"));
            let oid = ext.oid;
            self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
                r[c_refclass] == Datum::Oid(PG_EXTENSION.0) && r[c_ref] == Datum::Oid(oid.0)
            })?;
            let description_catalog =
                syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
            let (c_class, c_obj) = (
                description_catalog.col("classoid"),
                description_catalog.col("objoid"),
            );
            self.delete_catalog_rows(syscat::PG_DESCRIPTION, move |r: &[Datum]| {
                r[c_class] == Datum::Oid(PG_EXTENSION.0) && r[c_obj] == Datum::Oid(oid.0)
            })?;
            let c_oid = pg_extension().col("oid");
            self.delete_catalog_rows(PG_EXTENSION, move |r: &[Datum]| {
                r[c_oid] == Datum::Oid(oid.0)
            })?;
            self.txn.command_counter_increment();
        }
        Ok("DROP EXTENSION".into())
    }

    /// `ALTER EXTENSION name UPDATE [TO v]`: every built-in extension has one version, so
    /// updating to it is a no-op with PostgreSQL's NOTICE.
    ///
    /// Errors: 42704 for an extension not installed; 22023 for another version.
    pub(crate) fn alter_extension(
        &mut self,
        stmt: &AlterExtensionStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("ALTER EXTENSION")?;
        if self.installed_extension(&stmt.name)?.is_none() {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "extension \"{}\" does not exist",
                stmt.name
            ));
        }
        let version = builtin_extension(&stmt.name).map_or("", |e| e.version);
        match &stmt.version {
            Some(v) if v != version => Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "extension \"{}\" has no update path from version \"{}\" to version \"{}\"",
                stmt.name,
                version,
                v
            )),
            _ => {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "version \"{}\" of extension \"{}\" is already installed",
                        version,
                        stmt.name
                    ),
                );
                Ok("ALTER EXTENSION".into())
            }
        }
    }
}
