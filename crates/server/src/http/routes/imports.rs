//! CSV import of accounts, as a preview and then a commit, and the CSV export.

use actix_multipart::Multipart;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use api_types::accounts::AccountListParams;
use api_types::imports::{ImportPreview, ImportPreviewParams, ImportResult};
use api_types::signals::{SignalImportPreview, SignalKind};
use app::imports::MAX_FILE_BYTES;
use app::{App, AppError};
use crm_core::{FieldError, ImportId};
use futures_util::{Stream, StreamExt};
use utoipa::{IntoResponses, ToSchema};

use crate::http::caller::{blocking, Caller};
use crate::http::extract::{ApiQuery, PathId};
use crate::http::problem::{ApiError, ApiResult, Problem};

/// Media types accepted for a CSV file sent as the whole body. Browsers label CSV files
/// `application/vnd.ms-excel` on systems where Excel is installed.
const CSV_MEDIA_TYPES: &[&str] = &["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

/// A CSV file sent as a multipart form.
#[derive(ToSchema)]
#[allow(dead_code)]
struct UploadForm {
    /// The CSV file, UTF-8 with or without a byte order mark.
    #[schema(value_type = String, format = Binary, content_media_type = "text/csv")]
    file: Vec<u8>,
}

/// Errors of the upload of a file to preview.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum UploadErrors {
    /// A query parameter is invalid, or the multipart body is malformed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid session or API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The CSRF token of a browser session is missing.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The file is larger than 50 MiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is neither CSV nor a multipart form.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// The file is empty, not UTF-8 text or has no header row (field `file`), or the
    /// mapping is invalid or maps no column to the name (field `mapping`).
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// A server fault; the response's X-Request-Id locates it in the log.
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
}

/// Errors of a commit.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum CommitErrors {
    /// No valid session or API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The CSRF token of a browser session is missing.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such import in the caller's business.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// `import_already_committed`: the import was committed before. `import_outdated`: a
    /// custom field it maps was deleted since the preview. `import_conflict`: another
    /// change took a domain or external id of the file meanwhile. Nothing was written.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// A server fault; the response's X-Request-Id locates it in the log.
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
}

/// Errors of the export.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum ExportErrors {
    /// A query parameter is malformed.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid session or API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// A filter or the sort is invalid; `errors` names it.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// A server fault; the response's X-Request-Id locates it in the log.
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
}

fn too_large() -> ApiError {
    let limit = format!("must be at most {} MiB", MAX_FILE_BYTES / (1024 * 1024));
    ApiError::with_status(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!("the file is too large; it {limit}"),
        vec![FieldError::new("file", limit)],
    )
}

/// Returns the media type of the request body without parameters, lower-cased.
fn media_type(request: &HttpRequest) -> String {
    let value = request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn unreadable_body(error: actix_web::error::PayloadError) -> ApiError {
    ApiError::bad_request("unreadable_body", format!("the upload could not be read: {error}"), Vec::new())
}

fn malformed_multipart(error: actix_multipart::MultipartError) -> ApiError {
    ApiError::bad_request("malformed_multipart", format!("the multipart body is malformed: {error}"), Vec::new())
}

/// Reads a body stream into memory, failing with 413 once `budget` bytes are used up.
async fn read_limited<S, E>(mut stream: S, budget: &mut usize, failed: fn(E) -> ApiError) -> ApiResult<Vec<u8>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(failed)?;
        *budget = budget.checked_sub(chunk.len()).ok_or_else(too_large)?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Reads the `file` field of a multipart form. Other fields are read and dropped; all
/// fields together count against the size limit.
async fn read_multipart_file(request: &HttpRequest, payload: web::Payload) -> ApiResult<Vec<u8>> {
    let mut multipart = Multipart::new(request.headers(), payload);
    let mut budget = MAX_FILE_BYTES;
    let mut file = None;
    while let Some(field) = multipart.next().await {
        let field = field.map_err(malformed_multipart)?;
        let is_file = field.name() == Some("file");
        let content = read_limited(field, &mut budget, malformed_multipart).await?;
        if is_file && file.is_none() {
            file = Some(content);
        }
    }
    file.ok_or_else(|| {
        ApiError::App(AppError::invalid("file", "is missing; send the CSV file in a multipart field named file"))
    })
}

/// Reads the uploaded file: a CSV body, or the `file` field of a multipart form.
async fn read_upload(request: &HttpRequest, payload: web::Payload) -> ApiResult<Vec<u8>> {
    let media = media_type(request);
    if media == "multipart/form-data" {
        return read_multipart_file(request, payload).await;
    }
    if !CSV_MEDIA_TYPES.contains(&media.as_str()) {
        return Err(ApiError::with_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as a text/csv body, or as the field file of a multipart/form-data body",
            Vec::new(),
        ));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_FILE_BYTES) {
        return Err(too_large());
    }
    let mut budget = MAX_FILE_BYTES;
    read_limited(payload, &mut budget, unreadable_body).await
}

/// Preview an account import
///
/// Upload a CSV file of accounts as a `text/csv` body or as the `file` field of a
/// multipart form (at most 50 MiB, UTF-8). Nothing changes yet: the response shows how
/// each column maps, how many rows would create, update or leave accounts as they are,
/// and each row's errors and warnings. Pass `import_id` to the commit endpoint to apply
/// it. Headers of HubSpot company exports, Salesforce account exports and the Mango CS
/// export map without a `mapping`. Rows match accounts by domain, else by external id;
/// a blank cell leaves a field as it is.
#[utoipa::path(
    post, path = "/api/v1/imports/accounts/preview", tag = "imports", params(ImportPreviewParams),
    request_body(
        description = "The CSV file; its first line names the columns",
        content((String = "text/csv"), (inline(UploadForm) = "multipart/form-data"))
    ),
    responses((status = 200, body = ImportPreview), UploadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/imports/accounts/preview")]
pub async fn preview(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<ImportPreviewParams>,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let file = read_upload(&request, payload).await?;

    let app = app.get_ref().clone();
    let preview = blocking(move || app.preview_import(&caller.0, &params.0, &file)).await?;
    Ok(HttpResponse::Ok().json(preview))
}

/// Preview a signal import
///
/// Manager or above. Upload a CSV file of support tickets, survey responses,
/// subscriptions or usage events (`kind`: `support-tickets`, `survey-responses`,
/// `subscriptions` or `usage-events`), sent like an account import. Columns are named
/// like the fields of the ingestion endpoint of that kind, in any case and with spaces
/// or dashes for underscores; other columns are ignored, and an `external_id` column is
/// required. Dates alone mean midnight UTC; `reopened_at` separates its times with `;`.
/// Each row is checked and matched as the same record sent to the ingestion endpoint
/// would be. Nothing changes until the import is committed.
#[utoipa::path(
    post, path = "/api/v1/imports/{kind}/preview", operation_id = "preview_signal_import", tag = "imports",
    params(("kind" = String, Path, description = "support-tickets, survey-responses, subscriptions or usage-events")),
    request_body(
        description = "The CSV file; its first line names the columns",
        content((String = "text/csv"), (inline(UploadForm) = "multipart/form-data"))
    ),
    responses((status = 200, body = SignalImportPreview), UploadErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/imports/{kind}/preview")]
pub async fn preview_signals(
    app: web::Data<App>,
    caller: Caller,
    kind: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let kind = SignalKind::parse(&kind.replace('-', "_")).ok_or_else(ApiError::not_found)?;
    let file = read_upload(&request, payload).await?;
    let app = app.get_ref().clone();
    let report = blocking(move || app.preview_signal_import(&caller.0, kind, &file)).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Commit an import
///
/// Applies a previewed import of accounts or signals in one transaction: every valid
/// row, or nothing. The rows are checked again against the data as it is now. An import
/// commits once.
#[utoipa::path(
    post, path = "/api/v1/imports/{id}/commit", tag = "imports", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ImportResult), CommitErrors),
    security(("bearer" = []), ("session" = []))
)]
#[post("/api/v1/imports/{id}/commit")]
pub async fn commit(app: web::Data<App>, caller: Caller, id: PathId<ImportId>) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let result = blocking(move || app.commit_import(&caller.0, id.0)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Export accounts as CSV
///
/// Every account that matches the filters, in the sort order of the account list; the
/// paging parameters are ignored. Columns: id, name, domain, industry, stage, at_risk,
/// at_risk_reasons (joined with `;`), csm and ae (emails), renewal_date, health_score,
/// billing_customer_id, external_id, created_at, updated_at, then one column per account
/// custom field, headed by its label. Text that a spreadsheet would run as a formula
/// starts with an apostrophe. The file imports back unchanged.
#[utoipa::path(
    get, path = "/api/v1/accounts.csv", tag = "imports", params(AccountListParams),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment with a file name"))),
        ExportErrors
    ),
    security(("bearer" = []), ("session" = []))
)]
#[get("/api/v1/accounts.csv")]
pub async fn export(
    app: web::Data<App>,
    caller: Caller,
    params: ApiQuery<AccountListParams>,
) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let file = blocking(move || app.export_accounts_csv(&caller.0, &params.0)).await?;

    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(file.filename)],
    };
    Ok(HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(disposition).body(file.content))
}
