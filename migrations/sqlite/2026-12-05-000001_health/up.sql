-- Signals from the sibling apps, health snapshots, job runs and in-app notifications.

-- Business settings that are not worth a column each (health weights, at-risk
-- threshold, later the renewal cadence), as one JSON object with defaults in the code.
ALTER TABLE businesses ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

CREATE TABLE support_tickets (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'on_hold', 'solved', 'closed')),
    reporter_email TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    solved_at TIMESTAMP,
    -- JSON array of timestamps, one per reopen; the latest is kept beside it so the
    -- health job reads only tickets reopened in its window.
    reopened_at TEXT NOT NULL DEFAULT '[]',
    last_reopened_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX support_tickets_external_id_key ON support_tickets (business_id, external_id);
CREATE INDEX support_tickets_account_idx ON support_tickets (business_id, account_id, opened_at);
CREATE INDEX support_tickets_reopened_idx ON support_tickets (business_id, last_reopened_at);

CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    respondent_email TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('nps', 'csat')),
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    responded_at TIMESTAMP NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX survey_responses_external_id_key ON survey_responses (business_id, external_id);
CREATE INDEX survey_responses_account_idx ON survey_responses (business_id, account_id, responded_at);
CREATE INDEX survey_responses_responded_idx ON survey_responses (business_id, responded_at);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    billing_customer_id TEXT,
    plan_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'cancelled')),
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    -- Price of one unit in the currency's minor units.
    unit_amount BIGINT NOT NULL CHECK (unit_amount >= 0),
    currency TEXT NOT NULL,
    billing_interval TEXT NOT NULL CHECK (billing_interval IN ('month', 'year')),
    current_period_start TIMESTAMP NOT NULL,
    current_period_end TIMESTAMP NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX subscriptions_external_id_key ON subscriptions (business_id, external_id);
CREATE INDEX subscriptions_account_idx ON subscriptions (business_id, account_id);
CREATE INDEX subscriptions_period_end_idx ON subscriptions (business_id, current_period_end);

CREATE TABLE usage_events (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    user_email TEXT,
    event TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX usage_events_external_id_key ON usage_events (business_id, external_id);
CREATE INDEX usage_events_account_idx ON usage_events (business_id, account_id, occurred_at);

-- The health job reads the latest non-system activity per account.
CREATE INDEX activities_engagement_idx ON activities (business_id, account_id, occurred_at) WHERE kind <> 'system';

CREATE TABLE health_snapshots (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    as_of DATE NOT NULL,
    overall INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 100),
    neutral BOOLEAN NOT NULL,
    -- JSON object of the four components: score, weight, narrative and inputs.
    components TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX health_snapshots_account_date_key ON health_snapshots (account_id, as_of);
CREATE INDEX health_snapshots_business_idx ON health_snapshots (business_id, as_of);

CREATE TABLE job_runs (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    job TEXT NOT NULL,
    as_of DATE NOT NULL,
    triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'api', 'command_line')),
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    -- JSON object of counts, such as accounts scored and accounts flagged.
    counts TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX job_runs_business_idx ON job_runs (business_id, started_at);
CREATE INDEX job_runs_job_idx ON job_runs (business_id, job, as_of, status);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_user_idx ON notifications (business_id, user_id, created_at);

CREATE TABLE notification_preferences (
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('in_app', 'email')),
    enabled BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);
