//! Authentication of requests: a bearer token or the session cookie becomes the
//! [`Caller`], and cookie-authenticated writes must carry the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use app::{App, AppError, Credential, Tenant};

use crate::http::problem::ApiError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "mango_cs_session";
/// Header that carries the CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The authenticated caller of a request.
pub struct Caller(pub Tenant);

/// Who made a request, recorded for the access log once authentication succeeds.
#[derive(Clone, Debug)]
pub struct CallerIds {
    pub business_id: String,
    pub user_id: String,
}

enum Presented {
    Bearer(String),
    Cookie(String),
}

fn presented_credential(request: &HttpRequest) -> Option<Presented> {
    if let Some(value) = request.headers().get(header::AUTHORIZATION) {
        // The scheme name is case-insensitive (RFC 9110, section 11.1). Any other scheme
        // leaves the token empty, which no stored token matches.
        let text = value.to_str().unwrap_or_default();
        let token = text
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .unwrap_or_default();
        return Some(Presented::Bearer(token.to_owned()));
    }
    request.cookie(SESSION_COOKIE).map(|cookie| Presented::Cookie(cookie.value().to_owned()))
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0_u8, |difference, (x, y)| difference | (x ^ y)) == 0
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let app = request
                .app_data::<web::Data<App>>()
                .cloned()
                .ok_or_else(|| ApiError::App(AppError::Internal("the application state is missing".into())))?;
            let presented = presented_credential(&request).ok_or_else(|| {
                ApiError::App(AppError::Unauthenticated(
                    "sign in, or send an API token as Authorization: Bearer <token>".into(),
                ))
            })?;

            let tenant = web::block(move || match presented {
                Presented::Bearer(token) => app.authenticate_token(&token),
                Presented::Cookie(token) => app.authenticate_session(&token),
            })
            .await
            .map_err(|error| ApiError::App(AppError::Internal(error.to_string())))??;

            if let Credential::Session { csrf_token } = &tenant.credential {
                if is_write(request.method()) {
                    let sent =
                        request.headers().get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
                    if !same_secret(sent, csrf_token) {
                        return Err(ApiError::App(AppError::Forbidden(
                            "the X-CSRF-Token header is missing or wrong; reload the page and try again".into(),
                        )));
                    }
                }
            }

            request
                .extensions_mut()
                .insert(CallerIds { business_id: tenant.business_id.to_string(), user_id: tenant.user_id.to_string() });
            Ok(Caller(tenant))
        })
    }
}

/// Runs a blocking service call on the thread pool and flattens both error layers.
pub async fn blocking<T, F>(call: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    web::block(call).await.map_err(|error| ApiError::App(AppError::Internal(error.to_string())))?.map_err(ApiError::App)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }
}
