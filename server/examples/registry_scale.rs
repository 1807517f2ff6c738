//! What the access check the core makes for every `sync`, `request` and `ephemeral` message
//! costs as the registry grows: `CommunityRules::authorize` (is the member active, who owns the
//! document) for a member of the last community and one of its documents, on a registry of one
//! community of 120 members and on a city's (300 communities × 120 members = 36,000, 50
//! documents each). Median of 7 runs of 20,000 calls; the ratio city / one is the figure.
//!
//!     cargo run --release -p linli-server --example registry_scale

use std::time::{Duration, Instant};

#[path = "common/city.rs"]
mod city;

use linli_server::access::{Access, CommunityRules};
use linli_server::core::{Action, Authorize, Principal};
use linli_shared::wire::DocumentId;

const MEMBERS: usize = 120;
const DOCUMENTS: usize = 50;
const CALLS: usize = 20_000;
const RUNS: usize = 7;

/// A registry of `communities` communities; a member of the last one and one of its documents.
/// Built in one update (each update copies the registry).
fn registry(communities: usize) -> (Access, Principal, DocumentId) {
    let access = Access::in_memory();
    let (_, grant) = access
        .update(|r| city::build(r, communities, MEMBERS, DOCUMENTS, doc_id))
        .expect("a registry");
    let principal = access.authenticate(&grant.credential).expect("a member");
    (access, principal, doc_id(communities - 1, DOCUMENTS / 2))
}

fn doc_id(community: usize, doc: usize) -> DocumentId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(community as u64).to_le_bytes());
    bytes[8..].copy_from_slice(&(doc as u64 + 1).to_le_bytes());
    DocumentId::from_bytes(bytes)
}

/// Median time of one `authorize` call.
fn per_call(access: &Access, principal: &Principal, doc: &DocumentId) -> Duration {
    let rules = CommunityRules::new(access.clone());
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS {
                assert!(rules.authorize(Some(principal), doc, Action::Sync));
            }
            start.elapsed() / CALLS as u32
        })
        .collect();
    runs.sort();
    runs[RUNS / 2]
}

fn main() {
    let started = Instant::now();
    let (one, p1, d1) = registry(1);
    let (city, p300, d300) = registry(300);
    eprintln!("registries built in {:?}", started.elapsed());
    let small = per_call(&one, &p1, &d1);
    let large = per_call(&city, &p300, &d300);
    println!("authorize, 1 community × {MEMBERS} members: {small:?} per call");
    println!(
        "authorize, 300 communities × {MEMBERS} members ({} members, {} documents): {large:?} per call",
        300 * MEMBERS,
        300 * DOCUMENTS
    );
    println!(
        "ratio: {:.1}×",
        large.as_secs_f64() / small.as_secs_f64().max(1e-12)
    );
}
