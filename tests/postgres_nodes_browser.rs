//! Two relay nodes on one PostgreSQL (`--database`), both serving the built app: phone A
//! (headless Chromium, 360×640) on node 1 creates the community and a meeting, phone B on
//! node 2 joins through an invite link made on node 1, and both type into one item's notes
//! at once. Then PostgreSQL crashes while A types a line: A's phone says 同步中 and no
//! error, and once the database is back the line reaches B on node 2 without a reload.

use std::time::{Duration, Instant};

use linli_testkit::postgres::PgCluster;
use linli_testkit::RelayBuilder;
use linli_tests::steps::*;
use linli_tests::{eventually, Browser, Chromedriver, RelayProcess};
use tokio::sync::Mutex;

/// Each test drives two Chromiums, two relays and a PostgreSQL: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

const TITLE: &str = "十一月小区议事会";
/// A small phone's screen.
const SMALL_PHONE: (u32, u32) = (360, 640);
/// How long the database stays down after node 1 failed to store A's line.
const DOWN_FOR: Duration = Duration::from_secs(15);

/// A node serving the app, on the shared database; its log kept for the test to read.
fn node(database: &str) -> RelayProcess {
    RelayBuilder::temporary(None)
        .serving_app()
        .args(&["--database", database])
        .logging("warn")
        .start()
}

struct TwoNodes {
    pg: PgCluster,
    one: RelayProcess,
    _two: RelayProcess,
    _driver: Chromedriver,
    /// On node 1.
    a: Browser,
    /// On node 2.
    b: Browser,
}

/// A creates the community on node 1 and makes an invite there; B opens the link on node 2
/// and joins; A creates a meeting with one item, B finds it in the list and checks in.
async fn meeting_on_two_nodes(database: &str) -> TwoNodes {
    let pg = PgCluster::start();
    let url = pg.create_database(database);
    let (one, two) = (node(&url), node(&url));
    let driver = Chromedriver::start();
    let a = Browser::launch_sized(&driver, "A", SMALL_PHONE).await;
    let b = Browser::launch_sized(&driver, "B", SMALL_PHONE).await;
    let invite = create_community_as(&a, &one.http_url, "兴东社区", "王主任").await;
    assert!(invite.starts_with(&one.http_url), "{invite}");
    join_as(&b, &invite.replace(&one.http_url, &two.http_url), "李物业").await;
    assert!(
        b.js("return location.origin;").await.as_str() == Some(two.http_url.as_str()),
        "B is on node 2"
    );
    create_meeting(&a, TITLE, "3栋加装电梯").await;
    open_meeting_from_list(&b, TITLE).await;
    TwoNodes {
        pg,
        one,
        _two: two,
        _driver: driver,
        a,
        b,
    }
}

impl TwoNodes {
    async fn close(self) {
        self.a.close().await;
        self.b.close().await;
    }
}

/// What phone `who` types in `round`: unique, so every string can be found.
fn said(who: &str, round: usize) -> String {
    format!("[{who}{round}：同意，先问一楼住户意见]")
}

/// Both phones type at once, `rounds` times; returns everything typed once the notes are
/// the same on both, holding every line.
async fn co_edit(n: &TwoNodes, rounds: std::ops::Range<usize>) -> Vec<String> {
    let mut typed = Vec::new();
    for round in rounds {
        let (sa, sb) = (said("甲", round), said("乙", round));
        tokio::join!(type_notes(&n.a, &sa), type_notes(&n.b, &sb));
        typed.extend([sa, sb]);
    }
    converged(&[&n.a, &n.b], &typed).await;
    typed
}

/// What a phone shows about syncing: the badge's state and words, and every alert on screen
/// (an error the person must act on).
#[derive(Debug, PartialEq)]
struct Shown {
    status: String,
    words: String,
    alerts: Vec<String>,
}

async fn shown(b: &Browser) -> Shown {
    let v = b
        .js(
            "const e = document.querySelector('[data-testid=sync-status]');
             const alerts = [...document.querySelectorAll('[role=alert]')]
               .filter(a => a.getClientRects().length > 0).map(a => a.textContent.trim());
             return [e ? e.dataset.status : null, e ? e.textContent.trim() : null, alerts];",
        )
        .await;
    let s = |i: usize| v[i].as_str().unwrap_or("(no badge)").to_string();
    let alerts = v[2]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    Shown {
        status: s(0),
        words: s(1),
        alerts,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn phones_on_two_nodes_co_edit_a_meetings_notes_live() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let n = meeting_on_two_nodes("co_edit").await;
    let typed = co_edit(&n, 0..3).await;
    for p in [&n.a, &n.b] {
        let text = notes(p).await;
        for line in &typed {
            assert_eq!(
                text.matches(line.as_str()).count(),
                1,
                "{line} once on {}",
                p.name
            );
        }
    }
    wait_status(&n.a, "synced").await;
    wait_status(&n.b, "synced").await;
    n.b.screenshot("pg-nodes-01-converged-B").await;
    eprintln!("co-edit across nodes took {:?}", started.elapsed());
    n.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_line_typed_while_postgres_is_down_reaches_the_other_node_once_it_is_back() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let n = meeting_on_two_nodes("crash").await;
    let mut typed = co_edit(&n, 0..1).await;
    wait_status(&n.a, "synced").await;
    // Gone if anything reloads either page.
    for p in [&n.a, &n.b] {
        p.js("window.__sameLoad = true;").await;
    }

    n.pg.crash();
    let during = said("甲-断库", 1);
    type_notes(&n.a, &during).await;
    eventually(PAGE, "node 1 fails to store A's line", || async {
        n.one
            .output()
            .contains("cannot store changes")
            .then_some(())
    })
    .await;
    // Node 1 closed A's socket; A reconnects to it again and again while the database is
    // down. All along A's phone says 同步中 (the relay answers, it does not hold the line
    // yet): not 离线, and no error for the person to act on.
    let failed = Instant::now();
    let mut seen: Vec<(Duration, Shown)> = Vec::new();
    while failed.elapsed() < DOWN_FOR {
        let now = shown(&n.a).await;
        if seen.last().map(|(_, s)| s) != Some(&now) {
            seen.push((failed.elapsed(), now));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    n.a.screenshot("pg-nodes-02-database-down-A").await;
    eprintln!("A while the database is down: {seen:#?}");
    let syncing = Shown {
        status: "syncing".into(),
        words: "同步中".into(),
        alerts: Vec::new(),
    };
    assert!(
        seen.iter().all(|(_, s)| *s == syncing),
        "A's phone must say 同步中 and nothing else: {seen:#?}"
    );
    assert!(notes(&n.a).await.contains(&during), "A keeps its line");
    assert!(
        !notes(&n.b).await.contains(&during),
        "B cannot have A's line while the database is down"
    );
    let b = shown(&n.b).await;
    eprintln!("B meanwhile: {b:?}");
    assert!(b.alerts.is_empty(), "B shows an error: {b:?}");

    n.pg.restart();
    let restarted = Instant::now();
    typed.push(during);
    converged(&[&n.a, &n.b], &typed).await;
    eprintln!(
        "A's line reached B on node 2 {:?} after the restart",
        restarted.elapsed()
    );
    wait_status(&n.a, "synced").await;
    for p in [&n.a, &n.b] {
        let same = p.js("return window.__sameLoad === true;").await;
        assert_eq!(same.as_bool(), Some(true), "{} was reloaded", p.name);
    }
    n.b.screenshot("pg-nodes-03-after-restart-B").await;
    eprintln!("took {:?}", started.elapsed());
    n.close().await;
}
