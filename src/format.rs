//! Dates and times as people read them, in the browser's time zone (the practice's, for its
//! patients and staff).

use chrono::{DateTime, Datelike, Local, NaiveDate, Timelike, Utc};

use crate::i18n::Texts;

/// `lun. 23 nov.`
pub fn day(t: &Texts, d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        t.weekday(d.weekday().num_days_from_monday()),
        d.day(),
        t.month(d.month())
    )
}

/// `09:30`. Formatted by hand: chrono's `format` brings a strftime interpreter for two
/// numbers.
pub fn time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// `lun. 23 nov. · 09:30`
pub fn when(t: &Texts, at: DateTime<Utc>) -> String {
    format!("{} · {}", day(t, local_date(at)), time(at))
}

pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, FR};

    #[test]
    fn days_read_naturally() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(day(&FR, d), "lun. 23 nov.");
        assert_eq!(day(&EN, d), "Mon 23 Nov");
    }

    #[test]
    fn times_have_two_digit_hours_and_minutes() {
        let at = DateTime::from_timestamp(8 * 3600 + 5 * 60, 0).unwrap();
        let local = at.with_timezone(&Local);
        let expected = format!("{:02}:{:02}", local.hour(), local.minute());
        assert_eq!(time(at), expected);
        assert_eq!(time(at).len(), 5);
    }
}
