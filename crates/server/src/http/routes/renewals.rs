//! The renewal pipeline, its summary and its CSV export.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use api_types::renewals::{ExpansionCandidate, ExpansionListParams, RenewalListParams, RenewalPage, RenewalSummary};
use api_types::Page;
use app::App;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::ApiQuery;
use crate::http::problem::ApiResult;
use crate::http::responses::ReadErrors;

/// List renewals
///
/// The renewals of the next 30, 60 or 90 days after `as_of` (default today in UTC):
/// every subscription whose current period ends in the window, and every account
/// without subscriptions whose renewal date falls in it. Each has its stage (churning,
/// at risk, expanding, on track, first match wins) and the reason, and subscriptions
/// their annual recurring revenue in minor units. Sorted by days to renewal, then
/// account name.
#[utoipa::path(
    get, path = "/api/v1/renewals", operation_id = "list_renewals", tag = "renewals",
    params(RenewalListParams),
    responses((status = 200, body = RenewalPage), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/renewals")]
pub async fn list(app: web::Data<App>, caller: Caller, params: ApiQuery<RenewalListParams>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_renewals(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// List expansion candidates
///
/// Accounts that have not churned and show a signal on `as_of` (default today in UTC):
/// `expansion_ready_renewal` (health score 75 or more and a subscription that is not
/// cancelled renewing 30 to 90 days ahead) or `dormant_champion` (a champion contact and no
/// non-system activity in the 30 days up to `as_of`, or none ever). By name; counted and
/// paged by the database.
#[utoipa::path(
    get, path = "/api/v1/expansion-candidates", operation_id = "list_expansion_candidates", tag = "renewals",
    params(ExpansionListParams),
    responses((status = 200, body = Page<ExpansionCandidate>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/expansion-candidates")]
pub async fn expansion(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<ExpansionListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.expansion_candidates(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Summarise renewals
///
/// Entries and annual recurring revenue per stage for the same window and filters,
/// summed per currency.
#[utoipa::path(
    get, path = "/api/v1/renewals/summary", operation_id = "summarize_renewals", tag = "renewals",
    params(RenewalListParams),
    responses((status = 200, body = RenewalSummary), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/renewals/summary")]
pub async fn summary(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<RenewalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let summary = blocking(move || app.renewal_summary(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(summary))
}

/// Export renewals as CSV
///
/// Exactly the entries the list shows for the same filters, all pages. Columns:
/// account_id, account, csm (email), renewal_date, days_to_renewal, subscription
/// (external id), plan, subscription_status, arr (major units with the currency's
/// decimals), currency, stage, stage_reason.
#[utoipa::path(
    get, path = "/api/v1/renewals.csv", operation_id = "export_renewals", tag = "renewals",
    params(RenewalListParams),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment with a file name"))),
        ReadErrors
    ),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/renewals.csv")]
pub async fn export(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<RenewalListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let file = blocking(move || app.export_renewals_csv(&caller.0, &params.0)).await?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(file.filename)],
    };
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(disposition).body(file.content))
}
