package io.nnserve.training;

import org.springframework.boot.test.context.SpringBootTest;

/** The deletion races on the embedded default, H2 (in memory for tests, same dialect settings). */
@SpringBootTest(properties = "nnserve.jobs.workers-enabled=false")
class DeleteWhileQueuingH2Test extends DeleteWhileQueuingContract {
}
