//! Runs the daily jobs inside `mango-cs serve` at their configured UTC time.
//!
//! Each process that serves also schedules. On PostgreSQL several processes share one
//! database: the job's advisory lock lets one run at a time, and a business whose run for
//! the day already succeeded is skipped, so the day's work is done once.

use std::time::Duration;

use app::jobs::{Job, Trigger};
use app::App;
use chrono::{NaiveDateTime, NaiveTime, Utc};
use tracing::{error, info, warn};

/// A daily schedule: a time of day in UTC, or none when the job is switched off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyAt(pub Option<NaiveTime>);

/// Parses a schedule: `HH:MM` in UTC, or `off`.
pub fn parse_time(text: &str) -> Result<DailyAt, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(DailyAt(None));
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .map(|time| DailyAt(Some(time)))
        .map_err(|_| format!("{text:?} is not a time of day; use HH:MM in UTC, such as 07:30, or off"))
}

/// Returns the first moment at `time` strictly after `now`.
fn next_run(now: NaiveDateTime, time: NaiveTime) -> NaiveDateTime {
    let today = now.date().and_time(time);
    if today > now {
        today
    } else {
        today + chrono::Duration::days(1)
    }
}

/// Starts the loop of one job on the current actix runtime.
pub fn start(app: App, job: Job, time: NaiveTime) {
    info!(job = job.name(), at = %time.format("%H:%M"), "job scheduled daily (UTC)");
    actix_web::rt::spawn(async move {
        loop {
            let now = Utc::now().naive_utc();
            let due = next_run(now, time);
            let wait = (due - now).to_std().unwrap_or(Duration::from_secs(1));
            actix_web::rt::time::sleep(wait).await;
            let app = app.clone();
            let as_of = due.date();
            let outcome =
                actix_web::web::block(move || app.run_job_for_businesses(job, as_of, None, Trigger::Schedule, true))
                    .await;
            match outcome {
                Ok(Ok(runs)) => {
                    for run in runs {
                        if let Err(failure) = run.outcome {
                            warn!(job = job.name(), business = run.slug, error = %failure, "scheduled run did not start");
                        }
                    }
                }
                Ok(Err(failure)) => error!(job = job.name(), error = %failure, "scheduled job could not run"),
                Err(failure) => error!(job = job.name(), error = %failure, "scheduled job thread failed"),
            }
        }
    });
}

/// Seconds between deliveries of due mail, which also retries failed ones.
const MAIL_INTERVAL_SECS: u64 = 30;

/// Starts the loop that delivers due mail, when an SMTP server is configured.
pub fn start_mail(app: App) {
    if app.config().mail.smtp_url.is_none() {
        info!("no MANGO_CS_SMTP_URL: mail stays in the outbox for admins to read");
        return;
    }
    actix_web::rt::spawn(async move {
        loop {
            actix_web::rt::time::sleep(Duration::from_secs(MAIL_INTERVAL_SECS)).await;
            let app = app.clone();
            match actix_web::web::block(move || app.deliver_mail(None)).await {
                Ok(Ok(_)) => {}
                Ok(Err(failure)) => warn!(error = %failure, "mail delivery could not run"),
                Err(failure) => error!(error = %failure, "mail delivery thread failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn next_run_is_today_or_tomorrow() {
        let time = NaiveTime::from_hms_opt(7, 30, 0).unwrap_or_default();
        assert_eq!(next_run(at("2026-06-30 06:00"), time), at("2026-06-30 07:30"));
        assert_eq!(next_run(at("2026-06-30 07:30"), time), at("2026-07-01 07:30"));
        assert_eq!(next_run(at("2026-06-30 23:00"), time), at("2026-07-01 07:30"));
    }

    #[test]
    fn schedules_parse() {
        assert_eq!(parse_time("off"), Ok(DailyAt(None)));
        assert_eq!(parse_time("07:30"), Ok(DailyAt(NaiveTime::from_hms_opt(7, 30, 0))));
        assert!(parse_time("7.30").is_err());
        assert!(parse_time("25:00").is_err());
    }
}
