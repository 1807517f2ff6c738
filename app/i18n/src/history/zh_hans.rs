use super::HistoryStrings;
use linli_shared::domain::Part;

pub static ZH_HANS: HistoryStrings = HistoryStrings {
    show: "查看修改记录",
    hide: "收起修改记录",
    heading: "修改记录",
    empty: "还没有修改记录。",
    no_time: "时间不详",
    unknown_member: "某位成员",
    names_need_network: "有的修改人要联网后才能显示姓名。",
    notes_heading: "谁写了哪些记录",
    minutes: "会议纪要",
    after_name: "：",
    times: crate::Plural::same("（{0} 次）"),
    refused_heading: "没有被接受的修改（已另存在这台手机上）：",
    part,
};

fn part(p: Part) -> &'static str {
    match p {
        Part::Recorded => "新建",
        Part::Details => "修改内容",
        Part::Status => "更新状态",
        Part::Level => "调整层级",
        Part::Deadline => "办理期限",
        Part::Timeline => "办理过程",
        Part::Supporters => "我也反映",
        Part::Photos => "照片",
        Part::Resolution => "办结说明",
        Part::Feedback => "回访评价",
        Part::Withdrawn => "撤回或合并",
        Part::Attendance => "参会人员",
        Part::Agenda => "议题",
        Part::Minutes => "会议纪要",
        Part::ItemNotes => "议题记录",
        Part::Decision => "决议",
        Part::Votes => "表决",
        Part::FollowUps => "跟进事项",
        Part::Concerns => "民情",
        Part::OrgTree => "网格（片、组、邻、户）",
        Part::Members => "成员",
        Part::Funds => "微基金",
        Part::Meetings => "议事会",
        Part::Visits => "走访",
        Part::Tasks => "任务清单",
        Part::ServiceOrders => "服务日点单",
        Part::Other => "其他",
    }
}
