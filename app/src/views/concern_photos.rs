//! A concern's photos on its page. Each photo document is opened (and so
//! fetched from the relay) only here; until it has arrived the page says so.

use crate::i18n::use_i18n;
use crate::photos;
use crate::workspace::{Workspace, WorkspaceSignals};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Photo};
use linli_shared::wire::DocumentId;

#[component]
pub fn ConcernPhotos(ids: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let docs: Vec<DocumentId> = ids.iter().filter_map(|i| photos::parse_id(i)).collect();
    if docs.is_empty() {
        return None;
    }
    Some(view! {
        <section class="card" data-testid="concern-photos">
            <h2>{move || i18n.t(|s| s.photos.heading)}</h2>
            <ul class="photo-gallery">
                {docs.into_iter().map(|doc| view! { <OnePhoto doc/> }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn OnePhoto(doc: DocumentId) -> impl IntoView {
    let i18n = use_i18n();
    let signals = expect_context::<WorkspaceSignals>();
    spawn_local(async move {
        if let Some(w) = Workspace::current() {
            let _ = w.open_doc(doc).await; // a failure shows in the storage banner
        }
    });
    // The photo once its document has arrived (`None` until then).
    let photo = Memo::new(move |_| {
        signals.opened.track();
        let w = Workspace::current()?;
        w.revision(doc)?.track();
        w.read(doc, |d| domain::read_photo(d).ok().flatten())
            .map(|p: Photo| (p.mime, p.width, p.height, p.bytes))
    });
    let url = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let made = photo.with(|p| {
            p.as_ref()
                .and_then(|(mime, _, _, bytes)| photos::blob_url(bytes, mime))
        });
        if let Some(old) = url.get_untracked() {
            photos::revoke(&old);
        }
        url.set(made);
    });
    on_cleanup(move || {
        if let Some(Some(u)) = url.try_get_untracked() {
            photos::revoke(&u);
        }
    });
    let size = move || photo.with(|p| p.as_ref().map(|(_, w, h, _)| (*w, *h)));
    view! {
        <li class="photo" data-testid="concern-photo" data-id=doc.to_string()>
            {move || match url.get() {
                Some(src) => view! {
                    <img src=src alt=move || i18n.t(|s| s.photos.alt)
                        width=move || size().map(|s| s.0) height=move || size().map(|s| s.1)/>
                }.into_any(),
                None => view! {
                    <p class="photo-pending muted" data-testid="photo-syncing">{move || i18n.t(|s| s.photos.syncing)}</p>
                }.into_any(),
            }}
        </li>
    }
}
