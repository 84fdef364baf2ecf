//! CREATE INDEX and DROP INDEX (PostgreSQL's `DefineIndex`, `index_create`,
//! `index_build`, `RemoveRelations` for indexes): catalog rows (`pg_class` with relkind
//! `i` and relam 403, `pg_attribute`, `pg_index`, `pg_depend`) written in the session's
//! transaction, the index file created with a WAL record ahead of it and filled by a
//! bottom-up bulk build from the table's rows.
//!
//! Invariants: the table is held in SHARE mode while its index is built, so no writer
//! adds or changes rows meanwhile; the rows indexed are those a fresh snapshot sees
//! (everything committed), which is what the build's uniqueness check needs.
//!
//! `CONCURRENTLY` (CREATE and DROP) is accepted with PostgreSQL's restrictions (not in
//! a transaction block, not on a partitioned table; DROP names one index, without
//! CASCADE) and runs as the plain command: the build holds the table's SHARE lock, so
//! writes wait for it rather than running alongside, and a failed build leaves no
//! invalid index behind (as REINDEX CONCURRENTLY, `reindex.rs`).
//!
//! Entry points: `Session::create_index`, `Session::drop_index`,
//! `Session::table_indexes`, `Session::reset_table_indexes` (TRUNCATE).

use std::sync::Arc;

use tusk_access::nbtree::{
    build_duplicate_error, BTreeIndex, BuildOutcome, IndexColumn, IndexDesc,
    BTREE_DEFAULT_FILLFACTOR,
};
use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_ddl::{CreateIndexStmt, DropStmt};
use tusk_types::adt::array::{Array, ArrayDim};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, RelFileLocator, Result};

use super::inheritance::inheritance_children;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::heap::{HeapScanIter, ReadView};
use crate::index_expressions::{index_key, row_is_indexed, IndexExpressions};
use tusk_sql::analyze::TypedExpr;

use super::index_expression_ddl::{
    analyze_index_expression, column_texts, expression_list_text, index_column_names,
    stored_index_expressions, IndexExprKind,
};
use crate::relcache::{CatalogReader, RelEntry};
use crate::sink::{NoticeSeverity, Sink};
use crate::transaction::DEFAULT_TABLESPACE;

/// The `btree` access method's OID (`pg_am`).
pub(crate) const BTREE_AM_OID: Oid = Oid(403);
/// `INDOPTION_DESC`.
const INDOPTION_DESC: i16 = 0x0001;
/// `INDOPTION_NULLS_FIRST`.
const INDOPTION_NULLS_FIRST: i16 = 0x0002;
/// PostgreSQL's `NAMEDATALEN - 1`: longer generated names are truncated.
const MAX_IDENTIFIER_LENGTH: usize = 63;

/// One index of a table, as `pg_index` and `pg_class` describe it.
#[derive(Debug, Clone)]
pub(crate) struct TableIndex {
    /// The index's OID.
    pub oid: Oid,
    /// Its files.
    pub locator: RelFileLocator,
    /// `indisunique`.
    pub unique: bool,
    /// Key columns as table attribute numbers (1-based; 0 for an expression column).
    pub attnums: Vec<i16>,
    /// The expressions of its expression columns and its predicate, if any.
    pub expressions: Option<Arc<IndexExpressions>>,
    /// What the access method needs.
    pub desc: IndexDesc,
}

/// What an index to define looks like (CREATE INDEX, PRIMARY KEY, UNIQUE).
pub(crate) struct IndexDefinition {
    /// Its name, already chosen.
    pub name: String,
    /// Key columns: table attribute number (1-based; 0 takes the next of `expressions`),
    /// DESC, NULLS FIRST.
    pub columns: Vec<(i16, bool, bool)>,
    /// The expressions of the expression columns, in key order, over the table's row.
    pub expressions: Vec<TypedExpr>,
    /// The predicate of a partial index.
    pub predicate: Option<TypedExpr>,
    /// The index's attribute names (`lower`, `expr`); empty: the key columns' names.
    pub attribute_names: Vec<String>,
    /// Unique.
    pub unique: bool,
    /// Primary key.
    pub primary: bool,
    /// The PRIMARY KEY or UNIQUE constraint the index implements (the index then depends
    /// on it rather than on the table's columns).
    pub constraint: Option<Oid>,
    /// Operator classes named for the key columns, in order (`None`, or a missing entry:
    /// the column type's default).
    pub opclasses: Vec<Option<Oid>>,
    /// Checked storage parameters (`WITH (...)`) for `pg_class.reloptions`; a
    /// `fillfactor` among them fills the leaf pages of the initial build.
    pub reloptions: Vec<(String, String)>,
}

/// `reloptions` as `pg_class` stores them: a text array of `name=value`, NULL when empty.
pub(crate) fn reloptions_datum(options: &[(String, String)]) -> Datum {
    if options.is_empty() {
        return Datum::Null;
    }
    Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
        tusk_types::type_oid::TEXT,
        options
            .iter()
            .map(|(n, v)| Datum::Text(format!("{n}={v}")))
            .collect(),
    )))
}

pub(crate) fn int2vector(values: Vec<i16>) -> Datum {
    if values.is_empty() {
        return Datum::Array(Box::new(Array::empty(type_oid::INT2)));
    }
    let len = values.len() as i32;
    Datum::Array(Box::new(Array {
        elem_type: type_oid::INT2,
        dims: vec![ArrayDim { len, lower: 0 }],
        elems: values.into_iter().map(Datum::Int2).collect(),
    }))
}

/// An `oidvector` value: indexed from 0, as PostgreSQL's `buildoidvector` makes it.
/// No values give the empty array (tusk stores no zero-length dimension).
pub(crate) fn oidvector(values: Vec<Oid>) -> Datum {
    if values.is_empty() {
        return Datum::Array(Box::new(Array::empty(type_oid::OID)));
    }
    let len = values.len() as i32;
    Datum::Array(Box::new(Array {
        elem_type: type_oid::OID,
        dims: vec![ArrayDim { len, lower: 0 }],
        elems: values.into_iter().map(|o| Datum::Oid(o.0)).collect(),
    }))
}

pub(crate) fn vector_values(d: &Datum) -> Vec<i64> {
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

/// A B-tree row of the built-in `pg_opclass`.
struct BtreeOpclass {
    oid: Oid,
    name: String,
    input_type: Oid,
    default: bool,
}

/// The built-in B-tree operator classes (`pg_opclass` rows of `opcmethod` 403).
fn btree_opclasses() -> Vec<BtreeOpclass> {
    let Some((columns, rows)) = syscat::builtin_rows("pg_opclass") else {
        return Vec::new();
    };
    let col = |n: &str| columns.iter().position(|c| *c == n);
    let (Some(c_oid), Some(c_method), Some(c_name), Some(c_type), Some(c_default)) = (
        col("oid"),
        col("opcmethod"),
        col("opcname"),
        col("opcintype"),
        col("opcdefault"),
    ) else {
        return Vec::new();
    };
    let field = |r: &Vec<Option<String>>, i: usize| r[i].clone().unwrap_or_default();
    let oid = |r: &Vec<Option<String>>, i: usize| Oid(field(r, i).parse().unwrap_or(0));
    rows.iter()
        .filter(|r| field(r, c_method) == "403")
        .map(|r| BtreeOpclass {
            oid: oid(r, c_oid),
            name: field(r, c_name),
            input_type: oid(r, c_type),
            default: field(r, c_default) == "t",
        })
        .collect()
}

/// The B-tree operator class `name` for a column of type `column_type`
/// (`ResolveOpClass`). Every B-tree class tusk accepts orders as the type's default class
/// does here (`text_pattern_ops` compares bytes, and so does the `C` collation of text).
///
/// Errors: 42704 `operator class "x" does not exist for access method "btree"`; 42804
/// `operator class "x" does not accept data type t`.
pub(crate) fn resolve_btree_opclass(name: &str, column_type: Oid) -> Result<Oid> {
    let class = btree_opclasses()
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            pg_err!(
                UNDEFINED_OBJECT,
                "operator class \"{}\" does not exist for access method \"btree\"",
                name
            )
        })?;
    // Binary-coercible inputs: varchar is read as text; range and multirange types are
    // the polymorphic classes' inputs.
    let accepted = class.input_type == column_type
        || (class.input_type == type_oid::TEXT && column_type == type_oid::VARCHAR)
        || class.input_type == polymorphic_input(column_type);
    if !accepted {
        return Err(pg_err!(
            DATATYPE_MISMATCH,
            "operator class \"{}\" does not accept data type {}",
            name,
            type_oid::builtin_name(column_type)
                .map_or_else(|| column_type.0.to_string(), str::to_string)
        ));
    }
    Ok(class.oid)
}

/// The default B-tree operator class for `type_oid` (`GetDefaultOpClass`), `Oid(0)` if
/// none is listed.
pub(crate) fn default_btree_opclass(type_oid: Oid) -> Oid {
    let wanted = match type_oid {
        type_oid::VARCHAR => type_oid::TEXT,
        other => polymorphic_input(other),
    };
    btree_opclasses()
        .into_iter()
        .find(|c| c.default && c.input_type == wanted)
        .map_or(Oid(0), |c| c.oid)
}

/// The input type of the operator classes for `type_oid`: `anyrange` for range types
/// (`range_ops`), `anymultirange` for multirange types (`multirange_ops`), else the type.
fn polymorphic_input(type_oid: Oid) -> Oid {
    if tusk_types::adt::range::range_subtype(type_oid).is_some() {
        Oid(3831)
    } else if tusk_types::adt::multirange::multirange_range_type(type_oid).is_some() {
        Oid(4537)
    } else {
        type_oid
    }
}

/// The collation a column of `type_oid` gets (`default` for the string types).
pub(crate) fn column_collation(type_oid: Oid) -> Oid {
    match type_oid {
        type_oid::TEXT | type_oid::VARCHAR | type_oid::BPCHAR | type_oid::NAME => Oid(100),
        _ => Oid(0),
    }
}

/// PostgreSQL's `makeObjectName`: `name1_name2_label`, with the parts truncated so the
/// whole fits in 63 bytes (the longer part is shortened first).
pub(crate) fn make_object_name(name1: &str, name2: &str, label: &str) -> String {
    let mut a: Vec<char> = name1.chars().collect();
    let mut b: Vec<char> = name2.chars().collect();
    let overhead = label.len() + 1 + usize::from(!b.is_empty());
    while a.iter().collect::<String>().len() + b.iter().collect::<String>().len() + overhead
        > MAX_IDENTIFIER_LENGTH
    {
        if a.len() > b.len() {
            a.pop();
        } else {
            b.pop();
        }
    }
    let a: String = a.into_iter().collect();
    let b: String = b.into_iter().collect();
    if b.is_empty() {
        format!("{a}_{label}")
    } else {
        format!("{a}_{b}_{label}")
    }
}

/// The indexes of `table` as `reader` sees them (`RelationGetIndexList`), in OID order.
///
/// Errors: catalog read errors.
pub(crate) fn table_indexes_of(
    reader: &CatalogReader<'_>,
    table: &RelEntry,
) -> Result<Vec<TableIndex>> {
    let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
    let c = |n: &str| pg_index.col(n);
    let mut rows: Vec<Vec<Datum>> = reader
        .scan(pg_index)?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r[c("indrelid")] == Datum::Oid(table.info.oid.0))
        .collect();
    rows.sort_by_key(|r| match r[c("indexrelid")] {
        Datum::Oid(o) => o,
        _ => 0,
    });
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Datum::Oid(oid) = r[c("indexrelid")] else {
            continue;
        };
        let Some(entry) = reader.entry(Oid(oid))? else {
            continue;
        };
        let attnums: Vec<i16> = vector_values(&r[c("indkey")])
            .into_iter()
            .map(|v| v as i16)
            .collect();
        let options = vector_values(&r[c("indoption")]);
        let node_text = |d: &Datum| match d {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        let (exprs_text, pred_text) = (node_text(&r[c("indexprs")]), node_text(&r[c("indpred")]));
        let expressions = if exprs_text.is_empty() && pred_text.is_empty() {
            None
        } else {
            let (exprs, predicate) =
                stored_index_expressions(reader, table, &exprs_text, &pred_text)?;
            Some(Arc::new(IndexExpressions::new(exprs, predicate)?))
        };
        let shown = column_texts(table);
        let mut next_expr = 0;
        let columns = attnums
            .iter()
            .enumerate()
            .map(|(i, &a)| {
                let opt = options.get(i).copied().unwrap_or(0) as i16;
                let (name, type_oid) = if a == 0 {
                    let e = expressions
                        .as_ref()
                        .and_then(|x| x.exprs().get(next_expr))
                        .ok_or_else(|| Error::internal("index expression missing"))?;
                    next_expr += 1;
                    // What a unique violation's DETAIL shows: `Key (lower(email))=...`.
                    (
                        tusk_executor::deparse::index_column_text(e, &shown, true),
                        e.type_oid(),
                    )
                } else {
                    let col = &table.info.columns[a as usize - 1];
                    (col.name.clone(), col.type_oid)
                };
                Ok(IndexColumn {
                    name,
                    type_oid: crate::user_types::physical_type(reader, type_oid)?,
                    descending: opt & INDOPTION_DESC != 0,
                    nulls_first: opt & INDOPTION_NULLS_FIRST != 0,
                })
            })
            .collect::<Result<_>>()?;
        out.push(TableIndex {
            oid: Oid(oid),
            locator: entry.locator,
            unique: r[c("indisunique")] == Datum::Bool(true),
            attnums,
            expressions,
            desc: IndexDesc {
                name: entry.info.name.clone(),
                table_name: table.info.name.clone(),
                columns,
                fillfactor: BTREE_DEFAULT_FILLFACTOR,
            },
        });
    }
    Ok(out)
}

impl Session {
    /// Picks PostgreSQL's name for a new index or constraint (`ChooseRelationName`):
    /// `<table>_<columns>_<label>` (or `<table>_<label>` for `pkey`), with a number
    /// appended to the label on collision with an existing relation in `namespace` or a
    /// name in `taken`.
    pub(crate) fn choose_index_name(
        &self,
        namespace: Oid,
        table: &str,
        columns: &[String],
        label: &str,
        taken: &[String],
    ) -> Result<String> {
        let cols = if label == "pkey" {
            String::new()
        } else {
            columns.join("_")
        };
        let mut n = 0;
        loop {
            let label_n = if n == 0 {
                label.to_string()
            } else {
                format!("{label}{n}")
            };
            let candidate = make_object_name(table, &cols, &label_n);
            let exists = taken.contains(&candidate)
                || self
                    .catalog_reader()
                    .relation_oid(namespace, &candidate)?
                    .is_some();
            if !exists {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    /// `CREATE [UNIQUE] INDEX`.
    ///
    /// Errors: 42P01 for a missing table, 42501 `must be owner of table t`, 42809 for a
    /// relation that is not a table, 42703
    /// for an unknown column, 42704 for an unknown access method, 42P07 if the name is
    /// taken, 23505 `could not create unique index` for duplicate existing keys, 25006; 0A000
    /// for what tusk lacks (expressions, INCLUDE, WHERE, CONCURRENTLY, other methods).
    pub(crate) fn create_index(
        &mut self,
        stmt: &CreateIndexStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE INDEX")?;
        if stmt.concurrently {
            // Built as a plain CREATE INDEX, with CONCURRENTLY's restrictions (module docs).
            self.prevent_in_transaction_block("CREATE INDEX CONCURRENTLY")?;
        }
        if let Some(what) = &stmt.unsupported {
            return Err(Error::feature_not_supported(format!(
                "{what} in CREATE INDEX"
            )));
        }
        match stmt.access_method.as_str() {
            "btree" => {}
            "hash" | "gist" | "gin" | "spgist" | "brin" => {
                return Err(Error::feature_not_supported(format!(
                    "access method \"{}\"",
                    stmt.access_method
                )))
            }
            other => {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "access method \"{}\" does not exist",
                    other
                ))
            }
        }
        let rv = &stmt.relation;
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        let Some(table_oid) = resolved else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                rv.name
            ));
        };
        self.lock_relation(table_oid, crate::lock::LockMode::Share)?;
        let Some(table) = self.catalog_reader().entry(table_oid)? else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                rv.name
            ));
        };
        // Only the table's owner indexes it (PostgreSQL's RangeVarCallbackOwnsRelation,
        // before the kind is looked at).
        self.check_relation_owner(table_oid)?;
        if !matches!(table.info.kind, b'r' | b'p' | b'm') {
            let what = match table.info.kind {
                b'S' => "sequences",
                b'v' => "views",
                b'i' => "indexes",
                b'I' => "partitioned indexes",
                b'f' => "foreign tables",
                _ => "relations of this kind",
            };
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot create index on relation \"{}\"",
                table.info.name
            )
            .detail(format!("This operation is not supported for {what}.")));
        }
        if table_oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied: \"{}\" is a system catalog",
                table.info.name
            ));
        }
        if stmt.concurrently && table.info.kind == b'p' {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot create index on partitioned table \"{}\" concurrently",
                table.info.name
            ));
        }
        let mut columns = Vec::with_capacity(stmt.columns.len());
        let mut names = Vec::with_capacity(stmt.columns.len());
        let mut opclasses = Vec::with_capacity(stmt.columns.len());
        let mut expressions = Vec::new();
        let mut has_expressions = false;
        for elem in &stmt.columns {
            if let Some(expr) = &elem.expr {
                let typed = analyze_index_expression(
                    &self.catalog_reader(),
                    &self.output,
                    &table,
                    expr,
                    IndexExprKind::Column,
                )?;
                // `((a))` is the column `a` (PostgreSQL's ComputeIndexAttrs).
                let attnum = match &typed {
                    TypedExpr::Column { index, .. } => *index as i16 + 1,
                    _ => 0,
                };
                opclasses.push(match &elem.opclass {
                    Some(name) => Some(self.index_opclass(name, typed.type_oid())?),
                    None => None,
                });
                if attnum == 0 {
                    expressions.push(typed);
                }
                has_expressions = true;
                columns.push((
                    attnum,
                    elem.descending,
                    elem.nulls_first.unwrap_or(elem.descending),
                ));
                // An expression column has no name (partition_index.rs copies it as text).
                names.push(match attnum {
                    0 => String::new(),
                    a => table.info.columns[a as usize - 1].name.clone(),
                });
                continue;
            }
            let Some(i) = table
                .info
                .columns
                .iter()
                .position(|c| !c.dropped && c.name == elem.column)
            else {
                return Err(pg_err!(
                    UNDEFINED_COLUMN,
                    "column \"{}\" does not exist",
                    elem.column
                ));
            };
            columns.push((
                i as i16 + 1,
                elem.descending,
                elem.nulls_first.unwrap_or(elem.descending),
            ));
            names.push(elem.column.clone());
            opclasses.push(match &elem.opclass {
                Some(name) => Some(self.index_opclass(name, table.info.columns[i].type_oid)?),
                None => None,
            });
        }
        let namespace = table.namespace_oid;
        let name = match &stmt.name {
            Some(n) => {
                if self.catalog_reader().relation_oid(namespace, n)?.is_some() {
                    if stmt.if_not_exists {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(
                                DUPLICATE_TABLE,
                                "relation \"{}\" already exists, skipping",
                                n
                            ),
                        );
                        return Ok("CREATE INDEX".into());
                    }
                    return Err(pg_err!(
                        DUPLICATE_TABLE,
                        "relation \"{}\" already exists",
                        n
                    ));
                }
                n.clone()
            }
            None => {
                let elems: Vec<(String, Option<&tusk_sql::ast::Expr>)> = stmt
                    .columns
                    .iter()
                    .map(|e| (e.column.clone(), e.expr.as_ref()))
                    .collect();
                let chosen = index_column_names(&elems);
                self.choose_index_name(namespace, &table.info.name, &chosen, "idx", &[])?
            }
        };
        let predicate = match &stmt.predicate {
            Some(p) => Some(analyze_index_expression(
                &self.catalog_reader(),
                &self.output,
                &table,
                p,
                IndexExprKind::Predicate,
            )?),
            None => None,
        };
        let reloptions = super::alter_options::index_reloptions(&stmt.options)?;
        let partitioned = table.info.kind == b'p';
        if stmt.unique {
            self.check_partitioned_unique(&table, &names, "UNIQUE")?;
        }
        let attribute_names = if has_expressions {
            let elems: Vec<(String, Option<&tusk_sql::ast::Expr>)> = stmt
                .columns
                .iter()
                .zip(&columns)
                .map(|(e, &(attnum, _, _))| {
                    if attnum == 0 {
                        (e.column.clone(), e.expr.as_ref())
                    } else {
                        (table.info.columns[attnum as usize - 1].name.clone(), None)
                    }
                })
                .collect();
            index_column_names(&elems)
        } else {
            Vec::new()
        };
        let index = self.define_index(
            &table,
            IndexDefinition {
                name,
                columns,
                unique: stmt.unique,
                primary: false,
                constraint: None,
                opclasses,
                expressions,
                predicate,
                attribute_names,
                reloptions,
            },
        )?;
        if partitioned {
            self.txn.command_counter_increment();
            if stmt.relation.inh {
                self.index_partitions(&table, index)?;
            } else if !inheritance_children(&self.catalog_reader(), table.info.oid)?.is_empty() {
                // `ON ONLY`: invalid until each partition has an index attached.
                self.set_index_valid(index, false)?;
            }
        }
        Ok("CREATE INDEX".into())
    }

    /// Creates the catalog rows and the file of a new index on `table` (held in SHARE
    /// mode or stronger) and builds it from the table's rows; returns its OID.
    ///
    /// Errors: 0A000 for a column type without a B-tree operator class; 23505 for
    /// duplicate keys in a unique index; catalog and I/O errors.
    pub(crate) fn define_index(&mut self, table: &RelEntry, def: IndexDefinition) -> Result<Oid> {
        let cluster = self.db.cluster.clone();
        let index_oid = cluster.xact.oids.next_oid(&cluster.wal);
        let locator = RelFileLocator {
            spc_oid: DEFAULT_TABLESPACE,
            db_oid: self.db_oid,
            rel_number: index_oid,
        };
        // Per key column: name in the index (pg_attribute), type, typmod, and the text a
        // unique violation shows.
        let shown = column_texts(table);
        let mut next_expr = 0;
        let mut attributes: Vec<(String, Oid, i32, String)> = Vec::new();
        for (i, &(attnum, _, _)) in def.columns.iter().enumerate() {
            let (name, type_oid, typmod, text) = if attnum == 0 {
                let e = def
                    .expressions
                    .get(next_expr)
                    .ok_or_else(|| Error::internal("index expression missing"))?;
                next_expr += 1;
                let text = tusk_executor::deparse::index_column_text(e, &shown, true);
                (String::new(), e.type_oid(), -1, text)
            } else {
                let c = &table.info.columns[attnum as usize - 1];
                (c.name.clone(), c.type_oid, c.typmod, c.name.clone())
            };
            let name = def.attribute_names.get(i).cloned().unwrap_or(name);
            attributes.push((name, type_oid, typmod, text));
        }
        let key_columns: Vec<IndexColumn> = def
            .columns
            .iter()
            .zip(&attributes)
            .map(|(&(_, descending, nulls_first), (_, type_oid, _, text))| {
                Ok(IndexColumn {
                    name: text.clone(),
                    type_oid: crate::user_types::physical_type(&self.catalog_reader(), *type_oid)?,
                    descending,
                    nulls_first,
                })
            })
            .collect::<Result<_>>()?;
        let desc = IndexDesc {
            name: def.name.clone(),
            table_name: table.info.name.clone(),
            columns: key_columns,
            fillfactor: def
                .reloptions
                .iter()
                .find(|(n, _)| n == "fillfactor")
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(BTREE_DEFAULT_FILLFACTOR),
        };
        // Checks the column types before anything is written.
        let index = BTreeIndex::new(cluster.pool.clone(), locator, desc)?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let natts = def.columns.len() as i16;
        // An index belongs to its table's owner (PostgreSQL's index_create).
        let owner = super::privilege::class_acl(&self.catalog_reader(), table.info.oid)?
            .map_or(syscat::BOOTSTRAP_SUPERUSER, |c| c.owner);
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(index_oid.0))
                .set("relname", Datum::Text(def.name.clone()))
                .set("relnamespace", Datum::Oid(table.namespace_oid.0))
                .set("relowner", Datum::Oid(owner.0))
                .set("relam", Datum::Oid(BTREE_AM_OID.0))
                .set("relfilenode", Datum::Oid(index_oid.0))
                .set("reltuples", Datum::Float4(-1.0))
                .set(
                    "relpersistence",
                    Datum::Text((table.persistence as char).to_string()),
                )
                // An index of a partitioned table is a partitioned index (it keeps the
                // file of an empty index, which no row reaches).
                .set(
                    "relkind",
                    Datum::Text(if table.info.kind == b'p' { "I" } else { "i" }.into()),
                )
                .set("relnatts", Datum::Int2(natts))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into()))
                .set("relminmxid", Datum::Oid(0))
                .set("reloptions", reloptions_datum(&def.reloptions)),
        )?;
        for (i, (name, type_oid, typmod, _)) in attributes.iter().enumerate() {
            self.insert_catalog_row(attribute_row(
                index_oid,
                i as i16 + 1,
                name,
                *type_oid,
                *typmod,
                false,
            ))?;
        }
        let types: Vec<Oid> = attributes.iter().map(|a| a.1).collect();
        let stored_exprs = if def.expressions.is_empty() {
            Datum::Null
        } else {
            Datum::Text(expression_list_text(&def.expressions, table))
        };
        let stored_predicate = def.predicate.as_ref().map_or(Datum::Null, |p| {
            Datum::Text(tusk_executor::deparse::expression_text(p, &shown, false))
        });
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        self.insert_catalog_row(
            CatalogRow::new(pg_index)
                .set("indexrelid", Datum::Oid(index_oid.0))
                .set("indrelid", Datum::Oid(table.info.oid.0))
                .set("indnatts", Datum::Int2(natts))
                .set("indnkeyatts", Datum::Int2(natts))
                .set("indisunique", Datum::Bool(def.unique))
                .set("indisprimary", Datum::Bool(def.primary))
                .set("indimmediate", Datum::Bool(true))
                .set("indisvalid", Datum::Bool(true))
                .set("indisready", Datum::Bool(true))
                .set("indislive", Datum::Bool(true))
                .set(
                    "indkey",
                    int2vector(def.columns.iter().map(|c| c.0).collect()),
                )
                .set("indexprs", stored_exprs)
                .set("indpred", stored_predicate)
                .set(
                    "indcollation",
                    oidvector(types.iter().map(|t| column_collation(*t)).collect()),
                )
                .set(
                    "indclass",
                    oidvector(
                        types
                            .iter()
                            .enumerate()
                            .map(|(i, t)| {
                                def.opclasses
                                    .get(i)
                                    .copied()
                                    .flatten()
                                    .unwrap_or_else(|| default_btree_opclass(*t))
                            })
                            .collect(),
                    ),
                )
                .set(
                    "indoption",
                    int2vector(
                        def.columns
                            .iter()
                            .map(|&(_, desc, nulls_first)| {
                                (if desc { INDOPTION_DESC } else { 0 })
                                    | (if nulls_first {
                                        INDOPTION_NULLS_FIRST
                                    } else {
                                        0
                                    })
                            })
                            .collect(),
                    ),
                ),
        )?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        if let Some(constraint) = def.constraint {
            self.insert_catalog_row(
                CatalogRow::new(depend)
                    .set("classid", Datum::Oid(syscat::PG_CLASS.0))
                    .set("objid", Datum::Oid(index_oid.0))
                    .set("objsubid", Datum::Int4(0))
                    .set("refclassid", Datum::Oid(syscat::PG_CONSTRAINT.0))
                    .set("refobjid", Datum::Oid(constraint.0))
                    .set("refobjsubid", Datum::Int4(0))
                    .set("deptype", Datum::Text("i".into())),
            )?;
        }
        let mut referenced: Vec<i16> = def
            .columns
            .iter()
            .map(|c| c.0)
            .filter(|&a| a != 0)
            .collect();
        for e in def.expressions.iter().chain(def.predicate.as_ref()) {
            for a in crate::index_expressions::referenced_attnums(e) {
                if !referenced.contains(&a) {
                    referenced.push(a);
                }
            }
        }
        for &attnum in referenced.iter().filter(|_| def.constraint.is_none()) {
            self.insert_catalog_row(
                CatalogRow::new(depend)
                    .set("classid", Datum::Oid(syscat::PG_CLASS.0))
                    .set("objid", Datum::Oid(index_oid.0))
                    .set("objsubid", Datum::Int4(0))
                    .set("refclassid", Datum::Oid(syscat::PG_CLASS.0))
                    .set("refobjid", Datum::Oid(table.info.oid.0))
                    .set("refobjsubid", Datum::Int4(i32::from(attnum)))
                    .set("deptype", Datum::Text("a".into())),
            )?;
        }
        self.create_relation_file(index_oid)?;
        let expressions = if def.expressions.is_empty() && def.predicate.is_none() {
            None
        } else {
            Some(IndexExpressions::new(
                def.expressions.clone(),
                def.predicate.clone(),
            )?)
        };
        let entries = self.index_entries_computed(table, &def.columns, expressions.as_ref())?;
        match index.build(&cluster.checkpointer, entries, def.unique)? {
            BuildOutcome::Built { .. } => {}
            BuildOutcome::Duplicate { key } => {
                let cols: Vec<&str> = index
                    .desc()
                    .columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                let mut texts = Vec::with_capacity(key.len());
                for (v, t) in key.iter().zip(&types) {
                    texts.push(if v.is_null() {
                        None
                    } else {
                        Some(tusk_executor::io::text_out_string(v, *t, &self.output)?)
                    });
                }
                let texts: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
                return Err(build_duplicate_error(&def.name, &cols, &texts));
            }
        }
        // The table now has an index (psql's \d lists indexes only when this is set).
        let c_hasindex = class.col("relhasindex");
        self.update_class_row(table.info.oid, |row| row[c_hasindex] = Datum::Bool(true))?;
        self.txn.command_counter_increment();
        Ok(index_oid)
    }

    /// `(key values, heap TID)` of every row of `table` a fresh snapshot sees, the TID
    /// being its HOT chain's root.
    pub(crate) fn index_entries(
        &self,
        table: &RelEntry,
        columns: &[(i16, bool, bool)],
    ) -> Result<Vec<(Vec<Datum>, tusk_types::ItemPointer)>> {
        self.index_entries_computed(table, columns, None)
    }

    /// As [`Session::index_entries`] for an index with expression columns (attribute
    /// number 0) or a predicate: keys computed, rows the predicate rejects left out.
    pub(crate) fn index_entries_computed(
        &self,
        table: &RelEntry,
        columns: &[(i16, bool, bool)],
        expressions: Option<&IndexExpressions>,
    ) -> Result<Vec<(Vec<Datum>, tusk_types::ItemPointer)>> {
        if table.info.kind == b'f' {
            // No storage (NOT NULL is not checked against a foreign table's rows).
            return Ok(Vec::new());
        }
        let attnums: Vec<i16> = columns.iter().map(|c| c.0).collect();
        let cluster = &self.db.cluster;
        let services = &cluster.xact;
        let view = ReadView {
            snapshot: self.txn.catalog_snapshot(services),
            xids: self.txn.current_xids(services),
            curcid: self.txn.cid,
        };
        let scan = HeapScanIter::new(
            table.heap.clone(),
            table.attrs.clone(),
            view,
            services.clog.clone(),
        )?;
        let mut out = Vec::new();
        // Entries name HOT chain roots, so that pruning the version seen now (after a
        // later HOT update) leaves the entry leading to the chain.
        let mut roots: (
            Option<tusk_types::BlockNumber>,
            Vec<Option<tusk_types::OffsetNumber>>,
        ) = (None, Vec::new());
        for row in scan {
            let (mut tid, values) = row?;
            if roots.0 != Some(tid.block) {
                roots = (Some(tid.block), table.heap.hot_chain_roots(tid.block)?);
            }
            if let Some(Some(root)) = roots.1.get(tid.offset.0 as usize) {
                tid.offset = *root;
            }
            if !row_is_indexed(expressions, &values)? {
                continue;
            }
            out.push((index_key(&attnums, expressions, &values)?, tid));
        }
        Ok(out)
    }

    /// The indexes of `table` (`RelationGetIndexList`), in OID order.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn table_indexes(&self, table: &RelEntry) -> Result<Vec<TableIndex>> {
        table_indexes_of(&self.catalog_reader(), table)
    }
    /// `DROP INDEX [IF EXISTS] name [, ...]`.
    ///
    /// Errors: 42704 `index "x" does not exist`, 42809 for a relation of another kind,
    /// 42501 for system catalogs' indexes, 25006.
    pub(crate) fn drop_index(&mut self, stmt: &DropStmt, sink: &mut dyn Sink) -> Result<String> {
        self.read_only_check(&stmt.tag)?;
        if stmt.concurrently {
            // Dropped as a plain DROP INDEX, with CONCURRENTLY's restrictions (module docs).
            self.prevent_in_transaction_block("DROP INDEX CONCURRENTLY")?;
            if stmt.objects.len() != 1 {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "DROP INDEX CONCURRENTLY does not support dropping multiple objects"
                ));
            }
            if stmt.cascade {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "DROP INDEX CONCURRENTLY does not support CASCADE"
                ));
            }
        }
        for rv in &stmt.objects {
            let resolved = self
                .catalog_reader()
                .resolve(rv.schema.as_deref(), &rv.name)?;
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let entry = match resolved {
                Some(oid) => self.catalog_reader().entry(oid)?,
                None => None,
            };
            let Some(entry) = entry else {
                if stmt.missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "index \"{}\" does not exist, skipping",
                            shown
                        ),
                    );
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "index \"{}\" does not exist",
                    shown
                ));
            };
            if !matches!(entry.info.kind, b'i' | b'I') {
                let hint = match entry.info.kind {
                    b'S' => "Use DROP SEQUENCE to remove a sequence.",
                    b'v' => "Use DROP VIEW to remove a view.",
                    _ => "Use DROP TABLE to remove a table.",
                };
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not an index", shown).hint(hint));
            }
            if entry.info.oid.0 < syscat::FIRST_NORMAL_OBJECT_ID {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied: \"{}\" is a system catalog",
                    entry.info.name
                ));
            }
            // The table first, then the index, as PostgreSQL's RangeVarCallbackForDropRelation.
            if let Some(table) = self.index_table(entry.info.oid)? {
                self.lock_relation(table, crate::lock::LockMode::AccessExclusive)?;
            }
            self.lock_relation(entry.info.oid, crate::lock::LockMode::AccessExclusive)?;
            if let Some(error) = self.index_partition_drop_error(&entry)? {
                return Err(error);
            }
            if let Some(constraint) = self.index_constraint(entry.info.oid)? {
                let table = self
                    .index_table(entry.info.oid)?
                    .and_then(|t| self.catalog_reader().entry(t).ok().flatten())
                    .map(|t| t.info.name.clone())
                    .unwrap_or_default();
                return Err(pg_err!(
                    DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop index {} because constraint {} on table {} requires it",
                    entry.info.name,
                    constraint,
                    table
                )
                .hint(format!(
                    "You can drop constraint {constraint} on table {table} instead."
                )));
            }
            self.drop_foreign_keys_on_index(entry.info.oid, &entry.info.name, stmt.cascade, sink)?;
            // A partitioned index goes with its index partitions.
            let mut partitions = self.index_partition_descendants(entry.info.oid)?;
            partitions.reverse();
            for partition in partitions {
                if let Some(table) = self.index_table(partition)? {
                    self.lock_relation(table, crate::lock::LockMode::AccessExclusive)?;
                }
                self.remove_index_catalog(partition)?;
            }
            self.remove_index_catalog(entry.info.oid)?;
        }
        Ok(stmt.tag.clone())
    }

    /// The table an index belongs to (`pg_index.indrelid`).
    pub(crate) fn index_table(&self, index: Oid) -> Result<Option<Oid>> {
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        Ok(self
            .catalog_reader()
            .scan(pg_index)?
            .into_iter()
            .find(|(_, r)| r[pg_index.col("indexrelid")] == Datum::Oid(index.0))
            .and_then(|(_, r)| match r[pg_index.col("indrelid")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            }))
    }

    /// The name of the constraint an index implements (`pg_constraint.conindid`).
    fn index_constraint(&self, index: Oid) -> Result<Option<String>> {
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        Ok(self
            .catalog_reader()
            .scan(constraint)?
            .into_iter()
            .find(|(_, r)| {
                r[constraint.col("conindid")] == Datum::Oid(index.0)
                    && matches!(&r[constraint.col("contype")], Datum::Text(t) if t == "p" || t == "u")
            })
            .and_then(|(_, r)| match &r[constraint.col("conname")] {
                Datum::Text(n) => Some(n.clone()),
                _ => None,
            }))
    }

    /// Deletes an index's catalog rows (its `pg_index` row included) and schedules its
    /// file's removal at commit.
    pub(crate) fn remove_index_catalog(&mut self, index: Oid) -> Result<()> {
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let c_index = pg_index.col("indexrelid");
        self.delete_catalog_rows(syscat::PG_INDEX, move |r: &[Datum]| {
            r[c_index] == Datum::Oid(index.0)
        })?;
        self.remove_relation_catalog(index)
    }

    /// Gives every index of `table` a new, empty file (TRUNCATE): the new relfilenode is
    /// created with a WAL record, built empty, and `pg_class.relfilenode` updated; the old
    /// file is removed at commit.
    pub(crate) fn reset_table_indexes(&mut self, table: &Arc<RelEntry>) -> Result<()> {
        let cluster = self.db.cluster.clone();
        for index in self.table_indexes(table)? {
            let (new_node, locator) = self.new_relation_file()?;
            BTreeIndex::new(cluster.pool.clone(), locator, index.desc.clone())?
                .build_empty(&cluster.checkpointer)?;
            self.set_relation_file(index.oid, new_node, index.locator, Some((0, 0.0)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_fit_in_63_bytes() {
        assert_eq!(make_object_name("t", "a", "idx"), "t_a_idx");
        assert_eq!(make_object_name("t", "", "pkey"), "t_pkey");
        let long = "x".repeat(70);
        let name = make_object_name(&long, "col", "key");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_col_key"));
    }

    #[test]
    fn default_opclasses_come_from_pg_opclass() {
        assert_eq!(default_btree_opclass(type_oid::INT4), Oid(1978));
        assert_ne!(default_btree_opclass(type_oid::TEXT), Oid(0));
        assert_eq!(
            default_btree_opclass(type_oid::VARCHAR),
            default_btree_opclass(type_oid::TEXT)
        );
    }
}
