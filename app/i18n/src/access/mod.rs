//! Text of community access: invites, the member list, joining, revocation.

mod en;
mod zh_hans;
mod zh_hant;

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

pub struct AccessStrings {
    pub invite_title: &'static str,
    pub invite_intro: &'static str,
    pub invite_role_label: &'static str,
    pub create_invite: &'static str,
    pub invite_link_label: &'static str,
    /// Below the QR code: how long the invite works and for how many phones (`{n}`).
    pub invite_valid: crate::Plural,
    pub qr_title: &'static str,
    pub members_title: &'static str,
    pub revoke: &'static str,
    pub revoked_badge: &'static str,
    pub admin_badge: &'static str,
    pub me_badge: &'static str,
    pub unnamed_member: &'static str,
    pub failed: &'static str,
    pub offline: &'static str,
    /// Start screen: how to join.
    pub join_hint: &'static str,
    pub join_refused: &'static str,
    pub join_offline: &'static str,
    pub revoked_message: &'static str,
    pub registration_pending: &'static str,
    pub needs_invite: &'static str,
    pub invite_uses_label: &'static str,
    pub copy_link: &'static str,
    pub share_link: &'static str,
    /// What a shared invite says above the link.
    pub share_text: &'static str,
    pub copied: &'static str,
    /// Copying was not possible: the link is selected for the person to copy.
    pub copy_selected: &'static str,
    pub revoke_confirm: &'static str,
    pub revoke_yes: &'static str,
    pub cancel: &'static str,
    /// The toggle over revoked members (`{n}`).
    pub revoked_toggle: &'static str,
    /// Once, after joining (`{name}` is the community's name).
    pub joined: &'static str,
    pub dismiss: &'static str,
    /// Beside the role an invite fixed.
    pub role_from_invite: &'static str,
    pub edit_profile: &'static str,
}
