//! Reading roles: `pg_authid` rows as [`RoleRow`]s, `pg_auth_members` as a membership
//! graph, and the session's current role and its attributes (PostgreSQL's `superuser()`,
//! `have_createrole_privilege()`, `is_member_of_role_nosuper`, `is_admin_of_role`).
//!
//! Rules:
//! 1. The current user is the session's role (`Session::user`) until SET ROLE exists; its
//!    attributes are read from the catalog at each check, so ALTER ROLE takes effect at
//!    once, as in PostgreSQL.
//! 2. Membership is transitive; `is_member_of_role_nosuper` ignores superuserness and
//!    counts a role as a member of itself.
//! 3. `pg_authid` and `pg_auth_members` are shared catalogs: one copy for all databases.
//!
//! Entry points: [`Session::role_rows`], [`Session::role_by_name`],
//! [`Session::current_role_row`], [`Session::resolve_role_spec`], [`login_role`].

use std::cell::RefCell;

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::Session;
use crate::database::Database;
use crate::heap::ReadView;
use crate::relcache::{CatalogReader, RelCache};

/// `pg_authid`'s OID.
pub(crate) const PG_AUTHID: Oid = Oid(1260);
/// `pg_auth_members`'s OID.
pub(crate) const PG_AUTH_MEMBERS: Oid = Oid(1261);
/// `pg_database_owner`, the predefined role whose members are implicit.
pub(crate) const PG_DATABASE_OWNER: Oid = Oid(6171);

/// One `pg_authid` row.
// Every column is decoded; privilege checks read `inherit`, authentication `valid_until`.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub struct RoleRow {
    /// `oid`.
    pub oid: Oid,
    /// `rolname`.
    pub name: String,
    /// `rolsuper`.
    pub superuser: bool,
    /// `rolinherit`.
    pub inherit: bool,
    /// `rolcreaterole`.
    pub createrole: bool,
    /// `rolcreatedb`.
    pub createdb: bool,
    /// `rolcanlogin`.
    pub canlogin: bool,
    /// `rolreplication`.
    pub replication: bool,
    /// `rolbypassrls`.
    pub bypassrls: bool,
    /// `rolconnlimit` (-1: no limit).
    pub connlimit: i32,
    /// `rolpassword` (a verifier), if set.
    pub password: Option<String>,
    /// `rolvaliduntil` in microseconds since 2000-01-01 UTC, if set.
    pub valid_until: Option<i64>,
}

/// One `pg_auth_members` row: `member` belongs to `role`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Membership {
    /// `roleid`: the group.
    pub role: Oid,
    /// `member`.
    pub member: Oid,
    /// `grantor`.
    pub grantor: Oid,
    /// `admin_option`.
    pub admin_option: bool,
}

pub(crate) fn authid() -> &'static SysCatalog {
    syscat::system_catalog(PG_AUTHID).expect("pg_authid")
}

pub(crate) fn auth_members() -> &'static SysCatalog {
    syscat::system_catalog(PG_AUTH_MEMBERS).expect("pg_auth_members")
}

fn oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn boolean(d: &Datum) -> bool {
    matches!(d, Datum::Bool(true))
}

/// A `pg_authid` row as a [`RoleRow`].
pub(crate) fn role_row(r: &[Datum]) -> RoleRow {
    let c = authid();
    RoleRow {
        oid: oid(&r[c.col("oid")]),
        name: match &r[c.col("rolname")] {
            Datum::Text(s) => s.clone(),
            _ => String::new(),
        },
        superuser: boolean(&r[c.col("rolsuper")]),
        inherit: boolean(&r[c.col("rolinherit")]),
        createrole: boolean(&r[c.col("rolcreaterole")]),
        createdb: boolean(&r[c.col("rolcreatedb")]),
        canlogin: boolean(&r[c.col("rolcanlogin")]),
        replication: boolean(&r[c.col("rolreplication")]),
        bypassrls: boolean(&r[c.col("rolbypassrls")]),
        connlimit: match &r[c.col("rolconnlimit")] {
            Datum::Int4(n) => *n,
            _ => -1,
        },
        password: match &r[c.col("rolpassword")] {
            Datum::Text(s) => Some(s.clone()),
            _ => None,
        },
        valid_until: match &r[c.col("rolvaliduntil")] {
            Datum::TimestampTz(t) => Some(*t),
            _ => None,
        },
    }
}

pub(crate) fn membership(r: &[Datum]) -> Membership {
    let c = auth_members();
    Membership {
        role: oid(&r[c.col("roleid")]),
        member: oid(&r[c.col("member")]),
        grantor: oid(&r[c.col("grantor")]),
        admin_option: boolean(&r[c.col("admin_option")]),
    }
}

/// The login role `name` as the catalogs say now (`None` if there is none), read outside
/// any session: connection start-up uses it before the session exists (rule 3).
///
/// Errors: I/O and commit-log errors.
pub(crate) fn login_role(db: &Database, backend: u32, name: &str) -> Result<Option<RoleRow>> {
    let c_name = authid().col("rolname");
    with_startup_reader(db, backend, |reader| {
        Ok(reader
            .scan(authid())?
            .into_iter()
            .find(|(_, r)| matches!(&r[c_name], Datum::Text(s) if s == name))
            .map(|(_, r)| role_row(&r)))
    })
}

/// Runs `f` with a catalog reader of the shared catalogs as they are now, for connection
/// start-up before a session exists (a fresh snapshot, no cache).
///
/// Errors: `f`'s.
pub(crate) fn with_startup_reader<T>(
    db: &Database,
    backend: u32,
    f: impl FnOnce(&CatalogReader<'_>) -> Result<T>,
) -> Result<T> {
    let cluster = &db.cluster;
    let services = &cluster.xact;
    let cache = RefCell::new(RelCache::default());
    let reader = CatalogReader {
        pool: &cluster.pool,
        clog: &services.clog,
        db: crate::cluster::POSTGRES_OID,
        generation: std::cell::Cell::new(
            services
                .catalog_generation
                .load(std::sync::atomic::Ordering::Acquire),
        ),
        view: RefCell::new(ReadView {
            snapshot: services.procarray.snapshot(backend),
            xids: Vec::new(),
            curcid: 0,
        }),
        cache: &cache,
        bypass_cache: true,
        own_changes_cid: None,
        search_path: Vec::new(),
        row_security_user: None,
    };
    f(&reader)
}

impl Session {
    /// Every role (`pg_authid`), in catalog order.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn role_rows(&self) -> Result<Vec<RoleRow>> {
        Ok(self
            .catalog_reader()
            .scan(authid())?
            .into_iter()
            .map(|(_, r)| role_row(&r))
            .collect())
    }

    /// The role named `name`, if it exists.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn role_by_name(&self, name: &str) -> Result<Option<RoleRow>> {
        Ok(self.role_rows()?.into_iter().find(|r| r.name == name))
    }

    /// The role named `name`.
    ///
    /// Errors: 42704 `role "x" does not exist`; catalog read errors.
    pub(crate) fn existing_role(&self, name: &str) -> Result<RoleRow> {
        self.role_by_name(name)?
            .ok_or_else(|| pg_err!(UNDEFINED_OBJECT, "role \"{}\" does not exist", name))
    }

    /// The current user's row (rule 1).
    ///
    /// Errors: 42704 if the session's role was dropped meanwhile; catalog read errors.
    pub(crate) fn current_role_row(&self) -> Result<RoleRow> {
        self.existing_role(&self.user)
    }

    /// PostgreSQL's `have_createrole_privilege()`: superuser or `CREATEROLE`.
    ///
    /// Errors: as [`Session::current_role_row`].
    pub(crate) fn have_createrole_privilege(&self) -> Result<bool> {
        let me = self.current_role_row()?;
        Ok(me.superuser || me.createrole)
    }

    /// The role a [`RoleSpec`] names (PostgreSQL's `get_rolespec_tuple`).
    ///
    /// Errors: 42704 `role "x" does not exist` (also for `PUBLIC`, which is no role);
    /// catalog read errors.
    pub(crate) fn resolve_role_spec(&self, spec: &RoleSpec) -> Result<RoleRow> {
        match spec {
            RoleSpec::Name(name) => self.existing_role(name),
            RoleSpec::CurrentUser | RoleSpec::CurrentRole | RoleSpec::SessionUser => {
                self.current_role_row()
            }
            RoleSpec::Public => Err(pg_err!(
                UNDEFINED_OBJECT,
                "role \"{}\" does not exist",
                "public"
            )),
        }
    }

    /// The name a [`RoleSpec`] shows in messages (PostgreSQL's `get_rolespec_name`).
    pub(crate) fn role_spec_name(&self, spec: &RoleSpec) -> String {
        match spec {
            RoleSpec::Name(name) => name.clone(),
            RoleSpec::Public => "public".to_string(),
            _ => self.user.clone(),
        }
    }

    /// Every `pg_auth_members` row.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn memberships(&self) -> Result<Vec<Membership>> {
        Ok(self
            .catalog_reader()
            .scan(auth_members())?
            .into_iter()
            .map(|(_, r)| membership(&r))
            .collect())
    }
}

/// Whether `member` is `role` or belongs to it through any chain of memberships (rule 2;
/// PostgreSQL's `is_member_of_role_nosuper`).
pub(crate) fn is_member_of_role_nosuper(
    memberships: &[Membership],
    member: Oid,
    role: Oid,
) -> bool {
    let mut seen = vec![member];
    let mut frontier = vec![member];
    while let Some(m) = frontier.pop() {
        if m == role {
            return true;
        }
        for g in memberships.iter().filter(|x| x.member == m) {
            if !seen.contains(&g.role) {
                seen.push(g.role);
                frontier.push(g.role);
            }
        }
    }
    false
}

/// Whether `member` holds the admin option on `role`, directly or through roles it
/// belongs to (PostgreSQL 15's `is_admin_of_role`, without the superuser shortcut).
pub(crate) fn is_admin_of_role(memberships: &[Membership], member: Oid, role: Oid) -> bool {
    memberships.iter().any(|m| {
        m.role == role && m.admin_option && is_member_of_role_nosuper(memberships, member, m.member)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(role: u32, member: u32, admin: bool) -> Membership {
        Membership {
            role: Oid(role),
            member: Oid(member),
            grantor: Oid(10),
            admin_option: admin,
        }
    }

    #[test]
    fn membership_is_transitive_and_reflexive() {
        let graph = [m(1, 2, false), m(2, 3, false)];
        assert!(is_member_of_role_nosuper(&graph, Oid(3), Oid(1)));
        assert!(is_member_of_role_nosuper(&graph, Oid(3), Oid(3)));
        assert!(!is_member_of_role_nosuper(&graph, Oid(1), Oid(3)));
    }

    #[test]
    fn membership_cycles_terminate() {
        let graph = [m(1, 2, false), m(2, 1, false)];
        assert!(!is_member_of_role_nosuper(&graph, Oid(1), Oid(9)));
    }

    #[test]
    fn admin_option_reaches_members_of_the_holder() {
        let graph = [m(1, 2, true), m(2, 3, false)];
        assert!(is_admin_of_role(&graph, Oid(3), Oid(1)));
        assert!(!is_admin_of_role(&graph, Oid(1), Oid(2)));
    }
}
