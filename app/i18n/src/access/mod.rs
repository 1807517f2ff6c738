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
    /// The admin's list of invites that still admit phones.
    pub open_invites_title: &'static str,
    pub no_open_invites: &'static str,
    /// How many phones joined through an invite (`{used}`) of how many it admits (`{max}`).
    pub invite_uses: &'static str,
    /// When an invite stops working (`{h}` hours from now, rounded up).
    pub invite_hours_left: &'static str,
    /// On an invite that makes an admin (the relay operator's).
    pub admin_invite_badge: &'static str,
    pub cancel_invite: &'static str,
    pub cancel_invite_confirm: &'static str,
    pub cancel_invite_yes: &'static str,
    pub make_admin: &'static str,
    pub make_admin_confirm: &'static str,
    pub make_admin_yes: &'static str,
    pub remove_admin: &'static str,
    pub remove_admin_confirm: &'static str,
    pub remove_admin_yes: &'static str,
    /// Under a member: who made the invite they came with (`{name}`).
    pub invited_by: &'static str,
    /// `{name}` of [`AccessStrings::invited_by`] for the relay operator's admin invites.
    pub operator_name: &'static str,
    /// Why the relay refused an access call (invite, join, revoke, admin change …).
    pub refusal: fn(linli_shared::api::ApiRefusal) -> &'static str,
    /// A refusal this build does not know (a newer relay), or none named.
    pub refused_other: &'static str,
}
