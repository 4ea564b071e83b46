//! Normalisation of company domains, so `https://www.Acme.com/about` and `acme.com` name the
//! same account.

/// Reason a text is not a usable domain name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("must be a domain name such as acme.com")]
    Malformed,
    #[error("must be at most 253 characters")]
    TooLong,
}

/// Turns a domain or a website address into a lower-case host name without scheme, `www.`,
/// port, path, query or trailing dot. Returns `Ok(None)` for blank input.
pub fn normalize(input: &str) -> Result<Option<String>, DomainError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }

    let without_scheme = match trimmed.find("://") {
        Some(position) => &trimmed[position + 3..],
        None => trimmed,
    };
    let host_and_port = without_scheme.split(['/', '?', '#']).next().unwrap_or_default();
    let host_and_port = host_and_port.rsplit('@').next().unwrap_or_default();
    let host = host_and_port.split(':').next().unwrap_or_default().trim_end_matches('.');
    // IDNA turns a Unicode name into its ASCII (punycode) form, so `пример.рф` and
    // `xn--e1afmkfd.xn--p1ai` are one domain; an IP address is not a company domain.
    let mut host = match url::Host::parse(host) {
        Ok(url::Host::Domain(ascii)) => ascii.to_lowercase(),
        _ => return Err(DomainError::Malformed),
    };
    if let Some(rest) = host.strip_prefix("www.") {
        host = rest.to_owned();
    }

    if host.len() > 253 {
        return Err(DomainError::TooLong);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let valid_label = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(valid_label) {
        return Err(DomainError::Malformed);
    }

    Ok(Some(host))
}

/// Returns the domain part of an email address, lower-cased, or `None` when there is none.
pub fn of_email(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    normalize(domain).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scheme_www_path_and_case() {
        assert_eq!(normalize("https://www.Acme.com/about?x=1"), Ok(Some("acme.com".into())));
        assert_eq!(normalize("ACME.COM."), Ok(Some("acme.com".into())));
        assert_eq!(normalize("http://eu.acme.co.uk:8080"), Ok(Some("eu.acme.co.uk".into())));
    }

    #[test]
    fn unicode_and_punycode_are_one_domain() {
        assert_eq!(normalize("пример.рф"), Ok(Some("xn--e1afmkfd.xn--p1ai".into())));
        assert_eq!(normalize("XN--E1AFMKFD.xn--p1ai"), Ok(Some("xn--e1afmkfd.xn--p1ai".into())));
        assert_eq!(normalize("Bücher.example"), Ok(Some("xn--bcher-kva.example".into())));
    }

    #[test]
    fn ip_addresses_are_not_domains() {
        assert_eq!(normalize("192.168.1.1"), Err(DomainError::Malformed));
        assert_eq!(normalize("http://[::1]/"), Err(DomainError::Malformed));
    }

    #[test]
    fn blank_is_none() {
        assert_eq!(normalize("   "), Ok(None));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["acme", "acme..com", "-acme.com", "acme com.org", "http://", "a_b.com"] {
            assert_eq!(normalize(bad), Err(DomainError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn email_domain() {
        assert_eq!(of_email("Ana@EU.Acme.com"), Some("eu.acme.com".into()));
        assert_eq!(of_email("nobody"), None);
    }
}
