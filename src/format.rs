//! Dates and times as people read them, in the browser's time zone (the practice's, for its
//! patients and staff).

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};

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

/// `09:30`
pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%H:%M").to_string()
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
}
