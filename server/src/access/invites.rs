//! Invites in the registry: made by an admin (or the operator, to give a community whose
//! admins lost their phones a new admin), listed and cancelled by admins, used by joining.
//! Only a hash of an invite's token is kept; its id alone cancels it but admits nobody.

use linli_shared::api::{Grant, InviteRow, InviteToken, MemberRow, OPERATOR};
use linli_shared::domain::Role;
use linli_shared::wire::DocumentId;

use super::registry::{
    granted, new_member, Community, Invite, Registry, MAX_INVITE_HOURS, MAX_INVITE_USES,
};
use super::secret;
use super::ApiRefusal;

/// Who makes an invite and what it grants beyond its role.
struct Maker {
    created_by: String,
    admin: bool,
}

impl Registry {
    /// An invite for `role` that admits `max_uses` phones until `now + ttl_seconds`.
    pub fn create_invite(
        &mut self,
        admin: &MemberRow,
        role: Role,
        ttl_seconds: u64,
        max_uses: u32,
        now: u64,
    ) -> Result<InviteToken, ApiRefusal> {
        check_ttl(ttl_seconds)?;
        if !(1..=MAX_INVITE_USES).contains(&max_uses) {
            return Err(ApiRefusal::InvalidUses);
        }
        let maker = Maker {
            created_by: admin.member_id.clone(),
            admin: false,
        };
        let community = self.admin_community(admin)?;
        Ok(add_invite(
            community,
            maker,
            role,
            ttl_seconds,
            max_uses,
            now,
        ))
    }

    /// The operator's invite: one phone joins `community` as an admin with `role`. For a
    /// community whose every admin phone is lost (no admin is left to invite one).
    pub fn operator_invite(
        &mut self,
        community: &DocumentId,
        role: Role,
        ttl_seconds: u64,
        now: u64,
    ) -> Result<InviteToken, ApiRefusal> {
        check_ttl(ttl_seconds)?;
        let community = self
            .communities
            .get_mut(&community.to_string())
            .map(std::sync::Arc::make_mut)
            .ok_or(ApiRefusal::NoSuchCommunity)?;
        let maker = Maker {
            created_by: OPERATOR.into(),
            admin: true,
        };
        Ok(add_invite(community, maker, role, ttl_seconds, 1, now))
    }

    /// The admin's community's open invites (not expired, not used up), oldest first.
    pub fn open_invites(&self, admin: &MemberRow, now: u64) -> Result<Vec<InviteRow>, ApiRefusal> {
        let community = self.active_admin(admin)?;
        Ok(community
            .invites
            .iter()
            .filter(|i| i.is_open(now))
            .map(invite_row)
            .collect())
    }

    /// Cancels an invite of the admin's community: nobody more joins through it.
    pub fn cancel_invite(&mut self, admin: &MemberRow, invite_id: &str) -> Result<(), ApiRefusal> {
        let community = self.admin_community(admin)?;
        let before = community.invites.len();
        community.invites.retain(|i| i.id != invite_id);
        if community.invites.len() == before {
            return Err(ApiRefusal::NoSuchInvite);
        }
        Ok(())
    }

    /// Exchanges a valid invite for a new member credential; uses one of its uses. The
    /// member records the invite and who made it.
    pub fn join(&mut self, token: &str, now: u64) -> Result<Grant, ApiRefusal> {
        let refused = ApiRefusal::InviteExpired;
        let (id, secret) = secret::split(token).ok_or(refused)?;
        let key = self
            .communities
            .iter()
            .find(|(_, c)| c.invites.iter().any(|i| i.id == id))
            .map(|(key, _)| key.clone())
            .ok_or(refused)?;
        let community = self.communities.get_mut(&key).ok_or(refused)?;
        let invite = community
            .invites
            .iter()
            .find(|i| i.id == id)
            .filter(|i| secret::matches(secret, &i.token_sha256) && i.expires_at > now)
            .ok_or(refused)?;
        if invite.uses >= invite.max_uses {
            return Err(ApiRefusal::InviteUsedUp);
        }
        // Copied (if shared) only once the join is sure to change it.
        let community = std::sync::Arc::make_mut(community);
        let invite = community.invites.iter_mut().find(|i| i.id == id);
        let invite = invite.expect("found above");
        invite.uses += 1;
        let (credential, mut member) = new_member(invite.role, invite.admin);
        member.invite_id = Some(invite.id.clone());
        member.invited_by = Some(invite.created_by.clone());
        community.members.push(member.clone());
        self.index_member(&key, &member.id);
        Ok(granted(key, (credential, member)))
    }
}

fn check_ttl(ttl_seconds: u64) -> Result<(), ApiRefusal> {
    if (1..=MAX_INVITE_HOURS * 3600).contains(&ttl_seconds) {
        Ok(())
    } else {
        Err(ApiRefusal::InvalidTtl)
    }
}

/// Adds a fresh invite (dropping those no longer open); the token is returned, only its
/// hash kept.
fn add_invite(
    community: &mut Community,
    maker: Maker,
    role: Role,
    ttl_seconds: u64,
    max_uses: u32,
    now: u64,
) -> InviteToken {
    let id = secret::random_id();
    let issued = secret::issue(&id);
    let expires_at = now + ttl_seconds;
    community.invites.retain(|i| i.is_open(now));
    community.invites.push(Invite {
        id: id.clone(),
        token_sha256: issued.hash,
        role,
        expires_at,
        created_by: maker.created_by,
        max_uses,
        uses: 0,
        admin: maker.admin,
    });
    InviteToken {
        id,
        token: issued.token,
        expires_at,
        max_uses,
    }
}

fn invite_row(i: &Invite) -> InviteRow {
    InviteRow {
        id: i.id.clone(),
        role: i.role,
        admin: i.admin,
        max_uses: i.max_uses,
        uses: i.uses,
        expires_at: i.expires_at,
        created_by: i.created_by.clone(),
    }
}

#[cfg(test)]
#[path = "invites_tests.rs"]
mod tests;
