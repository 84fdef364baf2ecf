//! The session's identities (PostgreSQL's `miscinit.c` user ids): the authenticated user,
//! the session user (`SET SESSION AUTHORIZATION`) and the current user (`SET ROLE`).
//!
//! Rules:
//! 1. `Session::user` is the current user: the role whose rights statements run with,
//!    `current_user` / `current_role` / `user`. `session_user` is the session user.
//! 2. Only a session whose authenticated user is a superuser may change the session
//!    authorization (42501 `permission denied to set session authorization`), except
//!    back to the authenticated user; doing so also resets the role.
//! 3. `SET ROLE r` needs the session user to be a superuser or a member of `r` (42501
//!    `permission denied to set role "r"`); `SET ROLE NONE` / `RESET ROLE` return to the
//!    session user.
//! 4. `is_superuser`, `session_authorization` and `role` report the new state.
//!
//! 5. The change is transactional, as PostgreSQL's GUC machinery makes it: the identities
//!    before the transaction's first change are kept, and restored when the transaction
//!    aborts, or at its end for `SET LOCAL`. (ROLLBACK TO SAVEPOINT does not undo it.)
//!
//! Entry points: [`Session::set_session_authorization`], [`Session::set_role`].

use tusk_types::{pg_err, Result};

use super::role_catalog::is_member_of_role_nosuper;
use super::Session;

/// Who authenticated and who the session user is.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    /// The role the connection authenticated as.
    pub(crate) authenticated_user: String,
    /// Whether it was a superuser at connection start.
    pub(crate) authenticated_superuser: bool,
    /// The session user.
    pub(crate) session_user: String,
    /// Whether the session user is a superuser.
    pub(crate) session_superuser: bool,
}

impl Authorization {
    /// The identities of a new connection by `user`.
    pub(crate) fn new(user: &str, superuser: bool) -> Authorization {
        Authorization {
            authenticated_user: user.to_string(),
            authenticated_superuser: superuser,
            session_user: user.to_string(),
            session_superuser: superuser,
        }
    }
}

/// The identities to restore at transaction end (rule 5).
#[derive(Debug, Clone)]
pub(crate) struct SavedIdentity {
    auth: Authorization,
    user: String,
    superuser: bool,
    role: String,
    /// Restore at commit too (`SET LOCAL`).
    local: bool,
}

impl Session {
    /// Keeps the identities before the transaction's first change (rule 5).
    pub(crate) fn save_identity(&mut self, local: bool) {
        match &mut self.identity_before_xact {
            Some(saved) => saved.local |= local,
            None => {
                self.identity_before_xact = Some(SavedIdentity {
                    auth: self.auth.clone(),
                    user: self.user.clone(),
                    superuser: self.superuser,
                    role: self.config.get_string("role"),
                    local,
                });
            }
        }
    }

    /// At transaction end: puts back the saved identities if the transaction aborted or the
    /// change was `SET LOCAL` (rule 5), and forgets them.
    pub(crate) fn end_identity_change(&mut self, committed: bool) {
        let Some(saved) = self.identity_before_xact.take() else {
            return;
        };
        if committed && !saved.local {
            return;
        }
        self.auth = saved.auth;
        self.user = saved.user;
        self.superuser = saved.superuser;
        for (name, value) in [
            ("session_authorization", self.auth.session_user.clone()),
            ("role", saved.role),
            (
                "is_superuser",
                if self.superuser { "on" } else { "off" }.to_string(),
            ),
        ] {
            if let Err(e) = self.config.set_internal(name, &value) {
                tracing::warn!("could not restore {}: {}", name, e.message);
            }
        }
    }

    /// `SET SESSION AUTHORIZATION role | DEFAULT` (`None`: back to the authenticated user).
    ///
    /// Errors: 42501 (rule 2); 42704 `role "x" does not exist`.
    pub(crate) fn set_session_authorization(&mut self, role: Option<&str>) -> Result<()> {
        let name = role.unwrap_or(&self.auth.authenticated_user).to_string();
        let row = self.existing_role(&name)?;
        if name != self.auth.authenticated_user && !self.auth.authenticated_superuser {
            return Err(pg_err!(
                INSUFFICIENT_PRIVILEGE,
                "permission denied to set session authorization"
            ));
        }
        self.save_identity(false);
        self.auth.session_user = row.name.clone();
        self.auth.session_superuser = row.superuser;
        self.user = row.name.clone();
        self.superuser = row.superuser;
        self.config
            .set_internal("session_authorization", &row.name)?;
        self.config.set_internal("role", "none")?;
        self.config
            .set_internal("is_superuser", if row.superuser { "on" } else { "off" })?;
        Ok(())
    }

    /// `SET ROLE role | NONE` (`None`: back to the session user).
    ///
    /// Errors: 42501 (rule 3); 42704 `role "x" does not exist`.
    pub(crate) fn set_role(&mut self, role: Option<&str>) -> Result<()> {
        let (name, shown) = match role {
            None => (self.auth.session_user.clone(), "none".to_string()),
            Some(r) => (r.to_string(), r.to_string()),
        };
        let row = self.existing_role(&name)?;
        if role.is_some() && !self.auth.session_superuser {
            let me = self.existing_role(&self.auth.session_user)?;
            if !is_member_of_role_nosuper(&self.memberships()?, me.oid, row.oid) {
                return Err(pg_err!(
                    INSUFFICIENT_PRIVILEGE,
                    "permission denied to set role \"{}\"",
                    name
                ));
            }
        }
        self.save_identity(false);
        self.user = row.name.clone();
        self.superuser = row.superuser;
        self.config.set_internal("role", &shown)?;
        self.config
            .set_internal("is_superuser", if row.superuser { "on" } else { "off" })?;
        Ok(())
    }
}
