//! Materialized views (PostgreSQL's `ExecCreateTableAs` for `CREATE MATERIALIZED VIEW`,
//! `ExecRefreshMatView`, `ExecCheckRelationsScannable`).
//!
//! A materialized view is a heap relation of relkind `m` with a view's `_RETURN` rule
//! (`pg_rewrite.ev_action` holds its query as schema-qualified SQL text, as a view's
//! does) and the rule's `pg_depend` rows on the relations the query reads, so DROP of
//! those relations reports or cascades to it. `pg_class.relispopulated` says whether it
//! holds the query's result: a materialized view created or refreshed `WITH NO DATA`
//! cannot be scanned (55000) until it is refreshed.
//!
//! Rules:
//! 1. CREATE makes the table (`CREATE TABLE` with the query's columns), turns its
//!    `pg_class` row into a materialized view's and, `WITH DATA`, fills it like REFRESH.
//! 2. REFRESH (ACCESS EXCLUSIVE) runs the stored query and writes the rows into a new
//!    relfilenode (with new TOAST files), rebuilds the indexes and points `pg_class` at
//!    the new files, all in the transaction: an abort removes the new files and leaves
//!    the old contents; a commit removes the old files (as TRUNCATE does).
//! 3. REFRESH CONCURRENTLY (EXCLUSIVE, so readers go on reading) needs a unique index
//!    on plain columns without a predicate; it compares the new rows with the current
//!    ones as whole rows and deletes the rows that left and inserts the rows that came,
//!    through ordinary heap and index writes.
//! 4. Writes through SQL are refused by the analyzer (42809 `cannot change materialized
//!    view`); only REFRESH writes a materialized view.
//! 5. The stored query is text, so renaming a column it reads rewrites it: PostgreSQL
//!    stores column numbers and needs no such step. tusk does this only for a query that
//!    reads that one relation, where every reference spelled like the column is to it.
//!    REFRESH checks that the query still returns the materialized view's column types.
//!
//! Entry points: [`Session::create_materialized_view`],
//! [`Session::refresh_materialized_view`], [`Session::check_relations_scannable`].
//! See also `view_ddl.rs` (the rule, DROP), `alter_rewrite.rs`
//! ([`Session::replace_relation_rows`]).

use std::collections::HashMap;

use tusk_catalog::syscat;
use tusk_sql::analyze::RelationUse;
use tusk_sql::ast::Statement;
use tusk_sql::ast_ddl::{CreateTableAsStmt, RefreshMatViewStmt};
use tusk_types::{pg_err, Datum, Error, ItemPointer, Oid, Result};

use super::create_as::table_as_create;
use super::extended::Plan;
use super::statement::RowTarget;
use super::temp_namespace::is_temp_namespace_name;
use super::Session;
use crate::lock::LockMode;
use crate::relcache::RelEntry;
use crate::sink::{NoticeSeverity, Sink};

/// The 55000 error of scanning a materialized view that has not been populated.
pub(super) fn not_populated(name: &str) -> Error {
    pg_err!(
        OBJECT_NOT_IN_PREREQUISITE_STATE,
        "materialized view \"{}\" has not been populated",
        name
    )
    .hint("Use the REFRESH MATERIALIZED VIEW command.")
}

impl Session {
    /// `CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(cols)] [WITH (params)] AS query
    /// [WITH [NO] DATA]` (module rule 1); `SELECT n` with data, else `CREATE MATERIALIZED
    /// VIEW`. With `computed`, the query's rows already computed are stored.
    ///
    /// Errors: those of the query and of CREATE TABLE; 42P07 `relation "x" already
    /// exists`; 42601 `too many column names were specified`; 0A000 `materialized views
    /// cannot be unlogged`, `materialized views must not use temporary tables or views`;
    /// 22023 for storage parameters; 25006.
    pub(crate) fn create_materialized_view(
        &mut self,
        stmt: &CreateTableAsStmt,
        sink: &mut dyn Sink,
        computed: Option<Vec<Vec<Datum>>>,
    ) -> Result<String> {
        const TAG: &str = "CREATE MATERIALIZED VIEW";
        self.read_only_check(TAG)?;
        if stmt.persistence == b'u' {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "materialized views cannot be unlogged"
            ));
        }
        if stmt.if_not_exists && self.relation_exists(&stmt.relation, false)? {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists, skipping",
                    stmt.relation.name
                ),
            );
            return Ok(TAG.into());
        }
        // The stored text, each relation qualified as it resolves now.
        let uses_temp = std::cell::Cell::new(false);
        let stored = {
            let reader = self.catalog_reader();
            tusk_sql::view_query::qualify_relations(&stmt.query, &mut |r| {
                let schema = match reader.resolve(r.schema.as_deref(), &r.name)? {
                    Some(rel) => reader.entry(rel)?.map(|e| e.info.namespace.clone()),
                    None => None,
                };
                if schema.as_deref().is_some_and(is_temp_namespace_name) {
                    uses_temp.set(true);
                }
                Ok(schema.or_else(|| r.schema.clone()))
            })?
        };
        let columns = self.table_as_columns(stmt)?;
        if uses_temp.get() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "materialized views must not use temporary tables or views"
            ));
        }
        let create = table_as_create(stmt, columns);
        self.create_table(&create, &stmt.query, sink)?;
        self.txn.command_counter_increment();
        let entry = {
            let reader = self.catalog_reader();
            let (namespace, _) = reader.creation_namespace(stmt.relation.schema.as_deref())?;
            match reader.relation_oid(namespace, &stmt.relation.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        }
        .ok_or_else(|| Error::internal("new materialized view not visible"))?;
        let rel = entry.info.oid;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_kind, c_rules, c_populated) = (
            class.col("relkind"),
            class.col("relhasrules"),
            class.col("relispopulated"),
        );
        let populated = stmt.with_data;
        self.update_class_row(rel, |r| {
            r[c_kind] = Datum::Text("m".into());
            r[c_rules] = Datum::Bool(true);
            r[c_populated] = Datum::Bool(populated);
        })?;
        self.txn.command_counter_increment();
        self.insert_return_rule(rel, &stored)?;
        self.txn.command_counter_increment();
        if !stmt.options.is_empty() {
            let entry = self.reload_relation(rel)?;
            self.at_set_options(&entry, &stmt.options)?;
            self.txn.command_counter_increment();
        }
        if !stmt.with_data {
            return Ok(TAG.into());
        }
        let rows = match computed {
            Some(rows) => rows,
            None => self.materialized_view_rows(&stmt.query, None)?,
        };
        self.replace_relation_rows(rel, &rows)?;
        Ok(format!("SELECT {}", rows.len()))
    }

    /// The rows of a materialized view's query `sql`, run as an ordinary SELECT; with
    /// `matview`, the query must still return its columns' types (its stored text names
    /// `*` and relations by name, so a changed relation could change them).
    ///
    /// Errors: the query's; 0A000 when the columns no longer match.
    fn materialized_view_rows(
        &mut self,
        sql: &str,
        matview: Option<&RelEntry>,
    ) -> Result<Vec<Vec<Datum>>> {
        let raw = tusk_sql::parse(sql)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::internal("materialized view query did not parse"))?;
        if !matches!(raw.stmt, Statement::Select(_)) {
            return Err(Error::internal("materialized view query is not a SELECT"));
        }
        let stored = matview.is_some();
        let prepared = self.plan(&raw, sql, Vec::new()).map_err(|mut e| {
            if stored {
                // A position in the stored text would point into the REFRESH statement.
                e.position = None;
            }
            e
        })?;
        let Plan::Query(query) = &prepared.plan else {
            return Err(Error::internal("materialized view query is not a query"));
        };
        if !query.modifying.is_empty() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "materialized views must not use data-modifying statements in WITH"
            ));
        }
        if let Some(matview) = matview {
            let expected: Vec<Oid> = matview
                .info
                .live_columns()
                .map(|(_, c)| c.type_oid)
                .collect();
            let found: Vec<Oid> = query
                .columns
                .iter()
                .map(|c| match c.type_oid {
                    tusk_types::type_oid::UNKNOWN => tusk_types::type_oid::TEXT,
                    t => t,
                })
                .collect();
            if expected != found {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "the query of materialized view \"{}\" no longer returns its columns",
                    matview.info.name
                )
                .hint("Drop and create the materialized view again."));
            }
        }
        let mut rows = Vec::new();
        self.execute(&prepared, &[], &[], RowTarget::Collect(&mut rows), false)?;
        Ok(rows)
    }

    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]` (module rules 2
    /// and 3).
    ///
    /// Errors: 42P01; 42501 `must be owner of materialized view x`; 0A000 `"x" is not a
    /// materialized view`, `CONCURRENTLY cannot be used when the materialized view is not
    /// populated`; 42601 `CONCURRENTLY and WITH NO DATA options cannot be used together`;
    /// 55000 `cannot refresh materialized view "s.x" concurrently` without a usable
    /// unique index; 21000 `new data for materialized view "x" contains duplicate rows
    /// without any null columns`; 23505 from rebuilt unique indexes; the query's errors.
    pub(crate) fn refresh_materialized_view(
        &mut self,
        stmt: &RefreshMatViewStmt,
    ) -> Result<String> {
        const TAG: &str = "REFRESH MATERIALIZED VIEW";
        self.read_only_check(TAG)?;
        let rv = &stmt.relation;
        let mode = if stmt.concurrent {
            LockMode::Exclusive
        } else {
            LockMode::AccessExclusive
        };
        let shown = match &rv.schema {
            Some(s) => format!("{s}.{}", rv.name),
            None => rv.name.clone(),
        };
        let Some(rel) = self
            .catalog_reader()
            .resolve(rv.schema.as_deref(), &rv.name)?
        else {
            return Err(pg_err!(
                UNDEFINED_TABLE,
                "relation \"{}\" does not exist",
                shown
            ));
        };
        self.lock_relation(rel, mode)?;
        let entry = self.reload_relation(rel)?;
        self.check_relation_owner(rel)?;
        if entry.info.kind != b'm' {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "\"{}\" is not a materialized view",
                entry.info.name
            ));
        }
        if stmt.concurrent && !entry.populated {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "CONCURRENTLY cannot be used when the materialized view is not populated"
            ));
        }
        if stmt.concurrent && !stmt.with_data {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "CONCURRENTLY and WITH NO DATA options cannot be used together"
            ));
        }
        let rule = super::view_ddl::view_rule(&self.catalog_reader(), rel)?
            .ok_or_else(|| Error::internal("materialized view has no _RETURN rule"))?;
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_populated = class.col("relispopulated");
        let populated = stmt.with_data;
        self.update_class_row(rel, |r| r[c_populated] = Datum::Bool(populated))?;
        self.txn.command_counter_increment();
        if stmt.concurrent && !self.has_usable_unique_index(&entry)? {
            return Err(pg_err!(
                OBJECT_NOT_IN_PREREQUISITE_STATE,
                "cannot refresh materialized view \"{}.{}\" concurrently",
                tusk_sql::quote_identifier(&entry.info.namespace),
                tusk_sql::quote_identifier(&entry.info.name)
            )
            .hint(
                "Create a unique index with no WHERE clause on one or more columns of the \
                 materialized view.",
            ));
        }
        let rows = if stmt.with_data {
            self.materialized_view_rows(&rule.query, Some(&entry))?
        } else {
            Vec::new()
        };
        if stmt.concurrent {
            self.refresh_by_difference(&entry, rows)?;
        } else {
            self.replace_relation_rows(rel, &rows)?;
        }
        Ok(TAG.into())
    }

    /// PostgreSQL's `is_usable_unique_index` over `matview`'s indexes: unique, no
    /// predicate, every key column a plain column.
    fn has_usable_unique_index(&self, matview: &RelEntry) -> Result<bool> {
        Ok(self.table_indexes(matview)?.iter().any(|index| {
            index.unique
                && !index.attnums.is_empty()
                && index.attnums.iter().all(|&a| a > 0)
                && index
                    .expressions
                    .as_ref()
                    .is_none_or(|e| e.predicate().is_none())
        }))
    }

    /// REFRESH CONCURRENTLY's change (module rule 3): rows of `matview` equal to a new
    /// row stay; the others are deleted, and the new rows without an equal old one are
    /// inserted, index entries maintained.
    ///
    /// Errors: 21000 for new rows that are duplicates without any null column (DETAIL
    /// `Row: (...)`); 23505 from unique indexes; I/O errors.
    fn refresh_by_difference(&mut self, matview: &RelEntry, rows: Vec<Vec<Datum>>) -> Result<()> {
        let rel = matview.info.oid;
        let types: Vec<Oid> = matview
            .info
            .columns
            .iter()
            .filter(|c| !c.dropped)
            .map(|c| c.type_oid)
            .collect();
        // Rows compare by their values' images, as PostgreSQL's `*=` record operator does.
        let image = |row: &[Datum]| format!("{row:?}");
        let mut seen: HashMap<String, ()> = HashMap::new();
        for row in &rows {
            if row.iter().any(Datum::is_null) {
                continue;
            }
            if seen.insert(image(row), ()).is_some() {
                return Err(pg_err!(
                    CARDINALITY_VIOLATION,
                    "new data for materialized view \"{}\" contains duplicate rows without any \
                     null columns",
                    matview.info.name
                )
                .detail(format!("Row: {}", self.record_text(row, &types)?)));
            }
        }
        self.txn.command_counter_increment();
        self.with_eval_context(&[], |ctx| -> Result<()> {
            let mut current: HashMap<String, Vec<ItemPointer>> = HashMap::new();
            for found in ctx.tables.scan(rel)? {
                let (tid, values) = found?;
                current.entry(image(&values)).or_default().push(tid);
            }
            let mut inserts = Vec::new();
            for row in rows {
                match current.get_mut(&image(&row)).and_then(|tids| tids.pop()) {
                    Some(_) => {}
                    None => inserts.push(row),
                }
            }
            for tid in current.into_values().flatten() {
                ctx.tables.delete(rel, tid)?;
            }
            for row in &inserts {
                ctx.tables.insert(rel, row)?;
            }
            Ok(())
        })?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `row` as a record's text (`(1,"a b",)`), for error details.
    fn record_text(&self, row: &[Datum], types: &[Oid]) -> Result<String> {
        let mut out = String::from("(");
        for (i, (value, &type_oid)) in row.iter().zip(types).enumerate() {
            if i > 0 {
                out.push(',');
            }
            if value.is_null() {
                continue;
            }
            let text = tusk_executor::io::text_out_string(value, type_oid, &self.output)?;
            let quote = text.is_empty()
                || text
                    .chars()
                    .any(|c| matches!(c, '"' | '\\' | '(' | ')' | ',') || c.is_whitespace());
            if quote {
                out.push('"');
                for c in text.chars() {
                    if matches!(c, '"' | '\\') {
                        out.push(c);
                    }
                    out.push(c);
                }
                out.push('"');
            } else {
                out.push_str(&text);
            }
        }
        out.push(')');
        Ok(out)
    }

    /// Renames column `old` of relation `rel` to `new` in the stored queries of the
    /// materialized views that read `rel` and nothing else (module rule 5): their columns
    /// are matched by position, so only the references change.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn rename_column_in_matview_queries(
        &mut self,
        rel: Oid,
        old: &str,
        new: &str,
    ) -> Result<()> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let rewrite = syscat::system_catalog(super::dependency::PG_REWRITE).expect("pg_rewrite");
        let reader = self.catalog_reader();
        let rules: Vec<Oid> = reader
            .scan(depend)?
            .into_iter()
            .filter(|(_, r)| {
                r[depend.col("classid")] == Datum::Oid(super::dependency::PG_REWRITE.0)
                    && r[depend.col("refobjid")] == Datum::Oid(rel.0)
            })
            .filter_map(|(_, r)| match r[depend.col("objid")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            })
            .collect();
        let mut changes = Vec::new();
        for (_, row) in reader.scan(rewrite)? {
            let (Datum::Oid(rule), Datum::Oid(owner), Datum::Text(query)) = (
                &row[rewrite.col("oid")],
                &row[rewrite.col("ev_class")],
                &row[rewrite.col("ev_action")],
            ) else {
                continue;
            };
            if !rules.contains(&Oid(*rule))
                || reader.entry(Oid(*owner))?.map(|e| e.info.kind) != Some(b'm')
            {
                continue;
            }
            let mut read = Vec::new();
            for r in tusk_sql::view_query::relation_refs(query)? {
                if let Some(found) = reader.resolve(r.schema.as_deref(), &r.name)? {
                    if !read.contains(&found) {
                        read.push(found);
                    }
                }
            }
            if read != [rel] {
                continue;
            }
            let renamed = tusk_sql::rename_column_references(query, old, new)?;
            if renamed != *query {
                changes.push((Oid(*rule), renamed));
            }
        }
        drop(reader);
        for (rule, query) in changes {
            self.replace_rule_action(rule, query)?;
        }
        Ok(())
    }

    /// PostgreSQL's `ExecCheckRelationsScannable`: a statement reading a materialized
    /// view that has not been populated fails before it runs.
    ///
    /// Errors: 55000 `materialized view "x" has not been populated` with PostgreSQL's
    /// HINT; catalog read errors.
    pub(crate) fn check_relations_scannable(&self, uses: &[RelationUse]) -> Result<()> {
        let reader = self.catalog_reader();
        for u in uses {
            if let Some(entry) = reader.entry(u.relation)? {
                if entry.info.kind == b'm' && !entry.populated {
                    return Err(not_populated(&entry.info.name));
                }
            }
        }
        Ok(())
    }
}
