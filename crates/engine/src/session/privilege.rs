//! Privilege checks (PostgreSQL's `aclchk.c`): whose rights a statement runs with, what
//! an object's ACL gives them, and the 42501 errors when it is not enough.
//!
//! Rules:
//! 1. A superuser has every privilege; so does an object's owner on its own object, as
//!    its ACL says (a NULL ACL is the owner's default, `acl_default`).
//! 2. A role has the privileges of the roles it is a member of through chains of
//!    memberships where each member has INHERIT (PostgreSQL 15's `has_privs_of_role`);
//!    PUBLIC's privileges belong to everyone.
//! 3. `pg_read_all_data` members have SELECT on every relation, `pg_write_all_data`
//!    members INSERT, UPDATE and DELETE.
//! 4. Checks read `pg_authid`, `pg_auth_members` and `pg_class` through the relation
//!    cache's decoded rows: no catalog scan per row or per check.
//! 5. System catalogs and views (`pg_catalog`, `information_schema`) keep a NULL ACL but
//!    are readable by PUBLIC, as PostgreSQL's initdb grants (known difference: PostgreSQL
//!    keeps a few, such as `pg_authid`, from PUBLIC).
//!
//! Entry points: [`Session::check_relation_uses`], [`Privileges`].

use tusk_catalog::syscat;
use tusk_sql::analyze::RelationUse;
use tusk_types::adt::acl::{
    acl_default, acl_from_datum, acl_mask, AclItem, AclMode, ObjectKind, ACL_DELETE, ACL_INSERT,
    ACL_SELECT, ACL_TRUNCATE, ACL_UPDATE,
};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::role_catalog::{auth_members, authid, membership, role_row, Membership, RoleRow};
use super::Session;
use crate::relcache::CatalogReader;

/// `pg_read_all_data`.
pub(crate) const PG_READ_ALL_DATA: Oid = Oid(6181);
/// `pg_write_all_data`.
pub(crate) const PG_WRITE_ALL_DATA: Oid = Oid(6182);

/// `pg_catalog` and `information_schema`'s OIDs (rule 5).
const SYSTEM_NAMESPACES: [Oid; 2] = [syscat::PG_CATALOG_NAMESPACE, Oid(13207)];

/// The roles and memberships of the cluster, read once for a statement's checks.
pub(crate) struct Privileges {
    roles: Vec<RoleRow>,
    memberships: Vec<Membership>,
}

impl Privileges {
    /// Reads the roles and memberships (cached catalog rows, rule 4).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn read(reader: &CatalogReader<'_>) -> Result<Privileges> {
        let roles = reader.rows(authid())?.iter().map(|r| role_row(r)).collect();
        let memberships = reader
            .rows(auth_members())?
            .iter()
            .map(|r| membership(r))
            .collect();
        Ok(Privileges { roles, memberships })
    }

    /// The role named `name`.
    pub(crate) fn role_by_name(&self, name: &str) -> Option<&RoleRow> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The role with OID `oid`.
    pub(crate) fn role(&self, oid: Oid) -> Option<&RoleRow> {
        self.roles.iter().find(|r| r.oid == oid)
    }

    /// Whether `role` is a superuser.
    pub(crate) fn is_superuser(&self, role: Oid) -> bool {
        self.role(role).is_some_and(|r| r.superuser)
    }

    /// `role` and every role whose privileges it has (rule 2).
    pub(crate) fn roles_with_privileges_of(&self, role: Oid) -> Vec<Oid> {
        let mut out = vec![role];
        let mut frontier = vec![role];
        while let Some(m) = frontier.pop() {
            if !self.role(m).is_some_and(|r| r.inherit) {
                continue;
            }
            for g in self.memberships.iter().filter(|x| x.member == m) {
                if !out.contains(&g.role) {
                    out.push(g.role);
                    frontier.push(g.role);
                }
            }
        }
        out
    }

    /// Whether `member` is a member of `role`, directly or not, inheriting or not
    /// (superusers are members of every role; PostgreSQL's `is_member_of_role`).
    pub(crate) fn is_member_of_role(&self, member: Oid, role: Oid) -> bool {
        self.is_superuser(member)
            || super::role_catalog::is_member_of_role_nosuper(&self.memberships, member, role)
    }

    /// Whether `member` has the privileges of `role` (superusers have everyone's).
    pub(crate) fn has_privs_of_role(&self, member: Oid, role: Oid) -> bool {
        member == role
            || self.is_superuser(member)
            || self.roles_with_privileges_of(member).contains(&role)
    }

    /// The privileges among `wanted` that `role` has on an object with `acl` (NULL: the
    /// default of `kind`) owned by `owner` (rules 1 and 2), and the grant options among
    /// them.
    pub(crate) fn mask(
        &self,
        role: Oid,
        owner: Oid,
        acl: &Datum,
        kind: ObjectKind,
        wanted: AclMode,
    ) -> (AclMode, AclMode) {
        if self.is_superuser(role) {
            return (wanted, wanted);
        }
        let items: Vec<AclItem> = acl_from_datum(acl).unwrap_or_else(|| acl_default(kind, owner));
        let roles = self.roles_with_privileges_of(role);
        let (privileges, mut options) = acl_mask(&items, &roles);
        if roles.contains(&owner) {
            // The owner's grant options are implicit.
            options |= kind.all_rights();
        }
        (privileges & wanted, options & wanted)
    }
}

/// The object kind and the noun of error messages of a relation of `relkind`
/// (PostgreSQL's `get_relkind_objtype`).
pub(crate) fn relation_kind(relkind: &str) -> (ObjectKind, &'static str) {
    match relkind {
        "S" => (ObjectKind::Sequence, "sequence"),
        "v" => (ObjectKind::Relation, "view"),
        "m" => (ObjectKind::Relation, "materialized view"),
        "f" => (ObjectKind::Relation, "foreign table"),
        "i" | "I" => (ObjectKind::Relation, "index"),
        "c" => (ObjectKind::Relation, "composite type"),
        _ => (ObjectKind::Relation, "table"),
    }
}

/// The parts of a `pg_class` row privilege checks read.
pub(crate) struct ClassAcl {
    /// `relname`.
    pub(crate) name: String,
    /// `relowner`.
    pub(crate) owner: Oid,
    /// `relkind`.
    pub(crate) kind: String,
    /// `relacl` (NULL: the owner's default).
    pub(crate) acl: Datum,
    /// `relnamespace`.
    pub(crate) namespace: Oid,
}

/// The `pg_class` row of `rel`, if it exists (cached rows, rule 4).
///
/// Errors: catalog read errors.
pub(crate) fn class_acl(reader: &CatalogReader<'_>, rel: Oid) -> Result<Option<ClassAcl>> {
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let rows = reader.rows(class)?;
    let Some(r) = rows.first_matching(class.col("oid"), rel) else {
        return Ok(None);
    };
    let text = |d: &Datum| match d {
        Datum::Text(s) => s.clone(),
        _ => String::new(),
    };
    let oid = |d: &Datum| match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    };
    Ok(Some(ClassAcl {
        name: text(&r[class.col("relname")]),
        owner: oid(&r[class.col("relowner")]),
        kind: text(&r[class.col("relkind")]),
        acl: r[class.col("relacl")].clone(),
        namespace: oid(&r[class.col("relnamespace")]),
    }))
}

/// 42501 `permission denied for <noun> <name>` (PostgreSQL's `aclcheck_error`).
pub(crate) fn permission_denied(noun: &str, name: &str) -> Error {
    pg_err!(
        INSUFFICIENT_PRIVILEGE,
        "permission denied for {} {}",
        noun,
        name
    )
}

/// 42501 `must be owner of <noun> <name>`.
pub(crate) fn must_be_owner(noun: &str, name: &str) -> Error {
    pg_err!(INSUFFICIENT_PRIVILEGE, "must be owner of {} {}", noun, name)
}

impl Session {
    /// The current user's OID (the owner of what it creates).
    ///
    /// Errors: catalog read errors; 42704 if the current role was dropped.
    pub(crate) fn current_user_oid(&self) -> Result<Oid> {
        Ok(self.privileges_for_check()?.0)
    }

    /// The current user's OID and the cluster's roles, for a check.
    ///
    /// Errors: catalog read errors; 42704 if the current role was dropped.
    pub(crate) fn privileges_for_check(&self) -> Result<(Oid, Privileges)> {
        let privileges = Privileges::read(&self.catalog_reader())?;
        let me = privileges
            .role_by_name(&self.user)
            .map(|r| r.oid)
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", self.user))?;
        Ok((me, privileges))
    }

    /// Checks that the current user owns relation `rel` (or has its owner's privileges,
    /// or is a superuser), as ALTER and DROP require.
    ///
    /// Errors: 42501 `must be owner of table t` (view, sequence, ...); catalog read errors.
    pub(crate) fn check_relation_owner(&self, rel: Oid) -> Result<()> {
        self.check_relation_owner_as(rel, None)
    }

    /// [`Session::check_relation_owner`], the error naming the relation with `noun`
    /// instead of its kind (PostgreSQL says `must be owner of relation t` for a column or
    /// a table constraint).
    ///
    /// Errors: 42501; catalog read errors.
    pub(crate) fn check_relation_owner_as(&self, rel: Oid, noun: Option<&str>) -> Result<()> {
        if self.superuser || self.internal_cleanup {
            return Ok(());
        }
        let Some(row) = class_acl(&self.catalog_reader(), rel)? else {
            return Ok(());
        };
        let (me, privileges) = self.privileges_for_check()?;
        if privileges.has_privs_of_role(me, row.owner) {
            return Ok(());
        }
        Err(must_be_owner(
            noun.unwrap_or(relation_kind(&row.kind).1),
            &row.name,
        ))
    }

    /// Checks that the current user holds `required` on relation `rel` (TRUNCATE, LOCK
    /// TABLE, COPY).
    ///
    /// Errors: 42501 `permission denied for table t`; catalog read errors.
    pub(crate) fn check_relation_privilege(&self, rel: Oid, required: AclMode) -> Result<()> {
        if self.internal_cleanup {
            return Ok(());
        }
        self.check_relation_uses(&[RelationUse {
            relation: rel,
            view: None,
            required,
        }])
    }

    /// LOCK TABLE's check (PostgreSQL 15's `LockTableAclCheck`): ACCESS SHARE needs
    /// SELECT, ROW EXCLUSIVE one of INSERT, UPDATE, DELETE, TRUNCATE, stronger modes one
    /// of UPDATE, DELETE, TRUNCATE.
    ///
    /// Errors: 42501 `permission denied for table t`; catalog read errors.
    pub(crate) fn check_lock_table_privilege(
        &self,
        rel: Oid,
        mode: crate::lock::LockMode,
    ) -> Result<()> {
        use crate::lock::LockMode;
        if self.superuser {
            return Ok(());
        }
        let any = match mode {
            LockMode::AccessShare => ACL_SELECT,
            LockMode::RowExclusive => ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE,
            _ => ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE,
        };
        let reader = self.catalog_reader();
        let Some(row) = class_acl(&reader, rel)? else {
            return Ok(());
        };
        let (me, privileges) = self.privileges_for_check()?;
        let (kind, noun) = relation_kind(&row.kind);
        let (have, _) = privileges.mask(me, row.owner, &row.acl, kind, any);
        if have == 0 {
            return Err(permission_denied(noun, &row.name));
        }
        Ok(())
    }

    /// Checks the privileges a statement needs on its relations before it runs
    /// (PostgreSQL's `ExecCheckRTPerms`; rules 1-3; a view's relations with its owner's
    /// rights).
    ///
    /// Errors: 42501 `permission denied for table t` (or view, sequence, ...); catalog
    /// read errors.
    pub(crate) fn check_relation_uses(&self, uses: &[RelationUse]) -> Result<()> {
        if self.superuser && uses.iter().all(|u| u.view.is_none()) {
            return Ok(());
        }
        let reader = self.catalog_reader();
        let (me, privileges) = self.privileges_for_check()?;
        for u in uses {
            let checker = match u.view {
                Some(tusk_sql::analyze::SYSTEM_VIEW) => continue,
                Some(view) => match class_acl(&reader, view)? {
                    Some(v) => v.owner,
                    None => continue,
                },
                None => me,
            };
            if privileges.is_superuser(checker) {
                continue;
            }
            let Some(rel) = class_acl(&reader, u.relation)? else {
                continue;
            };
            let (kind, noun) = relation_kind(&rel.kind);
            let (mut have, _) = privileges.mask(checker, rel.owner, &rel.acl, kind, u.required);
            if rel.acl.is_null() && SYSTEM_NAMESPACES.contains(&rel.namespace) {
                // System catalogs and views are readable by everyone (rule 5).
                have |= u.required & ACL_SELECT;
            }
            let inherited = privileges.roles_with_privileges_of(checker);
            if inherited.contains(&PG_READ_ALL_DATA) {
                have |= u.required & ACL_SELECT;
            }
            if inherited.contains(&PG_WRITE_ALL_DATA) {
                have |= u.required & (ACL_INSERT | ACL_UPDATE | ACL_DELETE);
            }
            if have != u.required {
                return Err(permission_denied(noun, &rel.name));
            }
        }
        Ok(())
    }
}
