//! What ties a role to objects through their ACLs (PostgreSQL's `SHARED_DEPENDENCY_ACL`
//! entries of `pg_shdepend`, read here from the ACL columns themselves): DROP ROLE
//! refuses a role that still holds or granted privileges, listing them as PostgreSQL's
//! DETAIL lines do (`privileges for table t`).
//!
//! Entry point: `Session::privilege_dependencies`.

use tusk_catalog::syscat;
use tusk_types::adt::acl::acl_from_datum;
use tusk_types::{Datum, Oid, Result};

use super::Session;

fn text(d: &Datum) -> &str {
    match d {
        Datum::Text(s) => s,
        _ => "",
    }
}

/// Whether an ACL value names `role` as grantee or grantor (the owner's own entries are
/// the owner dependency's business).
fn mentions(acl: &Datum, role: Oid, owner: &Datum) -> bool {
    if *owner == Datum::Oid(role.0) {
        return false;
    }
    acl_from_datum(acl)
        .is_some_and(|items| items.iter().any(|i| i.grantee == role || i.grantor == role))
}

impl Session {
    /// DETAIL lines `privileges for <object>` for the objects of the current database
    /// whose ACL mentions `role` (tables, views, sequences, schemas, functions).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn privilege_dependencies(&self, role: Oid) -> Result<Vec<String>> {
        let reader = self.catalog_reader();
        let mut lines = Vec::new();
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let namespaces = reader.rows(namespace)?;
        let (n_oid, n_name) = (namespace.col("oid"), namespace.col("nspname"));
        for r in namespaces.iter() {
            if mentions(
                &r[namespace.col("nspacl")],
                role,
                &r[namespace.col("nspowner")],
            ) {
                lines.push(format!("privileges for schema {}", text(&r[n_name])));
            }
        }
        let schema_name = |oid: &Datum| -> String {
            namespaces
                .iter()
                .find(|r| &r[n_oid] == oid)
                .map(|r| text(&r[n_name]).to_string())
                .unwrap_or_default()
        };
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        for r in reader.rows(class)?.iter() {
            if !mentions(&r[class.col("relacl")], role, &r[class.col("relowner")]) {
                continue;
            }
            let kind = match text(&r[class.col("relkind")]) {
                "v" => "view",
                "m" => "materialized view",
                "S" => "sequence",
                "f" => "foreign table",
                _ => "table",
            };
            let schema = schema_name(&r[class.col("relnamespace")]);
            let name = text(&r[class.col("relname")]);
            if schema == "public" || schema.starts_with("pg_temp") {
                lines.push(format!("privileges for {kind} {name}"));
            } else {
                lines.push(format!("privileges for {kind} {schema}.{name}"));
            }
        }
        let proc = syscat::system_catalog(syscat::PG_PROC).expect("pg_proc");
        for r in reader.rows(proc)?.iter() {
            if mentions(&r[proc.col("proacl")], role, &r[proc.col("proowner")]) {
                lines.push(format!(
                    "privileges for function {}",
                    text(&r[proc.col("proname")])
                ));
            }
        }
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        for r in reader.rows(pg_type)?.iter() {
            if mentions(&r[pg_type.col("typacl")], role, &r[pg_type.col("typowner")]) {
                let schema = schema_name(&r[pg_type.col("typnamespace")]);
                let name = text(&r[pg_type.col("typname")]);
                lines.push(if schema == "public" {
                    format!("privileges for type {name}")
                } else {
                    format!("privileges for type {schema}.{name}")
                });
            }
        }
        Ok(lines)
    }
}
