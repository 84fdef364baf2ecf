//! GRANT role TO role and REVOKE role FROM role (PostgreSQL 15's `GrantRole`,
//! `AddRoleMems`, `DelRoleMems`): `pg_auth_members` rows.
//!
//! Rules:
//! 1. Changing the members of a superuser role needs a superuser; of any other role,
//!    CREATEROLE or the admin option on it (42501 `must have admin option on role "x"`).
//! 2. A grant that would make a role a member of itself, directly or through others, is
//!    refused (0LP01 `role "g" is a member of role "m"`).
//! 3. Granting an existing membership is a NOTICE (or adds the admin option); revoking a
//!    missing one is a WARNING. `REVOKE ADMIN OPTION FOR` keeps the membership.
//! 4. `pg_database_owner` has no explicit members and belongs to no role.
//!
//! Entry points: `Session::grant_role`, `Session::add_role_members`,
//! `Session::del_role_members`.

use tusk_catalog::syscat::CatalogRow;
use tusk_sql::ast_role::RoleSpec;
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::role_catalog::{
    auth_members, is_admin_of_role, is_member_of_role_nosuper, RoleRow, PG_AUTH_MEMBERS,
    PG_DATABASE_OWNER,
};
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

impl Session {
    /// `GRANT role, ... TO role, ... [WITH ADMIN OPTION] [GRANTED BY r]` and its REVOKE.
    ///
    /// Errors: 42704 unknown roles (also `PUBLIC` as a grantee); those of
    /// [`Session::add_role_members`] and [`Session::del_role_members`].
    pub(crate) fn grant_role(
        &mut self,
        is_grant: bool,
        granted: &[String],
        grantees: &[RoleSpec],
        admin_option: bool,
        grantor: Option<&RoleSpec>,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let grantor = match grantor {
            Some(spec) => self.resolve_role_spec(spec)?.oid,
            None => self.current_role_row()?.oid,
        };
        for spec in grantees {
            self.resolve_role_spec(spec)?;
        }
        for name in granted {
            let role = self.existing_role(name)?;
            if is_grant {
                self.add_role_members(&role, grantees, grantor, admin_option, sink)?;
            } else {
                self.del_role_members(&role, grantees, admin_option, sink)?;
            }
        }
        Ok(())
    }

    /// Rule 1 for changing the members of `role`.
    fn membership_change_check(&self, role: &RoleRow) -> Result<()> {
        let me = self.current_role_row()?;
        if role.superuser {
            if !me.superuser {
                return Err(Error::new(
                    SqlState::INSUFFICIENT_PRIVILEGE,
                    "must be superuser to alter superusers",
                ));
            }
        } else if !(me.superuser
            || me.createrole
            || is_admin_of_role(&self.memberships()?, me.oid, role.oid))
        {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "must have admin option on role \"{}\"",
                role.name
            ));
        }
        Ok(())
    }

    /// Makes `members` members of `role` (PostgreSQL's `AddRoleMems`).
    ///
    /// Errors: 42501 (rule 1); 0LP01 (rules 2 and 4); 42704 unknown members.
    pub(crate) fn add_role_members(
        &mut self,
        role: &RoleRow,
        members: &[RoleSpec],
        grantor: Oid,
        admin_option: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if members.is_empty() {
            return Ok(());
        }
        self.membership_change_check(role)?;
        if role.oid == PG_DATABASE_OWNER {
            return Err(pg_err!(
                INVALID_GRANT_OPERATION,
                "role \"{}\" cannot have explicit members",
                role.name
            ));
        }
        let c = auth_members();
        let (c_role, c_member, c_admin) = (c.col("roleid"), c.col("member"), c.col("admin_option"));
        for spec in members {
            let member = self.resolve_role_spec(spec)?;
            let member_name = self.role_spec_name(spec);
            if member.oid == PG_DATABASE_OWNER {
                return Err(pg_err!(
                    INVALID_GRANT_OPERATION,
                    "role \"{}\" cannot be a member of any role",
                    member.name
                ));
            }
            let graph = self.memberships()?;
            if is_member_of_role_nosuper(&graph, role.oid, member.oid) {
                return Err(pg_err!(
                    INVALID_GRANT_OPERATION,
                    "role \"{}\" is a member of role \"{}\"",
                    role.name,
                    member_name
                ));
            }
            let existing = graph
                .iter()
                .find(|m| m.role == role.oid && m.member == member.oid);
            match existing {
                Some(m) if !admin_option || m.admin_option => {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "role \"{}\" is already a member of role \"{}\"",
                            member_name,
                            role.name
                        ),
                    );
                    continue;
                }
                Some(_) => {
                    let (r, m) = (Datum::Oid(role.oid.0), Datum::Oid(member.oid.0));
                    self.update_catalog_row(
                        c,
                        |row| row[c_role] == r && row[c_member] == m,
                        |row| row[c_admin] = Datum::Bool(true),
                    )?;
                }
                None => {
                    self.insert_catalog_row(
                        CatalogRow::new(c)
                            .set("roleid", Datum::Oid(role.oid.0))
                            .set("member", Datum::Oid(member.oid.0))
                            .set("grantor", Datum::Oid(grantor.0))
                            .set("admin_option", Datum::Bool(admin_option)),
                    )?;
                }
            }
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    /// Removes `members` from `role`, or only their admin option (PostgreSQL's
    /// `DelRoleMems`).
    ///
    /// Errors: 42501 (rule 1); 42704 unknown members.
    pub(crate) fn del_role_members(
        &mut self,
        role: &RoleRow,
        members: &[RoleSpec],
        admin_option_only: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        if members.is_empty() {
            return Ok(());
        }
        self.membership_change_check(role)?;
        let c = auth_members();
        let (c_role, c_member, c_admin) = (c.col("roleid"), c.col("member"), c.col("admin_option"));
        for spec in members {
            let member = self.resolve_role_spec(spec)?;
            let graph = self.memberships()?;
            if !graph
                .iter()
                .any(|m| m.role == role.oid && m.member == member.oid)
            {
                sink.notice(
                    NoticeSeverity::Warning,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "role \"{}\" is not a member of role \"{}\"",
                        self.role_spec_name(spec),
                        role.name
                    ),
                );
                continue;
            }
            let (r, m) = (Datum::Oid(role.oid.0), Datum::Oid(member.oid.0));
            if admin_option_only {
                self.update_catalog_row(
                    c,
                    |row| row[c_role] == r && row[c_member] == m,
                    |row| row[c_admin] = Datum::Bool(false),
                )?;
            } else {
                self.delete_catalog_rows(PG_AUTH_MEMBERS, |row| {
                    row[c_role] == r && row[c_member] == m
                })?;
            }
            self.txn.command_counter_increment();
        }
        Ok(())
    }
}
