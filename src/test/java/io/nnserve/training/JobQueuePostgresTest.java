package io.nnserve.training;

import javax.sql.DataSource;

/** The queue on a real PostgreSQL 17 (embedded, started by the test). */
class JobQueuePostgresTest extends JobQueueContract {

    @Override
    DataSource newDataSource() {
        return EmbeddedPostgresDatabases.newDataSource();
    }
}
