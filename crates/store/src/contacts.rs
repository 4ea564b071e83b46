//! Contacts of accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::contacts;
use crate::{lower, DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
// Multi-row inserts on SQLite need every column bound explicitly; without this diesel
// falls back to one statement per row.
#[diesel(table_name = contacts, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ContactRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub champion: bool,
    pub economic_buyer: bool,
    pub technical_buyer: bool,
    pub detractor: bool,
    /// JSON object; its `custom_fields` member holds custom field values.
    pub metadata: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(connection: &mut DbConnection, row: &ContactRow) -> StoreResult<()> {
    diesel::insert_into(contacts::table).values(row).execute(connection)?;
    Ok(())
}

/// Inserts many rows in one statement per backend; callers keep batches small enough for
/// the bind-parameter limits (13 columns a row).
pub fn insert_many(connection: &mut DbConnection, rows: &[ContactRow]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match connection {
        DbConnection::Sqlite(connection) => {
            diesel::insert_into(contacts::table).values(rows).execute(connection)?;
        }
        DbConnection::Postgresql(connection) => {
            diesel::insert_into(contacts::table).values(rows).execute(connection)?;
        }
    }
    Ok(())
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<ContactRow>> {
    Ok(contacts::table
        .filter(contacts::business_id.eq(scope.business_id()))
        .filter(contacts::id.eq(id))
        .select(ContactRow::as_select())
        .first(connection)
        .optional()?)
}

/// Lists an account's contacts by name.
pub fn list_for_account(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<ContactRow>, i64)> {
    let base = contacts::table
        .filter(contacts::business_id.eq(scope.business_id()))
        .filter(contacts::account_id.eq(account_id));
    let rows = base
        .order_by((lower(contacts::name), contacts::id))
        .limit(limit)
        .offset(offset)
        .select(ContactRow::as_select())
        .load(connection)?;
    let total = base.count().get_result(connection)?;
    Ok((rows, total))
}

pub fn update(connection: &mut DbConnection, scope: &Scope, row: &ContactRow) -> StoreResult<usize> {
    Ok(diesel::update(
        contacts::table.filter(contacts::business_id.eq(scope.business_id())).filter(contacts::id.eq(&row.id)),
    )
    .set(row)
    .execute(connection)?)
}

pub fn delete(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<usize> {
    Ok(diesel::delete(
        contacts::table.filter(contacts::business_id.eq(scope.business_id())).filter(contacts::id.eq(id)),
    )
    .execute(connection)?)
}
