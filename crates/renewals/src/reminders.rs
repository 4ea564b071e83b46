//! Renewal reminders: which threshold of the business's cadence is due for a renewal.

/// Days before a renewal at which reminders go out, when the business sets none.
pub const DEFAULT_CADENCE: &[u32] = &[90, 60, 30, 14];

/// Reminders at or under this many days to renewal are marked urgent.
pub const URGENT_DAYS: i64 = 14;

/// Returns the threshold a reminder is due for: the smallest threshold at or above the
/// days left, so a run after a gap sends the most urgent reminder crossed and skips the
/// older ones. Nothing is due once the renewal date has passed or before the first
/// threshold is reached.
pub fn due_threshold(days_to_renewal: i64, cadence: &[u32]) -> Option<u32> {
    if days_to_renewal < 0 {
        return None;
    }
    cadence.iter().copied().filter(|threshold| i64::from(*threshold) >= days_to_renewal).min()
}

pub fn is_urgent(days_to_renewal: i64) -> bool {
    days_to_renewal <= URGENT_DAYS
}

/// A cadence rule that a setting breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CadenceError(pub String);

/// Checks and normalises a cadence: each threshold 1 to 365 days, sorted from the
/// earliest reminder (most days) down, without repeats.
pub fn check_cadence(cadence: &[u32]) -> Result<Vec<u32>, CadenceError> {
    if let Some(bad) = cadence.iter().find(|days| !(1..=365).contains(*days)) {
        return Err(CadenceError(format!("{bad} is not 1 to 365 days")));
    }
    let mut normalized = cadence.to_vec();
    normalized.sort_unstable_by(|a, b| b.cmp(a));
    normalized.dedup();
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_threshold_most_urgent_crossed() {
        assert_eq!(due_threshold(120, DEFAULT_CADENCE), None, "no threshold reached yet");
        assert_eq!(due_threshold(91, DEFAULT_CADENCE), None);
        assert_eq!(due_threshold(90, DEFAULT_CADENCE), Some(90));
        assert_eq!(due_threshold(61, DEFAULT_CADENCE), Some(90));
        assert_eq!(due_threshold(60, DEFAULT_CADENCE), Some(60));
        assert_eq!(due_threshold(20, DEFAULT_CADENCE), Some(30), "after a gap, 90 and 60 are skipped");
        assert_eq!(due_threshold(14, DEFAULT_CADENCE), Some(14));
        assert_eq!(due_threshold(0, DEFAULT_CADENCE), Some(14), "renewing today");
        assert_eq!(due_threshold(-1, DEFAULT_CADENCE), None, "the renewal has passed");
        assert_eq!(due_threshold(10, &[]), None);
    }

    #[test]
    fn urgency_starts_at_14_days() {
        assert!(is_urgent(14));
        assert!(!is_urgent(15));
    }

    #[test]
    fn cadences_are_checked_and_sorted() {
        assert_eq!(check_cadence(&[14, 90, 30, 90]), Ok(vec![90, 30, 14]));
        assert_eq!(check_cadence(&[]), Ok(vec![]));
        assert!(check_cadence(&[0]).is_err());
        assert!(check_cadence(&[366]).is_err());
    }
}
