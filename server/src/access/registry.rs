//! Communities, their members, invites and documents: the access data, without IO.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use linli_shared::api::{Grant, MemberRow};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;
use serde::{Deserialize, Deserializer, Serialize};

use super::report_links::ReportLink;
use super::secret;
use super::ApiRefusal;
use crate::core::Principal;

/// Longest invite lifetime.
pub const MAX_INVITE_HOURS: u64 = 24 * 30;
/// Most phones one invite may admit (an admin chooses 1 to this; 1 unless they do).
pub const MAX_INVITE_USES: u32 = 100;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Registry {
    /// Keyed by the community document id. Changed only through the methods of `Registry`,
    /// which keep [`Index`] in step; read it with [`Registry::communities`].
    /// Shared, copied on write: an update copies the map, not the communities, and changes
    /// only the ones it touches (the store writes those, `store.rs`).
    pub(super) communities: BTreeMap<String, Arc<Community>>,
    #[serde(skip)]
    index: Index,
}

/// Where each member and each document is: the core asks for every message whether the
/// member is active and who owns the document, and a scan of every community and member
/// cost about as much as the rest of a message at a city's size (`examples/registry_scale`).
#[derive(Debug, Clone, Default)]
struct Index {
    /// Member id → its community's key.
    members: Shards,
    /// Document id → the key of the community that owns it.
    owners: Shards,
    /// Report link token → the key of its community (`report_links.rs`).
    report_links: Shards,
}

impl<'de> Deserialize<'de> for Registry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Stored {
            communities: BTreeMap<String, Arc<Community>>,
        }
        let stored = Stored::deserialize(deserializer)?;
        Ok(Registry::from_communities(stored.communities))
    }
}

impl Registry {
    /// A registry of these communities, indexed.
    pub(super) fn from_communities(communities: BTreeMap<String, Arc<Community>>) -> Registry {
        let mut registry = Registry {
            communities,
            index: Index::default(),
        };
        let all: Vec<(String, Arc<Community>)> = registry
            .communities
            .iter()
            .map(|(k, c)| (k.clone(), c.clone()))
            .collect();
        for (key, community) in &all {
            registry.index_community(key, community);
        }
        registry
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub members: Vec<Member>,
    pub invites: Vec<Invite>,
    /// Documents owned by the community: its community document and what members created.
    pub documents: BTreeSet<String>,
    /// 吹哨 report links, revoked ones included (`report_links.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report_links: Vec<ReportLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    /// Stored as [`Role::as_str`], as before roles were typed.
    pub role: Role,
    pub admin: bool,
    /// SHA-256 (hex) of the credential's secret part.
    pub credential_sha256: String,
    pub revoked: bool,
    /// The invite that admitted the member (none for a community's first admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_id: Option<String>,
    /// Who made that invite: an admin's member id, or `api::OPERATOR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: String,
    pub token_sha256: String,
    pub role: Role,
    /// Unix seconds.
    pub expires_at: u64,
    pub created_by: String,
    /// How many phones the invite admits. Invites stored before uses were counted have no
    /// such field: they admit one more phone.
    #[serde(default = "one_use")]
    pub max_uses: u32,
    /// How many phones it admitted.
    #[serde(default)]
    pub uses: u32,
    /// Joining through it makes an admin (the operator's recovery invites).
    #[serde(default)]
    pub admin: bool,
}

fn one_use() -> u32 {
    1
}

impl Invite {
    /// Neither expired nor used up.
    pub fn is_open(&self, now: u64) -> bool {
        self.expires_at > now && self.uses < self.max_uses
    }
}

impl Registry {
    /// Creates `doc` as a community with one admin member.
    pub fn create_community(&mut self, doc: DocumentId, role: Role) -> Result<Grant, ApiRefusal> {
        self.create_community_as(doc, role, None)
    }

    /// Like [`Registry::create_community`], with the admin's credential chosen by the app
    /// (`<member id>.<64 hex>`): a phone that created the community offline keeps the member
    /// id it already writes under, and a retry whose answer was lost gets the same answer.
    pub fn create_community_as(
        &mut self,
        doc: DocumentId,
        role: Role,
        proposed: Option<&str>,
    ) -> Result<Grant, ApiRefusal> {
        let key = doc.to_string();
        if let Some(credential) = proposed {
            let retry = self
                .member(credential)
                .filter(|m| m.community_doc_id == key && m.admin && !m.revoked);
            if let Some(m) = retry {
                return Ok(Grant {
                    community_doc_id: key,
                    member_id: m.member_id,
                    credential: credential.into(),
                    role: m.role,
                    admin: true,
                    ticket: None,
                });
            }
        }
        if self.communities.contains_key(&key) || self.owner(&doc).is_some() {
            return Err(ApiRefusal::AlreadyRegistered);
        }
        let issued = match proposed {
            Some(credential) => self.proposed_admin(credential, role)?,
            None => new_member(role, true),
        };
        self.communities.insert(
            key.clone(),
            Arc::new(Community {
                members: vec![issued.1.clone()],
                invites: Vec::new(),
                documents: BTreeSet::from([key.clone()]),
                report_links: Vec::new(),
            }),
        );
        self.index.members.insert(issued.1.id.clone(), key.clone());
        self.index.owners.insert(key.clone(), key.clone());
        Ok(granted(key, issued))
    }

    fn proposed_admin(&self, credential: &str, role: Role) -> Result<(String, Member), ApiRefusal> {
        let (id, secret) = secret::split(credential)
            .filter(|(id, _)| id.len() >= 8 && !id.chars().any(|c| c.is_ascii_uppercase()))
            .ok_or(ApiRefusal::MalformedCredential)?;
        if self.find_member(id).is_some() {
            return Err(ApiRefusal::MemberIdTaken);
        }
        let member = Member {
            id: id.into(),
            role,
            admin: true,
            credential_sha256: secret::hash(secret),
            revoked: false,
            invite_id: None,
            invited_by: None,
        };
        Ok((credential.into(), member))
    }

    /// The member a credential belongs to (revoked members included).
    pub fn member(&self, credential: &str) -> Option<MemberRow> {
        let (id, secret) = secret::split(credential)?;
        let (community, member) = self.find_member(id)?;
        secret::matches(secret, &member.credential_sha256).then(|| member_row(community, member))
    }

    /// The principal of a valid, unrevoked credential.
    pub fn authenticate(&self, credential: &str) -> Option<Principal> {
        let m = self.member(credential).filter(|m| !m.revoked)?;
        Some(Principal {
            member_id: m.member_id,
            community: m.community_doc_id.parse().ok()?,
            role: Some(m.role),
            admin: m.admin,
        })
    }

    /// Whether `member_id` exists and is not revoked.
    pub fn is_active(&self, member_id: &str) -> bool {
        self.find_member(member_id).is_some_and(|(_, m)| !m.revoked)
    }

    pub fn revoke(&mut self, admin: &MemberRow, member_id: &str) -> Result<(), ApiRefusal> {
        if admin.member_id == member_id {
            return Err(ApiRefusal::CannotRevokeSelf);
        }
        let community = self.admin_community(admin)?;
        let member = community
            .members
            .iter_mut()
            .find(|m| m.id == member_id)
            .ok_or(ApiRefusal::NoSuchMember)?;
        member.revoked = true;
        Ok(())
    }

    /// Makes `member_id` an admin (`make`) or no longer one; a community keeps at least one
    /// active admin. The member as it is afterwards.
    pub fn set_admin(
        &mut self,
        admin: &MemberRow,
        member_id: &str,
        make: bool,
    ) -> Result<MemberRow, ApiRefusal> {
        let community = self.admin_community(admin)?;
        let others = community
            .members
            .iter()
            .filter(|m| m.admin && !m.revoked && m.id != member_id)
            .count();
        let member = community
            .members
            .iter_mut()
            .find(|m| m.id == member_id)
            .ok_or(ApiRefusal::NoSuchMember)?;
        if member.revoked {
            return Err(ApiRefusal::AlreadyRevoked);
        }
        if !make && others == 0 {
            return Err(ApiRefusal::LastAdmin);
        }
        member.admin = make;
        Ok(member_row(&admin.community_doc_id, member))
    }

    pub fn members(&self, admin: &MemberRow) -> Result<Vec<MemberRow>, ApiRefusal> {
        let community = self.active_admin(admin)?;
        Ok(community
            .members
            .iter()
            .map(|m| member_row(&admin.community_doc_id, m))
            .collect())
    }

    /// Every community, keyed by its community document id.
    pub fn communities(&self) -> &BTreeMap<String, Arc<Community>> {
        &self.communities
    }

    /// The community that owns `doc`.
    pub fn owner(&self, doc: &DocumentId) -> Option<DocumentId> {
        self.index.owners.get(&doc.to_string())?.parse().ok()
    }

    /// Records that `community` owns the new document `doc`.
    pub fn claim(&mut self, doc: &DocumentId, community: &DocumentId) -> bool {
        let key = community.to_string();
        match self.communities.get_mut(&key).map(Arc::make_mut) {
            Some(c) => {
                let doc = doc.to_string();
                self.index.owners.insert_if_absent(doc.clone(), || key);
                c.documents.insert(doc)
            }
            None => false,
        }
    }

    pub(super) fn find_member(&self, member_id: &str) -> Option<(&str, &Member)> {
        let (key, community) = self
            .communities
            .get_key_value(self.index.members.get(member_id)?)?;
        let member = community.members.iter().find(|m| m.id == member_id)?;
        Some((key.as_str(), member))
    }

    /// The community key of a report link's token.
    pub(super) fn report_link_community(&self, token: &str) -> Option<&str> {
        self.index.report_links.get(token).map(String::as_str)
    }

    /// A report link was made in the community at `key`.
    pub(super) fn index_report_link(&mut self, token: &str, key: &str) {
        self.index
            .report_links
            .insert_if_absent(token.to_string(), || key.to_string());
    }

    /// A report link was forgotten.
    pub(super) fn unindex_report_link(&mut self, token: &str) {
        self.index.report_links.remove(token);
    }

    /// A member was added to the community at `key`.
    pub(super) fn index_member(&mut self, key: &str, member_id: &str) {
        self.index
            .members
            .insert_if_absent(member_id.to_string(), || key.to_string());
    }

    pub(super) fn active_admin(&self, admin: &MemberRow) -> Result<&Community, ApiRefusal> {
        if !admin.admin || admin.revoked {
            return Err(ApiRefusal::AdminOnly);
        }
        self.communities
            .get(&admin.community_doc_id)
            .map(|c| &**c)
            .ok_or(ApiRefusal::NoSuchCommunity)
    }

    pub(super) fn admin_community(
        &mut self,
        admin: &MemberRow,
    ) -> Result<&mut Community, ApiRefusal> {
        self.active_admin(admin)?;
        Ok(self
            .communities
            .get_mut(&admin.community_doc_id)
            .map(Arc::make_mut)
            .expect("checked above"))
    }
}

pub(super) fn new_member(role: Role, admin: bool) -> (String, Member) {
    let id = secret::random_id();
    let issued = secret::issue(&id);
    let member = Member {
        id,
        role,
        admin,
        credential_sha256: issued.hash,
        revoked: false,
        invite_id: None,
        invited_by: None,
    };
    (issued.token, member)
}

pub(super) fn granted(community: String, (credential, member): (String, Member)) -> Grant {
    Grant {
        community_doc_id: community,
        member_id: member.id,
        credential,
        role: member.role,
        admin: member.admin,
        ticket: None,
    }
}

pub(super) fn member_row(community: &str, m: &Member) -> MemberRow {
    MemberRow {
        community_doc_id: community.into(),
        member_id: m.id.clone(),
        role: m.role,
        admin: m.admin,
        revoked: m.revoked,
        invite_id: m.invite_id.clone(),
        invited_by: m.invited_by.clone(),
    }
}

mod replace;
mod shards;
use shards::Shards;
#[cfg(test)]
mod tests;
