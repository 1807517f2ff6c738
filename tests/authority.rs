//! Authority in the app (issue 12): a 邻长's phone does not offer what its role may not do and
//! says, in words, which rule keeps it back; the community's admin is offered all of it. A phone
//! whose admin standing was taken away while it was offline sees the relay refuse what it did
//! as an admin, and which of its changes were put aside, is brought back to the community's
//! copy, and syncs again. After two phones edited a concern and a meeting's notes, the
//! history view names which member changed what.

use linli_tests::steps::{
    act, create_community_as, create_meeting, join_as, make_invite, open_concern,
    open_meeting_from_list, open_profile, record, show_all, type_notes, wait_concern_status,
    wait_for, wait_status, wait_text_containing, wait_title, PAGE,
};
use linli_tests::{eventually, Browser, Chromedriver, Proxy, RelayProcess};

/// The rule a `not-allowed` note names, with its text.
async fn rule_said(b: &Browser, rule: &str) -> String {
    let css = format!(
        "[data-testid=not-allowed] [data-rule={rule}], [data-testid=not-allowed][data-rule={rule}]"
    );
    wait_for(b, &css).await;
    b.text_of_all(&css).await.join("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_neighbour_leader_is_not_offered_what_its_role_lacks() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let b = Browser::launch(&driver, "neighbour").await;
    let first = create_community_as(&admin, &relay.http_url, "兴东社区", "王书记").await;
    let invite = make_invite(&admin, "neighbour_leader", 1, &first).await;
    join_as(&b, &invite, "李邻长").await;

    // The admin sends a concern up to the 组: above a 邻长's level.
    record(&admin, "三组路口井盖松动").await;
    open_concern(&admin, "三组路口井盖松动").await;
    act(&admin, "escalate", Some("需要组里协调")).await;
    wait_concern_status(&admin, "open").await;

    // B's own concern, at the 邻: B may claim it.
    record(&b, "五组路灯不亮").await;
    open_concern(&b, "五组路灯不亮").await;
    wait_for(&b, "[data-testid=actions] [data-testid=claim]").await;

    // The escalated one: no claim button, and the rule said in Chinese.
    show_all(&b).await;
    wait_title(&b, "三组路口井盖松动", PAGE).await;
    open_concern(&b, "三组路口井盖松动").await;
    let said = rule_said(&b, "above_own_level").await;
    assert!(said.contains("更高"), "the rule in words: {said:?}");
    assert!(
        !b.exists("[data-testid=actions] [data-testid=claim]").await,
        "a 邻长 is not offered a 组-level claim"
    );
    // Escalating is offered, but only as far as the committee (两委).
    b.click("[data-testid=actions] [data-testid=escalate]")
        .await;
    wait_for(&b, "#escalate-to").await;
    let levels = b
        .js_strings(
            "return Array.from(document.querySelectorAll('#escalate-to option')).map(o => o.value).filter(v => v);",
        )
        .await;
    assert_eq!(levels, ["area", "committee"], "a 邻长's reach");
    b.screenshot("authority-01-neighbour-concern").await;

    // No meeting to convene, no org tree to edit: said instead.
    b.click("[data-testid=tab-meetings]").await;
    let said = rule_said(&b, "convenors_only").await;
    assert!(said.contains("组长"), "{said:?}");
    assert!(!b.exists("[data-testid=new-meeting-open]").await);
    b.click("[data-testid=tab-profile]").await;
    rule_said(&b, "managers_only").await;
    assert!(!b.exists("[data-testid=add-unit]").await);
    b.screenshot("authority-02-neighbour-profile").await;

    // The admin is offered each of them.
    admin.click("[data-testid=tab-meetings]").await;
    wait_for(&admin, "[data-testid=new-meeting-open]").await;
    admin.click("[data-testid=tab-profile]").await;
    wait_for(&admin, "[data-testid=add-unit]").await;
    open_concern(&admin, "三组路口井盖松动").await;
    eventually(PAGE, "the admin may claim at the 组", || async {
        admin
            .exists("[data-testid=actions] [data-testid=claim]")
            .await
            .then_some(())
    })
    .await;
    assert!(!admin.exists("[data-testid=not-allowed] li").await);

    admin.close().await;
    b.close().await;
}

/// On the admin's 我 screen: makes `name` an admin, or no longer one, and waits for the list to
/// show `admins` admins.
async fn change_admin(admin: &Browser, name: &str, admins: usize) {
    open_profile(admin).await;
    wait_text_containing(admin, "[data-testid=member]", name).await;
    admin
        .js(&format!(
            "for (const row of document.querySelectorAll('[data-testid=member]')) {{
               if (row.textContent.includes({name:?})) {{
                 row.querySelector('[data-testid=admin-change]').click(); return; }} }}"
        ))
        .await;
    wait_for(admin, "[data-testid=admin-change-confirm]").await;
    admin.click("[data-testid=confirm-admin-change]").await;
    eventually(PAGE, &format!("{admins} admins listed"), || async {
        let rows = admin
            .text_of_all("[data-testid=member][data-revoked=false][data-admin=true]")
            .await;
        (rows.len() == admins).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_demoted_while_offline_sees_its_refused_change_and_syncs_again() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let b_link = Proxy::start(relay.port()).await;
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let b = Browser::launch(&driver, "demoted").await;
    let first = create_community_as(&admin, &relay.http_url, "兴东社区", "王书记").await;
    let invite = make_invite(&admin, "group_leader", 1, &first).await;
    join_as(
        &b,
        &invite.replace(&relay.http_url, &b_link.url()),
        "李组长",
    )
    .await;
    wait_status(&b, "synced").await;

    // B is made an admin; on its next connection it keeps the org tree.
    change_admin(&admin, "李组长", 2).await;
    b.client.refresh().await.expect("reload B");
    wait_status(&b, "synced").await;
    b.click("[data-testid=tab-profile]").await;
    wait_for(&b, "[data-testid=add-unit]").await;

    // Offline, B adds a 片 as the admin it still believes it is ...
    b_link.go_offline();
    wait_status(&b, "offline").await;
    b.type_into("[data-testid=unit-name]", "三片").await;
    b.click("[data-testid=add-unit] button[type=submit]").await;
    wait_text_containing(&b, "[data-testid=org-tree] li", "三片").await;
    // ... while the admin takes that standing back.
    change_admin(&admin, "李组长", 1).await;

    // Back online: the relay refuses the change and says which rule; the phone is brought back
    // to the community's copy and syncs again.
    b_link.go_online();
    let rule = "[data-testid=rights-refused][data-rule=managers_only]";
    wait_for(&b, rule).await;
    let said = b.text_of_all(rule).await.join("");
    assert!(said.contains("没有被服务器接受"), "{said:?}");
    // Which of its changes: the grid edit, put aside on the phone.
    wait_for(&b, "[data-testid=put-aside][data-parts~=org_tree]").await;
    let listed = b.text_of_all("[data-testid=put-aside]").await.join("");
    assert!(listed.contains("网格"), "{listed:?}");
    b.screenshot("authority-03-refused-after-demotion").await;
    eventually(PAGE, "the refused 片 is gone from B's tree", || async {
        let tree = b.text_of_all("[data-testid=org-tree] li").await;
        (!tree.iter().any(|t| t.contains("三片"))).then_some(())
    })
    .await;
    wait_status(&b, "synced").await;
    // Not stuck behind the refused change: B's next record reaches the admin.
    record(&b, "四组路灯不亮").await;
    wait_status(&b, "synced").await;
    show_all(&admin).await;
    wait_title(&admin, "四组路灯不亮", PAGE).await;
    admin.click("[data-testid=tab-profile]").await;
    let tree = admin.text_of_all("[data-testid=org-tree] li").await;
    assert!(
        !tree.iter().any(|t| t.contains("三片")),
        "never stored: {tree:?}"
    );

    admin.close().await;
    b.close().await;
}

/// The rows of the open history: (text, `data-parts`), newest first.
async fn history_rows(b: &Browser, testid: &str, attr: &str) -> Vec<(String, String)> {
    let rows = b
        .js_strings(&format!(
            "return Array.from(document.querySelectorAll('[data-testid={testid}]'))
               .map(r => r.textContent + '|' + (r.getAttribute({attr:?}) || ''));"
        ))
        .await;
    rows.into_iter()
        .map(|r| {
            let (text, attr) = r.rsplit_once('|').unwrap_or_default();
            (text.to_string(), attr.to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_names_who_changed_a_concern_and_who_wrote_which_notes() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::serving_app(data.path());
    let driver = Chromedriver::start();
    let admin = Browser::launch(&driver, "admin").await;
    let b = Browser::launch(&driver, "group").await;
    let first = create_community_as(&admin, &relay.http_url, "兴东社区", "王书记").await;
    let invite = make_invite(&admin, "group_leader", 1, &first).await;
    join_as(&b, &invite, "李组长").await;

    // The admin records a concern; the 组长 claims it on the other phone.
    record(&admin, "路口井盖松动").await;
    wait_status(&admin, "synced").await;
    show_all(&b).await;
    wait_title(&b, "路口井盖松动", PAGE).await;
    open_concern(&b, "路口井盖松动").await;
    act(&b, "claim", None).await;
    wait_concern_status(&b, "claimed").await;
    wait_status(&b, "synced").await;

    open_concern(&admin, "路口井盖松动").await;
    wait_concern_status(&admin, "claimed").await;
    // Nothing for the admin to do on it: who has it, not an empty box.
    wait_text_containing(&admin, "[data-testid=in-hand]", "李组长").await;
    admin.click("[data-testid=history-toggle]").await;
    let rows = eventually(PAGE, "the concern's history names both members", || async {
        let rows = history_rows(&admin, "history-edit", "data-parts").await;
        let named = rows.len() == 2 && rows[0].0.contains("李组长") && rows[1].0.contains("王书记");
        named.then_some(rows)
    })
    .await;
    assert_eq!(rows[0].1, "status timeline", "{rows:?}");
    assert_eq!(rows[1].1, "recorded", "{rows:?}");
    admin.screenshot("authority-04-concern-history").await;

    // A meeting: each phone types into the same item's notes.
    create_meeting(&admin, "停车议事会", "车位").await;
    wait_status(&admin, "synced").await;
    open_meeting_from_list(&b, "停车议事会").await;
    type_notes(&admin, "王：车位不够。").await;
    type_notes(&b, "李：晚上占道。").await;
    wait_status(&b, "synced").await;
    wait_status(&admin, "synced").await;

    admin.click("[data-testid=history-toggle]").await;
    let pieces = eventually(PAGE, "the notes name who wrote each part", || async {
        let pieces = history_rows(&admin, "notes-author", "data-member").await;
        let by = |name: &str, text: &str| {
            pieces
                .iter()
                .any(|(t, member)| t.contains(name) && t.contains(text) && !member.is_empty())
        };
        (by("王书记", "车位不够") && by("李组长", "晚上占道")).then_some(pieces)
    })
    .await;
    assert!(
        !pieces
            .iter()
            .any(|(t, _)| t.contains("王书记") && t.contains("晚上占道")),
        "{pieces:?}"
    );
    let rows = history_rows(&admin, "history-edit", "data-parts").await;
    assert!(
        rows.iter()
            .any(|(t, parts)| t.contains("李组长") && parts.contains("item_notes")),
        "{rows:?}"
    );
    admin.screenshot("authority-05-meeting-history").await;
    // Every change the phones wrote was under an actor id naming its member: the relay holds
    // no binding for them (one per page load and document before).
    assert_eq!(relay.api().metric("linli_actor_bindings"), 0.0);

    admin.close().await;
    b.close().await;
}
