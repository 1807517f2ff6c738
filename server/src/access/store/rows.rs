//! Writing what a change changed: the rows of each community whose `Arc` differs from the one
//! last stored, compared member by member, invite by invite, link by link (by id and place in
//! their list) and documents as a set.

use std::collections::BTreeSet;
use std::io;
use std::sync::Arc;

use rusqlite::{params, Transaction};

use super::{empty, sql, Communities};
use crate::access::registry::Community;

pub(super) fn write_changes(
    tx: &Transaction<'_>,
    stored: &Communities,
    now: &Communities,
) -> io::Result<usize> {
    let none = empty();
    let mut rows = 0;
    let keys: BTreeSet<&String> = stored.keys().chain(now.keys()).collect();
    for key in keys {
        let (old, new) = (stored.get(key), now.get(key));
        if let (Some(old), Some(new)) = (old, new) {
            if Arc::ptr_eq(old, new) {
                continue;
            }
        }
        if old.is_none() {
            tx.execute("INSERT INTO communities (key) VALUES (?1)", [key])
                .map_err(sql)?;
            rows += 1;
        }
        let old: &Community = old.map_or(&none, |c| c);
        let new: &Community = match new {
            Some(c) => c,
            None => {
                for table in [
                    "communities",
                    "members",
                    "invites",
                    "documents",
                    "report_links",
                ] {
                    let column = if table == "communities" {
                        "key"
                    } else {
                        "community"
                    };
                    let statement = format!("DELETE FROM {table} WHERE {column} = ?1");
                    rows += tx.execute(&statement, [key]).map_err(sql)?;
                }
                continue;
            }
        };
        rows += write_community(tx, key, old, new)?;
    }
    Ok(rows)
}

/// The rows of one community that changed: members, invites and links by id and place in
/// their list, documents as a set.
fn write_community(
    tx: &Transaction<'_>,
    key: &str,
    old: &Community,
    new: &Community,
) -> io::Result<usize> {
    let mut rows = 0;
    let put_member = "INSERT OR REPLACE INTO members (community, id, seq, role, admin, \
         credential_sha256, revoked, invite_id, invited_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    for (seq, m) in new.members.iter().enumerate() {
        if old.members.get(seq) != Some(m) {
            let p = params![
                key,
                m.id,
                seq,
                m.role.as_str(),
                m.admin,
                m.credential_sha256,
                m.revoked,
                m.invite_id,
                m.invited_by
            ];
            rows += tx.execute(put_member, p).map_err(sql)?;
        }
    }
    rows += delete_gone(
        tx,
        "members",
        key,
        old.members.iter().map(|m| &m.id),
        new.members.iter().map(|m| &m.id),
    )?;
    let put_invite = "INSERT OR REPLACE INTO invites (community, id, seq, token_sha256, role, \
         expires_at, created_by, max_uses, uses, admin) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
    for (seq, i) in new.invites.iter().enumerate() {
        if old.invites.get(seq) != Some(i) {
            let p = params![
                key,
                i.id,
                seq,
                i.token_sha256,
                i.role.as_str(),
                i.expires_at,
                i.created_by,
                i.max_uses,
                i.uses,
                i.admin
            ];
            rows += tx.execute(put_invite, p).map_err(sql)?;
        }
    }
    rows += delete_gone(
        tx,
        "invites",
        key,
        old.invites.iter().map(|i| &i.id),
        new.invites.iter().map(|i| &i.id),
    )?;
    for doc in new.documents.difference(&old.documents) {
        let statement = "INSERT OR IGNORE INTO documents (community, doc) VALUES (?1, ?2)";
        rows += tx.execute(statement, params![key, doc]).map_err(sql)?;
    }
    for doc in old.documents.difference(&new.documents) {
        let statement = "DELETE FROM documents WHERE community = ?1 AND doc = ?2";
        rows += tx.execute(statement, params![key, doc]).map_err(sql)?;
    }
    let put_link = "INSERT OR REPLACE INTO report_links (community, id, seq, token, place, \
         place_name, made_by, made_at, revoked_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
    for (seq, l) in new.report_links.iter().enumerate() {
        if old.report_links.get(seq) != Some(l) {
            let p = params![
                key,
                l.id,
                seq,
                l.token,
                l.place,
                l.place_name,
                l.made_by,
                l.made_at,
                l.revoked_at
            ];
            rows += tx.execute(put_link, p).map_err(sql)?;
        }
    }
    rows += delete_gone(
        tx,
        "report_links",
        key,
        old.report_links.iter().map(|l| &l.id),
        new.report_links.iter().map(|l| &l.id),
    )?;
    Ok(rows)
}

/// Deletes the rows of `table` whose ids were in `old` and are not in `new`.
fn delete_gone<'a>(
    tx: &Transaction<'_>,
    table: &str,
    key: &str,
    old: impl Iterator<Item = &'a String>,
    new: impl Iterator<Item = &'a String>,
) -> io::Result<usize> {
    let kept: BTreeSet<&String> = new.collect();
    let statement = format!("DELETE FROM {table} WHERE community = ?1 AND id = ?2");
    let mut rows = 0;
    for id in old.filter(|id| !kept.contains(id)) {
        rows += tx.execute(&statement, params![key, id]).map_err(sql)?;
    }
    Ok(rows)
}
