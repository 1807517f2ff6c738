//! Reading communities whole from the registry's rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use linli_shared::domain::Role;
use postgres::GenericClient;

use crate::access::registry::{Community, Invite, Member};
use crate::access::report_links::ReportLink;
use crate::access::store::{empty, Communities};

/// The communities `keys` (all of them if `None`), read whole.
pub(super) fn load(
    c: &mut impl GenericClient,
    keys: Option<&[String]>,
) -> Result<Communities, postgres::Error> {
    let all_keys: Vec<String>;
    let keys = match keys {
        Some(keys) => keys,
        None => {
            all_keys = c
                .query("SELECT key FROM communities", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            &all_keys
        }
    };
    let mut all: BTreeMap<String, Community> = BTreeMap::new();
    for row in c.query("SELECT key FROM communities WHERE key = ANY($1)", &[&keys])? {
        all.insert(row.get(0), empty());
    }
    let rows = c.query(
        "SELECT community, id, role, admin, credential_sha256, revoked, invite_id, invited_by \
         FROM members WHERE community = ANY($1) ORDER BY community, seq",
        &[&keys],
    )?;
    for r in rows {
        if let Some(community) = all.get_mut(&r.get::<_, String>(0)) {
            community.members.push(Member {
                id: r.get(1),
                role: role(r.get(2)),
                admin: r.get(3),
                credential_sha256: r.get(4),
                revoked: r.get(5),
                invite_id: r.get(6),
                invited_by: r.get(7),
            });
        }
    }
    let rows = c.query(
        "SELECT community, id, token_sha256, role, expires_at, created_by, max_uses, uses, admin \
         FROM invites WHERE community = ANY($1) ORDER BY community, seq",
        &[&keys],
    )?;
    for r in rows {
        if let Some(community) = all.get_mut(&r.get::<_, String>(0)) {
            community.invites.push(Invite {
                id: r.get(1),
                token_sha256: r.get(2),
                role: role(r.get(3)),
                expires_at: r.get::<_, i64>(4).max(0) as u64,
                created_by: r.get(5),
                max_uses: r.get::<_, i64>(6).clamp(0, u32::MAX as i64) as u32,
                uses: r.get::<_, i64>(7).clamp(0, u32::MAX as i64) as u32,
                admin: r.get(8),
            });
        }
    }
    let rows = c.query(
        "SELECT community, doc FROM documents WHERE community = ANY($1)",
        &[&keys],
    )?;
    for r in rows {
        if let Some(community) = all.get_mut(&r.get::<_, String>(0)) {
            community.documents.insert(r.get(1));
        }
    }
    let rows = c.query(
        "SELECT community, id, token, place, place_name, made_by, made_at, revoked_at \
         FROM report_links WHERE community = ANY($1) ORDER BY community, seq",
        &[&keys],
    )?;
    for r in rows {
        if let Some(community) = all.get_mut(&r.get::<_, String>(0)) {
            community.report_links.push(ReportLink {
                id: r.get(1),
                token: r.get(2),
                place: r.get(3),
                place_name: r.get(4),
                made_by: r.get(5),
                made_at: r.get::<_, i64>(6).max(0) as u64,
                revoked_at: r.get::<_, Option<i64>>(7).map(|t| t.max(0) as u64),
            });
        }
    }
    Ok(all.into_iter().map(|(k, c)| (k, Arc::new(c))).collect())
}

/// A role as stored; one this build does not know reads as the lowest.
fn role(text: &str) -> Role {
    Role::parse(text).unwrap_or(Role::NeighbourLeader)
}
