//! Health scores: an account's breakdown and history, and the dashboard.

use actix_web::{get, web, HttpResponse};
use api_types::health::{AccountHealth, Dashboard, DashboardParams, HealthHistory, HealthHistoryParams};
use app::App;
use crm_core::AccountId;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiQuery, PathId};
use crate::http::problem::ApiResult;
use crate::http::responses::ReadErrors;

/// Read an account's health
///
/// The latest snapshot: the overall score, each component's score, weight, narrative and
/// raw inputs, and the change against the snapshot before. 404 also when the job has
/// not scored the account yet.
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}/health", operation_id = "read_account_health", tag = "health scores",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = AccountHealth), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}/health")]
pub async fn read(app: web::Data<App>, caller: Caller, id: PathId<AccountId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let health = blocking(move || app.account_health(&caller.0, id.0)).await?;
    Ok(HttpResponse::Ok().json(health))
}

/// List an account's health history
///
/// The snapshots of the last `days` days (default 90), oldest first.
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}/health/history", operation_id = "list_account_health_history", tag = "health scores",
    params(("id" = String, Path, format = Uuid), HealthHistoryParams),
    responses((status = 200, body = HealthHistory), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}/health/history")]
pub async fn history(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    params: ApiQuery<HealthHistoryParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let history = blocking(move || app.account_health_history(&caller.0, id.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(history))
}

/// Read the dashboard
///
/// Accounts at risk (not churned, scoring under the business's threshold or flagged),
/// lowest score first, and how the live accounts spread over the health bands.
#[utoipa::path(
    get, path = "/api/v1/dashboard", operation_id = "read_dashboard", tag = "health scores",
    params(DashboardParams),
    responses((status = 200, body = Dashboard), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/dashboard")]
pub async fn dashboard(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<DashboardParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let dashboard = blocking(move || app.dashboard(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(dashboard))
}
