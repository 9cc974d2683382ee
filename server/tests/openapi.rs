//! `GET /api/openapi.json` and `GET /api/docs`: the document is OpenAPI 3.1, lists exactly the
//! routes the server has (read from the source and probed through the router), every `$ref`
//! in it resolves, real answers match the schemas it gives, and the reference page loads
//! nothing from elsewhere.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use common::{TestApp, ADMIN, MARTIN};

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Status, headers and the raw body (the page is not JSON).
async fn raw(app: &TestApp, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = app.router.clone().oneshot(request).await.expect("answers");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body reads").to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn document(app: &TestApp) -> Value {
    let request = Request::get("/api/openapi.json")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = raw(app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    serde_json::from_str(&body).expect("the document is JSON")
}

/// Every `(METHOD, path)` the document describes.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/http is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The byte index of the `)` closing a call whose arguments start `text`.
fn closing_paren(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced .route( call: {text}");
}

/// Whether `args` calls the method router `name(…)` (`get(list)`, `.put(update)`,
/// `axum::routing::delete(erase)`), not a handler whose name merely contains it.
fn calls(args: &str, name: &str) -> bool {
    let pattern = format!("{name}(");
    args.match_indices(&pattern).any(|(i, _)| {
        args[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// Every `(METHOD, path)` registered with `.route("…", …)` in `src/http/`, outside tests. The
/// catch-all `/api/{*rest}` (the JSON 404) is not an operation.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http"),
        &mut files,
    );
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source is readable");
        let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code: String = before_tests
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .map(|line| format!("{line}\n"))
            .collect();
        let mut rest = code.as_str();
        while let Some(at) = rest.find(".route(") {
            let call = &rest[at + ".route(".len()..];
            let end = closing_paren(call);
            let args = &call[..end];
            rest = &call[end..];
            let path = args
                .split('"')
                .nth(1)
                .unwrap_or_else(|| panic!("a literal path in {}: {args}", file.display()));
            if path.contains("{*") {
                continue;
            }
            let handlers = &args[args.find(path).unwrap() + path.len()..];
            let methods: Vec<&str> = METHODS.into_iter().filter(|m| calls(handlers, m)).collect();
            assert!(
                !methods.is_empty(),
                "no method router found for {path} in {}: {args}",
                file.display()
            );
            for method in methods {
                routes.insert((method.to_uppercase(), path.to_string()));
            }
        }
    }
    routes
}

#[test]
fn the_source_scan_reads_route_calls() {
    assert!(calls("get(list).post(create)", "post"));
    assert!(calls("axum::routing::delete(erase)", "delete"));
    assert!(!calls("get(budget_get(x))", "post"));
    assert!(!calls("post(forget(x))", "get"));
    let routes = routes_in_source();
    assert!(routes.contains(&("POST".into(), "/api/auth/password-reset-request".into())));
    assert!(routes.contains(&("PUT".into(), "/api/practitioners/{id}/hours".into())));
    assert!(!routes.iter().any(|(_, path)| path.contains("{*")));
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_exactly_the_routes_in_the_source() {
    let app = common::app().await;
    let doc = document(&app).await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "{}",
        doc["openapi"]
    );
    assert!(
        doc.get("success").is_none(),
        "a standard document, no envelope"
    );
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));

    let source = routes_in_source();
    let described = documented(&doc);
    let undocumented: Vec<_> = source.difference(&described).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the document: {undocumented:?}"
    );
    let phantom: Vec<_> = described.difference(&source).collect();
    assert!(
        phantom.is_empty(),
        "documented but not in src/http: {phantom:?}"
    );

    // Every operation is named once and tagged with a tag the document describes.
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    let mut ids = BTreeSet::new();
    for (method, path) in &described {
        let op = &doc["paths"][path][method.to_lowercase()];
        let id = op["operationId"].as_str().expect("an operationId");
        assert!(ids.insert(id.to_string()), "operationId {id} used twice");
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{id}"
        );
        let tag = op["tags"][0].as_str().expect("a tag");
        assert!(tags.contains(tag), "{id}: undeclared tag {tag}");
    }
}

#[tokio::test]
async fn every_documented_operation_is_answered_by_the_router_with_the_documented_security() {
    let app = common::app().await;
    let doc = document(&app).await;
    for (method, path) in documented(&doc) {
        let op = &doc["paths"][&path][method.to_lowercase()];
        let signed_in = op["security"]
            .as_array()
            .is_some_and(|r| r.iter().any(|req| req.get("bearerAuth").is_some()));
        let uri = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
        assert!(
            !uri.contains('{'),
            "a path parameter left to fill in {path}"
        );
        let mut request = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&uri);
        let body = if op.get("requestBody").is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from("{}")
        } else {
            Body::empty()
        };
        let (status, _, body) = raw(&app, request.body(body).unwrap()).await;
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let unknown_path = status == StatusCode::NOT_FOUND
            && json["error"]["code"] == "NOT_FOUND"
            && json["error"]["message"] == "Ressource introuvable";
        assert!(
            !unknown_path,
            "{method} {path}: the router has no such route"
        );
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: the route has no such method"
        );
        if signed_in {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
            assert_eq!(json["error"]["code"], "UNAUTHORIZED", "{method} {path}");
        } else {
            assert_ne!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} is public"
            );
        }
    }
}

/// The node a local `$ref` (`#/components/schemas/X`) points to.
fn target<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_ref_resolves_and_the_schemas_follow_serde() {
    let app = common::app().await;
    let doc = document(&app).await;
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "the document uses references");
    let dangling: BTreeSet<_> = all.iter().filter(|r| target(&doc, r).is_none()).collect();
    assert!(dangling.is_empty(), "dangling: {dangling:?}");

    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    let appointment = schema("Appointment");
    // `rename = "type"`, `rename_all = "camelCase"`, optional fields left out of `required`.
    assert!(appointment["properties"].get("type").is_some());
    assert!(appointment["properties"].get("kind").is_none());
    assert!(appointment["properties"].get("startTime").is_some());
    let required = appointment["required"].as_array().unwrap();
    assert!(required.contains(&json!("startTime")));
    assert!(!required.contains(&json!("notes")));
    assert_eq!(
        appointment["properties"]["id"]["$ref"],
        "#/components/schemas/Id"
    );
    // `deny_unknown_fields` on requests.
    assert_eq!(schema("LoginRequest")["additionalProperties"], false);
    assert_eq!(
        schema("CreateAppointmentRequest")["additionalProperties"],
        false
    );
    // `flatten`: the session is the user and the tokens side by side.
    assert_eq!(
        schema("AuthSession")["allOf"],
        json!([{"$ref": "#/components/schemas/AuthUser"}, {"$ref": "#/components/schemas/AuthTokens"}])
    );
    // `#[serde(other)] Unknown` is a reading fallback, not a code anyone sends.
    let codes = schema("ErrorCode")["enum"].as_array().unwrap().clone();
    assert!(codes.contains(&json!("SLOT_CONFLICT")));
    assert!(!codes.contains(&json!("UNKNOWN")));
    assert!(!schema("AuditAction")["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("unknown")));
    // Generics: the envelope of a page of appointments.
    let page = schema("ApiResponse_PaginatedResponse_Appointment");
    assert_eq!(
        page["properties"]["data"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Appointment"
    );
    assert_eq!(
        page["properties"]["data"]["properties"]["pagination"]["$ref"],
        "#/components/schemas/Pagination"
    );
    // Repeated query parameters are arrays.
    let list = &doc["paths"]["/api/appointments"]["get"];
    let status = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "status")
        .expect("a status parameter");
    assert_eq!(status["in"], "query");
    assert_eq!(status["schema"]["type"], "array");
    // A signed-in POST takes the idempotency key; every 4xx carries the error envelope.
    let create = &doc["paths"]["/api/appointments"]["post"];
    assert!(create["parameters"]
        .as_array()
        .unwrap()
        .contains(&json!({"$ref": "#/components/parameters/IdempotencyKey"})));
    assert!(create["responses"]["409"]["description"]
        .as_str()
        .unwrap()
        .contains("`SLOT_CONFLICT`"));
    assert_eq!(
        create["responses"]["409"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorResponse"
    );
}

/// Whether `value` fits `schema`: types, `required`, enums, arrays, `$ref`, `allOf`, `oneOf`,
/// and no property the schema does not name. Returns what does not fit.
fn fits(doc: &Value, value: &Value, schema: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let named = target(doc, r).ok_or(format!("{at}: dangling {r}"))?;
        return fits(doc, value, named, at);
    }
    if let Some(parts) = schema["allOf"].as_array() {
        for part in parts {
            fits_shape(doc, value, part, at)?;
        }
        return no_unknown_fields(doc, value, schema, at);
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        return match choices.iter().find(|c| fits(doc, value, c, at).is_ok()) {
            Some(_) => Ok(()),
            None => Err(format!("{at}: {value} fits none of {schema}")),
        };
    }
    fits_shape(doc, value, schema, at)?;
    no_unknown_fields(doc, value, schema, at)
}

/// [`fits`] without the check for unnamed properties (one part of an `allOf` names only some).
fn fits_shape(doc: &Value, value: &Value, schema: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let named = target(doc, r).ok_or(format!("{at}: dangling {r}"))?;
        return fits_shape(doc, value, named, at);
    }
    if schema.get("allOf").is_some() || schema.get("oneOf").is_some() {
        return fits(doc, value, schema, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_ok = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !type_ok {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            fits(doc, v, item, &format!("{at}[{i}]"))?;
        }
    }
    if let Value::Object(map) = value {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            if !map.contains_key(name) {
                return Err(format!("{at}: required `{name}` is missing"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, v) in map {
                if let Some(property) = properties.get(name) {
                    fits(doc, v, property, &format!("{at}.{name}"))?;
                }
            }
        }
    }
    Ok(())
}

/// Every property the schema names, through `$ref` and `allOf`; `None` when it names none.
fn named_properties(doc: &Value, schema: &Value, out: &mut BTreeSet<String>) -> bool {
    if let Some(r) = schema["$ref"].as_str() {
        return target(doc, r).is_some_and(|s| named_properties(doc, s, out));
    }
    let mut any = false;
    if let Some(properties) = schema["properties"].as_object() {
        out.extend(properties.keys().cloned());
        any = true;
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        any |= named_properties(doc, part, out);
    }
    any
}

fn no_unknown_fields(doc: &Value, value: &Value, schema: &Value, at: &str) -> Result<(), String> {
    let Value::Object(map) = value else {
        return Ok(());
    };
    let mut names = BTreeSet::new();
    if !named_properties(doc, schema, &mut names) {
        return Ok(());
    }
    match map.keys().find(|k| !names.contains(*k)) {
        Some(extra) => Err(format!("{at}: `{extra}` is not in the schema")),
        None => Ok(()),
    }
}

#[test]
fn the_checker_refuses_what_does_not_fit() {
    let doc = json!({"components": {"schemas": {"A": {"type": "object", "required": ["x"],
        "properties": {"x": {"type": "integer"}, "y": {"type": ["string", "null"]}}}}}});
    let a = json!({"$ref": "#/components/schemas/A"});
    assert!(fits(&doc, &json!({"x": 1}), &a, "body").is_ok());
    assert!(fits(&doc, &json!({"x": 1, "y": null}), &a, "body").is_ok());
    assert!(fits(&doc, &json!({}), &a, "body").is_err());
    assert!(fits(&doc, &json!({"x": "1"}), &a, "body").is_err());
    assert!(fits(&doc, &json!({"x": 1, "z": 2}), &a, "body").is_err());
    let both = json!({"allOf": [a, {"type": "object", "properties": {"z": {"type": "boolean"}}}]});
    assert!(fits(&doc, &json!({"x": 1, "z": true}), &both, "body").is_ok());
    assert!(fits(&doc, &json!({"x": 1, "w": true}), &both, "body").is_err());
}

/// Checks an answer against the schema documented for its status.
#[track_caller]
fn matches_document(doc: &Value, method: &str, path: &str, status: StatusCode, body: &Value) {
    let response = &doc["paths"][path][method]["responses"][status.as_str()];
    assert!(
        response.is_object(),
        "{method} {path} answered {status}, which is not documented: {body}"
    );
    let schema = &response["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} {status}: no JSON schema"
    );
    if let Err(why) = fits(doc, body, schema, "body") {
        panic!("{method} {path} {status} does not match the document: {why}");
    }
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let app = common::app().await;
    let doc = document(&app).await;
    let admin = app.login(ADMIN).await.token;
    let practitioner = app.login(MARTIN).await.token;

    // Every signed-in read that needs no parameter, as an admin (a practitioner for their own
    // calendar), then one record of each kind the lists name.
    let mut first_ids = std::collections::BTreeMap::new();
    let mut checked = 0;
    for (method, path) in documented(&doc) {
        let op = &doc["paths"][&path]["get"];
        let needs_parameter = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["required"] == true);
        if method != "GET" || needs_parameter || !op["security"].is_array() {
            continue;
        }
        let token = if path.contains("/me/calendar") {
            &practitioner
        } else {
            &admin
        };
        let reply = app.get(&path, Some(token)).await;
        assert!(reply.status.is_success(), "GET {path}: {reply:?}");
        matches_document(&doc, "get", &path, reply.status, &reply.body);
        checked += 1;
        if let Some(id) = reply.body["data"]["items"][0]["id"].as_str() {
            first_ids.insert(path.clone(), id.to_string());
        }
    }
    assert!(checked >= 10, "only {checked} reads checked");
    for (list, one) in [
        ("/api/appointments", "/api/appointments/{id}"),
        ("/api/patients", "/api/patients/{id}"),
        ("/api/patients", "/api/patients/{id}/appointments"),
    ] {
        let id = first_ids
            .get(list)
            .unwrap_or_else(|| panic!("the demo data has {list}"));
        let reply = app.get(&one.replace("{id}", id), Some(&admin)).await;
        matches_document(&doc, "get", one, reply.status, &reply.body);
    }
    let practitioners = app.get("/api/practitioners", Some(&admin)).await;
    let martin = practitioners.data()[0]["id"].as_str().unwrap().to_string();
    let hours = app
        .get(&format!("/api/practitioners/{martin}/hours"), Some(&admin))
        .await;
    matches_document(
        &doc,
        "get",
        "/api/practitioners/{id}/hours",
        hours.status,
        &hours.body,
    );

    // Sign-in answers and failures match too.
    let login = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": ADMIN, "password": common::PASSWORD}),
        )
        .await;
    matches_document(&doc, "post", "/api/auth/login", login.status, &login.body);
    let wrong = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": ADMIN, "password": "nope"}),
        )
        .await;
    matches_document(&doc, "post", "/api/auth/login", wrong.status, &wrong.body);
    let missing = app
        .get(
            "/api/appointments/00000000-0000-4000-8000-000000000000",
            Some(&admin),
        )
        .await;
    missing.err(404, "NOT_FOUND");
    matches_document(
        &doc,
        "get",
        "/api/appointments/{id}",
        missing.status,
        &missing.body,
    );
    let bad = app
        .post("/api/appointments", Some(&admin), &json!({"x": 1}))
        .await;
    bad.err(422, "VALIDATION_ERROR");
    matches_document(&doc, "post", "/api/appointments", bad.status, &bad.body);
}

#[tokio::test]
async fn the_reference_page_is_self_contained() {
    let app = common::app().await;
    let request = Request::get("/api/docs").body(Body::empty()).unwrap();
    let (status, headers, page) = raw(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.contains("fetch(\"/api/openapi.json\")"));
    // Nothing from another origin: no absolute address at all, no external script or style.
    for forbidden in [
        "http://",
        "https://",
        "<script src",
        "<link",
        "@import",
        "//cdn",
    ] {
        assert!(!page.contains(forbidden), "the page contains {forbidden}");
    }
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
}
