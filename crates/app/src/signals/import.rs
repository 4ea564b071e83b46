//! CSV import of signals through the same preview-then-commit flow as accounts. Each row
//! becomes one item of the ingestion API, so a row is checked and matched exactly as the
//! same record sent as JSON would be.
//!
//! Columns are named like the JSON fields (`external_id`, `opened_at`, …), in any case
//! and with spaces or dashes for underscores; other columns are ignored. Blank cells are
//! left out, timestamps may be dates (`2026-06-01`, midnight UTC) or date-times without
//! a zone (UTC), and `reopened_at` lists its times separated by `;`.

use std::collections::BTreeSet;

use api_types::imports::{ImportCounts, ImportResult, RowIssue};
use api_types::signals::{IngestResult, SignalColumn, SignalImportPreview, SignalKind};
use chrono::{NaiveDate, NaiveDateTime};
use crm_core::export::strip_formula_guard;
use crm_core::ImportId;
use serde_json::{Map, Value};
use store::imports::{self as queries, ImportRow};
use store::{DbConnection, Scope};
use tracing::info;

use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::imports::{already_committed, decode_file, for_each_record, read_headers, MAX_LISTED_ISSUES};
use crate::tenant::Tenant;
use crate::App;

/// The JSON type a column's cells become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    Text,
    Integer,
    Boolean,
    Timestamp,
    TimestampList,
}

/// Lists the fields a CSV file of this kind may carry, with the type of each.
fn fields(kind: SignalKind) -> &'static [(&'static str, Cell)] {
    use Cell::{Boolean, Integer, Text, Timestamp, TimestampList};
    match kind {
        SignalKind::SupportTickets => &[
            ("external_id", Text),
            ("subject", Text),
            ("status", Text),
            ("reporter_email", Text),
            ("opened_at", Timestamp),
            ("solved_at", Timestamp),
            ("reopened_at", TimestampList),
        ],
        SignalKind::SurveyResponses => &[
            ("external_id", Text),
            ("respondent_email", Text),
            ("kind", Text),
            ("score", Integer),
            ("responded_at", Timestamp),
            ("comment", Text),
        ],
        SignalKind::Subscriptions => &[
            ("external_id", Text),
            ("account_id", Text),
            ("billing_customer_id", Text),
            ("plan_name", Text),
            ("status", Text),
            ("quantity", Integer),
            ("unit_amount", Integer),
            ("currency", Text),
            ("interval", Text),
            ("current_period_start", Timestamp),
            ("current_period_end", Timestamp),
            ("cancel_at_period_end", Boolean),
        ],
        SignalKind::UsageEvents => &[
            ("external_id", Text),
            ("account_id", Text),
            ("domain", Text),
            ("user_email", Text),
            ("event", Text),
            ("occurred_at", Timestamp),
        ],
    }
}

/// Returns the field a header names, if any: `Opened At` and `opened-at` name `opened_at`.
fn field_of(kind: SignalKind, header: &str) -> Option<(&'static str, Cell)> {
    let key: String =
        header.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() }).collect();
    fields(kind).iter().copied().find(|(name, _)| *name == key)
}

/// Writes a timestamp cell as RFC 3339: full date-times pass as they are, a date means
/// midnight UTC and a date-time without a zone means UTC. Anything else passes through
/// for the item check to reject with the field's name.
fn timestamp(text: &str) -> String {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return format!("{date}T00:00:00Z");
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
    }
    text.to_owned()
}

fn cell_value(cell: Cell, text: &str) -> Value {
    match cell {
        Cell::Text => Value::String(text.to_owned()),
        Cell::Integer => text.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_owned())),
        Cell::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        Cell::Timestamp => Value::String(timestamp(text)),
        Cell::TimestampList => Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| Value::String(timestamp(part)))
                .collect(),
        ),
    }
}

/// A file read into ingestion items, with each item's row number.
struct Items {
    columns: Vec<SignalColumn>,
    items: Vec<Value>,
    rows: Vec<u64>,
}

fn read_items(kind: SignalKind, text: &str) -> AppResult<Items> {
    let headers = read_headers(text)?;
    let targets: Vec<Option<(&'static str, Cell)>> = headers.iter().map(|header| field_of(kind, header)).collect();
    let mut seen = BTreeSet::new();
    for (header, target) in headers.iter().zip(&targets) {
        if let Some((name, _)) = target {
            if !seen.insert(*name) {
                return Err(AppError::invalid("file", format!("more than one column names {name} (\"{header}\")")));
            }
        }
    }
    if !seen.contains("external_id") {
        return Err(AppError::invalid(
            "file",
            "has no external_id column; every row needs its record's id in the source system",
        ));
    }
    let mut items = Vec::new();
    let mut rows = Vec::new();
    for_each_record(text, |row, record| {
        let mut item = Map::new();
        for (cell, target) in record.iter().zip(&targets) {
            let Some((name, kind)) = target else { continue };
            let text = strip_formula_guard(cell).trim();
            if !text.is_empty() {
                item.insert((*name).to_owned(), cell_value(*kind, text));
            }
        }
        items.push(Value::Object(item));
        rows.push(row);
        Ok(())
    })?;
    if items.is_empty() {
        return Err(AppError::invalid("file", "has a header row but no records"));
    }
    let columns = headers
        .into_iter()
        .zip(targets)
        .map(|(header, target)| SignalColumn { header, field: target.map(|(name, _)| name.to_owned()) })
        .collect();
    Ok(Items { columns, items, rows })
}

/// Counts and row issues of an ingestion result, with item positions turned into rows.
fn summary(result: &IngestResult, rows: &[u64]) -> (ImportCounts, Vec<RowIssue>, bool) {
    let invalid: BTreeSet<usize> = result.errors.iter().map(|error| error.index).collect();
    let counts = ImportCounts {
        new: u64::from(result.created),
        updated: u64::from(result.updated),
        unchanged: u64::from(result.unchanged),
        invalid: invalid.len() as u64,
    };
    let issues: Vec<RowIssue> = result
        .errors
        .iter()
        .take(MAX_LISTED_ISSUES)
        .map(|error| RowIssue {
            row: rows.get(error.index).copied().unwrap_or(0),
            field: Some(error.field.clone()),
            message: error.message.clone(),
        })
        .collect();
    (counts, issues, result.errors.len() > MAX_LISTED_ISSUES)
}

impl App {
    /// Reads an uploaded CSV file of signals, stores it and reports what committing it
    /// would do. Nothing changes until the import is committed. Manager or above.
    pub fn preview_signal_import(
        &self,
        tenant: &Tenant,
        kind: SignalKind,
        file: &[u8],
    ) -> AppResult<SignalImportPreview> {
        super::require_writer(tenant)?;
        let text = decode_file(file)?;
        let Items { columns, items, rows } = read_items(kind, text)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let result = super::ingest(&mut connection, &scope, kind, items, true)?;
        let (counts, errors, issues_truncated) = summary(&result, &rows);

        let id = ImportId(new_id());
        queries::insert(
            &mut connection,
            &ImportRow {
                id: id.to_string(),
                business_id: scope.business_id().to_owned(),
                user_id: Some(tenant.user_id.to_string()),
                status: "previewed".to_owned(),
                content: text.to_owned(),
                mapping: store::to_json_text(&columns)?,
                default_stage: crm_core::Stage::Active.as_str().to_owned(),
                result: None,
                created_at: now(),
                committed_at: None,
                kind: kind.as_str().to_owned(),
            },
        )?;
        info!(import_id = %id, kind = kind.as_str(), new = counts.new, updated = counts.updated, invalid = counts.invalid, "signal import previewed");
        Ok(SignalImportPreview { import_id: id, kind, columns, counts, errors, issues_truncated })
    }
}

/// Applies a previewed signal import in one transaction: every valid row, or on a
/// failure none. The import is marked committed first, so it commits once.
pub(crate) fn commit(
    connection: &mut DbConnection,
    scope: &Scope,
    tenant: &Tenant,
    import: &ImportRow,
    kind: SignalKind,
) -> AppResult<ImportResult> {
    super::require_writer(tenant)?;
    let Items { items, rows, .. } = read_items(kind, &import.content)?;
    let id: ImportId =
        import.id.parse().map_err(|_| AppError::Internal(format!("import id {} is invalid", import.id)))?;
    let counts = store::write_transaction::<_, AppError, _>(connection, |connection| {
        let result = super::ingest(connection, scope, kind, items, false)?;
        let (counts, _, _) = summary(&result, &rows);
        if queries::mark_committed(connection, scope, &import.id, &store::to_json_text(&counts)?, now())? == 0 {
            return Err(already_committed());
        }
        Ok(counts)
    })?;
    info!(import_id = %id, kind = kind.as_str(), new = counts.new, updated = counts.updated, invalid = counts.invalid, "signal import committed");
    Ok(ImportResult { import_id: id, counts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_fields_loosely() {
        assert_eq!(field_of(SignalKind::SupportTickets, " Opened At ").map(|f| f.0), Some("opened_at"));
        assert_eq!(field_of(SignalKind::SupportTickets, "reporter-email").map(|f| f.0), Some("reporter_email"));
        assert_eq!(field_of(SignalKind::SupportTickets, "priority"), None);
        assert_eq!(field_of(SignalKind::UsageEvents, "domain").map(|f| f.0), Some("domain"));
    }

    #[test]
    fn cells_become_json() {
        assert_eq!(cell_value(Cell::Integer, "9"), Value::from(9));
        assert_eq!(cell_value(Cell::Integer, "nine"), Value::from("nine"));
        assert_eq!(cell_value(Cell::Boolean, "Yes"), Value::Bool(true));
        assert_eq!(cell_value(Cell::Timestamp, "2026-06-01"), Value::from("2026-06-01T00:00:00Z"));
        assert_eq!(cell_value(Cell::Timestamp, "2026-06-01 09:30"), Value::from("2026-06-01T09:30:00Z"));
        assert_eq!(cell_value(Cell::Timestamp, "2026-06-01T09:30:00+02:00"), Value::from("2026-06-01T09:30:00+02:00"));
        assert_eq!(
            cell_value(Cell::TimestampList, "2026-06-01; 2026-06-03 10:00:00;"),
            serde_json::json!(["2026-06-01T00:00:00Z", "2026-06-03T10:00:00Z"])
        );
    }

    #[test]
    fn files_need_an_external_id_column_and_records() {
        assert!(read_items(SignalKind::UsageEvents, "event,occurred_at\nlogin,2026-06-01\n").is_err());
        assert!(read_items(SignalKind::UsageEvents, "external_id,event\n").is_err());
        assert!(read_items(SignalKind::UsageEvents, "external_id,External ID\nA,B\n").is_err());
        let read = read_items(SignalKind::UsageEvents, "External ID,Event,Note\nU-1,login,\n\nU-2,,x\n");
        let Ok(read) = read else { panic!("a valid file") };
        assert_eq!(read.rows, vec![1, 2]);
        assert_eq!(read.items[0], serde_json::json!({"external_id": "U-1", "event": "login"}));
        assert_eq!(read.items[1], serde_json::json!({"external_id": "U-2"}));
        assert_eq!(read.columns[2].field, None);
    }
}
