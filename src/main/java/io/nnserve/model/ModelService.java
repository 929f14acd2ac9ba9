package io.nnserve.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.nnserve.system.EchoedText;
import io.nnserve.dataset.Names;
import io.nnserve.model.WeightsFormat.DamagedWeightsException;
import io.nnserve.model.WeightsFormat.StoredWeights;
import io.nnserve.nn.LossKind;
import io.nnserve.nn.NetworkParameters;
import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.TwoLayerNet;
import io.nnserve.system.ConflictException;
import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.nnserve.system.LimitsProperties;
import io.nnserve.system.NotFoundException;
import io.nnserve.system.StorageProperties;

/**
 * The model registry: stores models in {@link WeightsFormat}, answers the {@code /models} endpoints, and hands
 * prediction a cached {@link ServingModel}. Stored models never change; the only change is deletion.
 */
@Service
public class ModelService implements Models {

    private static final Logger log = LoggerFactory.getLogger(ModelService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ModelRepository repository;
    private final LimitsProperties limits;
    private final DamagedModels damaged;
    private final ModelCache<ServingModel> cache;
    private final ObjectProvider<ModelUsage> usages;
    private final TransactionTemplate transactions;

    ModelService(ModelRepository repository, StorageProperties storage, LimitsProperties limits, DamagedModels damaged,
                 ObjectProvider<ModelUsage> usages, PlatformTransactionManager transactions) {
        this.repository = repository;
        this.limits = limits;
        this.damaged = damaged;
        this.usages = usages;
        this.transactions = new TransactionTemplate(transactions);
        this.cache = new ModelCache<>(this::load, repository::exists, ServingModel::weightBytes,
                e -> e instanceof DamagedModelException, storage.modelCacheSize(), storage.modelCacheMaxBytes(),
                storage.modelRevalidateAfter().toNanos(), System::nanoTime);
    }

    /** Joins the caller's transaction (training writes the model and marks its job SUCCEEDED in one). */
    @Override
    @Transactional
    public String register(NewModel model) {
        return store(UUID.randomUUID().toString(), model);
    }

    private String store(String id, NewModel model) {
        NetworkParameters p = model.parameters();
        if (model.preprocessing().features() != p.inputSize()) {
            throw new IllegalArgumentException("preprocessing has " + model.preprocessing().features()
                    + " features but the network takes " + p.inputSize());
        }
        if (model.classNames() == null || model.classNames().size() != p.numClasses()) {
            throw new IllegalArgumentException("a model of " + p.numClasses() + " classes needs as many class names");
        }
        String loss = LossKind.parse(model.loss()).wireName();
        String precision = Precision.parse(model.precision()).wireName();
        String architecture = p.inputSize() + "-" + p.hiddenSize() + "-" + p.numClasses();
        ModelInfo info = new ModelInfo(id, architecture, p.inputSize(), p.hiddenSize(), p.numClasses(), loss,
                model.preprocessing().kind().wireName(), List.copyOf(model.classNames()), model.datasetId(),
                model.datasetName(), model.jobId(), model.seed(), precision, model.trainAccuracy(),
                model.valAccuracy(), model.hyperparameters(), ModelRepository.now());
        repository.insert(info, WeightsFormat.encode(p, model.preprocessing(), WeightsFormat.losslessType(p)));
        log.info("model {} registered ({}, job {})", id, architecture, model.jobId());
        return id;
    }

    @Override
    public Optional<Trained> trained(String modelId) {
        if (modelId == null || !ID.matcher(modelId).matches()) {
            return Optional.empty();
        }
        // copies: the cached model is shared by every prediction, and a run must not reach into its arrays
        return cache.get(modelId).map(m -> new Trained(m.net().parameters(), new Preprocessing(m.preprocessing().kind(),
                m.preprocessing().offset().clone(), m.preprocessing().scale().clone()), m.precision()));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean lockAgainstDeletion(String modelId) {
        return modelId != null && ID.matcher(modelId).matches() && repository.lock(modelId);
    }

    /** The model ready to predict; 404 when unknown, 409 when damaged. */
    public ServingModel serving(String modelId) {
        return cache.get(checkId(modelId)).orElseThrow(() -> new NotFoundException("model", modelId));
    }

    /** Every stored model's id, oldest first. */
    public List<String> ids() {
        return repository.ids();
    }

    public List<ModelInfo> list(int limit, int offset) {
        return repository.list(limit, offset);
    }

    public ModelInfo info(String modelId) {
        return repository.find(checkId(modelId)).orElseThrow(() -> new NotFoundException("model", modelId));
    }

    /** Deletes a model unless something (a queued or running job that starts from it) still uses it. */
    public void delete(String modelId) {
        checkId(modelId);
        // Locked, checked and deleted in one transaction: a job queued meanwhile (on any instance) either committed
        // before the lock was granted, and the check sees it, or waits for this commit and finds no model.
        transactions.executeWithoutResult(status -> {
            if (!repository.lock(modelId)) {
                throw new NotFoundException("model", modelId);
            }
            ConflictException.refuseDeletionIfUsed("Model '" + modelId + "'",
                    usages.orderedStream().map(usage -> usage.usedBy(modelId)));
            repository.delete(modelId);
        });
        // only after the commit: until then the row is still there, and a request could load it into the cache again
        cache.evict(modelId);
        damaged.forget(modelId);
        log.info("model {} deleted", modelId);
    }

    public ModelExport export(String modelId) {
        ModelInfo info = info(modelId);
        ServingModel model = serving(modelId);
        NetworkParameters p = model.net().parameters();
        Preprocessing pre = model.preprocessing();
        return new ModelExport(ModelExport.FORMAT, ModelExport.VERSION, p.inputSize(), p.hiddenSize(), p.numClasses(),
                info.classNames(), info.loss(), info.precision(),
                new ModelExport.Preprocessing(pre.kind().wireName(), NumericArray.vector(pre.offset()),
                        NumericArray.vector(pre.scale())),
                NumericArray.matrix(p.w1(), p.inputSize(), p.hiddenSize()), NumericArray.vector(p.b1()),
                NumericArray.matrix(p.w2(), p.hiddenSize(), p.numClasses()), NumericArray.vector(p.b2()));
    }

    /** Validates a portable model completely (every problem listed at once) and stores it as a new model. */
    @Transactional
    public ModelInfo importModel(ModelExport e) {
        String id = register(validate(e));
        return repository.find(id).orElseThrow();
    }

    /**
     * Stores a built-in model under a fixed id unless a model has that id already (deleting it lasts until the next
     * start). Instances starting together may race: the loser's insert fails on the primary key and changes nothing.
     */
    void seed(String id, NewModel model) {
        if (repository.exists(id)) {
            return;
        }
        try {
            store(id, model);
            log.info("built-in model {} stored", id);
        } catch (DuplicateKeyException raced) {
            log.debug("built-in model {} was stored by another instance", id);
        }
    }

    /** The model a portable document describes, or every problem with it at once (400). */
    NewModel validate(ModelExport e) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!ModelExport.FORMAT.equals(e.format())) {
            problems.add(new FieldProblem("format", "must be '" + ModelExport.FORMAT + "', got " + quote(e.format())));
        }
        if (e.version() == null || e.version() != ModelExport.VERSION) {
            problems.add(new FieldProblem("version", "this server reads version " + ModelExport.VERSION + ", got " + e.version()));
        }
        int d = size(problems, "inputSize", e.inputSize(), 1, limits.maxFeatures(), "nnserve.limits.max-features");
        int h = size(problems, "hiddenSize", e.hiddenSize(), 1, limits.maxHiddenSize(), "nnserve.limits.max-hidden-size");
        int c = size(problems, "numClasses", e.numClasses(), 2, limits.maxClasses(), "nnserve.limits.max-classes");
        // The names are parsed shortened, as TrainRequestValidator does: no wire name is as long as Names' cut, so the
        // result is the same, and an unknown name is echoed cut in the message.
        try {
            LossKind.parse(EchoedText.shorten(e.loss()));
        } catch (IllegalArgumentException ex) {
            problems.add(new FieldProblem("loss", ex.getMessage()));
        }
        // absent: a document written before exports carried the precision, or by hand; every such model was float64
        Precision precision = Precision.FLOAT64;
        if (e.precision() != null) {
            try {
                precision = Precision.parse(EchoedText.shorten(e.precision()));
            } catch (IllegalArgumentException ex) {
                problems.add(new FieldProblem("precision", ex.getMessage()));
            }
        }
        checkClassNames(problems, e.classNames(), c);
        checkShape(problems, "W1", e.w1(), d, h);
        checkShape(problems, "b1", e.b1(), h, -1);
        checkShape(problems, "W2", e.w2(), h, c);
        checkShape(problems, "b2", e.b2(), c, -1);
        if (precision == Precision.FLOAT32) {
            // A float32 model holds floats: serving would round any other value, so the import would predict
            // something the document does not say. The preprocessing stays float64 (stored and applied so), unchecked.
            checkFloats(problems, "W1", e.w1());
            checkFloats(problems, "b1", e.b1());
            checkFloats(problems, "W2", e.w2());
            checkFloats(problems, "b2", e.b2());
        }
        Preprocessing.Kind kind = null;
        ModelExport.Preprocessing pre = e.preprocessing();
        if (pre == null) {
            problems.add(new FieldProblem("preprocessing", "is required: {\"kind\": \"none\", \"offset\": [0, ...], \"scale\": [1, ...]} at least"));
        } else {
            try {
                kind = Preprocessing.Kind.parse(EchoedText.shorten(pre.kind()));
            } catch (IllegalArgumentException ex) {
                problems.add(new FieldProblem("preprocessing.kind", ex.getMessage()));
            }
            checkShape(problems, "preprocessing.offset", pre.offset(), d, -1);
            checkShape(problems, "preprocessing.scale", pre.scale(), d, -1);
            if (pre.scale() != null) {
                double[] scale = pre.scale().values();
                for (int j = 0; j < scale.length; j++) {
                    // Inputs are divided by the scale (training multiplies by its reciprocal): below about
                    // 5.6e-309 in magnitude the reciprocal overflows, and every ordinary input becomes infinite.
                    if (!Double.isFinite(1.0 / scale[j])) {
                        problems.add(new FieldProblem("preprocessing.scale[" + j + "]", scale[j] == 0.0
                                ? "must not be 0 (inputs are divided by it)"
                                : "is " + scale[j] + ", too close to 0: inputs are divided by it and 1 / " + scale[j]
                                + " overflows to infinity, so the model's predictions would not be numbers"));
                        break;
                    }
                }
            }
            if (kind == Preprocessing.Kind.NONE && pre.offset() != null && pre.scale() != null) {
                // a model of kind none is served without preprocessing: other arrays would be kept and ignored
                double[] offset = pre.offset().values();
                double[] scale = pre.scale().values();
                for (int j = 0; j < Math.min(offset.length, scale.length); j++) {
                    if (offset[j] != 0.0 || scale[j] != 1.0) {
                        problems.add(new FieldProblem("preprocessing", "kind 'none' feeds inputs as they are, so its"
                                + " offset must be all 0 and its scale all 1 (offset[" + j + "] is " + offset[j]
                                + ", scale[" + j + "] is " + scale[j] + "); to shift and scale inputs, use kind 'scale'"
                                + " or 'standardize' with these arrays"));
                        break;
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.get(0);
            throw new InvalidInputException("The model cannot be imported: " + first.field() + ": " + first.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : "") + "; see 'errors'.",
                    problems);
        }
        NetworkParameters parameters = new NetworkParameters(d, h, c, e.w1().values(), e.b1().values(),
                e.w2().values(), e.b2().values());
        Preprocessing preprocessing = new Preprocessing(kind, pre.offset().values(), pre.scale().values());
        return new NewModel(null, null, null, parameters, e.loss(), preprocessing, e.classNames(), null,
                null, null, null, precision.wireName());
    }

    /** Checks every stored model's checksum once; damaged ones are reported by readiness from then on. */
    public int verifyAll() {
        int bad = 0;
        for (String id : repository.ids()) {
            Optional<byte[]> bytes = repository.weights(id);
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                WeightsFormat.decode(bytes.get());
            } catch (DamagedWeightsException e) {
                damaged.record(id, e.getMessage());
                bad++;
            }
        }
        return bad;
    }

    int cachedModels() {
        return cache.size();
    }

    long cachedBytes() {
        return cache.bytes();
    }

    private Optional<ServingModel> load(String id) {
        Optional<byte[]> bytes = repository.weights(id);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        StoredWeights stored;
        try {
            stored = WeightsFormat.decode(bytes.get());
        } catch (DamagedWeightsException e) {
            damaged.record(id, e.getMessage());
            log.error("model {} is damaged: {}", id, e.getMessage());
            throw new DamagedModelException(id, e.getMessage());
        }
        ModelInfo info = repository.find(id).orElse(null);
        if (info == null) {
            return Optional.empty();
        }
        if (info.classNames().size() != stored.parameters().numClasses()) {
            damaged.record(id, "its metadata disagrees with its weights");
            throw new DamagedModelException(id, "its metadata disagrees with its weights");
        }
        // a model trained in float32 is served in float32, as it was trained and evaluated
        Precision precision = Precision.parse(info.precision());
        return Optional.of(new ServingModel(id, TwoLayerNet.of(stored.parameters(), precision), stored.preprocessing(),
                info.classNames(), info.loss()));
    }

    /** Anything that is not an id names no model: 404, and it never reaches SQL or a log line unquoted. */
    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new NotFoundException("model", id == null ? "" : id.substring(0, Math.min(id.length(), 64)));
        }
        return id;
    }

    private static int size(List<FieldProblem> problems, String field, Integer value, int min, int max, String property) {
        if (value == null) {
            problems.add(new FieldProblem(field, "is required"));
            return -1;
        }
        if (value < min || value > max) {
            problems.add(new FieldProblem(field, "must be between " + min + " and " + max + " (" + property + "), got " + value));
            return -1;
        }
        return value;
    }

    /** {@code cols < 0}: a vector of {@code rows} numbers; otherwise rows x cols. Unknown sizes (-1) skip the check. */
    private static void checkShape(List<FieldProblem> problems, String field, NumericArray a, int rows, int cols) {
        if (a == null) {
            problems.add(new FieldProblem(field, "is required"));
            return;
        }
        boolean vector = cols < 0;
        String expected = vector ? rows + " numbers" : rows + " rows of " + cols + " numbers";
        if (vector ? a.rank() != 1 : a.rank() != 2) {
            problems.add(new FieldProblem(field, "must be " + (vector ? "an array of numbers" : "an array of rows")
                    + (rows > 0 && (vector || cols > 0) ? " (" + expected + ")" : "") + ", got " + a.rank() + " levels of nesting"));
        } else if (rows > 0 && (vector || cols > 0) && (a.dim(0) != rows || (!vector && a.dim(1) != cols))) {
            String got = vector ? a.dim(0) + " numbers" : a.dim(0) + " rows of " + a.dim(1);
            problems.add(new FieldProblem(field, "must have " + expected + ", got " + got));
        }
    }

    /** The first value of {@code a} that is not exactly a float32 number, by its position; one problem per array. */
    private static void checkFloats(List<FieldProblem> problems, String field, NumericArray a) {
        if (a == null) {
            return;
        }
        double[] values = a.values();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if ((double) (float) v != v) {
                float nearest = (float) v;
                problems.add(new FieldProblem(field + position(a, i), "is " + v + ", which is not a float32 number ("
                        + (Float.isInfinite(nearest) ? "it is beyond the float32 range"
                        : "the nearest is " + (double) nearest) + "); a float32 model holds only float32 values: write"
                        + " the exact float32 values, or import it as \"precision\": \"float64\""));
                return;
            }
        }
    }

    /** {@code [i][j]...} of the row-major {@code index} in {@code a}'s shape. */
    private static String position(NumericArray a, int index) {
        int[] shape = a.shape();
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = index % shape[d];
            index /= shape[d];
        }
        StringBuilder s = new StringBuilder();
        for (int i : at) {
            s.append('[').append(i).append(']');
        }
        return s.toString();
    }

    private static void checkClassNames(List<FieldProblem> problems, List<String> names, int classes) {
        if (names == null) {
            problems.add(new FieldProblem("classNames", "is required: one name per class"));
            return;
        }
        if (classes > 0 && names.size() != classes) {
            problems.add(new FieldProblem("classNames", "must have numClasses (" + classes + ") names, got " + names.size()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String problem = Names.classNameProblem(name);
            if (problem != null) {
                problems.add(new FieldProblem("classNames[" + i + "]", problem));
            } else if (!seen.add(name)) {
                problems.add(new FieldProblem("classNames[" + i + "]", "'" + name + "' appears twice; class names must be unique"));
            }
        }
    }

    private static String quote(String s) {
        return s == null ? "nothing" : EchoedText.quote(s);
    }
}
