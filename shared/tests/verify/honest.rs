//! No false positives beyond the randomized test: the commands it does not run, each by a
//! member who may, pass `verify`.

use super::*;

/// Runs `command` as `member` on `doc` and asks `verify` about what it wrote.
fn honest(doc: &mut AutoCommit, member: &str, command: impl FnOnce(&mut AutoCommit, &Ctx)) {
    let before = doc.get_heads();
    command(doc, &ctx(member, T0 + HOUR));
    doc.get_heads();
    assert_eq!(verify(doc, &before, &author(member)), Ok(()), "{member}");
}

#[test]
fn the_other_commands_pass_for_who_may_do_them() {
    let mut doc = AutoCommit::new();
    let creator = Author {
        member: "cm1",
        role: Some(Role::Committee),
        admin: true,
    };
    init_community(&mut doc, "xd", "兴东社区").unwrap();
    let area = OrgUnit {
        id: "area1".into(),
        kind: UnitKind::Area,
        name: "一片".into(),
        parent: None,
    };
    add_unit(&mut doc, &ctx("cm1", T0), area).unwrap();
    assert_eq!(verify(&doc, &[], &creator), Ok(()));
    let mut doc = community_with_concern();
    let joined = NewMember {
        id: "ll7".into(),
        name: "新邻长".into(),
        role: Role::NeighbourLeader,
        unit: None,
    };
    honest(&mut doc, "ll7", |d, cx| add_member(d, cx, joined).unwrap());
    honest(&mut doc, "ll1", |d, cx| {
        add_photo(d, cx, "c", "p1").unwrap()
    });
    honest(&mut doc, "ll2", |d, cx| {
        record_concern(d, cx, new_concern("dup", "路灯又坏")).unwrap();
    });
    honest(&mut doc, "ll2", |d, cx| {
        merge_concern(d, cx, "dup", "c", "同一件事").unwrap()
    });
    honest(&mut doc, "ll1", |d, cx| {
        let o = NewOrder {
            id: "o1".into(),
            month: "2026-11".into(),
            request: "代买药".into(),
            household: None,
            resident: "张阿姨".into(),
        };
        place_order(d, cx, o).unwrap()
    });
    honest(&mut doc, "gl1", |d, cx| take_order(d, cx, "o1").unwrap());
    honest(&mut doc, "gl1", |d, cx| {
        complete_order(d, cx, "o1", "送到").unwrap()
    });
    honest(&mut doc, "cm1", |d, cx| {
        let t = NewTask {
            id: "t1".into(),
            owner: "ll1".into(),
            month: "2026-11".into(),
            title: "走访".into(),
        };
        add_task(d, cx, t).unwrap()
    });
    honest(&mut doc, "ll1", |d, cx| complete_task(d, cx, "t1").unwrap());
    honest(&mut doc, "gl1", |d, cx| {
        index_meeting(d, cx, meeting_ref("m")).unwrap()
    });
    honest(&mut doc, "ll1", |d, cx| {
        index_concern(d, cx, "m", "c").unwrap()
    });
    honest(&mut doc, "ll1", |d, cx| {
        unindex_concern(d, cx, "m", "c").unwrap()
    });
    let mut meeting = meetings::meeting_by("gl1");
    honest(&mut meeting, "ll1", |d, cx| {
        link_concern(d, cx, "i", "c").unwrap()
    });
    honest(&mut meeting, "ll1", |d, cx| {
        unlink_concern(d, cx, "i", "c").unwrap()
    });
    honest(&mut meeting, "ll1", |d, _| {
        set_notes(d, Notes::Minutes, "会议纪要").unwrap()
    });
    honest(&mut meeting, "gl1", |d, _| {
        let p = Participant {
            id: "ll2".into(),
            name: "LL2".into(),
            role: PartyRole::Representative,
        };
        add_participant(d, p).unwrap()
    });
    let mut photo = AutoCommit::new();
    honest(&mut photo, "ll1", |d, cx| {
        let p = NewPhoto {
            mime: "image/jpeg".into(),
            width: 1,
            height: 1,
            bytes: vec![1, 2, 3],
        };
        create_photo(d, cx, p).unwrap()
    });
}
