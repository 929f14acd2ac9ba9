package io.nnserve.model;

import javax.sql.DataSource;

import io.nnserve.support.EmbeddedPostgresSupport;

/** The repository contract on a real PostgreSQL 17 (embedded, started by the test). */
class ModelRepositoryPostgresTest extends ModelRepositoryContract {

    @Override
    DataSource newDataSource() {
        return EmbeddedPostgresSupport.newDatabase();
    }
}
