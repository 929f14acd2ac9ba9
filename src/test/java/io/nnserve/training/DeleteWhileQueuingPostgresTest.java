package io.nnserve.training;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.nnserve.support.EmbeddedPostgresSupport;

/** The deletion races on a real PostgreSQL 17, started by the test itself. */
@SpringBootTest(properties = "nnserve.jobs.workers-enabled=false")
class DeleteWhileQueuingPostgresTest extends DeleteWhileQueuingContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.useNewDatabase(registry);
    }
}
