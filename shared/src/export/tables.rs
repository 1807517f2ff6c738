//! The committee's tables (concern ledger, meeting list, member activity) with
//! Chinese column names. Free text goes through `mask_phones`: no phone number
//! leaves the phone in an export.

use crate::sort;
use std::collections::BTreeMap;

use super::{Cell, Table};
use crate::domain::{
    china_date, china_ms_of_day, Category, Concern, ConcernStatus, Level, MeetingKind, MeetingRef,
    Member, MemberId, OrgUnit, PeriodActivity, Reporter,
};
use crate::privacy::mask_phones;

/// "2026-11-02 08:00" in China time.
pub fn datetime_china(ms: i64) -> String {
    let (y, m, d) = china_date(ms);
    let minutes = china_ms_of_day(ms) / 60_000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

pub fn level_zh(l: Level) -> &'static str {
    match l {
        Level::Neighbour => "邻",
        Level::Group => "组",
        Level::Area => "片",
        Level::Committee => "村/社区",
        Level::Town => "镇/街道",
        Level::City => "市",
    }
}

pub fn status_zh(s: ConcernStatus) -> &'static str {
    match s {
        ConcernStatus::Open => "待领办",
        ConcernStatus::Claimed => "办理中",
        ConcernStatus::Resolved => "已办结",
        ConcernStatus::Closed => "已评价",
        ConcernStatus::Reopened => "重新办理",
    }
}

pub(crate) fn category_zh(c: Category) -> &'static str {
    match c {
        Category::PublicFacilities => "公共设施",
        Category::Lighting => "照明",
        Category::Housing => "房屋楼道",
        Category::FireSafety => "消防安全",
        Category::PublicSafety => "公共安全",
        Category::Parking => "停车",
        Category::Environment => "环境卫生",
        Category::NeighbourDispute => "邻里纠纷",
        Category::CareForElderlyAndChildren => "关爱老幼",
        Category::SmallWish => "微心愿",
        Category::Policy => "政策咨询",
        Category::Other => "其他",
    }
}

fn meeting_kind_zh(k: MeetingKind) -> &'static str {
    match k {
        MeetingKind::CourtyardCouncil => "小区议事会",
        MeetingKind::WeeklyBriefing => "民情碰头会",
        MeetingKind::MonthlyAnalysis => "民情分析会",
        MeetingKind::OpenDialogue => "民情恳谈会",
        MeetingKind::HouseholdGathering => "屋场会",
        MeetingKind::EveningTalk => "夜话会",
        MeetingKind::FivePartyJoint => "五方联席会",
        MeetingKind::Other => "其他",
    }
}

/// Names of members and places, looked up by id.
pub struct Names<'a> {
    pub members: &'a [Member],
    pub units: &'a [OrgUnit],
}

impl Names<'_> {
    pub fn member(&self, id: &str) -> String {
        if crate::domain::is_resident(id) {
            return "居民（扫码反映）".into();
        }
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| mask_phones(&m.name))
            .unwrap_or_default()
    }

    /// "一片 · 三组 · 5邻", outermost first.
    pub fn place(&self, id: &str) -> String {
        let mut names = Vec::new();
        let mut cursor = self.units.iter().find(|u| u.id == id);
        while let Some(u) = cursor {
            names.push(u.name.as_str());
            cursor = u
                .parent
                .as_deref()
                .and_then(|p| self.units.iter().find(|u| u.id == p));
            if names.len() > 8 {
                break;
            }
        }
        names.reverse();
        mask_phones(&names.join(" · "))
    }
}

fn when(ms: Option<i64>) -> Cell {
    Cell::Text(ms.map(datetime_china).unwrap_or_default())
}

fn hours(ms: Option<i64>) -> Cell {
    match ms {
        Some(ms) => Cell::Number((ms.max(0) as f64 / 360_000.0).round() / 10.0),
        None => Cell::text(""),
    }
}

/// The concern ledger (民情台账), one row per concern, in the given order
/// (withdrawn ones left out).
pub fn concern_table(concerns: &[&Concern], names: &Names) -> Table {
    let rows = concerns
        .iter()
        .filter(|c| !c.is_withdrawn())
        .map(|c| {
            let first_claim = c
                .timeline
                .iter()
                .find(|e| {
                    matches!(
                        e.action,
                        crate::domain::ConcernEvent::Claimed
                            | crate::domain::ConcernEvent::Resolved { .. }
                    )
                })
                .map(|e| e.at);
            let resolved_at = c
                .resolution
                .as_ref()
                .filter(|_| c.status.is_done())
                .map(|r| r.at);
            let reporter = match &c.reporter {
                Reporter::Unknown => String::new(),
                Reporter::Household(h) => names.place(h),
                Reporter::Resident(r) => mask_phones(r),
            };
            vec![
                Cell::text(c.id.clone()),
                Cell::text(datetime_china(c.raised_at)),
                Cell::text(mask_phones(&c.title)),
                Cell::text(category_zh(c.category)),
                Cell::text(
                    c.place
                        .as_deref()
                        .map(|p| names.place(p))
                        .unwrap_or_default(),
                ),
                Cell::text(reporter),
                Cell::text(names.member(&c.raised_by)),
                Cell::text(level_zh(c.level)),
                Cell::text(status_zh(c.status)),
                // Who holds it now, or (once resolved) who last took it on.
                Cell::text(
                    c.claim
                        .as_ref()
                        .map(|k| k.by.as_str())
                        .or_else(|| {
                            c.timeline
                                .iter()
                                .rev()
                                .find(|e| matches!(e.action, crate::domain::ConcernEvent::Claimed))
                                .map(|e| e.by.as_str())
                        })
                        .map(|by| names.member(by))
                        .unwrap_or_default(),
                ),
                when(c.due_at),
                when(resolved_at),
                Cell::text(
                    c.resolution
                        .as_ref()
                        .map(|r| mask_phones(&r.summary))
                        .unwrap_or_default(),
                ),
                hours(first_claim.map(|t| t - c.raised_at)),
                hours(resolved_at.map(|t| t - c.raised_at)),
                match &c.feedback {
                    Some(f) => Cell::count(usize::from(f.satisfaction)),
                    None => Cell::text(""),
                },
                // Whether the resident gave the verdict (吹哨 tracking page) or a member
                // recorded it for them.
                Cell::text(match &c.feedback {
                    Some(f) if crate::domain::is_resident(&f.by) => "居民自评",
                    Some(_) => "代录",
                    None => "",
                }),
                Cell::count(c.supporters.len()),
            ]
        })
        .collect();
    Table {
        name: "民情台账".into(),
        headers: vec![
            "编号",
            "反映时间",
            "事项",
            "类别",
            "地点",
            "反映人",
            "记录人",
            "当前层级",
            "状态",
            "领办人",
            "期限",
            "办结时间",
            "办理结果",
            "领办用时(小时)",
            "办结用时(小时)",
            "满意度",
            "评价来源",
            "附议数",
        ],
        rows,
    }
}

/// The meeting list (议事会议), in the given order.
pub fn meeting_table(meetings: &[&MeetingRef], names: &Names) -> Table {
    let rows = meetings
        .iter()
        .filter(|m| m.withdrawn.is_none())
        .map(|m| {
            let done = m
                .follow_ups
                .iter()
                .filter(|f| f.state == crate::domain::FollowUpState::Done)
                .count();
            vec![
                Cell::text(datetime_china(m.starts_at)),
                Cell::text(meeting_kind_zh(m.kind)),
                Cell::text(mask_phones(&m.title)),
                Cell::text(mask_phones(&m.place)),
                Cell::text(names.member(&m.created_by)),
                Cell::count(m.concerns.len()),
                Cell::count(m.follow_ups.len()),
                Cell::count(done),
            ]
        })
        .collect();
    Table {
        name: "议事会议".into(),
        headers: vec![
            "时间",
            "类型",
            "议题",
            "地点",
            "召集人",
            "涉及民情数",
            "跟进事项",
            "已完成跟进",
        ],
        rows,
    }
}

/// Member activity (代表履职), most active first (ties by name).
pub fn activity_table(activity: &BTreeMap<MemberId, PeriodActivity>, names: &Names) -> Table {
    let mut list: Vec<(String, &PeriodActivity)> = activity
        .iter()
        .map(|(id, a)| {
            let n = names.member(id);
            (if n.is_empty() { id.clone() } else { n }, a)
        })
        .collect();
    sort::sort_by(&mut list, |a, b| {
        b.1.total().cmp(&a.1.total()).then_with(|| a.0.cmp(&b.0))
    });
    let rows = list
        .into_iter()
        .map(|(name, a)| {
            vec![
                Cell::text(name),
                Cell::count(a.recorded),
                Cell::count(a.claimed),
                Cell::count(a.escalated),
                Cell::count(a.resolved),
                Cell::count(a.feedback_collected),
                Cell::count(a.visits),
                Cell::count(a.meetings),
                Cell::count(a.total()),
            ]
        })
        .collect();
    Table {
        name: "代表履职".into(),
        headers: vec![
            "代表",
            "记录民情",
            "领办",
            "上报",
            "办结",
            "回访评价",
            "走访",
            "召集会议",
            "合计",
        ],
        rows,
    }
}
