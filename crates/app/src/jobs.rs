//! Scheduled jobs: running one for a business under a lock, recording each run, and
//! listing the runs.
//!
//! A job runs once at a time per business. Within a process a set of running jobs keeps
//! that promise; across PostgreSQL server processes a session advisory lock does. The
//! work of a run happens in one transaction, so a failed run leaves the previous results
//! in place, and the run record keeps the error.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use api_types::jobs::{JobRun, JobRunListParams, JobRunRequest};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use store::businesses::{self as business_queries, BusinessRow};
use store::jobs::{self as queries, JobRunRow};
use store::{DbConnection, Scope};
use tracing::{error, info, info_span, warn};

use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::settings::health_settings;
use crate::tenant::Tenant;
use crate::App;

/// The jobs Mango CS runs on a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// Scores every live account and flags those at risk; daily at 07:30 UTC by default.
    HealthSnapshot,
    /// Reminds CSMs of renewals at the business's cadence; daily at 08:00 UTC by default.
    RenewalReminders,
}

impl Job {
    pub const ALL: &'static [Job] = &[Job::HealthSnapshot, Job::RenewalReminders];

    pub fn name(self) -> &'static str {
        match self {
            Job::HealthSnapshot => "health-snapshot",
            Job::RenewalReminders => "renewal-reminders",
        }
    }

    /// The feature a business must have on for the job to run for it.
    pub(crate) fn feature(self) -> crate::settings::Feature {
        match self {
            Job::HealthSnapshot => crate::settings::Feature::HealthScore,
            Job::RenewalReminders => crate::settings::Feature::Renewals,
        }
    }

    pub fn parse(name: &str) -> Option<Job> {
        Job::ALL.iter().copied().find(|job| job.name() == name)
    }
}

/// The origin of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    Api,
    CommandLine,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::Api => "api",
            Trigger::CommandLine => "command_line",
        }
    }
}

/// Jobs running in this process, by lock key.
#[derive(Clone, Default)]
pub struct RunningJobs(Arc<Mutex<HashSet<i64>>>);

/// The lock of a job in a business. Dropping it releases the process lock and the
/// advisory lock.
pub struct JobLock {
    running: RunningJobs,
    key: i64,
    connection: Option<store::PooledDb>,
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.as_mut() {
            if let Err(failure) = queries::advisory_unlock(connection, self.key) {
                warn!(error = %failure, "releasing a job's advisory lock failed; closing its connection releases it");
            }
        }
        if let Ok(mut running) = self.running.0.lock() {
            running.remove(&self.key);
        }
    }
}

/// Returns the lock key of a job in a business: the first eight bytes of a hash of both names.
fn lock_key(job: Job, business_id: &str) -> i64 {
    let digest = Sha256::digest(format!("mango-cs:{}:{business_id}", job.name()).as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

fn busy(job: Job) -> AppError {
    AppError::Conflict {
        code: "job_running",
        field: None,
        message: format!("{} is already running for this business; wait for it to finish", job.name()),
    }
}

fn run_view(row: &JobRunRow) -> AppResult<JobRun> {
    Ok(JobRun {
        id: row.id.clone(),
        job: row.job.clone(),
        as_of: row.as_of,
        triggered_by: row.triggered_by.clone(),
        status: row.status.clone(),
        started_at: utc(row.started_at),
        finished_at: row.finished_at.map(utc),
        counts: store::from_json_text("job_runs.counts", &row.counts)?,
        error: row.error.clone(),
        user_id: row.user_id.as_deref().map(parse_id).transpose()?,
    })
}

/// The outcome of running a job across businesses, for the command line and scheduler.
#[derive(Debug)]
pub struct BusinessRun {
    pub slug: String,
    /// The finished run, or `None` with the reason in `skipped`.
    pub outcome: AppResult<Option<JobRun>>,
    pub skipped: Option<&'static str>,
}

impl App {
    /// Takes the lock a run of the job in the business takes, so that no run starts in
    /// this process or, on PostgreSQL, in any other until the lock is dropped. Fails with
    /// `job_running` while a run has it.
    pub fn lock_job(&self, job: Job, business_id: &str) -> AppResult<JobLock> {
        let key = lock_key(job, business_id);
        {
            let mut running =
                self.running_jobs().0.lock().map_err(|_| AppError::Internal("job lock poisoned".into()))?;
            if !running.insert(key) {
                return Err(busy(job));
            }
        }
        // From here the guard releases the process lock on every path.
        let mut lock = JobLock { running: self.running_jobs().clone(), key, connection: None };
        // SQLite has no advisory lock; there the process lock is the whole lock.
        if self.backend() == store::BackendKind::Postgres {
            let mut connection = self.connection()?;
            if !queries::try_advisory_lock(&mut connection, key)? {
                return Err(busy(job));
            }
            lock.connection = Some(connection);
        }
        Ok(lock)
    }

    /// Runs a job for one business and records the run. Fails with `job_running` when the
    /// job is already running for the business here or in another process. A run whose
    /// work fails is recorded as failed and returned, not raised.
    pub fn run_job(
        &self,
        business: &BusinessRow,
        job: Job,
        as_of: NaiveDate,
        trigger: Trigger,
        user_id: Option<String>,
    ) -> AppResult<JobRun> {
        crm_core::validation::date_in_range(as_of).map_err(|message| AppError::invalid("as_of", message))?;
        let today = now().date();
        if as_of > today {
            return Err(AppError::invalid("as_of", format!("must not be after today ({today} in UTC)")));
        }
        let _lock = self.lock_job(job, &business.id)?;
        let span = info_span!("job", job = job.name(), business_id = %business.id, %as_of);
        let _entered = span.enter();
        let mut connection = self.connection()?;
        let mut run = JobRunRow {
            id: new_id().to_string(),
            business_id: business.id.clone(),
            job: job.name().to_owned(),
            as_of,
            triggered_by: trigger.as_str().to_owned(),
            status: "running".to_owned(),
            started_at: now(),
            finished_at: None,
            counts: "{}".to_owned(),
            error: None,
            user_id,
        };
        queries::insert(&mut connection, &run)?;
        info!(run_id = %run.id, "job started");

        let outcome = self.job_work(&mut connection, business, job, as_of);
        let finished = now();
        match outcome {
            Ok(counts) => {
                run.status = "succeeded".to_owned();
                run.counts = counts;
                info!(run_id = %run.id, counts = %run.counts, "job succeeded");
            }
            Err(failure) => {
                error!(run_id = %run.id, error = %failure, "job failed");
                run.status = "failed".to_owned();
                run.error = Some(failure.to_string().chars().take(1_000).collect());
            }
        }
        run.finished_at = Some(finished);
        queries::finish(&mut connection, &run.id, &run.status, &run.counts, run.error.as_deref(), finished)?;
        drop(connection);
        if job == Job::RenewalReminders && run.status == "succeeded" {
            // The mails are in the outbox already; a failure here leaves them for a retry.
            if let Err(failure) = self.deliver_mail(Some(&business.id)) {
                warn!(error = %failure, "delivering the reminder mails failed; they stay in the outbox");
            }
        }
        run_view(&run)
    }

    /// The work of a job, in one transaction; returns the counts as JSON.
    fn job_work(
        &self,
        connection: &mut DbConnection,
        business: &BusinessRow,
        job: Job,
        as_of: NaiveDate,
    ) -> AppResult<String> {
        let scope = Scope::new(parse_id(&business.id)?);
        match job {
            Job::HealthSnapshot => {
                let settings = health_settings(business)?;
                let counts = store::write_transaction::<_, AppError, _>(connection, |connection| {
                    crate::health::snapshot::take_snapshots(connection, &scope, as_of, &settings)
                })?;
                Ok(store::to_json_text(&counts)?)
            }
            Job::RenewalReminders => {
                let renewal = crate::settings::renewal_settings(business)?;
                let threshold = health_settings(business)?.at_risk_threshold;
                let mail = &self.config().mail;
                let counts = store::write_transaction::<_, AppError, _>(connection, |connection| {
                    crate::renewals::reminders::send_reminders(connection, &scope, as_of, &renewal, threshold, mail)
                })?;
                Ok(store::to_json_text(&counts)?)
            }
        }
    }

    /// Runs a job for the caller's business now. Admin only.
    pub fn run_job_now(&self, tenant: &Tenant, job: Job, request: &JobRunRequest) -> AppResult<JobRun> {
        tenant.require_admin()?;
        self.require_feature(tenant, job.feature())?;
        let mut connection = self.connection()?;
        let business = business_queries::find(&mut connection, &tenant.business_id.to_string())?
            .ok_or_else(|| AppError::not_found("business"))?;
        drop(connection);
        let as_of = request.as_of.unwrap_or_else(|| now().date());
        self.run_job(&business, job, as_of, Trigger::Api, Some(tenant.user_id.to_string()))
    }

    /// Runs a job for every business, or for the one with `slug`. With `skip_done`, a
    /// business whose run for `as_of` already succeeded is left alone, so several
    /// processes on one schedule do the day's work once.
    pub fn run_job_for_businesses(
        &self,
        job: Job,
        as_of: NaiveDate,
        slug: Option<&str>,
        trigger: Trigger,
        skip_done: bool,
    ) -> AppResult<Vec<BusinessRun>> {
        let mut connection = self.connection()?;
        let businesses = match slug {
            Some(slug) => vec![business_queries::find_by_slug(&mut connection, slug)?
                .ok_or_else(|| AppError::invalid("business", format!("no business has the slug {slug:?}")))?],
            None => business_queries::list_all(&mut connection)?,
        };
        drop(connection);
        let mut runs = Vec::with_capacity(businesses.len());
        for business in businesses {
            if !crate::settings::feature_on(&business, job.feature())? {
                runs.push(BusinessRun {
                    slug: business.slug.clone(),
                    outcome: Ok(None),
                    skipped: Some("the business has the feature turned off"),
                });
                continue;
            }
            if skip_done {
                let scope = Scope::new(parse_id(&business.id)?);
                if queries::succeeded_on(&mut *self.connection()?, &scope, job.name(), as_of)? {
                    runs.push(BusinessRun {
                        slug: business.slug.clone(),
                        outcome: Ok(None),
                        skipped: Some("already done for the date"),
                    });
                    continue;
                }
            }
            let outcome = self.run_job(&business, job, as_of, trigger, None).map(Some);
            runs.push(BusinessRun { slug: business.slug.clone(), outcome, skipped: None });
        }
        Ok(runs)
    }

    /// Marks runs that a stopped process left `running` for more than six hours as failed.
    pub fn fail_abandoned_runs(&self) -> AppResult<usize> {
        let mut connection = self.connection()?;
        let at = now();
        Ok(queries::fail_abandoned(&mut connection, at - chrono::Duration::hours(6), at)?)
    }

    /// Recent runs in the caller's business, newest first. Admin only.
    pub fn list_job_runs(&self, tenant: &Tenant, params: &JobRunListParams) -> AppResult<api_types::Page<JobRun>> {
        tenant.require_admin()?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        if let Some(job) = params.job.as_deref() {
            if Job::parse(job).is_none() {
                let known: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
                return Err(AppError::invalid(
                    "job",
                    format!("unknown job {job:?}; expected one of: {}", known.join(", ")),
                ));
            }
        }
        let mut connection = self.connection()?;
        let (rows, total) = queries::list(&mut connection, &tenant.scope(), params.job.as_deref(), limit, offset)?;
        Ok(api_types::Page { items: rows.iter().map(run_view).collect::<AppResult<_>>()?, total, next_cursor: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_differ_by_job_and_business() {
        assert_eq!(lock_key(Job::HealthSnapshot, "a"), lock_key(Job::HealthSnapshot, "a"));
        assert_ne!(lock_key(Job::HealthSnapshot, "a"), lock_key(Job::HealthSnapshot, "b"));
    }

    #[test]
    fn job_names_round_trip() {
        for job in Job::ALL {
            assert_eq!(Job::parse(job.name()), Some(*job));
        }
        assert_eq!(Job::parse("nightly"), None);
    }
}
