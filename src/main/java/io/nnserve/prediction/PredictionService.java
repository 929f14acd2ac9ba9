package io.nnserve.prediction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.nnserve.model.ModelService;
import io.nnserve.model.NumericArray;
import io.nnserve.model.ServingModel;
import io.nnserve.nn.TwoLayerNet;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;

/**
 * Scores rows with a stored model, for every prediction endpoint ({@code /predict}, the Open Inference Protocol and
 * KServe v1): the rows limit, the model lookup, the feature count, then the model's preprocessing and the engine's
 * forward pass. No lock anywhere: the cached model is immutable and the forward pass keeps its buffers local.
 */
@Service
class PredictionService {

    /** Rows named in the answer when many give non-finite scores: enough to see the pattern, not a huge answer. */
    private static final int MAX_ROWS_NAMED = 10;

    private final ModelService models;
    private final LimitsProperties limits;
    private final DistributionSummary rowsPerRequest;
    private final Timer latency;

    PredictionService(ModelService models, LimitsProperties limits, MeterRegistry meters) {
        this.models = models;
        this.limits = limits;
        this.rowsPerRequest = DistributionSummary.builder("nnserve.predict.rows")
                .description("Rows scored per prediction request (all prediction endpoints)")
                .baseUnit("rows")
                .publishPercentileHistogram()
                .register(meters);
        this.latency = Timer.builder("nnserve.predict.latency")
                .description("Time to score one prediction request: model lookup, preprocessing, forward pass and "
                        + "softmax (JSON parsing and writing are in http_server_requests_seconds)")
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Scores, and probabilities when asked for (else null), of {@code rows} rows; row-major rows x classes. */
    record Scored(ServingModel model, int rows, double[] scores, double[] probabilities) {

        int classes() {
            return model.numClasses();
        }

        /** One prediction per row: label, class name, and the arrays asked for (null, so left out, otherwise). */
        List<PredictResponse.Prediction> perRow(boolean withProbabilities, boolean withScores) {
            int c = model.numClasses();
            List<String> names = model.classNames();
            List<PredictResponse.Prediction> out = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                int label = label(i);
                out.add(new PredictResponse.Prediction(label, names.get(label),
                        withProbabilities ? Arrays.copyOfRange(probabilities, i * c, i * c + c) : null,
                        withScores ? Arrays.copyOfRange(scores, i * c, i * c + c) : null));
            }
            return out;
        }

        /** The highest-scoring class of a row (the first of equals). */
        int label(int row) {
            int c = model.numClasses();
            int base = row * c;
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (scores[base + k] > scores[base + best]) {
                    best = k;
                }
            }
            return best;
        }
    }

    /**
     * @param field how the client named the rows ("inputs", "instances", ...), for error messages
     * @param rows  the parsed request rows; consumed: the model preprocesses them in place
     */
    Scored score(String modelId, NumericArray rows, String field, boolean probabilities) {
        if (rows == null) {
            throw invalid(field, "is required: an array of rows, each an array of feature values");
        }
        if (rows.rank() != 2) {
            throw invalid(field, "must be an array of rows (arrays of numbers); a single row goes in as [[x1, x2, ...]]");
        }
        int n = rows.dim(0);
        if (n > limits.maxPredictRows()) {
            throw invalid(field, "has " + n + " rows; at most " + limits.maxPredictRows()
                    + " are allowed per request (nnserve.limits.max-predict-rows): split the request");
        }
        long start = System.nanoTime();
        ServingModel model = models.serving(modelId);
        if (rows.dim(1) != model.inputSize()) {
            String message = "model " + modelId + " expects " + model.inputSize() + " features per row, but row 0 has "
                    + rows.dim(1);
            throw new InvalidInputException("In '" + field + "', " + message + ".", List.of(new FieldProblem(field, message)));
        }
        double[] scores = model.scoresInPlace(rows.values(), n);
        requireFinite(scores, n, model, field);
        double[] softmax = probabilities ? TwoLayerNet.softmax(scores, n, model.numClasses()) : null;
        latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        rowsPerRequest.record(n);
        return new Scored(model, n, scores, softmax);
    }

    /**
     * Inputs far larger than a model was trained on can overflow its forward pass; the label of a NaN row would be
     * class 0 and look like an answer, so the whole request fails instead. Finite scores give finite probabilities
     * (the softmax subtracts each row's maximum). The scan is all a valid request pays: rows are described only
     * when one fails.
     */
    private static void requireFinite(double[] scores, int rows, ServingModel model, String field) {
        for (double score : scores) {
            if (!Double.isFinite(score)) {
                throw nonFinite(scores, rows, model, field);
            }
        }
    }

    private static InvalidInputException nonFinite(double[] scores, int rows, ServingModel model, String field) {
        int c = model.numClasses();
        List<FieldProblem> problems = new ArrayList<>();
        List<String> named = new ArrayList<>();
        int failing = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = r * c; k < r * c + c; k++) {
                if (!Double.isFinite(scores[k])) {
                    if (failing++ < MAX_ROWS_NAMED) {
                        named.add(Integer.toString(r));
                        problems.add(new FieldProblem(field + ", row " + r, "its scores are not finite numbers: its"
                                + " values are too large in magnitude for this model"));
                    }
                    break;
                }
            }
        }
        String which;
        if (failing == 1) {
            which = "row " + named.get(0) + " gives";
        } else if (failing > named.size()) {
            which = "rows " + String.join(", ", named) + " and " + (failing - named.size()) + " more give";
        } else {
            which = "rows " + String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1)
                    + " give";
        }
        return new InvalidInputException("In '" + field + "', " + which + " scores that are not finite numbers: the"
                + " values are too large in magnitude for model " + model.id() + ", and its forward pass overflows."
                + " Send feature values on the scale of the data the model was trained on.", problems);
    }

    static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException("'" + field + "' " + message, List.of(new FieldProblem(field, message)));
    }
}
