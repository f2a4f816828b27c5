package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.Map;

/**
 * A per-feature affine rescaling fitted on training data, the common part of
 * {@link MinMaxScaler} and {@link StandardScaler} (scikit-learn's scalers, whose formulas they
 * follow).
 *
 * <p>Features: a 1-D tensor {@code (N)} or a {@code float[]} is one feature observed {@code N}
 * times; a tensor {@code (..., F)} has {@code F} features in its last dimension and every leading
 * index is an observation. A scaler fitted on one feature transforms every element of a tensor
 * of any shape (e.g. windows {@code (N, window, 1)} or predictions {@code (N, 1)}); one fitted on
 * {@code F > 1} features needs the last dimension to be {@code F}, or a feature index to use for
 * every element ({@link #transform(Tensor, int)}, handy for inverting predictions of one column).
 *
 * <p>Fit on the training part only ({@link TimeSplit}), then transform every part with the same
 * parameters, and invert predictions with {@link #inverseTransform}. Fitted parameters are kept
 * in float32 (computed in double, then rounded) so that {@link #stateDict()} and
 * {@link #loadStateDict} restore a scaler that computes bit-identical results. Arithmetic is in
 * double. Results have no autograd history.
 */
public abstract class Scaler {

    private int features = -1;

    /** The subclass's name for messages. */
    private String name() {
        return getClass().getSimpleName();
    }

    /**
     * Fits the parameters of each of {@code features} columns of the row-major {@code (rows, features)}
     * array {@code x}; every value is finite and {@code rows >= 1}.
     */
    protected abstract void fitColumns(float[] x, int rows, int features);

    /** The scaled value of {@code x} as feature {@code feature}. */
    protected abstract double forward(double x, int feature);

    /** The original value of scaled {@code y} as feature {@code feature}. */
    protected abstract double inverse(double y, int feature);

    /** The fitted parameters by name, each {@code (F)} (or other fixed shapes); only called once fitted. */
    protected abstract Map<String, Tensor> state();

    /** Replaces the parameters from {@code state}, already checked to hold every key of {@link #state()}; returns F. */
    protected abstract int restore(Map<String, Tensor> state);

    /**
     * Learns the parameters from {@code x} (see the class documentation for the feature layout);
     * returns this.
     *
     * @throws IllegalArgumentException for an empty input or a NaN or infinite value (naming its position)
     */
    public Scaler fit(Tensor x) {
        int f = x.dim() <= 1 ? 1 : x.size(-1);
        int n = x.numel();
        if (n == 0 || f == 0) {
            throw new IllegalArgumentException(name() + ": cannot fit on an empty tensor of shape " + Shape.format(x.shape()));
        }
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(d[i])) {
                throw new IllegalArgumentException(name() + ": cannot fit on " + d[i] + " at flat position " + i
                    + " of a tensor of shape " + Shape.format(x.shape()) + "; remove or fill missing values first");
            }
        }
        fitColumns(d, n / f, f);
        features = f;
        return this;
    }

    /** Learns the parameters of one feature from {@code series}; returns this. */
    public Scaler fit(float[] series) {
        return fit(Tensor.of(series));
    }

    /** {@link #fit} then {@link #transform}. */
    public Tensor fitTransform(Tensor x) {
        return fit(x).transform(x);
    }

    /** True once fitted (or loaded). */
    public boolean isFitted() {
        return features > 0;
    }

    /**
     * The number of features seen by {@link #fit}.
     *
     * @throws IllegalStateException before fitting
     */
    public int numFeatures() {
        requireFitted("numFeatures");
        return features;
    }

    /**
     * The scaled {@code x}, a new tensor of the same shape.
     *
     * @throws IllegalStateException before fitting
     * @throws IllegalArgumentException when the last dimension is not the fitted feature count
     */
    public Tensor transform(Tensor x) {
        return apply(x, -1, false, "transform");
    }

    /** The original values of scaled {@code x}, a new tensor of the same shape; the inverse of {@link #transform}. */
    public Tensor inverseTransform(Tensor x) {
        return apply(x, -1, true, "inverseTransform");
    }

    /**
     * Every element of {@code x} scaled as feature {@code feature}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= feature < numFeatures()}
     */
    public Tensor transform(Tensor x, int feature) {
        return apply(x, checkFeature(feature), false, "transform");
    }

    /** Every element of scaled {@code x} restored as feature {@code feature}, e.g. predictions of one column. */
    public Tensor inverseTransform(Tensor x, int feature) {
        return apply(x, checkFeature(feature), true, "inverseTransform");
    }

    /**
     * The scaled series.
     *
     * @throws IllegalStateException before fitting
     * @throws IllegalArgumentException when fitted on more than one feature
     */
    public float[] transform(float[] series) {
        requireOneFeature("transform");
        return apply(Tensor.of(series), -1, false, "transform").data();
    }

    /** The original values of a scaled series. */
    public float[] inverseTransform(float[] series) {
        requireOneFeature("inverseTransform");
        return apply(Tensor.of(series), -1, true, "inverseTransform").data();
    }

    private void requireOneFeature(String op) {
        requireFitted(op);
        if (features != 1) {
            throw new IllegalArgumentException(name() + "." + op + ": a float[] series is one feature, but this scaler "
                + "was fitted on " + features + " features; pass a tensor (..., " + features + ") or a feature index");
        }
    }

    private int checkFeature(int feature) {
        requireFitted("transform");
        if (feature < 0 || feature >= features) {
            throw new IllegalArgumentException(name() + ": feature " + feature + " does not exist; fitted on "
                + features + " feature(s)");
        }
        return feature;
    }

    private void requireFitted(String op) {
        if (!isFitted()) {
            throw new IllegalStateException(name() + " is not fitted yet: call fit(trainingData) before " + op);
        }
    }

    private Tensor apply(Tensor x, int fixedFeature, boolean invert, String op) {
        requireFitted(op);
        int[] shape = x.shape();
        if (fixedFeature < 0 && features > 1 && (shape.length == 0 || shape[shape.length - 1] != features)) {
            throw new IllegalArgumentException(name() + "." + op + ": fitted on " + features + " features, so the "
                + "last dimension must be " + features + ", got shape " + Shape.format(shape)
                + " (pass a feature index to use one feature for every element)");
        }
        float[] d = x.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            int f = fixedFeature >= 0 ? fixedFeature : i % features;
            out[i] = (float) (invert ? inverse(d[i], f) : forward(d[i], f));
        }
        return Tensor.wrap(out, shape);
    }

    /**
     * The fitted parameters by name (new tensors), for saving with a model or a checkpoint.
     *
     * @throws IllegalStateException before fitting
     */
    public Map<String, Tensor> stateDict() {
        requireFitted("stateDict");
        return state();
    }

    /**
     * Restores parameters saved by {@link #stateDict()}; the scaler then behaves exactly as the
     * one that was saved.
     *
     * @throws IllegalArgumentException for a missing key or inconsistent shapes
     */
    public void loadStateDict(Map<String, Tensor> state) {
        requireKeys(state);
        features = restore(state);
    }

    private void requireKeys(Map<String, Tensor> state) {
        for (String k : expectedKeys()) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException(name() + ".loadStateDict: missing key \"" + k + "\" (has "
                    + state.keySet() + ")");
            }
        }
    }

    /** The keys {@link #stateDict()} writes. */
    protected abstract String[] expectedKeys();

    /** Checks that {@code t} is 1-D of {@code n} elements (or {@code n < 0}: any length >= 1); returns its length. */
    static int vector(String scaler, String key, Tensor t, int n) {
        if (t.dim() != 1 || t.numel() == 0 || (n >= 0 && t.numel() != n)) {
            throw new IllegalArgumentException(scaler + ".loadStateDict: \"" + key + "\" must be 1-D"
                + (n >= 0 ? " of " + n + " values" : " and non-empty") + ", got shape " + Shape.format(t.shape()));
        }
        return t.numel();
    }
}
