//! Accounts: the shared customer record.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::accounts;
use crate::{like_contains, lower, Db, DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
// Multi-row inserts on SQLite need every column bound explicitly; without this diesel
// falls back to one statement per row.
#[diesel(table_name = accounts, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct AccountRow {
    pub id: String,
    pub business_id: String,
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub stage: String,
    pub at_risk: bool,
    /// JSON array of at-risk reason names.
    pub at_risk_reasons: String,
    pub csm_id: Option<String>,
    pub ae_id: Option<String>,
    pub renewal_date: Option<NaiveDate>,
    pub health_score: Option<i32>,
    pub billing_customer_id: Option<String>,
    pub external_id: Option<String>,
    /// JSON object whose `custom_fields` member contains the custom field values.
    pub metadata: String,
    pub is_sample: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Filters of the account list and export.
#[derive(Clone, Debug, Default)]
pub struct AccountFilter {
    pub stage: Option<String>,
    pub at_risk: Option<bool>,
    pub csm_id: Option<String>,
    /// Case-insensitive text matched anywhere in the name or domain.
    pub q: Option<String>,
}

/// Columns the account list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountSortKey {
    Name,
    CreatedAt,
    UpdatedAt,
    RenewalDate,
    HealthScore,
}

/// The value of the sort column on the last row of a page, for keyset pagination.
#[derive(Clone, Debug, PartialEq)]
pub enum SortValue {
    Text(String),
    Timestamp(NaiveDateTime),
    Date(Option<NaiveDate>),
    Integer(Option<i32>),
}

/// Start of a page: after a number of rows, or after the row a cursor names.
#[derive(Clone, Debug, PartialEq)]
pub enum PageStart {
    Offset(i64),
    After { value: SortValue, id: String },
}

#[derive(Clone, Debug)]
pub struct AccountQuery {
    pub filter: AccountFilter,
    pub sort: AccountSortKey,
    pub descending: bool,
    pub start: PageStart,
    pub limit: i64,
}

type BoxedAccounts<'a> = accounts::BoxedQuery<'a, Db>;

fn filtered<'a>(scope: &Scope, filter: &AccountFilter) -> BoxedAccounts<'a> {
    let mut query = accounts::table.filter(accounts::business_id.eq(scope.business_id().to_owned())).into_boxed();
    if let Some(stage) = &filter.stage {
        query = query.filter(accounts::stage.eq(stage.clone()));
    }
    if let Some(at_risk) = filter.at_risk {
        query = query.filter(accounts::at_risk.eq(at_risk));
    }
    if let Some(csm_id) = &filter.csm_id {
        query = query.filter(accounts::csm_id.eq(csm_id.clone()));
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        let pattern = like_contains(&text.to_lowercase());
        query = query.filter(lower(accounts::name).like(pattern.clone()).escape('\\').or(
            lower(accounts::domain.assume_not_null()).like(pattern).escape('\\').and(accounts::domain.is_not_null()),
        ));
    }
    query
}

/// Orders a non-null column and its id tiebreaker, and starts after the cursor row.
macro_rules! keyset_required {
    ($query:expr, $column:expr, $descending:expr, $after:expr) => {{
        let mut query = $query;
        if let Some((value, id)) = $after {
            query = if $descending {
                query.filter($column.lt(value.clone()).or($column.eq(value).and(accounts::id.lt(id))))
            } else {
                query.filter($column.gt(value.clone()).or($column.eq(value).and(accounts::id.gt(id))))
            };
        }
        if $descending {
            query.order_by($column.desc()).then_order_by(accounts::id.desc())
        } else {
            query.order_by($column.asc()).then_order_by(accounts::id.asc())
        }
    }};
}

/// Orders a nullable column with empty values last in either direction, and starts after
/// the cursor row.
macro_rules! keyset_nullable {
    ($query:expr, $column:expr, $descending:expr, $after:expr) => {{
        let mut query = $query;
        if let Some((value, id)) = $after {
            query = match (value, $descending) {
                (Some(value), false) => query.filter(
                    $column
                        .assume_not_null()
                        .gt(value)
                        .or($column.assume_not_null().eq(value).and(accounts::id.gt(id.clone())))
                        .and($column.is_not_null())
                        .or($column.is_null()),
                ),
                (Some(value), true) => query.filter(
                    $column
                        .assume_not_null()
                        .lt(value)
                        .or($column.assume_not_null().eq(value).and(accounts::id.lt(id.clone())))
                        .and($column.is_not_null())
                        .or($column.is_null()),
                ),
                (None, false) => query.filter($column.is_null().and(accounts::id.gt(id))),
                (None, true) => query.filter($column.is_null().and(accounts::id.lt(id))),
            };
        }
        let query = query.order_by($column.is_null().asc());
        if $descending {
            query.then_order_by($column.desc()).then_order_by(accounts::id.desc())
        } else {
            query.then_order_by($column.asc()).then_order_by(accounts::id.asc())
        }
    }};
}

/// Lists one page of accounts and counts every account that matches the filter.
pub fn list(connection: &mut DbConnection, scope: &Scope, query: &AccountQuery) -> StoreResult<(Vec<AccountRow>, i64)> {
    let total = filtered(scope, &query.filter).count().get_result(connection)?;

    let base = filtered(scope, &query.filter);
    let (offset, after) = match &query.start {
        PageStart::Offset(offset) => (*offset, None),
        PageStart::After { value, id } => (0, Some((value.clone(), id.clone()))),
    };
    let descending = query.descending;
    let ordered = match query.sort {
        AccountSortKey::Name => {
            // The cursor keeps the name as stored and the database lowers both sides, so
            // the comparison matches the ORDER BY even where Rust and SQL lower-case
            // letters differently (SQLite's lower() changes ASCII letters only).
            let after = after.map(|(value, id)| (lower(sort_text(value)), id));
            keyset_required!(base, lower(accounts::name), descending, after)
        }
        AccountSortKey::CreatedAt => {
            let after = after.map(|(value, id)| (sort_timestamp(value), id));
            keyset_required!(base, accounts::created_at, descending, after)
        }
        AccountSortKey::UpdatedAt => {
            let after = after.map(|(value, id)| (sort_timestamp(value), id));
            keyset_required!(base, accounts::updated_at, descending, after)
        }
        AccountSortKey::RenewalDate => {
            let after = after.map(|(value, id)| (sort_date(value), id));
            keyset_nullable!(base, accounts::renewal_date, descending, after)
        }
        AccountSortKey::HealthScore => {
            let after = after.map(|(value, id)| (sort_integer(value), id));
            keyset_nullable!(base, accounts::health_score, descending, after)
        }
    };
    let rows = ordered.limit(query.limit).offset(offset).select(AccountRow::as_select()).load(connection)?;

    Ok((rows, total))
}

fn sort_text(value: SortValue) -> String {
    match value {
        SortValue::Text(text) => text,
        _ => String::new(),
    }
}

fn sort_timestamp(value: SortValue) -> NaiveDateTime {
    match value {
        SortValue::Timestamp(at) => at,
        _ => NaiveDateTime::MIN,
    }
}

fn sort_date(value: SortValue) -> Option<NaiveDate> {
    match value {
        SortValue::Date(date) => date,
        _ => None,
    }
}

fn sort_integer(value: SortValue) -> Option<i32> {
    match value {
        SortValue::Integer(number) => number,
        _ => None,
    }
}

/// Returns the cursor value of a row for the given sort key.
pub fn sort_value(row: &AccountRow, key: AccountSortKey) -> SortValue {
    match key {
        AccountSortKey::Name => SortValue::Text(row.name.clone()),
        AccountSortKey::CreatedAt => SortValue::Timestamp(row.created_at),
        AccountSortKey::UpdatedAt => SortValue::Timestamp(row.updated_at),
        AccountSortKey::RenewalDate => SortValue::Date(row.renewal_date),
        AccountSortKey::HealthScore => SortValue::Integer(row.health_score),
    }
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(accounts::id.eq(id))
        .select(AccountRow::as_select())
        .first(connection)
        .optional()?)
}

/// Checks whether the account exists in the scope, without loading it.
pub fn exists(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<bool> {
    let count: i64 = accounts::table
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(accounts::id.eq(id))
        .count()
        .get_result(connection)?;
    Ok(count > 0)
}

pub fn insert(connection: &mut DbConnection, row: &AccountRow) -> StoreResult<()> {
    diesel::insert_into(accounts::table).values(row).execute(connection)?;
    Ok(())
}

/// Inserts many rows in one statement per backend. Callers keep each batch under the
/// backends' bind-parameter limits (19 columns a row).
pub fn insert_many(connection: &mut DbConnection, rows: &[AccountRow]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match connection {
        DbConnection::Sqlite(connection) => {
            diesel::insert_into(accounts::table).values(rows).execute(connection)?;
        }
        DbConnection::Postgresql(connection) => {
            diesel::insert_into(accounts::table).values(rows).execute(connection)?;
        }
    }
    Ok(())
}

/// Writes every column of the row, scoped to its business.
pub fn update(connection: &mut DbConnection, scope: &Scope, row: &AccountRow) -> StoreResult<usize> {
    Ok(diesel::update(
        accounts::table.filter(accounts::business_id.eq(scope.business_id())).filter(accounts::id.eq(&row.id)),
    )
    .set(row)
    .execute(connection)?)
}

pub fn delete(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<usize> {
    Ok(diesel::delete(
        accounts::table.filter(accounts::business_id.eq(scope.business_id())).filter(accounts::id.eq(id)),
    )
    .execute(connection)?)
}

/// Loads the accounts whose domain or external id is among the given ones, for matching
/// import rows to existing records with two queries instead of one per row.
pub fn find_by_keys(
    connection: &mut DbConnection,
    scope: &Scope,
    domains: &[String],
    external_ids: &[String],
) -> StoreResult<Vec<AccountRow>> {
    let mut found = Vec::new();
    // 900 keys a query keeps well under SQLite's bind-parameter limit.
    for chunk in domains.chunks(900) {
        found.extend(
            accounts::table
                .filter(accounts::business_id.eq(scope.business_id()))
                .filter(accounts::domain.eq_any(chunk))
                .select(AccountRow::as_select())
                .load(connection)?,
        );
    }
    for chunk in external_ids.chunks(900) {
        found.extend(
            accounts::table
                .filter(accounts::business_id.eq(scope.business_id()))
                .filter(accounts::external_id.eq_any(chunk))
                .select(AccountRow::as_select())
                .load(connection)?,
        );
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);
    Ok(found)
}

/// Deletes the sample accounts of a business; contacts and activities go with them.
pub fn delete_samples(connection: &mut DbConnection, scope: &Scope) -> StoreResult<usize> {
    Ok(diesel::delete(
        accounts::table.filter(accounts::business_id.eq(scope.business_id())).filter(accounts::is_sample.eq(true)),
    )
    .execute(connection)?)
}
