//! Default privileges (PostgreSQL docs: ALTER DEFAULT PRIVILEGES; `pg_default_acl`): the
//! ACL an object gets when it is created, by its owner, kind and schema.
//!
//! Rules (PostgreSQL's `SetDefaultACL` and `get_user_default_acl`):
//! 1. A global entry (`defaclnamespace` 0) replaces the hard-wired default ACL of the
//!    kind (`acldefault`); a per-schema entry adds to it. So a global entry starts from
//!    the hard-wired default and a per-schema one from the empty ACL, and an entry equal
//!    to where it started is removed. ACLs are kept sorted (grantee, grantor, privileges).
//! 2. The grantor of every default privilege is the role whose objects it covers.
//! 3. A new object's ACL is the global entry (or the hard-wired default) merged with its
//!    schema's entry; when that equals the hard-wired default it stays NULL.
//! 4. Only the role itself or its members may change its defaults; `IN SCHEMA` does not
//!    go with `ON SCHEMAS`.
//!
//! Entry points: `Session::alter_default_privileges`, `Session::apply_default_acl` (called
//! for each `pg_class`, `pg_proc`, `pg_type` and `pg_namespace` row written).

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_grant::GrantStmt;
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{
    acl_default, acl_from_datum, acl_grant, acl_revoke, acl_to_datum, privilege_by_name, AclItem,
    DropBehavior, ObjectKind,
};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::Session;

/// `pg_default_acl`'s OID.
const PG_DEFAULT_ACL: Oid = Oid(826);

/// The ACL kind and the noun of errors for a `defaclobjtype`.
fn kind_of(objtype: char) -> (ObjectKind, &'static str) {
    match objtype {
        'S' => (ObjectKind::Sequence, "sequence"),
        'f' => (ObjectKind::Function, "function"),
        'T' => (ObjectKind::Type, "type"),
        'n' => (ObjectKind::Schema, "schema"),
        _ => (ObjectKind::Relation, "table"),
    }
}

/// PostgreSQL's `aclitemsort` order: grantee, grantor, then the privilege bits with the
/// grant options above them.
fn sorted(mut acl: Vec<AclItem>) -> Vec<AclItem> {
    acl.sort_by_key(|i| {
        (
            i.grantee.0,
            i.grantor.0,
            u64::from(i.privileges) | (u64::from(i.grant_options) << 32),
        )
    });
    acl
}

fn oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

impl Session {
    /// The `pg_default_acl` entry of (`role`, `namespace`, `objtype`): its OID and ACL.
    fn default_acl_entry(
        &self,
        role: Oid,
        namespace: Oid,
        objtype: char,
    ) -> Result<Option<(Oid, Vec<AclItem>)>> {
        let catalog = syscat::system_catalog(PG_DEFAULT_ACL).expect("pg_default_acl");
        let rows = self.catalog_reader().rows(catalog)?;
        let letter = Datum::Text(objtype.to_string());
        let found = rows
            .matching(catalog.col("defaclrole"), role)
            .find(|r| {
                oid(&r[catalog.col("defaclnamespace")]) == namespace
                    && r[catalog.col("defaclobjtype")] == letter
            })
            .map(|r| {
                (
                    oid(&r[catalog.col("oid")]),
                    acl_from_datum(&r[catalog.col("defaclacl")]).unwrap_or_default(),
                )
            });
        Ok(found)
    }

    /// `ALTER DEFAULT PRIVILEGES [FOR ROLE roles] [IN SCHEMA schemas] GRANT | REVOKE
    /// privileges ON kind TO | FROM grantees` (module rules).
    ///
    /// Errors: 42501 `must be member of role "r"`; 42704 unknown
    /// role; 3F000 unknown schema; 0LP01 `cannot use IN SCHEMA clause when using
    /// GRANT/REVOKE ON SCHEMAS`, `invalid privilege type X for table`, grant options to
    /// PUBLIC; 42601 unknown privilege; 2BP01 as REVOKE.
    pub(crate) fn alter_default_privileges(
        &mut self,
        stmt: &GrantStmt,
        objtype: char,
        roles: &[RoleSpec],
        schemas: &[String],
    ) -> Result<()> {
        self.read_only_check("ALTER DEFAULT PRIVILEGES")?;
        let (kind, noun) = kind_of(objtype);
        if objtype == 'n' && !schemas.is_empty() {
            return Err(pg_err!(
                INVALID_GRANT_OPERATION,
                "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS"
            ));
        }
        if stmt.privileges.iter().any(|p| !p.columns.is_empty()) {
            return Err(tusk_types::Error::feature_not_supported(
                "column privileges",
            ));
        }
        let all = kind.all_rights();
        let mut wanted = 0;
        for p in &stmt.privileges {
            let name = p.name.clone().unwrap_or_default();
            let bit = privilege_by_name(&name)
                .ok_or_else(|| pg_err!(SYNTAX_ERROR, "unrecognized privilege type \"{}\"", name))?;
            if bit & all == 0 {
                return Err(pg_err!(
                    INVALID_GRANT_OPERATION,
                    "invalid privilege type {} for {}",
                    name.to_ascii_uppercase(),
                    noun
                ));
            }
            wanted |= bit;
        }
        if stmt.privileges.is_empty() {
            wanted = all;
        }
        let grantees = self.grantee_oids(stmt)?;
        let (me, privileges) = self.privileges_for_check()?;
        let mut targets = Vec::new();
        if roles.is_empty() {
            targets.push(me);
        }
        for r in roles {
            let role = self.resolve_role_spec(r)?.oid;
            if !privileges.is_member_of_role(me, role) {
                let name = privileges
                    .role(role)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "must be member of role \"{}\"",
                    name
                ));
            }
            targets.push(role);
        }
        let mut namespaces = Vec::new();
        for s in schemas {
            namespaces.push(
                self.catalog_reader()
                    .namespace_oid(s)?
                    .ok_or_else(|| pg_err!(UNDEFINED_SCHEMA, "schema \"{}\" does not exist", s))?,
            );
        }
        if namespaces.is_empty() {
            namespaces.push(Oid::INVALID);
        }
        let behavior = if stmt.cascade {
            DropBehavior::Cascade
        } else {
            DropBehavior::Restrict
        };
        for &role in &targets {
            for &namespace in &namespaces {
                let start = if namespace == Oid::INVALID {
                    acl_default(kind, role)
                } else {
                    Vec::new()
                };
                let existing = self.default_acl_entry(role, namespace, objtype)?;
                let mut acl = existing
                    .as_ref()
                    .map_or_else(|| start.clone(), |(_, acl)| acl.clone());
                for &grantee in &grantees {
                    if stmt.is_grant {
                        let options = if stmt.grant_option { wanted } else { 0 };
                        acl_grant(&mut acl, grantee, role, wanted, options);
                    } else {
                        acl_revoke(&mut acl, grantee, role, wanted, stmt.grant_option, behavior)?;
                    }
                }
                let acl = sorted(acl);
                let catalog = syscat::system_catalog(PG_DEFAULT_ACL).expect("pg_default_acl");
                let unchanged = acl == sorted(start);
                match existing {
                    Some((entry, _)) if unchanged => {
                        let entry = Datum::Oid(entry.0);
                        let c_oid = catalog.col("oid");
                        self.delete_catalog_rows(PG_DEFAULT_ACL, |r| r[c_oid] == entry)?;
                    }
                    Some((entry, _)) => {
                        let entry = Datum::Oid(entry.0);
                        let (c_oid, c_acl) = (catalog.col("oid"), catalog.col("defaclacl"));
                        let value = acl_to_datum(&acl);
                        self.update_catalog_row(
                            catalog,
                            |r| r[c_oid] == entry,
                            |r| r[c_acl] = value,
                        )?;
                    }
                    None if unchanged => {}
                    None => {
                        let cluster = self.db.cluster.clone();
                        let entry = cluster.xact.oids.next_oid(&cluster.wal);
                        self.insert_catalog_row(
                            CatalogRow::new(catalog)
                                .set("oid", Datum::Oid(entry.0))
                                .set("defaclrole", Datum::Oid(role.0))
                                .set("defaclnamespace", Datum::Oid(namespace.0))
                                .set("defaclobjtype", Datum::Text(objtype.to_string()))
                                .set("defaclacl", acl_to_datum(&acl)),
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    /// DETAIL lines of DROP ROLE, with their entries' OIDs, for the default privileges
    /// that name `role`: `owner of
    /// default privileges on new relations belonging to role r [in schema s]` for its
    /// own entries, `privileges for default privileges on new ...` where it is a grantee
    /// or grantor of another role's.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn default_acl_dependencies(&self, role: Oid) -> Result<Vec<(Oid, String)>> {
        let catalog = syscat::system_catalog(PG_DEFAULT_ACL).expect("pg_default_acl");
        let reader = self.catalog_reader();
        let rows = reader.rows(catalog)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let privileges = super::privilege::Privileges::read(&reader)?;
        let mut lines = Vec::new();
        for r in rows.iter() {
            let owner = oid(&r[catalog.col("defaclrole")]);
            let acl = acl_from_datum(&r[catalog.col("defaclacl")]).unwrap_or_default();
            let prefix = if owner == role {
                "owner of"
            } else if acl.iter().any(|i| i.grantee == role || i.grantor == role) {
                "privileges for"
            } else {
                continue;
            };
            let what = match &r[catalog.col("defaclobjtype")] {
                Datum::Text(t) if t == "S" => "sequences",
                Datum::Text(t) if t == "f" => "functions",
                Datum::Text(t) if t == "T" => "types",
                Datum::Text(t) if t == "n" => "schemas",
                _ => "relations",
            };
            let owner_name = privileges
                .role(owner)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let mut line =
                format!("{prefix} default privileges on new {what} belonging to role {owner_name}");
            let namespace = oid(&r[catalog.col("defaclnamespace")]);
            if namespace != Oid::INVALID {
                if let Some(name) = reader.namespace_name(namespace)? {
                    line.push_str(&format!(" in schema {name}"));
                }
            }
            lines.push((oid(&r[catalog.col("oid")]), line));
        }
        Ok(lines)
    }

    /// The ACL a new object of `objtype` owned by `owner` in `namespace` (0 for schemas)
    /// gets (rule 3); `None` for the hard-wired default (a NULL ACL column).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn default_acl(
        &self,
        objtype: char,
        owner: Oid,
        namespace: Oid,
    ) -> Result<Option<Vec<AclItem>>> {
        let catalog = syscat::system_catalog(PG_DEFAULT_ACL).expect("pg_default_acl");
        if self.catalog_reader().rows(catalog)?.is_empty() {
            return Ok(None);
        }
        let global = self.default_acl_entry(owner, Oid::INVALID, objtype)?;
        let schema = self.default_acl_entry(owner, namespace, objtype)?;
        if global.is_none() && schema.is_none() {
            return Ok(None);
        }
        let (kind, _) = kind_of(objtype);
        let hard_wired = acl_default(kind, owner);
        let mut acl = global.map_or_else(|| hard_wired.clone(), |(_, acl)| acl);
        for item in schema.map(|(_, acl)| acl).unwrap_or_default() {
            acl_grant(
                &mut acl,
                item.grantee,
                item.grantor,
                item.privileges,
                item.grant_options,
            );
        }
        let acl = sorted(acl);
        Ok((acl != sorted(hard_wired)).then_some(acl))
    }

    /// Gives a catalog row about to be written for a new relation, function, type or
    /// schema its default ACL (rule 3), when its ACL column is still NULL.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn apply_default_acl(&self, row: CatalogRow) -> Result<CatalogRow> {
        let catalog = row.catalog();
        let text = |d: &Datum| match d {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        let (objtype, acl_column, owner, namespace) = match catalog.oid {
            syscat::PG_CLASS => {
                let objtype = match text(row.get("relkind")).as_str() {
                    "r" | "p" | "v" | "m" | "f" => 'r',
                    "S" => 'S',
                    _ => return Ok(row),
                };
                (
                    objtype,
                    "relacl",
                    row.get("relowner"),
                    row.get("relnamespace"),
                )
            }
            syscat::PG_PROC => ('f', "proacl", row.get("proowner"), row.get("pronamespace")),
            syscat::PG_TYPE => {
                // Array types and the row types of relations keep a NULL ACL, as
                // PostgreSQL's do.
                if text(row.get("typcategory")) == "A" {
                    return Ok(row);
                }
                // A composite type's row gets its ACL from CREATE TYPE.
                if oid(row.get("typrelid")) != Oid::INVALID {
                    return Ok(row);
                }
                ('T', "typacl", row.get("typowner"), row.get("typnamespace"))
            }
            syscat::PG_NAMESPACE => {
                let name = text(row.get("nspname"));
                if name.starts_with("pg_temp_") || name.starts_with("pg_toast_temp_") {
                    return Ok(row);
                }
                ('n', "nspacl", row.get("nspowner"), &Datum::Oid(0))
            }
            _ => return Ok(row),
        };
        if *row.get(acl_column) != Datum::Null {
            return Ok(row);
        }
        let (owner, namespace) = (oid(owner), oid(namespace));
        Ok(match self.default_acl(objtype, owner, namespace)? {
            Some(acl) => row.set(acl_column, acl_to_datum(&acl)),
            None => row,
        })
    }
}
