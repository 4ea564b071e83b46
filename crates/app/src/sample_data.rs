//! Demo data: a business with one user per role and about 200 accounts with contacts and
//! timelines, removable exactly.

use std::fmt;

use crate::error::{AppError, AppResult};
use crate::App;

/// Slug of the demo business when none is given.
pub const DEFAULT_SLUG: &str = "demo";

/// What `generate` created, printed for the operator.
#[derive(Debug)]
pub struct SampleDataSummary {
    pub business_slug: String,
    pub logins: Vec<(String, String)>,
    pub password: String,
    pub accounts: usize,
}

impl fmt::Display for SampleDataSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "sample data in business {}: {} accounts", self.business_slug, self.accounts)?;
        for (email, role) in &self.logins {
            writeln!(f, "  {role}: {email}")?;
        }
        writeln!(f, "  password for every demo user: {}", self.password)
    }
}

impl App {
    pub fn generate_sample_data(&self, _slug: &str) -> AppResult<SampleDataSummary> {
        Err(AppError::Internal("sample data is not built yet".into()))
    }

    pub fn destroy_sample_data(&self, _slug: &str) -> AppResult<String> {
        Err(AppError::Internal("sample data is not built yet".into()))
    }
}
