//! This phone's member as the authority rules (`linli_shared::domain::may`) see it: its role
//! and whether it is an admin. The views ask it what to offer, and the writer puts it in every
//! command's `Ctx`, so an honest phone never makes a change the rules refuse.
//!
//! The role is the one the relay granted with the invite; a community's creator has none from
//! an invite and holds the role of its profile in the community document.

use crate::community::{use_community, CommunityView};
use crate::i18n::use_i18n;
use crate::session::{use_session, Membership, Session};
use leptos::prelude::*;
use linli_shared::domain::{self, Act, Author, Role, Rule};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub member: String,
    pub role: Option<Role>,
    pub admin: bool,
}

impl Standing {
    /// From the session's membership (tracked) and the community document as `community` read it.
    pub fn of(session: Session, community: &CommunityView) -> Standing {
        let profile = || community.my_record().map(|m| m.role);
        Standing::from(community.me.clone(), session.membership.get(), profile)
    }

    /// The same, read now without tracking (for a command about to run).
    pub fn now(session: Session) -> Option<Standing> {
        let ws = session.workspace()?;
        let profile = || ws.my_profile_role();
        let membership = session.membership.get_untracked();
        Some(Standing::from(ws.member_id.clone(), membership, profile))
    }

    /// The invite's role, else the profile's; the admin flag of the membership.
    fn from(
        member: String,
        membership: Option<Membership>,
        profile: impl FnOnce() -> Option<Role>,
    ) -> Standing {
        Standing {
            member,
            role: membership
                .as_ref()
                .and_then(|m| m.invited_as)
                .or_else(profile),
            admin: membership.is_some_and(|m| m.admin),
        }
    }

    /// Whether the rules let this member do `act`, and if not, which rule says no.
    pub fn may(&self, act: Act<'_>) -> Result<(), Rule> {
        domain::may(
            &Author {
                member: &self.member,
                role: self.role,
                admin: self.admin,
            },
            &act,
        )
    }
}

/// This phone's standing, again whenever its membership or the community document changes.
pub fn use_standing() -> Memo<Standing> {
    let session = use_session();
    let community = use_community();
    Memo::new(move |_| community.0.with(|c| Standing::of(session, c)))
}

/// Says, in place of what the member's role does not allow, which rule keeps it back.
#[component]
pub fn NotAllowed(rule: Rule) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted not-allowed" data-testid="not-allowed" data-rule=rule.as_str()>
            {move || i18n.t(|s| (s.refusal.rule)(rule))}
        </p>
    }
}
