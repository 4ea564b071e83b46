//! Renewal proposals.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::proposals;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = proposals, treat_none_as_null = true)]
pub struct ProposalRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub source_subscription_id: Option<String>,
    pub status: String,
    pub uplift_percentage: String,
    pub currency: String,
    /// JSON array of lines.
    pub lines: String,
    pub total_amount: i64,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(connection: &mut DbConnection, row: &ProposalRow) -> StoreResult<()> {
    diesel::insert_into(proposals::table).values(row).execute(connection)?;
    Ok(())
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::business_id.eq(scope.business_id()))
        .filter(proposals::id.eq(id))
        .select(ProposalRow::as_select())
        .first(connection)
        .optional()?)
}

/// Finds the draft generated from a subscription, if there is one.
pub fn draft_for_subscription(
    connection: &mut DbConnection,
    scope: &Scope,
    subscription_id: &str,
) -> StoreResult<Option<ProposalRow>> {
    Ok(proposals::table
        .filter(proposals::business_id.eq(scope.business_id()))
        .filter(proposals::source_subscription_id.eq(subscription_id))
        .filter(proposals::status.eq("draft"))
        .select(ProposalRow::as_select())
        .first(connection)
        .optional()?)
}

/// Lists an account's proposals, newest first.
pub fn list_for_account(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<ProposalRow>, i64)> {
    let query = || {
        proposals::table
            .filter(proposals::business_id.eq(scope.business_id()))
            .filter(proposals::account_id.eq(account_id))
    };
    let total = query().count().get_result(connection)?;
    let rows = query()
        .order_by((proposals::created_at.desc(), proposals::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(ProposalRow::as_select())
        .load(connection)?;
    Ok((rows, total))
}

/// Writes every column of the row if the stored one is still as it was read (same status
/// and update time), so two concurrent changes cannot overwrite each other. Returns 0 when
/// another change came first.
pub fn update_if_unchanged(
    connection: &mut DbConnection,
    scope: &Scope,
    row: &ProposalRow,
    read_status: &str,
    read_updated_at: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(
        proposals::table
            .filter(proposals::business_id.eq(scope.business_id()))
            .filter(proposals::id.eq(&row.id))
            .filter(proposals::status.eq(read_status))
            .filter(proposals::updated_at.eq(read_updated_at)),
    )
    .set(row)
    .execute(connection)?)
}
