//! Timestamps (RFC 3339, `2026-11-23T09:30:00Z`) and days (`2026-11-23`) on the wire, for
//! `#[serde(with = …)]` on every such field.
//!
//! Why: chrono reads both through its general format interpreter, about 10 kB of the browser
//! bundle for two fixed layouts (see README, "Bundle"). In the browser they are read by the small
//! parsers below; the server keeps chrono's own, so what it accepts does not change. Both write
//! through chrono, so the text on the wire is the same everywhere.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

/// An RFC 3339 timestamp: `T`, `t` or a space between date and time, an optional fraction
/// of a second (digits past nanoseconds are dropped), `Z`, `z` or a `±HH:MM` offset.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let date = parse_date(s.get(..10)?)?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    let mut i = 19;
    let mut nanos = 0;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        nanos *= 10u32.pow(9 - n.min(9) as u32);
    }
    let offset_minutes = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let m = i64::from(digits(b, i + 1, 2)? * 60 + digits(b, i + 4, 2)?);
            if *sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    // A leap second (`:60`) is one more second's worth of nanoseconds, as chrono holds it.
    let time = if second == 60 {
        NaiveTime::from_hms_nano_opt(hour, minute, 59, nanos + 1_000_000_000)?
    } else {
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?
    };
    let local = NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(TimeDelta::minutes(offset_minutes))?;
    Some(utc.and_utc())
}

/// A day, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(b, 0, 4)? as i32, digits(b, 5, 2)?, digits(b, 8, 2)?)
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    b.get(at..at + n)?.iter().try_fold(0, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Reads a string and hands it to `parse`; on the server, chrono's own decoder instead.
macro_rules! wire_format {
    ($module:ident, $path:literal, $module_opt:ident, $ty:ty, $parse:ident, $expected:literal) => {
        pub mod $module {
            use serde::{Deserializer, Serialize, Serializer};

            pub fn serialize<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                v.serialize(s)
            }

            #[cfg(target_arch = "wasm32")]
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                use serde::de::{Deserialize, Error, Unexpected};
                let text = String::deserialize(d)?;
                super::$parse(&text)
                    .ok_or_else(|| D::Error::invalid_value(Unexpected::Str(&text), &$expected))
            }

            #[cfg(not(target_arch = "wasm32"))]
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                serde::Deserialize::deserialize(d)
            }
        }

        /// The same for an optional field (give it `#[serde(default)]` too: with a `with`,
        /// serde no longer reads a missing field as `None` by itself).
        pub mod $module_opt {
            use serde::{Deserialize, Deserializer, Serialize, Serializer};

            pub fn serialize<S: Serializer>(v: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                v.serialize(s)
            }

            #[cfg(not(target_arch = "wasm32"))]
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                Option::<$ty>::deserialize(d)
            }

            #[cfg(target_arch = "wasm32")]
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                #[derive(Deserialize)]
                struct Wrap(#[serde(with = $path)] $ty);
                Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(v)| v))
            }
        }
    };
}

wire_format!(
    timestamp,
    "crate::wire_time::timestamp",
    timestamp_opt,
    chrono::DateTime<chrono::Utc>,
    parse_timestamp,
    "an RFC 3339 timestamp"
);
wire_format!(
    date,
    "crate::wire_time::date",
    date_opt,
    chrono::NaiveDate,
    parse_date,
    "a date (YYYY-MM-DD)"
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand parser agrees with chrono on what the server writes and on the variants RFC 3339
    /// allows.
    #[test]
    fn timestamps_read_as_chrono_reads_them() {
        for s in [
            "2026-11-23T09:30:00Z",
            "2026-11-23T09:30:00z",
            "2026-11-23t09:30:00Z",
            "2026-11-23 09:30:00Z",
            "2026-11-23T09:30:00.5Z",
            "2026-11-23T09:30:00.123456Z",
            "2026-11-23T09:30:00.123456789Z",
            "2026-11-23T09:30:00.1234567891Z",
            "2026-11-23T09:30:00+01:00",
            "2026-11-23T00:30:00-05:30",
            "2026-03-29T01:59:59.999+00:00",
            "2024-02-29T23:59:59Z",
            "2016-12-31T23:59:60Z",
            "0001-01-01T00:00:00+01:00",
        ] {
            let ours = parse_timestamp(s);
            let chrono: Option<DateTime<Utc>> = s.parse().ok();
            assert!(ours.is_some(), "{s} is refused");
            assert_eq!(ours, chrono, "{s}");
        }
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        for s in [
            "",
            "2026-11-23",
            "2026-11-23T09:30Z",
            "2026-11-23T09:30:00",
            "2026-11-23T09:30:00.Z",
            "2026-11-23T09:30:00+0100",
            "2026-11-23T09:30:00+01",
            "2026-11-23T24:00:00Z",
            "2026-11-23T09:60:00Z",
            "2026-02-30T09:30:00Z",
            "2026-11-23X09:30:00Z",
            "2026-11-23T09:30:00Z ",
            "2026-11-23T0a:30:00Z",
            "+2026-11-23T09:30:00Z",
        ] {
            assert_eq!(parse_timestamp(s), None, "{s:?}");
        }
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for s in ["2026-11-23", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_date(s), s.parse().ok(), "{s}");
            assert!(parse_date(s).is_some());
        }
        for s in [
            "2026-11-2",
            "2026-13-01",
            "2023-02-29",
            "2026/11/23",
            "2026-11-23T",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let at = DateTime::from_timestamp(1_795_000_000, 123_456_000).unwrap();
        let text = serde_json::to_string(&at).unwrap();
        assert_eq!(parse_timestamp(text.trim_matches('"')), Some(at));
    }
}
