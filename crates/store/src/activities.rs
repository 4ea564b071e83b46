//! Activity timeline entries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::activities;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
// Multi-row inserts on SQLite need every column bound explicitly; without this diesel
// falls back to one statement per row.
#[diesel(table_name = activities, treat_none_as_default_value = false)]
pub struct ActivityRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub kind: String,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub author_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(connection: &mut DbConnection, row: &ActivityRow) -> StoreResult<()> {
    diesel::insert_into(activities::table).values(row).execute(connection)?;
    Ok(())
}

/// Inserts many rows in one statement per backend; callers keep batches small enough for
/// the bind-parameter limits (9 columns a row).
pub fn insert_many(connection: &mut DbConnection, rows: &[ActivityRow]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match connection {
        DbConnection::Sqlite(connection) => {
            diesel::insert_into(activities::table).values(rows).execute(connection)?;
        }
        DbConnection::Postgresql(connection) => {
            diesel::insert_into(activities::table).values(rows).execute(connection)?;
        }
    }
    Ok(())
}

/// A system activity written at most once per key (a unique index enforces it), such as
/// one renewal reminder.
#[derive(Clone, Debug, PartialEq, Insertable)]
#[diesel(table_name = activities, treat_none_as_default_value = false)]
pub struct KeyedActivityRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub kind: String,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub author_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub dedupe_key: String,
}

/// Inserts keyed activities in batches of 1,000 (10 columns a row).
pub fn insert_keyed(connection: &mut DbConnection, rows: &[KeyedActivityRow]) -> StoreResult<()> {
    for chunk in rows.chunks(1_000) {
        match connection {
            DbConnection::Sqlite(connection) => {
                diesel::insert_into(activities::table).values(chunk).execute(connection)?;
            }
            DbConnection::Postgresql(connection) => {
                diesel::insert_into(activities::table).values(chunk).execute(connection)?;
            }
        }
    }
    Ok(())
}

/// Returns the keys among those given that activities of the business already carry.
pub fn existing_keys(connection: &mut DbConnection, scope: &Scope, keys: &[String]) -> StoreResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(900) {
        let rows: Vec<Option<String>> = activities::table
            .filter(activities::business_id.eq(scope.business_id()))
            .filter(activities::dedupe_key.eq_any(chunk))
            .select(activities::dedupe_key)
            .load(connection)?;
        found.extend(rows.into_iter().flatten());
    }
    Ok(found)
}

/// Lists an account's timeline, newest first; entries at the same moment come newest
/// written first.
pub fn list_for_account(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<ActivityRow>, i64)> {
    let base = activities::table
        .filter(activities::business_id.eq(scope.business_id()))
        .filter(activities::account_id.eq(account_id));
    let rows = base
        .order_by((activities::occurred_at.desc(), activities::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(ActivityRow::as_select())
        .load(connection)?;
    let total = base.count().get_result(connection)?;
    Ok((rows, total))
}
