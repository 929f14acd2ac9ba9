package io.nnserve.dataset;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.nnserve.support.EmbeddedPostgresSupport;

/** The storage contract on a real PostgreSQL 17, started by the test itself. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DatasetRepositoryPostgresTest extends DatasetRepositoryContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.useNewDatabase(registry);
    }
}
