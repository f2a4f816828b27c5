package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Centres each feature on its training mean and divides by its training standard deviation,
 * like scikit-learn's {@code StandardScaler}:
 * <pre>
 *   mean  = sum(x) / n
 *   scale = sqrt(sum((x - mean)^2) / n)     (population std, ddof 0; a constant feature gets 1)
 *   y     = (x - mean) / scale
 *   x     = y * scale + mean
 * </pre>
 * See {@link Scaler} for the feature layout, fitting on training data only and saving.
 */
public final class StandardScaler extends Scaler {

    private float[] mean;
    private float[] scale;

    /** A scaler that centres and scales. */
    public StandardScaler() {
    }

    @Override
    public StandardScaler fit(Tensor x) {
        super.fit(x);
        return this;
    }

    @Override
    public StandardScaler fit(float[] series) {
        super.fit(series);
        return this;
    }

    @Override
    protected void fitColumns(float[] x, int rows, int features) {
        float[] m = new float[features];
        float[] s = new float[features];
        for (int f = 0; f < features; f++) {
            double sum = 0;
            boolean constant = true;
            for (int r = 0; r < rows; r++) {
                sum += x[r * features + f];
                constant &= x[r * features + f] == x[f];
            }
            double mu = sum / rows;
            double sq = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * features + f] - mu;
                sq += d * d;
            }
            double std = Math.sqrt(sq / rows);
            m[f] = (float) mu;
            s[f] = constant || std == 0 ? 1f : (float) std;
        }
        mean = m;
        scale = s;
    }

    @Override
    protected double forward(double x, int f) {
        return (x - mean[f]) / scale[f];
    }

    @Override
    protected double inverse(double y, int f) {
        return y * scale[f] + mean[f];
    }

    /** Each feature's training mean (a copy). */
    public float[] mean() {
        numFeatures();
        return mean.clone();
    }

    /** Each feature's training population standard deviation, 1 for a constant feature (a copy). */
    public float[] scale() {
        numFeatures();
        return scale.clone();
    }

    @Override
    protected String[] expectedKeys() {
        return new String[] {"mean", "scale"};
    }

    /** Keys {@code mean} and {@code scale}, each {@code (F)}. */
    @Override
    protected Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("mean", Tensor.of(mean));
        m.put("scale", Tensor.of(scale));
        return m;
    }

    @Override
    protected int restore(Map<String, Tensor> state) {
        int f = vector("StandardScaler", "mean", state.get("mean"), -1);
        vector("StandardScaler", "scale", state.get("scale"), f);
        float[] s = state.get("scale").toFloatArray();
        for (int i = 0; i < f; i++) {
            if (!(s[i] > 0) || !Float.isFinite(s[i])) {
                throw new IllegalArgumentException("StandardScaler.loadStateDict: scale must be positive and finite, "
                    + "got " + s[i] + " for feature " + i);
            }
        }
        mean = state.get("mean").toFloatArray();
        scale = s;
        return f;
    }

    @Override
    public String toString() {
        return "StandardScaler()";
    }
}
