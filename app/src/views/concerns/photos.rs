//! A concern's photos on its page. Each photo document is opened (and so
//! fetched from the relay) only here; until it has arrived the page says so.
//! A photo can be added here later too (the repair done, the drain cleared).

use crate::i18n::use_i18n;
use crate::photos::{self, PhotoError};
use crate::session::use_session;
use crate::views::refusal::Refusal;
use crate::write::Writer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, Photo, MAX_PHOTOS};
use linli_shared::wire::DocumentId;

#[component]
pub fn ConcernPhotos(concern_id: String, ids: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let docs: Vec<DocumentId> = ids.iter().filter_map(|i| photos::parse_id(i)).collect();
    let can_add = ids.len() < MAX_PHOTOS;
    view! {
        <section class="card" data-testid="concern-photos">
            <h2>{move || i18n.t(|s| s.photos.heading)}</h2>
            {(!docs.is_empty()).then(|| view! {
                <ul class="photo-gallery">
                    {docs.into_iter().map(|doc| view! { <OnePhoto doc/> }).collect_view()}
                </ul>
            })}
            {can_add.then(|| view! { <AddPhoto concern_id/> })}
        </section>
    }
}

/// Takes or chooses a photo, compresses it on the phone, stores it as its own
/// document and adds it to the concern (`domain::add_photo`).
#[component]
fn AddPhoto(concern_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let writer = Writer::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<PhotoError>);
    let picked = move |ev: leptos::ev::Event| {
        let (Some(file), Some(ws)) = (photos::chosen_file(&ev), writer.session().workspace())
        else {
            return;
        };
        error.set(None);
        busy.set(true);
        let concern_id = concern_id.clone();
        spawn_local(async move {
            match photos::take(&ws, &file).await {
                Ok((doc, _)) => {
                    let _ = ws.open_doc(doc).await; // a failure shows in the storage banner
                    photos::pending::add(ws.community, &[doc]);
                    let photo = doc.to_string();
                    let add =
                        move |d: &mut _, ctx: &_| domain::add_photo(d, ctx, &concern_id, &photo);
                    writer.run(add, || ());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || busy.get()>
            <p class="muted small" data-testid="photo-busy">{move || i18n.t(|s| s.photos.compressing)}</p>
        </Show>
        <Show when=move || !busy.get()>
            <label class="photo-add">
                <span>{move || i18n.t(|s| s.photos.add)}</span>
                <input type="file" accept="image/*" capture="environment"
                    data-testid="add-photo-input" on:change=picked.clone()/>
            </label>
        </Show>
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="photo-error">{move || i18n.t(|s| e.message(s.photos))}</p>
        })}
        <Refusal writer=writer/>
    }
}

#[component]
fn OnePhoto(doc: DocumentId) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    spawn_local(async move {
        if let Some(w) = session.workspace() {
            let _ = w.open_doc(doc).await; // a failure shows in the storage banner
        }
    });
    // The photo once its document has arrived (`None` until then).
    let photo = session.doc_memo(doc, |d| {
        domain::read_photo(d)
            .ok()
            .flatten()
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
