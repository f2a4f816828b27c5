package io.github.lstm4j.examples.support;

import java.util.Arrays;

/**
 * A linear autoregression with a constant, {@code x_t = c + a_1 x_{t-1} + ... + a_p x_{t-p}},
 * fitted by ordinary least squares (Householder QR, in double precision). It is the classical
 * baseline of the forecasting examples and the linear part of their hybrid models; with the same
 * sample (targets {@code x_from .. x_to}, each regressed on the {@code p} values before it) it
 * gives the coefficients of statsmodels' {@code AutoReg(x, lags=p, trend="c")}.
 *
 * <pre>{@code
 * AutoRegression ar9 = AutoRegression.fit(sunspots, 9, 9, 220);   // targets 1709..1920
 * double forecast1921 = ar9.predict(sunspots, 221);                // from the true 1912..1920
 * }</pre>
 *
 * Immutable; the series passed in are never modified.
 */
public final class AutoRegression {

    private final double[] coef;   // coef[0] = c, coef[k] = a_k

    private AutoRegression(double[] coef) {
        this.coef = coef;
    }

    /**
     * Least-squares fit of an AR({@code p}) with constant on the targets {@code series[from..to]}
     * (inclusive), each regressed on its {@code p} predecessors.
     *
     * @throws IllegalArgumentException unless {@code p >= 1}, {@code from >= p}, {@code to < series.length}
     *     and there are more targets than coefficients
     */
    public static AutoRegression fit(double[] series, int p, int from, int to) {
        if (p < 1) {
            throw new IllegalArgumentException("AutoRegression: order p must be >= 1, got " + p);
        }
        if (from < p || to >= series.length) {
            throw new IllegalArgumentException("AutoRegression: targets " + from + ".." + to + " need indices >= p = " + p
                + " and < the series length " + series.length);
        }
        int n = to - from + 1;
        int k = p + 1;
        if (n <= k) {
            throw new IllegalArgumentException("AutoRegression: " + n + " targets cannot determine " + k + " coefficients");
        }
        double[][] a = new double[n][k];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            int t = from + i;
            a[i][0] = 1;
            for (int j = 1; j <= p; j++) {
                a[i][j] = series[t - j];
            }
            b[i] = series[t];
        }
        return new AutoRegression(leastSquares(a, b));
    }

    /** The order {@code p}. */
    public int order() {
        return coef.length - 1;
    }

    /** The constant {@code c}. */
    public double constant() {
        return coef[0];
    }

    /** The lag coefficients {@code a_1 .. a_p} (a copy). */
    public double[] lagCoefficients() {
        return Arrays.copyOfRange(coef, 1, coef.length);
    }

    /**
     * The one-step forecast of {@code series[t]} from the true values {@code series[t-p .. t-1]}.
     *
     * @throws IllegalArgumentException when {@code t < p}
     */
    public double predict(double[] series, int t) {
        int p = order();
        if (t < p || t > series.length) {
            throw new IllegalArgumentException("AutoRegression: cannot forecast index " + t + " of a series of length "
                + series.length + " with order " + p);
        }
        double s = coef[0];
        for (int j = 1; j <= p; j++) {
            s += coef[j] * series[t - j];
        }
        return s;
    }

    /** One-step forecasts of {@code series[from..to]} (inclusive), each from the true history before it. */
    public double[] predict(double[] series, int from, int to) {
        double[] out = new double[to - from + 1];
        for (int t = from; t <= to; t++) {
            out[t - from] = predict(series, t);
        }
        return out;
    }

    /**
     * Solves {@code min ||a x - b||} by Householder QR; {@code a} is {@code (n, k)} with {@code n > k}.
     * Both arguments are overwritten.
     *
     * @throws IllegalArgumentException when {@code a} is rank deficient
     */
    static double[] leastSquares(double[][] a, double[] b) {
        int n = a.length;
        int k = a[0].length;
        double[] diag = new double[k];
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < n; i++) {
                norm = Math.hypot(norm, a[i][j]);
            }
            if (norm == 0) {
                throw new IllegalArgumentException("AutoRegression: the regressors are linearly dependent (column " + j + ")");
            }
            double alpha = a[j][j] > 0 ? -norm : norm;
            // v = a[j..n-1][j] - alpha e_1, stored in place
            a[j][j] -= alpha;
            double vv = 0;
            for (int i = j; i < n; i++) {
                vv += a[i][j] * a[i][j];
            }
            for (int c = j + 1; c < k; c++) {
                double dot = 0;
                for (int i = j; i < n; i++) {
                    dot += a[i][j] * a[i][c];
                }
                double f = 2 * dot / vv;
                for (int i = j; i < n; i++) {
                    a[i][c] -= f * a[i][j];
                }
            }
            double dot = 0;
            for (int i = j; i < n; i++) {
                dot += a[i][j] * b[i];
            }
            double f = 2 * dot / vv;
            for (int i = j; i < n; i++) {
                b[i] -= f * a[i][j];
            }
            diag[j] = alpha;
        }
        double[] x = new double[k];
        for (int j = k - 1; j >= 0; j--) {
            double s = b[j];
            for (int c = j + 1; c < k; c++) {
                s -= a[j][c] * x[c];
            }
            x[j] = s / diag[j];
        }
        return x;
    }

    @Override
    public String toString() {
        return "AutoRegression(p=" + order() + ", coef=" + Arrays.toString(coef) + ")";
    }
}
