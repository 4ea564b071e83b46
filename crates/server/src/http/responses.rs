//! Error responses shared by the OpenAPI descriptions of the endpoints.

use utoipa::IntoResponses;

use crate::http::problem::Problem;

/// Errors of reads that need credentials.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ReadErrors {
    /// A query parameter is invalid.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid session or API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The caller's role may not do this.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such record in the caller's business.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// A query parameter breaks a rule, such as a limit out of range; the error names it.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// A server fault; the response's X-Request-Id locates it in the log.
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
}

/// Errors of writes that need credentials.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum WriteErrors {
    /// Malformed JSON.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No valid session or API token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// The caller's role may not do this, or the CSRF token is missing.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such record in the caller's business.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The change clashes with existing data, such as a domain already in use.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is larger than the limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not JSON.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// Fields are invalid; `errors` lists each.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// A server fault; the response's X-Request-Id locates it in the log.
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
}
