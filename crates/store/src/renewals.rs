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
