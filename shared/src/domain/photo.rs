//! Photos of a concern. Each photo is its own small document (one compressed
//! JPEG, made on the phone), so the community document stays small: a concern
//! only lists the ids of its photo documents (`photos`, written when it is
//! recorded). A phone opens a photo document only when it shows the concern.
//!
//! Root: `kind` ("photo"), `schema`, `mime`, `width`, `height`, `taken_by`,
//! `taken_at`, and `bytes` (an automerge bytes scalar). Written once, never edited.

use crate::domain::refusal::Field;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ScalarValue, Value, ROOT};

use crate::domain::store::non_empty;
use crate::domain::{Ctx, DomainError, MemberId};

/// Version of the photo document layout written by this crate.
pub const PHOTO_SCHEMA: i64 = 1;
/// The root `kind` of a photo document.
pub const PHOTO_KIND: &str = "photo";
/// At most this many photos per concern.
pub const MAX_PHOTOS: usize = 3;
/// A photo larger than this is refused: the app compresses to ~100–250 KB, and
/// a whole document must fit in one sync frame.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// What the caller gives to store a photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    /// e.g. "image/jpeg".
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// A stored photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub taken_by: MemberId,
    pub taken_at: i64,
    pub bytes: Vec<u8>,
}

/// The size that fits `width`×`height` into `max`×`max`, keeping the aspect
/// ratio; smaller images keep their size.
pub fn fit_within(width: u32, height: u32, max: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max).max(1)
    };
    (scale(width), scale(height))
}

/// Writes the photo into an empty document.
pub fn create_photo(doc: &mut AutoCommit, ctx: &Ctx, p: NewPhoto) -> Result<(), DomainError> {
    non_empty(&p.mime, Field::PhotoType)?;
    if !p.mime.starts_with("image/") {
        return Err(DomainError::Malformed(format!("not an image: {}", p.mime)));
    }
    if p.bytes.is_empty() || p.width == 0 || p.height == 0 {
        return Err(DomainError::Empty(Field::Photo));
    }
    if p.bytes.len() > MAX_PHOTO_BYTES {
        return Err(DomainError::OutOfRange {
            index: p.bytes.len(),
            len: MAX_PHOTO_BYTES,
        });
    }
    if doc.get(ROOT, "kind")?.is_some() {
        return Err(DomainError::AlreadyInitialized("photo".into()));
    }
    doc.put(ROOT, "kind", PHOTO_KIND)?;
    doc.put(ROOT, "schema", PHOTO_SCHEMA)?;
    doc.put(ROOT, "mime", p.mime.as_str())?;
    doc.put(ROOT, "width", i64::from(p.width))?;
    doc.put(ROOT, "height", i64::from(p.height))?;
    doc.put(ROOT, "taken_by", ctx.actor.as_str())?;
    doc.put(ROOT, "taken_at", ctx.now_ms)?;
    doc.put(ROOT, "bytes", ScalarValue::Bytes(p.bytes))?;
    Ok(())
}

/// The photo, or `None` while the document is still empty (not synced yet).
pub fn read_photo(doc: &AutoCommit) -> Result<Option<Photo>, DomainError> {
    let scalar = |key: &str| -> Result<Option<ScalarValue>, DomainError> {
        Ok(match doc.get(ROOT, key)? {
            Some((Value::Scalar(s), _)) => Some(s.into_owned()),
            _ => None,
        })
    };
    let Some(kind) = scalar("kind")? else {
        return Ok(None);
    };
    let malformed = |what: &str| DomainError::Malformed(format!("photo: {what}"));
    if kind.as_str() != Some(PHOTO_KIND) {
        return Err(malformed("not a photo document"));
    }
    let text = |key: &str| -> Result<String, DomainError> {
        scalar(key)?
            .and_then(|s| s.as_str().map(String::from))
            .ok_or_else(|| malformed(key))
    };
    let int = |key: &str| -> Result<i64, DomainError> {
        scalar(key)?
            .and_then(|s| s.as_i64())
            .ok_or_else(|| malformed(key))
    };
    let size = |key: &str| -> Result<u32, DomainError> {
        u32::try_from(int(key)?).map_err(|_| malformed(key))
    };
    let bytes = match scalar("bytes")? {
        Some(ScalarValue::Bytes(b)) => b,
        _ => return Err(malformed("bytes")),
    };
    Ok(Some(Photo {
        mime: text("mime")?,
        width: size("width")?,
        height: size("height")?,
        taken_by: text("taken_by")?,
        taken_at: int("taken_at")?,
        bytes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> NewPhoto {
        NewPhoto {
            mime: "image/jpeg".into(),
            width: 1280,
            height: 853,
            bytes: vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
        }
    }

    #[test]
    fn the_long_side_becomes_at_most_max() {
        assert_eq!(fit_within(4000, 3000, 1280), (1280, 960));
        assert_eq!(fit_within(3000, 2000, 1280), (1280, 853));
        assert_eq!(fit_within(3000, 4000, 1280), (960, 1280));
        assert_eq!(fit_within(800, 600, 1280), (800, 600));
        assert_eq!(fit_within(10000, 1, 1280), (1280, 1));
    }

    #[test]
    fn a_photo_round_trips_through_save_and_load() {
        let ctx = Ctx::new("ll1", 42);
        let mut doc = AutoCommit::new();
        assert_eq!(read_photo(&doc).unwrap(), None, "empty: not synced yet");
        create_photo(&mut doc, &ctx, jpeg()).unwrap();
        let loaded = AutoCommit::load(&doc.save()).unwrap();
        let p = read_photo(&loaded).unwrap().expect("a photo");
        assert_eq!(
            (p.mime.as_str(), p.width, p.height, p.taken_by.as_str()),
            ("image/jpeg", 1280, 853, "ll1")
        );
        assert_eq!((p.taken_at, p.bytes), (42, jpeg().bytes));
    }

    #[test]
    fn bad_photos_are_refused_and_write_nothing() {
        let ctx = Ctx::new("ll1", 42);
        let mut doc = AutoCommit::new();
        let not_image = NewPhoto {
            mime: "text/plain".into(),
            ..jpeg()
        };
        assert!(create_photo(&mut doc, &ctx, not_image).is_err());
        let empty = NewPhoto {
            bytes: Vec::new(),
            ..jpeg()
        };
        assert!(create_photo(&mut doc, &ctx, empty).is_err());
        let huge = NewPhoto {
            bytes: vec![0; MAX_PHOTO_BYTES + 1],
            ..jpeg()
        };
        assert!(create_photo(&mut doc, &ctx, huge).is_err());
        assert_eq!(read_photo(&doc).unwrap(), None);
        create_photo(&mut doc, &ctx, jpeg()).unwrap();
        assert!(
            create_photo(&mut doc, &ctx, jpeg()).is_err(),
            "written once"
        );
    }

    #[test]
    fn another_document_is_not_a_photo() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "kind", "meeting").unwrap();
        assert!(matches!(read_photo(&doc), Err(DomainError::Malformed(_))));
    }

    #[test]
    fn a_concern_lists_its_photo_documents() {
        use crate::domain::{get_concern, init_community, record_concern, NewConcern};
        let ctx = Ctx::new("ll1", 42);
        let mut doc = AutoCommit::new();
        init_community(&mut doc, "xd", "c").unwrap();
        let new = |id: &str, photos: &[&str]| NewConcern {
            id: id.into(),
            title: "t".into(),
            photos: photos.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        };
        record_concern(&mut doc, &ctx, new("a", &["p1", "p2"])).unwrap();
        record_concern(&mut doc, &ctx, new("b", &[])).unwrap();
        let loaded = AutoCommit::load(&doc.save()).unwrap();
        assert_eq!(get_concern(&loaded, "a").unwrap().photos, ["p1", "p2"]);
        assert!(get_concern(&loaded, "b").unwrap().photos.is_empty());
        let heads = doc.get_heads();
        let four = new("c", &["1", "2", "3", "4"]);
        assert!(record_concern(&mut doc, &ctx, four).is_err());
        assert!(record_concern(&mut doc, &ctx, new("d", &[""])).is_err());
        assert_eq!(doc.get_heads(), heads, "refused: nothing written");
        assert!(get_concern(&doc, "c").is_err());
    }
}
