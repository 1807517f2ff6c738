//! Quotas and the disk reserve with the real binary on a small disk (a real tmpfs, so needs
//! root, as the tests run here and in CI): a member who fills its community's quota gets an
//! `error` naming it and keeps its socket, nothing acknowledged is lost (re-read after a
//! restart), another community is unaffected; a member who fills the disk is stopped at the
//! reserve, so revoking a member still works; after a crash the relay starts on the full disk
//! and serves what it stored.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::domain::Role;
use linli_shared::wire::client::Event;
use linli_shared::wire::quota::Quota;
use linli_shared::wire::DocumentId;
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::small_disk::SmallDisk;
use linli_testkit::{Community, RelayBuilder, RelayProcess};

const MIB: u64 = 1024 * 1024;

/// Text that deflate cannot shrink much: hex of random bytes.
fn incompressible(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes);
    while out.len() < bytes {
        out.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    out
}

/// Writes notes of `size` bytes into `doc`, each waited for until the relay acknowledges or
/// refuses it, until one is refused. Returns the acknowledged notes and the refusal. Fails if
/// the relay closes the socket. (After a refusal the relay lacks a change the phone's next
/// ones depend on: that document waits for the phone to reconnect.)
async fn write_until_refused(
    phone: &mut NativeClient,
    doc: DocumentId,
    size: usize,
) -> (Vec<(String, String)>, String) {
    let seen = phone.events.len();
    let mut stored = Vec::new();
    loop {
        let key = format!("note-{}", stored.len());
        let value = incompressible(size);
        let (k, v) = (key.clone(), value.clone());
        phone
            .edit(doc, move |d| d.put(ROOT, k.as_str(), v).map(drop).unwrap())
            .await;
        let mut answered = false;
        for _ in 0..200 {
            if let Some(reason) = phone.pump_for(Duration::from_millis(50)).await {
                panic!("the relay closed the socket: {reason:?}");
            }
            if phone.is_synced(doc) || phone.events.len() > seen {
                answered = true;
                break;
            }
        }
        assert!(answered, "no answer to a change of {size} bytes");
        if let Some(reason) = phone.events[seen..].iter().find_map(|e| match e {
            Event::Error(m) => Some(m.clone()),
            _ => None,
        }) {
            return (stored, reason);
        }
        stored.push((key, value));
        assert!(stored.len() < 500, "never refused");
    }
}

/// A new member of `community` (by invite); returns its credential and member id.
fn new_member(relay: &RelayProcess, community: &Community) -> (String, String) {
    let token = relay.invite(&community.admin, Role::NeighbourLeader, 1.0);
    let grant = relay.join(&token).ok();
    (grant.credential, grant.member_id)
}

/// A phone of `credential` that opens `doc` and waits until it holds every note of `notes`.
async fn reads_back(
    relay: &RelayProcess,
    credential: &str,
    doc: DocumentId,
    notes: &[(String, String)],
) {
    let mut reader = relay.member(credential, "reader").await;
    reader.open(doc).await;
    reader
        .wait_until("every acknowledged note", |c| {
            notes.iter().all(|(k, _)| c.string(doc, k).is_some())
        })
        .await;
    for (key, value) in notes {
        assert_eq!(
            reader.string(doc, key).as_deref(),
            Some(value.as_str()),
            "{key}"
        );
    }
    assert_eq!(
        reader.key_count(doc),
        notes.len(),
        "nothing refused was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_fills_its_communitys_quota_and_nothing_acknowledged_is_lost() {
    let disk = SmallDisk::mount(48 * MIB);
    let data = disk.path().join("data");
    let builder = RelayBuilder::new(&data).args(&[
        "--quota-bytes-per-community",
        &MIB.to_string(),
        "--disk-reserve-bytes",
        &MIB.to_string(),
    ]);
    let relay = builder.start();
    let (a, b) = (relay.community(), relay.community());
    let (member, _) = new_member(&relay, &a);
    let mut phone = relay.member(&member, "phone").await;
    let doc = new_doc_id();
    let (notes, reason) = write_until_refused(&mut phone, doc, 100_000).await;
    assert_eq!(
        Quota::of_error(&reason),
        Some(Quota::BytesStored),
        "{reason}"
    );
    assert!(
        notes.len() >= 5,
        "{} notes stored before the quota",
        notes.len()
    );
    assert!(
        phone.pump_for(Duration::from_millis(500)).await.is_none(),
        "the socket stays open"
    );

    // Another community is unaffected: it stores as much as A could not.
    let mut other = relay.member(&b.admin, "other").await;
    let other_doc = new_doc_id();
    let (other_notes, _) = write_until_refused(&mut other, other_doc, 400_000).await;
    assert!(other_notes.len() >= 2, "{} notes", other_notes.len());

    // Everything acknowledged survives a crash; the refused note was never stored.
    relay.kill();
    let relay = builder.start();
    reads_back(&relay, &a.admin, doc, &notes).await;
    reads_back(&relay, &b.admin, other_doc, &other_notes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_revocation_works_and_a_restart_serves_what_was_stored() {
    let disk = SmallDisk::mount(8 * MIB);
    let data = disk.path().join("data");
    let builder = RelayBuilder::new(&data).args(&[
        "--disk-reserve-bytes",
        &MIB.to_string(),
        "--ballast-bytes",
        &(256 * 1024).to_string(),
    ]);
    let relay = builder.start();
    let a = relay.community();
    let (writer, writer_id) = new_member(&relay, &a);
    let (revoked, revoked_id) = new_member(&relay, &a);
    let mut revoked_phone = relay.member(&revoked, "revoked").await;
    let mut phone = relay.member(&writer, "writer").await;
    // Smaller and smaller changes, each size into a new document, until none fits.
    let mut written = Vec::new();
    for size in [200_000, 20_000, 2_000] {
        let doc = new_doc_id();
        let (notes, reason) = write_until_refused(&mut phone, doc, size).await;
        assert_eq!(
            Quota::of_error(&reason),
            Some(Quota::DiskReserve),
            "{reason}"
        );
        written.push((doc, notes));
    }
    let acknowledged: usize = written
        .iter()
        .flat_map(|(_, notes)| notes.iter().map(|(_, v)| v.len()))
        .sum();
    assert!(acknowledged as u64 > 2 * MIB, "{acknowledged} bytes stored");
    // The reserve also counts what a change takes until the next checkpoint (the write-ahead
    // log, then the document's log), so the relay stops with a little more than it free.
    eprintln!(
        "{} bytes free after the member filled the disk",
        disk.free_bytes()
    );

    // Revoking rewrites the registry: it still fits, and the member's socket closes at once.
    let answer = relay.api().revoke(&a.admin, &revoked_id);
    assert_eq!(answer.status, 200, "{}", answer.text);
    let closed = revoked_phone.pump_for(Duration::from_secs(5)).await;
    assert!(closed.expect("closed").contains("revoked"));

    // A crash, the disk filled to the last byte, a restart: it serves what it acknowledged.
    relay.kill();
    disk.fill_leaving(0);
    let relay = builder.start();
    for (doc, notes) in &written {
        reads_back(&relay, &a.admin, *doc, notes).await;
    }
    let again = tokio_tungstenite::connect_async(relay.sync_url_with(&revoked)).await;
    assert!(again.is_err(), "the revocation was stored");

    // Not a byte free (another program filled the disk): the ballast makes room to store one
    // more access change, and it survives the next crash.
    let free = disk.free_bytes();
    if free > 0 {
        std::fs::write(disk.path().join("more"), vec![0u8; free as usize]).unwrap();
    }
    assert_eq!(disk.free_bytes(), 0);
    let answer = relay.api().revoke(&a.admin, &writer_id);
    assert_eq!(answer.status, 200, "{}", answer.text);
    relay.kill();
    let relay = builder.start();
    let again = tokio_tungstenite::connect_async(relay.sync_url_with(&writer)).await;
    assert!(again.is_err(), "the revocation on the full disk was stored");
}
