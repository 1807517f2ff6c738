//! CSV as Excel in China opens it: UTF-8 with a byte-order mark, CRLF lines,
//! RFC 4180 quoting.

use super::{Cell, Table};

/// The table as CSV text, BOM first. Text that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) gets a leading `'`, so a resident's words
/// never become a formula.
pub fn to_csv(table: &Table) -> String {
    let mut out = String::from("\u{FEFF}");
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        let mut first = true;
        for c in cells {
            if !first {
                out.push(',');
            }
            first = false;
            if c.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&c.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&c);
            }
        }
        out.push_str("\r\n");
    };
    line(&mut out, &mut table.headers.iter().map(|h| h.to_string()));
    for row in &table.rows {
        line(
            &mut out,
            &mut row.iter().map(|c| match c {
                Cell::Text(t) if t.starts_with(['=', '+', '-', '@']) => format!("'{t}"),
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => n.to_string(),
            }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_quoting_and_formula_guard() {
        let t = Table {
            name: "t".into(),
            headers: vec!["标题", "数量"],
            rows: vec![
                vec![Cell::text("楼道灯, \"坏了\""), Cell::Number(3.0)],
                vec![Cell::text("=HYPERLINK(1)"), Cell::Number(2.5)],
                vec![Cell::text("两行\n文字"), Cell::Number(-1.0)],
            ],
        };
        assert_eq!(
            to_csv(&t),
            "\u{FEFF}标题,数量\r\n\"楼道灯, \"\"坏了\"\"\",3\r\n'=HYPERLINK(1),2.5\r\n\"两行\n文字\",-1\r\n"
        );
    }
}
