//! 记录: write down what a resident raised. The draft is kept on the phone as
//! it is typed, so a reload or a crash loses nothing (photos included: they
//! are stored on the phone as they are taken).

use super::text_limit::{input_len, LengthCount};
use crate::community::use_community;
use crate::i18n::use_i18n;
use crate::phone_local::{self, DRAFT};
use crate::photos;
use crate::random;
use crate::route::{use_router, Route};
use crate::views::choice::Choice;
use crate::views::refusal::{FieldError, Refusal};
use crate::write::Writer;
use leptos::prelude::*;
use linli_shared::domain::{
    Category, Command, Field, NewConcern, Reporter, MAX_DESCRIPTION_CHARS, MAX_REPORTER_CHARS,
    MAX_TITLE_CHARS,
};
use linli_shared::wire::DocumentId;

#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    title: String,
    description: String,
    category: Option<Category>,
    place: String,
    reporter: String,
    /// Photo document ids, stored on the phone (`photos::take`).
    photos: Vec<String>,
}

impl Draft {
    /// Stored as lines: category, place, then title / reporter / description
    /// with newlines escaped, then the photo ids joined by commas — small, and
    /// no JSON dependency in the wasm. The photos themselves are in IndexedDB.
    fn encode(&self) -> String {
        let esc = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n");
        [
            self.category.map(|c| c.as_str()).unwrap_or("").to_string(),
            esc(&self.place),
            esc(&self.title),
            esc(&self.reporter),
            esc(&self.description),
            self.photos.join(","),
        ]
        .join("\n")
    }

    fn decode(text: &str) -> Draft {
        let unesc = |s: &str| s.replace("\\n", "\n").replace("\\\\", "\\");
        let mut lines = text.split('\n');
        let mut next = || lines.next().map(unesc).unwrap_or_default();
        let category = Category::parse(&next());
        Draft {
            category,
            place: next(),
            title: next(),
            reporter: next(),
            description: next(),
            photos: next()
                .split(',')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
        }
    }

    /// The draft kept for this community (`key`), if any.
    fn load(key: Option<&str>) -> Draft {
        key.and_then(phone_local::get)
            .map(|t| Draft::decode(&t))
            .unwrap_or_default()
    }

    fn save(&self, key: Option<&str>) {
        let Some(key) = key else { return };
        if *self == Draft::default() {
            phone_local::remove(key);
        } else {
            phone_local::set(key, &self.encode());
        }
    }
}

#[component]
pub fn RecordScreen() -> impl IntoView {
    let i18n = use_i18n();
    let community = use_community();
    let router = use_router();
    let writer = Writer::new();
    // Kept per community: another community's draft never shows here, nor is recorded here.
    let key = writer
        .session()
        .workspace()
        .map(|w| phone_local::key(DRAFT, w.community));
    let draft = RwSignal::new(Draft::load(key.as_deref()));
    Effect::new(move |_| draft.with(|d| d.save(key.as_deref())));
    // Chosen once, when the form opens: submitting it again cannot make a
    // second concern (the domain refuses an id it already holds).
    let concern_id = random::hex_id();
    let places = Memo::new(move |_| community.0.with(|c| c.places()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft.get_untracked();
        if d.title.trim().is_empty() {
            writer.refuse(Field::Title.as_str(), i18n.t(|s| s.title_required));
            return;
        }
        let id = concern_id.clone();
        let task = async move {
            // Photos first: their documents start syncing before the concern
            // that points to them.
            let photo_docs: Vec<DocumentId> = d
                .photos
                .iter()
                .filter_map(|p| photos::parse_id(p))
                .collect();
            if let Some(ws) = writer.session().opened_workspace().await {
                for doc in &photo_docs {
                    let _ = ws.open_doc(*doc).await; // a failure shows in the storage banner
                }
                photos::pending::add(ws.community, &photo_docs);
            }
            let new = NewConcern {
                id,
                title: d.title.trim().to_string(),
                description: d.description.trim().to_string(),
                category: d.category.unwrap_or_default(),
                place: (!d.place.is_empty()).then(|| d.place.clone()),
                reporter: if d.reporter.trim().is_empty() {
                    Reporter::Unknown
                } else {
                    Reporter::Resident(d.reporter.trim().to_string())
                },
                photos: d.photos.clone(),
                ..Default::default()
            };
            writer.step_command(Command::RecordConcern(new)).await
        };
        writer.run_task(task, move || {
            draft.set(Draft::default());
            router.go(Route::All);
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.t(|s| s.concern.record_title)}</h2>
            <form on:submit=submit data-testid="new-concern">
                <label for="concern-title">{move || i18n.t(|s| s.concern.what_label)}</label>
                <textarea
                    id="concern-title"
                    rows="2"
                    maxlength=MAX_TITLE_CHARS
                    placeholder=move || i18n.t(|s| s.concern.what_placeholder)
                    prop:value=move || draft.with(|d| d.title.clone())
                    on:input=move |ev| draft.update(|d| d.title = event_target_value(&ev))
                ></textarea>
                <LengthCount len=Signal::derive(move || draft.with(|d| input_len(&d.title))) max=MAX_TITLE_CHARS/>
                <FieldError writer=writer field=Field::Title.as_str() target="concern-title"/>
                <label>{move || i18n.t(|s| s.concern.category_label)}</label>
                <div class="chips" role="radiogroup" data-testid="categories">
                    {Category::ALL.iter().map(|k| {
                        let k = *k;
                        let on = move || draft.with(|d| d.category == Some(k));
                        view! {
                            <button
                                type="button"
                                class="chip-button"
                                class:chip-on=on
                                role="radio"
                                aria-checked=move || on().to_string()
                                data-category=k.as_str()
                                on:click=move |_| draft.update(|d| d.category = Some(k))
                            >
                                {move || i18n.t(|s| s.concern.category(k))}
                            </button>
                        }
                    }).collect_view()}
                </div>
                <label for="concern-place">{move || i18n.t(|s| s.concern.place_label)}</label>
                <Choice value=Signal::derive(move || draft.with(|d| d.place.clone())) options=places
                    placeholder=Signal::derive(move || i18n.t(|s| s.concern.place_none).to_string())
                    on_pick=move |v| draft.update(|d| d.place = v) {..} id="concern-place"/>
                <label for="concern-reporter">{move || i18n.t(|s| s.concern.reporter_label)}</label>
                <input
                    id="concern-reporter"
                    autocomplete="off"
                    maxlength=MAX_REPORTER_CHARS
                    placeholder=move || i18n.t(|s| s.concern.reporter_placeholder)
                    prop:value=move || draft.with(|d| d.reporter.clone())
                    on:input=move |ev| draft.update(|d| d.reporter = event_target_value(&ev))
                />
                <LengthCount len=Signal::derive(move || draft.with(|d| input_len(&d.reporter))) max=MAX_REPORTER_CHARS/>
                <label for="concern-details">{move || i18n.t(|s| s.concern.details_label)}</label>
                <textarea
                    id="concern-details"
                    rows="3"
                    maxlength=MAX_DESCRIPTION_CHARS
                    prop:value=move || draft.with(|d| d.description.clone())
                    on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))
                ></textarea>
                <LengthCount len=Signal::derive(move || draft.with(|d| input_len(&d.description))) max=MAX_DESCRIPTION_CHARS/>
                {super::lazy::photo_picker(
                    Signal::derive(move || draft.with(|d| d.photos.clone())),
                    Callback::new(move |id| draft.update(|d| d.photos.push(id))),
                    Callback::new(move |id: String| draft.update(|d| d.photos.retain(|p| *p != id))),
                )}
                <Refusal writer=writer/>
                <Show when=move || draft.with(|d| *d != Draft::default())>
                    <p class="muted small" data-testid="draft-kept">{move || i18n.t(|s| s.concern.draft_kept)}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || writer.running()>{move || i18n.t(|s| s.add_concern)}</button>
            </form>
        </section>
    }
}
