//! Owns how dates and times are shown to users: Indonesian month names and Western
//! Indonesia Time (WIB, UTC+7; Indonesia has no daylight saving). Storage stays UTC.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};

/// Offset of WIB from UTC, in hours.
pub const WIB_OFFSET_HOURS: i64 = 7;

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// Indonesian month name for 1–12 (empty otherwise).
pub fn month_name_id(month: u32) -> &'static str {
    month.checked_sub(1).and_then(|i| MONTHS.get(i as usize)).copied().unwrap_or("")
}

/// `3 Maret 2026`.
pub fn format_date_id(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name_id(d.month()), d.year())
}

/// The wall-clock time in WIB of a UTC instant.
pub fn to_wib(dt: DateTime<Utc>) -> NaiveDateTime {
    let naive = dt.naive_utc();
    naive.checked_add_signed(TimeDelta::hours(WIB_OFFSET_HOURS)).unwrap_or(naive)
}

/// The calendar date in WIB of a UTC instant.
pub fn date_wib(dt: DateTime<Utc>) -> NaiveDate {
    to_wib(dt).date()
}

/// `3 Maret 2026 14.05 WIB` (Indonesian style uses a dot between hours and minutes).
pub fn format_datetime_wib(dt: DateTime<Utc>) -> String {
    let local = to_wib(dt);
    format!("{} {:02}.{:02} WIB", format_date_id(local.date()), local.hour(), local.minute())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn formats_dates_in_indonesian() {
        assert_eq!(format_date_id(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()), "3 Maret 2026");
        assert_eq!(
            format_date_id(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
            "31 Desember 2025"
        );
        assert_eq!(month_name_id(1), "Januari");
        assert_eq!(month_name_id(8), "Agustus");
        assert_eq!(month_name_id(0), "");
        assert_eq!(month_name_id(13), "");
    }

    #[test]
    fn shows_times_in_wib() {
        assert_eq!(format_datetime_wib(utc("2026-03-03T07:05:00Z")), "3 Maret 2026 14.05 WIB");
        // 20:30 UTC is already the next day in Serang.
        let late = utc("2026-03-03T20:30:00Z");
        assert_eq!(format_datetime_wib(late), "4 Maret 2026 03.30 WIB");
        assert_eq!(date_wib(late), NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        assert_eq!(
            date_wib(utc("2026-03-03T16:59:59Z")),
            NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()
        );
    }
}
