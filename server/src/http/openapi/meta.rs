//! `GET /api/health` and this documentation.

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{ApiResponse, Health};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(health, openapi_json, docs))]
pub(super) struct Paths;

/// The server is up and its database answers
#[utoipa::path(get, path = "/api/health", tag = "Meta", operation_id = "health",
    responses((status = 200, description = "Up", body = ApiResponse<Health>)))]
fn health() {}

/// This document
///
/// OpenAPI 3.1, as it is (no envelope). Anyone may read it.
#[utoipa::path(get, path = "/api/openapi.json", tag = "Meta", operation_id = "openapiDocument",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json",
        body = inline(serde_json::Value))))]
fn openapi_json() {}

/// A reference page rendering this document
///
/// One self-contained HTML page: it loads nothing but `/api/openapi.json`.
#[utoipa::path(get, path = "/api/docs", tag = "Meta", operation_id = "apiReference",
    responses((status = 200, description = "The page", content_type = "text/html", body = String)))]
fn docs() {}
