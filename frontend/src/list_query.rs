//! The account list's view (search, filters, sort, page) as it is kept in the page's
//! address, so a view can be bookmarked, shared and restored by the back button.

use api_types::accounts::AccountListParams;
use crm_core::{Stage, UserId};
use serde::Serialize;

/// Accounts per page of the list.
pub const PAGE_SIZE: i64 = 25;

/// Columns the list can sort by, as the API names them.
pub const SORTABLE: &[&str] = &["name", "renewal_date", "health_score", "updated_at", "created_at"];

/// One view of the account list. Unknown or malformed values in an address are dropped,
/// so an old or hand-edited link still opens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Text matched in the name or domain; empty for none.
    pub q: String,
    pub stage: Option<Stage>,
    pub at_risk: Option<bool>,
    pub csm_id: Option<UserId>,
    /// Column name with an optional leading `-` for descending; `None` is the API's
    /// default (name, ascending).
    pub sort: Option<String>,
    /// 1-based page number.
    pub page: u32,
}

/// The address's query parameters, in the order they are written.
#[derive(Serialize)]
struct UrlParams<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    q: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<Stage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_risk: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    csm_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn valid_sort(sort: &str) -> bool {
    SORTABLE.contains(&sort.strip_prefix('-').unwrap_or(sort))
}

impl ListQuery {
    /// Reads a view from query parameters; `get` returns a parameter's value.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let q = get("q").map(|q| q.trim().to_owned()).unwrap_or_default();
        let stage = get("stage").and_then(|stage| stage.parse().ok());
        let at_risk = match get("at_risk").as_deref() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        };
        let csm_id = get("csm_id").and_then(|id| id.parse().ok());
        let sort = get("sort").filter(|sort| valid_sort(sort));
        let page = get("page").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1);
        ListQuery { q, stage, at_risk, csm_id, sort, page }
    }

    /// Whether any filter or search narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.q.is_empty() || self.stage.is_some() || self.at_risk.is_some() || self.csm_id.is_some()
    }

    /// The in-app address of this view, such as `/accounts?stage=active&page=2`.
    pub fn to_url(&self) -> String {
        let params = UrlParams {
            q: &self.q,
            stage: self.stage,
            at_risk: self.at_risk,
            csm_id: self.csm_id,
            sort: self.sort.as_deref(),
            page: (self.page > 1).then_some(self.page),
        };
        format!("/accounts{}", crate::api::query_string(&params))
    }

    /// The API parameters of this view's filters and sort, without paging: what the CSV
    /// export takes.
    pub fn filter_params(&self) -> AccountListParams {
        AccountListParams {
            stage: self.stage,
            at_risk: self.at_risk,
            csm_id: self.csm_id,
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            sort: self.sort.clone(),
            ..AccountListParams::default()
        }
    }

    /// The API parameters of this view's page.
    pub fn page_params(&self) -> AccountListParams {
        AccountListParams {
            limit: Some(PAGE_SIZE),
            offset: Some(i64::from(self.page.max(1) - 1) * PAGE_SIZE),
            ..self.filter_params()
        }
    }

    /// A changed filter or search starts again at page 1.
    pub fn with_filters(&self, change: impl FnOnce(&mut ListQuery)) -> ListQuery {
        let mut next = self.clone();
        change(&mut next);
        next.page = 1;
        next
    }

    pub fn with_page(&self, page: u32) -> ListQuery {
        ListQuery { page: page.max(1), ..self.clone() }
    }

    /// The sort direction of `column` in this view: `Some(true)` ascending,
    /// `Some(false)` descending, `None` when the list is not sorted by it.
    pub fn sort_direction(&self, column: &str) -> Option<bool> {
        match self.sort.as_deref() {
            None if column == "name" => Some(true),
            None => None,
            Some(sort) if sort == column => Some(true),
            Some(sort) if sort.strip_prefix('-') == Some(column) => Some(false),
            Some(_) => None,
        }
    }

    /// The view sorted by `column`: ascending first, descending on a second click.
    pub fn toggle_sort(&self, column: &str) -> ListQuery {
        let sort = match self.sort_direction(column) {
            Some(true) => format!("-{column}"),
            _ => column.to_owned(),
        };
        let sort = if sort == "name" { None } else { Some(sort) };
        ListQuery { sort, page: 1, ..self.clone() }
    }

    /// Number of pages for `total` matching accounts; at least 1.
    pub fn page_count(total: i64) -> u32 {
        let pages = (total.max(0) + PAGE_SIZE - 1) / PAGE_SIZE;
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(query: &str) -> ListQuery {
        let pairs: HashMap<String, String> = serde_urlencoded::from_str(query).unwrap_or_default();
        ListQuery::from_params(|key| pairs.get(key).cloned())
    }

    #[test]
    fn url_round_trips() {
        let query = parse("q=acme%20co&stage=renewal&at_risk=true&sort=-renewal_date&page=3");
        assert_eq!(query.q, "acme co");
        assert_eq!(query.stage, Some(Stage::Renewal));
        assert_eq!(query.at_risk, Some(true));
        assert_eq!(query.sort.as_deref(), Some("-renewal_date"));
        assert_eq!(query.page, 3);
        assert_eq!(query.to_url(), "/accounts?q=acme+co&stage=renewal&at_risk=true&sort=-renewal_date&page=3");
    }

    #[test]
    fn bad_values_are_dropped() {
        let query = parse("stage=live&at_risk=maybe&csm_id=nope&sort=password&page=0");
        assert_eq!(query, ListQuery { page: 1, ..ListQuery::default() });
        assert_eq!(query.to_url(), "/accounts");
    }

    #[test]
    fn filter_change_resets_page() {
        let query = parse("page=4");
        let next = query.with_filters(|query| query.stage = Some(Stage::Active));
        assert_eq!(next.page, 1);
        assert_eq!(next.to_url(), "/accounts?stage=active");
    }

    #[test]
    fn page_params_offset_by_page() {
        let params = parse("page=3&q=x").page_params();
        assert_eq!(params.offset, Some(50));
        assert_eq!(params.limit, Some(PAGE_SIZE));
        assert_eq!(params.q.as_deref(), Some("x"));
    }

    #[test]
    fn export_params_skip_paging() {
        let params = parse("page=3&stage=churned").filter_params();
        assert_eq!(crate::api::query_string(&params), "?stage=churned");
    }

    #[test]
    fn sort_toggles_direction() {
        let query = ListQuery::default();
        assert_eq!(query.sort_direction("name"), Some(true));
        let descending = query.toggle_sort("name");
        assert_eq!(descending.sort.as_deref(), Some("-name"));
        assert_eq!(descending.toggle_sort("name").sort, None);
        let by_health = descending.toggle_sort("health_score");
        assert_eq!(by_health.sort.as_deref(), Some("health_score"));
        assert_eq!(by_health.sort_direction("name"), None);
    }

    #[test]
    fn page_count_rounds_up() {
        assert_eq!(ListQuery::page_count(0), 1);
        assert_eq!(ListQuery::page_count(25), 1);
        assert_eq!(ListQuery::page_count(26), 2);
    }
}
