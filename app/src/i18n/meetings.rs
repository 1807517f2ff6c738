//! Text of the 议事 (meetings) screens, in every locale.

pub struct MeetingStrings {
    pub tab: &'static str,
    pub title: &'static str,
    pub empty: &'static str,
}

pub static ZH_HANS: MeetingStrings = MeetingStrings {
    tab: "议事",
    title: "议事会",
    empty: "还没有会议。",
};

pub static ZH_HANT: MeetingStrings = MeetingStrings {
    tab: "議事",
    title: "議事會",
    empty: "還沒有會議。",
};

pub static EN: MeetingStrings = MeetingStrings {
    tab: "Meetings",
    title: "Meetings",
    empty: "No meetings yet.",
};
