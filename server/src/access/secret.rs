//! Credentials and invite tokens: `<id>.<64 hex digits>`, where the hex digits are 32 random
//! bytes. The relay keeps only the SHA-256 of the random part and compares it in constant
//! time; the id part finds the record without looking at the secret.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A secret as handed out once: `<id>.<secret hex>`.
pub struct Issued {
    /// The whole token, shown to its owner once.
    pub token: String,
    /// SHA-256 of the secret part, hex: what the registry stores.
    pub hash: String,
}

/// A fresh id (8 random bytes, hex).
pub fn random_id() -> String {
    hex(&random_bytes::<8>())
}

/// A fresh secret for the record `id`.
pub fn issue(id: &str) -> Issued {
    let secret = hex(&random_bytes::<32>());
    Issued {
        token: format!("{id}.{secret}"),
        hash: hash(&secret),
    }
}

/// Splits `<id>.<secret>`.
pub fn split(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.split_once('.')?;
    let well_formed = !id.is_empty()
        && id.len() <= 32
        && secret.len() == 64
        && id
            .chars()
            .chain(secret.chars())
            .all(|c| c.is_ascii_hexdigit());
    well_formed.then_some((id, secret))
}

/// Whether `secret` hashes to `stored` (hex), in constant time.
pub fn matches(secret: &str, stored: &str) -> bool {
    let computed = hash(secret);
    computed.as_bytes().ct_eq(stored.as_bytes()).into()
}

/// Constant-time equality of two strings (the operator's `--admin-token`).
pub fn equal(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.ct_eq(&b).into()
}

/// SHA-256 (hex) of a secret part: what the registry stores.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS random number generator");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_match_only_their_hash() {
        let a = issue("0011");
        let b = issue("0011");
        assert_ne!(a.token, b.token);
        let (id, secret) = split(&a.token).unwrap();
        assert_eq!(id, "0011");
        assert!(matches(secret, &a.hash));
        assert!(!matches(secret, &b.hash));
        assert!(!a.hash.contains(secret));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(split("nodot").is_none());
        assert!(split("ab.short").is_none());
        assert!(split(&format!(".{}", "a".repeat(64))).is_none());
        assert!(split(&format!("zz.{}", "a".repeat(64))).is_none());
        assert!(equal("x", "x") && !equal("x", "y"));
    }
}
