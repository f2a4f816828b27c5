package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the learning rate when a metric stops improving, like
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} (PyTorch 1.13). Call {@link #step(double)}
 * once per epoch with the validation metric:
 * <pre>
 * better(a, best) = a &lt; best · (1 - threshold)   mode min, threshold_mode rel
 *                 = a &lt; best - threshold         mode min, abs
 *                 = a &gt; best · (1 + threshold)   mode max, rel
 *                 = a &gt; best + threshold         mode max, abs
 * step(metric):
 *     last_epoch += 1
 *     if better(metric, best): best = metric; num_bad_epochs = 0  else num_bad_epochs += 1
 *     if cooldown_counter &gt; 0: cooldown_counter -= 1; num_bad_epochs = 0
 *     if num_bad_epochs &gt; patience:
 *         for each group i: new = max(lr · factor, min_lr[i]); if lr - new &gt; eps: lr = new
 *         cooldown_counter = cooldown; num_bad_epochs = 0
 * </pre>
 * {@code best} starts at +∞ (mode min) or -∞ (mode max); a NaN metric is never better.
 *
 * <pre>{@code
 * ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(opt).factor(0.5).patience(3).build();
 * plateau.step(validationLoss);
 * }</pre>
 */
public final class ReduceLROnPlateau implements Stateful {

    private static final Logger log = LoggerFactory.getLogger(ReduceLROnPlateau.class);

    private final Optimizer optimizer;
    private String mode;
    private double factor;
    private int patience;
    private double threshold;
    private String thresholdMode;
    private int cooldown;
    private double[] minLrs;
    private double eps;

    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** With every default: mode min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(builder(optimizer));
    }

    private ReduceLROnPlateau(Builder b) {
        this.optimizer = b.optimizer;
        int groups = optimizer.paramGroups().size();
        double[] mins;
        if (b.minLrs == null) {
            mins = new double[groups];
            Arrays.fill(mins, b.minLr);
        } else {
            if (b.minLrs.length != groups) {
                throw new IllegalArgumentException("expected " + groups + " min_lrs, got " + b.minLrs.length);
            }
            mins = b.minLrs.clone();
        }
        validate(b.mode, b.factor, b.patience, b.threshold, b.thresholdMode, b.cooldown, mins, b.eps);
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minLrs = mins;
        this.eps = b.eps;
        this.best = modeWorse(mode);
        this.numBadEpochs = 0;
        this.cooldownCounter = 0;
        this.lastEpoch = 0;
        this.lastLr = currentLrs();
    }

    private static void validate(String mode, double factor, int patience, double threshold, String thresholdMode,
                                 int cooldown, double[] minLrs, double eps) {
        if (!"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException("mode " + mode + " is unknown! (expected \"min\" or \"max\")");
        }
        if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode)) {
            throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown! (expected \"rel\" or \"abs\")");
        }
        if (!(factor < 1.0) || !(factor >= 0)) {
            throw new IllegalArgumentException("Factor should be < 1.0 (and >= 0), got " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("Invalid patience: " + patience + " (expected >= 0)");
        }
        Check.nonNegative("Invalid threshold", threshold);
        if (cooldown < 0) {
            throw new IllegalArgumentException("Invalid cooldown: " + cooldown + " (expected >= 0)");
        }
        for (double m : minLrs) {
            Check.nonNegative("Invalid min_lr", m);
        }
        Check.nonNegative("Invalid eps", eps);
    }

    private static double modeWorse(String mode) {
        return mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    /** Updates the state with this epoch's metric and lowers the learning rates if it has stalled. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    /** {@link #step(double)} with a one-element tensor's value, like {@code step(loss)}. */
    public void step(Tensor metric) {
        step(metric.item());
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size() && i < minLrs.length; i++) {
            ParamGroup g = groups.get(i);
            double oldLr = g.lr();
            double newLr = Math.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) {
                g.set("lr", newLr);
                log.debug("Epoch {}: reducing learning rate of group {} to {}.", lastEpoch, i, newLr);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        boolean min = mode.equals("min");
        if (thresholdMode.equals("rel")) {
            return min ? a < best * (1. - threshold) : a > best * (threshold + 1.);
        }
        return min ? a < best - threshold : a > best + threshold;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    /** Each group's learning rate after the last {@link #step(double)} (the current ones before any). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The best metric so far ({@code best}). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement that count toward {@code patience} ({@code num_bad_epochs}). */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Epochs left in the cooldown ({@code cooldown_counter}). */
    public int cooldownCounter() {
        return cooldownCounter;
    }

    /** The number of {@link #step(double)} calls ({@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Every field under PyTorch's attribute names, as exact strings. */
    @Override
    public StateDict stateDict() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("factor", Double.toString(factor));
        v.put("min_lrs", StateValues.encode(minLrs));
        v.put("patience", Integer.toString(patience));
        v.put("cooldown", Integer.toString(cooldown));
        v.put("cooldown_counter", Integer.toString(cooldownCounter));
        v.put("mode", mode);
        v.put("threshold", Double.toString(threshold));
        v.put("threshold_mode", thresholdMode);
        v.put("best", Double.toString(best));
        v.put("num_bad_epochs", Integer.toString(numBadEpochs));
        v.put("mode_worse", Double.toString(modeWorse(mode)));
        v.put("eps", Double.toString(eps));
        v.put("last_epoch", Integer.toString(lastEpoch));
        v.put("_last_lr", StateValues.encode(lastLr));
        return StateDict.ofValues(v);
    }

    /**
     * Restores {@link #stateDict()}; the optimizer's learning rates are not changed.
     *
     * @throws IllegalArgumentException naming a missing, malformed or invalid value
     */
    @Override
    public void loadStateDict(StateDict s) {
        String m = s.value("mode");
        String tm = s.value("threshold_mode");
        double f = StateValues.number("factor", s.value("factor"));
        int p = StateValues.integer("patience", s.value("patience"));
        double th = StateValues.number("threshold", s.value("threshold"));
        int cd = StateValues.integer("cooldown", s.value("cooldown"));
        double[] mins = StateValues.doubles("min_lrs", s.value("min_lrs"));
        double e = StateValues.number("eps", s.value("eps"));
        validate(m, f, p, th, tm, cd, mins, e);
        double b = StateValues.number("best", s.value("best"));
        int bad = StateValues.integer("num_bad_epochs", s.value("num_bad_epochs"));
        int counter = StateValues.integer("cooldown_counter", s.value("cooldown_counter"));
        int epoch = StateValues.integer("last_epoch", s.value("last_epoch"));
        double[] last = s.values().containsKey("_last_lr") ? StateValues.doubles("_last_lr", s.value("_last_lr")) : currentLrs();
        mode = m;
        thresholdMode = tm;
        factor = f;
        patience = p;
        threshold = th;
        cooldown = cd;
        minLrs = mins;
        eps = e;
        best = b;
        numBadEpochs = bad;
        cooldownCounter = counter;
        lastEpoch = epoch;
        lastLr = last;
    }

    /** PyTorch's keyword arguments, with its defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private String mode = "min";
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private String thresholdMode = "rel";
        private int cooldown = 0;
        private double minLr = 0;
        private double[] minLrs;
        private double eps = 1e-8;

        Builder(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** {@code "min"} (the metric should fall, e.g. a loss) or {@code "max"} (e.g. accuracy). */
        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        /** The factor the rate is multiplied by, in [0, 1). */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement tolerated before lowering the rate. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** How much better than {@code best} a metric must be to count as an improvement. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** {@code "rel"} (threshold relative to best) or {@code "abs"}. */
        public Builder thresholdMode(String thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The lowest rate, for every group. */
        public Builder minLr(double minLr) {
            this.minLr = minLr;
            this.minLrs = null;
            return this;
        }

        /** The lowest rate of each group, one per group. */
        public Builder minLrs(double... minLrs) {
            this.minLrs = minLrs.clone();
            return this;
        }

        /** Reductions smaller than this are skipped. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Builds the scheduler.
         *
         * @throws IllegalArgumentException for an unknown mode or threshold mode, factor outside
         *     [0, 1), negative patience, threshold, cooldown, min_lr or eps, or a min_lrs list of the
         *     wrong length
         */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
