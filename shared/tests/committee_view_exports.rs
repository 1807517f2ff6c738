//! Committee view (issue 7): the exported files (workbook, CSV, activity
//! table, Open311 GeoReport), read back and checked against the fixture.

mod committee_fixture;
mod common;

use std::io::Read;

use committee_fixture::*;
use common::*;
use linli_shared::domain::*;
use linli_shared::export::*;

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
