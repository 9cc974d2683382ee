//! Rules that need no I/O: which times can be booked, what a valid week of hours is, which
//! status changes are allowed.
//! Pure functions, so they test in microseconds, DST days included.

pub mod analytics;
pub mod hours;
pub mod ics;
pub mod profile;
pub mod slots;
pub mod transitions;
