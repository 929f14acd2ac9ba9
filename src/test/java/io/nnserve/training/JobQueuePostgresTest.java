package io.nnserve.training;

import javax.sql.DataSource;

import io.nnserve.support.EmbeddedPostgresSupport;

/** The queue on a real PostgreSQL 17 (embedded, started by the test). */
class JobQueuePostgresTest extends JobQueueContract {

    @Override
    DataSource newDataSource() {
        return EmbeddedPostgresSupport.newDatabase();
    }
}
