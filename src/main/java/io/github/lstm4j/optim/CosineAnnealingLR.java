package io.github.lstm4j.optim;

import java.util.Map;

/**
 * Cosine annealing from each group's base rate down to {@code etaMin} over {@code tMax} epochs,
 * like {@code torch.optim.lr_scheduler.CosineAnnealingLR} in PyTorch 1.13's recursive form:
 * <pre>
 * epoch = 0:                              η_0 = lr
 * resuming (first step, epoch &gt; 0):       η_e = η_min + (η_base - η_min)(1 + cos(e π / T_max)) / 2
 * (e - 1 - T_max) mod 2T_max = 0:         η_e = η_{e-1} + (η_base - η_min)(1 - cos(π / T_max)) / 2
 * otherwise:                              η_e = (1 + cos(π e / T_max)) / (1 + cos(π (e-1) / T_max))
 *                                                · (η_{e-1} - η_min) + η_min
 * </pre>
 * When nothing else changes the rate this follows the closed form
 * {@code η_e = η_min + (η_base - η_min)(1 + cos(π e / T_max)) / 2}; past {@code T_max} it rises
 * again (a period of {@code 2 T_max}), as PyTorch's does. Arithmetic is in double in PyTorch's order.
 */
public final class CosineAnnealingLR extends LRScheduler {

    private int tMax;
    private double etaMin;

    /** {@code CosineAnnealingLR(optimizer, tMax)} with {@code etaMin = 0}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0, -1);
    }

    /** {@code CosineAnnealingLR(optimizer, tMax, etaMin)}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /**
     * @param tMax      half the period, in epochs, {@code >= 1}
     * @param etaMin    the lowest rate, finite and {@code >= 0}
     * @param lastEpoch -1 to start, or the last finished epoch to resume
     * @throws IllegalArgumentException for an invalid value, naming it
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.tMax = Check.period("T_max", tMax);
        this.etaMin = Check.nonNegative("Invalid eta_min", etaMin);
        initialStep();
    }

    @Override
    protected double computeLr(double groupLr, double baseLr) {
        int e = lastEpoch();
        if (e == 0) {
            return groupLr;
        }
        if (stepCount() == 1 && e > 0) {
            return etaMin + (baseLr - etaMin) * (1 + StrictMath.cos(e * Math.PI / tMax)) / 2;
        }
        if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) {
            return groupLr + (baseLr - etaMin) * (1 - StrictMath.cos(Math.PI / tMax)) / 2;
        }
        return (1 + StrictMath.cos(Math.PI * e / tMax)) / (1 + StrictMath.cos(Math.PI * (e - 1) / tMax))
            * (groupLr - etaMin) + etaMin;
    }

    @Override
    protected void writeState(Map<String, String> values) {
        values.put("T_max", Integer.toString(tMax));
        values.put("eta_min", Double.toString(etaMin));
    }

    @Override
    protected void readState(StateDict state) {
        int t = Check.period("T_max", StateValues.integer("T_max", state.value("T_max")));
        double m = Check.nonNegative("Invalid eta_min", StateValues.number("eta_min", state.value("eta_min")));
        tMax = t;
        etaMin = m;
    }
}
