//! The system catalogs as relations: each `pg_catalog` table's OID, row type and columns,
//! exactly as PostgreSQL 15 defines them (generated into `data/catalog_relations.tsv` and
//! `data/catalog_attributes.tsv` by `data/generate.sh`).
//!
//! initdb creates every system catalog as a heap whose relfilenode is its OID (PostgreSQL's
//! initial assignment; tusk has no relation mapper, so it never changes) and fills the
//! ones tusk maintains; rows are built with [`CatalogRow`], addressed by column name.
//!
//! Entry points: [`system_catalogs`], [`system_catalog`], [`system_catalog_by_name`],
//! [`CatalogRow`].

use std::sync::OnceLock;

use tusk_types::{type_oid, Datum, Oid};

use crate::tsv::Table;

/// `pg_type`.
pub const PG_TYPE: Oid = Oid(1247);
/// `pg_attribute`.
pub const PG_ATTRIBUTE: Oid = Oid(1249);
/// `pg_proc`.
pub const PG_PROC: Oid = Oid(1255);
/// `pg_class`.
pub const PG_CLASS: Oid = Oid(1259);
/// `pg_attrdef`.
pub const PG_ATTRDEF: Oid = Oid(2604);
/// `pg_constraint`.
pub const PG_CONSTRAINT: Oid = Oid(2606);
/// `pg_depend`.
pub const PG_DEPEND: Oid = Oid(2608);
/// `pg_description`.
pub const PG_DESCRIPTION: Oid = Oid(2609);
/// `pg_index`.
pub const PG_INDEX: Oid = Oid(2610);
/// `pg_namespace`.
pub const PG_NAMESPACE: Oid = Oid(2615);

/// `pg_catalog`'s OID.
pub const PG_CATALOG_NAMESPACE: Oid = Oid(11);
/// `pg_toast`'s OID.
pub const PG_TOAST_NAMESPACE: Oid = Oid(99);
/// `public`'s OID.
pub const PUBLIC_NAMESPACE: Oid = Oid(2200);
/// The bootstrap superuser's OID.
pub const BOOTSTRAP_SUPERUSER: Oid = Oid(10);
/// The `heap` table access method.
pub const HEAP_TABLE_AM: Oid = Oid(2);
/// OIDs below this are assigned by initdb; user objects start here (`FirstNormalObjectId`).
pub const FIRST_NORMAL_OBJECT_ID: u32 = 16384;

/// One column of a system catalog (its `pg_attribute` row).
#[derive(Debug, Clone, PartialEq)]
pub struct SysColumn {
    /// `attname`.
    pub name: String,
    /// `atttypid`.
    pub type_oid: Oid,
    /// `atttypmod`.
    pub typmod: i32,
    /// `attnotnull`.
    pub not_null: bool,
}

/// A system catalog relation.
#[derive(Debug, Clone, PartialEq)]
pub struct SysCatalog {
    /// `pg_class.oid` (also its relfilenode).
    pub oid: Oid,
    /// `relname`.
    pub name: String,
    /// `reltype`: the row type.
    pub rowtype: Oid,
    /// `relisshared`: one copy for the whole cluster (`global/`), not one per database.
    pub shared: bool,
    /// Columns in `attnum` order.
    pub columns: Vec<SysColumn>,
}

impl SysCatalog {
    /// 0-based index of column `name`. Panics if the catalog has no such column: catalog
    /// layouts are fixed, so that is a bug in the caller.
    pub fn col(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("{} has no column {name}", self.name))
    }
}

fn load() -> Vec<SysCatalog> {
    let relations = Table::parse(include_str!("../data/catalog_relations.tsv"));
    let attributes = Table::parse(include_str!("../data/catalog_attributes.tsv"));
    let field = |row: &Vec<Option<String>>, i: usize| row[i].clone().unwrap_or_default();
    let (r_oid, r_name, r_type, r_shared) = (
        relations.col("oid"),
        relations.col("relname"),
        relations.col("reltype"),
        relations.col("relisshared"),
    );
    let (a_rel, a_name, a_type, a_typmod, a_notnull) = (
        attributes.col("attrelid"),
        attributes.col("attname"),
        attributes.col("atttypid"),
        attributes.col("atttypmod"),
        attributes.col("attnotnull"),
    );
    let num = |s: String| s.parse::<i64>().expect("generated data is numeric");
    relations
        .rows
        .iter()
        .map(|r| {
            let oid = Oid(num(field(r, r_oid)) as u32);
            let columns = attributes
                .rows
                .iter()
                .filter(|a| num(field(a, a_rel)) as u32 == oid.0)
                .map(|a| SysColumn {
                    name: field(a, a_name),
                    type_oid: Oid(num(field(a, a_type)) as u32),
                    typmod: num(field(a, a_typmod)) as i32,
                    not_null: field(a, a_notnull) == "t",
                })
                .collect();
            SysCatalog {
                oid,
                name: field(r, r_name),
                rowtype: Oid(num(field(r, r_type)) as u32),
                shared: field(r, r_shared) == "t",
                columns,
            }
        })
        .collect()
}

/// Every system catalog of PostgreSQL 15, in OID order.
pub fn system_catalogs() -> &'static [SysCatalog] {
    static CATALOGS: OnceLock<Vec<SysCatalog>> = OnceLock::new();
    CATALOGS.get_or_init(load)
}

/// The system catalog with OID `oid`.
pub fn system_catalog(oid: Oid) -> Option<&'static SysCatalog> {
    system_catalogs().iter().find(|c| c.oid == oid)
}

/// The system catalog named `name` (`pg_class`).
pub fn system_catalog_by_name(name: &str) -> Option<&'static SysCatalog> {
    system_catalogs().iter().find(|c| c.name == name)
}

/// Column names and rows of text fields (`None` for NULL) of a data table.
pub type BuiltinRows = (Vec<&'static str>, Vec<Vec<Option<String>>>);

/// The built-in rows of system catalog `name` as generated from PostgreSQL 15
/// (`data/<name>.tsv`): column names and rows of text fields in COPY text form (`None` for
/// NULL). `None` for catalogs without a data table.
pub fn builtin_rows(name: &str) -> Option<BuiltinRows> {
    let text = match name {
        "pg_type" => include_str!("../data/pg_type.tsv"),
        "pg_proc" => include_str!("../data/pg_proc.tsv"),
        "pg_operator" => include_str!("../data/pg_operator.tsv"),
        "pg_cast" => include_str!("../data/pg_cast.tsv"),
        "pg_aggregate" => include_str!("../data/pg_aggregate.tsv"),
        "pg_range" => include_str!("../data/pg_range.tsv"),
        "pg_namespace" => include_str!("../data/pg_namespace.tsv"),
        "pg_am" => include_str!("../data/pg_am.tsv"),
        "pg_opclass" => include_str!("../data/pg_opclass.tsv"),
        "pg_opfamily" => include_str!("../data/pg_opfamily.tsv"),
        "pg_amop" => include_str!("../data/pg_amop.tsv"),
        "pg_amproc" => include_str!("../data/pg_amproc.tsv"),
        "pg_collation" => include_str!("../data/pg_collation.tsv"),
        "pg_language" => include_str!("../data/pg_language.tsv"),
        "pg_authid" => include_str!("../data/pg_authid.tsv"),
        "pg_database" => include_str!("../data/pg_database.tsv"),
        "pg_tablespace" => include_str!("../data/pg_tablespace.tsv"),
        "pg_description" => include_str!("../data/pg_description.tsv"),
        "pg_shdescription" => include_str!("../data/pg_shdescription.tsv"),
        "pg_extension" => include_str!("../data/pg_extension.tsv"),
        "pg_depend" => include_str!("../data/pg_depend.tsv"),
        "pg_ts_config" => include_str!("../data/pg_ts_config.tsv"),
        "pg_ts_config_map" => include_str!("../data/pg_ts_config_map.tsv"),
        "pg_ts_dict" => include_str!("../data/pg_ts_dict.tsv"),
        "pg_ts_parser" => include_str!("../data/pg_ts_parser.tsv"),
        "pg_ts_template" => include_str!("../data/pg_ts_template.tsv"),
        _ => return None,
    };
    let table = Table::parse(text);
    Some((table.columns().to_vec(), table.rows))
}

/// A row of a system catalog under construction: every column starts as the zero value of
/// its type (`0`, `false`, empty name) for NOT NULL columns and NULL otherwise, and is set by
/// name.
#[derive(Debug, Clone)]
pub struct CatalogRow {
    catalog: &'static SysCatalog,
    values: Vec<Datum>,
}

fn zero_value(column: &SysColumn) -> Datum {
    if !column.not_null {
        return Datum::Null;
    }
    match column.type_oid {
        type_oid::BOOL => Datum::Bool(false),
        type_oid::INT2 => Datum::Int2(0),
        type_oid::INT4 => Datum::Int4(0),
        type_oid::INT8 => Datum::Int8(0),
        type_oid::FLOAT4 => Datum::Float4(0.0),
        type_oid::FLOAT8 => Datum::Float8(0.0),
        type_oid::NAME | type_oid::TEXT => Datum::Text(String::new()),
        type_oid::CHAR => Datum::Text(String::new()),
        _ => Datum::Oid(0),
    }
}

impl CatalogRow {
    /// A fresh row of `catalog`.
    pub fn new(catalog: &'static SysCatalog) -> CatalogRow {
        CatalogRow {
            catalog,
            values: catalog.columns.iter().map(zero_value).collect(),
        }
    }

    /// A row of `catalog` with `values` (one per column, in order), such as a copy of an
    /// existing row.
    ///
    /// Panics if the count is not the catalog's column count.
    pub fn from_values(catalog: &'static SysCatalog, values: Vec<Datum>) -> CatalogRow {
        assert_eq!(values.len(), catalog.columns.len(), "one value per column");
        CatalogRow { catalog, values }
    }

    /// Sets column `name` (panics on an unknown column: catalog layouts are fixed).
    pub fn set(mut self, name: &str, value: Datum) -> CatalogRow {
        let i = self.catalog.col(name);
        self.values[i] = value;
        self
    }

    /// The value of column `name` (panics on an unknown column).
    pub fn get(&self, name: &str) -> &Datum {
        &self.values[self.catalog.col(name)]
    }

    /// The catalog this row belongs to.
    pub fn catalog(&self) -> &'static SysCatalog {
        self.catalog
    }

    /// The values, one per column.
    pub fn into_values(self) -> Vec<Datum> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_postgres_catalog_layouts() {
        let class = system_catalog(PG_CLASS).expect("pg_class");
        assert_eq!(class.name, "pg_class");
        assert_eq!(class.columns[0].name, "oid");
        assert_eq!(class.columns[1].name, "relname");
        assert_eq!(class.columns[1].type_oid, type_oid::NAME);
        assert_eq!(class.columns.len(), 33);
        assert_eq!(
            system_catalog_by_name("pg_attribute").map(|c| c.oid),
            Some(PG_ATTRIBUTE)
        );
        assert!(system_catalog_by_name("pg_database").is_some_and(|c| c.shared));
        let row = CatalogRow::new(class).set("relname", Datum::Text("t".into()));
        let values = row.into_values();
        assert_eq!(values[1], Datum::Text("t".into()));
        assert_eq!(values[class.col("relhasindex")], Datum::Bool(false));
        assert_eq!(values[class.col("relacl")], Datum::Null);
    }
}
