//! In-app notifications and each user's choice of which to receive, per kind and channel.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{notification_preferences, notifications};
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications, treat_none_as_default_value = false)]
pub struct NotificationRow {
    pub id: String,
    pub business_id: String,
    pub user_id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub account_id: Option<String>,
    pub read_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_preferences)]
pub struct PreferenceRow {
    pub business_id: String,
    pub user_id: String,
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
    pub updated_at: NaiveDateTime,
}

/// Inserts notifications in batches of 1,000 (9 columns a row).
pub fn insert_many(connection: &mut DbConnection, rows: &[NotificationRow]) -> StoreResult<()> {
    for chunk in rows.chunks(1_000) {
        match connection {
            DbConnection::Sqlite(connection) => {
                diesel::insert_into(notifications::table).values(chunk).execute(connection)?;
            }
            DbConnection::Postgresql(connection) => {
                diesel::insert_into(notifications::table).values(chunk).execute(connection)?;
            }
        }
    }
    Ok(())
}

/// Lists a user's notifications, newest first, with the total and the unread count.
pub fn list(
    connection: &mut DbConnection,
    scope: &Scope,
    user_id: &str,
    unread: Option<bool>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<NotificationRow>, i64, i64)> {
    let mine = || {
        notifications::table
            .filter(notifications::business_id.eq(scope.business_id()))
            .filter(notifications::user_id.eq(user_id))
            .into_boxed()
    };
    let query = || {
        let query = mine();
        match unread {
            Some(true) => query.filter(notifications::read_at.is_null()),
            Some(false) => query.filter(notifications::read_at.is_not_null()),
            None => query,
        }
    };
    let total = query().count().get_result(connection)?;
    let unread = mine().filter(notifications::read_at.is_null()).count().get_result(connection)?;
    let rows = query()
        .order_by((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(NotificationRow::as_select())
        .load(connection)?;
    Ok((rows, total, unread))
}

pub fn find(
    connection: &mut DbConnection,
    scope: &Scope,
    user_id: &str,
    id: &str,
) -> StoreResult<Option<NotificationRow>> {
    Ok(notifications::table
        .filter(notifications::business_id.eq(scope.business_id()))
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::id.eq(id))
        .select(NotificationRow::as_select())
        .first(connection)
        .optional()?)
}

/// Marks a user's unread notifications read: one when `id` is given, else all.
pub fn mark_read(
    connection: &mut DbConnection,
    scope: &Scope,
    user_id: &str,
    id: Option<&str>,
    at: NaiveDateTime,
) -> StoreResult<usize> {
    let mut query = notifications::table
        .filter(notifications::business_id.eq(scope.business_id()))
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .into_boxed();
    if let Some(id) = id {
        query = query.filter(notifications::id.eq(id.to_owned()));
    }
    let ids: Vec<String> = query.select(notifications::id).load(connection)?;
    let mut changed = 0;
    for chunk in ids.chunks(900) {
        changed += diesel::update(notifications::table.filter(notifications::id.eq_any(chunk)))
            .set(notifications::read_at.eq(Some(at)))
            .execute(connection)?;
    }
    Ok(changed)
}

/// Loads the preferences the given users have stored. A missing row means the default.
pub fn preferences_of(
    connection: &mut DbConnection,
    scope: &Scope,
    user_ids: &[String],
) -> StoreResult<Vec<PreferenceRow>> {
    let mut found = Vec::new();
    for chunk in user_ids.chunks(900) {
        found.extend(
            notification_preferences::table
                .filter(notification_preferences::business_id.eq(scope.business_id()))
                .filter(notification_preferences::user_id.eq_any(chunk))
                .select(PreferenceRow::as_select())
                .load(connection)?,
        );
    }
    Ok(found)
}

/// Stores one preference, replacing the previous choice.
pub fn set_preference(connection: &mut DbConnection, row: &PreferenceRow) -> StoreResult<()> {
    macro_rules! upsert {
        ($connection:expr) => {
            diesel::insert_into(notification_preferences::table)
                .values(row)
                .on_conflict((
                    notification_preferences::user_id,
                    notification_preferences::kind,
                    notification_preferences::channel,
                ))
                .do_update()
                .set((
                    notification_preferences::enabled.eq(row.enabled),
                    notification_preferences::updated_at.eq(row.updated_at),
                ))
                .execute($connection)?
        };
    }
    match connection {
        DbConnection::Sqlite(connection) => upsert!(connection),
        DbConnection::Postgresql(connection) => upsert!(connection),
    };
    Ok(())
}
