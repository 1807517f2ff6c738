//! Exports of the committee view (issue 7), made on the phone: CSV (UTF-8 with
//! BOM), XLSX (a hand-written OOXML workbook in a stored ZIP) and the Open311
//! GeoReport v2 JSON of concerns. Pure functions; the app only downloads bytes.

mod csv;
mod open311;
mod tables;
mod xlsx;
mod zip;

pub use csv::to_csv;
pub use open311::{georeport_v2, iso_china};
pub use tables::{
    activity_table, concern_table, datetime_china, level_zh, meeting_table, status_zh, Names,
};
pub use xlsx::{column_name, to_xlsx};
pub use zip::{crc32, stored_zip};

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn count(n: usize) -> Cell {
        Cell::Number(n as f64)
    }
}

/// A table with named columns (the names are what the file's first row shows).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The worksheet's name in a workbook.
    pub name: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}
