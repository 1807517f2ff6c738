//! Verified authorship: each Automerge actor id is bound to the member that first writes with it.
//! The app's actor ids name their member (`domain::member_actor`): those are the sender's or
//! refused, and need no binding, so the bindings held here grow with JS clients' actors only.
//!
//! Invariant: every change the relay did not have and took from an authenticated member (since
//! this module exists) was written under an actor id bound to that member — and that binding
//! was durable (`Storage::bind_actors`) before the change was acknowledged to anyone.
//!
//! - [`authored`] lists the `(hash, actor)` of every change in a sync message, parsing the
//!   message's chunks the way Automerge will apply them. Anything it cannot parse refuses the
//!   whole message (the connection is closed, as for an undecodable sync message): a change
//!   this module did not judge never reaches the document.
//! - [`Actors::check`] then looks at each change the document does not have yet (a phone
//!   re-sending changes the relay stores, other members' included, is fine): an actor bound to
//!   the sender passes; an unbound actor is to be bound to the sender ([`Actors::bind`],
//!   pending); an actor bound to another member refuses the whole message, and nothing of it
//!   is applied or bound.
//! - `Relay::flush` makes the pending bindings durable before it stores the batch and
//!   advertises heads. If that fails the pending bindings are forgotten and every document
//!   that took a change under one of them is dropped from memory with its unstored changes
//!   (queued ones included), its peers closed, as when storing changes fails: nothing under a
//!   binding that is not durable is ever acknowledged.
//!
//! The common case — a member's next change under its own actor — costs parsing the change
//! (Automerge parses it again to apply it) and one hash lookup: about 2 µs for a 100-byte
//! change (release build), against hundreds of µs of relay CPU per edit in `relay_bench`.

use std::collections::HashMap;
use std::io;

use automerge::sync;
use automerge::{ActorId, Automerge, Bundle, Change, ChangeHash};
use linli_shared::domain::member_of_actor;
use linli_shared::wire::DocumentId;

use super::{Authorize, Principal, Relay};
use crate::storage::{ActorBinding, Storage};

/// The member an actor is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    community: DocumentId,
    member_id: String,
    /// False until the binding is stored ([`Actors::commit`]).
    durable: bool,
}

impl Owner {
    fn is(&self, who: &Principal) -> bool {
        self.community == who.community && self.member_id == who.member_id
    }
}

/// What [`Actors::check`] found in a message that may be applied.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Verdict {
    /// Actors of new changes that nobody has: [`Actors::bind`] binds them to the sender.
    unbound: Vec<ActorId>,
    /// Whether a new change's actor is not durably bound yet (bound in this batch, or about
    /// to be): its document must not be acknowledged unless the flush stores the bindings.
    pub needs_pending: bool,
}

/// Every actor binding, durable or pending.
#[derive(Debug, Default)]
pub(super) struct Actors {
    bound: HashMap<ActorId, Owner>,
    /// Bound since the last [`Actors::commit`]: not durable yet.
    pending: Vec<ActorBinding>,
    /// False until the stored bindings were read: changes are refused until then.
    loaded: bool,
}

impl Actors {
    /// Reads the stored bindings (the first binding of an actor counts). On error the relay
    /// refuses changes from members and tries again at the next one.
    pub fn load(&mut self, storage: &mut impl Storage) -> io::Result<()> {
        if self.loaded {
            return Ok(());
        }
        for binding in storage.actor_bindings()? {
            self.bound.entry(binding.actor).or_insert(Owner {
                community: binding.community,
                member_id: binding.member_id,
                durable: true,
            });
        }
        self.loaded = true;
        Ok(())
    }

    /// Whether `who` may have the changes `authored` applied to document `doc`, which has the
    /// changes `has` says it has: `Err(reason)` names the first actor bound to another
    /// member. Changes nothing; [`Actors::bind`] binds what it found unbound.
    pub fn check(
        &self,
        who: &Principal,
        authored: &[(ChangeHash, ActorId)],
        mut has: impl FnMut(&ChangeHash) -> bool,
        doc: &DocumentId,
    ) -> Result<Verdict, String> {
        if !self.loaded {
            return Err(format!(
                "authorship: the relay cannot read its actor bindings; the change to document \
                 {doc} was not stored; try again later"
            ));
        }
        let mut verdict = Verdict::default();
        for (hash, actor) in authored {
            // An actor id that names its member needs no binding: it is the sender's or
            // refused (`domain::member_actor`).
            if let Some(member) = member_of_actor(actor) {
                if member == who.member_id || has(hash) {
                    continue;
                }
                return Err(format!(
                    "authorship: actor {actor} is bound to another member; the change to \
                     document {doc} was not stored"
                ));
            }
            match self.bound.get(actor) {
                Some(owner) if owner.is(who) => verdict.needs_pending |= !owner.durable,
                _ if has(hash) => {} // the relay stores it already: a re-send
                Some(_) => {
                    return Err(format!(
                        "authorship: actor {actor} is bound to another member; the change to \
                         document {doc} was not stored"
                    ))
                }
                None => {
                    verdict.needs_pending = true;
                    if !verdict.unbound.contains(actor) {
                        verdict.unbound.push(actor.clone());
                    }
                }
            }
        }
        Ok(verdict)
    }

    /// Binds the actors `check` found unbound to `who` (pending until [`Actors::commit`]).
    pub fn bind(&mut self, who: &Principal, verdict: Verdict) {
        for actor in verdict.unbound {
            self.pending.push(ActorBinding {
                actor: actor.clone(),
                community: who.community,
                member_id: who.member_id.clone(),
            });
            let owner = Owner {
                community: who.community,
                member_id: who.member_id.clone(),
                durable: false,
            };
            self.bound.insert(actor, owner);
        }
    }

    /// Bindings made since the last commit, to be stored.
    pub fn pending(&self) -> &[ActorBinding] {
        &self.pending
    }

    /// The pending bindings are durable now.
    pub fn commit(&mut self) {
        for binding in self.pending.drain(..) {
            if let Some(owner) = self.bound.get_mut(&binding.actor) {
                owner.durable = true;
            }
        }
    }

    /// The pending bindings could not be stored: they are undone (the caller drops the
    /// documents that used them).
    pub fn forget_pending(&mut self) {
        for binding in self.pending.drain(..) {
            self.bound.remove(&binding.actor);
        }
    }

    /// How many actor ids are bound (durably or not).
    pub fn len(&self) -> usize {
        self.bound.len()
    }

    /// Which of `actors` are durably bound to members of `community`, and to whom (the
    /// history view names the authors of changes so).
    pub fn members_of(&self, community: &DocumentId, actors: &[ActorId]) -> Vec<(ActorId, String)> {
        actors
            .iter()
            .filter_map(|actor| {
                let owner = self.bound.get(actor)?;
                (owner.durable && owner.community == *community)
                    .then(|| (actor.clone(), owner.member_id.clone()))
            })
            .collect()
    }

    /// The member `actor` is bound to, and whether that is durable.
    #[cfg(test)]
    pub fn owner_of(&self, actor: &ActorId) -> Option<(DocumentId, &str, bool)> {
        self.bound
            .get(actor)
            .map(|o| (o.community, o.member_id.as_str(), o.durable))
    }
}

impl<S: Storage, A: Authorize> Relay<S, A> {
    /// Which of `actors` are bound to members of `community` (durably), and to whom.
    pub fn authors(
        &mut self,
        community: &DocumentId,
        actors: &[ActorId],
    ) -> Vec<(ActorId, String)> {
        if let Err(e) = self.actors.load(&mut self.storage) {
            tracing::error!(error = %e, "cannot read the actor bindings");
        }
        self.actors.members_of(community, actors)
    }
}

/// The hash and actor of every change in `message`, in order. `Err` if any of its chunks does
/// not parse (then Automerge would apply at most the changes before it, but the relay does
/// not rely on that: the message is refused).
pub(super) fn authored(message: &sync::Message) -> Result<Vec<(ChangeHash, ActorId)>, String> {
    let mut out = Vec::new();
    if message.changes.is_empty() {
        return Ok(out);
    }
    // Automerge applies the concatenation of the message's change entries (a chunk may span
    // two entries).
    let joined: std::borrow::Cow<'_, [u8]> = match message.changes.len() {
        1 => message.changes.iter().next().unwrap_or_default().into(),
        _ => message.changes.iter().flatten().copied().collect(),
    };
    let mut rest: &[u8] = &joined;
    while !rest.is_empty() {
        let (chunk, tail) = next_chunk(rest)?;
        match chunk.get(CHUNK_TYPE_AT) {
            Some(&DOCUMENT) => {
                let doc = Automerge::load(chunk).map_err(invalid)?;
                out.extend(
                    doc.get_changes_meta(&[])
                        .into_iter()
                        .map(|meta| (meta.hash, meta.actor.into_owned())),
                );
            }
            Some(&CHANGE) | Some(&COMPRESSED_CHANGE) => {
                let change = Change::try_from(chunk).map_err(invalid)?;
                out.push((change.hash(), change.actor_id().clone()));
            }
            Some(&BUNDLE) => {
                let bundle = Bundle::try_from(chunk).map_err(invalid)?;
                let changes = bundle.to_changes().map_err(invalid)?;
                out.extend(changes.iter().map(|c| (c.hash(), c.actor_id().clone())));
            }
            _ => return Err(invalid("unknown chunk type")),
        }
        rest = tail;
    }
    Ok(out)
}

/// Automerge's chunk header: magic bytes, a 4-byte checksum, the chunk type, then the data's
/// length as unsigned LEB128.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_TYPE_AT: usize = 8;
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;
const BUNDLE: u8 = 3;

/// The first chunk of `bytes` and what follows it.
fn next_chunk(bytes: &[u8]) -> Result<(&[u8], &[u8]), String> {
    if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err(invalid("no chunk header"));
    }
    let mut at = CHUNK_TYPE_AT + 1;
    let mut len: u64 = 0;
    let mut shift = 0u32;
    loop {
        let byte = *bytes
            .get(at)
            .ok_or_else(|| invalid("truncated chunk header"))?;
        at += 1;
        let bits = u64::from(byte & 0x7f);
        if shift > 63 || (shift == 63 && bits > 1) {
            return Err(invalid("chunk length overflows"));
        }
        len |= bits << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let end = usize::try_from(len)
        .ok()
        .and_then(|len| at.checked_add(len))
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| invalid("truncated chunk"))?;
    Ok(bytes.split_at(end))
}

fn invalid(e: impl std::fmt::Display) -> String {
    format!("invalid Automerge sync message: {e}")
}
