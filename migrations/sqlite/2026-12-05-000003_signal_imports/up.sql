-- Imports also carry signals; the kind says which flow reads the stored file.
ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'accounts';
