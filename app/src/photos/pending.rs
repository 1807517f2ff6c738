//! Photo documents recorded on this phone that the relay may not hold yet.
//! They are opened (so synced) when the app starts, even offline and after a
//! reload, and forgotten once the relay holds every open document.

use crate::sync::SyncEvent;
use crate::workspace::Workspace;
use linli_shared::wire::DocumentId;
use std::rc::Rc;

const KEY: &str = "linli.photos.unsynced";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|t| {
            t.split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn write(ids: &[String]) {
    if let Some(s) = storage() {
        let _ = if ids.is_empty() {
            s.remove_item(KEY)
        } else {
            s.set_item(KEY, &ids.join(","))
        };
    }
}

/// Remembers photos of a concern just recorded.
pub fn add(ids: &[DocumentId]) {
    let mut all = read();
    for id in ids {
        let id = id.to_string();
        if !all.contains(&id) {
            all.push(id);
        }
    }
    write(&all);
}

/// Opens every photo the relay may lack, so sync sends it.
pub async fn open_all(ws: &Rc<Workspace>) {
    for id in read() {
        if let Ok(doc) = id.parse::<DocumentId>() {
            let _ = ws.open_doc(doc).await; // a failure shows in the storage banner
        }
    }
}

/// Subscribed to the sync connection: once the relay holds every open
/// document, these photos included, they are forgotten.
pub fn follow(event: &SyncEvent) {
    if let SyncEvent::Progress {
        all_synced: true, ..
    } = event
    {
        forget_all();
    }
}

fn forget_all() {
    if storage().is_some_and(|s| matches!(s.get_item(KEY), Ok(Some(_)))) {
        write(&[]);
    }
}
