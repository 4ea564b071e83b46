//! The ingestion flow every signal shares: read each item on its own, tie it to an
//! account, then create, update or leave it by its external id in one transaction.

use std::collections::{HashMap, HashSet};

use api_types::signals::{IngestResult, ItemError, MAX_BATCH_ITEMS};
use chrono::{DateTime, NaiveDateTime, SubsecRound, Timelike, Utc};
use crm_core::signals::owning_domains;
use crm_core::validation::date_in_range;
use crm_core::ValidationErrors;
use serde::de::DeserializeOwned;
use serde_json::Value;
use store::{signals as queries, DbConnection, Scope};

use crate::clock::now;
use crate::error::{AppError, AppResult};

/// Maximum length of an external id, in characters.
pub(super) const MAX_EXTERNAL_ID_CHARS: usize = 200;

/// Rows per insert statement: at most 16 columns a row keeps this under both backends'
/// bind-parameter limits.
const INSERT_BATCH_ROWS: usize = 1_000;

/// A row of a signal table as the ingestion flow needs to see it.
pub(super) trait SignalRow: Clone + PartialEq {
    fn external_id(&self) -> &str;
    /// Takes the stored row's id and timestamps, so an item equal to the stored record
    /// compares equal.
    fn adopt(&mut self, stored: &Self);
    fn touch(&mut self, at: NaiveDateTime);
}

/// Storage of one signal table, for the shared upsert.
pub(super) struct Table<R> {
    pub find: fn(&mut DbConnection, &Scope, &[String]) -> store::StoreResult<Vec<R>>,
    pub insert_many: fn(&mut DbConnection, &[R]) -> store::StoreResult<()>,
    pub update: fn(&mut DbConnection, &Scope, &R) -> store::StoreResult<usize>,
}

/// Checks the batch size before any item is read.
pub(super) fn check_batch(items: &[Value]) -> AppResult<()> {
    if items.is_empty() || items.len() > MAX_BATCH_ITEMS {
        return Err(AppError::invalid("items", format!("must hold 1 to {MAX_BATCH_ITEMS} items, not {}", items.len())));
    }
    Ok(())
}

/// Reads each item into its input type; an unreadable item becomes an error naming the
/// field serde stopped at.
pub(super) fn parse_items<T: DeserializeOwned>(items: Vec<Value>, result: &mut IngestResult) -> Vec<(usize, T)> {
    let mut parsed = Vec::with_capacity(items.len());
    for (index, value) in items.into_iter().enumerate() {
        let external_id = value.get("external_id").and_then(Value::as_str).map(shorten);
        if !value.is_object() {
            result.errors.push(ItemError {
                index,
                external_id,
                field: "items".into(),
                message: "must be a JSON object".into(),
            });
            continue;
        }
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(item) => parsed.push((index, item)),
            Err(error) => {
                let path = error.path().to_string();
                let inner = error.into_inner().to_string();
                let field = missing_field(&inner).unwrap_or(if path == "." { String::from("items") } else { path });
                result.errors.push(ItemError { index, external_id, field, message: tidy_serde_message(&inner) });
            }
        }
    }
    parsed
}

/// Cuts an echoed external id to the longest one accepted, so an error about a huge id
/// does not repeat it whole.
fn shorten(external_id: &str) -> String {
    external_id.chars().take(MAX_EXTERNAL_ID_CHARS).collect()
}

/// serde reports a missing field at the parent's path; this names the field itself.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(field, _)| field.to_owned())
}

/// Drops serde's " at line … column …" tail, which means nothing for one item.
fn tidy_serde_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Turns an item's validation errors into item errors.
pub(super) fn report(result: &mut IngestResult, index: usize, external_id: &str, errors: ValidationErrors) {
    for error in errors.0 {
        result.errors.push(ItemError {
            index,
            external_id: Some(shorten(external_id)),
            field: error.field,
            message: error.message,
        });
    }
}

/// Converts an API timestamp to the stored form: UTC at microsecond precision, within
/// the dates both backends keep.
pub(super) fn timestamp(errors: &mut ValidationErrors, field: &str, at: DateTime<Utc>) -> NaiveDateTime {
    if let Err(message) = date_in_range(at.date_naive()) {
        errors.add(field, message);
    }
    let at = at.naive_utc().trunc_subsecs(6);
    // A leap second (23:59:60) is kept as the last microsecond of its minute, which both
    // backends store alike.
    if at.nanosecond() >= 1_000_000_000 {
        return at.with_nanosecond(999_999_000).unwrap_or(at);
    }
    at
}

/// Finds the account owning each email domain: the account whose domain is the email's
/// domain or its nearest parent.
pub(super) struct DomainOwners(HashMap<String, String>);

impl DomainOwners {
    pub fn load<'a>(
        connection: &mut DbConnection,
        scope: &Scope,
        domains: impl Iterator<Item = &'a str>,
    ) -> AppResult<Self> {
        let mut candidates: Vec<String> = domains.flat_map(owning_domains).collect();
        candidates.sort();
        candidates.dedup();
        let found = queries::accounts_by_domain(connection, scope, &candidates)?;
        Ok(Self(found.into_iter().collect()))
    }

    /// Returns the account owning this domain, the most specific match first.
    pub fn owner(&self, domain: &str) -> Option<&str> {
        owning_domains(domain).iter().find_map(|candidate| self.0.get(candidate)).map(String::as_str)
    }
}

/// Upserts the rows by external id in one transaction, or with `dry_run` only counts
/// what it would do. Rows repeating an external id already seen in the batch are
/// reported and skipped.
pub(super) fn upsert<R: SignalRow>(
    connection: &mut DbConnection,
    scope: &Scope,
    table: &Table<R>,
    rows: Vec<(usize, R)>,
    result: &mut IngestResult,
    dry_run: bool,
) -> AppResult<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unique = Vec::with_capacity(rows.len());
    for (index, row) in rows {
        if let Some(first) = seen.get(row.external_id()) {
            result.errors.push(ItemError {
                index,
                external_id: Some(row.external_id().to_owned()),
                field: "external_id".into(),
                message: format!("repeats item {first} of this batch"),
            });
            continue;
        }
        seen.insert(row.external_id().to_owned(), index);
        unique.push(row);
    }

    // Two requests that create the same new record at once race to insert it; the one
    // that loses runs again and finds the record stored.
    let mut attempt = 1;
    let counts = loop {
        match write_rows(connection, scope, table, &unique, dry_run) {
            Err(error) if attempt < MAX_ATTEMPTS && error.violates_unique("external_id") => attempt += 1,
            outcome => break outcome?,
        }
    };
    result.created += counts.created;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
    result.errors.sort_by_key(|error| error.index);
    Ok(())
}

/// Times an upsert runs when a concurrent request inserted one of its records first.
const MAX_ATTEMPTS: u32 = 3;

/// Counts of one upsert.
#[derive(Default)]
struct Written {
    created: u32,
    updated: u32,
    unchanged: u32,
}

/// Creates, updates or leaves each row in one transaction; with `dry_run` only counts.
fn write_rows<R: SignalRow>(
    connection: &mut DbConnection,
    scope: &Scope,
    table: &Table<R>,
    rows: &[R],
    dry_run: bool,
) -> Result<Written, store::StoreError> {
    store::write_transaction(connection, |connection| {
        let keys: Vec<String> = rows.iter().map(|row| row.external_id().to_owned()).collect();
        let stored: HashMap<String, R> = (table.find)(connection, scope, &keys)?
            .into_iter()
            .map(|row| (row.external_id().to_owned(), row))
            .collect();
        let at = now();
        let mut written = Written::default();
        let mut created = Vec::new();
        for row in rows {
            let mut row = row.clone();
            match stored.get(row.external_id()) {
                None => created.push(row),
                Some(existing) => {
                    row.adopt(existing);
                    if &row == existing {
                        written.unchanged += 1;
                    } else {
                        row.touch(at);
                        if !dry_run {
                            (table.update)(connection, scope, &row)?;
                        }
                        written.updated += 1;
                    }
                }
            }
        }
        if !dry_run {
            for chunk in created.chunks(INSERT_BATCH_ROWS) {
                (table.insert_many)(connection, chunk)?;
            }
        }
        written.created = u32::try_from(created.len()).unwrap_or(u32::MAX);
        Ok(written)
    })
}

/// Returns the distinct values, sorted, for lookups.
pub(super) fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: HashSet<&str> = values.collect();
    let mut list: Vec<String> = set.into_iter().map(str::to_owned).collect();
    list.sort();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_the_field() {
        assert_eq!(missing_field("missing field `subject` at line 1 column 2"), Some("subject".into()));
        assert_eq!(tidy_serde_message("unknown variant `x` at line 1 column 9"), "unknown variant `x`");
    }

    #[test]
    fn unreadable_items_are_reported_with_their_index() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            external_id: String,
            count: i32,
        }
        let mut result = IngestResult::default();
        let items = vec![
            serde_json::json!({"external_id": "a", "count": 1}),
            serde_json::json!({"external_id": "b", "count": "many"}),
            serde_json::json!({"external_id": "c"}),
            serde_json::json!(7),
        ];
        let parsed: Vec<(usize, Item)> = parse_items(items, &mut result);
        assert_eq!(parsed.len(), 1);
        let fields: Vec<(usize, &str)> = result.errors.iter().map(|e| (e.index, e.field.as_str())).collect();
        assert_eq!(fields, vec![(1, "count"), (2, "count"), (3, "items")]);
        assert_eq!(result.errors[0].external_id.as_deref(), Some("b"));
    }
}
