//! 吹哨 with the real binary: a 邻长 makes a report link; residents post through it while the
//! 邻长's phone keeps editing. The flood is slowed, then refused (429, what was written kept
//! in the form) without holding up the phone's sync; what was accepted reaches the 邻长's
//! phone live, written as `resident`; after a SIGKILL and a restart every accepted report and
//! its tracking page are still there; a revoked link answers 410 at once.

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::domain::*;
use linli_shared::wire::{DocStore, DocumentId};
use linli_testkit::native_client::NativeClient;
use linli_testkit::resident::{open_page, post_report};
use linli_testkit::RelayProcess;

fn residents_reports(phone: &mut NativeClient, doc: DocumentId) -> Vec<Concern> {
    list_concerns(phone.docs.doc_mut(&doc))
        .unwrap_or_default()
        .into_iter()
        .filter(|c| is_resident(&c.raised_by))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_refused_without_holding_up_sync_and_what_was_accepted_survives_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let (community, doc) = relay.community_with_org_tree().await;
    let token = relay.invite(&community.admin, Role::NeighbourLeader, 1.0);
    let leader = relay.join(&token).ok().credential;
    let mut phone = relay.member(&leader, "邻长").await;
    phone.open(doc).await;
    phone
        .wait_until("the 邻长's phone has the org tree", |c| {
            list_units(c.docs.doc_mut(&doc)).is_ok_and(|u| u.len() == 3)
        })
        .await;
    let link = relay.api().make_report_link(&leader, "nb1").ok();
    let form = open_page(
        &relay.http_url,
        &linli_shared::api::report_page_path(&link.token),
    );
    assert_eq!(form.status, 200);
    assert!(form.html.contains("东一邻"), "the form says where it goes");

    // Twenty residents' posts from one address, on another thread, while the phone edits.
    let url = relay.http_url.clone();
    let link_token = link.token.clone();
    let flood = std::thread::spawn(move || {
        (0..20)
            .map(|i| {
                let text = format!("楼道灯坏了 {i}");
                post_report(
                    &url,
                    &link_token,
                    &[("text", &text), ("phone", "13812345678")],
                    None,
                )
            })
            .collect::<Vec<_>>()
    });
    for i in 0..10 {
        phone
            .edit(doc, move |d| {
                d.put(ROOT, format!("k{i}"), i).map(drop).unwrap()
            })
            .await;
        phone
            .wait_until("the phone's edit is stored during the flood", |c| {
                c.is_synced(doc)
            })
            .await;
    }
    let answers = flood.join().unwrap();
    let accepted: Vec<_> = answers.iter().filter(|p| p.status == 303).collect();
    let refused: Vec<_> = answers.iter().filter(|p| p.status == 429).collect();
    assert_eq!(accepted.len() + refused.len(), 20, "{answers:?}");
    assert!(
        (1..=8).contains(&accepted.len()),
        "{} accepted",
        accepted.len()
    );
    assert!(
        refused.iter().all(|p| p.html.contains("楼道灯坏了")),
        "the form keeps the text"
    );
    phone
        .wait_until("the accepted reports reach the 邻长's phone live", |c| {
            residents_reports(c, doc).len() == accepted.len()
        })
        .await;
    let reports = residents_reports(&mut phone, doc);
    assert!(reports
        .iter()
        .all(|c| c.status == ConcernStatus::Open && c.level == Level::Neighbour));
    let tracking: Vec<String> = accepted
        .iter()
        .map(|p| {
            p.location
                .clone()
                .unwrap()
                .split('?')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    drop(phone);

    relay.kill();
    let relay = RelayProcess::start(data.path());
    let mut phone = relay.member(&leader, "邻长").await;
    phone.open(doc).await;
    phone
        .wait_until("every accepted report is still there after SIGKILL", |c| {
            residents_reports(c, doc).len() == tracking.len()
        })
        .await;
    for path in &tracking {
        let page = open_page(&relay.http_url, path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.html.contains("待领办"));
        assert!(
            !page.html.contains("13812345678"),
            "no phone number on the tracking page"
        );
    }
    relay.api().revoke_report_link(&leader, &link.id).ok();
    let page = linli_shared::api::report_page_path(&link.token);
    assert_eq!(open_page(&relay.http_url, &page).status, 410);
    let late = post_report(&relay.http_url, &link.token, &[("text", "还在吗")], None);
    assert_eq!(late.status, 410);
    relay.kill();
}
