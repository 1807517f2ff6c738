//! Calendar arithmetic for the ledgers, without a clock: months are counted in
//! China Standard Time (UTC+8, no daylight saving).

/// UTC+8 in milliseconds.
pub const CHINA_UTC_OFFSET_MS: i64 = 8 * 3_600_000;

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

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

/// Milliseconds since midnight, China time, of an instant.
pub fn china_ms_of_day(ms: i64) -> i64 {
    (ms + CHINA_UTC_OFFSET_MS).rem_euclid(DAY_MS)
}

/// Whether `month` is a "YYYY-MM" key.
pub(crate) fn is_month_key(month: &str) -> bool {
    let b = month.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && matches!(
            &month[5..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
}

/// A half-open span of time `[from_ms, to_ms)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's days-from-civil).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The instant China's calendar month `(y, m)` begins (m may run past 12).
fn china_month_start(y: i64, m: u32) -> i64 {
    let (y, m) = (y + i64::from((m - 1) / 12), (m - 1) % 12 + 1);
    days_from_civil(y, m, 1) * DAY_MS - CHINA_UTC_OFFSET_MS
}

impl Period {
    pub fn contains(&self, ms: i64) -> bool {
        self.from_ms <= ms && ms < self.to_ms
    }

    /// The China-time calendar month holding `ms`.
    pub fn month_of(ms: i64) -> Period {
        let (y, m, _) = china_date(ms);
        Period {
            from_ms: china_month_start(y, m),
            to_ms: china_month_start(y, m + 1),
        }
    }

    /// The China-time calendar quarter holding `ms` (the 一季一点评 review).
    pub fn quarter_of(ms: i64) -> Period {
        let (y, m, _) = china_date(ms);
        let first = (m - 1) / 3 * 3 + 1;
        Period {
            from_ms: china_month_start(y, first),
            to_ms: china_month_start(y, first + 3),
        }
    }

    /// The China-time calendar year holding `ms`.
    pub fn year_of(ms: i64) -> Period {
        let (y, _, _) = china_date(ms);
        Period {
            from_ms: china_month_start(y, 1),
            to_ms: china_month_start(y, 13),
        }
    }

    /// Everything.
    pub fn all() -> Period {
        Period {
            from_ms: i64::MIN,
            to_ms: i64::MAX,
        }
    }
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

    #[test]
    fn month_keys_and_time_of_day() {
        assert!(is_month_key("2026-12"));
        for bad in [
            "2026-13",
            "2026-00",
            "26-12",
            "2026/12",
            "2026-1",
            "２０２６-12",
        ] {
            assert!(!is_month_key(bad), "{bad}");
        }
        // 2026-11-21T11:05:00Z is 19:05 in China.
        assert_eq!(china_ms_of_day(1_795_259_100_000), (19 * 60 + 5) * 60_000);
        assert_eq!(china_ms_of_day(-CHINA_UTC_OFFSET_MS), 0);
        let november = Period::month_of(1_795_259_100_000);
        assert_eq!(
            november.to_ms - november.from_ms,
            30 * DAY_MS,
            "November has 30 days"
        );
    }
}
