package io.nnserve.training;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.nnserve.dataset.DatasetSummary;
import io.nnserve.dataset.Datasets;
import io.nnserve.system.EchoedText;
import io.nnserve.model.Models;
import io.nnserve.nn.InitKind;
import io.nnserve.nn.LossKind;
import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.RegularizationKind;
import io.nnserve.nn.SamplingKind;
import io.nnserve.nn.UpdateRuleKind;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;
import tools.jackson.databind.JsonNode;

/**
 * Checks a {@code POST /train} body completely before anything is queued: JSON types, unknown fields, ranges,
 * enum names, the datasets and the initial model, and the size limits of the job. Every problem found is listed
 * in one 400, so a user fixes a request in one round trip. The result is the effective request (defaults filled
 * in) with the numbers the queue needs.
 */
@Component
class TrainRequestValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int SHOWN_NAMES = 10;

    private final Datasets datasets;
    private final Models models;
    private final LimitsProperties limits;
    /**
     * What a job may take of the JVM's heap (-Xmx): three quarters, the rest being the service's own and its requests'.
     * A job over it was accepted and then failed with an OutOfMemoryError on every attempt.
     */
    private final long jobMemoryOfHeap;

    @Autowired
    TrainRequestValidator(Datasets datasets, Models models, LimitsProperties limits) {
        this(datasets, models, limits, Runtime.getRuntime().maxMemory());
    }

    TrainRequestValidator(Datasets datasets, Models models, LimitsProperties limits, long maxHeapBytes) {
        this.datasets = datasets;
        this.models = models;
        this.limits = limits;
        this.jobMemoryOfHeap = maxHeapBytes / 4 * 3;
    }

    /**
     * The request as given (types checked, no defaults): what an Idempotency-Key is compared against. A body with a
     * wrong JSON type or an unknown field is refused here, with the problems {@link #validate} finds in its other
     * fields, so that one 400 lists them all.
     */
    TrainRequest parse(JsonNode body) {
        Fields fields = new Fields(body);
        TrainRequest request = fields.read();
        if (!fields.problems.isEmpty()) {
            List<FieldProblem> problems = new ArrayList<>(fields.problems);
            if (request != null) {
                check(request, problems);
            }
            throw invalid(problems);
        }
        return request;
    }

    TrainingPlan validate(TrainRequest given) {
        List<FieldProblem> problems = new ArrayList<>();
        TrainingPlan plan = check(given, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return plan;
    }

    /**
     * Adds the problems of {@code given} to {@code problems}; the plan when there are none, otherwise null. A field
     * that already has a problem in {@code problems} (a wrong JSON type: read as absent) gets no further one, and the
     * checks that combine it with others are left out: with its default standing in they would judge a request the
     * client did not send.
     */
    private TrainingPlan check(TrainRequest given, List<FieldProblem> problems) {
        Set<String> unread = problems.stream().map(FieldProblem::field).collect(Collectors.toUnmodifiableSet());
        Problems p = new Problems(problems, unread);
        boolean rowsKnown = !unread.contains("validationDatasetId") && !unread.contains("validationSplit");
        boolean sizesKnown = rowsKnown && !unread.contains("batchSize");

        Optional<DatasetSummary> dataset = dataset("datasetId", given.datasetId(), true, p);
        Optional<DatasetSummary> validation = dataset("validationDatasetId", given.validationDatasetId(), false, p);
        Optional<Models.Trained> start = initialModel(given.initialModelId(), p);
        Optional<NetworkParameters> initial = start.map(Models.Trained::parameters);

        if (given.validationDatasetId() != null && given.validationSplit() != null) {
            p.add("validationSplit", "give either validationSplit or validationDatasetId, not both");
        }
        Double validationSplit = given.validationDatasetId() != null ? null
                : or(given.validationSplit(), TrainRequest.DEFAULT_VALIDATION_SPLIT);
        if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
            p.add("validationSplit", "must be greater than 0 and less than 1, got " + validationSplit);
        }

        int hiddenSize = or(given.hiddenSize(), initial.map(NetworkParameters::hiddenSize).orElse(TrainRequest.DEFAULT_HIDDEN_SIZE));
        if (given.hiddenSize() == null && hiddenSize > limits.maxHiddenSize()) {
            // the client sent no hiddenSize: say where the value comes from, or "got 100" reads as a mistake of theirs
            p.add("hiddenSize", (initial.isPresent() ? "the initial model's hidden size, " : "the default, ") + hiddenSize
                    + ", is over this instance's limit of " + limits.maxHiddenSize()
                    + " (nnserve.limits.max-hidden-size); send a hiddenSize between 1 and " + limits.maxHiddenSize());
        } else {
            p.range("hiddenSize", hiddenSize, 1, limits.maxHiddenSize(), "nnserve.limits.max-hidden-size");
        }

        String loss = p.name("loss", given.loss(), TrainRequest.DEFAULT_LOSS, LossKind::parse, LossKind::wireName);
        double svmMargin = or(given.svmMargin(), TrainRequest.DEFAULT_SVM_MARGIN);
        p.check("svmMargin", svmMargin > 0 && svmMargin <= 1e6, "must be greater than 0 and at most 1e6, got " + svmMargin);
        String regularization = p.name("regularization", given.regularization(), TrainRequest.DEFAULT_REGULARIZATION,
                RegularizationKind::parse, RegularizationKind::wireName);
        double reg = or(given.reg(), TrainRequest.DEFAULT_REG);
        p.check("reg", reg >= 0 && reg <= 1e6, "must be at least 0 and at most 1e6, got " + reg);
        String init = p.name("init", given.init(), TrainRequest.DEFAULT_INIT, InitKind::parse, InitKind::wireName);
        double weightScale = or(given.weightScale(), TrainRequest.DEFAULT_WEIGHT_SCALE);
        p.check("weightScale", weightScale > 0 && weightScale <= 1e3,
                "must be greater than 0 and at most 1000, got " + weightScale);
        String updateRule = p.name("updateRule", given.updateRule(), TrainRequest.DEFAULT_UPDATE_RULE,
                UpdateRuleKind::parse, UpdateRuleKind::wireName);
        double learningRate = or(given.learningRate(),
                TrainRequest.defaultLearningRate(updateRule == null ? TrainRequest.DEFAULT_UPDATE_RULE : updateRule));
        p.check("learningRate", learningRate > 0 && learningRate <= TrainRequest.MAX_LEARNING_RATE,
                "must be greater than 0 and at most 1e6, got " + learningRate);
        double momentum = or(given.momentum(), TrainRequest.DEFAULT_MOMENTUM);
        p.check("momentum", momentum >= 0 && momentum < 1, "must be at least 0 and less than 1, got " + momentum);
        double lrDecay = or(given.lrDecay(), TrainRequest.DEFAULT_LR_DECAY);
        p.check("lrDecay", lrDecay > 0 && lrDecay <= 1, "must be greater than 0 and at most 1, got " + lrDecay);
        int epochs = or(given.epochs(), TrainRequest.DEFAULT_EPOCHS);
        p.range("epochs", epochs, 1, limits.maxEpochs(), "nnserve.limits.max-epochs");
        String sampling = p.name("sampling", given.sampling(), TrainRequest.DEFAULT_SAMPLING, SamplingKind::parse,
                SamplingKind::wireName);
        int patience = or(given.earlyStoppingPatience(), TrainRequest.DEFAULT_EARLY_STOPPING_PATIENCE);
        p.range("earlyStoppingPatience", patience, 0, limits.maxEpochs(), "nnserve.limits.max-epochs");
        long seed = given.seed() != null ? given.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
        // Continuing a model, its weights expect inputs preprocessed as it was and were trained in its precision:
        // those are the defaults then, as its hidden size is (JobRunner reuses its fitted offset and scale).
        String preprocessing = p.name("preprocessing", given.preprocessing(),
                start.map(m -> m.preprocessing().kind().wireName()).orElse(TrainRequest.DEFAULT_PREPROCESSING),
                Preprocessing.Kind::parse, Preprocessing.Kind::wireName);
        String precision = p.name("precision", given.precision(),
                start.map(m -> m.precision().wireName()).orElse(TrainRequest.DEFAULT_PRECISION), Precision::parse,
                Precision::wireName);

        // Defaults for a dataset smaller than a minibatch: the whole training split per step.
        int batchSize = given.batchSize() != null ? given.batchSize() : TrainRequest.DEFAULT_BATCH_SIZE;
        int trainRows = 0;
        int valRows = 0;
        if (dataset.isPresent()) {
            DatasetSummary d = dataset.get();
            if (validation.isPresent()) {
                DatasetSummary v = validation.get();
                trainRows = d.rows();
                valRows = v.rows();
                if (v.features() != d.features()) {
                    p.add("validationDatasetId", "has " + v.features() + " features but dataset '" + d.id() + "' has "
                            + d.features());
                } else {
                    String columns = columnProblem(d.featureNames(), v.featureNames(), d.id());
                    if (columns != null) {
                        p.add("validationDatasetId", columns);
                    }
                }
                if (v.classes() != d.classes()) {
                    // a validation set short of a rare class is common: its labels can still mean the same classes
                    p.add("validationDatasetId", "has " + v.classes() + " classes but dataset '" + d.id() + "' has "
                            + d.classes() + " " + shortList(d.classNames()) + "; upload the validation data again with"
                            + " ?classNames= listing the training dataset's classes in its order (CSV, IDX and JSON"
                            + " uploads take it), also those it has no rows of");
                } else if (!v.classNames().equals(d.classNames())) {
                    // labels are compared by index: the same count in another order would score every row against
                    // the wrong class and still "succeed"
                    int at = firstDifference(v.classNames(), d.classNames());
                    p.add("validationDatasetId", "has classes " + shortList(v.classNames()) + " but dataset '" + d.id()
                            + "' has " + shortList(d.classNames()) + " (label " + at + " is " + shortName(v.classNames().get(at))
                            + " here and " + shortName(d.classNames().get(at)) + " there); a label must mean the same class in both, in the "
                            + "same order: upload the validation data again with ?classNames= listing the training "
                            + "dataset's classes in its order (CSV, IDX and JSON uploads take it)");
                }
            } else if (rowsKnown && validationSplit != null && validationSplit > 0 && validationSplit < 1) {
                if (d.rows() < 2) {
                    p.add("datasetId", "has only " + d.rows() + " row: a validation split needs at least 2");
                } else {
                    valRows = validationRows(d.rows(), validationSplit);
                    trainRows = d.rows() - valRows;
                }
            }
            if (given.batchSize() == null && trainRows > 0) {
                batchSize = Math.min(batchSize, trainRows);
            }
            initial.ifPresent(m -> {
                if (m.inputSize() != d.features()) {
                    p.add("initialModelId", "takes " + m.inputSize() + " features but dataset '" + d.id() + "' has "
                            + d.features());
                }
                if (m.numClasses() != d.classes()) {
                    p.add("initialModelId", "has " + m.numClasses() + " classes but dataset '" + d.id() + "' has "
                            + d.classes());
                }
            });
        }
        if (initial.isPresent() && hiddenSize != initial.get().hiddenSize()) {
            p.add("hiddenSize", "must equal the initial model's hidden size " + initial.get().hiddenSize()
                    + ", got " + hiddenSize);
        }
        if (batchSize < 1 || (trainRows > 0 && batchSize > trainRows)) {
            p.add("batchSize", "must be between 1 and the " + (trainRows > 0 ? trainRows + " " : "") + "training rows, got "
                    + batchSize);
        }

        int iterationsPerEpoch = trainRows > 0 && batchSize >= 1 ? Math.max(trainRows / batchSize, 1) : 0;
        long iterations = (long) iterationsPerEpoch * epochs;
        if (sizesKnown && iterations > limits.maxIterations()) {
            p.add("epochs", "epochs x iterations per epoch = " + epochs + " x " + iterationsPerEpoch + " = " + iterations
                    + " is more than the limit of " + limits.maxIterations() + " (nnserve.limits.max-iterations)");
        }
        long estimatedBytes = 0;
        if (sizesKnown && dataset.isPresent() && hiddenSize >= 1 && hiddenSize <= limits.maxHiddenSize()
                && batchSize >= 1) {
            DatasetSummary d = dataset.get();
            estimatedBytes = estimateMemory(d.rows() + (validation.isPresent() ? validation.get().rows() : 0),
                    d.features(), hiddenSize, d.classes(), Math.min(batchSize, Math.max(trainRows, 1)));
            if (estimatedBytes > limits.maxJobMemoryBytes()) {
                p.add("hiddenSize", "the job would need about " + mib(estimatedBytes) + " MiB, more than the limit of "
                        + mib(limits.maxJobMemoryBytes()) + " MiB (nnserve.limits.max-job-memory-bytes); use a smaller "
                        + "hiddenSize, batchSize or dataset");
            } else if (estimatedBytes > jobMemoryOfHeap) {
                p.add("hiddenSize", "the job would need about " + mib(estimatedBytes) + " MiB, more than the "
                        + mib(jobMemoryOfHeap) + " MiB this instance's heap allows a job (three quarters of -Xmx; "
                        + "nnserve.limits.max-job-memory-bytes is higher); use a smaller hiddenSize, batchSize or "
                        + "dataset, or give the service more memory");
            }
        }

        if (!problems.isEmpty()) {
            return null;
        }
        TrainRequest effective = new TrainRequest(given.datasetId(), given.validationDatasetId(), validationSplit,
                hiddenSize, loss, svmMargin, regularization, reg, init, weightScale, updateRule, learningRate, momentum,
                lrDecay, batchSize, epochs, sampling, patience, seed, preprocessing, given.initialModelId(), precision);
        return new TrainingPlan(effective, trainRows, valRows, iterationsPerEpoch, iterations, estimatedBytes);
    }

    /** Rows held out for validation: the fraction rounded, but at least one row on each side. */
    static int validationRows(int rows, double split) {
        long rounded = Math.round(rows * split);
        return (int) Math.max(1, Math.min(rows - 1, rounded));
    }

    /**
     * Bytes a job holds at its peak, estimated before anything is allocated: the dataset once (as floats: a dataset
     * of whole numbers 0..255 takes a quarter of that as bytes; the train/validation split is a view costing an
     * index per row), eight copies of the weights (the run's record, the step's own, gradients, two update-rule
     * moments, best weights, a checkpoint's two), and the stores of a minibatch and of an evaluation block.
     */
    static long estimateMemory(long rows, int features, int hidden, int classes, int batchSize) {
        long parameters = (long) features * hidden + hidden + (long) hidden * classes + classes;
        long data = rows * features * 4 + rows * (4 + 4);
        long weights = parameters * 8 * 8;
        long activations = (long) batchSize * (features + 2L * hidden + 2L * classes) * 8 * 2
                + 256L * (features + hidden + classes) * 8;
        return data + weights + activations;
    }

    /**
     * Class names for a message: a dataset may have thousands, each up to 200 characters, and a 400 must stay
     * readable, so long lists show their first few and the count.
     */
    static String shortList(List<String> names) {
        int shown = Math.min(names.size(), SHOWN_NAMES);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < shown; i++) {
            out.append(i == 0 ? "" : ", ").append(shortName(names.get(i)));
        }
        if (shown < names.size()) {
            out.append(", ... (").append(names.size()).append(" in all)");
        }
        return out.append(']').toString();
    }

    /**
     * Features are compared by position: a validation CSV with the training CSV's columns in another order would be
     * scored column against the wrong column, and pick the kept epoch by it. Refused when both uploads named their
     * columns and a name they share stands at different positions; names that simply differ (another file's naming,
     * "sepal_length" for "sepal_length_cm") say nothing about the order, and are left to the user. Null when fine.
     */
    static String columnProblem(List<String> t, List<String> v, String trainingId) {
        if (t == null || v == null || t.equals(v)) {
            return null;
        }
        Map<String, Integer> trainingPosition = new HashMap<>();
        for (int i = t.size() - 1; i >= 0; i--) {
            trainingPosition.put(t.get(i), i);
        }
        for (int i = 0; i < v.size(); i++) {
            Integer there = trainingPosition.get(v.get(i));
            if (there != null && there != i) {
                return "has the feature column " + shortName(v.get(i)) + " at position " + (i + 1) + ", where dataset '"
                        + trainingId + "' has it at " + (there + 1) + "; features are matched by position: upload the"
                        + " validation data again with its columns in the training data's order";
            }
        }
        return null;
    }

    private static String shortName(String name) {
        return '"' + EchoedText.shorten(name) + '"';
    }

    /** The first index at which two lists of one length differ (they are known to differ). */
    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    static InvalidInputException invalid(List<FieldProblem> problems) {
        return new InvalidInputException("The training request has " + problems.size()
                + " problem(s); see 'errors'. Nothing was queued.", problems);
    }

    private Optional<DatasetSummary> dataset(String field, String id, boolean required, Problems p) {
        if (id == null) {
            if (required) {
                p.add(field, "is required: the id of a registered dataset, e.g. \"digits\"");
            }
            return Optional.empty();
        }
        if (!ID.matcher(id).matches()) {
            p.add(field, "is not a valid id (letters, digits, '.', '_', '-'; at most 64)");
            return Optional.empty();
        }
        Optional<DatasetSummary> found = datasets.find(id);
        if (found.isEmpty()) {
            p.add(missingDataset(field, id));
        }
        return found;
    }

    static FieldProblem missingDataset(String field, String id) {
        return new FieldProblem(field, "dataset '" + id + "' does not exist; GET /datasets lists the registered ones");
    }

    static FieldProblem missingModel(String id) {
        return new FieldProblem("initialModelId", "model '" + id + "' does not exist; GET /models lists the registered ones");
    }

    private Optional<Models.Trained> initialModel(String id, Problems p) {
        if (id == null) {
            return Optional.empty();
        }
        if (!ID.matcher(id).matches()) {
            p.add("initialModelId", "is not a valid id (letters, digits, '.', '_', '-'; at most 64)");
            return Optional.empty();
        }
        Optional<Models.Trained> found = models.trained(id);
        if (found.isEmpty()) {
            p.add(missingModel(id));
        }
        return found;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Collects problems of the effective values, but none of a field in {@code unread}: it has its problem. */
    private record Problems(List<FieldProblem> list, Set<String> unread) {

        void add(String field, String message) {
            add(new FieldProblem(field, message));
        }

        void add(FieldProblem problem) {
            if (!unread.contains(problem.field())) {
                list.add(problem);
            }
        }

        void check(String field, boolean ok, String message) {
            if (!ok) {
                add(field, message);
            }
        }

        void range(String field, int value, int min, int max, String property) {
            if (value < min || value > max) {
                // a clamped value (see Fields.integer) may stand for a larger one
                String got = value == Integer.MAX_VALUE ? value + " or more"
                        : value == Integer.MIN_VALUE ? value + " or less" : Integer.toString(value);
                add(field, "must be between " + min + " and " + max + (property == null ? "" : " (" + property + ")")
                        + ", got " + got);
            }
        }

        /** Parses an enum name with the engine's parser; returns its canonical wire name, or null when invalid. */
        <E> String name(String field, String value, String fallback, Function<String, E> parse, Function<E, String> wire) {
            String name = value != null ? value : fallback;
            try {
                // Parsed shortened: no wire name comes near the length at which Names cuts, so a value parses as it
                // would whole, and an unknown one is echoed cut in the parser's message (a 400 stays short).
                return wire.apply(parse.apply(EchoedText.shorten(name)));
            } catch (IllegalArgumentException e) {
                add(field, e.getMessage());
                return null;
            }
        }
    }

    /** Reads the JSON object field by field, recording type problems instead of stopping at the first. */
    private static final class Fields {
        private final JsonNode body;
        private final List<FieldProblem> problems = new ArrayList<>();
        private final Map<String, JsonNode> values = new HashMap<>();

        Fields(JsonNode body) {
            this.body = body;
        }

        TrainRequest read() {
            if (body == null || !body.isObject()) {
                problems.add(new FieldProblem("body", "must be a JSON object such as {\"datasetId\": \"digits\"}"));
                return null;
            }
            for (Map.Entry<String, JsonNode> entry : body.properties()) {
                if (TrainRequest.FIELDS.contains(entry.getKey())) {
                    values.put(entry.getKey(), entry.getValue());
                } else {
                    problems.add(new FieldProblem(entry.getKey(), "unknown field; the fields are "
                            + String.join(", ", TrainRequest.FIELDS)));
                }
            }
            return new TrainRequest(string("datasetId"), string("validationDatasetId"), number("validationSplit"),
                    integer("hiddenSize"), string("loss"), number("svmMargin"), string("regularization"), number("reg"),
                    string("init"), number("weightScale"), string("updateRule"), number("learningRate"),
                    number("momentum"), number("lrDecay"), integer("batchSize"), integer("epochs"), string("sampling"),
                    integer("earlyStoppingPatience"), seed(), string("preprocessing"), string("initialModelId"),
                    string("precision"));
        }

        private JsonNode value(String field) {
            JsonNode node = values.get(field);
            return node == null || node.isNull() ? null : node;
        }

        private String string(String field) {
            JsonNode node = value(field);
            if (node == null) {
                return null;
            }
            if (!node.isString()) {
                problems.add(new FieldProblem(field, "must be a string"));
                return null;
            }
            return node.stringValue();
        }

        private Double number(String field) {
            JsonNode node = value(field);
            if (node == null) {
                return null;
            }
            if (!node.isNumber()) {
                problems.add(new FieldProblem(field, "must be a number"));
                return null;
            }
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                problems.add(new FieldProblem(field, "must be a finite number"));
                return null;
            }
            return value;
        }

        /**
         * An integer field; values beyond int are clamped so that the range check, which runs with every other
         * check, names the limit (and says "or more": the value sent may have been larger).
         */
        private Integer integer(String field) {
            BigInteger value = whole(field);
            if (value == null) {
                return null;
            }
            return value.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
        }

        private Long seed() {
            BigInteger value = whole("seed");
            if (value == null) {
                return null;
            }
            if (value.bitLength() > 63) {
                problems.add(new FieldProblem("seed", "must fit in a signed 64-bit integer"));
                return null;
            }
            return value.longValue();
        }

        private BigInteger whole(String field) {
            JsonNode node = value(field);
            if (node == null) {
                return null;
            }
            if (node.isIntegralNumber()) {
                return node.bigIntegerValue();
            }
            if (node.isNumber() && Double.isFinite(node.doubleValue()) && node.doubleValue() == Math.rint(node.doubleValue())
                    && Math.abs(node.doubleValue()) < 1e18) {
                return BigInteger.valueOf((long) node.doubleValue());
            }
            problems.add(new FieldProblem(field, "must be a whole number"));
            return null;
        }
    }
}
