//! CREATE ROLE, ALTER ROLE, ALTER ROLE ... RENAME TO and DROP ROLE (PostgreSQL 15's
//! `CreateRole`, `AlterRole`, `RenameRole`, `DropRole`): `pg_authid` rows written in the
//! session's transaction.
//!
//! Rules (PostgreSQL 15's checks, in its order):
//! 1. Creating a superuser, replication or bypassrls role needs a superuser; any other
//!    role needs CREATEROLE (42501). Altering, renaming or dropping a superuser needs a
//!    superuser; without CREATEROLE one may only change one's own password.
//! 2. Names beginning with `pg_` are reserved (42939); a name may be used once (42710).
//! 3. Passwords are stored as verifiers per `password_encryption` (`crate::password`);
//!    an empty password clears it with a NOTICE; renaming clears an md5 password (its
//!    salt is the name).
//! 4. Roles are shared objects: creations and drops take `ShareUpdateExclusiveLock` on
//!    `pg_authid` so two sessions cannot create the same name.
//! 5. A role that owns objects in the current database cannot be dropped (2BP01, with
//!    PostgreSQL's `owner of ...` detail lines); built-in roles never can.
//!
//! Entry point: [`Session::role_statement`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_role::{RoleOption, RoleSpec, RoleStmt, RoleStmtKind};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::role_catalog::{auth_members, authid, RoleRow, PG_AUTHID, PG_AUTH_MEMBERS};
use super::Session;
use crate::lock::LockMode;
use crate::sink::{NoticeSeverity, Sink};

/// The options of one statement, each given at most once.
#[derive(Default)]
struct RoleOptions {
    superuser: Option<bool>,
    createdb: Option<bool>,
    createrole: Option<bool>,
    login: Option<bool>,
    inherit: Option<bool>,
    replication: Option<bool>,
    bypassrls: Option<bool>,
    connlimit: Option<i32>,
    password: Option<Option<String>>,
    valid_until: Option<String>,
    in_role: Vec<RoleSpec>,
    members: Option<Vec<RoleSpec>>,
    admins: Vec<RoleSpec>,
}

/// Collects options, refusing repeats.
///
/// Errors: 42601 `conflicting or redundant options`; 22023 `invalid connection limit: n`.
fn collect_options(options: &[(RoleOption, usize)]) -> Result<RoleOptions> {
    let mut out = RoleOptions::default();
    let mut seen: Vec<&str> = Vec::new();
    for (option, at) in options {
        if seen.contains(&option.key()) {
            return Err(pg_err!(SYNTAX_ERROR, "conflicting or redundant options")
                .with_statement_offset(*at));
        }
        seen.push(option.key());
        match option {
            RoleOption::Superuser(b) => out.superuser = Some(*b),
            RoleOption::CreateDb(b) => out.createdb = Some(*b),
            RoleOption::CreateRole(b) => out.createrole = Some(*b),
            RoleOption::Login(b) => out.login = Some(*b),
            RoleOption::Inherit(b) => out.inherit = Some(*b),
            RoleOption::Replication(b) => out.replication = Some(*b),
            RoleOption::BypassRls(b) => out.bypassrls = Some(*b),
            RoleOption::ConnectionLimit(n) => {
                if *n < -1 {
                    return Err(pg_err!(
                        INVALID_PARAMETER_VALUE,
                        "invalid connection limit: {}",
                        n
                    ));
                }
                out.connlimit = Some(*n);
            }
            RoleOption::Password(p) => out.password = Some(p.clone()),
            RoleOption::ValidUntil(v) => out.valid_until = Some(v.clone()),
            RoleOption::InRole(r) => out.in_role = r.clone(),
            RoleOption::Role(r) => out.members = Some(r.clone()),
            RoleOption::Admin(r) => out.admins = r.clone(),
            RoleOption::SysId => {}
        }
    }
    Ok(out)
}

trait StatementOffset {
    fn with_statement_offset(self, at: usize) -> Self;
}

impl StatementOffset for Error {
    /// Offsets are bytes of ASCII-leading statements here; positions are 1-based.
    fn with_statement_offset(self, at: usize) -> Error {
        if at == usize::MAX {
            self
        } else {
            self.position(at as u32 + 1)
        }
    }
}

fn reserved_role_name_check(name: &str) -> Result<()> {
    if name.starts_with("pg_") {
        return Err(pg_err!(RESERVED_NAME, "role name \"{}\" is reserved", name)
            .detail("Role names starting with \"pg_\" are reserved."));
    }
    Ok(())
}

fn insufficient(message: &str) -> Error {
    Error::new(SqlState::INSUFFICIENT_PRIVILEGE, message)
}

impl Session {
    /// Runs a role statement; returns its command tag.
    ///
    /// Errors: see [`Session::create_role`], [`Session::alter_role`],
    /// [`Session::rename_role`], [`Session::drop_roles`],
    /// `Session::grant_role` (`role_membership.rs`); 25006 in a read-only transaction.
    pub(crate) fn role_statement(
        &mut self,
        stmt: &RoleStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let tag = match stmt {
            RoleStmt::Create { .. } => "CREATE ROLE",
            RoleStmt::Alter { .. } | RoleStmt::Rename { .. } => "ALTER ROLE",
            RoleStmt::Drop { .. } => "DROP ROLE",
            RoleStmt::ReassignOwned { .. } => "REASSIGN OWNED",
            RoleStmt::DropOwned { .. } => "DROP OWNED",
            RoleStmt::GrantRole { is_grant: true, .. } => "GRANT ROLE",
            RoleStmt::GrantRole { .. } => "REVOKE ROLE",
        };
        self.read_only_check(tag)?;
        self.lock_relation(PG_AUTHID, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        match stmt {
            RoleStmt::Create {
                kind,
                name,
                options,
            } => self.create_role(*kind, name, options, sink)?,
            RoleStmt::Alter {
                role,
                options,
                action,
            } => self.alter_role(role, options, *action, sink)?,
            RoleStmt::Rename { name, new_name } => self.rename_role(name, new_name, sink)?,
            RoleStmt::Drop { roles, missing_ok } => self.drop_roles(roles, *missing_ok, sink)?,
            RoleStmt::ReassignOwned { roles, new_role } => self.reassign_owned(roles, new_role)?,
            RoleStmt::DropOwned { roles, cascade } => self.drop_owned(roles, *cascade, sink)?,
            RoleStmt::GrantRole {
                is_grant,
                granted,
                grantees,
                admin_option,
                grantor,
            } => self.grant_role(
                *is_grant,
                granted,
                grantees,
                *admin_option,
                grantor.as_ref(),
                sink,
            )?,
        }
        Ok(tag.to_string())
    }

    /// The stored form of a new password (rule 3); `None` clears it.
    fn stored_password(
        &self,
        role: &str,
        password: &Option<String>,
        sink: &mut dyn Sink,
    ) -> Option<String> {
        let password = password.as_ref()?;
        if password.is_empty() {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "empty string is not a valid password, clearing password"
                ),
            );
            return None;
        }
        let method = self.config.get_string("password_encryption");
        Some(crate::password::encrypt_password(role, password, &method))
    }

    /// `VALID UNTIL` text as a `timestamptz` value.
    ///
    /// Errors: 22007/22008 for text `timestamptz` input refuses.
    fn valid_until_value(&self, text: &str) -> Result<Datum> {
        tusk_executor::io::text_in(text, type_oid::TIMESTAMPTZ, -1, &self.output)
    }

    /// `CREATE ROLE | USER | GROUP name [WITH] options`.
    ///
    /// Errors: 42501 `permission denied to create role`, `must be superuser to create
    /// superusers` (and replication / bypassrls users); 42939 reserved name; 42710 `role
    /// "x" already exists`; 42601 repeated options; 22023 bad connection limit; 42704 for
    /// unknown roles in IN ROLE / ROLE / ADMIN; the membership errors of GRANT.
    fn create_role(
        &mut self,
        kind: RoleStmtKind,
        name: &str,
        options: &[(RoleOption, usize)],
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let o = collect_options(options)?;
        if options.iter().any(|(o, _)| *o == RoleOption::SysId) {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(SUCCESSFUL_COMPLETION, "SYSID can no longer be specified"),
            );
        }
        let me = self.current_role_row()?;
        if o.superuser == Some(true) {
            if !me.superuser {
                return Err(insufficient("must be superuser to create superusers"));
            }
        } else if o.replication == Some(true) {
            if !me.superuser {
                return Err(insufficient(
                    "must be superuser to create replication users",
                ));
            }
        } else if o.bypassrls == Some(true) {
            if !me.superuser {
                return Err(insufficient("must be superuser to create bypassrls users"));
            }
        } else if !(me.superuser || me.createrole) {
            return Err(insufficient("permission denied to create role"));
        }
        reserved_role_name_check(name)?;
        if self.role_by_name(name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "role \"{}\" already exists",
                name
            ));
        }
        let valid_until = match &o.valid_until {
            Some(text) => self.valid_until_value(text)?,
            None => Datum::Null,
        };
        let password = match &o.password {
            Some(p) => self.stored_password(name, p, sink),
            None => None,
        };
        let cluster = self.db.cluster.clone();
        let oid = cluster.xact.oids.next_oid(&cluster.wal);
        self.insert_catalog_row(
            CatalogRow::new(authid())
                .set("oid", Datum::Oid(oid.0))
                .set("rolname", Datum::Text(name.to_string()))
                .set("rolsuper", Datum::Bool(o.superuser.unwrap_or(false)))
                .set("rolinherit", Datum::Bool(o.inherit.unwrap_or(true)))
                .set("rolcreaterole", Datum::Bool(o.createrole.unwrap_or(false)))
                .set("rolcreatedb", Datum::Bool(o.createdb.unwrap_or(false)))
                .set(
                    "rolcanlogin",
                    Datum::Bool(o.login.unwrap_or(kind == RoleStmtKind::User)),
                )
                .set(
                    "rolreplication",
                    Datum::Bool(o.replication.unwrap_or(false)),
                )
                .set("rolbypassrls", Datum::Bool(o.bypassrls.unwrap_or(false)))
                .set("rolconnlimit", Datum::Int4(o.connlimit.unwrap_or(-1)))
                .set("rolpassword", password.map_or(Datum::Null, Datum::Text))
                .set("rolvaliduntil", valid_until),
        )?;
        self.txn.command_counter_increment();
        let new_spec = [RoleSpec::Name(name.to_string())];
        for group in &o.in_role {
            let group = self.resolve_role_spec(group)?;
            self.add_role_members(&group, &new_spec, me.oid, false, sink)?;
        }
        let created = self.existing_role(name)?;
        self.add_role_members(&created, &o.admins, me.oid, true, sink)?;
        let members = o.members.unwrap_or_default();
        self.add_role_members(&created, &members, me.oid, false, sink)?;
        Ok(())
    }

    /// `ALTER ROLE name [WITH] options` and `ALTER GROUP g ADD | DROP USER u, ...`.
    ///
    /// Errors: 42704 unknown role; 42501 `must be superuser to alter superuser roles or
    /// change superuser attribute` (and the replication / bypassrls forms), `permission
    /// denied`, `permission denied: bootstrap user must be superuser`; 42601 repeated
    /// options; 22023 bad connection limit; the membership errors of GRANT/REVOKE.
    fn alter_role(
        &mut self,
        role: &RoleSpec,
        options: &[(RoleOption, usize)],
        action: i32,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let o = collect_options(options)?;
        let target = self.resolve_role_spec(role)?;
        let me = self.current_role_row()?;
        if target.superuser || o.superuser.is_some() {
            if !me.superuser {
                return Err(insufficient(
                    "must be superuser to alter superuser roles or change superuser attribute",
                ));
            }
        } else if target.replication || o.replication.is_some() {
            if !me.superuser {
                return Err(insufficient(
                    "must be superuser to alter replication roles or change replication attribute",
                ));
            }
        } else if o.bypassrls.is_some() {
            if !me.superuser {
                return Err(insufficient(
                    "must be superuser to change bypassrls attribute",
                ));
            }
        } else if !(me.superuser || me.createrole) {
            let only_own_password = o.inherit.is_none()
                && o.createrole.is_none()
                && o.createdb.is_none()
                && o.login.is_none()
                && o.connlimit.is_none()
                && o.members.is_none()
                && o.valid_until.is_none()
                && o.password.is_some()
                && target.oid == me.oid;
            if !only_own_password {
                return Err(insufficient("permission denied"));
            }
        }
        if o.superuser == Some(false) && target.oid == syscat::BOOTSTRAP_SUPERUSER {
            return Err(insufficient(
                "permission denied: bootstrap user must be superuser",
            ));
        }
        let valid_until = match &o.valid_until {
            Some(text) => Some(self.valid_until_value(text)?),
            None => None,
        };
        let password = o
            .password
            .as_ref()
            .map(|p| self.stored_password(&target.name, p, sink));
        let c = authid();
        let changes: Vec<(usize, Datum)> = [
            ("rolsuper", o.superuser.map(Datum::Bool)),
            ("rolinherit", o.inherit.map(Datum::Bool)),
            ("rolcreaterole", o.createrole.map(Datum::Bool)),
            ("rolcreatedb", o.createdb.map(Datum::Bool)),
            ("rolcanlogin", o.login.map(Datum::Bool)),
            ("rolreplication", o.replication.map(Datum::Bool)),
            ("rolbypassrls", o.bypassrls.map(Datum::Bool)),
            ("rolconnlimit", o.connlimit.map(Datum::Int4)),
            (
                "rolpassword",
                password.map(|p| p.map_or(Datum::Null, Datum::Text)),
            ),
            ("rolvaliduntil", valid_until),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (c.col(name), v)))
        .collect();
        if !changes.is_empty() {
            let c_oid = c.col("oid");
            let target_oid = Datum::Oid(target.oid.0);
            self.update_catalog_row(
                c,
                |r| r[c_oid] == target_oid,
                |row| {
                    for (col, value) in changes {
                        row[col] = value;
                    }
                },
            )?;
            self.txn.command_counter_increment();
        }
        if let Some(members) = &o.members {
            if action > 0 {
                self.add_role_members(&target, members, me.oid, false, sink)?;
            } else {
                self.del_role_members(&target, members, false, sink)?;
            }
        }
        Ok(())
    }

    /// `ALTER ROLE name RENAME TO new_name`.
    ///
    /// Errors: 42704 unknown role; 0A000 `session user cannot be renamed`; 42939
    /// reserved names; 42710 `role "x" already exists`; 42501 `must be superuser to
    /// rename superusers`, `permission denied to rename role`.
    fn rename_role(&mut self, name: &str, new_name: &str, sink: &mut dyn Sink) -> Result<()> {
        let target = self.existing_role(name)?;
        if target.name == self.user {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "session user cannot be renamed",
            ));
        }
        reserved_role_name_check(&target.name)?;
        reserved_role_name_check(new_name)?;
        if self.role_by_name(new_name)?.is_some() {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "role \"{}\" already exists",
                new_name
            ));
        }
        let me = self.current_role_row()?;
        if target.superuser {
            if !me.superuser {
                return Err(insufficient("must be superuser to rename superusers"));
            }
        } else if !(me.superuser || me.createrole) {
            return Err(insufficient("permission denied to rename role"));
        }
        let clear_md5 = target.password.as_deref().is_some_and(|p| {
            crate::password::PasswordType::of(p) == crate::password::PasswordType::Md5
        });
        let c = authid();
        let (c_oid, c_name, c_password) = (c.col("oid"), c.col("rolname"), c.col("rolpassword"));
        let target_oid = Datum::Oid(target.oid.0);
        let new_name = new_name.to_string();
        self.update_catalog_row(
            c,
            |r| r[c_oid] == target_oid,
            |row| {
                row[c_name] = Datum::Text(new_name);
                if clear_md5 {
                    row[c_password] = Datum::Null;
                }
            },
        )?;
        if clear_md5 {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "MD5 password cleared because of role rename"
                ),
            );
        }
        Ok(())
    }

    /// `DROP ROLE [IF EXISTS] name, ...`.
    ///
    /// Errors: 42501 `permission denied to drop role`, `must be superuser to drop
    /// superusers`; 22023 `cannot use special role specifier in DROP ROLE`; 42704 unknown
    /// role without IF EXISTS; 55006 `current user cannot be dropped`, `session user
    /// cannot be dropped`; 2BP01 for built-in roles and roles owning objects (rule 5).
    fn drop_roles(
        &mut self,
        roles: &[RoleSpec],
        missing_ok: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if !self.have_createrole_privilege()? {
            return Err(insufficient("permission denied to drop role"));
        }
        for spec in roles {
            let RoleSpec::Name(name) = spec else {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "cannot use special role specifier in DROP ROLE"
                ));
            };
            let Some(target) = self.role_by_name(name)? else {
                if !missing_ok {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "role \"{}\" does not exist",
                        name
                    ));
                }
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "role \"{}\" does not exist, skipping",
                        name
                    ),
                );
                continue;
            };
            if target.name == self.user {
                return Err(pg_err!(OBJECT_IN_USE, "current user cannot be dropped"));
            }
            if !self.current_role_row()?.superuser && target.superuser {
                return Err(insufficient("must be superuser to drop superusers"));
            }
            if target.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop role {} because it is required by the database system",
                    target.name
                ));
            }
            // Policy targets first, then owned objects, as PostgreSQL's pg_shdepend scan
            // lists them for a role that owns objects and is named by policies.
            let mut owned = self.policy_role_dependencies(target.oid)?;
            // Owned objects and default privileges in creation order (OIDs), as
            // pg_shdepend lists them, then privileges held.
            let (mut objects, privileges): (Vec<_>, Vec<_>) = self
                .default_acl_dependencies(target.oid)?
                .into_iter()
                .partition(|(_, line)| line.starts_with("owner of "));
            objects.extend(self.objects_owned_by(&target)?);
            objects.sort_by_key(|(oid, _)| oid.0);
            owned.extend(objects.into_iter().map(|(_, line)| line));
            owned.extend(privileges.into_iter().map(|(_, line)| line));
            owned.extend(self.privilege_dependencies(target.oid)?);
            owned.extend(self.foreign_data_role_dependencies(target.oid)?);
            if !owned.is_empty() {
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "role \"{}\" cannot be dropped because some objects depend on it",
                    target.name
                )
                .detail(owned.join("\n")));
            }
            let role_oid = Datum::Oid(target.oid.0);
            let c_oid = authid().col("oid");
            self.delete_catalog_rows(PG_AUTHID, |r| r[c_oid] == role_oid)?;
            let m = auth_members();
            let (c_role, c_member) = (m.col("roleid"), m.col("member"));
            self.delete_catalog_rows(PG_AUTH_MEMBERS, |r| {
                r[c_role] == role_oid || r[c_member] == role_oid
            })?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// PostgreSQL's DETAIL lines for the objects of the current database `role` owns
    /// (`owner of table t`, `owner of schema s`, ...), from the owner columns.
    ///
    /// Errors: catalog read errors.
    fn objects_owned_by(&self, role: &RoleRow) -> Result<Vec<(Oid, String)>> {
        use tusk_executor::CatalogNames as _;
        let owner = Datum::Oid(role.oid.0);
        let reader = self.catalog_reader();
        let names = super::catalog_names::Names(super::catalog_names::SessionCatalogNames::new(
            self.db.cluster.clone(),
            &reader,
        ));
        let oid_of = |d: &Datum| match d {
            Datum::Oid(o) => Oid(*o),
            _ => Oid::INVALID,
        };
        let mut lines = Vec::new();
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let (n_oid, n_name, n_owner) = (
            namespace.col("oid"),
            namespace.col("nspname"),
            namespace.col("nspowner"),
        );
        let namespaces = reader.scan(namespace)?;
        let schema_name = |oid: &Datum| -> String {
            namespaces
                .iter()
                .find(|(_, r)| &r[n_oid] == oid)
                .map(|(_, r)| text(&r[n_name]).to_string())
                .unwrap_or_default()
        };
        for (_, r) in &namespaces {
            if r[n_owner] == owner {
                lines.push((
                    oid_of(&r[n_oid]),
                    format!("owner of schema {}", text(&r[n_name])),
                ));
            }
        }
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_oid, c_name, c_ns, c_owner, c_kind) = (
            class.col("oid"),
            class.col("relname"),
            class.col("relnamespace"),
            class.col("relowner"),
            class.col("relkind"),
        );
        let mut composite = Vec::new();
        for (_, r) in reader.scan(class)? {
            if text(&r[c_kind]) == "c" {
                composite.push(oid_of(&r[c_oid]));
            }
            if r[c_owner] != owner {
                continue;
            }
            let kind = match text(&r[c_kind]) {
                "r" | "p" => "table",
                "v" => "view",
                "m" => "materialized view",
                "S" => "sequence",
                "f" => "foreign table",
                // Indexes and TOAST tables go with their tables, composite types are
                // owned through their pg_type rows.
                _ => continue,
            };
            let schema = schema_name(&r[c_ns]);
            let name = text(&r[c_name]);
            let line = if schema == "public" || schema.starts_with("pg_temp") {
                format!("owner of {kind} {name}")
            } else {
                format!("owner of {kind} {schema}.{name}")
            };
            lines.push((oid_of(&r[c_oid]), line));
        }
        let proc = syscat::system_catalog(syscat::PG_PROC).expect("pg_proc");
        let (p_oid, p_name, p_owner) = (proc.col("oid"), proc.col("proname"), proc.col("proowner"));
        for (_, r) in reader.scan(proc)? {
            let oid = oid_of(&r[p_oid]);
            if r[p_owner] == owner && oid.0 >= syscat::FIRST_NORMAL_OBJECT_ID {
                let signature = names
                    .function_signature(oid)
                    .unwrap_or_else(|| text(&r[p_name]).to_string());
                lines.push((oid, format!("owner of function {signature}")));
            }
        }
        // Types made by CREATE TYPE or CREATE DOMAIN (not array types, not the row types
        // of relations other than composite types).
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        for (_, r) in reader.scan(pg_type)? {
            let oid = oid_of(&r[pg_type.col("oid")]);
            if r[pg_type.col("typowner")] != owner
                || oid.0 < syscat::FIRST_NORMAL_OBJECT_ID
                || text(&r[pg_type.col("typcategory")]) == "A"
            {
                continue;
            }
            let relation = oid_of(&r[pg_type.col("typrelid")]);
            if relation != Oid::INVALID && !composite.contains(&relation) {
                continue;
            }
            let name = names
                .type_name(oid)
                .unwrap_or_else(|| text(&r[pg_type.col("typname")]).to_string());
            lines.push((oid, format!("owner of type {name}")));
        }
        lines.sort_by_key(|(oid, _)| oid.0);
        Ok(lines)
    }
}

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}
