-- The account core: tenants, users and their credentials, accounts, contacts, activities,
-- custom field definitions and CSV imports. Every row carries business_id so queries filter
-- by tenant without joins. Ids are UUIDv7 text; timestamps are UTC.

CREATE TABLE businesses (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    allowed_roles TEXT NOT NULL DEFAULT '["manager","admin","super_admin"]',
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'manager', 'admin', 'super_admin')),
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_business_idx ON users (business_id, name);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_business_idx ON api_tokens (business_id, user_id);

CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, attempted_at);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    domain TEXT,
    industry TEXT,
    stage TEXT NOT NULL CHECK (stage IN ('prospect', 'onboarding', 'active', 'renewal', 'expanding', 'churned')),
    at_risk BOOLEAN NOT NULL DEFAULT FALSE,
    at_risk_reasons TEXT NOT NULL DEFAULT '[]',
    csm_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    ae_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    renewal_date DATE,
    health_score INTEGER CHECK (health_score BETWEEN 0 AND 100),
    billing_customer_id TEXT,
    external_id TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_domain_key ON accounts (business_id, domain);
CREATE UNIQUE INDEX accounts_external_id_key ON accounts (business_id, external_id);
CREATE INDEX accounts_name_idx ON accounts (business_id, name, id);
CREATE INDEX accounts_updated_idx ON accounts (business_id, updated_at, id);
CREATE INDEX accounts_stage_idx ON accounts (business_id, stage);
CREATE INDEX accounts_csm_idx ON accounts (business_id, csm_id);
CREATE INDEX accounts_billing_idx ON accounts (business_id, billing_customer_id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    title TEXT,
    champion BOOLEAN NOT NULL DEFAULT FALSE,
    economic_buyer BOOLEAN NOT NULL DEFAULT FALSE,
    technical_buyer BOOLEAN NOT NULL DEFAULT FALSE,
    detractor BOOLEAN NOT NULL DEFAULT FALSE,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contacts_account_idx ON contacts (business_id, account_id, name);
CREATE INDEX contacts_email_idx ON contacts (business_id, email);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'call', 'meeting', 'note', 'system')),
    subject TEXT NOT NULL,
    body TEXT,
    occurred_at TIMESTAMP NOT NULL,
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_account_idx ON activities (account_id, occurred_at);
CREATE INDEX activities_business_idx ON activities (business_id, account_id, occurred_at);

CREATE TABLE custom_field_definitions (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    entity TEXT NOT NULL CHECK (entity IN ('account', 'contact')),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'boolean', 'single_select')),
    options TEXT NOT NULL DEFAULT '[]',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX custom_field_definitions_key ON custom_field_definitions (business_id, entity, key);

CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('previewed', 'committed')),
    content TEXT NOT NULL,
    mapping TEXT NOT NULL,
    default_stage TEXT NOT NULL CHECK (default_stage IN ('prospect', 'onboarding', 'active', 'renewal', 'expanding', 'churned')),
    result TEXT,
    created_at TIMESTAMP NOT NULL,
    committed_at TIMESTAMP
);
CREATE INDEX imports_business_idx ON imports (business_id, created_at);
