use super::AccessStrings;
use linli_shared::api::ApiRefusal;

pub static ZH_HANT: AccessStrings = AccessStrings {
    invite_title: "邀請成員",
    invite_intro:
        "選擇角色，生成邀請連結和二維碼，發給要加入的代表。連結 72 小時內有效，預設只能讓一部手機加入。",
    invite_role_label: "角色",
    create_invite: "生成邀請",
    invite_link_label: "邀請連結",
    invite_valid: crate::Plural::same("72 小時內有效，可加入 {0} 部手機"),
    qr_title: "邀請二維碼",
    members_title: "成員",
    revoke: "撤銷",
    revoked_badge: "已撤銷",
    admin_badge: "管理員",
    me_badge: "我",
    unnamed_member: "（未填寫資料）",
    offline: "沒有網路，請連網後再試。",
    join_hint: "要加入已有的社區，請打開管理員發給你的邀請連結，或掃描邀請二維碼。",
    join_refused: "這個邀請連結無效、已過期或已用完，請向社區管理員要一個新的。",
    join_offline: "沒有網路，暫時無法加入。連網後請重新打開邀請連結。",
    revoked_message:
        "你在這個社區的權限已被管理員撤銷，這部手機不再同步。如需繼續，請向管理員要新的邀請。",
    registration_pending: "社區尚未在伺服器登記，連網後會自動登記並同步。",
    needs_invite: "這部手機沒有這個社區的成員憑證，請透過邀請連結重新加入。",
    invite_uses_label: "可加入幾部手機",
    copy_link: "複製連結",
    share_link: "分享",
    share_text: "用這個連結加入我們社區的鄰里工作台：",
    copied: "已複製",
    copy_selected: "連結已選取，請長按複製。",
    revoke_confirm: "撤銷後，這部手機不能再同步本社區。確定撤銷？",
    revoke_yes: "確定撤銷",
    cancel: "取消",
    revoked_toggle: "已撤銷（{n}）",
    joined: "已加入{name}",
    dismiss: "知道了",
    role_from_invite: "（由邀請確定）",
    edit_profile: "修改",
    open_invites_title: "還能用的邀請",
    no_open_invites: "沒有還能用的邀請。",
    invite_uses: "已加入 {used}/{max} 部手機",
    invite_hours_left: "{h} 小時後失效",
    admin_invite_badge: "管理員邀請",
    cancel_invite: "作廢",
    cancel_invite_confirm: "作廢後，這個連結不能再讓手機加入，已加入的成員不受影響。確定作廢？",
    cancel_invite_yes: "確定作廢",
    make_admin: "設為管理員",
    make_admin_confirm: "設為管理員後，他也能邀請和撤銷成員。確定？",
    make_admin_yes: "確定設為管理員",
    remove_admin: "取消管理員",
    remove_admin_confirm: "取消後，他不能再邀請和撤銷成員。確定？",
    remove_admin_yes: "確定取消管理員",
    invited_by: "邀請人：{name}",
    operator_name: "伺服器管理員",
    refusal,
    refused_other: "伺服器沒有接受這次操作，請稍後再試。",
};

fn refusal(refusal: ApiRefusal) -> &'static str {
    match refusal {
        ApiRefusal::CredentialRequired => "這部手機的登入已失效，請向管理員要一個新的邀請連結。",
        ApiRefusal::UnknownRole => "手機上的應用版本與伺服器不一致，請重新整理頁面後再試。",
        ApiRefusal::NotADocumentId => "手機上的應用版本與伺服器不一致，請重新整理頁面後再試。",
        ApiRefusal::MalformedCredential => "手機上的應用版本與伺服器不一致，請重新整理頁面後再試。",
        ApiRefusal::InvalidUses => "可加入的手機數要在 1 到 100 之間。",
        ApiRefusal::InvalidTtl => "邀請的有效時間不對，請重新產生。",
        ApiRefusal::RegistrationClosed => {
            "這台伺服器不能自行建立社區，請聯絡鎮（街道）資訊辦開通。"
        }
        ApiRefusal::OperatorOnly => "只有伺服器管理員能做這件事。",
        ApiRefusal::AdminOnly => "只有社區管理員能做這件事。",
        ApiRefusal::MembershipRevoked => "你已被移出這個社區。",
        ApiRefusal::InviteExpired => "這個邀請連結已失效或被取消，請向管理員要一個新的。",
        ApiRefusal::InviteUsedUp => "這個邀請連結已經用完了，請向管理員要一個新的。",
        ApiRefusal::NoSuchCommunity => "伺服器上找不到這個社區。",
        ApiRefusal::NoSuchMember => "這個社區裡找不到這位成員，可能已被移出。請重新整理後再看。",
        ApiRefusal::NoSuchInvite => {
            "這個邀請已經不在了（已用完、過期或被取消）。請重新整理後再看。"
        }
        ApiRefusal::AlreadyRegistered => "這個社區已經建立過了。",
        ApiRefusal::MemberIdTaken => "這部手機的編號已被佔用，請重新整理頁面後再試。",
        ApiRefusal::CannotRevokeSelf => "不能撤銷自己。請讓另一位管理員來做。",
        ApiRefusal::LastAdmin => "社區至少要保留一位管理員。請先讓另一位成員成為管理員。",
        ApiRefusal::AlreadyRevoked => "這位成員已經被撤銷了。",
        ApiRefusal::TooManyTickets => "連線太頻繁，請稍等一會兒再試。",
        ApiRefusal::TooManyActors => "修改紀錄太多，一次查不完。",
        ApiRefusal::NotStored => "伺服器暫時無法儲存，請稍後再試。",
    }
}
