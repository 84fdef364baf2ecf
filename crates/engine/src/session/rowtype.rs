//! Row types of relations (PostgreSQL's `AddNewRelationType` in
//! `heap_create_with_catalog`): every table, partitioned table, view, materialized view
//! and foreign table has a composite `pg_type` row named after it, with an array type,
//! so the relation's name is also a type (`CREATE TABLE u (x t)`, `RETURNS SETOF t`,
//! `'(1,x)'::t`).
//!
//! ```text
//!  pg_class (reltype) ──▶ pg_type (typtype 'c', typrelid = the relation)
//!                            └─ typarray ──▶ pg_type "_name" (typelem)
//! ```
//!
//! Rules:
//! 1. Sequences, TOAST tables and indexes have none (as in PostgreSQL 15).
//! 2. The row type follows its relation: renamed, moved to another schema, given to
//!    another owner and dropped with it. A column of another relation using it blocks
//!    DROP of the relation (2BP01), as PostgreSQL's dependency does without CASCADE.
//! 3. The array type is `_name`, or with more leading underscores while that is taken
//!    (PostgreSQL's `makeArrayTypeName`).
//! 4. The composite type's attributes are the relation's `pg_attribute` rows, read as
//!    those of a `CREATE TYPE ... AS` type are (`crate::user_types::composite_desc`).
//!
//! Entry points: [`Session::allocate_rowtype`], [`Session::insert_relation_rowtype`],
//! [`Session::remove_relation_rowtype`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::enum_ddl::{array_type_columns, proc_oid};
use super::Session;
use crate::user_types as catalog_types;

/// The longest type name, in bytes (`NAMEDATALEN - 1`).
const MAX_NAME_BYTES: usize = 63;

/// Whether a relation of `relkind` has a row type (rule 1).
pub(crate) fn has_rowtype(relkind: u8) -> bool {
    matches!(relkind, b'r' | b'p' | b'v' | b'm' | b'f')
}

/// The noun PostgreSQL's messages use for a relation of `relkind` that has a row type.
fn relation_kind_noun(relkind: u8) -> Option<&'static str> {
    Some(match relkind {
        b'r' | b'p' => "table",
        b'v' => "view",
        b'm' => "materialized view",
        b'f' => "foreign table",
        _ => return None,
    })
}

impl Session {
    /// The OIDs of a new relation's row type and its array type, allocated in
    /// PostgreSQL's order (array first), after checking that no type has the
    /// relation's name.
    ///
    /// Errors: 42710 `type "x" already exists`, with PostgreSQL's hint.
    pub(crate) fn allocate_rowtype(&mut self, namespace: Oid, name: &str) -> Result<(Oid, Oid)> {
        if self.check_type_name_free(namespace, name).is_err() {
            return Err(
                pg_err!(DUPLICATE_OBJECT, "type \"{}\" already exists", name).hint(
                    "A relation has an associated type of the same name, so you must use a name \
                 that doesn't conflict with any existing type.",
                ),
            );
        }
        let cluster = self.db.cluster.clone();
        let array_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let type_oid = cluster.xact.oids.next_oid(&cluster.wal);
        Ok((type_oid, array_oid))
    }

    /// Writes the `pg_type` rows of relation `rel`'s row type `type_oid` and its array
    /// type `array_oid` (from [`Session::allocate_rowtype`]).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn insert_relation_rowtype(
        &mut self,
        rel: Oid,
        types: (Oid, Oid),
        namespace: Oid,
        name: &str,
        owner: Oid,
    ) -> Result<()> {
        self.insert_rowtype_with_acl(rel, types, namespace, name, owner, Datum::Null)
    }

    /// [`Session::insert_relation_rowtype`] with the row type's `typacl` (a composite
    /// type's default privileges; a relation's row type has none).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn insert_rowtype_with_acl(
        &mut self,
        rel: Oid,
        (type_oid, array_oid): (Oid, Oid),
        namespace: Oid,
        name: &str,
        owner: Oid,
        typacl: Datum,
    ) -> Result<()> {
        let array_name = self.array_type_name(namespace, name)?;
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let common = |row: CatalogRow| {
            row.set("typnamespace", Datum::Oid(namespace.0))
                .set("typowner", Datum::Oid(owner.0))
                .set("typlen", Datum::Int2(-1))
                .set("typbyval", Datum::Bool(false))
                .set("typisdefined", Datum::Bool(true))
                .set("typdelim", Datum::Text(",".into()))
                .set("typalign", Datum::Text("d".into()))
                .set("typstorage", Datum::Text("x".into()))
                .set("typtypmod", Datum::Int4(-1))
        };
        self.insert_catalog_row(
            common(CatalogRow::new(pg_type))
                .set("oid", Datum::Oid(type_oid.0))
                .set("typname", Datum::Text(name.to_string()))
                .set("typtype", Datum::Text("c".into()))
                .set("typcategory", Datum::Text("C".into()))
                .set("typrelid", Datum::Oid(rel.0))
                .set("typacl", typacl)
                .set("typarray", Datum::Oid(array_oid.0))
                .set("typinput", proc_oid("record_in"))
                .set("typoutput", proc_oid("record_out"))
                .set("typreceive", proc_oid("record_recv"))
                .set("typsend", proc_oid("record_send")),
        )?;
        self.insert_catalog_row(
            array_type_columns(common(CatalogRow::new(pg_type)), type_oid)
                .set("oid", Datum::Oid(array_oid.0))
                .set("typname", Datum::Text(array_name)),
        )
    }

    /// The name for the array type of `name` in `namespace` (rule 3).
    fn array_type_name(&self, namespace: Oid, name: &str) -> Result<String> {
        let types = catalog_types::user_types(&self.catalog_reader())?;
        let mut candidate = format!("_{name}");
        loop {
            while candidate.len() > MAX_NAME_BYTES {
                candidate.pop();
            }
            let taken = types
                .iter()
                .any(|t| t.namespace == namespace && t.name == candidate)
                || (namespace == syscat::PG_CATALOG_NAMESPACE
                    && tusk_catalog::builtin().types_by_name(&candidate).is_some());
            if !taken {
                return Ok(candidate);
            }
            candidate.insert(0, '_');
        }
    }

    /// For `ty`, the row type of a table, view, materialized view or foreign table:
    /// that relation's kind noun (`table`, `view`, ...) and name; `None` for any other
    /// type, including a composite type of `CREATE TYPE ... AS`.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn rowtype_relation(
        &self,
        ty: &catalog_types::UserTypeRow,
    ) -> Result<Option<(&'static str, String)>> {
        if ty.typtype != b'c' {
            return Ok(None);
        }
        let Some(entry) = self.catalog_reader().entry(ty.relid)? else {
            return Ok(None);
        };
        Ok(relation_kind_noun(entry.info.kind).map(|noun| (noun, entry.info.name.clone())))
    }

    /// Refuses ALTER TYPE's RENAME, OWNER TO and SET SCHEMA on a relation's row type.
    ///
    /// Errors: 42809 `t is a table's row type` with PostgreSQL's hint.
    pub(crate) fn refuse_rowtype_alter(&self, ty: &catalog_types::UserTypeRow) -> Result<()> {
        if self.rowtype_relation(ty)?.is_some() {
            return Err(
                pg_err!(WRONG_OBJECT_TYPE, "{} is a table's row type", ty.name)
                    .hint("Use ALTER TABLE instead."),
            );
        }
        Ok(())
    }

    /// Refuses DROP TYPE of a relation's row type.
    ///
    /// Errors: 2BP01 `cannot drop type t because table t requires it` with PostgreSQL's
    /// hint.
    pub(crate) fn refuse_rowtype_drop(&self, ty: &catalog_types::UserTypeRow) -> Result<()> {
        if let Some((noun, name)) = self.rowtype_relation(ty)? {
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop type {} because {} {} requires it",
                ty.name,
                noun,
                name
            )
            .hint(format!("You can drop {noun} {name} instead.")));
        }
        Ok(())
    }

    /// Refuses ALTER TABLE actions that change relation `rel`'s row type (adding,
    /// dropping or retyping a column) while a column of another relation has that type,
    /// whose stored values would no longer match it.
    ///
    /// Errors: 0A000 `cannot alter table "t" because column "u.x" uses its row type`.
    pub(crate) fn refuse_rowtype_in_use(&self, rel: Oid) -> Result<()> {
        let Some(ty) = self.relation_rowtype(rel)? else {
            return Ok(());
        };
        if let Some((table, column)) = self.columns_using_type(&[ty.oid, ty.array])?.first() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot alter table \"{}\" because column \"{}.{}\" uses its row type",
                ty.name,
                table,
                column
            ));
        }
        Ok(())
    }

    /// The row type of relation `rel` and its array type, if it has them.
    pub(crate) fn relation_rowtype(&self, rel: Oid) -> Result<Option<catalog_types::UserTypeRow>> {
        Ok(catalog_types::user_types(&self.catalog_reader())?
            .iter()
            .find(|t| t.typtype == b'c' && t.relid == rel)
            .cloned())
    }

    /// Deletes relation `rel`'s row type and its array type (rule 2).
    ///
    /// Errors: 2BP01 `cannot drop table t because other objects depend on it` when a
    /// column of another relation has the row type (or its array type); catalog errors.
    pub(crate) fn remove_relation_rowtype(&mut self, rel: Oid) -> Result<()> {
        let Some(ty) = self.relation_rowtype(rel)? else {
            return Ok(());
        };
        let users: Vec<(String, String)> = self
            .columns_using_type(&[ty.oid, ty.array])?
            .into_iter()
            .filter(|(table, _)| *table != ty.name)
            .collect();
        if let Some((table, column)) = users.first() {
            let kind = self
                .catalog_reader()
                .entry(rel)?
                .and_then(|e| relation_kind_noun(e.info.kind))
                .unwrap_or("table");
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop {} {} because other objects depend on it",
                kind,
                ty.name
            )
            .detail(format!(
                "column {column} of table {table} depends on type {}",
                ty.name
            ))
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let c_oid = pg_type.col("oid");
        let (t, a) = (Datum::Oid(ty.oid.0), Datum::Oid(ty.array.0));
        self.delete_catalog_rows(syscat::PG_TYPE, move |r| r[c_oid] == t || r[c_oid] == a)?;
        Ok(())
    }

    /// Renames relation `rel`'s row type (and its array type) to `new_name` (rule 2).
    ///
    /// Errors: 42710 `type "x" already exists` when another type has the name;
    /// catalog errors.
    pub(crate) fn rename_relation_rowtype(&mut self, rel: Oid, new_name: &str) -> Result<()> {
        let Some(ty) = self.relation_rowtype(rel)? else {
            return Ok(());
        };
        self.check_type_name_free(ty.namespace, new_name)?;
        let array_name = self.array_type_name(ty.namespace, new_name)?;
        self.set_rowtype_column(
            &ty,
            "typname",
            Datum::Text(new_name.to_string()),
            array_name,
        )
    }

    /// Moves relation `rel`'s row type (and its array type) to `namespace` (rule 2).
    ///
    /// Errors: 42710 `type "x" already exists` in the new schema; catalog errors.
    pub(crate) fn move_relation_rowtype(&mut self, rel: Oid, namespace: Oid) -> Result<()> {
        let Some(ty) = self.relation_rowtype(rel)? else {
            return Ok(());
        };
        self.check_type_name_free(namespace, &ty.name)?;
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let (c_oid, c_ns) = (pg_type.col("oid"), pg_type.col("typnamespace"));
        for oid in [ty.oid, ty.array] {
            self.update_catalog_row(
                pg_type,
                |r| r[c_oid] == Datum::Oid(oid.0),
                |r| r[c_ns] = Datum::Oid(namespace.0),
            )?;
        }
        Ok(())
    }

    /// Gives relation `rel`'s row type (and its array type) to `owner` (rule 2).
    ///
    /// Errors: catalog errors.
    pub(crate) fn set_relation_rowtype_owner(&mut self, rel: Oid, owner: Oid) -> Result<()> {
        let Some(ty) = self.relation_rowtype(rel)? else {
            return Ok(());
        };
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let (c_oid, c_owner) = (pg_type.col("oid"), pg_type.col("typowner"));
        for oid in [ty.oid, ty.array] {
            self.update_catalog_row(
                pg_type,
                |r| r[c_oid] == Datum::Oid(oid.0),
                |r| r[c_owner] = Datum::Oid(owner.0),
            )?;
        }
        Ok(())
    }

    /// Sets `column` of the row type `ty` to `value` and the array type's name to
    /// `array_name`.
    fn set_rowtype_column(
        &mut self,
        ty: &catalog_types::UserTypeRow,
        column: &str,
        value: Datum,
        array_name: String,
    ) -> Result<()> {
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let (c_oid, c_col, c_name) = (
            pg_type.col("oid"),
            pg_type.col(column),
            pg_type.col("typname"),
        );
        let (t, a) = (ty.oid, ty.array);
        self.update_catalog_row(
            pg_type,
            |r| r[c_oid] == Datum::Oid(t.0),
            |r| r[c_col] = value,
        )?;
        self.update_catalog_row(
            pg_type,
            |r| r[c_oid] == Datum::Oid(a.0),
            |r| r[c_name] = Datum::Text(array_name),
        )?;
        Ok(())
    }
}
