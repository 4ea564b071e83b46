//! Custom field definitions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::custom_field_definitions as definitions;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = definitions)]
pub struct DefinitionRow {
    pub id: String,
    pub business_id: String,
    pub entity: String,
    pub key: String,
    pub label: String,
    pub kind: String,
    /// JSON array of option strings.
    pub options: String,
    pub required: bool,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Lists definitions in display order, of one entity or of all.
pub fn list(connection: &mut DbConnection, scope: &Scope, entity: Option<&str>) -> StoreResult<Vec<DefinitionRow>> {
    let mut query = definitions::table.filter(definitions::business_id.eq(scope.business_id().to_owned())).into_boxed();
    if let Some(entity) = entity {
        query = query.filter(definitions::entity.eq(entity.to_owned()));
    }
    Ok(query
        .order_by((definitions::entity, definitions::position, definitions::id))
        .select(DefinitionRow::as_select())
        .load(connection)?)
}

pub fn find(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<DefinitionRow>> {
    Ok(definitions::table
        .filter(definitions::business_id.eq(scope.business_id()))
        .filter(definitions::id.eq(id))
        .select(DefinitionRow::as_select())
        .first(connection)
        .optional()?)
}

/// The next free position at the end of an entity's list.
pub fn next_position(connection: &mut DbConnection, scope: &Scope, entity: &str) -> StoreResult<i32> {
    let max: Option<i32> = definitions::table
        .filter(definitions::business_id.eq(scope.business_id()))
        .filter(definitions::entity.eq(entity))
        .select(diesel::dsl::max(definitions::position))
        .first(connection)?;
    Ok(max.map_or(0, |position| position + 1))
}

pub fn insert(connection: &mut DbConnection, row: &DefinitionRow) -> StoreResult<()> {
    diesel::insert_into(definitions::table).values(row).execute(connection)?;
    Ok(())
}

pub fn update(connection: &mut DbConnection, scope: &Scope, row: &DefinitionRow) -> StoreResult<usize> {
    Ok(diesel::update(
        definitions::table.filter(definitions::business_id.eq(scope.business_id())).filter(definitions::id.eq(&row.id)),
    )
    .set(row)
    .execute(connection)?)
}

pub fn set_position(
    connection: &mut DbConnection,
    scope: &Scope,
    id: &str,
    position: i32,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(
        definitions::table.filter(definitions::business_id.eq(scope.business_id())).filter(definitions::id.eq(id)),
    )
    .set((definitions::position.eq(position), definitions::updated_at.eq(now)))
    .execute(connection)?)
}

pub fn delete(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<usize> {
    Ok(diesel::delete(
        definitions::table.filter(definitions::business_id.eq(scope.business_id())).filter(definitions::id.eq(id)),
    )
    .execute(connection)?)
}

/// Removes the value of one custom field from the metadata of every record of an entity
/// (`account` or `contact`) in the business. Returns the number of records changed.
pub fn remove_values(connection: &mut DbConnection, scope: &Scope, entity: &str, key: &str) -> StoreResult<usize> {
    use diesel::sql_types::Text;

    let table = match entity {
        "account" => "accounts",
        "contact" => "contacts",
        other => return Err(crate::StoreError::Corrupt(format!("unknown custom field entity {other:?}"))),
    };
    // JSON functions differ by backend, so each gets its own statement; the key is bound,
    // never spliced into the SQL.
    let changed = match connection {
        DbConnection::Sqlite(connection) => diesel::sql_query(format!(
            "UPDATE {table} SET metadata = json_remove(metadata, '$.custom_fields.\"' || ?1 || '\"') \
             WHERE business_id = ?2 AND json_type(metadata, '$.custom_fields.\"' || ?1 || '\"') IS NOT NULL"
        ))
        .bind::<Text, _>(key)
        .bind::<Text, _>(scope.business_id())
        .execute(connection)?,
        DbConnection::Postgresql(connection) => diesel::sql_query(format!(
            "UPDATE {table} SET metadata = (metadata::jsonb #- ARRAY['custom_fields', $1])::text \
             WHERE business_id = $2 AND (metadata::jsonb -> 'custom_fields') ? $1"
        ))
        .bind::<Text, _>(key)
        .bind::<Text, _>(scope.business_id())
        .execute(connection)?,
    };
    Ok(changed)
}
