//! The composite health score of an account: four components computed from signals, their
//! weights, a narrative per component, the overall score and the at-risk rule.
//!
//! Every function takes the snapshot date (`as_of`) and already-gathered signals, so the
//! nightly job, the API and tests compute the same numbers. Day counts are whole calendar
//! days in UTC; the caller leaves out signals dated after `as_of`.

mod band;
mod components;
mod weights;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

pub use band::HealthBand;
pub use components::{contract_risk, sentiment, support, usage, SurveySignals, TicketSignals};
pub use weights::{WeightError, Weights};

/// The score of an account with no signal at all, and of every account before its first
/// snapshot is taken.
pub const NEUTRAL_SCORE: i32 = 50;

/// Reopens count when they fall in this many days up to and including `as_of`.
pub const REOPEN_WINDOW_DAYS: u32 = 30;

/// Survey responses count when they fall in this many days up to and including `as_of`.
pub const SURVEY_WINDOW_DAYS: u32 = 365;

/// An open ticket older than this many days costs the support component extra.
pub const STALE_TICKET_DAYS: i64 = 30;

/// The at-risk threshold a business starts with.
pub const DEFAULT_AT_RISK_THRESHOLD: i32 = 50;

/// Returns the first day of a window of `days` calendar days ending on `as_of` inclusive.
pub fn window_start(as_of: NaiveDate, days: u32) -> NaiveDate {
    as_of - chrono::Days::new(u64::from(days.saturating_sub(1)))
}

/// One of the four parts of the health score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Usage,
    Support,
    Sentiment,
    ContractRisk,
}

impl Component {
    pub const ALL: &'static [Component] =
        &[Component::Usage, Component::Support, Component::Sentiment, Component::ContractRisk];

    pub fn as_str(self) -> &'static str {
        match self {
            Component::Usage => "usage",
            Component::Support => "support",
            Component::Sentiment => "sentiment",
            Component::ContractRisk => "contract_risk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Component::Usage => "Usage",
            Component::Support => "Support",
            Component::Sentiment => "Sentiment",
            Component::ContractRisk => "Contract risk",
        }
    }
}

/// The result of one component: its score (none when the account has no signal for it),
/// a one-line narrative and the raw inputs the score came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentScore {
    /// 0 to 100, rounded to two decimals for display; `None` means no input.
    pub score: Option<Decimal>,
    pub narrative: String,
    pub inputs: serde_json::Value,
}

impl ComponentScore {
    pub(crate) fn scored(exact: Decimal, narrative: String, inputs: serde_json::Value) -> (Self, Option<Decimal>) {
        let shown = exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        (Self { score: Some(shown), narrative, inputs }, Some(exact))
    }

    pub(crate) fn no_input(narrative: &str, inputs: serde_json::Value) -> (Self, Option<Decimal>) {
        (Self { score: None, narrative: narrative.to_owned(), inputs }, None)
    }
}

/// A component as a snapshot keeps it: the score, the weight it had and what it was based on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedComponent {
    pub score: Option<Decimal>,
    pub weight: u32,
    pub narrative: String,
    pub inputs: serde_json::Value,
}

/// The whole health score of one account on one date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub overall: i32,
    /// True when no component with a weight had input, so the overall score is the neutral
    /// 50 and carries no information about the account.
    pub neutral: bool,
    pub components: BTreeMap<Component, WeightedComponent>,
}

/// Every signal of one account that the score reads, already limited to `as_of`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Signals {
    /// Date of the latest activity that is not a system entry, or of the latest usage event.
    pub last_activity: Option<NaiveDate>,
    pub tickets: TicketSignals,
    pub surveys: SurveySignals,
    pub champion_contacts: u32,
    pub detractor_contacts: u32,
    /// The earliest `current_period_end` among subscriptions that are not cancelled.
    pub earliest_period_end: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
}

/// Computes the breakdown of one account for `as_of`.
///
/// The overall score is the weighted mean of the components that have input, with exact
/// component values (not the rounded ones shown), rounded half up to an integer.
pub fn score(as_of: NaiveDate, signals: &Signals, weights: &Weights) -> Breakdown {
    let parts = [
        (Component::Usage, usage(as_of, signals.last_activity)),
        (Component::Support, support(as_of, &signals.tickets)),
        (Component::Sentiment, sentiment(&signals.surveys, signals.champion_contacts, signals.detractor_contacts)),
        (Component::ContractRisk, contract_risk(as_of, signals.earliest_period_end, signals.renewal_date)),
    ];

    let mut weighted_sum = Decimal::ZERO;
    let mut weight_sum = Decimal::ZERO;
    let mut components = BTreeMap::new();
    for (component, (shown, exact)) in parts {
        let weight = weights.of(component);
        if let Some(exact) = exact {
            weighted_sum += exact * Decimal::from(weight);
            weight_sum += Decimal::from(weight);
        }
        components.insert(
            component,
            WeightedComponent { score: shown.score, weight, narrative: shown.narrative, inputs: shown.inputs },
        );
    }

    let (overall, neutral) = if weight_sum.is_zero() {
        (NEUTRAL_SCORE, true)
    } else {
        let mean = (weighted_sum / weight_sum).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        (mean.to_i32().unwrap_or(NEUTRAL_SCORE), false)
    };
    Breakdown { overall, neutral, components }
}

/// Tells whether a new snapshot flags the account at risk: a score with input at or under
/// the threshold, on an account in a live stage that is not flagged yet.
pub fn flags_at_risk(breakdown: &Breakdown, threshold: i32, stage: crm_core::Stage, already_flagged: bool) -> bool {
    use crm_core::Stage;
    !breakdown.neutral
        && breakdown.overall <= threshold
        && matches!(stage, Stage::Active | Stage::Renewal | Stage::Expanding)
        && !already_flagged
}

/// Returns the whole calendar days from `from` to `to`, negative when `to` is earlier.
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Formats a count with its noun: "1 ticket", "3 tickets".
pub(crate) fn plural(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::Stage;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn no_signal_at_all_is_neutral() {
        let breakdown = score(date("2026-06-30"), &Signals::default(), &Weights::default());
        assert_eq!(breakdown.overall, 50);
        assert!(breakdown.neutral);
        assert!(breakdown.components.values().all(|c| c.score.is_none()));
        assert!(!flags_at_risk(&breakdown, 60, Stage::Active, false));
    }

    #[test]
    fn overall_weighs_components_with_input() {
        let as_of = date("2026-06-30");
        let signals = Signals {
            // 12 days: 100 × 48 / 53 = 90.566…
            last_activity: Some(date("2026-06-18")),
            // 24 days to renewal: 20.
            renewal_date: Some(date("2026-07-24")),
            ..Signals::default()
        };
        let breakdown = score(as_of, &signals, &Weights::default());
        // (90.566… × 35 + 20 × 35) / 70 = 55.28…
        assert_eq!(breakdown.overall, 55);
        assert!(!breakdown.neutral);
        let usage = &breakdown.components[&Component::Usage];
        assert_eq!(usage.score, Some("90.57".parse().unwrap_or_default()));
        assert_eq!(usage.weight, 35);
        assert_eq!(breakdown.components[&Component::Support].score, None);
    }

    #[test]
    fn overall_rounds_half_up() {
        let as_of = date("2026-06-30");
        // Usage 100 and contract risk 0 weigh the same: the mean is exactly 50.
        let weights = Weights { usage: 1, support: 0, sentiment: 0, contract_risk: 1 };
        let signals = Signals { last_activity: Some(as_of), renewal_date: Some(as_of), ..Signals::default() };
        assert_eq!(score(as_of, &signals, &weights).overall, 50);
        // (100 × 101 + 0 × 99) / 200 = 50.5 rounds up to 51.
        let weights = Weights { usage: 101, support: 0, sentiment: 0, contract_risk: 99 };
        assert_eq!(score(as_of, &signals, &weights).overall, 51);
    }

    #[test]
    fn zero_weighted_input_alone_is_neutral() {
        let as_of = date("2026-06-30");
        let weights = Weights { usage: 0, support: 50, sentiment: 50, contract_risk: 50 };
        let signals = Signals { last_activity: Some(as_of), ..Signals::default() };
        let breakdown = score(as_of, &signals, &weights);
        assert!(breakdown.neutral);
        assert_eq!(breakdown.overall, 50);
    }

    #[test]
    fn at_risk_rule_conditions() {
        let as_of = date("2026-06-30");
        let signals = Signals { renewal_date: Some(as_of), ..Signals::default() };
        let breakdown = score(as_of, &signals, &Weights::default());
        assert_eq!(breakdown.overall, 0);
        assert!(flags_at_risk(&breakdown, 50, Stage::Active, false));
        assert!(flags_at_risk(&breakdown, 50, Stage::Renewal, false));
        assert!(flags_at_risk(&breakdown, 50, Stage::Expanding, false));
        assert!(!flags_at_risk(&breakdown, 50, Stage::Onboarding, false));
        assert!(!flags_at_risk(&breakdown, 50, Stage::Prospect, false));
        assert!(!flags_at_risk(&breakdown, 50, Stage::Churned, false));
        assert!(!flags_at_risk(&breakdown, 50, Stage::Active, true));
    }

    #[test]
    fn threshold_is_inclusive() {
        let as_of = date("2026-06-30");
        let weights = Weights { usage: 1, support: 0, sentiment: 0, contract_risk: 1 };
        let signals = Signals { last_activity: Some(as_of), renewal_date: Some(as_of), ..Signals::default() };
        let breakdown = score(as_of, &signals, &weights);
        assert_eq!(breakdown.overall, 50);
        assert!(flags_at_risk(&breakdown, 50, Stage::Active, false));
        assert!(!flags_at_risk(&breakdown, 49, Stage::Active, false));
    }

    #[test]
    fn windows_include_as_of() {
        assert_eq!(window_start(date("2026-06-30"), 30), date("2026-06-01"));
        assert_eq!(window_start(date("2026-06-30"), 1), date("2026-06-30"));
    }
}
