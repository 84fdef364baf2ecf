//! SQL/MED DDL (PostgreSQL's `foreigncmds.c`): CREATE / ALTER / DROP FOREIGN DATA
//! WRAPPER, SERVER and USER MAPPING, their RENAME, OWNER TO and COMMENT forms, and
//! IMPORT FOREIGN SCHEMA, with PostgreSQL's checks in PostgreSQL's order.
//!
//! Rules:
//! 1. Wrappers are a superuser's business: creating and altering one needs superuser,
//!    and so does owning one; dropping or renaming needs its owner's privileges.
//! 2. A server needs USAGE on its wrapper for its owner (at CREATE and at OWNER TO by a
//!    non-superuser, who must also be a member of the new owner); ALTER, DROP and RENAME
//!    need the server owner's privileges.
//! 3. A user mapping may be created, altered or dropped by the server's owner, or by the
//!    mapped user itself when it has USAGE on the server.
//! 4. Options are checked by the wrapper's validator (`foreign_data_catalog` rule 1).
//! 5. tusk ships no wrapper handlers, so IMPORT FOREIGN SCHEMA (like scanning a foreign
//!    table) fails as PostgreSQL does for a wrapper without one (55000); a wrapper with a
//!    handler function cannot be run either (0A000).
//!
//! Entry point: [`Session::foreign_data_statement`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_foreign::{FdwFunctions, ForeignDataStmt, ForeignObjectKind, GenericOption};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{
    acl_from_datum, acl_new_owner, acl_to_datum, ObjectKind, ACL_ID_PUBLIC, ACL_USAGE,
};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::dependency::Dependent;
use super::foreign_data_catalog::{
    catalog, foreign_tables, mapping_user_name, options_datum, routine_error, servers,
    transform_options, user_mappings, validate_options, wrappers, Options, ServerRow, WrapperRow,
    PG_FOREIGN_DATA_WRAPPER, PG_FOREIGN_SERVER, PG_USER_MAPPING,
};
use super::function_catalog::{pg_proc, search_namespaces, UserFunction};
use super::privilege::{must_be_owner, permission_denied, Privileges};
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

/// `fdw_handler`, the return type of a wrapper's handler.
const FDW_HANDLER: Oid = Oid(3115);

fn insufficient(message: String, hint: &str) -> Error {
    pg_err!(INSUFFICIENT_PRIVILEGE, "{}", message).hint(hint)
}

fn notice(sink: &mut dyn Sink, message: String) {
    sink.notice(
        NoticeSeverity::Notice,
        &pg_err!(SUCCESSFUL_COMPLETION, "{}", message),
    );
}

fn conflicting_options() -> Error {
    pg_err!(SYNTAX_ERROR, "conflicting or redundant options")
}

fn type_display(t: Oid) -> &'static str {
    match t {
        type_oid::TEXT_ARRAY => "text[]",
        type_oid::OID => "oid",
        _ => "unknown",
    }
}

/// What the current user may do.
pub(crate) struct Caller {
    pub(crate) me: Oid,
    pub(crate) privileges: Privileges,
}

impl Caller {
    pub(crate) fn superuser(&self) -> bool {
        self.privileges.is_superuser(self.me)
    }

    fn owns(&self, owner: Oid) -> bool {
        self.privileges.has_privs_of_role(self.me, owner)
    }

    pub(crate) fn has_usage(&self, role: Oid, owner: Oid, acl: &Datum, kind: ObjectKind) -> bool {
        self.privileges.mask(role, owner, acl, kind, ACL_USAGE).0 != 0
    }
}

impl Session {
    /// Runs a SQL/MED statement; returns its command tag.
    ///
    /// Errors: those of each statement, as PostgreSQL reports them (module rules).
    pub(crate) fn foreign_data_statement(
        &mut self,
        stmt: &ForeignDataStmt,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let tag = match stmt {
            ForeignDataStmt::CreateWrapper { .. } => "CREATE FOREIGN DATA WRAPPER",
            ForeignDataStmt::AlterWrapper { .. } => "ALTER FOREIGN DATA WRAPPER",
            ForeignDataStmt::CreateServer { .. } => "CREATE SERVER",
            ForeignDataStmt::AlterServer { .. } => "ALTER SERVER",
            ForeignDataStmt::CreateUserMapping { .. } => "CREATE USER MAPPING",
            ForeignDataStmt::AlterUserMapping { .. } => "ALTER USER MAPPING",
            ForeignDataStmt::DropUserMapping { .. } => "DROP USER MAPPING",
            ForeignDataStmt::Drop { kind, .. } => match kind {
                ForeignObjectKind::Wrapper => "DROP FOREIGN DATA WRAPPER",
                ForeignObjectKind::Server => "DROP SERVER",
            },
            ForeignDataStmt::Rename { kind, .. } | ForeignDataStmt::Owner { kind, .. } => {
                match kind {
                    ForeignObjectKind::Wrapper => "ALTER FOREIGN DATA WRAPPER",
                    ForeignObjectKind::Server => "ALTER SERVER",
                }
            }
            ForeignDataStmt::Comment { .. } => "COMMENT",
            ForeignDataStmt::ImportSchema { .. } => "IMPORT FOREIGN SCHEMA",
            ForeignDataStmt::CreateForeignTable { .. } => "CREATE FOREIGN TABLE",
            ForeignDataStmt::AlterForeignTableOptions { .. } => "ALTER FOREIGN TABLE",
        };
        self.read_only_check(tag)?;
        match stmt {
            ForeignDataStmt::CreateWrapper {
                name,
                functions,
                options,
            } => self.create_wrapper(sql, name, functions, options)?,
            ForeignDataStmt::AlterWrapper {
                name,
                functions,
                options,
            } => self.alter_wrapper(sql, name, functions, options, sink)?,
            ForeignDataStmt::CreateServer {
                name,
                server_type,
                version,
                wrapper,
                if_not_exists,
                options,
            } => self.create_server(
                name,
                server_type.as_deref(),
                version.as_deref(),
                wrapper,
                *if_not_exists,
                options,
                sink,
            )?,
            ForeignDataStmt::AlterServer {
                name,
                version,
                options,
            } => self.alter_server(name, version.as_ref(), options)?,
            ForeignDataStmt::CreateUserMapping {
                user,
                server,
                if_not_exists,
                options,
            } => self.create_user_mapping(user, server, *if_not_exists, options, sink)?,
            ForeignDataStmt::AlterUserMapping {
                user,
                server,
                options,
            } => self.alter_user_mapping(user, server, options)?,
            ForeignDataStmt::DropUserMapping {
                user,
                server,
                missing_ok,
            } => self.drop_user_mapping(user, server, *missing_ok, sink)?,
            ForeignDataStmt::Drop {
                kind,
                names,
                missing_ok,
                cascade,
            } => self.drop_foreign_objects(*kind, names, *missing_ok, *cascade, sink)?,
            ForeignDataStmt::Rename {
                kind,
                name,
                new_name,
            } => self.rename_foreign_object(*kind, name, new_name)?,
            ForeignDataStmt::Owner { kind, name, owner } => {
                self.foreign_object_owner(*kind, name, owner)?
            }
            ForeignDataStmt::Comment {
                kind,
                name,
                comment,
            } => self.comment_foreign_object(*kind, name, comment.as_deref())?,
            ForeignDataStmt::ImportSchema {
                server,
                local_schema,
            } => self.import_foreign_schema(server, local_schema)?,
            ForeignDataStmt::AlterForeignTableOptions {
                relation,
                missing_ok,
                changes,
            } => self.alter_foreign_table_options(relation, *missing_ok, changes, sink)?,
            ForeignDataStmt::CreateForeignTable {
                table,
                server,
                options,
                column_options,
                refused,
            } => self.create_foreign_table(
                table,
                server,
                options,
                column_options,
                *refused,
                sql,
                sink,
            )?,
        }
        self.txn.command_counter_increment();
        Ok(tag.to_string())
    }

    pub(crate) fn caller(&self) -> Result<Caller> {
        let (me, privileges) = self.privileges_for_check()?;
        Ok(Caller { me, privileges })
    }

    /// The wrapper named `name`.
    ///
    /// Errors: 42704 `foreign-data wrapper "x" does not exist`.
    pub(crate) fn wrapper_by_name(&self, name: &str) -> Result<WrapperRow> {
        wrappers(&self.catalog_reader())?
            .into_iter()
            .find(|w| w.name == name)
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_OBJECT,
                    "foreign-data wrapper \"{}\" does not exist",
                    name
                )
            })
    }

    /// The server named `name`.
    ///
    /// Errors: 42704 `server "x" does not exist`.
    pub(crate) fn server_by_name(&self, name: &str) -> Result<ServerRow> {
        servers(&self.catalog_reader())?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "server \"{}\" does not exist", name))
    }

    pub(crate) fn wrapper_by_oid(&self, oid: Oid) -> Result<WrapperRow> {
        wrappers(&self.catalog_reader())?
            .into_iter()
            .find(|w| w.oid == oid)
            .ok_or_else(|| Error::internal("cache lookup failed for foreign-data wrapper"))
    }

    /// The function `name(args)` on the search path (pg_catalog first), as
    /// `(oid, return type)`.
    fn lookup_function(&self, name: &[String], args: &[Oid]) -> Result<Option<(Oid, Oid)>> {
        let reader = self.catalog_reader();
        let (schema, proname) = match name {
            [.., schema, proname] => (Some(schema), proname),
            [proname] => (None, proname),
            [] => return Ok(None),
        };
        let namespaces = match schema {
            Some(s) => match reader.namespace_oid(s)? {
                Some(ns) => vec![ns],
                None => return Err(pg_err!(UNDEFINED_SCHEMA, "schema \"{}\" does not exist", s)),
            },
            None => {
                let mut ns = vec![syscat::PG_CATALOG_NAMESPACE];
                ns.extend(search_namespaces(&reader)?);
                ns
            }
        };
        let c = pg_proc();
        let rows = reader.rows(c)?;
        let wanted = Datum::Text(proname.clone());
        let mut found: Vec<UserFunction> = rows
            .iter()
            .filter(|r| r[c.col("proname")] == wanted)
            .map(|r| UserFunction::from_row(r))
            .filter(|f| namespaces.contains(&f.namespace) && f.arg_types == args)
            .collect();
        found.sort_by_key(|f| {
            namespaces
                .iter()
                .position(|n| *n == f.namespace)
                .unwrap_or(usize::MAX)
        });
        Ok(found.first().map(|f| (f.oid, f.ret_type)))
    }

    /// `HANDLER` and `VALIDATOR` of a CREATE or ALTER: `(handler, validator)`, each `None`
    /// when not given and `Some(Oid::INVALID)` for the `NO` form.
    ///
    /// Errors: 42601 `conflicting or redundant options`; 42883 for a missing function;
    /// 42809 `function f must return type fdw_handler`.
    fn fdw_functions(
        &self,
        functions: &FdwFunctions,
        sql: &str,
    ) -> Result<(Option<Oid>, Option<Oid>)> {
        let conflicting = |location: usize| {
            conflicting_options().position(tusk_sql::char_position(sql, location))
        };
        let mut handler = None;
        for (i, (h, location)) in functions.handler.iter().enumerate() {
            if i > 0 {
                return Err(conflicting(*location));
            }
            handler = Some(match h {
                None => Oid::INVALID,
                Some(name) => {
                    let shown = name.join(".");
                    let (oid, ret) = self.lookup_function(name, &[])?.ok_or_else(|| {
                        pg_err!(UNDEFINED_FUNCTION, "function {}() does not exist", shown)
                    })?;
                    if ret != FDW_HANDLER {
                        return Err(pg_err!(
                            WRONG_OBJECT_TYPE,
                            "function {} must return type fdw_handler",
                            shown
                        ));
                    }
                    oid
                }
            });
        }
        let mut validator = None;
        for (i, (v, location)) in functions.validator.iter().enumerate() {
            if i > 0 {
                return Err(conflicting(*location));
            }
            validator = Some(match v {
                None => Oid::INVALID,
                Some(name) => {
                    let args = [type_oid::TEXT_ARRAY, type_oid::OID];
                    let (oid, _) = self.lookup_function(name, &args)?.ok_or_else(|| {
                        pg_err!(
                            UNDEFINED_FUNCTION,
                            "function {}({}) does not exist",
                            name.join("."),
                            args.iter()
                                .map(|t| type_display(*t))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })?;
                    oid
                }
            });
        }
        Ok((handler, validator))
    }

    fn create_wrapper(
        &mut self,
        sql: &str,
        name: &str,
        functions: &FdwFunctions,
        options: &[GenericOption],
    ) -> Result<()> {
        let caller = self.caller()?;
        if !caller.superuser() {
            return Err(insufficient(
                format!("permission denied to create foreign-data wrapper \"{name}\""),
                "Must be superuser to create a foreign-data wrapper.",
            ));
        }
        if self.wrapper_by_name(name).is_ok() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "foreign-data wrapper \"{}\" already exists",
                name
            ));
        }
        let (handler, validator) = self.fdw_functions(functions, sql)?;
        let validator = validator.unwrap_or(Oid::INVALID);
        let options = transform_options(Vec::new(), options)?;
        validate_options(validator, &options, PG_FOREIGN_DATA_WRAPPER)?;
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            CatalogRow::new(catalog(PG_FOREIGN_DATA_WRAPPER))
                .set("oid", Datum::Oid(oid.0))
                .set("fdwname", Datum::Text(name.to_string()))
                .set("fdwowner", Datum::Oid(caller.me.0))
                .set("fdwhandler", Datum::Oid(handler.unwrap_or(Oid::INVALID).0))
                .set("fdwvalidator", Datum::Oid(validator.0))
                .set("fdwacl", Datum::Null)
                .set("fdwoptions", options_datum(&options)),
        )
    }

    fn alter_wrapper(
        &mut self,
        sql: &str,
        name: &str,
        functions: &FdwFunctions,
        options: &[GenericOption],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let caller = self.caller()?;
        if !caller.superuser() {
            return Err(insufficient(
                format!("permission denied to alter foreign-data wrapper \"{name}\""),
                "Must be superuser to alter a foreign-data wrapper.",
            ));
        }
        let wrapper = self.wrapper_by_name(name)?;
        let (handler, validator) = self.fdw_functions(functions, sql)?;
        if handler.is_some_and(|h| h != Oid::INVALID) {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    WARNING,
                    "changing the foreign-data wrapper handler can change behavior of existing foreign tables"
                ),
            );
        }
        if validator.is_some_and(|v| v != Oid::INVALID) {
            sink.notice(
                NoticeSeverity::Warning,
                &pg_err!(
                    WARNING,
                    "changing the foreign-data wrapper validator can cause the options for dependent objects to become invalid"
                ),
            );
        }
        let new_validator = validator.unwrap_or(wrapper.validator);
        let new_options = if options.is_empty() {
            None
        } else {
            let o = transform_options(wrapper.options.clone(), options)?;
            validate_options(new_validator, &o, PG_FOREIGN_DATA_WRAPPER)?;
            Some(o)
        };
        let c = catalog(PG_FOREIGN_DATA_WRAPPER);
        let key = Datum::Oid(wrapper.oid.0);
        self.update_catalog_row(
            c,
            |r| r[c.col("oid")] == key,
            |r| {
                if let Some(h) = handler {
                    r[c.col("fdwhandler")] = Datum::Oid(h.0);
                }
                r[c.col("fdwvalidator")] = Datum::Oid(new_validator.0);
                if let Some(o) = &new_options {
                    r[c.col("fdwoptions")] = options_datum(o);
                }
            },
        )?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn create_server(
        &mut self,
        name: &str,
        server_type: Option<&str>,
        version: Option<&str>,
        wrapper: &str,
        if_not_exists: bool,
        options: &[GenericOption],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let caller = self.caller()?;
        if self.server_by_name(name).is_ok() {
            if if_not_exists {
                notice(sink, format!("server \"{name}\" already exists, skipping"));
                return Ok(());
            }
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "server \"{}\" already exists",
                name
            ));
        }
        let fdw = self.wrapper_by_name(wrapper)?;
        if !caller.has_usage(
            caller.me,
            fdw.owner,
            &fdw.acl,
            ObjectKind::ForeignDataWrapper,
        ) {
            return Err(permission_denied("foreign-data wrapper", &fdw.name));
        }
        let options = transform_options(Vec::new(), options)?;
        validate_options(fdw.validator, &options, PG_FOREIGN_SERVER)?;
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        let text = |t: Option<&str>| t.map_or(Datum::Null, |t| Datum::Text(t.to_string()));
        self.insert_catalog_row(
            CatalogRow::new(catalog(PG_FOREIGN_SERVER))
                .set("oid", Datum::Oid(oid.0))
                .set("srvname", Datum::Text(name.to_string()))
                .set("srvowner", Datum::Oid(caller.me.0))
                .set("srvfdw", Datum::Oid(fdw.oid.0))
                .set("srvtype", text(server_type))
                .set("srvversion", text(version))
                .set("srvacl", Datum::Null)
                .set("srvoptions", options_datum(&options)),
        )
    }

    fn alter_server(
        &mut self,
        name: &str,
        version: Option<&Option<String>>,
        options: &[GenericOption],
    ) -> Result<()> {
        let caller = self.caller()?;
        let server = self.server_by_name(name)?;
        if !caller.owns(server.owner) {
            return Err(must_be_owner("foreign server", &server.name));
        }
        let new_options = if options.is_empty() {
            None
        } else {
            let fdw = self.wrapper_by_oid(server.wrapper)?;
            let o = transform_options(server.options.clone(), options)?;
            validate_options(fdw.validator, &o, PG_FOREIGN_SERVER)?;
            Some(o)
        };
        let c = catalog(PG_FOREIGN_SERVER);
        let key = Datum::Oid(server.oid.0);
        self.update_catalog_row(
            c,
            |r| r[c.col("oid")] == key,
            |r| {
                if let Some(v) = version {
                    r[c.col("srvversion")] = v.clone().map_or(Datum::Null, Datum::Text);
                }
                if let Some(o) = &new_options {
                    r[c.col("srvoptions")] = options_datum(o);
                }
            },
        )?;
        Ok(())
    }

    /// The user a user mapping names: 0 for PUBLIC.
    fn mapping_user(&self, user: &RoleSpec) -> Result<Oid> {
        match user {
            RoleSpec::Public => Ok(ACL_ID_PUBLIC),
            other => Ok(self.resolve_role_spec(other)?.oid),
        }
    }

    /// Rule 3 (PostgreSQL's `user_mapping_ddl_aclcheck`).
    fn user_mapping_check(&self, caller: &Caller, user: Oid, server: &ServerRow) -> Result<()> {
        if caller.owns(server.owner) {
            return Ok(());
        }
        if user == caller.me {
            if caller.has_usage(
                caller.me,
                server.owner,
                &server.acl,
                ObjectKind::ForeignServer,
            ) {
                return Ok(());
            }
            return Err(permission_denied("foreign server", &server.name));
        }
        Err(must_be_owner("foreign server", &server.name))
    }

    fn mapping_oid(&self, user: Oid, server: Oid) -> Result<Option<Oid>> {
        Ok(user_mappings(&self.catalog_reader())?
            .into_iter()
            .find(|m| m.user == user && m.server == server)
            .map(|m| m.oid))
    }

    fn create_user_mapping(
        &mut self,
        user: &RoleSpec,
        server: &str,
        if_not_exists: bool,
        options: &[GenericOption],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let caller = self.caller()?;
        let user = self.mapping_user(user)?;
        let server = self.server_by_name(server)?;
        self.user_mapping_check(&caller, user, &server)?;
        if self.mapping_oid(user, server.oid)?.is_some() {
            let message = format!(
                "user mapping for \"{}\" already exists for server \"{}\"",
                mapping_user_name(self, user)?,
                server.name
            );
            if if_not_exists {
                notice(sink, format!("{message}, skipping"));
                return Ok(());
            }
            return Err(pg_err!(DUPLICATE_OBJECT, "{}", message));
        }
        let fdw = self.wrapper_by_oid(server.wrapper)?;
        let options = transform_options(Vec::new(), options)?;
        validate_options(fdw.validator, &options, PG_USER_MAPPING)?;
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            CatalogRow::new(catalog(PG_USER_MAPPING))
                .set("oid", Datum::Oid(oid.0))
                .set("umuser", Datum::Oid(user.0))
                .set("umserver", Datum::Oid(server.oid.0))
                .set("umoptions", options_datum(&options)),
        )
    }

    fn alter_user_mapping(
        &mut self,
        user: &RoleSpec,
        server: &str,
        options: &[GenericOption],
    ) -> Result<()> {
        let caller = self.caller()?;
        let user = self.mapping_user(user)?;
        let server = self.server_by_name(server)?;
        let Some(oid) = self.mapping_oid(user, server.oid)? else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "user mapping for \"{}\" does not exist for server \"{}\"",
                mapping_user_name(self, user)?,
                server.name
            ));
        };
        self.user_mapping_check(&caller, user, &server)?;
        let current = user_mappings(&self.catalog_reader())?
            .into_iter()
            .find(|m| m.oid == oid)
            .map(|m| m.options)
            .unwrap_or_default();
        let fdw = self.wrapper_by_oid(server.wrapper)?;
        let options: Options = transform_options(current, options)?;
        validate_options(fdw.validator, &options, PG_USER_MAPPING)?;
        let c = catalog(PG_USER_MAPPING);
        let key = Datum::Oid(oid.0);
        self.update_catalog_row(
            c,
            |r| r[c.col("oid")] == key,
            |r| r[c.col("umoptions")] = options_datum(&options),
        )?;
        Ok(())
    }

    fn drop_user_mapping(
        &mut self,
        user: &RoleSpec,
        server: &str,
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let caller = self.caller()?;
        let user = match user {
            RoleSpec::Name(name) if missing_ok && self.role_by_name(name)?.is_none() => {
                notice(sink, format!("role \"{name}\" does not exist, skipping"));
                return Ok(());
            }
            other => self.mapping_user(other)?,
        };
        let server = match self.server_by_name(server) {
            Ok(s) => s,
            Err(_) if missing_ok => {
                notice(
                    sink,
                    format!("server \"{server}\" does not exist, skipping"),
                );
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let Some(oid) = self.mapping_oid(user, server.oid)? else {
            let message = format!(
                "user mapping for \"{}\" does not exist for server \"{}\"",
                mapping_user_name(self, user)?,
                server.name
            );
            if missing_ok {
                notice(sink, format!("{message}, skipping"));
                return Ok(());
            }
            return Err(pg_err!(UNDEFINED_OBJECT, "{}", message));
        };
        self.user_mapping_check(&caller, user, &server)?;
        self.remove_user_mapping(oid)
    }

    fn remove_user_mapping(&mut self, oid: Oid) -> Result<()> {
        let c = catalog(PG_USER_MAPPING);
        let key = Datum::Oid(oid.0);
        self.delete_catalog_rows(PG_USER_MAPPING, |r| r[c.col("oid")] == key)?;
        Ok(())
    }

    /// What depends on a wrapper or server, in report order (`foreign_data_catalog`
    /// rule 2), as `(object kind, OID)` pairs with their descriptions.
    fn foreign_dependents(
        &self,
        kind: ForeignObjectKind,
        oid: Oid,
        description: &str,
        out: &mut Vec<(ForeignObjectKind, Option<bool>, Dependent)>,
    ) -> Result<()> {
        let reader = self.catalog_reader();
        match kind {
            ForeignObjectKind::Wrapper => {
                for s in servers(&reader)?.into_iter().filter(|s| s.wrapper == oid) {
                    let d = format!("server {}", s.name);
                    out.push((
                        ForeignObjectKind::Server,
                        None,
                        Dependent {
                            kind: super::dependency::DependentKind::Relation,
                            rel: s.oid,
                            reason: format!("{d} depends on {description}"),
                            description: d.clone(),
                        },
                    ));
                    self.foreign_dependents(ForeignObjectKind::Server, s.oid, &d, out)?;
                }
            }
            ForeignObjectKind::Server => {
                let name = servers(&reader)?
                    .into_iter()
                    .find(|s| s.oid == oid)
                    .map(|s| s.name)
                    .unwrap_or_default();
                // User mappings (`Some(false)`) and foreign tables (`Some(true)`) in OID
                // order.
                let mut items: Vec<(Oid, bool, String)> = Vec::new();
                for m in user_mappings(&reader)?
                    .into_iter()
                    .filter(|m| m.server == oid)
                {
                    items.push((
                        m.oid,
                        false,
                        format!(
                            "user mapping for {} on server {}",
                            mapping_user_name(self, m.user)?,
                            name
                        ),
                    ));
                }
                for (rel, _) in foreign_tables(&reader)?
                    .into_iter()
                    .filter(|(_, s)| *s == oid)
                {
                    if let Some(entry) = reader.entry(rel)? {
                        items.push((rel, true, self.relation_description(&entry)?));
                    }
                }
                items.sort_by_key(|(o, _, _)| *o);
                for (o, table, d) in items {
                    out.push((
                        ForeignObjectKind::Server,
                        Some(table),
                        Dependent {
                            kind: super::dependency::DependentKind::Relation,
                            rel: o,
                            reason: format!("{d} depends on {description}"),
                            description: d,
                        },
                    ));
                    if table {
                        // What depends on the foreign table (views) goes with it.
                        for dep in
                            self.dependent_objects(&super::dependency::DropRoot::Relation(o))?
                        {
                            out.push((ForeignObjectKind::Server, Some(true), dep));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The wrappers whose handler or validator is `function` (and what depends on
    /// them) go with it under CASCADE; otherwise 2BP01 (`foreign_data_catalog` rule 2).
    ///
    /// Errors: 2BP01 `cannot drop function f() because other objects depend on it`.
    pub(crate) fn drop_function_wrapper_dependents(
        &mut self,
        function: Oid,
        root: &str,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let users: Vec<WrapperRow> = wrappers(&self.catalog_reader())?
            .into_iter()
            .filter(|w| w.handler == function || w.validator == function)
            .collect();
        if users.is_empty() {
            return Ok(());
        }
        let mut dependents = Vec::new();
        for w in &users {
            let d = format!("foreign-data wrapper {}", w.name);
            dependents.push((
                ForeignObjectKind::Wrapper,
                None,
                Dependent {
                    kind: super::dependency::DependentKind::Relation,
                    rel: w.oid,
                    reason: format!("{d} depends on {root}"),
                    description: d.clone(),
                },
            ));
            self.foreign_dependents(ForeignObjectKind::Wrapper, w.oid, &d, &mut dependents)?;
        }
        let report: Vec<Dependent> = dependents
            .iter()
            .map(|(_, _, d)| Dependent {
                kind: d.kind,
                rel: d.rel,
                reason: d.reason.clone(),
                description: d.description.clone(),
            })
            .collect();
        self.report_dependents(root, &report, cascade, sink)?;
        self.remove_foreign_dependents(&dependents)
    }

    fn remove_foreign_dependents(
        &mut self,
        dependents: &[(ForeignObjectKind, Option<bool>, Dependent)],
    ) -> Result<()> {
        for (kind, what, d) in dependents.iter().rev() {
            match (kind, what) {
                (ForeignObjectKind::Wrapper, _) => {
                    let c = catalog(PG_FOREIGN_DATA_WRAPPER);
                    let key = Datum::Oid(d.rel.0);
                    self.delete_catalog_rows(PG_FOREIGN_DATA_WRAPPER, |r| r[c.col("oid")] == key)?;
                    self.delete_comments(d.rel, PG_FOREIGN_DATA_WRAPPER, None)?;
                }
                (_, None) => self.remove_server(d.rel)?,
                (_, Some(false)) => self.remove_user_mapping(d.rel)?,
                (_, Some(true)) => {
                    self.lock_relation(d.rel, crate::lock::LockMode::AccessExclusive)?;
                    self.drop_relation_object(d.rel)?;
                }
            }
        }
        Ok(())
    }

    fn drop_foreign_objects(
        &mut self,
        kind: ForeignObjectKind,
        names: &[String],
        missing_ok: bool,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let caller = self.caller()?;
        for name in names {
            let found = match kind {
                ForeignObjectKind::Wrapper => self
                    .wrapper_by_name(name)
                    .map(|w| (w.oid, w.owner, format!("foreign-data wrapper {}", w.name))),
                ForeignObjectKind::Server => self
                    .server_by_name(name)
                    .map(|s| (s.oid, s.owner, format!("server {}", s.name))),
            };
            let (oid, owner, description) = match found {
                Ok(f) => f,
                Err(e) if missing_ok => {
                    notice(sink, format!("{}, skipping", e.message));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !caller.owns(owner) {
                return Err(match kind {
                    ForeignObjectKind::Wrapper => must_be_owner("foreign-data wrapper", name),
                    ForeignObjectKind::Server => must_be_owner("foreign server", name),
                });
            }
            let mut dependents = Vec::new();
            self.foreign_dependents(kind, oid, &description, &mut dependents)?;
            if !dependents.is_empty() {
                let report: Vec<Dependent> = dependents
                    .iter()
                    .map(|(_, _, d)| Dependent {
                        kind: d.kind,
                        rel: d.rel,
                        reason: d.reason.clone(),
                        description: d.description.clone(),
                    })
                    .collect();
                self.report_dependents(&description, &report, cascade, sink)?;
            }
            self.remove_foreign_dependents(&dependents)?;
            match kind {
                ForeignObjectKind::Wrapper => {
                    let c = catalog(PG_FOREIGN_DATA_WRAPPER);
                    let key = Datum::Oid(oid.0);
                    self.delete_catalog_rows(PG_FOREIGN_DATA_WRAPPER, |r| r[c.col("oid")] == key)?;
                    self.delete_comments(oid, PG_FOREIGN_DATA_WRAPPER, None)?;
                }
                ForeignObjectKind::Server => self.remove_server(oid)?,
            }
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    fn remove_server(&mut self, oid: Oid) -> Result<()> {
        let c = catalog(PG_FOREIGN_SERVER);
        let key = Datum::Oid(oid.0);
        self.delete_catalog_rows(PG_FOREIGN_SERVER, |r| r[c.col("oid")] == key)?;
        self.delete_comments(oid, PG_FOREIGN_SERVER, None)
    }

    fn rename_foreign_object(
        &mut self,
        kind: ForeignObjectKind,
        name: &str,
        new_name: &str,
    ) -> Result<()> {
        let caller = self.caller()?;
        let (catalog_oid, oid, name_column) = match kind {
            ForeignObjectKind::Wrapper => {
                let w = self.wrapper_by_name(name)?;
                if !caller.owns(w.owner) {
                    return Err(must_be_owner("foreign-data wrapper", name));
                }
                if self.wrapper_by_name(new_name).is_ok() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "foreign-data wrapper \"{}\" already exists",
                        new_name
                    ));
                }
                (PG_FOREIGN_DATA_WRAPPER, w.oid, "fdwname")
            }
            ForeignObjectKind::Server => {
                let s = self.server_by_name(name)?;
                if !caller.owns(s.owner) {
                    return Err(must_be_owner("foreign server", name));
                }
                if self.server_by_name(new_name).is_ok() {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "server \"{}\" already exists",
                        new_name
                    ));
                }
                (PG_FOREIGN_SERVER, s.oid, "srvname")
            }
        };
        let c = catalog(catalog_oid);
        let key = Datum::Oid(oid.0);
        self.update_catalog_row(
            c,
            |r| r[c.col("oid")] == key,
            |r| r[c.col(name_column)] = Datum::Text(new_name.to_string()),
        )?;
        Ok(())
    }

    fn foreign_object_owner(
        &mut self,
        kind: ForeignObjectKind,
        name: &str,
        owner: &RoleSpec,
    ) -> Result<()> {
        let caller = self.caller()?;
        let new_owner = self.resolve_role_spec(owner)?.oid;
        let (catalog_oid, oid, old_owner, acl, owner_column, acl_column) = match kind {
            ForeignObjectKind::Wrapper => {
                let w = self.wrapper_by_name(name)?;
                if w.owner != new_owner {
                    if !caller.superuser() {
                        return Err(insufficient(
                            format!(
                                "permission denied to change owner of foreign-data wrapper \"{name}\""
                            ),
                            "Must be superuser to change owner of a foreign-data wrapper.",
                        ));
                    }
                    if !caller.privileges.is_superuser(new_owner) {
                        return Err(insufficient(
                            format!(
                                "permission denied to change owner of foreign-data wrapper \"{name}\""
                            ),
                            "The owner of a foreign-data wrapper must be a superuser.",
                        ));
                    }
                }
                (
                    PG_FOREIGN_DATA_WRAPPER,
                    w.oid,
                    w.owner,
                    w.acl,
                    "fdwowner",
                    "fdwacl",
                )
            }
            ForeignObjectKind::Server => {
                let s = self.server_by_name(name)?;
                if s.owner != new_owner && !caller.superuser() {
                    if !caller.owns(s.owner) {
                        return Err(must_be_owner("foreign server", name));
                    }
                    let memberships = self.memberships()?;
                    if !super::role_catalog::is_member_of_role_nosuper(
                        &memberships,
                        caller.me,
                        new_owner,
                    ) {
                        return Err(pg_err!(
                            INSUFFICIENT_PRIVILEGE,
                            "must be member of role \"{}\"",
                            self.role_spec_name(owner)
                        ));
                    }
                    let fdw = self.wrapper_by_oid(s.wrapper)?;
                    if !caller.has_usage(
                        new_owner,
                        fdw.owner,
                        &fdw.acl,
                        ObjectKind::ForeignDataWrapper,
                    ) {
                        return Err(permission_denied("foreign-data wrapper", &fdw.name));
                    }
                }
                (
                    PG_FOREIGN_SERVER,
                    s.oid,
                    s.owner,
                    s.acl,
                    "srvowner",
                    "srvacl",
                )
            }
        };
        if old_owner == new_owner {
            return Ok(());
        }
        let new_acl = match acl_from_datum(&acl) {
            Some(items) => acl_to_datum(&acl_new_owner(&items, old_owner, new_owner)),
            None => Datum::Null,
        };
        let c = catalog(catalog_oid);
        let key = Datum::Oid(oid.0);
        self.update_catalog_row(
            c,
            |r| r[c.col("oid")] == key,
            |r| {
                r[c.col(owner_column)] = Datum::Oid(new_owner.0);
                r[c.col(acl_column)] = new_acl;
            },
        )?;
        Ok(())
    }

    fn comment_foreign_object(
        &mut self,
        kind: ForeignObjectKind,
        name: &str,
        comment: Option<&str>,
    ) -> Result<()> {
        let caller = self.caller()?;
        let (class, oid) = match kind {
            ForeignObjectKind::Wrapper => {
                let w = self.wrapper_by_name(name)?;
                if !caller.owns(w.owner) {
                    return Err(must_be_owner("foreign-data wrapper", name));
                }
                (PG_FOREIGN_DATA_WRAPPER, w.oid)
            }
            ForeignObjectKind::Server => {
                let s = self.server_by_name(name)?;
                if !caller.owns(s.owner) {
                    return Err(must_be_owner("foreign server", name));
                }
                (PG_FOREIGN_SERVER, s.oid)
            }
        };
        self.delete_comments(oid, class, Some(0))?;
        if let Some(text) = comment {
            let description =
                syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
            self.insert_catalog_row(
                CatalogRow::new(description)
                    .set("objoid", Datum::Oid(oid.0))
                    .set("classoid", Datum::Oid(class.0))
                    .set("objsubid", Datum::Int4(0))
                    .set("description", Datum::Text(text.to_string())),
            )?;
        }
        Ok(())
    }

    /// The error of using a foreign table or server whose wrapper cannot run (rule 5).
    ///
    /// Errors: 55000 `foreign-data wrapper "w" has no handler`; 0A000 when it has one.
    pub(crate) fn foreign_server_routine_error(&self, server: Oid) -> Result<Error> {
        routine_error(&self.catalog_reader(), server)
    }

    fn import_foreign_schema(&mut self, server: &str, local_schema: &str) -> Result<()> {
        let caller = self.caller()?;
        let s = self.server_by_name(server)?;
        if !caller.has_usage(caller.me, s.owner, &s.acl, ObjectKind::ForeignServer) {
            return Err(permission_denied("foreign server", &s.name));
        }
        if self.catalog_reader().namespace_oid(local_schema)?.is_none() {
            return Err(pg_err!(
                UNDEFINED_SCHEMA,
                "schema \"{}\" does not exist",
                local_schema
            ));
        }
        Err(self.foreign_server_routine_error(s.oid)?)
    }

    /// GRANT's view of a wrapper or server: `(catalog, oid, owner, acl)`.
    ///
    /// Errors: 42704 for a missing object.
    pub(crate) fn foreign_grant_target(
        &self,
        kind: ForeignObjectKind,
        name: &str,
    ) -> Result<(Oid, Oid, Oid, Datum)> {
        Ok(match kind {
            ForeignObjectKind::Wrapper => {
                let w = self.wrapper_by_name(name)?;
                (PG_FOREIGN_DATA_WRAPPER, w.oid, w.owner, w.acl)
            }
            ForeignObjectKind::Server => {
                let s = self.server_by_name(name)?;
                (PG_FOREIGN_SERVER, s.oid, s.owner, s.acl)
            }
        })
    }
}
