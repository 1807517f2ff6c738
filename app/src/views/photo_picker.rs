//! The 记录 screen's optional photos: take or choose one, see it small, take it
//! back. Each photo is compressed on the phone and kept on the phone with the
//! draft (survives a reload) until the concern is recorded.

use crate::i18n::use_i18n;
use crate::photos::{self, PhotoError};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::MAX_PHOTOS;
use std::collections::BTreeMap;

#[component]
pub fn PhotoPicker(
    /// Photo document ids in the draft.
    #[prop(into)]
    photos: Signal<Vec<String>>,
    on_add: Callback<String>,
    on_remove: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<PhotoError>);
    // id → object URL of its thumbnail; revoked when the screen goes.
    let urls = RwSignal::new(BTreeMap::<String, String>::new());
    let took_ms = RwSignal::new(None::<f64>);
    on_cleanup(move || {
        urls.try_with_untracked(|u| u.values().for_each(|url| photos::revoke(url)));
    });
    // A draft restored after a reload: show its photos from the phone's storage.
    let asked = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        for id in photos.get() {
            if asked.with_value(|a| a.contains(&id)) || urls.with_untracked(|u| u.contains_key(&id))
            {
                continue;
            }
            asked.update_value(|a| a.push(id.clone()));
            spawn_local(async move {
                let (Some(ws), Some(doc)) = (session.workspace(), photos::parse_id(&id)) else {
                    return;
                };
                if let Some(url) = photos::peek(&ws, doc)
                    .await
                    .and_then(|p| photos::blob_url(&p.bytes, &p.mime))
                {
                    urls.update(|u| {
                        u.insert(id, url);
                    });
                }
            });
        }
    });
    let picked = move |ev: leptos::ev::Event| {
        let Some(file) = photos::chosen_file(&ev) else {
            return;
        };
        let Some(ws) = session.workspace() else {
            return;
        };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match photos::take(&ws, &file).await {
                Ok((id, c)) => {
                    let id = id.to_string();
                    if let Some(url) = photos::blob_url(&c.bytes, photos::compress::MIME) {
                        urls.update(|u| {
                            u.insert(id.clone(), url);
                        });
                    }
                    took_ms.set(Some(c.took_ms));
                    on_add.run(id);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let remove = move |id: String| {
        if let Some(url) = urls.try_update(|u| u.remove(&id)).flatten() {
            photos::revoke(&url);
        }
        on_remove.run(id.clone());
        if let (Some(ws), Some(doc)) = (session.workspace(), photos::parse_id(&id)) {
            spawn_local(async move {
                let _ = ws.discard(doc).await;
            });
        }
    };
    let message = move || error.get().map(|e| i18n.t(|s| e.message(s.photos)));
    view! {
        <label>{move || i18n.t(|s| s.photos.label)}</label>
        <div class="photo-picker" data-testid="photo-picker"
            data-compress-ms=move || took_ms.get().map(|t| format!("{t:.0}"))>
            <ul class="photo-thumbs">
                {move || photos.get().into_iter().map(|id| {
                    let src = { let id = id.clone(); move || urls.with(|u| u.get(&id).cloned()) };
                    let gone = id.clone();
                    view! {
                        <li class="photo-thumb" data-testid="draft-photo" data-id=id.clone()>
                            <img src=src alt=move || i18n.t(|s| s.photos.alt)/>
                            <button type="button" class="photo-remove" data-testid="remove-photo"
                                aria-label=move || i18n.t(|s| s.photos.remove)
                                on:click=move |_| remove(gone.clone())>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || busy.get()>
                <p class="muted small" data-testid="photo-busy">{move || i18n.t(|s| s.photos.compressing)}</p>
            </Show>
            <Show when=move || { !busy.get() && photos.with(|p| p.len() < MAX_PHOTOS) }>
                <label class="photo-add">
                    <span>{move || i18n.t(|s| s.photos.add)}</span>
                    <input type="file" accept="image/*" capture="environment"
                        data-testid="photo-input" on:change=picked/>
                </label>
            </Show>
            {move || message().map(|m| view! { <p class="error" role="alert" data-testid="photo-error">{m}</p> })}
        </div>
    }
}
