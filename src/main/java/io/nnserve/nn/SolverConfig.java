package io.nnserve.nn;

import java.util.Objects;

/**
 * Everything that decides a training run besides the data and the starting weights. Immutable and validated here,
 * so a Solver never starts on a nonsensical setting. {@link #defaults()} and {@link #builder()} give the documented
 * defaults.
 *
 * @param epochs               passes over the training data (at least 1)
 * @param batchSize            rows per minibatch (at least 1)
 * @param learningRate         step size at the first epoch (finite, &gt; 0)
 * @param lrDecay              multiplied into the learning rate after each epoch (finite, &gt; 0; 1 = no decay)
 * @param updateRule           sgd, momentum, rmsprop or adam
 * @param momentum             μ of the momentum rule (in [0, 1); ignored by the other rules)
 * @param loss                 softmax or svm
 * @param svmMargin            Δ of the SVM loss (finite, &gt; 0; ignored by softmax)
 * @param regularization       l2, l1 or none
 * @param reg                  regularization strength (finite, &gt;= 0)
 * @param sampling             how minibatch rows are drawn
 * @param earlyStoppingPatience stop after this many epochs without a better validation accuracy; 0 = never
 * @param seed                 drives the initialisation and every random draw of the run
 * @param trainAccuracySample  at most this many random training rows are scored for the per-epoch train accuracy
 * @param precision            arithmetic precision (only float64 is implemented)
 */
public record SolverConfig(int epochs, int batchSize, double learningRate, double lrDecay, UpdateRuleKind updateRule,
                           double momentum, LossKind loss, double svmMargin, RegularizationKind regularization,
                           double reg, SamplingKind sampling, int earlyStoppingPatience, long seed,
                           int trainAccuracySample, Precision precision) {

    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH_SIZE = 200;
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_LR_DECAY = 0.95;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_SVM_MARGIN = 1.0;
    public static final double DEFAULT_REG = 1e-4;
    public static final int DEFAULT_TRAIN_ACCURACY_SAMPLE = 1000;

    public SolverConfig {
        Objects.requireNonNull(updateRule, "updateRule");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(regularization, "regularization");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(precision, "precision");
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
        require(Double.isFinite(learningRate) && learningRate > 0, "learningRate must be a finite number > 0, got " + learningRate);
        require(Double.isFinite(lrDecay) && lrDecay > 0, "lrDecay must be a finite number > 0, got " + lrDecay);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(Double.isFinite(svmMargin) && svmMargin > 0, "svmMargin must be a finite number > 0, got " + svmMargin);
        require(Double.isFinite(reg) && reg >= 0, "reg must be a finite number >= 0, got " + reg);
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience must be >= 0 (0 = off), got " + earlyStoppingPatience);
        require(trainAccuracySample >= 1, "trainAccuracySample must be at least 1, got " + trainAccuracySample);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults: 10 epochs, batch 200, lr 0.1 decaying by 0.95, sgd, softmax, L2 1e-4, sampling with replacement, seed 0. */
    public static SolverConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate).lrDecay(lrDecay)
                .updateRule(updateRule).momentum(momentum).loss(loss).svmMargin(svmMargin)
                .regularization(regularization).reg(reg).sampling(sampling)
                .earlyStoppingPatience(earlyStoppingPatience).seed(seed).trainAccuracySample(trainAccuracySample)
                .precision(precision);
    }

    /** Iterations per epoch for {@code rows} training rows: {@code max(rows / batchSize, 1)}. */
    public int iterationsPerEpoch(int rows) {
        return Math.max(rows / batchSize, 1);
    }

    /** Starts from {@link SolverConfig#defaults()}. */
    public static final class Builder {
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double lrDecay = DEFAULT_LR_DECAY;
        private UpdateRuleKind updateRule = UpdateRuleKind.SGD;
        private double momentum = DEFAULT_MOMENTUM;
        private LossKind loss = LossKind.SOFTMAX;
        private double svmMargin = DEFAULT_SVM_MARGIN;
        private RegularizationKind regularization = RegularizationKind.L2;
        private double reg = DEFAULT_REG;
        private SamplingKind sampling = SamplingKind.REPLACEMENT;
        private int earlyStoppingPatience;
        private long seed;
        private int trainAccuracySample = DEFAULT_TRAIN_ACCURACY_SAMPLE;
        private Precision precision = Precision.FLOAT64;

        private Builder() {
        }

        public Builder epochs(int value) { epochs = value; return this; }
        public Builder batchSize(int value) { batchSize = value; return this; }
        public Builder learningRate(double value) { learningRate = value; return this; }
        public Builder lrDecay(double value) { lrDecay = value; return this; }
        public Builder updateRule(UpdateRuleKind value) { updateRule = value; return this; }
        public Builder momentum(double value) { momentum = value; return this; }
        public Builder loss(LossKind value) { loss = value; return this; }
        public Builder svmMargin(double value) { svmMargin = value; return this; }
        public Builder regularization(RegularizationKind value) { regularization = value; return this; }
        public Builder reg(double value) { reg = value; return this; }
        public Builder sampling(SamplingKind value) { sampling = value; return this; }
        public Builder earlyStoppingPatience(int value) { earlyStoppingPatience = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder trainAccuracySample(int value) { trainAccuracySample = value; return this; }
        public Builder precision(Precision value) { precision = value; return this; }

        public SolverConfig build() {
            return new SolverConfig(epochs, batchSize, learningRate, lrDecay, updateRule, momentum, loss, svmMargin,
                    regularization, reg, sampling, earlyStoppingPatience, seed, trainAccuracySample, precision);
        }
    }
}
