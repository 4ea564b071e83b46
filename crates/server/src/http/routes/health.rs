//! Liveness and readiness probes.

use actix_web::{get, web, HttpResponse};
use app::App;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::blocking;
use crate::http::problem::ApiResult;

#[derive(Serialize, ToSchema)]
pub struct Status {
    /// `ok` when healthy.
    pub status: String,
}

/// Process liveness
///
/// Responds as long as the process serves requests; it does not touch the database.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Status)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok".into() })
}

/// Readiness
///
/// Returns 200 when the database runs a query on the schema, 503 otherwise.
#[utoipa::path(
    get, path = "/readyz", tag = "health",
    responses(
        (status = 200, body = Status),
        (status = 503, description = "The database cannot be reached", body = crate::http::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(app: web::Data<App>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    blocking(move || app.check_ready()).await?;
    Ok(HttpResponse::Ok().json(Status { status: "ok".into() }))
}
