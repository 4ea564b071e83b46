//! Renewals: which renewals fall in a 30, 60 or 90-day window, how each is classified,
//! what a subscription is worth a year, the uplifted price of a renewal proposal, which
//! reminder is due and which accounts show an expansion signal.
//!
//! Every function takes the date it reasons about (`as_of`) or day counts computed from
//! it, so the pipeline, its CSV, the reminder job and the tests agree.

mod classify;
mod proposal;
mod reminders;

use chrono::NaiveDate;
use crm_core::BillingInterval;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub use classify::{classify, EntryFacts, RenewalStage, StageReason};
pub use proposal::{check_uplift, ProposalStatus, DEFAULT_UPLIFT_PERCENTAGE};
pub use reminders::{check_cadence, due_threshold, is_urgent, CadenceError, DEFAULT_CADENCE, URGENT_DAYS};

/// A look-ahead window of the renewal pipeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RenewalWindow {
    #[serde(rename = "30")]
    Days30,
    #[serde(rename = "60")]
    Days60,
    #[default]
    #[serde(rename = "90")]
    Days90,
}

impl RenewalWindow {
    pub const ALL: &'static [RenewalWindow] = &[RenewalWindow::Days30, RenewalWindow::Days60, RenewalWindow::Days90];

    pub fn days(self) -> i64 {
        match self {
            RenewalWindow::Days30 => 30,
            RenewalWindow::Days60 => 60,
            RenewalWindow::Days90 => 90,
        }
    }

    /// Parses `30`, `60` or `90`.
    pub fn from_days(days: i64) -> Option<RenewalWindow> {
        RenewalWindow::ALL.iter().copied().find(|window| window.days() == days)
    }

    /// Tells whether a renewal `days_to_renewal` days after `as_of` falls in the window,
    /// which runs from the day after `as_of` to its last day inclusive.
    pub fn contains(self, days_to_renewal: i64) -> bool {
        (1..=self.days()).contains(&days_to_renewal)
    }
}

/// Returns the whole calendar days from `as_of` to the renewal date.
pub fn days_to_renewal(as_of: NaiveDate, renewal_date: NaiveDate) -> i64 {
    (renewal_date - as_of).num_days()
}

/// Returns the annual recurring revenue of a subscription in its currency's minor units:
/// the unit price times the quantity, times 12 for monthly billing.
pub fn annual_amount(unit_amount: i64, quantity: i32, interval: BillingInterval) -> Decimal {
    let per_period = Decimal::from(unit_amount) * Decimal::from(quantity);
    match interval {
        BillingInterval::Month => per_period * Decimal::from(12),
        BillingInterval::Year => per_period,
    }
}

/// Returns a unit price in minor units raised by `uplift_percentage`, rounded half to
/// even to a whole minor unit, the smallest amount the currency can express.
pub fn uplifted_unit_amount(unit_amount: i64, uplift_percentage: Decimal) -> Decimal {
    let factor = Decimal::ONE + uplift_percentage / Decimal::ONE_HUNDRED;
    (Decimal::from(unit_amount) * factor).round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
}

/// The health score from which an account renewing soon is ready to expand.
pub const EXPANSION_HEALTH: i32 = 75;

/// Tells whether a healthy account renewing in 30 to 90 days shows an expansion signal.
pub fn expansion_ready_renewal(health_score: Option<i32>, days_to_renewal: i64) -> bool {
    health_score.is_some_and(|score| score >= EXPANSION_HEALTH) && (30..=90).contains(&days_to_renewal)
}

/// Tells whether an account with a champion has gone quiet: no non-system activity in
/// the 30 days up to `as_of` (its latest is 30 or more days old), or none ever.
pub fn dormant_champion(has_champion: bool, days_since_activity: Option<i64>) -> bool {
    has_champion && days_since_activity.is_none_or(|days| days >= 30)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap_or(Decimal::MIN)
    }

    #[test]
    fn window_edges() {
        for window in RenewalWindow::ALL {
            assert!(!window.contains(0), "the day of as_of is not ahead");
            assert!(window.contains(1), "the next day is in every window");
            assert!(window.contains(window.days()), "the last day is in");
            assert!(!window.contains(window.days() + 1), "one past the last day is out");
            assert!(!window.contains(-3));
        }
        assert_eq!(RenewalWindow::from_days(60), Some(RenewalWindow::Days60));
        assert_eq!(RenewalWindow::from_days(45), None);
        assert_eq!(RenewalWindow::default(), RenewalWindow::Days90);
    }

    #[test]
    fn days_count_calendar_days() {
        let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
        let renewal = NaiveDate::from_ymd_opt(2026, 7, 30).unwrap_or_default();
        assert_eq!(days_to_renewal(as_of, renewal), 30);
        assert_eq!(days_to_renewal(renewal, as_of), -30);
    }

    #[test]
    fn annual_amount_of_monthly_and_yearly() {
        assert_eq!(annual_amount(4900, 10, BillingInterval::Month), Decimal::from(588_000));
        assert_eq!(annual_amount(120_000, 3, BillingInterval::Year), Decimal::from(360_000));
        assert_eq!(annual_amount(1_000, 0, BillingInterval::Month), Decimal::ZERO);
    }

    #[test]
    fn uplift_rounds_half_to_even_minor_units() {
        // 5% of 4,900 cents is exactly 245: 5,145.
        assert_eq!(uplifted_unit_amount(4_900, dec("5")), Decimal::from(5_145));
        // 5% of 10 is 0.5: 10.5 rounds to the even 10, 11.55 → 12 (not a tie).
        assert_eq!(uplifted_unit_amount(10, dec("5")), Decimal::from(10));
        assert_eq!(uplifted_unit_amount(30, dec("5")), Decimal::from(32), "31.5 rounds to the even 32");
        assert_eq!(uplifted_unit_amount(11, dec("5")), Decimal::from(12));
        // 2.5% of 1,000 yen is 25: 1,025 yen, whole yen being the minor unit.
        assert_eq!(uplifted_unit_amount(1_000, dec("2.5")), Decimal::from(1_025));
        assert_eq!(uplifted_unit_amount(1_001, dec("0")), Decimal::from(1_001));
        assert_eq!(uplifted_unit_amount(999, dec("100")), Decimal::from(1_998));
    }

    #[test]
    fn expansion_signals() {
        assert!(expansion_ready_renewal(Some(75), 30));
        assert!(expansion_ready_renewal(Some(90), 90));
        assert!(!expansion_ready_renewal(Some(74), 60));
        assert!(!expansion_ready_renewal(Some(80), 29));
        assert!(!expansion_ready_renewal(Some(80), 91));
        assert!(!expansion_ready_renewal(None, 60));

        assert!(dormant_champion(true, None));
        assert!(dormant_champion(true, Some(30)));
        assert!(!dormant_champion(true, Some(29)));
        assert!(!dormant_champion(false, None));
    }
}
