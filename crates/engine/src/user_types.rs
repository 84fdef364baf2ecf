//! User-defined types in the heap-stored catalogs: the `pg_type` rows tusk's DDL writes
//! (OIDs from `FirstNormalObjectId` on) and the `pg_enum` labels of enum types, read
//! through a backend's [`CatalogReader`].
//!
//! Rules:
//! 1. Built-in types come from the built-in tables; only OIDs >= 16384 are looked up
//!    here, so the hot paths for built-in types never scan `pg_type`.
//! 2. An enum value is stored and evaluated as its label's `enumsortorder` (a `float4`),
//!    see `tusk_executor::user_types`; its heap storage is therefore `float4`'s.
//!
//! 3. An enum's binary form is its label's text (PostgreSQL's `enum_send`/`enum_recv`).
//! 4. A composite type (`typtype` `c`) has a `pg_class` row of relkind `c` (`typrelid`)
//!    whose `pg_attribute` rows are its attributes; its values are stored as `record`
//!    values that carry their descriptor (see `tusk_access::row`).
//!
//! Entry points: [`user_type`], [`user_type_by_name`], [`load_user_types`],
//! [`physical_type`], [`binary_send`], [`binary_recv`].

use std::sync::Arc;
use tusk_catalog::syscat::{self, FIRST_NORMAL_OBJECT_ID};
use tusk_executor::user_types::{EnumLabel, EnumType, UserTypeDesc, UserTypes};
use tusk_executor::OutputSettings;
use tusk_sql::analyze::{CheckInfo, DomainInfo};

use tusk_types::adt::record::{RecordDesc, RecordField};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use crate::relcache::CatalogReader;

/// `pg_enum`.
pub const PG_ENUM: Oid = Oid(3501);

/// A user-defined `pg_type` row, as far as tusk uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserTypeRow {
    /// `oid`.
    pub oid: Oid,
    /// `typname`.
    pub name: String,
    /// `typnamespace`.
    pub namespace: Oid,
    /// `typtype` (`e` enum, `b` for its array type).
    pub typtype: u8,
    /// `typcategory`.
    pub category: u8,
    /// `typelem` (the element type of an array type).
    pub elem: Oid,
    /// `typarray`.
    pub array: Oid,
    /// `typbasetype` of a domain, else 0.
    pub base_type: Oid,
    /// `typtypmod` of a domain (its base type's modifier), else -1.
    pub typmod: i32,
    /// `typnotnull` of a domain.
    pub not_null: bool,
    /// `typdefault` of a domain: its default expression's SQL text.
    pub default: Option<String>,
    /// `typrelid`: the `pg_class` row of a composite type, else 0.
    pub relid: Oid,
}

fn oid_of(d: &Datum) -> Oid {
    match d {
        Datum::Oid(o) => Oid(*o),
        _ => Oid::INVALID,
    }
}

fn text_of(d: &Datum) -> String {
    match d {
        Datum::Text(s) => s.clone(),
        _ => String::new(),
    }
}

fn byte_of(d: &Datum) -> u8 {
    match d {
        Datum::Text(s) => s.bytes().next().unwrap_or(0),
        _ => 0,
    }
}

fn row_of(r: &[Datum]) -> UserTypeRow {
    let t = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
    UserTypeRow {
        oid: oid_of(&r[t.col("oid")]),
        name: text_of(&r[t.col("typname")]),
        namespace: oid_of(&r[t.col("typnamespace")]),
        typtype: byte_of(&r[t.col("typtype")]),
        category: byte_of(&r[t.col("typcategory")]),
        elem: oid_of(&r[t.col("typelem")]),
        array: oid_of(&r[t.col("typarray")]),
        base_type: oid_of(&r[t.col("typbasetype")]),
        typmod: match r[t.col("typtypmod")] {
            Datum::Int4(m) => m,
            _ => -1,
        },
        not_null: r[t.col("typnotnull")] == Datum::Bool(true),
        default: match &r[t.col("typdefault")] {
            Datum::Text(s) => Some(s.clone()),
            _ => None,
        },
        relid: oid_of(&r[t.col("typrelid")]),
    }
}

/// The live attributes of composite type `ty` (rule 4), in `attnum` order, as a record
/// descriptor.
///
/// Errors: catalog read errors.
pub fn composite_desc(reader: &CatalogReader<'_>, ty: &UserTypeRow) -> Result<RecordDesc> {
    let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
    let mut fields: Vec<(i64, RecordField)> = reader
        .rows(a)?
        .matching(a.col("attrelid"), ty.relid)
        .filter(|r| r[a.col("attisdropped")] != Datum::Bool(true))
        .filter_map(|r| {
            let num = match r[a.col("attnum")] {
                Datum::Int2(n) => i64::from(n),
                _ => 0,
            };
            (num > 0).then(|| {
                (
                    num,
                    RecordField {
                        name: text_of(&r[a.col("attname")]),
                        type_oid: oid_of(&r[a.col("atttypid")]),
                        typmod: match r[a.col("atttypmod")] {
                            Datum::Int4(m) => m,
                            _ => -1,
                        },
                    },
                )
            })
        })
        .collect();
    fields.sort_by_key(|(n, _)| *n);
    Ok(RecordDesc {
        type_oid: ty.oid,
        fields: fields.into_iter().map(|(_, f)| f).collect(),
    })
}

/// The domain `oid` with its CHECK constraints (`pg_constraint` rows with `contypid`
/// = `oid`, in name order, as PostgreSQL checks them); `None` if `oid` is not a domain.
///
/// Errors: catalog read errors.
pub fn domain_info(reader: &CatalogReader<'_>, oid: Oid) -> Result<Option<DomainInfo>> {
    let Some(t) = user_type(reader, oid)? else {
        return Ok(None);
    };
    if t.typtype != b'd' {
        return Ok(None);
    }
    let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
    let k = |n: &str| constraint.col(n);
    let mut checks: Vec<CheckInfo> = reader
        .rows(constraint)?
        .iter()
        .filter(|r| oid_of(&r[k("contypid")]) == oid && byte_of(&r[k("contype")]) == b'c')
        .map(|r| CheckInfo {
            name: text_of(&r[k("conname")]),
            expr: text_of(&r[k("conbin")]),
        })
        .collect();
    checks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(DomainInfo {
        name: t.name,
        base: t.base_type,
        typmod: t.typmod,
        not_null: t.not_null,
        default: t.default,
        checks,
    }))
}

/// All user-defined `pg_type` rows.
///
/// Errors: catalog read errors.
pub fn user_types(reader: &CatalogReader<'_>) -> Result<Vec<UserTypeRow>> {
    let t = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
    let c_oid = t.col("oid");
    Ok(reader
        .rows(t)?
        .iter()
        .filter(|r| oid_of(&r[c_oid]).0 >= FIRST_NORMAL_OBJECT_ID)
        .map(|r| row_of(r))
        .collect())
}

/// The user-defined type `oid` (rule 1: `None` for built-in OIDs).
///
/// Errors: catalog read errors.
pub fn user_type(reader: &CatalogReader<'_>, oid: Oid) -> Result<Option<UserTypeRow>> {
    if oid.0 < FIRST_NORMAL_OBJECT_ID {
        return Ok(None);
    }
    let t = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
    Ok(reader
        .rows(t)?
        .first_matching(t.col("oid"), oid)
        .map(|r| row_of(r)))
}

/// The user-defined type `name`, in `schema` or else the first schema of the search
/// path that has one.
///
/// Errors: catalog read errors.
pub fn user_type_by_name(
    reader: &CatalogReader<'_>,
    schema: Option<&str>,
    name: &str,
) -> Result<Option<UserTypeRow>> {
    let all = user_types(reader)?;
    if all.is_empty() {
        return Ok(None);
    }
    let schemas: Vec<String> = match schema {
        Some(s) => vec![s.to_string()],
        None => reader.search_path.clone(),
    };
    for s in &schemas {
        let Some(ns) = reader.namespace_oid(s)? else {
            continue;
        };
        if let Some(found) = all.iter().find(|t| t.namespace == ns && t.name == name) {
            return Ok(Some(found.clone()));
        }
    }
    Ok(None)
}

/// The labels of every enum type, for the session's output settings.
///
/// Errors: catalog read errors.
pub fn load_user_types(reader: &CatalogReader<'_>) -> Result<UserTypes> {
    let all = user_types(reader)?;
    if all.is_empty() {
        return Ok(UserTypes::default());
    }
    let descs: Vec<UserTypeDesc> = all
        .iter()
        .map(|t| UserTypeDesc {
            oid: t.oid,
            name: t.name.clone(),
            typtype: t.typtype,
            category: t.category,
            elem: t.elem,
        })
        .collect();
    let mut composites = Vec::new();
    for t in all.iter().filter(|t| t.typtype == b'c') {
        composites.push((Arc::new(composite_desc(reader, t)?), t.array));
    }
    let ranges = user_ranges(reader)?;
    let enums: Vec<UserTypeRow> = all.into_iter().filter(|t| t.typtype == b'e').collect();
    let e = syscat::system_catalog(PG_ENUM).expect("pg_enum");
    let rows = reader.rows(e)?;
    Ok(UserTypes::with_types(
        descs,
        enums.into_iter().map(|t| {
            let labels = rows
                .matching(e.col("enumtypid"), t.oid)
                .map(|r| EnumLabel {
                    oid: oid_of(&r[e.col("oid")]),
                    sort_order: match r[e.col("enumsortorder")] {
                        Datum::Float4(f) => f,
                        _ => 0.0,
                    },
                    label: text_of(&r[e.col("enumlabel")]),
                    uncommitted: false,
                })
                .collect();
            (
                t.oid,
                EnumType {
                    name: t.name,
                    array: t.array,
                    labels,
                },
            )
        }),
    )
    .with_composites(composites)
    .with_ranges(ranges))
}

/// The `pg_range` rows of user-defined range types: (range type, subtype, multirange
/// type).
///
/// Errors: catalog read errors.
pub fn user_ranges(reader: &CatalogReader<'_>) -> Result<Vec<(Oid, Oid, Oid)>> {
    let Some(r) = syscat::system_catalog_by_name("pg_range") else {
        return Ok(Vec::new());
    };
    let rows = reader.rows(r)?;
    let (c_range, c_sub, c_multi) = (
        r.col("rngtypid"),
        r.col("rngsubtype"),
        r.col("rngmultitypid"),
    );
    Ok(rows
        .iter()
        .map(|row| {
            (
                oid_of(&row[c_range]),
                oid_of(&row[c_sub]),
                oid_of(&row[c_multi]),
            )
        })
        .filter(|(range, _, _)| range.0 >= 16384)
        .collect())
}

/// The type whose heap storage holds values of `type_oid` (rule 2: `float4` for an
/// enum; a domain's base type's); `type_oid` itself for everything else.
///
/// Errors: catalog read errors.
pub fn physical_type(reader: &CatalogReader<'_>, type_oid: Oid) -> Result<Oid> {
    Ok(match user_type(reader, type_oid)? {
        Some(t) if t.typtype == b'e' => type_oid::FLOAT4,
        // A domain's values have its base type's representation.
        Some(t) if t.typtype == b'd' => physical_type(reader, t.base_type)?,
        // Rule 4.
        Some(t) if t.typtype == b'c' => type_oid::RECORD,
        _ => type_oid,
    })
}

/// The binary form of `value` of type `type_oid` (rule 3 for enums, the built-in send
/// functions otherwise).
///
/// Errors: the send functions' errors; 0A000 for arrays of user-defined types.
pub fn binary_send(
    value: &Datum,
    type_oid: Oid,
    settings: &OutputSettings,
    out: &mut Vec<u8>,
) -> Result<()> {
    if let Some(label) = settings.user_types.enum_out(type_oid, value) {
        out.extend_from_slice(label?.as_bytes());
        return Ok(());
    }
    if settings.user_types.array_element(type_oid).is_some() {
        return Err(Error::feature_not_supported(format!(
            "binary output of type {} is not supported",
            settings
                .user_types
                .format_type(type_oid)
                .unwrap_or_default()
        )));
    }
    tusk_executor::io::binary_send(value, type_oid, out)
}

/// A value of `type_oid` from its binary form (rule 3 for enums).
///
/// Errors: the receive functions' errors; 22021 for an enum label that is not UTF-8;
/// 22P02 for an unknown label; 0A000 for arrays of user-defined types.
pub fn binary_recv(bytes: &[u8], type_oid: Oid, settings: &OutputSettings) -> Result<Datum> {
    if settings.user_types.enum_type(type_oid).is_some() {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            pg_err!(
                CHARACTER_NOT_IN_REPERTOIRE,
                "invalid byte sequence for encoding \"UTF8\""
            )
        })?;
        return settings
            .user_types
            .enum_in(type_oid, text)
            .expect("checked to be an enum");
    }
    if let Some(desc) = settings.user_types.composite(type_oid) {
        let recv = |b: &[u8], t: Oid| binary_recv(b, t, settings);
        return tusk_executor::io::record_recv(bytes, desc, &recv);
    }
    if settings.user_types.array_element(type_oid).is_some() {
        return Err(Error::feature_not_supported(format!(
            "binary input of type {} is not supported",
            settings
                .user_types
                .format_type(type_oid)
                .unwrap_or_default()
        )));
    }
    tusk_executor::io::binary_recv(bytes, type_oid)
}
