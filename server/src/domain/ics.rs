//! An iCalendar (RFC 5545) writer for the practitioner's read-only feed: just what a published
//! agenda needs (VCALENDAR, VEVENT), with the format's two traps handled — TEXT escaping and
//! line folding at 75 octets without splitting a UTF-8 character.

use chrono::{DateTime, Utc};

/// Longest content line, in octets, before the line break (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// A published calendar.
#[derive(Debug, Clone)]
pub struct Calendar<'a> {
    /// `-//Company//Product//LANG`.
    pub prodid: &'a str,
    /// Shown by clients as the calendar's title (`X-WR-CALNAME`).
    pub name: &'a str,
    pub events: &'a [Event],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Tentative,
    Confirmed,
}

impl EventStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Tentative => "TENTATIVE",
            Self::Confirmed => "CONFIRMED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Globally unique and stable across fetches, so clients update rather than duplicate.
    pub uid: String,
    /// When this rendering was produced (a published calendar's DTSTAMP).
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub status: EventStatus,
}

/// The whole calendar, CRLF-terminated lines, folded.
pub fn render(cal: &Calendar<'_>) -> String {
    let mut out = String::new();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{}", escape_text(cal.prodid)));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(cal.name)));
    for e in cal.events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&e.uid)));
        line(&format!("DTSTAMP:{}", utc(e.stamp)));
        line(&format!("DTSTART:{}", utc(e.start)));
        line(&format!("DTEND:{}", utc(e.end)));
        line(&format!("SUMMARY:{}", escape_text(&e.summary)));
        line(&format!("STATUS:{}", e.status.as_str()));
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// A UTC DATE-TIME: `YYYYMMDDTHHMMSSZ`.
pub fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon and comma escaped, any line break as `\n`. Other control
/// characters are not allowed in TEXT and are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so no physical line exceeds 75 octets: a break and one
/// space are inserted before the character that would overflow (the space counts towards the
/// next line's 75), so a multi-byte character is never split.
pub fn fold_into(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    /// RFC 5545 unfolding: remove every CRLF followed by one space.
    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    fn physical_lines(text: &str) -> Vec<&str> {
        let body = text.strip_suffix("\r\n").expect("ends with CRLF");
        body.split("\r\n").collect()
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 30)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
            .and_utc()
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape_text("ligne 1\nligne 2"), "ligne 1\\nligne 2");
        assert_eq!(escape_text("a\r\nb\rc"), "a\\nb\\nc");
        assert_eq!(escape_text("Détartrage — Léa"), "Détartrage — Léa");
        assert_eq!(escape_text("bip\u{7}!"), "bip!");
        assert_eq!(
            escape_text("col:on"),
            "col:on",
            "colons need no escape in TEXT"
        );
    }

    #[test]
    fn short_lines_are_left_alone() {
        assert_eq!(folded("SUMMARY:Soin"), "SUMMARY:Soin\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets() {
        let line = format!("SUMMARY:{}", "a".repeat(200));
        let out = folded(&line);
        let lines = physical_lines(&out);
        assert_eq!(lines[0].len(), 75);
        for l in &lines[1..] {
            assert!(l.starts_with(' '));
            assert!(l.len() <= 75, "{l:?}");
        }
        assert_eq!(
            lines[1].len(),
            75,
            "continuation lines use their full 75 octets"
        );
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_multibyte_character() {
        // 'é' is 2 octets, '🦷' 4: put them across the 75-octet boundary at every offset.
        for pad in 70..76 {
            for ch in ["é", "🦷", "€"] {
                let line = format!("{}{}", "a".repeat(pad), ch.repeat(40));
                let out = folded(&line);
                for l in physical_lines(&out) {
                    assert!(l.len() <= 75, "{pad} {ch}: {} octets", l.len());
                    // Each physical line is valid UTF-8 on its own: no character was cut.
                    assert!(std::str::from_utf8(l.as_bytes()).is_ok());
                }
                assert_eq!(unfold(&out), format!("{line}\r\n"), "{pad} {ch}");
            }
        }
        // An accent right at the edge moves whole to the next line.
        let line = format!("{}é", "a".repeat(74));
        assert_eq!(folded(&line), format!("{}\r\n é\r\n", "a".repeat(74)));
    }

    #[test]
    fn a_calendar_is_crlf_terminated_and_complete() {
        let events = [
            Event {
                uid: "a1@nova-rdv".into(),
                stamp: at(6, 0),
                start: at(7, 0),
                end: at(7, 30),
                summary: "Consultation — Léa Dubois".into(),
                status: EventStatus::Confirmed,
            },
            Event {
                uid: "a2@nova-rdv".into(),
                stamp: at(6, 0),
                start: at(12, 0),
                end: at(12, 45),
                summary: "Soin, urgent; à voir\nvite".into(),
                status: EventStatus::Tentative,
            },
        ];
        let text = render(&Calendar {
            prodid: "-//Nova RDV//Agenda//FR",
            name: "Dr Martin",
            events: &events,
        });
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "no bare LF");
        assert!(!text.replace("\r\n", "").contains('\r'), "no bare CR");
        let lines = physical_lines(&text);
        assert_eq!(
            &lines[..6],
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Nova RDV//Agenda//FR",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:Dr Martin",
            ]
        );
        assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 2);
        assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), 2);
        assert!(lines.contains(&"UID:a1@nova-rdv"));
        assert!(lines.contains(&"DTSTART:20260330T070000Z"));
        assert!(lines.contains(&"DTEND:20260330T073000Z"));
        assert!(lines.contains(&"DTSTAMP:20260330T060000Z"));
        assert!(lines.contains(&"SUMMARY:Consultation — Léa Dubois"));
        assert!(lines.contains(&"SUMMARY:Soin\\, urgent\\; à voir\\nvite"));
        assert!(lines.contains(&"STATUS:CONFIRMED"));
        assert!(lines.contains(&"STATUS:TENTATIVE"));
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let text = render(&Calendar {
            prodid: "-//Nova RDV//Agenda//FR",
            name: "Vide",
            events: &[],
        });
        assert_eq!(physical_lines(&text).len(), 7);
    }
}
