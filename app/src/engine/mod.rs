//! The document engine: Automerge, the domain's document code and the sync protocol's
//! document half, as a wasm part of its own (issue 14, `docs/design/engine-split.md`).
//!
//! The first screen needs none of it until a document is open, so the main part only *names*
//! it: [`Engine`] and [`Document`] are trait objects built in the `engine` part
//! ([`load`]), and every call from the main part goes through their vtables. `wasm-split`
//! keeps a function in the main part if anything the main part runs refers to it; code that
//! only the engine part's vtables reach moves with that part. So the main part must not call
//! Automerge or a domain function on a document itself, nor build a closure that does: it asks
//! a [`Document`] (a read that returns plain data, or a [`Command`] to run). The lazy screens
//! (meetings, 台账, history …) reach the `AutoCommit` through [`Document::automerge`] and keep
//! their document code in their own parts.

mod automerge_engine;

use automerge::{AutoCommit, ChangeHash};
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use linli_shared::domain::{Command, CommunityView, Ctx, DomainError, Edit, Role};
use linli_shared::wire::client::Output;
use linli_shared::wire::{DocumentId, SyncClient};
use std::cell::RefCell;
use std::rc::Rc;

/// Builds documents and runs the sync protocol over them.
pub trait Engine {
    /// An empty document (joining: the relay sends the rest).
    fn new_document(&self) -> Box<dyn Document>;
    /// A stored document.
    fn load(&self, bytes: &[u8]) -> Result<Box<dyn Document>, String>;
    /// Starts syncing `doc` in `client`: the frames to send.
    fn sync_open(
        &self,
        client: &mut SyncClient,
        id: DocumentId,
        doc: &mut dyn Document,
    ) -> Vec<Vec<u8>>;
    /// The relay confirmed holding every change of `doc`.
    fn is_synced(&self, client: &SyncClient, id: DocumentId, doc: &mut dyn Document) -> bool;
    /// Handles one frame from the relay; frames for documents not in `docs` are dropped.
    fn handle_frame(
        &self,
        client: &mut SyncClient,
        bytes: &[u8],
        docs: &mut dyn OpenDocuments,
    ) -> Output;
}

/// The open documents, as the sync protocol sees them.
pub trait OpenDocuments {
    fn document(&mut self, id: &DocumentId) -> Option<&mut dyn Document>;
}

/// One Automerge document.
pub trait Document {
    /// For the lazy screens' own document code.
    fn automerge(&self) -> &AutoCommit;
    fn automerge_mut(&mut self) -> &mut AutoCommit;
    fn heads(&mut self) -> Vec<ChangeHash>;
    /// What changed since `heads` (incremental storage).
    fn save_after(&mut self, heads: &[ChangeHash]) -> Vec<u8>;
    /// The whole document, compacted.
    fn save(&mut self) -> Vec<u8>;
    /// From now on, changes are written under an actor id naming `member` (`domain::member_actor`).
    fn write_as(&mut self, member: &str, random: [u8; 16]);
    /// Ends the pending edit as one change stamped `at_ms` (the history view shows it).
    fn commit_at(&mut self, at_ms: i64);
    /// Runs `command` and commits it as one change stamped with `ctx`'s time.
    fn run(&mut self, command: Command, ctx: &Ctx) -> Result<(), DomainError>;
    /// Brings the document back to the changes of `heads` it holds (a refusal of rights): what
    /// the changes put aside wrote. The caller saves the document first if it wants it kept.
    fn roll_back_to(&mut self, heads: &[ChangeHash]) -> Result<Vec<Edit>, String>;
    /// How many changes the document has that `heads` (as far as it knows them) lack.
    fn changes_since(&mut self, heads: &[ChangeHash]) -> usize;
    /// The concern screens' view of a community document.
    fn community_view(&self, me: &str) -> CommunityView;
    /// It holds a community (a joining phone's copy is empty until the relay sends it).
    fn is_community(&self) -> bool;
    /// The role of `member`'s profile in the community document.
    fn role_of(&self, member: &str) -> Option<Role>;
}

#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn build() -> Result<Rc<dyn Engine>, SplitLoaderError> {
    Ok(Rc::new(automerge_engine::AutomergeEngine))
}

thread_local! {
    static LOADED: RefCell<Option<Rc<dyn Engine>>> = const { RefCell::new(None) };
}

/// The engine, fetched on first use (from the service worker's cache once the app has been
/// online once). Fails only when the part cannot be fetched.
pub async fn load() -> Result<Rc<dyn Engine>, SplitLoaderError> {
    if let Some(engine) = LOADED.with(|e| e.borrow().clone()) {
        return Ok(engine);
    }
    crate::clock::mark("linli:engine-fetch");
    let engine = build().await?;
    crate::clock::mark("linli:engine-ready");
    LOADED.with(|e| *e.borrow_mut() = Some(engine.clone()));
    Ok(engine)
}
