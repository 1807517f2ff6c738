//! [`Engine`] and [`Document`] over Automerge: only the `engine` part's split point builds
//! them, so this module's code (and the Automerge and domain code under it) loads with that
//! part.

use super::{Document, Engine, OpenDocuments};
use automerge::{AutoCommit, ChangeHash};
use linli_shared::domain::{self, Command, CommunityView, Ctx, DomainError, Edit, Role};
use linli_shared::wire::client::Output;
use linli_shared::wire::{DocStore, DocumentId, SyncClient};

pub(super) struct AutomergeEngine;

impl Engine for AutomergeEngine {
    fn new_document(&self) -> Box<dyn Document> {
        Box::new(AutomergeDocument(AutoCommit::new()))
    }

    fn load(&self, bytes: &[u8]) -> Result<Box<dyn Document>, String> {
        let doc = AutoCommit::load(bytes).map_err(|e| e.to_string())?;
        Ok(Box::new(AutomergeDocument(doc)))
    }

    fn sync_open(
        &self,
        client: &mut SyncClient,
        id: DocumentId,
        doc: &mut dyn Document,
    ) -> Vec<Vec<u8>> {
        client.open(id, doc.automerge_mut())
    }

    fn is_synced(&self, client: &SyncClient, id: DocumentId, doc: &mut dyn Document) -> bool {
        client.is_synced(id, doc.automerge_mut())
    }

    fn handle_frame(
        &self,
        client: &mut SyncClient,
        bytes: &[u8],
        docs: &mut dyn OpenDocuments,
    ) -> Output {
        client.handle_frame(
            bytes,
            &mut Store {
                docs,
                scratch: AutoCommit::new(),
            },
        )
    }
}

/// The open documents as the sync client's store: frames for any other document land in a
/// scratch document and are dropped.
struct Store<'a> {
    docs: &'a mut dyn OpenDocuments,
    scratch: AutoCommit,
}

impl DocStore for Store<'_> {
    fn doc_mut(&mut self, id: &DocumentId) -> &mut AutoCommit {
        match self.docs.document(id) {
            Some(doc) => doc.automerge_mut(),
            None => &mut self.scratch,
        }
    }
}

struct AutomergeDocument(AutoCommit);

impl Document for AutomergeDocument {
    fn automerge(&self) -> &AutoCommit {
        &self.0
    }

    fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.0
    }

    fn heads(&mut self) -> Vec<ChangeHash> {
        self.0.get_heads()
    }

    fn save_after(&mut self, heads: &[ChangeHash]) -> Vec<u8> {
        self.0.save_after(heads)
    }

    fn save(&mut self) -> Vec<u8> {
        self.0.save()
    }

    fn write_as(&mut self, member: &str, random: [u8; 16]) {
        if let Some(actor) = domain::member_actor(member, random) {
            self.0.set_actor(actor);
        }
    }

    fn commit_at(&mut self, at_ms: i64) {
        domain::commit_at(&mut self.0, at_ms);
    }

    fn run(&mut self, command: Command, ctx: &Ctx) -> Result<(), DomainError> {
        let result = command.run(&mut self.0, ctx);
        domain::commit_at(&mut self.0, ctx.now_ms);
        result
    }

    fn roll_back_to(&mut self, heads: &[ChangeHash]) -> Result<Vec<Edit>, String> {
        let known: Vec<ChangeHash> = heads
            .iter()
            .filter(|h| self.0.get_change_by_hash(h).is_some())
            .copied()
            .collect();
        let put_aside = domain::edits_since(&mut self.0, &known);
        self.0 = self.0.fork_at(&known).map_err(|e| e.to_string())?;
        Ok(put_aside)
    }

    fn changes_since(&mut self, heads: &[ChangeHash]) -> usize {
        let known: Vec<ChangeHash> = heads
            .iter()
            .filter(|h| self.0.get_change_by_hash(h).is_some())
            .copied()
            .collect();
        self.0.get_changes(&known).len()
    }

    fn community_view(&self, me: &str) -> CommunityView {
        crate::clock::mark("linli:concerns-reading");
        let view = CommunityView::read(&self.0, me.to_string());
        if !view.concerns.is_empty() {
            crate::clock::mark("linli:concerns-read");
        }
        view
    }

    fn is_community(&self) -> bool {
        domain::community_info(&self.0).is_ok()
    }

    fn role_of(&self, member: &str) -> Option<Role> {
        domain::list_members(&self.0)
            .ok()?
            .into_iter()
            .find(|m| m.id == member)
            .map(|m| m.role)
    }
}
