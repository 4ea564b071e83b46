//! Records of the sibling apps for one sample account: support tickets, survey responses,
//! subscriptions and product usage events. Each account first gets a [`Condition`], and
//! its records follow from it, so the health job finds accounts in every band: thriving
//! accounts score about 90, steady ones 60 to 75, slipping ones 30 to 50 and failing ones
//! under 25 with the default weights.

use std::ops::RangeInclusive;

use chrono::{Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use crm_core::{BillingInterval, Stage, SubscriptionStatus, SurveyKind, TicketStatus};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use store::signals::{SubscriptionRow, SurveyResponseRow, TicketRow, UsageEventRow};

use super::dataset::Dataset;
use super::words::{
    COMPLAINT_COMMENTS, CURRENCIES, NEUTRAL_COMMENTS, PLANS, PRAISE_COMMENTS, TICKET_SUBJECTS, USAGE_EVENTS,
};
use crate::clock::new_id;
use crate::error::AppResult;

/// Days before `now` that the signals of a sample account reach back, at most.
pub(super) const HISTORY_DAYS: i64 = 400;

/// The state of a sample account. It sets how long the account has been quiet, when it
/// renews, and what its tickets, survey responses and subscription look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Condition {
    Thriving,
    Steady,
    Slipping,
    Failing,
}

impl Condition {
    /// Draws the condition of an account. Accounts flagged at risk are slipping or failing;
    /// churned accounts count as failing and prospects as steady.
    pub(super) fn draw(rng: &mut StdRng, stage: Stage, at_risk: bool) -> Condition {
        use Condition::{Failing, Slipping, Steady, Thriving};
        // Chances out of 100 of thriving, steady, slipping and failing.
        let odds: [u32; 4] = match stage {
            _ if at_risk => [0, 0, 50, 50],
            Stage::Prospect => [0, 100, 0, 0],
            Stage::Churned => [0, 0, 0, 100],
            Stage::Onboarding => [40, 45, 15, 0],
            Stage::Active => [45, 33, 14, 8],
            Stage::Expanding => [70, 25, 5, 0],
            Stage::Renewal => [25, 45, 20, 10],
        };
        let roll = rng.gen_range(0..100);
        let mut bound = 0;
        for (condition, chance) in [Thriving, Steady, Slipping, Failing].into_iter().zip(odds) {
            bound += chance;
            if roll < bound {
                return condition;
            }
        }
        Failing
    }

    /// Days since anyone at the account did something, as of the generation.
    pub(super) fn quiet_days(self, rng: &mut StdRng) -> i64 {
        match self {
            Condition::Thriving => rng.gen_range(0..=6),
            Condition::Steady => rng.gen_range(4..=20),
            Condition::Slipping => rng.gen_range(18..=45),
            Condition::Failing => rng.gen_range(60..=150),
        }
    }

    /// Days from the generation to the renewal of an active or expanding account.
    pub(super) fn days_to_renewal(self) -> RangeInclusive<i64> {
        match self {
            Condition::Thriving => 150..=360,
            Condition::Steady => 45..=240,
            Condition::Slipping => 10..=90,
            Condition::Failing => -30..=30,
        }
    }
}

/// The facts the records of one account are drawn from.
pub(super) struct SignalSource<'a> {
    pub business_id: &'a str,
    pub account_id: &'a str,
    pub domain: &'a str,
    pub billing_customer_id: Option<&'a str>,
    pub stage: Stage,
    pub condition: Condition,
    /// Emails of the account's contacts, the people who report tickets and answer surveys.
    pub emails: Vec<String>,
    pub created_at: NaiveDateTime,
    /// The account's latest engagement: no usage event comes later.
    pub quiet_since: NaiveDateTime,
    pub renewal_date: Option<NaiveDate>,
    pub churned_at: Option<NaiveDateTime>,
    pub now: NaiveDateTime,
}

/// Returns a time drawn evenly from `from` to `until`, or `from` when the range is empty.
fn between(rng: &mut StdRng, from: NaiveDateTime, until: NaiveDateTime) -> NaiveDateTime {
    let minutes = (until - from).num_minutes();
    if minutes <= 0 {
        return from;
    }
    from + Duration::minutes(rng.gen_range(0..=minutes))
}

fn days_ago(now: NaiveDateTime, days: RangeInclusive<i64>, rng: &mut StdRng) -> NaiveDateTime {
    now - Duration::days(rng.gen_range(days)) - Duration::minutes(rng.gen_range(0..24 * 60))
}

/// Returns the external id of a sample record: unique without a database lookup, and
/// marked as sample data for readers of a list.
fn external_id(id: &str) -> String {
    format!("sample-{id}")
}

impl SignalSource<'_> {
    /// Adds the account's tickets, survey responses, subscriptions and usage events.
    pub(super) fn add(&self, rng: &mut StdRng, dataset: &mut Dataset) -> AppResult<()> {
        if self.stage == Stage::Prospect {
            return Ok(());
        }
        self.tickets(rng, dataset)?;
        self.surveys(rng, dataset);
        self.subscriptions(rng, dataset);
        self.usage_events(rng, dataset);
        Ok(())
    }

    /// Returns the earliest time a record of the account may carry: the account's
    /// creation, or [`HISTORY_DAYS`] ago for older accounts.
    fn history_start(&self) -> NaiveDateTime {
        self.created_at.max(self.now - Duration::days(HISTORY_DAYS))
    }

    /// Returns the latest time a record may carry: the churn for churned accounts, else now.
    fn history_end(&self) -> NaiveDateTime {
        self.churned_at.unwrap_or(self.now)
    }

    fn email(&self, rng: &mut StdRng) -> String {
        self.emails.choose(rng).cloned().unwrap_or_else(|| format!("support@{}", self.domain))
    }

    /// Writes 0 to 5 tickets, about two on average. Thriving accounts have every ticket
    /// solved. The worse the condition, the more tickets are open, the older the oldest
    /// open one and the more were reopened in the last 30 days.
    fn tickets(&self, rng: &mut StdRng, dataset: &mut Dataset) -> AppResult<()> {
        let (count, open) = match (self.stage, self.condition) {
            (Stage::Churned, _) => (rng.gen_range(1..=3), 0),
            (_, Condition::Thriving) => (rng.gen_range(0..=4), 0),
            (_, Condition::Steady) => (rng.gen_range(1..=3), rng.gen_range(0..=1)),
            (_, Condition::Slipping) => (rng.gen_range(2..=4), rng.gen_range(1..=2)),
            (_, Condition::Failing) => (rng.gen_range(2..=5), rng.gen_range(2..=3)),
        };
        let (start, end) = (self.history_start(), self.history_end());
        for index in 0..count {
            let is_open = index < open;
            let opened_at = if is_open {
                let age = match self.condition {
                    Condition::Thriving | Condition::Steady => 1..=20,
                    Condition::Slipping => 5..=60,
                    Condition::Failing => 20..=120,
                };
                days_ago(self.now, age, rng).max(start)
            } else {
                between(rng, start, end - Duration::hours(2))
            };
            // Reopens in the 30-day window cost the support score; older ones only show.
            let recent_reopens = match self.condition {
                Condition::Failing if index == 0 => rng.gen_range(1..=3),
                Condition::Slipping if index == 0 && rng.gen_bool(0.3) => 1,
                _ => 0,
            };
            let mut reopened_at: Vec<NaiveDateTime> = (0..recent_reopens)
                .map(|_| days_ago(self.now, 1..=28, rng).max(opened_at + Duration::hours(1)).min(end))
                .collect();
            if recent_reopens == 0 && !is_open && rng.gen_bool(0.08) {
                reopened_at.push(between(rng, opened_at + Duration::hours(1), end));
            }
            reopened_at.sort();

            let last_event = reopened_at.last().copied().unwrap_or(opened_at);
            let (status, solved_at) = if is_open {
                (*TicketStatus::OPEN.choose(rng).unwrap_or(&TicketStatus::Open), None)
            } else {
                let solved_at = (last_event + Duration::hours(rng.gen_range(2..=240))).min(end);
                let status = if rng.gen_bool(0.5) { TicketStatus::Solved } else { TicketStatus::Closed };
                (status, Some(solved_at))
            };
            let id = new_id().to_string();
            dataset.tickets.push(TicketRow {
                external_id: external_id(&id),
                id,
                business_id: self.business_id.to_owned(),
                account_id: self.account_id.to_owned(),
                subject: TICKET_SUBJECTS.choose(rng).copied().unwrap_or_default().to_owned(),
                status: status.as_str().to_owned(),
                reporter_email: self.email(rng),
                opened_at,
                solved_at,
                reopened_at: store::to_json_text(&reopened_at)?,
                last_reopened_at: reopened_at.last().copied(),
                created_at: opened_at,
                updated_at: solved_at.unwrap_or(last_event),
            });
        }
        Ok(())
    }

    /// Writes 0 to 4 NPS and CSAT responses, about two on average, over the last 400 days,
    /// so some fall outside the score's 365-day window. Scores follow the condition.
    fn surveys(&self, rng: &mut StdRng, dataset: &mut Dataset) {
        let count = match (self.stage, self.condition) {
            (Stage::Onboarding, _) => rng.gen_range(0..=2),
            (Stage::Churned, _) => rng.gen_range(1..=3),
            (_, Condition::Thriving | Condition::Steady) => rng.gen_range(0..=4),
            (_, Condition::Slipping | Condition::Failing) => rng.gen_range(1..=4),
        };
        let (start, end) = (self.history_start(), self.history_end());
        for _ in 0..count {
            let kind = if rng.gen_bool(0.65) { SurveyKind::Nps } else { SurveyKind::Csat };
            let score = match (kind, self.condition) {
                (SurveyKind::Nps, Condition::Thriving) => *[10, 10, 9, 9, 9, 8, 7].choose(rng).unwrap_or(&9),
                (SurveyKind::Nps, Condition::Steady) => *[10, 9, 9, 8, 8, 7, 6].choose(rng).unwrap_or(&8),
                (SurveyKind::Nps, Condition::Slipping) => rng.gen_range(3..=8),
                (SurveyKind::Nps, Condition::Failing) => rng.gen_range(0..=6),
                (SurveyKind::Csat, Condition::Thriving) => rng.gen_range(4..=5),
                (SurveyKind::Csat, Condition::Steady) => rng.gen_range(3..=5),
                (SurveyKind::Csat, Condition::Slipping) => rng.gen_range(2..=4),
                (SurveyKind::Csat, Condition::Failing) => rng.gen_range(1..=3),
            };
            let promoter_floor = if kind == SurveyKind::Nps { 9 } else { 4 };
            let detractor_ceiling = if kind == SurveyKind::Nps { 6 } else { 2 };
            let comments = if score >= promoter_floor {
                PRAISE_COMMENTS
            } else if score <= detractor_ceiling {
                COMPLAINT_COMMENTS
            } else {
                NEUTRAL_COMMENTS
            };
            let comment = rng.gen_bool(0.4).then(|| comments.choose(rng).copied().unwrap_or_default().to_owned());
            let responded_at = between(rng, start, end);
            let id = new_id().to_string();
            dataset.survey_responses.push(SurveyResponseRow {
                external_id: external_id(&id),
                id,
                business_id: self.business_id.to_owned(),
                account_id: self.account_id.to_owned(),
                respondent_email: self.email(rng),
                kind: kind.as_str().to_owned(),
                score,
                responded_at,
                comment,
                created_at: responded_at,
                updated_at: responded_at,
            });
        }
    }

    /// Writes the account's subscription, and for some expanding accounts an add-on that
    /// renews with it. A yearly subscription ends on the account's renewal date (or that
    /// date a year earlier); a monthly one within the next 30 days. A period that ended
    /// without renewing is past due, and a churned account's subscription is cancelled.
    fn subscriptions(&self, rng: &mut StdRng, dataset: &mut Dataset) {
        let today = self.now.date();
        let monthly_chance = match (self.stage, self.condition) {
            (Stage::Onboarding, _) | (_, Condition::Thriving) => 0.0,
            (_, Condition::Steady | Condition::Slipping) => 0.25,
            (_, Condition::Failing) => 0.3,
        };
        let interval = if rng.gen_bool(monthly_chance) { BillingInterval::Month } else { BillingInterval::Year };
        let end_date = match (self.churned_at, interval) {
            (Some(churned_at), _) => churned_at.date(),
            (None, BillingInterval::Month) if self.condition == Condition::Failing && rng.gen_bool(0.5) => {
                today - Duration::days(rng.gen_range(1..=20))
            }
            (None, BillingInterval::Month) => today + Duration::days(rng.gen_range(1..=30)),
            (None, BillingInterval::Year) => {
                let mut end = self.renewal_date.unwrap_or(today + Duration::days(rng.gen_range(30..=365)));
                while end > today + Duration::days(365) {
                    end = end - Months::new(12);
                }
                end
            }
        };
        let status = match self.stage {
            Stage::Churned => SubscriptionStatus::Cancelled,
            _ if end_date < today => SubscriptionStatus::PastDue,
            Stage::Onboarding if rng.gen_bool(0.3) => SubscriptionStatus::Trialing,
            _ => SubscriptionStatus::Active,
        };
        let cancel_chance = match self.condition {
            Condition::Failing if self.stage != Stage::Churned => 0.25,
            Condition::Slipping => 0.1,
            _ => 0.0,
        };
        let cancel_at_period_end = rng.gen_bool(cancel_chance);

        let current_period_end = end_date.and_time(NaiveTime::MIN) + Duration::minutes(rng.gen_range(0..24 * 60));
        let current_period_start = match interval {
            BillingInterval::Month => current_period_end - Months::new(1),
            BillingInterval::Year => current_period_end - Months::new(12),
        };
        let (plan, seat_price) = PLANS.choose(rng).copied().unwrap_or(("Starter", 1_500));
        let currency = CURRENCIES.choose_weighted(rng, |(_, weight)| *weight).map(|(code, _)| *code).unwrap_or("USD");
        let created_at = current_period_start.max(self.created_at).min(self.now);
        let add_on = self.stage == Stage::Expanding && rng.gen_bool(0.4);

        let mut push = |rng: &mut StdRng, plan_name: String, quantity: i32| {
            let months = if interval == BillingInterval::Year { 12 } else { 1 };
            let id = new_id().to_string();
            dataset.subscriptions.push(SubscriptionRow {
                external_id: external_id(&id),
                id,
                business_id: self.business_id.to_owned(),
                account_id: self.account_id.to_owned(),
                billing_customer_id: self.billing_customer_id.map(str::to_owned),
                plan_name,
                status: status.as_str().to_owned(),
                quantity,
                unit_amount: seat_price * months,
                currency: currency.to_owned(),
                billing_interval: interval.as_str().to_owned(),
                current_period_start,
                current_period_end,
                cancel_at_period_end,
                created_at,
                updated_at: between(rng, created_at, self.now),
            });
        };
        let seats = rng.gen_range(5..=250);
        push(rng, plan.to_owned(), seats);
        if add_on {
            let extra_seats = rng.gen_range(5..=50);
            push(rng, format!("{plan} add-on seats"), extra_seats);
        }
    }

    /// Writes 1 to 3 usage events for three in four live accounts, the latest at the
    /// moment the account went quiet, so the usage score matches the condition.
    fn usage_events(&self, rng: &mut StdRng, dataset: &mut Dataset) {
        if self.stage == Stage::Churned || !rng.gen_bool(0.75) {
            return;
        }
        let count = rng.gen_range(1..=3);
        let earliest = (self.quiet_since - Duration::days(30)).max(self.created_at);
        for index in 0..count {
            let occurred_at = if index == 0 { self.quiet_since } else { between(rng, earliest, self.quiet_since) };
            let user_email = rng.gen_bool(0.9).then(|| self.email(rng));
            let id = new_id().to_string();
            dataset.usage_events.push(UsageEventRow {
                external_id: external_id(&id),
                id,
                business_id: self.business_id.to_owned(),
                account_id: self.account_id.to_owned(),
                user_email,
                event: USAGE_EVENTS.choose(rng).copied().unwrap_or("user_login").to_owned(),
                occurred_at,
                created_at: occurred_at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rand::SeedableRng;

    use super::super::dataset::{build, companies, stages, Owners};
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).map(|at| at.naive_utc()).unwrap_or_default()
    }

    fn sample(count: usize) -> Dataset {
        let mut rng = StdRng::seed_from_u64(5);
        let owners = Owners { csm_ids: vec!["csm".into()], ae_ids: vec!["ae".into()] };
        let companies = companies(&mut rng, count);
        let stages = stages(&mut rng, companies.len());
        build(&mut rng, "business", companies, &stages, &owners, now()).unwrap_or_default()
    }

    #[test]
    fn volumes_per_account() {
        let dataset = sample(2_000);
        let per_account = |rows: usize| rows as f64 / dataset.accounts.len() as f64;
        let activities = per_account(dataset.activities.len());
        assert!((8.0..=13.0).contains(&activities), "{activities} activities an account");
        let tickets = per_account(dataset.tickets.len());
        assert!((1.6..=2.4).contains(&tickets), "{tickets} tickets an account");
        let surveys = per_account(dataset.survey_responses.len());
        assert!((1.5..=2.4).contains(&surveys), "{surveys} survey responses an account");
        let subscriptions = per_account(dataset.subscriptions.len());
        assert!((0.85..=1.1).contains(&subscriptions), "{subscriptions} subscriptions an account");
        assert!(!dataset.usage_events.is_empty());
    }

    #[test]
    fn records_stay_in_history() {
        let dataset = sample(500);
        let earliest = now() - Duration::days(HISTORY_DAYS) - Duration::days(1);
        let touchpoints = dataset.activities.iter().filter(|activity| activity.kind != "system");
        for at in touchpoints.map(|activity| activity.occurred_at) {
            assert!(at <= now(), "{at}");
        }
        for ticket in &dataset.tickets {
            assert!(ticket.opened_at >= earliest && ticket.opened_at <= now(), "{ticket:?}");
            assert!(ticket.solved_at.is_none_or(|solved| solved >= ticket.opened_at), "{ticket:?}");
            assert_eq!(
                ticket.solved_at.is_none(),
                TicketStatus::OPEN.iter().any(|open| open.as_str() == ticket.status)
            );
        }
        for response in &dataset.survey_responses {
            assert!(response.responded_at >= earliest && response.responded_at <= now(), "{response:?}");
            let kind: SurveyKind = response.kind.parse().unwrap();
            assert!(kind.score_range().contains(&response.score), "{response:?}");
        }
        for event in &dataset.usage_events {
            assert!(event.occurred_at <= now(), "{event:?}");
        }
    }

    #[test]
    fn tickets_vary() {
        let dataset = sample(500);
        let open = dataset.tickets.iter().filter(|ticket| ticket.solved_at.is_none()).count();
        let stale = dataset
            .tickets
            .iter()
            .filter(|ticket| ticket.solved_at.is_none() && ticket.opened_at < now() - Duration::days(30))
            .count();
        let recent_reopens = dataset
            .tickets
            .iter()
            .filter(|ticket| ticket.last_reopened_at.is_some_and(|at| at >= now() - Duration::days(30)))
            .count();
        let old_reopens = dataset
            .tickets
            .iter()
            .filter(|ticket| ticket.last_reopened_at.is_some_and(|at| at < now() - Duration::days(30)))
            .count();
        assert!(open > 0 && open < dataset.tickets.len() / 2, "{open} open of {}", dataset.tickets.len());
        assert!(stale > 0, "some open tickets are older than 30 days");
        assert!(recent_reopens > 0, "some tickets were reopened in the last 30 days");
        assert!(old_reopens > 0, "some tickets were reopened long ago");
        let with_tickets: HashSet<&str> = dataset.tickets.iter().map(|ticket| ticket.account_id.as_str()).collect();
        assert!(with_tickets.len() < dataset.accounts.len(), "some accounts have no ticket");
    }

    #[test]
    fn surveys_cover_both_kinds_and_moods() {
        let dataset = sample(500);
        let nps: Vec<i32> =
            dataset.survey_responses.iter().filter(|response| response.kind == "nps").map(|r| r.score).collect();
        let csat = dataset.survey_responses.iter().filter(|response| response.kind == "csat").count();
        assert!(csat > 0);
        assert!(nps.iter().any(|score| *score >= 9), "promoters");
        assert!(nps.iter().any(|score| *score <= 6), "detractors");
        assert!(nps.iter().any(|score| (7..=8).contains(score)), "passives");
    }

    #[test]
    fn subscriptions_renew_across_windows() {
        let dataset = sample(1_000);
        let today = now().date();
        let days: Vec<i64> = dataset
            .subscriptions
            .iter()
            .filter(|subscription| subscription.status != "cancelled")
            .map(|subscription| (subscription.current_period_end.date() - today).num_days())
            .collect();
        for (window, label) in [(0..=30, "30"), (31..=60, "60"), (61..=90, "90"), (181..=366, "over 180")] {
            assert!(days.iter().any(|day| window.contains(day)), "a renewal within {label} days");
        }
        assert!(days.iter().any(|day| *day < 0), "a period that has passed");
        let with = |check: &dyn Fn(&SubscriptionRow) -> bool| dataset.subscriptions.iter().filter(|s| check(s)).count();
        assert!(with(&|s| s.billing_interval == "month") > 0);
        assert!(with(&|s| s.billing_interval == "year") > with(&|s| s.billing_interval == "month"));
        assert!(with(&|s| s.status == "past_due") > 0);
        assert!(with(&|s| s.status == "cancelled") > 0);
        assert!(with(&|s| s.cancel_at_period_end) > 0);
        let prospects: HashSet<&str> =
            dataset.accounts.iter().filter(|a| a.stage == "prospect").map(|a| a.id.as_str()).collect();
        assert!(dataset.subscriptions.iter().all(|s| !prospects.contains(s.account_id.as_str())));
        for subscription in &dataset.subscriptions {
            assert!(subscription.current_period_start < subscription.current_period_end, "{subscription:?}");
        }
    }

    #[test]
    fn conditions_span_all_four() {
        let mut rng = StdRng::seed_from_u64(1);
        let drawn: HashSet<Condition> = (0..400).map(|_| Condition::draw(&mut rng, Stage::Active, false)).collect();
        assert_eq!(drawn.len(), 4);
        for _ in 0..100 {
            let condition = Condition::draw(&mut rng, Stage::Active, true);
            assert!(matches!(condition, Condition::Slipping | Condition::Failing), "{condition:?}");
        }
    }

    #[test]
    fn large_books_get_unique_names() {
        let mut rng = StdRng::seed_from_u64(9);
        let drawn = companies(&mut rng, 25_000);
        assert_eq!(drawn.len(), 25_000);
        let names: HashSet<&str> = drawn.iter().map(|company| company.name.as_str()).collect();
        let domains: HashSet<&str> = drawn.iter().map(|company| company.domain.as_str()).collect();
        assert_eq!(names.len(), 25_000);
        assert_eq!(domains.len(), 25_000);
        assert!(drawn.iter().any(|company| company.name.ends_with(char::is_numeric)), "numbered names");
    }
}
