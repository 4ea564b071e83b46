//! Words and formats shown for API values: roles, reasons, kinds and dates.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use crm_core::{ActivityKind, AtRiskReason, BillingInterval, CustomFieldKind, Role};
use renewals::{ProposalStatus, StageReason};

pub fn role(role: Role) -> &'static str {
    match role {
        Role::Member => "Member",
        Role::Manager => "Manager",
        Role::Admin => "Admin",
        Role::SuperAdmin => "Super admin",
    }
}

// NOTE: crm-core has labels for stages but not for reasons, so these live here.
pub fn at_risk_reason(reason: AtRiskReason) -> &'static str {
    match reason {
        AtRiskReason::LowHealth => "Low health",
        AtRiskReason::LowUsage => "Low usage",
        AtRiskReason::ChampionLeft => "Champion left",
        AtRiskReason::SupportEscalation => "Support escalation",
        AtRiskReason::BudgetCuts => "Budget cuts",
        AtRiskReason::Competitor => "Competitor",
        AtRiskReason::PaymentIssue => "Payment issue",
        AtRiskReason::Other => "Other",
    }
}

pub fn activity_kind(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Email => "Email",
        ActivityKind::Call => "Call",
        ActivityKind::Meeting => "Meeting",
        ActivityKind::Note => "Note",
        ActivityKind::System => "System",
    }
}

pub fn custom_field_kind(kind: CustomFieldKind) -> &'static str {
    match kind {
        CustomFieldKind::Text => "Text",
        CustomFieldKind::Number => "Number",
        CustomFieldKind::Date => "Date",
        CustomFieldKind::Boolean => "Yes / no",
        CustomFieldKind::SingleSelect => "Single select",
    }
}

/// Returns why a renewal is in its stage, in words.
pub fn stage_reason(reason: StageReason) -> &'static str {
    match reason {
        StageReason::Cancelled => "Subscription cancelled",
        StageReason::Churned => "Account churned",
        StageReason::CancelAtPeriodEnd => "Cancels at period end",
        StageReason::PastDue => "Payment past due",
        StageReason::AtRiskFlag => "Flagged at risk",
        StageReason::LowHealth => "Low health",
        StageReason::Expanding => "Account expanding",
    }
}

pub fn proposal_status(status: ProposalStatus) -> &'static str {
    match status {
        ProposalStatus::Draft => "Draft",
        ProposalStatus::Sent => "Sent",
        ProposalStatus::Won => "Won",
        ProposalStatus::Lost => "Lost",
    }
}

pub fn billing_interval(interval: BillingInterval) -> &'static str {
    match interval {
        BillingInterval::Month => "Monthly",
        BillingInterval::Year => "Yearly",
    }
}

/// Formats a count of days ahead: "1 day", "12 days".
pub fn days_left(days: i64) -> String {
    if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

/// Formats a calendar date such as "Mar 4, 2026".
pub fn date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

/// Formats a moment in the browser's time zone, such as "Mar 4, 2026, 14:05".
pub fn date_time(moment: DateTime<Utc>) -> String {
    let local = moment.with_timezone(&local_offset());
    local.format("%b %-d, %Y, %H:%M").to_string()
}

/// Returns the browser's current UTC offset, or UTC outside a browser.
pub fn local_offset() -> FixedOffset {
    #[cfg(target_arch = "wasm32")]
    {
        // getTimezoneOffset is minutes *behind* UTC, so its sign is flipped.
        let minutes = js_sys::Date::new_0().get_timezone_offset();
        FixedOffset::east_opt(-(minutes as i32) * 60).unwrap_or_else(utc)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        utc()
    }
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("zero is a valid offset"))
}

/// Days from `today` to `date`, as words: "in 12 days", "today", "3 days ago".
pub fn days_from(today: NaiveDate, date: NaiveDate) -> String {
    let days = (date - today).num_days();
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// Today's date in the browser's time zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&local_offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_is_short_and_unpadded() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap_or_default();
        assert_eq!(date(day), "Mar 4, 2026");
    }

    #[test]
    fn days_left_counts_days() {
        assert_eq!(days_left(1), "1 day");
        assert_eq!(days_left(12), "12 days");
    }

    #[test]
    fn days_from_reads_naturally() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap_or_default();
        let later = NaiveDate::from_ymd_opt(2026, 3, 16).unwrap_or_default();
        assert_eq!(days_from(today, later), "in 12 days");
        assert_eq!(days_from(later, today), "12 days ago");
        assert_eq!(days_from(today, today), "today");
    }
}
