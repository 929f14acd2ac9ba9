package io.nnserve.training;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TEMPORARY, until the dataset feature is merged: every test context gets the {@link FakeDatasets} as its
 * {@code Datasets}. Delete this class when the real one arrives.
 */
@Configuration(proxyBeanMethods = false)
class FakeDatasetsConfiguration {

    @Bean
    FakeDatasets fakeDatasets() {
        return new FakeDatasets();
    }
}
