//! Two honest phones syncing one document, to show the relay keeps serving them while
//! something hostile happens elsewhere.

use std::time::Duration;

use automerge::transaction::Transactable;
use automerge::ROOT;
use linli_shared::wire::DocumentId;

use crate::native_client::{new_doc_id, NativeClient};

pub struct HonestPair {
    pub a: NativeClient,
    pub b: NativeClient,
    pub doc: DocumentId,
}

impl HonestPair {
    /// `a` creates a document (`n` = `0`) the relay stored, and `b` has opened it.
    pub async fn start(url: &str) -> HonestPair {
        let (mut a, mut b) = (NativeClient::new("honest-a"), NativeClient::new("honest-b"));
        let honest = new_doc_id();
        a.connect(url).await;
        b.connect(url).await;
        a.edit(honest, |d| d.put(ROOT, "n", "0").map(drop).unwrap())
            .await;
        a.wait_until("stored", |c| c.is_synced(honest)).await;
        b.open(honest).await;
        b.wait_until("opened", |c| c.string(honest, "n").is_some())
            .await;
        HonestPair { a, b, doc: honest }
    }

    /// `a` sets `n` to `round`; true if `b` has it within `within`.
    pub async fn round(&mut self, round: usize, within: Duration) -> bool {
        self.timed_round(round, within, false).await
    }

    /// Like [`HonestPair::round`], and `a` also learns within `within` that the relay has it.
    pub async fn acknowledged_round(&mut self, round: usize, within: Duration) -> bool {
        self.timed_round(round, within, true).await
    }

    async fn timed_round(&mut self, round: usize, within: Duration, acknowledged: bool) -> bool {
        let (a, b, doc) = (&mut self.a, &mut self.b, self.doc);
        let value = round.to_string();
        let put = value.clone();
        a.edit(doc, move |d| d.put(ROOT, "n", put).map(drop).unwrap())
            .await;
        tokio::time::timeout(within, async {
            b.wait_until("the honest change", |c| {
                c.string(doc, "n").as_deref() == Some(value.as_str())
            })
            .await;
            if acknowledged {
                a.wait_until("a acknowledged", |c| c.is_synced(doc)).await;
            }
        })
        .await
        .is_ok()
    }
}
