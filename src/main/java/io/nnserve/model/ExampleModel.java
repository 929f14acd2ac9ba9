package io.nnserve.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.nnserve.system.StorageProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in model {@value #ID}: a 4-8-3 softmax network trained on the built-in iris dataset (standardize
 * preprocessing, adam, 300 epochs, seed 7; 98% training accuracy), stored at start-up when missing, so that the
 * prediction examples in Swagger UI and the README answer on a fresh start, before anything was trained.
 * {@code nnserve.storage.example-model=false} leaves it out.
 */
@Component
class ExampleModel implements ApplicationRunner {

    static final String ID = "iris-example";
    private static final String RESOURCE = "/samples/iris-example-model.json";
    private static final Logger log = LoggerFactory.getLogger(ExampleModel.class);

    private final ModelService models;
    private final StorageProperties storage;

    ExampleModel(ModelService models, StorageProperties storage) {
        this.models = models;
        this.storage = storage;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!storage.exampleModel()) {
            return;
        }
        NewModel portable = models.validate(read());
        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("datasetId", "iris");
        hyperparameters.put("hiddenSize", 8);
        hyperparameters.put("loss", "softmax");
        hyperparameters.put("init", "he");
        hyperparameters.put("updateRule", "adam");
        hyperparameters.put("learningRate", 0.01);
        hyperparameters.put("lrDecay", 0.99);
        hyperparameters.put("batchSize", 30);
        hyperparameters.put("epochs", 300);
        hyperparameters.put("sampling", "shuffle");
        hyperparameters.put("preprocessing", "standardize");
        // It was trained on all 150 rows. A request cannot ask for no validation split (it must be in (0, 1)), so the
        // field is left out rather than given as 0: posted to /train as they are, these settings are a valid request
        // (with the default split), which "validationSplit": 0.0 was not.
        hyperparameters.put("seed", 7);
        try {
            models.seed(ID, new NewModel(null, "iris", "iris", portable.parameters(), portable.loss(),
                    portable.preprocessing(), portable.classNames(), hyperparameters, 0.98, null, 7L, "float64"));
        } catch (DataAccessException e) {
            log.warn("could not store the built-in model {}: {}", ID, e.getMessage());
        }
    }

    static ModelExport read() {
        try (InputStream in = ExampleModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return JsonMapper.shared().readValue(in, ModelExport.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
