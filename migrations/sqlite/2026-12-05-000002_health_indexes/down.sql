DROP INDEX contacts_voices_idx;
DROP INDEX subscriptions_health_idx;
DROP INDEX survey_responses_health_idx;
DROP INDEX support_tickets_health_idx;
