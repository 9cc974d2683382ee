//! Proposals in a conversation: the card a patient accepts or rejects, and the staff's form to
//! offer a time.

use chrono::{Duration, Local, NaiveDate, NaiveTime, TimeZone, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{AppointmentType, CreateProposalRequest, NoticeKind, Proposal, ProposalStatus};

use crate::api::query::use_query_client;
use crate::api::{endpoints, queries, use_api};
use crate::format;
use crate::i18n::Texts;
use crate::state::prefs::use_prefs;
use crate::state::toasts::use_toasts;

/// Durations a proposal may take, in minutes.
const DURATIONS: [u32; 4] = [15, 30, 45, 60];

fn status_text(t: &'static Texts, s: ProposalStatus) -> &'static str {
    match s {
        ProposalStatus::Pending => t.proposal_pending,
        ProposalStatus::Accepted => t.proposal_accepted,
        ProposalStatus::Rejected => t.proposal_rejected,
        ProposalStatus::Expired => t.proposal_expired,
    }
}

/// `2026-11-23` and `09:30` (what date and time inputs give) in the browser's time zone.
/// Read by hand: chrono's `parse_from_str` brings a strftime interpreter for five numbers.
fn local_start(date: &str, time: &str) -> Option<chrono::DateTime<Utc>> {
    let mut d = date.splitn(3, '-').map(str::parse::<u32>);
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (h, min) = time.split_once(':')?;
    let t = NaiveTime::from_hms_opt(h.parse().ok()?, min.get(..2)?.parse().ok()?, 0)?;
    let d = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)?;
    Local
        .from_local_datetime(&d.and_time(t))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// A proposed time: when, how long, where it stands; Accept / Reject for the patient while it
/// waits.
#[component]
pub fn ProposalCard(p: Proposal, can_decide: bool) -> impl IntoView {
    let prefs = use_prefs();
    let toasts = use_toasts();
    let client = StoredValue::new_local(use_query_client());
    let api = StoredValue::new_local(use_api());
    let busy = RwSignal::new(false);
    let (id, conv) = (
        StoredValue::new(p.id.clone()),
        StoredValue::new(p.conversation_id.clone()),
    );
    let decide = move |accept: bool| {
        busy.set(true);
        let (api, client, id, conv) = (
            api.get_value(),
            client.get_value(),
            id.get_value(),
            conv.get_value(),
        );
        spawn_local(async move {
            match endpoints::decide_proposal(&api, &id, accept).await {
                Ok(()) => {
                    client.invalidate(&queries::proposals(&conv));
                    // An accepted proposal is an appointment now, and its time is taken.
                    client.invalidate(&queries::appointments());
                    client.invalidate(&queries::slots());
                }
                Err(e) => {
                    toasts.push(NoticeKind::Error, prefs.t().error(e.code), None);
                    client.invalidate(&queries::proposals(&conv));
                }
            }
            busy.set(false);
        });
    };
    let pending = p.status == ProposalStatus::Pending;
    let (start, duration, status, kind) = (p.start_time, p.duration, p.status, p.kind);
    view! {
        <article class="proposal-card" data-status=status.as_str()>
            <h3>{prefs.tr(|t| t.proposed_time)}</h3>
            <p class="proposal-when">
                {move || {
                    let t = prefs.t();
                    format!("{} · {} min · {}", format::when(t, start), duration, t.kind(kind))
                }}
            </p>
            <p class="proposal-status">{move || status_text(prefs.t(), status)}</p>
            {(pending && can_decide)
                .then(|| {
                    view! {
                        <div class="proposal-actions">
                            <button class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>
                                {prefs.tr(|t| t.accept)}
                            </button>
                            <button class="secondary" disabled=move || busy.get() on:click=move |_| decide(false)>
                                {prefs.tr(|t| t.refuse)}
                            </button>
                        </div>
                    }
                })}
        </article>
    }
}

/// Staff: offer the patient a time (date, time, duration) in this conversation.
#[component]
pub fn ProposeForm(
    conversation: String,
    practitioner: Signal<String, LocalStorage>,
) -> impl IntoView {
    let prefs = use_prefs();
    let toasts = use_toasts();
    let client = use_query_client();
    let api = StoredValue::new_local(use_api());
    let tomorrow = format::today() + Duration::days(1);
    let date = RwSignal::new(tomorrow.to_string());
    let time = RwSignal::new("10:00".to_owned());
    let duration = RwSignal::new(30u32);
    let busy = RwSignal::new(false);
    let conversation = StoredValue::new(conversation);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let start = local_start(&date.get_untracked(), &time.get_untracked());
        let Some(start_time) = start else {
            toasts.push(
                NoticeKind::Error,
                prefs.t().error(nova_contract::ErrorCode::ValidationError),
                None,
            );
            return;
        };
        let req = CreateProposalRequest {
            practitioner_id: practitioner.get_untracked(),
            kind: AppointmentType::Consultation,
            start_time,
            duration: duration.get_untracked(),
            notes: None,
        };
        busy.set(true);
        let (api, client, conv) = (api.get_value(), client.clone(), conversation.get_value());
        spawn_local(async move {
            match endpoints::propose(&api, &conv, &req).await {
                Ok(_) => {
                    client.invalidate(&queries::proposals(&conv));
                }
                Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="propose-form" on:submit=submit aria-labelledby="propose-title">
            <h3 id="propose-title">{prefs.tr(|t| t.propose_slot)}</h3>
            <label>
                {prefs.tr(|t| t.proposal_date)}
                <input type="date" required prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
            </label>
            <label>
                {prefs.tr(|t| t.proposal_time)}
                <input type="time" required step="300" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev)) />
            </label>
            <label>
                {prefs.tr(|t| t.duration_min)}
                <select on:change=move |ev| {
                    if let Ok(d) = event_target_value(&ev).parse() {
                        duration.set(d);
                    }
                }>
                    {DURATIONS
                        .into_iter()
                        .map(|d| view! { <option value=d selected=d == 30>{d}</option> })
                        .collect_view()}
                </select>
            </label>
            <button type="submit" class="primary" disabled=move || busy.get()>{prefs.tr(|t| t.propose_slot)}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_time_inputs_read_as_local_time() {
        let at = local_start("2026-11-23", "09:30").unwrap();
        assert_eq!(
            format::local_date(at),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(format::time(at), "09:30");
        assert!(local_start("2026-13-01", "09:30").is_none());
        assert!(local_start("2026-11-23", "9h").is_none());
    }
}
