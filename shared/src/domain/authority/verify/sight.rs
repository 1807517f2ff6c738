//! Whether a new change saw the change that made the object it writes into: its dependencies,
//! or theirs, reach that change. Automerge applies an operation on any object the document
//! has, so a change written on older heads (by a hand-built client) could write into an
//! object it never saw made, and be judged against a state without it.
//!
//! Cost: what a change did not see is asked of the document once per set of judged-before
//! changes it builds on ("roots"): a phone back from days offline sends a chain of changes on
//! the same old heads, one lookup for the whole chain. Among the new changes, ancestry is
//! walked through their dependencies.

use std::collections::{BTreeSet, HashMap, HashSet};

use automerge::{AutoCommit, ChangeHash};

#[derive(Default)]
pub(super) struct Sight {
    /// The dependencies of each new change.
    deps: HashMap<ChangeHash, Vec<ChangeHash>>,
    /// The changes the judge had that each new change builds on (directly or through other
    /// new changes).
    roots: HashMap<ChangeHash, BTreeSet<ChangeHash>>,
    /// The changes not seen from each set of roots.
    unseen_from: HashMap<BTreeSet<ChangeHash>, HashSet<ChangeHash>>,
    answers: HashMap<(ChangeHash, ChangeHash), bool>,
}

impl Sight {
    /// A new change, in causal order (as `get_changes` lists them).
    pub(super) fn add(&mut self, hash: ChangeHash, deps: &[ChangeHash]) {
        let mut roots = BTreeSet::new();
        for d in deps {
            match self.roots.get(d) {
                Some(r) => roots.extend(r.iter().copied()),
                None => {
                    roots.insert(*d);
                }
            }
        }
        self.roots.insert(hash, roots);
        self.deps.insert(hash, deps.to_vec());
    }

    /// Whether new change `change` saw change `made`.
    pub(super) fn saw(
        &mut self,
        doc: &mut AutoCommit,
        change: ChangeHash,
        made: ChangeHash,
    ) -> bool {
        if change == made {
            return true;
        }
        if let Some(answer) = self.answers.get(&(change, made)) {
            return *answer;
        }
        let answer = if self.deps.contains_key(&made) {
            self.new_ancestor(change, made)
        } else {
            let roots = self.roots.get(&change).cloned().unwrap_or_default();
            roots.contains(&made)
                || !self
                    .unseen_from
                    .entry(roots)
                    .or_insert_with_key(|roots| {
                        let heads: Vec<ChangeHash> = roots.iter().copied().collect();
                        doc.get_changes(&heads).iter().map(|c| c.hash()).collect()
                    })
                    .contains(&made)
        };
        self.answers.insert((change, made), answer);
        answer
    }

    /// Whether new change `made` is an ancestor of new change `change`.
    fn new_ancestor(&self, change: ChangeHash, made: ChangeHash) -> bool {
        let mut stack = vec![change];
        let mut visited = HashSet::new();
        while let Some(c) = stack.pop() {
            for d in self.deps.get(&c).into_iter().flatten() {
                if *d == made {
                    return true;
                }
                if self.deps.contains_key(d) && visited.insert(*d) {
                    stack.push(*d);
                }
            }
        }
        false
    }
}
