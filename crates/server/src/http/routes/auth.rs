//! Sign-in, sign-out and the signed-in user.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use api_types::auth::{LoginRequest, Session};
use app::App;

use crate::http::caller::{blocking, Caller, SESSION_COOKIE};
use crate::http::extract::ApiJson;
use crate::http::problem::{ApiResult, Problem};
use crate::http::responses::ReadErrors;
use crate::http::ServerSettings;

fn session_cookie(value: String, settings: &ServerSettings, max_age: Option<time::Duration>) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure_cookies)
        .finish();
    if let Some(max_age) = max_age {
        cookie.set_max_age(max_age);
    }
    cookie
}

/// Sign in
///
/// Checks the email and password and sets the HttpOnly session cookie. The response
/// carries the CSRF token to send in `X-CSRF-Token` on every write made with the cookie.
/// After five failed attempts for one email within 15 minutes, attempts return 429.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = Session, description = "Signed in; the session cookie is set"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "Malformed JSON"),
        (status = 401, body = Problem, content_type = "application/problem+json", description = "Wrong email or password"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "The user's role is not allowed into the app"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "A field is missing"),
        (status = 429, body = Problem, content_type = "application/problem+json", description = "Too many failed attempts; see Retry-After"),
    )
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    app: web::Data<App>,
    settings: web::Data<ServerSettings>,
    request: HttpRequest,
    body: ApiJson<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let client_ip = if settings.trust_forwarded_for {
        let info = request.connection_info();
        info.realip_remote_addr().unwrap_or_default().chars().take(100).collect()
    } else {
        request.peer_addr().map(|address| address.ip().to_string()).unwrap_or_default()
    };
    let app = app.get_ref().clone();
    let input = body.0;

    let signed_in = blocking(move || app.login(&input.email, &input.password, &client_ip)).await?;

    Ok(HttpResponse::Ok().cookie(session_cookie(signed_in.session_token, &settings, None)).json(signed_in.session))
}

/// Sign out
///
/// Ends the session of the cookie sent, if any, and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
#[post("/api/v1/auth/logout")]
pub async fn logout(
    app: web::Data<App>,
    settings: web::Data<ServerSettings>,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    if let Some(cookie) = request.cookie(SESSION_COOKIE) {
        let app = app.get_ref().clone();
        let token = cookie.value().to_owned();
        blocking(move || app.logout(&token)).await?;
    }
    let expired = session_cookie(String::new(), &settings, Some(time::Duration::ZERO));
    Ok(HttpResponse::NoContent().cookie(expired).finish())
}

/// The signed-in user
///
/// Returns the caller's user and business, and for cookie sessions the CSRF token.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = Session), ReadErrors), security(("bearer" = []), ("session" = [])))]
#[get("/api/v1/me")]
pub async fn me(app: web::Data<App>, caller: Caller) -> ApiResult<HttpResponse> {
    let app = app.get_ref().clone();
    let session = blocking(move || app.current_session(&caller.0)).await?;
    Ok(HttpResponse::Ok().json(session))
}
