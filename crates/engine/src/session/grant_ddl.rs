//! GRANT and REVOKE on objects (PostgreSQL's `ExecuteGrantStmt`): changes the ACL column
//! of each object's catalog row (`pg_class.relacl`, `pg_namespace.nspacl`,
//! `pg_proc.proacl`).
//!
//! Rules:
//! 1. A NULL ACL is first replaced by the owner's default (`acl_default`), then changed.
//! 2. The grantor is the object's owner when the current user is a superuser or has the
//!    owner's privileges; otherwise the current user, who can pass on only what it holds
//!    with grant option: WARNING 01007 `no privileges were granted for "t"` / `not all
//!    privileges were granted for "t"` (REVOKE: 01006 `... could be revoked ...`), and
//!    42501 `permission denied for table t` if it holds no privilege at all there.
//! 3. Grant options cannot go to PUBLIC (0LP01); `GRANTED BY` must name the current user
//!    (0A000 `grantor must be current user`).
//! 4. Revoking a grant option others depend on needs CASCADE (2BP01, `acl_revoke`).
//!
//! Entry point: `Session::grant_statement`.

use tusk_catalog::syscat::{self, SysCatalog};
use tusk_sql::ast_foreign::ForeignObjectKind;
use tusk_sql::ast_grant::{GrantObjects, GrantStmt};
use tusk_sql::ast_role::RoleSpec;
use tusk_types::adt::acl::{
    acl_default, acl_from_datum, acl_grant, acl_revoke, acl_to_datum, privilege_by_name, AclMode,
    DropBehavior, ObjectKind, ACL_ID_PUBLIC,
};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::function_catalog;
use super::privilege::{class_acl, permission_denied, relation_kind, Privileges};
use super::Session;
use crate::sink::{NoticeSeverity, Sink};

/// One object a GRANT or REVOKE changes.
struct Target {
    catalog: &'static SysCatalog,
    oid: Oid,
    name: String,
    owner: Oid,
    acl: Datum,
    kind: ObjectKind,
    noun: &'static str,
    acl_column: &'static str,
}

fn datum_oid(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn datum_text(d: &Datum) -> String {
    match d {
        Datum::Text(s) => s.clone(),
        _ => String::new(),
    }
}

impl Session {
    /// `GRANT | REVOKE privileges ON objects TO | FROM roles` (module rules).
    ///
    /// Errors: 42P01, 3F000, 42883 for missing objects; 42704 unknown role; 0LP01 invalid
    /// privilege type or grant option to PUBLIC; 42501; 2BP01; 0A000 for object kinds and
    /// column privileges tusk does not keep yet.
    pub(crate) fn grant_statement(
        &mut self,
        stmt: &GrantStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        if let GrantObjects::Defaults {
            kind,
            roles,
            schemas,
        } = &stmt.objects
        {
            self.alter_default_privileges(stmt, *kind, roles, schemas)?;
            return Ok("ALTER DEFAULT PRIVILEGES".into());
        }
        let tag = if stmt.is_grant { "GRANT" } else { "REVOKE" };
        self.read_only_check(tag)?;
        if stmt.privileges.iter().any(|p| !p.columns.is_empty()) {
            return Err(Error::feature_not_supported("column privileges"));
        }
        let (me, privileges) = self.privileges_for_check()?;
        if let Some(grantor) = &stmt.grantor {
            let row = self.resolve_role_spec(grantor)?;
            if row.oid != me {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "grantor must be current user"
                ));
            }
        }
        let grantees = self.grantee_oids(stmt)?;
        let (targets, sequence_syntax) = self.grant_targets(&stmt.objects)?;
        for target in targets {
            let wanted = self.requested_privileges(stmt, &target, sequence_syntax, sink)?;
            self.grant_on(stmt, &target, wanted, &grantees, me, &privileges, sink)?;
        }
        Ok(tag.to_string())
    }

    /// The OIDs of the statement's grantees (PUBLIC as [`ACL_ID_PUBLIC`]).
    ///
    /// Errors: 42704 for an unknown role; 0LP01 `grant options can only be granted to
    /// roles` for WITH GRANT OPTION to PUBLIC.
    pub(super) fn grantee_oids(&self, stmt: &GrantStmt) -> Result<Vec<Oid>> {
        let mut grantees = Vec::new();
        for g in &stmt.grantees {
            grantees.push(match g {
                RoleSpec::Public => ACL_ID_PUBLIC,
                other => self.resolve_role_spec(other)?.oid,
            });
        }
        if stmt.is_grant && stmt.grant_option && grantees.contains(&ACL_ID_PUBLIC) {
            return Err(pg_err!(
                INVALID_GRANT_OPERATION,
                "grant options can only be granted to roles"
            ));
        }
        Ok(grantees)
    }

    /// The privileges the statement names, as bits valid for `target`'s kind.
    fn requested_privileges(
        &self,
        stmt: &GrantStmt,
        target: &Target,
        sequence_syntax: bool,
        sink: &mut dyn Sink,
    ) -> Result<AclMode> {
        let all = target.kind.all_rights();
        if stmt.privileges.is_empty() {
            return Ok(all);
        }
        let mut mode = 0;
        for p in &stmt.privileges {
            let name = p.name.clone().unwrap_or_default();
            let bit = privilege_by_name(&name)
                .ok_or_else(|| pg_err!(SYNTAX_ERROR, "unrecognized privilege type \"{}\"", name))?;
            if bit & all == 0 {
                if target.kind == ObjectKind::Sequence && !sequence_syntax {
                    // GRANT ... ON TABLE naming a sequence: PostgreSQL warns and goes on.
                    sink.notice(
                        NoticeSeverity::Warning,
                        &pg_err!(
                            INVALID_GRANT_OPERATION,
                            "sequence \"{}\" only supports USAGE, SELECT, and UPDATE privileges",
                            target.name
                        ),
                    );
                    continue;
                }
                let noun = match target.kind {
                    ObjectKind::Relation if bit & ObjectKind::Sequence.all_rights() == 0 => {
                        "relation"
                    }
                    ObjectKind::Relation => "table",
                    _ => target.noun,
                };
                return Err(pg_err!(
                    INVALID_GRANT_OPERATION,
                    "invalid privilege type {} for {}",
                    name.to_ascii_uppercase(),
                    noun
                ));
            }
            mode |= bit;
        }
        Ok(mode)
    }

    /// Applies the statement to one object (rules 1-4) and writes its new ACL.
    #[allow(clippy::too_many_arguments)]
    fn grant_on(
        &mut self,
        stmt: &GrantStmt,
        target: &Target,
        wanted: AclMode,
        grantees: &[Oid],
        me: Oid,
        privileges: &Privileges,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let all = target.kind.all_rights();
        let (grantor, allowed) = if privileges.has_privs_of_role(me, target.owner) {
            (target.owner, wanted)
        } else {
            let (have, options) = privileges.mask(me, target.owner, &target.acl, target.kind, all);
            if have == 0 && options == 0 {
                return Err(permission_denied(target.noun, &target.name));
            }
            let allowed = wanted & options;
            let (code, none, some) = if stmt.is_grant {
                (
                    SqlState::WARNING_PRIVILEGE_NOT_GRANTED,
                    "no privileges were granted for",
                    "not all privileges were granted for",
                )
            } else {
                (
                    SqlState::WARNING_PRIVILEGE_NOT_REVOKED,
                    "no privileges could be revoked for",
                    "not all privileges could be revoked for",
                )
            };
            if allowed == 0 {
                sink.notice(
                    NoticeSeverity::Warning,
                    &Error::new(code, format!("{none} \"{}\"", target.name)),
                );
            } else if allowed != wanted && !stmt.privileges.is_empty() {
                sink.notice(
                    NoticeSeverity::Warning,
                    &Error::new(code, format!("{some} \"{}\"", target.name)),
                );
            }
            (me, allowed)
        };
        let mut acl =
            acl_from_datum(&target.acl).unwrap_or_else(|| acl_default(target.kind, target.owner));
        let behavior = if stmt.cascade {
            DropBehavior::Cascade
        } else {
            DropBehavior::Restrict
        };
        for &grantee in grantees {
            if stmt.is_grant {
                let options = if stmt.grant_option { allowed } else { 0 };
                acl_grant(&mut acl, grantee, grantor, allowed, options);
            } else {
                acl_revoke(
                    &mut acl,
                    grantee,
                    grantor,
                    allowed,
                    stmt.grant_option,
                    behavior,
                )?;
            }
        }
        let value = acl_to_datum(&acl);
        let (c_oid, c_acl) = (
            target.catalog.col("oid"),
            target.catalog.col(target.acl_column),
        );
        let oid = Datum::Oid(target.oid.0);
        self.update_catalog_row(target.catalog, |r| r[c_oid] == oid, |r| r[c_acl] = value)?;
        Ok(())
    }

    /// The objects a statement names; true with them for `SEQUENCE` syntax.
    fn grant_targets(&self, objects: &GrantObjects) -> Result<(Vec<Target>, bool)> {
        let reader = self.catalog_reader();
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let relation = |oid: Oid| -> Result<Target> {
            let row = class_acl(&reader, oid)?.ok_or_else(|| {
                pg_err!(
                    UNDEFINED_TABLE,
                    "relation with OID {} does not exist",
                    oid.0
                )
            })?;
            let (kind, noun) = relation_kind(&row.kind);
            Ok(Target {
                catalog: class,
                oid,
                name: row.name,
                owner: row.owner,
                acl: row.acl,
                kind,
                noun,
                acl_column: "relacl",
            })
        };
        let schema_oid = |name: &str| -> Result<Oid> {
            reader
                .namespace_oid(name)?
                .ok_or_else(|| pg_err!(UNDEFINED_SCHEMA, "schema \"{}\" does not exist", name))
        };
        let mut out = Vec::new();
        let sequence_syntax = matches!(
            objects,
            GrantObjects::Sequences(_) | GrantObjects::AllSequencesInSchema(_)
        );
        match objects {
            GrantObjects::Tables(rvs) | GrantObjects::Sequences(rvs) => {
                for rv in rvs {
                    let oid = reader
                        .resolve(rv.schema.as_deref(), &rv.name)?
                        .ok_or_else(|| {
                            let name = match &rv.schema {
                                Some(s) => format!("{s}.{}", rv.name),
                                None => rv.name.clone(),
                            };
                            pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", name)
                        })?;
                    let target = relation(oid)?;
                    if sequence_syntax && target.kind != ObjectKind::Sequence {
                        return Err(pg_err!(
                            WRONG_OBJECT_TYPE,
                            "\"{}\" is not a sequence",
                            target.name
                        ));
                    }
                    out.push(target);
                }
            }
            GrantObjects::AllTablesInSchema(schemas)
            | GrantObjects::AllSequencesInSchema(schemas) => {
                let rows = reader.rows(class)?;
                for schema in schemas {
                    let ns = schema_oid(schema)?;
                    for r in rows.matching(class.col("relnamespace"), ns) {
                        let kind = datum_text(&r[class.col("relkind")]);
                        let wanted = if sequence_syntax {
                            kind == "S"
                        } else {
                            matches!(kind.as_str(), "r" | "v" | "m" | "f" | "p")
                        };
                        if wanted {
                            out.push(relation(datum_oid(&r[class.col("oid")]))?);
                        }
                    }
                }
            }
            GrantObjects::Schemas(names) => {
                let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
                let rows = reader.rows(namespace)?;
                for name in names {
                    let oid = schema_oid(name)?;
                    let r = rows
                        .first_matching(namespace.col("oid"), oid)
                        .ok_or_else(|| {
                            pg_err!(UNDEFINED_SCHEMA, "schema \"{}\" does not exist", name)
                        })?;
                    out.push(Target {
                        catalog: namespace,
                        oid,
                        name: name.clone(),
                        owner: datum_oid(&r[namespace.col("nspowner")]),
                        acl: r[namespace.col("nspacl")].clone(),
                        kind: ObjectKind::Schema,
                        noun: "schema",
                        acl_column: "nspacl",
                    });
                }
            }
            GrantObjects::Routines(_, functions) => {
                let proc = function_catalog::pg_proc();
                let rows = reader.rows(proc)?;
                for f in functions {
                    let name = f.name.last().cloned().unwrap_or_default();
                    let namespaces = match f.name.as_slice() {
                        [schema, _] | [_, schema, _] => vec![schema_oid(schema)?],
                        _ => function_catalog::search_namespaces(&reader)?,
                    };
                    let mut found =
                        function_catalog::user_functions(&reader, &name, Some(&namespaces))?;
                    if let Some(types) = &f.args {
                        let lookup = super::lookup::SessionLookup {
                            builtin: tusk_executor::BuiltinLookup {
                                settings: &self.output,
                            },
                            catalog: &reader,
                        };
                        let mut analyzer =
                            tusk_sql::analyze::Analyzer::new(&lookup, "", Vec::new());
                        let wanted = types
                            .iter()
                            .map(|t| analyzer.resolve_type_name(t).map(|(o, _)| o))
                            .collect::<Result<Vec<Oid>>>()?;
                        found.retain(|u| u.arg_types == wanted);
                    }
                    let function =
                        match found.as_slice() {
                            [one] => one,
                            [] => {
                                return Err(pg_err!(
                                    UNDEFINED_FUNCTION,
                                    "function {} does not exist",
                                    name
                                ))
                            }
                            _ => return Err(pg_err!(
                                AMBIGUOUS_FUNCTION,
                                "function name \"{}\" is not unique",
                                name
                            )
                            .hint(
                                "Specify the argument list to select the function unambiguously.",
                            )),
                        };
                    let r = rows
                        .first_matching(proc.col("oid"), function.oid)
                        .ok_or_else(|| Error::internal("function row vanished"))?;
                    out.push(Target {
                        catalog: proc,
                        oid: function.oid,
                        name: function.name.clone(),
                        owner: datum_oid(&r[proc.col("proowner")]),
                        acl: r[proc.col("proacl")].clone(),
                        kind: ObjectKind::Function,
                        noun: if function.kind == b'p' {
                            "procedure"
                        } else {
                            "function"
                        },
                        acl_column: "proacl",
                    });
                }
            }
            GrantObjects::AllRoutinesInSchema(keyword, _) => {
                return Err(Error::feature_not_supported(format!(
                    "GRANT ON ALL {keyword}S IN SCHEMA"
                )))
            }
            GrantObjects::Databases(names) => {
                let database = syscat::system_catalog_by_name("pg_database").expect("pg_database");
                let rows = reader.rows(database)?;
                for name in names {
                    let r = rows
                        .iter()
                        .find(
                            |r| matches!(&r[database.col("datname")], Datum::Text(t) if t == name),
                        )
                        .ok_or_else(|| {
                            pg_err!(INVALID_CATALOG_NAME, "database \"{}\" does not exist", name)
                        })?;
                    out.push(Target {
                        catalog: database,
                        oid: datum_oid(&r[database.col("oid")]),
                        name: name.clone(),
                        owner: datum_oid(&r[database.col("datdba")]),
                        acl: r[database.col("datacl")].clone(),
                        kind: ObjectKind::Database,
                        noun: "database",
                        acl_column: "datacl",
                    });
                }
            }
            GrantObjects::Types(keyword, _) => {
                return Err(Error::feature_not_supported(format!("GRANT ON {keyword}")))
            }
            GrantObjects::Languages(_) => {
                return Err(Error::feature_not_supported("GRANT ON LANGUAGE"))
            }
            GrantObjects::ForeignDataWrappers(names) | GrantObjects::ForeignServers(names) => {
                let (kind, object_kind, noun) = match objects {
                    GrantObjects::ForeignDataWrappers(_) => (
                        ForeignObjectKind::Wrapper,
                        ObjectKind::ForeignDataWrapper,
                        "foreign-data wrapper",
                    ),
                    _ => (
                        ForeignObjectKind::Server,
                        ObjectKind::ForeignServer,
                        "foreign server",
                    ),
                };
                for name in names {
                    let (catalog, oid, owner, acl) = self.foreign_grant_target(kind, name)?;
                    out.push(Target {
                        catalog: syscat::system_catalog(catalog).expect("SQL/MED catalog"),
                        oid,
                        name: name.clone(),
                        owner,
                        acl,
                        kind: object_kind,
                        noun,
                        acl_column: if kind == ForeignObjectKind::Wrapper {
                            "fdwacl"
                        } else {
                            "srvacl"
                        },
                    });
                }
            }
            GrantObjects::Defaults { .. } => {
                return Err(tusk_types::Error::internal(
                    "default privileges are not a GRANT's objects",
                ))
            }
            GrantObjects::Other(what) => {
                return Err(Error::feature_not_supported(format!("GRANT ON {what}")))
            }
        }
        Ok((out, sequence_syntax))
    }
}
