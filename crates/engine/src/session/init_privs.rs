//! `pg_init_privs` at initdb: the privileges system objects start with (PostgreSQL's
//! initdb `setup_privileges`), recorded with `privtype` `i` so that pg_dump dumps only
//! the privileges changed after initdb.
//!
//! Entry point: [`Session::record_initial_privileges`].

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_types::{Datum, Oid, Result};

use super::Session;

const PG_LANGUAGE: Oid = Oid(2612);
const PG_FOREIGN_DATA_WRAPPER: Oid = Oid(2328);
const PG_FOREIGN_SERVER: Oid = Oid(1417);
const PG_INIT_PRIVS: Oid = Oid(3394);

/// The catalogs whose rows carry ACLs, with their OID and ACL columns.
const ACL_CATALOGS: &[(Oid, &str, &str)] = &[
    (syscat::PG_CLASS, "oid", "relacl"),
    (syscat::PG_PROC, "oid", "proacl"),
    (syscat::PG_TYPE, "oid", "typacl"),
    (PG_LANGUAGE, "oid", "lanacl"),
    (syscat::PG_NAMESPACE, "oid", "nspacl"),
    (PG_FOREIGN_DATA_WRAPPER, "oid", "fdwacl"),
    (PG_FOREIGN_SERVER, "oid", "srvacl"),
];

fn catalog(oid: Oid) -> &'static SysCatalog {
    syscat::system_catalog(oid).expect("a system catalog")
}

impl Session {
    /// Inserts a `pg_init_privs` row (`privtype` `i`) for every object of the database
    /// that has an ACL, and for every column ACL (`objsubid` = the column's number,
    /// `classoid` = `pg_class`).
    ///
    /// Errors: catalog read or write errors.
    pub(crate) fn record_initial_privileges(&mut self) -> Result<()> {
        let mut entries: Vec<(Oid, Oid, i32, Datum)> = Vec::new();
        {
            let reader = self.catalog_reader();
            for &(catalog_oid, oid_column, acl_column) in ACL_CATALOGS {
                let c = catalog(catalog_oid);
                for row in reader.rows(c)?.iter() {
                    let acl = &row[c.col(acl_column)];
                    if let (Datum::Oid(oid), false) = (&row[c.col(oid_column)], acl.is_null()) {
                        entries.push((Oid(*oid), catalog_oid, 0, acl.clone()));
                    }
                }
            }
            let a = catalog(syscat::PG_ATTRIBUTE);
            for row in reader.rows(a)?.iter() {
                let acl = &row[a.col("attacl")];
                if let (Datum::Oid(rel), Datum::Int2(attnum), false) = (
                    &row[a.col("attrelid")],
                    &row[a.col("attnum")],
                    acl.is_null(),
                ) {
                    entries.push((Oid(*rel), syscat::PG_CLASS, i32::from(*attnum), acl.clone()));
                }
            }
        }
        let init_privs = catalog(PG_INIT_PRIVS);
        for (objoid, classoid, objsubid, acl) in entries {
            self.insert_catalog_row(
                CatalogRow::new(init_privs)
                    .set("objoid", Datum::Oid(objoid.0))
                    .set("classoid", Datum::Oid(classoid.0))
                    .set("objsubid", Datum::Int4(objsubid))
                    .set("privtype", Datum::Text("i".into()))
                    .set("initprivs", acl),
            )?;
        }
        Ok(())
    }
}
