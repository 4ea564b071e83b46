//! The canonical services of Mango CS. Every business operation lives here once and is
//! called alike by the HTTP API, the command line, scheduled jobs and, later, the agent.
//!
//! Services are synchronous (diesel is blocking); the server runs them on its blocking
//! thread pool. Each takes a [`Tenant`] built from the caller's credentials, and every
//! query it runs is confined to that tenant's business.

pub mod accounts;
pub mod activities;
pub mod auth;
pub mod businesses;
pub mod clock;
pub mod contacts;
pub mod custom_fields;
pub mod error;
pub mod exports;
pub mod health;
pub mod imports;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod paging;
pub mod proposals;
pub mod renewals;
pub mod sample_data;
pub mod settings;
pub mod signals;
pub mod tenant;
pub mod users;

use store::{BackendKind, DbPool, PooledDb};

pub use error::{AppError, AppResult};
pub use tenant::{Credential, Tenant};

/// Tunable limits of the services.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// How long a browser session lasts without use.
    pub session_idle: chrono::Duration,
    /// Failed logins for one email within [`AppConfig::throttle_window`] before more are refused.
    pub max_failures_per_email: i64,
    /// Failed logins from one address within the window before more are refused.
    pub max_failures_per_ip: i64,
    pub throttle_window: chrono::Duration,
    pub mail: mail::MailSettings,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_idle: chrono::Duration::hours(12),
            max_failures_per_email: 5,
            max_failures_per_ip: 50,
            throttle_window: chrono::Duration::minutes(15),
            mail: mail::MailSettings::default(),
        }
    }
}

/// The application: a database pool and the service configuration. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pool: DbPool,
    backend: BackendKind,
    config: AppConfig,
    running_jobs: jobs::RunningJobs,
}

impl App {
    pub fn new(pool: DbPool, backend: BackendKind, config: AppConfig) -> Self {
        Self { pool, backend, config, running_jobs: jobs::RunningJobs::default() }
    }

    /// Checks out a connection from the pool.
    pub fn connection(&self) -> AppResult<PooledDb> {
        self.pool.get().map_err(|error| AppError::Unavailable(format!("no database connection: {error}")))
    }

    pub fn backend(&self) -> BackendKind {
        self.backend
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    pub(crate) fn running_jobs(&self) -> &jobs::RunningJobs {
        &self.running_jobs
    }

    /// Checks that the database answers a query on the schema, so a database that lost its
    /// tables is not reported ready.
    pub fn check_ready(&self) -> AppResult<()> {
        use diesel::connection::SimpleConnection;
        let mut connection = self.connection()?;
        connection
            .batch_execute("SELECT 1 FROM businesses WHERE 1 = 0")
            .map_err(|error| AppError::Unavailable(error.to_string()))
    }
}
