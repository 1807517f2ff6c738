//! 吹哨 report links in the registry: made by a member for a 邻 or 组 of its community (the
//! API checks the place against the community document and passes its kind), listed by the
//! community's members, revoked by their maker or an admin, and found by token when a resident
//! opens one. A revoked link stays on record (who made it, when it stopped).

use linli_shared::api::{MemberRow, ReportLinkRow};
use linli_shared::domain::{Role, UnitKind};
use linli_shared::wire::DocumentId;
use serde::{Deserialize, Serialize};

use super::registry::Registry;
use super::secret;
use super::ApiRefusal;

/// Live links one member may hold at once (a hostile member cannot grow the registry).
pub const MAX_LIVE_LINKS_PER_MEMBER: usize = 50;
/// Links a community keeps, live and lately revoked (made and revoked in a loop, links would
/// otherwise pile up).
pub const MAX_LINKS_PER_COMMUNITY: usize = 500;
/// A revoked link's page says "revoked" this long; then the link is forgotten (its page says
/// "unknown").
pub const KEEP_REVOKED_SECS: u64 = 30 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLink {
    pub id: String,
    /// What the QR code holds (`/r/<token>`): 16 random bytes, hex.
    pub token: String,
    /// The unit id of the 邻 or 组.
    pub place: String,
    /// Its name when the link was made (the resident page says where the report goes).
    #[serde(default)]
    pub place_name: String,
    pub made_by: String,
    /// Unix seconds.
    pub made_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<u64>,
}

impl ReportLink {
    pub fn row(&self) -> ReportLinkRow {
        ReportLinkRow {
            id: self.id.clone(),
            place: self.place.clone(),
            token: self.token.clone(),
            made_by: self.made_by.clone(),
            made_at: self.made_at,
            revoked_at: self.revoked_at,
        }
    }
}

impl Registry {
    /// A new link for `place` (a unit of `kind` in the member's community document). A 邻长
    /// makes links for a 邻; 组长 and above, and admins, for a 邻 or a 组. `place_name`: the
    /// unit's name, shown on the resident page.
    pub fn create_report_link(
        &mut self,
        member: &MemberRow,
        place: &str,
        (kind, place_name): (UnitKind, &str),
        now: u64,
    ) -> Result<ReportLinkRow, ApiRefusal> {
        let may = match kind {
            UnitKind::Neighbourhood => true,
            UnitKind::Group => member.admin || member.role != Role::NeighbourLeader,
            UnitKind::Area | UnitKind::Household => return Err(ApiRefusal::NoSuchPlace),
        };
        if !may {
            return Err(ApiRefusal::PlaceBeyondRole);
        }
        let community = self.member_community(member)?;
        let mut forgotten = Vec::new();
        community.report_links.retain(|l| {
            let keep = l
                .revoked_at
                .is_none_or(|at| now.saturating_sub(at) < KEEP_REVOKED_SECS);
            if !keep {
                forgotten.push(l.token.clone());
            }
            keep
        });
        let kept = community.report_links.len();
        let live = community
            .report_links
            .iter()
            .filter(|l| l.made_by == member.member_id && l.revoked_at.is_none())
            .count();
        let full = live >= MAX_LIVE_LINKS_PER_MEMBER || kept >= MAX_LINKS_PER_COMMUNITY;
        for token in &forgotten {
            self.unindex_report_link(token);
        }
        if full {
            return Err(ApiRefusal::TooManyReportLinks);
        }
        let community = self.member_community(member)?;
        let link = ReportLink {
            id: secret::random_id(),
            token: secret::random_id() + &secret::random_id(),
            place: place.to_string(),
            place_name: place_name.to_string(),
            made_by: member.member_id.clone(),
            made_at: now,
            revoked_at: None,
        };
        let row = link.row();
        community.report_links.push(link);
        let key = member.community_doc_id.clone();
        self.index_report_link(&row.token, &key);
        Ok(row)
    }

    /// The community's live links.
    pub fn report_links(&self, member: &MemberRow) -> Result<Vec<ReportLinkRow>, ApiRefusal> {
        let community = self
            .communities
            .get(&member.community_doc_id)
            .filter(|_| !member.revoked)
            .ok_or(ApiRefusal::NoSuchCommunity)?;
        Ok(community
            .report_links
            .iter()
            .filter(|l| l.revoked_at.is_none())
            .map(ReportLink::row)
            .collect())
    }

    /// Stops a link at once: its page says so and takes nothing more.
    pub fn revoke_report_link(
        &mut self,
        member: &MemberRow,
        link_id: &str,
        now: u64,
    ) -> Result<ReportLinkRow, ApiRefusal> {
        let community = self.member_community(member)?;
        let link = community
            .report_links
            .iter_mut()
            .find(|l| l.id == link_id && l.revoked_at.is_none())
            .ok_or(ApiRefusal::NoSuchReportLink)?;
        if link.made_by != member.member_id && !member.admin {
            return Err(ApiRefusal::NotLinkMaker);
        }
        link.revoked_at = Some(now);
        Ok(link.row())
    }

    /// The link whose token is `token` (revoked ones too) and its community.
    pub fn report_link(&self, token: &str) -> Option<(DocumentId, ReportLink)> {
        let key = self.report_link_community(token)?;
        let link = self
            .communities
            .get(key)?
            .report_links
            .iter()
            .find(|l| l.token == token)?;
        Some((key.parse().ok()?, link.clone()))
    }

    fn member_community(
        &mut self,
        member: &MemberRow,
    ) -> Result<&mut super::registry::Community, ApiRefusal> {
        if member.revoked {
            return Err(ApiRefusal::MembershipRevoked);
        }
        self.communities
            .get_mut(&member.community_doc_id)
            .map(std::sync::Arc::make_mut)
            .ok_or(ApiRefusal::NoSuchCommunity)
    }
}

#[cfg(test)]
mod tests;
