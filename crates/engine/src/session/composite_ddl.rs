//! CREATE TYPE ... AS (...), ALTER TYPE ... ADD | DROP | ALTER | RENAME ATTRIBUTE and the
//! composite part of DROP TYPE (PostgreSQL's `DefineCompositeType`, `AlterTable` on a
//! type, `RemoveObjects`): a composite type is, as in PostgreSQL,
//!
//! ```text
//!  pg_type  (typtype 'c', typrelid) ──▶ pg_class (relkind 'c', reltype) ──▶ pg_attribute rows
//!     └─ typarray ──▶ pg_type "_name" (typelem)
//! ```
//!
//! all written in the session's transaction.
//!
//! Rules:
//! 1. The `pg_class` row has no storage (`relfilenode` 0); its name shares `pg_class`'s
//!    namespace, so a table of the same name conflicts (42P07) as in PostgreSQL.
//! 2. Stored composite values carry their descriptor (`tusk_access::row`), so changing
//!    the attributes of a type a table column uses would leave stored values with the
//!    old shape: such ALTER TYPE statements fail with 0A000 (PostgreSQL refuses only
//!    `ALTER ATTRIBUTE ... TYPE`, with the same wording).
//! 3. DROP TYPE of a composite type a column or another composite type uses fails with
//!    2BP01 and PostgreSQL's DETAIL lines.
//!
//! Entry points: [`Session::create_composite`], [`Session::alter_composite`],
//! [`Session::rename_attribute`], [`Session::drop_composite_rows`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::analyze::Analyzer;
use tusk_sql::ast_type::{AlterAttribute, CompositeAttribute};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::enum_ddl::split_name;
use super::lookup::SessionLookup;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::user_types::{self as catalog_types, UserTypeRow};

/// One resolved attribute: name, type, typmod, collation.
struct ResolvedAttribute {
    name: String,
    type_oid: Oid,
    typmod: i32,
    collation: Oid,
}

impl Session {
    /// The composite type `names` (possibly schema-qualified).
    ///
    /// Errors: 42704 `type "x" does not exist`; 42809 `x is not a composite type`.
    pub(crate) fn composite_type(&self, names: &[String]) -> Result<UserTypeRow> {
        let t = self.user_type_named(names)?;
        if t.typtype != b'c' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "{} is not a composite type",
                t.name
            ));
        }
        Ok(t)
    }

    /// The composite type `names` as the ALTER TYPE ... ATTRIBUTE forms find it: through
    /// its `pg_class` row, so another kind of type is a missing relation (as PostgreSQL
    /// reports it).
    ///
    /// Errors: 42P01 `relation "x" does not exist`.
    fn composite_relation(&self, names: &[String]) -> Result<UserTypeRow> {
        match self.composite_type(names) {
            Ok(t) if self.rowtype_relation(&t)?.is_some() => Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a composite type",
                t.name
            )),
            Ok(t) => Ok(t),
            Err(e)
                if e.code == SqlState::UNDEFINED_OBJECT
                    || e.code == SqlState::WRONG_OBJECT_TYPE =>
            {
                Err(pg_err!(
                    UNDEFINED_TABLE,
                    "relation \"{}\" does not exist",
                    names.join(".")
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// The collation `COLLATE names` gives a column or attribute of type `type_oid`
    /// (`pg_attribute.attcollation`). tusk compares text bytewise, so it takes the
    /// collations that order so: `default` (the database is C-collated), and the libc
    /// ones whose locale is `C`, `POSIX` or `C.utf8` (`C`, `POSIX`, `ucs_basic`,
    /// `C.utf8`).
    ///
    /// Errors: 42804 `collations are not supported by type x`; 42704 `collation "x" for
    /// encoding "UTF8" does not exist`; 0A000 for any other collation.
    pub(crate) fn column_collation(&self, names: &[String], type_oid: Oid) -> Result<Oid> {
        let type_collation = match tusk_catalog::builtin().type_by_oid(type_oid) {
            Some(t) => t.collation,
            None => crate::user_types::physical_type(&self.catalog_reader(), type_oid)
                .ok()
                .and_then(|p| tusk_catalog::builtin().type_by_oid(p))
                .map_or(Oid::INVALID, |t| t.collation),
        };
        if type_collation == Oid::INVALID {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "collations are not supported by type {}",
                self.format_type(type_oid)
            ));
        }
        let name = names.last().cloned().unwrap_or_default();
        let schema_ok = names.len() == 1 || names[0] == "pg_catalog";
        let reader = self.catalog_reader();
        let found = match syscat::system_catalog_by_name("pg_collation") {
            Some(c) if schema_ok => reader
                .rows(c)?
                .iter()
                .find(|r| r[c.col("collname")] == Datum::Text(name.clone()))
                .map(|r| {
                    let oid = match r[c.col("oid")] {
                        Datum::Oid(o) => Oid(o),
                        _ => Oid::INVALID,
                    };
                    let text = |col: &str| match &r[c.col(col)] {
                        Datum::Text(t) => t.clone(),
                        _ => String::new(),
                    };
                    (oid, text("collprovider"), text("collcollate"))
                }),
            _ => None,
        };
        let Some((oid, provider, locale)) = found else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "collation \"{}\" for encoding \"UTF8\" does not exist",
                names.join(".")
            ));
        };
        let bytewise = provider == "d"
            || (provider == "c" && matches!(locale.as_str(), "C" | "POSIX" | "C.utf8" | "C.UTF-8"));
        if !bytewise {
            return Err(Error::feature_not_supported(format!(
                "COLLATE \"{}\"",
                names.join(".")
            )));
        }
        Ok(oid)
    }

    /// Resolves attribute types and collations, in order.
    ///
    /// Errors: 42704 for an unknown type or collation; 42P16 for a pseudo-type; 42804
    /// `collations are not supported by type x`.
    fn resolve_attributes(
        &self,
        attributes: &[&CompositeAttribute],
    ) -> Result<Vec<ResolvedAttribute>> {
        let reader = self.catalog_reader();
        let lookup = SessionLookup {
            builtin: tusk_executor::BuiltinLookup {
                settings: &self.output,
            },
            catalog: &reader,
        };
        let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
        let mut out = Vec::with_capacity(attributes.len());
        for a in attributes {
            // The statement's text is not at hand here: errors carry no position.
            let (type_oid, typmod) =
                analyzer.resolve_type_name(&a.type_name).map_err(|mut e| {
                    e.position = None;
                    e
                })?;
            if let Some(t) = tusk_catalog::builtin().type_by_oid(type_oid) {
                if t.typtype == b'p' {
                    return Err(pg_err!(
                        INVALID_TABLE_DEFINITION,
                        "column \"{}\" has pseudo-type {}",
                        a.name,
                        self.format_type(type_oid)
                    ));
                }
            }
            let collation = match &a.collation {
                None => tusk_catalog::builtin()
                    .type_by_oid(type_oid)
                    .map_or(Oid::INVALID, |t| t.collation),
                Some(names) => self.column_collation(names, type_oid)?,
            };
            out.push(ResolvedAttribute {
                name: a.name.clone(),
                type_oid,
                typmod,
                collation,
            });
        }
        Ok(out)
    }

    fn insert_attribute(&mut self, rel: Oid, attnum: i16, a: &ResolvedAttribute) -> Result<()> {
        self.insert_catalog_row(
            attribute_row(rel, attnum, &a.name, a.type_oid, a.typmod, false)
                .set("attcollation", Datum::Oid(a.collation.0)),
        )
    }

    /// `CREATE TYPE name AS (attributes)`: the `pg_class` row (relkind `c`), one
    /// `pg_attribute` row per attribute, the `pg_type` row (typtype `c`) and its array
    /// type `_name`.
    ///
    /// Errors: 42P07 `relation "x" already exists`; 42710 `type "x" already exists`;
    /// 42701 `column "a" specified more than once`; 42704 for unknown types; 3F000 for
    /// an unknown schema.
    pub(crate) fn create_composite(
        &mut self,
        names: &[String],
        attributes: &[CompositeAttribute],
    ) -> Result<()> {
        let (schema, name) = split_name(names);
        let (namespace, _) = self.checked_creation_namespace(schema)?;
        self.check_type_name_free(namespace, name)?;
        if self
            .catalog_reader()
            .relation_oid(namespace, name)?
            .is_some()
        {
            return Err(pg_err!(
                DUPLICATE_TABLE,
                "relation \"{}\" already exists",
                name
            ));
        }
        for (i, a) in attributes.iter().enumerate() {
            if attributes[..i].iter().any(|b| b.name == a.name) {
                return Err(pg_err!(
                    DUPLICATE_COLUMN,
                    "column \"{}\" specified more than once",
                    a.name
                ));
            }
        }
        let resolved = self.resolve_attributes(&attributes.iter().collect::<Vec<_>>())?;
        let cluster = self.db.cluster.clone();
        let rel_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let type_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let array_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let owner = self.current_user_oid()?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(rel_oid.0))
                .set("relname", Datum::Text(name.to_string()))
                .set("relnamespace", Datum::Oid(namespace.0))
                .set("reltype", Datum::Oid(type_oid.0))
                .set("relowner", Datum::Oid(owner.0))
                .set("reltuples", Datum::Float4(-1.0))
                .set("relpersistence", Datum::Text("p".into()))
                .set("relkind", Datum::Text("c".into()))
                .set("relnatts", Datum::Int2(resolved.len() as i16))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into())),
        )?;
        for (i, a) in resolved.iter().enumerate() {
            self.insert_attribute(rel_oid, i as i16 + 1, a)?;
        }
        // The same pg_type rows as a relation's row type, with the type's default
        // privileges.
        let typacl = self
            .default_acl('T', owner, namespace)?
            .map_or(Datum::Null, |acl| tusk_types::adt::acl::acl_to_datum(&acl));
        self.insert_rowtype_with_acl(
            rel_oid,
            (type_oid, array_oid),
            namespace,
            name,
            owner,
            typacl,
        )
    }

    /// Refuses to change the attributes of composite type `ty` while a table column
    /// stores its values (rule 2).
    ///
    /// Errors: 0A000 `cannot alter type "x" because column "t.c" uses it`.
    fn check_composite_unused(&self, ty: &UserTypeRow) -> Result<()> {
        if let Some((table, column)) = self
            .columns_using_type(&[ty.oid, ty.array])?
            .into_iter()
            .next()
        {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot alter type \"{}\" because column \"{}.{}\" uses it",
                ty.name,
                table,
                column
            ));
        }
        Ok(())
    }

    /// How many `pg_attribute` rows composite type `ty` has, dropped ones included.
    fn composite_attribute_count(&self, ty: &UserTypeRow) -> Result<i16> {
        let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let reader = self.catalog_reader();
        let rows = reader.rows(a)?;
        Ok(rows
            .matching(a.col("attrelid"), ty.relid)
            .filter_map(|r| match r[a.col("attnum")] {
                Datum::Int2(n) if n > 0 => Some(n),
                _ => None,
            })
            .max()
            .unwrap_or(0))
    }

    /// The live `pg_attribute` rows of composite type `ty`: (attnum, name).
    fn composite_attributes(&self, ty: &UserTypeRow) -> Result<Vec<(i16, String)>> {
        let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let reader = self.catalog_reader();
        let mut out: Vec<(i16, String)> = reader
            .rows(a)?
            .matching(a.col("attrelid"), ty.relid)
            .filter(|r| r[a.col("attisdropped")] != Datum::Bool(true))
            .filter_map(|r| match (&r[a.col("attnum")], &r[a.col("attname")]) {
                (Datum::Int2(n), Datum::Text(name)) if *n > 0 => Some((*n, name.clone())),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(n, _)| *n);
        Ok(out)
    }

    /// `ALTER TYPE name ADD ATTRIBUTE | DROP ATTRIBUTE | ALTER ATTRIBUTE ... TYPE`.
    /// Dropping an attribute marks its `pg_attribute` row dropped, as PostgreSQL does.
    ///
    /// Errors: 42704 / 42809 for the type; 42701 `column "a" of relation "x" already
    /// exists`; 42703 `column "a" of relation "x" does not exist` (a NOTICE with IF
    /// EXISTS); 0A000 when a table column uses the type (rule 2) and for other forms.
    pub(crate) fn alter_composite(
        &mut self,
        names: &[String],
        actions: &[AlterAttribute],
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<()> {
        let ty = self.composite_relation(names)?;
        for action in actions {
            if let AlterAttribute::Other(what) = action {
                return Err(Error::new(
                    SqlState::FEATURE_NOT_SUPPORTED,
                    format!("{what} is not supported"),
                ));
            }
        }
        self.check_composite_unused(&ty)?;
        let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_num, c_name) = (a.col("attrelid"), a.col("attnum"), a.col("attname"));
        let rel = Datum::Oid(ty.relid.0);
        for action in actions {
            let existing = self.composite_attributes(&ty)?;
            match action {
                AlterAttribute::Add(attr) => {
                    if existing.iter().any(|(_, n)| *n == attr.name) {
                        return Err(pg_err!(
                            DUPLICATE_COLUMN,
                            "column \"{}\" of relation \"{}\" already exists",
                            attr.name,
                            ty.name
                        ));
                    }
                    let resolved = self.resolve_attributes(&[attr])?;
                    let attnum = self.composite_attribute_count(&ty)? + 1;
                    self.insert_attribute(ty.relid, attnum, &resolved[0])?;
                }
                AlterAttribute::Drop { name, missing_ok } => {
                    let Some(&(attnum, _)) = existing.iter().find(|(_, n)| n == name) else {
                        let message = format!(
                            "column \"{}\" of relation \"{}\" does not exist",
                            name, ty.name
                        );
                        if *missing_ok {
                            sink.notice(
                                crate::sink::NoticeSeverity::Notice,
                                &Error::new(
                                    SqlState::SUCCESSFUL_COMPLETION,
                                    format!("{message}, skipping"),
                                ),
                            );
                            continue;
                        }
                        return Err(Error::new(SqlState::UNDEFINED_COLUMN, message));
                    };
                    // As PostgreSQL does: the row stays, marked dropped and renamed.
                    let (c_dropped, c_type) = (a.col("attisdropped"), a.col("atttypid"));
                    self.update_catalog_row(
                        a,
                        |row| row[c_rel] == rel && row[c_num] == Datum::Int2(attnum),
                        |row| {
                            row[c_dropped] = Datum::Bool(true);
                            row[c_type] = Datum::Oid(0);
                            row[c_name] =
                                Datum::Text(format!("........pg.dropped.{attnum}........"));
                        },
                    )?;
                }
                AlterAttribute::SetType(attr) => {
                    if !existing.iter().any(|(_, n)| *n == attr.name) {
                        return Err(pg_err!(
                            UNDEFINED_COLUMN,
                            "column \"{}\" of relation \"{}\" does not exist",
                            attr.name,
                            ty.name
                        ));
                    }
                    let resolved = self.resolve_attributes(&[attr])?;
                    let name = Datum::Text(attr.name.clone());
                    let r = &resolved[0];
                    let (c_type, c_mod, c_coll) =
                        (a.col("atttypid"), a.col("atttypmod"), a.col("attcollation"));
                    self.update_catalog_row(
                        a,
                        |row| row[c_rel] == rel && row[c_name] == name,
                        |row| {
                            row[c_type] = Datum::Oid(r.type_oid.0);
                            row[c_mod] = Datum::Int4(r.typmod);
                            row[c_coll] = Datum::Oid(r.collation.0);
                        },
                    )?;
                }
                AlterAttribute::Other(_) => unreachable!("refused above"),
            }
            self.txn.command_counter_increment();
        }
        let natts = self.composite_attributes(&ty)?.len() as i16;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_oid, c_natts) = (class.col("oid"), class.col("relnatts"));
        self.update_catalog_row(
            class,
            |row| row[c_oid] == rel,
            |row| row[c_natts] = Datum::Int2(natts),
        )?;
        Ok(())
    }

    /// `ALTER TYPE name RENAME ATTRIBUTE old TO new`.
    ///
    /// Errors: 42704 / 42809 for the type; 42703 `column "a" does not exist`; 42701
    /// `column "b" of relation "x" already exists`; 0A000 when a table column uses the
    /// type (rule 2).
    pub(crate) fn rename_attribute(
        &mut self,
        names: &[String],
        old: &str,
        new: &str,
    ) -> Result<()> {
        let ty = self.composite_relation(names)?;
        let existing = self.composite_attributes(&ty)?;
        if !existing.iter().any(|(_, n)| n == old) {
            return Err(pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" does not exist",
                old
            ));
        }
        if existing.iter().any(|(_, n)| n == new) {
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "column \"{}\" of relation \"{}\" already exists",
                new,
                ty.name
            ));
        }
        self.check_composite_unused(&ty)?;
        let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_name) = (a.col("attrelid"), a.col("attname"));
        let (rel, key) = (Datum::Oid(ty.relid.0), Datum::Text(old.to_string()));
        self.update_catalog_row(
            a,
            |row| row[c_rel] == rel && row[c_name] == key,
            |row| row[c_name] = Datum::Text(new.to_string()),
        )?;
        Ok(())
    }

    /// The composite types (other than `except`) with an attribute of type `ty` or its
    /// array type: their names, for DROP TYPE's DETAIL (rule 3).
    pub(crate) fn composites_using_type(&self, ty: &UserTypeRow) -> Result<Vec<(String, String)>> {
        let types = catalog_types::user_types(&self.catalog_reader())?;
        let mut out = Vec::new();
        for t in types
            .iter()
            .filter(|t| t.typtype == b'c' && t.oid != ty.oid)
        {
            // A relation's row type: its columns are reported as the table's.
            if self.rowtype_relation(t)?.is_some() {
                continue;
            }
            let desc = catalog_types::composite_desc(&self.catalog_reader(), t)?;
            for f in &desc.fields {
                if f.type_oid == ty.oid || f.type_oid == ty.array {
                    out.push((t.name.clone(), f.name.clone()));
                }
            }
        }
        Ok(out)
    }

    /// Removes composite type `ty`'s rows: its `pg_type` row and array type, its
    /// `pg_class` row and `pg_attribute` rows.
    pub(crate) fn drop_composite_rows(&mut self, ty: &UserTypeRow) -> Result<()> {
        let pg_type = syscat::system_catalog(syscat::PG_TYPE).expect("pg_type");
        let c_type = pg_type.col("oid");
        let (t, arr) = (Datum::Oid(ty.oid.0), Datum::Oid(ty.array.0));
        self.delete_catalog_rows(syscat::PG_TYPE, move |r| r[c_type] == t || r[c_type] == arr)?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_oid = class.col("oid");
        let rel = Datum::Oid(ty.relid.0);
        let r2 = rel.clone();
        self.delete_catalog_rows(syscat::PG_CLASS, move |r| r[c_oid] == r2)?;
        let a = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_rel = a.col("attrelid");
        self.delete_catalog_rows(syscat::PG_ATTRIBUTE, move |r| r[c_rel] == rel)?;
        Ok(())
    }
}

/// Whether a column of `type_oid`, whose values the heap stores as `physical` (see
/// `crate::user_types::physical_type`), can be stored: a composite type's values are
/// `record` values, though `record` itself is a pseudo-type no column may have.
pub(crate) fn column_type_is_storable(type_oid: Oid, physical: Oid) -> bool {
    tusk_access::row::type_is_storable(physical)
        || (physical == type_oid::RECORD && type_oid != type_oid::RECORD)
}
