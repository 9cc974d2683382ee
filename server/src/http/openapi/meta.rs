//! `GET /api/health` and this documentation.

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{ApiResponse, Health};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(health, openapi_json, docs, metrics))]
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

/// The instance's measurements, for Prometheus
///
/// Text exposition format 0.0.4 (no envelope): open sockets by role, events emitted and failed
/// by name, notification latency and HTTP latency by route histograms. Aggregates only.
#[utoipa::path(get, path = "/metrics", tag = "Meta", operation_id = "metrics",
    responses((status = 200, description = "Prometheus text", content_type = "text/plain",
        body = String)))]
fn metrics() {}
