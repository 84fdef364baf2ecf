//! PRIMARY KEY and UNIQUE constraints (PostgreSQL's `index_constraint_create` through
//! `DefineIndex` with `isconstraint`): a unique B-tree index named after the constraint, a
//! `pg_constraint` row (contype `p`/`u`, `conkey`, `conindid`) and the dependencies
//! (constraint on the table's columns, index on the constraint). A primary key's columns
//! become NOT NULL.
//!
//! Entry points: `Session::add_index_constraint` (CREATE TABLE and ALTER TABLE ... ADD
//! CONSTRAINT), `Session::set_not_null` (also ALTER COLUMN SET NOT NULL),
//! [`check_constraint_row`] (the `pg_constraint` row of a table's or a domain's CHECK).

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Oid, Result};

use super::index_ddl::IndexDefinition;
use super::Session;
use crate::relcache::RelEntry;

/// The `pg_constraint` row of CHECK constraint `name` (OID `oid`, schema `namespace`)
/// whose expression is `conbin` (SQL text, as tusk stores expressions), validated; the
/// caller sets what it belongs to (`conrelid` and `conkey`, or `contypid`).
pub(crate) fn check_constraint_row(
    oid: Oid,
    name: &str,
    namespace: Oid,
    conbin: &str,
) -> CatalogRow {
    let pg_constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
    CatalogRow::new(pg_constraint)
        .set("oid", Datum::Oid(oid.0))
        .set("conname", Datum::Text(name.to_string()))
        .set("connamespace", Datum::Oid(namespace.0))
        .set("contype", Datum::Text("c".into()))
        .set("convalidated", Datum::Bool(true))
        .set("confupdtype", Datum::Text(" ".into()))
        .set("confdeltype", Datum::Text(" ".into()))
        .set("confmatchtype", Datum::Text(" ".into()))
        .set("conislocal", Datum::Bool(true))
        .set("conbin", Datum::Text(conbin.to_string()))
}

/// A PRIMARY KEY or UNIQUE constraint to add.
pub(crate) struct IndexConstraint<'a> {
    /// The constraint's name, if given.
    pub name: Option<&'a str>,
    /// Key column names.
    pub columns: &'a [String],
    /// PRIMARY KEY.
    pub primary: bool,
    /// Whether a partitioned table's partitions get the constraint too (not `ALTER
    /// TABLE ONLY`, which leaves the parent's index invalid until they are attached).
    pub recurse: bool,
    /// The index's storage parameters (`WITH (...)`), unchecked.
    pub options: &'a [(String, Option<String>)],
}

impl Session {
    /// Whether `table` has a primary key (`pg_constraint` contype `p`).
    fn has_primary_key(&self, table: Oid) -> Result<bool> {
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        Ok(self
            .catalog_reader()
            .scan(constraint)?
            .into_iter()
            .any(|(_, r)| {
                r[constraint.col("conrelid")] == Datum::Oid(table.0)
                    && r[constraint.col("contype")] == Datum::Text("p".into())
            }))
    }

    /// Adds a PRIMARY KEY or UNIQUE constraint to `table` (new in this transaction, or
    /// held in ACCESS EXCLUSIVE mode): the unique index built from the rows, NOT NULL for a
    /// primary key's columns (after checking the existing rows), the `pg_constraint` row.
    /// `taken` holds names chosen earlier in the same statement and gets this one.
    /// Returns the index's OID.
    ///
    /// Errors: 42703 `column "x" named in key does not exist`, 42701 for a column named
    /// twice, 42P16 `multiple primary keys for table "t" are not allowed`, 23502 `column
    /// "a" of relation "t" contains null values`, 42P07 for a taken name, 23505 `could not
    /// create unique index` for duplicate keys.
    pub(crate) fn add_index_constraint(
        &mut self,
        table: &RelEntry,
        constraint: IndexConstraint<'_>,
        taken: &mut Vec<String>,
    ) -> Result<Oid> {
        let kind = if constraint.primary {
            "primary key"
        } else {
            "unique"
        };
        let reloptions = super::alter_options::index_reloptions(constraint.options)?;
        let mut attnums: Vec<i16> = Vec::with_capacity(constraint.columns.len());
        for name in constraint.columns {
            let Some(i) = table
                .info
                .columns
                .iter()
                .position(|c| !c.dropped && c.name == *name)
            else {
                return Err(pg_err!(
                    UNDEFINED_COLUMN,
                    "column \"{}\" named in key does not exist",
                    name
                ));
            };
            let attnum = i as i16 + 1;
            if attnums.contains(&attnum) {
                return Err(pg_err!(
                    DUPLICATE_COLUMN,
                    "column \"{}\" appears twice in {} constraint",
                    name,
                    kind
                ));
            }
            attnums.push(attnum);
        }
        if constraint.primary && !constraint.recurse && table.info.kind == b'p' {
            // ONLY cannot make the partitions' key columns NOT NULL (ATPrepAddPrimaryKey).
            for child in
                super::inheritance::inheritance_children(&self.catalog_reader(), table.info.oid)?
            {
                let child = self.reload_relation(child)?;
                for name in constraint.columns {
                    if let Some((_, column)) =
                        child.info.live_columns().find(|(_, c)| c.name == *name)
                    {
                        if !column.not_null {
                            return Err(pg_err!(
                                INVALID_TABLE_DEFINITION,
                                "constraint must be added to child tables too"
                            )
                            .detail(format!(
                                "Column \"{}\" of relation \"{}\" is not already NOT NULL.",
                                name, child.info.name
                            ))
                            .hint("Do not specify the ONLY keyword."));
                        }
                    }
                }
            }
        }
        self.check_partitioned_unique(
            table,
            constraint.columns,
            if constraint.primary {
                "PRIMARY KEY"
            } else {
                "UNIQUE"
            },
        )?;
        if constraint.primary && self.has_primary_key(table.info.oid)? {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "multiple primary keys for table \"{}\" are not allowed",
                table.info.name
            ));
        }
        let namespace = table.namespace_oid;
        let name = match constraint.name {
            Some(n) => {
                if taken.iter().any(|t| t == n)
                    || self.catalog_reader().relation_oid(namespace, n)?.is_some()
                {
                    return Err(pg_err!(
                        DUPLICATE_TABLE,
                        "relation \"{}\" already exists",
                        n
                    ));
                }
                n.to_string()
            }
            None => self.choose_index_name(
                namespace,
                &table.info.name,
                constraint.columns,
                if constraint.primary { "pkey" } else { "key" },
                taken,
            )?,
        };
        taken.push(name.clone());
        let cluster = self.db.cluster.clone();
        let constraint_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let index_oid = self.define_index(
            table,
            IndexDefinition {
                name: name.clone(),
                columns: attnums.iter().map(|&a| (a, false, false)).collect(),
                unique: true,
                primary: constraint.primary,
                constraint: Some(constraint_oid),
                opclasses: Vec::new(),
                expressions: Vec::new(),
                predicate: None,
                attribute_names: Vec::new(),
                reloptions,
            },
        )?;
        // NOT NULL is checked after the build, so duplicates are reported first, as
        // PostgreSQL's deferred NOT NULL scan does.
        if constraint.primary {
            self.set_not_null(table, &attnums)?;
        }
        let pg_constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        self.insert_catalog_row(
            CatalogRow::new(pg_constraint)
                .set("oid", Datum::Oid(constraint_oid.0))
                .set("conname", Datum::Text(name))
                .set("connamespace", Datum::Oid(namespace.0))
                .set(
                    "contype",
                    Datum::Text(if constraint.primary { "p" } else { "u" }.into()),
                )
                .set("convalidated", Datum::Bool(true))
                .set("conrelid", Datum::Oid(table.info.oid.0))
                .set("conindid", Datum::Oid(index_oid.0))
                .set("confupdtype", Datum::Text(" ".into()))
                .set("confdeltype", Datum::Text(" ".into()))
                .set("confmatchtype", Datum::Text(" ".into()))
                .set("conislocal", Datum::Bool(true))
                .set("connoinherit", Datum::Bool(true))
                .set(
                    "conkey",
                    Datum::Array(Box::new(Array::from_elements(
                        type_oid::INT2,
                        attnums.iter().map(|&a| Datum::Int2(a)).collect(),
                    ))),
                ),
        )?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        for &attnum in &attnums {
            self.insert_catalog_row(
                CatalogRow::new(depend)
                    .set("classid", Datum::Oid(syscat::PG_CONSTRAINT.0))
                    .set("objid", Datum::Oid(constraint_oid.0))
                    .set("objsubid", Datum::Int4(0))
                    .set("refclassid", Datum::Oid(syscat::PG_CLASS.0))
                    .set("refobjid", Datum::Oid(table.info.oid.0))
                    .set("refobjsubid", Datum::Int4(i32::from(attnum)))
                    .set("deptype", Datum::Text("a".into())),
            )?;
        }
        self.txn.command_counter_increment();
        if constraint.recurse {
            self.index_partitions(table, index_oid)?;
        } else if table.info.kind == b'p'
            && !super::inheritance::inheritance_children(&self.catalog_reader(), table.info.oid)?
                .is_empty()
        {
            self.set_index_valid(index_oid, false)?;
        }
        Ok(index_oid)
    }

    /// Marks columns `attnums` of `table` NOT NULL, first checking that no visible row
    /// holds a NULL there.
    ///
    /// Errors: 23502 `column "a" of relation "t" contains null values`.
    pub(crate) fn set_not_null(&mut self, table: &RelEntry, attnums: &[i16]) -> Result<()> {
        let pending: Vec<i16> = attnums
            .iter()
            .copied()
            .filter(|&a| !table.info.columns[a as usize - 1].not_null)
            .collect();
        if pending.is_empty() {
            return Ok(());
        }
        let columns: Vec<(i16, bool, bool)> = pending.iter().map(|&a| (a, false, false)).collect();
        for (key, _) in self.index_entries(table, &columns)? {
            if let Some(i) = key.iter().position(Datum::is_null) {
                let column = &table.info.columns[pending[i] as usize - 1];
                return Err(pg_err!(
                    NOT_NULL_VIOLATION,
                    "column \"{}\" of relation \"{}\" contains null values",
                    column.name,
                    table.info.name
                ));
            }
        }
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_num, c_notnull) = (
            attribute.col("attrelid"),
            attribute.col("attnum"),
            attribute.col("attnotnull"),
        );
        let rel = table.info.oid;
        for attnum in pending {
            self.update_catalog_row(
                attribute,
                |r| r[c_rel] == Datum::Oid(rel.0) && r[c_num] == Datum::Int2(attnum),
                |row| row[c_notnull] = Datum::Bool(true),
            )?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }
}
