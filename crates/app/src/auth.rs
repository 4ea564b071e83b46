//! Sign-in, browser sessions, personal API tokens and the resolution of credentials into
//! a [`Tenant`].

use std::sync::OnceLock;

use api_types::auth::{BusinessSummary, Session};
use api_types::users::{ApiToken, ApiTokenCreated};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use crm_core::validation::required_text;
use crm_core::{Role, TokenId, ValidationErrors};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::auth::{LoginAttemptRow, SessionRow, TokenRow};
use store::{auth as queries, businesses, users as user_queries, DbConnection};
use tracing::{info, warn};

use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::{Credential, Tenant};
use crate::users::{allowed_roles, user_view};
use crate::App;

/// Prefix of every API token secret, so leaked tokens are easy to recognise in scans.
pub const TOKEN_PREFIX: &str = "mcs_";
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A new browser session: the cookie value and the details the client needs.
#[derive(Debug)]
pub struct SignedIn {
    /// The session cookie's value; only its hash is stored.
    pub session_token: String,
    pub session: Session,
}

fn random_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hashes a high-entropy secret (session or token) for lookup. A fast hash is enough
/// because the secrets are 256-bit random values that cannot be guessed.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::Internal(format!("password hashing failed: {error}")))
}

fn verify_password(password: &str, stored: Option<&str>) -> bool {
    // Without a stored hash, verify against a decoy anyway so that the response time does
    // not reveal whether the account exists.
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("decoy password for absent users").unwrap_or_default());
    let Ok(parsed) = PasswordHash::new(stored.unwrap_or(decoy)) else {
        return false;
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && stored.is_some()
}

/// Checks the length of a new password.
pub fn validate_password(errors: &mut ValidationErrors, field: &str, password: &str) {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        errors.add(field, format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    } else if length > 1_000 {
        errors.add(field, "must be at most 1000 characters");
    }
}

fn role_of(text: &str) -> AppResult<Role> {
    text.parse().map_err(|_| AppError::Internal(format!("stored role {text:?} is unknown")))
}

/// Loads the user behind a credential and checks they may still use the app.
fn active_tenant(connection: &mut DbConnection, user_id: &str, credential: Credential) -> AppResult<Tenant> {
    let user = user_queries::find_unscoped(connection, user_id)?
        .filter(|user| user.active)
        .ok_or_else(|| AppError::Unauthenticated("the credentials are no longer valid; sign in again".into()))?;
    let business = businesses::find(connection, &user.business_id)?
        .ok_or_else(|| AppError::Unauthenticated("the credentials are no longer valid; sign in again".into()))?;
    let role = role_of(&user.role)?;
    if !allowed_roles(&business)?.contains(&role) {
        return Err(AppError::Forbidden(format!("the {role} role is not allowed into Mango CS in this business")));
    }
    Ok(Tenant { business_id: parse_id(&user.business_id)?, user_id: parse_id(&user.id)?, role, credential })
}

pub(crate) fn parse_id<T: std::str::FromStr>(text: &str) -> AppResult<T> {
    text.parse().map_err(|_| AppError::Internal(format!("stored id {text:?} is not a UUID")))
}

impl App {
    /// Signs a user in with email and password and opens a browser session.
    ///
    /// Failed attempts are counted per email and per client address; past the limits,
    /// attempts are refused without checking the password until the window passes.
    pub fn login(&self, email: &str, password: &str, client_ip: &str) -> AppResult<SignedIn> {
        let email = email.trim().to_lowercase();
        let mut errors = ValidationErrors::new();
        required_text(&mut errors, "email", &email, 254);
        if password.is_empty() {
            errors.add("password", "must not be empty");
        }
        errors.into_result()?;

        let mut connection = self.connection()?;
        let at = now();
        let since = at - self.config.throttle_window;
        self.check_throttle(&mut connection, &email, client_ip, at, 0)?;

        // The attempt counts as failed from before the slow password check until it
        // succeeds, and the limit is checked again with it included, so parallel guesses
        // cannot all pass the first check before any of them is recorded.
        queries::insert_login_attempt(
            &mut connection,
            &LoginAttemptRow {
                id: new_id().to_string(),
                email: email.clone(),
                ip: client_ip.to_owned(),
                succeeded: false,
                attempted_at: at,
            },
        )?;
        self.check_throttle(&mut connection, &email, client_ip, at, 1)?;

        let user = user_queries::find_by_email_any_business(&mut connection, &email)?;
        let password_ok = verify_password(password, user.as_ref().and_then(|user| user.password_hash.as_deref()));
        let user = match user {
            Some(user) if password_ok && user.active => user,
            _ => {
                info!(ip = client_ip, "sign-in failed");
                return Err(AppError::Unauthenticated("the email or password is wrong".into()));
            }
        };
        queries::clear_failures_for_email(&mut connection, &email)?;

        let csrf_token = random_secret();
        let tenant = active_tenant(&mut connection, &user.id, Credential::Session { csrf_token: csrf_token.clone() })?;
        let session_token = random_secret();
        queries::insert_session(
            &mut connection,
            &SessionRow {
                id: new_id().to_string(),
                business_id: user.business_id.clone(),
                user_id: user.id.clone(),
                token_hash: secret_hash(&session_token),
                csrf_token,
                created_at: at,
                last_seen_at: at,
                expires_at: at + self.config.session_idle,
            },
        )?;
        queries::prune_login_attempts(&mut connection, since)?;
        queries::delete_expired_sessions(&mut connection, at)?;
        info!(user_id = %tenant.user_id, business_id = %tenant.business_id, "signed in");

        let session = self.session_of(&mut connection, &tenant)?;
        Ok(SignedIn { session_token, session })
    }

    /// Rejects sign-in while the email or the client address has reached its limit of
    /// failed attempts in the window. `own_attempts` is the number of the caller's own
    /// attempts already recorded, which do not count against the limit.
    fn check_throttle(
        &self,
        connection: &mut DbConnection,
        email: &str,
        client_ip: &str,
        at: chrono::NaiveDateTime,
        own_attempts: i64,
    ) -> AppResult<()> {
        let since = at - self.config.throttle_window;
        let email_failures = queries::failures_for_email(connection, email, since)? - own_attempts;
        let ip_failures = queries::failures_for_ip(connection, client_ip, since)? - own_attempts;
        let email_blocked = email_failures >= self.config.max_failures_per_email;
        let ip_blocked = ip_failures >= self.config.max_failures_per_ip;
        if !email_blocked && !ip_blocked {
            return Ok(());
        }

        // Sign-in opens again once the oldest failure that counts leaves the window.
        let oldest = queries::oldest_failure(
            connection,
            email_blocked.then_some(email),
            (!email_blocked).then_some(client_ip),
            since,
        )?;
        let reopens_at = oldest.unwrap_or(at) + self.config.throttle_window;
        let retry_after_secs = (reopens_at - at).num_seconds().max(1).unsigned_abs();
        warn!(ip = client_ip, retry_after_secs, "sign-in throttled");
        Err(AppError::Throttled { retry_after_secs })
    }

    /// Ends the browser session whose cookie value is given. Ending an unknown or expired
    /// session succeeds, so logging out twice is harmless.
    pub fn logout(&self, session_token: &str) -> AppResult<()> {
        let mut connection = self.connection()?;
        queries::delete_session(&mut connection, &secret_hash(session_token))?;
        Ok(())
    }

    /// Resolves a session cookie into the caller, sliding the session's expiry forward.
    pub fn authenticate_session(&self, session_token: &str) -> AppResult<Tenant> {
        let mut connection = self.connection()?;
        let at = now();
        let session = queries::find_session(&mut connection, &secret_hash(session_token), at)?
            .ok_or_else(|| AppError::Unauthenticated("the session has expired; sign in again".into()))?;
        let tenant =
            active_tenant(&mut connection, &session.user_id, Credential::Session { csrf_token: session.csrf_token })?;
        // Refresh at most once a minute, so reads do not each cost a write.
        if at - session.last_seen_at > chrono::Duration::minutes(1) {
            queries::touch_session(&mut connection, &session.id, at, at + self.config.session_idle)?;
        }
        Ok(tenant)
    }

    /// Resolves a bearer token into the caller and records its use.
    pub fn authenticate_token(&self, secret: &str) -> AppResult<Tenant> {
        let mut connection = self.connection()?;
        let token = queries::find_active_token(&mut connection, &secret_hash(secret))?
            .ok_or_else(|| AppError::Unauthenticated("the API token is invalid or revoked".into()))?;
        let tenant = active_tenant(&mut connection, &token.user_id, Credential::Token { id: parse_id(&token.id)? })?;
        queries::mark_token_used(&mut connection, &token.id, now())?;
        Ok(tenant)
    }

    /// Returns the signed-in user and business, as login and `GET /api/v1/me` do.
    pub fn current_session(&self, tenant: &Tenant) -> AppResult<Session> {
        let mut connection = self.connection()?;
        self.session_of(&mut connection, tenant)
    }

    fn session_of(&self, connection: &mut DbConnection, tenant: &Tenant) -> AppResult<Session> {
        let user = user_queries::find(connection, &tenant.scope(), &tenant.user_id.to_string())?
            .ok_or_else(|| AppError::not_found("user"))?;
        let business = businesses::find(connection, &tenant.business_id.to_string())?
            .ok_or_else(|| AppError::not_found("business"))?;
        let csrf_token = match &tenant.credential {
            Credential::Session { csrf_token } => Some(csrf_token.clone()),
            Credential::Token { .. } => None,
        };
        Ok(Session {
            user: user_view(&user)?,
            business: {
                let (features, labels) = crate::settings::features_and_labels(&business)?;
                BusinessSummary {
                    id: parse_id(&business.id)?,
                    name: business.name,
                    slug: business.slug,
                    features,
                    labels,
                }
            },
            csrf_token,
        })
    }

    /// Creates a personal API token for the caller. The secret is returned once.
    pub fn create_token(&self, tenant: &Tenant, name: &str) -> AppResult<ApiTokenCreated> {
        let mut connection = self.connection()?;
        issue_token(&mut connection, &tenant.business_id.to_string(), &tenant.user_id.to_string(), name)
    }

    /// Creates a token for the user with this email, for the command line, which acts
    /// with the operator's authority and has no tenant of its own.
    pub fn create_token_for_email(&self, email: &str, name: &str) -> AppResult<ApiTokenCreated> {
        let mut connection = self.connection()?;
        let user = user_queries::find_by_email_any_business(&mut connection, &email.trim().to_lowercase())?
            .ok_or_else(|| AppError::invalid("email", format!("no user has the email {email:?}")))?;
        if !user.active {
            return Err(AppError::invalid("email", "the user is deactivated"));
        }
        issue_token(&mut connection, &user.business_id, &user.id, name)
    }

    /// Lists tokens: the whole business's for an admin, only their own for anyone else.
    pub fn list_tokens(
        &self,
        tenant: &Tenant,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> AppResult<api_types::Page<ApiToken>> {
        let (limit, offset) = limit_and_offset(limit, offset)?;
        let mut connection = self.connection()?;
        let own = tenant.user_id.to_string();
        let user_filter = if tenant.role.is_admin() { None } else { Some(own.as_str()) };
        let (rows, total) = queries::list_tokens(&mut connection, &tenant.scope(), user_filter, limit, offset)?;
        let items = rows.iter().map(token_view).collect::<AppResult<Vec<_>>>()?;
        Ok(api_types::Page { items, total, next_cursor: None })
    }

    /// Revokes a token. Users revoke their own; admins also revoke those of users they
    /// may manage. Revoking an already revoked token succeeds.
    pub fn revoke_token(&self, tenant: &Tenant, id: TokenId) -> AppResult<ApiToken> {
        let mut connection = self.connection()?;
        let scope = tenant.scope();
        let token = queries::find_token(&mut connection, &scope, &id.to_string())?
            .ok_or_else(|| AppError::not_found("API token"))?;
        if token.user_id != tenant.user_id.to_string() {
            if !tenant.role.is_admin() {
                return Err(AppError::not_found("API token"));
            }
            let owner = user_queries::find(&mut connection, &scope, &token.user_id)?
                .ok_or_else(|| AppError::not_found("API token"))?;
            if !tenant.role.may_manage(role_of(&owner.role)?) {
                return Err(AppError::Forbidden("you cannot revoke the token of a user who outranks you".into()));
            }
        }
        queries::revoke_token(&mut connection, &scope, &token.id, now())?;
        let token =
            queries::find_token(&mut connection, &scope, &token.id)?.ok_or_else(|| AppError::not_found("API token"))?;
        info!(token_id = %token.id, "API token revoked");
        token_view(&token)
    }
}

fn issue_token(
    connection: &mut DbConnection,
    business_id: &str,
    user_id: &str,
    name: &str,
) -> AppResult<ApiTokenCreated> {
    let mut errors = ValidationErrors::new();
    let name = required_text(&mut errors, "name", name, 100);
    errors.into_result()?;

    let secret = format!("{TOKEN_PREFIX}{}", random_secret());
    let row = TokenRow {
        id: new_id().to_string(),
        business_id: business_id.to_owned(),
        user_id: user_id.to_owned(),
        name,
        token_hash: secret_hash(&secret),
        token_prefix: secret.chars().take(TOKEN_PREFIX.len() + 6).collect(),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    queries::insert_token(connection, &row)?;
    info!(token_id = %row.id, user_id, "API token created");

    Ok(ApiTokenCreated { token: token_view(&row)?, secret })
}

fn token_view(row: &TokenRow) -> AppResult<ApiToken> {
    Ok(ApiToken {
        id: parse_id(&row.id)?,
        user_id: parse_id(&row.user_id)?,
        name: row.name.clone(),
        prefix: row.token_prefix.clone(),
        created_at: utc(row.created_at),
        last_used_at: row.last_used_at.map(utc),
        revoked_at: row.revoked_at.map(utc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse battery").unwrap_or_default();
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("anything", None));
    }

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(secret_hash("a"), secret_hash("a"));
        assert_eq!(secret_hash("a").len(), 64);
    }
}
