//! Photos added to a concern after it was recorded (the repaired street light, the cleared
//! drain). Recording keeps its photos in the concern's `photos` list; a later photo goes under
//! its own key on the concern, `photo:<photo document id>` → when it was added. Two phones
//! adding photos at the same time then write different keys and both photos stay, where
//! creating or extending one shared list could lose one of them.

use crate::domain::refusal::Field;
use automerge::transaction::Transactable;
use automerge::AutoCommit;

use crate::domain::concern::{concern_obj, get_concern};
use crate::domain::store::{non_empty, MapView};
use crate::domain::{Ctx, DomainError, MAX_PHOTOS};

const PREFIX: &str = "photo:";

/// Adds the photo document `photo_id` to the concern. Adding one it already has does
/// nothing; a concern holds at most [`MAX_PHOTOS`].
pub fn add_photo(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    concern_id: &str,
    photo_id: &str,
) -> Result<(), DomainError> {
    non_empty(photo_id, Field::PhotoId)?;
    let concern = get_concern(doc, concern_id)?;
    if concern.photos.iter().any(|p| p == photo_id) {
        return Ok(());
    }
    if concern.photos.len() >= MAX_PHOTOS {
        return Err(DomainError::OutOfRange {
            index: concern.photos.len(),
            len: MAX_PHOTOS,
        });
    }
    let obj = concern_obj(doc, concern_id)?;
    doc.put(&obj, format!("{PREFIX}{photo_id}"), ctx.now_ms)?;
    Ok(())
}

/// The photos added after recording, oldest first (ties by id), from the concern's map
/// as [`read_concern`](crate::domain::concern) already read it.
pub(crate) fn added_photos(concern: &MapView<'_>) -> Vec<String> {
    let mut added: Vec<(i64, &str)> = concern.prefixed(PREFIX).map(|(id, at)| (at, id)).collect();
    added.sort();
    added.into_iter().map(|(_, id)| id.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{init_community, record_concern, NewConcern};

    fn community() -> AutoCommit {
        let mut doc = AutoCommit::new();
        init_community(&mut doc, "community-1", "社区").unwrap();
        let c = NewConcern {
            id: "c1".into(),
            title: "路灯不亮".into(),
            photos: vec!["before".into()],
            ..Default::default()
        };
        record_concern(&mut doc, &Ctx::new("m1", 1_000), c).unwrap();
        doc
    }

    #[test]
    fn photos_added_on_two_phones_at_once_both_stay_after_the_recorded_ones() {
        let mut a = community();
        let mut b = a.fork();
        add_photo(&mut a, &Ctx::new("m1", 5_000), "c1", "after-a").unwrap();
        add_photo(&mut b, &Ctx::new("m2", 4_000), "c1", "after-b").unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();
        for doc in [&a, &b] {
            let photos = get_concern(doc, "c1").unwrap().photos;
            assert_eq!(photos, vec!["before", "after-b", "after-a"]);
        }
    }

    #[test]
    fn at_most_three_and_no_repeats() {
        let mut doc = community();
        let ctx = Ctx::new("m1", 2_000);
        add_photo(&mut doc, &ctx, "c1", "p2").unwrap();
        add_photo(&mut doc, &ctx, "c1", "p2").unwrap();
        add_photo(&mut doc, &ctx, "c1", "p3").unwrap();
        let before = doc.get_heads();
        assert!(matches!(
            add_photo(&mut doc, &ctx, "c1", "p4"),
            Err(DomainError::OutOfRange { .. })
        ));
        assert_eq!(doc.get_heads(), before, "a refused command writes nothing");
        assert_eq!(get_concern(&doc, "c1").unwrap().photos.len(), 3);
        assert!(add_photo(&mut doc, &ctx, "missing", "p5").is_err());
    }
}
