-- Datasets: a summary row, its class names in label order, and the data itself as BYTEA chunks (about 1 MiB
-- each) so that every instance on one database shares the datasets. Values are stored as 'uint8' (one byte each,
-- when every value is a whole number 0..255: pixels, counts) or 'float32' (4 bytes, little-endian), row-major;
-- labels as little-endian int32. Chunks are numbered from 0 within their part.
-- dataset_chunks has no foreign key on purpose: a delete removes the datasets row in one transaction (the dataset
-- is gone for every instance at once) and then the chunks one per transaction, because one transaction deleting
-- tens of MiB of BYTEA is very slow on H2. Chunks left behind by a crash are purged at the next start.
CREATE TABLE datasets (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    name          VARCHAR(200)             NOT NULL,
    row_count     INTEGER                  NOT NULL,
    feature_count INTEGER                  NOT NULL,
    class_count   INTEGER                  NOT NULL,
    value_type    VARCHAR(16)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE dataset_classes (
    dataset_id  VARCHAR(64)  NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    class_index INTEGER      NOT NULL,
    name        VARCHAR(200) NOT NULL,
    PRIMARY KEY (dataset_id, class_index)
);

CREATE TABLE dataset_chunks (
    dataset_id VARCHAR(64) NOT NULL,
    part       VARCHAR(8)  NOT NULL,
    seq        INTEGER     NOT NULL,
    data       BYTEA       NOT NULL,
    PRIMARY KEY (dataset_id, part, seq)
);

CREATE INDEX datasets_created_at ON datasets (created_at);
