//! Tracking links without a table: `/t/<community>.<concern>.<mac>`, where the mac is
//! HMAC-SHA256 (truncated to 128 bits) of `<community>.<concern>` under a key kept in the data
//! directory. A resident's link shows that one concern and nothing else; a token for another
//! concern, or an edited one, shows nothing. Recording a report writes no registry entry.

use std::io::{self, Write};
use std::path::Path;

use linli_shared::wire::DocumentId;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const KEY_FILE: &str = "resident.key";
const BLOCK: usize = 64;
/// Hex digits of the mac in a token.
const MAC_HEX: usize = 32;

#[derive(Clone)]
pub struct TrackingKey([u8; 32]);

impl TrackingKey {
    /// The key in `data`, made (and fsynced) on first start.
    pub fn open(data: &Path) -> io::Result<TrackingKey> {
        let path = data.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() == 32 => {
                let mut key = [0; 32];
                key.copy_from_slice(&bytes);
                return Ok(TrackingKey(key));
            }
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is not 32 bytes", path.display()),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let key = TrackingKey::random();
        let partial = data.join(format!("{KEY_FILE}.partial"));
        let mut file = {
            use std::os::unix::fs::OpenOptionsExt;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true).mode(0o600);
            options.open(&partial)?
        };
        file.write_all(&key.0)?;
        file.sync_all()?;
        std::fs::rename(&partial, &path)?;
        std::fs::File::open(data)?.sync_all()?;
        Ok(key)
    }

    /// A key as stored elsewhere (a relay on a database keeps it there).
    pub fn from_bytes(bytes: &[u8]) -> Option<TrackingKey> {
        Some(TrackingKey(bytes.try_into().ok()?))
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// A key for a relay without a data directory (tests).
    pub fn random() -> TrackingKey {
        let mut key = [0; 32];
        key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        TrackingKey(key)
    }

    /// The tracking token of `concern` in `community`.
    pub fn token(&self, community: &DocumentId, concern: &str) -> String {
        let body = format!("{community}.{concern}");
        let mac = self.mac(&body);
        format!("{body}.{mac}")
    }

    /// The community and concern a token names, if its mac is right.
    pub fn open_token(&self, token: &str) -> Option<(DocumentId, String)> {
        let (body, mac) = token.rsplit_once('.')?;
        let (community, concern) = body.split_once('.')?;
        let well_formed = mac.len() == MAC_HEX
            && !concern.is_empty()
            && concern.len() <= 64
            && concern
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !well_formed {
            return None;
        }
        let expected = self.mac(body);
        if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
            return None;
        }
        Some((community.parse().ok()?, concern.to_string()))
    }

    /// The id of the concern a report form records: the same form (`nonce`) on the same link
    /// names the same concern, so a second post of it is the first. UUID-shaped.
    pub fn report_id(&self, link_token: &str, nonce: &str) -> String {
        let h = self.mac(&format!("report:{link_token}:{nonce}"));
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    fn mac(&self, message: &str) -> String {
        let mut inner = Sha256::new();
        let mut outer = Sha256::new();
        let mut key = [0u8; BLOCK];
        key[..32].copy_from_slice(&self.0);
        inner.update(key.map(|b| b ^ 0x36));
        inner.update(message.as_bytes());
        outer.update(key.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        let digest = outer.finalize();
        digest[..MAC_HEX / 2]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: DocumentId = DocumentId::from_bytes([1; 16]);
    const B: DocumentId = DocumentId::from_bytes([2; 16]);

    #[test]
    fn a_token_opens_its_concern_and_nothing_else() {
        let key = TrackingKey::random();
        let token = key.token(&A, "c-1");
        assert_eq!(key.open_token(&token), Some((A, "c-1".to_string())));
        let other = key.token(&B, "c-1");
        assert_ne!(token, other);
        // Another concern under this mac, another key, a changed mac: nothing.
        let (_, mac) = token.rsplit_once('.').unwrap();
        assert_eq!(key.open_token(&format!("{A}.c-2.{mac}")), None);
        assert_eq!(TrackingKey::random().open_token(&token), None);
        let mut flipped = token.clone();
        let last = if flipped.ends_with('0') { "1" } else { "0" };
        flipped.replace_range(flipped.len() - 1.., last);
        assert_eq!(key.open_token(&flipped), None);
        for junk in ["", ".", "..", "a.b.c", &format!("{A}.<script>.{mac}")] {
            assert_eq!(key.open_token(junk), None, "{junk}");
        }
    }

    #[test]
    fn the_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = TrackingKey::open(dir.path()).unwrap();
        let token = first.token(&A, "c");
        let again = TrackingKey::open(dir.path()).unwrap();
        assert_eq!(again.open_token(&token), Some((A, "c".to_string())));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key is the relay's alone");
        let id = again.report_id("link", "nonce");
        assert_eq!(id, first.report_id("link", "nonce"));
        assert_ne!(id, first.report_id("link", "other"));
        assert_eq!((id.len(), id.matches('-').count()), (36, 4));
    }
}
