//! Writing a change's rows (`rows.rs`) to `registry.sqlite`.

use std::io;

use super::{row_changes, sql, Communities, RowChange, COMMUNITY_TABLES};

/// Writes the rows that differ between `stored` and `now`; returns how many it wrote.
pub(super) fn write_changes(
    tx: &rusqlite::Transaction<'_>,
    stored: &Communities,
    now: &Communities,
) -> io::Result<usize> {
    use rusqlite::params;
    let mut written = 0;
    for row in row_changes(stored, now) {
        written += match row {
            RowChange::AddCommunity(key) => {
                tx.execute("INSERT INTO communities (key) VALUES (?1)", [key])
            }
            RowChange::DeleteCommunity(key) => {
                let mut n = tx.execute("DELETE FROM communities WHERE key = ?1", [key]);
                for table in COMMUNITY_TABLES {
                    let statement = format!("DELETE FROM {table} WHERE community = ?1");
                    n = n.and_then(|n| Ok(n + tx.execute(&statement, [key])?));
                }
                n
            }
            RowChange::PutMember(key, seq, m) => tx.execute(
                "INSERT OR REPLACE INTO members (community, id, seq, role, admin, \
                 credential_sha256, revoked, invite_id, invited_by) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                params![
                    key,
                    m.id,
                    seq,
                    m.role.as_str(),
                    m.admin,
                    m.credential_sha256,
                    m.revoked,
                    m.invite_id,
                    m.invited_by
                ],
            ),
            RowChange::PutInvite(key, seq, i) => tx.execute(
                "INSERT OR REPLACE INTO invites (community, id, seq, token_sha256, role, \
                 expires_at, created_by, max_uses, uses, admin) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                params![
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
                ],
            ),
            RowChange::PutLink(key, seq, l) => tx.execute(
                "INSERT OR REPLACE INTO report_links (community, id, seq, token, place, \
                 place_name, made_by, made_at, revoked_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                params![
                    key,
                    l.id,
                    seq,
                    l.token,
                    l.place,
                    l.place_name,
                    l.made_by,
                    l.made_at,
                    l.revoked_at
                ],
            ),
            RowChange::Delete(table, key, id) => tx.execute(
                &format!("DELETE FROM {table} WHERE community = ?1 AND id = ?2"),
                params![key, id],
            ),
            RowChange::AddDocument(key, doc) => tx.execute(
                "INSERT OR IGNORE INTO documents (community, doc) VALUES (?1, ?2)",
                params![key, doc],
            ),
            RowChange::RemoveDocument(key, doc) => tx.execute(
                "DELETE FROM documents WHERE community = ?1 AND doc = ?2",
                params![key, doc],
            ),
        }
        .map_err(sql)?;
    }
    Ok(written)
}
