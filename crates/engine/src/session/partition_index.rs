//! Indexes of partitioned tables: an index, PRIMARY KEY or UNIQUE constraint created on
//! a partitioned table (unless `ON ONLY` / `ALTER TABLE ONLY`) gets an index partition on
//! each of its partitions (and theirs), and a partition created or attached later gets
//! one for each of its parent's, as PostgreSQL's `DefineIndex` recursion and
//! `AttachPartitionEnsureIndexes` do: a matching index the partition already has is
//! attached, else a copy is created and attached (`index_attach.rs`).
//!
//! Invariant: a unique index of a partitioned table includes every partition key column
//! (each partition then enforces uniqueness for the whole table).
//!
//! Expression and partial indexes are copied as SQL text over column names: each
//! partition analyses the text again over its own row (its columns may sit elsewhere).
//!
//! The partitioned table's own index has PostgreSQL's relkind `I`, but tusk keeps it
//! as an ordinary (empty) B-tree over its empty heap rather than without storage.
//!
//! Entry points: [`Session::check_partitioned_unique`], [`Session::index_partitions`],
//! [`Session::copy_parent_indexes`].
//! See also: `index_attach.rs` (the links between index partitions and their parents).

use tusk_catalog::syscat;
use tusk_executor::deparse::expression_text;
use tusk_sql::analyze::TypedExpr;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::constraint_ddl::IndexConstraint;
use super::index_attach::{index_shape, partition_parent};
use super::index_ddl::{IndexDefinition, TableIndex};
use super::index_expression_ddl::{
    analyze_index_expression, column_texts, index_column_names, IndexExprKind,
};
use super::inheritance::inheritance_children;
use super::partition_ddl::{partition_bound_text, partition_key};
use super::Session;
use crate::relcache::RelEntry;

/// What an index of a partitioned table is, for its copies on the partitions.
#[derive(Debug, Clone)]
pub(crate) enum PartitionIndexKind {
    /// A PRIMARY KEY (`true`) or UNIQUE constraint.
    Constraint(bool),
    /// A plain index, unique or not, with its expressions and predicate, each key
    /// column's `(descending, nulls first)` and operator class.
    Index {
        /// `UNIQUE`.
        unique: bool,
        /// Expressions and predicate.
        texts: IndexExprTexts,
        /// Sort options per key column.
        options: Vec<(bool, bool)>,
        /// Operator class per key column.
        opclasses: Vec<Option<Oid>>,
    },
}

/// The expressions and predicate of an index as SQL text over column names (empty for
/// an index on plain columns).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct IndexExprTexts {
    /// The key expressions, in key order.
    pub exprs: Vec<String>,
    /// The predicate of a partial index.
    pub predicate: Option<String>,
}

impl IndexExprTexts {
    /// The texts of `exprs` and `predicate`, analysed over `table`'s row.
    pub(crate) fn of(table: &RelEntry, exprs: &[TypedExpr], predicate: Option<&TypedExpr>) -> Self {
        let columns = column_texts(table);
        IndexExprTexts {
            exprs: exprs
                .iter()
                .map(|e| expression_text(e, &columns, false))
                .collect(),
            predicate: predicate.map(|p| expression_text(p, &columns, false)),
        }
    }
}

/// What makes index `ix` of `table` the same as an index of another table of the tree:
/// uniqueness, each key column's name or expression text, and the predicate's text.
pub(crate) fn index_signature(
    table: &RelEntry,
    ix: &TableIndex,
) -> (bool, Vec<String>, Option<String>) {
    let (exprs, predicate) = match &ix.expressions {
        Some(x) => (x.exprs(), x.predicate()),
        None => (&[][..], None),
    };
    let texts = IndexExprTexts::of(table, exprs, predicate);
    let mut next = texts.exprs.iter();
    let keys = ix
        .attnums
        .iter()
        .map(|&a| match a {
            0 => next.next().cloned().unwrap_or_default(),
            a => table
                .info
                .columns
                .get(a as usize - 1)
                .map_or_else(String::new, |c| c.name.clone()),
        })
        .collect();
    (ix.unique, keys, texts.predicate)
}

impl Session {
    /// Refuses a unique index or constraint on partitioned `table` that leaves out a
    /// partition key column (`columns` are its key columns' names).
    ///
    /// Errors: 0A000 `unique constraint on partitioned table must include all
    /// partitioning columns` with DETAIL `PRIMARY KEY constraint on table "t" lacks
    /// column "b" which is part of the partition key.` (`UNIQUE constraint`).
    pub(crate) fn check_partitioned_unique(
        &self,
        table: &RelEntry,
        columns: &[String],
        what: &str,
    ) -> Result<()> {
        let Some(key) = partition_key(&self.catalog_reader(), table)? else {
            return Ok(());
        };
        if key.attnums.contains(&0) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "unsupported {} constraint with partition key definition",
                what
            )
            .detail(format!(
                "{what} constraints cannot be used when partition keys include expressions."
            )));
        }
        if let Some(missing) = key.names.iter().find(|k| !columns.contains(k)) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "unique constraint on partitioned table must include all partitioning columns"
            )
            .detail(format!(
                "{what} constraint on table \"{}\" lacks column \"{}\" which is part of the partition key.",
                table.info.name, missing
            )));
        }
        Ok(())
    }

    /// Gives each partition of partitioned `table` an index attached to its index
    /// `parent_index` (an equivalent index the partition has, else a new one, which
    /// recurses to the partition's partitions), as PostgreSQL's `DefineIndex` does.
    ///
    /// Errors: the errors of creating each copy (23505 for duplicates in a partition).
    pub(crate) fn index_partitions(&mut self, table: &RelEntry, parent_index: Oid) -> Result<()> {
        if table.info.kind != b'p' {
            return Ok(());
        }
        let index = self
            .table_indexes(table)?
            .into_iter()
            .find(|ix| ix.oid == parent_index)
            .ok_or_else(|| tusk_types::Error::internal("partitioned index missing"))?;
        let (columns, kind) = self.partition_index_kind(table, &index)?;
        let unique = index.unique;
        // CREATE UNIQUE INDEX looks through the whole tree first (PostgreSQL names the
        // table it was run on); a constraint's index meets them level by level.
        let whole_tree = matches!(kind, PartitionIndexKind::Index { unique: true, .. });
        for child in inheritance_children(&self.catalog_reader(), table.info.oid)? {
            if partition_bound_text(&self.catalog_reader(), child)?.is_none() {
                continue;
            }
            self.lock_relation(child, crate::lock::LockMode::Share)?;
            let entry = self.reload_relation(child)?;
            let foreign_below = whole_tree && self.has_foreign_partition(child)?;
            if entry.info.kind == b'f' || foreign_below {
                // Foreign tables have no indexes: a plain index skips them.
                if unique {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "cannot create unique index on partitioned table \"{}\"",
                        table.info.name
                    )
                    .detail(format!(
                        "Table \"{}\" contains partitions that are foreign tables.",
                        table.info.name
                    )));
                }
                continue;
            }
            self.ensure_partition_index(table, &index, &entry, &columns, &kind, false)?;
        }
        Ok(())
    }

    /// Attaches to `parent` (an index of partitioned `table`) an unattached index of
    /// `partition` that matches it (`index_attach.rs` rule 3; for a constraint's index
    /// only one of a constraint; not an invalid one when `skip_invalid`, as ATTACH
    /// PARTITION chooses), else a new copy; an invalid one makes `parent` invalid.
    fn ensure_partition_index(
        &mut self,
        table: &RelEntry,
        parent: &TableIndex,
        partition: &std::sync::Arc<RelEntry>,
        columns: &[String],
        kind: &PartitionIndexKind,
        skip_invalid: bool,
    ) -> Result<()> {
        let reader = self.catalog_reader();
        let wanted = index_shape(&reader, table, parent)?;
        drop(reader);
        let constraint = matches!(kind, PartitionIndexKind::Constraint(_));
        let mut found = None;
        for ix in self.table_indexes(partition)? {
            let reader = self.catalog_reader();
            if partition_parent(&reader, ix.oid)?.is_some()
                || index_shape(&reader, partition, &ix)? != wanted
            {
                continue;
            }
            drop(reader);
            if constraint && !self.index_has_constraint(ix.oid)? {
                continue;
            }
            if skip_invalid && !self.index_is_valid(ix.oid)? {
                continue;
            }
            found = Some(ix.oid);
            break;
        }
        let child = match found {
            Some(oid) => {
                self.set_index_parent(oid, parent.oid)?;
                oid
            }
            None => {
                let created = self.index_one_partition(partition, columns, kind)?;
                self.set_created_index_parent(created, parent.oid)?;
                created
            }
        };
        if !self.index_is_valid(child)? {
            self.set_index_valid(parent.oid, false)?;
        }
        Ok(())
    }

    /// Whether `index` implements a PRIMARY KEY or UNIQUE constraint.
    fn index_has_constraint(&self, index: Oid) -> Result<bool> {
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        Ok(self
            .catalog_reader()
            .rows(constraint)?
            .matching(constraint.col("conindid"), index)
            .any(
                |r| matches!(&r[constraint.col("contype")], Datum::Text(t) if t == "p" || t == "u"),
            ))
    }

    /// The key column names (empty for expressions) and kind of index `index` of
    /// `table`, for its copies on the partitions.
    fn partition_index_kind(
        &self,
        table: &RelEntry,
        index: &TableIndex,
    ) -> Result<(Vec<String>, PartitionIndexKind)> {
        let columns: Vec<String> = index
            .attnums
            .iter()
            .map(|&a| match a {
                0 => String::new(),
                a => table
                    .info
                    .columns
                    .get(a as usize - 1)
                    .map_or_else(String::new, |c| c.name.clone()),
            })
            .collect();
        let texts = match &index.expressions {
            Some(x) => IndexExprTexts::of(table, x.exprs(), x.predicate()),
            None => IndexExprTexts::default(),
        };
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let contype = self
            .catalog_reader()
            .rows(constraint)?
            .matching(constraint.col("conindid"), index.oid)
            .map(|r| r[constraint.col("contype")].clone())
            .next();
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let opclasses = self
            .catalog_reader()
            .rows(pg_index)?
            .first_matching(pg_index.col("indexrelid"), index.oid)
            .map(|r| super::index_ddl::vector_values(&r[pg_index.col("indclass")]))
            .unwrap_or_default()
            .into_iter()
            .map(|o| Some(Oid(o as u32)))
            .collect();
        let kind = match contype {
            Some(Datum::Text(t)) if t == "p" => PartitionIndexKind::Constraint(true),
            Some(Datum::Text(t)) if t == "u" => PartitionIndexKind::Constraint(false),
            _ => PartitionIndexKind::Index {
                unique: index.unique,
                texts,
                options: index
                    .desc
                    .columns
                    .iter()
                    .map(|c| (c.descending, c.nulls_first))
                    .collect(),
                opclasses,
            },
        };
        Ok((columns, kind))
    }

    /// Whether a partition below `rel` (at any depth) is a foreign table.
    fn has_foreign_partition(&self, rel: Oid) -> Result<bool> {
        for child in inheritance_children(&self.catalog_reader(), rel)? {
            let Some(entry) = self.catalog_reader().entry(child)? else {
                continue;
            };
            if entry.info.kind == b'f' || self.has_foreign_partition(child)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Creates the copy of an index of its parent on `partition` (and its partitions);
    /// returns its OID.
    fn index_one_partition(
        &mut self,
        partition: &std::sync::Arc<RelEntry>,
        columns: &[String],
        kind: &PartitionIndexKind,
    ) -> Result<Oid> {
        match kind {
            PartitionIndexKind::Constraint(primary) => {
                let mut taken = Vec::new();
                self.add_index_constraint(
                    partition,
                    IndexConstraint {
                        name: None,
                        columns,
                        primary: *primary,
                        recurse: true,
                        options: &[],
                    },
                    &mut taken,
                )
            }
            PartitionIndexKind::Index {
                unique,
                texts,
                options,
                opclasses,
            } => {
                if *unique {
                    self.check_partitioned_unique(partition, columns, "UNIQUE")?;
                }
                let (expressions, predicate, raws) = {
                    let reader = self.catalog_reader();
                    let analyze = |text: &str, what| -> Result<(TypedExpr, tusk_sql::ast::Expr)> {
                        let raw = tusk_sql::parse_expr(text)?;
                        let typed =
                            analyze_index_expression(&reader, &self.output, partition, &raw, what)?;
                        Ok((typed, raw))
                    };
                    let mut expressions = Vec::with_capacity(texts.exprs.len());
                    let mut raws = Vec::with_capacity(texts.exprs.len());
                    for text in &texts.exprs {
                        let (typed, raw) = analyze(text, IndexExprKind::Column)?;
                        expressions.push(typed);
                        raws.push(raw);
                    }
                    let predicate = match &texts.predicate {
                        Some(p) => Some(analyze(p, IndexExprKind::Predicate)?.0),
                        None => None,
                    };
                    (expressions, predicate, raws)
                };
                let mut attnums = Vec::with_capacity(columns.len());
                let mut elems: Vec<(String, Option<&tusk_sql::ast::Expr>)> = Vec::new();
                let mut next_raw = raws.iter();
                for name in columns {
                    if name.is_empty() {
                        attnums.push((0, false, false));
                        elems.push((String::new(), next_raw.next()));
                        continue;
                    }
                    let Some((i, _)) = partition.info.live_columns().find(|(_, c)| c.name == *name)
                    else {
                        return Err(tusk_types::Error::internal(format!(
                            "column \"{name}\" missing from partition"
                        )));
                    };
                    attnums.push((i as i16 + 1, false, false));
                    elems.push((name.clone(), None));
                }
                let chosen = index_column_names(&elems);
                let name = self.choose_index_name(
                    partition.namespace_oid,
                    &partition.info.name,
                    &chosen,
                    "idx",
                    &[],
                )?;
                let attribute_names = if expressions.is_empty() {
                    Vec::new()
                } else {
                    chosen
                };
                for (attnum, &(descending, nulls_first)) in attnums.iter_mut().zip(options) {
                    (attnum.1, attnum.2) = (descending, nulls_first);
                }
                let index = self.define_index(
                    partition,
                    IndexDefinition {
                        name,
                        columns: attnums,
                        unique: *unique,
                        primary: false,
                        constraint: None,
                        opclasses: opclasses.clone(),
                        expressions,
                        predicate,
                        attribute_names,
                        reloptions: Vec::new(),
                    },
                )?;
                self.txn.command_counter_increment();
                let entry = self.reload_relation(partition.info.oid)?;
                self.index_partitions(&entry, index)?;
                Ok(index)
            }
        }
    }

    /// Gives new partition `child` a copy of each index of its parent `parent`.
    ///
    /// Errors: catalog errors; the errors of creating each copy.
    pub(crate) fn copy_parent_indexes(&mut self, parent: Oid, child: Oid) -> Result<()> {
        let parent_entry = self.reload_relation(parent)?;
        if self.reload_relation(child)?.info.kind == b'f' {
            // A foreign partition gets no copies; unique ones it cannot have.
            if self
                .table_indexes(&parent_entry)?
                .iter()
                .any(|ix| ix.unique)
            {
                let child_name = self.reload_relation(child)?.info.name.clone();
                let parent_name = &parent_entry.info.name;
                return Err(if self.creating_foreign_table {
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "cannot create foreign partition of partitioned table \"{}\"",
                        parent_name
                    )
                    .detail(format!(
                        "Table \"{parent_name}\" contains indexes that are unique."
                    ))
                } else {
                    pg_err!(
                        WRONG_OBJECT_TYPE,
                        "cannot attach foreign table \"{}\" as partition of partitioned table \"{}\"",
                        child_name,
                        parent_name
                    )
                    .detail(format!(
                        "Partitioned table \"{parent_name}\" contains unique indexes."
                    ))
                });
            }
            return Ok(());
        }
        for index in self.table_indexes(&parent_entry)? {
            self.txn.command_counter_increment();
            let entry = self.reload_relation(child)?;
            let (columns, kind) = self.partition_index_kind(&parent_entry, &index)?;
            self.ensure_partition_index(&parent_entry, &index, &entry, &columns, &kind, true)?;
        }
        Ok(())
    }
}
