//! initdb's catalog step (PostgreSQL's bootstrap mode): every system catalog becomes a heap
//! whose relfilenode is its OID, filled with PostgreSQL 15's built-in rows from the data
//! tables of the catalog crate, stamped with the bootstrap xid (always committed).
//!
//! Which catalogs are visible (have a `pg_class` row): those tusk fills completely from the
//! data tables, and those it maintains itself and that start empty or with rows it writes
//! here (`pg_namespace`, `pg_class`, `pg_attribute`, `pg_attrdef`, `pg_constraint`, ...),
//! and those without built-in rows in the data tables (`pg_description`,
//! `pg_auth_members`, ...), which start empty.
//! A catalog whose built-in rows need a column type the heap cannot store yet is left out
//! (42P01 when queried) rather than shown empty.
//!
//! Entry point: [`bootstrap_catalogs`].

use std::sync::Arc;

use tusk_access::{form_tuple, HeapRelation, HEAP_DEFAULT_FILLFACTOR};
use tusk_catalog::builtin;
use tusk_catalog::syscat::{self, builtin_rows, CatalogRow, SysCatalog};
use tusk_executor::OutputSettings;
use tusk_storage::{BufferPool, Checkpointer};
use tusk_types::adt::acl::{acl_to_datum, AclItem};
use tusk_types::{type_oid, Datum, ForkNumber, Oid, Result, Xid};

use crate::relcache::{catalog_attrs, catalog_locator};

/// Catalogs tusk maintains that start empty in a new database, besides the ones filled here.
const MAINTAINED_EMPTY: &[&str] = &[
    "pg_attrdef",
    "pg_constraint",
    "pg_index",
    "pg_inherits",
    "pg_partitioned_table",
    "pg_sequence",
    "pg_trigger",
    "pg_policy",
    "pg_foreign_table",
];

/// `pg_node_tree`: tusk keeps expressions as their SQL text, and PostgreSQL's node trees
/// of built-in rows as the text they are.
const PG_NODE_TREE: Oid = Oid(194);

/// `aclitem[]`.
const ACLITEM_ARRAY: Oid = Oid(1034);

/// A field of a data table as a value of `type_oid`; `None` if the heap cannot store that
/// type yet.
fn field_value(type_oid: Oid, text: &Option<String>) -> Option<Datum> {
    let Some(text) = text else {
        return Some(Datum::Null);
    };
    if type_oid == ACLITEM_ARRAY {
        return builtin_acl(text);
    }
    Some(match type_oid {
        type_oid::BOOL => Datum::Bool(text == "t"),
        type_oid::INT2 => Datum::Int2(text.parse().ok()?),
        type_oid::INT4 => Datum::Int4(text.parse().ok()?),
        type_oid::INT8 => Datum::Int8(text.parse().ok()?),
        type_oid::FLOAT4 => Datum::Float4(text.parse().ok()?),
        type_oid::OID | type_oid::XID => Datum::Oid(text.parse().ok()?),
        type_oid::NAME | type_oid::TEXT | type_oid::CHAR => Datum::Text(text.clone()),
        type_oid::REGPROC => {
            if text == "-" {
                Datum::Oid(0)
            } else {
                let name = text.rsplit('.').next().unwrap_or(text);
                Datum::Oid(builtin().procs_by_name(name).next()?.oid.0)
            }
        }
        PG_NODE_TREE => Datum::Text(text.clone()),
        // Arrays (`proargnames`, `proallargtypes`, ...) and vectors (`proargtypes`) through
        // their input functions.
        other => tusk_executor::io::text_in(text, other, -1, &OutputSettings::default()).ok()?,
    })
}

/// A built-in ACL (`{postgres=UC/postgres,=U/postgres}`) as an `aclitem[]` value: the
/// data tables name roles as the generating cluster did, its superuser `postgres` being
/// the bootstrap superuser (OID 10) whatever initdb calls it here.
fn builtin_acl(text: &str) -> Option<Datum> {
    let inner = text.strip_prefix('{')?.strip_suffix('}')?;
    let (header, rows) = builtin_rows("pg_authid")?;
    let (c_oid, c_name) = (
        header.iter().position(|h| *h == "oid")?,
        header.iter().position(|h| *h == "rolname")?,
    );
    let role_oid = |name: &str| -> Result<Oid> {
        if name == "postgres" {
            return Ok(syscat::BOOTSTRAP_SUPERUSER);
        }
        rows.iter()
            .find(|r| r[c_name].as_deref() == Some(name))
            .and_then(|r| r[c_oid].as_deref()?.parse().ok())
            .map(Oid)
            .ok_or_else(|| tusk_types::Error::internal("unknown role in a built-in ACL"))
    };
    let mut items = Vec::new();
    for item in inner.split(',').filter(|i| !i.is_empty()) {
        items.push(AclItem::parse_text(item, &role_oid, syscat::BOOTSTRAP_SUPERUSER).ok()?);
    }
    Some(acl_to_datum(&items))
}

/// The built-in rows of `catalog` as values, or `None` if some value cannot be stored.
fn builtin_values(catalog: &'static SysCatalog, superuser: &str) -> Option<Vec<Vec<Datum>>> {
    let (header, rows) = builtin_rows(&catalog.name)?;
    let mut out = Vec::with_capacity(rows.len());
    for fields in rows {
        let mut row = CatalogRow::new(catalog);
        for (name, field) in header.iter().zip(&fields) {
            let column = catalog.columns.iter().find(|c| c.name == *name)?;
            // The parse trees of built-in SQL-standard function bodies are not kept (tusk
            // implements those functions natively); some would not fit in a heap row.
            let mut value = if catalog.name == "pg_proc" && *name == "prosqlbody" {
                Datum::Null
            } else {
                field_value(column.type_oid, field)?
            };
            if catalog.name == "pg_authid"
                && *name == "rolname"
                && fields[0].as_deref() == Some("10")
            {
                value = Datum::Text(superuser.to_string());
            }
            row = row.set(name, value);
        }
        out.push(row.into_values());
    }
    Some(out)
}

/// Catalogs only their owner (the bootstrap superuser) may read, as PostgreSQL 15's initdb
/// leaves them: passwords (`pg_authid`), sampled column values (`pg_statistic`,
/// `pg_statistic_ext_data`), large object data, and user mapping or subscription options
/// that may hold passwords. PostgreSQL grants every column of `pg_subscription` except
/// `subconninfo` back to PUBLIC; tusk has no column privileges, so the whole catalog stays
/// the owner's.
const OWNER_ONLY_CATALOGS: &[&str] = &[
    "pg_authid",
    "pg_largeobject",
    "pg_statistic",
    "pg_statistic_ext_data",
    "pg_subscription",
    "pg_user_mapping",
];

fn class_row(catalog: &'static SysCatalog) -> Vec<Datum> {
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let acl = if OWNER_ONLY_CATALOGS.contains(&catalog.name.as_str()) {
        use tusk_types::adt::acl::{acl_to_datum, AclItem, ObjectKind};
        acl_to_datum(&[AclItem {
            grantee: syscat::BOOTSTRAP_SUPERUSER,
            grantor: syscat::BOOTSTRAP_SUPERUSER,
            privileges: ObjectKind::Relation.all_rights(),
            grant_options: 0,
        }])
    } else {
        Datum::Null
    };
    CatalogRow::new(class)
        .set("relacl", acl)
        .set("oid", Datum::Oid(catalog.oid.0))
        .set("relname", Datum::Text(catalog.name.clone()))
        .set("relnamespace", Datum::Oid(syscat::PG_CATALOG_NAMESPACE.0))
        .set("reltype", Datum::Oid(catalog.rowtype.0))
        .set("relowner", Datum::Oid(syscat::BOOTSTRAP_SUPERUSER.0))
        .set("relam", Datum::Oid(syscat::HEAP_TABLE_AM.0))
        .set("relfilenode", Datum::Oid(catalog.oid.0))
        .set(
            "reltablespace",
            Datum::Oid(if catalog.shared { 1664 } else { 0 }),
        )
        .set("reltuples", Datum::Float4(-1.0))
        .set("relisshared", Datum::Bool(catalog.shared))
        .set("relpersistence", Datum::Text("p".into()))
        .set("relkind", Datum::Text("r".into()))
        .set("relnatts", Datum::Int2(catalog.columns.len() as i16))
        .set("relispopulated", Datum::Bool(true))
        .set("relreplident", Datum::Text("n".into()))
        .set("relfrozenxid", Datum::Oid(Xid::FIRST_NORMAL.0))
        .set("relminmxid", Datum::Oid(1))
        .into_values()
}

/// A `pg_attribute` row for column `attnum` (1-based) of relation `rel`.
pub fn attribute_row(
    rel: Oid,
    attnum: i16,
    name: &str,
    type_oid: Oid,
    typmod: i32,
    not_null: bool,
) -> CatalogRow {
    let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
    let (len, byval, align, storage, collation) = match builtin().type_by_oid(type_oid) {
        Some(t) => (
            t.len,
            t.byval,
            match t.len {
                1 | -2 => b'c',
                2 => b's',
                8 => b'd',
                _ => b'i',
            },
            if t.len == -1 {
                if t.oid == type_oid::NUMERIC {
                    b'm'
                } else {
                    b'x'
                }
            } else {
                b'p'
            },
            t.collation.0,
        ),
        None => (-1, false, b'i', b'x', 0),
    };
    CatalogRow::new(attribute)
        .set("attrelid", Datum::Oid(rel.0))
        .set("attname", Datum::Text(name.to_string()))
        .set("atttypid", Datum::Oid(type_oid.0))
        .set("attstattarget", Datum::Int4(-1))
        .set("attlen", Datum::Int2(len))
        .set("attnum", Datum::Int2(attnum))
        .set("attndims", Datum::Int4(0))
        .set("attcacheoff", Datum::Int4(-1))
        .set("atttypmod", Datum::Int4(typmod))
        .set("attbyval", Datum::Bool(byval))
        .set("attalign", Datum::Text((align as char).to_string()))
        .set("attstorage", Datum::Text((storage as char).to_string()))
        .set("attcompression", Datum::Text(String::new()))
        .set("attnotnull", Datum::Bool(not_null))
        .set("attidentity", Datum::Text(String::new()))
        .set("attgenerated", Datum::Text(String::new()))
        .set("attislocal", Datum::Bool(true))
        .set("attcollation", Datum::Oid(collation))
}

/// Creates and fills the catalogs of database `db` (and, with `shared`, the shared ones).
///
/// Errors: I/O errors.
pub fn bootstrap_catalogs(
    pool: &Arc<BufferPool>,
    checkpointer: &Checkpointer,
    db: Oid,
    shared: bool,
    superuser: &str,
) -> Result<()> {
    let mut contents: Vec<(&'static SysCatalog, Vec<Vec<Datum>>)> = Vec::new();
    let mut visible: Vec<&'static SysCatalog> = Vec::new();
    for catalog in syscat::system_catalogs() {
        if let Some(rows) = builtin_values(catalog, superuser) {
            visible.push(catalog);
            contents.push((catalog, rows));
        } else if builtin_rows(&catalog.name).is_none()
            || MAINTAINED_EMPTY.contains(&catalog.name.as_str())
            || catalog.oid == syscat::PG_CLASS
            || catalog.oid == syscat::PG_ATTRIBUTE
        {
            visible.push(catalog);
        }
    }
    let mut class_rows = Vec::new();
    let mut attribute_rows = Vec::new();
    for catalog in &visible {
        class_rows.push(class_row(catalog));
        for (i, c) in catalog.columns.iter().enumerate() {
            attribute_rows.push(
                attribute_row(
                    catalog.oid,
                    i as i16 + 1,
                    &c.name,
                    c.type_oid,
                    c.typmod,
                    c.not_null,
                )
                .into_values(),
            );
        }
    }
    contents.push((
        syscat::system_catalog(syscat::PG_CLASS).expect("pg_class"),
        class_rows,
    ));
    contents.push((
        syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute"),
        attribute_rows,
    ));
    for catalog in syscat::system_catalogs() {
        if catalog.shared && !shared {
            continue;
        }
        let locator = catalog_locator(db, catalog);
        pool.smgr().create(locator, ForkNumber::Main, true)?;
    }
    for (catalog, rows) in contents {
        if catalog.shared && !shared {
            continue;
        }
        let heap = HeapRelation::new(
            pool.clone(),
            catalog_locator(db, catalog),
            HEAP_DEFAULT_FILLFACTOR,
        );
        let attrs = catalog_attrs(catalog);
        for row in rows {
            let tuple = form_tuple(&attrs, &row)?;
            heap.insert(checkpointer, &tuple, Xid::BOOTSTRAP, 0)?;
        }
    }
    Ok(())
}
