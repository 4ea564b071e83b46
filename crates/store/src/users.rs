//! Users of a business.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::users;
use crate::{lower, DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub business_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub is_sample: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of a user that an admin may change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn insert(connection: &mut DbConnection, row: &UserRow) -> StoreResult<()> {
    diesel::insert_into(users::table).values(row).execute(connection)?;
    Ok(())
}

/// Looks up a user by email across all businesses, for login and the command line.
pub fn find_by_email_any_business(connection: &mut DbConnection, email: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table.filter(users::email.eq(email)).select(UserRow::as_select()).first(connection).optional()?)
}

/// Looks up a user by id without a scope, for resolving the owner of a session or token.
pub fn find_unscoped(connection: &mut DbConnection, id: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table.find(id).select(UserRow::as_select()).first(connection).optional()?)
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::business_id.eq(scope.business_id()))
        .filter(users::id.eq(id))
        .select(UserRow::as_select())
        .first(connection)
        .optional()?)
}

/// Lists the business's users by name, optionally only active ones.
pub fn list(
    connection: &mut DbConnection,
    scope: &Scope,
    active_only: bool,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<UserRow>, i64)> {
    let mut query = users::table.filter(users::business_id.eq(scope.business_id())).into_boxed();
    let mut count = users::table.filter(users::business_id.eq(scope.business_id())).into_boxed();
    if active_only {
        query = query.filter(users::active.eq(true));
        count = count.filter(users::active.eq(true));
    }
    let rows = query
        .order_by((lower(users::name), users::id))
        .limit(limit)
        .offset(offset)
        .select(UserRow::as_select())
        .load(connection)?;
    let total = count.count().get_result(connection)?;
    Ok((rows, total))
}

/// Every user of the business, for matching owner names during imports.
pub fn all(connection: &mut DbConnection, scope: &Scope) -> StoreResult<Vec<UserRow>> {
    Ok(users::table.filter(users::business_id.eq(scope.business_id())).select(UserRow::as_select()).load(connection)?)
}

pub fn update(connection: &mut DbConnection, scope: &Scope, id: &str, changes: &UserChanges) -> StoreResult<usize> {
    Ok(diesel::update(users::table.filter(users::business_id.eq(scope.business_id())).filter(users::id.eq(id)))
        .set(changes)
        .execute(connection)?)
}
