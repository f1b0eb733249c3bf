//! Instants as they cross the wire. The text is RFC 3339 in UTC, as chrono writes it, so the
//! API is unchanged; formatting and parsing live here because chrono's own would add its
//! whole parser and formatter to the WASM for a date in a table cell.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A UTC instant, to the microsecond (the precision both databases keep).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    micros: i64,
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// (year, month, day) of a day counted from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from(if month > 2 { month - 3 } else { month + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Timestamp {
    pub fn from_micros(micros: i64) -> Self {
        Self { micros }
    }

    pub fn micros(self) -> i64 {
        self.micros
    }

    /// (year, month, day, hour, minute, second, microsecond)
    fn parts(self) -> (i64, u32, u32, u32, u32, u32, u32) {
        let days = self.micros.div_euclid(MICROS_PER_DAY);
        let rest = self.micros.rem_euclid(MICROS_PER_DAY);
        let (y, mo, d) = civil_from_days(days);
        let secs = rest / 1_000_000;
        (
            y,
            mo,
            d,
            (secs / 3600) as u32,
            (secs / 60 % 60) as u32,
            (secs % 60) as u32,
            (rest % 1_000_000) as u32,
        )
    }

    /// `2026-11-25`, as the table shows dates.
    pub fn date(self) -> String {
        let (y, mo, d, ..) = self.parts();
        format!("{y:04}-{mo:02}-{d:02}")
    }

    /// `2026-11-25 08:58 UTC`.
    pub fn date_time(self) -> String {
        let (y, mo, d, h, mi, ..) = self.parts();
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
    }

    /// `2026-11-25T08:58:41.523843Z`.
    pub fn rfc3339(self) -> String {
        let (y, mo, d, h, mi, s, us) = self.parts();
        if us == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{us:06}Z")
        }
    }

    /// RFC 3339 in UTC (`Z` or `+00:00`), with 0–9 fraction digits (kept to microseconds).
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = s.get(from..from + len)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)? as u32, num(8, 2)? as u32);
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut i = 19;
        let mut micros = 0i64;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = &s[start..i];
            if digits.is_empty() || digits.len() > 9 {
                return None;
            }
            let six: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(6)
                .collect();
            micros = six.parse().ok()?;
        }
        if !matches!(&s[i..], "Z" | "z" | "+00:00") {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
        Some(Self::from_micros(secs * 1_000_000 + micros))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse_rfc3339(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 UTC time: {s}")))
    }
}

#[cfg(feature = "server")]
impl From<chrono::DateTime<chrono::Utc>> for Timestamp {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        Self::from_micros(t.timestamp_micros())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn formats_and_parses_like_chrono() {
        // Every day from 1900 to 2100 at an odd time, plus the edges of leap years.
        let mut t = DateTime::parse_from_rfc3339("1900-01-01T13:07:09.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        while t.timestamp() < 4_102_444_800 {
            let ts = Timestamp::from_micros(t.timestamp_micros());
            let ours = ts.rfc3339();
            assert_eq!(ours, t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
            assert_eq!(ts.date(), t.format("%Y-%m-%d").to_string());
            assert_eq!(Timestamp::parse_rfc3339(&ours), Some(ts));
            t += chrono::Duration::hours(23);
        }
    }

    #[test]
    fn reads_what_chrono_and_scripts_write() {
        let t = Timestamp::parse_rfc3339("2024-02-29T23:59:60Z");
        assert!(t.is_some());
        let a = Timestamp::parse_rfc3339("2026-11-25T08:58:41.5Z").unwrap();
        assert_eq!(a.rfc3339(), "2026-11-25T08:58:41.500000Z");
        assert_eq!(a.date_time(), "2026-11-25 08:58 UTC");
        assert_eq!(
            Timestamp::parse_rfc3339("2026-11-25T08:58:41+00:00")
                .unwrap()
                .rfc3339(),
            "2026-11-25T08:58:41Z"
        );
        for bad in [
            "",
            "2026-11-25",
            "2026-13-01T00:00:00Z",
            "2026-11-25T08:58:41+02:00",
            "2026-11-25T08:58:41.Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), a);
    }
}
