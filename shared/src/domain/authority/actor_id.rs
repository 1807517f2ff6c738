//! Actor ids that name their member: `[n][member id: n bytes][16 random bytes]`.
//!
//! The app writes under such an actor id, fresh on every page load (two tabs, or a page that
//! lost its last writes to a full disk, never reuse a sequence number). The relay checks that
//! the member an actor names is the sender (`server/src/core/actors.rs`), so it needs no record
//! of such actors, and every phone reads a change's member from its actor, offline. Any other
//! actor id (a JS client's 16 random bytes) is bound to the member that first writes with it,
//! and the relay keeps that binding.

use automerge::ActorId;

/// Random bytes after the member id.
const RANDOM_LEN: usize = 16;
/// The longest member id an actor names (the relay's member ids are at most 32 characters).
const MAX_MEMBER_LEN: usize = 32;

/// An actor id naming `member`, with `random` to tell its page loads apart. None if the
/// member id cannot be named so (empty, longer than 32 bytes, or not ASCII letters and
/// digits).
pub fn member_actor(member: &str, random: [u8; RANDOM_LEN]) -> Option<ActorId> {
    if !nameable(member.as_bytes()) {
        return None;
    }
    let mut bytes = Vec::with_capacity(1 + member.len() + RANDOM_LEN);
    bytes.push(member.len() as u8);
    bytes.extend_from_slice(member.as_bytes());
    bytes.extend_from_slice(&random);
    Some(ActorId::from(bytes))
}

/// The member an actor id names, if it is one of [`member_actor`]'s.
pub fn member_of_actor(actor: &ActorId) -> Option<&str> {
    let bytes = actor.to_bytes();
    let (&len, rest) = bytes.split_first()?;
    let len = usize::from(len);
    if rest.len() != len + RANDOM_LEN {
        return None;
    }
    let member = &rest[..len];
    nameable(member)
        .then(|| std::str::from_utf8(member).ok())
        .flatten()
}

fn nameable(member: &[u8]) -> bool {
    (1..=MAX_MEMBER_LEN).contains(&member.len()) && member.iter().all(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_names_its_member_and_nothing_else_reads_as_one() {
        let actor = member_actor("3f9a0c12", [7; 16]).unwrap();
        assert_eq!(member_of_actor(&actor), Some("3f9a0c12"));
        let other = member_actor("3f9a0c12", [8; 16]).unwrap();
        assert_ne!(actor, other, "page loads are told apart");
        // A JS client's random actor, and near misses, name nobody.
        assert_eq!(member_of_actor(&ActorId::from([3u8; 16])), None);
        let mut bytes = actor.to_bytes().to_vec();
        bytes.push(0);
        assert_eq!(member_of_actor(&ActorId::from(bytes.clone())), None);
        bytes.truncate(bytes.len() - 2);
        assert_eq!(member_of_actor(&ActorId::from(bytes)), None);
        let mut odd = vec![4u8];
        odd.extend_from_slice(b"ab.d");
        odd.extend_from_slice(&[0; 16]);
        assert_eq!(member_of_actor(&ActorId::from(odd)), None);
        assert_eq!(member_actor("", [0; 16]), None);
        assert_eq!(member_actor(&"a".repeat(33), [0; 16]), None);
        assert_eq!(member_actor("名字", [0; 16]), None);
        assert!(member_actor(&"a".repeat(32), [0; 16]).is_some());
    }
}
