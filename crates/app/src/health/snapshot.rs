//! The health-snapshot job for one business: gather every signal with grouped queries,
//! score each account, write the snapshots in batches, copy the scores to the accounts and
//! flag the accounts that fell to the at-risk threshold.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use crm_core::{ActivityKind, AtRiskReason, Stage, TicketStatus};
use health::{Breakdown, Signals, SurveySignals, REOPEN_WINDOW_DAYS, SURVEY_WINDOW_DAYS};
use serde::Serialize;
use store::activities::{self as activity_queries, ActivityRow};
use store::health::{self as queries, ScoredAccount, SnapshotRow, SNAPSHOT_BATCH_ROWS};
use store::{DbConnection, Scope};
use tracing::debug;

use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::notifications::{deliver, Outgoing};
use crate::settings::HealthSettings;
use api_types::notifications::NotificationKind;

/// Counts of one run, recorded on the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SnapshotCounts {
    pub accounts_scored: usize,
    /// Accounts without any weighted signal, scored the neutral 50.
    pub accounts_neutral: usize,
    pub accounts_flagged: usize,
    pub notifications: usize,
}

/// Midnight at the start of a date, the bound of timestamp ranges.
fn start_of(date: NaiveDate) -> NaiveDateTime {
    date.and_time(chrono::NaiveTime::MIN)
}

/// Reads every signal of the business's live accounts as of `as_of`.
fn gather(
    connection: &mut DbConnection,
    scope: &Scope,
    accounts: &[ScoredAccount],
    as_of: NaiveDate,
    phases: &mut Phases,
) -> AppResult<HashMap<String, Signals>> {
    let before = start_of(as_of + chrono::Days::new(1));
    let mut signals: HashMap<String, Signals> = accounts
        .iter()
        .map(|account| (account.id.clone(), Signals { renewal_date: account.renewal_date, ..Signals::default() }))
        .collect();
    // Rows of accounts that are not scored (churned ones) are skipped.
    let mut with = |account_id: &str, apply: &mut dyn FnMut(&mut Signals)| {
        if let Some(entry) = signals.get_mut(account_id) {
            apply(entry);
        }
    };

    let engagement = queries::last_engagement(connection, scope, before)?
        .into_iter()
        .chain(queries::last_usage(connection, scope, before)?);
    for (account_id, latest) in engagement {
        let Some(latest) = latest.map(|at| at.date()) else { continue };
        with(&account_id, &mut |entry| {
            entry.last_activity = Some(entry.last_activity.map_or(latest, |known| known.max(latest)));
        });
    }
    phases.done("engagement");

    let open: Vec<&str> = TicketStatus::OPEN.iter().map(TicketStatus::as_str).collect();
    for stats in queries::ticket_stats(connection, scope, &open, before)? {
        with(&stats.account_id, &mut |entry| {
            entry.tickets.total = count(stats.total);
            entry.tickets.open = count(stats.open);
            entry.tickets.oldest_open = stats.oldest_open.map(|at| at.date());
        });
    }
    let reopen_start = start_of(health::window_start(as_of, REOPEN_WINDOW_DAYS));
    for (account_id, reopens) in queries::recent_reopens(connection, scope, reopen_start)? {
        let times: Vec<NaiveDateTime> = store::from_json_text("support_tickets.reopened_at", &reopens)?;
        let in_window = times.iter().filter(|at| **at >= reopen_start && **at < before).count();
        with(&account_id, &mut |entry| {
            entry.tickets.reopens += u32::try_from(in_window).unwrap_or(u32::MAX);
        });
    }
    phases.done("tickets");

    let survey_start = start_of(health::window_start(as_of, SURVEY_WINDOW_DAYS));
    for stats in queries::survey_stats(connection, scope, survey_start, before)? {
        with(&stats.account_id, &mut |entry| {
            entry.surveys = SurveySignals {
                nps_responses: count(stats.nps_responses),
                promoters: count(stats.promoters),
                detractors: count(stats.detractors),
                csat_responses: count(stats.csat_responses),
                csat_satisfied: count(stats.csat_satisfied),
            };
        });
    }
    phases.done("surveys");

    for voices in queries::contact_voices(connection, scope)? {
        with(&voices.account_id, &mut |entry| {
            entry.champion_contacts = count(voices.champions);
            entry.detractor_contacts = count(voices.detractors);
        });
    }
    for (account_id, end) in queries::earliest_period_ends(connection, scope)? {
        with(&account_id, &mut |entry| entry.earliest_period_end = end.map(|at| at.date()));
    }
    phases.done("contacts_and_subscriptions");
    Ok(signals)
}

/// Milliseconds each step of a run took, logged at debug level to find slow steps.
struct Phases {
    last: Instant,
    spent: Vec<(&'static str, u128)>,
}

impl Phases {
    fn start() -> Self {
        Self { last: Instant::now(), spent: Vec::new() }
    }

    fn done(&mut self, phase: &'static str) {
        let now = Instant::now();
        self.spent.push((phase, (now - self.last).as_millis()));
        self.last = now;
    }

    fn report(&self) -> String {
        self.spent.iter().map(|(phase, ms)| format!("{phase}={ms}ms")).collect::<Vec<_>>().join(" ")
    }
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// An account the run flags at risk, with its new score.
struct Flagged<'a> {
    account: &'a ScoredAccount,
    score: i32,
}

/// Computes and stores the snapshots of one business for `as_of`, inside the caller's
/// transaction.
pub(crate) fn take_snapshots(
    connection: &mut DbConnection,
    scope: &Scope,
    as_of: NaiveDate,
    settings: &HealthSettings,
) -> AppResult<SnapshotCounts> {
    let mut phases = Phases::start();
    let accounts = queries::accounts_to_score(connection, scope)?;
    phases.done("load_accounts");
    let signals = gather(connection, scope, &accounts, as_of, &mut phases)?;
    // A run for a date older than the newest snapshot fills in history: it must not flag
    // accounts or notify anyone from data that is no longer current.
    let backfill = queries::latest_snapshot_date(connection, scope)?.is_some_and(|latest| latest > as_of);
    let at = now();
    let mut counts = SnapshotCounts::default();
    let mut rows = Vec::with_capacity(accounts.len());
    let mut flagged = Vec::new();

    for account in &accounts {
        let breakdown: Breakdown =
            health::score(as_of, signals.get(&account.id).unwrap_or(&Signals::default()), &settings.weights);
        let stage: Stage = account.stage.parse().map_err(|_| {
            AppError::Internal(format!("account {} has the unknown stage {:?}", account.id, account.stage))
        })?;
        if !backfill && health::flags_at_risk(&breakdown, settings.at_risk_threshold, stage, account.at_risk) {
            flagged.push(Flagged { account, score: breakdown.overall });
        }
        counts.accounts_scored += 1;
        counts.accounts_neutral += usize::from(breakdown.neutral);
        rows.push(SnapshotRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: account.id.clone(),
            as_of,
            overall: breakdown.overall,
            neutral: breakdown.neutral,
            components: store::to_json_text(&breakdown.components)?,
            created_at: at,
            updated_at: at,
        });
    }
    phases.done("score");
    for chunk in rows.chunks(SNAPSHOT_BATCH_ROWS) {
        queries::upsert_snapshots(connection, chunk)?;
    }
    phases.done("write_snapshots");
    queries::copy_latest_scores(connection, scope, as_of)?;
    phases.done("copy_scores");

    counts.accounts_flagged = flag(connection, scope, &flagged, settings.at_risk_threshold, at)?;
    phases.done("flag");
    counts.notifications = notify(connection, scope, &flagged)?;
    phases.done("notify");
    debug!(phases = %phases.report(), "health snapshot timings");
    Ok(counts)
}

/// Flags the accounts, adding `low_health` to the reasons each already lists, and writes
/// a system entry on each timeline.
fn flag(
    connection: &mut DbConnection,
    scope: &Scope,
    flagged: &[Flagged],
    threshold: i32,
    at: NaiveDateTime,
) -> AppResult<usize> {
    // Accounts sharing the same resulting reasons list are flagged by one statement.
    let mut by_reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in flagged {
        let mut reasons: Vec<AtRiskReason> =
            store::from_json_text("accounts.at_risk_reasons", &item.account.at_risk_reasons)?;
        reasons.push(AtRiskReason::LowHealth);
        let reasons = crm_core::stage::normalize_reasons(&reasons);
        by_reasons.entry(store::to_json_text(&reasons)?).or_default().push(item.account.id.clone());
    }
    let mut changed = 0;
    for (reasons, ids) in &by_reasons {
        changed += queries::flag_at_risk(connection, scope, ids, reasons, at)?;
    }
    let entries: Vec<ActivityRow> = flagged
        .iter()
        .map(|item| ActivityRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: item.account.id.clone(),
            kind: ActivityKind::System.as_str().to_owned(),
            subject: format!("Flagged at risk: health {} is at or under {threshold}", item.score),
            body: Some(format!("{} by the health-snapshot job; reason low_health", change_text(item))),
            occurred_at: at,
            author_id: None,
            created_at: at,
        })
        .collect();
    for chunk in entries.chunks(1_000) {
        activity_queries::insert_many(connection, chunk)?;
    }
    Ok(changed)
}

/// "Health 62 → 45", or "Health 45" for a first score.
fn change_text(item: &Flagged) -> String {
    match item.account.health_score {
        Some(previous) => format!("Health {previous} → {}", item.score),
        None => format!("Health {}", item.score),
    }
}

/// Tells each flagged account's CSM, where their preferences allow.
fn notify(connection: &mut DbConnection, scope: &Scope, flagged: &[Flagged]) -> AppResult<usize> {
    let outgoing = flagged
        .iter()
        .filter_map(|item| {
            item.account.csm_id.as_ref().map(|csm_id| Outgoing {
                user_id: csm_id.clone(),
                kind: NotificationKind::AccountAtRisk,
                title: format!("{} is at risk", item.account.name),
                body: change_text(item),
                account_id: Some(item.account.id.clone()),
            })
        })
        .collect();
    deliver(connection, scope, outgoing)
}
