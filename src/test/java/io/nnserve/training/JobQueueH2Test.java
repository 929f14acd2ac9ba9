package io.nnserve.training;

import javax.sql.DataSource;

import io.nnserve.support.H2Support;

/** The queue on H2 2.4 in PostgreSQL mode, the embedded default. */
class JobQueueH2Test extends JobQueueContract {

    @Override
    DataSource newDataSource() {
        return H2Support.newDatabase("queue");
    }
}
