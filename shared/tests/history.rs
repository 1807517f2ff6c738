//! History (M15): which actor wrote which part of a concern or a meeting, and when; and who
//! typed which part of the notes, after two phones edited concurrently.

mod common;

use automerge::{ActorId, AutoCommit, TextEncoding};
use common::*;
use linli_shared::domain::*;

fn hex(n: u8) -> String {
    ActorId::from(vec![n; 16]).to_hex_string()
}

/// Runs `command` as `who` at `at`, committed with that time as the app commits.
fn act(doc: &mut AutoCommit, who: &str, at: i64, command: impl FnOnce(&mut AutoCommit, &Ctx)) {
    command(doc, &ctx(who, at));
    commit_at(doc, at);
}

#[test]
fn a_concern_history_names_each_changes_actor_time_and_parts_and_nothing_else() {
    let mut office = sample_community();
    let mut ll1 = device(&mut office, 1);
    let mut gl1 = device(&mut office, 2);
    act(&mut ll1, "ll1", T0, |d, c| {
        record_concern(d, c, new_concern("c1", "路灯坏了")).unwrap();
        record_concern(d, c, new_concern("c2", "垃圾")).unwrap();
    });
    sync_pair(&mut ll1, &mut gl1);
    act(&mut gl1, "gl1", T0 + HOUR, escalate_to_group);
    act(&mut ll1, "ll1", T0 + 2 * HOUR, |d, c| {
        support(d, c, "c2", "hh1a").unwrap();
    });
    sync_pair(&mut ll1, &mut gl1);
    act(&mut gl1, "gl1", T0 + 3 * HOUR, |d, c| {
        claim(d, c, "c1").unwrap()
    });

    let history = concern_history(&mut gl1, "c1");
    let seen: Vec<(String, i64, Vec<Part>)> = history
        .into_iter()
        .map(|e| (e.actor, e.time_s, e.parts))
        .collect();
    assert_eq!(
        seen,
        vec![
            (hex(1), T0 / 1000, vec![Part::Recorded]),
            (
                hex(2),
                (T0 + HOUR) / 1000,
                vec![Part::Level, Part::Timeline]
            ),
            (
                hex(2),
                (T0 + 3 * HOUR) / 1000,
                vec![Part::Status, Part::Timeline]
            ),
        ],
        "c2's support and the community's set-up are not c1's history"
    );
    assert_eq!(concern_history(&mut gl1, "c2").len(), 2);
    assert!(concern_history(&mut gl1, "nothing").is_empty());
}

fn escalate_to_group(doc: &mut AutoCommit, cx: &Ctx) {
    escalate(doc, cx, "c1", Some(Level::Group), "需要组里协调").unwrap();
}

fn meeting() -> AutoCommit {
    let mut doc = AutoCommit::new_with_encoding(TextEncoding::Utf16CodeUnit)
        .with_actor(ActorId::from(vec![1; 16]));
    let new = new_meeting(&["ll1", "gl1"]);
    act(&mut doc, "gl1", T0, |d, c| {
        create_meeting(d, c, new).unwrap()
    });
    doc
}

#[test]
fn a_meeting_history_and_its_notes_name_the_phone_that_wrote_each_part() {
    let mut gl1 = meeting();
    act(&mut gl1, "gl1", T0 + MINUTE, |d, c| {
        let item = NewAgendaItem {
            id: "i".into(),
            title: "停车".into(),
            concerns: vec![],
        };
        add_agenda_item(d, c, item).unwrap();
    });
    let mut ll1 = device(&mut gl1, 2);
    // Both type into the minutes at once, offline from each other.
    let typed = |doc: &mut AutoCommit, text: &str, at: i64| {
        let seen = doc.get_heads();
        let old = read_notes(doc, Notes::Minutes).unwrap();
        let new = format!("{old}{text}");
        let len = new.encode_utf16().count();
        let splice = diff_utf16(&old, &new, len).unwrap();
        apply_typed(doc, Notes::Minutes, &seen, &splice, at).unwrap();
    };
    typed(&mut gl1, "组长：车位不够。", T0 + 2 * MINUTE);
    typed(&mut ll1, "邻长：晚上占道。", T0 + 2 * MINUTE);
    act(&mut ll1, "ll1", T0 + 3 * MINUTE, |d, c| {
        vote(d, c, "i", VoteChoice::For).unwrap()
    });
    act(&mut gl1, "gl1", T0 + 4 * MINUTE, |d, c| {
        decide(d, c, "i", "划线停车").unwrap()
    });
    sync_pair(&mut gl1, &mut ll1);

    let parts: Vec<(String, Vec<Part>)> = meeting_history(&mut ll1)
        .into_iter()
        .map(|e| (e.actor, e.parts))
        .collect();
    for expected in [
        (hex(1), vec![Part::Recorded]),
        (hex(1), vec![Part::Agenda]),
        (hex(1), vec![Part::Minutes]),
        (hex(2), vec![Part::Minutes]),
        (hex(2), vec![Part::Votes]),
        (hex(1), vec![Part::Decision]),
    ] {
        assert!(parts.contains(&expected), "{expected:?} in {parts:?}");
    }
    assert_eq!(parts.len(), 6);

    // Who wrote which part: two runs, each exactly what its phone typed.
    let mut runs = notes_authors(&ll1, Notes::Minutes).unwrap();
    runs.sort_by(|a, b| a.actor.cmp(&b.actor));
    assert_eq!(
        runs,
        vec![
            Written {
                actor: hex(1),
                text: "组长：车位不够。".into()
            },
            Written {
                actor: hex(2),
                text: "邻长：晚上占道。".into()
            },
        ]
    );
    // Deleting and retyping keeps only what is there, under who typed it.
    let seen = gl1.get_heads();
    let now = read_notes(&gl1, Notes::Minutes).unwrap();
    let shorter = now.replacen("晚上", "", 1);
    let splice = diff_utf16(&now, &shorter, 0).unwrap();
    apply_typed(&mut gl1, Notes::Minutes, &seen, &splice, T0 + 5 * MINUTE).unwrap();
    let text: String = notes_authors(&gl1, Notes::Minutes)
        .unwrap()
        .into_iter()
        .filter(|w| w.actor == hex(2))
        .map(|w| w.text)
        .collect();
    assert_eq!(text, "邻长：占道。");
    assert!(matches!(
        notes_authors(&gl1, Notes::Item("none")),
        Err(DomainError::NotFound { .. })
    ));
}

#[test]
fn typing_runs_fold_into_one_row_per_member_and_pause() {
    let edit = |actor: u8, time_s: i64, part: Part| Edit {
        actor: hex(actor),
        time_s,
        parts: vec![part],
    };
    let edits = vec![
        edit(1, 100, Part::Minutes),
        edit(1, 130, Part::Minutes),
        edit(1, 160, Part::Minutes),
        edit(2, 170, Part::Minutes),
        edit(1, 180, Part::Minutes),
        edit(1, 190, Part::Votes),
        edit(1, 900, Part::Votes),
    ];
    let folded: Vec<(u8, i64, usize)> = fold_runs(edits, 300)
        .into_iter()
        .map(|(e, n)| (u8::from_str_radix(&e.actor[..2], 16).unwrap(), e.time_s, n))
        .collect();
    assert_eq!(
        folded,
        vec![
            (1, 160, 3),
            (2, 170, 1),
            (1, 180, 1),
            (1, 190, 1),
            (1, 900, 1)
        ]
    );
}

#[test]
fn the_changes_since_some_heads_name_the_collections_they_wrote() {
    let mut doc = sample_community();
    let acknowledged = doc.get_heads();
    act(&mut doc, "cm1", T0, |d, c| {
        let unit = OrgUnit {
            id: "nb9".into(),
            kind: UnitKind::Neighbourhood,
            name: "三邻".into(),
            parent: Some("group1".into()),
        };
        add_unit(d, c, unit).unwrap();
    });
    act(&mut doc, "cm1", T0 + MINUTE, |d, c| {
        record_concern(d, c, new_concern("c1", "路灯坏了")).unwrap();
        set_fund_allocation(d, c, "ll1", 20_000).unwrap();
    });
    let since: Vec<(i64, Vec<Part>)> = edits_since(&mut doc, &acknowledged)
        .into_iter()
        .map(|e| (e.time_s, e.parts))
        .collect();
    assert_eq!(
        since,
        vec![
            (T0 / 1000, vec![Part::OrgTree]),
            ((T0 + MINUTE) / 1000, vec![Part::Concerns, Part::Funds]),
        ]
    );
    let now = doc.get_heads();
    assert!(edits_since(&mut doc, &now).is_empty());
    // In a meeting document, the meeting's parts.
    let mut m = meeting();
    let created = m.get_heads();
    act(&mut m, "gl1", T0 + HOUR, |d, c| {
        let item = NewAgendaItem {
            id: "i".into(),
            title: "停车".into(),
            concerns: vec![],
        };
        add_agenda_item(d, c, item).unwrap();
    });
    let parts: Vec<Vec<Part>> = edits_since(&mut m, &created)
        .into_iter()
        .map(|e| e.parts)
        .collect();
    assert_eq!(parts, vec![vec![Part::Agenda]]);
}

/// What opening a concern's history costs on a community of 2,000 concerns (4,000 changes,
/// each committed as the app commits): median of 7 runs. Run with
/// `cargo test -p linli-shared --release --test history -- --ignored --nocapture`.
#[test]
#[ignore]
fn cost_of_a_concern_history() {
    let mut doc = sample_community();
    for i in 0..2_000 {
        let id = format!("c{i}");
        act(&mut doc, "ll1", T0 + i, |d, c| {
            record_concern(d, c, new_concern(&id, "路灯")).unwrap();
        });
        if i % 2 == 0 {
            act(&mut doc, "ll1", T0 + i, |d, c| claim(d, c, &id).unwrap());
            act(&mut doc, "ll1", T0 + i, |d, c| {
                resolve(d, c, &id, "修好").unwrap();
            });
        }
    }
    let mut times: Vec<std::time::Duration> = (0..7)
        .map(|_| {
            let mut copy = doc.clone();
            let start = std::time::Instant::now();
            assert_eq!(concern_history(&mut copy, "c1000").len(), 3);
            start.elapsed()
        })
        .collect();
    times.sort();
    let changes = doc.get_changes(&[]).len();
    println!(
        "concern history on 2,000 concerns ({changes} changes): median {:?} (min {:?}, max {:?})",
        times[3], times[0], times[6]
    );
}
