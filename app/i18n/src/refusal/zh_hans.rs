use super::RefusalStrings;
use linli_shared::domain::{Action, Field, RecordKind, Rule, UnitKind};

fn field(f: Field) -> &'static str {
    match f {
        Field::CommunityId => "社区编号",
        Field::CommunityName => "社区名称",
        Field::UnitId => "单位编号",
        Field::UnitName => "名称",
        Field::MemberId => "成员编号",
        Field::MemberName => "姓名",
        Field::ConcernId => "民情编号",
        Field::Title => "民情内容",
        Field::ResolutionSummary => "办结情况",
        Field::ReopenReason => "重新办理的原因",
        Field::EscalationReason => "上报原因",
        Field::Supporter => "支持人",
        Field::Photo => "照片",
        Field::PhotoId => "照片编号",
        Field::PhotoType => "照片格式",
        Field::MeetingId => "会议编号",
        Field::MeetingTitle => "会议主题",
        Field::ParticipantId => "参会人",
        Field::AgendaItemId => "议题编号",
        Field::AgendaItemTitle => "议题",
        Field::Decision => "决定内容",
        Field::FollowUpId => "跟进事项编号",
        Field::FollowUpTitle => "跟进事项",
        Field::FollowUpOwner => "负责人",
        Field::VisitId => "走访编号",
        Field::TaskId => "任务编号",
        Field::TaskTitle => "任务内容",
        Field::TaskOwner => "负责人",
        Field::OrderId => "服务单编号",
        Field::OrderRequest => "服务需求",
        Field::ExpenseId => "支出编号",
        Field::ExpensePurpose => "支出用途",
        Field::Description => "详细情况",
        Field::Reporter => "反映人",
        Field::FeedbackComment => "回访意见",
        Field::MeetingPlace => "会议地点",
        Field::OrderResident => "服务对象",
        Field::VisitNote => "走访记录",
        Field::WithdrawReason => "删除原因",
        Field::MeetingNotes => "会议记录",
    }
}

fn record(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Unit => "单位",
        RecordKind::Member => "成员",
        RecordKind::Concern => "民情",
        RecordKind::Meeting => "会议",
        RecordKind::Participant => "参会人",
        RecordKind::AgendaItem => "议题",
        RecordKind::FollowUp => "跟进事项",
        RecordKind::ConcernLinks => "关联民情",
        RecordKind::FollowUpLinks => "关联跟进事项",
        RecordKind::Visit => "走访记录",
        RecordKind::Task => "任务",
        RecordKind::ServiceOrder => "服务单",
        RecordKind::Expense => "支出",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Claim => "认领",
        Action::Escalate => "上报",
        Action::Resolve => "办结",
        Action::GiveFeedback => "回访评价",
        Action::Reopen => "重新办理",
        Action::Support => "支持",
        Action::Release => "退回",
        Action::Take => "接单",
        Action::Withdraw => "删除",
        Action::Merge => "合并",
    }
}

fn unit(u: UnitKind) -> &'static str {
    match u {
        UnitKind::Area => "片",
        UnitKind::Group => "组",
        UnitKind::Neighbourhood => "邻",
        UnitKind::Household => "户",
    }
}

fn rule(r: Rule) -> &'static str {
    match r {
        Rule::AboveOwnLevel => "这条民情已经上报到比你更高的一级，请由那一级的同志认领和办理。",
        Rule::BeyondReach => "你只能上报到村（社区）两委；更高一级请由两委上报。",
        Rule::NotRaiserOrResolver => {
            "回访评价由记录这条民情或办结它的人填写，或由两委、镇（街道）的同志填写。"
        }
        Rule::ManagersOnly => "组织架构、成员和微基金由两委、镇（街道）的同志或社区管理员管理。",
        Rule::OwnRoleOnly => "只能按你被邀请时的身份填写；要改身份，请找两委或社区管理员。",
        Rule::ConvenorsOnly => "议事会由组长、片长或两委发起；请联系你的组长。",
        Rule::NotConvenor => "会议的决定由发起会议的人或两委、镇（街道）的同志记录。",
        Rule::NotTheAuthor => "只能以你自己的名义记录；不能替别人署名。",
        Rule::NotClaimant => "这条民情已由别人认领，只有认领人能继续办理。",
        Rule::NotRecorder => "只有记录它的人或两委、镇（街道）的同志能撤回这条记录。",
    }
}

pub static ZH_HANS: RefusalStrings = RefusalStrings {
    field,
    record,
    action,
    unit,
    rule,
    not_initialized: "社区资料还没同步到这台手机，请稍候再试。",
    already_initialized: "这个社区已经建立过了。",
    no_meeting: "会议资料还没同步到这台手机，请稍候再试。",
    empty: "请填写{0}。",
    already_exists: "这条{0}已经记录过了。",
    not_found: "找不到这条{0}（可能还没同步过来）。",
    illegal_transition: "这条民情现在不能{0}（可能别人刚刚处理过）。",
    not_claimant: "只有认领这条民情的人才能{0}。",
    already_claimed: "你已经认领了这条民情。",
    not_higher: "只能上报到更高一级。",
    at_top_level: "这条民情已经在最高一级，不能再上报。",
    satisfaction_out_of_range: "请先选择满意度（1 到 5 星）。",
    already_supporting: "你已经表示过支持了。",
    not_participant: "你不是这次会议的参会人。",
    already_decided: "这个议题已经有决定了。",
    already_done: "这项跟进事项已经完成了。",
    out_of_range: "位置不对，请刷新后再试。",
    non_positive_amount: "金额必须大于 0。",
    wrong_parent: "{0}必须放在某个{1}下面。",
    top_unit: "{0}是最上一级，不能放在别的单位下面。",
    too_long: "{0}太长了，最多 {1} 个字。",
    withdrawn: "这条{0}已经删除（记错了），不能再改动。",
    not_recorder: "只有记录人，或两委、镇（街道）的成员，才能{0}。",
    merge_into_self: "不能合并到它自己，请选另一条民情。",
    malformed: "这份资料无法读取，请更新应用后再试。",
};
