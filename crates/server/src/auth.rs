//! Client authentication: the exchange between StartupMessage and AuthenticationOk
//! (PostgreSQL docs ch. 21 "Client Authentication"). Methods plug in behind
//! [`Authenticator`]; today tusk has `trust`, as initdb's pg_hba.conf configures for local
//! connections. Password, MD5 and SCRAM-SHA-256 come with roles and pg_hba.conf rules.

use std::io::BufReader;

use tusk_engine::StartupInfo;
use tusk_protocol::BackendWriter;
use tusk_types::Result;

use crate::conn::Conn;

/// The channel an authentication method talks over: it may send requests
/// (AuthenticationCleartextPassword, AuthenticationSASL, ...) and read the client's answers.
/// `trust` reads none of it; the password methods will.
#[allow(dead_code)]
pub struct AuthExchange<'a> {
    /// Client messages.
    pub reader: &'a mut BufReader<Conn>,
    /// The socket, for flushing requests.
    pub conn: &'a mut Conn,
    /// Output buffer.
    pub out: &'a mut BackendWriter,
}

/// An authentication method.
pub trait Authenticator: Send + Sync {
    /// Proves the client is `startup.user`; on success the caller sends AuthenticationOk.
    ///
    /// Errors: FATAL 28P01 `password authentication failed for user "x"` and the like.
    fn authenticate(&self, startup: &StartupInfo, exchange: &mut AuthExchange<'_>) -> Result<()>;
}

/// `trust`: anyone who can connect is who they say.
pub struct Trust;

impl Authenticator for Trust {
    fn authenticate(&self, _startup: &StartupInfo, _exchange: &mut AuthExchange<'_>) -> Result<()> {
        Ok(())
    }
}
