//! Where to send the user after signing in: back to the page they were on.

/// The page shown after sign-in when no other page was requested.
pub const HOME: &str = "/dashboard";

/// Returns the in-app path to open after sign-in. `next` comes from the login page's query
/// string, so anything that is not a path on this site (`//host`, `https:`, `/\host`) is
/// replaced by [`HOME`] to rule out open redirects; a path back to the login page is too.
pub fn after_login(next: Option<&str>) -> String {
    let Some(next) = next.map(str::trim).filter(|next| !next.is_empty()) else {
        return HOME.to_owned();
    };
    let on_site = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    let printable = next.chars().all(|c| !c.is_control());
    if !on_site || !printable || next == "/login" || next.starts_with("/login?") {
        return HOME.to_owned();
    }
    next.to_owned()
}

/// Returns the login page's address that leads back to `current` (path and query string)
/// after sign-in.
pub fn login_url(current: &str) -> String {
    let next = after_login(Some(current));
    if next == HOME || current == "/" {
        return "/login".to_owned();
    }
    let encoded: String = form_urlencoded_component(&next);
    format!("/login?next={encoded}")
}

/// Percent-encodes a query component, leaving `/` readable.
fn form_urlencoded_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_in_app_path_with_query() {
        assert_eq!(after_login(Some("/accounts?stage=active&q=ac")), "/accounts?stage=active&q=ac");
    }

    #[test]
    fn rejects_other_sites() {
        for next in ["//evil.test/x", "https://evil.test", "/\\evil.test", "javascript:alert(1)", "accounts"] {
            assert_eq!(after_login(Some(next)), HOME, "{next}");
        }
    }

    #[test]
    fn missing_or_login_goes_home() {
        assert_eq!(after_login(None), HOME);
        assert_eq!(after_login(Some("  ")), HOME);
        assert_eq!(after_login(Some("/login?next=/x")), HOME);
    }

    #[test]
    fn login_url_encodes_query() {
        assert_eq!(login_url("/accounts/0190?tab=contacts&x=1"), "/login?next=/accounts/0190%3Ftab%3Dcontacts%26x%3D1");
    }

    #[test]
    fn login_url_skips_home() {
        assert_eq!(login_url("/dashboard"), "/login");
        assert_eq!(login_url("/"), "/login");
        assert_eq!(login_url("/accounts"), "/login?next=/accounts");
    }
}
