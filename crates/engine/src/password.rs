//! Stored password verifiers (`pg_authid.rolpassword`), as PostgreSQL 15 writes them:
//!
//! ```text
//! scram-sha-256:  SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
//! md5:            md5<hex md5(password || role name)>
//! ```
//!
//! `password_encryption` chooses the form for a new password; a password given already
//! in one of these forms is stored as given (PostgreSQL's `encrypt_password`). SCRAM uses
//! 4096 PBKDF2-HMAC-SHA-256 iterations and a 16-byte random salt (RFC 5802, RFC 7677).
//! PostgreSQL applies SASLprep to the password first; for ASCII passwords that is the
//! identity, and tusk hashes other passwords as their UTF-8 bytes, which is what
//! PostgreSQL does when SASLprep rejects a password.
//!
//! Entry points: [`encrypt_password`], [`PasswordType::of`], [`scram_verifier`],
//! [`verify_plain_password`].

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest as _, Md5};
use sha2::{Digest as _, Sha256};

/// PostgreSQL's default `scram_iterations`.
pub const SCRAM_ITERATIONS: u32 = 4096;

/// The forms a stored password takes (PostgreSQL's `PasswordType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordType {
    /// Not hashed (never stored by PostgreSQL 10 and later).
    Plaintext,
    /// `md5` + 32 hex digits.
    Md5,
    /// A SCRAM-SHA-256 verifier.
    ScramSha256,
}

impl PasswordType {
    /// The form of a stored or given password (PostgreSQL's `get_password_type`).
    pub fn of(password: &str) -> PasswordType {
        if let Some(hex) = password.strip_prefix("md5") {
            if hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return PasswordType::Md5;
            }
        }
        if parse_scram_verifier(password).is_some() {
            return PasswordType::ScramSha256;
        }
        PasswordType::Plaintext
    }
}

/// The parts of a SCRAM-SHA-256 verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScramVerifier {
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The salt.
    pub salt: Vec<u8>,
    /// `StoredKey` (SHA-256 of ClientKey), 32 bytes.
    pub stored_key: Vec<u8>,
    /// `ServerKey`, 32 bytes.
    pub server_key: Vec<u8>,
}

/// The parts of a SCRAM-SHA-256 verifier, or `None` if `verifier` is not one.
pub fn parse_scram_verifier(verifier: &str) -> Option<ScramVerifier> {
    let rest = verifier.strip_prefix("SCRAM-SHA-256$")?;
    let (iterations_salt, keys) = rest.split_once('$')?;
    let (iterations, salt) = iterations_salt.split_once(':')?;
    let (stored, server) = keys.split_once(':')?;
    let iterations: u32 = iterations.parse().ok()?;
    let salt = BASE64.decode(salt).ok()?;
    let stored = BASE64.decode(stored).ok()?;
    let server = BASE64.decode(server).ok()?;
    (stored.len() == 32 && server.len() == 32).then_some(ScramVerifier {
        iterations,
        salt,
        stored_key: stored,
        server_key: server,
    })
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// PBKDF2-HMAC-SHA-256 with one output block (RFC 2898 `Hi`, as SCRAM defines it).
pub fn scram_salted_password(password: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut first = salt.to_vec();
    first.extend_from_slice(&1u32.to_be_bytes());
    let mut u = hmac_sha256(password.as_bytes(), &first);
    let mut result = u;
    for _ in 1..iterations {
        u = hmac_sha256(password.as_bytes(), &u);
        for (r, b) in result.iter_mut().zip(u.iter()) {
            *r ^= b;
        }
    }
    result
}

/// The SCRAM-SHA-256 verifier of `password` with `salt` and `iterations`.
pub fn scram_verifier(password: &str, salt: &[u8], iterations: u32) -> String {
    let salted = scram_salted_password(password, salt, iterations);
    let client_key = hmac_sha256(&salted, b"Client Key");
    let stored_key: [u8; 32] = Sha256::digest(client_key).into();
    let server_key = hmac_sha256(&salted, b"Server Key");
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        BASE64.encode(salt),
        BASE64.encode(stored_key),
        BASE64.encode(server_key)
    )
}

/// `md5` + hex md5 of `password` followed by `salt` (the role name when stored; the
/// 4-byte random salt during md5 authentication, applied to the stored hash's hex).
pub fn md5_hash(password: &[u8], salt: &[u8]) -> String {
    let mut hasher = Md5::new();
    hasher.update(password);
    hasher.update(salt);
    let digest = hasher.finalize();
    let mut out = String::with_capacity(35);
    out.push_str("md5");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// What to store for `password` of role `role` under `password_encryption` `method`
/// (`scram-sha-256` or `md5`): a password already hashed is kept as given.
pub fn encrypt_password(role: &str, password: &str, method: &str) -> String {
    if PasswordType::of(password) != PasswordType::Plaintext {
        return password.to_string();
    }
    if method == "md5" {
        return md5_hash(password.as_bytes(), role.as_bytes());
    }
    let salt: [u8; 16] = rand::random();
    scram_verifier(password, &salt, SCRAM_ITERATIONS)
}

/// Whether cleartext `password` matches the stored verifier `stored` of role `role`
/// (PostgreSQL's `plain_crypt_verify`, used by `password` authentication).
pub fn verify_plain_password(role: &str, stored: &str, password: &str) -> bool {
    match PasswordType::of(stored) {
        PasswordType::Md5 => md5_hash(password.as_bytes(), role.as_bytes()) == stored,
        PasswordType::ScramSha256 => {
            let parts = parse_scram_verifier(stored).expect("PasswordType::of parsed it");
            scram_verifier(password, &parts.salt, parts.iterations) == stored
        }
        PasswordType::Plaintext => stored == password,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_password_is_hash_of_password_and_role_name() {
        // PostgreSQL: CREATE ROLE u PASSWORD 'secret' with password_encryption = md5.
        assert_eq!(
            encrypt_password("u", "secret", "md5"),
            md5_hash(b"secretu", b"")
        );
        assert_eq!(
            PasswordType::of(&encrypt_password("u", "x", "md5")),
            PasswordType::Md5
        );
    }

    #[test]
    fn scram_verifier_matches_rfc7677_keys() {
        // RFC 7677's example: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096.
        let salt = BASE64.decode("W22ZaJ0SNY7soEsUEjb6gQ==").expect("base64");
        let verifier = scram_verifier("pencil", &salt, 4096);
        let parts = parse_scram_verifier(&verifier).expect("parses");
        // ServerSignature of the RFC's exchange is checked by authentication; here the
        // keys must round-trip and differ.
        assert_eq!(parts.iterations, 4096);
        assert_eq!(parts.salt, salt);
        assert_ne!(parts.stored_key, parts.server_key);
        assert!(verifier.starts_with("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"));
        assert!(verify_plain_password("u", &verifier, "pencil"));
        assert!(!verify_plain_password("u", &verifier, "pen"));
    }

    #[test]
    fn hashed_passwords_are_stored_as_given() {
        let md5 = md5_hash(b"pw", b"role");
        assert_eq!(encrypt_password("other", &md5, "scram-sha-256"), md5);
        let scram = encrypt_password("r", "pw", "scram-sha-256");
        assert_eq!(PasswordType::of(&scram), PasswordType::ScramSha256);
        assert_eq!(encrypt_password("r", &scram, "md5"), scram);
        assert_eq!(PasswordType::of("plain"), PasswordType::Plaintext);
    }
}
