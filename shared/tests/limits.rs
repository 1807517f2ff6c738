//! Free text has limits (issue 16): a command given text longer than its
//! limit is refused with `DomainError::TooLong` and leaves the document as it
//! was; text exactly at the limit is accepted.

mod common;

use automerge::{ActorId, AutoCommit, TextEncoding};
use common::*;
use linli_shared::domain::*;

fn chars(n: usize) -> String {
    "楼".repeat(n)
}

#[test]
fn concern_title_description_and_reporter_are_limited() {
    let mut doc = sample_community();
    let at_limit = NewConcern {
        description: chars(MAX_DESCRIPTION_CHARS),
        reporter: Reporter::Resident(chars(MAX_REPORTER_CHARS)),
        ..new_concern("ok", &chars(MAX_TITLE_CHARS))
    };
    record_concern(&mut doc, &ctx("ll1", T0), at_limit).unwrap();
    assert_eq!(
        get_concern(&doc, "ok").unwrap().title.chars().count(),
        MAX_TITLE_CHARS
    );

    let long_title = new_concern("t", &chars(5_000));
    assert_eq!(
        record_concern(&mut doc, &ctx("ll1", T0), long_title),
        Err(DomainError::TooLong {
            field: Field::Title,
            max: MAX_TITLE_CHARS
        })
    );
    let long_description = NewConcern {
        description: chars(MAX_DESCRIPTION_CHARS + 1),
        ..new_concern("d", "路灯坏了")
    };
    assert_eq!(
        record_concern(&mut doc, &ctx("ll1", T0), long_description),
        Err(DomainError::TooLong {
            field: Field::Description,
            max: MAX_DESCRIPTION_CHARS
        })
    );
    let long_reporter = NewConcern {
        reporter: Reporter::Resident(chars(MAX_REPORTER_CHARS + 1)),
        ..new_concern("r", "路灯坏了")
    };
    assert!(matches!(
        record_concern(&mut doc, &ctx("ll1", T0), long_reporter),
        Err(DomainError::TooLong {
            field: Field::Reporter,
            ..
        })
    ));
    // Nothing of the refused concerns was written.
    let ids: Vec<String> = list_concerns(&doc)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["ok"]);
}

#[test]
fn resolution_and_feedback_are_limited() {
    let mut doc = sample_community();
    record_concern(&mut doc, &ctx("ll1", T0), new_concern("c", "路灯坏了")).unwrap();
    assert!(matches!(
        resolve(&mut doc, &ctx("ll1", T0), "c", &chars(MAX_NOTE_CHARS + 1)),
        Err(DomainError::TooLong {
            max: MAX_NOTE_CHARS,
            ..
        })
    ));
    assert_eq!(get_concern(&doc, "c").unwrap().status, ConcernStatus::Open);
    resolve(&mut doc, &ctx("ll1", T0), "c", &chars(MAX_NOTE_CHARS)).unwrap();
    assert!(matches!(
        feedback(
            &mut doc,
            &ctx("ll1", T0),
            "c",
            5,
            &chars(MAX_NOTE_CHARS + 1)
        ),
        Err(DomainError::TooLong {
            max: MAX_NOTE_CHARS,
            ..
        })
    ));
}

fn meeting_doc() -> AutoCommit {
    let mut doc = AutoCommit::new_with_encoding(TextEncoding::Utf16CodeUnit)
        .with_actor(ActorId::from(vec![7; 16]));
    let new = NewMeeting {
        id: "m".into(),
        community_id: "xd".into(),
        kind: MeetingKind::CourtyardCouncil,
        title: chars(MAX_TITLE_CHARS),
        starts_at: T0,
        place: "活动室".into(),
        participants: vec![],
    };
    create_meeting(&mut doc, &ctx("cm1", T0), new).unwrap();
    doc
}

#[test]
fn meeting_titles_agenda_items_and_notes_are_limited() {
    let mut doc = AutoCommit::new();
    let long = NewMeeting {
        id: "m".into(),
        community_id: "xd".into(),
        kind: MeetingKind::CourtyardCouncil,
        title: chars(MAX_TITLE_CHARS + 1),
        starts_at: T0,
        place: "活动室".into(),
        participants: vec![],
    };
    assert!(matches!(
        create_meeting(&mut doc, &ctx("cm1", T0), long),
        Err(DomainError::TooLong {
            field: Field::MeetingTitle,
            ..
        })
    ));

    let mut doc = meeting_doc();
    let item = NewAgendaItem {
        id: "i".into(),
        title: chars(MAX_TITLE_CHARS + 1),
        concerns: vec![],
    };
    assert!(matches!(
        add_agenda_item(&mut doc, &ctx("cm1", T0), item),
        Err(DomainError::TooLong { .. })
    ));

    // Notes: up to the limit by typing, never beyond; deleting always works.
    set_notes(
        &mut doc,
        Notes::Minutes,
        &chars(MAX_MEETING_NOTES_CHARS - 1),
    )
    .unwrap();
    edit_notes(&mut doc, Notes::Minutes, 0, 0, "会").unwrap();
    assert_eq!(
        edit_notes(&mut doc, Notes::Minutes, 0, 0, "会"),
        Err(DomainError::TooLong {
            field: Field::MeetingNotes,
            max: MAX_MEETING_NOTES_CHARS
        })
    );
    // Replacing one unit by one unit at the limit is fine.
    edit_notes(&mut doc, Notes::Minutes, 0, 1, "议").unwrap();
    assert!(matches!(
        set_notes(
            &mut doc,
            Notes::Minutes,
            &chars(MAX_MEETING_NOTES_CHARS + 1)
        ),
        Err(DomainError::TooLong { .. })
    ));
    let notes = read_notes(&doc, Notes::Minutes).unwrap();
    assert_eq!(notes.chars().count(), MAX_MEETING_NOTES_CHARS);
    assert!(notes.starts_with('议'));
    edit_notes(&mut doc, Notes::Minutes, 0, 10, "").unwrap();
}

#[test]
fn ledger_texts_are_limited() {
    let mut doc = sample_community();
    let visit = NewVisit {
        id: "v".into(),
        household: None,
        note: chars(MAX_NOTE_CHARS + 1),
        concerns: vec![],
    };
    assert!(matches!(
        log_visit(&mut doc, &ctx("ll1", T0), visit),
        Err(DomainError::TooLong {
            field: Field::VisitNote,
            ..
        })
    ));
    assert!(list_visits(&doc).unwrap().is_empty());
}
