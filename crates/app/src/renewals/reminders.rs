//! The renewal-reminders job for one business. Every subscription whose days to renewal
//! have reached a threshold of the business's cadence gets one reminder to the account's
//! CSM per (subscription, period end, threshold). It goes in the app and by mail as the
//! CSM's preferences allow.
//!
//! The reminder's system activity carries a unique key, so a run repeated the same day
//! or after a gap sends each threshold at most once. After a gap only the most urgent
//! threshold crossed is sent.

use std::collections::{HashMap, HashSet};

use api_types::notifications::{NotificationChannel, NotificationKind};
use chrono::{NaiveDate, NaiveTime};
use crm_core::money::format_minor;
use crm_core::{ActivityKind, BillingInterval, Stage, SubscriptionStatus};
use renewals::{annual_amount, classify, days_to_renewal, due_threshold, is_urgent, EntryFacts, RenewalStage};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use store::activities::{self as activity_queries, KeyedActivityRow};
use store::notifications as notification_queries;
use store::renewals as renewal_queries;
use store::users as user_queries;
use store::{DbConnection, Scope};

use crate::clock::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::mail::{escape_html, queue, MailSettings, OutgoingMail};
use crate::notifications::{deliver, Outgoing};
use crate::settings::RenewalSettings;

/// Counts of one run, recorded on the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReminderCounts {
    pub reminders: usize,
    pub notifications: usize,
    pub mails: usize,
}

/// One reminder to send.
struct Reminder {
    /// The key without the threshold: one subscription's period.
    key_prefix: String,
    threshold: u32,
    key: String,
    account_id: String,
    csm_id: String,
    subject: String,
    text: String,
    html: String,
}

fn days_text(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "in 1 day".to_owned(),
        _ => format!("in {days} days"),
    }
}

/// Finds and sends the reminders due on `as_of`, inside the caller's transaction.
pub(crate) fn send_reminders(
    connection: &mut DbConnection,
    scope: &Scope,
    as_of: NaiveDate,
    settings: &RenewalSettings,
    threshold: i32,
    mail: &MailSettings,
) -> AppResult<ReminderCounts> {
    let Some(furthest) = settings.reminder_cadence.iter().max().copied() else {
        return Ok(ReminderCounts::default());
    };
    let from = as_of.and_time(NaiveTime::MIN);
    let before = (as_of + chrono::Days::new(u64::from(furthest) + 1)).and_time(NaiveTime::MIN);
    let ending = renewal_queries::subscriptions_ending(connection, scope, from, before, None)?;

    let mut reminders = Vec::new();
    for (subscription, account) in &ending {
        let Some(csm_id) = account.csm_id.clone() else { continue };
        let renewal_date = subscription.current_period_end.date();
        let days = days_to_renewal(as_of, renewal_date);
        let Some(threshold_days) = due_threshold(days, &settings.reminder_cadence) else { continue };
        let status: SubscriptionStatus = subscription
            .status
            .parse()
            .map_err(|_| AppError::Internal(format!("subscription {} has an invalid status", subscription.id)))?;
        let interval: BillingInterval = subscription
            .billing_interval
            .parse()
            .map_err(|_| AppError::Internal(format!("subscription {} has an invalid interval", subscription.id)))?;
        let stage: Stage = account
            .stage
            .parse()
            .map_err(|_| AppError::Internal(format!("account {} has an invalid stage", account.id)))?;
        let (pipeline_stage, reason) = classify(&EntryFacts {
            subscription_status: Some(status),
            cancel_at_period_end: subscription.cancel_at_period_end,
            account_stage: stage,
            account_at_risk: account.at_risk,
            health_score: account.health_score,
            at_risk_threshold: threshold,
        });
        let arr = annual_amount(subscription.unit_amount, subscription.quantity, interval);
        let arr_text = format!(
            "{} {}",
            format_minor(arr.to_i64().unwrap_or(i64::MAX), &subscription.currency),
            subscription.currency
        );
        let when = days_text(days);
        let subject = if pipeline_stage == RenewalStage::Churning {
            format!("Churning {when}: {} ({})", account.name, subscription.plan_name)
        } else if is_urgent(days) {
            format!("Urgent: {} renews {when} ({})", account.name, subscription.plan_name)
        } else {
            format!("{} renews {when} ({})", account.name, subscription.plan_name)
        };
        let outlook = match (pipeline_stage, reason) {
            (RenewalStage::Churning, Some(reason)) => {
                format!("This subscription is not expected to renew ({}).", reason.as_str().replace('_', " "))
            }
            (stage, Some(reason)) => {
                format!("Pipeline stage: {} ({}).", stage.label(), reason.as_str().replace('_', " "))
            }
            (stage, None) => format!("Pipeline stage: {}.", stage.label()),
        };
        let link = format!("{}/accounts/{}", mail.public_url.trim_end_matches('/'), account.id);
        let text = format!(
            "{subject}\n\nAccount: {}\nPlan: {} × {}\nRenewal date: {renewal_date}\nAnnual value: {arr_text}\n{outlook}\n\nOpen the account: {link}\n",
            account.name, subscription.plan_name, subscription.quantity
        );
        let html = format!(
            "<p><strong>{}</strong></p><ul><li>Account: {}</li><li>Plan: {} × {}</li><li>Renewal date: {renewal_date}</li>\
             <li>Annual value: {}</li></ul><p>{}</p><p><a href=\"{}\">Open the account</a></p>",
            escape_html(&subject),
            escape_html(&account.name),
            escape_html(&subscription.plan_name),
            subscription.quantity,
            escape_html(&arr_text),
            escape_html(&outlook),
            escape_html(&link)
        );
        reminders.push(Reminder {
            key_prefix: format!("renewal-reminder:{}:{renewal_date}:", subscription.id),
            threshold: threshold_days,
            key: format!("renewal-reminder:{}:{renewal_date}:{threshold_days}", subscription.id),
            account_id: account.id.clone(),
            csm_id,
            subject,
            text,
            html,
        });
    }

    // A reminder is due unless one as urgent or more went out for the same period, so a
    // run for an earlier date (a backfill) never sends a staler reminder after a newer one.
    let keys: Vec<String> = reminders
        .iter()
        .flat_map(|reminder| {
            settings.reminder_cadence.iter().map(move |threshold| format!("{}{threshold}", reminder.key_prefix))
        })
        .collect();
    let sent: HashSet<String> = activity_queries::existing_keys(connection, scope, &keys)?.into_iter().collect();
    reminders.retain(|reminder| {
        !settings
            .reminder_cadence
            .iter()
            .filter(|threshold| **threshold <= reminder.threshold)
            .any(|threshold| sent.contains(&format!("{}{threshold}", reminder.key_prefix)))
    });
    if reminders.is_empty() {
        return Ok(ReminderCounts::default());
    }

    let users: HashMap<String, (String, bool)> =
        user_queries::all(connection, scope)?.into_iter().map(|user| (user.id, (user.email, user.active))).collect();
    let csm_ids: Vec<String> = users.keys().cloned().collect();
    let no_mail: HashSet<String> = notification_queries::preferences_of(connection, scope, &csm_ids)?
        .into_iter()
        .filter(|row| {
            row.kind == NotificationKind::RenewalReminder.as_str()
                && row.channel == NotificationChannel::Email.as_str()
                && !row.enabled
        })
        .map(|row| row.user_id)
        .collect();

    let at = now();
    let activities: Vec<KeyedActivityRow> = reminders
        .iter()
        .map(|reminder| KeyedActivityRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: reminder.account_id.clone(),
            kind: ActivityKind::System.as_str().to_owned(),
            subject: format!("Renewal reminder sent: {}", reminder.subject),
            body: None,
            occurred_at: at,
            author_id: None,
            created_at: at,
            dedupe_key: reminder.key.clone(),
        })
        .collect();
    activity_queries::insert_keyed(connection, &activities)?;

    let mails: Vec<OutgoingMail> = reminders
        .iter()
        .filter(|reminder| !no_mail.contains(&reminder.csm_id))
        .filter_map(|reminder| {
            let (email, active) = users.get(&reminder.csm_id)?;
            active.then(|| OutgoingMail {
                to: email.clone(),
                subject: reminder.subject.clone(),
                text: reminder.text.clone(),
                html: reminder.html.clone(),
            })
        })
        .collect();
    let mail_count = queue(connection, scope, mails, at)?;
    let outgoing = reminders
        .iter()
        .map(|reminder| Outgoing {
            user_id: reminder.csm_id.clone(),
            kind: NotificationKind::RenewalReminder,
            title: reminder.subject.clone(),
            body: reminder.text.lines().skip(2).take(4).collect::<Vec<_>>().join(" · "),
            account_id: Some(reminder.account_id.clone()),
        })
        .collect();
    let notifications = deliver(connection, scope, outgoing)?;
    Ok(ReminderCounts { reminders: reminders.len(), notifications, mails: mail_count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_naturally() {
        assert_eq!(days_text(0), "today");
        assert_eq!(days_text(1), "in 1 day");
        assert_eq!(days_text(14), "in 14 days");
    }
}
