//! Patient records: the cabinet's patient list, one record, its contact details and its
//! appointments. Staff of the patient's cabinet see them (practitioners and admins may change
//! them); a patient sees and changes only their own. Every staff access is audited; a patient
//! reading their own record is not (it tells no one anything), their GDPR requests are.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use nova_contract::{
    AuditAction, ErrorCode, PaginatedResponse, Pagination, Patient, PatientAppointmentsQuery,
    PatientListQuery, Role, UpdatePatientRequest,
};

use super::extract::{ok, CurrentUser, Json, Query};
use super::gdpr::ensure_live;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::audit::AuditEvent;
use crate::store::patients::{PatientChanges, PatientFilter};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/patients", get(list))
        .route("/api/patients/{id}", get(one).put(update))
        .route("/api/patients/{id}/appointments", get(appointments))
}

const MAX_LIMIT: u32 = 100;
const MAX_SEARCH_CHARS: usize = 100;
const MAX_NAME_CHARS: usize = 100;
const MAX_EMAIL_CHARS: usize = 254;

/// `page` (1 when absent or 0) and `limit` (20 when absent), or a 422 naming `limit`.
pub(super) fn paging(page: Option<u32>, limit: Option<u32>) -> Result<(u32, u32)> {
    let limit = limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::validation(
            "limit",
            format!("limit doit être entre 1 et {MAX_LIMIT}"),
        ));
    }
    Ok((page.unwrap_or(1).max(1), limit))
}

/// What the caller may do with a patient's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Update,
}

/// Whether the caller may reach patient `id` at all. Patients reach only themselves (any other
/// id is 403 without looking it up, so nothing is learnt); staff reach their cabinet's
/// patients, and the record lookup that follows answers 404 for anyone else's.
async fn check_access(
    ctx: &ApiContext,
    caller: &CurrentUser,
    id: &str,
    access: Access,
) -> Result<()> {
    match caller.role {
        Role::Patient if id == caller.id => ensure_live(ctx, caller).await,
        Role::Patient => Err(Error::forbidden()),
        Role::Manager if access == Access::Update => Err(Error::forbidden()),
        Role::Practitioner | Role::Admin | Role::Manager => Ok(()),
    }
}

async fn record(ctx: &ApiContext, caller: &CurrentUser, id: &str) -> Result<Patient> {
    ctx.store
        .patient(&caller.cabinet_id, id)
        .await?
        .ok_or_else(|| Error::not_found("Patient"))
}

/// Logs a staff member's access to a patient's record before the answer leaves.
async fn audit(
    ctx: &ApiContext,
    caller: &CurrentUser,
    action: AuditAction,
    id: &str,
) -> Result<()> {
    if caller.role == Role::Patient {
        return Ok(());
    }
    ctx.store
        .audit(&AuditEvent {
            cabinet_id: &caller.cabinet_id,
            actor_id: &caller.id,
            actor_role: caller.role,
            action,
            subject_type: "patient",
            subject_id: id,
        })
        .await
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<PatientListQuery>,
) -> Result<Response> {
    if !caller.role.is_staff() {
        return Err(Error::forbidden());
    }
    let (page, limit) = paging(q.page, q.limit)?;
    let search = q.search.as_deref().unwrap_or_default().trim().to_string();
    if search.chars().count() > MAX_SEARCH_CHARS {
        return Err(Error::validation(
            "search",
            format!("{MAX_SEARCH_CHARS} caractères au plus"),
        ));
    }
    let filter = PatientFilter {
        search,
        sort_by: q.sort_by.unwrap_or_default(),
        order: q.sort_order.unwrap_or_default(),
        page,
        limit,
    };
    let (items, total) = ctx.store.patients(&caller.cabinet_id, &filter).await?;
    Ok(ok(PaginatedResponse {
        items,
        pagination: Pagination::new(page, limit, total),
    }))
}

async fn one(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    check_access(&ctx, &caller, &id, Access::Read).await?;
    let patient = record(&ctx, &caller, &id).await?;
    audit(&ctx, &caller, AuditAction::PatientRead, &id).await?;
    Ok(ok(patient))
}

async fn appointments(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PatientAppointmentsQuery>,
) -> Result<Response> {
    check_access(&ctx, &caller, &id, Access::Read).await?;
    let (page, limit) = paging(q.page, q.limit)?;
    record(&ctx, &caller, &id).await?;
    let (items, total) = ctx
        .store
        .patient_appointments(
            &caller.cabinet_id,
            &id,
            q.include_history.unwrap_or(false),
            page,
            limit,
        )
        .await?;
    audit(&ctx, &caller, AuditAction::PatientAppointmentsRead, &id).await?;
    Ok(ok(PaginatedResponse {
        items,
        pagination: Pagination::new(page, limit, total),
    }))
}

async fn update(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<UpdatePatientRequest>,
) -> Result<Response> {
    check_access(&ctx, &caller, &id, Access::Update).await?;
    let changes = validate(&req)?;
    record(&ctx, &caller, &id).await?;
    if ctx.store.is_erased(&id).await? {
        // Writing names back would undo the erasure.
        return Err(Error::new(
            ErrorCode::Forbidden,
            "Ce dossier a été anonymisé à la demande du patient",
        ));
    }
    ctx.store
        .update_patient(&caller.cabinet_id, &id, &changes)
        .await?;
    audit(&ctx, &caller, AuditAction::PatientUpdate, &id).await?;
    Ok(ok(record(&ctx, &caller, &id).await?))
}

fn validate(req: &UpdatePatientRequest) -> Result<PatientChanges> {
    let name = |field: &str, value: &Option<String>| -> Result<Option<String>> {
        let Some(value) = value else { return Ok(None) };
        let value = value.trim();
        if value.is_empty() {
            return Err(Error::validation(field, "Champ requis"));
        }
        if value.chars().count() > MAX_NAME_CHARS || value.chars().any(char::is_control) {
            return Err(Error::validation(
                field,
                format!("{MAX_NAME_CHARS} caractères au plus, sans caractère de contrôle"),
            ));
        }
        Ok(Some(value.to_string()))
    };
    let email = match &req.email {
        None => None,
        Some(e) => {
            let e = e.trim().to_lowercase();
            let well_formed = e
                .split_once('@')
                .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                && e.len() <= MAX_EMAIL_CHARS
                && !e.ends_with('.');
            if !well_formed {
                return Err(Error::validation("email", "Email invalide"));
            }
            Some(e)
        }
    };
    let phone = match &req.phone {
        None => None,
        Some(p) => {
            let p = p.trim();
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let allowed = p
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
            if !allowed || !(6..=15).contains(&digits) || p.len() > 25 {
                return Err(Error::validation("phone", "Numéro de téléphone invalide"));
            }
            Some(p.to_string())
        }
    };
    Ok(PatientChanges {
        first_name: name("firstName", &req.first_name)?,
        last_name: name("lastName", &req.last_name)?,
        email,
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<PatientChanges>) -> Option<String> {
        match r {
            Err(Error::Client { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn validation_names_the_field() {
        let req = |json: &str| serde_json::from_str::<UpdatePatientRequest>(json).unwrap();
        assert_eq!(
            field_of(validate(&req(r#"{"firstName":"  "}"#))).as_deref(),
            Some("firstName")
        );
        assert_eq!(
            field_of(validate(&req(&format!(
                r#"{{"lastName":"{}"}}"#,
                "x".repeat(101)
            ))))
            .as_deref(),
            Some("lastName")
        );
        for bad in ["a", "a@b", "@b.fr", "a b@c.fr", "a@b.fr."] {
            assert_eq!(
                field_of(validate(&req(&format!(r#"{{"email":"{bad}"}}"#)))).as_deref(),
                Some("email"),
                "{bad}"
            );
        }
        for bad in ["12", "06 12 34 56 7x", "", "+33 6 12 34 56 78 90 12 34"] {
            assert_eq!(
                field_of(validate(&req(&format!(r#"{{"phone":"{bad}"}}"#)))).as_deref(),
                Some("phone"),
                "{bad}"
            );
        }
        let ok = validate(&req(
            r#"{"firstName":" Léa ","email":" Lea.Dubois@Example.FR ","phone":"+33 6 12 34 56 78"}"#,
        ))
        .unwrap();
        assert_eq!(ok.first_name.as_deref(), Some("Léa"));
        assert_eq!(ok.email.as_deref(), Some("lea.dubois@example.fr"));
        assert_eq!(ok.phone.as_deref(), Some("+33 6 12 34 56 78"));
        assert!(ok.last_name.is_none());
        assert!(validate(&req("{}")).unwrap().is_empty());
    }
}
