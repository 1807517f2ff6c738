//! A community with many concerns, built with the domain crate and imported into the
//! relay's data directory, then registered and opened by invite like a real one (used by
//! the start-up benchmark and the long-list tests).

use crate::{Browser, Chromedriver};
use automerge::AutoCommit;
use linli_shared::domain::{self, Category, Ctx, NewConcern};
use linli_shared::wire::DocumentId;
use linli_testkit::relay::relay_binary;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The title of concern `i` of [`community`].
pub fn title(i: usize) -> String {
    format!("第{}组 路灯不亮 {i}", i % 40)
}

/// A saved community document with `concerns` concerns, recorded 3 hours apart (so
/// concern 0 is the oldest), half of them claimed and resolved, a quarter rated.
pub fn community(id: &DocumentId, concerns: usize) -> Vec<u8> {
    let mut doc = AutoCommit::new();
    domain::init_community(&mut doc, &id.to_string(), "兴东社区").unwrap();
    let start = 1_760_000_000_000i64;
    for i in 0..concerns {
        let at = start + (i as i64) * domain::DAY_MS / 8;
        let who = format!("member-{}", i % 150);
        let ctx = Ctx::new(who.clone(), at);
        let cid = format!("concern-{i:05}");
        let new = NewConcern {
            id: cid.clone(),
            title: title(i),
            description: "居民反映晚上出行不便，需要尽快修复。".into(),
            category: Category::ALL[i % Category::ALL.len()],
            ..Default::default()
        };
        domain::record_concern(&mut doc, &ctx, new).unwrap();
        if i % 2 == 0 {
            let later = Ctx::new(who.clone(), at + domain::DAY_MS);
            domain::claim(&mut doc, &later, &cid).unwrap();
            domain::resolve(
                &mut doc,
                &Ctx::new(who.clone(), at + 3 * domain::DAY_MS),
                &cid,
                "已修复",
            )
            .unwrap();
            if i % 4 == 0 {
                let fb = Ctx::new(who, at + 4 * domain::DAY_MS);
                domain::feedback(&mut doc, &fb, &cid, 5, "满意").unwrap();
            }
        }
    }
    doc.save()
}

/// Imports a saved document into the data directory (`linli-relay --import`; the relay
/// must not be running on it).
pub fn import(data: &Path, id: &DocumentId, bytes: &[u8]) {
    let mut child = Command::new(relay_binary())
        .arg("--data")
        .arg(data)
        .arg("--import")
        .arg(id.to_string())
        .stdin(Stdio::piped())
        .spawn()
        .expect("run linli-relay --import");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    assert!(child.wait().unwrap().success(), "import failed");
}

/// Registers an imported community with the relay (as its first admin would) and returns
/// an invite token, from a separate browser so the phone that joins starts empty.
pub async fn invite_to(driver: &Chromedriver, base: &str, id: &DocumentId) -> String {
    invites_to(driver, base, id, 1).await.remove(0)
}

/// [`invite_to`], with `n` invites (one per phone that joins).
pub async fn invites_to(
    driver: &Chromedriver,
    base: &str,
    id: &DocumentId,
    n: usize,
) -> Vec<String> {
    let admin = Browser::launch(driver, "admin").await;
    admin.goto(base).await;
    let tokens = admin
        .client
        .execute_async(
            &format!(
                "const done = arguments[0]; const json = {{'content-type': 'application/json'}};
                 const invite = (c) => fetch('/api/invites', {{method: 'POST',
                        headers: {{...json, authorization: 'Bearer ' + c.credential}},
                        body: JSON.stringify({{role: 'neighbour_leader', ttl_hours: 1}})}})
                   .then(r => r.json()).then(i => i.token);
                 fetch('/api/communities', {{method: 'POST', headers: json,
                        body: JSON.stringify({{community_doc_id: '{id}'}})}})
                   .then(r => r.json())
                   .then(async c => {{ const tokens = [];
                     for (let i = 0; i < {n}; i++) tokens.push(await invite(c));
                     return tokens; }})
                   .then(done).catch(() => done(null));"
            ),
            vec![],
        )
        .await
        .expect("register and invite");
    admin.close().await;
    let tokens: Vec<String> = serde_json::from_value(tokens).expect("invite tokens");
    assert_eq!(tokens.len(), n, "{n} invites");
    tokens
}
