//! `CREATE TABLE ... (LIKE source [{INCLUDING|EXCLUDING} option ...])` (PostgreSQL's
//! `transformTableLikeClause` and `expandTableLikeClause`).
//!
//! Rules, as PostgreSQL 15:
//! 1. The source may be a table, view, materialized view, composite type, foreign table
//!    or partitioned table; anything else is 42809 `relation "s" is invalid in LIKE
//!    clause`.
//! 2. Column names, types and NOT NULL are always copied; the columns take the clause's
//!    place among the column definitions.
//! 3. DEFAULTS copies plain defaults (a serial's `nextval` too, naming the source's
//!    sequence), GENERATED the generation expressions (without it a generated column
//!    becomes plain), IDENTITY makes identity columns with a new sequence of the same
//!    parameters.
//! 4. CONSTRAINTS copies CHECK constraints under their names; INDEXES copies primary
//!    keys, unique constraints and indexes under names chosen for the new table.
//! 5. COMMENTS copies the comments of columns, CHECK constraints and indexes; STORAGE
//!    copies `attstorage`. COMPRESSION and STATISTICS copy nothing in tusk: columns have
//!    no compression method and there are no extended statistics objects.
//!
//! Entry point: [`Session::table_like_definition`], used by CREATE TABLE (`ddl.rs`).

use tusk_catalog::syscat;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{CreateIndexStmt, IndexElem, SequenceOptions, TableLikeClause};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::ddl::NewColumn;
use super::Session;

/// `pg_index.indoption` bits.
const INDOPTION_DESC: i64 = 0x0001;
const INDOPTION_NULLS_FIRST: i64 = 0x0002;

/// What one LIKE clause adds to a new table.
#[derive(Default)]
pub(super) struct LikeDefinition {
    /// The copied columns, in order.
    pub columns: Vec<NewColumn>,
    /// `attstorage` per copied column name (INCLUDING STORAGE).
    pub storage: Vec<(String, String)>,
    /// CHECK constraints: name and expression text.
    pub checks: Vec<(String, String)>,
    /// Comments on columns (by name) and CHECK constraints (by name).
    pub column_comments: Vec<(String, String)>,
    /// Comments on CHECK constraints (by name).
    pub check_comments: Vec<(String, String)>,
    /// Index-backed constraints: key columns, PRIMARY KEY, the index's comment.
    pub keys: Vec<(Vec<String>, bool, Option<String>)>,
    /// Other indexes, with their comments (the relation is filled in by the caller).
    pub indexes: Vec<(CreateIndexStmt, Option<String>)>,
}

fn text(d: &Datum) -> String {
    match d {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    }
}

fn vector_values(d: &Datum) -> Vec<i64> {
    match d {
        Datum::Array(a) => a
            .elems
            .iter()
            .map(|e| match e {
                Datum::Int2(v) => i64::from(*v),
                Datum::Oid(v) => i64::from(*v),
                _ => 0,
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl Session {
    /// The definition LIKE clause `like` copies (module rules 1-5); takes
    /// `AccessShareLock` on the source.
    ///
    /// Errors: 42P01 for a missing source; 42809 `relation "s" is invalid in LIKE clause`
    /// with DETAIL naming the kind; catalog read errors.
    pub(super) fn table_like_definition(
        &self,
        like: &TableLikeClause,
        sql: &str,
    ) -> Result<LikeDefinition> {
        let rv = &like.relation;
        let position = |e: tusk_types::Error| {
            if rv.location == usize::MAX {
                e
            } else {
                e.position(tusk_sql::char_position(sql, rv.location))
            }
        };
        let entry = {
            let reader = self.catalog_reader();
            match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        };
        let Some(entry) = entry else {
            return Err(position(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                shown_name(rv)
            )));
        };
        let what = match entry.info.kind {
            b'r' | b'v' | b'm' | b'c' | b'f' | b'p' => None,
            b'S' => Some("sequences"),
            b'i' | b'I' => Some("indexes"),
            b't' => Some("TOAST tables"),
            _ => Some("relations of this kind"),
        };
        if let Some(what) = what {
            return Err(position(
                pg_err!(
                    WRONG_OBJECT_TYPE,
                    "relation \"{}\" is invalid in LIKE clause",
                    entry.info.name
                )
                .detail(format!("This operation is not supported for {what}.")),
            ));
        }
        self.lock_relation(entry.info.oid, crate::lock::LockMode::AccessShare)?;
        let source = entry.info.oid;
        let reader = self.catalog_reader();
        let mut out = LikeDefinition::default();
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let attributes = reader.rows(attribute)?;
        let storage_of = |attnum: usize| {
            attributes
                .iter()
                .find(|r| {
                    r[attribute.col("attrelid")] == Datum::Oid(source.0)
                        && r[attribute.col("attnum")] == Datum::Int2(attnum as i16)
                })
                .map(|r| text(&r[attribute.col("attstorage")]))
        };
        // LIKE copies each column's collation.
        let collation_of = |attnum: usize| {
            attributes
                .iter()
                .find(|r| {
                    r[attribute.col("attrelid")] == Datum::Oid(source.0)
                        && r[attribute.col("attnum")] == Datum::Int2(attnum as i16)
                })
                .and_then(|r| match r[attribute.col("attcollation")] {
                    Datum::Oid(o) if o != 0 => Some(Oid(o)),
                    _ => None,
                })
        };
        let description = syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
        let descriptions = reader.rows(description)?;
        let comment_of = |object: Oid, class: Oid, subid: i32| {
            descriptions
                .iter()
                .find(|r| {
                    r[description.col("objoid")] == Datum::Oid(object.0)
                        && r[description.col("classoid")] == Datum::Oid(class.0)
                        && r[description.col("objsubid")] == Datum::Int4(subid)
                })
                .map(|r| text(&r[description.col("description")]))
        };
        for (i, c) in entry.info.columns.iter().enumerate() {
            if c.dropped {
                continue;
            }
            let attnum = i + 1;
            let mut column = NewColumn {
                name: c.name.clone(),
                type_oid: c.type_oid,
                typmod: c.typmod,
                not_null: c.not_null,
                default: None,
                identity: None,
                identity_options: Box::default(),
                serial: false,
                generated: false,
                generation: None,
                collation: collation_of(attnum),
            };
            if c.generated {
                if like.includes(TableLikeClause::GENERATED) {
                    column.generated = true;
                    column.default = c.default.clone();
                }
            } else if c.identity != 0 {
                if like.includes(TableLikeClause::IDENTITY) {
                    column.identity = Some(c.identity);
                    column.identity_options =
                        Box::new(self.identity_sequence_options(source, attnum as i16)?);
                }
            } else if like.includes(TableLikeClause::DEFAULTS) {
                column.default = c.default.clone();
            }
            if like.includes(TableLikeClause::STORAGE) {
                if let Some(storage) = storage_of(attnum) {
                    out.storage.push((c.name.clone(), storage));
                }
            }
            if like.includes(TableLikeClause::COMMENTS) {
                if let Some(comment) = comment_of(source, syscat::PG_CLASS, attnum as i32) {
                    out.column_comments.push((c.name.clone(), comment));
                }
            }
            out.columns.push(column);
        }
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let constraints = reader.rows(constraint)?;
        if like.includes(TableLikeClause::CONSTRAINTS) {
            for check in &entry.info.checks {
                out.checks.push((check.name.clone(), check.expr.clone()));
                if like.includes(TableLikeClause::COMMENTS) {
                    let oid = constraints.iter().find_map(|r| {
                        match (&r[constraint.col("oid")], &r[constraint.col("conname")]) {
                            (Datum::Oid(o), Datum::Text(n))
                                if *n == check.name
                                    && r[constraint.col("conrelid")] == Datum::Oid(source.0) =>
                            {
                                Some(Oid(*o))
                            }
                            _ => None,
                        }
                    });
                    if let Some(comment) = oid.and_then(|o| comment_of(o, syscat::PG_CONSTRAINT, 0))
                    {
                        out.check_comments.push((check.name.clone(), comment));
                    }
                }
            }
        }
        if like.includes(TableLikeClause::INDEXES) {
            let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
            let c = |n: &str| pg_index.col(n);
            let mut rows: Vec<&Vec<Datum>> = Vec::new();
            let index_rows = reader.rows(pg_index)?;
            rows.extend(
                index_rows
                    .iter()
                    .filter(|r| r[c("indrelid")] == Datum::Oid(source.0)),
            );
            rows.sort_by_key(|r| match r[c("indexrelid")] {
                Datum::Oid(o) => o,
                _ => 0,
            });
            for r in rows {
                let Datum::Oid(index) = r[c("indexrelid")] else {
                    continue;
                };
                let comment = if like.includes(TableLikeClause::COMMENTS) {
                    comment_of(Oid(index), syscat::PG_CLASS, 0)
                } else {
                    None
                };
                let attnums = vector_values(&r[c("indkey")]);
                let contype = constraints
                    .iter()
                    .find(|k| k[constraint.col("conindid")] == Datum::Oid(index))
                    .map(|k| text(&k[constraint.col("contype")]));
                let column_name = |a: i64| {
                    entry
                        .info
                        .columns
                        .get(a as usize - 1)
                        .map(|c| c.name.clone())
                        .unwrap_or_default()
                };
                if matches!(contype.as_deref(), Some("p" | "u")) {
                    let columns = attnums.iter().map(|a| column_name(*a)).collect();
                    out.keys
                        .push((columns, contype.as_deref() == Some("p"), comment));
                    continue;
                }
                let options = vector_values(&r[c("indoption")]);
                let expressions_text = text(&r[c("indexprs")]);
                let mut expressions = tusk_sql::split_expr_list(&expressions_text).into_iter();
                let mut columns = Vec::with_capacity(attnums.len());
                for (k, a) in attnums.iter().enumerate() {
                    let option = options.get(k).copied().unwrap_or(0);
                    let descending = option & INDOPTION_DESC != 0;
                    let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
                    let (column, expr) = if *a == 0 {
                        let expression = expressions.next().ok_or_else(|| {
                            tusk_types::Error::internal("index expression missing")
                        })?;
                        (String::new(), Some(tusk_sql::parse_expr(expression)?))
                    } else {
                        (column_name(*a), None)
                    };
                    columns.push(IndexElem {
                        column,
                        expr,
                        descending,
                        // Written only where it differs from the direction's default.
                        nulls_first: (nulls_first != descending).then_some(nulls_first),
                        opclass: None,
                    });
                }
                let predicate_text = text(&r[c("indpred")]);
                let predicate = if predicate_text.trim().is_empty() {
                    None
                } else {
                    Some(tusk_sql::parse_expr(&predicate_text)?)
                };
                out.indexes.push((
                    CreateIndexStmt {
                        name: None,
                        relation: rv.clone(),
                        access_method: "btree".into(),
                        columns,
                        unique: r[c("indisunique")] == Datum::Bool(true),
                        if_not_exists: false,
                        predicate,
                        options: Vec::new(),
                        concurrently: false,
                        unsupported: None,
                    },
                    comment,
                ));
            }
        }
        Ok(out)
    }

    /// The parameters of the identity sequence of column `attnum` of `table`, as options
    /// that recreate it.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn identity_sequence_options(
        &self,
        table: Oid,
        attnum: i16,
    ) -> Result<SequenceOptions> {
        let Some(seq) = self.column_sequence(table, attnum, "i")? else {
            return Ok(SequenceOptions::default());
        };
        let sequence = syscat::system_catalog_by_name("pg_sequence").expect("pg_sequence");
        let reader = self.catalog_reader();
        let rows = reader.rows(sequence)?;
        let Some(row) = rows
            .iter()
            .find(|r| r[sequence.col("seqrelid")] == Datum::Oid(seq.0))
        else {
            return Ok(SequenceOptions::default());
        };
        let int = |name: &str| match row[sequence.col(name)] {
            Datum::Int8(n) => Some(n),
            _ => None,
        };
        Ok(SequenceOptions {
            as_type: None,
            increment: int("seqincrement"),
            min: Some(int("seqmin")),
            max: Some(int("seqmax")),
            start: int("seqstart"),
            restart: None,
            cache: int("seqcache"),
            cycle: Some(row[sequence.col("seqcycle")] == Datum::Bool(true)),
            owned_by: None,
            sequence_name: None,
        })
    }

    /// The sequence depending on column `attnum` of `table` with `pg_depend` deptype
    /// `deptype` (`i` identity, `a` serial or OWNED BY).
    ///
    /// Errors: catalog read errors.
    pub(crate) fn column_sequence(
        &self,
        table: Oid,
        attnum: i16,
        deptype: &str,
    ) -> Result<Option<Oid>> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let c = |n: &str| depend.col(n);
        let reader = self.catalog_reader();
        let rows = reader.rows(depend)?;
        for r in rows.iter() {
            if r[c("refobjid")] == Datum::Oid(table.0)
                && r[c("refclassid")] == Datum::Oid(syscat::PG_CLASS.0)
                && r[c("classid")] == Datum::Oid(syscat::PG_CLASS.0)
                && r[c("refobjsubid")] == Datum::Int4(i32::from(attnum))
                && r[c("deptype")] == Datum::Text(deptype.into())
            {
                if let Datum::Oid(o) = r[c("objid")] {
                    if reader.entry(Oid(o))?.is_some_and(|e| e.info.kind == b'S') {
                        return Ok(Some(Oid(o)));
                    }
                }
            }
        }
        Ok(None)
    }
}

/// Moves the columns of the LIKE clauses written before column definition `index` into
/// `columns`.
///
/// Errors: 42701 `column "a" specified more than once`.
pub(super) fn take_like_columns(
    likes: &mut [(usize, LikeDefinition)],
    index: usize,
    columns: &mut Vec<NewColumn>,
) -> Result<()> {
    for (position, like) in likes.iter_mut() {
        if *position != index {
            continue;
        }
        for column in std::mem::take(&mut like.columns) {
            if columns.iter().any(|c| c.name == column.name) {
                return Err(pg_err!(
                    DUPLICATE_COLUMN,
                    "column \"{}\" specified more than once",
                    column.name
                ));
            }
            columns.push(column);
        }
    }
    Ok(())
}

impl Session {
    /// What a LIKE clause adds once the new table `table` (named `relation`) exists:
    /// storage modes, index-backed constraints and indexes, comments.
    ///
    /// Errors: as CREATE INDEX and ADD PRIMARY KEY / UNIQUE; catalog errors.
    pub(super) fn apply_like_definition(
        &mut self,
        table: Oid,
        relation: &RangeVar,
        like: LikeDefinition,
        taken: &mut Vec<String>,
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<()> {
        let attnum_of = |session: &Session, name: &str| -> Result<Option<i16>> {
            Ok(session
                .reload_relation(table)?
                .info
                .columns
                .iter()
                .position(|c| !c.dropped && c.name == name)
                .map(|i| i as i16 + 1))
        };
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_storage = attribute.col("attstorage");
        for (name, storage) in like.storage {
            if let Some(attnum) = attnum_of(self, &name)? {
                self.update_attribute_row(table, attnum, |r| r[c_storage] = Datum::Text(storage))?;
            }
        }
        for (name, comment) in like.column_comments {
            if let Some(attnum) = attnum_of(self, &name)? {
                self.insert_comment(table, syscat::PG_CLASS, i32::from(attnum), comment)?;
            }
        }
        for (name, comment) in like.check_comments {
            let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
            let oid = self
                .catalog_reader()
                .rows(constraint)?
                .iter()
                .find_map(
                    |r| match (&r[constraint.col("oid")], &r[constraint.col("conname")]) {
                        (Datum::Oid(o), Datum::Text(n))
                            if *n == name
                                && r[constraint.col("conrelid")] == Datum::Oid(table.0) =>
                        {
                            Some(Oid(*o))
                        }
                        _ => None,
                    },
                );
            if let Some(oid) = oid {
                self.insert_comment(oid, syscat::PG_CONSTRAINT, 0, comment)?;
            }
        }
        self.txn.command_counter_increment();
        let mut keys = like.keys;
        // PRIMARY KEY first, as PostgreSQL's transformIndexConstraints.
        keys.sort_by_key(|k| !k.1);
        for (columns, primary, comment) in keys {
            let entry = self.reload_relation(table)?;
            self.add_index_constraint(
                &entry,
                super::constraint_ddl::IndexConstraint {
                    name: None,
                    columns: &columns,
                    primary,
                    recurse: true,
                    options: &[],
                },
                taken,
            )?;
            self.txn.command_counter_increment();
            self.comment_newest_index(table, comment)?;
        }
        for (mut index, comment) in like.indexes {
            index.relation = relation.clone();
            self.create_index(&index, sink)?;
            self.txn.command_counter_increment();
            self.comment_newest_index(table, comment)?;
        }
        Ok(())
    }

    /// Puts `comment` on the index of `table` created last.
    fn comment_newest_index(&mut self, table: Oid, comment: Option<String>) -> Result<()> {
        let Some(comment) = comment else {
            return Ok(());
        };
        let entry = self.reload_relation(table)?;
        if let Some(index) = self.table_indexes(&entry)?.iter().map(|ix| ix.oid).max() {
            self.insert_comment(index, syscat::PG_CLASS, 0, comment)?;
            self.txn.command_counter_increment();
        }
        Ok(())
    }

    fn insert_comment(&mut self, object: Oid, class: Oid, subid: i32, text: String) -> Result<()> {
        let description = syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
        self.insert_catalog_row(
            syscat::CatalogRow::new(description)
                .set("objoid", Datum::Oid(object.0))
                .set("classoid", Datum::Oid(class.0))
                .set("objsubid", Datum::Int4(subid))
                .set("description", Datum::Text(text)),
        )
    }
}

fn shown_name(rv: &RangeVar) -> String {
    match &rv.schema {
        Some(s) => format!("{s}.{}", rv.name),
        None => rv.name.clone(),
    }
}
