//! `REASSIGN OWNED BY old_role [, ...] TO new_role` (PostgreSQL's `ReassignOwnedObjects`
//! and `shdepReassignOwned`; docs: SQL Commands, REASSIGN OWNED).
//!
//! Rules:
//! 1. Unless a superuser, the current user must have the privileges of every old role
//!    and of the new one (42501 `permission denied to reassign objects`).
//! 2. The bootstrap superuser's objects cannot change hands (2BP01: they are required
//!    by the database system).
//! 3. Every object of the current database owned by an old role gets the new owner:
//!    relations (with their indexes, TOAST tables and row types), types, functions,
//!    schemas, collations, conversions, operators and their classes and families,
//!    languages, large objects, foreign-data wrappers and servers, event triggers,
//!    publications, subscriptions of this database, extended statistics, text search
//!    configurations and dictionaries, extensions; and so does every database and
//!    tablespace (shared objects) it owns. Where the object has an ACL, the old owner's
//!    entries become the new owner's (PostgreSQL's `aclnewowner`), as ALTER ... OWNER TO
//!    does.
//!
//! Entry point: `Session::reassign_owned`.

use tusk_catalog::syscat;
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{acl_from_datum, acl_new_owner, acl_to_datum};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::Session;

/// The catalogs whose rows have an owner: catalog, owner column, ACL column.
const OWNED_CATALOGS: &[(&str, &str, Option<&str>)] = &[
    ("pg_class", "relowner", Some("relacl")),
    ("pg_type", "typowner", Some("typacl")),
    ("pg_proc", "proowner", Some("proacl")),
    ("pg_namespace", "nspowner", Some("nspacl")),
    ("pg_collation", "collowner", None),
    ("pg_conversion", "conowner", None),
    ("pg_operator", "oprowner", None),
    ("pg_opclass", "opcowner", None),
    ("pg_opfamily", "opfowner", None),
    ("pg_language", "lanowner", Some("lanacl")),
    ("pg_largeobject_metadata", "lomowner", Some("lomacl")),
    ("pg_foreign_data_wrapper", "fdwowner", Some("fdwacl")),
    ("pg_foreign_server", "srvowner", Some("srvacl")),
    ("pg_event_trigger", "evtowner", None),
    ("pg_publication", "pubowner", None),
    ("pg_subscription", "subowner", None),
    ("pg_statistic_ext", "stxowner", None),
    ("pg_ts_config", "cfgowner", None),
    ("pg_ts_dict", "dictowner", None),
    ("pg_extension", "extowner", None),
    ("pg_database", "datdba", Some("datacl")),
    ("pg_tablespace", "spcowner", Some("spcacl")),
];

impl Session {
    /// `REASSIGN OWNED BY roles TO new_role` (module rules).
    ///
    /// Errors: 42704 `role "x" does not exist`; 42501 `permission denied to reassign
    /// objects`; 2BP01 `cannot reassign ownership of objects owned by role x because
    /// they are required by the database system`; catalog errors.
    pub(crate) fn reassign_owned(&mut self, roles: &[RoleSpec], new_role: &RoleSpec) -> Result<()> {
        let mut old = Vec::with_capacity(roles.len());
        for spec in roles {
            old.push(self.resolve_role_spec(spec)?);
        }
        let new = self.resolve_role_spec(new_role)?;
        if !self.superuser {
            let (me, privileges) = self.privileges_for_check()?;
            let denied = old
                .iter()
                .chain(std::iter::once(&new))
                .any(|r| !privileges.has_privs_of_role(me, r.oid));
            if denied {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied to reassign objects"
                ));
            }
        }
        for role in &old {
            if role.oid == syscat::BOOTSTRAP_SUPERUSER {
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot reassign ownership of objects owned by role {} because they are required by the database system",
                    role.name
                ));
            }
        }
        let old: Vec<Oid> = old
            .iter()
            .map(|r| r.oid)
            .filter(|&o| o != new.oid)
            .collect();
        for &(name, owner_col, acl_col) in OWNED_CATALOGS {
            let Some(class) = syscat::system_catalog_by_name(name) else {
                continue;
            };
            let (c_oid, c_owner) = (class.col("oid"), class.col(owner_col));
            // A subscription belongs to one database (`subdbid`).
            let c_db = (name == "pg_subscription").then(|| class.col("subdbid"));
            let owned: Vec<(Oid, Oid)> = self
                .catalog_reader()
                .scan(class)?
                .into_iter()
                .filter(|(_, r)| c_db.is_none_or(|c| r[c] == Datum::Oid(self.db_oid.0)))
                .filter_map(|(_, r)| match (&r[c_oid], &r[c_owner]) {
                    (Datum::Oid(oid), Datum::Oid(owner)) if old.contains(&Oid(*owner)) => {
                        Some((Oid(*oid), Oid(*owner)))
                    }
                    _ => None,
                })
                .collect();
            let new_owner = new.oid;
            for (oid, previous) in owned {
                self.update_object_row(class, oid, move |row, c| {
                    if let Some(acl_col) = acl_col {
                        if let Some(acl) = acl_from_datum(&row[c(acl_col)]) {
                            row[c(acl_col)] =
                                acl_to_datum(&acl_new_owner(&acl, previous, new_owner));
                        }
                    }
                    row[c(owner_col)] = Datum::Oid(new_owner.0);
                })?;
            }
        }
        self.refresh_user_types()?;
        Ok(())
    }
}
