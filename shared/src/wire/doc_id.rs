//! Document ids as automerge-repo writes them: 16 random bytes in base58check, and
//! `automerge:<id>` URLs.

use std::fmt;
use std::str::FromStr;

/// The prefix of an automerge-repo document URL.
pub const URL_PREFIX: &str = "automerge:";

/// Number of bytes in a document id (a v4 UUID in automerge-repo).
pub const DOCUMENT_ID_LEN: usize = 16;

/// Why a string is not a valid document id or URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentIdError {
    #[error("document id is not valid base58check")]
    NotBase58Check,
    #[error("document id has {0} bytes, expected 16")]
    WrongLength(usize),
    #[error("document URL must start with `automerge:`")]
    NotAnAutomergeUrl,
    #[error("document URLs with heads (`#…`) are not supported here")]
    UrlWithHeads,
}

/// A document id: 16 bytes, shown as base58check (e.g. `4NMNnkMhL8jXrdJ9jamS58PAVdXu`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; DOCUMENT_ID_LEN]);

impl DocumentId {
    /// A document id from 16 bytes; pass fresh random bytes to create a new document.
    pub const fn from_bytes(bytes: [u8; DOCUMENT_ID_LEN]) -> Self {
        DocumentId(bytes)
    }

    /// The raw 16 bytes.
    pub fn as_bytes(&self) -> &[u8; DOCUMENT_ID_LEN] {
        &self.0
    }

    /// Parses an `automerge:<id>` URL.
    pub fn from_url(url: &str) -> Result<Self, DocumentIdError> {
        let id = url
            .strip_prefix(URL_PREFIX)
            .ok_or(DocumentIdError::NotAnAutomergeUrl)?;
        if id.contains('#') {
            return Err(DocumentIdError::UrlWithHeads);
        }
        id.parse()
    }

    /// The `automerge:<id>` URL of this document.
    pub fn to_url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }
}

impl FromStr for DocumentId {
    type Err = DocumentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|_| DocumentIdError::NotBase58Check)?;
        let bytes: [u8; DOCUMENT_ID_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| DocumentIdError::WrongLength(bytes.len()))?;
        Ok(DocumentId(bytes))
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_id_written_by_js_automerge_repo() {
        // From the automerge-repo documentation.
        let id: DocumentId = "4NMNnkMhL8jXrdJ9jamS58PAVdXu".parse().unwrap();
        assert_eq!(id.to_string(), "4NMNnkMhL8jXrdJ9jamS58PAVdXu");
        assert_eq!(
            DocumentId::from_url("automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu").unwrap(),
            id
        );
    }

    #[test]
    fn bytes_round_trip_through_string_and_url() {
        let id = DocumentId::from_bytes(*b"0123456789abcdef");
        assert_eq!(id.to_string().parse::<DocumentId>().unwrap(), id);
        assert_eq!(DocumentId::from_url(&id.to_url()).unwrap(), id);
        assert!(id.to_url().starts_with("automerge:"));
    }

    #[test]
    fn rejects_invalid_ids() {
        // Wrong checksum: last character changed.
        assert_eq!(
            "4NMNnkMhL8jXrdJ9jamS58PAVdXv".parse::<DocumentId>(),
            Err(DocumentIdError::NotBase58Check)
        );
        assert_eq!(
            "".parse::<DocumentId>(),
            Err(DocumentIdError::NotBase58Check)
        );
        assert_eq!(
            "../../etc".parse::<DocumentId>(),
            Err(DocumentIdError::NotBase58Check)
        );
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(
            short.parse::<DocumentId>(),
            Err(DocumentIdError::WrongLength(8))
        );
        assert_eq!(
            DocumentId::from_url("4NMNnkMhL8jXrdJ9jamS58PAVdXu"),
            Err(DocumentIdError::NotAnAutomergeUrl)
        );
        assert_eq!(
            DocumentId::from_url("automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu#abc"),
            Err(DocumentIdError::UrlWithHeads)
        );
    }
}
