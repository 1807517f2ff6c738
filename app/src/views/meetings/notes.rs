//! Live notes: a `<textarea>` bound to automerge Text that several phones type
//! into at once.
//!
//! - Typing: each `input` is diffed against what the box showed and carried
//!   over from the heads it showed them at (`domain::apply_typed`), so a
//!   keystroke that races a remote change merges instead of overwriting it;
//!   the box then shows the merged notes.
//! - Remote changes: the box is refreshed from the document and the caret and
//!   selection are carried over with cursors taken at the shown heads.
//! - IME (pinyin): nothing is applied between `compositionstart` and
//!   `compositionend`, and the box is not refreshed under the person's
//!   composition; both happen at `compositionend`.

use crate::session::{use_session, Session};
use automerge::ChangeHash;
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{self, DomainError, Notes};
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::rc::Rc;

/// What the box shows, and the heads at which the document had that text.
#[derive(Default)]
struct Shown {
    text: String,
    seen: Vec<ChangeHash>,
    composing: bool,
}

#[derive(Clone)]
struct Editor {
    doc: DocumentId,
    item: Option<String>,
    node: NodeRef<Textarea>,
    shown: Rc<RefCell<Shown>>,
    session: Session,
}

impl Editor {
    fn notes(&self) -> Notes<'_> {
        match &self.item {
            Some(id) => Notes::Item(id),
            None => Notes::Minutes,
        }
    }

    /// Applies what was typed since the box was last in step with the document.
    fn commit_input(&self) {
        let (Some(el), Some(w)) = (self.node.get_untracked(), self.session.workspace()) else {
            return;
        };
        let value = el.value();
        let mut shown = self.shown.borrow_mut();
        if shown.composing || value == shown.text {
            return;
        }
        let caret = el.selection_end().ok().flatten().unwrap_or(0) as usize;
        let Some(splice) = domain::diff_utf16(&shown.text, &value, caret) else {
            return;
        };
        let notes = self.notes();
        let seen = shown.seen.clone();
        match w.with_doc_mut(self.doc, |d| {
            domain::apply_typed(d, notes, &seen, &splice, crate::clock::now_ms())
        }) {
            Some(Ok(typed)) => {
                if typed.text != value {
                    // Others' text arrived meanwhile: show the merged notes,
                    // the caret after what was just typed.
                    let scroll = el.scroll_top();
                    el.set_value(&typed.text);
                    let _ = el.set_selection_range(typed.caret as u32, typed.caret as u32);
                    el.set_scroll_top(scroll);
                }
                shown.text = typed.text;
                shown.seen = typed.heads;
                // Hand the change to sync and storage.
                let doc = self.doc;
                spawn_local(async move {
                    w.apply(doc, |_| Ok::<(), DomainError>(())).await;
                });
            }
            // The item vanished or the document is not ready: show the document.
            _ => shown.seen.clear(),
        }
    }

    /// Brings the box in step with the document, keeping the caret in place.
    fn refresh(&self) {
        self.commit_input();
        let (Some(el), Some(w)) = (self.node.get_untracked(), self.session.workspace()) else {
            return;
        };
        let mut shown = self.shown.borrow_mut();
        if shown.composing {
            return; // refreshed at compositionend
        }
        let notes = self.notes();
        let Some((text, heads)) = w
            .with_doc_mut(self.doc, |d| {
                domain::read_notes(d, notes)
                    .ok()
                    .map(|t| (t, d.get_heads()))
            })
            .flatten()
        else {
            return;
        };
        if heads == shown.seen {
            return;
        }
        if text == shown.text {
            shown.seen = heads;
            return;
        }
        let focused = document().active_element().is_some_and(|a| {
            let el: &web_sys::Element = el.as_ref();
            a == *el
        });
        let selection = focused
            .then(|| {
                let s = el.selection_start().ok().flatten()? as usize;
                let e = el.selection_end().ok().flatten()? as usize;
                let seen = shown.seen.clone();
                w.read(self.doc, |d| {
                    let map = |p| domain::map_caret(d, notes, &seen, p).ok();
                    Some((map(s)?, map(e)?))
                })
            })
            .flatten();
        let scroll = el.scroll_top();
        el.set_value(&text);
        if let Some((s, e)) = selection {
            let _ = el.set_selection_range(s as u32, e as u32);
        }
        el.set_scroll_top(scroll);
        shown.text = text;
        shown.seen = heads;
    }
}

/// The notes of agenda item `item` (or the meeting's general minutes).
#[component]
pub fn NotesEditor(
    doc: DocumentId,
    item: Option<String>,
    label: &'static str,
    placeholder: &'static str,
) -> impl IntoView {
    let session = use_session();
    let editor = Editor {
        doc,
        item: item.clone(),
        node: NodeRef::new(),
        shown: Rc::new(RefCell::new(Shown::default())),
        session,
    };
    let node = editor.node;
    let on_change = editor.clone();
    Effect::new(move |_| {
        session.track(Some(doc));
        node.track();
        on_change.refresh();
    });
    let (e1, e2, e3, e4) = (editor.clone(), editor.clone(), editor.clone(), editor);
    let editing = item.clone();
    let testid_item = item.unwrap_or_default();
    let id = format!("notes-{testid_item}");
    view! {
        <label class="notes-label" for=id.clone()>{label}</label>
        <textarea
            id=id
            class="notes"
            rows="5"
            maxlength=linli_shared::domain::MAX_MEETING_NOTES_CHARS
            data-testid="notes"
            data-item=testid_item
            placeholder=placeholder
            node_ref=node
            on:input=move |ev: leptos::ev::Event| {
                if !input_is_composing(&ev) {
                    e1.refresh();
                }
            }
            on:compositionstart=move |_| e2.shown.borrow_mut().composing = true
            on:compositionend=move |_| {
                e3.shown.borrow_mut().composing = false;
                e3.refresh();
            }
            on:focus=move |_| set_editing(session, doc, editing.clone())
            on:blur=move |_| {
                e4.refresh();
                set_editing(session, doc, None);
            }
        ></textarea>
    }
}

fn input_is_composing(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.dyn_ref::<web_sys::InputEvent>()
        .is_some_and(|e| e.is_composing())
}

fn set_editing(session: Session, doc: DocumentId, item: Option<String>) {
    let presence = session.presence();
    if let Some(p) = presence.mine(doc) {
        if p.editing != item {
            presence.announce(doc, &p.member, item);
        }
    }
}
