//! FOREIGN KEY constraints in DDL (PostgreSQL's `ATAddForeignKeyConstraint`): the
//! referenced key is resolved (the primary key by default) and must match a unique index
//! of the referenced table; the `pg_constraint` row (contype `f`, `conkey`, `confkey`,
//! `conpfeqop`, `conppeqop`, `conffeqop`, actions and match type) and its `pg_depend`
//! rows are written; existing rows are validated when the table is not new. DROP TABLE
//! and TRUNCATE of a referenced table honour the constraints.
//!
//! DEFERRABLE constraints are checked as `deferred_constraints` says.
//!
//! Not yet supported (0A000): MATCH PARTIAL, SET DEFAULT actions, SET NULL /
//! SET DEFAULT column lists. No `pg_trigger` rows are written: enforcement is
//! `foreign_key_triggers`, not triggers.
//!
//! Entry points: [`Session::add_foreign_key`] (CREATE TABLE, and ALTER TABLE ... ADD
//! CONSTRAINT ... FOREIGN KEY), [`Session::drop_foreign_keys_referencing`] (DROP TABLE),
//! [`Session::drop_foreign_keys_on_index`] (DROP INDEX),
//! [`Session::truncate_foreign_key_targets`] (TRUNCATE),
//! [`Session::remove_constraint_catalog`] (ALTER TABLE ... DROP CONSTRAINT).

use std::collections::HashSet;
use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_executor::OutputSettings;
use tusk_sql::ast_ddl::ForeignKeyDef;
use tusk_types::adt::array::Array;
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result, SqlState};

use super::Session;
use crate::foreign_key::{
    action, key_nulls, key_text, load_foreign_keys, types_compatible, ForeignKey, KeyNulls,
};
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// PostgreSQL's `NAMEDATALEN - 1`.
const MAX_IDENTIFIER_LENGTH: usize = 63;

/// The `=` operator of `left` and `right` (PostgreSQL's opfamily equality operator),
/// trying the types themselves, then `text` for the text family.
fn equality_operator(left: Oid, right: Oid) -> Oid {
    let builtin = tusk_catalog::builtin();
    let find = |l: Oid, r: Oid| {
        builtin
            .operators_by_name("=")
            .find(|o| o.left == l && o.right == r)
            .map(|o| o.oid)
    };
    let textish = |t: Oid| {
        if t == type_oid::VARCHAR {
            type_oid::TEXT
        } else {
            t
        }
    };
    find(left, right)
        .or_else(|| find(textish(left), textish(right)))
        .or_else(|| find(left, left))
        .unwrap_or(Oid::INVALID)
}

fn oid_array(oids: &[Oid]) -> Datum {
    Datum::Array(Box::new(Array::from_elements(
        type_oid::OID,
        oids.iter().map(|o| Datum::Oid(o.0)).collect(),
    )))
}

fn int2_array(values: &[i16]) -> Datum {
    Datum::Array(Box::new(Array::from_elements(
        type_oid::INT2,
        values.iter().map(|&v| Datum::Int2(v)).collect(),
    )))
}

fn attnum_of(entry: &RelEntry, name: &str) -> Option<i16> {
    entry
        .info
        .columns
        .iter()
        .position(|c| !c.dropped && c.name == name)
        .map(|i| i as i16 + 1)
}

/// The key as text values (for comparing keys of compatible types in bulk).
fn key_strings(key: &[Datum], types: &[Oid], output: &OutputSettings) -> Result<Vec<String>> {
    key.iter()
        .zip(types)
        .map(|(v, t)| tusk_executor::io::text_out_string(v, *t, output))
        .collect()
}

impl Session {
    /// The primary key of `table`: its columns and index, if it has one.
    fn primary_key_of(&self, table: Oid) -> Result<Option<(Vec<i16>, Oid)>> {
        let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        for (_, r) in self.catalog_reader().scan(c)? {
            if r[c.col("conrelid")] == Datum::Oid(table.0)
                && r[c.col("contype")] == Datum::Text("p".into())
            {
                let keys = tusk_types::adt::array::int2_values(&r[c.col("conkey")]);
                let index = match r[c.col("conindid")] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid::INVALID,
                };
                return Ok(Some((keys, index)));
            }
        }
        Ok(None)
    }

    /// Whether a constraint named `name` exists in `namespace`.
    fn constraint_name_exists(&self, namespace: Oid, name: &str) -> Result<bool> {
        let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        Ok(self.catalog_reader().scan(c)?.into_iter().any(|(_, r)| {
            r[c.col("connamespace")] == Datum::Oid(namespace.0)
                && r[c.col("conname")] == Datum::Text(name.into())
        }))
    }

    /// PostgreSQL's `ChooseConstraintName(table, cols joined by "_", "fkey")`.
    fn choose_foreign_key_name(
        &self,
        namespace: Oid,
        table: &str,
        columns: &[String],
        taken: &[String],
    ) -> Result<String> {
        let mut cols = columns.join("_");
        if cols.len() > MAX_IDENTIFIER_LENGTH {
            let mut cut = MAX_IDENTIFIER_LENGTH;
            while !cols.is_char_boundary(cut) {
                cut -= 1;
            }
            cols.truncate(cut);
        }
        let mut n = 0;
        loop {
            let label = if n == 0 {
                "fkey".to_string()
            } else {
                format!("fkey{n}")
            };
            let candidate = super::index_ddl::make_object_name(table, &cols, &label);
            if !taken.contains(&candidate) && !self.constraint_name_exists(namespace, &candidate)? {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    /// Adds FOREIGN KEY constraint `def` to `table` (held in a lock that keeps writers
    /// out, or new in this transaction). The referenced table is locked SHARE ROW
    /// EXCLUSIVE, as PostgreSQL does. With `validate`, the existing rows are checked first
    /// (ALTER TABLE; a table created by the same statement has none). `taken` holds
    /// constraint names chosen earlier in the statement and gets this one. Returns the
    /// constraint's OID.
    ///
    /// Errors: 42P01 for a missing referenced table, 42809 `referenced relation "v" is not
    /// a table`; 42703 `column "x" referenced in foreign key constraint does not exist`;
    /// 42704 `there is no primary key for referenced table "b"`; 42830 `number of
    /// referencing and referenced columns for foreign key disagree` and `there is no
    /// unique constraint matching given keys for referenced table "b"`; 42804 `foreign key
    /// constraint "c" cannot be implemented` for incompatible key types; 42710 for a taken
    /// name; 23503 for an existing row without a referenced row; 0A000 for MATCH PARTIAL,
    /// SET DEFAULT and column lists of SET NULL/SET DEFAULT.
    pub(crate) fn add_foreign_key(
        &mut self,
        table: &RelEntry,
        def: &ForeignKeyDef,
        taken: &mut Vec<String>,
        validate: bool,
    ) -> Result<Oid> {
        if def.match_type == b'p' {
            return Err(Error::new(
                SqlState::FEATURE_NOT_SUPPORTED,
                "MATCH PARTIAL not yet implemented",
            ));
        }
        if def.delete_set_columns {
            return Err(Error::feature_not_supported(
                "a column list in ON DELETE SET NULL / SET DEFAULT",
            ));
        }
        if def.on_delete == action::SET_DEFAULT || def.on_update == action::SET_DEFAULT {
            return Err(Error::feature_not_supported(
                "the SET DEFAULT foreign key action",
            ));
        }
        // The referenced table.
        let rv = &def.ref_table;
        let shown = match &rv.schema {
            Some(s) => format!("{s}.{}", rv.name),
            None => rv.name.clone(),
        };
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        let Some(ref_oid) = resolved else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                shown
            ));
        };
        if ref_oid != table.info.oid {
            self.lock_relation(ref_oid, crate::lock::LockMode::ShareRowExclusive)?;
        }
        let referenced = self
            .catalog_reader()
            .entry(ref_oid)?
            .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown))?;
        if referenced.info.kind != b'r' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "referenced relation \"{}\" is not a table",
                referenced.info.name
            ));
        }
        if table.persistence == b'p' && referenced.persistence != b'p' {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "constraints on permanent tables may reference only permanent tables"
            ));
        }
        if table.persistence == b't' && referenced.persistence != b't' {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "constraints on temporary tables may reference only temporary tables"
            ));
        }
        // Columns.
        let missing = |name: &str| {
            pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" referenced in foreign key constraint does not exist",
                name
            )
        };
        let mut attnums = Vec::with_capacity(def.columns.len());
        for name in &def.columns {
            attnums.push(attnum_of(table, name).ok_or_else(|| missing(name))?);
        }
        // A generated column cannot be written by the referential actions that set it.
        let generated = def.columns.iter().any(|name| {
            table
                .info
                .live_columns()
                .any(|(_, c)| c.name == *name && c.generated)
        });
        if generated {
            let invalid = |which: &str| {
                pg_err!(
                    SYNTAX_ERROR,
                    "invalid {} action for foreign key constraint containing generated column",
                    which
                )
            };
            if matches!(
                def.on_update,
                action::CASCADE | action::SET_NULL | action::SET_DEFAULT
            ) {
                return Err(invalid("ON UPDATE"));
            }
            if matches!(def.on_delete, action::SET_NULL | action::SET_DEFAULT) {
                return Err(invalid("ON DELETE"));
            }
        }
        let (ref_attnums, ref_index) = if def.ref_columns.is_empty() {
            let Some((keys, index)) = self.primary_key_of(ref_oid)? else {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "there is no primary key for referenced table \"{}\"",
                    referenced.info.name
                ));
            };
            if keys.len() != attnums.len() {
                return Err(pg_err!(
                    INVALID_FOREIGN_KEY,
                    "number of referencing and referenced columns for foreign key disagree"
                ));
            }
            (keys, index)
        } else {
            let mut keys = Vec::with_capacity(def.ref_columns.len());
            for name in &def.ref_columns {
                keys.push(attnum_of(&referenced, name).ok_or_else(|| missing(name))?);
            }
            if keys.len() != attnums.len() {
                return Err(pg_err!(
                    INVALID_FOREIGN_KEY,
                    "number of referencing and referenced columns for foreign key disagree"
                ));
            }
            let index = self
                .table_indexes(&referenced)?
                .into_iter()
                .find(|ix| {
                    ix.unique
                        && ix.expressions.is_none()
                        && ix.attnums.len() == keys.len()
                        && ix.attnums.iter().all(|a| keys.contains(a))
                        && keys.iter().all(|a| ix.attnums.contains(a))
                })
                .map(|ix| ix.oid);
            let Some(index) = index else {
                return Err(pg_err!(
                    INVALID_FOREIGN_KEY,
                    "there is no unique constraint matching given keys for referenced table \"{}\"",
                    referenced.info.name
                ));
            };
            (keys, index)
        };
        // Name.
        let namespace = table.namespace_oid;
        let name = match &def.name {
            Some(n) => {
                if taken.contains(n) || self.constraint_name_exists(namespace, n)? {
                    return Err(pg_err!(
                        DUPLICATE_OBJECT,
                        "constraint \"{}\" for relation \"{}\" already exists",
                        n,
                        table.info.name
                    ));
                }
                n.clone()
            }
            None => {
                let columns: Vec<String> = attnums
                    .iter()
                    .map(|&a| table.info.columns[a as usize - 1].name.clone())
                    .collect();
                self.choose_foreign_key_name(namespace, &table.info.name, &columns, taken)?
            }
        };
        // Types and equality operators.
        let (mut pf, mut pp, mut ff) = (Vec::new(), Vec::new(), Vec::new());
        for (&a, &r) in attnums.iter().zip(&ref_attnums) {
            let fk_column = &table.info.columns[a as usize - 1];
            let pk_column = &referenced.info.columns[r as usize - 1];
            if !types_compatible(fk_column.type_oid, pk_column.type_oid) {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "foreign key constraint \"{}\" cannot be implemented",
                    name
                )
                .detail(format!(
                    "Key columns \"{}\" and \"{}\" are of incompatible types: {} and {}.",
                    fk_column.name,
                    pk_column.name,
                    self.format_type(fk_column.type_oid),
                    self.format_type(pk_column.type_oid)
                )));
            }
            pf.push(equality_operator(pk_column.type_oid, fk_column.type_oid));
            pp.push(equality_operator(pk_column.type_oid, pk_column.type_oid));
            ff.push(equality_operator(fk_column.type_oid, fk_column.type_oid));
        }
        taken.push(name.clone());
        let fk = ForeignKey {
            oid: Oid::INVALID,
            name: name.clone(),
            rel: table.info.oid,
            attnums: attnums.clone(),
            ref_rel: ref_oid,
            ref_attnums: ref_attnums.clone(),
            ref_index,
            on_update: def.on_update,
            on_delete: def.on_delete,
            match_full: def.match_type == b'f',
            deferrable: def.deferrable,
            initially_deferred: def.initially_deferred,
        };
        if validate && !def.not_valid {
            self.validate_foreign_key(&fk, table, &referenced)?;
        }
        let cluster = self.db.cluster.clone();
        let constraint_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let pg_constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let code = |c: u8| Datum::Text(char::from(c).to_string());
        self.insert_catalog_row(
            CatalogRow::new(pg_constraint)
                .set("oid", Datum::Oid(constraint_oid.0))
                .set("conname", Datum::Text(name))
                .set("connamespace", Datum::Oid(namespace.0))
                .set("contype", Datum::Text("f".into()))
                .set("condeferrable", Datum::Bool(def.deferrable))
                .set("condeferred", Datum::Bool(def.initially_deferred))
                .set("convalidated", Datum::Bool(!def.not_valid))
                .set("conrelid", Datum::Oid(table.info.oid.0))
                .set("conindid", Datum::Oid(ref_index.0))
                .set("confrelid", Datum::Oid(ref_oid.0))
                .set("confupdtype", code(def.on_update))
                .set("confdeltype", code(def.on_delete))
                .set("confmatchtype", code(def.match_type))
                .set("conislocal", Datum::Bool(true))
                .set("connoinherit", Datum::Bool(true))
                .set("conkey", int2_array(&attnums))
                .set("confkey", int2_array(&ref_attnums))
                .set("conpfeqop", oid_array(&pf))
                .set("conppeqop", oid_array(&pp))
                .set("conffeqop", oid_array(&ff)),
        )?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let dependency = |refclass: Oid, refobj: Oid, subid: i32, deptype: &str| {
            CatalogRow::new(depend)
                .set("classid", Datum::Oid(syscat::PG_CONSTRAINT.0))
                .set("objid", Datum::Oid(constraint_oid.0))
                .set("objsubid", Datum::Int4(0))
                .set("refclassid", Datum::Oid(refclass.0))
                .set("refobjid", Datum::Oid(refobj.0))
                .set("refobjsubid", Datum::Int4(subid))
                .set("deptype", Datum::Text(deptype.into()))
        };
        for &a in &attnums {
            self.insert_catalog_row(dependency(
                syscat::PG_CLASS,
                table.info.oid,
                i32::from(a),
                "a",
            ))?;
        }
        self.insert_catalog_row(dependency(syscat::PG_CLASS, ref_index, 0, "n"))?;
        for &r in &ref_attnums {
            self.insert_catalog_row(dependency(syscat::PG_CLASS, ref_oid, i32::from(r), "n"))?;
        }
        // PostgreSQL's RI triggers set relhastriggers on both tables (psql's \d reads it
        // before listing foreign keys).
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_triggers = class.col("relhastriggers");
        self.txn.command_counter_increment();
        for rel in [table.info.oid, ref_oid] {
            self.update_class_row(rel, |row| row[c_triggers] = Datum::Bool(true))?;
            self.txn.command_counter_increment();
            if ref_oid == table.info.oid {
                break;
            }
        }
        Ok(constraint_oid)
    }

    /// Checks that every visible row of `table` has its referenced row (ALTER TABLE ...
    /// ADD FOREIGN KEY on a table with rows).
    ///
    /// Errors: 23503 as an INSERT would report it.
    fn validate_foreign_key(
        &self,
        fk: &ForeignKey,
        table: &RelEntry,
        referenced: &RelEntry,
    ) -> Result<()> {
        let output = self.output.clone();
        let columns = |attnums: &[i16]| -> Vec<(i16, bool, bool)> {
            attnums.iter().map(|&a| (a, false, false)).collect()
        };
        let ref_types = crate::foreign_key::column_types(referenced, &fk.ref_attnums);
        let present: HashSet<Vec<String>> = self
            .index_entries(referenced, &columns(&fk.ref_attnums))?
            .into_iter()
            .filter(|(key, _)| !key.iter().any(Datum::is_null))
            .map(|(key, _)| key_strings(&key, &ref_types, &output))
            .collect::<Result<_>>()?;
        for (key, _) in self.index_entries(table, &columns(&fk.attnums))? {
            let violation = || {
                pg_err!(
                    FOREIGN_KEY_VIOLATION,
                    "insert or update on table \"{}\" violates foreign key constraint \"{}\"",
                    table.info.name,
                    fk.name
                )
            };
            match key_nulls(&key, fk.match_full) {
                KeyNulls::Exempt => continue,
                KeyNulls::Mixed => {
                    return Err(violation().detail(
                        "MATCH FULL does not allow mixing of null and nonnull key values.",
                    ))
                }
                KeyNulls::None => {}
            }
            if !present.contains(&key_strings(&key, &ref_types, &output)?) {
                return Err(violation().detail(format!(
                    "{} is not present in table \"{}\".",
                    key_text(table, &fk.attnums, &key, &output)?,
                    referenced.info.name
                )));
            }
        }
        Ok(())
    }

    /// The FOREIGN KEY constraints of other tables that reference `rel`.
    fn foreign_keys_referencing(&self, rel: Oid) -> Result<Vec<ForeignKey>> {
        Ok(load_foreign_keys(&self.catalog_reader())?
            .into_iter()
            .filter(|f| f.ref_rel == rel && f.rel != rel)
            .collect())
    }

    fn relation_name(&self, rel: Oid) -> Result<String> {
        Ok(self
            .catalog_reader()
            .entry(rel)?
            .map(|e| e.info.name.clone())
            .unwrap_or_else(|| rel.0.to_string()))
    }

    /// Deletes the `pg_constraint` row of constraint `oid` and its `pg_depend` rows (what
    /// dropping a FOREIGN KEY constraint takes; the caller increments the command id).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_constraint_catalog(&mut self, oid: Oid) -> Result<()> {
        let c = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let c_oid = c.col("oid");
        self.delete_catalog_rows(syscat::PG_CONSTRAINT, move |r: &[Datum]| {
            r[c_oid] == Datum::Oid(oid.0)
        })?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (d_class, d_obj) = (depend.col("classid"), depend.col("objid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r: &[Datum]| {
            r[d_class] == Datum::Oid(syscat::PG_CONSTRAINT.0) && r[d_obj] == Datum::Oid(oid.0)
        })?;
        Ok(())
    }

    /// Before DROP TABLE of `rel` (named `name`): the foreign keys of other tables
    /// referencing it are an error without CASCADE (unless their table is dropped by the
    /// same statement, `dropping`), and are dropped with it (NOTICE `drop cascades to
    /// constraint c on table a`). The `pg_depend` rows of `rel`'s own foreign keys go too.
    ///
    /// Errors: 2BP01 `cannot drop table b because other objects depend on it` with
    /// PostgreSQL's DETAIL and HINT.
    pub(crate) fn drop_foreign_keys_referencing(
        &mut self,
        rel: Oid,
        name: &str,
        dropping: &[Oid],
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let referencing = self.foreign_keys_referencing(rel)?;
        let mut described = Vec::new();
        for fk in &referencing {
            if !dropping.contains(&fk.rel) {
                described.push(format!(
                    "constraint {} on table {}",
                    fk.name,
                    self.relation_name(fk.rel)?
                ));
            }
        }
        if !described.is_empty() && !cascade {
            let detail: Vec<String> = described
                .iter()
                .map(|d| format!("{d} depends on table {name}"))
                .collect();
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop table {} because other objects depend on it",
                name
            )
            .detail(detail.join("\n"))
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        match described.len() {
            0 => {}
            1 => sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(SUCCESSFUL_COMPLETION, "drop cascades to {}", described[0]),
            ),
            n => sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "drop cascades to {} other objects",
                    n
                )
                .detail(
                    described
                        .iter()
                        .map(|d| format!("drop cascades to {d}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ),
        }
        let own: Vec<Oid> = load_foreign_keys(&self.catalog_reader())?
            .into_iter()
            .filter(|f| f.rel == rel)
            .map(|f| f.oid)
            .collect();
        for oid in referencing.iter().map(|f| f.oid).chain(own) {
            self.remove_constraint_catalog(oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Before DROP INDEX of `index` (named `name`): the foreign keys whose referenced key
    /// it provides are an error without CASCADE, and are dropped with it (NOTICE `drop
    /// cascades to constraint c on table a`).
    ///
    /// Errors: 2BP01 `cannot drop index u because other objects depend on it` with
    /// PostgreSQL's DETAIL and HINT.
    pub(crate) fn drop_foreign_keys_on_index(
        &mut self,
        index: Oid,
        name: &str,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let dependent: Vec<ForeignKey> = load_foreign_keys(&self.catalog_reader())?
            .into_iter()
            .filter(|f| f.ref_index == index)
            .collect();
        if dependent.is_empty() {
            return Ok(());
        }
        let mut described = Vec::new();
        for fk in &dependent {
            described.push(format!(
                "constraint {} on table {}",
                fk.name,
                self.relation_name(fk.rel)?
            ));
        }
        if !cascade {
            return Err(pg_err!(
                DEPENDENT_OBJECTS_STILL_EXIST,
                "cannot drop index {} because other objects depend on it",
                name
            )
            .detail(
                described
                    .iter()
                    .map(|d| format!("{d} depends on index {name}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .hint("Use DROP ... CASCADE to drop the dependent objects too."));
        }
        let notice = match described.as_slice() {
            [one] => pg_err!(SUCCESSFUL_COMPLETION, "drop cascades to {}", one),
            many => pg_err!(
                SUCCESSFUL_COMPLETION,
                "drop cascades to {} other objects",
                many.len()
            )
            .detail(
                many.iter()
                    .map(|d| format!("drop cascades to {d}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        };
        sink.notice(NoticeSeverity::Notice, &notice);
        for fk in dependent {
            self.remove_constraint_catalog(fk.oid)?;
        }
        self.txn.command_counter_increment();
        Ok(())
    }

    /// TRUNCATE of `targets`: a table referenced by a table not truncated too is an error,
    /// or with CASCADE adds that table (and what references it) to `targets`, with a
    /// NOTICE `truncate cascades to table "a"` for each. `lock` locks an added table.
    ///
    /// Errors: 0A000 `cannot truncate a table referenced in a foreign key constraint` with
    /// PostgreSQL's DETAIL and HINT.
    pub(crate) fn truncate_foreign_key_targets(
        &mut self,
        targets: &mut Vec<Arc<RelEntry>>,
        cascade: bool,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let keys = load_foreign_keys(&self.catalog_reader())?;
        let mut i = 0;
        while i < targets.len() {
            let rel = targets[i].info.oid;
            for fk in keys.iter().filter(|f| f.ref_rel == rel) {
                if targets.iter().any(|t| t.info.oid == fk.rel) {
                    continue;
                }
                let referencing = self.relation_name(fk.rel)?;
                if !cascade {
                    return Err(Error::new(
                        SqlState::FEATURE_NOT_SUPPORTED,
                        "cannot truncate a table referenced in a foreign key constraint",
                    )
                    .detail(format!(
                        "Table \"{}\" references \"{}\".",
                        referencing, targets[i].info.name
                    ))
                    .hint(format!(
                        "Truncate table \"{referencing}\" at the same time, or use TRUNCATE ... CASCADE."
                    )));
                }
                self.lock_relation(fk.rel, crate::lock::LockMode::AccessExclusive)?;
                let Some(entry) = self.catalog_reader().entry(fk.rel)? else {
                    continue;
                };
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "truncate cascades to table \"{}\"",
                        referencing
                    ),
                );
                targets.push(entry);
            }
            i += 1;
        }
        Ok(())
    }
}
