//! One structured event per request, with a request id that is also returned to the
//! client in `X-Request-Id`. Query strings, headers and bodies are never logged, so
//! passwords, tokens and cookies stay out of the log.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::{info, info_span, warn, Instrument};

use crate::http::caller::CallerIds;

pub async fn log_request(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let started = Instant::now();
    let request_id = uuid::Uuid::now_v7().simple().to_string();
    let method = request.method().to_string();
    let path = request.path().to_owned();

    // Events logged while handling the request, such as the cause of a 500, carry its id.
    let span = info_span!("request", request_id = %request_id);
    let mut response = next.call(request).instrument(span).await?;

    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ids = response.request().extensions().get::<CallerIds>().cloned();
    let (business_id, user_id) = ids.map(|ids| (ids.business_id, ids.user_id)).unwrap_or_default();
    if status >= 500 {
        warn!(request_id, method, path, status, duration_ms, business_id, user_id, "request");
    } else {
        info!(request_id, method, path, status, duration_ms, business_id, user_id, "request");
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}
