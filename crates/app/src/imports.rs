//! CSV import of accounts: a preview that stores the file and reports what it would
//! change, then a commit that applies it in one transaction.
//!
//! Rows match existing accounts by domain, else by external id, else by the Mango CS id
//! that the account export writes. A blank cell leaves the matched account's field as it
//! is, so an import sets and changes values but never clears one, except that `at_risk`
//! false clears the at-risk reasons as it does in the account API. Existing accounts are
//! loaded with chunked set-based queries and new ones are written in multi-row batches,
//! so a file of 100,000 rows takes a few hundred statements, not one per row.

mod columns;
mod rows;

use std::collections::HashMap;

use api_types::imports::{ColumnMapping, ImportPreview, ImportPreviewParams, ImportResult};
use chrono::{Duration, NaiveDateTime};
use crm_core::custom_field::CustomFieldDefinition;
use crm_core::export::strip_formula_guard;
use crm_core::import::{parse_explicit_mapping, resolve_mapping, ImportTarget, OwnerDirectory};
use crm_core::{CustomFieldEntity, ImportId, Stage};
use csv::StringRecord;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use store::accounts::{self as account_queries, AccountRow};
use store::activities as activity_queries;
use store::imports::{self as queries, ImportRow};
use store::{users as user_queries, DbConnection, Scope, StoreError};
use tracing::{info, warn};

use self::columns::{Columns, RowKeys};
use self::rows::{Evaluation, Evaluator};
use crate::auth::parse_id;
use crate::clock::{new_id, now};
use crate::custom_fields::definitions_for;
use crate::error::{AppError, AppResult};
use crate::tenant::Tenant;
use crate::App;

/// Largest file an import accepts, in bytes (50 MiB).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Most errors, and most warnings, a preview lists.
pub const MAX_LISTED_ISSUES: usize = 1_000;

/// Accounts per INSERT statement: at 18 columns a row, 18,000 bind parameters, under
/// SQLite's limit of 32,766 and PostgreSQL's of 65,535.
const ACCOUNT_BATCH: usize = 1_000;
/// Activities per INSERT statement, at 9 columns a row.
const ACTIVITY_BATCH: usize = 1_000;
/// Ids per lookup query, under SQLite's bind-parameter limit.
const ID_CHUNK: usize = 900;
/// Records checked together against the accounts their keys match.
const CHUNK_ROWS: usize = 5_000;
/// New accounts from one commit after which PostgreSQL's statistics of `accounts` are
/// refreshed.
const ANALYZE_AFTER_NEW_ROWS: u64 = 1_000;
/// Hours an uncommitted preview is kept before a later preview deletes it.
const PREVIEW_LIFETIME_HOURS: i64 = 24;

/// The kind of the imports this module reads; signal imports carry their signal kind.
const ACCOUNTS: &str = "accounts";

/// Status of an import between preview and commit, as stored.
const PREVIEWED: &str = "previewed";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks that the upload is UTF-8 CSV text and returns it without a byte order mark.
pub(crate) fn decode_file(bytes: &[u8]) -> AppResult<&str> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "is empty; upload a CSV file whose first line names the columns"));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        AppError::invalid(
            "file",
            format!(
                "is not UTF-8 text (the byte at offset {} is invalid); save it as \"CSV UTF-8\" and upload it again",
                error.valid_up_to()
            ),
        )
    })?;
    if text.contains('\0') {
        return Err(AppError::invalid("file", "contains NUL characters, so it is not a CSV text file"));
    }
    Ok(text)
}

/// Builds a CSV reader that accepts rows shorter or longer than the header, because the
/// evaluation reports long rows itself.
fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes())
}

fn unreadable(error: &csv::Error) -> AppError {
    AppError::invalid("file", format!("cannot be read as CSV: {error}"))
}

/// Reads the header row, trimmed. A file of blank lines has none.
pub(crate) fn read_headers(text: &str) -> AppResult<Vec<String>> {
    let mut reader = csv_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| unreadable(&error))?
        .iter()
        .map(|header| strip_formula_guard(header).trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(AppError::invalid("file", "has no header row; its first line must name the columns"));
    }
    Ok(headers)
}

/// Calls `visit` with each record and its row number: its 1-based position after the
/// header, where records whose cells are all blank are skipped and not counted.
pub(crate) fn for_each_record(text: &str, mut visit: impl FnMut(u64, &StringRecord) -> AppResult<()>) -> AppResult<()> {
    let mut reader = csv_reader(text);
    let mut record = StringRecord::new();
    let mut row = 0;
    let mut last_start = None;
    while reader.read_record(&mut record).map_err(|error| unreadable(&error))? {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        row += 1;
        let spans_lines = record.iter().any(|cell| cell.contains('\n'));
        last_start = record.position().map(|position| (row, position.byte(), spans_lines));
        visit(row, &record)?;
    }
    if let Some((row, start, spans_lines)) = last_start {
        check_closed_quotes(text, row, start, spans_lines)?;
    }
    Ok(())
}

/// Rejects a file whose last record opens a quoted cell that never closes. The CSV reader
/// then reads everything up to the end of the file as that one cell, so the record spans
/// several lines and its raw text contains an odd number of quote characters.
fn check_closed_quotes(text: &str, row: u64, start: u64, spans_lines: bool) -> AppResult<()> {
    let raw = usize::try_from(start).ok().and_then(|start| text.get(start..)).unwrap_or_default();
    let odd_quotes = raw.bytes().filter(|byte| *byte == b'"').count() % 2 == 1;
    if spans_lines && odd_quotes {
        return Err(AppError::invalid(
            "file",
            format!(
                "row {row} opens a quoted cell that never closes, so the rest of the file would be read as one cell; \
                 add the closing quote and upload the file again"
            ),
        ));
    }
    Ok(())
}

/// Existing accounts that rows of the file may match, with indexes by each key.
#[derive(Default)]
struct Existing {
    rows: Vec<AccountRow>,
    by_domain: HashMap<String, usize>,
    by_external_id: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

impl Existing {
    fn add(&mut self, row: AccountRow) {
        if self.by_id.contains_key(&row.id) {
            return;
        }
        let index = self.rows.len();
        if let Some(domain) = &row.domain {
            self.by_domain.insert(domain.clone(), index);
        }
        if let Some(external_id) = &row.external_id {
            self.by_external_id.insert(external_id.clone(), index);
        }
        self.by_id.insert(row.id.clone(), index);
        self.rows.push(row);
    }
}

/// Loads the business's accounts with the given ids.
// NOTE: this query belongs in `store::accounts` beside `find_by_keys`; it is here until
// that module gains it.
fn find_accounts_by_ids(connection: &mut DbConnection, scope: &Scope, ids: &[String]) -> AppResult<Vec<AccountRow>> {
    use store::schema::accounts;

    let mut found = Vec::new();
    for chunk in ids.chunks(ID_CHUNK) {
        found.extend(
            accounts::table
                .filter(accounts::business_id.eq(scope.business_id()))
                .filter(accounts::id.eq_any(chunk))
                .select(AccountRow::as_select())
                .load(connection)?,
        );
    }
    Ok(found)
}

/// Loads the accounts that rows with the given keys can match, with chunked queries: by
/// domain and external id first, then by id for the rows neither matched.
fn load_existing(connection: &mut DbConnection, scope: &Scope, keys: &[RowKeys]) -> AppResult<Existing> {
    let mut domains: Vec<String> = keys.iter().filter_map(|key| key.domain.clone()).collect();
    let mut external_ids: Vec<String> = keys.iter().filter_map(|key| key.external_id.clone()).collect();
    domains.sort_unstable();
    domains.dedup();
    external_ids.sort_unstable();
    external_ids.dedup();
    let mut existing = Existing::default();
    for row in account_queries::find_by_keys(connection, scope, &domains, &external_ids)? {
        existing.add(row);
    }

    let unmatched = |key: &RowKeys| {
        !key.domain.as_ref().is_some_and(|domain| existing.by_domain.contains_key(domain))
            && !key.external_id.as_ref().is_some_and(|external_id| existing.by_external_id.contains_key(external_id))
    };
    let mut ids: Vec<String> = keys.iter().filter(|key| unmatched(key)).filter_map(|key| key.id.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    for row in find_accounts_by_ids(connection, scope, &ids)? {
        existing.add(row);
    }

    Ok(existing)
}

/// Checks a chunk of records against the accounts their keys match.
fn evaluate_chunk(
    connection: &mut DbConnection,
    scope: &Scope,
    evaluator: &mut Evaluator,
    chunk: &[(u64, StringRecord)],
) -> AppResult<()> {
    let keys: Vec<RowKeys> = chunk.iter().map(|(_, record)| evaluator.columns().keys(record)).collect();
    evaluator.set_existing(load_existing(connection, scope, &keys)?);
    for (row, record) in chunk {
        evaluator.add_row(*row, record)?;
    }
    Ok(())
}

/// Reads and checks every row of the file against the business's current accounts, in
/// chunks of [`CHUNK_ROWS`] so that only one chunk's accounts are in memory at a time.
/// Nothing is written, so every chunk sees the accounts as they were before the import.
/// With `keep_rows`, the evaluation also holds the rows to write.
fn evaluate(
    connection: &mut DbConnection,
    tenant: &Tenant,
    text: &str,
    columns: Columns,
    default_stage: Stage,
    keep_rows: bool,
) -> AppResult<Evaluation> {
    let scope = tenant.scope();
    let users = user_queries::all(connection, &scope)?;
    let owner_ids = users.iter().map(|user| parse_id(&user.id)).collect::<AppResult<Vec<_>>>()?;
    let owners = OwnerDirectory::new(
        users.iter().zip(owner_ids).map(|(user, id)| (id, user.name.as_str(), user.email.as_str())),
    );

    let mut evaluator = Evaluator::new(tenant, columns, owners, default_stage, now(), keep_rows);
    let mut chunk: Vec<(u64, StringRecord)> = Vec::with_capacity(CHUNK_ROWS);
    for_each_record(text, |row, record| {
        chunk.push((row, record.clone()));
        if chunk.len() == CHUNK_ROWS {
            evaluate_chunk(connection, &scope, &mut evaluator, &chunk)?;
            chunk.clear();
        }
        Ok(())
    })?;
    evaluate_chunk(connection, &scope, &mut evaluator, &chunk)?;

    Ok(evaluator.finish())
}

/// Refreshes PostgreSQL's planner statistics of `accounts` after a commit added many rows.
/// A pooled connection keeps the plan it cached for the key lookups while the table was
/// small, and that plan reads every account of the business for each lookup. `ANALYZE`
/// updates the statistics, so every connection plans again. Autovacuum does the same
/// eventually, when it is on. A failure is only logged, because the import succeeded.
fn refresh_statistics(connection: &mut DbConnection, id: ImportId) {
    if !matches!(connection, DbConnection::Postgresql(_)) {
        return;
    }
    if let Err(error) = connection.batch_execute("ANALYZE accounts") {
        warn!(import_id = %id, %error, "cannot refresh the statistics of accounts after an import");
    }
}

pub(crate) fn already_committed() -> AppError {
    AppError::Conflict {
        code: "import_already_committed",
        field: None,
        message: "this import was already committed; preview the file again to import it anew".into(),
    }
}

/// Writes an evaluation in one transaction, after marking the import committed so that a
/// second commit finds nothing to apply.
fn apply(
    connection: &mut DbConnection,
    scope: &Scope,
    id: ImportId,
    evaluation: &Evaluation,
    at: NaiveDateTime,
) -> AppResult<()> {
    let result = store::to_json_text(&evaluation.counts)?;
    let conflict = |error: StoreError| match error {
        StoreError::UniqueViolation(_) => AppError::Conflict {
            code: "import_conflict",
            field: None,
            message: "another change gave an account a domain or external id of this file while it was \
                      being imported; nothing was imported, so preview the file again"
                .into(),
        },
        other => AppError::from(other),
    };

    store::write_transaction::<_, AppError, _>(connection, |connection| {
        if queries::mark_committed(connection, scope, &id.to_string(), &result, at)? == 0 {
            return Err(already_committed());
        }
        for batch in evaluation.inserts.chunks(ACCOUNT_BATCH) {
            account_queries::insert_many(connection, batch).map_err(conflict)?;
        }
        for row in &evaluation.updates {
            account_queries::update(connection, scope, row).map_err(conflict)?;
        }
        for batch in evaluation.activities.chunks(ACTIVITY_BATCH) {
            activity_queries::insert_many(connection, batch)?;
        }
        Ok(())
    })
}

impl App {
    /// Reads an uploaded CSV file of accounts, stores it and reports what committing it
    /// would do: the column mapping, the counts and each row's errors and warnings.
    /// Nothing changes until [`App::commit_import`]. Any signed-in user may import.
    pub fn preview_import(
        &self,
        tenant: &Tenant,
        params: &ImportPreviewParams,
        file: &[u8],
    ) -> AppResult<ImportPreview> {
        let default_stage = params.default_stage.unwrap_or(Stage::Active);
        let explicit = match params.mapping.as_deref() {
            Some(json) => parse_explicit_mapping(json)?,
            None => Vec::new(),
        };
        let text = decode_file(file)?;
        let headers = read_headers(text)?;

        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let definitions = definitions_for(&mut connection, &scope, CustomFieldEntity::Account)?;
        let plans = resolve_mapping(&headers, &definitions, &explicit)?;
        let targets: Vec<Option<ImportTarget>> = plans.iter().map(|plan| plan.target.clone()).collect();
        let columns = Columns::new(&targets, &definitions).map_err(|key| {
            AppError::Internal(format!("the resolved mapping names the undefined custom field {key}"))
        })?;
        let evaluation = evaluate(&mut connection, tenant, text, columns, default_stage, false)?;

        let at = now();
        let stale = queries::delete_stale_previews(&mut connection, at - Duration::hours(PREVIEW_LIFETIME_HOURS))?;
        if stale > 0 {
            info!(deleted = stale, "stale import previews deleted");
        }
        let id = ImportId(new_id());
        queries::insert(
            &mut connection,
            &ImportRow {
                id: id.to_string(),
                business_id: scope.business_id().to_owned(),
                user_id: Some(tenant.user_id.to_string()),
                status: PREVIEWED.to_owned(),
                content: text.to_owned(),
                mapping: store::to_json_text(&targets)?,
                default_stage: default_stage.as_str().to_owned(),
                result: None,
                created_at: at,
                committed_at: None,
                kind: ACCOUNTS.to_owned(),
            },
        )?;
        let counts = evaluation.counts;
        info!(import_id = %id, new = counts.new, updated = counts.updated, unchanged = counts.unchanged,
            invalid = counts.invalid, "import previewed");

        let mapping = headers
            .into_iter()
            .zip(plans)
            .map(|(header, plan)| ColumnMapping { header, target: plan.target, status: plan.status })
            .collect();
        Ok(ImportPreview {
            import_id: id,
            mapping,
            default_stage,
            counts,
            errors: evaluation.errors,
            warnings: evaluation.warnings,
            issues_truncated: evaluation.truncated,
        })
    }

    /// Applies a previewed import: every valid row or, on any failure, none. The rows are
    /// checked again against the accounts as they are now, so the counts can differ from
    /// the preview's when accounts changed in between. A second commit of the same import
    /// fails with `import_already_committed`.
    pub fn commit_import(&self, tenant: &Tenant, id: ImportId) -> AppResult<ImportResult> {
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        let import =
            queries::find(&mut connection, &scope, &id.to_string())?.ok_or_else(|| AppError::not_found("import"))?;
        if import.status != PREVIEWED {
            return Err(already_committed());
        }
        if import.kind != ACCOUNTS {
            let kind = api_types::signals::SignalKind::parse(&import.kind).ok_or_else(|| {
                AppError::Internal(format!("import {} has the unknown kind {:?}", import.id, import.kind))
            })?;
            return crate::signals::import::commit(&mut connection, &scope, tenant, &import, kind);
        }

        let targets: Vec<Option<ImportTarget>> = store::from_json_text("imports.mapping", &import.mapping)?;
        let default_stage: Stage = import
            .default_stage
            .parse()
            .map_err(|_| AppError::Internal(format!("imports.default_stage of {} is invalid", import.id)))?;
        let definitions: Vec<CustomFieldDefinition> =
            definitions_for(&mut connection, &scope, CustomFieldEntity::Account)?;
        let columns = Columns::new(&targets, &definitions).map_err(|key| AppError::Conflict {
            code: "import_outdated",
            field: None,
            message: format!(
                "the custom field {key} was deleted after the preview; preview the file again to import it"
            ),
        })?;
        let evaluation = evaluate(&mut connection, tenant, &import.content, columns, default_stage, true)?;

        apply(&mut connection, &scope, id, &evaluation, now())?;
        let counts = evaluation.counts;
        if counts.new >= ANALYZE_AFTER_NEW_ROWS {
            refresh_statistics(&mut connection, id);
        }
        info!(import_id = %id, new = counts.new, updated = counts.updated, unchanged = counts.unchanged,
            invalid = counts.invalid, "import committed");

        Ok(ImportResult { import_id: id, counts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_must_be_utf8_text() {
        assert!(decode_file(b"").is_err());
        assert!(decode_file(UTF8_BOM).is_err());
        assert!(decode_file(b"name\n\xff\xfe").is_err());
        assert!(decode_file(b"name\nA\0B").is_err());
        assert_eq!(decode_file(b"\xEF\xBB\xBFname\r\nAcme").ok(), Some("name\r\nAcme"));
    }

    #[test]
    fn blank_records_are_not_counted() {
        let text = "name,domain\r\n\r\nAcme,acme.com\r\n , \r\n\"Smith, Jones\",sj.com\r\n";
        let mut seen = Vec::new();
        let result = for_each_record(text, |row, record| {
            seen.push((row, record.get(0).unwrap_or_default().to_owned()));
            Ok(())
        });
        assert!(result.is_ok());
        assert_eq!(seen, vec![(1, "Acme".to_owned()), (2, "Smith, Jones".to_owned())]);
    }

    #[test]
    fn header_row_is_required() {
        assert!(read_headers("\r\n\r\n").is_err());
        assert!(read_headers(" , ,\n").is_err());
        assert_eq!(read_headers(" Name ,Domain\n").ok(), Some(vec!["Name".to_owned(), "Domain".to_owned()]));
    }
}
