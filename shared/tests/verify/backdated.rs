//! A change written on heads from before the object it writes into existed. Automerge applies
//! it (it checks no causality of the objects an operation names), and the judge, reading the
//! concern as the change saw it, would see no claim and no level at all. Refused as a record
//! rewritten without having been seen (`not_recorder`).

use super::*;

/// `write` made on a fork of `doc`, then re-dated onto `deps` (a hand-built client can put any
/// deps in a change): the document with that change applied, and the heads before it.
fn backdated(
    doc: &mut AutoCommit,
    deps: &[ChangeHash],
    write: impl FnOnce(&mut AutoCommit),
) -> (AutoCommit, Vec<ChangeHash>) {
    let mut phone = doc
        .fork()
        .with_actor(automerge::ActorId::from(vec![77; 16]));
    write(&mut phone);
    let change = phone.get_last_local_change().unwrap().clone();
    let mut expanded = change.decode();
    expanded.deps = deps.to_vec();
    let forged = automerge::Change::from(expanded);
    let mut judged = doc.fork();
    let before = judged.get_heads();
    judged
        .apply_changes([forged])
        .expect("automerge applies it");
    assert_ne!(judged.get_heads(), before, "automerge applies it");
    (judged, before)
}

#[test]
fn a_change_backdated_before_the_concern_existed_is_judged_as_refused() {
    let mut doc = sample_community();
    let setup = doc.get_heads();
    let mut cx = ctx("cm1", T0);
    cx = cx.with_role(Some(Role::Committee));
    let c = NewConcern {
        level: Some(Level::Committee),
        ..new_concern("c", "楼道堆物")
    };
    record_concern(&mut doc, &cx, c).unwrap();
    claim(&mut doc, &cx, "c").unwrap();
    let obj = concern_obj(&doc, "c");
    // A 邻长 takes the 村-level matter claimed by the committee down to the 邻 ...
    let lower = {
        let obj = obj.clone();
        move |d: &mut AutoCommit| {
            d.put(&obj, "level", "neighbour").unwrap();
        }
    };
    let (applied, before) = backdated(&mut doc, &setup, lower);
    assert_eq!(
        verify(&applied, &before, &author("ll1")),
        Err(Rule::NotRecorder),
        "a backdated change lowers the level"
    );
    // ... or claims it over the claimant.
    let state = doc
        .get(&obj, "status")
        .unwrap()
        .and_then(|(v, _)| v.into_string().ok())
        .unwrap();
    assert!(state.contains("cm1"), "{state}");
    let take = move |d: &mut AutoCommit| {
        d.put(&obj, "status", state.replace("cm1", "ll1")).unwrap();
    };
    let (applied, before) = backdated(&mut doc, &setup, take);
    assert_eq!(
        verify(&applied, &before, &author("ll1")),
        Err(Rule::NotRecorder),
        "a backdated change claims over the claimant"
    );
    // The same edit on the heads it was made on is judged on what it saw.
    let heads = doc.get_heads();
    let (applied, before) = backdated(&mut doc, &heads, |d| {
        support(d, &ctx("ll1", T0 + DAY), "c", "hh1a").unwrap();
    });
    assert_eq!(verify(&applied, &before, &author("ll1")), Ok(()));
}

/// What the lookup costs an honest phone that comes back after a long time offline: its 100
/// changes, written on heads 1,000 changes old, into concerns recorded before that. Run with
/// `cargo test -p linli-shared --release --test verify -- --ignored --nocapture`.
#[test]
#[ignore]
fn cost_of_judging_a_long_offline_phone() {
    let mut relay = sample_community();
    for i in 0..1_000 {
        let id = format!("c{i}");
        record_concern(&mut relay, &ctx("ll1", T0 + i), new_concern(&id, "路灯")).unwrap();
        relay.get_heads();
    }
    let mut phone = device(&mut relay, 9);
    for i in 1_000..2_000 {
        let id = format!("c{i}");
        record_concern(&mut relay, &ctx("ll2", T0 + i), new_concern(&id, "垃圾")).unwrap();
        relay.get_heads();
    }
    for i in 0..100 {
        support(&mut phone, &ctx("gl1", T0 + i), &format!("c{i}"), "hh1a").unwrap();
        phone.get_heads();
    }
    let before = relay.get_heads();
    relay.merge(&mut phone).unwrap();
    let mut times: Vec<std::time::Duration> = (0..5)
        .map(|_| {
            let mut copy = relay.clone();
            let start = std::time::Instant::now();
            assert_eq!(verify_in_place(&mut copy, &before, &author("gl1")), Ok(()));
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "100 offline changes on heads 1,000 changes old: verify_in_place median {:?}",
        times[2]
    );
}
