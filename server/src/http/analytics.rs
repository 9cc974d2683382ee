//! `GET /api/analytics/dashboard`: one day of the cabinet in numbers, for managers and admins.
//! The day is the cabinet's local day; definitions are in `nova_contract::analytics`.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use nova_contract::{Dashboard, DashboardQuery, PractitionerDay, Role};

use super::extract::{ok, CurrentUser, Query};
use crate::domain::analytics::{fill_rate, no_show_rate, open_minutes, BOOKED};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::appointments::local_midnight;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/analytics/dashboard", get(dashboard))
}

async fn dashboard(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<DashboardQuery>,
) -> Result<Response> {
    if !matches!(caller.role, Role::Manager | Role::Admin) {
        return Err(Error::forbidden());
    }
    let date = q.date.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let date = date
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| bad_date())?;
    Ok(ok(cabinet_day(&ctx, &caller.cabinet_id, date).await?))
}

fn bad_date() -> Error {
    Error::validation("date", "Date attendue au format AAAA-MM-JJ")
}

/// One cabinet's day in numbers (`date`, or today in the cabinet's time zone); also what the
/// managers' live dashboard (`metrics:update`) pushes.
pub(crate) async fn cabinet_day(
    ctx: &ApiContext,
    cabinet_id: &str,
    date: Option<NaiveDate>,
) -> Result<Dashboard> {
    let cabinet = ctx
        .store
        .cabinet(cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    let tz: Tz = cabinet
        .timezone
        .parse()
        .map_err(|_| Error::Internal(format!("cabinet {} has a bad time zone", cabinet.id)))?;
    let date = date.unwrap_or_else(|| Utc::now().with_timezone(&tz).date_naive());
    let next = date.succ_opt().ok_or_else(bad_date)?;
    let (from, to) = (local_midnight(tz, date), local_midnight(tz, next));

    let counts = ctx.store.status_counts(cabinet_id, from, to).await?;
    let loads = ctx
        .store
        .practitioner_loads(cabinet_id, from, to, &BOOKED)
        .await?;
    let mut practitioners = Vec::new();
    for p in ctx.store.practitioners(cabinet_id).await? {
        let hours = ctx.store.working_hours(&p.id).await?;
        let open = open_minutes(&hours, date);
        let load = loads.iter().find(|l| l.practitioner_id == p.id);
        let booked = load.map_or(0, |l| l.booked_minutes);
        practitioners.push(PractitionerDay {
            name: format!("{} {}", p.first_name, p.last_name),
            appointments: load.map_or(0, |l| l.appointments),
            booked_minutes: booked,
            open_minutes: open,
            fill_rate: fill_rate(booked, open),
            practitioner_id: p.id,
        });
    }
    let booked: u64 = practitioners.iter().map(|p| p.booked_minutes).sum();
    let open: u64 = practitioners.iter().map(|p| p.open_minutes).sum();
    Ok(Dashboard {
        date,
        total: counts.total(),
        fill_rate: fill_rate(booked, open),
        no_show_rate: no_show_rate(counts.completed, counts.no_show),
        counts_by_status: counts,
        practitioners,
    })
}
