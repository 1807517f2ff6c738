//! `verify` on meeting documents and the meeting index, and what one verified change costs.

use super::*;

pub fn meeting_by(convenor: &str) -> AutoCommit {
    let mut doc = doc_with_actor(50);
    let m = new_meeting(&["ll1", "gl1", "cm1"]);
    create_meeting(&mut doc, &ctx(convenor, T0), m).unwrap();
    let item = NewAgendaItem {
        id: "i".into(),
        title: "停车".into(),
        concerns: vec![],
    };
    add_agenda_item(&mut doc, &ctx(convenor, T0), item).unwrap();
    doc
}

#[test]
fn decisions_votes_and_meetings_follow_the_convenor_and_the_voter() {
    let mut doc = meeting_by("gl1");
    let decide_as = |who: &str| {
        let cx = posing(who, Role::Committee);
        move |d: &mut AutoCommit| decide(d, &cx, "i", "同意").unwrap()
    };
    assert_eq!(
        judged(&mut doc, "ll1", decide_as("ll1")),
        Err(Rule::NotConvenor)
    );
    assert_eq!(judged(&mut doc, "gl1", decide_as("gl1")), Ok(()));
    assert_eq!(judged(&mut doc, "cm1", decide_as("cm1")), Ok(()));
    let vote_as = |who: &str| {
        let cx = ctx(who, T0 + 1);
        move |d: &mut AutoCommit| vote(d, &cx, "i", VoteChoice::For).unwrap()
    };
    assert_eq!(
        judged(&mut doc, "ll1", vote_as("gl1")),
        Err(Rule::NotTheAuthor)
    );
    assert_eq!(judged(&mut doc, "ll1", vote_as("ll1")), Ok(()));
    let mut empty = doc_with_actor(60);
    let convene = |who: &str| {
        let cx = posing(who, Role::Committee);
        move |d: &mut AutoCommit| {
            let m = NewMeeting {
                id: "m2".into(),
                community_id: "xd".into(),
                kind: MeetingKind::Other,
                title: "会".into(),
                starts_at: T0,
                place: String::new(),
                participants: vec![],
            };
            create_meeting(d, &cx, m).unwrap()
        }
    };
    assert_eq!(
        judged(&mut empty, "ll1", convene("ll1")),
        Err(Rule::ConvenorsOnly)
    );
    assert_eq!(judged(&mut empty, "gl1", convene("gl1")), Ok(()));
    let mut community = sample_community();
    let index = |who: &str| {
        let cx = posing(who, Role::Committee);
        move |d: &mut AutoCommit| index_meeting(d, &cx, meeting_ref("m2")).unwrap()
    };
    assert_eq!(
        judged(&mut community, "ll1", index("ll1")),
        Err(Rule::ConvenorsOnly)
    );
    assert_eq!(judged(&mut community, "gl1", index("gl1")), Ok(()));
}

/// What verifying one change costs on a community of 2,000 concerns (4,000 changes): run with
/// `cargo test -p linli-shared --release --test verify -- --ignored --nocapture`.
#[test]
#[ignore]
fn cost_of_verifying_one_change() {
    let mut doc = sample_community();
    for i in 0..2_000 {
        let id = format!("c{i}");
        record_concern(&mut doc, &ctx("ll1", T0 + i), new_concern(&id, "路灯")).unwrap();
        doc.get_heads();
        if i % 2 == 0 {
            claim(&mut doc, &ctx("ll1", T0 + i), &id).unwrap();
            doc.get_heads();
            resolve(&mut doc, &ctx("ll1", T0 + i), &id, "修好").unwrap();
            doc.get_heads();
        }
    }
    let before = doc.get_heads();
    claim(&mut doc, &ctx("ll2", T0 + 9_999), "c1").unwrap();
    doc.get_heads();
    let n = 20;
    let start = std::time::Instant::now();
    for _ in 0..n {
        assert_eq!(verify(&doc, &before, &author("ll2")), Ok(()));
    }
    let cloned = start.elapsed() / n;
    // Fresh copies: a document caches its last diff.
    let mut copies: Vec<AutoCommit> = (0..n).map(|_| doc.clone()).collect();
    let start = std::time::Instant::now();
    for copy in &mut copies {
        assert_eq!(verify_in_place(copy, &before, &author("ll2")), Ok(()));
    }
    let in_place = start.elapsed() / n;
    println!("one change on 2,000 concerns: verify {cloned:?}, verify_in_place {in_place:?}");
}

#[test]
fn a_meeting_is_withdrawn_by_its_convenor_or_the_committee() {
    let mut community = sample_community();
    index_meeting(&mut community, &ctx("gl1", T0), meeting_ref("m")).unwrap();
    let mut meeting = meeting_by("gl1");
    let withdraw = |who: &str, as_role: Role| {
        let cx = posing(who, as_role);
        move |d: &mut AutoCommit| {
            withdraw_meeting(d, &cx, "m", "记错了").unwrap();
        }
    };
    // `withdraw_meeting` reads roles from the document: a modified client writes it directly.
    let forged = |d: &mut AutoCommit| {
        let (_, index) = d.get(ROOT, "meetings").unwrap().unwrap();
        let (_, entry) = d.get(&index, "m").unwrap().unwrap();
        d.put(
            &entry,
            "withdrawn",
            format!("ll1\u{1f}{T0}\u{1f}\u{1f}记错了"),
        )
        .unwrap();
    };
    assert_eq!(
        judged(&mut community, "ll1", forged),
        Err(Rule::NotRecorder)
    );
    assert_eq!(
        judged(&mut community, "gl1", withdraw("gl1", Role::GroupLeader)),
        Ok(())
    );
    assert_eq!(
        judged(&mut community, "cm1", withdraw("cm1", Role::Committee)),
        Ok(())
    );
    let mark = |who: &str| {
        let w = Withdrawal {
            by: who.to_string(),
            at: T0,
            duplicate_of: None,
            reason: "记错了".into(),
        };
        move |d: &mut AutoCommit| mark_meeting_withdrawn(d, &w).unwrap()
    };
    assert_eq!(
        judged(&mut meeting, "ll1", mark("ll1")),
        Err(Rule::NotRecorder)
    );
    assert_eq!(
        judged(&mut meeting, "ll1", mark("gl1")),
        Err(Rule::NotTheAuthor)
    );
    assert_eq!(judged(&mut meeting, "gl1", mark("gl1")), Ok(()));
}
