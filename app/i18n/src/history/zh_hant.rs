use super::HistoryStrings;
use linli_shared::domain::Part;

pub static ZH_HANT: HistoryStrings = HistoryStrings {
    show: "查看修改紀錄",
    hide: "收起修改紀錄",
    heading: "修改紀錄",
    empty: "還沒有修改紀錄。",
    no_time: "時間不詳",
    unknown_member: "某位成員",
    names_need_network: "有的修改人要連網後才能顯示姓名。",
    notes_heading: "誰寫了哪些紀錄",
    minutes: "會議紀要",
    after_name: "：",
    times: crate::Plural::same("（{0} 次）"),
    refused_heading: "沒有被接受的修改（已另存在這台手機上）：",
    part,
};

fn part(p: Part) -> &'static str {
    match p {
        Part::Recorded => "新建",
        Part::Details => "修改內容",
        Part::Status => "更新狀態",
        Part::Level => "調整層級",
        Part::Deadline => "辦理期限",
        Part::Timeline => "辦理過程",
        Part::Supporters => "我也反映",
        Part::Photos => "照片",
        Part::Resolution => "辦結說明",
        Part::Feedback => "回訪評價",
        Part::Withdrawn => "撤回或合併",
        Part::Attendance => "參會人員",
        Part::Agenda => "議題",
        Part::Minutes => "會議紀要",
        Part::ItemNotes => "議題紀錄",
        Part::Decision => "決議",
        Part::Votes => "表決",
        Part::FollowUps => "跟進事項",
        Part::Concerns => "民情",
        Part::OrgTree => "網格（片、組、鄰、戶）",
        Part::Members => "成員",
        Part::Funds => "微基金",
        Part::Meetings => "議事會",
        Part::Visits => "走訪",
        Part::Tasks => "任務清單",
        Part::ServiceOrders => "服務日點單",
        Part::Other => "其他",
    }
}
