//! Request extractors that turn every malformed input into a problem that names the
//! field: JSON bodies, query strings and id path segments.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::{Decompress, Payload};
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use crm_core::FieldError;
use futures_util::StreamExt;
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
///
/// The body is parsed twice. The first pass reads a generic value to check the syntax, the
/// top-level type and the text. The second reads `T` from the bytes themselves, because a
/// `serde_json::Value` keeps only the last of repeated keys and `T` must see each of them
/// to reject the repeat.
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
    if let Some(field) = first_nul_path(&value, String::new()) {
        return Err(ApiError::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the body contains a NUL character (\\u0000) in {field}; remove it"),
            vec![FieldError::new(field, "must not contain a NUL character")],
        ));
    }

    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let message = clean_message(&error.inner().to_string());
        let field = field_of_error(path_of(&error), &message, "body");
        ApiError::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the body does not match the expected shape: {message}"),
            vec![FieldError::new(field, message)],
        )
    })
}

/// Returns the path, in the notation of `serde_path_to_error`, of the first key or string
/// that contains U+0000. PostgreSQL cannot store that character in text, and no field of the
/// API has a use for it, so both backends reject it alike.
fn first_nul_path(value: &serde_json::Value, path: String) -> Option<String> {
    let named = |path: &str| if path.is_empty() { "body".to_owned() } else { path.to_owned() };
    match value {
        serde_json::Value::String(text) => text.contains('\0').then(|| named(&path)),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(index, item)| first_nul_path(item, format!("{path}[{index}]")))
        }
        serde_json::Value::Object(members) => members.iter().find_map(|(key, member)| {
            let member_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') {
                Some(named(&path))
            } else {
                first_nul_path(member, member_path)
            }
        }),
        _ => None,
    }
}

/// Returns the field a deserialization error is about, given the error's path and message,
/// or `fallback` when neither names one. Serde raises "unknown field `x`" while reading the
/// key, so its path already ends with `x`, but it raises "missing field `x`" and
/// "duplicate field `x`" at the enclosing object, whose path lacks `x`.
fn field_of_error(path: String, message: &str, fallback: &str) -> String {
    let named_in = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next());
    let missing_or_repeated = named_in("missing field `").or_else(|| named_in("duplicate field `"));
    match (missing_or_repeated, named_in("unknown field `")) {
        (Some(field), _) if path.is_empty() => field.to_owned(),
        (Some(field), _) => format!("{path}.{field}"),
        (None, Some(field)) if path.is_empty() => field.to_owned(),
        (None, _) if path.is_empty() => fallback.to_owned(),
        (None, _) => path,
    }
}

fn too_large(detail: String) -> ApiError {
    ApiError::with_status(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", detail, Vec::new())
}

/// Reads a request body of at most [`MAX_JSON_BYTES`] after decoding any
/// `Content-Encoding`, so the limit applies to what is parsed. Actix-web's `Bytes`
/// extractor stops at its own default of 256 KiB unless the app registers a
/// `PayloadConfig`, which would also change other extractors, so the body is read here.
async fn read_body(mut body: Decompress<Payload>, declared_length: Option<usize>) -> Result<web::Bytes, ApiError> {
    if declared_length.is_some_and(|length| length > MAX_JSON_BYTES) {
        return Err(too_large(format!("the body is larger than {MAX_JSON_BYTES} bytes")));
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        // The payload error's text is the decoder's internal state, so the client gets a
        // plain sentence instead.
        let chunk = chunk.map_err(|_| {
            ApiError::bad_request(
                "unreadable_body",
                "the body could not be read; check that it is complete and matches its Content-Encoding",
                Vec::new(),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_JSON_BYTES {
            return Err(too_large(format!("the body is larger than {MAX_JSON_BYTES} bytes")));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = request.headers();
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| {
                let media = media.trim().to_ascii_lowercase();
                media == "application/json" || media.ends_with("+json")
            });
        let declared_length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse().ok());
        let body = Decompress::from_headers(payload.take(), headers);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::with_status(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                    Vec::new(),
                ));
            }
            let bytes = read_body(body, declared_length).await?;
            parse_json(&bytes).map(ApiJson)
        })
    }
}

/// A JSON body that may be left out: an empty body reads as `T::default()`, anything
/// else must be valid JSON like [`ApiJson`].
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let headers = request.headers();
        let declared_length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse().ok());
        let body = Decompress::from_headers(payload.take(), headers);
        Box::pin(async move {
            let bytes = read_body(body, declared_length).await?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(T::default()));
            }
            parse_json(&bytes).map(OptionalJson)
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

/// Parses a query string. A parameter whose name or value contains U+0000 is rejected,
/// as in JSON bodies, because PostgreSQL cannot compare text with that character.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if let Some((name, _)) = url_pairs(query).find(|(name, value)| name.contains('\0') || value.contains('\0')) {
        let field = name.replace('\0', "\\u0000");
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("the query parameter {field} contains a NUL character (%00); remove it"),
            vec![FieldError::new(field, "must not contain a NUL character")],
        ));
    }

    let deserializer = serde_urlencoded::Deserializer::new(url_pairs(query));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let message = error.inner().to_string();
        let field = field_of_error(path_of(&error), &message, "query");
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        key: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        inner: Option<Inner>,
    }

    fn field_of(result: Result<Outer, ApiError>) -> Option<String> {
        match result {
            Err(ApiError::BadRequest { errors, .. }) => errors.first().map(|error| error.field.clone()),
            _ => None,
        }
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(field_of(parse_json(br#"{"inner": {"key": "a"}}"#)), Some("name".into()));
        assert_eq!(field_of(parse_json(br#"{"name": "a", "inner": {}}"#)), Some("inner.key".into()));
        assert_eq!(field_of(parse_json(br#"{"name": "a", "colour": 1}"#)), Some("colour".into()));
        assert_eq!(field_of(parse_json(br#"{"name": "a", "inner": {"key": "a", "x": 1}}"#)), Some("inner.x".into()));
        assert_eq!(field_of(parse_json(br#"{"name": "a", "name": "b"}"#)), Some("name".into()));
        assert_eq!(field_of(parse_json(br#"{"name": 1}"#)), Some("name".into()));
        assert_eq!(field_of(parse_json(br#"["a"]"#)), Some("body".into()));
    }

    #[test]
    fn nul_characters_are_found_anywhere() {
        assert_eq!(first_nul_path(&json!({"a": "x\u{0}"}), String::new()), Some("a".into()));
        assert_eq!(first_nul_path(&json!({"a": {"b": ["ok", "\u{0}"]}}), String::new()), Some("a.b[1]".into()));
        assert_eq!(first_nul_path(&json!({"a": {"b\u{0}": 1}}), String::new()), Some("a".into()));
        assert_eq!(first_nul_path(&json!({"a\u{0}": 1}), String::new()), Some("body".into()));
        assert_eq!(first_nul_path(&json!({"a": "\\u0000", "b": [1, null, true]}), String::new()), None);
    }

    #[test]
    fn query_rejects_nul_and_names_repeats() {
        let nul = parse_query::<api_types::PageParams>("limit=%00");
        assert!(matches!(nul, Err(ApiError::BadRequest { ref errors, .. }) if errors[0].field == "limit"));
        let repeated = parse_query::<api_types::PageParams>("limit=1&limit=2");
        assert!(matches!(repeated, Err(ApiError::BadRequest { ref errors, .. }) if errors[0].field == "limit"));
        assert!(parse_query::<api_types::PageParams>("limit=5&offset=10").is_ok());
    }
}
