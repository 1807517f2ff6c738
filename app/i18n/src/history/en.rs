use super::HistoryStrings;
use linli_shared::domain::Part;

pub static EN: HistoryStrings = HistoryStrings {
    show: "Show the history",
    hide: "Hide the history",
    heading: "History",
    empty: "No changes yet.",
    no_time: "time unknown",
    unknown_member: "a member",
    names_need_network: "Some names show once the phone is online.",
    notes_heading: "Who wrote what",
    minutes: "Minutes",
    after_name: ": ",
    times: crate::Plural {
        one: "",
        other: " ({0} times)",
    },
    refused_heading: "The changes not accepted (kept aside on this phone):",
    part,
};

fn part(p: Part) -> &'static str {
    match p {
        Part::Recorded => "created",
        Part::Details => "details",
        Part::Status => "status",
        Part::Level => "level",
        Part::Deadline => "deadline",
        Part::Timeline => "progress",
        Part::Supporters => "support",
        Part::Photos => "photos",
        Part::Resolution => "resolution",
        Part::Feedback => "feedback",
        Part::Withdrawn => "withdrawn or merged",
        Part::Attendance => "attendance",
        Part::Agenda => "agenda",
        Part::Minutes => "minutes",
        Part::ItemNotes => "item notes",
        Part::Decision => "decision",
        Part::Votes => "votes",
        Part::FollowUps => "follow-ups",
        Part::Concerns => "concerns",
        Part::OrgTree => "the grid (areas, groups, neighbourhoods, households)",
        Part::Members => "members",
        Part::Funds => "micro-fund",
        Part::Meetings => "meetings",
        Part::Visits => "visits",
        Part::Tasks => "task list",
        Part::ServiceOrders => "service-day orders",
        Part::Other => "other",
    }
}
