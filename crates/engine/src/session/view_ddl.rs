//! CREATE [OR REPLACE] VIEW and DROP VIEW (PostgreSQL's `DefineView`, `RemoveRelations`).
//!
//! A view is a `pg_class` row of relkind `v` without storage (relfilenode 0), its columns'
//! `pg_attribute` rows, a `pg_rewrite` row `_RETURN` (ev_type `1` = SELECT, is_instead)
//! whose `ev_action` holds the query as SQL text with its relations schema-qualified
//! (`tusk_sql::view_query`), and `pg_depend` rows: the rule on its view (deptype `i`) and
//! on each relation it reads (deptype `n`), which DROP of those relations consults.
//! All rows are written in the session's transaction, so a rollback leaves no trace.
//!
//! Entry points: [`Session::create_view`], [`Session::drop_views`], [`view_rule`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast::{RawStatement, Statement};
use tusk_sql::ast_ddl::DropStmt;
use tusk_sql::ast_view::{CreateViewStmt, ViewCheckOption};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::dependency::{DropRoot, PG_REWRITE};
use super::extended::Plan;
use super::temp_namespace::is_temp_namespace_name;
use super::Session;
use crate::catalog_bootstrap::attribute_row;
use crate::relcache::CatalogReader;
use crate::sink::{NoticeSeverity, Sink};

/// A view's `_RETURN` rule.
pub(crate) struct ViewRule {
    /// `pg_rewrite.oid`.
    pub oid: Oid,
    /// `ev_action`: the query's SQL text.
    pub query: String,
}

/// The `_RETURN` rule of view `view`, if it has one.
///
/// Errors: catalog read errors.
pub(crate) fn view_rule(reader: &CatalogReader<'_>, view: Oid) -> Result<Option<ViewRule>> {
    let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
    let c = |n: &str| rewrite.col(n);
    Ok(reader
        .scan(rewrite)?
        .into_iter()
        .find(|(_, r)| {
            r[c("ev_class")] == Datum::Oid(view.0)
                && r[c("rulename")] == Datum::Text("_RETURN".into())
        })
        .map(|(_, r)| ViewRule {
            oid: match r[c("oid")] {
                Datum::Oid(o) => Oid(o),
                _ => Oid::INVALID,
            },
            query: match &r[c("ev_action")] {
                Datum::Text(t) => t.clone(),
                _ => String::new(),
            },
        }))
}

/// The `pg_class.reloptions` of relation `relation` (`name=value` entries); empty if
/// it has none.
///
/// Errors: catalog read errors.
pub(crate) fn relation_reloptions(
    reader: &CatalogReader<'_>,
    relation: Oid,
) -> Result<Vec<String>> {
    let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
    let (c_oid, c_options) = (class.col("oid"), class.col("reloptions"));
    let row = reader
        .scan(class)?
        .into_iter()
        .find(|(_, r)| r[c_oid] == Datum::Oid(relation.0));
    Ok(match row.map(|(_, r)| r[c_options].clone()) {
        Some(Datum::Array(a)) => a
            .elems
            .iter()
            .filter_map(|e| match e {
                Datum::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// Checks one view option (`check_option`, `security_barrier`, `security_invoker`) and
/// gives its stored `name=value` form, as PostgreSQL's `view_reloptions` does.
///
/// Errors: 22023 `unrecognized parameter "x"`, `invalid value for enum option
/// "check_option": x` (DETAIL the valid values), `invalid value for boolean option "x": y`.
pub(crate) fn view_option(name: &str, value: Option<&str>) -> Result<String> {
    let name_lc = name.to_ascii_lowercase();
    match name_lc.as_str() {
        "check_option" => {
            let v = value.unwrap_or("");
            if !v.eq_ignore_ascii_case("local") && !v.eq_ignore_ascii_case("cascaded") {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for enum option \"check_option\": {}",
                    v
                )
                .detail("Valid values are \"local\" and \"cascaded\"."));
            }
            Ok(format!("check_option={v}"))
        }
        "security_barrier" | "security_invoker" => {
            let v = value.unwrap_or("true");
            if tusk_types::adt::bool::parse_bool(v).is_none() {
                return Err(pg_err!(
                    INVALID_PARAMETER_VALUE,
                    "invalid value for boolean option \"{}\": {}",
                    name_lc,
                    v
                ));
            }
            Ok(format!("{name_lc}={v}"))
        }
        _ => Err(pg_err!(
            INVALID_PARAMETER_VALUE,
            "unrecognized parameter \"{}\"",
            name
        )),
    }
}

/// The `reloptions` of a view being created: its `WITH (...)` options, then the check
/// option of `WITH [LOCAL | CASCADED] CHECK OPTION`.
fn view_reloptions(
    options: &[(String, Option<String>)],
    check_option: ViewCheckOption,
) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(options.len() + 1);
    for (name, value) in options {
        out.push(view_option(name, value.as_deref())?);
    }
    match check_option {
        ViewCheckOption::None => {}
        ViewCheckOption::Local => out.push("check_option=local".into()),
        ViewCheckOption::Cascaded => out.push("check_option=cascaded".into()),
    }
    let mut names: Vec<&str> = Vec::new();
    for o in &out {
        let name = o.split_once('=').map(|(n, _)| n).unwrap_or(o);
        if names.contains(&name) {
            return Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "parameter \"{}\" specified more than once",
                name
            ));
        }
        names.push(name);
    }
    Ok(out)
}

/// One column of a view being defined.
struct ViewColumn {
    name: String,
    type_oid: Oid,
    typmod: i32,
}

impl Session {
    /// `CREATE [OR REPLACE] VIEW`; `first_schema` is searched before the search path (the
    /// schema a `CREATE SCHEMA` element is created in).
    ///
    /// Errors: those of the query; 42P07 `relation "v" already exists`; 42809 `"t" is not
    /// a view` (OR REPLACE of another kind); 42P16 `cannot drop columns from view`,
    /// `cannot change name of view column "a" to "b"`, `cannot change data type of view
    /// column "a" from integer to bigint`; 42701 `column "a" specified more than once`;
    /// 42601 `CREATE VIEW specifies more column names than columns`; 42P02 `there is no
    /// parameter $1`; 3F000; 25006; 22023 for invalid view options (see [`view_option`]);
    /// 0A000 `WITH CHECK OPTION is supported only on automatically updatable views`.
    pub(crate) fn create_view(
        &mut self,
        stmt: &CreateViewStmt,
        sql: &str,
        first_schema: Option<&str>,
        sink: &mut dyn Sink,
    ) -> Result<String> {
        self.read_only_check("CREATE VIEW")?;
        let explicit_temp = self.is_temp_creation(stmt.persistence, &stmt.relation)?;
        let reloptions = view_reloptions(&stmt.options, stmt.check_option)?;
        let rv = &stmt.relation;
        if let Some((param, _)) = tusk_sql::view_query::first_parameter(&stmt.query) {
            let mut err = pg_err!(UNDEFINED_PARAMETER, "there is no parameter {}", param);
            if let Some((_, at)) = tusk_sql::view_query::first_parameter(sql) {
                err = err.position(tusk_sql::char_position(sql, at));
            }
            return Err(err);
        }
        // The stored text, each relation qualified as it resolves now.
        let references_temp = std::cell::Cell::new(false);
        let query = {
            let reader = self.catalog_reader();
            tusk_sql::view_query::qualify_relations(&stmt.query, &mut |r| {
                if let Some(first) = first_schema {
                    if let Some(ns) = reader.namespace_oid(first)? {
                        if reader.relation_oid(ns, &r.name)?.is_some() {
                            return Ok(Some(first.to_string()));
                        }
                    }
                }
                let schema = match reader.resolve(None, &r.name)? {
                    Some(rel) => reader.entry(rel)?.map(|e| e.info.namespace.clone()),
                    None => None,
                };
                if schema.as_deref().is_some_and(is_temp_namespace_name) {
                    references_temp.set(true);
                }
                Ok(schema)
            })?
        };
        // A view over a temporary relation is temporary (PostgreSQL's isQueryUsingTempRelation).
        let temp = explicit_temp || references_temp.get();
        if temp && !explicit_temp {
            sink.notice(
                NoticeSeverity::Notice,
                &pg_err!(
                    SUCCESSFUL_COMPLETION,
                    "view \"{}\" will be a temporary view",
                    rv.name
                ),
            );
        }
        let (namespace, namespace_name) = if temp {
            self.temp_creation_namespace()?
        } else {
            self.checked_creation_namespace(rv.schema.as_deref().or(first_schema))?
        };
        self.lock_relation(namespace, crate::lock::LockMode::AccessExclusive)?;
        if namespace == syscat::PG_CATALOG_NAMESPACE || namespace == syscat::PG_TOAST_NAMESPACE {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to create \"{}.{}\"",
                namespace_name,
                rv.name
            )
            .detail("System catalog modifications are currently disallowed."));
        }
        // Analysed as written (errors point into the statement), unless names must be
        // found in `first_schema` first.
        let raw = match first_schema {
            None => RawStatement {
                stmt: Statement::Select(stmt.select.clone()),
                location: 0,
                len: 0,
            },
            Some(_) => tusk_sql::parse(&query)?
                .pop()
                .ok_or_else(|| Error::internal("view query did not parse"))?,
        };
        let analysed_sql = if first_schema.is_some() { &query } else { sql };
        let prepared = self.plan(&raw, analysed_sql, Vec::new()).map_err(|mut e| {
            if first_schema.is_some() {
                // A position in the rewritten text would point nowhere useful.
                e.position = None;
            }
            e
        })?;
        let Plan::Query(analysed) = &prepared.plan else {
            return Err(Error::internal("view query is not a query"));
        };
        if !analysed.modifying.is_empty() {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "views must not contain data-modifying statements in WITH"
            ));
        }
        if stmt.columns.len() > analysed.columns.len() {
            return Err(pg_err!(
                SYNTAX_ERROR,
                "CREATE VIEW specifies more column names than columns"
            ));
        }
        let mut columns: Vec<ViewColumn> = Vec::with_capacity(analysed.columns.len());
        for (i, c) in analysed.columns.iter().enumerate() {
            let name = stmt
                .columns
                .get(i)
                .cloned()
                .unwrap_or_else(|| c.name.clone());
            if columns.iter().any(|x| x.name == name) {
                return Err(pg_err!(
                    DUPLICATE_COLUMN,
                    "column \"{}\" specified more than once",
                    name
                ));
            }
            let (type_oid, typmod) = if c.type_oid == type_oid::UNKNOWN {
                (type_oid::TEXT, -1)
            } else {
                (c.type_oid, c.typmod)
            };
            columns.push(ViewColumn {
                name,
                type_oid,
                typmod,
            });
        }
        let existing = {
            let reader = self.catalog_reader();
            match reader.relation_oid(namespace, &rv.name)? {
                Some(oid) => reader.entry(oid)?,
                None => None,
            }
        };
        let rowtype;
        let mut new_rowtype = None;
        let view_oid = match existing {
            Some(entry) if stmt.replace => {
                if entry.info.kind != b'v' {
                    return Err(pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not a view", rv.name));
                }
                self.lock_relation(entry.info.oid, crate::lock::LockMode::AccessExclusive)?;
                check_replacement(&entry.info, &columns)?;
                self.remove_view_rule(entry.info.oid)?;
                let oid = entry.info.oid;
                // The row type stays: its attributes are the view's new pg_attribute rows.
                rowtype = self.relation_rowtype(oid)?.map(|t| (t.oid, t.array));
                let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
                let c_oid = class.col("oid");
                self.delete_catalog_rows(syscat::PG_CLASS, move |r| r[c_oid] == Datum::Oid(oid.0))?;
                let attribute = syscat::system_catalog(syscat::PG_ATTRIBUTE).expect("pg_attribute");
                let c_rel = attribute.col("attrelid");
                self.delete_catalog_rows(syscat::PG_ATTRIBUTE, move |r| {
                    r[c_rel] == Datum::Oid(oid.0)
                })?;
                oid
            }
            Some(_) => {
                return Err(pg_err!(
                    DUPLICATE_TABLE,
                    "relation \"{}\" already exists",
                    rv.name
                ))
            }
            None => {
                let cluster = self.db.cluster.clone();
                let oid = cluster.xact.oids.next_oid(&cluster.wal);
                new_rowtype = Some(self.allocate_rowtype(namespace, &rv.name)?);
                rowtype = new_rowtype;
                oid
            }
        };
        self.insert_view_rows(view_oid, namespace, &rv.name, &columns, &query, rowtype)?;
        if let Some(new_rowtype) = new_rowtype {
            let owner = self.current_user_oid()?;
            self.insert_relation_rowtype(view_oid, new_rowtype, namespace, &rv.name, owner)?;
        }
        if !reloptions.is_empty() {
            // The pg_class row just written must be visible to be updated.
            self.txn.command_counter_increment();
            self.store_view_reloptions(view_oid, &reloptions)?;
        }
        if reloptions.iter().any(|o| o.starts_with("check_option=")) {
            // PostgreSQL's DefineView: the option needs an automatically updatable view.
            let reader = self.catalog_reader();
            let lookup = super::lookup::SessionLookup {
                builtin: tusk_executor::BuiltinLookup {
                    settings: &self.output,
                },
                catalog: &reader,
            };
            if let Some(reason) =
                tusk_sql::analyze::view_query_is_auto_updatable(&lookup, &query, true)?
            {
                return Err(pg_err!(
                    FEATURE_NOT_SUPPORTED,
                    "WITH CHECK OPTION is supported only on automatically updatable views"
                )
                .hint(reason));
            }
        }
        self.txn.command_counter_increment();
        Ok("CREATE VIEW".into())
    }

    /// Stores a view's `reloptions`.
    fn store_view_reloptions(&mut self, view: Oid, options: &[String]) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let c_options = class.col("reloptions");
        let datum = Datum::Array(Box::new(tusk_types::adt::array::Array::from_elements(
            type_oid::TEXT,
            options.iter().cloned().map(Datum::Text).collect(),
        )));
        self.update_class_row(view, |r| r[c_options] = datum)
    }

    /// Writes a view's `pg_class`, `pg_attribute`, `pg_rewrite` and `pg_depend` rows.
    fn insert_view_rows(
        &mut self,
        view: Oid,
        namespace: Oid,
        name: &str,
        columns: &[ViewColumn],
        query: &str,
        rowtype: Option<(Oid, Oid)>,
    ) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        self.insert_catalog_row(
            CatalogRow::new(class)
                .set("oid", Datum::Oid(view.0))
                .set("relname", Datum::Text(name.to_string()))
                .set("relnamespace", Datum::Oid(namespace.0))
                .set("reltype", Datum::Oid(rowtype.map_or(0, |(t, _)| t.0)))
                .set("relowner", Datum::Oid(self.current_user_oid()?.0))
                .set("reltuples", Datum::Float4(-1.0))
                .set(
                    "relpersistence",
                    Datum::Text((self.namespace_persistence(namespace)? as char).to_string()),
                )
                .set("relkind", Datum::Text("v".into()))
                .set("relnatts", Datum::Int2(columns.len() as i16))
                .set("relhasrules", Datum::Bool(true))
                .set("relispopulated", Datum::Bool(true))
                .set("relreplident", Datum::Text("n".into())),
        )?;
        for (i, c) in columns.iter().enumerate() {
            self.insert_catalog_row(attribute_row(
                view,
                i as i16 + 1,
                &c.name,
                c.type_oid,
                c.typmod,
                false,
            ))?;
        }
        self.insert_return_rule(view, query)
    }

    /// Writes the `_RETURN` rule of view or materialized view `view` (its query as SQL
    /// text, relations schema-qualified) and the rule's `pg_depend` rows: internal on
    /// `view`, normal on each relation the query reads.
    ///
    /// Errors: catalog read and write errors; the query's parse errors.
    pub(crate) fn insert_return_rule(&mut self, view: Oid, query: &str) -> Result<()> {
        let cluster = self.db.cluster.clone();
        let rule = cluster.xact.oids.next_oid(&cluster.wal);
        let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
        self.insert_catalog_row(
            CatalogRow::new(rewrite)
                .set("oid", Datum::Oid(rule.0))
                .set("rulename", Datum::Text("_RETURN".into()))
                .set("ev_class", Datum::Oid(view.0))
                .set("ev_type", Datum::Text("1".into()))
                .set("ev_enabled", Datum::Text("O".into()))
                .set("is_instead", Datum::Bool(true))
                .set("ev_qual", Datum::Text("<>".into()))
                .set("ev_action", Datum::Text(query.to_string())),
        )?;
        self.insert_depend_row(PG_REWRITE, rule, syscat::PG_CLASS, view, b'i')?;
        let mut read: Vec<Oid> = Vec::new();
        {
            let reader = self.catalog_reader();
            for r in tusk_sql::view_query::relation_refs(query)? {
                if let Some(rel) = reader.resolve(r.schema.as_deref(), &r.name)? {
                    if rel != view && !read.contains(&rel) {
                        read.push(rel);
                    }
                }
            }
        }
        for rel in read {
            self.insert_depend_row(PG_REWRITE, rule, syscat::PG_CLASS, rel, b'n')?;
        }
        Ok(())
    }

    /// Inserts a `pg_depend` row: (`class`, `object`) depends on (`ref_class`, `ref_object`).
    pub(crate) fn insert_depend_row(
        &mut self,
        class: Oid,
        object: Oid,
        ref_class: Oid,
        ref_object: Oid,
        deptype: u8,
    ) -> Result<()> {
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        self.insert_catalog_row(
            CatalogRow::new(depend)
                .set("classid", Datum::Oid(class.0))
                .set("objid", Datum::Oid(object.0))
                .set("objsubid", Datum::Int4(0))
                .set("refclassid", Datum::Oid(ref_class.0))
                .set("refobjid", Datum::Oid(ref_object.0))
                .set("refobjsubid", Datum::Int4(0))
                .set("deptype", Datum::Text((deptype as char).to_string())),
        )
    }

    /// Deletes view `view`'s `_RETURN` rule and the rule's `pg_depend` rows.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_view_rule(&mut self, view: Oid) -> Result<()> {
        let Some(rule) = view_rule(&self.catalog_reader(), view)? else {
            return Ok(());
        };
        let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
        let c_oid = rewrite.col("oid");
        self.delete_catalog_rows(PG_REWRITE, move |r| r[c_oid] == Datum::Oid(rule.oid.0))?;
        let depend = syscat::system_catalog(syscat::PG_DEPEND).expect("pg_depend");
        let (c_class, c_obj) = (depend.col("classid"), depend.col("objid"));
        self.delete_catalog_rows(syscat::PG_DEPEND, move |r| {
            r[c_class] == Datum::Oid(PG_REWRITE.0) && r[c_obj] == Datum::Oid(rule.oid.0)
        })?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// Replaces `ev_action` of rule `rule` (delete and insert, as catalog updates go).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn replace_rule_action(&mut self, rule: Oid, action: String) -> Result<()> {
        let rewrite = syscat::system_catalog(PG_REWRITE).expect("pg_rewrite");
        let (c_oid, c_action) = (rewrite.col("oid"), rewrite.col("ev_action"));
        let Some((_, mut values)) = self
            .catalog_reader()
            .scan(rewrite)?
            .into_iter()
            .find(|(_, r)| r[c_oid] == Datum::Oid(rule.0))
        else {
            return Ok(());
        };
        self.delete_catalog_rows(PG_REWRITE, move |r| r[c_oid] == Datum::Oid(rule.0))?;
        values[c_action] = Datum::Text(action);
        let mut row = CatalogRow::new(rewrite);
        for (i, column) in rewrite.columns.iter().enumerate() {
            row = row.set(&column.name, values[i].clone());
        }
        self.insert_catalog_row(row)?;
        self.txn.command_counter_increment();
        Ok(())
    }

    /// `DROP [MATERIALIZED] VIEW [IF EXISTS] name [, ...] [CASCADE | RESTRICT]`.
    ///
    /// Errors: 42P01 `view "x" does not exist`; 42809 `"t" is not a view` with a hint
    /// naming the right command; 2BP01 when other views depend on it without CASCADE;
    /// 25006.
    pub(crate) fn drop_views(&mut self, stmt: &DropStmt, sink: &mut dyn Sink) -> Result<String> {
        self.read_only_check(&stmt.tag)?;
        let (kind, noun) = if stmt.kind == tusk_sql::ast_ddl::DropKind::MaterializedView {
            (b'm', "materialized view")
        } else {
            (b'v', "view")
        };
        for rv in &stmt.objects {
            let shown = match &rv.schema {
                Some(s) => format!("{s}.{}", rv.name),
                None => rv.name.clone(),
            };
            let resolved = self
                .catalog_reader()
                .resolve(rv.schema.as_deref(), &rv.name)?;
            if let Some(oid) = resolved {
                self.lock_relation(oid, crate::lock::LockMode::AccessExclusive)?;
            }
            let found = match resolved {
                Some(oid) => self.catalog_reader().entry(oid)?,
                None => None,
            };
            let Some(entry) = found else {
                if stmt.missing_ok {
                    sink.notice(
                        NoticeSeverity::Notice,
                        &pg_err!(
                            SUCCESSFUL_COMPLETION,
                            "{} \"{}\" does not exist, skipping",
                            noun,
                            shown
                        ),
                    );
                    continue;
                }
                return Err(pg_err!(
                    UNDEFINED_TABLE,
                    "{} \"{}\" does not exist",
                    noun,
                    shown
                ));
            };
            if entry.info.kind != kind {
                let hint = match entry.info.kind {
                    b'S' => "Use DROP SEQUENCE to remove a sequence.",
                    b'i' | b'I' => "Use DROP INDEX to remove an index.",
                    b'm' => "Use DROP MATERIALIZED VIEW to remove a materialized view.",
                    b'v' => "Use DROP VIEW to remove a view.",
                    _ => "Use DROP TABLE to remove a table.",
                };
                return Err(
                    pg_err!(WRONG_OBJECT_TYPE, "\"{}\" is not a {}", shown, noun).hint(hint),
                );
            }
            self.check_relation_owner(entry.info.oid)?;
            let description = self.relation_description(&entry)?;
            let dependents = self.dependent_objects(&DropRoot::Relation(entry.info.oid))?;
            self.drop_dependents(&description, dependents, stmt.cascade, sink)?;
            self.drop_relation_object(entry.info.oid)?;
        }
        Ok(stmt.tag.clone())
    }
}

/// PostgreSQL's `checkViewTupleDesc`: a replacing query keeps the view's columns (names
/// and types) and may only add columns at the end.
fn check_replacement(old: &tusk_sql::analyze::RelationInfo, new: &[ViewColumn]) -> Result<()> {
    let old_columns: Vec<_> = old.live_columns().map(|(_, c)| c).collect();
    if new.len() < old_columns.len() {
        return Err(pg_err!(
            INVALID_TABLE_DEFINITION,
            "cannot drop columns from view"
        ));
    }
    for (before, after) in old_columns.iter().zip(new) {
        if before.name != after.name {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot change name of view column \"{}\" to \"{}\"",
                before.name,
                after.name
            )
            .hint("Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead."));
        }
        if before.type_oid != after.type_oid || before.typmod != after.typmod {
            return Err(pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot change data type of view column \"{}\" from {} to {}",
                before.name,
                tusk_executor::builtins::format_type_with_typmod(before.type_oid, before.typmod),
                tusk_executor::builtins::format_type_with_typmod(after.type_oid, after.typmod)
            ));
        }
    }
    Ok(())
}
