//! A minimal Office Open XML workbook (.xlsx): one worksheet per table, inline
//! strings (no shared-string table), a bold header row, stored in a ZIP.

use super::zip::stored_zip;
use super::{Cell, Table};

/// Escapes text for XML, dropping characters XML 1.0 forbids.
fn esc(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// "A", "B" … "Z", "AA" … for a 0-based column.
pub fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A sheet name Excel accepts: ≤ 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, index: usize) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        format!("Sheet{}", index + 1)
    } else {
        clean
    }
}

fn text_cell(out: &mut String, r: &str, text: &str, style: u8) {
    out.push_str("<c r=\"");
    out.push_str(r);
    out.push_str("\" t=\"inlineStr\"");
    if style != 0 {
        out.push_str(&format!(" s=\"{style}\""));
    }
    out.push_str("><is><t xml:space=\"preserve\">");
    esc(text, out);
    out.push_str("</t></is></c>");
}

fn worksheet(table: &Table) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
         activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>",
    );
    if !table.headers.is_empty() {
        out.push_str(&format!(
            "<cols><col min=\"1\" max=\"{}\" width=\"16\" customWidth=\"1\"/></cols>",
            table.headers.len()
        ));
    }
    out.push_str("<sheetData>");
    out.push_str("<row r=\"1\">");
    for (i, h) in table.headers.iter().enumerate() {
        text_cell(&mut out, &format!("{}1", column_name(i)), h, 1);
    }
    out.push_str("</row>");
    for (n, row) in table.rows.iter().enumerate() {
        let r = n + 2;
        out.push_str(&format!("<row r=\"{r}\">"));
        for (i, cell) in row.iter().enumerate() {
            let at = format!("{}{r}", column_name(i));
            match cell {
                Cell::Text(t) => text_cell(&mut out, &at, t, 0),
                Cell::Number(v) if v.is_finite() => {
                    out.push_str(&format!("<c r=\"{at}\"><v>{v}</v></c>"));
                }
                Cell::Number(_) => {}
            }
        }
        out.push_str("</row>");
    }
    out.push_str("</sheetData></worksheet>");
    out
}

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// The workbook as .xlsx bytes, one worksheet per table, in order.
pub fn to_xlsx(tables: &[&Table]) -> Vec<u8> {
    let mut types = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    let mut book = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>",
    );
    let mut book_rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let mut sheets = Vec::new();
    let mut used = Vec::<String>::new();
    for (i, t) in tables.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        let mut name = sheet_name(&t.name, i);
        if used.contains(&name) {
            name = format!("Sheet{n}");
        }
        book.push_str("<sheet name=\"");
        esc(&name, &mut book);
        book.push_str(&format!("\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"));
        used.push(name);
        book_rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" \
             Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" \
             Target=\"worksheets/sheet{n}.xml\"/>"
        ));
        sheets.push((format!("xl/worksheets/sheet{n}.xml"), worksheet(t)));
    }
    let styles_id = tables.len() + 1;
    book_rels.push_str(&format!(
        "<Relationship Id=\"rId{styles_id}\" \
         Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" \
         Target=\"styles.xml\"/></Relationships>"
    ));
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    let mut files: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
    ];
    for (name, xml) in &sheets {
        files.push((name.as_str(), xml.as_bytes()));
    }
    stored_zip(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sheet_name("台账 2026/11", 0), "台账 202611");
        assert_eq!(sheet_name("[]", 2), "Sheet3");
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        let mut s = String::new();
        esc("a<b>&\"c\u{1}\n", &mut s);
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c\n");
    }
}
