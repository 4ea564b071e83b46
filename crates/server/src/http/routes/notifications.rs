//! The caller's in-app notifications and notification preferences.

use actix_web::{get, post, put, web, HttpResponse};
use api_types::notifications::{
    MarkedRead, Notification, NotificationListParams, NotificationPage, NotificationPreferences,
};
use app::App;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// List my notifications
///
/// Newest first, with the number unread.
#[utoipa::path(
    get, path = "/api/v1/notifications", operation_id = "list_notifications", tag = "notifications",
    params(NotificationListParams),
    responses((status = 200, body = NotificationPage), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/notifications")]
pub async fn list(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<NotificationListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let page = blocking(move || app.list_notifications(&caller.0, &params.0)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Mark a notification read
#[utoipa::path(
    post, path = "/api/v1/notifications/{id}/read", operation_id = "mark_notification_read", tag = "notifications",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Notification), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/notifications/{id}/read")]
pub async fn mark_read(app: web::Data<App>, caller: Caller, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let id = id.into_inner();
    let notification = blocking(move || app.mark_notification_read(&caller.0, &id)).await?;
    Ok(HttpResponse::Ok().json(notification))
}

/// Mark all my notifications read
#[utoipa::path(
    post, path = "/api/v1/notifications/read-all", operation_id = "mark_all_notifications_read", tag = "notifications",
    responses((status = 200, body = MarkedRead), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/notifications/read-all")]
pub async fn mark_all_read(app: web::Data<App>, caller: Caller) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let marked = blocking(move || app.mark_all_notifications_read(&caller.0)).await?;
    Ok(HttpResponse::Ok().json(marked))
}

/// Read my notification preferences
///
/// Every kind and channel; all are on until turned off.
#[utoipa::path(
    get, path = "/api/v1/notifications/preferences", operation_id = "read_notification_preferences", tag = "notifications",
    responses((status = 200, body = NotificationPreferences), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/notifications/preferences")]
pub async fn read_preferences(app: web::Data<App>, caller: Caller) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let preferences = blocking(move || app.notification_preferences(&caller.0)).await?;
    Ok(HttpResponse::Ok().json(preferences))
}

/// Change my notification preferences
///
/// Lists the choices to change; kinds and channels not listed keep theirs.
#[utoipa::path(
    put, path = "/api/v1/notifications/preferences", operation_id = "update_notification_preferences", tag = "notifications",
    request_body = NotificationPreferences,
    responses((status = 200, body = NotificationPreferences), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[put("/api/v1/notifications/preferences")]
pub async fn update_preferences(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<NotificationPreferences>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let preferences = blocking(move || app.update_notification_preferences(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(preferences))
}
