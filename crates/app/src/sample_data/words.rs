//! Word lists and text templates the sample data is assembled from. A company name is a
//! first part, an optional second part and a kind, such as "Cedar" + "ridge" + "Logistics",
//! and the kind also sets the industry.

use crm_core::{ActivityKind, AtRiskReason};

/// First parts of company names.
pub(super) const NAME_HEADS: &[&str] = &[
    "Amber", "Atlas", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Clear", "Cobalt", "Copper", "Crescent", "Delta",
    "Echo", "Ember", "Falcon", "Fern", "Granite", "Harbor", "Hazel", "Iron", "Juniper", "Kestrel", "Lantern", "Maple",
    "Meridian", "Nimbus", "North", "Oak", "Orbit", "Pine", "Prairie", "Quartz", "Raven", "River", "Sable", "Silver",
    "Summit", "Tidal", "Vector", "Willow",
];

/// Second parts of company names, joined to the first without a space.
pub(super) const NAME_TAILS: &[&str] = &[
    "field", "point", "bridge", "gate", "line", "works", "path", "stone", "wave", "forge", "leaf", "crest", "view",
    "ridge", "mark", "way", "peak", "haven",
];

/// The last word of a company name and the industry it implies.
pub(super) const COMPANY_KINDS: &[(&str, &str)] = &[
    ("Logistics", "Transportation & Logistics"),
    ("Freight", "Transportation & Logistics"),
    ("Health", "Healthcare"),
    ("Clinics", "Healthcare"),
    ("Bank", "Financial Services"),
    ("Capital", "Financial Services"),
    ("Insurance", "Insurance"),
    ("Analytics", "Software"),
    ("Software", "Software"),
    ("Cloud", "Software"),
    ("Biosciences", "Biotechnology"),
    ("Robotics", "Manufacturing"),
    ("Manufacturing", "Manufacturing"),
    ("Foods", "Food & Beverage"),
    ("Brewing", "Food & Beverage"),
    ("Retail", "Retail"),
    ("Outfitters", "Retail"),
    ("Energy", "Energy"),
    ("Solar", "Energy"),
    ("Media", "Media & Entertainment"),
    ("Studios", "Media & Entertainment"),
    ("Learning", "Education"),
    ("Academy", "Education"),
    ("Properties", "Real Estate"),
    ("Networks", "Telecommunications"),
    ("Hotels", "Hospitality"),
    ("Travel", "Hospitality"),
    ("Consulting", "Professional Services"),
    ("Partners", "Professional Services"),
    ("Construction", "Construction"),
];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Aisha",
    "Alejandro",
    "Amara",
    "Ben",
    "Carmen",
    "Chen",
    "Daniel",
    "Divya",
    "Elena",
    "Emeka",
    "Farah",
    "Grace",
    "Hannah",
    "Hiroshi",
    "Ines",
    "Isaac",
    "Jamal",
    "Julia",
    "Kai",
    "Katarzyna",
    "Leila",
    "Liam",
    "Lucia",
    "Marcus",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Olga",
    "Omar",
    "Priya",
    "Rafael",
    "Rosa",
    "Samuel",
    "Sofia",
    "Tariq",
    "Tomas",
    "Valentina",
    "Wei",
    "Yusuf",
    "Zara",
    "Zoe",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Brennan",
    "Castillo",
    "Chowdhury",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Mbeki",
    "Moreau",
    "Murphy",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Turner",
    "Virtanen",
    "Walsh",
    "Wong",
    "Yamamoto",
    "Zhang",
];

/// Titles of contacts who sign off the budget.
pub(super) const ECONOMIC_BUYER_TITLES: &[&str] = &[
    "Chief Financial Officer",
    "Chief Operating Officer",
    "VP of Finance",
    "VP of Operations",
    "Head of Procurement",
    "General Manager",
];

/// Titles of contacts who own the technical side.
pub(super) const TECHNICAL_BUYER_TITLES: &[&str] = &[
    "Chief Technology Officer",
    "Director of IT",
    "Engineering Manager",
    "Solutions Architect",
    "Head of Data",
    "Systems Administrator",
];

/// Titles of contacts who typically champion a product day to day.
pub(super) const CHAMPION_TITLES: &[&str] = &[
    "Director of Customer Experience",
    "Operations Manager",
    "Head of Sales Operations",
    "Revenue Operations Lead",
    "Program Manager",
    "Director of Support",
];

/// Titles of the remaining contacts.
pub(super) const OTHER_TITLES: &[&str] = &[
    "Business Analyst",
    "Project Coordinator",
    "Support Team Lead",
    "Marketing Manager",
    "Account Coordinator",
    "Data Analyst",
    "Office Manager",
    "Training Specialist",
];

/// People who own accounts in the sample business: customer success managers and account
/// executives, all with the manager role. The email's local part is `first.last`.
pub(super) const CSM_NAMES: &[&str] = &["Ava Lindqvist", "Mateo Ferreira", "Nia Osei", "Ruben Hartmann"];
pub(super) const AE_NAMES: &[&str] = &["Grace Whitfield", "Dev Malhotra", "Sina Tupou"];

/// A timeline entry before names are filled in: `{contact}` becomes a contact's name and
/// `{company}` the account's name.
#[derive(Clone, Copy, Debug)]
pub(super) struct Template {
    pub kind: ActivityKind,
    pub subject: &'static str,
    pub body: Option<&'static str>,
}

const fn entry(kind: ActivityKind, subject: &'static str, body: Option<&'static str>) -> Template {
    Template { kind, subject, body }
}

use ActivityKind::{Call, Email, Meeting, Note};

/// Touchpoints of the sales phase, written by the account executive, in the order they
/// happen.
pub(super) const PROSPECT_TEMPLATES: &[Template] = &[
    entry(Call, "Discovery call with {contact}", Some("Mapped the current process and the three teams involved.")),
    entry(
        Meeting,
        "Product demo for {company}",
        Some("Demoed dashboards and the renewal workflow; good questions on SSO."),
    ),
    entry(Email, "Sent pricing overview to {contact}", None),
    entry(Note, "{contact} is comparing us with two other vendors", None),
    entry(Email, "Re: Security questionnaire", Some("Returned the completed questionnaire and our SOC 2 summary.")),
    entry(Meeting, "Proposal walkthrough with {contact}", Some("Walked through scope, timeline and pricing tiers.")),
];

/// Touchpoints of the first weeks after the sale, in the order they happen.
pub(super) const ONBOARDING_TEMPLATES: &[Template] = &[
    entry(Email, "Welcome to the onboarding program", Some("Shared the onboarding plan and the admin checklist.")),
    entry(Meeting, "Kickoff meeting with {company}", Some("Agreed on goals, milestones and a weekly check-in.")),
    entry(Meeting, "Admin training session", Some("Trained four admins on users, roles and custom fields.")),
    entry(
        Call,
        "Data import review with {contact}",
        Some("Two CSV columns needed remapping; import re-run successfully."),
    ),
    entry(Note, "Integration with the billing system is live", None),
];

/// Touchpoints of any customer after onboarding.
pub(super) const CUSTOMER_TEMPLATES: &[Template] = &[
    entry(Call, "Check-in call with {contact}", Some("No blockers; asked about the upcoming reporting features.")),
    entry(
        Meeting,
        "Quarterly business review with {contact}",
        Some("Reviewed adoption, support volume and goals for next quarter."),
    ),
    entry(Email, "Shared the monthly usage report", None),
    entry(Email, "Re: Support ticket about export timeouts", Some("Confirmed the fix with {contact}; ticket closed.")),
    entry(Call, "Roadmap preview with {contact}", None),
    entry(Note, "{contact} asked for single sign-on; passed to product", None),
    entry(Meeting, "Workshop on reporting dashboards", Some("Built two team dashboards together with {contact}.")),
    entry(Email, "Invitation to the customer advisory board", None),
    entry(Note, "Team is happy with the new reporting", None),
    entry(Call, "Executive sponsor sync with {contact}", None),
];

/// Touchpoints of an account approaching its renewal.
pub(super) const RENEWAL_TEMPLATES: &[Template] = &[
    entry(Meeting, "Renewal planning with {contact}", Some("Confirmed seat count and the decision timeline.")),
    entry(
        Email,
        "Renewal proposal sent to {contact}",
        Some("Proposal includes the standard uplift and a two-year option."),
    ),
    entry(Call, "Negotiation call on renewal terms", None),
];

/// Touchpoints of an account buying more.
pub(super) const EXPANSION_TEMPLATES: &[Template] = &[
    entry(Meeting, "Expansion discussion with {contact}", Some("Finance team wants access next quarter.")),
    entry(Email, "Quote for 50 additional seats", None),
    entry(Note, "{contact} wants to roll out to the EMEA office", None),
];

/// The last touchpoints of a customer that left.
pub(super) const CHURN_TEMPLATES: &[Template] = &[
    entry(Email, "Cancellation notice received from {contact}", Some("Contract ends at the current term; no renewal.")),
    entry(Call, "Exit interview with {contact}", Some("Main reasons: budget and a consolidation onto one vendor.")),
];

/// Returns the timeline entry that explains an at-risk reason.
pub(super) fn risk_note(reason: AtRiskReason) -> Template {
    match reason {
        AtRiskReason::LowHealth => entry(Note, "Health has been trending down for a month", None),
        AtRiskReason::LowUsage => {
            entry(Note, "Weekly active users fell by a third", Some("Usage dropped after the team reorganised."))
        }
        AtRiskReason::ChampionLeft => entry(
            Note,
            "Our champion has left {company}",
            Some("Need a new sponsor; asked {contact} for an introduction."),
        ),
        AtRiskReason::SupportEscalation => entry(
            Call,
            "Escalation call about failed data syncs",
            Some("Engineering is on it; daily updates promised to {contact}."),
        ),
        AtRiskReason::BudgetCuts => entry(Note, "Budget freeze announced for next fiscal year", None),
        AtRiskReason::Competitor => entry(
            Note,
            "{company} is evaluating a competitor",
            Some("{contact} shared that a cheaper tool is in a trial."),
        ),
        AtRiskReason::PaymentIssue => {
            entry(Email, "Two invoices are overdue", Some("Sent a reminder to accounts payable and copied {contact}."))
        }
        AtRiskReason::Other => entry(Note, "Reorganisation puts the project on hold", None),
    }
}

/// Subjects of support tickets.
pub(super) const TICKET_SUBJECTS: &[&str] = &[
    "CSV export times out for large reports",
    "Cannot add a new admin user",
    "Single sign-on login loops back to the sign-in page",
    "Dashboard numbers differ from the billing report",
    "Data sync with the CRM stopped overnight",
    "Invoice shows the wrong number of seats",
    "Email notifications arrive twice",
    "Custom field values missing after import",
    "API requests return 429 during the nightly sync",
    "Request to change the account owner",
    "Password reset email never arrives",
    "Scheduled report was not delivered",
    "Question about data retention settings",
    "Mobile app crashes when opening an account",
    "Timeline entries show the wrong time zone",
];

/// Product usage events, in the names the product reports them with.
pub(super) const USAGE_EVENTS: &[&str] =
    &["user_login", "report_exported", "dashboard_viewed", "account_updated", "integration_synced", "seat_assigned"];

/// Survey comments by the mood of the answer.
pub(super) const PRAISE_COMMENTS: &[&str] = &[
    "The reporting saves my team hours every week.",
    "Support answered within the hour, as always.",
    "Onboarding our second team was painless.",
    "Exactly what we needed for renewals.",
];
pub(super) const NEUTRAL_COMMENTS: &[&str] = &[
    "Does the job, but the exports are slow.",
    "Good product; the mobile app needs work.",
    "Would like more control over notifications.",
];
pub(super) const COMPLAINT_COMMENTS: &[&str] = &[
    "Too many sync failures this quarter.",
    "Tickets stay open for weeks.",
    "Hard to justify the price with our usage.",
    "We lost data after the last import.",
];

/// Subscription plans: name and price of one seat a month in cents.
pub(super) const PLANS: &[(&str, i64)] =
    &[("Starter", 1_500), ("Growth", 3_000), ("Business", 6_000), ("Enterprise", 9_500)];

/// Billing currencies and how often each is drawn, out of 10.
pub(super) const CURRENCIES: &[(&str, u32)] = &[("USD", 7), ("EUR", 2), ("GBP", 1)];
