//! The concern path's writes as data (`domain::Command`, issue 14) do what the domain
//! functions they name do, on any sequence of taps; and the community view a relay sends
//! as JSON reads back as the view the phone computes itself.

mod common;

use automerge::AutoCommit;
use common::*;
use linli_shared::domain::*;
use proptest::prelude::*;

/// One tap on the concern path, by one of the sample community's members.
#[derive(Clone, Debug)]
enum Tap {
    Record(u8),
    Claim(u8),
    Release(u8),
    Escalate(u8, Option<Level>, &'static str),
    Resolve(u8, &'static str),
    Feedback(u8, u8, &'static str),
    Reopen(u8, &'static str),
    Support(u8, &'static str),
}

const ACTORS: [&str; 5] = ["ll1", "ll2", "gl1", "al1", "cm1"];

fn concern_id(n: u8) -> String {
    format!("c{}", n % 4)
}

fn tap() -> impl Strategy<Value = Tap> {
    let n = 0u8..8;
    let text = prop_oneof![Just(""), Just("修好了"), Just("需要上级协调")];
    let level = prop_oneof![
        Just(None),
        Just(Some(Level::Group)),
        Just(Some(Level::Area)),
        Just(Some(Level::Town))
    ];
    prop_oneof![
        n.clone().prop_map(Tap::Record),
        n.clone().prop_map(Tap::Claim),
        n.clone().prop_map(Tap::Release),
        (n.clone(), level, text.clone()).prop_map(|(n, l, t)| Tap::Escalate(n, l, t)),
        (n.clone(), text.clone()).prop_map(|(n, t)| Tap::Resolve(n, t)),
        (n.clone(), 0u8..7, text.clone()).prop_map(|(n, s, t)| Tap::Feedback(n, s, t)),
        (n.clone(), text.clone()).prop_map(|(n, t)| Tap::Reopen(n, t)),
        (n, prop_oneof![Just("hh1a"), Just("ll2")]).prop_map(|(n, s)| Tap::Support(n, s)),
    ]
}

/// The tap as the command a screen sends.
fn as_command(tap: &Tap) -> Command {
    match tap.clone() {
        Tap::Record(n) => Command::RecordConcern(new_concern(&concern_id(n), "井盖松动")),
        Tap::Claim(n) => Command::Claim(concern_id(n)),
        Tap::Release(n) => Command::Release(concern_id(n)),
        Tap::Escalate(n, to, reason) => Command::Escalate {
            id: concern_id(n),
            to,
            reason: reason.into(),
        },
        Tap::Resolve(n, summary) => Command::Resolve {
            id: concern_id(n),
            summary: summary.into(),
        },
        Tap::Feedback(n, satisfaction, comment) => Command::Feedback {
            id: concern_id(n),
            satisfaction,
            comment: comment.into(),
        },
        Tap::Reopen(n, reason) => Command::Reopen {
            id: concern_id(n),
            reason: reason.into(),
        },
        Tap::Support(n, supporter) => Command::Support {
            id: concern_id(n),
            supporter: supporter.into(),
        },
    }
}

/// The tap as the function call the screens made before commands existed.
fn call(tap: &Tap, doc: &mut AutoCommit, ctx: &Ctx) -> Result<(), DomainError> {
    match tap.clone() {
        Tap::Record(n) => {
            record_concern(doc, ctx, new_concern(&concern_id(n), "井盖松动")).map(drop)
        }
        Tap::Claim(n) => claim(doc, ctx, &concern_id(n)),
        Tap::Release(n) => release(doc, ctx, &concern_id(n)),
        Tap::Escalate(n, to, reason) => escalate(doc, ctx, &concern_id(n), to, reason).map(drop),
        Tap::Resolve(n, summary) => resolve(doc, ctx, &concern_id(n), summary),
        Tap::Feedback(n, s, comment) => feedback(doc, ctx, &concern_id(n), s, comment),
        Tap::Reopen(n, reason) => reopen(doc, ctx, &concern_id(n), reason),
        Tap::Support(n, supporter) => support(doc, ctx, &concern_id(n), supporter),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same taps as commands and as function calls leave the same document (the same
    /// changes: same actor, same times) and give the same answers.
    #[test]
    fn a_command_does_what_its_function_does(
        taps in proptest::collection::vec((tap(), 0usize..ACTORS.len()), 1..24)
    ) {
        let mut by_command = sample_community();
        let mut by_call = by_command.fork().with_actor(by_command.get_actor().clone());
        for (i, (tap, who)) in taps.iter().enumerate() {
            let ctx = ctx(ACTORS[*who], T0 + i as i64 * MINUTE);
            let commanded = as_command(tap).run(&mut by_command, &ctx);
            commit_at(&mut by_command, ctx.now_ms);
            let called = call(tap, &mut by_call, &ctx);
            commit_at(&mut by_call, ctx.now_ms);
            prop_assert_eq!(commanded, called);
        }
        prop_assert_eq!(by_command.get_heads(), by_call.get_heads());
        prop_assert_eq!(
            CommunityView::read(&by_command, "ll1".into()),
            CommunityView::read(&by_call, "ll1".into())
        );
    }
}

#[test]
fn a_new_community_by_command() {
    let mut doc = doc_with_actor(1);
    let init = Command::InitCommunity {
        community_id: "xd".into(),
        name: "兴东社区".into(),
    };
    init.run(&mut doc, &ctx("cm1", T0)).unwrap();
    assert_eq!(community_info(&doc).unwrap().name, "兴东社区");
    let again = Command::InitCommunity {
        community_id: "xd".into(),
        name: String::new(),
    };
    assert_eq!(
        again.run(&mut doc, &ctx("cm1", T0)),
        Err(DomainError::Empty(Field::CommunityName))
    );
}

/// What the relay sends a phone that has just joined is what the phone reads itself.
#[test]
fn the_view_as_json_reads_back_as_the_view() {
    let mut doc = sample_community();
    let c = ctx("ll1", T0);
    record_concern(&mut doc, &c, new_concern("c1", "路灯坏了")).unwrap();
    claim(&mut doc, &c, "c1").unwrap();
    escalate(&mut doc, &c, "c1", None, "要组里协调").unwrap();
    support(&mut doc, &ctx("ll2", T0 + HOUR), "c1", "hh1a").unwrap();
    let other = NewConcern {
        reporter: Reporter::Resident("3栋王阿姨".into()),
        ..new_concern("c2", "楼道堆物")
    };
    record_concern(&mut doc, &c, other).unwrap();
    withdraw_concern(&mut doc, &c, "c2", "记错了").unwrap();
    let view = CommunityView::read(&doc, "ll1".into());
    assert_eq!(view.concerns.len(), 1);
    assert_eq!(view.withdrawn.len(), 1);
    let json = serde_json::to_string(&view).unwrap();
    let back: CommunityView = serde_json::from_str(&json).unwrap();
    assert_eq!(back, view);
    assert_eq!(back.place_path("nb1"), view.place_path("nb1"));
}
