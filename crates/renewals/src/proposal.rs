//! Renewal proposals: their statuses and the moves between them, and the rules for
//! pricing their lines.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The uplift a business starts with, in percent.
pub const DEFAULT_UPLIFT_PERCENTAGE: i64 = 5;

/// The status of a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Draft,
    Sent,
    Won,
    Lost,
}

impl ProposalStatus {
    pub const ALL: &'static [ProposalStatus] =
        &[ProposalStatus::Draft, ProposalStatus::Sent, ProposalStatus::Won, ProposalStatus::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "draft",
            ProposalStatus::Sent => "sent",
            ProposalStatus::Won => "won",
            ProposalStatus::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<ProposalStatus> {
        ProposalStatus::ALL.iter().copied().find(|status| status.as_str() == text)
    }

    /// Tells whether a proposal may move from this status to `next`: a draft is sent, and
    /// a sent proposal is won or lost.
    pub fn may_move_to(self, next: ProposalStatus) -> bool {
        matches!(
            (self, next),
            (ProposalStatus::Draft, ProposalStatus::Sent)
                | (ProposalStatus::Sent, ProposalStatus::Won)
                | (ProposalStatus::Sent, ProposalStatus::Lost)
        )
    }
}

/// Checks an uplift: 0 to 100 percent with at most two decimals.
pub fn check_uplift(uplift: Decimal) -> Result<Decimal, String> {
    let normalized = uplift.normalize();
    if normalized < Decimal::ZERO || normalized > Decimal::ONE_HUNDRED {
        return Err("must be 0 to 100".into());
    }
    if normalized.scale() > 2 {
        return Err("must have at most two decimals".into());
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_moves() {
        assert!(ProposalStatus::Draft.may_move_to(ProposalStatus::Sent));
        assert!(ProposalStatus::Sent.may_move_to(ProposalStatus::Won));
        assert!(ProposalStatus::Sent.may_move_to(ProposalStatus::Lost));
        assert!(!ProposalStatus::Draft.may_move_to(ProposalStatus::Won));
        assert!(!ProposalStatus::Won.may_move_to(ProposalStatus::Lost));
        assert!(!ProposalStatus::Lost.may_move_to(ProposalStatus::Draft));
        assert!(!ProposalStatus::Sent.may_move_to(ProposalStatus::Draft));
    }

    #[test]
    fn uplift_bounds_and_decimals() {
        let dec = |text: &str| text.parse::<Decimal>().unwrap_or(Decimal::MIN);
        assert_eq!(check_uplift(dec("5.00")), Ok(dec("5")));
        assert_eq!(check_uplift(dec("7.25")), Ok(dec("7.25")));
        assert!(check_uplift(dec("7.255")).is_err());
        assert!(check_uplift(dec("-1")).is_err());
        assert!(check_uplift(dec("100.01")).is_err());
        assert_eq!(check_uplift(dec("100")), Ok(dec("100")));
    }
}
