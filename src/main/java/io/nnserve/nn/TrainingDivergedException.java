package io.nnserve.nn;

/**
 * The loss became NaN or infinite, or exploded (10,000 times its first value): the run cannot recover, and a smaller
 * learning rate usually fixes it.
 */
public class TrainingDivergedException extends RuntimeException {

    private final int iteration;
    private final double loss;

    public TrainingDivergedException(int iteration, int epoch, double loss, double learningRate) {
        super(iteration == 0 ? firstLoss(loss) : "training diverged at iteration " + iteration
                // the iteration as the loss history indexes it (from 0), which holds the losses before this one
                + " (counted from 0, as the loss history; in epoch " + epoch + "): the loss became " + loss
                + " with learning rate " + learningRate + "; lower the learning rate (for example to "
                + learningRate / 10 + ") and train again");
        this.iteration = iteration;
        this.loss = loss;
    }

    /** The first loss comes before any update: a smaller learning rate cannot help, the scale of the numbers can. */
    private static String firstLoss(double loss) {
        return "training failed at its first minibatch: the loss is " + loss + " before any update, so the learning"
                + " rate is not the cause; the features or the initial weights are too large for the arithmetic."
                + " Preprocess the features ('standardize' or 'scale'), lower weightScale, or train in float64";
    }

    /** 0-based index of the iteration whose loss was not finite or exploded. */
    public int iteration() {
        return iteration;
    }

    public double loss() {
        return loss;
    }
}
