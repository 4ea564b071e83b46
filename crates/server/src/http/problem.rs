//! RFC 9457 problem details: the one error body of the API, and the only place where
//! service error codes become HTTP statuses.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use app::AppError;
use crm_core::FieldError;
use serde::Serialize;
use tracing::error;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error body as RFC 9457 defines it, with the stable `code` and per-field `errors`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI that names the kind of problem: `urn:mango-cs:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the kind of problem.
    pub title: String,
    pub status: u16,
    /// Description of what went wrong in this request and what to do about it.
    pub detail: String,
    /// Stable machine-readable code, such as `validation_failed` or `domain_taken`.
    pub code: String,
    /// Invalid fields, for validation problems and conflicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An error returned by the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    /// The request itself is unusable: malformed JSON, a wrong type, an unknown field.
    #[error("{detail}")]
    BadRequest { status: StatusCode, code: &'static str, detail: String, errors: Vec<FieldError> },
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        ApiError::BadRequest { status: StatusCode::BAD_REQUEST, code, detail: detail.into(), errors }
    }

    pub fn with_status(
        status: StatusCode,
        code: &'static str,
        detail: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        ApiError::BadRequest { status, code, detail: detail.into(), errors }
    }

    pub fn not_found() -> Self {
        ApiError::App(AppError::not_found("resource"))
    }
}

impl From<crm_core::ValidationErrors> for ApiError {
    fn from(errors: crm_core::ValidationErrors) -> Self {
        ApiError::App(AppError::Validation(errors))
    }
}

fn title_of(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("Error").to_owned()
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { status, .. } => *status,
            ApiError::App(error) => match error {
                AppError::NotFound { .. } => StatusCode::NOT_FOUND,
                AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (code, detail, errors) = match self {
            ApiError::BadRequest { code, detail, errors, .. } => ((*code).to_owned(), detail.clone(), errors.clone()),
            ApiError::App(error) => {
                let detail = match error {
                    AppError::Internal(cause) | AppError::Unavailable(cause) => {
                        // The cause stays in the log, next to the request id in the access event.
                        error!(code = error.code(), cause = %cause, "request failed");
                        if matches!(error, AppError::Internal(_)) {
                            "an internal error occurred; the request id in X-Request-Id locates it in the server log"
                                .to_owned()
                        } else {
                            "the service is temporarily unavailable; try again shortly".to_owned()
                        }
                    }
                    AppError::Validation(_) => "some fields are invalid; see errors".to_owned(),
                    other => other.to_string(),
                };
                let errors = match error {
                    AppError::Validation(errors) => errors.0.clone(),
                    AppError::Conflict { field: Some(field), message, .. } => {
                        vec![FieldError::new(field.clone(), message.clone())]
                    }
                    _ => Vec::new(),
                };
                (error.code().to_owned(), detail, errors)
            }
        };

        let problem = Problem {
            problem_type: format!("urn:mango-cs:problem:{code}"),
            title: title_of(status),
            status: status.as_u16(),
            detail,
            code,
            errors,
        };
        let mut response = HttpResponse::build(status);
        response.content_type(PROBLEM_JSON);
        if let ApiError::App(AppError::Throttled { retry_after_secs }) = self {
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.insert_header((header::RETRY_AFTER, value));
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        response.json(problem)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
