//! Lifecycle stages and at-risk reasons of an account.

use crate::closed_set::closed_set;

closed_set! {
    /// Lifecycle stage of an account, from first contact to churn.
    pub enum Stage {
        Prospect => "prospect",
        Onboarding => "onboarding",
        Active => "active",
        Renewal => "renewal",
        Expanding => "expanding",
        Churned => "churned",
    }
}

impl Stage {
    /// Human-readable label for timelines and screens.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Prospect => "Prospect",
            Stage::Onboarding => "Onboarding",
            Stage::Active => "Active",
            Stage::Renewal => "Renewal",
            Stage::Expanding => "Expanding",
            Stage::Churned => "Churned",
        }
    }
}

closed_set! {
    /// Reason an account is flagged at risk. An account may have several.
    pub enum AtRiskReason {
        LowHealth => "low_health",
        LowUsage => "low_usage",
        ChampionLeft => "champion_left",
        SupportEscalation => "support_escalation",
        BudgetCuts => "budget_cuts",
        Competitor => "competitor",
        PaymentIssue => "payment_issue",
        Other => "other",
    }
}

/// Sorts reasons and drops repeats, so the stored list has one canonical form.
pub fn normalize_reasons(reasons: &[AtRiskReason]) -> Vec<AtRiskReason> {
    let mut normalized = reasons.to_vec();
    normalized.sort();
    normalized.dedup();
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_round_trips() {
        for stage in Stage::ALL {
            assert_eq!(stage.as_str().parse::<Stage>(), Ok(*stage));
        }
    }

    #[test]
    fn reasons_are_deduplicated_and_sorted() {
        let reasons = normalize_reasons(&[AtRiskReason::Other, AtRiskReason::LowHealth, AtRiskReason::Other]);
        assert_eq!(reasons, vec![AtRiskReason::LowHealth, AtRiskReason::Other]);
    }

    #[test]
    fn unknown_stage_names_the_choices() {
        let error = "live".parse::<Stage>().err().map(|error| error.to_string()).unwrap_or_default();
        assert!(error.contains("prospect, onboarding"), "{error}");
    }
}
