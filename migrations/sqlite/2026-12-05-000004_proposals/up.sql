-- Renewal proposals generated from a subscription, edited while draft, then sent and won
-- or lost.
CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    source_subscription_id TEXT REFERENCES subscriptions (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'won', 'lost')),
    -- Decimal text with up to two places, such as '5' or '7.25'.
    uplift_percentage TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- JSON array of lines: description, quantity, list_unit_amount, unit_amount, interval, amount.
    lines TEXT NOT NULL,
    total_amount BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX proposals_account_idx ON proposals (business_id, account_id, created_at);
-- One draft per source subscription: a second click finds the first draft.
CREATE UNIQUE INDEX proposals_one_draft_key ON proposals (source_subscription_id) WHERE status = 'draft';
