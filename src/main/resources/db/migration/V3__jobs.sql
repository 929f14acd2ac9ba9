-- Training jobs: the queue (status + lease), the effective request, progress, checkpoints and the loss history.
-- Runs unchanged on H2 2.4 (MODE=PostgreSQL) and PostgreSQL 17.

CREATE TABLE jobs (
    id                    VARCHAR(64)  NOT NULL PRIMARY KEY,
    status                VARCHAR(16)  NOT NULL,
    dataset_id            VARCHAR(64)  NOT NULL,
    validation_dataset_id VARCHAR(64),
    request_json          TEXT         NOT NULL,
    idempotency_key       VARCHAR(255),
    request_hash          VARCHAR(64),
    epochs                INTEGER      NOT NULL,
    iterations            BIGINT       NOT NULL,
    epoch                 INTEGER      NOT NULL DEFAULT 0,
    iteration             BIGINT       NOT NULL DEFAULT 0,
    loss                  DOUBLE PRECISION,
    best_val_accuracy     DOUBLE PRECISION,
    train_accuracy        DOUBLE PRECISION,
    model_id              VARCHAR(64),
    error                 TEXT,
    attempts              INTEGER      NOT NULL DEFAULT 0,
    cancel_requested      BOOLEAN      NOT NULL DEFAULT FALSE,
    -- The worker that holds the job: its instance id, a token unique to this claim, and when the lease ends
    -- unless a heartbeat renews it. A RUNNING job whose lease has ended is claimed again.
    lease_owner           VARCHAR(128),
    lease_token           VARCHAR(64),
    lease_expires_at      TIMESTAMP WITH TIME ZONE,
    -- A failed attempt waits before it is retried (no crash loop).
    available_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    run_ms                BIGINT       NOT NULL DEFAULT 0,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at            TIMESTAMP WITH TIME ZONE,
    finished_at           TIMESTAMP WITH TIME ZONE,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT jobs_idempotency_key UNIQUE (idempotency_key)
);

CREATE INDEX jobs_status_created ON jobs (status, created_at);
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_dataset ON jobs (dataset_id);

-- The last checkpoint of a job (the engine's SolverState bytes), replaced each epoch.
CREATE TABLE job_checkpoints (
    job_id     VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    epoch      INTEGER     NOT NULL,
    iteration  BIGINT      NOT NULL,
    state      BYTEA       NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The loss history in chunks of up to 1,000 iterations: little-endian float64 values, chunk k holding
-- iterations k*1000 .. k*1000+points-1. 100,000 iterations are 100 rows of 8 KB, not 100,000 rows.
CREATE TABLE job_loss_chunks (
    job_id VARCHAR(64) NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    chunk  INTEGER     NOT NULL,
    points INTEGER     NOT NULL,
    data   BYTEA       NOT NULL,
    PRIMARY KEY (job_id, chunk)
);

CREATE TABLE job_epochs (
    job_id         VARCHAR(64) NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch          INTEGER     NOT NULL,
    train_accuracy DOUBLE PRECISION NOT NULL,
    val_accuracy   DOUBLE PRECISION,
    learning_rate  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, epoch)
);

-- One row locked by every submission, so that "queued + running < limit" is checked and the job inserted
-- atomically even when several instances accept submissions at once.
CREATE TABLE job_admission (
    id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO job_admission (id) VALUES (1);
