//! The mail outbox: every mail Mango CS sends is written here first, in the transaction
//! that decides to send it, and a sender delivers it afterwards.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::mail_outbox;
use crate::{DbConnection, Scope, StoreResult};

#[derive(Clone, Debug, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_outbox, treat_none_as_default_value = false)]
pub struct MailRow {
    pub id: String,
    pub business_id: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Inserts mails in batches of 1,000 (13 columns a row).
pub fn insert_many(connection: &mut DbConnection, rows: &[MailRow]) -> StoreResult<()> {
    for chunk in rows.chunks(1_000) {
        match connection {
            DbConnection::Sqlite(connection) => {
                diesel::insert_into(mail_outbox::table).values(chunk).execute(connection)?;
            }
            DbConnection::Postgresql(connection) => {
                diesel::insert_into(mail_outbox::table).values(chunk).execute(connection)?;
            }
        }
    }
    Ok(())
}

/// Claims one pending mail that is due, of one business or any, for this sender: it moves to
/// `sending` only if no other sender claimed it first.
pub fn claim_due(
    connection: &mut DbConnection,
    now: NaiveDateTime,
    business_id: Option<&str>,
) -> StoreResult<Option<MailRow>> {
    let mut due = mail_outbox::table.filter(mail_outbox::status.eq("pending")).into_boxed();
    if let Some(business_id) = business_id {
        due = due.filter(mail_outbox::business_id.eq(business_id.to_owned()));
    }
    let candidates: Vec<String> = due
        .filter(mail_outbox::next_attempt_at.le(now))
        .order_by((mail_outbox::next_attempt_at.asc(), mail_outbox::id.asc()))
        .limit(10)
        .select(mail_outbox::id)
        .load(connection)?;
    for id in candidates {
        let claimed = diesel::update(
            mail_outbox::table.filter(mail_outbox::id.eq(&id)).filter(mail_outbox::status.eq("pending")),
        )
        .set((mail_outbox::status.eq("sending"), mail_outbox::claimed_at.eq(Some(now))))
        .execute(connection)?;
        if claimed == 1 {
            return Ok(mail_outbox::table.find(&id).select(MailRow::as_select()).first(connection).optional()?);
        }
    }
    Ok(None)
}

pub fn mark_sent(connection: &mut DbConnection, id: &str, at: NaiveDateTime) -> StoreResult<()> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::status.eq("sent"),
            mail_outbox::sent_at.eq(Some(at)),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(connection)?;
    Ok(())
}

/// Puts a mail whose delivery failed back in line for a later attempt.
pub fn mark_retry(
    connection: &mut DbConnection,
    id: &str,
    error: &str,
    next_attempt_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::status.eq("pending"),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::last_error.eq(Some(error)),
            mail_outbox::next_attempt_at.eq(next_attempt_at),
            mail_outbox::claimed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(connection)?;
    Ok(())
}

/// Marks mails left `sending` since before `claimed_before` as failed: the sender stopped
/// mid-send, and sending again could deliver the mail twice.
pub fn fail_abandoned(connection: &mut DbConnection, claimed_before: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::update(
        mail_outbox::table.filter(mail_outbox::status.eq("sending")).filter(mail_outbox::claimed_at.lt(claimed_before)),
    )
    .set((
        mail_outbox::status.eq("failed"),
        mail_outbox::last_error.eq(Some("the sender stopped while sending; it may or may not have arrived")),
    ))
    .execute(connection)?)
}

/// Lists the business's mails, newest first, optionally of one status.
pub fn list(
    connection: &mut DbConnection,
    scope: &Scope,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<MailRow>, i64)> {
    let query = || {
        let mut query = mail_outbox::table.filter(mail_outbox::business_id.eq(scope.business_id())).into_boxed();
        if let Some(status) = status {
            query = query.filter(mail_outbox::status.eq(status.to_owned()));
        }
        query
    };
    let total = query().count().get_result(connection)?;
    let rows = query()
        .order_by((mail_outbox::created_at.desc(), mail_outbox::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(MailRow::as_select())
        .load(connection)?;
    Ok((rows, total))
}
