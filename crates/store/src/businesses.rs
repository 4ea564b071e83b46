//! Businesses (tenants).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::businesses;
use crate::{DbConnection, StoreResult};

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = businesses)]
pub struct BusinessRow {
    pub id: String,
    pub name: String,
    pub slug: String,
    /// JSON array of role names allowed into the app.
    pub allowed_roles: String,
    pub is_sample: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// JSON object of the settings without a column of their own; missing members take
    /// their defaults.
    pub settings: String,
}

pub fn insert(connection: &mut DbConnection, row: &BusinessRow) -> StoreResult<()> {
    diesel::insert_into(businesses::table).values(row).execute(connection)?;
    Ok(())
}

pub fn find_by_slug(connection: &mut DbConnection, slug: &str) -> StoreResult<Option<BusinessRow>> {
    Ok(businesses::table
        .filter(businesses::slug.eq(slug))
        .select(BusinessRow::as_select())
        .first(connection)
        .optional()?)
}

pub fn find(connection: &mut DbConnection, id: &str) -> StoreResult<Option<BusinessRow>> {
    Ok(businesses::table.find(id).select(BusinessRow::as_select()).first(connection).optional()?)
}

pub fn update_allowed_roles(
    connection: &mut DbConnection,
    id: &str,
    allowed_roles: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(businesses::table.find(id))
        .set((businesses::allowed_roles.eq(allowed_roles), businesses::updated_at.eq(now)))
        .execute(connection)?;
    Ok(())
}

pub fn update_settings(connection: &mut DbConnection, id: &str, settings: &str, now: NaiveDateTime) -> StoreResult<()> {
    diesel::update(businesses::table.find(id))
        .set((businesses::settings.eq(settings), businesses::updated_at.eq(now)))
        .execute(connection)?;
    Ok(())
}

/// Writes the settings column only if it still contains `read`; returns 0 when another
/// change wrote it first.
pub fn update_settings_if(
    connection: &mut DbConnection,
    id: &str,
    read: &str,
    settings: &str,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(businesses::table.find(id).filter(businesses::settings.eq(read)))
        .set((businesses::settings.eq(settings), businesses::updated_at.eq(now)))
        .execute(connection)?)
}

/// Lists every business, for jobs that run across tenants.
pub fn list_all(connection: &mut DbConnection) -> StoreResult<Vec<BusinessRow>> {
    Ok(businesses::table.order_by(businesses::slug).select(BusinessRow::as_select()).load(connection)?)
}

/// Deletes a business and, through cascading keys, everything it owns.
pub fn delete(connection: &mut DbConnection, id: &str) -> StoreResult<usize> {
    Ok(diesel::delete(businesses::table.find(id)).execute(connection)?)
}
