package io.github.lstm4j.examples.support;

/**
 * Error measures of one-step forecasts against the truth, in the series' own units, and the
 * persistence forecast (next value = this value) that every forecaster should beat.
 */
public final class ForecastErrors {

    private ForecastErrors() {
    }

    /**
     * Mean squared error of {@code forecast[i]} against {@code truth[from + i]}.
     *
     * @throws IllegalArgumentException when the forecasts run past the end of the truth or are empty
     */
    public static double mse(double[] forecast, double[] truth, int from) {
        check(forecast, truth, from);
        double s = 0;
        for (int i = 0; i < forecast.length; i++) {
            double d = forecast[i] - truth[from + i];
            s += d * d;
        }
        return s / forecast.length;
    }

    /** Mean absolute error of {@code forecast[i]} against {@code truth[from + i]}. */
    public static double mae(double[] forecast, double[] truth, int from) {
        check(forecast, truth, from);
        double s = 0;
        for (int i = 0; i < forecast.length; i++) {
            s += Math.abs(forecast[i] - truth[from + i]);
        }
        return s / forecast.length;
    }

    /** The persistence forecasts of {@code truth[from..to]}: each is the value before it. */
    public static double[] persistence(double[] truth, int from, int to) {
        if (from < 1) {
            throw new IllegalArgumentException("persistence needs a value before index " + from);
        }
        double[] f = new double[to - from + 1];
        System.arraycopy(truth, from - 1, f, 0, f.length);
        return f;
    }

    private static void check(double[] forecast, double[] truth, int from) {
        if (forecast.length == 0 || from < 0 || from + forecast.length > truth.length) {
            throw new IllegalArgumentException("ForecastErrors: " + forecast.length + " forecasts from index " + from
                + " do not fit a truth of length " + truth.length);
        }
    }
}
