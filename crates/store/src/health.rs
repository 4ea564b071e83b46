//! Health snapshots and the grouped signal queries the health job reads: one query per
//! signal per business, never one per account.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::schema::{accounts, activities, health_snapshots, subscriptions, support_tickets, usage_events};
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = health_snapshots, treat_none_as_default_value = false)]
pub struct SnapshotRow {
    pub id: String,
    pub business_id: String,
    pub account_id: String,
    pub as_of: NaiveDate,
    pub overall: i32,
    pub neutral: bool,
    /// JSON object of the four components.
    pub components: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of an account that the health job reads.
#[derive(Clone, Debug, PartialEq, Queryable)]
pub struct ScoredAccount {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub at_risk: bool,
    pub at_risk_reasons: String,
    pub csm_id: Option<String>,
    pub health_score: Option<i32>,
    pub renewal_date: Option<NaiveDate>,
}

/// Loads the accounts the health job scores: every account that has not churned.
pub fn accounts_to_score(connection: &mut DbConnection, scope: &Scope) -> StoreResult<Vec<ScoredAccount>> {
    Ok(accounts::table
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(accounts::stage.ne("churned"))
        .select((
            accounts::id,
            accounts::name,
            accounts::stage,
            accounts::at_risk,
            accounts::at_risk_reasons,
            accounts::csm_id,
            accounts::health_score,
            accounts::renewal_date,
        ))
        .load(connection)?)
}

/// Latest non-system activity per account before `before`.
pub fn last_engagement(
    connection: &mut DbConnection,
    scope: &Scope,
    before: NaiveDateTime,
) -> StoreResult<Vec<(String, Option<NaiveDateTime>)>> {
    Ok(activities::table
        .filter(activities::business_id.eq(scope.business_id()))
        .filter(activities::kind.ne("system"))
        .filter(activities::occurred_at.lt(before))
        .group_by(activities::account_id)
        .select((activities::account_id, max(activities::occurred_at)))
        .load(connection)?)
}

/// Latest usage event per account before `before`.
pub fn last_usage(
    connection: &mut DbConnection,
    scope: &Scope,
    before: NaiveDateTime,
) -> StoreResult<Vec<(String, Option<NaiveDateTime>)>> {
    Ok(usage_events::table
        .filter(usage_events::business_id.eq(scope.business_id()))
        .filter(usage_events::occurred_at.lt(before))
        .group_by(usage_events::account_id)
        .select((usage_events::account_id, max(usage_events::occurred_at)))
        .load(connection)?)
}

/// Runs a grouped read written with PostgreSQL's `$1` placeholders on either backend;
/// SQLite takes the same numbers as `?1`. `$bind` adds the bind values to the query.
macro_rules! load_grouped {
    ($connection:expr, $sql:expr, |$query:ident| $bind:expr) => {
        match $connection {
            DbConnection::Sqlite(connection) => {
                let $query = diesel::sql_query($sql.replace('$', "?"));
                $bind.load(connection)?
            }
            DbConnection::Postgresql(connection) => {
                let $query = diesel::sql_query($sql);
                $bind.load(connection)?
            }
        }
    };
}

/// The support tickets of one account opened before a bound.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct TicketStats {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = BigInt)]
    pub total: i64,
    /// Tickets open at the bound.
    #[diesel(sql_type = BigInt)]
    pub open: i64,
    /// Opening time of the oldest ticket open at the bound.
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub oldest_open: Option<NaiveDateTime>,
}

/// Counts the tickets opened before `before` per account, and among them those open at
/// `before` with the oldest one's opening time, in one pass. A ticket was open then when
/// its status is one of `open_statuses` now, or when it was solved only later.
pub fn ticket_stats(
    connection: &mut DbConnection,
    scope: &Scope,
    open_statuses: &[&str],
    before: NaiveDateTime,
) -> StoreResult<Vec<TicketStats>> {
    // The statuses are SQL string literals, quoted the standard way, so the statement
    // keeps two bind parameters.
    let statuses: Vec<String> =
        open_statuses.iter().map(|status| format!("'{}'", status.replace('\'', "''"))).collect();
    let open = format!("(status IN ({}) OR solved_at >= $2)", statuses.join(", "));
    let sql = format!(
        "SELECT account_id, count(*) AS total, count(*) FILTER (WHERE {open}) AS open, \
         min(opened_at) FILTER (WHERE {open}) AS oldest_open \
         FROM support_tickets WHERE business_id = $1 AND opened_at < $2 GROUP BY account_id"
    );
    Ok(load_grouped!(connection, sql, |query| query.bind::<Text, _>(scope.business_id()).bind::<Timestamp, _>(before)))
}

/// Reopen lists of the tickets last reopened at or after `since`: `(account id, JSON
/// array of reopen times)`. Few tickets are reopened, so the counting is left to the caller.
pub fn recent_reopens(
    connection: &mut DbConnection,
    scope: &Scope,
    since: NaiveDateTime,
) -> StoreResult<Vec<(String, String)>> {
    Ok(support_tickets::table
        .filter(support_tickets::business_id.eq(scope.business_id()))
        .filter(support_tickets::last_reopened_at.ge(since))
        .select((support_tickets::account_id, support_tickets::reopened_at))
        .load(connection)?)
}

/// The survey responses of one account in a date range.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct SurveyStats {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = BigInt)]
    pub nps_responses: i64,
    /// NPS responses of 9 or 10.
    #[diesel(sql_type = BigInt)]
    pub promoters: i64,
    /// NPS responses of 0 to 6.
    #[diesel(sql_type = BigInt)]
    pub detractors: i64,
    /// Responses of any other kind, which is CSAT.
    #[diesel(sql_type = BigInt)]
    pub csat_responses: i64,
    /// CSAT responses of 4 or 5.
    #[diesel(sql_type = BigInt)]
    pub csat_satisfied: i64,
}

/// Counts the survey responses in `[from, before)` per account: NPS responses with
/// promoters (9 or 10) and detractors (0 to 6), and CSAT responses with satisfied ones
/// (4 or 5), the standard definitions of both scores.
pub fn survey_stats(
    connection: &mut DbConnection,
    scope: &Scope,
    from: NaiveDateTime,
    before: NaiveDateTime,
) -> StoreResult<Vec<SurveyStats>> {
    const SQL: &str = "SELECT account_id, \
        count(*) FILTER (WHERE kind = 'nps') AS nps_responses, \
        count(*) FILTER (WHERE kind = 'nps' AND score >= 9) AS promoters, \
        count(*) FILTER (WHERE kind = 'nps' AND score <= 6) AS detractors, \
        count(*) FILTER (WHERE kind <> 'nps') AS csat_responses, \
        count(*) FILTER (WHERE kind <> 'nps' AND score >= 4) AS csat_satisfied \
        FROM survey_responses WHERE business_id = $1 AND responded_at >= $2 AND responded_at < $3 \
        GROUP BY account_id";
    Ok(load_grouped!(connection, SQL, |query| query
        .bind::<Text, _>(scope.business_id())
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(before)))
}

/// The champion and detractor contacts of one account.
#[derive(Clone, Debug, PartialEq, QueryableByName)]
pub struct ContactVoices {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = BigInt)]
    pub champions: i64,
    #[diesel(sql_type = BigInt)]
    pub detractors: i64,
}

/// Counts champion and detractor contacts per account, for accounts with either.
pub fn contact_voices(connection: &mut DbConnection, scope: &Scope) -> StoreResult<Vec<ContactVoices>> {
    const SQL: &str = "SELECT account_id, count(*) FILTER (WHERE champion) AS champions, \
        count(*) FILTER (WHERE detractor) AS detractors \
        FROM contacts WHERE business_id = $1 AND (champion OR detractor) GROUP BY account_id";
    Ok(load_grouped!(connection, SQL, |query| query.bind::<Text, _>(scope.business_id())))
}

/// Earliest current-period end per account among subscriptions that are not cancelled.
pub fn earliest_period_ends(
    connection: &mut DbConnection,
    scope: &Scope,
) -> StoreResult<Vec<(String, Option<NaiveDateTime>)>> {
    Ok(subscriptions::table
        .filter(subscriptions::business_id.eq(scope.business_id()))
        .filter(subscriptions::status.ne("cancelled"))
        .group_by(subscriptions::account_id)
        .select((subscriptions::account_id, min(subscriptions::current_period_end)))
        .load(connection)?)
}

/// Rows per snapshot upsert: 9 columns a row stays under both backends' limits.
pub const SNAPSHOT_BATCH_ROWS: usize = 3_000;

/// Writes snapshots, replacing the one of the same account and date if there is one.
pub fn upsert_snapshots(connection: &mut DbConnection, rows: &[SnapshotRow]) -> StoreResult<()> {
    use diesel::upsert::excluded;
    if rows.is_empty() {
        return Ok(());
    }
    macro_rules! upsert {
        ($connection:expr) => {
            diesel::insert_into(health_snapshots::table)
                .values(rows)
                .on_conflict((health_snapshots::account_id, health_snapshots::as_of))
                .do_update()
                .set((
                    health_snapshots::overall.eq(excluded(health_snapshots::overall)),
                    health_snapshots::neutral.eq(excluded(health_snapshots::neutral)),
                    health_snapshots::components.eq(excluded(health_snapshots::components)),
                    health_snapshots::updated_at.eq(excluded(health_snapshots::updated_at)),
                ))
                .execute($connection)?
        };
    }
    match connection {
        DbConnection::Sqlite(connection) => upsert!(connection),
        DbConnection::Postgresql(connection) => upsert!(connection),
    };
    Ok(())
}

/// Copies each account's latest snapshot score to `accounts.health_score`, for the
/// accounts that have a snapshot on `as_of`, and returns how many changed. A backfill of
/// an older date leaves the newer score in place, and a score that is already there is
/// not written again.
pub fn copy_latest_scores(connection: &mut DbConnection, scope: &Scope, as_of: NaiveDate) -> StoreResult<usize> {
    use diesel::sql_types::Date;
    // The statement is the same on both backends but for the placeholder syntax.
    const SQL: &str = "UPDATE accounts SET health_score = \
        (SELECT s.overall FROM health_snapshots s WHERE s.account_id = accounts.id ORDER BY s.as_of DESC LIMIT 1) \
        WHERE accounts.business_id = {business} AND EXISTS \
        (SELECT 1 FROM health_snapshots s WHERE s.account_id = accounts.id AND s.as_of = {as_of}) \
        AND accounts.health_score IS DISTINCT FROM \
        (SELECT s.overall FROM health_snapshots s WHERE s.account_id = accounts.id ORDER BY s.as_of DESC LIMIT 1)";
    let changed = match connection {
        DbConnection::Sqlite(connection) => diesel::sql_query(SQL.replace("{business}", "?1").replace("{as_of}", "?2"))
            .bind::<Text, _>(scope.business_id())
            .bind::<Date, _>(as_of)
            .execute(connection)?,
        DbConnection::Postgresql(connection) => {
            diesel::sql_query(SQL.replace("{business}", "$1").replace("{as_of}", "$2"))
                .bind::<Text, _>(scope.business_id())
                .bind::<Date, _>(as_of)
                .execute(connection)?
        }
    };
    Ok(changed)
}

/// Flags accounts at risk with the given reasons list, leaving any already flagged.
pub fn flag_at_risk(
    connection: &mut DbConnection,
    scope: &Scope,
    ids: &[String],
    reasons: &str,
    now: NaiveDateTime,
) -> StoreResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(900) {
        changed += diesel::update(
            accounts::table
                .filter(accounts::business_id.eq(scope.business_id()))
                .filter(accounts::id.eq_any(chunk))
                .filter(accounts::at_risk.eq(false)),
        )
        .set((accounts::at_risk.eq(true), accounts::at_risk_reasons.eq(reasons), accounts::updated_at.eq(now)))
        .execute(connection)?;
    }
    Ok(changed)
}

/// Loads the latest snapshots of an account, newest first.
pub fn latest_snapshots(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    limit: i64,
) -> StoreResult<Vec<SnapshotRow>> {
    Ok(health_snapshots::table
        .filter(health_snapshots::business_id.eq(scope.business_id()))
        .filter(health_snapshots::account_id.eq(account_id))
        .order_by(health_snapshots::as_of.desc())
        .limit(limit)
        .select(SnapshotRow::as_select())
        .load(connection)?)
}

/// Loads an account's snapshots from `since` on, oldest first.
pub fn snapshots_since(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    since: NaiveDate,
) -> StoreResult<Vec<SnapshotRow>> {
    Ok(health_snapshots::table
        .filter(health_snapshots::business_id.eq(scope.business_id()))
        .filter(health_snapshots::account_id.eq(account_id))
        .filter(health_snapshots::as_of.ge(since))
        .order_by(health_snapshots::as_of.asc())
        .select(SnapshotRow::as_select())
        .load(connection)?)
}

/// Counts of accounts that have not churned, per health score (null for none yet).
pub fn score_counts(connection: &mut DbConnection, scope: &Scope) -> StoreResult<Vec<(Option<i32>, i64)>> {
    Ok(accounts::table
        .filter(accounts::business_id.eq(scope.business_id()))
        .filter(accounts::stage.ne("churned"))
        .group_by(accounts::health_score)
        .select((accounts::health_score, count_star()))
        .load(connection)?)
}

/// Accounts that have not churned and score under the threshold or are flagged at risk,
/// lowest score first (unscored flagged accounts last), and how many there are.
pub fn at_risk_accounts(
    connection: &mut DbConnection,
    scope: &Scope,
    threshold: i32,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<crate::accounts::AccountRow>, i64)> {
    let query = || {
        accounts::table
            .filter(accounts::business_id.eq(scope.business_id()))
            .filter(accounts::stage.ne("churned"))
            .filter(accounts::health_score.lt(threshold).or(accounts::at_risk.eq(true).nullable()))
    };
    let total = query().count().get_result(connection)?;
    let rows = query()
        .order_by((
            accounts::health_score.is_null(),
            accounts::health_score.asc(),
            accounts::name.asc(),
            accounts::id.asc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(crate::accounts::AccountRow::as_select())
        .load(connection)?;
    Ok((rows, total))
}

/// Returns the date of the business's newest snapshot, if it has any.
pub fn latest_snapshot_date(connection: &mut DbConnection, scope: &Scope) -> StoreResult<Option<NaiveDate>> {
    Ok(health_snapshots::table
        .filter(health_snapshots::business_id.eq(scope.business_id()))
        .select(max(health_snapshots::as_of))
        .first(connection)?)
}
