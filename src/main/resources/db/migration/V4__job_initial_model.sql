-- The model a job starts from (its request's initialModelId), as a column so that deleting a model can ask for
-- the queued or running jobs that still need it, as deleting a dataset asks jobs.dataset_id.
-- Runs unchanged on H2 2.4 (MODE=PostgreSQL) and PostgreSQL 17 (REGEXP_SUBSTR with a subexpression: 15 and later).
ALTER TABLE jobs ADD COLUMN initial_model_id VARCHAR(64);

-- Jobs stored before this column: the id is in their request JSON (written without spaces by the service, and ids
-- have no characters JSON escapes).
UPDATE jobs SET initial_model_id = REGEXP_SUBSTR(request_json, '"initialModelId":"([^"]+)"', 1, 1, '', 1)
WHERE request_json LIKE '%"initialModelId":"%';

CREATE INDEX jobs_initial_model ON jobs (initial_model_id);
