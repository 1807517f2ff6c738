//! Benchmark at the scale of one real community (兴东社区): 150 members,
//! 1,786 households, 2,000 concerns with ~10 timeline events each, every
//! command its own change from the acting member's device.
//!
//! Run: `cargo run --release -p linli-shared --example bench_community`
//! Prints medians over several runs; see BENCHMARKS.md.

mod community;
mod timing;

use automerge::AutoCommit;
use linli_shared::domain::*;

use community::{build_org, concern_life, concern_life_in_one_change};
use timing::{summary, Span, Stopwatch};

const CONCERNS: usize = 2_000;
const RUNS: usize = 11;
const T0: i64 = 1_735_660_800_000; // 2025-01-01T00:00:00+08:00
const HOUR: i64 = 3_600_000;

fn main() {
    let started = Stopwatch::start();
    let mut doc = AutoCommit::new();
    let org = build_org(&mut doc);
    for i in 0..CONCERNS {
        concern_life(&mut doc, &org, i);
    }
    let members = list_members(&doc).unwrap().len();
    let build_time = started.elapsed();

    let stats = automerge::ReadDoc::stats(&doc);
    println!(
        "automerge: {} ops, {} changes, {} actors",
        stats.num_ops, stats.num_changes, stats.num_actors
    );
    let bytes = doc.save();
    let concerns = list_concerns(&doc).unwrap();
    let events: usize = concerns.iter().map(|c| c.timeline.len()).sum();
    println!(
        "community: {members} members, {} units, {} concerns, {events} events",
        list_units(&doc).unwrap().len(),
        concerns.len()
    );
    println!(
        "built with {} commands, each its own change, in {:.1} s",
        events + 5,
        build_time.wall.as_secs_f64()
    );
    println!(
        "save size: {} bytes ({:.0} bytes per concern, org tree included)",
        bytes.len(),
        bytes.len() as f64 / CONCERNS as f64
    );

    let mut org_only = AutoCommit::new();
    build_org(&mut org_only);
    let org_bytes = org_only.save().len();
    println!(
        "  of which org tree + members: {org_bytes} bytes → {:.0} bytes per concern without it",
        (bytes.len() - org_bytes) as f64 / CONCERNS as f64
    );

    let mut load = Vec::new();
    let mut hydrate = Vec::new();
    let mut load_hydrate = Vec::new();
    for _ in 0..RUNS {
        let t = Stopwatch::start();
        let loaded = AutoCommit::load(&bytes).unwrap();
        let l = t.elapsed();
        let t2 = Stopwatch::start();
        let list = list_concerns(&loaded).unwrap();
        let h = t2.elapsed();
        assert_eq!(list.len(), CONCERNS);
        load.push(l);
        hydrate.push(h);
        load_hydrate.push(l + h);
    }
    println!(
        "load: {}   hydrate all concerns: {}   load + hydrate: {}",
        summary(load),
        summary(hydrate),
        summary(load_hydrate)
    );

    let mut unverified = Vec::new();
    for _ in 0..RUNS {
        let t = Stopwatch::start();
        let loaded = AutoCommit::load_unverified_heads(&bytes).unwrap();
        let list = list_concerns(&loaded).unwrap();
        unverified.push(t.elapsed());
        assert_eq!(list.len(), CONCERNS);
    }
    println!("load_unverified_heads + hydrate: {}", summary(unverified));
    if std::env::var("BENCH_ONE_CHANGE").is_ok() {
        let mut one = AutoCommit::new();
        let org = build_org(&mut one);
        for i in 0..CONCERNS {
            concern_life_in_one_change(&mut one, &org, i);
        }
        one.commit();
        let one_bytes = one.save();
        let mut t1 = Vec::new();
        for _ in 0..RUNS {
            let t = Stopwatch::start();
            let loaded = AutoCommit::load(&one_bytes).unwrap();
            t1.push(t.elapsed());
            drop(loaded);
        }
        println!(
            "same data as one change: {} bytes, load {}",
            one_bytes.len(),
            summary(t1)
        );
    }
    let mut loaded = AutoCommit::load(&bytes).unwrap();
    let mut record = Vec::new();
    let mut claim_t = Vec::new();
    let mut escalate_t = Vec::new();
    let mut resolve_t = Vec::new();
    let mut incremental = Vec::new();
    let mut incremental_bytes = Vec::new();
    loaded.save_incremental();
    for k in 0..50 {
        let id = format!("bench-{k}");
        let ll = &org.neighbour_leaders[k];
        let cx = Ctx::new(ll.as_str(), T0 + 10_000 * HOUR + k as i64)
            .with_role(Some(Role::NeighbourLeader));
        // Escalated to 组, it is resolved there, by a group leader.
        let gl = &org.group_leaders[k % org.group_leaders.len()];
        let gx =
            Ctx::new(gl.as_str(), T0 + 10_000 * HOUR + k as i64).with_role(Some(Role::GroupLeader));
        let mut time = |f: &mut dyn FnMut(&mut AutoCommit), into: &mut Vec<Span>| {
            let t = Stopwatch::start();
            f(&mut loaded);
            loaded.commit();
            into.push(t.elapsed());
        };
        time(
            &mut |d| {
                drop(
                    record_concern(
                        d,
                        &cx,
                        NewConcern {
                            id: id.clone(),
                            title: "井盖松动".into(),
                            ..Default::default()
                        },
                    )
                    .unwrap(),
                )
            },
            &mut record,
        );
        time(&mut |d| claim(d, &cx, &id).unwrap(), &mut claim_t);
        time(
            &mut |d| {
                escalate(d, &cx, &id, None, "原因").unwrap();
            },
            &mut escalate_t,
        );
        time(
            &mut |d| resolve(d, &gx, &id, "已处理").unwrap(),
            &mut resolve_t,
        );
        let t = Stopwatch::start();
        let chunk = loaded.save_incremental();
        incremental.push(t.elapsed());
        incremental_bytes.push(chunk.len());
    }
    println!(
        "one command (incl. commit), median of 50: record {}  claim {}  escalate {}  resolve {}",
        summary(record),
        summary(claim_t),
        summary(escalate_t),
        summary(resolve_t)
    );
    incremental_bytes.sort();
    println!(
        "save_incremental after 4 commands: {} ({} bytes)",
        summary(incremental),
        incremental_bytes[25]
    );

    let units = list_units(&loaded).unwrap();
    let visits = list_visits(&loaded).unwrap();
    let all = list_concerns(&loaded).unwrap();
    let mut pure = Vec::new();
    let mut full = Vec::new();
    for _ in 0..RUNS {
        let t = Stopwatch::start();
        let l = ledger(&all, &units, &visits);
        pure.push(t.elapsed());
        assert_eq!(l.total.raised, CONCERNS + 50);
        let t = Stopwatch::start();
        let l = community_ledger(&loaded).unwrap();
        full.push(t.elapsed());
        assert_eq!(l.total.raised, CONCERNS + 50);
    }
    println!(
        "statistics pass: ledger over hydrated concerns {}   community_ledger (hydrate + ledger) {}",
        summary(pure),
        summary(full)
    );
}
