//! Photo documents recorded on this phone that the relay may not hold yet.
//! They are opened (so synced) when the app starts, even offline and after a
//! reload, and forgotten once the relay holds every open document. The list is kept per
//! community (`phone_local`): another community never opens, so never uploads, them.

use crate::phone_local::{self, UNSYNCED_PHOTOS};
use crate::sync::SyncEvent;
use crate::workspace::Workspace;
use linli_shared::wire::DocumentId;
use std::rc::Rc;

fn read(community: DocumentId) -> Vec<String> {
    phone_local::get(&phone_local::key(UNSYNCED_PHOTOS, community))
        .map(|t| {
            t.split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn write(community: DocumentId, ids: &[String]) {
    let key = phone_local::key(UNSYNCED_PHOTOS, community);
    if ids.is_empty() {
        phone_local::remove(&key);
    } else {
        phone_local::set(&key, &ids.join(","));
    }
}

/// Remembers photos of a concern just recorded in `community`.
pub fn add(community: DocumentId, ids: &[DocumentId]) {
    let mut all = read(community);
    for id in ids {
        let id = id.to_string();
        if !all.contains(&id) {
            all.push(id);
        }
    }
    write(community, &all);
}

/// Opens every photo the relay may lack, so sync sends it.
pub async fn open_all(ws: &Rc<Workspace>) {
    for id in read(ws.community) {
        if let Ok(doc) = id.parse::<DocumentId>() {
            let _ = ws.open_doc(doc).await; // a failure shows in the storage banner
        }
    }
}

/// Subscribed to the connection of `community`: once the relay holds every open
/// document, these photos included, they are forgotten.
pub fn follow(community: DocumentId, event: &SyncEvent) {
    if let SyncEvent::Progress {
        all_synced: true, ..
    } = event
    {
        let key = phone_local::key(UNSYNCED_PHOTOS, community);
        if phone_local::get(&key).is_some() {
            phone_local::remove(&key);
        }
    }
}
