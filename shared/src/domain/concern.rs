//! Concerns (民情/诉求): schema, recording and reading, with the merge rules
//! applied when concurrent commands left conflicting values.

use crate::domain::refusal::{Field, RecordKind};
use crate::sort;
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};

use crate::domain::codec::{
    decode_event, decode_feedback, decode_resolution, decode_state, decode_withdrawal,
};
use crate::domain::limits::{within, MAX_DESCRIPTION_CHARS, MAX_REPORTER_CHARS, MAX_TITLE_CHARS};
use crate::domain::org::{get_unit, CONCERNS};
use crate::domain::photo::MAX_PHOTOS;
use crate::domain::store::{
    all_strings, child_obj, list_strings, map_objects, non_empty, put_map, record_obj, root_map,
    MapView,
};
use crate::domain::timeline::append_event;
use crate::domain::{
    Category, ConcernEvent, ConcernStatus, Ctx, DomainError, Level, MemberId, TimelineEvent,
    UnitId, Withdrawal,
};

/// A concern's id, made by the caller (the app uses random UUIDs).
pub type ConcernId = String;

/// Who raised the concern.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Reporter {
    /// Not recorded.
    #[default]
    Unknown,
    /// A household of the org tree.
    Household(UnitId),
    /// Free text (a passer-by, "the neighbour at no. 3" …).
    Resident(String),
}

/// What the caller gives to record a concern. Only `id` and `title` are required.
#[derive(Clone, Debug, Default)]
pub struct NewConcern {
    pub id: ConcernId,
    pub title: String,
    pub description: String,
    pub category: Category,
    /// Where in the org tree (a 片, 组, 邻 or household id).
    pub place: Option<UnitId>,
    pub reporter: Reporter,
    /// The level it starts at; 邻 when None.
    pub level: Option<Level>,
    pub due_at: Option<i64>,
    /// Ids of photo documents (`photo.rs`) made on the phone; at most
    /// [`MAX_PHOTOS`].
    pub photos: Vec<String>,
}

/// Who took the concern on, and when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    pub by: MemberId,
    pub at: i64,
}

/// What was done.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Resolution {
    pub by: MemberId,
    pub at: i64,
    pub summary: String,
    /// The level at which it was resolved.
    pub level: Level,
}

/// The resident's verdict (跟踪评价).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Feedback {
    pub by: MemberId,
    pub at: i64,
    /// 1 (very unhappy) to 5 (very satisfied).
    pub satisfaction: u8,
    pub comment: String,
}

/// A concern as the app shows it, after the merge rules.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Concern {
    pub id: ConcernId,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub place: Option<UnitId>,
    pub reporter: Reporter,
    pub raised_at: i64,
    pub raised_by: MemberId,
    pub level: Level,
    pub status: ConcernStatus,
    /// Set exactly when `status` is Claimed.
    pub claim: Option<Claim>,
    /// Other claims made concurrently with `claim` (offline on other devices): the
    /// app shows these as a conflict. Empty once the claim is settled by any
    /// later command on the concern.
    pub contested_claims: Vec<Claim>,
    pub due_at: Option<i64>,
    /// "Me too": supporter id (member or household) → when.
    pub supporters: BTreeMap<String, i64>,
    pub resolution: Option<Resolution>,
    pub feedback: Option<Feedback>,
    pub timeline: Vec<TimelineEvent>,
    /// Ids of its photo documents, in the order they were taken.
    pub photos: Vec<String>,
    /// Set when it was taken back (recorded by mistake, or merged into
    /// another): it then leaves lists, figures and exports (`withdraw.rs`).
    pub withdrawn: Option<Withdrawal>,
}

impl Concern {
    /// Taken back (see [`Concern::withdrawn`]).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }
}

/// Records a new concern at 邻 level (or `c.level`), status Open.
pub fn record_concern(
    doc: &mut AutoCommit,
    ctx: &Ctx,
    c: NewConcern,
) -> Result<ConcernId, DomainError> {
    non_empty(&c.id, Field::ConcernId)?;
    non_empty(&c.title, Field::Title)?;
    within(&c.title, Field::Title, MAX_TITLE_CHARS)?;
    within(&c.description, Field::Description, MAX_DESCRIPTION_CHARS)?;
    if let Reporter::Resident(name) = &c.reporter {
        within(name, Field::Reporter, MAX_REPORTER_CHARS)?;
    }
    let concerns = root_map(doc, CONCERNS)?;
    if child_obj(doc, &concerns, c.id.as_str())?.is_some() {
        return Err(DomainError::AlreadyExists {
            kind: RecordKind::Concern,
            id: c.id,
        });
    }
    if let Some(place) = &c.place {
        get_unit(doc, place)?;
    }
    if let Reporter::Household(h) = &c.reporter {
        get_unit(doc, h)?;
    }
    if c.photos.len() > MAX_PHOTOS {
        return Err(DomainError::OutOfRange {
            index: c.photos.len(),
            len: MAX_PHOTOS,
        });
    }
    for p in &c.photos {
        non_empty(p, Field::PhotoId)?;
    }
    let obj = put_map(doc, &concerns, &c.id)?;
    doc.put(&obj, "title", c.title.as_str())?;
    if !c.description.is_empty() {
        doc.put(&obj, "description", c.description.as_str())?;
    }
    doc.put(&obj, "category", c.category.as_str())?;
    if let Some(place) = &c.place {
        doc.put(&obj, "place", place.as_str())?;
    }
    match &c.reporter {
        Reporter::Unknown => {}
        Reporter::Household(h) => doc.put(&obj, "reporter_household", h.as_str())?,
        Reporter::Resident(name) => doc.put(&obj, "reporter_name", name.as_str())?,
    }
    doc.put(&obj, "raised_at", ctx.now_ms)?;
    doc.put(&obj, "raised_by", ctx.actor.as_str())?;
    doc.put(&obj, "level", c.level.unwrap_or(Level::Neighbour).as_str())?;
    doc.put(&obj, "status", ConcernStatus::Open.as_str())?;
    if let Some(due) = c.due_at {
        doc.put(&obj, "due_at", due)?;
    }
    // Nested containers are made here, once, so that concurrent commands never
    // create competing copies of them.
    doc.put_object(&obj, "supporters", ObjType::Map)?;
    doc.put_object(&obj, "timeline", ObjType::List)?;
    // Only concerns with photos get the list: most have none, and every
    // object costs load time at community scale.
    if !c.photos.is_empty() {
        let list = doc.put_object(&obj, "photos", ObjType::List)?;
        for (i, p) in c.photos.iter().enumerate() {
            doc.insert(&list, i, p.as_str())?;
        }
    }
    append_event(doc, &obj, &ctx.event(ConcernEvent::Recorded))?;
    Ok(c.id)
}

/// One concern.
pub fn get_concern(doc: &AutoCommit, id: &str) -> Result<Concern, DomainError> {
    let concerns = root_map(doc, CONCERNS)?;
    let obj = record_obj(doc, &concerns, RecordKind::Concern, id)?;
    read_concern(doc, id, &obj)
}

/// All concerns but the withdrawn ones, newest first by `raised_at` (ties by id).
pub fn list_concerns(doc: &AutoCommit) -> Result<Vec<Concern>, DomainError> {
    list_where(doc, false)
}

/// The withdrawn concerns (recorded by mistake or merged), newest first.
pub fn list_withdrawn_concerns(doc: &AutoCommit) -> Result<Vec<Concern>, DomainError> {
    list_where(doc, true)
}

fn list_where(doc: &AutoCommit, withdrawn: bool) -> Result<Vec<Concern>, DomainError> {
    let (live, gone) = list_concerns_and_withdrawn(doc)?;
    Ok(if withdrawn { gone } else { live })
}

/// [`list_concerns`] and [`list_withdrawn_concerns`] in one pass over the document:
/// reading a concern is most of the cost of either, so a view that needs both reads
/// each concern once.
pub fn list_concerns_and_withdrawn(
    doc: &AutoCommit,
) -> Result<(Vec<Concern>, Vec<Concern>), DomainError> {
    let concerns = root_map(doc, CONCERNS)?;
    let mut live = Vec::with_capacity(doc.length(&concerns));
    let mut gone = Vec::new();
    for (id, obj) in map_objects(doc, &concerns) {
        let c = read_concern(doc, &id, &obj)?;
        if c.is_withdrawn() {
            gone.push(c);
        } else {
            live.push(c);
        }
    }
    for list in [&mut live, &mut gone] {
        sort::sort_by(list, |a, b| {
            b.raised_at.cmp(&a.raised_at).then_with(|| a.id.cmp(&b.id))
        });
    }
    Ok((live, gone))
}

/// One concern that still takes commands: withdrawn ones are refused.
pub(crate) fn live_concern(doc: &AutoCommit, id: &str) -> Result<Concern, DomainError> {
    let c = get_concern(doc, id)?;
    if c.is_withdrawn() {
        return Err(DomainError::Withdrawn {
            kind: RecordKind::Concern,
            id: id.to_string(),
        });
    }
    Ok(c)
}

/// The concern's map object, for the command modules.
pub(crate) fn concern_obj(doc: &AutoCommit, id: &str) -> Result<ObjId, DomainError> {
    let concerns = root_map(doc, CONCERNS)?;
    record_obj(doc, &concerns, RecordKind::Concern, id)
}

fn read_concern(doc: &AutoCommit, id: &str, obj: &ObjId) -> Result<Concern, DomainError> {
    let r = MapView::read(doc, obj);
    let (status, claim, contested_claims) = if r.conflict("status") {
        merged_state(doc, obj)?
    } else {
        let (status, claim) = decode_state(&r.str("status")?)?;
        (status, claim, Vec::new())
    };
    let level = if r.conflict("level") {
        merged_level(doc, obj)?
    } else {
        r.parsed("level", Level::parse)?
    };
    let reporter = match (
        r.opt_str("reporter_household")?,
        r.opt_str("reporter_name")?,
    ) {
        (Some(h), _) => Reporter::Household(h),
        (None, Some(name)) => Reporter::Resident(name),
        (None, None) => Reporter::Unknown,
    };
    let supporters = match r.obj("supporters") {
        Some(s) => MapView::read(doc, &s).int_entries().collect(),
        None => BTreeMap::new(),
    };
    let timeline = match r.obj("timeline") {
        Some(t) => list_strings(doc, &t)
            .iter()
            .map(|e| decode_event(e))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let mut photos = r
        .obj("photos")
        .map(|p| list_strings(doc, &p))
        .unwrap_or_default();
    photos.extend(crate::domain::concern_photos::added_photos(&r));
    let resolution = r
        .opt_str("resolution")?
        .map(|s| decode_resolution(&s))
        .transpose()?;
    let feedback = r
        .opt_str("feedback")?
        .map(|s| decode_feedback(&s))
        .transpose()?;
    let withdrawn = r
        .opt_str("withdrawn")?
        .map(|s| decode_withdrawal(&s))
        .transpose()?;
    Ok(Concern {
        id: id.to_string(),
        title: r.str("title")?,
        description: r.opt_str("description")?.unwrap_or_default(),
        category: r.parsed("category", Category::parse)?,
        place: r.opt_str("place")?,
        reporter,
        raised_at: r.int("raised_at")?,
        raised_by: r.str("raised_by")?,
        level,
        status,
        claim,
        contested_claims,
        due_at: r.opt_int("due_at")?,
        supporters,
        resolution,
        feedback,
        timeline,
        photos,
        withdrawn,
    })
}

/// Concurrent states: the status with the highest [`ConcernStatus::merge_rank`]
/// wins. If that is Claimed, the earliest claim (by the claimant's clock, ties
/// by member id) stands and the other members' claims are returned as contested.
fn merged_state(
    doc: &AutoCommit,
    obj: &ObjId,
) -> Result<(ConcernStatus, Option<Claim>, Vec<Claim>), DomainError> {
    let states = all_strings(doc, obj, "status")?
        .iter()
        .map(|s| decode_state(s))
        .collect::<Result<Vec<_>, _>>()?;
    let status = states
        .iter()
        .map(|(s, _)| *s)
        .max_by_key(|s| s.merge_rank())
        .ok_or_else(|| DomainError::Malformed("concern without status".into()))?;
    let mut claims: Vec<Claim> = states.into_iter().filter_map(|(_, c)| c).collect();
    sort::sort_by(&mut claims, |a, b| {
        a.at.cmp(&b.at).then_with(|| a.by.cmp(&b.by))
    });
    // One member claiming on two of their devices is not a contest.
    let mut seen = std::collections::BTreeSet::new();
    claims.retain(|c| seen.insert(c.by.clone()));
    let mut claims = claims.into_iter();
    Ok(match status {
        ConcernStatus::Claimed => (status, claims.next(), claims.collect()),
        _ => (status, None, Vec::new()),
    })
}

/// Concurrent levels: the highest wins (levels only ever go up).
fn merged_level(doc: &AutoCommit, obj: &ObjId) -> Result<Level, DomainError> {
    all_strings(doc, obj, "level")?
        .iter()
        .filter_map(|s| Level::parse(s))
        .max()
        .ok_or_else(|| DomainError::Malformed("concern without level".into()))
}
