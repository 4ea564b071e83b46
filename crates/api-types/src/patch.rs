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

/// Deserialises an optional field of a partial update that cannot be cleared: absent stays
/// `None` (with `#[serde(default)]`), a value becomes `Some`, and an explicit `null` is an
/// error instead of being silently ignored.
pub fn not_null<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom("must not be null; leave the field out to keep its value")),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Change {
        #[serde(default, deserialize_with = "present")]
        note: Option<Option<String>>,
        #[serde(default, deserialize_with = "not_null")]
        name: Option<String>,
    }

    #[test]
    fn absent_null_and_value_differ() {
        let absent: Change = serde_json::from_str("{}").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((absent.note, absent.name), (None, None));
        let cleared: Change =
            serde_json::from_str(r#"{"note": null, "name": "x"}"#).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((cleared.note, cleared.name), (Some(None), Some("x".to_owned())));
        assert!(serde_json::from_str::<Change>(r#"{"name": null}"#).is_err());
    }
}
