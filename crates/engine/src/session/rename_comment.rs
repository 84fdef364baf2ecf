//! `ALTER TABLE|INDEX|SEQUENCE|VIEW ... RENAME` (PostgreSQL's `RenameRelation`,
//! `renameatt`, `RenameConstraint`) and `COMMENT ON` (`CommentObject`, rows of
//! `pg_description`).
//!
//! Rules:
//! 1. A relation's name lives only in `pg_class.relname`; an index implementing a PRIMARY
//!    KEY or UNIQUE constraint and the constraint are renamed together, whichever is named.
//! 2. tusk stores defaults and CHECK expressions as SQL text, so renaming a column rewrites
//!    the texts of its table that name it, and renaming a sequence rewrites the
//!    `nextval('name'::regclass)` defaults that name it.
//! 3. A comment is one `pg_description` row per (object, catalog, sub-id); `objsubid` is
//!    the column number for a column, 0 otherwise; NULL or '' removes it. Dropping an
//!    object removes its comments.
//!
//! Entry points: `Session::rename_statement`, `Session::comment_statement`,
//! `Session::delete_comments`.

use std::sync::Arc;

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast_ddl::{AlterObjectKind, CommentObject, CommentStmt, RenameStmt, RenameTarget};
use tusk_types::{pg_err, Datum, Error, Oid, Result};

use super::alter_table::{shown_name, SYSTEM_COLUMNS};
use super::Session;
use crate::relcache::RelEntry;
use crate::sink::Sink;

/// `relkind` an object kind names, with its noun for messages.
fn kind_of(kind: AlterObjectKind) -> Option<(u8, &'static str)> {
    match kind {
        AlterObjectKind::Table => Some((b'r', "a table")),
        AlterObjectKind::Index => Some((b'i', "an index")),
        AlterObjectKind::Sequence => Some((b'S', "a sequence")),
        AlterObjectKind::View => Some((b'v', "a view")),
        AlterObjectKind::MaterializedView => Some((b'm', "a materialized view")),
        AlterObjectKind::ForeignTable => Some((b'f', "a foreign table")),
        AlterObjectKind::Other => None,
    }
}

impl Session {
    /// `ALTER ... RENAME` (module rules 1 and 2).
    ///
    /// Errors: 42P01 (a NOTICE with IF EXISTS); 42501 `must be owner of table t`; 42809 `"x" is not a sequence` (ALTER
    /// SEQUENCE/VIEW/INDEX on another kind, as PostgreSQL checks them); 42P07 `relation
    /// "x" already exists`; 42703 `column "x" does not exist`; 42701 `column "y" of
    /// relation "t" already exists`; 0A000 `cannot rename system column "x"`; 42704
    /// `constraint "x" for table "t" does not exist`; 42710 for a taken constraint name.
    pub(crate) fn rename_statement(
        &mut self,
        stmt: &RenameStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let tag = match stmt.kind {
            AlterObjectKind::Index => "ALTER INDEX",
            AlterObjectKind::Sequence => "ALTER SEQUENCE",
            AlterObjectKind::View => "ALTER VIEW",
            AlterObjectKind::MaterializedView => "ALTER MATERIALIZED VIEW",
            AlterObjectKind::ForeignTable => "ALTER FOREIGN TABLE",
            _ => "ALTER TABLE",
        };
        self.read_only_check(tag)?;
        let Some(entry) = self.alter_target(&stmt.relation, stmt.missing_ok, sink)? else {
            return Ok(tag.into());
        };
        let shown = shown_name(&stmt.relation);
        // Only the owner renames a relation, its columns or constraints; checked before
        // the kind, as PostgreSQL's RangeVarCallbackForAlterRelation does.
        self.check_relation_owner(entry.info.oid)?;
        // ALTER TABLE and ALTER INDEX rename any relation; ALTER SEQUENCE and ALTER VIEW
        // check the kind (PostgreSQL's RangeVarCallbackForAlterRelation).
        if let (Some((kind, noun)), true) = (
            kind_of(stmt.kind),
            matches!(
                stmt.kind,
                AlterObjectKind::Sequence
                    | AlterObjectKind::View
                    | AlterObjectKind::MaterializedView
                    | AlterObjectKind::ForeignTable
            ),
        ) {
            if entry.info.kind != kind && stmt.target == RenameTarget::Relation {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not {}", shown, noun));
            }
        }
        match &stmt.target {
            RenameTarget::Relation => self.rename_relation(&entry, &stmt.new_name)?,
            RenameTarget::Column(old) => {
                self.check_inherited_column_change(&entry, stmt.relation.inh, old, "rename")?;
                self.rename_column(&entry, old, &stmt.new_name)?;
                if stmt.relation.inh {
                    // Every inheritance descendant's column is renamed with it.
                    let descendants = super::inheritance::inheritance_descendants(
                        &self.catalog_reader(),
                        entry.info.oid,
                    )?;
                    for child in descendants {
                        self.lock_relation(child, crate::lock::LockMode::AccessExclusive)?;
                        self.txn.command_counter_increment();
                        let child = self.reload_relation(child)?;
                        if child.info.live_columns().any(|(_, c)| c.name == *old) {
                            self.rename_column(&child, old, &stmt.new_name)?;
                        }
                    }
                }
            }
            RenameTarget::Constraint(old) => self.rename_constraint(&entry, old, &stmt.new_name)?,
        }
        self.txn.command_counter_increment();
        Ok(tag.into())
    }

    /// `ALTER TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE name SET SCHEMA s` (PostgreSQL's
    /// `AlterTableNamespace`): the relation, its indexes and its owned sequences move;
    /// views and materialized views naming it have their stored queries requalified.
    ///
    /// Errors: 42P01 (a NOTICE with IF EXISTS); 42809 `"x" is not a view` (and the other
    /// kinds); 42501 for a relation the user does not own; 3F000 `schema "s" does not
    /// exist`; 0A000 `cannot move objects into or out of temporary schemas`; 42P07
    /// `relation "x" already exists in schema "s"`.
    pub(crate) fn set_relation_schema(
        &mut self,
        stmt: &tusk_sql::ast_ddl::AlterRelationSchemaStmt,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        let tag = match stmt.kind {
            AlterObjectKind::Sequence => "ALTER SEQUENCE",
            AlterObjectKind::View => "ALTER VIEW",
            AlterObjectKind::MaterializedView => "ALTER MATERIALIZED VIEW",
            _ => "ALTER TABLE",
        };
        self.read_only_check(tag)?;
        let Some(entry) = self.alter_target(&stmt.relation, stmt.missing_ok, sink)? else {
            return Ok(tag.into());
        };
        let shown = shown_name(&stmt.relation);
        if let Some((kind, noun)) = kind_of(stmt.kind) {
            if stmt.kind != AlterObjectKind::Table && entry.info.kind != kind {
                return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not {}", shown, noun));
            }
        }
        self.check_relation_owner(entry.info.oid)?;
        let target = self
            .catalog_reader()
            .namespace_oid(&stmt.new_schema)?
            .ok_or_else(|| {
                pg_err!(
                    UNDEFINED_SCHEMA,
                    "schema \"{}\" does not exist",
                    stmt.new_schema
                )
            })?;
        let temp = super::temp_namespace::is_temp_namespace_name;
        if temp(&entry.info.namespace) || temp(&stmt.new_schema) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cannot move objects into or out of temporary schemas"
            ));
        }
        if target == entry.namespace_oid {
            return Ok(tag.into());
        }
        let mut moving = vec![entry.info.oid];
        for index in self.table_indexes(&entry)? {
            moving.push(index.oid);
        }
        for owned in self.owned_sequences(entry.info.oid)? {
            if !moving.contains(&owned) {
                moving.push(owned);
            }
        }
        for &rel in &moving {
            let name = match self.catalog_reader().entry(rel)? {
                Some(e) => e.info.name.clone(),
                None => continue,
            };
            if self.catalog_reader().relation_oid(target, &name)?.is_some() {
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists in schema \"{}\"",
                    name,
                    stmt.new_schema
                ));
            }
        }
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_namespace = class.col("relnamespace");
        for &rel in &moving {
            let Some(moved) = self.catalog_reader().entry(rel)? else {
                continue;
            };
            self.update_class_row(rel, |r| r[c_namespace] = Datum::Oid(target.0))?;
            if super::rowtype::has_rowtype(moved.info.kind) {
                self.move_relation_rowtype(rel, target)?;
            }
            if moved.info.kind == b'S' {
                // tusk stores defaults as text: `nextval('seq'::regclass)` names it.
                let name = moved.info.name.as_str();
                self.move_sequence_in_defaults(
                    ((moved.namespace_oid, &moved.info.namespace), name),
                    ((target, &stmt.new_schema), name),
                )?;
            }
        }
        // Stored queries name relations schema-qualified.
        let from = (entry.info.namespace.clone(), entry.info.name.clone());
        for view in self.views_reading(entry.info.oid)? {
            let Some(rule) = super::view_ddl::view_rule(&self.catalog_reader(), view)? else {
                continue;
            };
            let moved = tusk_sql::view_query::move_relation(
                &rule.query,
                (&from.0, &from.1),
                (&stmt.new_schema, &from.1),
            )?;
            if moved != rule.query {
                self.replace_rule_action(rule.oid, moved)?;
            }
        }
        self.txn.command_counter_increment();
        Ok(tag.into())
    }

    fn rename_relation(&mut self, entry: &Arc<RelEntry>, new_name: &str) -> Result<()> {
        let old_name = entry.info.name.clone();
        if self
            .catalog_reader()
            .relation_oid(entry.namespace_oid, new_name)?
            .is_some()
        {
            return Err(pg_err!(
                DUPLICATE_TABLE,
                "relation \"{}\" already exists",
                new_name
            ));
        }
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_name = class.col("relname");
        let name = new_name.to_string();
        self.update_class_row(entry.info.oid, |r| r[c_name] = Datum::Text(name))?;
        if super::rowtype::has_rowtype(entry.info.kind) {
            self.rename_relation_rowtype(entry.info.oid, new_name)?;
        }
        if matches!(entry.info.kind, b'i' | b'I') {
            let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
            let (c_index, c_conname) = (constraint.col("conindid"), constraint.col("conname"));
            let index = entry.info.oid;
            let name = new_name.to_string();
            self.update_catalog_row(
                constraint,
                |r| r[c_index] == Datum::Oid(index.0),
                |r| r[c_conname] = Datum::Text(name),
            )?;
        }
        if entry.info.kind == b'S' {
            self.rename_sequence_in_defaults(entry, &old_name, new_name)?;
        }
        self.rename_relation_in_views(entry, &old_name, new_name)?;
        Ok(())
    }

    /// Rewrites the stored queries of the views reading relation `entry` (now renamed
    /// from `old` to `new`), which name it schema-qualified as it resolved when they were
    /// created.
    fn rename_relation_in_views(&mut self, entry: &RelEntry, old: &str, new: &str) -> Result<()> {
        let views = self.views_reading(entry.info.oid)?;
        if views.is_empty() {
            return Ok(());
        }
        let schema = self
            .catalog_reader()
            .namespace_name(entry.namespace_oid)?
            .unwrap_or_default();
        for view in views {
            let rule = super::view_ddl::view_rule(&self.catalog_reader(), view)?;
            let Some(rule) = rule else {
                continue;
            };
            let renamed = tusk_sql::view_query::rename_relation(&rule.query, &schema, old, new)?;
            if renamed != rule.query {
                self.replace_rule_action(rule.oid, renamed)?;
            }
        }
        Ok(())
    }

    /// Rewrites `nextval('old'::regclass)` defaults after sequence `old` became `new`.
    fn rename_sequence_in_defaults(
        &mut self,
        entry: &RelEntry,
        old: &str,
        new: &str,
    ) -> Result<()> {
        let schema = (entry.namespace_oid, entry.info.namespace.as_str());
        self.move_sequence_in_defaults((schema, old), (schema, new))
    }

    /// Rewrites `nextval('s.old'::regclass)` defaults after sequence `from` (namespace,
    /// schema name, name) became `to`; a sequence in `public` is written unqualified.
    fn move_sequence_in_defaults(
        &mut self,
        from: ((Oid, &str), &str),
        to: ((Oid, &str), &str),
    ) -> Result<()> {
        let quote = |((namespace, schema), name): ((Oid, &str), &str)| {
            let ident = tusk_sql::quote_identifier(name);
            let qualified = if namespace == syscat::PUBLIC_NAMESPACE {
                ident
            } else {
                format!("{}.{ident}", tusk_sql::quote_identifier(schema))
            };
            format!("'{}'::regclass", qualified.replace('\'', "''"))
        };
        let (from, to) = (quote(from), quote(to));
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        let c_bin = attrdef.col("adbin");
        let targets: Vec<Vec<Datum>> = self
            .catalog_reader()
            .scan(attrdef)?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| matches!(&r[c_bin], Datum::Text(t) if t.contains(&from)))
            .collect();
        for row in targets {
            let (c_oid, key) = (attrdef.col("oid"), row[attrdef.col("oid")].clone());
            let (from, to) = (from.clone(), to.clone());
            self.update_catalog_row(
                attrdef,
                |r| r[c_oid] == key,
                |r| {
                    if let Datum::Text(t) = &r[c_bin] {
                        r[c_bin] = Datum::Text(t.replace(&from, &to));
                    }
                },
            )?;
        }
        Ok(())
    }

    fn rename_column(&mut self, entry: &Arc<RelEntry>, old: &str, new: &str) -> Result<()> {
        // Key expressions are kept as text naming columns.
        let key = super::partition_ddl::partition_key(&self.catalog_reader(), entry)?;
        if key.is_some_and(|k| k.attnums.contains(&0)) {
            return Err(tusk_types::Error::feature_not_supported(
                "renaming a column of a table partitioned by an expression",
            ));
        }
        if !matches!(entry.info.kind, b'r' | b'p' | b'v' | b'm' | b'f') {
            return Err(pg_err!(
                WRONG_OBJECT_TYPE,
                "\"{}\" is not a table, view, materialized view, composite type, index, or foreign table",
                entry.info.name
            ));
        }
        let Some(index) = entry
            .info
            .columns
            .iter()
            .position(|c| !c.dropped && c.name == old)
        else {
            if SYSTEM_COLUMNS.contains(&old) {
                return Err(Error::new(
                    tusk_types::SqlState::FEATURE_NOT_SUPPORTED,
                    format!("cannot rename system column \"{old}\""),
                ));
            }
            return Err(pg_err!(
                UNDEFINED_COLUMN,
                "column \"{}\" does not exist",
                old
            ));
        };
        if SYSTEM_COLUMNS.contains(&new) {
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "column name \"{}\" conflicts with a system column name",
                new
            ));
        }
        if tusk_sql::analyze::system_columns::system_column(new).is_some() {
            return Err(super::ddl::system_column_conflict(new));
        }
        if entry.info.live_columns().any(|(_, c)| c.name == new) {
            return Err(pg_err!(
                DUPLICATE_COLUMN,
                "column \"{}\" of relation \"{}\" already exists",
                new,
                entry.info.name
            ));
        }
        let rel = entry.info.oid;
        let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
        let c_name = attribute.col("attname");
        let name = new.to_string();
        self.update_attribute_row(rel, index as i16 + 1, |r| r[c_name] = Datum::Text(name))?;
        // Stored expression texts naming the column (module rule 2).
        let attrdef = syscat::system_catalog(syscat::PG_ATTRDEF).expect("pg_attrdef");
        self.rename_in_texts(attrdef, "adrelid", "adbin", rel, old, new)?;
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        self.rename_in_texts(constraint, "conrelid", "conbin", rel, old, new)?;
        self.rename_in_index_texts(rel, old, new)?;
        self.rename_column_in_matview_queries(rel, old, new)?;
        Ok(())
    }

    /// Rewrites column references `old` → `new` in the stored expressions and
    /// predicates (`indexprs`, `indpred`) of `rel`'s indexes.
    fn rename_in_index_texts(&mut self, rel: Oid, old: &str, new: &str) -> Result<()> {
        let pg_index = syscat::system_catalog(syscat::PG_INDEX).expect("pg_index");
        let (c_index, c_rel) = (pg_index.col("indexrelid"), pg_index.col("indrelid"));
        let texts = [pg_index.col("indexprs"), pg_index.col("indpred")];
        let rows: Vec<Vec<Datum>> = self
            .catalog_reader()
            .scan(pg_index)?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| r[c_rel] == Datum::Oid(rel.0))
            .collect();
        for row in rows {
            let mut renamed = Vec::new();
            for &c in &texts {
                if let Datum::Text(t) = &row[c] {
                    let r = tusk_sql::rename_column_references(t, old, new)?;
                    if r != *t {
                        renamed.push((c, r));
                    }
                }
            }
            if renamed.is_empty() {
                continue;
            }
            let key = row[c_index].clone();
            self.update_catalog_row(
                pg_index,
                |r| r[c_index] == key,
                |r| {
                    for (c, t) in &renamed {
                        r[*c] = Datum::Text(t.clone());
                    }
                },
            )?;
        }
        Ok(())
    }

    /// Rewrites column references `old` → `new` in column `text_col` of the rows of
    /// `catalog` whose `rel_col` is `rel`.
    fn rename_in_texts(
        &mut self,
        catalog: &'static syscat::SysCatalog,
        rel_col: &str,
        text_col: &str,
        rel: Oid,
        old: &str,
        new: &str,
    ) -> Result<()> {
        let (c_rel, c_text, c_oid) = (
            catalog.col(rel_col),
            catalog.col(text_col),
            catalog.col("oid"),
        );
        let rows: Vec<(Datum, String)> = self
            .catalog_reader()
            .scan(catalog)?
            .into_iter()
            .filter(|(_, r)| r[c_rel] == Datum::Oid(rel.0))
            .filter_map(|(_, r)| match &r[c_text] {
                Datum::Text(t) => Some((r[c_oid].clone(), t.clone())),
                _ => None,
            })
            .collect();
        for (key, text) in rows {
            let renamed = tusk_sql::rename_column_references(&text, old, new)?;
            if renamed == text {
                continue;
            }
            self.update_catalog_row(
                catalog,
                |r| r[c_oid] == key,
                |r| r[c_text] = Datum::Text(renamed),
            )?;
        }
        Ok(())
    }

    fn rename_constraint(&mut self, entry: &Arc<RelEntry>, old: &str, new: &str) -> Result<()> {
        let constraints = self.table_constraints(entry.info.oid)?;
        let Some(found) = constraints.iter().find(|c| c.name == old) else {
            return Err(pg_err!(
                UNDEFINED_OBJECT,
                "constraint \"{}\" for table \"{}\" does not exist",
                old,
                entry.info.name
            ));
        };
        if constraints.iter().any(|c| c.name == new) {
            return Err(pg_err!(
                DUPLICATE_OBJECT,
                "constraint \"{}\" for relation \"{}\" already exists",
                new,
                entry.info.name
            ));
        }
        if found.index != Oid::INVALID {
            if let Some(index) = self.catalog_reader().entry(found.index)? {
                return self.rename_relation(&index, new);
            }
        }
        let constraint = syscat::system_catalog(syscat::PG_CONSTRAINT).expect("pg_constraint");
        let (c_oid, c_name) = (constraint.col("oid"), constraint.col("conname"));
        let (key, name) = (found.oid, new.to_string());
        self.update_catalog_row(
            constraint,
            |r| r[c_oid] == Datum::Oid(key.0),
            |r| r[c_name] = Datum::Text(name),
        )?;
        Ok(())
    }

    /// Deletes the comments on object `object` of catalog `class`: sub-id `objsubid`, or
    /// all of them (the object's and its columns') for `None`.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn delete_comments(
        &mut self,
        object: Oid,
        class: Oid,
        objsubid: Option<i32>,
    ) -> Result<()> {
        let description = syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
        let (c_obj, c_class, c_sub) = (
            description.col("objoid"),
            description.col("classoid"),
            description.col("objsubid"),
        );
        self.delete_catalog_rows(syscat::PG_DESCRIPTION, move |r: &[Datum]| {
            r[c_obj] == Datum::Oid(object.0)
                && r[c_class] == Datum::Oid(class.0)
                && objsubid.is_none_or(|n| r[c_sub] == Datum::Int4(n))
        })?;
        Ok(())
    }

    /// `COMMENT ON TABLE|INDEX|SEQUENCE|VIEW|COLUMN|CONSTRAINT ... IS 'text' | NULL`
    /// (module rule 3). The relation is locked SHARE UPDATE EXCLUSIVE, as PostgreSQL does.
    ///
    /// Errors: 42P01 `relation "x" does not exist`; 42809 `"x" is not a table` (and the
    /// other kinds); 42703 `column "c" of relation "t" does not exist`; 42704 `constraint
    /// "c" for table "t" does not exist`; 0A000 for other kinds of object.
    pub(crate) fn comment_statement(&mut self, stmt: &CommentStmt) -> Result<String> {
        self.read_only_check("COMMENT")?;
        if let CommentObject::Object(object) = &stmt.object {
            self.comment_on_object(object, stmt.comment.as_deref())?;
            return Ok("COMMENT".into());
        }
        if let CommentObject::Replication(kind, name) = &stmt.object {
            let (object, class) = self.replication_comment_target(*kind, name)?;
            return self.set_comment(object, class, 0, stmt.comment.as_deref());
        }
        let rv = match &stmt.object {
            CommentObject::Relation(_, rv)
            | CommentObject::Column(rv, _)
            | CommentObject::Constraint(rv, _) => rv,
            CommentObject::Other(what) => return Err(Error::feature_not_supported(what)),
            CommentObject::Replication(..) | CommentObject::Object(_) => {
                unreachable!("handled above")
            }
        };
        let shown = shown_name(rv);
        let resolved = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?;
        if let Some(oid) = resolved {
            self.lock_relation(oid, crate::lock::LockMode::ShareUpdateExclusive)?;
        }
        let entry = match resolved {
            Some(oid) => self.catalog_reader().entry(oid)?,
            None => None,
        }
        .ok_or_else(|| pg_err!(UNDEFINED_TABLE, "relation \"{}\" does not exist", shown))?;
        let (object, class, subid) = match &stmt.object {
            CommentObject::Relation(kind, _) => {
                if let Some((relkind, noun)) = kind_of(*kind) {
                    // A partitioned table is a table, a partitioned index an index.
                    let same = entry.info.kind == relkind
                        || matches!((relkind, entry.info.kind), (b'i', b'I') | (b'r', b'p'));
                    if !same {
                        return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not {}", shown, noun));
                    }
                }
                (entry.info.oid, syscat::PG_CLASS, 0)
            }
            CommentObject::Column(_, column) => {
                let Some(i) = entry
                    .info
                    .columns
                    .iter()
                    .position(|c| !c.dropped && c.name == *column)
                else {
                    return Err(pg_err!(
                        UNDEFINED_COLUMN,
                        "column \"{}\" of relation \"{}\" does not exist",
                        column,
                        entry.info.name
                    ));
                };
                (entry.info.oid, syscat::PG_CLASS, i as i32 + 1)
            }
            CommentObject::Constraint(_, name) => {
                let Some(found) = self
                    .table_constraints(entry.info.oid)?
                    .into_iter()
                    .find(|c| c.name == *name)
                else {
                    return Err(pg_err!(
                        UNDEFINED_OBJECT,
                        "constraint \"{}\" for table \"{}\" does not exist",
                        name,
                        entry.info.name
                    ));
                };
                (found.oid, syscat::PG_CONSTRAINT, 0)
            }
            CommentObject::Other(_) | CommentObject::Replication(..) | CommentObject::Object(_) => {
                unreachable!("refused above")
            }
        };
        // Only the owner comments on a relation or its parts (PostgreSQL's
        // check_object_ownership, after the object was found).
        let noun = match &stmt.object {
            CommentObject::Relation(..) => None,
            _ => Some("relation"),
        };
        self.check_relation_owner_as(entry.info.oid, noun)?;
        self.set_comment(object, class, subid, stmt.comment.as_deref())
    }

    /// Replaces the comment on object `object` of catalog `class` (sub-id `subid`) by
    /// `comment` (`None` removes it); returns the command tag.
    pub(crate) fn set_comment(
        &mut self,
        object: Oid,
        class: Oid,
        subid: i32,
        comment: Option<&str>,
    ) -> Result<String> {
        self.delete_comments(object, class, Some(subid))?;
        if let Some(text) = comment {
            let description =
                syscat::system_catalog(syscat::PG_DESCRIPTION).expect("pg_description");
            self.insert_catalog_row(
                CatalogRow::new(description)
                    .set("objoid", Datum::Oid(object.0))
                    .set("classoid", Datum::Oid(class.0))
                    .set("objsubid", Datum::Int4(subid))
                    .set("description", Datum::Text(text.to_string())),
            )?;
        }
        self.txn.command_counter_increment();
        Ok("COMMENT".into())
    }
}
