package io.github.lstm4j.examples.support;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.data.DataLoader;
import io.github.lstm4j.data.StandardScaler;
import io.github.lstm4j.data.TensorDataset;
import io.github.lstm4j.nn.Dropout;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.HuberLoss;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import io.github.lstm4j.optim.AdamW;
import io.github.lstm4j.optim.CosineAnnealingLR;
import io.github.lstm4j.optim.LRScheduler;
import io.github.lstm4j.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-step-ahead forecasting of a univariate series with an ensemble of small LSTMs, shared by
 * the forecasting examples.
 *
 * <p>The series lives in a <em>model space</em> {@code z} (the example's transform and scaling of
 * the raw values); a <em>base</em> forecast {@code b_t} (zero, or a linear autoregression for a
 * hybrid model) is given for every index. Each member sees the window {@code z[t-W .. t-1]} as a
 * sequence {@code (W, 1)} and learns the part the base misses, {@code z_t - b_t}; the ensemble's
 * forecast is {@code b_t} plus the mean of its members. Every forecast is one step ahead from the
 * true history before it.
 *
 * <p>Training is the plain PyTorch loop, written out: per epoch and member, shuffled minibatches,
 * {@code zeroGrad}, loss, {@code backward}, {@code step}; AdamW with optional decoupled weight
 * decay and an optional cosine learning-rate schedule. After every epoch the ensemble is scored
 * (in evaluation mode, without gradients) on the training and the validation targets in original
 * units, which gives the learning curves.
 *
 * <p>Amplitude augmentation (for a pure LSTM) multiplies each training window and its target,
 * around the series' zero, by a random factor {@code exp(u)}, {@code u ~ U(-a, a)}, drawn afresh
 * for every sample of every batch. The networks then see cycles a little larger (and smaller)
 * than any in the training years, so their forecasts do not flatten at the training range.
 *
 * <p>All randomness (initial weights, dropout masks, batch order, augmentation factors) comes
 * from one seed.
 */
public final class LstmForecaster {

    private static final Logger log = LoggerFactory.getLogger(LstmForecaster.class);

    /** The loss the members minimise. */
    public enum Loss { MSE, HUBER }

    /**
     * A training recipe.
     *
     * @param window the number of past values each forecast sees
     * @param hidden the LSTM's hidden size
     * @param layers stacked LSTM layers
     * @param dropout dropout on the last hidden state (and between stacked layers)
     * @param weightDecay AdamW's decoupled weight decay
     * @param lr the learning rate
     * @param batchSize the minibatch size
     * @param epochs passes over the training windows
     * @param members the number of networks averaged
     * @param loss MSE, or Huber with delta 1 in model units
     * @param cosine anneal the learning rate to zero over the epochs
     * @param augment amplitude augmentation: each training window and its target are multiplied,
     *     around the series' zero, by {@code exp(u)} with {@code u ~ U(-augment, augment)} (0: off)
     */
    public record Recipe(int window, int hidden, int layers, double dropout, double weightDecay, double lr,
                         int batchSize, int epochs, int members, Loss loss, boolean cosine, double augment) {

        /** Checks the values. */
        public Recipe {
            if (window < 1 || hidden < 1 || layers < 1 || batchSize < 1 || epochs < 0 || members < 1) {
                throw new IllegalArgumentException("Recipe: window, hidden, layers, batch size and members must be >= 1 "
                    + "and epochs >= 0, got " + this);
            }
        }
    }

    /**
     * The series to learn, in model space.
     *
     * @param z the series in model space
     * @param base the base forecast of each {@code z[t]} (zeros for a pure LSTM)
     * @param zero the model-space value of a raw zero (the centre of amplitude augmentation)
     * @param original the series in original units, for scoring
     * @param toOriginal maps a model-space value back to original units
     */
    public record Series(float[] z, float[] base, float zero, double[] original, DoubleUnaryOperator toOriginal) {

        /**
         * The model space of a stage whose training data end at index {@code lastFit}:
         * {@code transform} of the raw values, standardised with the mean and standard deviation
         * of {@code 0..lastFit}, and as base an AR({@code hybridOrder}) fitted by least squares on
         * those years in model space (zero when {@code hybridOrder} is 0). Nothing after
         * {@code lastFit} is used to build it.
         *
         * @param original the raw series
         * @param transform applied to each raw value first (e.g. {@code Math::sqrt})
         * @param inverse maps a transformed value back to raw units
         */
        public static Series standardized(double[] original, DoubleUnaryOperator transform, DoubleUnaryOperator inverse,
                                          int lastFit, int hybridOrder) {
            float[] v = new float[original.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) transform.applyAsDouble(original[i]);
            }
            StandardScaler scaler = new StandardScaler().fit(Arrays.copyOf(v, lastFit + 1));
            float[] z = scaler.transform(v);
            double mean = scaler.mean()[0];
            double scale = scaler.scale()[0];
            float[] base = new float[z.length];
            if (hybridOrder > 0) {
                double[] zd = new double[z.length];
                for (int i = 0; i < z.length; i++) {
                    zd[i] = z[i];
                }
                AutoRegression ar = AutoRegression.fit(zd, hybridOrder, hybridOrder, lastFit);
                for (int t = hybridOrder; t < z.length; t++) {
                    base[t] = (float) ar.predict(zd, t);
                }
            }
            return new Series(z, base, (float) (-mean / scale), original, m -> inverse.applyAsDouble(m * scale + mean));
        }
    }

    /** Per-epoch MSE of the ensemble in original units (validation empty when there is none). */
    public record Curves(double[] trainMse, double[] validationMse) {
    }

    /** An LSTM over the window and a Linear head on its last output, with dropout between. */
    static final class WindowModel extends Module implements Forward {

        final LSTM lstm;
        final Dropout drop;
        final Linear fc;

        WindowModel(int hidden, int layers, double dropout, Generator gen) {
            lstm = registerModule("lstm", LSTM.builder(1, hidden).numLayers(layers).batchFirst(true)
                .dropout(layers > 1 ? dropout : 0).generator(gen).build());
            drop = registerModule("drop", new Dropout(dropout, gen));
            fc = registerModule("fc", new Linear(hidden, 1, true, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor last = lstm.forward(x).output().select(1, -1);    // (N, hidden)
            return fc.forward(drop.forward(last));                      // (N, 1)
        }
    }

    private final Recipe recipe;
    private final List<WindowModel> models = new ArrayList<>();
    private final Generator gen;

    /** An untrained ensemble whose members are drawn from {@code new Generator(seed)}. */
    public LstmForecaster(Recipe recipe, long seed) {
        this.recipe = recipe;
        this.gen = new Generator(seed);
        for (int k = 0; k < recipe.members(); k++) {
            models.add(new WindowModel(recipe.hidden(), recipe.layers(), recipe.dropout(), new Generator(gen.nextLong())));
        }
    }

    /** The recipe. */
    public Recipe recipe() {
        return recipe;
    }

    /** The number of trainable numbers in one member. */
    public int parametersPerMember() {
        return models.get(0).parameters().stream().mapToInt(Tensor::numel).sum();
    }

    /** The inputs {@code (N, W, 1)} for the targets {@code from..to}: {@code z[t-W .. t-1]}. */
    Tensor windows(Series s, int from, int to) {
        int w = recipe.window();
        int n = to - from + 1;
        float[] x = new float[n * w];
        for (int i = 0; i < n; i++) {
            int t = from + i;
            for (int j = 0; j < w; j++) {
                x[i * w + j] = s.z()[t - w + j];
            }
        }
        return Tensor.of(x, n, w, 1);
    }

    /**
     * Trains every member on the targets {@code trainFrom..trainTo} and scores the ensemble after each
     * epoch on those and on {@code valFrom..valTo} (skipped when {@code valFrom > valTo}).
     *
     * @throws IllegalArgumentException when {@code trainFrom} is less than the window
     */
    public Curves fit(Series s, int trainFrom, int trainTo, int valFrom, int valTo) {
        if (trainFrom < recipe.window()) {
            throw new IllegalArgumentException("LstmForecaster: the first target " + trainFrom
                + " has fewer than window = " + recipe.window() + " values before it");
        }
        if (recipe.augment() > 0 && hasBase(s, trainFrom, trainTo)) {
            throw new IllegalArgumentException("LstmForecaster: amplitude augmentation needs a pure LSTM (no base forecast)");
        }
        int n = trainTo - trainFrom + 1;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int t = trainFrom + i;
            y[i] = s.z()[t] - s.base()[t];
        }
        TensorDataset data = new TensorDataset(windows(s, trainFrom, trainTo), Tensor.of(y, n, 1));
        List<DataLoader> loaders = new ArrayList<>();
        List<Optimizer> optimizers = new ArrayList<>();
        List<LRScheduler> schedulers = new ArrayList<>();
        for (WindowModel m : models) {
            loaders.add(DataLoader.builder(data).batchSize(recipe.batchSize()).shuffle(new Generator(gen.nextLong())).build());
            Optimizer opt = AdamW.builder(m.parameters()).lr(recipe.lr()).weightDecay(recipe.weightDecay()).build();
            optimizers.add(opt);
            schedulers.add(recipe.cosine() ? new CosineAnnealingLR(opt, Math.max(recipe.epochs(), 1)) : null);
        }
        MSELoss mse = new MSELoss();
        HuberLoss huber = new HuberLoss(Reduction.MEAN, 1f);
        boolean hasVal = valFrom <= valTo;
        double[] trainCurve = new double[recipe.epochs()];
        double[] valCurve = new double[hasVal ? recipe.epochs() : 0];
        for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
            for (int k = 0; k < models.size(); k++) {
                WindowModel m = models.get(k);
                Optimizer opt = optimizers.get(k);
                m.train();
                for (Tensor[] batch : loaders.get(k)) {
                    Tensor x = batch[0];
                    Tensor target = batch[1];
                    if (recipe.augment() > 0) {
                        int b = x.size(0);
                        float a = (float) recipe.augment();
                        Tensor scale = Tensor.uniform(gen, -a, a, b, 1, 1).exp();
                        x = x.sub(s.zero()).mul(scale).add(s.zero());
                        target = target.sub(s.zero()).mul(scale.reshape(b, 1)).add(s.zero());
                    }
                    Tensor out = m.forward(x);
                    Tensor loss = recipe.loss() == Loss.HUBER ? huber.forward(out, target) : mse.forward(out, target);
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                }
                if (schedulers.get(k) != null) {
                    schedulers.get(k).step();
                }
            }
            trainCurve[epoch] = mse(s, trainFrom, trainTo);
            if (hasVal) {
                valCurve[epoch] = mse(s, valFrom, valTo);
            }
            if ((epoch + 1) % Math.max(recipe.epochs() / 10, 1) == 0 || epoch + 1 == recipe.epochs()) {
                log.info("epoch {}/{}: train MSE {}{}", epoch + 1, recipe.epochs(),
                    String.format(Locale.ROOT, "%.4g", trainCurve[epoch]),
                    hasVal ? String.format(Locale.ROOT, ", validation MSE %.4g", valCurve[epoch]) : "");
            }
        }
        return new Curves(trainCurve, valCurve);
    }

    private static boolean hasBase(Series s, int from, int to) {
        for (int t = from; t <= to; t++) {
            if (s.base()[t] != 0) {
                return true;
            }
        }
        return false;
    }

    /** The ensemble's one-step forecasts of {@code from..to} in original units. */
    public double[] predict(Series s, int from, int to) {
        Tensor x = windows(s, from, to);
        int n = to - from + 1;
        double[] sum = new double[n];
        try (NoGrad ignored = Tensor.noGrad()) {
            for (WindowModel m : models) {
                m.eval();
                float[] out = m.forward(x).toFloatArray();
                for (int i = 0; i < n; i++) {
                    sum[i] += out[i];
                }
            }
        }
        double[] pred = new double[n];
        for (int i = 0; i < n; i++) {
            int t = from + i;
            pred[i] = s.toOriginal().applyAsDouble(s.base()[t] + sum[i] / models.size());
        }
        return pred;
    }

    private double mse(Series s, int from, int to) {
        return ForecastErrors.mse(predict(s, from, to), s.original(), from);
    }
}
