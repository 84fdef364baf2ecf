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
//! Known difference: the change is not undone when the transaction rolls back, and
//! `SET LOCAL` lasts past the transaction.
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

impl Session {
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
        self.user = row.name.clone();
        self.superuser = row.superuser;
        self.config.set_internal("role", &shown)?;
        self.config
            .set_internal("is_superuser", if row.superuser { "on" } else { "off" })?;
        Ok(())
    }
}
