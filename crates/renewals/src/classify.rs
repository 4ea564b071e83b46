//! The stage of a pipeline entry: churning, at risk, expanding or on track, with the
//! reason. The first rule that matches wins.

use crm_core::{Stage, SubscriptionStatus};
use serde::{Deserialize, Serialize};

/// The stage of a renewal in the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RenewalStage {
    Churning,
    AtRisk,
    Expanding,
    OnTrack,
}

impl RenewalStage {
    pub const ALL: &'static [RenewalStage] =
        &[RenewalStage::Churning, RenewalStage::AtRisk, RenewalStage::Expanding, RenewalStage::OnTrack];

    pub fn as_str(self) -> &'static str {
        match self {
            RenewalStage::Churning => "churning",
            RenewalStage::AtRisk => "at_risk",
            RenewalStage::Expanding => "expanding",
            RenewalStage::OnTrack => "on_track",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RenewalStage::Churning => "Churning",
            RenewalStage::AtRisk => "At risk",
            RenewalStage::Expanding => "Expanding",
            RenewalStage::OnTrack => "On track",
        }
    }
}

/// The rule that put an entry in its stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageReason {
    /// The subscription is cancelled.
    Cancelled,
    /// The account has churned.
    Churned,
    /// The subscription ends with the period.
    CancelAtPeriodEnd,
    /// The subscription's payment is overdue.
    PastDue,
    /// The account is flagged at risk.
    AtRiskFlag,
    /// The health score is under the business's at-risk threshold.
    LowHealth,
    /// The account's stage is expanding.
    Expanding,
}

impl StageReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StageReason::Cancelled => "cancelled",
            StageReason::Churned => "churned",
            StageReason::CancelAtPeriodEnd => "cancel_at_period_end",
            StageReason::PastDue => "past_due",
            StageReason::AtRiskFlag => "at_risk_flag",
            StageReason::LowHealth => "low_health",
            StageReason::Expanding => "expanding",
        }
    }
}

/// The facts of one pipeline entry that its stage depends on. An entry without a
/// subscription (an account renewing by its own renewal date) has no status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryFacts {
    pub subscription_status: Option<SubscriptionStatus>,
    /// Set on the entry's subscription, which ends inside the window by construction.
    pub cancel_at_period_end: bool,
    pub account_stage: Stage,
    pub account_at_risk: bool,
    pub health_score: Option<i32>,
    pub at_risk_threshold: i32,
}

/// Classifies an entry: churning, then at risk, then expanding, else on track.
pub fn classify(facts: &EntryFacts) -> (RenewalStage, Option<StageReason>) {
    if facts.subscription_status == Some(SubscriptionStatus::Cancelled) {
        return (RenewalStage::Churning, Some(StageReason::Cancelled));
    }
    if facts.account_stage == Stage::Churned {
        return (RenewalStage::Churning, Some(StageReason::Churned));
    }
    if facts.cancel_at_period_end {
        return (RenewalStage::Churning, Some(StageReason::CancelAtPeriodEnd));
    }
    if facts.subscription_status == Some(SubscriptionStatus::PastDue) {
        return (RenewalStage::AtRisk, Some(StageReason::PastDue));
    }
    if facts.account_at_risk {
        return (RenewalStage::AtRisk, Some(StageReason::AtRiskFlag));
    }
    if facts.health_score.is_some_and(|score| score < facts.at_risk_threshold) {
        return (RenewalStage::AtRisk, Some(StageReason::LowHealth));
    }
    if facts.account_stage == Stage::Expanding {
        return (RenewalStage::Expanding, Some(StageReason::Expanding));
    }
    (RenewalStage::OnTrack, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calm() -> EntryFacts {
        EntryFacts {
            subscription_status: Some(SubscriptionStatus::Active),
            cancel_at_period_end: false,
            account_stage: Stage::Active,
            account_at_risk: false,
            health_score: Some(80),
            at_risk_threshold: 50,
        }
    }

    #[test]
    fn each_rule_alone() {
        let cases: Vec<(EntryFacts, RenewalStage, Option<StageReason>)> = vec![
            (calm(), RenewalStage::OnTrack, None),
            (
                EntryFacts { subscription_status: Some(SubscriptionStatus::Cancelled), ..calm() },
                RenewalStage::Churning,
                Some(StageReason::Cancelled),
            ),
            (
                EntryFacts { account_stage: Stage::Churned, ..calm() },
                RenewalStage::Churning,
                Some(StageReason::Churned),
            ),
            (
                EntryFacts { cancel_at_period_end: true, ..calm() },
                RenewalStage::Churning,
                Some(StageReason::CancelAtPeriodEnd),
            ),
            (
                EntryFacts { subscription_status: Some(SubscriptionStatus::PastDue), ..calm() },
                RenewalStage::AtRisk,
                Some(StageReason::PastDue),
            ),
            (EntryFacts { account_at_risk: true, ..calm() }, RenewalStage::AtRisk, Some(StageReason::AtRiskFlag)),
            (EntryFacts { health_score: Some(49), ..calm() }, RenewalStage::AtRisk, Some(StageReason::LowHealth)),
            (
                EntryFacts { account_stage: Stage::Expanding, ..calm() },
                RenewalStage::Expanding,
                Some(StageReason::Expanding),
            ),
            (
                EntryFacts { subscription_status: Some(SubscriptionStatus::Trialing), ..calm() },
                RenewalStage::OnTrack,
                None,
            ),
        ];
        for (facts, stage, reason) in cases {
            assert_eq!(classify(&facts), (stage, reason), "{facts:?}");
        }
    }

    #[test]
    fn health_at_threshold_not_low() {
        assert_eq!(classify(&EntryFacts { health_score: Some(50), ..calm() }).0, RenewalStage::OnTrack);
        assert_eq!(classify(&EntryFacts { health_score: None, ..calm() }).0, RenewalStage::OnTrack);
    }

    #[test]
    fn account_entries_without_subscription() {
        let facts = EntryFacts { subscription_status: None, ..calm() };
        assert_eq!(classify(&facts), (RenewalStage::OnTrack, None));
        let facts = EntryFacts { subscription_status: None, account_stage: Stage::Churned, ..calm() };
        assert_eq!(classify(&facts), (RenewalStage::Churning, Some(StageReason::Churned)));
    }

    #[test]
    fn earlier_rules_win() {
        let everything = EntryFacts {
            subscription_status: Some(SubscriptionStatus::Cancelled),
            cancel_at_period_end: true,
            account_stage: Stage::Churned,
            account_at_risk: true,
            health_score: Some(10),
            at_risk_threshold: 50,
        };
        assert_eq!(classify(&everything).1, Some(StageReason::Cancelled));
        let churned = EntryFacts { subscription_status: Some(SubscriptionStatus::PastDue), ..everything };
        assert_eq!(classify(&churned).1, Some(StageReason::Churned));
        let ending = EntryFacts { account_stage: Stage::Expanding, ..churned };
        assert_eq!(classify(&ending).1, Some(StageReason::CancelAtPeriodEnd), "churning outranks at risk");
        let overdue = EntryFacts { cancel_at_period_end: false, ..ending };
        assert_eq!(classify(&overdue).1, Some(StageReason::PastDue));
        let flagged = EntryFacts { subscription_status: Some(SubscriptionStatus::Active), ..overdue };
        assert_eq!(classify(&flagged).1, Some(StageReason::AtRiskFlag));
        let low = EntryFacts { account_at_risk: false, ..flagged };
        assert_eq!(classify(&low).1, Some(StageReason::LowHealth), "at risk outranks expanding");
        let expanding = EntryFacts { health_score: Some(90), ..low };
        assert_eq!(classify(&expanding).1, Some(StageReason::Expanding));
    }
}
