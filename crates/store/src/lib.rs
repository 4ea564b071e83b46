//! Storage of Mango CS on SQLite or PostgreSQL: the diesel schema, one query module per
//! domain, the connection pool and the embedded migrations.
//!
//! Every query that reads or writes tenant data takes a [`Scope`], so a query cannot be
//! written without naming the business it is confined to.

pub mod accounts;
pub mod activities;
pub mod auth;
pub mod businesses;
pub mod connection;
pub mod contacts;
pub mod custom_fields;
pub mod health;
pub mod imports;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod proposals;
pub mod renewals;
pub mod sample_data;
pub mod schema;
pub mod signals;
pub mod users;

pub use connection::{connect, BackendKind, Db, DbConnection, DbPool, PooledDb, DEFAULT_DATABASE_URL};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL or its location is unusable.
    #[error("{0}")]
    Config(String),
    /// No connection could be opened or checked out.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    /// A unique constraint rejected the write; the text names the constraint or columns.
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    /// A stored value could not be read back, such as malformed JSON in a text column.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Query(diesel::result::Error),
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // PostgreSQL names the constraint; SQLite only lists the columns in its message.
                let detail = info.constraint_name().map(str::to_owned).unwrap_or_else(|| info.message().to_owned());
                StoreError::UniqueViolation(detail)
            }
            other => StoreError::Query(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        StoreError::Connect(error.to_string())
    }
}

impl StoreError {
    /// Whether this is a unique violation whose constraint or message mentions `column`.
    pub fn violates_unique(&self, column: &str) -> bool {
        matches!(self, StoreError::UniqueViolation(detail) if detail.contains(column))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The business every tenant query is confined to. The application builds it from the
/// caller's credentials, never from a request parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    business_id: String,
}

impl Scope {
    pub fn new(business_id: crm_core::BusinessId) -> Self {
        Self { business_id: business_id.to_string() }
    }

    pub fn business_id(&self) -> &str {
        &self.business_id
    }
}

/// Runs `work` in a transaction that writes. On SQLite the transaction takes the write
/// lock before its first read, waiting out the busy timeout. A deferred transaction that
/// reads first would fail at its first write whenever another connection committed in
/// between, so every read-then-write transaction goes through here.
pub fn write_transaction<T, E, F>(connection: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    connection.transaction(|connection| {
        if let DbConnection::Sqlite(sqlite) = connection {
            // A write statement matching no row is enough to take the write lock.
            sqlite.batch_execute("UPDATE businesses SET id = id WHERE 1 = 0")?;
        }
        work(connection)
    })
}

/// Serialises a value for a JSON text column.
pub fn to_json_text<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// Reads a JSON text column.
pub fn from_json_text<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("{column}: {error}")))
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern that uses
/// `\` as its escape character.
pub fn like_contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends for ASCII text.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
