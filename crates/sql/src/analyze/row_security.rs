//! Row-level security: the policies of a table with `relrowsecurity` become conditions
//! of the statements that use it, as PostgreSQL's rewriter adds them
//! (`get_row_security_policies`).
//!
//! Rules:
//! 1. Whether policies apply is the catalog's answer for the checking user (the current
//!    user, or the owner of the view being expanded): not for superusers, BYPASSRLS
//!    roles, nor the table's owner unless FORCE ROW LEVEL SECURITY
//!    ([`CatalogLookup::row_security`]); with `row_security = off` that answer is an
//!    error instead.
//! 2. Security quals (SELECT, UPDATE, DELETE): each restrictive policy's USING, then the
//!    OR of the permissive ones'; no permissive policy at all is `false` (default deny).
//!    UPDATE and DELETE that read the table's columns (WHERE, RETURNING) add the SELECT
//!    policies' quals after their own; SELECT ... FOR UPDATE/SHARE adds the UPDATE
//!    policies' before SELECT's.
//! 3. A table in FROM becomes a subquery filtering its rows by the security quals, which
//!    the planner never flattens, so no condition of the user's query runs on a row the
//!    policies hide (PostgreSQL's security barrier). For UPDATE and DELETE the quals come
//!    first in the target's WHERE, which evaluates its conjuncts in order.
//! 4. New rows (INSERT, UPDATE) are checked as PostgreSQL's WITH CHECK OPTIONs: the OR
//!    of the permissive policies' WITH CHECK (USING when a policy has none), then each
//!    restrictive one's under its name; RETURNING adds the SELECT policies' USING.
//!    A failing row is 42501 `new row violates row-level security policy ...`.
//! 5. A policy's expression is its stored SQL text analysed over the table's row; a
//!    policy reached again while its own expressions are analysed is 42P17.
//!
//! Entry points: `Analyzer::row_security_scan` (from `from.rs`),
//! `Analyzer::row_security_quals`, `Analyzer::row_security_checks` (from `dml.rs`).

use std::sync::Arc;

use tusk_types::{pg_err, type_oid, Datum, Error, Result};

use super::dml::{relation_scope, CheckConstraint, CheckKind};
use super::expr::Scope;
use super::select::{FromSource, Query};
use super::typed::TypedExpr;
use super::{Analyzer, RelationInfo};
use crate::ast_policy::PolicyCommand;

/// One policy of a table that applies to the checking user (its roles include the user,
/// through membership, or PUBLIC).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `polname`.
    pub name: String,
    /// `polcmd`.
    pub command: PolicyCommand,
    /// `polpermissive`.
    pub permissive: bool,
    /// `polqual` as SQL text.
    pub using: Option<String>,
    /// `polwithcheck` as SQL text.
    pub check: Option<String>,
}

/// The policies of a table whose rows are subject to row-level security for the checking
/// user, in name order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowSecurity {
    /// The policies applying to the user (all commands).
    pub policies: Vec<Policy>,
}

impl RowSecurity {
    /// The permissive and the restrictive policies for `command` (`FOR ALL` ones too).
    fn for_command(&self, command: PolicyCommand) -> (Vec<&Policy>, Vec<&Policy>) {
        self.policies
            .iter()
            .filter(|p| p.command == PolicyCommand::All || p.command == command)
            .partition(|p| p.permissive)
    }
}

/// What a row-security check of a new row enforces (PostgreSQL's `WCO_RLS_*` kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSecurityCheck {
    /// A new row of INSERT or UPDATE (`WCO_RLS_INSERT_CHECK`, `WCO_RLS_UPDATE_CHECK`).
    NewRow,
    /// The existing row of INSERT ... ON CONFLICT DO UPDATE against the UPDATE policies'
    /// USING (`WCO_RLS_CONFLICT_CHECK`).
    ConflictRow,
}

fn false_const() -> TypedExpr {
    TypedExpr::Const {
        value: Datum::Bool(false),
        type_oid: type_oid::BOOL,
        typmod: -1,
        location: usize::MAX,
    }
}

fn any_of(mut quals: Vec<TypedExpr>) -> TypedExpr {
    if quals.len() == 1 {
        quals.pop().expect("one qual")
    } else {
        TypedExpr::Or(quals)
    }
}

impl Analyzer<'_> {
    /// The row security of `info` for the checking user (rule 1); `None` when no policy
    /// applies.
    ///
    /// Errors: 42501 `query would be affected by row-level security policy for table
    /// "t"` with `row_security = off`; catalog read errors.
    pub(super) fn row_security_of(&self, info: &RelationInfo) -> Result<Option<Arc<RowSecurity>>> {
        if !matches!(info.kind, b'r' | b'p') {
            return Ok(None);
        }
        let relation = match self.row_security_source {
            Some((child, parent)) if child == info.oid => parent,
            _ => info.oid,
        };
        self.catalog
            .row_security(relation, self.expanding_views.last().copied())
    }

    /// Policy text `text` of table `info` analysed as a boolean over `scope` (rule 5).
    fn policy_expr(&mut self, info: &RelationInfo, text: &str, scope: &Scope) -> Result<TypedExpr> {
        let policy_relation = match self.row_security_source {
            Some((child, parent)) if child == info.oid => parent,
            _ => info.oid,
        };
        if self.expanding_policies.contains(&policy_relation) {
            return Err(pg_err!(
                INVALID_OBJECT_DEFINITION,
                "infinite recursion detected in policy for relation \"{}\"",
                info.name
            ));
        }
        let parsed = crate::parse_expr(text)?;
        let sql = std::mem::take(&mut self.sql);
        let source = self.row_security_source.take();
        self.expanding_policies.push(policy_relation);
        let result = self
            .analyze_expr(&parsed, scope)
            .and_then(|e| self.coerce_to_boolean(e, "POLICY", usize::MAX));
        self.expanding_policies.pop();
        self.row_security_source = source;
        self.sql = sql;
        result.map_err(|mut e: Error| {
            e.position = None;
            e
        })
    }

    /// The security quals of `command` (rule 2), in evaluation order.
    fn command_quals(
        &mut self,
        info: &RelationInfo,
        rs: &RowSecurity,
        command: PolicyCommand,
        scope: &Scope,
        out: &mut Vec<TypedExpr>,
    ) -> Result<()> {
        let (permissive, restrictive) = rs.for_command(command);
        let mut any = Vec::new();
        for p in &permissive {
            if let Some(text) = &p.using {
                any.push(self.policy_expr(info, text, scope)?);
            }
        }
        if any.is_empty() {
            out.push(false_const());
            return Ok(());
        }
        for p in &restrictive {
            if let Some(text) = &p.using {
                out.push(self.policy_expr(info, text, scope)?);
            }
        }
        out.push(any_of(any));
        Ok(())
    }

    /// The security quals of the target of UPDATE or DELETE (`command`) over its row;
    /// `reads` when the statement reads the target's columns (rule 2). Empty when no
    /// policy applies.
    ///
    /// Errors: those of [`Analyzer::row_security_of`] and of analysing the policies.
    pub(super) fn row_security_quals(
        &mut self,
        info: &RelationInfo,
        command: PolicyCommand,
        reads: bool,
    ) -> Result<Vec<TypedExpr>> {
        let Some(rs) = self.row_security_of(info)? else {
            return Ok(Vec::new());
        };
        let scope = relation_scope(info, &info.name);
        let mut out = Vec::new();
        self.command_quals(info, &rs, command, &scope, &mut out)?;
        if reads {
            self.command_quals(info, &rs, PolicyCommand::Select, &scope, &mut out)?;
        }
        Ok(out)
    }

    /// The checks of `command`'s policies on a new (or, for [`RowSecurityCheck::ConflictRow`],
    /// existing) row of `info` (rule 4); `force_using` checks the USING expressions
    /// (SELECT policies for RETURNING, UPDATE policies on the conflicting row).
    pub(super) fn row_security_checks(
        &mut self,
        info: &RelationInfo,
        rs: &RowSecurity,
        command: PolicyCommand,
        force_using: bool,
        kind: RowSecurityCheck,
    ) -> Result<Vec<CheckConstraint>> {
        let scope = relation_scope(info, &info.name);
        let (permissive, restrictive) = rs.for_command(command);
        let text_of = |p: &Policy| -> Option<String> {
            if force_using {
                p.using.clone()
            } else {
                p.check.clone().or_else(|| p.using.clone())
            }
        };
        let mut any = Vec::new();
        for p in &permissive {
            if let Some(text) = text_of(p) {
                any.push(self.policy_expr(info, &text, &scope)?);
            }
        }
        let check = |expr: TypedExpr, policy: Option<String>| CheckConstraint {
            name: info.name.clone(),
            expr,
            kind: CheckKind::RowSecurity { policy, kind },
        };
        if any.is_empty() {
            return Ok(vec![check(false_const(), None)]);
        }
        let mut out = vec![check(any_of(any), None)];
        for p in &restrictive {
            if let Some(text) = text_of(p) {
                let expr = self.policy_expr(info, &text, &scope)?;
                out.push(check(expr, Some(p.name.clone())));
            }
        }
        Ok(out)
    }

    /// A scan of table `info` in FROM (`source`, `width` slots) with its rows filtered
    /// by the security quals (rule 3), or `source` itself when no policy applies.
    /// `locked`: a locking clause applies to it (UPDATE policies too).
    ///
    /// Errors: those of [`Analyzer::row_security_of`] and of analysing the policies.
    pub(super) fn row_security_scan(
        &mut self,
        info: &RelationInfo,
        source: FromSource,
        width: usize,
        locked: bool,
    ) -> Result<FromSource> {
        let Some(rs) = self.row_security_of(info)? else {
            return Ok(source);
        };
        let scope = relation_scope(info, &info.name);
        let mut quals = Vec::new();
        if locked {
            self.command_quals(info, &rs, PolicyCommand::Update, &scope, &mut quals)?;
        }
        self.command_quals(info, &rs, PolicyCommand::Select, &scope, &mut quals)?;
        let columns = super::inheritance::scan_output_columns(info, width);
        let targets = TypedExpr::column_refs(columns.iter().map(|c| (c.type_oid, c.typmod)));
        let filter = if quals.len() == 1 {
            quals.pop()
        } else {
            Some(TypedExpr::And(quals))
        };
        Ok(FromSource::Subquery(Box::new(Query {
            modifying: Vec::new(),
            columns,
            source,
            filter,
            aggregation: None,
            windows: Vec::new(),
            targets,
            sort: Vec::new(),
            distinct: None,
            limit: None,
            offset: None,
            target_locations: Vec::new(),
            row_marks: Vec::new(),
        })))
    }

    /// A policy expression of CREATE or ALTER POLICY over table `info`'s row.
    ///
    /// Errors: expression errors; 42804 `argument of POLICY must be type boolean, not
    /// type x`.
    pub fn analyze_policy_expr(
        &mut self,
        info: &RelationInfo,
        expr: &crate::ast::Expr,
    ) -> Result<TypedExpr> {
        let scope = relation_scope(info, &info.name);
        let e = self.analyze_expr(expr, &scope)?;
        self.coerce_to_boolean(e, "POLICY", usize::MAX)
    }

    /// Whether `info` is subject to row-level security here: the caller refuses what it
    /// cannot enforce (0A000) rather than run it unchecked.
    ///
    /// Errors: those of [`Analyzer::row_security_of`].
    pub(super) fn has_row_security(&self, info: &RelationInfo) -> Result<bool> {
        Ok(self.row_security_of(info)?.is_some())
    }
}
