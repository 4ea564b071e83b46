//! The Renewals page's view (window, stage, "my accounts", page) as it is kept in the
//! page's address, and the API parameters it selects.

use api_types::renewals::RenewalListParams;
use crm_core::UserId;
use renewals::{RenewalStage, RenewalWindow};
use serde::Serialize;

/// Renewals per page of the table.
pub const PAGE_SIZE: i64 = 25;

/// One view of the Renewals page. Unknown or malformed values in an address are dropped,
/// so an old or hand-edited link still opens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenewalQuery {
    /// The look-ahead window; the API's default is 90 days.
    pub window: RenewalWindow,
    pub stage: Option<RenewalStage>,
    /// Only the accounts of the signed-in user.
    pub mine: bool,
    /// 1-based page number.
    pub page: u32,
}

/// The address's query parameters, in the order they are written.
#[derive(Serialize)]
struct UrlParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<RenewalStage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mine: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

fn parse_stage(text: &str) -> Option<RenewalStage> {
    RenewalStage::ALL.iter().copied().find(|stage| stage.as_str() == text)
}

impl RenewalQuery {
    /// Reads a view from query parameters; `get` returns a parameter's value.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let window = get("window")
            .and_then(|days| days.parse::<i64>().ok())
            .and_then(RenewalWindow::from_days)
            .unwrap_or_default();
        let stage = get("stage").as_deref().and_then(parse_stage);
        let mine = get("mine").as_deref() == Some("true");
        let page = get("page").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1);
        RenewalQuery { window, stage, mine, page }
    }

    /// Returns the in-app address of this view, such as `/renewals?window=30&stage=at_risk`,
    /// without the defaults.
    pub fn to_url(&self) -> String {
        let params = UrlParams {
            window: (self.window != RenewalWindow::default()).then(|| self.window.days()),
            stage: self.stage,
            mine: self.mine.then_some(true),
            page: (self.page > 1).then_some(self.page),
        };
        format!("/renewals{}", crate::api::query_string(&params))
    }

    /// Returns the view with `change` applied, back on page 1.
    pub fn with_filters(&self, change: impl FnOnce(&mut RenewalQuery)) -> RenewalQuery {
        let mut next = self.clone();
        change(&mut next);
        next.page = 1;
        next
    }

    pub fn with_page(&self, page: u32) -> RenewalQuery {
        RenewalQuery { page: page.max(1), ..self.clone() }
    }

    /// Returns the API parameters of the window and owner, without stage or paging, which
    /// the summary takes. `me` is the signed-in user, used when the view shows only theirs.
    pub fn summary_params(&self, me: Option<UserId>) -> RenewalListParams {
        RenewalListParams {
            window: Some(self.window.days()),
            csm_id: if self.mine { me } else { None },
            ..RenewalListParams::default()
        }
    }

    /// Returns the API parameters of every filter, without paging, which the CSV export takes.
    pub fn filter_params(&self, me: Option<UserId>) -> RenewalListParams {
        RenewalListParams { stage: self.stage, ..self.summary_params(me) }
    }

    /// Returns the API parameters of this view's page.
    pub fn page_params(&self, me: Option<UserId>) -> RenewalListParams {
        RenewalListParams {
            limit: Some(PAGE_SIZE),
            offset: Some(i64::from(self.page.max(1) - 1) * PAGE_SIZE),
            ..self.filter_params(me)
        }
    }

    /// Number of pages for `total` matching renewals; at least 1.
    pub fn page_count(total: i64) -> u32 {
        let pages = (total.max(0) + PAGE_SIZE - 1) / PAGE_SIZE;
        u32::try_from(pages.max(1)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::api::query_string;

    fn parse(query: &str) -> RenewalQuery {
        let pairs: HashMap<String, String> = serde_urlencoded::from_str(query).unwrap_or_default();
        RenewalQuery::from_params(|key| pairs.get(key).cloned())
    }

    #[test]
    fn url_round_trips() {
        let query = parse("window=30&stage=at_risk&mine=true&page=2");
        assert_eq!(query.window, RenewalWindow::Days30);
        assert_eq!(query.stage, Some(RenewalStage::AtRisk));
        assert!(query.mine);
        assert_eq!(query.page, 2);
        assert_eq!(query.to_url(), "/renewals?window=30&stage=at_risk&mine=true&page=2");
    }

    #[test]
    fn defaults_stay_out_of_url() {
        let query = parse("window=90&mine=false&page=1");
        assert_eq!(query, RenewalQuery { page: 1, ..RenewalQuery::default() });
        assert_eq!(query.to_url(), "/renewals");
    }

    #[test]
    fn bad_values_are_dropped() {
        let query = parse("window=45&stage=lost&mine=yes&page=0");
        assert_eq!(query.window, RenewalWindow::Days90);
        assert_eq!(query.stage, None);
        assert!(!query.mine);
        assert_eq!(query.page, 1);
    }

    #[test]
    fn filter_change_resets_page() {
        let query = parse("window=60&page=3");
        let next = query.with_filters(|query| query.stage = Some(RenewalStage::Churning));
        assert_eq!(next.page, 1);
        assert_eq!(next.to_url(), "/renewals?window=60&stage=churning");
    }

    #[test]
    fn mine_filters_by_signed_in_user() {
        let me = UserId(uuid::Uuid::from_u128(0x0190_f3a4_9c1e_7d2a_8b3c_4d5e_6f70_8192));
        let query = parse("mine=true&stage=on_track");
        assert_eq!(query.summary_params(Some(me)).csm_id, Some(me));
        assert_eq!(query.summary_params(Some(me)).stage, None);
        assert_eq!(parse("stage=on_track").filter_params(Some(me)).csm_id, None);
        assert_eq!(query_string(&query.filter_params(Some(me))), format!("?window=90&stage=on_track&csm_id={me}"));
    }

    #[test]
    fn page_params_offset_by_page() {
        let params = parse("window=30&page=3").page_params(None);
        assert_eq!(params.window, Some(30));
        assert_eq!(params.offset, Some(50));
        assert_eq!(params.limit, Some(PAGE_SIZE));
        assert_eq!(query_string(&parse("page=3").filter_params(None)), "?window=90");
    }

    #[test]
    fn page_count_rounds_up() {
        assert_eq!(RenewalQuery::page_count(0), 1);
        assert_eq!(RenewalQuery::page_count(25), 1);
        assert_eq!(RenewalQuery::page_count(26), 2);
    }
}
