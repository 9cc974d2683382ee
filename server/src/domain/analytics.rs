//! The dashboard's arithmetic: open minutes from weekly hours, fill and no-show rates. The
//! definitions are the contract's (`nova_contract::analytics`); the counting happens in SQL.

use chrono::{Datelike, NaiveDate};
use nova_contract::AppointmentStatus;

use super::slots::WeeklyWindow;

/// Statuses whose minutes count as booked: the appointment holds its slot, or held it until
/// the visit (or the missed visit) happened.
pub const BOOKED: [AppointmentStatus; 4] = [
    AppointmentStatus::Pending,
    AppointmentStatus::Confirmed,
    AppointmentStatus::Completed,
    AppointmentStatus::NoShow,
];

/// Minutes a practitioner is open on `day`, in local wall-clock time.
pub fn open_minutes(hours: &[WeeklyWindow], day: NaiveDate) -> u64 {
    let weekday = day.weekday().number_from_monday() as u8;
    hours
        .iter()
        .filter(|w| w.weekday == weekday)
        .map(|w| u64::from(w.end_minute.saturating_sub(w.start_minute)))
        .sum()
}

/// Booked over open minutes; 0 when nothing was open (a day off is not "empty", it is no data).
pub fn fill_rate(booked_minutes: u64, open_minutes: u64) -> f64 {
    if open_minutes == 0 {
        0.0
    } else {
        booked_minutes as f64 / open_minutes as f64
    }
}

/// Missed visits over visits that were due and settled; `None` when none were.
pub fn no_show_rate(completed: u64, no_show: u64) -> Option<f64> {
    let settled = completed + no_show;
    (settled > 0).then(|| no_show as f64 / settled as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(weekday: u8, from: (u32, u32), to: (u32, u32)) -> WeeklyWindow {
        WeeklyWindow {
            weekday,
            start_minute: from.0 * 60 + from.1,
            end_minute: to.0 * 60 + to.1,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn open_minutes_add_the_windows_of_that_weekday() {
        let hours = [
            window(1, (9, 0), (12, 0)),
            window(1, (14, 0), (18, 0)),
            window(3, (8, 30), (12, 15)),
        ];
        // 2026-03-30 is a Monday.
        assert_eq!(open_minutes(&hours, day(2026, 3, 30)), 180 + 240);
        assert_eq!(open_minutes(&hours, day(2026, 3, 31)), 0);
        assert_eq!(open_minutes(&hours, day(2026, 4, 1)), 225);
        assert_eq!(open_minutes(&[], day(2026, 4, 1)), 0);
    }

    #[test]
    fn open_minutes_are_wall_clock_on_dst_days() {
        // Sunday 2026-03-29 loses an hour at 02:00 in Paris; opening hours stay 09:00-12:00.
        let hours = [window(7, (9, 0), (12, 0))];
        assert_eq!(open_minutes(&hours, day(2026, 3, 29)), 180);
        assert_eq!(open_minutes(&hours, day(2026, 10, 25)), 180);
    }

    #[test]
    fn fill_rate_is_booked_over_open() {
        assert_eq!(fill_rate(0, 420), 0.0);
        assert_eq!(fill_rate(210, 420), 0.5);
        assert_eq!(fill_rate(420, 420), 1.0);
        assert!((fill_rate(50, 420) - 50.0 / 420.0).abs() < 1e-12);
        // Nothing open: no division by zero, and no pretend "full" day either.
        assert_eq!(fill_rate(0, 0), 0.0);
        assert_eq!(fill_rate(30, 0), 0.0);
        // Minutes outside hours are reported, not hidden.
        assert_eq!(fill_rate(90, 60), 1.5);
    }

    #[test]
    fn no_show_rate_counts_settled_visits_only() {
        assert_eq!(no_show_rate(0, 0), None);
        assert_eq!(no_show_rate(3, 0), Some(0.0));
        assert_eq!(no_show_rate(0, 2), Some(1.0));
        assert_eq!(no_show_rate(3, 1), Some(0.25));
    }

    #[test]
    fn booked_statuses_are_those_that_held_a_slot() {
        for s in AppointmentStatus::ALL {
            let expected = !matches!(
                s,
                AppointmentStatus::Cancelled | AppointmentStatus::Rescheduled
            );
            assert_eq!(BOOKED.contains(&s), expected, "{s:?}");
        }
    }
}
