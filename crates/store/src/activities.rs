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
