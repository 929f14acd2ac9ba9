package io.nnserve.dataset;

import org.springframework.boot.test.context.SpringBootTest;

/** The storage contract on the embedded default, H2 (in memory for tests, same dialect settings). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DatasetRepositoryH2Test extends DatasetRepositoryContract {
}
