//! The one way a button writes: runs a domain command on a document as me,
//! now. While it runs, further taps are ignored (a double tap records once)
//! and the button shows it is busy; a refusal comes back in the user's
//! language, beside the field it is about when the form shows that field
//! (see `views::refusal`).

use crate::i18n::{use_i18n, I18n};
use crate::session::{use_session, Session};
use automerge::AutoCommit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{Command, Ctx, DomainError};
use linli_shared::wire::DocumentId;
use std::future::Future;
use std::pin::Pin;

/// A lazy screen's domain call on one document, run as me, now. Boxed: a generic one
/// would copy the whole apply-and-persist future into every caller (each
/// button of each screen), ~2 KB of wasm apiece. The concern path's screens, in the first
/// load, send a [`Command`] (data) instead: a closure built there would keep the document
/// code in the first load (`crate::engine`).
pub type EditFn = Box<dyn FnOnce(&mut AutoCommit, &Ctx) -> Result<(), DomainError>>;

/// What one run writes.
enum Step {
    Command(Command),
    Edit(EditFn),
}

type Then = Box<dyn FnOnce()>;
type Task = Pin<Box<dyn Future<Output = Result<(), DomainError>>>>;

/// Why the last run was refused: the message, and the field it is about
/// (a stable key: a domain `Field`'s `as_str`, or a form's own key).
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    pub field: Option<&'static str>,
    pub message: String,
}

/// One write button's (or one form's) runner. `Copy`: hand it to closures.
#[derive(Clone, Copy)]
pub struct Writer {
    running: RwSignal<bool>,
    refused: RwSignal<Option<Refused>>,
    /// Fields whose error is shown beside them (the rest show at the form's foot).
    shown_beside: RwSignal<Vec<&'static str>>,
    i18n: I18n,
    session: Session,
}

impl Writer {
    /// Call in a component (it owns the signals and reads the language).
    pub fn new() -> Self {
        Writer {
            running: RwSignal::new(false),
            refused: RwSignal::new(None),
            shown_beside: RwSignal::new(Vec::new()),
            i18n: use_i18n(),
            session: use_session(),
        }
    }

    pub fn session(self) -> Session {
        self.session
    }

    /// A command is under way (tracked: for `disabled=`).
    pub fn running(self) -> bool {
        self.running.get()
    }

    pub fn refused(self) -> Option<Refused> {
        self.refused.get()
    }

    /// Refuses before running anything: a form's own check (e.g. no stars chosen).
    pub fn refuse(self, field: &'static str, message: &str) {
        self.refused.try_set(Some(Refused {
            field: Some(field),
            message: message.to_string(),
        }));
    }

    pub fn clear(self) {
        self.refused.try_set(None);
    }

    pub(crate) fn show_beside(self, field: &'static str) {
        self.shown_beside.try_update(|f| f.push(field));
    }

    pub(crate) fn shown_beside(self, field: &'static str) -> bool {
        self.shown_beside.with(|f| f.contains(&field))
    }

    /// Runs a concern-path `command` on the community document; `then` after it is stored.
    pub fn send(self, command: Command, then: impl FnOnce() + 'static) {
        self.start(None, Step::Command(command), Box::new(then));
    }

    /// Runs `command` on the community document; `then` after it is stored.
    pub fn run(
        self,
        command: impl FnOnce(&mut AutoCommit, &Ctx) -> Result<(), DomainError> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        self.start(None, Step::Edit(Box::new(command)), Box::new(then));
    }

    /// Runs `command` on document `doc` (a meeting).
    pub fn run_on(
        self,
        doc: DocumentId,
        command: impl FnOnce(&mut AutoCommit, &Ctx) -> Result<(), DomainError> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        self.start(Some(doc), Step::Edit(Box::new(command)), Box::new(then));
    }

    /// Runs several steps (e.g. a new meeting's document, then its index
    /// entry) as one: taps are ignored until `task` ends.
    pub fn run_task(
        self,
        task: impl Future<Output = Result<(), DomainError>> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        if self.begin() {
            self.finish(Box::pin(task), Box::new(then));
        }
    }

    fn start(self, doc: Option<DocumentId>, step: Step, then: Then) {
        if !self.begin() {
            return;
        }
        self.finish(Box::pin(self.write(doc, step)), then);
    }

    /// Marks a run as started; false if one is under way (or the form is gone).
    fn begin(self) -> bool {
        if self.running.try_get_untracked() != Some(false) {
            return false;
        }
        self.running.set(true);
        self.refused.set(None);
        true
    }

    fn finish(self, task: Task, then: Then) {
        spawn_local(async move {
            let result = task.await;
            // The form may have closed meanwhile (its signals are gone): then
            // there is nobody to tell.
            if self.running.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(()) => then(),
                Err(e) => {
                    self.refused.try_set(Some(Refused {
                        field: field_of(&e),
                        message: self.i18n.refusal(&e),
                    }));
                }
            }
        });
    }
}

/// The field a refusal is about, if it is about one.
fn field_of(e: &DomainError) -> Option<&'static str> {
    match e {
        DomainError::Empty(f) => Some(f.as_str()),
        DomainError::SatisfactionOutOfRange(_) => Some(SATISFACTION),
        DomainError::NonPositiveAmount(_) => Some(AMOUNT),
        _ => None,
    }
}

/// Field keys of refusals that are not about a text field.
pub const SATISFACTION: &str = "satisfaction";
pub const AMOUNT: &str = "amount";

impl Writer {
    /// Applies `command` to `doc` (the community document if None) as me, now:
    /// one step of a [`Writer::run_task`]. Ok(()) when nothing is open (signed
    /// out meanwhile).
    pub async fn step(self, doc: Option<DocumentId>, edit: EditFn) -> Result<(), DomainError> {
        self.write(doc, Step::Edit(edit)).await
    }

    /// Runs a concern-path `command` on the community document: one step of a
    /// [`Writer::run_task`].
    pub async fn step_command(self, command: Command) -> Result<(), DomainError> {
        self.write(None, Step::Command(command)).await
    }

    async fn write(self, doc: Option<DocumentId>, step: Step) -> Result<(), DomainError> {
        // Tapped on a phone that has just joined, before its document engine loaded: the
        // button stays busy until it has.
        let Some(ws) = self.session.opened_workspace().await else {
            return Ok(());
        };
        let standing = crate::standing::Standing::now(self.session);
        let ctx = Ctx::new(ws.member_id.clone(), crate::clock::now_ms())
            .with_role(standing.as_ref().and_then(|s| s.role))
            .with_admin(standing.is_some_and(|s| s.admin));
        let doc = doc.unwrap_or(ws.community);
        let written = match step {
            Step::Command(command) => ws.run(doc, command, &ctx).await,
            Step::Edit(edit) => ws.apply(doc, move |d| edit(d, &ctx)).await,
        };
        written.unwrap_or(Ok(()))
    }
}
