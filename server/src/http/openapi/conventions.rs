//! What every operation shares, added once after the operations are described:
//!
//! - an operation with `security(("bearerAuth" = []))` is signed in: it takes `X-Tenant-ID`
//!   and may answer 401 (`UNAUTHORIZED`, `TOKEN_EXPIRED`) and 403 (`FORBIDDEN`);
//! - a signed-in POST takes `Idempotency-Key`, with its 409 and 422 codes;
//! - a JSON body may be malformed (400) or invalid (422), and so may a signed-in query (422);
//! - a path `{id}` is declared as a parameter and may name nothing (404);
//! - every 4xx answer carries the error envelope (`ErrorResponse`), and a 429 says
//!   `Retry-After`.
//!
//! Codes an operation already lists keep their own explanation; these are appended after, one
//! Markdown list item per code (`- \`CODE\`: why`).

use nova_contract::{ErrorCode, ErrorDetails, IDEMPOTENCY_KEY_HEADER};
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    Components, Content, Header, OpenApi, Ref, RefOr, Required, Response, Schema,
};
use utoipa::{Modify, PartialSchema, ToSchema};

pub struct Conventions;

const BEARER: &str = "bearerAuth";
const TENANT: &str = "TenantId";
const IDEMPOTENCY: &str = "IdempotencyKey";
const ERROR: &str = "ErrorResponse";

impl Modify for Conventions {
    fn modify(&self, doc: &mut OpenApi) {
        add_components(doc.components.get_or_insert_with(Components::default));
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Delete, &mut item.delete),
                (HttpMethod::Patch, &mut item.patch),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation {
                    apply(path, &method, operation);
                }
            }
        }
    }
}

fn add_components(components: &mut Components) {
    components.security_schemes.insert(
        BEARER.into(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "The `accessToken` of a login or refresh, valid 15 minutes; on \
                     `TOKEN_EXPIRED`, refresh it with `POST /api/auth/refresh`.",
                ))
                .build(),
        )),
    );
    components.parameters.insert(
        TENANT.into(),
        RefOr::T(
            ParameterBuilder::new()
                .name("X-Tenant-ID")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The cabinet to act in, one of the caller's `memberships`; their home \
                     cabinet when absent. Any other value is 403 `FORBIDDEN`.",
                ))
                .schema(Some(string()))
                .build(),
        ),
    );
    components.parameters.insert(
        IDEMPOTENCY.into(),
        RefOr::T(
            ParameterBuilder::new()
                .name(IDEMPOTENCY_KEY_HEADER)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "1 to 255 visible ASCII characters, per user, kept 24 hours. A replay with \
                     the same key, path and body answers the first status and body again \
                     (`Idempotent-Replayed: true`) and does nothing twice.",
                ))
                .schema(Some(string()))
                .build(),
        ),
    );
    components.schemas.insert(
        ERROR.into(),
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The envelope of every failure: `ApiResponse` with `success: false` and \
                 `error`, never `data`.",
            ))
            .property(
                "success",
                ObjectBuilder::new()
                    .schema_type(Type::Boolean)
                    .enum_values(Some([false])),
            )
            .required("success")
            .property("error", Ref::from_schema_name(ErrorDetails::name()))
            .required("error")
            .into(),
    );
    // The envelope refers to these by name; they are listed whether or not an operation does.
    let mut schemas = vec![(ErrorDetails::name().into_owned(), ErrorDetails::schema())];
    <ErrorDetails as ToSchema>::schemas(&mut schemas);
    components.schemas.extend(schemas);
}

fn string() -> Schema {
    ObjectBuilder::new().schema_type(Type::String).into()
}

fn apply(path: &str, method: &HttpMethod, op: &mut Operation) {
    let signed_in = op
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    let parameters = op.parameters.get_or_insert_with(Vec::new);
    let has_query = parameters.iter().any(|p| match p {
        RefOr::T(p) => p.parameter_in == ParameterIn::Query,
        RefOr::Ref(_) => false,
    });
    for name in path_parameters(path) {
        let declared = parameters.iter().any(|p| match p {
            RefOr::T(p) => p.parameter_in == ParameterIn::Path && p.name == name,
            RefOr::Ref(_) => false,
        });
        if !declared {
            parameters.push(RefOr::T(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(Some("Identifier (a UUID today)"))
                    .schema(Some(string()))
                    .build(),
            ));
        }
    }
    if signed_in {
        parameters.push(RefOr::Ref(Ref::new(format!(
            "#/components/parameters/{TENANT}"
        ))));
    }
    let idempotent = signed_in && *method == HttpMethod::Post;
    if idempotent {
        parameters.push(RefOr::Ref(Ref::new(format!(
            "#/components/parameters/{IDEMPOTENCY}"
        ))));
    }
    if parameters.is_empty() {
        op.parameters = None;
    }

    if op.request_body.is_some() {
        may_fail(op, ErrorCode::MalformedJson, "the body is not JSON");
        may_fail(
            op,
            ErrorCode::ValidationError,
            "a field is missing, unknown or has a bad value (`field` names it)",
        );
    }
    // Only signed-in routes read their query with the strict `Query` extractor; the public
    // calendar feed ignores what calendar applications append.
    if has_query && signed_in {
        may_fail(
            op,
            ErrorCode::ValidationError,
            "a query parameter is unknown or has a bad value (`field` names it)",
        );
    }
    if path.contains('{') {
        may_fail(
            op,
            ErrorCode::NotFound,
            "no such id, or one of another cabinet",
        );
    }
    if signed_in {
        may_fail(
            op,
            ErrorCode::Unauthorized,
            "no token, a bad one, or an account closed since",
        );
        may_fail(
            op,
            ErrorCode::TokenExpired,
            "the access token has expired: refresh it",
        );
        may_fail(
            op,
            ErrorCode::Forbidden,
            "`X-Tenant-ID` names a cabinet the caller does not belong to",
        );
    }
    if idempotent {
        may_fail(
            op,
            ErrorCode::IdempotencyKeyInProgress,
            "a request with this `Idempotency-Key` is still running; retry shortly",
        );
        may_fail(
            op,
            ErrorCode::IdempotencyKeyReused,
            "this `Idempotency-Key` was used for a different request",
        );
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if status.starts_with('4') {
            response.content.insert(
                "application/json".into(),
                RefOr::T(Content::new(Some(Ref::from_schema_name(ERROR)))),
            );
        }
        if status == "429" {
            response.headers.insert(
                "Retry-After".into(),
                RefOr::T(
                    Header::builder()
                        .schema(Some(
                            ObjectBuilder::new().schema_type(Type::Integer).build(),
                        ))
                        .description(Some("Seconds until an attempt may pass again."))
                        .build(),
                ),
            );
        }
    }
}

/// The `{name}`s of a path template.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Lists `code` among the answers of `op` (under its HTTP status) unless it already is.
fn may_fail(op: &mut Operation, code: ErrorCode, why: &str) {
    let wire = serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let entry = op
        .responses
        .responses
        .entry(code.status().to_string())
        .or_insert_with(|| RefOr::T(Response::new("")));
    let RefOr::T(response) = entry else {
        return;
    };
    if response.description.contains(&format!("`{wire}`")) {
        return;
    }
    if !response.description.is_empty() {
        response.description.push('\n');
    }
    response.description.push_str(&format!("- `{wire}`: {why}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_from_the_template() {
        let names: Vec<_> = path_parameters("/api/practitioners/{id}/calendar.ics").collect();
        assert_eq!(names, ["id"]);
        assert_eq!(path_parameters("/api/health").count(), 0);
    }
}
