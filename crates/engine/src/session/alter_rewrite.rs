//! Table rewrites of ALTER TABLE (PostgreSQL's `ATRewriteTable`): every row a fresh
//! snapshot sees is read with the old descriptor, its new values computed, and written
//! with the transaction's xid into a new relfilenode; `pg_class.relfilenode` then points
//! at it and each index is rebuilt into a new file of its own.
//!
//! Invariants: the table is held ACCESS EXCLUSIVE, so no other transaction reads or writes
//! it meanwhile; the new files are created with a WAL record ahead of them and removed if
//! the transaction aborts, the old files are removed after it commits (as TRUNCATE does).
//! Rows are computed in full before the first is written (the evaluation context borrows
//! the session), so a rewrite holds the table's live rows in memory once.
//!
//! Also here: ALTER COLUMN TYPE, CHECK validation of existing rows.
//!
//! Entry points: `Session::rewrite_table`, `Session::at_alter_type`,
//! `Session::validate_check_rows`.

use std::sync::Arc;

use tusk_access::nbtree::{build_duplicate_error, BTreeIndex, BuildOutcome};
use tusk_access::{HeapRelation, HEAP_DEFAULT_FILLFACTOR};
use tusk_catalog::syscat;
use tusk_executor::ExprEvaluator;
use tusk_sql::analyze::{Analyzer, CoercionContext, Scope, ScopeColumn, TypedExpr};
use tusk_types::{pg_err, Datum, Error, Oid, Result, SqlState};

use super::lookup::SessionLookup;
use super::Session;
use crate::heap::{HeapScanIter, HeapWriter, ReadView};
use crate::relcache::RelEntry;

/// Where a rewritten row's attribute comes from.
pub(crate) enum NewValue {
    /// The old row's attribute at this index, unchanged.
    Old(usize),
    /// An expression over the old row.
    Expr(TypedExpr),
}

/// `table`'s attributes as a scope (dropped ones keep their slot under a name no
/// reference matches), qualified by the table's name.
pub(crate) fn table_scope(table: &RelEntry) -> Scope {
    Scope::single(
        Some(table.info.name.clone()),
        table
            .info
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let shown = if c.dropped {
                    String::new()
                } else {
                    c.name.clone()
                };
                ScopeColumn::slot(shown, i, c.type_oid, c.typmod)
            })
            .collect(),
    )
}

impl Session {
    /// Every row of `table` a fresh snapshot sees (the transaction's own changes
    /// included), read with `table`'s descriptor.
    pub(crate) fn live_rows(&self, table: &RelEntry) -> Result<Vec<Vec<Datum>>> {
        if table.info.kind == b'f' {
            // A foreign table's rows are its wrapper's: ALTER never reads them.
            return Ok(Vec::new());
        }
        let services = &self.db.cluster.xact;
        let view = ReadView {
            snapshot: self.txn.catalog_snapshot(services),
            xids: self.txn.current_xids(services),
            curcid: self.txn.cid,
        };
        HeapScanIter::new(
            table.heap.clone(),
            table.attrs.clone(),
            view,
            services.clog.clone(),
        )?
        .map(|r| r.map(|(_, values)| values))
        .collect()
    }

    /// Evaluates `exprs` (over one input row each) for every row of `rows`.
    fn evaluate_rows(
        &mut self,
        rows: &[Vec<Datum>],
        exprs: &[&TypedExpr],
    ) -> Result<Vec<Vec<Datum>>> {
        let compiled: Vec<ExprEvaluator> = exprs
            .iter()
            .map(|e| ExprEvaluator::compile(e))
            .collect::<Result<_>>()?;
        self.with_eval_context(&[], |ctx| {
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                ctx.session.check_interrupts()?;
                out.push(
                    compiled
                        .iter()
                        .map(|c| c.eval(ctx, row))
                        .collect::<Result<Vec<_>>>()?,
                );
            }
            Ok(out)
        })
    }

    /// Rewrites `old` (the table as it was before this ALTER's catalog changes) into a
    /// new relfilenode: each new row's attribute `i` is `values[i]` over the old row; the
    /// catalogs must already describe the new layout. Indexes are rebuilt afterwards.
    ///
    /// Errors: expression errors (such as 22P02 from a USING cast); 23505 when rebuilt
    /// unique indexes find duplicates; I/O errors.
    pub(crate) fn rewrite_table(&mut self, old: &RelEntry, values: Vec<NewValue>) -> Result<()> {
        if old.info.kind == b'f' {
            // No storage to rewrite: the catalogs alone describe a foreign table.
            return Ok(());
        }
        let rows = self.live_rows(old)?;
        let exprs: Vec<&TypedExpr> = values
            .iter()
            .filter_map(|v| match v {
                NewValue::Expr(e) => Some(e),
                NewValue::Old(_) => None,
            })
            .collect();
        let computed = self.evaluate_rows(&rows, &exprs)?;
        let new_rows: Vec<Vec<Datum>> = rows
            .into_iter()
            .zip(computed)
            .map(|(row, computed)| {
                let mut computed = computed.into_iter();
                values
                    .iter()
                    .map(|v| match v {
                        NewValue::Old(i) => row.get(*i).cloned().unwrap_or(Datum::Null),
                        NewValue::Expr(_) => computed.next().unwrap_or(Datum::Null),
                    })
                    .collect()
            })
            .collect();
        self.txn.command_counter_increment();
        self.replace_relation_rows(old.info.oid, &new_rows)
    }

    /// Gives relation `rel` a new relfilenode (and new TOAST files) holding exactly
    /// `rows`, written with the transaction's xid, then rebuilds its indexes; the old
    /// files go at commit, the new ones if the transaction aborts (rewrites and REFRESH
    /// MATERIALIZED VIEW). The caller holds ACCESS EXCLUSIVE on `rel`.
    ///
    /// Errors: 23505 when rebuilt unique indexes find duplicates; I/O errors.
    pub(crate) fn replace_relation_rows(&mut self, rel: Oid, rows: &[Vec<Datum>]) -> Result<()> {
        let table = self.reload_relation(rel)?;
        let cluster = self.db.cluster.clone();
        let (new_node, locator) = self.new_relation_file()?;
        // Rows are toasted afresh into new TOAST files; the old ones go at commit.
        let toast = self.begin_toast_rewrite(&table)?;
        {
            let mut heap =
                HeapRelation::new(cluster.pool.clone(), locator, HEAP_DEFAULT_FILLFACTOR);
            if let Some((toast, _)) = &toast {
                heap = heap.with_toast(toast.clone());
            }
            let services = &cluster.xact;
            let xid = self.txn.writing_xid(services)?;
            let own = self.txn.current_xids(services);
            let signals = self.signals.clone();
            let deadline = self.statement_deadline;
            let check = move || super::interrupts::check_signals(&signals, deadline);
            let writer = HeapWriter {
                pool: &cluster.pool,
                checkpointer: &cluster.checkpointer,
                services,
                xid,
                cid: self.txn.cid,
                own_xids: &own,
                isolation: self.txn.isolation,
                backend: self.txn.backend,
                deadlock_timeout: std::time::Duration::from_secs(1),
                check_interrupts: &check,
            };
            for row in rows {
                writer.insert(&heap, &table.attrs, row)?;
            }
        }
        self.set_relation_file(rel, new_node, table.locator, Some((0, -1.0)))?;
        if let Some((_, rewrite)) = toast {
            self.finish_toast_rewrite(rewrite)?;
        }
        self.txn.command_counter_increment();
        let table = self.reload_relation(rel)?;
        self.rebuild_table_indexes(&table)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Builds every index of `table` afresh into a new relfilenode from the table's rows
    /// (REINDEX after a rewrite); the old files go at commit.
    ///
    /// Errors: 23505 `could not create unique index` on duplicates; I/O errors.
    pub(crate) fn rebuild_table_indexes(&mut self, table: &Arc<RelEntry>) -> Result<()> {
        for index in self.table_indexes(table)? {
            self.rebuild_index(table, &index)?;
        }
        Ok(())
    }

    /// Builds index `index` of `table` afresh into a new relfilenode from the table's
    /// rows (REINDEX); the old file goes at commit.
    ///
    /// Errors: 23505 `could not create unique index` on duplicates; I/O errors.
    pub(crate) fn rebuild_index(
        &mut self,
        table: &Arc<RelEntry>,
        index: &super::index_ddl::TableIndex,
    ) -> Result<()> {
        let cluster = self.db.cluster.clone();
        {
            let index = index.clone();
            let (new_node, locator) = self.new_relation_file()?;
            let columns: Vec<(i16, bool, bool)> = index
                .attnums
                .iter()
                .zip(&index.desc.columns)
                .map(|(&a, c)| (a, c.descending, c.nulls_first))
                .collect();
            let entries =
                self.index_entries_computed(table, &columns, index.expressions.as_deref())?;
            let built = BTreeIndex::new(cluster.pool.clone(), locator, index.desc.clone())?;
            if let BuildOutcome::Duplicate { key } =
                built.build(&cluster.checkpointer, entries, index.unique)?
            {
                let cols: Vec<&str> = index.desc.columns.iter().map(|c| c.name.as_str()).collect();
                let mut texts = Vec::with_capacity(key.len());
                for (v, c) in key.iter().zip(&index.desc.columns) {
                    texts.push(if v.is_null() {
                        None
                    } else {
                        Some(tusk_executor::io::text_out_string(
                            v,
                            c.type_oid,
                            &self.output,
                        )?)
                    });
                }
                let texts: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
                return Err(build_duplicate_error(&index.desc.name, &cols, &texts));
            }
            self.set_relation_file(index.oid, new_node, index.locator, None)?;
        }
        Ok(())
    }

    /// Checks every existing row of `table` against CHECK expression `check` (NULL
    /// passes, as in PostgreSQL).
    ///
    /// Errors: 23514 `check constraint "c" of relation "t" is violated by some row`.
    pub(crate) fn validate_check_rows(
        &mut self,
        table: &RelEntry,
        name: &str,
        check: &TypedExpr,
    ) -> Result<()> {
        let rows = self.live_rows(table)?;
        let results = self.evaluate_rows(&rows, &[check])?;
        if results
            .iter()
            .any(|r| r.first() == Some(&Datum::Bool(false)))
        {
            return Err(pg_err!(
                CHECK_VIOLATION,
                "check constraint \"{}\" of relation \"{}\" is violated by some row",
                name,
                table.info.name
            ));
        }
        Ok(())
    }

    /// `ALTER [COLUMN] c [SET DATA] TYPE t [USING e]`: every row is converted (by the
    /// assignment cast, or `e` over the old row) into a new relfilenode, indexes are
    /// rebuilt with the new type, and the column's default is cast to it.
    ///
    /// Errors: 42703, 428C9; 42804 `column "c" cannot be cast automatically to type t`
    /// with the HINT `You might need to specify "USING c::t".`, or `result of USING clause
    /// for column "c" cannot be cast automatically to type t`; 42804 `default for column
    /// "c" cannot be cast automatically to type t`; conversion errors of the rows; 0A000
    /// for a type the heap cannot store.
    pub(crate) fn at_alter_type(
        &mut self,
        table: &Arc<RelEntry>,
        column: &str,
        type_name: &tusk_sql::ast::TypeName,
        using: Option<&(tusk_sql::ast::Expr, String)>,
        sql: &str,
    ) -> Result<()> {
        let attnum = self.alter_column_attnum(table, column)?;
        let index = attnum as usize - 1;
        let old_column = table.info.columns[index].clone();
        let key = super::partition_ddl::partition_key(&self.catalog_reader(), table)?;
        if key.is_some_and(|k| k.attnums.contains(&attnum)) {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot alter column \"{}\" because it is part of the partition key of relation \"{}\"",
                column,
                table.info.name
            ));
        }
        if let Some(&dependent) = self.generated_dependents(table, index)?.first() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot alter type of a column used by a generated column"
            )
            .detail(format!(
                "Column \"{}\" is used by generated column \"{}\".",
                column, table.info.columns[dependent].name
            )));
        }
        if old_column.generated && using.is_some() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "cannot specify USING when altering type of generated column"
            )
            .detail(format!("Column \"{column}\" is a generated column.")));
        }
        let (converted, type_oid, typmod) = {
            let reader = self.catalog_reader();
            let lookup = SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            let mut analyzer = Analyzer::new(&lookup, sql, Vec::new());
            // PostgreSQL reports type-name errors here without a position.
            let (type_oid, typmod) = analyzer.resolve_type_name(type_name).map_err(|e| Error {
                position: None,
                ..e
            })?;
            if !tusk_access::row::type_is_storable(type_oid) {
                return Err(Error::feature_not_supported(format!(
                    "columns of type {}",
                    tusk_executor::io::format_type(type_oid)
                )));
            }
            let shown_type = tusk_executor::builtins::format_type_with_typmod(type_oid, typmod);
            let scope = table_scope(table);
            let source = match (using, &old_column.default) {
                (Some((expr, _)), _) => analyzer.analyze_expr(expr, &scope)?,
                // A generated column is computed again in its new type.
                (None, Some(text)) if old_column.generated => {
                    let parsed = tusk_sql::parse_expr(text)?;
                    Analyzer::new(&lookup, "", Vec::new()).analyze_expr(&parsed, &scope)?
                }
                (None, _) => TypedExpr::Column {
                    index,
                    type_oid: old_column.type_oid,
                    typmod: old_column.typmod,
                    location: usize::MAX,
                },
            };
            let converted = analyzer
                .coerce(
                    source,
                    type_oid,
                    typmod,
                    CoercionContext::Assignment,
                    usize::MAX,
                )
                .map_err(|e| {
                    if e.code != SqlState::CANNOT_COERCE && e.code != SqlState::DATATYPE_MISMATCH
                    {
                        return e;
                    }
                    if using.is_some() {
                        pg_err!(
                            DATATYPE_MISMATCH,
                            "result of USING clause for column \"{}\" cannot be cast automatically to type {}",
                            column,
                            shown_type
                        )
                        .hint("You might need to add an explicit cast.")
                    } else {
                        pg_err!(
                            DATATYPE_MISMATCH,
                            "column \"{}\" cannot be cast automatically to type {}",
                            column,
                            shown_type
                        )
                        .hint(format!(
                            "You might need to specify \"USING {}::{}\".",
                            tusk_sql::quote_identifier(column),
                            shown_type
                        ))
                    }
                })?;
            // The default must convert too (PostgreSQL re-cooks it for the new type).
            if let Some(text) = old_column
                .default
                .as_ref()
                .filter(|_| !old_column.generated)
            {
                let parsed = tusk_sql::parse_expr(text)?;
                let mut inner = Analyzer::new(&lookup, "", Vec::new());
                let typed = inner.analyze_expr(&parsed, &Scope::default())?;
                inner
                    .coerce(
                        typed,
                        type_oid,
                        typmod,
                        CoercionContext::Assignment,
                        usize::MAX,
                    )
                    .map_err(|_| {
                        pg_err!(
                            DATATYPE_MISMATCH,
                            "default for column \"{}\" cannot be cast automatically to type {}",
                            column,
                            shown_type
                        )
                    })?;
            }
            (converted, type_oid, typmod)
        };
        let rel = table.info.oid;
        // The attribute's new type: pg_type's length, alignment, storage and collation.
        let fresh = crate::catalog_bootstrap::attribute_row(
            rel,
            attnum,
            column,
            type_oid,
            typmod,
            old_column.not_null,
        )
        .into_values();
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let copied: Vec<usize> = [
            "atttypid",
            "attlen",
            "atttypmod",
            "attbyval",
            "attalign",
            "attstorage",
            "attcollation",
            "attndims",
        ]
        .iter()
        .map(|n| attribute.col(n))
        .collect();
        let fresh_values = fresh.clone();
        self.update_attribute_row(rel, attnum, |r| {
            for &c in &copied {
                r[c] = fresh_values[c].clone();
            }
        })?;
        // Index attributes on the column take the new type too, with its default
        // operator class and collation.
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let (c_indexrelid, c_class, c_coll) = (
            pg_index.col("indexrelid"),
            pg_index.col("indclass"),
            pg_index.col("indcollation"),
        );
        for ix in self.table_indexes(table)? {
            let positions: Vec<usize> = ix
                .attnums
                .iter()
                .enumerate()
                .filter(|(_, &a)| a == attnum)
                .map(|(i, _)| i)
                .collect();
            if !positions.is_empty() {
                let set = |d: &mut Datum, value: Oid| {
                    if let Datum::Array(a) = d {
                        for &i in &positions {
                            if let Some(e) = a.elems.get_mut(i) {
                                *e = Datum::Oid(value.0);
                            }
                        }
                    }
                };
                self.update_catalog_row(
                    pg_index,
                    |r| r[c_indexrelid] == Datum::Oid(ix.oid.0),
                    |r| {
                        set(
                            &mut r[c_class],
                            super::index_ddl::default_btree_opclass(type_oid),
                        );
                        set(&mut r[c_coll], super::index_ddl::column_collation(type_oid));
                    },
                )?;
                self.txn.command_counter_increment();
            }
            for (i, _) in ix.attnums.iter().enumerate().filter(|(_, &a)| a == attnum) {
                let fresh_values = fresh.clone();
                let copied = copied.clone();
                self.update_attribute_row(ix.oid, i as i16 + 1, |r| {
                    for &c in &copied {
                        r[c] = fresh_values[c].clone();
                    }
                })?;
            }
        }
        self.txn.command_counter_increment();
        let values: Vec<NewValue> = (0..table.info.columns.len())
            .map(|i| {
                if i == index {
                    NewValue::Expr(converted.clone())
                } else {
                    NewValue::Old(i)
                }
            })
            .collect();
        self.rewrite_table(table, values)?;
        // The CHECK constraints must still hold for the converted values.
        let entry = self.reload_relation(rel)?;
        for c in self
            .table_constraints(rel)?
            .into_iter()
            .filter(|c| c.kind == b'c' && c.validated)
        {
            let typed = {
                let reader = self.catalog_reader();
                let lookup = SessionLookup {
                    builtin: tusk_executor::BuiltinLookup {
                        settings: &self.output,
                    },
                    catalog: &reader,
                };
                let parsed = tusk_sql::parse_expr(&c.expr)?;
                let mut analyzer = Analyzer::new(&lookup, "", Vec::new());
                analyzer
                    .analyze_expr(&parsed, &table_scope(&entry))
                    .and_then(|typed| analyzer.coerce_to_boolean(typed, "CHECK", usize::MAX))
                    // A stored expression's errors point at no statement text.
                    .map_err(|e| Error {
                        position: None,
                        ..e
                    })?
            };
            self.validate_check_rows(&entry, &c.name, &typed)?;
        }
        // NOT NULL still holds: a conversion cannot make a non-NULL value NULL, except
        // through USING, which PostgreSQL checks during the rewrite.
        if old_column.not_null {
            let rows = self.live_rows(&entry)?;
            if rows.iter().any(|r| r.get(index).is_none_or(Datum::is_null)) {
                return Err(pg_err!(
                    NOT_NULL_VIOLATION,
                    "column \"{}\" of relation \"{}\" contains null values",
                    column,
                    entry.info.name
                ));
            }
        }
        Ok(())
    }
}
