//! The open community: its Automerge document, where it is stored, and the
//! signals views derive from it. Automerge and IndexedDB handles are not
//! `Send`, so the workspace lives in a thread-local; views read signals.

use crate::storage::{LocalStore, StorageError, COMPACT_AFTER_CHUNKS};
use automerge::AutoCommit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    static CURRENT: RefCell<Option<Rc<Workspace>>> = const { RefCell::new(None) };
}

/// Reactive view of the workspace, provided as context.
#[derive(Clone, Copy)]
pub struct WorkspaceSignals {
    /// Bumped after every change to the document, local or remote.
    pub revision: RwSignal<u64>,
    /// The latest storage failure, shown until a later write succeeds.
    pub storage_error: RwSignal<Option<StorageError>>,
}

impl WorkspaceSignals {
    pub fn new() -> Self {
        WorkspaceSignals {
            revision: RwSignal::new(0),
            storage_error: RwSignal::new(None),
        }
    }
}

pub struct Workspace {
    pub doc_id: String,
    pub member_id: String,
    store: Rc<LocalStore>,
    doc: RefCell<AutoCommit>,
    next_seq: Cell<u64>,
    chunks_since_compaction: Cell<usize>,
    /// Incremental bytes whose write failed; retried with the next write.
    unsaved: RefCell<Vec<u8>>,
    signals: WorkspaceSignals,
    on_local_change: RefCell<Option<Box<dyn Fn()>>>,
}

impl Workspace {
    /// Opens the document `doc_id` from the phone (or empty, when joining).
    pub async fn open(
        store: Rc<LocalStore>,
        doc_id: String,
        member_id: String,
        signals: WorkspaceSignals,
    ) -> Result<Rc<Workspace>, StorageError> {
        let stored = store.load(&doc_id).await?;
        let (doc, last_seq, chunks) = match stored {
            Some(s) => {
                let bytes: Vec<u8> = s.chunks.concat();
                let doc =
                    AutoCommit::load(&bytes).map_err(|e| StorageError::Corrupt(e.to_string()))?;
                (doc, s.last_seq, s.chunks.len())
            }
            None => (AutoCommit::new(), 0, 0),
        };
        let mut doc = doc;
        // Everything loaded is already stored: start incremental saves from here.
        let _ = doc.save_incremental();
        let ws = Rc::new(Workspace {
            doc_id,
            member_id,
            store,
            doc: RefCell::new(doc),
            next_seq: Cell::new(last_seq + 1),
            chunks_since_compaction: Cell::new(chunks),
            unsaved: RefCell::new(Vec::new()),
            signals,
            on_local_change: RefCell::new(None),
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(ws.clone()));
        signals.revision.update(|r| *r += 1);
        Ok(ws)
    }

    pub fn current() -> Option<Rc<Workspace>> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// Reads the document.
    pub fn read<R>(&self, f: impl FnOnce(&AutoCommit) -> R) -> R {
        f(&self.doc.borrow())
    }

    /// Mutable access for the sync adapter; call [`Workspace::changed`] after.
    pub fn with_doc_mut<R>(&self, f: impl FnOnce(&mut AutoCommit) -> R) -> R {
        f(&mut self.doc.borrow_mut())
    }

    /// Called by the sync adapter to learn about local changes.
    pub fn set_on_local_change(&self, f: impl Fn() + 'static) {
        *self.on_local_change.borrow_mut() = Some(Box::new(f));
    }

    /// Applies a local edit, stores it, and hands it to sync.
    /// Resolves once the phone's storage holds the change (or reports why not).
    pub async fn apply<R, E>(
        self: &Rc<Self>,
        edit: impl FnOnce(&mut AutoCommit) -> Result<R, E>,
    ) -> Result<R, E> {
        let result = edit(&mut self.doc.borrow_mut());
        if result.is_ok() {
            if let Some(notify) = self.on_local_change.borrow().as_ref() {
                notify();
            }
            self.persist().await;
        }
        result
    }

    /// After a remote change was merged into the document.
    pub fn changed(self: &Rc<Self>) {
        let ws = self.clone();
        spawn_local(async move { ws.persist().await });
    }

    /// Writes what changed since the last write, then tells the views.
    async fn persist(self: &Rc<Self>) {
        let mut bytes = std::mem::take(&mut *self.unsaved.borrow_mut());
        bytes.extend(self.doc.borrow_mut().save_incremental());
        self.signals.revision.update(|r| *r += 1);
        if bytes.is_empty() {
            return;
        }
        let seq = self.next_seq.get();
        self.next_seq.set(seq + 1);
        match self.store.append(&self.doc_id, seq, &bytes).await {
            Ok(()) => {
                self.signals.storage_error.set(None);
                let n = self.chunks_since_compaction.get() + 1;
                self.chunks_since_compaction.set(n);
                if n >= COMPACT_AFTER_CHUNKS {
                    self.compact(seq).await;
                }
            }
            Err(e) => {
                // Keep the bytes: they go out with the next write.
                let mut unsaved = self.unsaved.borrow_mut();
                let later = std::mem::take(&mut *unsaved);
                *unsaved = bytes;
                unsaved.extend(later);
                self.signals.storage_error.set(Some(e));
            }
        }
    }

    async fn compact(&self, up_to_seq: u64) {
        let full = self.doc.borrow_mut().save();
        match self.store.compact(&self.doc_id, up_to_seq, &full).await {
            Ok(()) => self.chunks_since_compaction.set(1),
            Err(e) => self.signals.storage_error.set(Some(e)),
        }
    }
}
