//! The open community: its Automerge documents (the community document and any
//! meeting documents), where they are stored, and the signals views derive
//! from them. Automerge and IndexedDB handles are not `Send`: the session holds
//! the workspace in local storage (`session::Session::workspace`).
//!
//! The documents are the document engine's ([`crate::engine`], a wasm part of its own): what
//! the main part does with them goes through [`Document`]'s methods. The generic readers and
//! writers over `AutoCommit` ([`Workspace::read`], [`Workspace::apply`] …) are for the lazy
//! screens: a main-part screen that called them would pull the document code into the first
//! load.

mod sync_docs;

use crate::engine::{Document, Engine};
use crate::storage::{LocalStore, StorageError, COMPACT_AFTER_CHUNKS};
use automerge::{AutoCommit, ChangeHash};
use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::domain::{Command, CommunityView, Ctx, DomainError, Edit, Role};
use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Workspace-wide signals (part of the session).
#[derive(Clone, Copy)]
pub struct WorkspaceSignals {
    /// The latest storage failure, shown until a later write succeeds.
    pub storage_error: RwSignal<Option<StorageError>>,
    /// Bumped when a document is opened, so views can find its revision signal.
    pub opened: RwSignal<u64>,
}

impl WorkspaceSignals {
    pub fn new() -> Self {
        WorkspaceSignals {
            storage_error: RwSignal::new(None),
            opened: RwSignal::new(0),
        }
    }
}

/// One open document and its storage bookkeeping.
struct OpenDoc {
    doc: Box<dyn Document>,
    next_seq: u64,
    chunks_since_compaction: usize,
    /// Incremental bytes whose write failed; retried with the next write.
    unsaved: Vec<u8>,
    /// The heads stored so far: the next write is what came after them (`save_after`).
    /// Kept here rather than in Automerge's own cursor, which a loaded document starts
    /// empty, so its first `save_incremental` would encode the whole history again (a
    /// tenth of a second at start with 2,000 concerns on a slow phone) only to drop it.
    saved: Vec<ChangeHash>,
    /// Bumped after every change, local or remote.
    revision: RwSignal<u64>,
}

/// Hook for the sync adapter: a document was opened or edited locally.
pub trait DocListener {
    fn opened(&self, id: DocumentId);
    fn local_change(&self, id: DocumentId);
}

pub struct Workspace {
    pub community: DocumentId,
    pub member_id: String,
    engine: Rc<dyn Engine>,
    store: Rc<LocalStore>,
    docs: RefCell<BTreeMap<DocumentId, OpenDoc>>,
    signals: WorkspaceSignals,
    listener: RefCell<Option<Rc<dyn DocListener>>>,
}

impl Workspace {
    /// Opens the community document (empty if this phone has none yet: joining). The
    /// document engine is fetched (or taken from the service worker's cache) while the
    /// document is read from the phone.
    pub async fn open(
        store: Rc<LocalStore>,
        community: DocumentId,
        member_id: String,
        signals: WorkspaceSignals,
    ) -> Result<Rc<Workspace>, StorageError> {
        let key = community.to_string();
        let (engine, stored) = futures::join!(crate::engine::load(), store.load(&key));
        let engine = engine.map_err(|_| StorageError::EngineUnavailable)?;
        let ws = Rc::new(Workspace {
            community,
            member_id,
            engine,
            store,
            docs: RefCell::new(BTreeMap::new()),
            signals,
            listener: RefCell::new(None),
        });
        ws.open_stored(community, stored?)?;
        Ok(ws)
    }

    /// Loads a document from the phone (or starts it empty) and starts syncing it.
    pub async fn open_doc(&self, id: DocumentId) -> Result<(), StorageError> {
        if self.docs.borrow().contains_key(&id) {
            return Ok(());
        }
        let stored = self.store.load(&id.to_string()).await?;
        self.open_stored(id, stored)
    }

    fn open_stored(
        &self,
        id: DocumentId,
        stored: Option<crate::storage::StoredDoc>,
    ) -> Result<(), StorageError> {
        if self.docs.borrow().contains_key(&id) {
            return Ok(());
        }
        crate::clock::mark("linli:doc-read");
        let (mut doc, last_seq, chunks) = match stored {
            Some(s) => {
                let doc = self
                    .engine
                    .load(&s.chunks.concat())
                    .map_err(StorageError::Corrupt)?;
                crate::clock::mark("linli:doc-loaded");
                (doc, s.last_seq, s.chunks.len())
            }
            None => (self.engine.new_document(), 0, 0),
        };
        // Everything loaded is stored already: incremental saves start here.
        let saved = doc.heads();
        doc.write_as(&self.member_id, crate::random::bytes());
        self.docs.borrow_mut().entry(id).or_insert(OpenDoc {
            doc,
            next_seq: last_seq + 1,
            chunks_since_compaction: chunks,
            unsaved: Vec::new(),
            saved,
            revision: RwSignal::new(0),
        });
        self.signals.opened.update(|n| *n += 1);
        let listener = self.listener.borrow().clone();
        if let Some(l) = listener {
            l.opened(id);
        }
        Ok(())
    }

    /// This page's edits to `doc` are written under a fresh actor id that names me
    /// (`domain::member_actor`): the relay checks the name instead of keeping a binding per
    /// page load, and every phone reads who wrote a change from its actor. Fresh per load, so
    /// two tabs, or a load that lost its last writes, never reuse a sequence number. (For a
    /// document a lazy screen makes; open documents are set up by [`Document::write_as`].)
    pub fn write_as_me(&self, doc: &mut AutoCommit) {
        if let Some(actor) =
            linli_shared::domain::member_actor(&self.member_id, crate::random::bytes())
        {
            doc.set_actor(actor);
        }
    }

    /// Stores a finished document on the phone without opening it (so without
    /// syncing it): a draft's photo, opened when the concern is recorded.
    pub async fn stash(&self, id: DocumentId, full_save: &[u8]) -> Result<(), StorageError> {
        self.store.append(&id.to_string(), 1, full_save).await
    }

    /// A document as stored on the phone (open or not), without opening it.
    pub async fn peek(&self, id: DocumentId) -> Result<Option<AutoCommit>, StorageError> {
        if let Some(d) = self.docs.borrow().get(&id) {
            return Ok(Some(d.doc.automerge().clone()));
        }
        match self.store.load(&id.to_string()).await? {
            Some(s) => AutoCommit::load(&s.chunks.concat())
                .map(Some)
                .map_err(|e| StorageError::Corrupt(e.to_string())),
            None => Ok(None),
        }
    }

    /// Deletes a stashed document that was never opened.
    pub async fn discard(&self, id: DocumentId) -> Result<(), StorageError> {
        if self.docs.borrow().contains_key(&id) {
            return Ok(());
        }
        self.store.delete_doc(&id.to_string()).await
    }

    pub fn engine(&self) -> Rc<dyn Engine> {
        self.engine.clone()
    }

    pub fn open_ids(&self) -> Vec<DocumentId> {
        self.docs.borrow().keys().copied().collect()
    }

    /// The document's revision signal: track it to recompute after changes.
    pub fn revision(&self, id: DocumentId) -> Option<RwSignal<u64>> {
        self.docs.borrow().get(&id).map(|d| d.revision)
    }

    /// Reads a document (an empty one if it is not open). For lazy screens.
    pub fn read<R>(&self, id: DocumentId, f: impl FnOnce(&AutoCommit) -> R) -> R {
        match self.docs.borrow().get(&id) {
            Some(d) => f(d.doc.automerge()),
            None => f(&AutoCommit::new()),
        }
    }

    /// Document `id`, if open, as the engine's [`Document`].
    pub fn with_document<R>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut dyn Document) -> R,
    ) -> Option<R> {
        self.docs.borrow_mut().get_mut(&id).map(|d| f(&mut *d.doc))
    }

    /// For lazy screens.
    pub fn with_doc_mut<R>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut AutoCommit) -> R,
    ) -> Option<R> {
        self.with_document(id, |d| f(d.automerge_mut()))
    }

    /// The concern screens' view of the community document, if it holds a community yet.
    pub fn community_view(&self) -> Option<CommunityView> {
        let docs = self.docs.borrow();
        let doc = &docs.get(&self.community)?.doc;
        doc.is_community()
            .then(|| doc.community_view(&self.member_id))
    }

    /// The community document holds a community (joining: not until the relay sent it).
    pub fn has_community(&self) -> bool {
        let docs = self.docs.borrow();
        docs.get(&self.community)
            .is_some_and(|d| d.doc.is_community())
    }

    /// The role of my profile in the community document.
    pub fn my_profile_role(&self) -> Option<Role> {
        let docs = self.docs.borrow();
        docs.get(&self.community)?.doc.role_of(&self.member_id)
    }

    /// Reads document `id`'s changes (the history view): Automerge reads them only through
    /// `&mut` (its change-graph caches). Writes nothing: what `read` might write is rolled back.
    pub fn read_changes<R>(
        &self,
        id: DocumentId,
        read: impl FnOnce(&mut AutoCommit) -> R,
    ) -> Option<R> {
        self.with_doc_mut(id, |doc| {
            let out = read(doc);
            doc.rollback();
            out
        })
    }

    pub fn set_listener(&self, listener: Rc<dyn DocListener>) {
        *self.listener.borrow_mut() = Some(listener);
    }

    /// Applies a local edit, hands it to sync, and stores it. Resolves once
    /// the phone's storage holds the change (a failure is shown in the banner
    /// and the bytes are retried with the next write).
    pub async fn apply<R, E>(
        self: &Rc<Self>,
        id: DocumentId,
        edit: impl FnOnce(&mut AutoCommit) -> Result<R, E>,
    ) -> Option<Result<R, E>> {
        let result = self.with_document(id, |doc| {
            let result = edit(doc.automerge_mut());
            // One change per edit, stamped with the time: the history view shows it.
            doc.commit_at(crate::clock::now_ms());
            result
        })?;
        self.after_edit(id, result.is_ok()).await;
        Some(result)
    }

    /// Runs a concern-path `command` on document `id` as `ctx` says, hands it to sync and
    /// stores it, like [`Workspace::apply`]. `None` if the document is not open.
    pub async fn run(
        self: &Rc<Self>,
        id: DocumentId,
        command: Command,
        ctx: &Ctx,
    ) -> Option<Result<(), DomainError>> {
        let result = self.with_document(id, |doc| doc.run(command, ctx))?;
        self.after_edit(id, result.is_ok()).await;
        Some(result)
    }

    async fn after_edit(self: &Rc<Self>, id: DocumentId, edited: bool) {
        if edited {
            let listener = self.listener.borrow().clone();
            if let Some(l) = listener {
                l.local_change(id);
            }
            self.persist(id).await;
        }
    }

    /// After a remote change was merged into document `id`.
    pub fn changed(self: &Rc<Self>, id: DocumentId) {
        let ws = self.clone();
        spawn_local(async move { ws.persist(id).await });
    }

    /// Brings document `id` back to `heads` (what the relay last acknowledged) after the relay
    /// refused one of this phone's changes to it under the authority rules: every later change
    /// depends on the refused one, so none of them could ever sync. The phone's copy as it was
    /// is kept aside in storage (`refused.<id>.<at_ms>`, never opened or synced); the document
    /// as of `heads` replaces it, in memory (with a fresh actor id) and in storage. Drafts live
    /// apart (`localStorage`) and are untouched. Returns what the changes put aside wrote.
    pub async fn roll_back(
        self: &Rc<Self>,
        id: DocumentId,
        heads: &[ChangeHash],
        at_ms: i64,
    ) -> Result<Vec<Edit>, StorageError> {
        let (refused, kept, seq, put_aside) = {
            let mut docs = self.docs.borrow_mut();
            let Some(d) = docs.get_mut(&id) else {
                return Ok(Vec::new());
            };
            let refused = d.doc.save();
            let put_aside = d.doc.roll_back_to(heads).map_err(StorageError::Corrupt)?;
            d.doc.write_as(&self.member_id, crate::random::bytes());
            d.unsaved.clear();
            d.saved = d.doc.heads();
            d.chunks_since_compaction = 1;
            let seq = d.next_seq;
            d.next_seq += 1;
            d.revision.update(|r| *r += 1);
            (refused, d.doc.save(), seq, put_aside)
        };
        self.store
            .append(&format!("refused.{id}.{at_ms}"), 0, &refused)
            .await?;
        self.store.compact(&id.to_string(), seq, &kept).await?;
        Ok(put_aside)
    }

    /// Writes what changed since the last write, then tells the views.
    async fn persist(self: &Rc<Self>, id: DocumentId) {
        let (key, seq, bytes) = {
            let mut docs = self.docs.borrow_mut();
            let Some(d) = docs.get_mut(&id) else { return };
            let mut bytes = std::mem::take(&mut d.unsaved);
            bytes.extend(d.doc.save_after(&d.saved));
            d.saved = d.doc.heads();
            d.revision.update(|r| *r += 1);
            if bytes.is_empty() {
                return;
            }
            let seq = d.next_seq;
            d.next_seq += 1;
            (id.to_string(), seq, bytes)
        };
        match self.store.append(&key, seq, &bytes).await {
            Ok(()) => {
                self.signals.storage_error.set(None);
                let compact = {
                    let mut docs = self.docs.borrow_mut();
                    let Some(d) = docs.get_mut(&id) else { return };
                    d.chunks_since_compaction += 1;
                    (d.chunks_since_compaction >= COMPACT_AFTER_CHUNKS).then(|| d.doc.save())
                };
                if let Some(full) = compact {
                    match self.store.compact(&key, seq, &full).await {
                        Ok(()) => {
                            if let Some(d) = self.docs.borrow_mut().get_mut(&id) {
                                d.chunks_since_compaction = 1;
                            }
                        }
                        Err(e) => self.signals.storage_error.set(Some(e)),
                    }
                }
            }
            Err(e) => {
                // Keep the bytes, in order, ahead of anything written later.
                if let Some(d) = self.docs.borrow_mut().get_mut(&id) {
                    let later = std::mem::take(&mut d.unsaved);
                    d.unsaved = bytes;
                    d.unsaved.extend(later);
                }
                self.signals.storage_error.set(Some(e));
                self.retry_later(id);
            }
        }
    }

    fn retry_later(self: &Rc<Self>, id: DocumentId) {
        let ws = self.clone();
        gloo_timers::callback::Timeout::new(5_000, move || {
            spawn_local(async move {
                // A connection that failed a write keeps failing: start afresh
                // (if even that fails, the write below fails and retries).
                let _ = ws.store.reopen().await;
                ws.persist(id).await
            });
        })
        .forget();
    }
}
