//! `--export` / `--import` with the real binary, and the data directory lock.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_testkit::native_client::{new_doc_id, opened, NativeClient};
use linli_testkit::RelayProcess;

fn relay_command(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linli-relay"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn");
    command
}

fn run(mut command: Command, stdin: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_moves_to_a_new_data_directory_by_export_and_import() {
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let doc = new_doc_id();
    let relay = RelayProcess::start(old.path());
    let mut writer = NativeClient::new("writer");
    writer.connect(&relay.sync_url()).await;
    writer
        .edit(doc, |d| d.put(ROOT, "title", "备份").map(drop).unwrap())
        .await;
    writer.wait_until("stored", |c| c.is_synced(doc)).await;

    // The data directory belongs to the running relay.
    let refused = run(relay_command(old.path(), &["--export", &doc.to_url()]), b"");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("in use"));
    // So does a second relay.
    let second = run(relay_command(old.path(), &["--addr", "127.0.0.1:0"]), b"");
    assert!(!second.status.success());
    relay.kill();

    let exported = run(relay_command(old.path(), &["--export", &doc.to_url()]), b"");
    assert!(exported.status.success(), "{exported:?}");
    let imported = run(
        relay_command(new.path(), &["--import", &doc.to_string()]),
        &exported.stdout,
    );
    assert!(imported.status.success(), "{imported:?}");

    // An imported document belongs to no community: nobody may sync it until an admin
    // registers it (here: as the community document).
    let relay = RelayProcess::start(new.path());
    let stranger = opened(
        "stranger",
        &relay.sync_url(),
        doc,
        "the relay refuses",
        |c| !c.events.is_empty() && c.events.len() > 1,
    )
    .await;
    assert!(stranger.string(doc, "title").is_none());
    let admin = relay.api().register(&doc.to_string(), None).ok();
    let credential = &admin.credential;
    let reader = opened(
        "reader",
        &relay.sync_url_with(credential),
        doc,
        "the imported document arrives",
        |c| c.string(doc, "title").is_some(),
    )
    .await;
    assert_eq!(reader.string(doc, "title").as_deref(), Some("备份"));
}
