//! The slot engine: weekly hours, in the cabinet's wall-clock time, minus absences and
//! closures, minus what is already booked (with the cabinet's buffer around each appointment),
//! from the earliest time the caller may book. Hours are kept as local wall-clock minutes and
//! turned into instants day by day, so a 09:00 opening stays 09:00 on both sides of a
//! daylight-saving change.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// One opening window of a weekday, in local minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub start_minute: u32,
    pub end_minute: u32,
}

/// A time the practitioner is not free: an appointment that holds its slot, or an absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What to compute slots for.
#[derive(Debug, Clone)]
pub struct SlotQuery<'a> {
    pub tz: Tz,
    pub hours: &'a [WeeklyWindow],
    /// Appointments that hold their time; slots they block are shown as unavailable.
    pub busy: &'a [Busy],
    /// Absences and cabinet closures; slots touching them are not offered at all.
    pub closed: &'a [Busy],
    /// Minutes each appointment in `busy` also keeps free before and after itself.
    pub buffer_min: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub duration_min: u32,
    /// Distance between two offered start times.
    pub step_min: u32,
    /// Slots starting before this instant are not offered (now, plus any minimum notice).
    pub not_before: DateTime<Utc>,
}

/// A start time inside opening hours; `available` is false when something already holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub date: NaiveDate,
    pub local_time: NaiveTime,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub available: bool,
}

/// The longest range one query may cover, so a request cannot make the server loop for years.
pub const MAX_RANGE_DAYS: i64 = 62;

/// The grid step that suits a visit length: short visits every 15 min, others every 30.
pub fn default_step(duration_min: u32) -> u32 {
    if duration_min <= 20 {
        15
    } else {
        30
    }
}

pub fn slots(q: &SlotQuery<'_>) -> Vec<Slot> {
    let mut out = Vec::new();
    if q.duration_min == 0 || q.step_min == 0 || q.to < q.from {
        return out;
    }
    let mut day = q.from;
    while day <= q.to {
        let weekday = day.weekday().number_from_monday() as u8;
        for window in q.hours.iter().filter(|w| w.weekday == weekday) {
            let mut minute = window.start_minute;
            while minute + q.duration_min <= window.end_minute {
                if let Some(start) = local_instant(q.tz, day, minute) {
                    let end = start + Duration::minutes(i64::from(q.duration_min));
                    let closed = q.closed.iter().any(|c| c.start < end && c.end > start);
                    if start >= q.not_before && !closed {
                        let available = !q.busy.iter().any(|b| blocks(b, q.buffer_min, start, end));
                        out.push(Slot {
                            date: day,
                            local_time: minute_to_time(minute),
                            start,
                            end,
                            available,
                        });
                    }
                }
                minute += q.step_min;
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// Whether an existing appointment, with `buffer_min` kept free on both sides, leaves no room
/// for `[start, end)`: it blocks `[b.start - buffer, b.end + buffer)`.
pub fn blocks(b: &Busy, buffer_min: u32, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let pad = Duration::minutes(i64::from(buffer_min));
    b.start - pad < end && b.end + pad > start
}

/// The earliest start a caller may book: patients must give the cabinet `min_notice_min`
/// minutes of notice; staff may book any time that has not begun.
pub fn not_before(now: DateTime<Utc>, min_notice_min: u32, staff: bool) -> DateTime<Utc> {
    if staff {
        now
    } else {
        now + Duration::minutes(i64::from(min_notice_min))
    }
}

/// Why a start time cannot be booked, before looking at what else is in the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbookable {
    /// It has begun or is over.
    Past,
    /// Sooner than the minimum notice allows.
    TooSoon,
    /// Not wholly inside one opening window.
    OutsideHours,
}

/// The rules a booking (or a move) must pass whatever else is booked: not in the past, not
/// sooner than `earliest` (see [`not_before`]), inside the practitioner's hours.
pub fn check_start(
    tz: Tz,
    hours: &[WeeklyWindow],
    now: DateTime<Utc>,
    earliest: DateTime<Utc>,
    start: DateTime<Utc>,
    duration_min: u32,
) -> Result<(), Unbookable> {
    if start <= now {
        Err(Unbookable::Past)
    } else if start < earliest {
        Err(Unbookable::TooSoon)
    } else if !fits_in_hours(tz, hours, start, duration_min) {
        Err(Unbookable::OutsideHours)
    } else {
        Ok(())
    }
}

/// Whether `[start, start + duration)` lies wholly inside one opening window.
pub fn fits_in_hours(
    tz: Tz,
    hours: &[WeeklyWindow],
    start: DateTime<Utc>,
    duration_min: u32,
) -> bool {
    let local = start.with_timezone(&tz);
    let weekday = local.weekday().number_from_monday() as u8;
    let minute = local.time().num_seconds_from_midnight() / 60;
    let on_minute = local.time().num_seconds_from_midnight().is_multiple_of(60);
    on_minute
        && hours.iter().any(|w| {
            w.weekday == weekday
                && minute >= w.start_minute
                && minute + duration_min <= w.end_minute
        })
}

/// The instant a local wall-clock time names. A time skipped by a spring-forward change names
/// none; a time repeated by a fall-back change names its first occurrence.
fn local_instant(tz: Tz, day: NaiveDate, minute: u32) -> Option<DateTime<Utc>> {
    let naive = day.and_time(minute_to_time(minute));
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

fn minute_to_time(minute: u32) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(minute.min(24 * 60 - 1) * 60, 0)
        .unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn weekdays(windows: &[(u32, u32)]) -> Vec<WeeklyWindow> {
        (1..=5)
            .flat_map(|weekday| {
                windows.iter().map(move |&(s, e)| WeeklyWindow {
                    weekday,
                    start_minute: s * 60,
                    end_minute: e * 60,
                })
            })
            .collect()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn query<'a>(
        hours: &'a [WeeklyWindow],
        busy: &'a [Busy],
        from: &str,
        to: &str,
    ) -> SlotQuery<'a> {
        SlotQuery {
            tz: Paris,
            hours,
            busy,
            closed: &[],
            buffer_min: 0,
            from: date(from),
            to: date(to),
            duration_min: 30,
            step_min: 30,
            not_before: utc("2000-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn a_weekday_has_fourteen_half_hours() {
        let hours = weekdays(&[(9, 12), (14, 18)]);
        let s = slots(&query(&hours, &[], "2026-11-23", "2026-11-23"));
        assert_eq!(s.len(), 14);
        assert_eq!(
            s[0].start,
            utc("2026-11-23T08:00:00Z"),
            "09:00 CET is 08:00Z"
        );
        assert_eq!(s[5].local_time.to_string(), "11:30:00");
        assert_eq!(s[6].local_time.to_string(), "14:00:00");
        assert!(s.iter().all(|x| x.available));
    }

    #[test]
    fn weekends_are_closed() {
        let hours = weekdays(&[(9, 12)]);
        assert!(slots(&query(&hours, &[], "2026-11-21", "2026-11-22")).is_empty());
    }

    #[test]
    fn opening_stays_at_nine_local_across_spring_forward() {
        // Europe/Paris moves from CET (+1) to CEST (+2) on Sunday 2026-03-29.
        let hours = weekdays(&[(9, 12)]);
        let s = slots(&query(&hours, &[], "2026-03-27", "2026-03-30"));
        let firsts: Vec<_> = s
            .iter()
            .filter(|x| x.local_time.to_string() == "09:00:00")
            .collect();
        assert_eq!(firsts.len(), 2);
        assert_eq!(firsts[0].start, utc("2026-03-27T08:00:00Z"));
        assert_eq!(firsts[1].start, utc("2026-03-30T07:00:00Z"));
    }

    #[test]
    fn opening_stays_at_nine_local_across_fall_back() {
        // CEST (+2) back to CET (+1) on Sunday 2026-10-25.
        let hours = weekdays(&[(9, 12)]);
        let s = slots(&query(&hours, &[], "2026-10-23", "2026-10-26"));
        let firsts: Vec<_> = s
            .iter()
            .filter(|x| x.local_time.to_string() == "09:00:00")
            .collect();
        assert_eq!(firsts[0].start, utc("2026-10-23T07:00:00Z"));
        assert_eq!(firsts[1].start, utc("2026-10-26T08:00:00Z"));
    }

    #[test]
    fn the_skipped_hour_offers_nothing_and_the_repeated_hour_is_offered_once() {
        // A night shift on Sundays 01:00-04:00 covers both transitions.
        let hours = [WeeklyWindow {
            weekday: 7,
            start_minute: 60,
            end_minute: 240,
        }];
        let spring = slots(&query(&hours, &[], "2026-03-29", "2026-03-29"));
        let times: Vec<String> = spring
            .iter()
            .map(|s| s.local_time.format("%H:%M").to_string())
            .collect();
        assert_eq!(
            times,
            ["01:00", "01:30", "03:00", "03:30"],
            "02:xx does not exist that night"
        );
        // Each slot is 30 real minutes long and none overlaps the next.
        for pair in spring.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
        let autumn = slots(&query(&hours, &[], "2026-10-25", "2026-10-25"));
        assert_eq!(autumn.len(), 6);
        let two = autumn
            .iter()
            .find(|s| s.local_time.format("%H:%M").to_string() == "02:00")
            .unwrap();
        assert_eq!(
            two.start,
            utc("2026-10-25T00:00:00Z"),
            "the first 02:00, still CEST"
        );
    }

    #[test]
    fn booked_time_is_unavailable_including_partial_overlaps() {
        let hours = weekdays(&[(9, 12)]);
        let busy = [Busy {
            start: utc("2026-11-23T08:15:00Z"),
            end: utc("2026-11-23T08:45:00Z"),
        }];
        let s = slots(&query(&hours, &busy, "2026-11-23", "2026-11-23"));
        let unavailable: Vec<String> = s
            .iter()
            .filter(|x| !x.available)
            .map(|x| x.local_time.format("%H:%M").to_string())
            .collect();
        assert_eq!(unavailable, ["09:00", "09:30"]);
    }

    #[test]
    fn adjacent_appointments_do_not_block() {
        let hours = weekdays(&[(9, 12)]);
        let busy = [Busy {
            start: utc("2026-11-23T08:30:00Z"),
            end: utc("2026-11-23T09:00:00Z"),
        }];
        let s = slots(&query(&hours, &busy, "2026-11-23", "2026-11-23"));
        assert!(s[0].available && !s[1].available && s[2].available);
    }

    #[test]
    fn past_slots_are_not_offered() {
        let hours = weekdays(&[(9, 12)]);
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-23");
        q.not_before = utc("2026-11-23T09:10:00Z");
        let s = slots(&q);
        assert_eq!(s[0].local_time.format("%H:%M").to_string(), "10:30");
    }

    #[test]
    fn a_visit_must_end_before_closing() {
        let hours = weekdays(&[(9, 12)]);
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-23");
        q.duration_min = 90;
        let s = slots(&q);
        assert_eq!(
            s.last().unwrap().local_time.format("%H:%M").to_string(),
            "10:30"
        );
    }

    #[test]
    fn fits_in_hours_checks_window_and_minute() {
        let hours = weekdays(&[(9, 12), (14, 18)]);
        assert!(fits_in_hours(
            Paris,
            &hours,
            utc("2026-11-23T08:00:00Z"),
            30
        ));
        assert!(
            fits_in_hours(Paris, &hours, utc("2026-11-23T10:30:00Z"), 30),
            "11:30-12:00"
        );
        assert!(
            !fits_in_hours(Paris, &hours, utc("2026-11-23T10:45:00Z"), 30),
            "runs past noon"
        );
        assert!(
            !fits_in_hours(Paris, &hours, utc("2026-11-23T12:00:00Z"), 30),
            "lunch"
        );
        assert!(
            !fits_in_hours(Paris, &hours, utc("2026-11-22T08:00:00Z"), 30),
            "Sunday"
        );
        assert!(
            !fits_in_hours(Paris, &hours, utc("2026-11-23T08:00:30Z"), 30),
            "odd second"
        );
        // Summer time: 09:00 local is 07:00Z.
        assert!(fits_in_hours(
            Paris,
            &hours,
            utc("2026-03-30T07:00:00Z"),
            30
        ));
        assert!(
            !fits_in_hours(Paris, &hours, utc("2026-03-27T07:00:00Z"), 30),
            "08:00 CET"
        );
    }

    #[test]
    fn empty_or_inverted_queries_give_nothing() {
        let hours = weekdays(&[(9, 12)]);
        assert!(slots(&query(&hours, &[], "2026-11-24", "2026-11-23")).is_empty());
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-23");
        q.duration_min = 0;
        assert!(slots(&q).is_empty());
    }

    fn times(s: &[Slot], available: bool) -> Vec<String> {
        s.iter()
            .filter(|x| x.available == available)
            .map(|x| x.local_time.format("%H:%M").to_string())
            .collect()
    }

    #[test]
    fn the_buffer_blocks_time_on_both_sides_of_an_appointment() {
        let hours = weekdays(&[(9, 12)]);
        // 10:00-10:30 local (CET) is booked; a 15-minute buffer keeps 09:45-10:45 free of others.
        let busy = [Busy {
            start: utc("2026-11-23T09:00:00Z"),
            end: utc("2026-11-23T09:30:00Z"),
        }];
        let mut q = query(&hours, &busy, "2026-11-23", "2026-11-23");
        assert_eq!(
            times(&slots(&q), false),
            ["10:00"],
            "no buffer: only its own time"
        );
        q.buffer_min = 15;
        assert_eq!(
            times(&slots(&q), false),
            ["09:30", "10:00", "10:30"],
            "09:30-10:00 ends inside the buffer before, 10:30 starts inside the one after"
        );
        q.buffer_min = 30;
        assert_eq!(
            times(&slots(&q), false),
            ["09:30", "10:00", "10:30"],
            "a buffer equal to the gap still leaves 09:00 and 11:00 bookable"
        );
        q.buffer_min = 31;
        assert_eq!(
            times(&slots(&q), false),
            ["09:00", "09:30", "10:00", "10:30", "11:00"]
        );
    }

    #[test]
    fn blocks_is_symmetric_and_exact_at_the_edges() {
        let b = Busy {
            start: utc("2026-11-23T09:00:00Z"),
            end: utc("2026-11-23T09:30:00Z"),
        };
        let at = |s: &str, e: &str, buffer| blocks(&b, buffer, utc(s), utc(e));
        assert!(!at("2026-11-23T09:30:00Z", "2026-11-23T10:00:00Z", 0));
        assert!(at("2026-11-23T09:30:00Z", "2026-11-23T10:00:00Z", 1));
        assert!(!at("2026-11-23T09:40:00Z", "2026-11-23T10:00:00Z", 10));
        assert!(at("2026-11-23T09:39:00Z", "2026-11-23T10:00:00Z", 10));
        assert!(!at("2026-11-23T08:30:00Z", "2026-11-23T08:50:00Z", 10));
        assert!(at("2026-11-23T08:30:00Z", "2026-11-23T08:51:00Z", 10));
    }

    #[test]
    fn absences_remove_slots_instead_of_marking_them_taken() {
        let hours = weekdays(&[(9, 12), (14, 18)]);
        // Absent 10:15-14:30 local: 10:00 overlaps it, 14:00 too; 14:30 is offered again.
        let closed = [Busy {
            start: utc("2026-11-23T09:15:00Z"),
            end: utc("2026-11-23T13:30:00Z"),
        }];
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-23");
        q.closed = &closed;
        let s = slots(&q);
        assert_eq!(times(&s, false), Vec::<String>::new());
        let offered = times(&s, true);
        assert_eq!(&offered[..3], ["09:00", "09:30", "14:30"]);
        assert_eq!(offered.len(), 2 + 7);
    }

    #[test]
    fn a_closure_spanning_days_closes_them_whole() {
        let hours = weekdays(&[(9, 12)]);
        let closed = [Busy {
            start: utc("2026-11-23T23:00:00Z"),
            end: utc("2026-11-25T23:00:00Z"),
        }];
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-26");
        q.closed = &closed;
        let days: std::collections::BTreeSet<String> =
            slots(&q).iter().map(|s| s.date.to_string()).collect();
        assert_eq!(
            days.into_iter().collect::<Vec<_>>(),
            ["2026-11-23", "2026-11-26"],
            "Tuesday and Wednesday (local) are closed"
        );
    }

    #[test]
    fn an_absence_over_the_spring_forward_night_counts_real_time() {
        // Sunday 01:00-04:00 local; absent 00:30Z-01:30Z = 01:30 CET to 03:30 CEST.
        let hours = [WeeklyWindow {
            weekday: 7,
            start_minute: 60,
            end_minute: 240,
        }];
        let closed = [Busy {
            start: utc("2026-03-29T00:30:00Z"),
            end: utc("2026-03-29T01:30:00Z"),
        }];
        let mut q = query(&hours, &[], "2026-03-29", "2026-03-29");
        q.closed = &closed;
        assert_eq!(times(&slots(&q), true), ["01:00", "03:30"]);
    }

    #[test]
    fn patients_get_the_notice_and_staff_only_the_present() {
        let now = utc("2026-11-23T08:10:00Z");
        assert_eq!(not_before(now, 60, true), now);
        assert_eq!(not_before(now, 60, false), utc("2026-11-23T09:10:00Z"));
        assert_eq!(not_before(now, 0, false), now);
        let hours = weekdays(&[(9, 12)]);
        let mut q = query(&hours, &[], "2026-11-23", "2026-11-23");
        q.not_before = not_before(now, 60, false);
        assert_eq!(slots(&q)[0].local_time.format("%H:%M").to_string(), "10:30");
        q.not_before = not_before(now, 60, true);
        assert_eq!(slots(&q)[0].local_time.format("%H:%M").to_string(), "09:30");
    }

    #[test]
    fn check_start_names_the_first_rule_broken() {
        let hours = weekdays(&[(9, 12)]);
        let now = utc("2026-11-23T08:10:00Z");
        let earliest = not_before(now, 60, false);
        let check = |s: &str, d| check_start(Paris, &hours, now, earliest, utc(s), d);
        assert_eq!(check("2026-11-23T08:00:00Z", 30), Err(Unbookable::Past));
        assert_eq!(check("2026-11-23T08:10:00Z", 30), Err(Unbookable::Past));
        assert_eq!(check("2026-11-23T08:30:00Z", 30), Err(Unbookable::TooSoon));
        assert_eq!(check("2026-11-23T09:00:00Z", 30), Err(Unbookable::TooSoon));
        assert_eq!(
            check("2026-11-23T09:10:00Z", 30),
            Ok(()),
            "exactly the notice"
        );
        assert_eq!(
            check("2026-11-23T11:00:00Z", 30),
            Err(Unbookable::OutsideHours)
        );
        assert_eq!(check("2026-11-23T09:30:00Z", 30), Ok(()));
        assert_eq!(
            check("2026-11-23T10:45:00Z", 30),
            Err(Unbookable::OutsideHours)
        );
        let staff = |s: &str| check_start(Paris, &hours, now, now, utc(s), 30);
        assert_eq!(staff("2026-11-23T08:30:00Z"), Ok(()));
        assert_eq!(staff("2026-11-23T08:00:00Z"), Err(Unbookable::Past));
    }
}
