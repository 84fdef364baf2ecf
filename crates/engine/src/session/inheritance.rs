//! Table inheritance in the catalogs (PostgreSQL's `pg_inherits.c` and the inheritance
//! parts of `MergeAttributes`): a child's `pg_inherits` rows name its parents in order
//! (`inhseqno` from 1); the child has every parent column (matched by name, same type),
//! its parents' NOT NULL markings, defaults and CHECK constraints.
//!
//! Invariants: a child column inherited from `n` parents has `attinhcount = n`, and
//! `attislocal` only if the CREATE TABLE also defined it; an inherited CHECK constraint
//! has `conislocal = false`, `coninhcount = 1`. Scans of a parent read its descendants
//! (`tusk_sql::analyze` expands them through
//! [`tusk_sql::analyze::CatalogLookup::inheritance_descendants`]); dropping a parent
//! reports its children as dependents (2BP01 without CASCADE).
//!
//! ALTER TABLE: ADD COLUMN on a parent recurses to its children; dropping, retyping or
//! renaming an inherited column is refused (42P16), and so is changing a parent's column
//! that would need to recurse (0A000).
//!
//! Entry points: [`inheritance_children`], [`inheritance_descendants`],
//! [`Session::inherited_definition`], [`Session::insert_inheritance_rows`],
//! [`Session::remove_inheritance_rows`].

use std::collections::HashSet;
use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow, SysCatalog};
use tusk_sql::analyze::CheckInfo;
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{AlterTableCmd, ColumnDef, TableConstraint};
use tusk_types::{pg_err, Datum, Oid, Result};

use super::ddl::NewColumn;
use super::Session;
use crate::relcache::{CatalogReader, RelEntry};
use crate::sink::{NoticeSeverity, Sink};

fn pg_inherits() -> &'static SysCatalog {
    syscat::system_catalog_by_name("pg_inherits").expect("pg_inherits is a system catalog")
}

/// The direct inheritance children of `parent` (`pg_inherits.inhparent = parent`), in
/// OID order.
///
/// Errors: catalog read errors.
pub(crate) fn inheritance_children(reader: &CatalogReader<'_>, parent: Oid) -> Result<Vec<Oid>> {
    let catalog = pg_inherits();
    let (c_child, c_parent) = (catalog.col("inhrelid"), catalog.col("inhparent"));
    let rows = reader.rows(catalog)?;
    let mut children: Vec<Oid> = rows
        .matching(c_parent, parent)
        .filter_map(|r| match r[c_child] {
            Datum::Oid(o) => Some(Oid(o)),
            _ => None,
        })
        .collect();
    children.sort_by_key(|c| c.0);
    children.dedup();
    Ok(children)
}

/// All descendants of `parent`, each once: breadth first, each relation's children in
/// OID order (PostgreSQL's `find_all_inheritors`), `parent` itself excluded.
///
/// Errors: catalog read errors.
pub(crate) fn inheritance_descendants(reader: &CatalogReader<'_>, parent: Oid) -> Result<Vec<Oid>> {
    let mut seen: HashSet<Oid> = HashSet::from([parent]);
    let mut found = Vec::new();
    let mut next = 0;
    let mut frontier = vec![parent];
    while next < frontier.len() {
        for child in inheritance_children(reader, frontier[next])? {
            if seen.insert(child) {
                found.push(child);
                frontier.push(child);
            }
        }
        next += 1;
    }
    Ok(found)
}

/// A column's `(attinhcount, attislocal)`.
pub(super) type InheritanceMark = (i32, bool);

/// One column a new child table gets from its parents.
pub(crate) struct InheritedColumn {
    /// `attname`.
    pub name: String,
    /// `atttypid`.
    pub type_oid: Oid,
    /// `atttypmod`.
    pub typmod: i32,
    /// NOT NULL in any parent.
    pub not_null: bool,
    /// The first parent's default (SQL text); a generated column's expression.
    pub default: Option<String>,
    /// A stored generated column in the parents.
    pub generated: bool,
    /// Parents that have it (`attinhcount`).
    pub inhcount: i32,
}

/// What `CREATE TABLE ... INHERITS` takes from the parents.
pub(crate) struct InheritedDefinition {
    /// The parents, in the order written.
    pub parents: Vec<Arc<RelEntry>>,
    /// Their columns merged by name, in order of first appearance.
    pub columns: Vec<InheritedColumn>,
    /// Their CHECK constraints, each name once.
    pub checks: Vec<CheckInfo>,
}

/// The default a child inherits for `column`: its stored default; an identity column's
/// value comes from its own sequence and is not inherited, as in PostgreSQL.
fn inherited_default(column: &tusk_sql::analyze::ColumnInfo) -> Option<String> {
    if column.identity != 0 {
        return None;
    }
    column.default.clone()
}

impl Session {
    /// Opens the parents of `CREATE TABLE ... INHERITS (parents)` (taking
    /// `ShareUpdateExclusiveLock` on each, as PostgreSQL does) and merges their columns.
    ///
    /// Errors: 42P01 for a missing parent; 42809 `inherited relation "v" is not a table or
    /// foreign table`, `cannot inherit from partitioned table "p"`, `cannot inherit from
    /// temporary relation "t"` (a permanent child); 42P07 `relation "p" would be inherited
    /// from more than once`; 42804 `inherited column "a" has a type conflict` with DETAIL
    /// `integer versus text`. A column in several parents gives NOTICE `merging multiple
    /// inherited definitions of column "a"`.
    pub(crate) fn inherited_definition(
        &self,
        parents: &[RangeVar],
        child_persistence: u8,
        partition_of: bool,
        sink: &mut dyn Sink,
    ) -> Result<InheritedDefinition> {
        let mut definition = InheritedDefinition {
            parents: Vec::new(),
            columns: Vec::new(),
            checks: Vec::new(),
        };
        for rv in parents {
            let entry = {
                let reader = self.catalog_reader();
                let oid = reader.resolve(rv.schema.as_deref(), &rv.name)?;
                match oid {
                    Some(oid) => reader.entry(oid)?,
                    None => None,
                }
            };
            let Some(entry) = entry else {
                let name = match &rv.schema {
                    Some(s) => format!("{s}.{}", rv.name),
                    None => rv.name.clone(),
                };
                return Err(pg_err!(
                    UNDEFINED_TABLE,
                    "relation \"{}\" does not exist",
                    name
                ));
            };
            self.lock_relation(entry.info.oid, crate::lock::LockMode::ShareUpdateExclusive)?;
            let name = &entry.info.name;
            match entry.info.kind {
                b'p' if partition_of => {}
                _ if partition_of => {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "\"{}\" is not partitioned",
                        name
                    ))
                }
                b'r' | b'f' => {}
                b'p' => {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "cannot inherit from partitioned table \"{}\"",
                        name
                    ))
                }
                _ => {
                    return Err(pg_err!(
                        WRONG_OBJECT_TYPE,
                        "inherited relation \"{}\" is not a table or foreign table",
                        name
                    ))
                }
            }
            if partition_of && entry.persistence == b't' && child_persistence != b't' {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "cannot create a permanent relation as partition of temporary relation \"{}\"",
                    name
                ));
            }
            if partition_of && entry.persistence != b't' && child_persistence == b't' {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "cannot create a temporary relation as partition of permanent relation \"{}\"",
                    name
                ));
            }
            if entry.persistence == b't' && child_persistence != b't' {
                return Err(pg_err!(
                    WRONG_OBJECT_TYPE,
                    "cannot inherit from temporary relation \"{}\"",
                    name
                ));
            }
            if definition
                .parents
                .iter()
                .any(|p| p.info.oid == entry.info.oid)
            {
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" would be inherited from more than once",
                    name
                ));
            }
            for (_, c) in entry.info.live_columns() {
                match definition.columns.iter_mut().find(|x| x.name == c.name) {
                    Some(existing) => {
                        sink.notice(
                            NoticeSeverity::Notice,
                            &pg_err!(
                                SUCCESSFUL_COMPLETION,
                                "merging multiple inherited definitions of column \"{}\"",
                                c.name
                            ),
                        );
                        if existing.type_oid != c.type_oid || existing.typmod != c.typmod {
                            return Err(pg_err!(
                                DATATYPE_MISMATCH,
                                "inherited column \"{}\" has a type conflict",
                                c.name
                            )
                            .detail(format!(
                                "{} versus {}",
                                self.format_type(existing.type_oid),
                                self.format_type(c.type_oid)
                            )));
                        }
                        if existing.generated != c.generated {
                            return Err(pg_err!(
                                DATATYPE_MISMATCH,
                                "inherited column \"{}\" has a generation conflict",
                                c.name
                            ));
                        }
                        if c.generated && existing.default != c.default {
                            return Err(pg_err!(
                                INVALID_COLUMN_DEFINITION,
                                "column \"{}\" inherits conflicting generation expressions",
                                c.name
                            ));
                        }
                        existing.not_null |= c.not_null;
                        existing.inhcount += 1;
                        if existing.default.is_none() {
                            existing.default = inherited_default(c);
                        }
                    }
                    None => definition.columns.push(InheritedColumn {
                        name: c.name.clone(),
                        type_oid: c.type_oid,
                        typmod: c.typmod,
                        not_null: c.not_null,
                        default: inherited_default(c),
                        generated: c.generated,
                        inhcount: 1,
                    }),
                }
            }
            for check in &entry.info.checks {
                if !definition.checks.iter().any(|c| c.name == check.name) {
                    definition.checks.push(check.clone());
                }
            }
            definition.parents.push(entry);
        }
        Ok(definition)
    }

    /// The columns of a new child table: the inherited ones first (in order), each merged
    /// with a local definition of the same name (NOTICE `merging column "a" with inherited
    /// definition`; NOT NULL if either is, the local default if any), then the local
    /// ones. Also gives each column's `(attinhcount, attislocal)`. A partition's columns
    /// (`partition_of`) are all its parent's, given options without a NOTICE.
    ///
    /// Errors: 42804 `column "a" has a type conflict` with DETAIL `integer versus text`
    /// (inherited type first).
    pub(super) fn merge_inherited_columns(
        &self,
        definition: &InheritedDefinition,
        local: Vec<NewColumn>,
        partition_of: bool,
        sink: &mut dyn Sink,
    ) -> Result<(Vec<NewColumn>, Vec<InheritanceMark>)> {
        let mut columns: Vec<NewColumn> = definition
            .columns
            .iter()
            .map(|c| NewColumn {
                name: c.name.clone(),
                type_oid: c.type_oid,
                typmod: c.typmod,
                not_null: c.not_null,
                default: c.default.clone(),
                identity: None,
                identity_options: Box::default(),
                serial: false,
                generated: c.generated,
                generation: None,
                collation: None,
            })
            .collect();
        let mut marks: Vec<InheritanceMark> = definition
            .columns
            .iter()
            .map(|c| (c.inhcount, false))
            .collect();
        for column in local {
            let Some(i) = columns.iter().position(|c| c.name == column.name) else {
                columns.push(column);
                marks.push((0, true));
                continue;
            };
            if !partition_of {
                sink.notice(
                    NoticeSeverity::Notice,
                    &pg_err!(
                        SUCCESSFUL_COMPLETION,
                        "merging column \"{}\" with inherited definition",
                        column.name
                    ),
                );
            }
            let merged = &mut columns[i];
            if merged.type_oid != column.type_oid || merged.typmod != column.typmod {
                return Err(pg_err!(
                    DATATYPE_MISMATCH,
                    "column \"{}\" has a type conflict",
                    column.name
                )
                .detail(format!(
                    "{} versus {}",
                    self.format_type(merged.type_oid),
                    self.format_type(column.type_oid)
                )));
            }
            if merged.generated {
                let conflict = if column.generation.is_some() {
                    Some(
                        pg_err!(
                            INVALID_COLUMN_DEFINITION,
                            "child column \"{}\" specifies generation expression",
                            column.name
                        )
                        .hint("Omit the generation expression in the definition of the child table column to inherit the generation expression from the parent table."),
                    )
                } else if column.default.is_some() {
                    Some(pg_err!(
                        INVALID_COLUMN_DEFINITION,
                        "column \"{}\" inherits from generated column but specifies default",
                        column.name
                    ))
                } else if column.identity.is_some() {
                    Some(pg_err!(
                        INVALID_COLUMN_DEFINITION,
                        "column \"{}\" inherits from generated column but specifies identity",
                        column.name
                    ))
                } else {
                    None
                };
                if let Some(e) = conflict {
                    return Err(e);
                }
            } else if column.generation.is_some() {
                // A parent's plain column may be generated in the child.
                merged.generated = true;
                merged.generation = column.generation;
                merged.default = None;
            }
            merged.not_null |= column.not_null;
            if column.default.is_some() {
                merged.default = column.default;
            }
            merged.serial |= column.serial;
            marks[i].1 = !partition_of;
        }
        Ok((columns, marks))
    }

    /// Refuses ALTER TABLE subcommands that would leave a parent's columns and its
    /// children's apart: DROP COLUMN and ALTER COLUMN TYPE of an inherited column, and
    /// ALTER TABLE ONLY ... ALTER COLUMN TYPE of a parent. Without ONLY both reach the
    /// children (`alter_table.rs`).
    ///
    /// Errors: 42P16 `cannot drop inherited column "a"`, `cannot alter inherited column
    /// "a"`, `type of inherited column "a" must be changed in child tables too`,
    /// `inherited column "a" must be renamed in child tables too`.
    pub(super) fn check_inheritance_alter(
        &self,
        table: &RelEntry,
        inh: bool,
        commands: &[AlterTableCmd],
    ) -> Result<()> {
        let has_children = || -> Result<bool> {
            Ok(!inheritance_children(&self.catalog_reader(), table.info.oid)?.is_empty())
        };
        for cmd in commands {
            match cmd {
                AlterTableCmd::AddColumn { .. } => {
                    let is_partition = super::partition_ddl::partition_bound_text(
                        &self.catalog_reader(),
                        table.info.oid,
                    )?
                    .is_some();
                    if is_partition {
                        return Err(pg_err!(
                            WRONG_OBJECT_TYPE,
                            "cannot add column to a partition"
                        ));
                    }
                    // ONLY would put the children out of step.
                    if !inh && has_children()? {
                        return Err(pg_err!(
                            INVALID_TABLE_DEFINITION,
                            "column must be added to child tables too"
                        ));
                    }
                }
                AlterTableCmd::DropColumn { name, .. } => {
                    self.check_inherited_column_change(table, inh, name, "drop")?;
                    if !inh && table.info.kind == b'p' && has_children()? {
                        return Err(pg_err!(
                            INVALID_TABLE_DEFINITION,
                            "cannot drop column from only the partitioned table when partitions exist"
                        )
                        .hint("Do not specify the ONLY keyword."));
                    }
                }
                AlterTableCmd::AlterType { column, .. } => {
                    self.check_inherited_column_change(table, inh, column, "alter")?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Refuses to `verb` (drop, alter, rename) column `column` of `table` when it is
    /// inherited (PostgreSQL's 42P16 `cannot <verb> inherited column "a"`), and to alter
    /// or rename it with ONLY when the table has inheritance children (42P16); without
    /// ONLY the change reaches them.
    ///
    /// Errors: as said; catalog read errors.
    pub(super) fn check_inherited_column_change(
        &self,
        table: &RelEntry,
        inh: bool,
        column: &str,
        verb: &str,
    ) -> Result<()> {
        let reader = self.catalog_reader();
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_rel, c_name, c_inh) = (
            attribute.col("attrelid"),
            attribute.col("attname"),
            attribute.col("attinhcount"),
        );
        let inherited = reader
            .rows(attribute)?
            .matching(c_rel, table.info.oid)
            .any(|r| {
                r[c_name] == Datum::Text(column.to_string())
                    && matches!(r[c_inh], Datum::Int4(n) if n > 0)
            });
        if inherited {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot {} inherited column \"{}\"",
                verb,
                column
            ));
        }
        let has_column = table.info.live_columns().any(|(_, c)| c.name == column);
        if verb != "drop"
            && !inh
            && has_column
            && !inheritance_children(&reader, table.info.oid)?.is_empty()
        {
            return Err(if verb == "alter" {
                pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "type of inherited column \"{}\" must be changed in child tables too",
                    column
                )
            } else {
                pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "inherited column \"{}\" must be renamed in child tables too",
                    column
                )
            });
        }
        Ok(())
    }

    /// `ALTER TABLE parent ADD COLUMN` recursing to `parent`'s inheritance children (and
    /// theirs): a child without the column gets it, marked inherited (`attinhcount` 1,
    /// not local); a child with a column of that name and type counts one more parent
    /// (NOTICE `merging definition of column "a" for child "c"`). CHECK and NOT NULL
    /// go along, UNIQUE and PRIMARY KEY stay with the parent, as in PostgreSQL.
    ///
    /// Errors: 42804 `child table "c" has different type for column "a"`; the errors
    /// of adding the column.
    pub(super) fn add_column_to_children(
        &mut self,
        parent: Oid,
        column: &ColumnDef,
        constraints: &[TableConstraint],
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<()> {
        let children = inheritance_children(&self.catalog_reader(), parent)?;
        let parent_entry = self.reload_relation(parent)?;
        let Some((_, parent_column)) = parent_entry
            .info
            .live_columns()
            .find(|(_, c)| c.name == column.name)
        else {
            return Ok(());
        };
        let (type_oid, typmod) = (parent_column.type_oid, parent_column.typmod);
        let kept: Vec<TableConstraint> = constraints
            .iter()
            .filter(|c| !matches!(c, TableConstraint::Unique { .. }))
            .cloned()
            .collect();
        for child in children {
            self.lock_relation(child, crate::lock::LockMode::AccessExclusive)?;
            let entry = self.reload_relation(child)?;
            let existing = entry
                .info
                .live_columns()
                .find(|(_, c)| c.name == column.name)
                .map(|(i, c)| (i, c.type_oid, c.typmod));
            match existing {
                Some((index, t, m)) => {
                    if (t, m) != (type_oid, typmod) {
                        return Err(pg_err!(
                            DATATYPE_MISMATCH,
                            "child table \"{}\" has different type for column \"{}\"",
                            entry.info.name,
                            column.name
                        ));
                    }
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "merging definition of column \"{}\" for child \"{}\"",
                            column.name,
                            entry.info.name
                        ),
                    );
                    self.bump_attribute_inheritance(child, index as i16 + 1, false)?;
                }
                None => {
                    self.at_add_column(&entry, column, &kept, false, sql, sink)?;
                    let entry = self.reload_relation(child)?;
                    if let Some((index, _)) = entry
                        .info
                        .live_columns()
                        .find(|(_, c)| c.name == column.name)
                    {
                        self.bump_attribute_inheritance(child, index as i16 + 1, true)?;
                    }
                    self.add_column_to_children(child, column, &kept, sql, sink)?;
                }
            }
        }
        Ok(())
    }

    /// Counts one more parent for column `attnum` of `table` (`attinhcount + 1`); `fresh`
    /// marks a column just added for the parent (not local).
    fn bump_attribute_inheritance(&mut self, table: Oid, attnum: i16, fresh: bool) -> Result<()> {
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let (c_inh, c_local) = (attribute.col("attinhcount"), attribute.col("attislocal"));
        self.update_attribute_row(table, attnum, |r| {
            let count = match r[c_inh] {
                Datum::Int4(n) => n,
                _ => 0,
            };
            r[c_inh] = Datum::Int4(count + 1);
            if fresh {
                r[c_local] = Datum::Bool(false);
            }
        })
    }

    /// Writes `child`'s `pg_inherits` rows, one per parent with `inhseqno` 1, 2, ...
    ///
    /// Errors: catalog write errors.
    pub(crate) fn insert_inheritance_rows(&mut self, child: Oid, parents: &[Oid]) -> Result<()> {
        for (i, parent) in parents.iter().enumerate() {
            self.insert_catalog_row(
                CatalogRow::new(pg_inherits())
                    .set("inhrelid", Datum::Oid(child.0))
                    .set("inhparent", Datum::Oid(parent.0))
                    .set("inhseqno", Datum::Int4(i as i32 + 1))
                    .set("inhdetachpending", Datum::Bool(false)),
            )?;
            // PostgreSQL sets it with the first child and leaves it (VACUUM clears it).
            let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
            let c_subclass = class.col("relhassubclass");
            self.update_class_row(*parent, |r| r[c_subclass] = Datum::Bool(true))?;
        }
        Ok(())
    }

    /// Removes the `pg_inherits` rows naming `rel` as child or parent (it is being
    /// dropped).
    ///
    /// Errors: catalog write errors.
    pub(crate) fn remove_inheritance_rows(&mut self, rel: Oid) -> Result<()> {
        let catalog = pg_inherits();
        let (c_child, c_parent) = (catalog.col("inhrelid"), catalog.col("inhparent"));
        self.delete_catalog_rows(catalog.oid, move |r: &[Datum]| {
            r[c_child] == Datum::Oid(rel.0) || r[c_parent] == Datum::Oid(rel.0)
        })?;
        Ok(())
    }
}
