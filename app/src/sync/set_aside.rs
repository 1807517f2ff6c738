//! Documents the relay keeps refusing. `doc-unavailable` usually means "not arrived yet"
//! (another phone is still sending it), so it is asked again soon. But when this phone
//! holds changes to the document that the relay never acknowledged — it is trying to
//! write it — and the relay refuses it again and again, the document is not this
//! community's (a member may not write it): it is set aside. It stays on the phone
//! (nothing is deleted), is tried again only on a new connection, and the person is told.

use linli_shared::wire::DocumentId;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Refusals of a document with unsent changes before it is set aside.
const REFUSALS_BEFORE_SET_ASIDE: u32 = 3;

/// What the relay refused, per document; owned by the connection.
#[derive(Default)]
pub struct SetAside {
    /// Refusals in a row while this phone held changes the relay lacks.
    refusals: RefCell<BTreeMap<DocumentId, u32>>,
    /// Set aside: no quick retry.
    documents: RefCell<BTreeSet<DocumentId>>,
}

impl SetAside {
    /// The relay answered `doc-unavailable` for `id` while this phone holds `unsent` changes
    /// to it that the relay never acknowledged. Returns whether to ask again soon.
    pub fn refused(&self, id: DocumentId, unsent: usize) -> bool {
        if self.documents.borrow().contains(&id) {
            return false;
        }
        if unsent == 0 {
            // Only asking for it: it may not have arrived yet.
            self.refusals.borrow_mut().remove(&id);
            return true;
        }
        let mut refusals = self.refusals.borrow_mut();
        let n = refusals.entry(id).or_default();
        *n += 1;
        if *n < REFUSALS_BEFORE_SET_ASIDE {
            return true;
        }
        refusals.remove(&id);
        self.documents.borrow_mut().insert(id);
        false
    }

    /// The relay acknowledged `id` after all: it is no longer set aside.
    pub fn accepted(&self, id: DocumentId) {
        self.refusals.borrow_mut().remove(&id);
        self.documents.borrow_mut().remove(&id);
    }

    pub fn contains(&self, id: DocumentId) -> bool {
        self.documents.borrow().contains(&id)
    }
}
