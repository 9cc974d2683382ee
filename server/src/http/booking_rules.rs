//! The checks every booking and every move shares before touching the database: a sane
//! duration, a time not yet begun, the minimum notice for patients, the practitioner's hours.
//! (Absences and the buffer are checked in the write transaction, see `store::placement`.)

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use nova_contract::{CabinetSettings, ErrorCode, Role};

use crate::domain::slots::{self, Unbookable, WeeklyWindow};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::booking_context::Probe;

/// A cabinet's settings, with its zone parsed.
#[derive(Debug, Clone)]
pub(crate) struct CabinetRules {
    pub tz: Tz,
    pub settings: CabinetSettings,
}

impl CabinetRules {
    /// The earliest start this caller may book now.
    pub fn not_before(&self, role: Role, now: DateTime<Utc>) -> DateTime<Utc> {
        slots::not_before(now, self.settings.min_notice_minutes, role.is_staff())
    }
}

pub(crate) async fn cabinet_rules(ctx: &ApiContext, cabinet_id: &str) -> Result<CabinetRules> {
    let settings = ctx
        .store
        .cabinet_settings(cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    CabinetRules::new(settings)
}

/// The rules of a booking with one practitioner: the cabinet's and the practitioner's hours,
/// read together. `None` when the practitioner does not practise in this cabinet.
pub(crate) async fn practitioner_rules(
    ctx: &ApiContext,
    cabinet_id: &str,
    practitioner_id: &str,
) -> Result<Option<(CabinetRules, Vec<WeeklyWindow>)>> {
    Ok(booking_context(ctx, cabinet_id, practitioner_id, None)
        .await?
        .map(|(rules, hours, _)| (rules, hours)))
}

/// [`practitioner_rules`] and, in the same read, what the store sees of the probed time
/// (taken?) and new patient's email (used?).
pub(crate) async fn booking_context(
    ctx: &ApiContext,
    cabinet_id: &str,
    practitioner_id: &str,
    probe: Option<Probe<'_>>,
) -> Result<Option<(CabinetRules, Vec<WeeklyWindow>, Seen)>> {
    match ctx
        .store
        .booking_context(cabinet_id, practitioner_id, probe)
        .await?
    {
        Some(c) => {
            let seen = Seen {
                taken: c.taken,
                email_used: c.email_used,
            };
            Ok(Some((CabinetRules::new(c.settings)?, c.hours, seen)))
        }
        None => Ok(None),
    }
}

/// What a booking's first read saw of its time and its new patient's email.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    pub taken: bool,
    pub email_used: bool,
}

impl CabinetRules {
    fn new(settings: CabinetSettings) -> Result<Self> {
        let tz = settings
            .timezone
            .parse()
            .map_err(|_| Error::Internal(format!("cabinet {} has a bad time zone", settings.id)))?;
        Ok(CabinetRules { tz, settings })
    }
}

/// Refuses, as `SLOT_UNAVAILABLE` on `startTime`, a time this caller may not book with this
/// practitioner whatever else is in the agenda.
pub(crate) async fn check_start(
    ctx: &ApiContext,
    rules: &CabinetRules,
    role: Role,
    practitioner_id: &str,
    start: DateTime<Utc>,
    duration_min: u32,
) -> Result<()> {
    let hours = ctx.store.working_hours(practitioner_id).await?;
    check_start_within(rules, &hours, role, start, duration_min)
}

/// [`check_start`] with the practitioner's hours already read.
pub(crate) fn check_start_within(
    rules: &CabinetRules,
    hours: &[WeeklyWindow],
    role: Role,
    start: DateTime<Utc>,
    duration_min: u32,
) -> Result<()> {
    let now = Utc::now();
    let earliest = rules.not_before(role, now);
    slots::check_start(rules.tz, hours, now, earliest, start, duration_min).map_err(|why| {
        let message = match why {
            Unbookable::Past => "Ce créneau est passé".to_string(),
            Unbookable::TooSoon => format!(
                "Les rendez-vous se prennent au moins {} minutes à l'avance",
                rules.settings.min_notice_minutes
            ),
            Unbookable::OutsideHours => "Ce créneau est en dehors des horaires du praticien".into(),
        };
        Error::field(ErrorCode::SlotUnavailable, "startTime", message)
    })
}
