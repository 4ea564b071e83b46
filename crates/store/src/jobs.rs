//! Records of scheduled and on-demand job runs, and the lock that keeps one run of a job
//! per business at a time across server processes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::job_runs;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = job_runs, treat_none_as_default_value = false)]
pub struct JobRunRow {
    pub id: String,
    pub business_id: String,
    pub job: String,
    pub as_of: NaiveDate,
    pub triggered_by: String,
    pub status: String,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// JSON object of counts.
    pub counts: String,
    pub error: Option<String>,
    pub user_id: Option<String>,
}

pub fn insert(connection: &mut DbConnection, row: &JobRunRow) -> StoreResult<()> {
    diesel::insert_into(job_runs::table).values(row).execute(connection)?;
    Ok(())
}

/// Records how a run ended.
pub fn finish(
    connection: &mut DbConnection,
    id: &str,
    status: &str,
    counts: &str,
    error: Option<&str>,
    at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(job_runs::table.find(id))
        .set((
            job_runs::status.eq(status),
            job_runs::counts.eq(counts),
            job_runs::error.eq(error),
            job_runs::finished_at.eq(Some(at)),
        ))
        .execute(connection)?;
    Ok(())
}

/// Runs of the business, newest first, optionally of one job.
pub fn list(
    connection: &mut DbConnection,
    scope: &Scope,
    job: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<JobRunRow>, i64)> {
    let query = || {
        let mut query = job_runs::table.filter(job_runs::business_id.eq(scope.business_id())).into_boxed();
        if let Some(job) = job {
            query = query.filter(job_runs::job.eq(job.to_owned()));
        }
        query
    };
    let total = query().count().get_result(connection)?;
    let rows = query()
        .order_by((job_runs::started_at.desc(), job_runs::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(JobRunRow::as_select())
        .load(connection)?;
    Ok((rows, total))
}

/// Tells whether a run of the job for this date already succeeded, so the scheduler does
/// not repeat a day another process has done.
pub fn succeeded_on(connection: &mut DbConnection, scope: &Scope, job: &str, as_of: NaiveDate) -> StoreResult<bool> {
    let found: i64 = job_runs::table
        .filter(job_runs::business_id.eq(scope.business_id()))
        .filter(job_runs::job.eq(job))
        .filter(job_runs::as_of.eq(as_of))
        .filter(job_runs::status.eq("succeeded"))
        .count()
        .get_result(connection)?;
    Ok(found > 0)
}

/// Marks runs left `running` by a process that stopped as failed. Runs started before
/// `started_before` cannot still be going.
pub fn fail_abandoned(
    connection: &mut DbConnection,
    started_before: NaiveDateTime,
    at: NaiveDateTime,
) -> StoreResult<usize> {
    Ok(diesel::update(
        job_runs::table.filter(job_runs::status.eq("running")).filter(job_runs::started_at.lt(started_before)),
    )
    .set((
        job_runs::status.eq("failed"),
        job_runs::error.eq(Some("the process running the job stopped before it finished")),
        job_runs::finished_at.eq(Some(at)),
    ))
    .execute(connection)?)
}

/// Takes PostgreSQL's session advisory lock with this key without waiting; true when it
/// was free. SQLite has no such lock and always returns true: a SQLite database is served
/// by one process, which keeps its own lock.
pub fn try_advisory_lock(connection: &mut DbConnection, key: i64) -> StoreResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match connection {
        DbConnection::Sqlite(_) => Ok(true),
        DbConnection::Postgresql(connection) => {
            let row: Locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
                .bind::<diesel::sql_types::BigInt, _>(key)
                .get_result(connection)?;
            Ok(row.locked)
        }
    }
}

/// Releases a lock taken with [`try_advisory_lock`] on the same connection.
pub fn advisory_unlock(connection: &mut DbConnection, key: i64) -> StoreResult<()> {
    if let DbConnection::Postgresql(connection) = connection {
        diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<diesel::sql_types::BigInt, _>(key)
            .execute(connection)?;
    }
    Ok(())
}
