//! Reading a downloaded .xlsx back: its parts and its worksheet rows.

use std::io::Read;

/// Cell texts of every row of a worksheet (inline strings and numbers).
pub fn sheet_rows(xml: &str) -> Vec<Vec<String>> {
    xml.split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<c ")
                .skip(1)
                .map(|c| {
                    let pick = |open: &str, close: &str| {
                        let s = &c[c.find(open)?..];
                        Some(s[s.find('>')? + 1..s.find(close)?].to_string())
                    };
                    pick("<t", "</t>")
                        .or_else(|| pick("<v", "</v>"))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

pub fn unzip(bytes: Vec<u8>, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the .xlsx is a zip");
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the workbook"))
        .read_to_string(&mut s)
        .expect("utf-8 part");
    s
}
