//! Counting and removing the sample data of a business.

use diesel::prelude::*;

use crate::schema::{
    accounts, activities, contacts, subscriptions, support_tickets, survey_responses, usage_events, users,
};
use crate::{DbConnection, Scope, StoreResult};

/// Numbers of records of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub accounts: i64,
    pub contacts: i64,
    pub activities: i64,
    pub tickets: i64,
    pub survey_responses: i64,
    pub subscriptions: i64,
    pub usage_events: i64,
    pub users: i64,
}

/// Counts every account, contact, activity, ticket, survey response, subscription, usage
/// event and user of the business.
pub fn count_all(connection: &mut DbConnection, scope: &Scope) -> StoreResult<RecordCounts> {
    let business_id = scope.business_id();
    Ok(RecordCounts {
        accounts: accounts::table.filter(accounts::business_id.eq(business_id)).count().get_result(connection)?,
        contacts: contacts::table.filter(contacts::business_id.eq(business_id)).count().get_result(connection)?,
        activities: activities::table.filter(activities::business_id.eq(business_id)).count().get_result(connection)?,
        tickets: support_tickets::table
            .filter(support_tickets::business_id.eq(business_id))
            .count()
            .get_result(connection)?,
        survey_responses: survey_responses::table
            .filter(survey_responses::business_id.eq(business_id))
            .count()
            .get_result(connection)?,
        subscriptions: subscriptions::table
            .filter(subscriptions::business_id.eq(business_id))
            .count()
            .get_result(connection)?,
        usage_events: usage_events::table
            .filter(usage_events::business_id.eq(business_id))
            .count()
            .get_result(connection)?,
        users: users::table.filter(users::business_id.eq(business_id)).count().get_result(connection)?,
    })
}

/// Counts the sample accounts of the business with the records that belong to them, and
/// the sample users.
pub fn count_samples(connection: &mut DbConnection, scope: &Scope) -> StoreResult<RecordCounts> {
    let business_id = scope.business_id();
    let sample_accounts = accounts::table
        .filter(accounts::business_id.eq(business_id))
        .filter(accounts::is_sample.eq(true))
        .select(accounts::id);
    Ok(RecordCounts {
        accounts: sample_accounts.count().get_result(connection)?,
        contacts: contacts::table
            .filter(contacts::business_id.eq(business_id))
            .filter(contacts::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        activities: activities::table
            .filter(activities::business_id.eq(business_id))
            .filter(activities::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        tickets: support_tickets::table
            .filter(support_tickets::business_id.eq(business_id))
            .filter(support_tickets::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        survey_responses: survey_responses::table
            .filter(survey_responses::business_id.eq(business_id))
            .filter(survey_responses::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        subscriptions: subscriptions::table
            .filter(subscriptions::business_id.eq(business_id))
            .filter(subscriptions::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        usage_events: usage_events::table
            .filter(usage_events::business_id.eq(business_id))
            .filter(usage_events::account_id.eq_any(sample_accounts))
            .count()
            .get_result(connection)?,
        users: users::table
            .filter(users::business_id.eq(business_id))
            .filter(users::is_sample.eq(true))
            .count()
            .get_result(connection)?,
    })
}

/// Deletes the sample users of the business. Their sessions and tokens go with them;
/// accounts and activities that name them as owner or author keep existing without one.
pub fn delete_sample_users(connection: &mut DbConnection, scope: &Scope) -> StoreResult<usize> {
    Ok(diesel::delete(
        users::table.filter(users::business_id.eq(scope.business_id())).filter(users::is_sample.eq(true)),
    )
    .execute(connection)?)
}
