DROP TABLE mail_outbox;
DROP INDEX activities_dedupe_key;
ALTER TABLE activities DROP COLUMN dedupe_key;
