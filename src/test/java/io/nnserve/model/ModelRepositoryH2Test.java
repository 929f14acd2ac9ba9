package io.nnserve.model;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** The repository contract on H2 in the mode the service runs it (MODE=PostgreSQL, lower-case names). */
class ModelRepositoryH2Test extends ModelRepositoryContract {

    @Override
    DataSource newDataSource() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:models-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        return h2;
    }
}
