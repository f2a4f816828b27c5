package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import java.util.Arrays;

/**
 * Splits time-ordered data into consecutive training, validation and test parts: the first rows
 * train, the next validate, the rest test. Nothing is shuffled, so no future value leaks into an
 * earlier part. Works on tensors (along dimension 0), {@code float[]} series and
 * {@link TensorDataset}s (e.g. the pairs of a {@link SlidingWindow}).
 *
 * <p>{@link #counts} gives the sizes directly; {@link #fractions} gives
 * {@code floor(train * n)} rows to training and {@code floor(validation * n)} to validation
 * (the products are taken with a tolerance of {@code 1e-9} so that {@code 0.7 * 10} gives 7),
 * and the test part the remaining rows.
 *
 * <pre>{@code
 * TimeSplit.Parts<Tensor> p = TimeSplit.fractions(0.7, 0.15).split(series);  // 70% / 15% / 15%
 * MinMaxScaler scaler = new MinMaxScaler().fit(p.train());
 * }</pre>
 */
public final class TimeSplit {

    private static final double TOLERANCE = 1e-9;

    private final int trainCount;
    private final int validationCount;
    private final double trainFraction;
    private final double validationFraction;
    private final boolean byFraction;

    private TimeSplit(int trainCount, int validationCount, double trainFraction, double validationFraction,
            boolean byFraction) {
        this.trainCount = trainCount;
        this.validationCount = validationCount;
        this.trainFraction = trainFraction;
        this.validationFraction = validationFraction;
        this.byFraction = byFraction;
    }

    /**
     * The first {@code train} rows train, the next {@code validation} validate, the rest test.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static TimeSplit counts(int train, int validation) {
        if (train < 0 || validation < 0) {
            throw new IllegalArgumentException("TimeSplit counts must be >= 0, got train=" + train + ", validation="
                + validation);
        }
        return new TimeSplit(train, validation, 0, 0, false);
    }

    /**
     * {@code floor(train * n)} rows train, {@code floor(validation * n)} validate, the rest test.
     *
     * @throws IllegalArgumentException unless both fractions are in {@code [0, 1]} and their sum is at most 1
     */
    public static TimeSplit fractions(double train, double validation) {
        if (!(train >= 0 && train <= 1) || !(validation >= 0 && validation <= 1) || train + validation > 1 + TOLERANCE) {
            throw new IllegalArgumentException("TimeSplit fractions must be in [0, 1] with a sum of at most 1, got "
                + "train=" + train + ", validation=" + validation);
        }
        return new TimeSplit(0, 0, train, validation, true);
    }

    /**
     * The sizes {@code {train, validation, test}} for {@code n} rows.
     *
     * @throws IllegalArgumentException when the counts exceed {@code n}
     */
    public int[] sizes(int n) {
        int train = byFraction ? (int) Math.floor(trainFraction * n + TOLERANCE) : trainCount;
        int validation = byFraction ? (int) Math.floor(validationFraction * n + TOLERANCE) : validationCount;
        if ((long) train + validation > n) {
            throw new IllegalArgumentException("TimeSplit: " + train + " training plus " + validation
                + " validation rows exceed the " + n + " rows available");
        }
        return new int[] {train, validation, n - train - validation};
    }

    /**
     * The three parts of {@code t} along dimension 0 (copies).
     *
     * @throws IllegalArgumentException for a 0-dim tensor or when the counts exceed its length
     */
    public Parts<Tensor> split(Tensor t) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("TimeSplit needs a tensor with a time dimension, got a 0-dim tensor");
        }
        int[] s = sizes(t.size(0));
        return new Parts<>(t.narrow(0, 0, s[0]), t.narrow(0, s[0], s[1]), t.narrow(0, s[0] + s[1], s[2]));
    }

    /**
     * The three parts of a series (copies).
     *
     * @throws IllegalArgumentException when the counts exceed its length
     */
    public Parts<float[]> split(float[] series) {
        int[] s = sizes(series.length);
        return new Parts<>(Arrays.copyOfRange(series, 0, s[0]), Arrays.copyOfRange(series, s[0], s[0] + s[1]),
            Arrays.copyOfRange(series, s[0] + s[1], series.length));
    }

    /**
     * The three parts of a dataset, each a {@link TensorDataset#range}.
     *
     * @throws IllegalArgumentException when the counts exceed its size
     */
    public Parts<TensorDataset> split(TensorDataset dataset) {
        int[] s = sizes(dataset.size());
        return new Parts<>(dataset.range(0, s[0]), dataset.range(s[0], s[0] + s[1]),
            dataset.range(s[0] + s[1], dataset.size()));
    }

    @Override
    public String toString() {
        return byFraction ? "TimeSplit(train=" + trainFraction + ", validation=" + validationFraction + ")"
            : "TimeSplit(train=" + trainCount + ", validation=" + validationCount + ")";
    }

    /**
     * The consecutive parts, in time order.
     *
     * @param <T> what was split
     * @param train the earliest rows
     * @param validation the rows after them
     * @param test the latest rows
     */
    public record Parts<T>(T train, T validation, T test) {
    }
}
