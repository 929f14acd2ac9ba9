package io.nnserve.model;

import javax.sql.DataSource;

/** The repository contract on a real PostgreSQL 17 (embedded, started by the test). */
class ModelRepositoryPostgresTest extends ModelRepositoryContract {

    @Override
    DataSource newDataSource() {
        return PostgresSupport.dataSource(PostgresSupport.newDatabase());
    }
}
