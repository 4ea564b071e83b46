//! Mail: every mail is written to the outbox in the transaction that decides to send it,
//! then delivered over SMTP by [`App::deliver_mail`]. Without an SMTP server the mails wait
//! in the outbox, where admins read them, until a server with SMTP sends them.
//!
//! A failed delivery stays pending with its error and is tried again after 30 seconds,
//! then twice as long each time up to an hour. A mail is never dropped, and a mail whose
//! sender stopped mid-send is marked failed rather than sent again, so none arrives twice.

use api_types::mail::{OutboxListParams, OutboxMail};
use api_types::Page;
use chrono::{Duration, NaiveDateTime};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, SmtpTransport, Transport};
use store::mail::{self as queries, MailRow};
use store::{DbConnection, Scope};
use tracing::{error, info, warn};

use crate::clock::{new_id, now, utc};
use crate::error::{AppError, AppResult};
use crate::paging::limit_and_offset;
use crate::tenant::Tenant;
use crate::App;

/// The mail server, the sender and the start of links in mails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    /// `smtp://host:port` for a plain local relay, `smtp://…?tls=required` for STARTTLS,
    /// `smtps://user:password@host` for TLS; none keeps mail in the outbox.
    pub smtp_url: Option<String>,
    /// The sender, such as `Mango CS <cs@example.com>`.
    pub from: String,
    /// The address users open the app at, for links in mails.
    pub public_url: String,
}

impl MailSettings {
    /// Checks the SMTP URL, so a bad one stops the start instead of failing each delivery.
    pub fn check(&self) -> Result<(), String> {
        match self.smtp_url.as_deref() {
            None => Ok(()),
            Some(url) => SmtpTransport::from_url(url)
                .map(|_| ())
                .map_err(|error| format!("MANGO_CS_SMTP_URL is invalid: {error}")),
        }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Mango CS <mango-cs@localhost>".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// A mail to write to the outbox.
pub(crate) struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Seconds before the first retry of a failed delivery.
const FIRST_RETRY_SECS: i64 = 30;
/// Maximum wait between retries.
const MAX_RETRY_SECS: i64 = 3_600;
/// Minutes after which a mail still `sending` is taken as abandoned by its sender.
const ABANDONED_AFTER_MINUTES: i64 = 15;

fn retry_delay(attempts: i32) -> Duration {
    let doubled = FIRST_RETRY_SECS.saturating_mul(1i64 << attempts.clamp(0, 20));
    Duration::seconds(doubled.min(MAX_RETRY_SECS))
}

/// Escapes text for an HTML body.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes mails to the outbox as pending. Whichever process has SMTP configured sends them,
/// so a job run from a command line without SMTP loses nothing.
pub(crate) fn queue(
    connection: &mut DbConnection,
    scope: &Scope,
    mails: Vec<OutgoingMail>,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let status = "pending";
    let rows: Vec<MailRow> = mails
        .into_iter()
        .map(|mail| MailRow {
            id: new_id().to_string(),
            business_id: scope.business_id().to_owned(),
            to_address: mail.to,
            subject: mail.subject,
            text_body: mail.text,
            html_body: mail.html,
            status: status.to_owned(),
            attempts: 0,
            last_error: None,
            next_attempt_at: at,
            claimed_at: None,
            sent_at: None,
            created_at: at,
        })
        .collect();
    queries::insert_many(connection, &rows)?;
    Ok(rows.len())
}

fn message(settings: &MailSettings, mail: &MailRow) -> Result<Message, String> {
    let from: Mailbox =
        settings.from.parse().map_err(|error| format!("invalid sender {:?}: {error}", settings.from))?;
    let to: Mailbox = mail.to_address.parse().map_err(|error| format!("invalid recipient: {error}"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(mail.text_body.clone(), mail.html_body.clone()))
        .map_err(|error| format!("cannot build the message: {error}"))
}

fn outbox_view(row: &MailRow) -> OutboxMail {
    OutboxMail {
        id: row.id.clone(),
        to: row.to_address.clone(),
        subject: row.subject.clone(),
        text_body: row.text_body.clone(),
        status: row.status.clone(),
        attempts: row.attempts,
        last_error: row.last_error.clone(),
        next_attempt_at: utc(row.next_attempt_at),
        sent_at: row.sent_at.map(utc),
        created_at: utc(row.created_at),
    }
}

impl App {
    /// Sends every pending mail that is due, of one business or of all, and returns how
    /// many went out. Does nothing without an SMTP server.
    pub fn deliver_mail(&self, business_id: Option<&str>) -> AppResult<usize> {
        let settings = &self.config().mail;
        let Some(url) = settings.smtp_url.as_deref() else { return Ok(0) };
        let mut connection = self.connection()?;
        let abandoned = queries::fail_abandoned(&mut connection, now() - Duration::minutes(ABANDONED_AFTER_MINUTES))?;
        if abandoned > 0 {
            warn!(mails = abandoned, "mails left mid-send by a stopped sender are marked failed, not resent");
        }
        let transport = match SmtpTransport::from_url(url) {
            Ok(builder) => builder.timeout(Some(std::time::Duration::from_secs(20))).build(),
            Err(failure) => {
                // The URL carries credentials, so only the error is logged.
                error!(error = %failure, "MANGO_CS_SMTP_URL is invalid; mail stays in the outbox");
                return Ok(0);
            }
        };
        let mut sent = 0;
        while let Some(mail) = queries::claim_due(&mut connection, now(), business_id)? {
            let outcome = message(settings, &mail)
                .and_then(|message| transport.send(&message).map(|_| ()).map_err(|failure| failure.to_string()));
            match outcome {
                Ok(()) => {
                    queries::mark_sent(&mut connection, &mail.id, now())?;
                    sent += 1;
                }
                Err(failure) => {
                    let next = now() + retry_delay(mail.attempts);
                    warn!(mail_id = %mail.id, error = %failure, next_attempt_at = %next, "mail delivery failed; it will be retried");
                    queries::mark_retry(&mut connection, &mail.id, &failure, next)?;
                }
            }
        }
        if sent > 0 {
            info!(mails = sent, "mail delivered");
        }
        Ok(sent)
    }

    /// Lists the business's mails, newest first. Admin only.
    pub fn list_outbox(&self, tenant: &Tenant, params: &OutboxListParams) -> AppResult<Page<OutboxMail>> {
        tenant.require_admin()?;
        let (limit, offset) = limit_and_offset(params.limit, params.offset)?;
        if let Some(status) = params.status.as_deref() {
            if !["pending", "sending", "sent", "failed"].contains(&status) {
                return Err(AppError::invalid("status", "must be pending, sending, sent or failed"));
            }
        }
        let mut connection = self.connection()?;
        let (rows, total) = queries::list(&mut connection, &tenant.scope(), params.status.as_deref(), limit, offset)?;
        Ok(Page { items: rows.iter().map(outbox_view).collect(), total, next_cursor: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(0), Duration::seconds(30));
        assert_eq!(retry_delay(1), Duration::seconds(60));
        assert_eq!(retry_delay(5), Duration::seconds(960));
        assert_eq!(retry_delay(7), Duration::seconds(3_600));
        assert_eq!(retry_delay(40), Duration::seconds(3_600));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<b>A & \"B\"</b>"), "&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;");
    }
}
