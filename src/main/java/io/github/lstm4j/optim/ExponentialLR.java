package io.github.lstm4j.optim;

import java.util.Map;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch, like
 * {@code torch.optim.lr_scheduler.ExponentialLR} (PyTorch 1.13, chainable form):
 * <pre>
 * lr_0 = initial lr,   lr_epoch = lr_{epoch-1} · gamma
 * </pre>
 */
public final class ExponentialLR extends LRScheduler {

    private double gamma;

    /** {@code ExponentialLR(optimizer, gamma)}. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    /**
     * @param gamma     the multiplicative factor, finite and {@code >= 0}
     * @param lastEpoch -1 to start, or the last finished epoch to resume
     * @throws IllegalArgumentException for an invalid value, naming it
     */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.gamma = Check.nonNegative("Invalid gamma", gamma);
        initialStep();
    }

    @Override
    protected double computeLr(double groupLr, double baseLr) {
        return lastEpoch() == 0 ? groupLr : groupLr * gamma;
    }

    @Override
    protected void writeState(Map<String, String> values) {
        values.put("gamma", Double.toString(gamma));
    }

    @Override
    protected void readState(StateDict state) {
        gamma = Check.nonNegative("Invalid gamma", StateValues.number("gamma", state.value("gamma")));
    }
}
