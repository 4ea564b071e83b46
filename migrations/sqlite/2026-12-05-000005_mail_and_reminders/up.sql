-- Mail waiting to be sent (or, without SMTP, kept for admins to read), and the key that
-- makes a system activity happen once, such as one renewal reminder per subscription,
-- period end and threshold.
ALTER TABLE activities ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX activities_dedupe_key ON activities (business_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- pending: to send; sending: claimed by a sender; sent; held: no SMTP server was
    -- configured, kept for admins; failed: the sender stopped mid-send, never resent.
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'held', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_at TIMESTAMP,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_business_idx ON mail_outbox (business_id, created_at);
