-- Covering indexes for the grouped reads of the health-snapshot job, so each read scans
-- one index of the business instead of visiting every row of the table.
CREATE INDEX support_tickets_health_idx ON support_tickets (business_id, account_id, opened_at, status, solved_at);
CREATE INDEX survey_responses_health_idx ON survey_responses (business_id, account_id, responded_at, kind, score);
CREATE INDEX subscriptions_health_idx ON subscriptions (business_id, account_id, status, current_period_end);
CREATE INDEX contacts_voices_idx ON contacts (business_id, account_id, champion, detractor) WHERE champion OR detractor;
