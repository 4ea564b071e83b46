//! Users, API tokens and business settings.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use api_types::users::{
    ApiToken, ApiTokenCreate, ApiTokenCreated, BusinessSettings, BusinessSettingsUpdate, User, UserCreate, UserUpdate,
};
use api_types::{Page, PageParams};
use app::App;
use crm_core::{TokenId, UserId};

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery, PathId};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// List users
///
/// Admin only.
#[utoipa::path(
    get, path = "/api/v1/users", operation_id = "list_users", tag = "users", params(PageParams),
    responses((status = 200, body = Page<User>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/users")]
pub async fn list(app: web::Data<App>, caller: Caller, paging: ApiQuery<PageParams>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_users(&caller.0, paging.0.limit, paging.0.offset)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// List assignable users
///
/// Active users of the business, for choosing account owners. Any signed-in user.
#[utoipa::path(
    get, path = "/api/v1/users/assignable", tag = "users",
    responses((status = 200, body = Vec<User>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/users/assignable")]
pub async fn assignable(app: web::Data<App>, caller: Caller) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let users = blocking(move || app.list_assignable_users(&caller.0)).await?;
    Ok(HttpResponse::Ok().json(users))
}

/// Add a user
///
/// Admin only; nobody can grant a role above their own.
#[utoipa::path(
    post, path = "/api/v1/users", operation_id = "create_user", tag = "users", request_body = UserCreate,
    responses((status = 201, body = User), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/users")]
pub async fn create(app: web::Data<App>, caller: Caller, body: ApiJson<UserCreate>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let user = blocking(move || app.create_user(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Created().json(user))
}

/// Change a user
///
/// Admin only. Nobody can change a user who outranks them, grant a role above their own,
/// or change their own role or access. Deactivation ends the user's sessions and revokes
/// their tokens at once.
#[utoipa::path(
    patch, path = "/api/v1/users/{id}", operation_id = "update_user", tag = "users", params(("id" = String, Path, format = Uuid)),
    request_body = UserUpdate,
    responses((status = 200, body = User), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/users/{id}")]
pub async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<UserId>,
    body: ApiJson<UserUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let user = blocking(move || app.update_user(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(user))
}

/// List API tokens
///
/// Admins see every token of the business; other users see their own.
#[utoipa::path(
    get, path = "/api/v1/tokens", tag = "tokens", params(PageParams),
    responses((status = 200, body = Page<ApiToken>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/tokens")]
pub async fn list_tokens(app: web::Data<App>, caller: Caller, paging: ApiQuery<PageParams>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_tokens(&caller.0, paging.0.limit, paging.0.offset)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create an API token
///
/// The token acts as the caller. Its secret is in this response only.
#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "tokens", request_body = ApiTokenCreate,
    responses((status = 201, body = ApiTokenCreated), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/tokens")]
pub async fn create_token(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<ApiTokenCreate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let created = blocking(move || app.create_token(&caller.0, &body.0.name)).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revoke an API token
///
/// Users revoke their own tokens; admins also those of users they may manage.
#[utoipa::path(
    delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ApiToken, description = "Revoked"), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[delete("/api/v1/tokens/{id}")]
pub async fn revoke_token(app: web::Data<App>, caller: Caller, id: PathId<TokenId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let token = blocking(move || app.revoke_token(&caller.0, id.0)).await?;
    Ok(HttpResponse::Ok().json(token))
}

/// Read business settings
///
/// Admin only.
#[utoipa::path(
    get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, body = BusinessSettings), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/settings")]
pub async fn read_settings(app: web::Data<App>, caller: Caller) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let current = blocking(move || app.settings(&caller.0)).await?;
    Ok(HttpResponse::Ok().json(current))
}

/// Change business settings
///
/// Admin only. Changes the settings sent and keeps the others: allowed roles (which must
/// include the caller's own role), health weights and at-risk threshold, feature toggles
/// (the endpoints of a feature turned off respond 404), uplift percentage, reminder
/// cadence and labels. Invalid values answer 422 naming the field.
#[utoipa::path(
    patch, path = "/api/v1/settings", tag = "settings", request_body = BusinessSettingsUpdate,
    responses((status = 200, body = BusinessSettings), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/settings")]
pub async fn update_settings(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<BusinessSettingsUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let updated = blocking(move || app.update_settings(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(updated))
}

/// Save business settings
///
/// Admin only. The same as the PATCH: the settings page sends every setting, and any left
/// out keep their values.
#[utoipa::path(
    put, path = "/api/v1/settings", operation_id = "put_settings", tag = "settings", request_body = BusinessSettingsUpdate,
    responses((status = 200, body = BusinessSettings), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[put("/api/v1/settings")]
pub async fn put_settings(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<BusinessSettingsUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let updated = blocking(move || app.update_settings(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(updated))
}
