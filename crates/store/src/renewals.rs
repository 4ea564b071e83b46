//! Queries of the renewal pipeline: subscriptions whose period ends in a window, and
//! accounts without any subscription whose own renewal date falls in it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use crate::schema::{accounts, subscriptions};
use crate::signals::SubscriptionRow;
use crate::{DbConnection, Scope, StoreResult};

/// The fields of an account that the pipeline shows and classifies by.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct RenewingAccount {
    pub id: String,
    pub name: String,
    pub csm_id: Option<String>,
    pub stage: String,
    pub at_risk: bool,
    pub health_score: Option<i32>,
    pub renewal_date: Option<NaiveDate>,
}

type AccountColumns = (
    accounts::id,
    accounts::name,
    accounts::csm_id,
    accounts::stage,
    accounts::at_risk,
    accounts::health_score,
    accounts::renewal_date,
);

const ACCOUNT_COLUMNS: AccountColumns = (
    accounts::id,
    accounts::name,
    accounts::csm_id,
    accounts::stage,
    accounts::at_risk,
    accounts::health_score,
    accounts::renewal_date,
);

/// Loads the subscriptions whose current period ends in `[from, before)`, with their
/// accounts, optionally only for accounts of one CSM.
pub fn subscriptions_ending(
    connection: &mut DbConnection,
    scope: &Scope,
    from: NaiveDateTime,
    before: NaiveDateTime,
    csm_id: Option<&str>,
) -> StoreResult<Vec<(SubscriptionRow, RenewingAccount)>> {
    let mut query = subscriptions::table
        .inner_join(accounts::table)
        .filter(subscriptions::business_id.eq(scope.business_id()))
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(subscriptions::current_period_end.ge(from))
        .filter(subscriptions::current_period_end.lt(before))
        .into_boxed();
    if let Some(csm_id) = csm_id {
        query = query.filter(accounts::csm_id.eq(csm_id.to_owned()));
    }
    Ok(query.select((SubscriptionRow::as_select(), ACCOUNT_COLUMNS)).load(connection)?)
}

/// Loads the accounts with no subscription at all whose renewal date is in
/// `[from, to]`, optionally only those of one CSM.
pub fn accounts_renewing(
    connection: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    csm_id: Option<&str>,
) -> StoreResult<Vec<RenewingAccount>> {
    let mut query = accounts::table
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(accounts::renewal_date.ge(from))
        .filter(accounts::renewal_date.le(to))
        .filter(not(exists(subscriptions::table.filter(subscriptions::account_id.eq(accounts::id)))))
        .into_boxed();
    if let Some(csm_id) = csm_id {
        query = query.filter(accounts::csm_id.eq(csm_id.to_owned()));
    }
    Ok(query.select(ACCOUNT_COLUMNS).load(connection)?)
}

/// An account that shows an expansion signal, with which signals matched.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct CandidateRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub csm_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    pub health_score: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub expansion_ready_renewal: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub dormant_champion: bool,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total: i64,
}

/// Time bounds of the expansion signals.
#[derive(Clone, Copy, Debug)]
pub struct ExpansionWindow {
    /// A subscription renewing in `[renewal_from, renewal_before)` makes a healthy account
    /// ready to expand.
    pub renewal_from: NaiveDateTime,
    pub renewal_before: NaiveDateTime,
    /// A non-system activity in `[quiet_from, quiet_before)` keeps a champion from dormant.
    pub quiet_from: NaiveDateTime,
    pub quiet_before: NaiveDateTime,
    pub min_health: i32,
}

/// The detector of expansion candidates, one statement on both backends: each live
/// account with its two signals, filtered, counted and paged by the database.
const CANDIDATES: &str = "FROM (SELECT a.id, a.name, a.csm_id, a.health_score, \
    (COALESCE(a.health_score, -1) >= {min_health} AND EXISTS (SELECT 1 FROM subscriptions s \
        WHERE s.account_id = a.id AND s.status <> 'cancelled' \
        AND s.current_period_end >= {renewal_from} AND s.current_period_end < {renewal_before})) AS expansion_ready_renewal, \
    (EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = a.id AND c.champion = TRUE) \
        AND NOT EXISTS (SELECT 1 FROM activities t WHERE t.account_id = a.id AND t.kind <> 'system' \
        AND t.occurred_at >= {quiet_from} AND t.occurred_at < {quiet_before})) AS dormant_champion \
    FROM accounts a WHERE a.business_id = {business} AND a.stage <> 'churned') candidates \
    WHERE expansion_ready_renewal OR dormant_champion";

fn candidate_sql(select: &str, tail: &str, placeholder: fn(usize) -> String) -> String {
    let names = ["business", "min_health", "renewal_from", "renewal_before", "quiet_from", "quiet_before"];
    let mut sql = format!("{select} {CANDIDATES} {tail}");
    for (index, name) in names.iter().enumerate() {
        sql = sql.replace(&format!("{{{name}}}"), &placeholder(index + 1));
    }
    sql
}

/// Lists a page of expansion candidates, by name, and counts them all.
pub fn expansion_candidates(
    connection: &mut DbConnection,
    scope: &Scope,
    window: ExpansionWindow,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<CandidateRow>, i64)> {
    use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
    macro_rules! run {
        ($connection:expr, $placeholder:expr) => {{
            let rows: Vec<CandidateRow> = diesel::sql_query(
                candidate_sql("SELECT *", "ORDER BY name, id LIMIT {limit} OFFSET {offset}", $placeholder)
                    .replace("{limit}", &$placeholder(7))
                    .replace("{offset}", &$placeholder(8)),
            )
            .bind::<Text, _>(scope.business_id())
            .bind::<Integer, _>(window.min_health)
            .bind::<Timestamp, _>(window.renewal_from)
            .bind::<Timestamp, _>(window.renewal_before)
            .bind::<Timestamp, _>(window.quiet_from)
            .bind::<Timestamp, _>(window.quiet_before)
            .bind::<BigInt, _>(limit)
            .bind::<BigInt, _>(offset)
            .load($connection)?;
            let total: Total = diesel::sql_query(candidate_sql("SELECT COUNT(*) AS total", "", $placeholder))
                .bind::<Text, _>(scope.business_id())
                .bind::<Integer, _>(window.min_health)
                .bind::<Timestamp, _>(window.renewal_from)
                .bind::<Timestamp, _>(window.renewal_before)
                .bind::<Timestamp, _>(window.quiet_from)
                .bind::<Timestamp, _>(window.quiet_before)
                .get_result($connection)?;
            (rows, total.total)
        }};
    }
    Ok(match connection {
        DbConnection::Sqlite(connection) => run!(connection, |n: usize| format!("?{n}")),
        DbConnection::Postgresql(connection) => run!(connection, |n: usize| format!("${n}")),
    })
}
