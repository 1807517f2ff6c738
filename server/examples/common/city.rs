//! A city's registry for the registry benchmarks: built inside one update (each update copies
//! the registry).

use linli_server::access::{ApiRefusal, Registry};
use linli_shared::api::{Grant, MemberRow};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

/// `communities` communities of `members` members each (an admin, then 邻长 joined by invites
/// of at most 100 phones), each owning `documents` documents (its community document is
/// `doc_id(c, 0)`). Returns the first community's admin and the last member's grant.
pub fn build(
    r: &mut Registry,
    communities: usize,
    members: usize,
    documents: usize,
    doc_id: impl Fn(usize, usize) -> DocumentId,
) -> Result<(MemberRow, Grant), ApiRefusal> {
    let mut first_admin = None;
    let mut last = None;
    for c in 0..communities {
        let community = doc_id(c, 0);
        let granted = r.create_community(community, Role::Committee)?;
        let admin = r.member(&granted.credential).expect("its admin");
        let mut token = String::new();
        for m in 1..members {
            if (m - 1) % 100 == 0 {
                token = r
                    .create_invite(&admin, Role::NeighbourLeader, 3600, 100, 0)?
                    .token;
            }
            last = Some(r.join(&token, 1)?);
        }
        for d in 1..documents {
            r.claim(&doc_id(c, d), &community);
        }
        first_admin.get_or_insert(admin);
    }
    Ok((
        first_admin.expect("one community at least"),
        last.expect("one member at least"),
    ))
}
