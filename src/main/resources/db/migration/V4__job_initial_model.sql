-- The model a job starts from (its request's initialModelId), as a column so that deleting a model can ask for
-- the queued or running jobs that still need it, as deleting a dataset asks jobs.dataset_id.
ALTER TABLE jobs ADD COLUMN initial_model_id VARCHAR(64);

-- Jobs stored before this column: the id is in their request JSON (written without spaces by the service, and ids
-- have no characters JSON escapes), after the 18 characters of "initialModelId":" and up to the next quote.
-- SUBSTRING and POSITION, not a regular expression, so that this runs unchanged on H2 and on every PostgreSQL
-- (REGEXP_SUBSTR needs PostgreSQL 15).
UPDATE jobs SET initial_model_id = SUBSTRING(
        SUBSTRING(request_json FROM POSITION('"initialModelId":"' IN request_json) + 18)
        FROM 1 FOR POSITION('"' IN SUBSTRING(request_json FROM POSITION('"initialModelId":"' IN request_json) + 18)) - 1)
WHERE request_json LIKE '%"initialModelId":"%';

CREATE INDEX jobs_initial_model ON jobs (initial_model_id);
