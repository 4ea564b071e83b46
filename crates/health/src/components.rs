//! The four components of the health score. Each returns what it shows (score rounded for
//! display, narrative, inputs) and the exact score the overall mean uses.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::json;

use crate::{days_between, plural, ComponentScore, STALE_TICKET_DAYS};

type Scored = (ComponentScore, Option<Decimal>);

/// Days of silence that still count as fully engaged.
const USAGE_FULL_DAYS: i64 = 7;
/// Days of silence at which usage scores zero.
const USAGE_ZERO_DAYS: i64 = 60;

/// Usage: how recently anyone at the account did something.
///
/// `last_activity` is the date of the latest non-system timeline entry or usage event.
pub fn usage(as_of: NaiveDate, last_activity: Option<NaiveDate>) -> Scored {
    let Some(last) = last_activity else {
        return ComponentScore::no_input(
            "no activity recorded",
            json!({ "last_activity_on": null, "days_since": null }),
        );
    };
    let days = days_between(last, as_of).max(0);
    let exact = if days <= USAGE_FULL_DAYS {
        Decimal::ONE_HUNDRED
    } else if days >= USAGE_ZERO_DAYS {
        Decimal::ZERO
    } else {
        Decimal::ONE_HUNDRED * Decimal::from(USAGE_ZERO_DAYS - days) / Decimal::from(USAGE_ZERO_DAYS - USAGE_FULL_DAYS)
    };
    let narrative = match days {
        0 => "last activity today".to_owned(),
        1 => "last activity 1 day ago".to_owned(),
        _ => format!("last activity {days} days ago"),
    };
    ComponentScore::scored(exact, narrative, json!({ "last_activity_on": last, "days_since": days }))
}

/// Support tickets of one account, limited to tickets opened on or before `as_of`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketSignals {
    /// Tickets ever opened.
    pub total: u32,
    /// Tickets open on `as_of`.
    pub open: u32,
    /// Opening date of the oldest ticket open on `as_of`.
    pub oldest_open: Option<NaiveDate>,
    /// Reopens in the 30 days up to and including `as_of`.
    pub reopens: u32,
}

const OPEN_TICKET_PENALTY: u32 = 10;
const OPEN_TICKET_CAP: u32 = 50;
const STALE_TICKET_PENALTY: u32 = 20;
const REOPEN_PENALTY: u32 = 10;
const REOPEN_CAP: u32 = 30;

/// Support: 100 minus penalties for open tickets, a stale open ticket and recent reopens.
pub fn support(as_of: NaiveDate, tickets: &TicketSignals) -> Scored {
    let oldest_open_days = tickets.oldest_open.map(|opened| days_between(opened, as_of).max(0));
    let inputs = json!({
        "tickets": tickets.total,
        "open_tickets": tickets.open,
        "oldest_open_days": oldest_open_days,
        "reopens_last_30_days": tickets.reopens,
    });
    if tickets.total == 0 {
        return ComponentScore::no_input("no support tickets", inputs);
    }
    let stale = oldest_open_days.is_some_and(|days| days > STALE_TICKET_DAYS);
    let penalty = (tickets.open.saturating_mul(OPEN_TICKET_PENALTY)).min(OPEN_TICKET_CAP)
        + if stale { STALE_TICKET_PENALTY } else { 0 }
        + (tickets.reopens.saturating_mul(REOPEN_PENALTY)).min(REOPEN_CAP);
    let exact = Decimal::from(100u32.saturating_sub(penalty));

    let mut narrative = match (tickets.open, oldest_open_days) {
        (0, _) => "no open tickets".to_owned(),
        (open, Some(days)) => {
            format!("{}, oldest {}", plural(open.into(), "open ticket", "open tickets"), plural(days, "day", "days"))
        }
        (open, None) => plural(open.into(), "open ticket", "open tickets"),
    };
    if tickets.reopens > 0 {
        narrative.push_str(&format!(", {} in 30 days", plural(tickets.reopens.into(), "reopen", "reopens")));
    }
    ComponentScore::scored(exact, narrative, inputs)
}

/// Survey responses of one account in the 365 days up to and including `as_of`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveySignals {
    pub nps_responses: u32,
    /// NPS responses of 9 or 10.
    pub promoters: u32,
    /// NPS responses of 0 to 6.
    pub detractors: u32,
    pub csat_responses: u32,
    /// CSAT responses of 4 or 5.
    pub csat_satisfied: u32,
}

/// Sentiment: NPS when there is any, else CSAT, else the champion and detractor contacts.
pub fn sentiment(surveys: &SurveySignals, champion_contacts: u32, detractor_contacts: u32) -> Scored {
    let mut inputs = json!({
        "basis": null,
        "nps_responses": surveys.nps_responses,
        "promoters": surveys.promoters,
        "detractors": surveys.detractors,
        "nps": null,
        "csat_responses": surveys.csat_responses,
        "csat_satisfied": surveys.csat_satisfied,
        "champion_contacts": champion_contacts,
        "detractor_contacts": detractor_contacts,
    });
    if surveys.nps_responses > 0 {
        let nps = Decimal::ONE_HUNDRED * (Decimal::from(surveys.promoters) - Decimal::from(surveys.detractors))
            / Decimal::from(surveys.nps_responses);
        let shown_nps = nps.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        inputs["basis"] = json!("nps");
        inputs["nps"] = json!(shown_nps.to_string());
        let narrative =
            format!("NPS {shown_nps} from {}", plural(surveys.nps_responses.into(), "response", "responses"));
        return ComponentScore::scored((nps + Decimal::ONE_HUNDRED) / Decimal::TWO, narrative, inputs);
    }
    if surveys.csat_responses > 0 {
        let share =
            Decimal::ONE_HUNDRED * Decimal::from(surveys.csat_satisfied) / Decimal::from(surveys.csat_responses);
        inputs["basis"] = json!("csat");
        let narrative = format!(
            "CSAT {}% satisfied from {}",
            share.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
            plural(surveys.csat_responses.into(), "response", "responses")
        );
        return ComponentScore::scored(share, narrative, inputs);
    }
    let voices = champion_contacts + detractor_contacts;
    if voices > 0 {
        let share = Decimal::ONE_HUNDRED * Decimal::from(champion_contacts) / Decimal::from(voices);
        inputs["basis"] = json!("contacts");
        let narrative = format!(
            "{} and {} among contacts",
            plural(champion_contacts.into(), "champion", "champions"),
            plural(detractor_contacts.into(), "detractor", "detractors")
        );
        return ComponentScore::scored(share, narrative, inputs);
    }
    ComponentScore::no_input("no survey responses and no champion or detractor contacts", inputs)
}

/// Contract risk: how close the next renewal is.
///
/// `earliest_period_end` is the earliest end of a current period among subscriptions that
/// are not cancelled. The account's own renewal date counts only when there is none.
pub fn contract_risk(
    as_of: NaiveDate,
    earliest_period_end: Option<NaiveDate>,
    renewal_date: Option<NaiveDate>,
) -> Scored {
    let (renews_on, source) = match (earliest_period_end, renewal_date) {
        (Some(end), _) => (end, "subscription"),
        (None, Some(date)) => (date, "renewal_date"),
        (None, None) => {
            return ComponentScore::no_input(
                "no subscription and no renewal date",
                json!({ "renews_on": null, "source": null, "days_to_renewal": null }),
            )
        }
    };
    let days = days_between(as_of, renews_on);
    let exact = match days {
        ..=0 => Decimal::ZERO,
        1..=30 => Decimal::from(20),
        31..=179 => Decimal::from(20) + Decimal::from(80) * Decimal::from(days - 30) / Decimal::from(150),
        _ => Decimal::ONE_HUNDRED,
    };
    let narrative = match days {
        0 => "renews today".to_owned(),
        1.. => format!("renews in {}", plural(days, "day", "days")),
        _ => format!("renewal passed {} ago", plural(-days, "day", "days")),
    };
    ComponentScore::scored(
        exact,
        narrative,
        json!({ "renews_on": renews_on, "source": source, "days_to_renewal": days }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap_or_default()
    }

    fn days_before(as_of: NaiveDate, days: u64) -> NaiveDate {
        as_of - chrono::Days::new(days)
    }

    fn days_after(as_of: NaiveDate, days: u64) -> NaiveDate {
        as_of + chrono::Days::new(days)
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap_or(Decimal::MIN)
    }

    const AS_OF: &str = "2026-06-30";

    #[test]
    fn usage_boundaries() {
        let as_of = date(AS_OF);
        let at = |days| usage(as_of, Some(days_before(as_of, days)));
        assert_eq!(at(0).1, Some(Decimal::ONE_HUNDRED));
        assert_eq!(at(7).1, Some(Decimal::ONE_HUNDRED));
        // Day 8: 100 × 52 / 53.
        assert_eq!(at(8).1, Some(Decimal::ONE_HUNDRED * Decimal::from(52) / Decimal::from(53)));
        assert_eq!(at(8).0.score, Some(dec("98.11")));
        // Day 59: 100 × 1 / 53.
        assert_eq!(at(59).0.score, Some(dec("1.89")));
        assert_eq!(at(60).1, Some(Decimal::ZERO));
        assert_eq!(at(400).1, Some(Decimal::ZERO));
        assert_eq!(at(12).0.narrative, "last activity 12 days ago");
        assert_eq!(at(1).0.narrative, "last activity 1 day ago");
        assert_eq!(at(0).0.narrative, "last activity today");
    }

    #[test]
    fn usage_without_activity_has_no_input() {
        let (shown, exact) = usage(date(AS_OF), None);
        assert_eq!(exact, None);
        assert_eq!(shown.score, None);
        assert_eq!(shown.narrative, "no activity recorded");
    }

    #[test]
    fn support_penalties_and_caps() {
        let as_of = date(AS_OF);
        let with = |total, open, oldest: Option<u64>, reopens| {
            support(as_of, &TicketSignals { total, open, oldest_open: oldest.map(|d| days_before(as_of, d)), reopens })
                .1
        };
        assert_eq!(with(0, 0, None, 0), None);
        assert_eq!(with(4, 0, None, 0), Some(Decimal::from(100)));
        assert_eq!(with(3, 3, Some(5), 0), Some(Decimal::from(70)));
        // Open tickets cost at most 50.
        assert_eq!(with(9, 6, Some(5), 0), Some(Decimal::from(50)));
        assert_eq!(with(9, 9, Some(5), 0), Some(Decimal::from(50)));
        // An open ticket opened 30 days ago is not stale; 31 days is.
        assert_eq!(with(1, 1, Some(30), 0), Some(Decimal::from(90)));
        assert_eq!(with(1, 1, Some(31), 0), Some(Decimal::from(70)));
        // Reopens cost at most 30.
        assert_eq!(with(2, 0, None, 2), Some(Decimal::from(80)));
        assert_eq!(with(2, 0, None, 3), Some(Decimal::from(70)));
        assert_eq!(with(2, 0, None, 7), Some(Decimal::from(70)));
        // Everything at once bottoms out at 0: 100 − 50 − 20 − 30.
        assert_eq!(with(20, 8, Some(90), 5), Some(Decimal::ZERO));
    }

    #[test]
    fn support_narratives() {
        let as_of = date(AS_OF);
        let shown =
            support(as_of, &TicketSignals { total: 5, open: 3, oldest_open: Some(days_before(as_of, 41)), reopens: 0 })
                .0;
        assert_eq!(shown.narrative, "3 open tickets, oldest 41 days");
        let shown = support(as_of, &TicketSignals { total: 2, open: 0, oldest_open: None, reopens: 1 }).0;
        assert_eq!(shown.narrative, "no open tickets, 1 reopen in 30 days");
        assert_eq!(shown.inputs["reopens_last_30_days"], 1);
    }

    #[test]
    fn sentiment_prefers_nps() {
        // 4 promoters, 1 detractor (a 0 counts), 4 passives: NPS = 100 × 3 / 9 = 33.3…
        let surveys =
            SurveySignals { nps_responses: 9, promoters: 4, detractors: 1, csat_responses: 3, csat_satisfied: 0 };
        let (shown, exact) = sentiment(&surveys, 0, 5);
        let nps = Decimal::ONE_HUNDRED * Decimal::from(3) / Decimal::from(9);
        assert_eq!(exact, Some((nps + Decimal::ONE_HUNDRED) / Decimal::TWO));
        assert_eq!(shown.score, Some(dec("66.67")));
        assert_eq!(shown.narrative, "NPS 33 from 9 responses");
        assert_eq!(shown.inputs["basis"], "nps");
    }

    #[test]
    fn nps_extremes() {
        let all_detractors = SurveySignals { nps_responses: 2, detractors: 2, ..SurveySignals::default() };
        assert_eq!(sentiment(&all_detractors, 0, 0).1, Some(Decimal::ZERO));
        assert_eq!(sentiment(&all_detractors, 0, 0).0.narrative, "NPS -100 from 2 responses");
        let all_promoters = SurveySignals { nps_responses: 1, promoters: 1, ..SurveySignals::default() };
        assert_eq!(sentiment(&all_promoters, 0, 0).1, Some(Decimal::ONE_HUNDRED));
        assert_eq!(sentiment(&all_promoters, 0, 0).0.narrative, "NPS 100 from 1 response");
    }

    #[test]
    fn sentiment_falls_back_to_csat_then_contacts() {
        let csat = SurveySignals { csat_responses: 5, csat_satisfied: 4, ..SurveySignals::default() };
        let (shown, exact) = sentiment(&csat, 1, 1);
        assert_eq!(exact, Some(Decimal::from(80)));
        assert_eq!(shown.narrative, "CSAT 80% satisfied from 5 responses");

        let (shown, exact) = sentiment(&SurveySignals::default(), 2, 1);
        assert_eq!(exact, Some(Decimal::ONE_HUNDRED * Decimal::TWO / Decimal::from(3)));
        assert_eq!(shown.narrative, "2 champions and 1 detractor among contacts");
        assert_eq!(shown.inputs["basis"], "contacts");

        assert_eq!(sentiment(&SurveySignals::default(), 0, 1).1, Some(Decimal::ZERO));
        assert_eq!(sentiment(&SurveySignals::default(), 0, 0).1, None);
    }

    #[test]
    fn contract_risk_boundaries() {
        let as_of = date(AS_OF);
        let at = |days: i64| {
            let renews = if days >= 0 {
                days_after(as_of, days.unsigned_abs())
            } else {
                days_before(as_of, days.unsigned_abs())
            };
            contract_risk(as_of, None, Some(renews)).1
        };
        assert_eq!(at(-3), Some(Decimal::ZERO));
        assert_eq!(at(0), Some(Decimal::ZERO));
        assert_eq!(at(1), Some(Decimal::from(20)));
        assert_eq!(at(30), Some(Decimal::from(20)));
        // Day 31: 20 + 80 × 1 / 150.
        assert_eq!(at(31), Some(Decimal::from(20) + Decimal::from(80) / Decimal::from(150)));
        // Day 179: 20 + 80 × 149 / 150.
        assert_eq!(at(179), Some(Decimal::from(20) + Decimal::from(80 * 149) / Decimal::from(150)));
        assert_eq!(at(180), Some(Decimal::ONE_HUNDRED));
        assert_eq!(at(900), Some(Decimal::ONE_HUNDRED));
    }

    #[test]
    fn contract_risk_prefers_the_subscription() {
        let as_of = date(AS_OF);
        let (shown, exact) = contract_risk(as_of, Some(days_after(as_of, 24)), Some(days_after(as_of, 300)));
        assert_eq!(exact, Some(Decimal::from(20)));
        assert_eq!(shown.narrative, "renews in 24 days");
        assert_eq!(shown.inputs["source"], "subscription");

        let (shown, _) = contract_risk(as_of, None, Some(days_before(as_of, 2)));
        assert_eq!(shown.narrative, "renewal passed 2 days ago");
        assert_eq!(contract_risk(as_of, None, None).1, None);
    }
}
