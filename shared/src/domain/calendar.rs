//! Calendar arithmetic for the ledgers, without a clock: months are counted in
//! China Standard Time (UTC+8, no daylight saving).

/// UTC+8 in milliseconds.
pub const CHINA_UTC_OFFSET_MS: i64 = 8 * 3_600_000;

const DAY_MS: i64 = 86_400_000;

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01
/// (H. Hinnant's civil-from-days algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The calendar date in China of an instant (ms since the Unix epoch).
pub fn china_date(ms: i64) -> (i64, u32, u32) {
    civil_from_days((ms + CHINA_UTC_OFFSET_MS).div_euclid(DAY_MS))
}

/// "YYYY-MM" of an instant, in China time.
pub fn month_key(ms: i64) -> String {
    let (y, m, _) = china_date(ms);
    format!("{y:04}-{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(china_date(0), (1970, 1, 1));
        // 2026-11-21T11:05:00Z
        assert_eq!(china_date(1_795_259_100_000), (2026, 11, 21));
        // 2024-02-29T12:00:00Z (leap day)
        assert_eq!(china_date(1_709_208_000_000), (2024, 2, 29));
        // 2026-12-31T16:00:00Z is 2027-01-01 00:00 in China.
        assert_eq!(month_key(1_798_732_800_000), "2027-01");
        assert_eq!(month_key(1_798_732_799_999), "2026-12");
        // Before the epoch.
        assert_eq!(china_date(-DAY_MS - CHINA_UTC_OFFSET_MS), (1969, 12, 31));
    }
}
