//! The analyzer's catalog for a session: built-in types, functions, operators and casts
//! from the built-in tables, relations from the heap-stored catalogs through the
//! session's relation cache.

use std::sync::Arc;

use tusk_catalog::syscat;
use tusk_executor::BuiltinLookup;
use tusk_sql::analyze::{
    AggregateDefinition, CastPath, CatalogLookup, FuncCandidate, OperCandidate, RelationInfo,
    TypeInfo,
};
use tusk_types::{Datum, Oid, Result};

use super::function_catalog;
use crate::relcache::CatalogReader;

/// A cast made by `CREATE CAST` (a user `pg_cast` row) from `source` to `target`; read
/// errors leave it out (the coercion then fails with 42846).
fn user_cast(catalog: &CatalogReader<'_>, source: Oid, target: Oid) -> Option<CastPath> {
    use tusk_sql::analyze::CoercionContext;
    let class = tusk_catalog::syscat::system_catalog_by_name("pg_cast")?;
    let rows = catalog.rows(class).ok()?;
    let oid = |d: &Datum| match d {
        Datum::Oid(o) => *o,
        _ => 0,
    };
    let (c_oid, c_source, c_target) = (
        class.col("oid"),
        class.col("castsource"),
        class.col("casttarget"),
    );
    let row = rows.iter().find(|r| {
        oid(&r[c_oid]) >= 16384 && oid(&r[c_source]) == source.0 && oid(&r[c_target]) == target.0
    })?;
    let text = |c: &str| match &row[class.col(c)] {
        Datum::Text(t) => t.clone(),
        _ => String::new(),
    };
    let func = oid(&row[class.col("castfunc")]);
    Some(CastPath {
        func: (func != 0).then_some(Oid(func)),
        context: match text("castcontext").as_str() {
            "i" => CoercionContext::Implicit,
            "a" => CoercionContext::Assignment,
            _ => CoercionContext::Explicit,
        },
        inout: text("castmethod") == "i",
    })
}

/// Takes a table lock for the transaction: (relation, mode) → Ok once granted.
pub(crate) type RelationLocker<'a> = &'a dyn Fn(Oid, crate::lock::LockMode) -> Result<()>;

/// Built-in lookups plus relations.
pub(crate) struct SessionLookup<'a> {
    /// Types, functions, operators, casts.
    pub builtin: BuiltinLookup<'a>,
    /// Relations.
    pub catalog: &'a CatalogReader<'a>,
}

/// A [`SessionLookup`] that takes `AccessShareLock` on each relation it finds (the lock
/// PostgreSQL's parser takes), re-reading the catalogs if they changed while it waited.
pub(crate) struct LockingLookup<'a> {
    /// The lookups.
    pub inner: SessionLookup<'a>,
    /// The lock taker.
    pub locker: RelationLocker<'a>,
    /// A fresh catalog snapshot and the catalog generation now.
    pub fresh_snapshot: &'a dyn Fn() -> (tusk_txn::Snapshot, u64),
    /// The relations locked so far (what a prepared statement depends on).
    pub locked: std::cell::RefCell<Vec<Oid>>,
}

impl CatalogLookup for LockingLookup<'_> {
    fn type_info(&self, oid: Oid) -> Option<TypeInfo> {
        self.inner.type_info(oid)
    }
    fn relation_row_type(&self, rel: Oid) -> Option<Oid> {
        self.inner.relation_row_type(rel)
    }
    fn range_subtype(&self, oid: Oid) -> Option<Oid> {
        self.inner.range_subtype(oid)
    }
    fn multirange_range(&self, oid: Oid) -> Option<Oid> {
        self.inner.multirange_range(oid)
    }
    fn range_multirange(&self, oid: Oid) -> Option<Oid> {
        self.inner.range_multirange(oid)
    }
    fn type_by_name(&self, name: &str) -> Option<TypeInfo> {
        self.inner.type_by_name(name)
    }
    fn qualified_type(&self, schema: &str, name: &str) -> Result<Option<TypeInfo>> {
        self.inner.qualified_type(schema, name)
    }
    fn operators(&self, name: &str) -> Vec<OperCandidate> {
        self.inner.operators(name)
    }
    fn functions(&self, name: &str) -> Vec<FuncCandidate> {
        self.inner.functions(name)
    }
    fn function(&self, oid: Oid) -> Option<FuncCandidate> {
        self.inner.function(oid)
    }
    fn aggregate_definition(&self, proc: Oid) -> Option<AggregateDefinition> {
        self.inner.aggregate_definition(proc)
    }
    fn schema_functions(&self, schema: &str, name: &str) -> Option<Vec<FuncCandidate>> {
        self.inner.schema_functions(schema, name)
    }
    fn cast(&self, source: Oid, target: Oid) -> Option<CastPath> {
        self.inner.cast(source, target)
    }
    fn input_literal(&self, text: &str, type_oid: Oid, typmod: i32) -> Result<Datum> {
        self.inner.input_literal(text, type_oid, typmod)
    }
    fn format_type(&self, oid: Oid) -> String {
        self.inner.format_type(oid)
    }
    fn relation(&self, schema: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        let catalog = self.inner.catalog;
        for _ in 0..10 {
            let Some(rel) = catalog.resolve(schema, name)? else {
                return Ok(None);
            };
            (self.locker)(rel, crate::lock::LockMode::AccessShare)?;
            if !self.locked.borrow().contains(&rel) {
                self.locked.borrow_mut().push(rel);
            }
            let (snapshot, generation) = (self.fresh_snapshot)();
            if generation != catalog.generation.get() {
                // Catalogs changed since the snapshot (perhaps while we waited).
                catalog.refresh(snapshot, generation);
                if catalog.resolve(schema, name)? != Some(rel) {
                    continue;
                }
            }
            return Ok(catalog.entry(rel)?.map(|e| e.info.clone()));
        }
        Ok(None)
    }
    fn inheritance_descendants(&self, parent: Oid) -> Result<Vec<Arc<RelationInfo>>> {
        let catalog = self.inner.catalog;
        let mut found = Vec::new();
        for rel in super::inheritance::inheritance_descendants(catalog, parent)? {
            (self.locker)(rel, crate::lock::LockMode::AccessShare)?;
            if !self.locked.borrow().contains(&rel) {
                self.locked.borrow_mut().push(rel);
            }
            // A child dropped while we waited is left out, as PostgreSQL skips it.
            if let Some(entry) = catalog.entry(rel)? {
                found.push(entry.info.clone());
            }
        }
        Ok(found)
    }
    fn partitions_to_scan(
        &self,
        parent: Oid,
        condition: &tusk_sql::analyze::partition_prune::PruneCondition,
    ) -> Result<Option<Vec<Oid>>> {
        self.inner.partitions_to_scan(parent, condition)
    }
    fn view_query(&self, view: Oid) -> Result<Option<String>> {
        self.inner.view_query(view)
    }
    fn relation_options(&self, relation: Oid) -> Result<Vec<String>> {
        self.inner.relation_options(relation)
    }
    fn row_security(
        &self,
        relation: Oid,
        view: Option<Oid>,
    ) -> Result<Option<Arc<tusk_sql::analyze::RowSecurity>>> {
        self.inner.row_security(relation, view)
    }
    fn domain(&self, oid: Oid) -> Option<tusk_sql::analyze::DomainInfo> {
        self.inner.domain(oid)
    }
    fn composite_fields(&self, oid: Oid) -> Option<Vec<(String, Oid, i32)>> {
        self.inner.composite_fields(oid)
    }
}

fn user_type_info(t: crate::user_types::UserTypeRow) -> TypeInfo {
    TypeInfo {
        oid: t.oid,
        name: t.name,
        category: t.category,
        preferred: false,
        typtype: t.typtype,
        elem: t.elem,
    }
}

impl CatalogLookup for SessionLookup<'_> {
    fn range_subtype(&self, oid: Oid) -> Option<Oid> {
        self.builtin.range_subtype(oid)
    }
    fn multirange_range(&self, oid: Oid) -> Option<Oid> {
        self.builtin.multirange_range(oid)
    }
    fn range_multirange(&self, oid: Oid) -> Option<Oid> {
        self.builtin.range_multirange(oid)
    }
    fn relation_row_type(&self, rel: Oid) -> Option<Oid> {
        let pg_type = syscat::system_catalog(syscat::PG_TYPE)?;
        let rows = self.catalog.rows(pg_type).ok()?;
        let found = rows
            .matching(pg_type.col("typrelid"), rel)
            .find(|r| r[pg_type.col("typtype")] == Datum::Text("c".into()))
            .and_then(|r| match r[pg_type.col("oid")] {
                Datum::Oid(o) => Some(Oid(o)),
                _ => None,
            });
        found
    }
    fn type_info(&self, oid: Oid) -> Option<TypeInfo> {
        self.builtin.type_info(oid).or_else(|| {
            crate::user_types::user_type(self.catalog, oid)
                .ok()
                .flatten()
                .map(user_type_info)
        })
    }
    fn type_by_name(&self, name: &str) -> Option<TypeInfo> {
        self.builtin.type_by_name(name).or_else(|| {
            crate::user_types::user_type_by_name(self.catalog, None, name)
                .ok()
                .flatten()
                .map(user_type_info)
        })
    }
    fn qualified_type(&self, schema: &str, name: &str) -> Result<Option<TypeInfo>> {
        if self.catalog.namespace_oid(schema)?.is_none() {
            return Err(tusk_types::pg_err!(
                INVALID_SCHEMA_NAME,
                "schema \"{}\" does not exist",
                schema
            ));
        }
        if schema == "pg_catalog" {
            return Ok(self.builtin.type_by_name(name));
        }
        Ok(
            crate::user_types::user_type_by_name(self.catalog, Some(schema), name)?
                .map(user_type_info),
        )
    }
    fn operators(&self, name: &str) -> Vec<OperCandidate> {
        self.builtin.operators(name)
    }
    fn functions(&self, name: &str) -> Vec<FuncCandidate> {
        let mut found = self.builtin.functions(name);
        // User-defined functions of the schemas on the search path (read errors leave
        // them out: the call then fails to resolve with 42883).
        let namespaces = function_catalog::search_namespaces(self.catalog).unwrap_or_default();
        if let Ok(user) = function_catalog::user_functions(self.catalog, name, Some(&namespaces)) {
            found.extend(user.iter().map(|f| f.candidate(self.builtin.settings)));
        }
        found
    }
    fn aggregate_definition(&self, proc: Oid) -> Option<AggregateDefinition> {
        self.builtin.aggregate_definition(proc).or_else(|| {
            super::aggregate_ddl::aggregate_definition(self.catalog, proc)
                .ok()
                .flatten()
        })
    }
    fn function(&self, oid: Oid) -> Option<FuncCandidate> {
        self.builtin.function(oid).or_else(|| {
            function_catalog::user_function(self.catalog, oid)
                .ok()
                .flatten()
                .map(|f| f.candidate(self.builtin.settings))
        })
    }
    fn schema_functions(&self, schema: &str, name: &str) -> Option<Vec<FuncCandidate>> {
        let ns = self.catalog.namespace_oid(schema).ok()??;
        let user = function_catalog::user_functions(self.catalog, name, Some(&[ns])).ok()?;
        Some(
            user.iter()
                .map(|f| f.candidate(self.builtin.settings))
                .collect(),
        )
    }
    fn cast(&self, source: Oid, target: Oid) -> Option<CastPath> {
        self.builtin
            .cast(source, target)
            .or_else(|| user_cast(self.catalog, source, target))
    }
    fn input_literal(&self, text: &str, type_oid: Oid, typmod: i32) -> Result<Datum> {
        if matches!(
            type_oid,
            tusk_types::type_oid::REGCLASS
                | tusk_types::type_oid::REGNAMESPACE
                | tusk_types::type_oid::REGROLE
        ) {
            let names =
                super::catalog_names::Names(super::catalog_names::ReaderNames(self.catalog));
            return tusk_executor::io::catalog_name_in_with(text, type_oid, &names).map(Datum::Oid);
        }
        if type_oid == tusk_types::type_oid::REGPROCEDURE {
            let t = text.trim();
            if t != "-" && !t.bytes().all(|b| b.is_ascii_digit()) {
                let names =
                    super::catalog_names::Names(super::catalog_names::ReaderNames(self.catalog));
                return tusk_executor::io::regprocedure_in_with(
                    t,
                    self.builtin.settings,
                    Some(&names),
                )
                .map(Datum::Oid);
            }
        }
        if type_oid == tusk_types::type_oid::REGPROC {
            let t = text.trim();
            if t != "-" && !t.bytes().all(|b| b.is_ascii_digit()) {
                let names =
                    super::catalog_names::Names(super::catalog_names::ReaderNames(self.catalog));
                return tusk_executor::io::regproc_in_with(t, Some(&names)).map(Datum::Oid);
            }
        }
        self.builtin.input_literal(text, type_oid, typmod)
    }
    fn format_type(&self, oid: Oid) -> String {
        match crate::user_types::user_type(self.catalog, oid)
            .ok()
            .flatten()
        {
            Some(t) if t.category == b'A' => format!("{}[]", self.format_type(t.elem)),
            Some(t) => t.name,
            None => self.builtin.format_type(oid),
        }
    }
    fn relation(&self, schema: Option<&str>, name: &str) -> Result<Option<Arc<RelationInfo>>> {
        let Some(rel) = self.catalog.resolve(schema, name)? else {
            return Ok(None);
        };
        Ok(self.catalog.entry(rel)?.map(|e| e.info.clone()))
    }
    fn inheritance_descendants(&self, parent: Oid) -> Result<Vec<Arc<RelationInfo>>> {
        let mut found = Vec::new();
        for rel in super::inheritance::inheritance_descendants(self.catalog, parent)? {
            if let Some(entry) = self.catalog.entry(rel)? {
                found.push(entry.info.clone());
            }
        }
        Ok(found)
    }
    fn partitions_to_scan(
        &self,
        parent: Oid,
        condition: &tusk_sql::analyze::partition_prune::PruneCondition,
    ) -> Result<Option<Vec<Oid>>> {
        super::partition_prune::partitions_to_scan(
            self.catalog,
            parent,
            condition,
            self.builtin.settings,
        )
    }
    fn view_query(&self, view: Oid) -> Result<Option<String>> {
        super::view_ddl::view_rule(self.catalog, view).map(|r| r.map(|r| r.query))
    }
    fn relation_options(&self, relation: Oid) -> Result<Vec<String>> {
        super::view_ddl::relation_reloptions(self.catalog, relation)
    }
    fn row_security(
        &self,
        relation: Oid,
        view: Option<Oid>,
    ) -> Result<Option<Arc<tusk_sql::analyze::RowSecurity>>> {
        let Some((user, enabled)) = &self.catalog.row_security_user else {
            return Ok(None);
        };
        super::policy_ddl::row_security(self.catalog, user, *enabled, relation, view)
    }
    fn composite_fields(&self, oid: Oid) -> Option<Vec<(String, Oid, i32)>> {
        self.builtin.composite_fields(oid)
    }
    fn domain(&self, oid: Oid) -> Option<tusk_sql::analyze::DomainInfo> {
        crate::user_types::domain_info(self.catalog, oid)
            .ok()
            .flatten()
    }
}

/// The schemas of `search_path` in search order: `pg_catalog` first unless listed,
/// `"$user"` replaced by the user's name.
pub(crate) fn search_path(setting: &str, user: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in setting.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let name = if let Some(quoted) = item.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            quoted.replace("\"\"", "\"")
        } else {
            item.to_lowercase()
        };
        let name = if name == "$user" {
            user.to_string()
        } else {
            name
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if !out.iter().any(|s| s == "pg_catalog") {
        out.insert(0, "pg_catalog".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_puts_pg_catalog_first_unless_listed() {
        assert_eq!(
            search_path("\"$user\", public", "alice"),
            vec!["pg_catalog", "alice", "public"]
        );
        assert_eq!(
            search_path("public, pg_catalog", "bob"),
            vec!["public", "pg_catalog"]
        );
        assert_eq!(
            search_path("\"My Schema\"", "x"),
            vec!["pg_catalog", "My Schema"]
        );
    }
}
