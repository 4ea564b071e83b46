//! The database connection over both backends, its r2d2 pool and the embedded migrations.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Settings applied to every SQLite connection as it opens: write-ahead log so readers do
/// not block the writer, enforced foreign keys, a five-second wait on a locked database,
/// and a 64 MiB page cache for bulk imports.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA cache_size = -65536;";

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The diesel backend type of [`DbConnection`], for boxed queries.
pub type Db = <DbConnection as Connection>::Backend;

/// The database a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// A database URL split into its backend and what the driver expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub backend: BackendKind,
    /// The path of a SQLite file, or the PostgreSQL URL unchanged.
    pub target: String,
}

/// The URL used when `DATABASE_URL` is unset: a SQLite file under `data/` in the working
/// directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mango-cs.db";

impl DatabaseUrl {
    /// Parses `sqlite://PATH`, `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self { backend: BackendKind::Postgres, target: url.to_owned() });
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"));
        match path {
            Some(path) if !path.is_empty() => Ok(Self { backend: BackendKind::Sqlite, target: path.to_owned() }),
            _ => Err(StoreError::Config(format!(
                "DATABASE_URL {url:?} is not supported; use sqlite://PATH or postgres://USER@HOST/DB"
            ))),
        }
    }

    fn establish(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.backend {
            BackendKind::Postgres => PgConnection::establish(&self.target).map(DbConnection::Postgresql),
            BackendKind::Sqlite => {
                let mut connection = SqliteConnection::establish(&self.target)?;
                connection
                    .batch_execute(SQLITE_PRAGMAS)
                    .map_err(|error| diesel::ConnectionError::BadConnection(error.to_string()))?;
                Ok(DbConnection::Sqlite(connection))
            }
        }
    }
}

/// An r2d2 manager that picks the backend from the URL scheme and reports the driver's own
/// connection error.
#[derive(Clone, Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.url.establish().map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, connection: &mut DbConnection) -> Result<(), Self::Error> {
        connection.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _connection: &mut DbConnection) -> bool {
        false
    }
}

/// A pool of connections to one database.
pub type DbPool = Pool<ConnectionManager>;
/// A connection checked out of a [`DbPool`].
pub type PooledDb = PooledConnection<ConnectionManager>;

/// Opens a pool on `url`, creating the SQLite file and its folder when missing, and applies
/// the embedded migrations.
pub fn connect(url: &str, max_size: u32) -> Result<(DbPool, BackendKind), StoreError> {
    let parsed = DatabaseUrl::parse(url)?;
    if parsed.backend == BackendKind::Sqlite {
        if let Some(folder) = Path::new(&parsed.target).parent().filter(|folder| !folder.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|error| {
                StoreError::Config(format!("cannot create the database folder {}: {error}", folder.display()))
            })?;
        }
    }

    // One direct connection first, so an unreachable database fails at once with the
    // driver's own message instead of after the pool's retries.
    let mut first = parsed.establish().map_err(|error| StoreError::Connect(one_line(&error.to_string())))?;
    run_migrations(&mut first)?;
    drop(first);

    let backend = parsed.backend;
    let pool = Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .error_handler(Box::new(LogConnectionError))
        .build(ConnectionManager { url: parsed })
        .map_err(|error| StoreError::Connect(one_line(&error.to_string())))?;

    Ok((pool, backend))
}

/// Joins a multi-line driver message into one line for logs and terminals.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Logs failed pool connections through `tracing`, once per failure, on one line.
#[derive(Debug)]
struct LogConnectionError;

impl diesel::r2d2::HandleError<diesel::r2d2::Error> for LogConnectionError {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(error = %one_line(&error.to_string()), "database connection failed");
    }
}

/// Applies every pending embedded migration of the connection's backend.
pub fn run_migrations(connection: &mut DbConnection) -> Result<usize, StoreError> {
    let applied = match connection {
        DbConnection::Postgresql(connection) => connection.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        DbConnection::Sqlite(connection) => connection.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|error| StoreError::Migration(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_backends() {
        assert_eq!(DatabaseUrl::parse("sqlite://data/x.db").ok().map(|url| url.target), Some("data/x.db".to_owned()));
        assert_eq!(DatabaseUrl::parse("sqlite:/tmp/x.db").ok().map(|url| url.backend), Some(BackendKind::Sqlite));
        assert_eq!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1/mango").ok().map(|url| url.backend),
            Some(BackendKind::Postgres)
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
