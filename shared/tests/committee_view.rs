//! Committee view (issue 7): period figures, overdue, activity in a period and
//! the exported files, checked against figures computed by hand and read back.

mod common;

use std::collections::BTreeMap;
use std::io::Read;

use common::*;
use linli_shared::domain::*;
use linli_shared::export::*;

/// 2026-12-01T00:00:00+08:00.
const DEC1: i64 = T0 + 29 * DAY;

fn new(id: &str, title: &str, place: Option<&str>, due: Option<i64>) -> NewConcern {
    NewConcern {
        id: id.into(),
        title: title.into(),
        category: Category::Lighting,
        place: place.map(Into::into),
        due_at: due,
        ..Default::default()
    }
}

/// Four concerns over November and December (stories in the comments), two
/// visits and one meeting.
fn fixture() -> automerge::AutoCommit {
    let mut d = sample_community();
    let doc = &mut d;
    // k1: Nov 2, due Nov 5, claimed by ll1 Nov 2 +1 h, resolved Dec 3 (late).
    record_concern(
        doc,
        &ctx("ll1", T0),
        new(
            "k1",
            "路灯坏了 13812345678",
            Some("hh1a"),
            Some(T0 + 3 * DAY),
        ),
    )
    .unwrap();
    claim(doc, &ctx("ll1", T0 + HOUR), "k1").unwrap();
    resolve(
        doc,
        &ctx("ll1", DEC1 + 2 * DAY),
        "k1",
        "换灯, 已通知 13812345678",
    )
    .unwrap();
    // k2: Nov 10, due Nov 12, escalated to 组 Nov 10 +1 h, never claimed: overdue at 组.
    record_concern(
        doc,
        &ctx("ll2", T0 + 8 * DAY),
        new("k2", "=车乱停", Some("nb2"), Some(T0 + 10 * DAY)),
    )
    .unwrap();
    escalate(doc, &ctx("ll2", T0 + 8 * DAY + HOUR), "k2", None, "需协调").unwrap();
    // k3: Dec 2, due Dec 20: open, not overdue on Dec 10.
    record_concern(
        doc,
        &ctx("ll1", DEC1 + DAY),
        new("k3", "楼道堆物", None, Some(DEC1 + 19 * DAY)),
    )
    .unwrap();
    // k4: Dec 4, due Dec 5, open at 邻: overdue on Dec 10.
    record_concern(
        doc,
        &ctx("ll2", DEC1 + 3 * DAY),
        new("k4", "井盖松动", Some("hh2a"), Some(DEC1 + 4 * DAY)),
    )
    .unwrap();
    for (id, by, at) in [("v1", "ll1", T0 + DAY), ("v2", "ll1", DEC1 + DAY)] {
        log_visit(
            doc,
            &ctx(by, at),
            NewVisit {
                id: id.into(),
                note: "走访".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    index_meeting(
        doc,
        &ctx("cm1", DEC1),
        NewMeetingRef {
            id: "m1".into(),
            kind: MeetingKind::WeeklyBriefing,
            title: "民情碰头会".into(),
            starts_at: DEC1 + 5 * DAY,
            place: "社区".into(),
        },
    )
    .unwrap();
    d
}

#[test]
fn periods_are_china_calendar_months_and_quarters() {
    let nov = Period::month_of(T0 + 5 * DAY);
    assert_eq!(
        nov,
        Period {
            from_ms: T0 - DAY,
            to_ms: DEC1
        }
    );
    // 2026-10-01T00:00+08:00 … 2027-01-01T00:00+08:00.
    let q4 = Period::quarter_of(T0);
    assert_eq!(q4.from_ms, T0 - 32 * DAY);
    assert_eq!(q4.to_ms, 1_798_732_800_000);
    assert_eq!(Period::month_of(DEC1 + DAY).to_ms, q4.to_ms);
    assert_eq!(Period::year_of(T0).to_ms, q4.to_ms);
    assert!(nov.contains(T0 - DAY) && !nov.contains(DEC1));
}

#[test]
fn december_figures_by_hand() {
    let doc = fixture();
    let (cs, units, visits) = (
        list_concerns(&doc).unwrap(),
        list_units(&doc).unwrap(),
        list_visits(&doc).unwrap(),
    );
    let dec = Period::month_of(DEC1);
    // Raised in December: k3, k4 (both open). k1 was resolved in December but raised in November.
    let l = period_ledger(&cs, &units, &visits, &dec);
    assert_eq!(
        l.total,
        Counts {
            raised: 2,
            resolved: 0
        }
    );
    assert_eq!(l.total.open(), 2);
    assert_eq!(
        l.by_level,
        [(
            Level::Neighbour,
            Counts {
                raised: 2,
                resolved: 0
            }
        )]
        .into()
    );
    let by_area: BTreeMap<_, _> = [
        (
            None,
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
        (
            Some("area2".to_string()),
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
    ]
    .into();
    assert_eq!(l.by_area, by_area);
    assert_eq!(l.median_ms_to_claim, None);
    assert_eq!(l.members.get("ll1").map(|a| a.visits), Some(1));
    // November: k1 (resolved, 31 d 23 h after raising... counted by raise month) and k2.
    let n = period_ledger(&cs, &units, &visits, &Period::month_of(T0));
    assert_eq!(
        n.total,
        Counts {
            raised: 2,
            resolved: 1
        }
    );
    assert_eq!(n.median_ms_to_claim, Some(HOUR));
    assert_eq!(n.median_ms_to_resolve, Some(31 * DAY));
    // By 组: k1 (hh1a → group1) resolved, k2 (nb2 → group2) open, k3 no place, k4 (hh2a → group2).
    let by_group = counts_by_group(&cs, &units);
    let want: BTreeMap<_, _> = [
        (
            None,
            Counts {
                raised: 1,
                resolved: 0,
            },
        ),
        (
            Some("group1".to_string()),
            Counts {
                raised: 1,
                resolved: 1,
            },
        ),
        (
            Some("group2".to_string()),
            Counts {
                raised: 2,
                resolved: 0,
            },
        ),
    ]
    .into();
    assert_eq!(by_group, want);
    assert_eq!(group_of(&units, "group1").as_deref(), Some("group1"));
    assert_eq!(group_of(&units, "area1"), None, "a 片 is above the 组");
    // Overdue on Dec 10: k2 at 组 (due Nov 12), k4 at 邻 (due Dec 5); k1 done, k3 not due.
    let overdue = overdue_by_level(&cs, DEC1 + 9 * DAY);
    assert_eq!(overdue, [(Level::Neighbour, 1), (Level::Group, 1)].into());
}

#[test]
fn activity_counts_each_act_in_its_own_period() {
    let doc = fixture();
    let (cs, visits, meetings) = (
        list_concerns(&doc).unwrap(),
        list_visits(&doc).unwrap(),
        list_meetings(&doc).unwrap(),
    );
    let dec = activity_in(&cs, &visits, &meetings, &Period::month_of(DEC1));
    // ll1 in December: recorded k3, resolved k1 (raised in November), one visit.
    assert_eq!(
        dec["ll1"],
        PeriodActivity {
            recorded: 1,
            resolved: 1,
            visits: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        dec["ll2"],
        PeriodActivity {
            recorded: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        dec["cm1"],
        PeriodActivity {
            meetings: 1,
            ..Default::default()
        }
    );
    assert_eq!(dec["ll1"].total(), 3);
    let nov = activity_in(&cs, &visits, &meetings, &Period::month_of(T0));
    assert_eq!(
        nov["ll1"],
        PeriodActivity {
            recorded: 1,
            claimed: 1,
            visits: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        nov["ll2"],
        PeriodActivity {
            recorded: 1,
            escalated: 1,
            ..Default::default()
        }
    );
    assert_eq!(nov.len(), 2);
}

fn names(doc: &automerge::AutoCommit) -> (Vec<Member>, Vec<OrgUnit>) {
    (list_members(doc).unwrap(), list_units(doc).unwrap())
}

/// The text of every cell of a worksheet, row by row (inline strings and numbers).
fn sheet_cells(xml: &str) -> Vec<Vec<String>> {
    xml.split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|c| {
                    let inner = |open: &str, close: &str| {
                        c.find(open).and_then(|i| {
                            let s = &c[i..];
                            let start = s.find('>')? + 1;
                            let end = s.find(close)?;
                            Some(s[start..end].to_string())
                        })
                    };
                    inner("<t", "</t>")
                        .or_else(|| inner("<v", "</v>"))
                        .unwrap_or_default()
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&amp;", "&")
                })
                .collect()
        })
        .collect()
}

fn read(z: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the workbook"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn ledger_workbook_reads_back_with_the_same_rows() {
    let doc = fixture();
    let cs = list_concerns(&doc).unwrap();
    let (members, units) = names(&doc);
    let n = Names {
        members: &members,
        units: &units,
    };
    let nov: Vec<&Concern> = raised_in(&cs, &Period::month_of(T0));
    let ledger = concern_table(&nov, &n);
    let meetings = list_meetings(&doc).unwrap();
    let meeting_rows = meeting_table(&meetings.iter().collect::<Vec<_>>(), &n);
    let bytes = to_xlsx(&[&ledger, &meeting_rows]);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
    ] {
        assert!(z.by_name(part).is_ok(), "{part}");
    }
    let book = read(&mut z, "xl/workbook.xml");
    assert!(book.contains("name=\"民情台账\"") && book.contains("name=\"议事会议\""));
    let cells = sheet_cells(&read(&mut z, "xl/worksheets/sheet1.xml"));
    assert_eq!(cells.len(), 3, "header + the two November concerns");
    assert_eq!(cells[0][..4], ["编号", "反映时间", "事项", "类别"]);
    // Newest first, as list_concerns gives them: k2 then k1.
    let k2 = &cells[1];
    assert_eq!(k2[0], "k2");
    assert_eq!(k2[1], "2026-11-10 00:00");
    assert_eq!(k2[2], "=车乱停");
    assert_eq!(k2[4], "片 · 组 · 邻");
    assert_eq!(k2[7], "组");
    assert_eq!(k2[8], "待领办");
    let k1 = &cells[2];
    assert_eq!(k1[0], "k1");
    assert_eq!(k1[2], "路灯坏了 138****5678", "phone masked");
    assert_eq!(k1[12], "换灯, 已通知 138****5678");
    assert_eq!(k1[9], "LL1", "who took it on, after it was resolved");
    assert_eq!(k2[9], "", "never claimed");
    assert_eq!(k1[13], "1", "1 hour to claim");
    assert_eq!(k1[14], "744", "31 days to resolve");
    let m = sheet_cells(&read(&mut z, "xl/worksheets/sheet2.xml"));
    assert_eq!(m[1][..3], ["2026-12-06 00:00", "民情碰头会", "民情碰头会"]);
}

#[test]
fn csv_holds_the_same_rows_as_the_workbook() {
    let doc = fixture();
    let cs = list_concerns(&doc).unwrap();
    let (members, units) = names(&doc);
    let n = Names {
        members: &members,
        units: &units,
    };
    let t = concern_table(&cs.iter().collect::<Vec<_>>(), &n);
    let csv = to_csv(&t);
    assert!(csv.starts_with('\u{FEFF}'));
    let lines: Vec<&str> = csv
        .trim_start_matches('\u{FEFF}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("编号,反映时间,事项,类别,地点"));
    assert!(!csv.contains("13812345678"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("k2,2026-11-10 00:00,'=车乱停,")),
        "formula guarded"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"换灯, 已通知 138****5678\"")),
        "comma quoted"
    );
}

#[test]
fn activity_table_ranks_members() {
    let doc = fixture();
    let (cs, visits, meetings) = (
        list_concerns(&doc).unwrap(),
        list_visits(&doc).unwrap(),
        list_meetings(&doc).unwrap(),
    );
    let (members, units) = names(&doc);
    let n = Names {
        members: &members,
        units: &units,
    };
    let act = activity_in(&cs, &visits, &meetings, &Period::month_of(DEC1));
    let t = activity_table(&act, &n);
    assert_eq!(t.headers[0], "代表");
    let totals: Vec<f64> = t
        .rows
        .iter()
        .map(|r| match r.last() {
            Some(Cell::Number(v)) => *v,
            _ => -1.0,
        })
        .collect();
    assert_eq!(totals, [3.0, 1.0, 1.0]);
}

#[test]
fn open311_georeport_shape() {
    let doc = fixture();
    let cs = list_concerns(&doc).unwrap();
    let (members, units) = names(&doc);
    let n = Names {
        members: &members,
        units: &units,
    };
    let k1: Vec<&Concern> = cs.iter().filter(|c| c.id == "k1").collect();
    let json = georeport_v2(&k1, &n);
    assert_eq!(
        json,
        concat!(
            "[{\"service_request_id\":\"k1\",\"status\":\"closed\",",
            "\"status_notes\":\"换灯, 已通知 138****5678\",\"service_name\":\"照明\",",
            "\"service_code\":\"lighting\",\"description\":\"路灯坏了 138****5678\",",
            "\"agency_responsible\":\"邻\",\"service_notice\":\"已办结\",",
            "\"requested_datetime\":\"2026-11-02T00:00:00+08:00\",",
            "\"updated_datetime\":\"2026-12-03T00:00:00+08:00\",",
            "\"expected_datetime\":\"2026-11-05T00:00:00+08:00\",",
            "\"address\":\"片 · 组 · 邻 · 户\",\"address_id\":\"hh1a\",",
            "\"zipcode\":null,\"lat\":null,\"long\":null,\"media_url\":null}]"
        )
    );
    assert_eq!(iso_china(0), "1970-01-01T08:00:00+08:00");
    assert_eq!(datetime_china(T0 + 90 * MINUTE), "2026-11-02 01:30");
}

fn order(id: &str, request: &str) -> NewOrder {
    NewOrder {
        id: id.into(),
        month: "2026-11".into(),
        request: request.into(),
        household: Some("hh1a".into()),
        resident: "张阿姨".into(),
    }
}

#[test]
fn service_day_orders_are_taken_and_delivered() {
    let mut d = sample_community();
    place_order(&mut d, &ctx("ll1", T0), order("o1", "理发")).unwrap();
    place_order(&mut d, &ctx("ll1", T0 + 1), order("o2", "修水龙头")).unwrap();
    take_order(&mut d, &ctx("ll2", T0 + HOUR), "o1").unwrap();
    // Someone else holds it: refused, nothing written.
    assert!(matches!(
        take_order(&mut d, &ctx("gl1", T0 + 2 * HOUR), "o1"),
        Err(DomainError::NotClaimant { .. })
    ));
    complete_order(&mut d, &ctx("ll2", T0 + 3 * HOUR), "o1", "已理发").unwrap();
    // Delivering an untaken order takes it too.
    complete_order(&mut d, &ctx("gl1", T0 + 4 * HOUR), "o2", "换了垫圈").unwrap();
    assert!(matches!(
        complete_order(&mut d, &ctx("gl1", T0 + 5 * HOUR), "o2", ""),
        Err(DomainError::AlreadyDone(_))
    ));
    let list = list_orders(&d, "2026-11").unwrap();
    let summary: Vec<_> = list
        .iter()
        .map(|o| (o.id.as_str(), o.taken_by.as_deref(), o.taken_at, o.done_at))
        .collect();
    assert_eq!(
        summary,
        [
            ("o1", Some("ll2"), Some(T0 + HOUR), Some(T0 + 3 * HOUR)),
            ("o2", Some("gl1"), Some(T0 + 4 * HOUR), Some(T0 + 4 * HOUR)),
        ]
    );
    assert_eq!(list[0].placed_by, "ll1");
    assert!(list_orders(&d, "2026-12").unwrap().is_empty());
    assert!(place_order(&mut d, &ctx("ll1", T0), order("o1", "重复")).is_err());
    assert!(place_order(
        &mut d,
        &ctx("ll1", T0),
        NewOrder {
            month: "2026-13".into(),
            ..order("o3", "x")
        }
    )
    .is_err());
}

#[test]
fn first_orders_placed_offline_on_two_phones_both_survive() {
    let mut a = sample_community();
    let mut b = device(&mut a, 9);
    place_order(&mut a, &ctx("ll1", T0), order("oa", "理发")).unwrap();
    place_order(&mut b, &ctx("ll2", T0 + 1), order("ob", "量血压")).unwrap();
    sync_pair(&mut a, &mut b);
    let ids = |d: &automerge::AutoCommit| -> Vec<String> {
        list_orders(d, "2026-11")
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect()
    };
    assert_eq!(ids(&a), ["oa", "ob"]);
    assert_eq!(ids(&b), ids(&a));
    // Both phones can still act on either order after the merge.
    take_order(&mut a, &ctx("ll1", T0 + HOUR), "ob").unwrap();
    complete_order(&mut b, &ctx("ll2", T0 + HOUR), "oa", "好了").unwrap();
    sync_pair(&mut a, &mut b);
    let list = list_orders(&a, "2026-11").unwrap();
    assert_eq!(list[0].done_note, "好了");
    assert_eq!(list[1].taken_by.as_deref(), Some("ll1"));
}
