//! Builds the rows of the sample data from a seeded random generator: companies, their
//! contacts, timelines and the records of the sibling apps. Nothing here touches the
//! database.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use chrono::{Duration, NaiveDateTime};
use crm_core::{ActivityKind, AtRiskReason, Stage};
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use store::accounts::AccountRow;
use store::activities::ActivityRow;
use store::contacts::ContactRow;
use store::signals::{SubscriptionRow, SurveyResponseRow, TicketRow, UsageEventRow};

use super::signals::{Condition, SignalSource, HISTORY_DAYS};
use super::words::{
    risk_note, Template, CHAMPION_TITLES, CHURN_TEMPLATES, COMPANY_KINDS, CUSTOMER_TEMPLATES, ECONOMIC_BUYER_TITLES,
    EXPANSION_TEMPLATES, FIRST_NAMES, LAST_NAMES, NAME_HEADS, NAME_TAILS, ONBOARDING_TEMPLATES, OTHER_TITLES,
    PROSPECT_TEMPLATES, RENEWAL_TEMPLATES, TECHNICAL_BUYER_TITLES,
};
use crate::accounts::reasons_json;
use crate::clock::new_id;
use crate::error::AppResult;

/// How many sample accounts each stage gets out of every 200.
pub(super) const STAGE_COUNTS: &[(Stage, usize)] = &[
    (Stage::Prospect, 20),
    (Stage::Onboarding, 30),
    (Stage::Active, 80),
    (Stage::Renewal, 30),
    (Stage::Expanding, 20),
    (Stage::Churned, 20),
];

/// Top-level domain of every sample company. `.example` is reserved (RFC 2606), so no mail
/// to a sample contact can reach a real company.
const COMPANY_TLD: &str = "example";

/// A company before it becomes an account.
#[derive(Clone, Debug)]
pub(super) struct Company {
    pub name: String,
    pub domain: String,
    pub industry: &'static str,
}

/// The user ids that sample accounts are assigned to.
#[derive(Clone, Debug)]
pub(super) struct Owners {
    pub csm_ids: Vec<String>,
    pub ae_ids: Vec<String>,
}

/// Every row the sample data adds to a business, apart from its users.
#[derive(Debug, Default)]
pub(super) struct Dataset {
    pub accounts: Vec<AccountRow>,
    pub contacts: Vec<ContactRow>,
    pub activities: Vec<ActivityRow>,
    pub tickets: Vec<TicketRow>,
    pub survey_responses: Vec<SurveyResponseRow>,
    pub subscriptions: Vec<SubscriptionRow>,
    pub usage_events: Vec<UsageEventRow>,
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn random_duration(rng: &mut StdRng, days: RangeInclusive<i64>) -> Duration {
    Duration::days(rng.gen_range(days)) + Duration::minutes(rng.gen_range(0..24 * 60))
}

/// Random draws a company gets before its name takes a number to be unique.
const NAME_DRAWS: usize = 50;

/// Draws `count` companies with distinct names and domains. The word lists make 22,800
/// names; a company that finds no unused one in [`NAME_DRAWS`] draws, as most do beyond
/// a few thousand, gets its last draw with a number, such as "Cedarridge Logistics 7" at
/// `cedarridge7-logistics.example`.
pub(super) fn companies(rng: &mut StdRng, count: usize) -> Vec<Company> {
    let mut names = HashSet::with_capacity(count);
    let mut domains = HashSet::with_capacity(count);
    let mut next_number: HashMap<String, usize> = HashMap::new();
    let mut companies = Vec::with_capacity(count);
    while companies.len() < count {
        let mut fresh = None;
        let mut last = None;
        for _ in 0..NAME_DRAWS {
            let head = pick(rng, NAME_HEADS);
            let tail = if rng.gen_bool(0.6) { pick(rng, NAME_TAILS) } else { "" };
            let (kind, industry) = COMPANY_KINDS.choose(rng).copied().unwrap_or_default();
            let stem = format!("{head}{tail}");
            let variant = rng.gen_range(0..3);
            let company = company_named(&stem, kind, industry, variant, None);
            if !names.contains(&company.name) && !domains.contains(&company.domain) {
                fresh = Some(company);
                break;
            }
            last = Some((stem, kind, industry, variant));
        }
        let company = match (fresh, last) {
            (Some(company), _) => company,
            (None, Some((stem, kind, industry, variant))) => {
                let number = next_number.entry(format!("{stem} {kind}")).or_insert(1);
                loop {
                    *number += 1;
                    let company = company_named(&stem, kind, industry, variant, Some(*number));
                    if !names.contains(&company.name) && !domains.contains(&company.domain) {
                        break company;
                    }
                }
            }
            (None, None) => break,
        };
        names.insert(company.name.clone());
        domains.insert(company.domain.clone());
        companies.push(company);
    }
    companies
}

/// Names a company "{stem} {kind}", with the number after it when there is one, and
/// picks one of three domain shapes by `variant`.
fn company_named(stem: &str, kind: &str, industry: &'static str, variant: u32, number: Option<usize>) -> Company {
    let number = number.map(|number| number.to_string()).unwrap_or_default();
    let name = if number.is_empty() { format!("{stem} {kind}") } else { format!("{stem} {kind} {number}") };
    let stem = format!("{stem}{number}").to_lowercase();
    let kind = kind.to_lowercase();
    let domain = match variant {
        0 => format!("{stem}.{COMPANY_TLD}"),
        1 => format!("{stem}{kind}.{COMPANY_TLD}"),
        _ => format!("{stem}-{kind}.{COMPANY_TLD}"),
    };
    Company { name, domain, industry }
}

/// Draws the stages of `count` accounts in the proportions of [`STAGE_COUNTS`], shuffled.
pub(super) fn stages(rng: &mut StdRng, count: usize) -> Vec<Stage> {
    let per_round: usize = STAGE_COUNTS.iter().map(|(_, count)| count).sum();
    let rounds = count.div_ceil(per_round);
    let mut stages: Vec<Stage> =
        STAGE_COUNTS.iter().flat_map(|(stage, count)| std::iter::repeat_n(*stage, *count * rounds)).collect();
    stages.shuffle(rng);
    stages.truncate(count);
    stages
}

/// Builds an account per company in the given stage, with its contacts, timeline and
/// records of the sibling apps. Times are spread over the past up to `now`.
pub(super) fn build(
    rng: &mut StdRng,
    business_id: &str,
    companies: Vec<Company>,
    stages: &[Stage],
    owners: &Owners,
    now: NaiveDateTime,
) -> AppResult<Dataset> {
    let mut dataset = Dataset::default();
    for (company, stage) in companies.into_iter().zip(stages) {
        let builder = AccountBuilder { business_id, owners, now };
        builder.add(rng, &mut dataset, company, *stage)?;
    }
    Ok(dataset)
}

/// Stages an account passed through on its way to `stage`, oldest first.
fn stage_path(rng: &mut StdRng, stage: Stage) -> Vec<Stage> {
    use Stage::{Active, Churned, Expanding, Onboarding, Prospect, Renewal};
    match stage {
        Prospect => vec![Prospect],
        Onboarding => vec![Prospect, Onboarding],
        Active => vec![Prospect, Onboarding, Active],
        Renewal => vec![Prospect, Onboarding, Active, Renewal],
        Expanding => vec![Prospect, Onboarding, Active, Expanding],
        Churned if rng.gen_bool(0.6) => vec![Prospect, Onboarding, Active, Renewal, Churned],
        Churned => vec![Prospect, Onboarding, Active, Churned],
    }
}

/// Dates the account moved along `path`: a sales phase of weeks, an onboarding of a few
/// months, then a recent move into renewal, expansion or churn. Each change falls after
/// the previous one and at least a day before `now`.
fn stage_changes(
    rng: &mut StdRng,
    path: &[Stage],
    created_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Vec<(Stage, Stage, NaiveDateTime)> {
    let end = now - Duration::days(1);
    // The sales and onboarding phases each take at most a quarter of the account's life.
    let quarter = (end - created_at) / 4;
    let churned_at = now - random_duration(rng, 15..=120);
    let mut previous = created_at;
    let mut changes = Vec::with_capacity(path.len().saturating_sub(1));
    for pair in path.windows(2) {
        let planned = match pair[1] {
            Stage::Prospect => previous,
            Stage::Onboarding => previous + random_duration(rng, 20..=90).min(quarter),
            Stage::Active => previous + random_duration(rng, 45..=120).min(quarter),
            Stage::Renewal if path.last() == Some(&Stage::Churned) => churned_at - random_duration(rng, 20..=60),
            Stage::Renewal => now - random_duration(rng, 20..=80),
            Stage::Expanding => now - random_duration(rng, 10..=150),
            Stage::Churned => churned_at,
        };
        let at = planned.max(previous + Duration::hours(1)).min(end);
        changes.push((pair[0], pair[1], at));
        previous = at;
    }
    changes
}

/// Returns how many days ago accounts of a stage were created.
fn age_days(stage: Stage) -> RangeInclusive<i64> {
    match stage {
        Stage::Prospect => 5..=120,
        Stage::Onboarding => 20..=100,
        Stage::Active => 150..=1000,
        Stage::Renewal => 330..=1100,
        Stage::Expanding => 200..=1000,
        Stage::Churned => 330..=1100,
    }
}

/// Returns the chance that an account of a stage is flagged at risk.
fn risk_chance(stage: Stage) -> f64 {
    match stage {
        Stage::Renewal => 0.35,
        Stage::Active | Stage::Onboarding => 0.15,
        Stage::Expanding => 0.05,
        Stage::Prospect | Stage::Churned => 0.0,
    }
}

fn templates_for(stage: Stage) -> Vec<Template> {
    match stage {
        Stage::Prospect => PROSPECT_TEMPLATES.to_vec(),
        Stage::Onboarding => ONBOARDING_TEMPLATES.to_vec(),
        Stage::Active | Stage::Churned => CUSTOMER_TEMPLATES.to_vec(),
        Stage::Renewal => [RENEWAL_TEMPLATES, CUSTOMER_TEMPLATES].concat(),
        Stage::Expanding => [EXPANSION_TEMPLATES, CUSTOMER_TEMPLATES].concat(),
    }
}

struct AccountBuilder<'a> {
    business_id: &'a str,
    owners: &'a Owners,
    now: NaiveDateTime,
}

impl AccountBuilder<'_> {
    fn add(&self, rng: &mut StdRng, dataset: &mut Dataset, company: Company, stage: Stage) -> AppResult<()> {
        let account_id = new_id().to_string();
        let created_at = self.now - random_duration(rng, age_days(stage));

        let csm_id = if stage == Stage::Prospect || rng.gen_bool(0.05) {
            None
        } else {
            self.owners.csm_ids.choose(rng).cloned()
        };
        let ae_id = if rng.gen_bool(0.05) { None } else { self.owners.ae_ids.choose(rng).cloned() };

        let reasons = if rng.gen_bool(risk_chance(stage)) { risk_reasons(rng) } else { Vec::new() };
        let condition = Condition::draw(rng, stage, !reasons.is_empty());

        let path = stage_path(rng, stage);
        let changes = stage_changes(rng, &path, created_at, self.now);
        let churned_at = changes.last().filter(|(_, to, _)| *to == Stage::Churned).map(|(_, _, at)| *at);

        let today = self.now.date();
        let renewal_date = match stage {
            Stage::Prospect => None,
            Stage::Onboarding => Some(today + Duration::days(rng.gen_range(270..=365))),
            Stage::Active | Stage::Expanding => {
                Some(today + Duration::days(rng.gen_range(condition.days_to_renewal())))
            }
            Stage::Renewal => Some(today + Duration::days(rng.gen_range(-30..=90))),
            Stage::Churned => churned_at.map(|at| at.date()),
        };
        let billing_customer_id = (stage != Stage::Prospect).then(|| {
            let suffix: String = (0..14).map(|_| char::from(rng.sample(Alphanumeric))).collect();
            format!("cus_{suffix}")
        });

        // Churned accounts went quiet when they left, which their timeline ends with.
        let quiet_since = match churned_at {
            Some(_) => self.now,
            None => (self.now - Duration::days(condition.quiet_days(rng)) - Duration::minutes(rng.gen_range(0..600)))
                .max(created_at),
        };

        let contacts = self.contacts(rng, &account_id, &company.domain, stage, &reasons, created_at);
        let people: Vec<String> = contacts.iter().map(|contact| contact.name.clone()).collect();
        let emails: Vec<String> = contacts.iter().filter_map(|contact| contact.email.clone()).collect();
        dataset.contacts.extend(contacts);

        let timeline = Timeline {
            builder: self,
            account_id: &account_id,
            company: &company.name,
            people: &people,
            csm_id: csm_id.as_deref(),
            ae_id: ae_id.as_deref(),
            quiet_since,
        };
        let first_activity = dataset.activities.len();
        timeline.add(rng, dataset, created_at, churned_at.unwrap_or(self.now), &changes, &reasons);
        let updated_at =
            dataset.activities[first_activity..].iter().map(|activity| activity.occurred_at).fold(created_at, Ord::max);

        let signals = SignalSource {
            business_id: self.business_id,
            account_id: &account_id,
            domain: &company.domain,
            billing_customer_id: billing_customer_id.as_deref(),
            stage,
            condition,
            emails,
            created_at,
            quiet_since,
            renewal_date,
            churned_at,
            now: self.now,
        };
        signals.add(rng, dataset)?;

        dataset.accounts.push(AccountRow {
            id: account_id,
            business_id: self.business_id.to_owned(),
            name: company.name,
            domain: Some(company.domain),
            industry: Some(company.industry.to_owned()),
            stage: stage.as_str().to_owned(),
            at_risk: !reasons.is_empty(),
            at_risk_reasons: reasons_json(&reasons)?,
            csm_id,
            ae_id,
            renewal_date,
            // Health scores are computed by their own feature, never invented here.
            health_score: None,
            billing_customer_id,
            external_id: None,
            metadata: "{}".to_owned(),
            is_sample: true,
            created_at,
            updated_at,
        });
        Ok(())
    }

    /// Makes 2 to 5 contacts at the company's domain: most accounts get a champion and an
    /// economic buyer, many a technical buyer, and at-risk or churned accounts often a
    /// detractor. An account whose champion left has none.
    fn contacts(
        &self,
        rng: &mut StdRng,
        account_id: &str,
        domain: &str,
        stage: Stage,
        reasons: &[AtRiskReason],
        account_created_at: NaiveDateTime,
    ) -> Vec<ContactRow> {
        let count = rng.gen_range(2..=5_usize);
        let champion = (!reasons.contains(&AtRiskReason::ChampionLeft) && rng.gen_bool(0.85)).then_some(0);
        let economic_buyer = rng.gen_bool(0.75).then(|| if champion.is_some() && rng.gen_bool(0.2) { 0 } else { 1 });
        let technical_buyer = rng.gen_bool(0.6).then(|| rng.gen_range(1..count));
        let detractor_chance = match stage {
            Stage::Churned => 0.6,
            _ if !reasons.is_empty() => 0.5,
            _ => 0.1,
        };
        let detractor = rng.gen_bool(detractor_chance).then_some(count - 1);

        let mut used_names = HashSet::new();
        let mut contacts = Vec::with_capacity(count);
        for index in 0..count {
            let (first, last) = loop {
                let first = pick(rng, FIRST_NAMES);
                let last = pick(rng, LAST_NAMES);
                if used_names.insert((first, last)) {
                    break (first, last);
                }
            };
            let is_champion = champion == Some(index);
            let is_economic_buyer = economic_buyer == Some(index);
            let is_technical_buyer = technical_buyer == Some(index);
            let title = if is_economic_buyer {
                pick(rng, ECONOMIC_BUYER_TITLES)
            } else if is_technical_buyer {
                pick(rng, TECHNICAL_BUYER_TITLES)
            } else if is_champion {
                pick(rng, CHAMPION_TITLES)
            } else {
                pick(rng, OTHER_TITLES)
            };
            let email = (!rng.gen_bool(0.05)).then(|| format!("{first}.{last}@{domain}").to_lowercase());
            let created_at = (account_created_at + random_duration(rng, 0..=30)).min(self.now);

            contacts.push(ContactRow {
                id: new_id().to_string(),
                business_id: self.business_id.to_owned(),
                account_id: account_id.to_owned(),
                name: format!("{first} {last}"),
                email,
                title: Some(title.to_owned()),
                champion: is_champion,
                economic_buyer: is_economic_buyer,
                technical_buyer: is_technical_buyer,
                detractor: detractor == Some(index),
                metadata: "{}".to_owned(),
                created_at,
                updated_at: created_at,
            });
        }
        contacts
    }
}

/// Picks one or two reasons. Low health is left out because only the health job sets it.
fn risk_reasons(rng: &mut StdRng) -> Vec<AtRiskReason> {
    let candidates: Vec<AtRiskReason> =
        AtRiskReason::ALL.iter().copied().filter(|reason| *reason != AtRiskReason::LowHealth).collect();
    let count = if rng.gen_bool(0.3) { 2 } else { 1 };
    candidates.choose_multiple(rng, count).copied().collect()
}

/// Writes one account's timeline: touchpoints that fit the stage the account was in at
/// the time, a system entry per stage change, and notes that explain at-risk reasons.
/// Touchpoints fall in the last [`HISTORY_DAYS`] days and none after `quiet_since`.
struct Timeline<'a> {
    builder: &'a AccountBuilder<'a>,
    account_id: &'a str,
    company: &'a str,
    /// Names of the account's contacts.
    people: &'a [String],
    csm_id: Option<&'a str>,
    ae_id: Option<&'a str>,
    /// The account's latest touchpoint; the health score's usage reads it.
    quiet_since: NaiveDateTime,
}

impl Timeline<'_> {
    fn add(
        &self,
        rng: &mut StdRng,
        dataset: &mut Dataset,
        from: NaiveDateTime,
        until: NaiveDateTime,
        changes: &[(Stage, Stage, NaiveDateTime)],
        reasons: &[AtRiskReason],
    ) {
        let first = from.max(self.builder.now - Duration::days(HISTORY_DAYS));
        let last = until.min(self.quiet_since).max(first);
        let window = (last - first).num_minutes().max(1);
        let age_months = window / (30 * 24 * 60);
        let touchpoints = match changes.len() {
            0 => rng.gen_range(3..=6),
            _ => rng.gen_range(3..=6) + age_months.min(12) / 3,
        };
        let mut times: Vec<NaiveDateTime> =
            (0..touchpoints).map(|_| first + Duration::minutes(rng.gen_range(0..window))).collect();
        times.sort();
        // The latest touchpoint is the moment the account went quiet.
        if let Some(latest) = times.last_mut() {
            *latest = last;
        }

        // Sales and onboarding steps happen once each and in the order of their list, so a
        // stage's surplus touchpoints are dropped. Later stages draw their recurring
        // touchpoints without replacement and start over once the list runs out.
        let mut next_step: HashMap<Stage, usize> = HashMap::new();
        let mut unused: HashMap<Stage, Vec<Template>> = HashMap::new();
        for at in times {
            let stage_then = changes.iter().rev().find(|(_, _, changed_at)| *changed_at <= at).map(|(_, to, _)| *to);
            let stage_then = stage_then.unwrap_or(Stage::Prospect);
            let template = if matches!(stage_then, Stage::Prospect | Stage::Onboarding) {
                let step = next_step.entry(stage_then).or_insert(0);
                *step += 1;
                templates_for(stage_then).get(*step - 1).copied()
            } else {
                let pool = unused.entry(stage_then).or_default();
                if pool.is_empty() {
                    *pool = templates_for(stage_then);
                    pool.shuffle(rng);
                }
                pool.pop()
            };
            let Some(template) = template else {
                continue;
            };
            let author = if stage_then == Stage::Prospect { self.ae_id } else { self.csm_id.or(self.ae_id) };
            self.push(rng, dataset, template, at, author);
        }

        for (index, (from_stage, to_stage, at)) in changes.iter().enumerate() {
            let author = if index == 0 { self.ae_id } else { self.csm_id.or(self.ae_id) };
            if *to_stage == Stage::Onboarding {
                let handoff = Template {
                    kind: ActivityKind::Note,
                    subject: "Sales handoff to customer success",
                    body: Some("Promised outcomes, pain points and implementation scope are in the handoff checklist."),
                };
                self.push(rng, dataset, handoff, *at - Duration::hours(2), self.ae_id);
            }
            let follow_ups = match to_stage {
                Stage::Renewal => RENEWAL_TEMPLATES,
                Stage::Expanding => EXPANSION_TEMPLATES,
                _ => &[],
            };
            let follow_up_window = (last - *at).num_minutes().max(1);
            let count = rng.gen_range(1..=2);
            for template in follow_ups.choose_multiple(rng, count).copied().collect::<Vec<_>>() {
                let when = *at + Duration::minutes(rng.gen_range(0..follow_up_window));
                self.push(rng, dataset, template, when, self.csm_id.or(self.ae_id));
            }
            if *to_stage == Stage::Churned {
                for (template, offset) in CHURN_TEMPLATES.iter().zip([-rng.gen_range(2..=20), rng.gen_range(1..=5)]) {
                    let when = (*at + Duration::days(offset)).min(self.builder.now);
                    self.push(rng, dataset, *template, when, self.csm_id.or(self.ae_id));
                }
            }
            let subject = format!("Stage changed from {} to {}", from_stage.label(), to_stage.label());
            dataset.activities.push(self.row(ActivityKind::System, subject, None, *at, author));
        }

        for reason in reasons {
            let at = (last - random_duration(rng, 0..=14)).max(from);
            self.push(rng, dataset, risk_note(*reason), at, self.csm_id.or(self.ae_id));
        }
    }

    fn push(
        &self,
        rng: &mut StdRng,
        dataset: &mut Dataset,
        template: Template,
        at: NaiveDateTime,
        author: Option<&str>,
    ) {
        if at > self.quiet_since {
            return;
        }
        let contact = self.people.choose(rng).map(String::as_str).unwrap_or("the customer");
        let fill = |text: &str| text.replace("{contact}", contact).replace("{company}", self.company);
        let row = self.row(template.kind, fill(template.subject), template.body.map(fill), at, author);
        dataset.activities.push(row);
    }

    fn row(
        &self,
        kind: ActivityKind,
        subject: String,
        body: Option<String>,
        at: NaiveDateTime,
        author: Option<&str>,
    ) -> ActivityRow {
        ActivityRow {
            id: new_id().to_string(),
            business_id: self.builder.business_id.to_owned(),
            account_id: self.account_id.to_owned(),
            kind: kind.as_str().to_owned(),
            subject,
            body,
            occurred_at: at,
            author_id: author.map(str::to_owned),
            created_at: at,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn sample(seed: u64) -> Dataset {
        let mut rng = StdRng::seed_from_u64(seed);
        let owners = Owners { csm_ids: vec!["csm".into()], ae_ids: vec!["ae".into()] };
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).map(|at| at.naive_utc()).unwrap_or_default();
        let companies = companies(&mut rng, 200);
        let stages = stages(&mut rng, companies.len());
        build(&mut rng, "business", companies, &stages, &owners, now).unwrap_or_default()
    }

    #[test]
    fn every_stage_is_present() {
        let dataset = sample(7);
        assert_eq!(dataset.accounts.len(), 200);
        for stage in Stage::ALL {
            let count = dataset.accounts.iter().filter(|account| account.stage == stage.as_str()).count();
            assert!(count > 0, "no account in stage {stage}");
        }
    }

    #[test]
    fn names_repeat_for_a_seed() {
        let names = |dataset: &Dataset| dataset.accounts.iter().map(|account| account.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&sample(3)), names(&sample(3)));
        assert_ne!(names(&sample(3)), names(&sample(4)));
    }

    #[test]
    fn contacts_and_timelines_are_realistic() {
        let dataset = sample(7);
        for account in &dataset.accounts {
            let contacts: Vec<&ContactRow> =
                dataset.contacts.iter().filter(|contact| contact.account_id == account.id).collect();
            assert!((2..=5).contains(&contacts.len()), "{} has {} contacts", account.name, contacts.len());
            let domain = account.domain.clone().unwrap_or_default();
            for email in contacts.iter().filter_map(|contact| contact.email.as_deref()) {
                assert!(email.ends_with(&format!("@{domain}")), "{email} is not at {domain}");
            }
            let timeline = dataset.activities.iter().filter(|activity| activity.account_id == account.id).count();
            assert!(timeline >= 3, "{} has {timeline} activities", account.name);
            assert!(account.health_score.is_none());
        }
        let champions = dataset.contacts.iter().filter(|contact| contact.champion).count();
        let detractors = dataset.contacts.iter().filter(|contact| contact.detractor).count();
        assert!(champions > 120, "most accounts have a champion: {champions}");
        assert!(detractors > 0, "some accounts have a detractor");
        assert!(detractors < champions, "fewer detractors ({detractors}) than champions ({champions})");
        assert!(dataset.accounts.iter().any(|account| account.at_risk));
        assert!(dataset.activities.iter().any(|activity| activity.kind == "system"));
    }

    #[test]
    fn activities_never_lie_in_the_future() {
        let dataset = sample(11);
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).map(|at| at.naive_utc()).unwrap_or_default();
        assert!(dataset.activities.iter().all(|activity| activity.occurred_at <= now));
    }
}
