//! Declarative partitioning in the catalogs: `CREATE TABLE ... PARTITION BY` (relkind
//! `p` and a `pg_partitioned_table` row), `CREATE TABLE ... PARTITION OF parent bound`
//! (the parent's columns through the inheritance machinery, a `pg_inherits` row,
//! `relispartition` and `relpartbound`), `ALTER TABLE ... ATTACH / DETACH PARTITION`.
//!
//! Invariants: a partition has exactly one `pg_inherits` row, naming its partitioned
//! parent; its `relpartbound` is the bound's text as `pg_get_expr` prints it
//! (`crate::partition`), and no two partitions of a parent accept the same key. A
//! partitioned table's heap stays empty: rows are routed to its leaves
//! (`session/partition_routing.rs`).
//!
//! Entry points: [`partition_key`], [`partitions_of`], [`Session::prepare_partitioning`],
//! [`Session::finish_partitioning`], [`Session::attach_partition`],
//! [`Session::detach_partition`].

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_executor::{ExprEvaluator, OutputSettings};
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope};
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::CreateTableStmt;
use tusk_sql::ast_partition::{PartitionBoundSpec, PartitionStrategy, RangeBoundDatum};
use tusk_types::adt::array::int2_values;
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::ddl::NewColumn;
use super::index_expression_ddl::{
    analyze_row_expression, column_texts, stored_index_expressions, IndexExprKind,
};
use super::inheritance::inheritance_children;
use super::partition_routing::key_values;
use super::Session;
use crate::partition::hash::hashable_type;
use crate::partition::{
    check_new_bound, format_bound, parse_bound, BoundError, ErrorAt, PartitionBound, PartitionKey,
    RangeValue,
};
use crate::relcache::{CatalogReader, RelEntry};

fn pg_partitioned_table() -> &'static SysCatalog {
    syscat::system_catalog_by_name("pg_partitioned_table")
        .expect("pg_partitioned_table is a system catalog")
}

fn pg_class() -> &'static SysCatalog {
    syscat::system_catalog(syscat::PG_CLASS).expect("pg_class")
}

/// The partition key of `rel` (its `pg_partitioned_table` row), or `None` when it is not
/// partitioned.
///
/// Errors: catalog read errors.
pub(crate) fn partition_key(
    reader: &CatalogReader<'_>,
    rel: &RelEntry,
) -> Result<Option<PartitionKey>> {
    if rel.info.kind != b'p' {
        return Ok(None);
    }
    let catalog = pg_partitioned_table();
    let rows = reader.rows(catalog)?;
    let Some(row) = rows.first_matching(catalog.col("partrelid"), rel.info.oid) else {
        return Ok(None);
    };
    let strategy = match &row[catalog.col("partstrat")] {
        Datum::Text(t) => t.chars().next().and_then(PartitionStrategy::from_code),
        _ => None,
    }
    .ok_or_else(|| Error::internal("unrecognized partitioning strategy"))?;
    let attnums = int2_values(&row[catalog.col("partattrs")]);
    let stored_exprs = match &row[catalog.col("partexprs")] {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    };
    drop(rows);
    let mut exprs = if stored_exprs.is_empty() {
        Vec::new()
    } else {
        stored_index_expressions(reader, rel, &stored_exprs, "")?.0
    }
    .into_iter();
    let shown = column_texts(rel);
    let mut names = Vec::with_capacity(attnums.len());
    let mut types = Vec::with_capacity(attnums.len());
    let mut key_exprs = Vec::with_capacity(attnums.len());
    for attnum in &attnums {
        if *attnum == 0 {
            let e = exprs
                .next()
                .ok_or_else(|| Error::internal("partition key expression missing"))?;
            names.push(tusk_executor::deparse::index_column_text(&e, &shown, true));
            types.push(e.type_oid());
            key_exprs.push(Some(e));
            continue;
        }
        let column = rel
            .info
            .columns
            .get((*attnum - 1) as usize)
            .ok_or_else(|| Error::internal("partition key column out of range"))?;
        names.push(column.name.clone());
        types.push(column.type_oid);
        key_exprs.push(None);
    }
    Ok(Some(PartitionKey {
        strategy,
        attnums,
        names,
        types,
        exprs: key_exprs,
    }))
}

/// `relpartbound` of `rel` when it is a partition (`relispartition`).
///
/// Errors: catalog read errors.
pub(crate) fn partition_bound_text(reader: &CatalogReader<'_>, rel: Oid) -> Result<Option<String>> {
    let class = pg_class();
    let rows = reader.rows(class)?;
    let Some(row) = rows.first_matching(class.col("oid"), rel) else {
        return Ok(None);
    };
    if row[class.col("relispartition")] != Datum::Bool(true) {
        return Ok(None);
    }
    Ok(match &row[class.col("relpartbound")] {
        Datum::Text(t) => Some(t.clone()),
        _ => None,
    })
}

/// One partition of a partitioned table.
#[derive(Debug, Clone)]
pub(crate) struct PartitionInfo {
    /// The partition.
    pub oid: Oid,
    /// Its name.
    pub name: String,
    /// Its bound.
    pub bound: PartitionBound,
}

/// The partitions of `parent` (whose key is `key`), in OID order.
///
/// Errors: catalog read errors; the key types' input errors reading bounds back.
pub(crate) fn partitions_of(
    reader: &CatalogReader<'_>,
    parent: Oid,
    key: &PartitionKey,
    output: &OutputSettings,
) -> Result<Vec<PartitionInfo>> {
    let mut out = Vec::new();
    for child in inheritance_children(reader, parent)? {
        let Some(text) = partition_bound_text(reader, child)? else {
            continue;
        };
        let Some(entry) = reader.entry(child)? else {
            continue;
        };
        out.push(PartitionInfo {
            oid: child,
            name: entry.info.name.clone(),
            bound: parse_bound(&text, &key.types, output)?,
        });
    }
    Ok(out)
}

/// What CREATE TABLE writes for its partitioning clauses.
#[derive(Debug, Default)]
pub(crate) struct PreparedPartitioning {
    /// `pg_class.relkind`: `p` for a partitioned table, else `r`.
    pub relkind: u8,
    /// The key of a partitioned table: strategy, 1-based key columns (0 for an
    /// expression) and their types.
    pub key: Option<(PartitionStrategy, Vec<i16>, Vec<Oid>)>,
    /// `pg_partitioned_table.partclass`: each key column's operator class.
    pub classes: Vec<Oid>,
    /// `pg_partitioned_table.partexprs`: the key expressions' stored text, if any.
    pub exprs: Option<String>,
    /// `relpartbound` of a partition.
    pub bound: Option<String>,
}

/// A bound error with the cursor position PostgreSQL gives it: the offending value, or
/// the bound (`location`).
fn bound_error(e: BoundError, spec: &PartitionBoundSpec, sql: &str, location: usize) -> Error {
    let value_location = |values: &[RangeBoundDatum], i: usize| match values.get(i) {
        Some(RangeBoundDatum::Value(expr)) => expr.location(),
        _ => location,
    };
    let at = match (e.at, spec) {
        (ErrorAt::Lower(i), PartitionBoundSpec::Range { from, .. }) => value_location(from, i),
        (ErrorAt::Upper(i), PartitionBoundSpec::Range { to, .. }) => value_location(to, i),
        (ErrorAt::ListValue(i), PartitionBoundSpec::List(values)) => {
            values.get(i).map_or(location, |v| v.location())
        }
        (ErrorAt::Nowhere, _) => usize::MAX,
        _ => location,
    };
    position(*e.error, sql, at)
}

fn position(e: Error, sql: &str, location: usize) -> Error {
    if location == usize::MAX {
        e
    } else {
        e.position(tusk_sql::char_position(sql, location))
    }
}

impl Session {
    /// Checks the partitioning clauses of `stmt` against the new table's `columns` (the
    /// parent's, for PARTITION OF) and computes what the catalogs get.
    ///
    /// Errors: 0A000 for key expressions; 42703 `column "x" named in partition key does
    /// not exist`; 42P17 `cannot use "list" partition strategy with more than one
    /// column`; for PARTITION OF: 42809 `"t" is not partitioned`, 42P16 `invalid bound
    /// specification for a range partition` (and list, hash), the value and sibling
    /// checks of [`Session::partition_bound`] and `crate::partition::check_new_bound`.
    pub(super) fn prepare_partitioning(
        &mut self,
        stmt: &CreateTableStmt,
        columns: &[NewColumn],
        sql: &str,
    ) -> Result<PreparedPartitioning> {
        let mut prepared = PreparedPartitioning {
            relkind: b'r',
            ..Default::default()
        };
        if let Some(spec) = &stmt.partition.by {
            if let Some(what) = &spec.unsupported {
                return Err(Error::feature_not_supported(what));
            }
            if spec.strategy == PartitionStrategy::List && spec.columns.len() > 1 {
                return Err(position(
                    pg_err!(
                        INVALID_OBJECT_DEFINITION,
                        "cannot use \"list\" partition strategy with more than one column"
                    ),
                    sql,
                    spec.location,
                ));
            }
            let mut attnums = Vec::with_capacity(spec.columns.len());
            let mut types = Vec::with_capacity(spec.columns.len());
            let mut stored_exprs = Vec::new();
            for (k, name) in spec.columns.iter().enumerate() {
                let at = spec.column_locations.get(k).copied().unwrap_or(usize::MAX);
                let (attnum, type_oid) = match spec.exprs.get(k).and_then(|e| e.as_ref()) {
                    Some(expr) => {
                        let typed = self.partition_key_expression(columns, expr, k + 1, sql, at)?;
                        let type_oid = typed.type_oid();
                        let shown: Vec<String> = columns
                            .iter()
                            .map(|c| tusk_sql::quote_identifier(&c.name))
                            .collect();
                        stored_exprs.push(tusk_executor::deparse::expression_text(
                            &typed, &shown, false,
                        ));
                        (0, type_oid)
                    }
                    None => {
                        let Some(i) = columns.iter().position(|c| c.name == *name) else {
                            return Err(position(
                                pg_err!(
                                    UNDEFINED_COLUMN,
                                    "column \"{}\" named in partition key does not exist",
                                    name
                                ),
                                sql,
                                at,
                            ));
                        };
                        if columns[i].generated {
                            return Err(position(
                                pg_err!(
                                    INVALID_OBJECT_DEFINITION,
                                    "cannot use generated column in partition key"
                                )
                                .detail(format!("Column \"{name}\" is a generated column.")),
                                sql,
                                at,
                            ));
                        }
                        (i as i16 + 1, columns[i].type_oid)
                    }
                };
                if spec.strategy == PartitionStrategy::Hash && !hashable_type(type_oid) {
                    return Err(Error::feature_not_supported(format!(
                        "hash partitioning on a column of type {}",
                        self.format_type(type_oid)
                    )));
                }
                prepared.classes.push(match spec.opclasses.get(k) {
                    Some(Some(name)) => named_opclass(name, type_oid, spec.strategy)?,
                    _ => default_opclass(type_oid, spec.strategy),
                });
                if spec.strategy != PartitionStrategy::Hash
                    && !tusk_access::nbtree::btree_orderable(type_oid)
                {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "data type {} has no default operator class for access method \"btree\"",
                        self.format_type(type_oid)
                    )
                    .hint("You must specify a btree operator class or define a default btree operator class for the data type."));
                }
                attnums.push(attnum);
                types.push(type_oid);
            }
            if !stored_exprs.is_empty() {
                prepared.exprs = Some(stored_exprs.join(", "));
            }
            prepared.relkind = b'p';
            prepared.key = Some((spec.strategy, attnums, types));
        }
        if let Some(of) = &stmt.partition.of {
            let parent = self.partitioned_parent(&of.parent)?;
            let key = partition_key(&self.catalog_reader(), &parent)?
                .ok_or_else(|| Error::internal("partitioned table without a key"))?;
            let name = &stmt.relation.name;
            let bound = self.partition_bound(&key, &of.bound, name, sql, of.location)?;
            self.check_sibling_bounds(&parent, &key, name, &bound)
                .map_err(|e| bound_error(e, &of.bound, sql, of.location))?;
            prepared.bound = Some(format_bound(&bound, &key.types, &self.output)?);
        }
        Ok(prepared)
    }

    /// The checks PostgreSQL makes of the partitioning clauses before it opens any
    /// relation.
    ///
    /// Errors: 42809 `cannot create partitioned table as inheritance child`; 42P17
    /// `cannot use system column "xmin" in partition key`.
    pub(super) fn check_partitioning_clauses(stmt: &CreateTableStmt) -> Result<()> {
        let Some(spec) = &stmt.partition.by else {
            return Ok(());
        };
        if !stmt.inherits.is_empty() {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot create partitioned table as inheritance child"
            ));
        }
        for name in &spec.columns {
            if tusk_sql::analyze::system_columns::system_column(name).is_some() {
                return Err(pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "cannot use system column \"{}\" in partition key",
                    name
                ));
            }
        }
        Ok(())
    }

    /// Opens the parent of PARTITION OF (ATTACH takes the same path).
    ///
    /// Errors: 42P01; 42809 `"t" is not partitioned`.
    fn partitioned_parent(&mut self, rv: &RangeVar) -> Result<Arc<RelEntry>> {
        let entry = {
            let reader = self.catalog_reader();
            match reader.resolve(rv.schema.as_deref(), &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        };
        let Some(entry) = entry else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                rv.name
            ));
        };
        self.lock_relation(entry.info.oid, crate::lock::LockMode::ShareUpdateExclusive)?;
        if entry.info.kind != b'p' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not partitioned",
                entry.info.name
            ));
        }
        Ok(entry)
    }

    fn check_sibling_bounds(
        &self,
        parent: &RelEntry,
        key: &PartitionKey,
        name: &str,
        bound: &PartitionBound,
    ) -> std::result::Result<(), BoundError> {
        let siblings: Vec<(String, PartitionBound)> =
            partitions_of(&self.catalog_reader(), parent.info.oid, key, &self.output)
                .map_err(BoundError::at_bound)?
                .into_iter()
                .map(|p| (p.name, p.bound))
                .collect();
        check_new_bound(name, bound, &siblings, &key.types, &self.output)
    }

    /// Evaluates a written bound as constants of the key's types (PostgreSQL's
    /// `transformPartitionBound`).
    ///
    /// Errors: 42P16 `invalid bound specification for a list partition` (range, hash)
    /// for a bound of another strategy, `a hash-partitioned table may not have a default
    /// partition`, `FROM must specify exactly one value per partitioning column` (TO),
    /// `every bound following MINVALUE must also be MINVALUE` (MAXVALUE), `cannot specify
    /// NULL in range bound`, `modulus for hash partition must be an integer value greater
    /// than zero`, `remainder for hash partition must be less than modulus`; 42804
    /// `specified value cannot be cast to type integer for column "a"`; the values'
    /// evaluation errors.
    pub(crate) fn partition_bound(
        &mut self,
        key: &PartitionKey,
        spec: &PartitionBoundSpec,
        name: &str,
        sql: &str,
        location: usize,
    ) -> Result<PartitionBound> {
        let invalid = |kind: &str| {
            position(
                pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "invalid bound specification for a {} partition",
                    kind
                ),
                sql,
                location,
            )
        };
        let _ = name;
        match (key.strategy, spec) {
            (PartitionStrategy::Hash, PartitionBoundSpec::Default) => Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "a hash-partitioned table may not have a default partition"
            )),
            (_, PartitionBoundSpec::Default) => Ok(PartitionBound::Default),
            (PartitionStrategy::Hash, PartitionBoundSpec::Hash { modulus, remainder }) => {
                if *modulus <= 0 {
                    return Err(pg_err!(
                        INVALID_TABLE_DEFINITION,
                        "modulus for hash partition must be an integer value greater than zero"
                    ));
                }
                if *remainder < 0 {
                    return Err(pg_err!(
                        INVALID_TABLE_DEFINITION,
                        "remainder for hash partition must be an integer value greater than or equal to zero"
                    ));
                }
                if remainder >= modulus {
                    return Err(pg_err!(
                        INVALID_TABLE_DEFINITION,
                        "remainder for hash partition must be less than modulus"
                    ));
                }
                Ok(PartitionBound::Hash {
                    modulus: *modulus as u32,
                    remainder: *remainder as u32,
                })
            }
            (PartitionStrategy::Hash, _) => Err(invalid("hash")),
            (PartitionStrategy::List, PartitionBoundSpec::List(values)) => {
                let mut out: Vec<Datum> = Vec::with_capacity(values.len());
                for value in values {
                    let datum = self.bound_value(key, 0, value, sql)?;
                    // Duplicates are kept once, as PostgreSQL does.
                    let duplicate = out.iter().any(|d| {
                        (d.is_null() && datum.is_null())
                            || (!d.is_null()
                                && !datum.is_null()
                                && tusk_access::nbtree::compare_datums(key.types[0], d, &datum)
                                    == std::cmp::Ordering::Equal)
                    });
                    if !duplicate {
                        out.push(datum);
                    }
                }
                Ok(PartitionBound::List(out))
            }
            (PartitionStrategy::List, _) => Err(invalid("list")),
            (PartitionStrategy::Range, PartitionBoundSpec::Range { from, to }) => {
                let from = self.range_bound(key, from, "FROM", sql, location)?;
                let to = self.range_bound(key, to, "TO", sql, location)?;
                Ok(PartitionBound::Range { from, to })
            }
            (PartitionStrategy::Range, _) => Err(invalid("range")),
        }
    }

    fn range_bound(
        &mut self,
        key: &PartitionKey,
        values: &[RangeBoundDatum],
        which: &str,
        sql: &str,
        location: usize,
    ) -> Result<Vec<RangeValue>> {
        if values.len() != key.types.len() {
            return Err(position(
                pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "{} must specify exactly one value per partitioning column",
                    which
                ),
                sql,
                location,
            ));
        }
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            out.push(match value {
                RangeBoundDatum::MinValue => RangeValue::MinValue,
                RangeBoundDatum::MaxValue => RangeValue::MaxValue,
                RangeBoundDatum::Value(expr) => {
                    let datum = self.bound_value(key, i, expr, sql)?;
                    if datum.is_null() {
                        return Err(position(
                            pg_err!(
                                INVALID_TABLE_DEFINITION,
                                "cannot specify NULL in range bound"
                            ),
                            sql,
                            location,
                        ));
                    }
                    RangeValue::Value(datum)
                }
            });
        }
        // After MINVALUE only MINVALUE, after MAXVALUE only MAXVALUE.
        let mut infinite: Option<&RangeValue> = None;
        for (i, value) in out.iter().enumerate() {
            let at = match &values[i] {
                RangeBoundDatum::Value(expr) => expr.location(),
                _ => location,
            };
            match infinite {
                Some(RangeValue::MinValue) if *value != RangeValue::MinValue => {
                    return Err(position(
                        pg_err!(
                            INVALID_TABLE_DEFINITION,
                            "every bound following MINVALUE must also be MINVALUE"
                        ),
                        sql,
                        at,
                    ))
                }
                Some(RangeValue::MaxValue) if *value != RangeValue::MaxValue => {
                    return Err(position(
                        pg_err!(
                            INVALID_TABLE_DEFINITION,
                            "every bound following MAXVALUE must also be MAXVALUE"
                        ),
                        sql,
                        at,
                    ))
                }
                None if !matches!(value, RangeValue::Value(_)) => infinite = Some(value),
                _ => {}
            }
        }
        Ok(out)
    }

    /// A bound value as a constant of key column `i`'s type.
    fn bound_value(
        &mut self,
        key: &PartitionKey,
        i: usize,
        expr: &tusk_sql::ast::Expr,
        sql: &str,
    ) -> Result<Datum> {
        let type_oid = key.types[i];
        let compiled = {
            let lookup = tusk_executor::BuiltinLookup {
                settings: &self.output,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
            let typed = analyzer.analyze_expr(expr, &Scope::default())?;
            let found = typed.type_oid();
            let typed = analyzer
                .coerce(
                    typed,
                    type_oid,
                    -1,
                    CoercionContext::Assignment,
                    expr.location(),
                )
                .map_err(|e| {
                    if e.code == tusk_types::SqlState::DATATYPE_MISMATCH
                        || e.code == tusk_types::SqlState::CANNOT_COERCE
                    {
                        let _ = found;
                        position(
                            pg_err!(
                                DATATYPE_MISMATCH,
                                "specified value cannot be cast to type {} for column \"{}\"",
                                self.format_type(type_oid),
                                key.names[i]
                            ),
                            sql,
                            expr.location(),
                        )
                    } else {
                        e
                    }
                })?;
            ExprEvaluator::compile(&typed)?
        };
        self.with_eval_context(&[], |ctx| compiled.eval(ctx, &[]))
    }

    /// Writes the `pg_partitioned_table` row of a new partitioned table `rel`.
    ///
    /// Errors: catalog write errors.
    pub(super) fn finish_partitioning(
        &mut self,
        rel: Oid,
        prepared: &PreparedPartitioning,
        columns: &[NewColumn],
    ) -> Result<()> {
        let Some((strategy, attnums, types)) = &prepared.key else {
            return Ok(());
        };
        let _ = columns;
        let classes: Vec<Oid> = if prepared.classes.len() == types.len() {
            prepared.classes.clone()
        } else {
            types
                .iter()
                .map(|t| default_opclass(*t, *strategy))
                .collect()
        };
        let collations: Vec<Oid> = types
            .iter()
            .map(|t| super::index_ddl::column_collation(*t))
            .collect();
        let exprs = prepared
            .exprs
            .as_ref()
            .map_or(Datum::Null, |t| Datum::Text(t.clone()));
        self.insert_catalog_row(
            CatalogRow::new(pg_partitioned_table())
                .set("partrelid", Datum::Oid(rel.0))
                .set("partstrat", Datum::Text(strategy.code().to_string()))
                .set("partnatts", Datum::Int2(attnums.len() as i16))
                .set("partdefid", Datum::Oid(0))
                .set("partattrs", super::index_ddl::int2vector(attnums.clone()))
                .set("partclass", super::index_ddl::oidvector(classes))
                .set("partcollation", super::index_ddl::oidvector(collations))
                .set("partexprs", exprs),
        )
    }

    /// Analyses a partition key expression over the new table's `columns` and checks it
    /// as PostgreSQL's `ComputePartitionAttrs` does.
    ///
    /// Errors: 42P17 `cannot use generated column in partition key`, `cannot use
    /// constant expression as partition key`, `functions in partition key expression must be
    /// marked IMMUTABLE`; 0A000 for subqueries, set-returning and user-defined
    /// functions; 42803 aggregates; 42P20 window functions; analysis errors.
    fn partition_key_expression(
        &self,
        columns: &[NewColumn],
        expr: &tusk_sql::ast::Expr,
        column_number: usize,
        sql: &str,
        at: usize,
    ) -> Result<tusk_sql::analyze::TypedExpr> {
        let scope = Scope::single(
            None,
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    tusk_sql::analyze::ScopeColumn::slot(c.name.clone(), i, c.type_oid, c.typmod)
                })
                .collect(),
        );
        let typed = analyze_row_expression(
            &self.catalog_reader(),
            &self.output,
            &scope,
            expr,
            IndexExprKind::PartitionKey,
        )?;
        // A system column is no column of `scope`: analysis already failed with 42703.
        let mut found = Vec::new();
        tusk_sql::analyze::walk::map_expr_deep(typed.clone(), 0, &mut |e, depth| {
            if let tusk_sql::analyze::TypedExpr::Column { index, .. } = &e {
                if depth == 0 {
                    found.push(*index);
                }
            }
            e
        });
        if let Some(&i) = found.iter().find(|&&i| columns[i].generated) {
            return Err(position(
                pg_err!(
                    INVALID_OBJECT_DEFINITION,
                    "cannot use generated column in partition key"
                )
                .detail(format!(
                    "Column \"{}\" is a generated column.",
                    columns[i].name
                )),
                sql,
                at,
            ));
        }
        let pseudo = match typed.type_oid() {
            tusk_types::type_oid::RECORD => Some("record"),
            tusk_types::type_oid::UNKNOWN => Some("unknown"),
            _ => None,
        };
        if let Some(name) = pseudo {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "partition key column {} has pseudo-type {}",
                column_number,
                name
            ));
        }
        if found.is_empty() {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "cannot use constant expression as partition key"
            ));
        }
        Ok(typed)
    }

    /// Drops every partition of partitioned table `rel`, deepest first (DROP TABLE of a
    /// partitioned table; its partitions are part of it).
    ///
    /// Errors: 2BP01 for objects depending on a partition without `cascade`; catalog
    /// errors.
    pub(crate) fn drop_partitions(
        &mut self,
        rel: Oid,
        cascade: bool,
        sink: &mut dyn crate::sink::Sink,
    ) -> Result<()> {
        let descendants = super::inheritance::inheritance_descendants(&self.catalog_reader(), rel)?;
        for child in descendants.into_iter().rev() {
            if partition_bound_text(&self.catalog_reader(), child)?.is_none() {
                continue;
            }
            self.lock_relation(child, crate::lock::LockMode::AccessExclusive)?;
            let Some(entry) = self.catalog_reader().entry(child)? else {
                continue;
            };
            let description = self.relation_description(&entry)?;
            let dependents =
                self.dependent_objects(&super::dependency::DropRoot::Relation(child))?;
            self.drop_dependents(&description, dependents, cascade, sink)?;
            for index in self.table_indexes(&entry)? {
                self.remove_index_catalog(index.oid)?;
            }
            for seq in self.owned_sequences(child)? {
                self.remove_relation_catalog(seq)?;
            }
            self.remove_relation_catalog(child)?;
        }
        Ok(())
    }

    /// Removes the `pg_partitioned_table` row of `rel` (it is being dropped).
    ///
    /// Errors: catalog write errors.
    pub(crate) fn remove_partitioned_table_row(&mut self, rel: Oid) -> Result<()> {
        let catalog = pg_partitioned_table();
        let c_rel = catalog.col("partrelid");
        self.delete_catalog_rows(catalog.oid, move |r: &[Datum]| {
            r[c_rel] == Datum::Oid(rel.0)
        })?;
        Ok(())
    }
}

/// The default operator class of `type_oid` for the strategy's access method (btree for
/// range and list, hash for hash), from the built-in `pg_opclass` rows; 0 if none.
/// The operator class `name` written for a partition key column of type `type_oid`:
/// tusk partitions with the type's default operators, so a class of the default's
/// operator family (`varchar_ops` for `text_ops`) is the one accepted.
///
/// Errors: 42704 `operator class "x" does not exist for access method "btree"` (or
/// `hash`); 42804 `operator class "x" does not accept data type t`; 0A000 for another
/// class.
fn named_opclass(name: &str, type_oid: Oid, strategy: PartitionStrategy) -> Result<Oid> {
    let default = default_opclass(type_oid, strategy);
    let found = if strategy == PartitionStrategy::Hash {
        let rows = syscat::builtin_rows("pg_opclass");
        let found = rows.and_then(|(columns, rows)| {
            let col = |n: &str| columns.iter().position(|c| *c == n);
            let (c_oid, c_method, c_name) = (col("oid")?, col("opcmethod")?, col("opcname")?);
            rows.iter()
                .find(|r| {
                    r[c_method].as_deref() == Some("405") && r[c_name].as_deref() == Some(name)
                })
                .and_then(|r| r[c_oid].as_deref()?.parse::<u32>().ok())
        });
        match found {
            Some(oid) => Oid(oid),
            None => {
                return Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "operator class \"{}\" does not exist for access method \"hash\"",
                    name
                ))
            }
        }
    } else {
        super::index_ddl::resolve_btree_opclass(name, type_oid)?
    };
    if found != default && opclass_family(found) != opclass_family(default) {
        return Err(Error::feature_not_supported(
            "a non-default operator class in a partition key",
        ));
    }
    Ok(found)
}

/// `pg_opclass.opcfamily` of built-in operator class `class` (`None` if unknown).
fn opclass_family(class: Oid) -> Option<String> {
    let (columns, rows) = syscat::builtin_rows("pg_opclass")?;
    let col = |n: &str| columns.iter().position(|c| *c == n);
    let (c_oid, c_family) = (col("oid")?, col("opcfamily")?);
    let oid = class.0.to_string();
    rows.iter()
        .find(|r| r[c_oid].as_deref() == Some(oid.as_str()))
        .and_then(|r| r[c_family].clone())
}

fn default_opclass(type_oid: Oid, strategy: PartitionStrategy) -> Oid {
    if strategy != PartitionStrategy::Hash {
        return super::index_ddl::default_btree_opclass(type_oid);
    }
    let wanted = match type_oid {
        tusk_types::type_oid::VARCHAR => tusk_types::type_oid::TEXT,
        other => other,
    };
    let Some((columns, rows)) = syscat::builtin_rows("pg_opclass") else {
        return Oid(0);
    };
    let col = |n: &str| columns.iter().position(|c| *c == n);
    let (Some(c_oid), Some(c_method), Some(c_type), Some(c_default)) = (
        col("oid"),
        col("opcmethod"),
        col("opcintype"),
        col("opcdefault"),
    ) else {
        return Oid(0);
    };
    let field = |r: &Vec<Option<String>>, i: usize| r[i].clone().unwrap_or_default();
    rows.iter()
        .find(|r| {
            field(r, c_method) == "405"
                && field(r, c_default) == "t"
                && field(r, c_type) == wanted.0.to_string()
        })
        .and_then(|r| field(r, c_oid).parse().ok())
        .map_or(Oid(0), Oid)
}

impl Session {
    /// `ALTER TABLE parent ATTACH PARTITION rv bound`: `rv` becomes a partition of
    /// `parent` after its columns, constraints and existing rows are checked (PostgreSQL's
    /// `ATExecAttachPartition`).
    ///
    /// Errors: 42809 `table "t" is not partitioned`, `"c" is already a partition`,
    /// `cannot attach inheritance child as partition` (parent), `table "c" contains
    /// column "x" not found in parent "p"`, `child table is missing column "b"`; 42804
    /// `child table "c" has different type for column "b"`, `child table is missing
    /// constraint "k"`; 42P01; 42501 for a table the user does not own; the bound's
    /// checks; 23514 `partition constraint of relation "c" is violated by some row`,
    /// `updated partition constraint for default partition "d" would be violated by some
    /// row`.
    pub(crate) fn attach_partition(
        &mut self,
        parent: &Arc<RelEntry>,
        rv: &RangeVar,
        bound: &PartitionBoundSpec,
        sql: &str,
        location: usize,
    ) -> Result<()> {
        if parent.info.kind != b'p' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "table \"{}\" is not partitioned",
                parent.info.name
            ));
        }
        let child = self.open_for_partitioning(rv)?;
        self.check_relation_owner(child.info.oid)?;
        let reader = self.catalog_reader();
        if partition_bound_text(&reader, child.info.oid)?.is_some() {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is already a partition",
                child.info.name
            ));
        }
        let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let rows = reader.rows(inherits)?;
        if rows
            .first_matching(inherits.col("inhrelid"), child.info.oid)
            .is_some()
        {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot attach inheritance child as partition"
            ));
        }
        if child.info.kind != b'p'
            && rows
                .first_matching(inherits.col("inhparent"), child.info.oid)
                .is_some()
        {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot attach inheritance parent as partition"
            ));
        }
        drop(rows);
        // The parent may not be the table itself or one of its partitions.
        if child.info.oid == parent.info.oid
            || super::inheritance::inheritance_descendants(&reader, child.info.oid)?
                .contains(&parent.info.oid)
        {
            return Err(
                pg_err!(DUPLICATE_TABLE, "circular inheritance not allowed").detail(format!(
                    "\"{}\" is already a child of \"{}\".",
                    parent.info.name, child.info.name
                )),
            );
        }
        drop(reader);
        if parent.persistence == b't' && child.persistence != b't' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot attach a permanent relation as partition of temporary relation \"{}\"",
                parent.info.name
            ));
        }
        if parent.persistence != b't' && child.persistence == b't' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot attach a temporary relation as partition of permanent relation \"{}\"",
                parent.info.name
            ));
        }
        // Columns: exactly the parent's, by name, of the same types.
        for (_, c) in child.info.live_columns() {
            if !parent.info.live_columns().any(|(_, p)| p.name == c.name) {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "table \"{}\" contains column \"{}\" not found in parent \"{}\"",
                    child.info.name,
                    c.name,
                    parent.info.name
                )
                .detail("The new partition may contain only the columns present in parent."));
            }
        }
        let matched = super::inherit_alter::inherited_column_attnums(parent, &child)?;
        let checks = |rel: &RelEntry| -> Vec<(String, String)> {
            rel.info
                .checks
                .iter()
                .map(|c| (c.name.clone(), c.expr.clone()))
                .collect()
        };
        super::inherit_alter::matching_child_checks(
            &child.info.name,
            &checks(parent),
            &checks(&child),
        )?;
        let key = partition_key(&self.catalog_reader(), parent)?
            .ok_or_else(|| Error::internal("partitioned table without a key"))?;
        let new_bound = self.partition_bound(&key, bound, &child.info.name, sql, location)?;
        let siblings = partitions_of(&self.catalog_reader(), parent.info.oid, &key, &self.output)?;
        let named: Vec<(String, PartitionBound)> = siblings
            .iter()
            .map(|p| (p.name.clone(), p.bound.clone()))
            .collect();
        check_new_bound(
            &child.info.name,
            &new_bound,
            &named,
            &key.types,
            &self.output,
        )
        .map_err(|e| bound_error(e, bound, sql, location))?;
        // Existing rows must fit the bound; a default partition's rows must not.
        let key_of = |rel: &RelEntry, row: &[Datum]| key_values(rel, parent, &key, row);
        let mut with_new: Vec<PartitionInfo> = siblings.clone();
        with_new.push(PartitionInfo {
            oid: child.info.oid,
            name: child.info.name.clone(),
            bound: new_bound.clone(),
        });
        let fits = |row_key: &[Datum], target: Oid| -> bool {
            let chosen = with_new
                .iter()
                .find(|p| crate::partition::bound_accepts(&p.bound, row_key, &key.types))
                .or_else(|| with_new.iter().find(|p| p.bound == PartitionBound::Default))
                .map(|p| p.oid);
            chosen == Some(target)
        };
        // No attach validation occurs for foreign tables: their rows are elsewhere.
        for leaf in self.leaf_relations(&child)? {
            if leaf.info.kind == b'f' {
                continue;
            }
            for row in self.live_rows(&leaf)? {
                if !fits(&key_of(&leaf, &row)?, child.info.oid) {
                    return Err(pg_err!(
                        CHECK_VIOLATION,
                        "partition constraint of relation \"{}\" is violated by some row",
                        leaf.info.name
                    ));
                }
            }
        }
        if new_bound != PartitionBound::Default {
            if let Some(default) = siblings.iter().find(|p| p.bound == PartitionBound::Default) {
                let default_entry = self.open_oid(default.oid)?;
                for leaf in self.leaf_relations(&default_entry)? {
                    if leaf.info.kind == b'f' {
                        continue;
                    }
                    for row in self.live_rows(&leaf)? {
                        if crate::partition::bound_accepts(
                            &new_bound,
                            &key_of(&leaf, &row)?,
                            &key.types,
                        ) {
                            return Err(pg_err!(
                                CHECK_VIOLATION,
                                "updated partition constraint for default partition \"{}\" would be violated by some row",
                                default.name
                            ));
                        }
                    }
                }
            }
        }
        let text = format_bound(&new_bound, &key.types, &self.output)?;
        self.insert_inheritance_rows(child.info.oid, &[parent.info.oid])?;
        self.update_class_row(child.info.oid, |r| {
            let class = pg_class();
            r[class.col("relispartition")] = Datum::Bool(true);
            r[class.col("relpartbound")] = Datum::Text(text);
        })?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_inh, c_local) = (attribute.col("attinhcount"), attribute.col("attislocal"));
        for attnum in matched {
            self.update_attribute_row(child.info.oid, attnum, |r| {
                r[c_inh] = Datum::Int4(1);
                r[c_local] = Datum::Bool(false);
            })?;
        }
        self.txn.command_counter_increment();
        self.copy_parent_indexes(parent.info.oid, child.info.oid)?;
        Ok(())
    }

    /// `ALTER TABLE parent DETACH PARTITION rv`: `rv` becomes a table of its own again.
    ///
    /// Errors: 42809 `table "t" is not partitioned`; 42P01 `relation "c" is not a
    /// partition of relation "p"`; 0A000 for CONCURRENTLY / FINALIZE.
    pub(crate) fn detach_partition(
        &mut self,
        parent: &Arc<RelEntry>,
        rv: &RangeVar,
        concurrently: bool,
    ) -> Result<()> {
        if concurrently {
            return Err(Error::feature_not_supported(
                "DETACH PARTITION CONCURRENTLY",
            ));
        }
        if parent.info.kind != b'p' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "table \"{}\" is not partitioned",
                parent.info.name
            ));
        }
        let child = self.open_for_partitioning(rv)?;
        let is_partition = partition_bound_text(&self.catalog_reader(), child.info.oid)?.is_some()
            && inheritance_children(&self.catalog_reader(), parent.info.oid)?
                .contains(&child.info.oid);
        if !is_partition {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" is not a partition of relation \"{}\"",
                child.info.name,
                parent.info.name
            ));
        }
        self.detach_partition_indexes(&child)?;
        let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let (c_child, c_parent) = (inherits.col("inhrelid"), inherits.col("inhparent"));
        let (c, p) = (child.info.oid, parent.info.oid);
        self.delete_catalog_rows(inherits.oid, move |r: &[Datum]| {
            r[c_child] == Datum::Oid(c.0) && r[c_parent] == Datum::Oid(p.0)
        })?;
        self.update_class_row(child.info.oid, |r| {
            let class = pg_class();
            r[class.col("relispartition")] = Datum::Bool(false);
            r[class.col("relpartbound")] = Datum::Null;
        })?;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_inh, c_local) = (attribute.col("attinhcount"), attribute.col("attislocal"));
        let attnums: Vec<i16> = child
            .info
            .live_columns()
            .map(|(i, _)| i as i16 + 1)
            .collect();
        for attnum in attnums {
            self.update_attribute_row(child.info.oid, attnum, |r| {
                r[c_inh] = Datum::Int4(0);
                r[c_local] = Datum::Bool(true);
            })?;
        }
        Ok(())
    }

    /// Opens the table ATTACH / DETACH names, taking `AccessExclusiveLock`.
    ///
    /// Errors: 42P01 `relation "x" does not exist`; 42809 for a relation that is not a
    /// table.
    fn open_for_partitioning(&mut self, rv: &RangeVar) -> Result<Arc<RelEntry>> {
        let oid = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?
            .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", rv.name))?;
        self.lock_relation(oid, crate::lock::LockMode::AccessExclusive)?;
        let entry = self.open_oid(oid)?;
        if !matches!(entry.info.kind, b'r' | b'p' | b'f') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a table",
                entry.info.name
            ));
        }
        Ok(entry)
    }

    fn open_oid(&self, oid: Oid) -> Result<Arc<RelEntry>> {
        self.catalog_reader().entry(oid)?.ok_or_else(|| {
            pg_err!(
                UNDEFINED_TABLE,
                "could not open relation with OID {}",
                oid.0
            )
        })
    }

    /// `rel` itself when it holds rows, else its leaf partitions.
    fn leaf_relations(&self, rel: &Arc<RelEntry>) -> Result<Vec<Arc<RelEntry>>> {
        if rel.info.kind != b'p' {
            return Ok(vec![rel.clone()]);
        }
        let mut out = Vec::new();
        for d in super::inheritance::inheritance_descendants(&self.catalog_reader(), rel.info.oid)?
        {
            let entry = self.open_oid(d)?;
            if entry.info.kind != b'p' {
                out.push(entry);
            }
        }
        Ok(out)
    }
}
