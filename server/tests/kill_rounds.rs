//! Issue 4's crash-safety test: clients stream changes to several documents while the relay
//! is killed with SIGKILL at random moments and restarted, many rounds. Every change a client
//! saw confirmed (the relay's heads covered it) must be there afterwards.
//!
//! The kill times come from a seed printed at the start; `KILL_SEED=<n>` replays a run.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use linli_shared::wire::DocumentId;
use linli_testkit::native_client::{new_doc_id, NativeClient};
use linli_testkit::RelayProcess;

const ROUNDS: usize = 12;
const CLIENTS: usize = 3;

/// xorshift64*: enough randomness for kill times, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// One client streaming edits `n = 0, 1, 2, …` (key `e<n>`) to its own document.
struct Streamer {
    client: NativeClient,
    doc: DocumentId,
    next: u64,
    /// Every edit below this was confirmed by the relay.
    confirmed: u64,
}

impl Streamer {
    async fn connect(&mut self, url: &str) {
        self.client.connect(url).await;
        self.client.open(self.doc).await;
    }

    /// One edit, then a few milliseconds of the relay's answers. False once the relay is gone.
    async fn step(&mut self) -> bool {
        let n = self.next;
        self.next += 1;
        let sent = self
            .client
            .edit_or_drop(self.doc, move |d| {
                d.put(ROOT, format!("e{n}"), n as i64).map(drop).unwrap()
            })
            .await;
        if !sent {
            return false;
        }
        let closed = self.client.pump_for(Duration::from_millis(4)).await;
        if self.client.is_synced(self.doc) {
            self.confirmed = self.next;
        }
        closed.is_none()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_changes_survive_sigkill_at_random_moments() {
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        | 1;
    eprintln!("KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let data = tempfile::tempdir().unwrap();
    let mut streamers: Vec<Streamer> = (0..CLIENTS)
        .map(|i| Streamer {
            client: NativeClient::new(&format!("streamer-{i}")),
            doc: new_doc_id(),
            next: 0,
            confirmed: 0,
        })
        .collect();

    for round in 0..ROUNDS {
        let relay = RelayProcess::start(data.path());
        let url = relay.sync_url();
        for s in &mut streamers {
            s.connect(&url).await;
        }
        let pid = relay.pid().to_string();
        let after = Duration::from_millis(20 + rng.below(400));
        let killer = std::thread::spawn(move || {
            std::thread::sleep(after);
            std::process::Command::new("kill")
                .args(["-KILL", &pid])
                .status()
                .unwrap();
        });
        let mut alive = [true; CLIENTS];
        while alive.iter().any(|a| *a) {
            for (s, alive) in streamers.iter_mut().zip(alive.iter_mut()) {
                if *alive {
                    *alive = s.step().await;
                }
            }
        }
        killer.join().unwrap();
        drop(relay);
        for s in &mut streamers {
            s.client.disconnect();
        }
        let confirmed: Vec<u64> = streamers.iter().map(|s| s.confirmed).collect();
        eprintln!("round {round}: killed after {after:?}; confirmed {confirmed:?}");
    }

    let relay = RelayProcess::start(data.path());
    let url = relay.sync_url();
    let mut total = 0;
    for s in &streamers {
        let mut reader = NativeClient::new("reader");
        reader.connect(&url).await;
        reader.open(s.doc).await;
        let want = s.confirmed;
        reader
            .wait_until("every confirmed edit is back", |c| {
                (0..want).all(|n| {
                    c.docs
                        .get(&s.doc)
                        .is_some_and(|d| d.get(ROOT, format!("e{n}")).ok().flatten().is_some())
                })
            })
            .await;
        total += want;
    }
    assert!(
        total > (ROUNDS * CLIENTS) as u64,
        "too few confirmed edits ({total}) for the test to mean anything"
    );
}
