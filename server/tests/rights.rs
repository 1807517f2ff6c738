//! Verified rights with the real binary (issue 12): a 邻长 (Alice) with a hand-written client
//! that skips the phone's own checks (a modified app would) tries what her role may not do, or
//! does it in another member's name:
//! (a) adds a member, (b) resolves a concern a 组长 claimed, signed as the 组长, (c) records a
//! concern with the 组长 as its `raised_by`, (e) records a decision in a meeting the admin
//! convened. Each is refused with an error naming the rule, nothing of it is stored (a third
//! phone never sees it, and not after a SIGKILL and restart either), and her socket stays open.
//! The same acts by the member whose right they are are stored. ((d), a change under another
//! member's actor id, is `actor_binding.rs`.)

use automerge::AutoCommit;
use linli_shared::domain::{self, Ctx, NewConcern, NewMeeting, NewMember, Role};
use linli_shared::wire::client::Event;
use linli_shared::wire::DocumentId;
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::RelayProcess;

const T0: i64 = 1_793_548_800_000;

struct Member {
    id: String,
    credential: String,
}

fn join(relay: &RelayProcess, admin: &str, role: Role) -> Member {
    let token = relay.invite(admin, role, 1.0);
    let grant = relay.join(&token).ok();
    Member {
        id: grant.member_id,
        credential: grant.credential,
    }
}

fn refusals(client: &NativeClient) -> Vec<String> {
    client
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Error(message) if message.starts_with("rights:") => Some(message.clone()),
            _ => None,
        })
        .collect()
}

/// A fresh phone of `m` holding the relay's copy of `docs`.
async fn phone(relay: &RelayProcess, m: &Member, docs: &[DocumentId]) -> NativeClient {
    let mut p = relay.member(&m.credential, &m.id).await;
    for doc in docs {
        p.open(*doc).await;
    }
    p.wait_until("the phone holds the relay's copies", |c| {
        docs.iter().all(|d| c.is_synced(*d) && c.key_count(*d) > 0)
    })
    .await;
    p
}

/// Alice, on a fresh phone, makes `forgery` to `doc` and waits for the refusal naming `rule`.
async fn refused(
    relay: &RelayProcess,
    alice: &Member,
    docs: &[DocumentId],
    doc: DocumentId,
    rule: &str,
    forgery: impl FnOnce(&mut AutoCommit),
) {
    let mut p = phone(relay, alice, docs).await;
    p.edit(doc, forgery).await;
    p.wait_until(&format!("the relay refuses ({rule})"), |c| {
        !refusals(c).is_empty()
    })
    .await;
    let refusal = refusals(&p).pop().unwrap_or_default();
    assert!(
        refusal.starts_with(&format!("rights: {rule}:")),
        "{refusal}"
    );
    // The socket stays open: an honest change to another document is stored.
    let own = new_doc_id();
    p.edit(own, |d| {
        use automerge::transaction::Transactable;
        d.put(automerge::ROOT, "note", "honest").unwrap();
    })
    .await;
    p.wait_until("Alice's honest change is stored", |c| c.is_synced(own))
        .await;
}

fn concerns(p: &NativeClient, doc: DocumentId) -> Vec<domain::Concern> {
    domain::list_concerns(p.docs.get(&doc).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_neighbour_leaders_forgeries_are_refused_and_the_right_roles_acts_are_stored() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let community = relay.community();
    let doc: DocumentId = community.doc.parse().unwrap();
    let admin_grant = relay.api().members(&community.admin).ok();
    let admin = Member {
        id: admin_grant
            .iter()
            .find(|m| m.admin)
            .map(|m| m.member_id.clone())
            .unwrap(),
        credential: community.admin.clone(),
    };
    let alice = join(&relay, &admin.credential, Role::NeighbourLeader);
    let leader = join(&relay, &admin.credential, Role::GroupLeader);
    let meeting = new_doc_id();

    // The admin sets the community up and convenes a meeting with one agenda item.
    let as_admin = Ctx::new(&admin.id, T0).with_admin(true);
    let mut a = relay.member(&admin.credential, "admin").await;
    let (aid, lid, gid) = (admin.id.clone(), alice.id.clone(), leader.id.clone());
    a.edit(doc, |d| {
        domain::init_community(d, &community.doc, "兴东社区").unwrap();
        for (id, role) in [
            (&aid, Role::Committee),
            (&lid, Role::NeighbourLeader),
            (&gid, Role::GroupLeader),
        ] {
            let m = NewMember {
                id: id.clone(),
                name: id.clone(),
                role,
                unit: None,
            };
            domain::add_member(d, &as_admin, m).unwrap();
        }
    })
    .await;
    a.edit(meeting, |d| {
        let new = NewMeeting {
            id: "m1".into(),
            community_id: community.doc.clone(),
            kind: domain::MeetingKind::CourtyardCouncil,
            title: "十一月议事会".into(),
            starts_at: T0,
            place: String::new(),
            participants: vec![],
        };
        domain::create_meeting(d, &as_admin, new).unwrap();
        let item = domain::NewAgendaItem {
            id: "i1".into(),
            title: "路灯".into(),
            concerns: vec![],
        };
        domain::add_agenda_item(d, &as_admin, item).unwrap();
    })
    .await;
    a.wait_until("the admin's documents are stored", |c| {
        c.is_synced(doc) && c.is_synced(meeting)
    })
    .await;

    // The 组长 records a concern and claims it.
    let as_leader = Ctx::new(&leader.id, T0 + 1).with_role(Some(Role::GroupLeader));
    let mut g = phone(&relay, &leader, &[doc]).await;
    g.edit(doc, |d| {
        let c = NewConcern {
            id: "c1".into(),
            title: "三组路灯不亮".into(),
            ..Default::default()
        };
        domain::record_concern(d, &as_leader, c).unwrap();
        domain::claim(d, &as_leader, "c1").unwrap();
    })
    .await;
    g.wait_until("the 组长's concern is stored", |c| c.is_synced(doc))
        .await;

    // Alice's forgeries. Her client claims powers it does not have, or another's name.
    let docs = [doc, meeting];
    let posing_as_committee = Ctx::new(&alice.id, T0 + 2)
        .with_role(Some(Role::Committee))
        .with_admin(true);
    let c = posing_as_committee.clone();
    refused(&relay, &alice, &docs, doc, "managers_only", move |d| {
        let m = NewMember {
            id: "mallory".into(),
            name: "Mallory".into(),
            role: Role::Town,
            unit: None,
        };
        domain::add_member(d, &c, m).unwrap();
    })
    .await;
    let as_the_leader = Ctx::new(&leader.id, T0 + 3).with_role(Some(Role::GroupLeader));
    let c = as_the_leader.clone();
    refused(&relay, &alice, &docs, doc, "not_claimant", move |d| {
        domain::resolve(d, &c, "c1", "假装办结").unwrap();
    })
    .await;
    let c = as_the_leader.clone();
    refused(&relay, &alice, &docs, doc, "not_the_author", move |d| {
        let new = NewConcern {
            id: "c2".into(),
            title: "冒名记录".into(),
            ..Default::default()
        };
        domain::record_concern(d, &c, new).unwrap();
    })
    .await;
    let c = posing_as_committee.clone();
    refused(&relay, &alice, &docs, meeting, "not_convenor", move |d| {
        domain::decide(d, &c, "i1", "通过").unwrap();
    })
    .await;

    // Nothing of it was stored, and the right roles' acts are.
    let mut g = phone(&relay, &leader, &docs).await;
    g.edit(doc, |d| {
        domain::resolve(d, &as_leader, "c1", "已更换灯泡").unwrap()
    })
    .await;
    g.wait_until("the claimant's resolve is stored", |c| c.is_synced(doc))
        .await;
    a.edit(meeting, |d| {
        domain::decide(d, &as_admin, "i1", "通过").unwrap()
    })
    .await;
    a.wait_until("the convenor's decision is stored", |c| {
        c.is_synced(meeting)
    })
    .await;
    drop((a, g));
    relay.kill();
    let relay = RelayProcess::start(data.path());
    let third = phone(&relay, &admin, &docs).await;
    let members = domain::list_members(third.docs.get(&doc).unwrap()).unwrap();
    assert_eq!(members.len(), 3, "no member added by Alice: {members:?}");
    let all = concerns(&third, doc);
    assert_eq!(all.len(), 1, "no concern in the 组长's name by Alice");
    let resolution = all[0].resolution.clone().expect("resolved by its claimant");
    assert_eq!(
        (resolution.by.as_str(), resolution.summary.as_str()),
        (leader.id.as_str(), "已更换灯泡")
    );
    let m = domain::get_meeting(third.docs.get(&meeting).unwrap()).unwrap();
    let decision = m.agenda[0]
        .decision
        .clone()
        .expect("decided by the convenor");
    assert_eq!(decision.by, admin.id);
    assert!(refusals(&third).is_empty());
}
