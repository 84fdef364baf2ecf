//! Temporary relations: each session's own schema `pg_temp_N` (and `pg_toast_temp_N`),
//! as PostgreSQL's `namespace.c` (`InitTempTableNamespace`, `RemoveTempRelations`) and
//! `tablecmds.c` (`PreCommit_on_commit_actions`) keep them.
//!
//! Rules:
//! 1. `N` is the session's backend number (its pid); the schema is made at the first
//!    temporary object the session creates, in that transaction. Whatever a dead session
//!    with the same number left in it is dropped first.
//! 2. Once made, the schema is searched before everything else unless `search_path`
//!    names `pg_temp` explicitly, which puts it there; `pg_temp` in a qualified name
//!    means it. New objects never go there implicitly (only by `TEMP` or `pg_temp.`).
//! 3. Other sessions never search it: their search paths hold their own temp schema only.
//! 4. `DISCARD TEMP`, `DISCARD ALL` and the end of the session drop every relation in it.
//!    At session start, temp schemas of backends no longer running are emptied (what a
//!    crash left behind).
//! 5. At each commit, before the commit record: `ON COMMIT DROP` tables created by the
//!    transaction are dropped, `ON COMMIT DELETE ROWS` tables are truncated.
//!
//! Temporary relations are WAL-logged like permanent ones (PostgreSQL does not log
//! them): tusk's buffer pool and recovery treat all relation files alike, and crash
//! recovery then simply replays them; rule 4 removes them afterwards.
//!
//! Entry points: [`Session::temp_creation_namespace`], [`Session::discard_temp`],
//! [`Session::pre_commit_on_commit_actions`], [`Session::remove_orphan_temp_namespaces`].

use tusk_catalog::syscat::{self, CatalogRow};
use tusk_sql::ast::RangeVar;
use tusk_sql::ast_ddl::{DropKind, DropStmt, OnCommit, TruncateStmt};
use tusk_types::{Datum, Oid, Result};

use super::Session;
use crate::lock::LockMode;

/// Prefix of temp schema names.
const TEMP_PREFIX: &str = "pg_temp_";
/// Prefix of temp TOAST schema names.
const TOAST_TEMP_PREFIX: &str = "pg_toast_temp_";

/// Whether `name` is a temp schema's name (`pg_temp_N`).
pub(crate) fn is_temp_namespace_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The schemas of `search_path` in search order (see `lookup::search_path`) with the
/// session's temp schema `temp` (once it exists) where rule 2 puts it; a `pg_temp` entry
/// is dropped while there is none.
pub(crate) fn search_path_with_temp(mut path: Vec<String>, temp: Option<&str>) -> Vec<String> {
    match path.iter().position(|s| s == "pg_temp") {
        Some(at) => match temp {
            Some(t) => path[at] = t.to_string(),
            None => {
                path.remove(at);
            }
        },
        None => {
            if let Some(t) = temp {
                path.insert(0, t.to_string());
            }
        }
    }
    path
}

impl Session {
    /// This session's temp schema name, `pg_temp_N`.
    pub(crate) fn temp_namespace_name(&self) -> String {
        format!("{TEMP_PREFIX}{}", self.pid)
    }

    /// The session's temp schema name once it has made it (rule 2), for search paths.
    pub(crate) fn active_temp_namespace(&self) -> Option<String> {
        self.temp_namespace_ready
            .then(|| self.temp_namespace_name())
    }

    /// Whether a relation created with `persistence` as `rv` is temporary: `TEMP`, or a
    /// name qualified with `pg_temp` or the session's temp schema.
    ///
    /// Errors: 42P16 `cannot create temporary relation in non-temporary schema`,
    /// `cannot create relations in temporary schemas of other sessions`.
    pub(crate) fn is_temp_creation(&self, persistence: u8, rv: &RangeVar) -> Result<bool> {
        if let Some(schema) = rv.schema.as_deref() {
            if is_temp_namespace_name(schema) && schema != self.temp_namespace_name() {
                return Err(tusk_types::pg_err!(
                    INVALID_TABLE_DEFINITION,
                    "cannot create relations in temporary schemas of other sessions"
                ));
            }
        }
        let temp_schema = rv
            .schema
            .as_deref()
            .map(|s| s == "pg_temp" || s == self.temp_namespace_name());
        match (persistence, temp_schema) {
            (b't', Some(false)) => Err(tusk_types::pg_err!(
                INVALID_TABLE_DEFINITION,
                "cannot create temporary relation in non-temporary schema"
            )),
            (b't', _) | (_, Some(true)) => Ok(true),
            _ => Ok(false),
        }
    }

    /// `relpersistence` of a relation created in `namespace`: `t` in a temp schema.
    ///
    /// Errors: catalog read errors.
    pub(crate) fn namespace_persistence(&self, namespace: Oid) -> Result<u8> {
        let name = self.catalog_reader().namespace_name(namespace)?;
        Ok(if name.as_deref().is_some_and(is_temp_namespace_name) {
            b't'
        } else {
            b'p'
        })
    }

    /// The schema a temporary relation is created in: the session's temp schema, made
    /// now if it does not exist, emptied of a dead session's relations first (rule 1).
    ///
    /// Errors: catalog read and write errors; lock waits (57014, 40P01).
    pub(crate) fn temp_creation_namespace(&mut self) -> Result<(Oid, String)> {
        let name = self.temp_namespace_name();
        if self.temp_namespace_ready {
            // Made before: no lock, so sessions making temp tables never wait for each
            // other.
            if let Some(oid) = self.catalog_reader().namespace_oid(&name)? {
                return Ok((oid, name));
            }
        }
        self.lock_relation(syscat::PG_NAMESPACE, LockMode::ShareUpdateExclusive)?;
        let (snapshot, generation) = self.fresh_catalog_snapshot();
        self.catalog_reader().refresh(snapshot, generation);
        let existing = self.catalog_reader().namespace_oid(&name)?;
        let oid = match existing {
            Some(oid) => {
                if !self.temp_namespace_ready {
                    self.drop_relations_in(oid, &name)?;
                }
                oid
            }
            None => {
                let cluster = self.db.cluster.clone();
                let oid = cluster.xact.oids.next_oid(&cluster.wal);
                let toast = cluster.xact.oids.next_oid(&cluster.wal);
                let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
                for (oid, name) in [
                    (oid, name.clone()),
                    (toast, format!("{TOAST_TEMP_PREFIX}{}", self.pid)),
                ] {
                    self.insert_catalog_row(
                        CatalogRow::new(namespace)
                            .set("oid", Datum::Oid(oid.0))
                            .set("nspname", Datum::Text(name))
                            .set("nspowner", Datum::Oid(syscat::BOOTSTRAP_SUPERUSER.0))
                            .set("nspacl", Datum::Null),
                    )?;
                }
                self.txn.command_counter_increment();
                oid
            }
        };
        self.temp_namespace_ready = true;
        Ok((oid, name))
    }

    /// Drops every relation of schema `namespace` (named `name`), dependents included.
    fn drop_relations_in(&mut self, namespace: Oid, name: &str) -> Result<()> {
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_ns, c_name, c_kind) = (
            class.col("relnamespace"),
            class.col("relname"),
            class.col("relkind"),
        );
        let relations: Vec<(String, DropKind)> = self
            .catalog_reader()
            .scan(class)?
            .into_iter()
            .filter(|(_, r)| r[c_ns] == Datum::Oid(namespace.0))
            .filter_map(|(_, r)| {
                let kind = match &r[c_kind] {
                    Datum::Text(k) if k == "r" => DropKind::Table,
                    Datum::Text(k) if k == "v" => DropKind::View,
                    Datum::Text(k) if k == "S" => DropKind::Sequence,
                    // Indexes go with their tables.
                    _ => return None,
                };
                match &r[c_name] {
                    Datum::Text(n) => Some((n.clone(), kind)),
                    _ => None,
                }
            })
            .collect();
        // Views first, then tables (their sequences with them), then what is left.
        let order = |k: &DropKind| match k {
            DropKind::View => 0,
            DropKind::Table => 1,
            _ => 2,
        };
        let mut relations = relations;
        relations.sort_by_key(|(_, k)| order(k));
        let mut sink = super::statement::NullSink;
        let was = std::mem::replace(&mut self.internal_cleanup, true);
        let result = self.drop_each(relations, name, &mut sink);
        self.internal_cleanup = was;
        result
    }

    /// Drops `relations` of temp schema `name` one by one (CASCADE, IF EXISTS).
    fn drop_each(
        &mut self,
        relations: Vec<(String, DropKind)>,
        name: &str,
        sink: &mut super::statement::NullSink,
    ) -> Result<()> {
        for (relation, kind) in relations {
            let tag = match kind {
                DropKind::View => "DROP VIEW",
                DropKind::Sequence => "DROP SEQUENCE",
                _ => "DROP TABLE",
            };
            let stmt = DropStmt {
                kind,
                tag: tag.into(),
                objects: vec![RangeVar {
                    schema: Some(name.to_string()),
                    name: relation,
                    alias: None,
                    location: usize::MAX,
                    inh: true,
                }],
                missing_ok: true,
                cascade: true,
                concurrently: false,
            };
            self.drop_statement(&stmt, sink)?;
        }
        Ok(())
    }

    /// `DISCARD TEMP`: drops every relation in the session's temp schema (rule 4).
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn discard_temp(&mut self) -> Result<()> {
        self.on_commit.clear();
        if !self.temp_namespace_ready {
            return Ok(());
        }
        let name = self.temp_namespace_name();
        let Some(oid) = self.catalog_reader().namespace_oid(&name)? else {
            return Ok(());
        };
        self.drop_relations_in(oid, &name)
    }

    /// Records the `ON COMMIT` action of temporary table `rel` (rule 5).
    pub(crate) fn register_on_commit(&mut self, rel: Oid, action: OnCommit) {
        if matches!(action, OnCommit::DeleteRows | OnCommit::Drop) {
            self.on_commit.push((rel, action));
        }
    }

    /// Runs the `ON COMMIT` actions before the transaction commits (rule 5).
    ///
    /// Errors: those of DROP TABLE and TRUNCATE.
    pub(crate) fn pre_commit_on_commit_actions(&mut self) -> Result<()> {
        // A transaction without an xid wrote no rows and created no tables.
        if self.on_commit.is_empty() || self.txn.top_xid().is_none() {
            return Ok(());
        }
        let was = std::mem::replace(&mut self.internal_cleanup, true);
        let result = self.run_on_commit_actions();
        self.internal_cleanup = was;
        result
    }

    fn run_on_commit_actions(&mut self) -> Result<()> {
        let actions = std::mem::take(&mut self.on_commit);
        let mut sink = super::statement::NullSink;
        let mut truncate = Vec::new();
        for (rel, action) in actions {
            // Tables of a rolled-back CREATE, or dropped since, are gone.
            let Some(entry) = self.catalog_reader().entry(rel)? else {
                continue;
            };
            let target = RangeVar {
                schema: Some(entry.info.namespace.clone()),
                name: entry.info.name.clone(),
                alias: None,
                location: usize::MAX,
                inh: true,
            };
            match action {
                OnCommit::Drop => {
                    let stmt = DropStmt {
                        kind: DropKind::Table,
                        tag: "DROP TABLE".into(),
                        objects: vec![target],
                        missing_ok: true,
                        cascade: true,
                        concurrently: false,
                    };
                    self.drop_statement(&stmt, &mut sink)?;
                }
                _ => {
                    self.on_commit.push((rel, action));
                    truncate.push(target);
                }
            }
        }
        if !truncate.is_empty() {
            let stmt = TruncateStmt {
                relations: truncate,
                restart_identity: false,
                cascade: false,
            };
            self.truncate(&stmt, &mut sink)?;
        }
        Ok(())
    }

    /// Empties the temp schemas of backends that are no longer running (rule 4), each in
    /// its own transaction, so that a crash leaves no temporary relations behind.
    ///
    /// Errors: catalog read and write errors.
    pub(crate) fn remove_orphan_temp_namespaces(&mut self) -> Result<()> {
        let namespace = syscat::system_catalog(syscat::PG_NAMESPACE).expect("pg_namespace");
        let class = syscat::system_catalog(syscat::PG_CLASS).expect("pg_class");
        let (c_oid, c_name) = (namespace.col("oid"), namespace.col("nspname"));
        let c_ns = class.col("relnamespace");
        let orphans: Vec<(Oid, String)> = {
            let reader = self.catalog_reader();
            let used: std::collections::HashSet<u32> = reader
                .scan(class)?
                .into_iter()
                .filter_map(|(_, r)| match r[c_ns] {
                    Datum::Oid(o) => Some(o),
                    _ => None,
                })
                .collect();
            reader
                .scan(namespace)?
                .into_iter()
                .filter_map(|(_, r)| match (&r[c_oid], &r[c_name]) {
                    (Datum::Oid(o), Datum::Text(n))
                        if is_temp_namespace_name(n) && used.contains(o) =>
                    {
                        Some((Oid(*o), n.clone()))
                    }
                    _ => None,
                })
                .collect()
        };
        for (oid, name) in orphans {
            let pid: i32 = name[TEMP_PREFIX.len()..].parse().unwrap_or(-1);
            // A schema named after this session is an earlier run's: this one has made
            // nothing yet.
            if pid != self.pid && self.db.backend_running(pid) {
                continue;
            }
            self.ensure_transaction(false);
            let result = self.drop_relations_in(oid, &name);
            match result {
                Ok(()) => self.commit_implicit()?,
                Err(e) => {
                    self.abort_after_error();
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_schema_goes_first_or_where_pg_temp_is_listed() {
        let path = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            search_path_with_temp(path(&["pg_catalog", "public"]), Some("pg_temp_7")),
            path(&["pg_temp_7", "pg_catalog", "public"])
        );
        assert_eq!(
            search_path_with_temp(
                path(&["pg_catalog", "public", "pg_temp"]),
                Some("pg_temp_7")
            ),
            path(&["pg_catalog", "public", "pg_temp_7"])
        );
        assert_eq!(
            search_path_with_temp(path(&["pg_catalog", "pg_temp", "public"]), None),
            path(&["pg_catalog", "public"])
        );
        assert_eq!(
            search_path_with_temp(path(&["pg_catalog", "public"]), None),
            path(&["pg_catalog", "public"])
        );
    }

    #[test]
    fn temp_schema_names() {
        assert!(is_temp_namespace_name("pg_temp_12"));
        assert!(!is_temp_namespace_name("pg_temp_"));
        assert!(!is_temp_namespace_name("pg_toast_temp_3"));
        assert!(!is_temp_namespace_name("pg_temp_x"));
    }
}
