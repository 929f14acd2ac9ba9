-- Trained and imported models. The numbers (weights and preprocessing) are one checksummed blob in nnserve's own
-- binary format (see WeightsFormat); everything else is metadata for the registry's answers.
-- Runs unchanged on H2 2.4 (MODE=PostgreSQL) and PostgreSQL 17.
CREATE TABLE models (
    id               VARCHAR(64)              NOT NULL PRIMARY KEY,
    -- null for an imported model; unique otherwise, so a job can never end up with two models
    job_id           VARCHAR(64),
    dataset_id       VARCHAR(64),
    dataset_name     VARCHAR(1000),
    input_size       INTEGER                  NOT NULL,
    hidden_size      INTEGER                  NOT NULL,
    num_classes      INTEGER                  NOT NULL,
    loss             VARCHAR(16)              NOT NULL,
    preprocessing    VARCHAR(16)              NOT NULL,
    -- JSON array of strings
    class_names      TEXT                     NOT NULL,
    -- JSON object: the effective training request, as the training feature gave it
    hyperparameters  TEXT,
    train_accuracy   DOUBLE PRECISION,
    val_accuracy     DOUBLE PRECISION,
    seed             BIGINT,
    training_precision VARCHAR(16)            NOT NULL,
    weights          BYTEA                    NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT models_job_id_unique UNIQUE (job_id)
);

CREATE INDEX models_created_at ON models (created_at);
