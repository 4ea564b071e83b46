//! The activity timeline of an account.

use api_types::accounts::{Activity, ActivityCreate};
use api_types::{Page, PageParams};
use chrono::NaiveDateTime;
use crm_core::validation::{date_in_range, optional_text, required_text};
use crm_core::{AccountId, ActivityKind, UserId, ValidationErrors};
use store::activities::{self as queries, ActivityRow};
use store::{accounts as account_queries, DbConnection, Scope};

use crate::auth::parse_id;
use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

/// Longest subject and body, in characters.
const MAX_SUBJECT_CHARS: usize = 300;
const MAX_BODY_CHARS: usize = 20_000;

fn activity_view(row: &ActivityRow) -> AppResult<Activity> {
    Ok(Activity {
        id: parse_id(&row.id)?,
        account_id: parse_id(&row.account_id)?,
        kind: row.kind.parse().map_err(|_| AppError::Internal(format!("activities.kind of {} is invalid", row.id)))?,
        subject: row.subject.clone(),
        body: row.body.clone(),
        occurred_at: utc(row.occurred_at),
        author_id: row.author_id.as_deref().map(parse_id).transpose()?,
        created_at: utc(row.created_at),
    })
}

/// Writes a system entry (a stage change, an import) on an account's timeline.
pub(crate) fn record_system_activity(
    connection: &mut DbConnection,
    scope: &Scope,
    account_id: &str,
    subject: &str,
    body: Option<String>,
    author_id: Option<UserId>,
    at: NaiveDateTime,
) -> AppResult<()> {
    queries::insert(
        connection,
        &ActivityRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: account_id.to_owned(),
            kind: ActivityKind::System.as_str().to_owned(),
            subject: subject.to_owned(),
            body,
            occurred_at: at,
            author_id: author_id.map(|id| id.to_string()),
            created_at: at,
        },
    )?;
    Ok(())
}

impl App {
    /// Lists an account's timeline, newest first.
    pub fn list_activities(
        &self,
        tenant: &Tenant,
        account_id: AccountId,
        paging: &PageParams,
    ) -> AppResult<Page<Activity>> {
        let (limit, offset) = limit_and_offset(paging.limit, paging.offset)?;
        let scope = tenant.scope();
        let mut connection = self.connection()?;
        if !account_queries::exists(&mut connection, &scope, &account_id.to_string())? {
            return Err(AppError::not_found("account"));
        }
        let (rows, total) = queries::list_for_account(&mut connection, &scope, &account_id.to_string(), limit, offset)?;
        let items = rows.iter().map(activity_view).collect::<AppResult<Vec<_>>>()?;
        Ok(Page { items, total, next_cursor: None })
    }

    /// Logs an email, call, meeting or note on an account's timeline.
    pub fn create_activity(
        &self,
        tenant: &Tenant,
        account_id: AccountId,
        input: &ActivityCreate,
    ) -> AppResult<Activity> {
        let mut errors = ValidationErrors::new();
        if !input.kind.is_user_loggable() {
            errors.add("kind", "must be email, call, meeting or note; system entries are written by Mango CS");
        }
        let subject = required_text(&mut errors, "subject", &input.subject, MAX_SUBJECT_CHARS);
        let body = optional_text(&mut errors, "body", input.body.as_deref(), MAX_BODY_CHARS);
        let at = now();
        let occurred_at = input.occurred_at.map(|at| at.naive_utc()).unwrap_or(at);
        if occurred_at > at + chrono::Duration::days(1) {
            errors.add("occurred_at", "must not be more than a day in the future");
        } else if let Err(message) = date_in_range(occurred_at.date()) {
            errors.add("occurred_at", message);
        }
        errors.into_result()?;

        let scope = tenant.scope();
        let mut connection = self.connection()?;
        if !account_queries::exists(&mut connection, &scope, &account_id.to_string())? {
            return Err(AppError::not_found("account"));
        }
        let row = ActivityRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            account_id: account_id.to_string(),
            kind: input.kind.as_str().to_owned(),
            subject,
            body,
            occurred_at: chrono::SubsecRound::trunc_subsecs(occurred_at, 6),
            author_id: Some(tenant.user_id.to_string()),
            created_at: at,
        };
        queries::insert(&mut connection, &row)?;

        activity_view(&row)
    }
}
