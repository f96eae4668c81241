//! Calendar dates (`YYYY-MM-DD`) for the `checked` field of catalog entries.

use std::fmt;

/// A calendar date in the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`. Returns a message saying what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("{text:?} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-27");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("{text:?} is not a calendar date"));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The UTC date of a time in seconds since 1970-01-01 00:00 UTC.
    pub fn at_seconds(seconds: i64) -> Date {
        Date::from_days_since_epoch(seconds.div_euclid(86_400))
    }

    /// The date's first second, UTC, in seconds since 1970-01-01 00:00 UTC.
    pub fn start_seconds(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The first day of the month after this date's.
    pub fn next_month(self) -> Date {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        Date {
            year,
            month,
            day: 1,
        }
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-31 23:59:59 UTC is second 1,798,761,599 (day 20,818); its month's successor is
    /// January 2027.
    #[test]
    fn seconds_and_months() {
        let d = Date::parse("2026-12-31").unwrap();
        assert_eq!(d.start_seconds(), 20_818 * 86_400);
        assert_eq!(Date::at_seconds(d.start_seconds() + 86_399), d);
        assert_eq!(Date::at_seconds(-1), Date::parse("1969-12-31").unwrap());
        assert_eq!(d.next_month(), Date::parse("2027-01-01").unwrap());
        assert_eq!(
            Date::parse("2026-02-10").unwrap().next_month(),
            Date::parse("2026-03-01").unwrap()
        );
    }

    #[test]
    fn parses_and_counts_days() {
        let cases: &[(&str, i64)] = &[
            ("1970-01-01", 0),
            ("2000-03-01", 11_017),
            ("2026-11-27", 20_784),
            ("2024-02-29", 19_782),
        ];
        for (text, days) in cases {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.days_since_epoch(), *days, "{text}");
            assert_eq!(Date::from_days_since_epoch(*days), d);
            assert_eq!(d.to_string(), *text);
        }
        let a = Date::parse("2025-10-04").unwrap();
        let b = Date::parse("2026-11-27").unwrap();
        assert_eq!(a.days_until(b), 419);
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "2023-02-29",
            "26-11-27",
            "2026/11/27",
            "late 2025",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
