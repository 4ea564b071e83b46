//! Credentials: browser sessions, personal API tokens and the login attempt log used for
//! throttling. Secrets are stored only as hashes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{api_tokens, login_attempts, sessions};
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub business_id: String,
    pub user_id: String,
    pub token_hash: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub id: String,
    pub business_id: String,
    pub user_id: String,
    pub name: String,
    pub token_hash: String,
    /// The first characters of the token, shown in lists so users can tell tokens apart.
    pub token_prefix: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = login_attempts)]
pub struct LoginAttemptRow {
    pub id: String,
    pub email: String,
    pub ip: String,
    pub succeeded: bool,
    pub attempted_at: NaiveDateTime,
}

pub fn insert_session(connection: &mut DbConnection, row: &SessionRow) -> StoreResult<()> {
    diesel::insert_into(sessions::table).values(row).execute(connection)?;
    Ok(())
}

/// Finds an unexpired session by the hash of its cookie value.
pub fn find_session(
    connection: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<SessionRow>> {
    Ok(sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .select(SessionRow::as_select())
        .first(connection)
        .optional()?)
}

/// Records activity on a session and slides its expiry forward.
pub fn touch_session(
    connection: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(sessions::table.find(id))
        .set((sessions::last_seen_at.eq(now), sessions::expires_at.eq(expires_at)))
        .execute(connection)?;
    Ok(())
}

pub fn delete_session(connection: &mut DbConnection, token_hash: &str) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(connection)?)
}

/// Ends every session of a user, as when the user is deactivated.
pub fn delete_user_sessions(connection: &mut DbConnection, user_id: &str) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(connection)?)
}

pub fn delete_expired_sessions(connection: &mut DbConnection, now: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(connection)?)
}

pub fn insert_token(connection: &mut DbConnection, row: &TokenRow) -> StoreResult<()> {
    diesel::insert_into(api_tokens::table).values(row).execute(connection)?;
    Ok(())
}

/// Finds an unrevoked token by its hash, across businesses: the token itself names its
/// business.
pub fn find_active_token(connection: &mut DbConnection, token_hash: &str) -> StoreResult<Option<TokenRow>> {
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(TokenRow::as_select())
        .first(connection)
        .optional()?)
}

pub fn find_token(connection: &mut DbConnection, scope: &Scope, id: &str) -> StoreResult<Option<TokenRow>> {
    Ok(api_tokens::table
        .filter(api_tokens::business_id.eq(scope.business_id()))
        .filter(api_tokens::id.eq(id))
        .select(TokenRow::as_select())
        .first(connection)
        .optional()?)
}

/// Records a token's use, at most once a minute so busy clients do not write on every request.
pub fn mark_token_used(connection: &mut DbConnection, id: &str, now: NaiveDateTime) -> StoreResult<()> {
    let a_minute_ago = now - chrono::Duration::minutes(1);
    diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::last_used_at.is_null().or(api_tokens::last_used_at.lt(a_minute_ago))),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(connection)?;
    Ok(())
}

/// Lists tokens, newest first: those of one user, or of the whole business when `user_id`
/// is `None`.
pub fn list_tokens(
    connection: &mut DbConnection,
    scope: &Scope,
    user_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<TokenRow>, i64)> {
    let mut query = api_tokens::table.filter(api_tokens::business_id.eq(scope.business_id())).into_boxed();
    let mut count = api_tokens::table.filter(api_tokens::business_id.eq(scope.business_id())).into_boxed();
    if let Some(user_id) = user_id {
        query = query.filter(api_tokens::user_id.eq(user_id.to_owned()));
        count = count.filter(api_tokens::user_id.eq(user_id.to_owned()));
    }
    let rows = query
        .order_by(api_tokens::id.desc())
        .limit(limit)
        .offset(offset)
        .select(TokenRow::as_select())
        .load(connection)?;
    let total = count.count().get_result(connection)?;
    Ok((rows, total))
}

pub fn revoke_token(connection: &mut DbConnection, scope: &Scope, id: &str, now: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::business_id.eq(scope.business_id()))
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(connection)?)
}

/// Revokes every token of a user, as when the user is deactivated.
pub fn revoke_user_tokens(connection: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::update(
        api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(connection)?)
}

pub fn insert_login_attempt(connection: &mut DbConnection, row: &LoginAttemptRow) -> StoreResult<()> {
    diesel::insert_into(login_attempts::table).values(row).execute(connection)?;
    Ok(())
}

/// Counts failed logins for an email since `since`.
pub fn failures_for_email(connection: &mut DbConnection, email: &str, since: NaiveDateTime) -> StoreResult<i64> {
    Ok(login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.gt(since))
        .count()
        .get_result(connection)?)
}

/// Counts failed logins from an address since `since`.
pub fn failures_for_ip(connection: &mut DbConnection, ip: &str, since: NaiveDateTime) -> StoreResult<i64> {
    Ok(login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.gt(since))
        .count()
        .get_result(connection)?)
}

/// Clears an email's failures after a successful login, so the counter restarts.
pub fn clear_failures_for_email(connection: &mut DbConnection, email: &str) -> StoreResult<usize> {
    Ok(diesel::delete(login_attempts::table.filter(login_attempts::email.eq(email))).execute(connection)?)
}

/// Deletes attempts older than `before`, keeping the log small.
pub fn prune_login_attempts(connection: &mut DbConnection, before: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::delete(login_attempts::table.filter(login_attempts::attempted_at.lt(before))).execute(connection)?)
}

/// Returns the earliest failed login since `since`, for an email or from an address. When
/// it leaves the window, the count drops below the throttling limit again.
pub fn oldest_failure(
    connection: &mut DbConnection,
    email: Option<&str>,
    ip: Option<&str>,
    since: NaiveDateTime,
) -> StoreResult<Option<NaiveDateTime>> {
    let mut query = login_attempts::table
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.gt(since))
        .into_boxed();
    if let Some(email) = email {
        query = query.filter(login_attempts::email.eq(email.to_owned()));
    }
    if let Some(ip) = ip {
        query = query.filter(login_attempts::ip.eq(ip.to_owned()));
    }
    Ok(query.select(diesel::dsl::min(login_attempts::attempted_at)).first(connection)?)
}
