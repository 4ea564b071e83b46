//! Job runs: the record of scheduled and on-demand runs, and running the health job now.

use actix_web::{get, post, web, HttpResponse};
use api_types::jobs::{JobRun, JobRunListParams, JobRunRequest};
use api_types::mail::{OutboxListParams, OutboxMail};
use api_types::Page;
use app::jobs::Job;
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
    let run = blocking(move || app.run_job_now(&caller.0, Job::HealthSnapshot, &request)).await?;
    Ok(HttpResponse::Created().json(run))
}

/// Run the renewal reminders now
///
/// Admin only. Sends the reminders due on `as_of` (default today in UTC): for every
/// subscription whose days to renewal reached a threshold of the business's cadence, one
/// reminder per subscription, period end and threshold to the account's CSM, in the app
/// and by mail as their preferences allow. Re-runs send nothing twice. Answers with the
/// finished run; 409 `job_running` while a run is going.
#[utoipa::path(
    post, path = "/api/v1/jobs/renewal-reminders/runs", operation_id = "run_renewal_reminders", tag = "jobs",
    request_body(content = JobRunRequest, description = "Optional; an empty body runs for today"),
    responses((status = 201, body = JobRun), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/jobs/renewal-reminders/runs")]
pub async fn run_renewal_reminders(
    app: web::Data<App>,
    caller: Caller,
    body: OptionalJson<JobRunRequest>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let request = body.0;
    let run = blocking(move || app.run_job_now(&caller.0, Job::RenewalReminders, &request)).await?;
    Ok(HttpResponse::Created().json(run))
}

/// List the mail outbox
///
/// Admin only. Every mail of the business, newest first: those sent, and those waiting
/// or retrying with their last error. Without an SMTP server the mails wait here to be
/// read until a server with SMTP sends them.
#[utoipa::path(
    get, path = "/api/v1/outbox", operation_id = "list_outbox", tag = "jobs",
    params(OutboxListParams),
    responses((status = 200, body = Page<OutboxMail>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/outbox")]
pub async fn list_outbox(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<OutboxListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_outbox(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
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
