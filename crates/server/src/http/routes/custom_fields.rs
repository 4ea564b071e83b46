//! Custom field definitions.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use api_types::custom_fields::{
    CustomField, CustomFieldCreate, CustomFieldListParams, CustomFieldReorder, CustomFieldUpdate,
};
use app::App;
use crm_core::CustomFieldId;

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiJson, ApiQuery, PathId};
use crate::http::problem::ApiResult;
use crate::http::responses::{ReadErrors, WriteErrors};

/// List custom fields
///
/// In display order. Any signed-in user, since forms and lists need them.
#[utoipa::path(
    get, path = "/api/v1/custom-fields", operation_id = "list_custom_fields", tag = "custom fields", params(CustomFieldListParams),
    responses((status = 200, body = Vec<CustomField>), ReadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/custom-fields")]
pub async fn list(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<CustomFieldListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let fields = blocking(move || app.list_custom_fields(&caller.0, params.0.entity)).await?;
    Ok(HttpResponse::Ok().json(fields))
}

/// Define a custom field
///
/// Admin only. The field goes to the end of its entity's list.
#[utoipa::path(
    post, path = "/api/v1/custom-fields", operation_id = "create_custom_field", tag = "custom fields", request_body = CustomFieldCreate,
    responses((status = 201, body = CustomField), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/custom-fields")]
pub async fn create(app: web::Data<App>, caller: Caller, body: ApiJson<CustomFieldCreate>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let field = blocking(move || app.create_custom_field(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Created().json(field))
}

/// Reorder custom fields
///
/// Admin only. Lists every id of one entity in the new order.
#[utoipa::path(
    post, path = "/api/v1/custom-fields/reorder", tag = "custom fields", request_body = CustomFieldReorder,
    responses((status = 200, body = Vec<CustomField>), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/custom-fields/reorder")]
pub async fn reorder(
    app: web::Data<App>,
    caller: Caller,
    body: ApiJson<CustomFieldReorder>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let fields = blocking(move || app.reorder_custom_fields(&caller.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(fields))
}

/// Change a custom field
///
/// Admin only. The key, entity and kind are fixed.
#[utoipa::path(
    patch, path = "/api/v1/custom-fields/{id}", operation_id = "update_custom_field", tag = "custom fields", params(("id" = String, Path, format = Uuid)),
    request_body = CustomFieldUpdate,
    responses((status = 200, body = CustomField), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[patch("/api/v1/custom-fields/{id}")]
pub async fn update(
    app: web::Data<App>,
    caller: Caller,
    id: PathId<CustomFieldId>,
    body: ApiJson<CustomFieldUpdate>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let field = blocking(move || app.update_custom_field(&caller.0, id.0, &body.0)).await?;
    Ok(HttpResponse::Ok().json(field))
}

/// Delete a custom field
///
/// Admin only. Stored values are kept but no longer shown or exported.
#[utoipa::path(
    delete, path = "/api/v1/custom-fields/{id}", operation_id = "delete_custom_field", tag = "custom fields", params(("id" = String, Path, format = Uuid)),
    responses((status = 204, description = "Deleted"), WriteErrors),
    security(("bearer" = []), ("session" = []))
)]
#[delete("/api/v1/custom-fields/{id}")]
pub async fn remove(app: web::Data<App>, caller: Caller, id: PathId<CustomFieldId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    blocking(move || app.delete_custom_field(&caller.0, id.0)).await?;
    Ok(HttpResponse::NoContent().finish())
}
