package io.nnserve.model;

import javax.sql.DataSource;

import io.nnserve.support.H2Support;

/** The repository contract on H2 in the mode the service runs it (MODE=PostgreSQL, lower-case names). */
class ModelRepositoryH2Test extends ModelRepositoryContract {

    @Override
    DataSource newDataSource() {
        return H2Support.newDatabase("models");
    }
}
