package io.nnserve.dataset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Tidies up after interrupted deletions and registers the built-in datasets at start-up, so that a newcomer can train at once: {@code iris} (4 features,
 * 3 species) and {@code digits} (8x8 images, classes "0".."9"). Idempotent: an existing sample is left alone.
 */
@Component
class SampleDatasets implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SampleDatasets.class);

    private final DatasetService datasets;

    SampleDatasets(DatasetService datasets) {
        this.datasets = datasets;
    }

    @Override
    public void run(ApplicationArguments args) {
        register();
    }

    void register() {
        try {
            datasets.purgeLeftovers();
            datasets.registerSample("iris", "/samples/iris.csv");
            datasets.registerSample("digits", "/samples/digits.csv.gz");
        } catch (DataAccessException e) {
            // the service is still useful without the samples; the next start tries again
            log.warn("could not register the built-in datasets: {}", e.getMessage());
        }
    }
}
