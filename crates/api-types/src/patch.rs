//! Partial updates: telling an absent field from an explicit `null`.

use serde::{Deserialize, Deserializer};

/// Deserialises a field of a partial update as `Some(value)` when present, including
/// `Some(None)` for an explicit `null`; combine with `#[serde(default)]` so an absent
/// field stays `None`.
pub fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
