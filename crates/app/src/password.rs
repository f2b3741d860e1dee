//! Password hashing with Argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, the
//! OWASP-recommended minimum) and generation of random passwords and tokens.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use base64::Engine;

/// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| PasswordError)
}

/// Whether `password` matches the PHC string `stored`. A malformed `stored` never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash that [`verify`] checks against when the user does not exist, so that a sign-in for an
/// unknown name costs the same time as one for a known name.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not-a-password").unwrap_or_default())
}

/// `n_bytes` of operating-system randomness, base64url without padding.
pub fn random_token(n_bytes: usize) -> Result<String, PasswordError> {
    let mut bytes = vec![0u8; n_bytes];
    getrandom::fill(&mut bytes).map_err(|_| PasswordError)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// A random password of 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
pub fn generate_password() -> Result<String, PasswordError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| PasswordError)?;
    Ok(bytes
        .iter()
        .map(|byte| {
            let index = usize::from(*byte) % ALPHABET.len();
            char::from(ALPHABET.get(index).copied().unwrap_or(b'x'))
        })
        .collect())
}

/// Hashing or the system's random source failed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing or randomness failed")]
pub struct PasswordError;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_another_does_not() {
        let stored = hash("correct horse").unwrap_or_default();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse", &stored));
        assert!(!verify("correct horse", "not a phc string"));
    }

    #[test]
    fn generated_passwords_differ_and_have_sixteen_characters() {
        let first = generate_password().unwrap_or_default();
        let second = generate_password().unwrap_or_default();
        assert_eq!(first.chars().count(), 16);
        assert_ne!(first, second);
    }
}
