//! Records are withdrawn, never erased or hidden: forgeries found in review.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, ROOT};
use linli_shared::domain::*;

use super::common::*;
use super::{author, community_with_concern, concern_obj, judged};

/// Found in review: a register deleted in one change and written anew in the next was judged
/// against a view where it was missing; a competing object could hide a collection; a change
/// written on nothing saw no record at all; a timeline event could be overwritten.
#[test]
fn deleting_hiding_or_overwriting_what_others_wrote_is_refused() {
    let mut doc = community_with_concern();
    claim(&mut doc, &ctx("ll1", T0 + 1), "c").unwrap();
    let c = concern_obj(&doc, "c");
    // Delete the claimed status, then claim it as ll2.
    let (c1, c2) = (c.clone(), c.clone());
    assert_eq!(
        judged(&mut doc, "ll2", move |d| {
            d.delete(&c1, "status").unwrap();
            d.commit();
            d.put(&c1, "status", "claimed|ll2|1").unwrap();
        }),
        Err(Rule::NotRecorder)
    );
    // Take over raised_by the same way.
    assert_eq!(
        judged(&mut doc, "ll2", move |d| {
            d.delete(&c2, "raised_by").unwrap();
            d.commit();
            d.put(&c2, "raised_by", "ll2").unwrap();
        }),
        Err(Rule::NotRecorder)
    );
    // A competing `concerns` map, written on what the phone holds.
    assert_eq!(
        judged(&mut doc, "ll2", |d| {
            d.put_object(ROOT, "concerns", ObjType::Map).unwrap();
        }),
        Err(Rule::NotRecorder)
    );
    // The same written on nothing (a fresh document synced in): refused before anything else.
    let mut fresh = AutoCommit::new();
    fresh.put_object(ROOT, "concerns", ObjType::Map).unwrap();
    let before = doc.get_heads();
    let mut merged = doc.fork();
    merged.merge(&mut fresh).unwrap();
    assert_eq!(
        verify(&merged, &before, &author("ll2")),
        Err(Rule::NotRecorder)
    );
    // Overwriting another member's timeline event, even with one in one's own name.
    let timeline = {
        let (_, t) = doc.get(&c, "timeline").unwrap().unwrap();
        t
    };
    let mine = doc
        .get(&timeline, 0)
        .unwrap()
        .map(|(v, _)| v.into_string().unwrap())
        .unwrap()
        .replace("ll1", "ll2");
    assert_eq!(
        judged(&mut doc, "ll2", move |d| {
            d.put(&timeline, 0, mine).unwrap();
        }),
        Err(Rule::NotTheAuthor)
    );
    // The honest commands still pass: the claimant resolves, the raiser's verdict.
    assert_eq!(
        judged(&mut doc, "ll1", |d| {
            resolve(d, &ctx("ll1", T0 + 2), "c", "修好了").unwrap();
        }),
        Ok(())
    );
}
