//! The services' time and id source.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use uuid::Uuid;

/// The current UTC time at microsecond precision, which both backends store exactly.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A stored UTC timestamp as an API value.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}
