package io.github.lstm4j.optim;

import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs, like
 * {@code torch.optim.lr_scheduler.StepLR} (PyTorch 1.13, chainable form):
 * <pre>
 * lr_epoch = lr_{epoch-1} · gamma   if epoch &gt; 0 and epoch mod step_size = 0
 *          = lr_{epoch-1}           otherwise
 * </pre>
 * so from a base rate {@code lr_0}, {@code lr_epoch = lr_0 · gamma^floor(epoch / step_size)} when
 * nothing else changes the rate. Example, {@code lr = 0.05, stepSize = 30, gamma = 0.1}: 0.05 for
 * epochs 0-29, 0.005 for 30-59, 0.0005 for 60-89.
 */
public final class StepLR extends LRScheduler {

    private int stepSize;
    private double gamma;

    /** {@code StepLR(optimizer, stepSize)} with {@code gamma = 0.1}. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1, -1);
    }

    /** {@code StepLR(optimizer, stepSize, gamma)}. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /**
     * @param stepSize  the period of the decay, in epochs, {@code >= 1}
     * @param gamma     the multiplicative factor, finite and {@code >= 0}
     * @param lastEpoch -1 to start, or the last finished epoch to resume
     * @throws IllegalArgumentException for an invalid value, naming it
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.stepSize = Check.period("step_size", stepSize);
        this.gamma = Check.nonNegative("Invalid gamma", gamma);
        initialStep();
    }

    @Override
    protected double computeLr(double groupLr, double baseLr) {
        if (lastEpoch() == 0 || lastEpoch() % stepSize != 0) {
            return groupLr;
        }
        return groupLr * gamma;
    }

    @Override
    protected void writeState(Map<String, String> values) {
        values.put("step_size", Integer.toString(stepSize));
        values.put("gamma", Double.toString(gamma));
    }

    @Override
    protected void readState(StateDict state) {
        int s = Check.period("step_size", StateValues.integer("step_size", state.value("step_size")));
        double g = Check.nonNegative("Invalid gamma", StateValues.number("gamma", state.value("gamma")));
        stepSize = s;
        gamma = g;
    }
}
