//! A practitioner's week as people write it (`{weekday, "09:00", "12:00"}`) turned into the
//! slot engine's windows, refusing what would make no sense: a bad day or time, a window that
//! ends before it starts, two windows of one day that overlap.

use nova_contract::HoursWindow;

use super::slots::WeeklyWindow;

/// More windows than any real week needs; a cap keeps one request from writing thousands.
pub const MAX_WINDOWS: usize = 70;

/// What is wrong with a week, and where, in the request's spelling (`hours[2].end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursError {
    pub field: String,
    pub message: String,
}

impl HoursError {
    fn at(index: usize, part: &str, message: impl Into<String>) -> Self {
        Self {
            field: format!("hours[{index}].{part}"),
            message: message.into(),
        }
    }
}

/// Minutes since midnight of `HH:MM` (00:00 to 24:00).
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let minute = h * 60 + m;
    (m < 60 && minute <= 24 * 60).then_some(minute)
}

pub fn format_hhmm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The windows of a valid week, by weekday then start; the first fault otherwise.
pub fn validate(windows: &[HoursWindow]) -> Result<Vec<WeeklyWindow>, HoursError> {
    if windows.len() > MAX_WINDOWS {
        return Err(HoursError {
            field: "hours".into(),
            message: format!("Au plus {MAX_WINDOWS} plages horaires"),
        });
    }
    let mut out = Vec::with_capacity(windows.len());
    for (i, w) in windows.iter().enumerate() {
        if !(1..=7).contains(&w.weekday) {
            return Err(HoursError::at(
                i,
                "weekday",
                "Le jour va de 1 (lundi) à 7 (dimanche)",
            ));
        }
        let start = parse_hhmm(&w.start)
            .filter(|&m| m < 24 * 60)
            .ok_or_else(|| HoursError::at(i, "start", "Heure au format HH:MM attendue"))?;
        let end = parse_hhmm(&w.end)
            .ok_or_else(|| HoursError::at(i, "end", "Heure au format HH:MM attendue"))?;
        if end <= start {
            return Err(HoursError::at(i, "end", "La fin doit suivre le début"));
        }
        out.push((
            i,
            WeeklyWindow {
                weekday: w.weekday,
                start_minute: start,
                end_minute: end,
            },
        ));
    }
    out.sort_by_key(|(i, w)| (w.weekday, w.start_minute, *i));
    for pair in out.windows(2) {
        let ((_, a), (j, b)) = (&pair[0], &pair[1]);
        if a.weekday == b.weekday && b.start_minute < a.end_minute {
            return Err(HoursError::at(
                *j,
                "start",
                "Cette plage chevauche une autre plage du même jour",
            ));
        }
    }
    Ok(out.into_iter().map(|(_, w)| w).collect())
}

/// The windows as people read them.
pub fn describe(windows: &[WeeklyWindow]) -> Vec<HoursWindow> {
    windows
        .iter()
        .map(|w| HoursWindow {
            weekday: w.weekday,
            start: format_hhmm(w.start_minute),
            end: format_hhmm(w.end_minute),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(weekday: u8, start: &str, end: &str) -> HoursWindow {
        HoursWindow {
            weekday,
            start: start.into(),
            end: end.into(),
        }
    }

    fn field(windows: &[HoursWindow]) -> String {
        validate(windows).unwrap_err().field
    }

    #[test]
    fn times_parse_strictly() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("00:00"), Some(0));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("23:59"), Some(1439));
        for bad in [
            "9:00", "09:0", "24:01", "25:00", "09:60", "0900", "09:00:00", "-1:00", "ab:cd", "",
            "０9:00",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(format_hhmm(1440), "24:00");
        assert_eq!(format_hhmm(545), "09:05");
    }

    #[test]
    fn a_valid_week_comes_back_sorted() {
        let week = [
            w(2, "14:00", "18:00"),
            w(1, "14:00", "18:00"),
            w(1, "09:00", "12:00"),
        ];
        let out = validate(&week).unwrap();
        assert_eq!(
            out.iter()
                .map(|x| (x.weekday, x.start_minute))
                .collect::<Vec<_>>(),
            [(1, 540), (1, 840), (2, 840)]
        );
        assert_eq!(describe(&out)[0], w(1, "09:00", "12:00"));
        assert!(
            validate(&[]).unwrap().is_empty(),
            "an empty week closes every day"
        );
    }

    #[test]
    fn touching_windows_and_midnight_are_fine() {
        assert!(validate(&[w(1, "09:00", "12:00"), w(1, "12:00", "13:00")]).is_ok());
        assert!(validate(&[w(7, "20:00", "24:00"), w(1, "00:00", "01:00")]).is_ok());
    }

    #[test]
    fn each_fault_names_its_field() {
        assert_eq!(field(&[w(0, "09:00", "10:00")]), "hours[0].weekday");
        assert_eq!(
            field(&[w(1, "09:00", "10:00"), w(8, "09:00", "10:00")]),
            "hours[1].weekday"
        );
        assert_eq!(field(&[w(1, "9h", "10:00")]), "hours[0].start");
        assert_eq!(field(&[w(1, "24:00", "24:00")]), "hours[0].start");
        assert_eq!(field(&[w(1, "09:00", "10h")]), "hours[0].end");
        assert_eq!(field(&[w(1, "10:00", "10:00")]), "hours[0].end");
        assert_eq!(field(&[w(1, "10:00", "09:00")]), "hours[0].end");
    }

    #[test]
    fn overlaps_on_one_day_name_the_later_window() {
        let week = [
            w(1, "09:00", "12:00"),
            w(2, "09:00", "12:00"),
            w(1, "11:30", "13:00"),
        ];
        assert_eq!(field(&week), "hours[2].start");
        let inside = [w(3, "14:00", "15:00"), w(3, "08:00", "18:00")];
        assert_eq!(
            field(&inside),
            "hours[0].start",
            "the one starting inside the other"
        );
        let same = [w(4, "09:00", "10:00"), w(4, "09:00", "10:00")];
        assert_eq!(field(&same), "hours[1].start");
    }

    #[test]
    fn too_many_windows_are_refused() {
        let many: Vec<_> = (0..=MAX_WINDOWS).map(|_| w(1, "09:00", "10:00")).collect();
        assert_eq!(field(&many), "hours");
    }
}
