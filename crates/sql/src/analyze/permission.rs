//! The privileges a statement needs on the relations it uses (PostgreSQL's range-table
//! `requiredPerms` and `checkAsUser`), gathered during analysis for the executor to check
//! before running it (PostgreSQL's `ExecCheckRTPerms`).
//!
//! Rules:
//! 1. Every relation a statement names in FROM (views included) needs SELECT; the target
//!    of INSERT, UPDATE, DELETE needs that privilege, and SELECT too when the statement
//!    reads its rows (UPDATE or DELETE with WHERE, RETURNING).
//! 2. A relation reached inside a view is checked with the rights of the view's owner,
//!    not the current user (`view` names the innermost view being expanded). The built-in
//!    system views (`pg_roles`, `pg_user_mappings`, ...) belong to the bootstrap superuser,
//!    so what they read is not checked ([`SYSTEM_VIEW`]): they are how everyone may see
//!    the public parts of catalogs like `pg_authid`.
//!
//! Entry points: [`RelationUse`], `Analyzer::relation_uses`.

use tusk_types::Oid;

use super::Analyzer;

/// The `view` of relations read inside a built-in system view, which has no `pg_class`
/// row: checked as its owner, the bootstrap superuser (rule 2).
pub const SYSTEM_VIEW: Oid = Oid(0);

/// One relation a statement uses and the privileges it needs there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationUse {
    /// The relation.
    pub relation: Oid,
    /// The view whose query names it, if any: its owner's rights are checked (rule 2).
    pub view: Option<Oid>,
    /// The privileges (`tusk_types::adt::acl::ACL_*` bits).
    pub required: u32,
}

impl Analyzer<'_> {
    /// Records that the statement needs `required` on `relation` (merged with an earlier
    /// use of the same relation at the same view level).
    pub(super) fn note_relation_use(&mut self, relation: Oid, required: u32) {
        let view = self.expanding_views.last().copied();
        if let Some(u) = self
            .relation_uses
            .iter_mut()
            .find(|u| u.relation == relation && u.view == view)
        {
            u.required |= required;
            return;
        }
        self.relation_uses.push(RelationUse {
            relation,
            view,
            required,
        });
    }
}
