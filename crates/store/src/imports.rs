//! CSV imports held between preview and commit.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::imports;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    pub id: String,
    pub business_id: String,
    pub user_id: Option<String>,
    /// `previewed` or `committed`.
    pub status: String,
    /// The uploaded CSV text, re-read at commit time.
    pub content: String,
    /// JSON array with the target of each column, or null for an ignored column.
    pub mapping: String,
    pub default_stage: String,
    /// JSON of the commit's counts, once committed.
    pub result: Option<String>,
    pub created_at: NaiveDateTime,
    pub committed_at: Option<NaiveDateTime>,
    /// `accounts`, or the kind of signal the file holds.
    pub kind: String,
}

pub fn insert(connection: &mut DbConnection, row: &ImportRow) -> StoreResult<()> {
    diesel::insert_into(imports::table).values(row).execute(connection)?;
    Ok(())
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<ImportRow>> {
    Ok(imports::table
        .filter(imports::business_id.eq(scope.business_id()))
        .filter(imports::id.eq(id))
        .select(ImportRow::as_select())
        .first(connection)
        .optional()?)
}

/// Marks a previewed import committed. Returns 0 when another request committed it first.
pub fn mark_committed(
    connection: &mut DbConnection,
    scope: &Scope,
    id: &str,
    result: &str,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(
        imports::table
            .filter(imports::business_id.eq(scope.business_id()))
            .filter(imports::id.eq(id))
            .filter(imports::status.eq("previewed")),
    )
    .set((
        imports::status.eq("committed"),
        imports::result.eq(Some(result)),
        imports::committed_at.eq(Some(now)),
        // The file is no longer needed once applied.
        imports::content.eq(""),
    ))
    .execute(connection)?)
}

/// Deletes previews older than `before` that were never committed.
pub fn delete_stale_previews(connection: &mut DbConnection, before: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(imports::table.filter(imports::status.eq("previewed")).filter(imports::created_at.lt(before)))
        .execute(connection)?)
}
