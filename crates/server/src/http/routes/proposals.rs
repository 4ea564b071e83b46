//! Renewal proposals: generate one from a subscription, read, list per account, edit a
//! draft and move it along.

use actix_web::{get, patch, post, web, HttpResponse};
use api_types::proposals::{Proposal, ProposalStatusChange, ProposalUpdate};
use api_types::{Page, PageParams};
use app::App;
use crm_core::AccountId;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery, PathId};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// Generate a renewal proposal
///
/// Drafts a proposal from the subscription: one line at its current price raised by the
/// business's uplift percentage, rounded half to even to a whole minor unit. While a
/// draft from the same subscription exists, the response is 200 with that draft, not 201.
#[utoipa::path(
    post, path = "/api/v1/renewals/{subscription_id}/proposal", operation_id = "generate_proposal", tag = "proposals",
    params(("subscription_id" = String, Path, description = "The subscription's Mango CS id")),
    responses((status = 201, body = Proposal), (status = 200, description = "The existing draft", body = Proposal), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/renewals/{subscription_id}/proposal")]
pub async fn generate(
    app: web::Data<App>,
    caller: Caller,
    subscription_id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let subscription_id = subscription_id.into_inner();
    let (proposal, created) = blocking(move || app.generate_proposal(&caller.0, &subscription_id)).await?;
    Ok(if created { HttpResponse::Created().json(proposal) } else { HttpResponse::Ok().json(proposal) })
}

/// List an account's proposals
///
/// Newest first.
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}/proposals", operation_id = "list_proposals", tag = "proposals",
    params(("id" = String, Path, format = Uuid), PageParams),
    responses((status = 200, body = Page<Proposal>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}/proposals")]
pub async fn list(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    params: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_proposals(&caller.0, id.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read a proposal
#[utoipa::path(
    get, path = "/api/v1/proposals/{id}", operation_id = "read_proposal", tag = "proposals",
    params(("id" = String, Path)),
    responses((status = 200, body = Proposal), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/proposals/{id}")]
pub async fn read(app: web::Data<App>, caller: Caller, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let id = id.into_inner();
    let proposal = blocking(move || app.get_proposal(&caller.0, &id)).await?;
    Ok(HttpResponse::Ok().json(proposal))
}

/// Edit a draft proposal
///
/// Changes the uplift (the line prices follow it) or replaces the lines, whose list
/// prices the uplift then raises. Only a draft can change; others fail with 409
/// `proposal_not_draft`.
#[utoipa::path(
    patch, path = "/api/v1/proposals/{id}", operation_id = "update_proposal", tag = "proposals",
    params(("id" = String, Path)),
    request_body = ProposalUpdate,
    responses((status = 200, body = Proposal), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/proposals/{id}")]
pub async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ProposalUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let id = id.into_inner();
    let proposal = blocking(move || app.update_proposal(&caller.0, &id, &body.0)).await?;
    Ok(HttpResponse::Ok().json(proposal))
}

/// Move a proposal
///
/// A draft is sent; a sent proposal is won or lost. Other moves fail with 409
/// `invalid_transition`.
#[utoipa::path(
    post, path = "/api/v1/proposals/{id}/status", operation_id = "change_proposal_status", tag = "proposals",
    params(("id" = String, Path)),
    request_body = ProposalStatusChange,
    responses((status = 200, body = Proposal), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/proposals/{id}/status")]
pub async fn change_status(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<String>,
    body: ApiJson<ProposalStatusChange>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let id = id.into_inner();
    let proposal = blocking(move || app.change_proposal_status(&caller.0, &id, &body.0)).await?;
    Ok(HttpResponse::Ok().json(proposal))
}
