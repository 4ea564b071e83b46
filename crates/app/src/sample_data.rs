//! Sample data for demos, training and benchmarks: a business with one user per role, a
//! few account owners and 200 accounts (or as many as asked for) with contacts, timelines,
//! support tickets, survey responses, subscriptions and usage events.
//!
//! Every business, user and account that `generate` adds is marked `is_sample`. The other
//! records belong to sample accounts and go with them through their foreign keys, so
//! `destroy` removes exactly that and never a record the tenant created.

mod dataset;
mod signals;
mod words;

use std::fmt;

use api_types::users::UserCreate;
use crm_core::Role;
use diesel::Connection;
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::businesses::{self as business_queries, BusinessRow};
use store::signals::{subscription_rows, surveys, tickets, usage};
use store::users::{self as user_queries, UserChanges, UserRow};
use store::{accounts as account_queries, activities as activity_queries, auth as auth_queries};
use store::{contacts as contact_queries, DbConnection, PooledDb, Scope};
use tracing::info;

use self::dataset::{Company, Dataset, Owners};
use self::words::{AE_NAMES, CSM_NAMES};
use crate::auth::{hash_password, parse_id};
use crate::businesses::{insert_business, new_business_row};
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::users::{allowed_roles, insert_user, new_user_row};
use crate::App;

/// Slug of the demo business when none is given.
pub const DEFAULT_SLUG: &str = "demo";

/// Name of a business that `generate` creates.
const BUSINESS_NAME: &str = "Demo Company";

/// Seed of the generator: every run yields the same companies, people and timelines, so
/// demos and screenshots repeat. Only ids, the password and the token differ.
const SEED: u64 = 20_261_204;

/// Accounts that `generate` adds when no count is given.
pub const DEFAULT_ACCOUNT_COUNT: usize = 200;

/// The maximum number of accounts `generate` adds in one run.
pub const MAX_ACCOUNT_COUNT: usize = 1_000_000;

/// Extra companies drawn in case an existing business already has accounts at some of
/// the sample domains.
const SPARE_COMPANIES: usize = 100;

/// Accounts built and inserted at a time, so a large book never sits in memory whole.
const ACCOUNTS_PER_CHUNK: usize = 2_000;

/// Bind parameters per insert statement, under SQLite's limit of 32,766 (PostgreSQL's is
/// 65,535).
const MAX_BIND_PARAMETERS: usize = 30_000;
const ACCOUNT_COLUMNS: usize = 19;
const CONTACT_COLUMNS: usize = 13;
const ACTIVITY_COLUMNS: usize = 9;
const TICKET_COLUMNS: usize = 13;
const SURVEY_RESPONSE_COLUMNS: usize = 11;
const SUBSCRIPTION_COLUMNS: usize = 16;
const USAGE_EVENT_COLUMNS: usize = 8;

const PASSWORD_CHARS: usize = 20;
const TOKEN_NAME: &str = "sample data";

/// One user per role, by the local part of the email and display name.
const ROLE_USERS: &[(&str, &str, Role)] = &[
    ("member", "Demo Member", Role::Member),
    ("manager", "Demo Manager", Role::Manager),
    ("admin", "Demo Admin", Role::Admin),
    ("super-admin", "Demo Super Admin", Role::SuperAdmin),
];

/// The local part of the sample admin's email, whose API token `generate` prints.
const ADMIN_LOCAL_PART: &str = "admin";

/// Job of a sample account owner. Both jobs have the manager role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    CustomerSuccessManager,
    AccountExecutive,
}

impl Duty {
    pub fn label(self) -> &'static str {
        match self {
            Duty::CustomerSuccessManager => "customer success manager",
            Duty::AccountExecutive => "account executive",
        }
    }
}

/// Result of `generate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenerateOutcome {
    /// Created the business as a sample business, with users and accounts.
    CreatedBusiness,
    /// Added sample users and accounts to a business that already existed.
    AddedToBusiness,
    /// The business already had sample data: added nothing, set a new password for its
    /// sample users and created a new API token.
    AlreadyPresent,
}

/// Numbers of sample records in a business.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SampleCounts {
    pub accounts: i64,
    pub contacts: i64,
    pub activities: i64,
    pub tickets: i64,
    pub survey_responses: i64,
    pub subscriptions: i64,
    pub usage_events: i64,
    pub users: i64,
}

impl SampleCounts {
    fn is_empty(&self) -> bool {
        *self == SampleCounts::default()
    }

    /// Adds the records of a built chunk of accounts.
    fn add(&mut self, dataset: &Dataset) {
        let count = |rows: usize| i64::try_from(rows).unwrap_or(i64::MAX);
        self.accounts += count(dataset.accounts.len());
        self.contacts += count(dataset.contacts.len());
        self.activities += count(dataset.activities.len());
        self.tickets += count(dataset.tickets.len());
        self.survey_responses += count(dataset.survey_responses.len());
        self.subscriptions += count(dataset.subscriptions.len());
        self.usage_events += count(dataset.usage_events.len());
    }
}

impl From<store::sample_data::RecordCounts> for SampleCounts {
    fn from(counts: store::sample_data::RecordCounts) -> Self {
        let store::sample_data::RecordCounts {
            accounts,
            contacts,
            activities,
            tickets,
            survey_responses,
            subscriptions,
            usage_events,
            users,
        } = counts;
        SampleCounts { accounts, contacts, activities, tickets, survey_responses, subscriptions, usage_events, users }
    }
}

impl fmt::Display for SampleCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SampleCounts {
            accounts,
            contacts,
            activities,
            tickets,
            survey_responses,
            subscriptions,
            usage_events,
            users,
        } = self;
        write!(
            f,
            "{accounts} accounts, {contacts} contacts, {activities} activities, {tickets} support tickets, \
             {survey_responses} survey responses, {subscriptions} subscriptions, {usage_events} usage events \
             and {users} users"
        )
    }
}

/// A sample user someone can sign in as.
#[derive(Clone, Debug)]
pub struct SampleLogin {
    pub email: String,
    pub role: Role,
    pub duty: Option<Duty>,
    /// Whether the business lets this user's role into the app.
    pub allowed: bool,
}

/// Result of `generate` with the sign-in details, printed for the operator.
#[derive(Clone, Debug)]
pub struct SampleDataSummary {
    pub business_slug: String,
    pub business_name: String,
    pub outcome: GenerateOutcome,
    pub counts: SampleCounts,
    pub users: Vec<SampleLogin>,
    /// The password of every sample user.
    pub password: String,
    pub admin_email: String,
    /// An API token of the sample admin, or `None` when that user is missing or deactivated.
    pub token: Option<String>,
}

/// Prints `key: value` lines after a first summary line, so scripts can pick out the
/// `login:` and `token:` lines.
impl fmt::Display for SampleDataSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (slug, name, counts) = (&self.business_slug, &self.business_name, &self.counts);
        match self.outcome {
            GenerateOutcome::CreatedBusiness => writeln!(f, "created sample business {slug} ({name}) with {counts}")?,
            GenerateOutcome::AddedToBusiness => writeln!(f, "added sample data to business {slug} ({name}): {counts}")?,
            GenerateOutcome::AlreadyPresent => writeln!(
                f,
                "business {slug} ({name}) already has sample data ({counts}); added nothing, set a new password \
                 for its sample users and created a new API token"
            )?,
        }
        for user in &self.users {
            write!(f, "user: {} ({}", user.email, user.role)?;
            if let Some(duty) = user.duty {
                write!(f, ", {}", duty.label())?;
            }
            if !user.allowed {
                write!(f, "; this business does not let the {} role into the app", user.role)?;
            }
            writeln!(f, ")")?;
        }
        writeln!(f, "password: {}", self.password)?;
        match &self.token {
            Some(token) => {
                writeln!(f, "login: {} / {}", self.admin_email, self.password)?;
                writeln!(f, "token: {token}")
            }
            None => writeln!(
                f,
                "note: no API token was created because the sample admin {} is missing or deactivated",
                self.admin_email
            ),
        }
    }
}

/// Result of `destroy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalOutcome {
    /// No business has the slug.
    NoBusiness,
    /// The business has no sample data.
    NothingToRemove,
    /// Deleted a sample business with everything in it.
    RemovedBusiness,
    /// Deleted the sample accounts and users of a business and kept the rest.
    RemovedFromBusiness,
}

/// Result of `destroy` with the counts of removed records, printed for the operator.
#[derive(Clone, Debug)]
pub struct SampleDataRemoval {
    pub business_slug: String,
    pub outcome: RemovalOutcome,
    pub counts: SampleCounts,
}

impl fmt::Display for SampleDataRemoval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (slug, counts) = (&self.business_slug, &self.counts);
        match self.outcome {
            RemovalOutcome::NoBusiness => write!(f, "no business has the slug {slug}; nothing to remove"),
            RemovalOutcome::NothingToRemove => write!(f, "business {slug} has no sample data; nothing to remove"),
            RemovalOutcome::RemovedBusiness => write!(f, "removed sample business {slug} with {counts}"),
            RemovalOutcome::RemovedFromBusiness => write!(
                f,
                "removed sample data from business {slug}: {counts}; the records the business created itself were kept"
            ),
        }
    }
}

/// A sample user before it is saved.
struct PlannedUser {
    email: String,
    name: String,
    role: Role,
    duty: Option<Duty>,
}

/// Lists the sample users of the business with this slug: one per role, then the account owners.
/// Emails are at `SLUG.mango-cs.test`, under the reserved `.test` top-level domain.
fn planned_users(slug: &str) -> Vec<PlannedUser> {
    let email_of = |local_part: &str| format!("{local_part}@{slug}.mango-cs.test");
    let mut users: Vec<PlannedUser> = ROLE_USERS
        .iter()
        .map(|(local_part, name, role)| PlannedUser {
            email: email_of(local_part),
            name: (*name).to_owned(),
            role: *role,
            duty: None,
        })
        .collect();
    let owners = CSM_NAMES
        .iter()
        .map(|name| (name, Duty::CustomerSuccessManager))
        .chain(AE_NAMES.iter().map(|name| (name, Duty::AccountExecutive)));
    for (name, duty) in owners {
        users.push(PlannedUser {
            email: email_of(&name.to_lowercase().replace(' ', ".")),
            name: (*name).to_owned(),
            role: Role::Manager,
            duty: Some(duty),
        });
    }
    users
}

/// Builds the rows of the planned users, all with the same password hash.
fn sample_user_rows(business_id: &str, planned: &[PlannedUser], password_hash: &str) -> AppResult<Vec<UserRow>> {
    let mut rows = Vec::with_capacity(planned.len());
    for user in planned {
        let input = UserCreate { email: user.email.clone(), name: user.name.clone(), role: user.role, password: None };
        let mut row = new_user_row(business_id, &input, true)?;
        row.password_hash = Some(password_hash.to_owned());
        rows.push(row);
    }
    Ok(rows)
}

/// Collects the ids of the planned users who own accounts, by their job.
fn owners_of(planned: &[PlannedUser], rows: &[UserRow]) -> Owners {
    let ids_with = |duty: Duty| -> Vec<String> {
        planned.iter().zip(rows).filter(|(user, _)| user.duty == Some(duty)).map(|(_, row)| row.id.clone()).collect()
    };
    Owners { csm_ids: ids_with(Duty::CustomerSuccessManager), ae_ids: ids_with(Duty::AccountExecutive) }
}

fn admin_email(slug: &str) -> String {
    format!("{ADMIN_LOCAL_PART}@{slug}.mango-cs.test")
}

/// Makes a random password of letters and digits, so it needs no quoting in a shell.
fn random_password() -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(PASSWORD_CHARS).map(char::from).collect()
}

fn scope_of(business: &BusinessRow) -> AppResult<Scope> {
    Ok(Scope::new(parse_id(&business.id)?))
}

/// Keeps the first `count` companies whose domain no account of the business has.
fn unused_companies(
    connection: &mut DbConnection,
    scope: &Scope,
    candidates: Vec<Company>,
    count: usize,
) -> AppResult<Vec<Company>> {
    let domains: Vec<String> = candidates.iter().map(|company| company.domain.clone()).collect();
    let taken: std::collections::HashSet<String> = account_queries::find_by_keys(connection, scope, &domains, &[])?
        .into_iter()
        .filter_map(|account| account.domain)
        .collect();
    Ok(candidates.into_iter().filter(|company| !taken.contains(&company.domain)).take(count).collect())
}

/// Checks the number of accounts to generate.
fn check_account_count(count: usize) -> AppResult<()> {
    if (1..=MAX_ACCOUNT_COUNT).contains(&count) {
        return Ok(());
    }
    Err(AppError::invalid("accounts", format!("must be 1 to {MAX_ACCOUNT_COUNT}, got {count}")))
}

/// Builds the accounts of the companies a chunk at a time and inserts each chunk.
fn build_and_insert(
    connection: &mut DbConnection,
    rng: &mut StdRng,
    business_id: &str,
    companies: Vec<Company>,
    owners: &Owners,
) -> AppResult<SampleCounts> {
    let at = now();
    let stages = dataset::stages(rng, companies.len());
    let mut companies = companies.into_iter();
    let mut counts = SampleCounts::default();
    for stages in stages.chunks(ACCOUNTS_PER_CHUNK) {
        let chunk: Vec<Company> = companies.by_ref().take(stages.len()).collect();
        let dataset = dataset::build(rng, business_id, chunk, stages, owners, at)?;
        insert_dataset(connection, &dataset)?;
        counts.add(&dataset);
    }
    Ok(counts)
}

/// Inserts the accounts, then the records that belong to them, in batches that stay under
/// the bind-parameter limit.
fn insert_dataset(connection: &mut DbConnection, dataset: &Dataset) -> AppResult<()> {
    for batch in dataset.accounts.chunks(MAX_BIND_PARAMETERS / ACCOUNT_COLUMNS) {
        account_queries::insert_many(connection, batch)?;
    }
    for batch in dataset.contacts.chunks(MAX_BIND_PARAMETERS / CONTACT_COLUMNS) {
        contact_queries::insert_many(connection, batch)?;
    }
    for batch in dataset.activities.chunks(MAX_BIND_PARAMETERS / ACTIVITY_COLUMNS) {
        activity_queries::insert_many(connection, batch)?;
    }
    for batch in dataset.tickets.chunks(MAX_BIND_PARAMETERS / TICKET_COLUMNS) {
        tickets::insert_many(connection, batch)?;
    }
    for batch in dataset.survey_responses.chunks(MAX_BIND_PARAMETERS / SURVEY_RESPONSE_COLUMNS) {
        surveys::insert_many(connection, batch)?;
    }
    for batch in dataset.subscriptions.chunks(MAX_BIND_PARAMETERS / SUBSCRIPTION_COLUMNS) {
        subscription_rows::insert_many(connection, batch)?;
    }
    for batch in dataset.usage_events.chunks(MAX_BIND_PARAMETERS / USAGE_EVENT_COLUMNS) {
        usage::insert_many(connection, batch)?;
    }
    Ok(())
}

/// Counts the sample accounts (with the records that belong to them) and sample users of
/// a business.
fn sample_counts(connection: &mut DbConnection, business: &BusinessRow) -> AppResult<SampleCounts> {
    Ok(store::sample_data::count_samples(connection, &scope_of(business)?)?.into())
}

impl App {
    /// Fills the business with this slug with sample data, `account_count` accounts (1 to
    /// [`MAX_ACCOUNT_COUNT`]) with everything that belongs to them, creating the business
    /// as a sample business when it does not exist, and creates an API token for the
    /// sample admin.
    ///
    /// A business that already has sample data gets nothing new: its sample users get a
    /// new password, which ends their sessions, and the sample admin a new token, so the
    /// printed login always works.
    pub fn generate_sample_data(&self, slug: &str, account_count: usize) -> AppResult<SampleDataSummary> {
        check_account_count(account_count)?;
        let mut connection = self.connection()?;
        let existing = business_queries::find_by_slug(&mut connection, slug)?;
        if let Some(business) = existing.as_ref() {
            let counts = sample_counts(&mut connection, business)?;
            if business.is_sample || counts.users > 0 || counts.accounts > 0 {
                return self.renew_sample_logins(connection, business, counts);
            }
        }

        // Argon2 is slow, so the password is hashed once for every sample user.
        let password = random_password();
        let password_hash = hash_password(&password)?;
        let (business, outcome) = match existing {
            Some(business) => (business, GenerateOutcome::AddedToBusiness),
            None => (new_business_row(BUSINESS_NAME, slug, true)?, GenerateOutcome::CreatedBusiness),
        };
        let scope = scope_of(&business)?;
        let allowed = allowed_roles(&business)?;
        let planned = planned_users(slug);
        let rows = sample_user_rows(&business.id, &planned, &password_hash)?;
        let owners = owners_of(&planned, &rows);
        let mut rng = StdRng::seed_from_u64(SEED);
        let candidates = dataset::companies(&mut rng, account_count + SPARE_COMPANIES);

        let mut counts = connection.transaction::<_, AppError, _>(|connection| {
            if outcome == GenerateOutcome::CreatedBusiness {
                insert_business(connection, &business)?;
            }
            for row in &rows {
                insert_user(connection, row)?;
            }
            let companies = unused_companies(connection, &scope, candidates, account_count)?;
            build_and_insert(connection, &mut rng, &business.id, companies, &owners)
        })?;
        counts.users = rows.len() as i64;
        info!(business_id = %business.id, slug, ?outcome, ?counts, "sample data generated");
        // The command line's pool has a single connection, and creating the token needs it.
        drop(connection);

        let admin_email = admin_email(slug);
        let token = self.create_token_for_email(&admin_email, TOKEN_NAME)?.secret;
        let users = planned
            .into_iter()
            .map(|user| SampleLogin {
                allowed: allowed.contains(&user.role),
                email: user.email,
                role: user.role,
                duty: user.duty,
            })
            .collect();

        Ok(SampleDataSummary {
            business_slug: business.slug,
            business_name: business.name,
            outcome,
            counts,
            users,
            password,
            admin_email,
            token: Some(token),
        })
    }

    /// Sets a new password for the sample users of a business that already has sample
    /// data, ends their sessions and creates a new token for the sample admin.
    fn renew_sample_logins(
        &self,
        mut connection: PooledDb,
        business: &BusinessRow,
        counts: SampleCounts,
    ) -> AppResult<SampleDataSummary> {
        let scope = scope_of(business)?;
        let mut sample_users: Vec<UserRow> =
            user_queries::all(&mut connection, &scope)?.into_iter().filter(|user| user.is_sample).collect();
        let planned = planned_users(&business.slug);
        let position = |email: &str| planned.iter().position(|user| user.email == email).unwrap_or(planned.len());
        sample_users.sort_by(|a, b| position(&a.email).cmp(&position(&b.email)).then_with(|| a.email.cmp(&b.email)));

        let password = random_password();
        let password_hash = hash_password(&password)?;
        let at = now();
        connection.transaction::<_, AppError, _>(|connection| {
            for user in &sample_users {
                let changes = UserChanges {
                    password_hash: Some(Some(password_hash.clone())),
                    updated_at: Some(at),
                    ..UserChanges::default()
                };
                user_queries::update(connection, &scope, &user.id, &changes)?;
                auth_queries::delete_user_sessions(connection, &user.id)?;
            }
            Ok(())
        })?;
        info!(business_id = %business.id, users = sample_users.len(), "sample users got a new password");
        drop(connection);

        let admin_email = admin_email(&business.slug);
        let admin_active = sample_users.iter().any(|user| user.email == admin_email && user.active);
        let token =
            if admin_active { Some(self.create_token_for_email(&admin_email, TOKEN_NAME)?.secret) } else { None };
        let allowed = allowed_roles(business)?;
        let users = sample_users
            .iter()
            .map(|user| {
                let role: Role = user
                    .role
                    .parse()
                    .map_err(|_| AppError::Internal(format!("stored role {:?} is unknown", user.role)))?;
                let duty = planned.iter().find(|planned| planned.email == user.email).and_then(|planned| planned.duty);
                Ok(SampleLogin { email: user.email.clone(), role, duty, allowed: allowed.contains(&role) })
            })
            .collect::<AppResult<Vec<_>>>()?;

        Ok(SampleDataSummary {
            business_slug: business.slug.clone(),
            business_name: business.name.clone(),
            outcome: GenerateOutcome::AlreadyPresent,
            counts,
            users,
            password,
            admin_email,
            token,
        })
    }

    /// Removes what `generate` added to the business with this slug: a sample business
    /// with everything in it, or else only the sample accounts (with their contacts,
    /// activities, tickets, survey responses, subscriptions, usage events and health
    /// snapshots) and the sample users. Accounts of the business that a sample user owns
    /// keep existing with no owner. Succeeds when there is nothing to remove.
    pub fn destroy_sample_data(&self, slug: &str) -> AppResult<SampleDataRemoval> {
        let mut connection = self.connection()?;
        let Some(business) = business_queries::find_by_slug(&mut connection, slug)? else {
            return Ok(SampleDataRemoval {
                business_slug: slug.to_owned(),
                outcome: RemovalOutcome::NoBusiness,
                counts: SampleCounts::default(),
            });
        };
        let scope = scope_of(&business)?;

        let (outcome, counts) = connection.transaction::<_, AppError, _>(|connection| {
            let counts = sample_counts(connection, &business)?;
            // A sample business goes as a whole only while it contains nothing but sample data;
            // accounts or users added to it since are kept, with the business.
            let only_samples = SampleCounts::from(store::sample_data::count_all(connection, &scope)?) == counts;
            if business.is_sample && only_samples {
                business_queries::delete(connection, &business.id)?;
                Ok((RemovalOutcome::RemovedBusiness, counts))
            } else if counts.is_empty() {
                Ok((RemovalOutcome::NothingToRemove, counts))
            } else {
                account_queries::delete_samples(connection, &scope)?;
                store::sample_data::delete_sample_users(connection, &scope)?;
                Ok((RemovalOutcome::RemovedFromBusiness, counts))
            }
        })?;
        info!(business_id = %business.id, slug, ?outcome, ?counts, "sample data destroyed");

        Ok(SampleDataRemoval { business_slug: business.slug, outcome, counts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_count_limits() {
        assert!(check_account_count(1).is_ok());
        assert!(check_account_count(DEFAULT_ACCOUNT_COUNT).is_ok());
        assert!(check_account_count(MAX_ACCOUNT_COUNT).is_ok());
        for count in [0, MAX_ACCOUNT_COUNT + 1] {
            let Err(AppError::Validation(errors)) = check_account_count(count) else {
                panic!("{count} accounts passed the check");
            };
            assert_eq!(errors.0[0].field, "accounts");
            assert!(errors.0[0].message.contains("1 to 1000000"), "{}", errors.0[0].message);
        }
    }

    #[test]
    fn counts_end_with_users() {
        let counts = SampleCounts { accounts: 2, users: 11, ..SampleCounts::default() };
        let text = counts.to_string();
        assert!(text.starts_with("2 accounts, "), "{text}");
        assert!(text.ends_with(" and 11 users"), "{text}");
    }
}
