package io.nnserve.nn;

import java.util.ArrayList;
import java.util.List;

/** TEMPORARY stub of the engine API (branch engine replaces it): a fake loop with a decaying loss. */
public final class Solver {
    private final SolverConfig config;

    public Solver(SolverConfig config) {
        this.config = config;
    }

    public TrainingResult train(TwoLayerNet net, Samples train, Samples validation, Preprocessing preprocessing, TrainingListener listener) {
        return run(new SolverState(0, 0, config.learningRate(), net.parameters()), train, validation, listener);
    }

    public TrainingResult resume(SolverState state, Samples train, Samples validation, Preprocessing preprocessing, TrainingListener listener) {
        return run(state, train, validation, listener);
    }

    private TrainingResult run(SolverState state, Samples train, Samples validation, TrainingListener listener) {
        int perEpoch = Math.max(train.rows() / config.batchSize(), 1);
        int iteration = state.iteration();
        double lr = state.learningRate();
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int epoch = state.epochsDone(); epoch < config.epochs(); epoch++) {
            for (int i = 0; i < perEpoch; i++) {
                double loss = config.learningRate() > 1e3 ? Double.NaN : 2.3 * Math.exp(-iteration / 50.0) + 0.01;
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("the loss became NaN at iteration " + iteration + "; lower the learning rate");
                }
                if (!listener.onIteration(iteration, epoch, loss)) {
                    return new TrainingResult(TrainingResult.Outcome.CANCELLED, state.parameters(), null, 0.5, new double[0], epochs, iteration);
                }
                iteration++;
            }
            EpochMetrics metrics = new EpochMetrics(epoch + 1, 0.9, validation == null ? null : 0.9, lr);
            epochs.add(metrics);
            listener.onEpoch(metrics);
            lr *= config.lrDecay();
            listener.onCheckpoint(new SolverState(epoch + 1, iteration, lr, state.parameters()));
        }
        return new TrainingResult(TrainingResult.Outcome.COMPLETED, state.parameters(), validation == null ? null : 0.9, 0.9, new double[0], epochs, iteration);
    }
}
