//! Job runs: the record of scheduled and on-demand runs, and running the health job now.

use actix_web::{get, post, web, HttpResponse};
use api_types::jobs::{JobRun, JobRunListParams, JobRunRequest};
use api_types::Page;
use app::App;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiQuery, OptionalJson};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// Run the health snapshot now
///
/// Admin only. Scores every live account of the business for `as_of` (default today in
/// UTC) and returns the finished run, which may have failed. A second run for the
/// same date replaces that date's snapshots. 409 `job_running` while a run is going.
#[utoipa::path(
    post, path = "/api/v1/jobs/health-snapshot/runs", operation_id = "run_health_snapshot", tag = "jobs",
    request_body(content = JobRunRequest, description = "Optional; an empty body runs for today"),
    responses((status = 201, body = JobRun), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/jobs/health-snapshot/runs")]
pub async fn run_health_snapshot(
    app: web::Data<App>,
    caller: Caller,
    body: OptionalJson<JobRunRequest>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let request = body.0;
    let run = blocking(move || app.run_health_snapshot(&caller.0, &request)).await?;
    Ok(HttpResponse::Created().json(run))
}

/// List job runs
///
/// Admin only. Newest first, with their status, counts and errors.
#[utoipa::path(
    get, path = "/api/v1/jobs/runs", operation_id = "list_job_runs", tag = "jobs",
    params(JobRunListParams),
    responses((status = 200, body = Page<JobRun>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/jobs/runs")]
pub async fn list_runs(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<JobRunListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let runs = blocking(move || app.list_job_runs(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(runs))
}
