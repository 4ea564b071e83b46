//! Ingestion and lists of support tickets, survey responses, subscriptions and usage
//! events.

use actix_web::{get, post, web, HttpResponse};
use api_types::signals::{
    IngestResult, SignalKind, SignalListParams, Subscription, SubscriptionBatch, SurveyResponse, SurveyResponseBatch,
    Ticket, TicketBatch, UsageEvent, UsageEventBatch,
};
use api_types::Page;
use app::App;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// Send support tickets
///
/// Manager or above. Upserts 1 to 1,000 tickets by `external_id`; each belongs to the
/// account whose domain is the reporter's email domain or a parent of it. Invalid items
/// are listed in `errors` and the valid ones are stored.
#[utoipa::path(
    post, path = "/api/v1/support-tickets", operation_id = "ingest_support_tickets", tag = "signals",
    request_body = TicketBatch,
    responses((status = 200, body = IngestResult), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/support-tickets")]
pub async fn ingest_tickets(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<TicketBatch>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let result = blocking(move || app.ingest_signals(&caller.0, SignalKind::SupportTickets, body.0.items)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// List support tickets
///
/// Newest opened first. `status` filters by ticket status; `from` and `to` bound the
/// opening time.
#[utoipa::path(
    get, path = "/api/v1/support-tickets", operation_id = "list_support_tickets", tag = "signals",
    params(SignalListParams),
    responses((status = 200, body = Page<Ticket>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/support-tickets")]
pub async fn list_tickets(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<SignalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_tickets(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send survey responses
///
/// Manager or above. Upserts 1 to 1,000 NPS or CSAT responses by `external_id`, tied to
/// accounts by the respondent's email domain like tickets.
#[utoipa::path(
    post, path = "/api/v1/survey-responses", operation_id = "ingest_survey_responses", tag = "signals",
    request_body = SurveyResponseBatch,
    responses((status = 200, body = IngestResult), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/survey-responses")]
pub async fn ingest_survey_responses(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<SurveyResponseBatch>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let result = blocking(move || app.ingest_signals(&caller.0, SignalKind::SurveyResponses, body.0.items)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// List survey responses
///
/// Newest first. `status` filters by kind (`nps` or `csat`).
#[utoipa::path(
    get, path = "/api/v1/survey-responses", operation_id = "list_survey_responses", tag = "signals",
    params(SignalListParams),
    responses((status = 200, body = Page<SurveyResponse>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/survey-responses")]
pub async fn list_survey_responses(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<SignalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_survey_responses(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send subscriptions
///
/// Manager or above. Upserts 1 to 1,000 subscriptions by `external_id`; each names its
/// account by `account_id` or by the account's `billing_customer_id`.
#[utoipa::path(
    post, path = "/api/v1/subscriptions", operation_id = "ingest_subscriptions", tag = "signals",
    request_body = SubscriptionBatch,
    responses((status = 200, body = IngestResult), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/subscriptions")]
pub async fn ingest_subscriptions(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<SubscriptionBatch>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let result = blocking(move || app.ingest_signals(&caller.0, SignalKind::Subscriptions, body.0.items)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// List subscriptions
///
/// Soonest period end first. `status` filters by subscription status; `from` and `to`
/// bound the end of the current period.
#[utoipa::path(
    get, path = "/api/v1/subscriptions", operation_id = "list_subscriptions", tag = "signals",
    params(SignalListParams),
    responses((status = 200, body = Page<Subscription>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/subscriptions")]
pub async fn list_subscriptions(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<SignalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_subscriptions(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Send usage events
///
/// Manager or above. Upserts 1 to 1,000 product usage events by `external_id`. Each
/// names its account by `account_id` or by a domain that the account's domain equals or
/// is a parent of. Usage counts as activity for the health score.
#[utoipa::path(
    post, path = "/api/v1/usage-events", operation_id = "ingest_usage_events", tag = "signals",
    request_body = UsageEventBatch,
    responses((status = 200, body = IngestResult), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/usage-events")]
pub async fn ingest_usage_events(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<UsageEventBatch>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let result = blocking(move || app.ingest_signals(&caller.0, SignalKind::UsageEvents, body.0.items)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// List usage events
///
/// Newest first. `status` filters by event name.
#[utoipa::path(
    get, path = "/api/v1/usage-events", operation_id = "list_usage_events", tag = "signals",
    params(SignalListParams),
    responses((status = 200, body = Page<UsageEvent>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/usage-events")]
pub async fn list_usage_events(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<SignalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_usage_events(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}
