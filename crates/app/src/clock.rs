//! The services' time and id source.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use uuid::Uuid;

/// Returns the current UTC time at microsecond precision, which both backends store exactly.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Makes a new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Converts a stored UTC timestamp into an API value.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}
