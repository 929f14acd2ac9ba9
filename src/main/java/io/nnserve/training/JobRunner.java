package io.nnserve.training;

import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import io.nnserve.dataset.Datasets;
import io.nnserve.dataset.Datasets.LoadedDataset;
import io.nnserve.model.Models;
import io.nnserve.model.NewModel;
import io.nnserve.nn.EngineKernel;
import io.nnserve.nn.EpochMetrics;
import io.nnserve.nn.InitKind;
import io.nnserve.nn.LossKind;
import io.nnserve.nn.Precision;
import io.nnserve.nn.Preprocessing;
import io.nnserve.nn.RegularizationKind;
import io.nnserve.nn.Samples;
import io.nnserve.nn.SamplingKind;
import io.nnserve.nn.Solver;
import io.nnserve.nn.SolverConfig;
import io.nnserve.nn.SolverState;
import io.nnserve.nn.TrainingDivergedException;
import io.nnserve.nn.TrainingListener;
import io.nnserve.nn.TrainingResult;
import io.nnserve.nn.TwoLayerNet;
import io.nnserve.nn.UpdateRuleKind;
import io.nnserve.system.NotFoundException;
import io.nnserve.training.JobQueue.Claim;
import io.nnserve.training.JobRepository.Checkpoint;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains one claimed job on the calling worker thread: loads its data, splits and preprocesses it, runs the
 * engine (fresh, from an initial model, or resumed from the job's checkpoint) with a listener that records the
 * loss, stores it and a checkpoint every epoch, and stops at the next minibatch when asked; then reports the
 * outcome to the queue. Each run has its own network, optimiser state and random generator (the engine's Solver).
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Rows of the training split on which the engine measures training accuracy each epoch. */
    private static final int TRAIN_ACCURACY_SAMPLE = 1000;

    private final JobQueue queue;
    private final Datasets datasets;
    private final Models models;
    private final JobMetrics metrics;
    private final JobsProperties properties;
    private final JsonMapper json;

    JobRunner(JobQueue queue, Datasets datasets, Models models, JobMetrics metrics, JobsProperties properties,
              JsonMapper json) {
        this.queue = queue;
        this.datasets = datasets;
        this.models = models;
        this.metrics = metrics;
        this.properties = properties;
        this.json = json;
    }

    void run(Claim claim, LiveJob live) {
        TrainRequest request = TrainRequest.readStored(claim.job().requestJson());
        Listener listener = new Listener(live);
        Run run = null;
        String failure = null;
        try {
            run = train(request, live, listener);
        } catch (TrainingDivergedException e) {
            failure = e.getMessage();
        } catch (NotFoundException | IllegalArgumentException e) {
            // Deterministic: the data or initial model is gone, or the engine refused the inputs. Retrying cannot help.
            log.info("job {} failed: {}", live.id, e.getMessage());
            failure = e.getMessage();
        } finally {
            // Every store of the run is committed (or given up) before the job's final word is written.
            listener.close();
        }
        if (failure != null) {
            finish(live, JobStatus.FAILED, failure);
            return;
        }
        switch (run.result().outcome()) {
            case COMPLETED, STOPPED_EARLY -> succeed(request, live, run);
            case CANCELLED -> stopped(live);
        }
    }

    /** A finished engine run with what the model needs besides the weights. */
    private record Run(TrainingResult result, Preprocessing preprocessing, LoadedDataset data) {
    }

    private Run train(TrainRequest r, LiveJob live, Listener listener) {
        // a warm-up still running would take a core from this job's products; the job compiles what it uses (measured:
        // waiting for the warm-up to finish instead cost more than the slower first epoch)
        EngineKernel.stopWarmUp();
        long loadStart = System.nanoTime();
        LoadedDataset data = datasets.load(r.datasetId());
        long loaded = System.nanoTime();
        Samples train;
        Samples validation;
        if (r.validationDatasetId() != null) {
            train = data.samples();
            validation = datasets.load(r.validationDatasetId()).samples();
        } else {
            Samples[] split = split(data.samples(), r.validationSplit(), r.seed());
            train = split[0];
            validation = split[1];
        }
        // before the checkpoint is looked at: a resumed run must preprocess with the offset and scale it started with
        Models.Trained initial = r.initialModelId() == null ? null : models.trained(r.initialModelId())
                .orElseThrow(() -> new NotFoundException("initial model", r.initialModelId()));
        Preprocessing preprocessing = preprocessing(r, initial, train);
        log.info("job {}: dataset loaded in {} ms; {} training and {} validation rows of {} features ready {} ms later",
                live.id, (loaded - loadStart) / 1_000_000, train.rows(), validation.rows(), train.features(),
                (System.nanoTime() - loaded) / 1_000_000);
        Solver solver = new Solver(config(r));
        Optional<Checkpoint> checkpoint = queue.checkpoint(live.id);
        SolverState state = checkpoint.map(c -> readable(live, c)).orElse(null);
        if (state != null) {
            queue.rewindTo(live, checkpoint.get().epoch(), checkpoint.get().iteration());
            log.info("job {} resumes at epoch {} (iteration {})", live.id, checkpoint.get().epoch(), checkpoint.get().iteration());
            return new Run(solver.resume(state, train, validation, preprocessing, listener), preprocessing, data);
        }
        queue.rewindTo(live, 0, 0);
        TwoLayerNet net;
        if (initial != null) {
            net = TwoLayerNet.of(initial.parameters());
        } else {
            net = TwoLayerNet.initialize(train.features(), r.hiddenSize(), train.classes(),
                    InitKind.parse(r.init()), r.weightScale(), r.seed());
        }
        return new Run(solver.train(net, train, validation, preprocessing, listener), preprocessing, data);
    }

    /**
     * The map from raw rows to the network's inputs. A continued model's weights were trained on inputs mapped by its
     * own offset and scale: refitting them on this run's training split (even of the same kind) would move every
     * input under the weights, so they are kept as stored. Only a kind asked for explicitly is fitted anew.
     */
    static Preprocessing preprocessing(TrainRequest r, Models.Trained initial, Samples train) {
        Preprocessing.Kind kind = Preprocessing.Kind.parse(r.preprocessing());
        if (initial != null && initial.preprocessing().kind() == kind) {
            return initial.preprocessing();
        }
        return Preprocessing.fit(kind, train);
    }

    /** A checkpoint that cannot be read (damaged bytes, another engine version) costs the work, not the job. */
    private static SolverState readable(LiveJob live, Checkpoint checkpoint) {
        try {
            return SolverState.fromBytes(checkpoint.state());
        } catch (IllegalArgumentException e) {
            log.warn("job {}: its checkpoint of epoch {} cannot be read ({}); training starts again from the beginning",
                    live.id, checkpoint.epoch(), e.getMessage());
            return null;
        }
    }

    static SolverConfig config(TrainRequest r) {
        return new SolverConfig(r.epochs(), r.batchSize(), r.learningRate(), r.lrDecay(),
                UpdateRuleKind.parse(r.updateRule()), r.momentum(), LossKind.parse(r.loss()), r.svmMargin(),
                RegularizationKind.parse(r.regularization()), r.reg(), SamplingKind.parse(r.sampling()),
                r.earlyStoppingPatience(), r.seed(), TRAIN_ACCURACY_SAMPLE, Precision.parse(r.precision()));
    }

    /**
     * A seeded shuffle of the rows, the last {@link TrainRequestValidator#validationRows} of it held out: the same
     * request always gets the same split, so a resumed job trains on the rows it started with.
     */
    static Samples[] split(Samples all, double validationSplit, long seed) {
        int rows = all.rows();
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int validationRows = TrainRequestValidator.validationRows(rows, validationSplit);
        int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, rows - validationRows);
        int[] valIdx = java.util.Arrays.copyOfRange(order, rows - validationRows, rows);
        // each part in dataset order: fitting the preprocessing and scoring the validation rows then read memory
        // front to back (the minibatches are drawn at random from the part either way)
        java.util.Arrays.sort(trainIdx);
        java.util.Arrays.sort(valIdx);
        return new Samples[] {all.select(trainIdx), all.select(valIdx)};
    }

    private void succeed(TrainRequest r, LiveJob live, Run run) {
        TrainingResult result = run.result();
        live.finalAccuracies(result.bestValAccuracy(), result.trainAccuracy());
        LoadedDataset data = run.data();
        Map<String, Object> hyperparameters = json.convertValue(r, new TypeReference<Map<String, Object>>() { });
        NewModel model = new NewModel(live.id, r.datasetId(), data.summary().name(), result.best(), r.loss(),
                run.preprocessing(), data.summary().classNames(), hyperparameters, result.trainAccuracy(),
                result.bestValAccuracy(), r.seed(), r.precision());
        String modelId = onceStored(live, "its model", () -> queue.succeed(live, model));
        if (modelId == null) {
            log.warn("job {}: lease lost before the model was stored; another worker owns the job", live.id);
            return;
        }
        metrics.finished(JobStatus.SUCCEEDED);
        log.info("job {} succeeded: model {}, best validation accuracy {}", live.id, modelId, result.bestValAccuracy());
    }

    /** The engine stopped at our request: cancelled, lease lost, or the instance is shutting down. */
    private void stopped(LiveJob live) {
        if (live.leaseLost) {
            log.warn("job {}: lease lost, stopped without writing", live.id);
        } else if (live.cancelRequested) {
            finish(live, JobStatus.CANCELLED, null);
        } else if (onceStored(live, "its release", () -> queue.release(live))) {
            log.info("job {} put back in the queue at iteration {} (shutdown)", live.id, live.iteration());
        }
    }

    private void finish(LiveJob live, JobStatus status, String error) {
        if (onceStored(live, "its end", () -> queue.end(live, status, error))) {
            metrics.finished(status);
            log.info("job {} ended {}{}", live.id, status, error == null ? "" : ": " + error);
        }
    }

    /**
     * The run's last write, retried while the database cannot be reached: what it stores (a trained model) exists
     * only in memory, and the lease guards the write, so it lands once the database is back unless another worker
     * took the job meanwhile. Given up only when the instance stops without waiting any longer; the job then runs
     * again from its checkpoint.
     */
    private <T> T onceStored(LiveJob live, String what, Supplier<T> write) {
        long backoffMillis = 250;
        boolean waited = false;
        while (true) {
            try {
                T result = write.get();
                if (waited) {
                    log.info("job {}: database available again; {} is stored", live.id, what);
                }
                return result;
            } catch (DataAccessException | TransactionException e) {
                if (live.stopNow) {
                    throw e;
                }
                if (!waited) {
                    log.warn("job {}: database unavailable ({}); {} waits in memory and is stored when it is back",
                            live.id, e.getMessage(), what);
                    waited = true;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /**
     * Records what the engine reports and answers its "go on?" after every minibatch. Stores (the loss points of
     * an unfinished epoch, and each epoch's checkpoint) run on a writer thread of the job's own, so the database's
     * latency overlaps the next epoch's training instead of adding to it; at most one store is in flight, in order.
     */
    private final class Listener implements TrainingListener, AutoCloseable {
        private final LiveJob live;
        private final ExecutorService writer;
        private Future<?> pending;
        private long nextStore = System.nanoTime() + properties.flushInterval().toNanos();
        private long epochStart = System.nanoTime();
        private long lastCheckpoint = System.nanoTime();

        Listener(LiveJob live) {
            this.live = live;
            this.writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "nnserve-job-store-" + live.id.substring(0, Math.min(8, live.id.length())));
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public boolean onIteration(int iteration, int epoch, double loss) {
            if (live.shouldStop()) {
                return false;
            }
            live.append(loss);
            metrics.iteration();
            long now = System.nanoTime();
            if (now >= nextStore && (pending == null || pending.isDone())) {
                nextStore = now + properties.flushInterval().toNanos();
                pending = writer.submit(() -> store(null));
            }
            return !live.shouldStop();
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            live.addEpoch(m.trainAccuracy(), m.valAccuracy(), m.learningRate());
            long now = System.nanoTime();
            metrics.epoch(now - epochStart);
            log.debug("job {} epoch {}: {} ms, train accuracy {}, validation accuracy {}", live.id, m.epoch(),
                    (now - epochStart) / 1_000_000, m.trainAccuracy(), m.valAccuracy());
            epochStart = now;
        }

        @Override
        public void onCheckpoint(SolverState state) {
            if (live.leaseLost) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastCheckpoint < properties.checkpointInterval().toNanos() && !live.shutdownRequested) {
                // Too soon for another checkpoint. The epoch's losses and metrics are in memory, where this instance's
                // API reads them, and go with the next store, at most every flush-interval: a commit per epoch of a
                // few milliseconds grew an H2 file by gigabytes (its old pages are kept for 45 s before reuse).
                if (now >= nextStore && (pending == null || pending.isDone())) {
                    nextStore = now + properties.flushInterval().toNanos();
                    pending = writer.submit(() -> store(null));
                }
                return;
            }
            lastCheckpoint = now;
            // Serialised here, while the state is the engine's current one; the checkpoint row carries our own
            // counters, which index the stored loss history.
            Checkpoint checkpoint = new Checkpoint(live.progress().epoch(), live.iteration(), state.toBytes());
            awaitPending();
            pending = writer.submit(() -> store(checkpoint));
            if (live.shutdownRequested) {
                live.stopNow = true;
            }
        }

        /**
         * A database that is briefly unreachable does not end the run: what was not stored stays in memory and goes
         * with the next store. If the outage outlasts the lease, another worker takes the job over and this one
         * learns it from its next guarded write.
         */
        private void store(Checkpoint checkpoint) {
            try {
                queue.store(live, checkpoint);
            } catch (DataAccessException | TransactionException e) {
                log.warn("job {}: could not store progress{} ({}); training goes on", live.id,
                        checkpoint == null ? "" : " and the checkpoint of epoch " + checkpoint.epoch(), e.getMessage());
            }
        }

        private void awaitPending() {
            if (pending == null) {
                return;
            }
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                log.warn("job {}: a store failed", live.id, e.getCause());
            }
            pending = null;
        }

        @Override
        public void close() {
            awaitPending();
            writer.shutdown();
        }
    }
}
