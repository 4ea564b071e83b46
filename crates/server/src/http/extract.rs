//! Request extractors that turn every malformed input into a problem that names the
//! field: JSON bodies, query strings and id path segments.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};
use crm_core::FieldError;
use serde::de::DeserializeOwned;

use crate::http::problem::ApiError;

/// Largest JSON body accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A JSON request body. Unlike `web::Json`, its errors name the offending field path
/// and distinguish malformed JSON (400) from well-formed JSON of the wrong shape (422).
pub struct ApiJson<T>(pub T);

fn path_of<E>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." {
        String::new()
    } else {
        path
    }
}

/// Shortens a serde message to its first clause, without the line and column suffix.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(position) => message[..position].to_owned(),
        None => message.to_owned(),
    }
}

/// Parses a JSON body, mapping each failure to the right status and field. Every request
/// body of the API is a JSON object, so any other top-level value is rejected before serde
/// could read, say, an array as a struct's fields in order.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
        let message = clean_message(&error.to_string());
        ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {message}"), Vec::new())
    })?;
    if !value.is_object() {
        return Err(ApiError::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "the body must be a JSON object",
            vec![FieldError::new("body", "must be a JSON object")],
        ));
    }

    serde_path_to_error::deserialize(value).map_err(|error| {
        let field = path_of(&error);
        let message = clean_message(&error.inner().to_string());
        let field = if field.is_empty() { unknown_field_of(&message).unwrap_or_else(|| "body".to_owned()) } else { field };
        ApiError::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the body does not match the expected shape: {message}"),
            vec![FieldError::new(field, message)],
        )
    })
}

/// The field named in serde's "unknown field `x`" message.
fn unknown_field_of(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_owned)
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = request
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| {
                let media = media.trim().to_ascii_lowercase();
                media == "application/json" || media.ends_with("+json")
            });
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::with_status(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                    Vec::new(),
                ));
            }
            let bytes = body.await.map_err(|error| {
                ApiError::with_status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body could not be read: {error}; the limit is {MAX_JSON_BYTES} bytes"),
                    Vec::new(),
                )
            })?;
            if bytes.len() > MAX_JSON_BYTES {
                return Err(ApiError::with_status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is larger than {MAX_JSON_BYTES} bytes"),
                    Vec::new(),
                ));
            }
            parse_json(&bytes).map(ApiJson)
        })
    }
}

/// Query parameters whose errors name the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(request.query_string()).map(ApiQuery))
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let deserializer = serde_urlencoded::Deserializer::new(url_pairs(query));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = path_of(&error);
        let message = error.inner().to_string();
        let field = if field.is_empty() { unknown_field_of(&message).unwrap_or_else(|| "query".into()) } else { field };
        ApiError::bad_request(
            "invalid_query",
            format!("the query parameter {field} is invalid: {message}"),
            vec![FieldError::new(field, message)],
        )
    })
}

fn url_pairs(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// An id taken from the path. A segment that is not a UUID answers 404, as an id that
/// exists nowhere would.
pub struct PathId<T>(pub T);

impl<T: std::str::FromStr> FromRequest for PathId<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let parsed = request.match_info().get("id").and_then(|text| text.parse::<T>().ok());
        std::future::ready(parsed.map(PathId).ok_or_else(ApiError::not_found))
    }
}
