//! Accounts and their contacts and timelines.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use api_types::accounts::{
    Account, AccountCreate, AccountListParams, AccountUpdate, Activity, ActivityCreate, Contact, ContactCreate,
    ContactUpdate,
};
use api_types::{Page, PageParams};
use app::App;
use crm_core::{AccountId, ContactId};

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery, PathId};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// List accounts
///
/// Filters combine with AND. Page with `offset`, or with `cursor` for paging that stays
/// stable while rows are added: a cursor orders by the sort key and then the id.
#[utoipa::path(
    get, path = "/api/v1/accounts", operation_id = "list_accounts", tag = "accounts", params(AccountListParams),
    responses((status = 200, body = Page<Account>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts")]
pub async fn list(app: web::Data<App>, caller: Caller, params: ApiQuery<AccountListParams>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_accounts(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create an account
#[utoipa::path(
    post, path = "/api/v1/accounts", operation_id = "create_account", tag = "accounts", request_body = AccountCreate,
    responses((status = 201, body = Account), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/accounts")]
pub async fn create(app: web::Data<App>, caller: Caller, body: ApiJson<AccountCreate>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let account = blocking(move || app.create_account(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Created().json(account))
}

/// Read an account
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Account), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}")]
pub async fn read(app: web::Data<App>, caller: Caller, id: PathId<AccountId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let account = blocking(move || app.get_account(&caller.0, id.0)).await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Change an account
///
/// Only the fields sent change. A stage change adds a system entry to the timeline.
#[utoipa::path(
    patch, path = "/api/v1/accounts/{id}", operation_id = "update_account", tag = "accounts", params(("id" = String, Path, format = Uuid)),
    request_body = AccountUpdate,
    responses((status = 200, body = Account), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/accounts/{id}")]
pub async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    body: ApiJson<AccountUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let account = blocking(move || app.update_account(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Delete an account
///
/// Deletes the account with its contacts and timeline.
#[utoipa::path(
    delete, path = "/api/v1/accounts/{id}", operation_id = "delete_account", tag = "accounts", params(("id" = String, Path, format = Uuid)),
    responses((status = 204, description = "Deleted"), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[delete("/api/v1/accounts/{id}")]
pub async fn remove(app: web::Data<App>, caller: Caller, id: PathId<AccountId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    blocking(move || app.delete_account(&caller.0, id.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List an account's contacts
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}/contacts", tag = "contacts",
    params(("id" = String, Path, format = Uuid), PageParams),
    responses((status = 200, body = Page<Contact>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}/contacts")]
pub async fn list_contacts(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    paging: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_contacts(&caller.0, id.0, &paging.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Add a contact to an account
#[utoipa::path(
    post, path = "/api/v1/accounts/{id}/contacts", tag = "contacts", params(("id" = String, Path, format = Uuid)),
    request_body = ContactCreate,
    responses((status = 201, body = Contact), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/accounts/{id}/contacts")]
pub async fn create_contact(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    body: ApiJson<ContactCreate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let contact = blocking(move || app.create_contact(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Created().json(contact))
}

/// Change a contact
///
/// Only the fields sent change.
#[utoipa::path(
    patch, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path, format = Uuid)),
    request_body = ContactUpdate,
    responses((status = 200, body = Contact), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/contacts/{id}")]
pub async fn update_contact(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<ContactId>,
    body: ApiJson<ContactUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let contact = blocking(move || app.update_contact(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(contact))
}

/// Delete a contact
#[utoipa::path(
    delete, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path, format = Uuid)),
    responses((status = 204, description = "Deleted"), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[delete("/api/v1/contacts/{id}")]
pub async fn remove_contact(app: web::Data<App>, caller: Caller, id: PathId<ContactId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    blocking(move || app.delete_contact(&caller.0, id.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List an account's timeline
///
/// Newest first.
#[utoipa::path(
    get, path = "/api/v1/accounts/{id}/activities", tag = "activities",
    params(("id" = String, Path, format = Uuid), PageParams),
    responses((status = 200, body = Page<Activity>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts/{id}/activities")]
pub async fn list_activities(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    paging: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_activities(&caller.0, id.0, &paging.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Log an activity
///
/// An email, call, meeting or note on the account's timeline.
#[utoipa::path(
    post, path = "/api/v1/accounts/{id}/activities", tag = "activities", params(("id" = String, Path, format = Uuid)),
    request_body = ActivityCreate,
    responses((status = 201, body = Activity), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/accounts/{id}/activities")]
pub async fn create_activity(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<AccountId>,
    body: ApiJson<ActivityCreate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let activity = blocking(move || app.create_activity(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Created().json(activity))
}
