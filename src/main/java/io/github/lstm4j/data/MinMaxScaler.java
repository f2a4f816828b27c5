package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scales each feature linearly so that its training minimum and maximum map to the ends of a
 * feature range ({@code (0, 1)} by default), like scikit-learn's {@code MinMaxScaler}:
 * <pre>
 *   scale = (hi - lo) / (dataMax - dataMin)      (a range of 0 counts as 1)
 *   y     = x * scale + (lo - dataMin * scale)
 *   x     = (y - (lo - dataMin * scale)) / scale
 * </pre>
 * Values outside the training range map outside the feature range (no clipping). See
 * {@link Scaler} for the feature layout, fitting on training data only and saving.
 *
 * <pre>{@code
 * MinMaxScaler scaler = new MinMaxScaler().fit(parts.train());
 * float[] scaled = scaler.transform(series);
 * Tensor forecast = scaler.inverseTransform(model.forward(x));
 * }</pre>
 */
public final class MinMaxScaler extends Scaler {

    private float lo;
    private float hi;
    private float[] dataMin;
    private float[] dataMax;

    /** Feature range {@code (0, 1)}. */
    public MinMaxScaler() {
        this(0f, 1f);
    }

    /**
     * Feature range {@code (min, max)}.
     *
     * @throws IllegalArgumentException unless {@code min < max}, both finite
     */
    public MinMaxScaler(float min, float max) {
        checkRange(min, max);
        this.lo = min;
        this.hi = max;
    }

    private static void checkRange(float min, float max) {
        if (!(min < max) || !Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("Minimum of desired feature range must be smaller than maximum. Got ("
                + min + ", " + max + ")");
        }
    }

    @Override
    public MinMaxScaler fit(Tensor x) {
        super.fit(x);
        return this;
    }

    @Override
    public MinMaxScaler fit(float[] series) {
        super.fit(series);
        return this;
    }

    @Override
    protected void fitColumns(float[] x, int rows, int features) {
        float[] mn = new float[features];
        float[] mx = new float[features];
        java.util.Arrays.fill(mn, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(mx, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                float v = x[r * features + f];
                mn[f] = Math.min(mn[f], v);
                mx[f] = Math.max(mx[f], v);
            }
        }
        dataMin = mn;
        dataMax = mx;
    }

    private double scale(int f) {
        double range = (double) dataMax[f] - dataMin[f];
        return ((double) hi - lo) / (range == 0 ? 1.0 : range);
    }

    private double offset(int f) {
        return lo - dataMin[f] * scale(f);
    }

    @Override
    protected double forward(double x, int f) {
        return x * scale(f) + offset(f);
    }

    @Override
    protected double inverse(double y, int f) {
        return (y - offset(f)) / scale(f);
    }

    /** The lower end of the feature range. */
    public float featureMin() {
        return lo;
    }

    /** The upper end of the feature range. */
    public float featureMax() {
        return hi;
    }

    /** Each feature's training minimum (a copy). */
    public float[] dataMin() {
        numFeatures();
        return dataMin.clone();
    }

    /** Each feature's training maximum (a copy). */
    public float[] dataMax() {
        numFeatures();
        return dataMax.clone();
    }

    @Override
    protected String[] expectedKeys() {
        return new String[] {"data_min", "data_max", "feature_range"};
    }

    /** Keys {@code data_min}, {@code data_max} (each {@code (F)}) and {@code feature_range} ({@code (2)}). */
    @Override
    protected Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("data_min", Tensor.of(dataMin));
        m.put("data_max", Tensor.of(dataMax));
        m.put("feature_range", Tensor.of(lo, hi));
        return m;
    }

    @Override
    protected int restore(Map<String, Tensor> state) {
        int f = vector("MinMaxScaler", "data_min", state.get("data_min"), -1);
        vector("MinMaxScaler", "data_max", state.get("data_max"), f);
        Tensor range = state.get("feature_range");
        vector("MinMaxScaler", "feature_range", range, 2);
        checkRange(range.get(0), range.get(1));
        lo = range.get(0);
        hi = range.get(1);
        dataMin = state.get("data_min").toFloatArray();
        dataMax = state.get("data_max").toFloatArray();
        return f;
    }

    @Override
    public String toString() {
        return "MinMaxScaler(feature_range=(" + lo + ", " + hi + "))";
    }
}
