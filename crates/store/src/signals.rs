//! Records ingested from the sibling apps: support tickets, survey responses,
//! subscriptions and product usage events. Each is keyed by its `external_id` within the
//! business, so ingestion can upsert.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{accounts, subscriptions, support_tickets, survey_responses, usage_events};
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = support_tickets, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct TicketRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub external_id: String,
    pub subject: String,
    pub status: String,
    pub reporter_email: String,
    pub opened_at: NaiveDateTime,
    pub solved_at: Option<NaiveDateTime>,
    /// JSON array of reopen timestamps.
    pub reopened_at: String,
    pub last_reopened_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = survey_responses, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct SurveyResponseRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub external_id: String,
    pub respondent_email: String,
    pub kind: String,
    pub score: i32,
    pub responded_at: NaiveDateTime,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = subscriptions, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct SubscriptionRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub external_id: String,
    pub billing_customer_id: Option<String>,
    pub plan_name: String,
    pub status: String,
    pub quantity: i32,
    /// Price of one unit in the currency's minor units.
    pub unit_amount: i64,
    pub currency: String,
    pub billing_interval: String,
    pub current_period_start: NaiveDateTime,
    pub current_period_end: NaiveDateTime,
    pub cancel_at_period_end: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = usage_events, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct UsageEventRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub external_id: String,
    pub user_email: Option<String>,
    pub event: String,
    pub occurred_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Filters shared by the signal lists; each list reads the ones that apply to it.
#[derive(Clone, Debug, Default)]
pub struct SignalFilter {
    pub account_id: Option<String>,
    /// Ticket or subscription status, survey kind, or usage event name.
    pub status: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Keys per `IN (…)` list, well under SQLite's bind-parameter limit.
const KEYS_PER_QUERY: usize = 900;

/// The lookups and writes every signal table has: find by external ids, insert a batch,
/// update one row and list a page. `$kind` is the column the `status` filter matches and
/// `$date` the column the date range and the order use.
macro_rules! signal_table {
    ($module:ident, $table:ident, $row:ident, kind: $kind:ident, date: $date:ident, order: $order:ident) => {
        pub mod $module {
            use super::*;

            /// Loads the rows of the business whose external id is among the given ones.
            pub fn find_by_external_ids(
                connection: &mut DbConnection,
                scope: &Scope,
                external_ids: &[String],
            ) -> StoreResult<Vec<$row>> {
                let mut found = Vec::new();
                for chunk in external_ids.chunks(KEYS_PER_QUERY) {
                    found.extend(
                        $table::table
                            .filter($table::business_id.eq(scope.business_id()))
                            .filter($table::external_id.eq_any(chunk))
                            .select($row::as_select())
                            .load(connection)?,
                    );
                }
                Ok(found)
            }

            /// Finds a row of the business by its Mango CS id.
            pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<$row>> {
                Ok($table::table
                    .filter($table::business_id.eq(scope.business_id()))
                    .filter($table::id.eq(id))
                    .select($row::as_select())
                    .first(connection)
                    .optional()?)
            }

            /// Inserts a batch in one statement per backend; callers keep batches within
            /// the bind-parameter limits.
            pub fn insert_many(connection: &mut DbConnection, rows: &[$row]) -> StoreResult<()> {
                if rows.is_empty() {
                    return Ok(());
                }
                match connection {
                    DbConnection::Sqlite(connection) => {
                        diesel::insert_into($table::table).values(rows).execute(connection)?;
                    }
                    DbConnection::Postgresql(connection) => {
                        diesel::insert_into($table::table).values(rows).execute(connection)?;
                    }
                }
                Ok(())
            }

            /// Writes every column of the row, scoped to its business.
            pub fn update(connection: &mut DbConnection, scope: &Scope, row: &$row) -> StoreResult<usize> {
                Ok(diesel::update(
                    $table::table.filter($table::business_id.eq(scope.business_id())).filter($table::id.eq(&row.id)),
                )
                .set(row)
                .execute(connection)?)
            }

            /// Lists a page of the business's rows with the filter, and the total.
            pub fn list(
                connection: &mut DbConnection,
                scope: &Scope,
                filter: &SignalFilter,
                limit: i64,
                offset: i64,
            ) -> StoreResult<(Vec<$row>, i64)> {
                let query = || {
                    let mut query = $table::table.filter($table::business_id.eq(scope.business_id())).into_boxed();
                    if let Some(account_id) = &filter.account_id {
                        query = query.filter($table::account_id.eq(account_id.clone()));
                    }
                    if let Some(kind) = &filter.status {
                        query = query.filter($table::$kind.eq(kind.clone()));
                    }
                    if let Some(from) = filter.from {
                        query = query.filter($table::$date.ge(from));
                    }
                    if let Some(to) = filter.to {
                        query = query.filter($table::$date.lt(to));
                    }
                    query
                };
                let total = query().count().get_result(connection)?;
                let rows = query()
                    .order_by(($table::$date.$order(), $table::id.$order()))
                    .limit(limit)
                    .offset(offset)
                    .select($row::as_select())
                    .load(connection)?;
                Ok((rows, total))
            }
        }
    };
}

// Tickets and responses list newest first, subscriptions by the soonest period end.
signal_table!(tickets, support_tickets, TicketRow, kind: status, date: opened_at, order: desc);
signal_table!(surveys, survey_responses, SurveyResponseRow, kind: kind, date: responded_at, order: desc);
signal_table!(subscription_rows, subscriptions, SubscriptionRow, kind: status, date: current_period_end, order: asc);
signal_table!(usage, usage_events, UsageEventRow, kind: event, date: occurred_at, order: desc);

/// Finds the accounts whose domain is among the given ones: `(domain, account id)`.
pub fn accounts_by_domain(
    connection: &mut DbConnection,
    scope: &Scope,
    domains: &[String],
) -> StoreResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for chunk in domains.chunks(KEYS_PER_QUERY) {
        let rows: Vec<(Option<String>, String)> = accounts::table
            .filter(accounts::business_id.eq(scope.business_id()))
            .filter(accounts::domain.eq_any(chunk))
            .select((accounts::domain, accounts::id))
            .load(connection)?;
        found.extend(rows.into_iter().filter_map(|(domain, id)| domain.map(|domain| (domain, id))));
    }
    Ok(found)
}

/// Finds the accounts with the given billing customer ids: `(billing customer id, account id)`.
pub fn accounts_by_billing_customer(
    connection: &mut DbConnection,
    scope: &Scope,
    customer_ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for chunk in customer_ids.chunks(KEYS_PER_QUERY) {
        let rows: Vec<(Option<String>, String)> = accounts::table
            .filter(accounts::business_id.eq(scope.business_id()))
            .filter(accounts::billing_customer_id.eq_any(chunk))
            .order_by(accounts::id)
            .select((accounts::billing_customer_id, accounts::id))
            .load(connection)?;
        found.extend(rows.into_iter().filter_map(|(customer, id)| customer.map(|customer| (customer, id))));
    }
    Ok(found)
}

/// Keeps the account ids that exist in the business.
pub fn existing_account_ids(connection: &mut DbConnection, scope: &Scope, ids: &[String]) -> StoreResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(KEYS_PER_QUERY) {
        found.extend(
            accounts::table
                .filter(accounts::business_id.eq(scope.business_id()))
                .filter(accounts::id.eq_any(chunk))
                .select(accounts::id)
                .load::<String>(connection)?,
        );
    }
    Ok(found)
}
