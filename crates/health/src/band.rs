//! Bands of the health distribution on the dashboard.

use serde::{Deserialize, Serialize};

/// The band of the dashboard's distribution a score falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthBand {
    /// 75 and above.
    Healthy,
    /// 50 to 74.
    Ok,
    /// 25 to 49.
    AtRisk,
    /// Under 25.
    Critical,
    /// No score yet.
    Unknown,
}

impl HealthBand {
    pub const ALL: &'static [HealthBand] =
        &[HealthBand::Healthy, HealthBand::Ok, HealthBand::AtRisk, HealthBand::Critical, HealthBand::Unknown];

    pub fn of(score: Option<i32>) -> Self {
        match score {
            None => HealthBand::Unknown,
            Some(75..) => HealthBand::Healthy,
            Some(50..=74) => HealthBand::Ok,
            Some(25..=49) => HealthBand::AtRisk,
            Some(_) => HealthBand::Critical,
        }
    }

    /// Returns the lowest score in the band, for queries, or `None` for Unknown.
    pub fn floor(self) -> Option<i32> {
        match self {
            HealthBand::Healthy => Some(75),
            HealthBand::Ok => Some(50),
            HealthBand::AtRisk => Some(25),
            HealthBand::Critical => Some(0),
            HealthBand::Unknown => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HealthBand::Healthy => "Healthy",
            HealthBand::Ok => "OK",
            HealthBand::AtRisk => "At risk",
            HealthBand::Critical => "Critical",
            HealthBand::Unknown => "Unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges() {
        assert_eq!(HealthBand::of(Some(100)), HealthBand::Healthy);
        assert_eq!(HealthBand::of(Some(75)), HealthBand::Healthy);
        assert_eq!(HealthBand::of(Some(74)), HealthBand::Ok);
        assert_eq!(HealthBand::of(Some(50)), HealthBand::Ok);
        assert_eq!(HealthBand::of(Some(49)), HealthBand::AtRisk);
        assert_eq!(HealthBand::of(Some(25)), HealthBand::AtRisk);
        assert_eq!(HealthBand::of(Some(24)), HealthBand::Critical);
        assert_eq!(HealthBand::of(Some(0)), HealthBand::Critical);
        assert_eq!(HealthBand::of(None), HealthBand::Unknown);
    }
}
