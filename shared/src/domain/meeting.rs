//! Deliberation meetings (议事): one automerge document per meeting, holding its
//! participants, agenda (see `agenda.rs`), notes, decisions, votes and
//! follow-up actions.

use crate::domain::refusal::{Field, RecordKind};
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ROOT};
use autosurgeon::{Hydrate, Text};

use crate::domain::agenda::{ordered_items, StoredAgendaItem};
use crate::domain::follow_up::StoredFollowUp;
use crate::domain::kinds::string_enum;
use crate::domain::limits::{
    text_units, within, MAX_MEETING_NOTES_CHARS, MAX_PLACE_CHARS, MAX_TITLE_CHARS,
};
use crate::domain::store::{child_obj, get_opt, non_empty, put_map, record_obj};
use crate::domain::{AgendaItem, Ctx, DomainError, FollowUp, MemberId, Withdrawal};

/// Version of the meeting document layout written by this crate.
pub const MEETING_SCHEMA: i64 = 1;

pub(crate) const PARTICIPANTS: &str = "participants";
pub(crate) const AGENDA: &str = "agenda";
pub(crate) const FOLLOW_UPS: &str = "follow_ups";

/// A meeting's id, made by the caller.
pub type MeetingId = String;

string_enum! {
    /// The kinds of meeting in the reports.
    pub enum MeetingKind {
        /// 小区议事会 (monthly, with the 五方代表).
        CourtyardCouncil => "courtyard_council",
        /// 民情碰头会 (weekly, 两委).
        WeeklyBriefing => "weekly_briefing",
        /// 民情分析会 (monthly).
        MonthlyAnalysis => "monthly_analysis",
        /// 民情恳谈会.
        OpenDialogue => "open_dialogue",
        /// 屋场会.
        HouseholdGathering => "household_gathering",
        /// 夜话会.
        EveningTalk => "evening_talk",
        /// 五方联席会.
        FivePartyJoint => "five_party_joint",
        Other => "other",
    }
}

string_enum! {
    /// A participant's seat among the 五方代表.
    pub enum PartyRole {
        /// 管理单位.
        ManagingUnit => "managing_unit",
        /// 物业.
        PropertyCompany => "property_company",
        /// 社区.
        Community => "community",
        /// 邻长 / 居民代表.
        Representative => "representative",
        /// 业主.
        Owner => "owner",
        Other => "other",
    }
}

/// Someone at the meeting, with their seat.
#[derive(Clone, Debug, PartialEq, Eq, Hydrate)]
pub struct Participant {
    pub id: MemberId,
    pub name: String,
    pub role: PartyRole,
}

/// What the caller gives to create a meeting.
#[derive(Clone, Debug)]
pub struct NewMeeting {
    pub id: MeetingId,
    pub community_id: String,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
    pub participants: Vec<Participant>,
}

/// A meeting as the app shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub community_id: String,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
    pub created_by: MemberId,
    pub created_at: i64,
    /// By member id.
    pub participants: BTreeMap<MemberId, Participant>,
    /// Ordered, without removed items.
    pub agenda: Vec<AgendaItem>,
    /// General minutes (纪要) besides the per-item notes.
    pub minutes: String,
    /// By id.
    pub follow_ups: Vec<FollowUp>,
    /// Set when it was withdrawn (recorded by mistake, see `withdraw.rs`).
    pub withdrawn: Option<Withdrawal>,
}

#[derive(Hydrate)]
struct MeetingRecord {
    id: String,
    community_id: String,
    kind: MeetingKind,
    title: String,
    starts_at: i64,
    place: String,
    created_by: String,
    created_at: i64,
    participants: BTreeMap<String, Participant>,
    agenda: BTreeMap<String, StoredAgendaItem>,
    minutes: Text,
    follow_ups: BTreeMap<String, StoredFollowUp>,
    #[autosurgeon(missing = "Default::default")]
    withdrawn: Option<String>,
}

/// Creates the meeting in an empty document (once, on the organiser's device).
pub fn create_meeting(doc: &mut AutoCommit, ctx: &Ctx, m: NewMeeting) -> Result<(), DomainError> {
    crate::domain::authority::require(ctx, crate::domain::Act::CreateMeeting)?;
    non_empty(&m.id, Field::MeetingId)?;
    non_empty(&m.title, Field::MeetingTitle)?;
    within(&m.title, Field::MeetingTitle, MAX_TITLE_CHARS)?;
    within(&m.place, Field::MeetingPlace, MAX_PLACE_CHARS)?;
    if let Some(id) = get_opt::<String>(doc, &ROOT, "id")? {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Meeting,
            id,
        });
    }
    doc.put(ROOT, "schema", MEETING_SCHEMA)?;
    doc.put(ROOT, "id", m.id.as_str())?;
    doc.put(ROOT, "community_id", m.community_id.as_str())?;
    doc.put(ROOT, "kind", m.kind.as_str())?;
    doc.put(ROOT, "title", m.title.as_str())?;
    doc.put(ROOT, "starts_at", m.starts_at)?;
    doc.put(ROOT, "place", m.place.as_str())?;
    doc.put(ROOT, "created_by", ctx.actor.as_str())?;
    doc.put(ROOT, "created_at", ctx.now_ms)?;
    put_map(doc, &ROOT, PARTICIPANTS)?;
    put_map(doc, &ROOT, AGENDA)?;
    put_map(doc, &ROOT, FOLLOW_UPS)?;
    doc.put_object(ROOT, "minutes", ObjType::Text)?;
    for p in m.participants {
        add_participant(doc, p)?;
    }
    Ok(())
}

/// Adds (or updates the seat of) a participant.
pub fn add_participant(doc: &mut AutoCommit, p: Participant) -> Result<(), DomainError> {
    non_empty(&p.id, Field::ParticipantId)?;
    let participants = meeting_map(doc, PARTICIPANTS)?;
    let obj = put_map(doc, &participants, &p.id)?;
    doc.put(&obj, "id", p.id.as_str())?;
    doc.put(&obj, "name", p.name.as_str())?;
    doc.put(&obj, "role", p.role.as_str())?;
    Ok(())
}

/// Reads the whole meeting.
pub fn get_meeting(doc: &AutoCommit) -> Result<Meeting, DomainError> {
    meeting_map(doc, AGENDA)?;
    let r: MeetingRecord = autosurgeon::hydrate(doc)?;
    Ok(Meeting {
        id: r.id,
        community_id: r.community_id,
        kind: r.kind,
        title: r.title,
        starts_at: r.starts_at,
        place: r.place,
        created_by: r.created_by,
        created_at: r.created_at,
        participants: r.participants,
        agenda: ordered_items(r.agenda),
        minutes: r.minutes.as_str().to_string(),
        follow_ups: r
            .follow_ups
            .into_values()
            .map(StoredFollowUp::into_follow_up)
            .collect(),
        withdrawn: r
            .withdrawn
            .as_deref()
            .map(crate::domain::codec::decode_withdrawal)
            .transpose()?,
    })
}

/// A top-level map of a meeting document.
pub(crate) fn meeting_map(doc: &AutoCommit, key: &str) -> Result<ObjId, DomainError> {
    child_obj(doc, &ROOT, key)?.ok_or(DomainError::NoMeeting)
}

/// Fails unless the actor is a participant.
pub(crate) fn require_participant(doc: &AutoCommit, ctx: &Ctx) -> Result<(), DomainError> {
    let participants = meeting_map(doc, PARTICIPANTS)?;
    record_obj(doc, &participants, RecordKind::Participant, &ctx.actor)
        .map(|_| ())
        .map_err(|_| DomainError::NotParticipant(ctx.actor.clone()))
}

/// Which collaboratively typed text to edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notes<'a> {
    /// The meeting's general minutes.
    Minutes,
    /// The notes of one agenda item.
    Item(&'a str),
}

pub(crate) fn notes_obj(doc: &AutoCommit, notes: Notes<'_>) -> Result<ObjId, DomainError> {
    let malformed = || DomainError::Malformed("notes are not text".into());
    match notes {
        Notes::Minutes => {
            meeting_map(doc, AGENDA)?;
            child_obj(doc, &ROOT, "minutes")?.ok_or_else(malformed)
        }
        Notes::Item(id) => {
            let agenda = meeting_map(doc, AGENDA)?;
            let item = record_obj(doc, &agenda, RecordKind::AgendaItem, id)?;
            child_obj(doc, &item, "notes")?.ok_or_else(malformed)
        }
    }
}

/// Splices typed text into notes: delete `delete` units at `pos`, insert `insert`.
/// Positions count in the document's text encoding (UTF-16 when automerge's
/// `utf16-indexing` feature is on, as in the app; code points otherwise).
/// Concurrent splices by several participants all survive and merge.
pub fn edit_notes(
    doc: &mut AutoCommit,
    notes: Notes<'_>,
    pos: usize,
    delete: usize,
    insert: &str,
) -> Result<(), DomainError> {
    let text = notes_obj(doc, notes)?;
    let len = doc.length(&text);
    if pos.checked_add(delete).is_none_or(|end| end > len) {
        return Err(DomainError::OutOfRange {
            index: pos + delete,
            len,
        });
    }
    let new_len = len - delete + text_units(doc.text_encoding(), insert);
    if new_len > MAX_MEETING_NOTES_CHARS && new_len > len {
        return Err(DomainError::TooLong {
            field: Field::MeetingNotes,
            max: MAX_MEETING_NOTES_CHARS,
        });
    }
    let delete =
        isize::try_from(delete).map_err(|_| DomainError::OutOfRange { index: delete, len })?;
    doc.splice_text(&text, pos, delete, insert)?;
    Ok(())
}

/// Replaces the notes with `new_text`, writing only the difference (for a text
/// box that hands over its whole value).
pub fn set_notes(
    doc: &mut AutoCommit,
    notes: Notes<'_>,
    new_text: &str,
) -> Result<(), DomainError> {
    let text = notes_obj(doc, notes)?;
    let new_len = text_units(doc.text_encoding(), new_text);
    if new_len > MAX_MEETING_NOTES_CHARS && new_len > doc.length(&text) {
        return Err(DomainError::TooLong {
            field: Field::MeetingNotes,
            max: MAX_MEETING_NOTES_CHARS,
        });
    }
    doc.update_text(&text, new_text)?;
    Ok(())
}

/// Current text of the notes.
pub fn read_notes(doc: &AutoCommit, notes: Notes<'_>) -> Result<String, DomainError> {
    let text = notes_obj(doc, notes)?;
    Ok(doc.text(&text)?)
}
