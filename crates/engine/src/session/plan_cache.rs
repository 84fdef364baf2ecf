//! The plan cache of prepared statements (PostgreSQL's `plancache.c`): a statement
//! prepared by Parse or SQL `PREPARE` keeps its analysis and its generic plan (parameters
//! are runtime values, so one plan serves every execution) until the catalogs change.
//!
//! Rules:
//! 1. A [`Prepared`] records the relations its analysis locked, the relation cache's epoch
//!    after the analysis and the `search_path` it resolved names with ([`CachedPlan`]).
//! 2. Before each execution the statement's relations are locked again (`AccessShareLock`,
//!    PostgreSQL's `AcquireExecutorLocks`); catalog changes committed meanwhile clear the
//!    relation cache, so an unchanged epoch (and `search_path`) means the analysis and the
//!    plan still hold.
//! 3. Otherwise the statement is analysed again from its text with the parameter types it
//!    was prepared with, transparently; its errors are the statement's (a dropped table is
//!    42P01 `relation "t" does not exist`). A statement whose result columns (names, types,
//!    typmods) would change fails with 0A000 `cached plan must not change result type`.
//! 4. The generic plan of a query is made at the first execution after (re-)analysis and
//!    kept only if the relation cache's epoch is still the one the analysis saw.
//!
//! Entry points: [`CachedPlan`], `Session::revalidate`.

use std::sync::{Arc, OnceLock};

use tusk_types::{pg_err, Oid, Result};

use super::extended::{Plan, Prepared};
use super::Session;

/// What a prepared statement's analysis depended on, and its generic plan (rules 1, 4).
#[derive(Debug, Default)]
pub struct CachedPlan {
    /// Relations the analysis locked, in the order it found them.
    pub relations: Vec<Oid>,
    /// The relation cache's epoch after the analysis.
    pub epoch: u64,
    /// `search_path` during the analysis.
    pub search_path: String,
    /// The current user and the `row_security` setting during the analysis: row-level
    /// security policies depend on both.
    pub checked_as: String,
    /// The generic plan of a `Plan::Query`, made at its first execution.
    pub generic: OnceLock<tusk_executor::Plan>,
}

impl CachedPlan {
    /// A record of an analysis that locked `relations`, with no generic plan yet.
    pub fn new(
        relations: Vec<Oid>,
        epoch: u64,
        search_path: String,
        checked_as: String,
    ) -> CachedPlan {
        CachedPlan {
            relations,
            epoch,
            search_path,
            checked_as,
            generic: OnceLock::new(),
        }
    }
}

impl Session {
    /// Makes `prepared` current before it runs (rules 2 and 3): returns it unchanged when
    /// nothing it depends on changed, else a fresh analysis of its text.
    ///
    /// Errors: 0A000 `cached plan must not change result type`; the analysis errors
    /// (42P01 for a dropped table, ...); lock waits (40P01, 57014).
    pub(crate) fn revalidate(&mut self, prepared: &Arc<Prepared>) -> Result<Arc<Prepared>> {
        if matches!(
            prepared.plan,
            Plan::Utility | Plan::Show(..) | Plan::ShowAll
        ) {
            return Ok(prepared.clone());
        }
        for &rel in &prepared.cache.relations {
            self.lock_relation(rel, crate::lock::LockMode::AccessShare)?;
        }
        let generation = self
            .db
            .cluster
            .xact
            .catalog_generation
            .load(std::sync::atomic::Ordering::Acquire);
        self.relcache.borrow_mut().check_generation(generation);
        if prepared.cache.epoch == self.relcache.borrow().epoch()
            && self.config.get_string("search_path") == prepared.cache.search_path
            && self.checked_as() == prepared.cache.checked_as
        {
            return Ok(prepared.clone());
        }
        let fresh = self.plan(&prepared.raw, &prepared.sql, prepared.param_types.clone())?;
        let shape = |p: &Prepared| {
            self.describe(p, &[]).map(|columns| {
                columns
                    .into_iter()
                    .map(|c| (c.name, c.type_oid, c.type_modifier))
                    .collect::<Vec<_>>()
            })
        };
        if shape(prepared) != shape(&fresh) {
            return Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "cached plan must not change result type"
            ));
        }
        Ok(fresh)
    }

    /// [`Session::revalidate`] for the statement kept under `name`, replacing it there
    /// when it was analysed again.
    ///
    /// Errors: as [`Session::revalidate`].
    pub(crate) fn revalidate_named(
        &mut self,
        name: &str,
        prepared: &Arc<Prepared>,
    ) -> Result<Arc<Prepared>> {
        let current = self.revalidate(prepared)?;
        if !Arc::ptr_eq(&current, prepared) {
            if let Some(kept) = self.prepared.get_mut(name) {
                if Arc::ptr_eq(kept, prepared) {
                    *kept = current.clone();
                }
            }
        }
        Ok(current)
    }

    /// The user and `row_security` setting a plan's row-level security depends on.
    pub(crate) fn checked_as(&self) -> String {
        format!("{}/{}", self.user, self.config.get_bool("row_security"))
    }

    /// Whether a generic plan made now for `prepared` may be kept (rule 4).
    pub(crate) fn plan_cacheable(&self, prepared: &Prepared) -> bool {
        prepared.cache.epoch == self.relcache.borrow().epoch()
    }
}
