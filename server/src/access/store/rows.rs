//! What a change changed, as rows: the rows of each community whose `Arc` differs from the one
//! last stored, compared member by member, invite by invite, link by link (by id and place in
//! their list) and documents as a set. Each store writes them in its own SQL (SQLite here,
//! PostgreSQL in `crate::database::registry`).

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{empty, Communities};
use crate::access::registry::{Community, Invite, Member};
use crate::access::report_links::ReportLink;

/// One row to write; `seq` is the place in the community's list.
pub enum RowChange<'a> {
    AddCommunity(&'a str),
    /// The community and every row of it.
    DeleteCommunity(&'a str),
    PutMember(&'a str, usize, &'a Member),
    PutInvite(&'a str, usize, &'a Invite),
    PutLink(&'a str, usize, &'a ReportLink),
    /// `(table, community, id)`: a member, invite or link that is gone.
    Delete(&'static str, &'a str, &'a str),
    AddDocument(&'a str, &'a str),
    RemoveDocument(&'a str, &'a str),
}

/// The tables a community's rows are in, besides `communities` (keyed `key`).
pub const COMMUNITY_TABLES: [&str; 4] = ["members", "invites", "documents", "report_links"];

/// Every row that differs between `stored` and `now`.
pub fn row_changes<'a>(stored: &'a Communities, now: &'a Communities) -> Vec<RowChange<'a>> {
    let mut rows = Vec::new();
    let keys: BTreeSet<&String> = stored.keys().chain(now.keys()).collect();
    for key in keys {
        let (old, new) = (stored.get(key), now.get(key));
        if let (Some(old), Some(new)) = (old, new) {
            if Arc::ptr_eq(old, new) {
                continue;
            }
        }
        match (old, new) {
            (_, None) => rows.push(RowChange::DeleteCommunity(key)),
            (None, Some(new)) => {
                rows.push(RowChange::AddCommunity(key));
                community_rows(key, &EMPTY, new, &mut rows);
            }
            (Some(old), Some(new)) => community_rows(key, old, new, &mut rows),
        }
    }
    rows
}

static EMPTY: std::sync::LazyLock<Community> = std::sync::LazyLock::new(empty);

fn community_rows<'a>(
    key: &'a str,
    old: &'a Community,
    new: &'a Community,
    rows: &mut Vec<RowChange<'a>>,
) {
    for (seq, m) in new.members.iter().enumerate() {
        if old.members.get(seq) != Some(m) {
            rows.push(RowChange::PutMember(key, seq, m));
        }
    }
    gone(rows, "members", key, &old.members, &new.members, |m| &m.id);
    for (seq, i) in new.invites.iter().enumerate() {
        if old.invites.get(seq) != Some(i) {
            rows.push(RowChange::PutInvite(key, seq, i));
        }
    }
    gone(rows, "invites", key, &old.invites, &new.invites, |i| &i.id);
    for doc in new.documents.difference(&old.documents) {
        rows.push(RowChange::AddDocument(key, doc));
    }
    for doc in old.documents.difference(&new.documents) {
        rows.push(RowChange::RemoveDocument(key, doc));
    }
    for (seq, l) in new.report_links.iter().enumerate() {
        if old.report_links.get(seq) != Some(l) {
            rows.push(RowChange::PutLink(key, seq, l));
        }
    }
    let (old_links, new_links) = (&old.report_links, &new.report_links);
    gone(rows, "report_links", key, old_links, new_links, |l| &l.id);
}

/// A delete for each item of `old` whose id is not in `new`.
fn gone<'a, T>(
    rows: &mut Vec<RowChange<'a>>,
    table: &'static str,
    key: &'a str,
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&'a T) -> &'a String,
) {
    let kept: BTreeSet<&String> = new.iter().map(&id).collect();
    for item in old {
        let item_id = id(item);
        if !kept.contains(item_id) {
            rows.push(RowChange::Delete(table, key, item_id));
        }
    }
}
