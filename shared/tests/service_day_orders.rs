//! Service-day orders: taken and delivered, and orders placed offline on two
//! phones both surviving the merge.

mod common;

use common::*;
use linli_shared::domain::*;

fn order(id: &str, request: &str) -> NewOrder {
    NewOrder {
        id: id.into(),
        month: "2026-11".into(),
        request: request.into(),
        household: Some("hh1a".into()),
        resident: "张阿姨".into(),
    }
}

#[test]
fn service_day_orders_are_taken_and_delivered() {
    let mut d = sample_community();
    place_order(&mut d, &ctx("ll1", T0), order("o1", "理发")).unwrap();
    place_order(&mut d, &ctx("ll1", T0 + 1), order("o2", "修水龙头")).unwrap();
    take_order(&mut d, &ctx("ll2", T0 + HOUR), "o1").unwrap();
    // Someone else holds it: refused, nothing written.
    assert!(matches!(
        take_order(&mut d, &ctx("gl1", T0 + 2 * HOUR), "o1"),
        Err(DomainError::NotClaimant { .. })
    ));
    complete_order(&mut d, &ctx("ll2", T0 + 3 * HOUR), "o1", "已理发").unwrap();
    // Delivering an untaken order takes it too.
    complete_order(&mut d, &ctx("gl1", T0 + 4 * HOUR), "o2", "换了垫圈").unwrap();
    assert!(matches!(
        complete_order(&mut d, &ctx("gl1", T0 + 5 * HOUR), "o2", ""),
        Err(DomainError::AlreadyDone(_))
    ));
    let list = list_orders(&d, "2026-11").unwrap();
    let summary: Vec<_> = list
        .iter()
        .map(|o| (o.id.as_str(), o.taken_by.as_deref(), o.taken_at, o.done_at))
        .collect();
    assert_eq!(
        summary,
        [
            ("o1", Some("ll2"), Some(T0 + HOUR), Some(T0 + 3 * HOUR)),
            ("o2", Some("gl1"), Some(T0 + 4 * HOUR), Some(T0 + 4 * HOUR)),
        ]
    );
    assert_eq!(list[0].placed_by, "ll1");
    assert!(list_orders(&d, "2026-12").unwrap().is_empty());
    assert!(place_order(&mut d, &ctx("ll1", T0), order("o1", "重复")).is_err());
    assert!(place_order(
        &mut d,
        &ctx("ll1", T0),
        NewOrder {
            month: "2026-13".into(),
            ..order("o3", "x")
        }
    )
    .is_err());
}

#[test]
fn first_orders_placed_offline_on_two_phones_both_survive() {
    let mut a = sample_community();
    let mut b = device(&mut a, 9);
    place_order(&mut a, &ctx("ll1", T0), order("oa", "理发")).unwrap();
    place_order(&mut b, &ctx("ll2", T0 + 1), order("ob", "量血压")).unwrap();
    sync_pair(&mut a, &mut b);
    let ids = |d: &automerge::AutoCommit| -> Vec<String> {
        list_orders(d, "2026-11")
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect()
    };
    assert_eq!(ids(&a), ["oa", "ob"]);
    assert_eq!(ids(&b), ids(&a));
    // Both phones can still act on either order after the merge.
    take_order(&mut a, &ctx("ll1", T0 + HOUR), "ob").unwrap();
    complete_order(&mut b, &ctx("ll2", T0 + HOUR), "oa", "好了").unwrap();
    sync_pair(&mut a, &mut b);
    let list = list_orders(&a, "2026-11").unwrap();
    assert_eq!(list[0].done_note, "好了");
    assert_eq!(list[1].taken_by.as_deref(), Some("ll1"));
}
