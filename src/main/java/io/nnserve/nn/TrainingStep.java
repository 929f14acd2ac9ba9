package io.nnserve.nn;

/**
 * One precision's training iteration, as the {@link TrainingRun} drives it: gather a minibatch, forward and
 * backward pass ({@link #lossAndGradients}), then the update rule ({@link #update}). The step owns its weights,
 * gradients and update-rule buffers in its own precision and layout; the run's double {@link Params} are the record
 * that evaluation, best-model tracking and checkpoints read, synchronised by {@link #storeInto} and {@link #load}.
 *
 * <p>{@link Float64Step} and {@link Float32Step} are the same code in two element types (the double class is
 * generated from the float one by {@code bench/gen_float64_step.py}). Both are checked against the CS231n-shaped
 * reference, {@link Workspace#lossAndGradients} with {@link UpdateRule}, whose gradients are checked numerically.
 */
interface TrainingStep {

    /** Takes the weights of {@code p} (rounded to this step's precision). */
    void load(Params p);

    /** Writes this step's weights into {@code p}, which holds them exactly. */
    void storeInto(Params p);

    /**
     * One iteration's forward and backward pass on the rows {@code indices[0 .. batchSize)}: returns the loss (data
     * loss plus penalty, at the weights before the update) and leaves the gradients for {@link #update}.
     */
    double lossAndGradients(Samples samples, int[] indices, Preprocessing preprocessing, LossKind loss,
                            double svmMargin, RegularizationKind regularization, double reg);

    /**
     * How many of the given rows the current weights classify correctly (the first highest score is the label),
     * scored in blocks with this step's products and precision: the evaluation after each epoch.
     */
    int correct(Samples samples, int[] indices, Preprocessing preprocessing);

    /** One step of the update rule on all four parameters. */
    void update(double learningRate);

    /** Update steps taken so far (adam's bias correction counts them). */
    long steps();

    /** The update rule's buffers as doubles, in {@link UpdateRule#state()}'s layout. */
    double[][] ruleState();

    /** Restores buffers saved by {@link #ruleState} and the number of steps taken. */
    void restoreRule(double[][] state, long stepsDone);

    /** The step for a run's precision. */
    static TrainingStep create(Precision precision, Params initial, int batchSize, UpdateRuleKind rule, double momentum) {
        return precision == Precision.FLOAT32
                ? new Float32Step(initial, batchSize, rule, momentum)
                : new Float64Step(initial, batchSize, rule, momentum);
    }
}
