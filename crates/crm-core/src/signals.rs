//! Records kept from the sibling apps (service desk, surveys, billing, product usage) and
//! the rules for tying them to an account.

use crate::closed_set::closed_set;

closed_set! {
    /// Status of a support ticket, as the service desk reports it.
    pub enum TicketStatus {
        Open => "open",
        Pending => "pending",
        OnHold => "on_hold",
        Solved => "solved",
        Closed => "closed",
    }
}

impl TicketStatus {
    /// The statuses that still need work from the support team.
    pub const OPEN: &'static [TicketStatus] = &[TicketStatus::Open, TicketStatus::Pending, TicketStatus::OnHold];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

closed_set! {
    /// Kind of survey a response answers.
    pub enum SurveyKind {
        /// Net Promoter Score, 0 to 10.
        Nps => "nps",
        /// Customer satisfaction, 1 to 5.
        Csat => "csat",
    }
}

impl SurveyKind {
    /// Returns the lowest and highest score a response of this kind may carry.
    pub fn score_range(self) -> std::ops::RangeInclusive<i32> {
        match self {
            SurveyKind::Nps => 0..=10,
            SurveyKind::Csat => 1..=5,
        }
    }
}

closed_set! {
    /// Status of a billing subscription.
    pub enum SubscriptionStatus {
        Trialing => "trialing",
        Active => "active",
        PastDue => "past_due",
        Cancelled => "cancelled",
    }
}

closed_set! {
    /// How often a subscription bills.
    pub enum BillingInterval {
        Month => "month",
        Year => "year",
    }
}

/// Returns the domain of an email address as accounts store domains (lower case, ASCII
/// form of international names), or `None` when the text has no `@` followed by a
/// usable domain.
pub fn email_domain(email: &str) -> Option<String> {
    let (local, _) = email.trim().rsplit_once('@')?;
    if local.is_empty() {
        return None;
    }
    crate::domain_name::of_email(email)
}

/// Lists a domain and each parent it has with at least two labels, most specific first:
/// `eu.acme.com` gives `eu.acme.com` and `acme.com`. An account whose domain is any of
/// these owns a record from that domain.
pub fn owning_domains(domain: &str) -> Vec<String> {
    let domain = match crate::domain_name::normalize(domain) {
        Ok(Some(normalized)) => normalized,
        _ => domain.trim().trim_end_matches('.').to_lowercase(),
    };
    let mut found = Vec::new();
    let mut rest = domain.as_str();
    while rest.contains('.') {
        found.push(rest.to_owned());
        match rest.split_once('.') {
            Some((_, parent)) => rest = parent,
            None => break,
        }
    }
    found
}

/// Checks a currency code: three upper-case ASCII letters, as in ISO 4217.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_domains_are_lower_case() {
        assert_eq!(email_domain("Ana@EU.Acme.com"), Some("eu.acme.com".into()));
        assert_eq!(email_domain("ana@acme.com."), Some("acme.com".into()));
        assert_eq!(email_domain("no-at-sign"), None);
        assert_eq!(email_domain("@acme.com"), None);
        assert_eq!(email_domain("ana@localhost"), None);
        assert_eq!(email_domain("ana@Пример.РФ"), Some("xn--e1afmkfd.xn--p1ai".into()));
    }

    #[test]
    fn parents_stop_at_two_labels() {
        assert_eq!(owning_domains("eu.west.acme.com"), vec!["eu.west.acme.com", "west.acme.com", "acme.com"]);
        assert_eq!(owning_domains("acme.com"), vec!["acme.com"]);
        assert!(owning_domains("localhost").is_empty());
        assert_eq!(owning_domains("eu.пример.рф"), vec!["eu.xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"]);
    }

    #[test]
    fn open_statuses() {
        assert!(TicketStatus::OnHold.is_open());
        assert!(!TicketStatus::Solved.is_open());
        assert!(!TicketStatus::Closed.is_open());
    }

    #[test]
    fn survey_ranges() {
        assert!(SurveyKind::Nps.score_range().contains(&0));
        assert!(!SurveyKind::Csat.score_range().contains(&0));
    }

    #[test]
    fn currency_codes() {
        assert!(is_currency_code("EUR"));
        assert!(!is_currency_code("eur"));
        assert!(!is_currency_code("EURO"));
    }
}
