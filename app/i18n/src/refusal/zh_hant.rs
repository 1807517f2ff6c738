use super::RefusalStrings;
use linli_shared::domain::{Action, Field, RecordKind, Rule, UnitKind};

fn field(f: Field) -> &'static str {
    match f {
        Field::CommunityId => "社區編號",
        Field::CommunityName => "社區名稱",
        Field::UnitId => "單位編號",
        Field::UnitName => "名稱",
        Field::MemberId => "成員編號",
        Field::MemberName => "姓名",
        Field::ConcernId => "民情編號",
        Field::Title => "民情內容",
        Field::ResolutionSummary => "辦結情況",
        Field::ReopenReason => "重新辦理的原因",
        Field::EscalationReason => "上報原因",
        Field::Supporter => "支持人",
        Field::Photo => "照片",
        Field::PhotoId => "照片編號",
        Field::PhotoType => "照片格式",
        Field::MeetingId => "會議編號",
        Field::MeetingTitle => "會議主題",
        Field::ParticipantId => "參會人",
        Field::AgendaItemId => "議題編號",
        Field::AgendaItemTitle => "議題",
        Field::Decision => "決定內容",
        Field::FollowUpId => "跟進事項編號",
        Field::FollowUpTitle => "跟進事項",
        Field::FollowUpOwner => "負責人",
        Field::VisitId => "走訪編號",
        Field::TaskId => "任務編號",
        Field::TaskTitle => "任務內容",
        Field::TaskOwner => "負責人",
        Field::OrderId => "服務單編號",
        Field::OrderRequest => "服務需求",
        Field::ExpenseId => "支出編號",
        Field::ExpensePurpose => "支出用途",
        Field::Description => "詳細情況",
        Field::Reporter => "反映人",
        Field::FeedbackComment => "回訪意見",
        Field::MeetingPlace => "會議地點",
        Field::OrderResident => "服務對象",
        Field::VisitNote => "走訪記錄",
        Field::WithdrawReason => "刪除原因",
        Field::MeetingNotes => "會議記錄",
    }
}

fn record(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Unit => "單位",
        RecordKind::Member => "成員",
        RecordKind::Concern => "民情",
        RecordKind::Meeting => "會議",
        RecordKind::Participant => "參會人",
        RecordKind::AgendaItem => "議題",
        RecordKind::FollowUp => "跟進事項",
        RecordKind::ConcernLinks => "關聯民情",
        RecordKind::FollowUpLinks => "關聯跟進事項",
        RecordKind::Visit => "走訪紀錄",
        RecordKind::Task => "任務",
        RecordKind::ServiceOrder => "服務單",
        RecordKind::Expense => "支出",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Claim => "認領",
        Action::Escalate => "上報",
        Action::Resolve => "辦結",
        Action::GiveFeedback => "回訪評價",
        Action::Reopen => "重新辦理",
        Action::Support => "支持",
        Action::Release => "退回",
        Action::Take => "接單",
        Action::Withdraw => "刪除",
        Action::Merge => "合併",
    }
}

fn unit(u: UnitKind) -> &'static str {
    match u {
        UnitKind::Area => "片",
        UnitKind::Group => "組",
        UnitKind::Neighbourhood => "鄰",
        UnitKind::Household => "戶",
    }
}

fn rule(r: Rule) -> &'static str {
    match r {
        Rule::AboveOwnLevel => "這條民情已經上報到比你更高的一級，請由那一級的同志認領和辦理。",
        Rule::BeyondReach => "你只能上報到村（社區）兩委；更高一級請由兩委上報。",
        Rule::NotRaiserOrResolver => {
            "回訪評價由記錄這條民情或辦結它的人填寫，或由兩委、鎮（街道）的同志填寫。"
        }
        Rule::ManagersOnly => "組織架構、成員和微基金由兩委、鎮（街道）的同志或社區管理員管理。",
        Rule::OwnRoleOnly => "只能按你被邀請時的身份填寫；要改身份，請找兩委或社區管理員。",
        Rule::ConvenorsOnly => "議事會由組長、片長或兩委發起；請聯繫你的組長。",
        Rule::NotConvenor => "會議的決定由發起會議的人或兩委、鎮（街道）的同志記錄。",
        Rule::NotTheAuthor => "只能以你自己的名義記錄；不能替別人署名。",
        Rule::NotClaimant => "這條民情已由別人認領，只有認領人能繼續辦理。",
        Rule::NotRecorder => "只有記錄它的人或兩委、鎮（街道）的同志能撤回這條記錄。",
    }
}

pub static ZH_HANT: RefusalStrings = RefusalStrings {
    field,
    record,
    action,
    unit,
    rule,
    not_initialized: "社區資料還沒同步到這台手機，請稍候再試。",
    already_initialized: "這個社區已經建立過了。",
    no_meeting: "會議資料還沒同步到這台手機，請稍候再試。",
    empty: "請填寫{0}。",
    already_exists: "這條{0}已經記錄過了。",
    not_found: "找不到這條{0}（可能還沒同步過來）。",
    illegal_transition: "這條民情現在不能{0}（可能別人剛剛處理過）。",
    not_claimant: "只有認領這條民情的人才能{0}。",
    already_claimed: "你已經認領了這條民情。",
    not_higher: "只能上報到更高一級。",
    at_top_level: "這條民情已經在最高一級，不能再上報。",
    satisfaction_out_of_range: "請先選擇滿意度（1 到 5 星）。",
    already_supporting: "你已經表示過支持了。",
    not_participant: "你不是這次會議的參會人。",
    already_decided: "這個議題已經有決定了。",
    already_done: "這項跟進事項已經完成了。",
    out_of_range: "位置不對，請重新整理後再試。",
    non_positive_amount: "金額必須大於 0。",
    wrong_parent: "{0}必須放在某個{1}下面。",
    top_unit: "{0}是最上一級，不能放在別的單位下面。",
    too_long: "{0}太長了，最多 {1} 個字。",
    withdrawn: "這條{0}已經刪除（記錯了），不能再改動。",
    not_recorder: "只有記錄人，或兩委、鎮（街道）的成員，才能{0}。",
    merge_into_self: "不能合併到它自己，請選另一條民情。",
    malformed: "這份資料無法讀取，請更新應用程式後再試。",
};
