//! `ALTER TABLE child INHERIT parent` and `ALTER TABLE child NO INHERIT parent`
//! (PostgreSQL's `ATExecAddInherit` and `ATExecDropInherit`).
//!
//! Rules:
//! 1. INHERIT: neither table may be partitioned or a partition, a temporary parent
//!    needs a temporary child, a parent is inherited once and never from a descendant
//!    (circular inheritance). The child must already have every column of the parent,
//!    of the same type and typmod and NOT NULL where the parent's is, and every
//!    inheritable CHECK constraint of the parent, by name, with the same expression.
//!    Those columns and constraints count one more parent (`attinhcount`,
//!    `coninhcount`); a `pg_inherits` row with the next `inhseqno` links the tables.
//! 2. NO INHERIT: the link must exist; the columns and CHECK constraints that came from
//!    the parent count one parent fewer and become local when none is left.
//!
//! Entry points: `Session::add_inherit`, `Session::drop_inherit`.

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast::RangeVar;
use tusk_types::{pg_err, Datum, Oid, Result};

use super::inheritance::inheritance_descendants;
use super::Session;
use crate::lock::LockMode;
use crate::relcache::RelEntry;

fn int(d: &Datum) -> i32 {
    match d {
        Datum::Int4(n) => *n,
        Datum::Int2(n) => i32::from(*n),
        _ => 0,
    }
}

/// An inheritable CHECK constraint: OID, name, expression text.
type CheckRow = (Oid, String, String);

/// The attribute numbers of `child`'s columns that match `parent`'s, by name, as a new
/// inheritance child or partition must have them (PostgreSQL's
/// `MergeAttributesIntoExisting`).
///
/// Errors: 42804 `child table is missing column "x"`, `child table "c" has different
/// type for column "x"`, `column "x" in child table must be marked NOT NULL`.
pub(super) fn inherited_column_attnums(parent: &RelEntry, child: &RelEntry) -> Result<Vec<i16>> {
    let mut matched = Vec::new();
    for (_, column) in parent.info.live_columns() {
        let Some((index, mine)) = child
            .info
            .live_columns()
            .find(|(_, c)| c.name == column.name)
        else {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "child table is missing column \"{}\"",
                column.name
            ));
        };
        if (mine.type_oid, mine.typmod) != (column.type_oid, column.typmod) {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "child table \"{}\" has different type for column \"{}\"",
                child.info.name,
                column.name
            ));
        }
        if column.not_null && !mine.not_null {
            return Err(pg_err!(
                DATATYPE_MISMATCH,
                "column \"{}\" in child table must be marked NOT NULL",
                column.name
            ));
        }
        matched.push(index as i16 + 1);
    }
    Ok(matched)
}

/// For each of `parent`'s CHECK constraints (name, expression), the position in `child`
/// of the child's constraint of that name and expression (PostgreSQL's
/// `MergeConstraintsIntoExisting`).
///
/// Errors: 42804 `child table is missing constraint "k"`, `child table "c" has
/// different definition for check constraint "k"`.
pub(super) fn matching_child_checks(
    child_name: &str,
    parent: &[(String, String)],
    child: &[(String, String)],
) -> Result<Vec<usize>> {
    parent
        .iter()
        .map(|(name, expr)| {
            let Some(i) = child.iter().position(|(n, _)| n == name) else {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "child table is missing constraint \"{}\"",
                    name
                ));
            };
            if child[i].1 != *expr {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "child table \"{}\" has different definition for check constraint \"{}\"",
                    child_name,
                    name
                ));
            }
            Ok(i)
        })
        .collect()
}

impl Session {
    /// The parent a subcommand names, locked against concurrent DDL.
    ///
    /// Errors: 42P01 `relation "p" does not exist`.
    fn inheritance_parent(&mut self, rv: &RangeVar) -> Result<Arc<RelEntry>> {
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        let entry = match resolved {
            Some(oid) => self.catalog_reader().entry(oid)?,
            None => None,
        };
        let Some(entry) = entry else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                rv.name
            ));
        };
        self.lock_relation(entry.info.oid, LockMode::ShareUpdateExclusive)?;
        Ok(entry)
    }

    /// Refuses to change the inheritance of a partitioned table or a partition.
    fn check_inheritance_changeable(&self, child: &RelEntry) -> Result<()> {
        if child.info.kind == b'p' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot change inheritance of partitioned table"
            ));
        }
        if self.is_partition(child.info.oid)? {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot change inheritance of a partition"
            ));
        }
        Ok(())
    }

    /// Whether `rel` is a partition (`relispartition`).
    fn is_partition(&self, rel: Oid) -> Result<bool> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let rows = self.catalog_reader().rows(class)?;
        Ok(rows
            .first_matching(class.col("oid"), rel)
            .is_some_and(|r| r[class.col("relispartition")] == Datum::Bool(true)))
    }

    /// The inheritable CHECK constraints of `rel`.
    fn inheritable_checks(&self, rel: Oid) -> Result<Vec<CheckRow>> {
        let catalog = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let c = |n: &str| catalog.col(n);
        let text = |d: &Datum| match d {
            Datum::Text(t) => t.clone(),
            _ => String::new(),
        };
        Ok(self
            .catalog_reader()
            .scan(catalog)?
            .into_iter()
            .filter(|(_, r)| {
                r[c("conrelid")] == Datum::Oid(rel.0)
                    && r[c("contype")] == Datum::Text("c".into())
                    && r[c("connoinherit")] != Datum::Bool(true)
            })
            .map(|(_, r)| {
                let oid = match r[c("oid")] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid::INVALID,
                };
                (oid, text(&r[c("conname")]), text(&r[c("conbin")]))
            })
            .collect())
    }

    /// Adds `delta` parents to constraint `oid` (`coninhcount`); local again at zero.
    fn change_constraint_inheritance(&mut self, oid: Oid, delta: i32) -> Result<()> {
        let catalog = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        self.update_object_row(catalog, oid, move |r, c| {
            let count = (int(&r[c("coninhcount")]) + delta).max(0);
            r[c("coninhcount")] = Datum::Int4(count);
            if count == 0 {
                r[c("conislocal")] = Datum::Bool(true);
            }
        })
    }

    /// Adds `delta` parents to column `attnum` of `table` (`attinhcount`); local again
    /// at zero.
    fn change_column_inheritance(&mut self, table: Oid, attnum: i16, delta: i32) -> Result<()> {
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_inh, c_local) = (attribute.col("attinhcount"), attribute.col("attislocal"));
        self.update_attribute_row(table, attnum, move |r| {
            let count = (int(&r[c_inh]) + delta).max(0);
            r[c_inh] = Datum::Int4(count);
            if count == 0 {
                r[c_local] = Datum::Bool(true);
            }
        })
    }

    /// `ALTER TABLE child INHERIT parent` (rule 1).
    ///
    /// Errors: 42P01 for a missing parent; 42809 for partitioned tables and partitions;
    /// 42P07 `relation "p" would be inherited from more than once`, `circular
    /// inheritance not allowed`; 42809 `cannot inherit from temporary relation "p"`;
    /// 42804 `child table is missing column "x"`, `child table "c" has different type for
    /// column "x"`, `column "x" in child table must be marked NOT NULL`, `child table is
    /// missing constraint "k"`, `child table "c" has different definition for check
    /// constraint "k"`.
    pub(crate) fn add_inherit(&mut self, child: &Arc<RelEntry>, rv: &RangeVar) -> Result<()> {
        let parent = self.inheritance_parent(rv)?;
        if parent.info.kind == b'p' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot inherit from partitioned table \"{}\"",
                parent.info.name
            ));
        }
        if self.is_partition(parent.info.oid)? {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot inherit from a partition"
            ));
        }
        self.check_inheritance_changeable(child)?;
        if parent.persistence == b't' && child.persistence != b't' {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "cannot inherit from temporary relation \"{}\"",
                parent.info.name
            ));
        }
        let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let (c_child, c_parent, c_seq) = (
            inherits.col("inhrelid"),
            inherits.col("inhparent"),
            inherits.col("inhseqno"),
        );
        let links: Vec<(Oid, i32)> = self
            .catalog_reader()
            .scan(inherits)?
            .into_iter()
            .filter(|(_, r)| r[c_child] == Datum::Oid(child.info.oid.0))
            .map(|(_, r)| {
                let parent = match r[c_parent] {
                    Datum::Oid(o) => Oid(o),
                    _ => Oid::INVALID,
                };
                (parent, int(&r[c_seq]))
            })
            .collect();
        if links.iter().any(|(p, _)| *p == parent.info.oid) {
            return Err(pg_err!(
                DUPLICATE_TABLE,
                "relation \"{}\" would be inherited from more than once",
                parent.info.name
            ));
        }
        let descendants = inheritance_descendants(&self.catalog_reader(), child.info.oid)?;
        if parent.info.oid == child.info.oid || descendants.contains(&parent.info.oid) {
            return Err(
                pg_err!(DUPLICATE_TABLE, "circular inheritance not allowed").detail(format!(
                    "\"{}\" is already a child of \"{}\".",
                    parent.info.name, child.info.name
                )),
            );
        }
        let matched = inherited_column_attnums(&parent, child)?;
        // CHECK constraints (MergeConstraintsIntoExisting).
        let mine = self.inheritable_checks(child.info.oid)?;
        let theirs = self.inheritable_checks(parent.info.oid)?;
        let pairs = |rows: &[CheckRow]| -> Vec<(String, String)> {
            rows.iter()
                .map(|(_, n, e)| (n.clone(), e.clone()))
                .collect()
        };
        let constraints: Vec<Oid> =
            matching_child_checks(&child.info.name, &pairs(&theirs), &pairs(&mine))?
                .into_iter()
                .map(|i| mine[i].0)
                .collect();
        for attnum in matched {
            self.change_column_inheritance(child.info.oid, attnum, 1)?;
        }
        for oid in constraints {
            self.change_constraint_inheritance(oid, 1)?;
        }
        let seqno = links.iter().map(|(_, s)| *s).max().unwrap_or(0) + 1;
        self.insert_catalog_row(
            CatalogRow::new(inherits)
                .set("inhrelid", Datum::Oid(child.info.oid.0))
                .set("inhparent", Datum::Oid(parent.info.oid.0))
                .set("inhseqno", Datum::Int4(seqno))
                .set("inhdetachpending", Datum::Bool(false)),
        )?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_subclass = class.col("relhassubclass");
        self.update_class_row(parent.info.oid, |r| r[c_subclass] = Datum::Bool(true))?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `ALTER TABLE child NO INHERIT parent` (rule 2).
    ///
    /// Errors: 42P01 for a missing parent and `relation "p" is not a parent of relation
    /// "c"`; 42809 for partitioned tables and partitions.
    pub(crate) fn drop_inherit(&mut self, child: &Arc<RelEntry>, rv: &RangeVar) -> Result<()> {
        let parent = self.inheritance_parent(rv)?;
        self.check_inheritance_changeable(child)?;
        let inherits = syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits");
        let (c_child, c_parent) = (inherits.col("inhrelid"), inherits.col("inhparent"));
        let (child_oid, parent_oid) = (child.info.oid, parent.info.oid);
        let linked = self
            .catalog_reader()
            .scan(inherits)?
            .into_iter()
            .any(|(_, r)| {
                r[c_child] == Datum::Oid(child_oid.0) && r[c_parent] == Datum::Oid(parent_oid.0)
            });
        if !linked {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" is not a parent of relation \"{}\"",
                parent.info.name,
                child.info.name
            ));
        }
        self.delete_catalog_rows(inherits.oid, move |r: &[Datum]| {
            r[c_child] == Datum::Oid(child_oid.0) && r[c_parent] == Datum::Oid(parent_oid.0)
        })?;
        for (_, column) in parent.info.live_columns() {
            if let Some((index, _)) = child
                .info
                .live_columns()
                .find(|(_, c)| c.name == column.name)
            {
                self.change_column_inheritance(child_oid, index as i16 + 1, -1)?;
            }
        }
        let mine = self.inheritable_checks(child_oid)?;
        for (_, name, _) in self.inheritable_checks(parent_oid)? {
            if let Some((oid, _, _)) = mine.iter().find(|(_, n, _)| *n == name) {
                self.change_constraint_inheritance(*oid, -1)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(())
    }
}
