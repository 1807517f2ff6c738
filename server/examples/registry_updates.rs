//! How long the core's access check (`CommunityRules::authorize`, made for every message) takes
//! while the registry is being changed and stored: a city's registry (300 communities × 120
//! members) in a data directory, one thread making invites back to back (each an update that
//! writes its rows to `registry.sqlite` in one transaction), the main thread calling `authorize` for 3 s, against the same 3 s
//! with no update (the baseline, in the same run). Latency of each call: p50, p99, max.
//!
//!     cargo run --release -p linli-server --example registry_updates

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

#[path = "common/city.rs"]
mod city;

use linli_server::access::{Access, CommunityRules};
use linli_server::core::{Action, Authorize, Principal};
use linli_shared::api::MemberRow;
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

const COMMUNITIES: usize = 300;
const MEMBERS: usize = 120;
const WINDOW: Duration = Duration::from_secs(3);

fn doc_id(community: usize) -> DocumentId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(community as u64 + 1).to_le_bytes());
    DocumentId::from_bytes(bytes)
}

/// The city's registry, stored; the first community's admin and the last one's member.
fn city(access: &Access) -> (MemberRow, Principal) {
    let (admin, member) = access
        .update(|r| city::build(r, COMMUNITIES, MEMBERS, 1, |c, _| doc_id(c)))
        .expect("a registry");
    let principal = access.authenticate(&member.credential).expect("a member");
    (admin, principal)
}

/// Call latencies of `authorize` for `WINDOW`, sorted.
fn latencies(rules: &CommunityRules, principal: &Principal, doc: &DocumentId) -> Vec<Duration> {
    let mut out = Vec::new();
    let start = Instant::now();
    while start.elapsed() < WINDOW {
        let call = Instant::now();
        assert!(rules.authorize(Some(principal), doc, Action::Sync));
        out.push(call.elapsed());
    }
    out.sort();
    out
}

fn report(what: &str, l: &[Duration]) -> Duration {
    let at = |q: f64| l[((l.len() as f64 - 1.0) * q) as usize];
    println!(
        "{what}: {} calls, p50 {:?}, p99 {:?}, max {:?}",
        l.len(),
        at(0.5),
        at(0.99),
        l[l.len() - 1]
    );
    at(0.99)
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary data directory");
    let access = Access::open(dir.path()).expect("the registry");
    let started = Instant::now();
    let (admin, principal) = city(&access);
    let size = |name: &str| std::fs::metadata(dir.path().join(name)).map_or(0, |m| m.len());
    eprintln!(
        "city registry stored in {:?} ({} KB of registry.sqlite and its log)",
        started.elapsed(),
        (size("registry.sqlite") + size("registry.sqlite-wal")) / 1024
    );
    let rules = CommunityRules::new(access.clone());
    let doc = doc_id(COMMUNITIES - 1);

    let quiet = latencies(&rules, &principal, &doc);
    let stop = Arc::new(AtomicBool::new(false));
    let updates = Arc::new(AtomicU64::new(0));
    let updater = {
        let (access, stop, updates) = (access.clone(), stop.clone(), updates.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                access
                    .update(|r| r.create_invite(&admin, Role::NeighbourLeader, 3600, 1, 0))
                    .expect("an invite");
                updates.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let busy = latencies(&rules, &principal, &doc);
    stop.store(true, Ordering::Relaxed);
    updater.join().expect("the updater");

    let p99_quiet = report("authorize, no update", &quiet);
    let p99_busy = report(
        &format!(
            "authorize, {} updates stored meanwhile",
            updates.load(Ordering::Relaxed)
        ),
        &busy,
    );
    println!(
        "p99 ratio: {:.1}×",
        p99_busy.as_secs_f64() / p99_quiet.as_secs_f64().max(1e-12)
    );
}
