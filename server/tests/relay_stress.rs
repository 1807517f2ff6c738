//! Several clients editing one document at once through the real relay, then a SIGKILL.

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_testkit::native_client::{new_doc_id, opened, NativeClient};
use linli_testkit::RelayProcess;

const CLIENTS: usize = 5;
const EDITS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_editors_converge_and_every_confirmed_edit_survives_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(data.path());
    let url = relay.sync_url();
    let doc = new_doc_id();

    let mut first = NativeClient::new("editor-0");
    first.connect(&url).await;
    first
        .edit(doc, |d| d.put(ROOT, "created", true).map(drop).unwrap())
        .await;
    first.wait_until("created", |c| c.is_synced(doc)).await;

    let mut tasks = Vec::new();
    for n in 0..CLIENTS {
        let url = url.clone();
        let existing = (n == 0).then(|| std::mem::replace(&mut first, NativeClient::new("x")));
        tasks.push(tokio::spawn(async move {
            let mut client = match existing {
                Some(client) => client,
                None => {
                    opened(
                        &format!("editor-{n}"),
                        &url,
                        doc,
                        "joined the document",
                        |c| c.key_count(doc) > 0,
                    )
                    .await
                }
            };
            for i in 0..EDITS {
                client
                    .edit(doc, |d| {
                        d.put(ROOT, format!("c{n}-e{i}"), i as i64)
                            .map(drop)
                            .unwrap()
                    })
                    .await;
            }
            client
                .wait_until("own edits confirmed", |c| c.is_synced(doc))
                .await;
            client
        }));
    }
    let mut clients = Vec::new();
    for task in tasks {
        clients.push(task.await.unwrap());
    }
    let all = CLIENTS * EDITS + 1;
    for client in &mut clients {
        client
            .wait_until("every edit arrived", |c| c.key_count(doc) == all)
            .await;
    }
    let heads = clients[0].docs.get_mut(&doc).unwrap().get_heads();
    for client in &mut clients {
        assert_eq!(client.docs.get_mut(&doc).unwrap().get_heads(), heads);
    }

    relay.kill();
    let relay = RelayProcess::start(data.path());
    opened(
        "reader",
        &relay.sync_url(),
        doc,
        "everything is back",
        |c| c.key_count(doc) == all,
    )
    .await;
}
