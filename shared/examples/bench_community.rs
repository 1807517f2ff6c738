//! Benchmark at the scale of one real community (兴东社区): 150 members,
//! 1,786 households, 2,000 concerns with ~10 timeline events each, every
//! command its own change from the acting member's device.
//!
//! Run: `cargo run --release -p linli-shared --example bench_community`
//! Prints medians over several runs; see BENCHMARKS.md.

use std::time::{Duration, Instant};

use automerge::{ActorId, AutoCommit};
use linli_shared::domain::*;

const CONCERNS: usize = 2_000;
const RUNS: usize = 11;
const T0: i64 = 1_735_660_800_000; // 2025-01-01T00:00:00+08:00
const HOUR: i64 = 3_600_000;

/// Wall-clock and on-CPU time of one measured step. The machine is shared with
/// other builds, so wall time includes waiting for a core; the thread's CPU time
/// (from /proc/thread-self/schedstat, Linux) does not.
#[derive(Clone, Copy, Default)]
struct Span {
    wall: Duration,
    cpu: Duration,
}

impl std::ops::Add for Span {
    type Output = Span;
    fn add(self, o: Span) -> Span {
        Span {
            wall: self.wall + o.wall,
            cpu: self.cpu + o.cpu,
        }
    }
}

fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

struct Stopwatch {
    wall: Instant,
    cpu: Duration,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            cpu: thread_cpu(),
            wall: Instant::now(),
        }
    }

    fn elapsed(&self) -> Span {
        let wall = self.wall.elapsed();
        Span {
            wall,
            cpu: thread_cpu().saturating_sub(self.cpu),
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// "median wall / median CPU"; CPU only for steps long enough for the
/// scheduler's accounting (it advances at context switches and ticks).
fn summary(v: Vec<Span>) -> String {
    let wall = median(v.iter().map(|s| s.wall).collect());
    let cpu = median(v.iter().map(|s| s.cpu).collect());
    if wall < Duration::from_millis(5) {
        ms(wall)
    } else {
        format!("{} wall / {} cpu", ms(wall), ms(cpu))
    }
}

/// The member's own device (one actor per member).
fn actor(member: &str) -> ActorId {
    ActorId::from(member.as_bytes())
}

/// Runs a command as `member` on their device and commits it as one change.
fn on_device<T>(doc: &mut AutoCommit, member: &str, f: impl FnOnce(&mut AutoCommit) -> T) -> T {
    if SKIP_COMMIT.with(|s| s.get()) {
        return f(doc);
    }
    doc.set_actor(actor(member));
    let out = f(doc);
    doc.commit();
    out
}

struct Org {
    neighbour_leaders: Vec<String>,
    group_leaders: Vec<String>,
    area_leaders: Vec<String>,
    committee: Vec<String>,
    households: Vec<String>,
}

fn build_org(doc: &mut AutoCommit) -> Org {
    init_community(doc, "xingdong", "兴东社区").unwrap();
    let admin = Ctx::new("cm0", T0);
    let mut org = Org {
        neighbour_leaders: vec![],
        group_leaders: vec![],
        area_leaders: vec![],
        committee: vec![],
        households: vec![],
    };
    let unit = |id: String, kind, parent: Option<String>| OrgUnit {
        id: id.clone(),
        kind,
        name: id,
        parent,
    };
    let member = |doc: &mut AutoCommit, id: String, role, unit: String| {
        let m = NewMember {
            id: id.clone(),
            name: format!("成员{id}"),
            role,
            unit: Some(unit),
        };
        add_member(doc, &admin, m).unwrap();
        id
    };
    let mut nb = 0usize;
    for a in 0..5 {
        let area = format!("area{a}");
        add_unit(doc, unit(area.clone(), UnitKind::Area, None)).unwrap();
        org.area_leaders.push(member(
            doc,
            format!("al{a}"),
            Role::AreaLeader,
            area.clone(),
        ));
        org.group_leaders.push(member(
            doc,
            format!("gl{a}"),
            Role::GroupLeader,
            area.clone(),
        ));
        org.committee
            .push(member(doc, format!("cm{a}"), Role::Committee, area.clone()));
        for g in 0..2 {
            let group = format!("g{a}{g}");
            add_unit(
                doc,
                unit(group.clone(), UnitKind::Group, Some(area.clone())),
            )
            .unwrap();
            let per_group = if a * 2 + g < 3 { 14 } else { 13 }; // 133 邻 in all
            for _ in 0..per_group {
                let n = format!("nb{nb}");
                add_unit(
                    doc,
                    unit(n.clone(), UnitKind::Neighbourhood, Some(group.clone())),
                )
                .unwrap();
                org.neighbour_leaders.push(member(
                    doc,
                    format!("ll{nb}"),
                    Role::NeighbourLeader,
                    n.clone(),
                ));
                for h in 0..13 + usize::from(nb.is_multiple_of(3)) {
                    let id = format!("h{nb}-{h}");
                    add_unit(doc, unit(id.clone(), UnitKind::Household, Some(n.clone()))).unwrap();
                    org.households.push(id);
                }
                nb += 1;
            }
        }
    }
    org.committee
        .push(member(doc, "town0".into(), Role::Town, "area0".into()));
    org.committee
        .push(member(doc, "town1".into(), Role::Town, "area0".into()));
    doc.commit();
    org
}

/// One concern's life: record, 2 supports, claim, escalate, claim, resolve,
/// feedback (8 events); every other one is then reopened, claimed, resolved
/// and rated again (12 events): 10 on average.
fn concern_life(doc: &mut AutoCommit, org: &Org, i: usize) {
    let ll = &org.neighbour_leaders[i % org.neighbour_leaders.len()];
    let gl = &org.group_leaders[i % org.group_leaders.len()];
    let household = &org.households[(i * 7) % org.households.len()];
    let at = |h: i64| T0 + (i as i64) * 4 * HOUR + h * HOUR;
    let id = format!("concern-{i:05}-8f3a2c71");
    let category = Category::ALL[i % Category::ALL.len()];
    let c = NewConcern {
        id: id.clone(),
        title: "楼道灯不亮，晚上老人上下楼不安全".into(),
        description: "3栋2单元，已经坏了一周".into(),
        category,
        place: Some(household.clone()),
        reporter: Reporter::Household(household.clone()),
        level: None,
        due_at: Some(at(72)),
        photos: Vec::new(),
    };
    on_device(doc, ll, |d| {
        record_concern(d, &Ctx::new(ll.as_str(), at(0)), c)
    })
    .unwrap();
    for (k, s) in [1usize, 2].into_iter().enumerate() {
        let supporter = &org.households[(i * 7 + s) % org.households.len()];
        on_device(doc, ll, |d| {
            support(d, &Ctx::new(ll.as_str(), at(k as i64 + 1)), &id, supporter)
        })
        .unwrap();
    }
    on_device(doc, ll, |d| claim(d, &Ctx::new(ll.as_str(), at(3)), &id)).unwrap();
    on_device(doc, ll, |d| {
        escalate(
            d,
            &Ctx::new(ll.as_str(), at(4)),
            &id,
            None,
            "需要组长协调物业",
        )
    })
    .unwrap();
    on_device(doc, gl, |d| claim(d, &Ctx::new(gl.as_str(), at(5)), &id)).unwrap();
    on_device(doc, gl, |d| {
        resolve(d, &Ctx::new(gl.as_str(), at(20)), &id, "物业已更换灯具")
    })
    .unwrap();
    on_device(doc, ll, |d| {
        feedback(d, &Ctx::new(ll.as_str(), at(30)), &id, 4, "")
    })
    .unwrap();
    if i.is_multiple_of(2) {
        on_device(doc, ll, |d| {
            reopen(d, &Ctx::new(ll.as_str(), at(40)), &id, "又坏了")
        })
        .unwrap();
        on_device(doc, gl, |d| claim(d, &Ctx::new(gl.as_str(), at(41)), &id)).unwrap();
        on_device(doc, gl, |d| {
            resolve(d, &Ctx::new(gl.as_str(), at(50)), &id, "换了线路")
        })
        .unwrap();
        on_device(doc, ll, |d| {
            feedback(d, &Ctx::new(ll.as_str(), at(60)), &id, 5, "满意")
        })
        .unwrap();
    }
}

fn concern_life_in_one_change(doc: &mut AutoCommit, org: &Org, i: usize) {
    SKIP_COMMIT.with(|s| s.set(true));
    concern_life(doc, org, i);
}

thread_local! {
    static SKIP_COMMIT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

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
        let cx = Ctx::new(ll.as_str(), T0 + 10_000 * HOUR + k as i64);
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
            &mut |d| resolve(d, &cx, &id, "已处理").unwrap(),
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
