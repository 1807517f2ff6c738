//! 吹哨: concerns residents raise themselves through a report link (a QR code on a 邻 or 组),
//! follow on a tracking page, and rate once resolved.
//!
//! The relay writes what residents send, under an actor naming [`RESIDENT`] (no member id can
//! be that name: the relay's member ids are hex, and a member writing under such an actor is
//! refused as writing under another member's), so every phone tells a resident's record from
//! a member's, offline: `raised_by` of the concern and `by` of its feedback are [`RESIDENT`].
//!
//! What a resident may do, and nothing else: record one new concern at a place of the
//! community ([`record_resident_report`]), and give the verdict on a concern they raised
//! ([`rate_as_resident`]). The tracking page shows [`tracking`]: the status and what happened,
//! in plain steps, with what was done (the resolution, written for the resident), without who
//! did it or any phone number.

use automerge::{ActorId, AutoCommit};

use crate::domain::limits::{within, MAX_DESCRIPTION_CHARS, MAX_REPORTER_CHARS};
use crate::domain::{
    feedback, get_unit, member_actor, record_concern, reopen, Category, Concern, ConcernEvent,
    ConcernId, ConcernStatus, Ctx, DomainError, Field, Level, NewConcern, RecordKind, Reporter,
    UnitKind,
};
use crate::privacy::mask_phones;

/// The acting "member" of everything residents write through a report link.
pub const RESIDENT: &str = "resident";
/// A title is the first line of the resident's text, cut to this many characters.
pub const TITLE_CHARS: usize = 30;
/// Ratings at or below this reopen the concern (the resident is not satisfied).
pub const UNHAPPY_AT_MOST: u8 = 2;

/// An actor id for the relay to write residents' records under (`random`: fresh per write,
/// so two relay processes never reuse a sequence number).
pub fn resident_actor(random: [u8; 16]) -> ActorId {
    member_actor(RESIDENT, random).expect("`resident` is a nameable member id")
}

/// Whether a record's author is a resident (through a report link) rather than a member.
pub fn is_resident(member: &str) -> bool {
    member == RESIDENT
}

/// What a resident sends from the report page.
#[derive(Clone, Debug, Default)]
pub struct ResidentReport {
    /// The new concern's id (the relay makes a random one).
    pub id: ConcernId,
    /// The 邻 or 组 the link was made for.
    pub place: String,
    pub category: Category,
    /// What is wrong, in the resident's words.
    pub text: String,
    /// Optional; personal data.
    pub name: String,
    /// Optional; personal data.
    pub phone: String,
    /// The photo document the relay stored, if the resident added one.
    pub photo: Option<String>,
}

/// Records a resident's report as a new, unclaimed concern at the link's place (邻 level for a
/// 邻, 组 level for a 组). The title is the first line of the text, shortened.
pub fn record_resident_report(
    doc: &mut AutoCommit,
    now_ms: i64,
    report: ResidentReport,
) -> Result<ConcernId, DomainError> {
    let text = report.text.trim();
    within(text, Field::Description, MAX_DESCRIPTION_CHARS)?;
    if matches!(
        unit_kind(doc, &report.place)?,
        UnitKind::Area | UnitKind::Household
    ) {
        return Err(DomainError::NotFound {
            kind: RecordKind::Unit,
            id: report.place,
        });
    }
    let level = match unit_kind(doc, &report.place)? {
        UnitKind::Group => Level::Group,
        _ => Level::Neighbour,
    };
    let title = title_of(text);
    let description = if title == text { "" } else { text };
    let contact = [report.name.trim(), report.phone.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let reporter = if contact.is_empty() {
        Reporter::Unknown
    } else {
        Reporter::Resident(contact.chars().take(MAX_REPORTER_CHARS).collect())
    };
    let concern = NewConcern {
        id: report.id,
        title,
        description: description.to_string(),
        category: report.category,
        place: Some(report.place),
        reporter,
        level: Some(level),
        due_at: None,
        photos: report.photo.into_iter().collect(),
    };
    record_concern(doc, &Ctx::new(RESIDENT, now_ms), concern)
}

fn unit_kind(doc: &AutoCommit, place: &str) -> Result<UnitKind, DomainError> {
    Ok(get_unit(doc, place)?.kind)
}

/// The first line of `text`, cut to [`TITLE_CHARS`] characters (with "…" when cut).
pub fn title_of(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_string();
    }
    let mut title: String = line.chars().take(TITLE_CHARS - 1).collect();
    title.push('…');
    title
}

/// The resident's own verdict on a resolved concern they raised: 1–5 stars and a comment.
/// At [`UNHAPPY_AT_MOST`] stars or fewer the concern is reopened, with the comment as the
/// reason (`unhappy` when there is no comment: the page's words for "not satisfied").
pub fn rate_as_resident(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: &str,
    stars: u8,
    comment: &str,
    unhappy: &str,
) -> Result<(), DomainError> {
    let ctx = Ctx::new(RESIDENT, now_ms);
    let comment = comment.trim();
    feedback(doc, &ctx, id, stars, comment)?;
    if stars <= UNHAPPY_AT_MOST {
        let reason = if comment.is_empty() { unhappy } else { comment };
        reopen(doc, &ctx, id, reason)?;
    }
    Ok(())
}

/// Where a concern stands, in a resident's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackedStatus {
    /// Nobody took it on yet (待领办), at `Level` (higher than its place's once escalated).
    Waiting(Level),
    /// A representative is on it (办理中), at `Level`.
    InHand(Level),
    /// Done; the resident may rate it (已办结).
    Resolved,
    /// Rated (已评价).
    Closed,
    /// Set aside as spam or a duplicate (未受理).
    SetAside,
}

/// One thing that happened, as the tracking page tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackedStep {
    Received,
    Claimed,
    Escalated(Level),
    /// Done, and what was done (what the member wrote for the resident), phone numbers masked.
    Resolved(String),
    /// Rated, and whether the resident gave the rating (else a member recorded it).
    Rated {
        stars: u8,
        by_resident: bool,
    },
    Reopened,
    SetAside {
        duplicate: bool,
    },
}

/// The tracking page's view of a concern: no member's id or name, nor anyone's phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tracking {
    pub title: String,
    /// What the resident wrote, whole (the title is its first line, cut).
    pub text: String,
    pub raised_at: i64,
    pub status: TrackedStatus,
    /// Oldest first, with when.
    pub steps: Vec<(i64, TrackedStep)>,
    /// The resident may rate it now.
    pub may_rate: bool,
}

/// What the tracking page shows of `c`.
pub fn tracking(c: &Concern) -> Tracking {
    let status = if c.is_withdrawn() {
        TrackedStatus::SetAside
    } else {
        match c.status {
            ConcernStatus::Open | ConcernStatus::Reopened => TrackedStatus::Waiting(c.level),
            ConcernStatus::Claimed => TrackedStatus::InHand(c.level),
            ConcernStatus::Resolved => TrackedStatus::Resolved,
            ConcernStatus::Closed => TrackedStatus::Closed,
        }
    };
    let steps = c
        .timeline
        .iter()
        .filter_map(|e| {
            let step = match &e.action {
                ConcernEvent::Recorded => TrackedStep::Received,
                ConcernEvent::Claimed => TrackedStep::Claimed,
                ConcernEvent::Escalated { to, .. } => TrackedStep::Escalated(*to),
                ConcernEvent::Resolved { summary } => TrackedStep::Resolved(mask_phones(summary)),
                ConcernEvent::Feedback { satisfaction, .. } => TrackedStep::Rated {
                    stars: *satisfaction,
                    by_resident: is_resident(&e.by),
                },
                ConcernEvent::Reopened { .. } => TrackedStep::Reopened,
                ConcernEvent::Withdrawn { duplicate_of, .. } => TrackedStep::SetAside {
                    duplicate: duplicate_of.is_some(),
                },
                ConcernEvent::Released | ConcernEvent::Supported => return None,
            };
            Some((e.at, step))
        })
        .collect();
    Tracking {
        title: mask_phones(&c.title),
        text: mask_phones(if c.description.is_empty() {
            &c.title
        } else {
            &c.description
        }),
        raised_at: c.raised_at,
        status,
        steps,
        may_rate: status == TrackedStatus::Resolved && is_resident(&c.raised_by),
    }
}
