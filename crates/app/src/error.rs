//! Errors of the services, each with a stable code that API clients can match on. The
//! server alone turns them into HTTP statuses.

use crm_core::ValidationErrors;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist in the caller's business, or does not exist at all.
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    /// One or more fields of the request are invalid.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The request is well-formed but clashes with existing data.
    #[error("{message}")]
    Conflict { code: &'static str, field: Option<String>, message: String },
    /// No valid credentials came with the request.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed logins; retry after the given number of seconds.
    #[error("too many failed sign-in attempts; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    /// A dependency such as the database cannot be reached.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A fault of the server; the detail is logged, never sent to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "not_found",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict { code, .. } => code,
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::Throttled { .. } => "too_many_attempts",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn not_found(resource: &'static str) -> Self {
        AppError::NotFound { resource }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(ValidationErrors::single(field, message))
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Connect(detail) => AppError::Unavailable(detail),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::from(StoreError::from(error))
    }
}

pub type AppResult<T> = Result<T, AppError>;
