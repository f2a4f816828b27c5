package io.github.lstm4j.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Parzen (kernel density) estimator over a search space's internal coordinates, as used by the
 * tree-structured Parzen estimator (Bergstra et al. 2011): an equal-weight mixture of one kernel
 * per observation plus one prior kernel.
 *
 * <ul>
 *   <li>A numeric dimension (float or integer range, in log space when declared so) gets a Gaussian
 *       truncated to the dimension's bounds. Its mean is the observation, its width the larger of the
 *       distances to the neighbouring observations (the bounds for the outermost), clipped to
 *       {@code [range / min(100, m), range]} for {@code m} kernels. The prior kernel sits at the
 *       centre with width {@code range}.</li>
 *   <li>A categorical dimension gets a kernel putting {@code 1/2 + 1/(2K)} on the observed category
 *       and the rest evenly on the other {@code K - 1}; the prior kernel is uniform.</li>
 * </ul>
 *
 * A kernel is the product of its per-dimension kernels, so samples keep the joint structure of
 * the observations (the "multivariate" TPE); fixed dimensions are left out.
 */
final class ParzenEstimator {

    /** The searched dimensions of a space and their internal bounds. */
    static final class Encoding {
        final List<Dimension> dims = new ArrayList<>();
        final List<Dimension> all;
        double[] lo;
        double[] hi;
        int[] categories;

        Encoding(SearchSpace space) {
            all = space.dimensions();
            for (Dimension d : all) {
                if (!(d instanceof Dimension.Fixed)) {
                    dims.add(d);
                }
            }
            int n = dims.size();
            lo = new double[n];
            hi = new double[n];
            categories = new int[n];
            for (int i = 0; i < n; i++) {
                Dimension d = dims.get(i);
                if (d instanceof Dimension.Choice c) {
                    categories[i] = c.values().size();
                } else if (d instanceof Dimension.IntRange r) {
                    lo[i] = r.internalLow();
                    hi[i] = r.internalHigh();
                } else if (d instanceof Dimension.FloatRange r) {
                    lo[i] = r.internalLow();
                    hi[i] = r.internalHigh();
                }
            }
        }

        int size() {
            return dims.size();
        }

        double[] encode(Params p) {
            double[] x = new double[dims.size()];
            for (int i = 0; i < x.length; i++) {
                Dimension d = dims.get(i);
                Object v = p.get(d.name());
                if (d instanceof Dimension.Choice c) {
                    x[i] = c.indexOf(v);
                } else if (d instanceof Dimension.IntRange r) {
                    x[i] = r.toInternal(v);
                } else {
                    x[i] = ((Dimension.FloatRange) d).toInternal(v);
                }
            }
            return x;
        }

        Params decode(double[] x) {
            Map<String, Object> values = new LinkedHashMap<>();
            int i = 0;
            for (Dimension d : all) {
                if (d instanceof Dimension.Fixed f) {
                    values.put(d.name(), f.value());
                    continue;
                }
                if (d instanceof Dimension.Choice c) {
                    values.put(d.name(), c.values().get((int) x[i]));
                } else if (d instanceof Dimension.IntRange r) {
                    values.put(d.name(), r.fromInternal(x[i]));
                } else {
                    values.put(d.name(), ((Dimension.FloatRange) d).fromInternal(x[i]));
                }
                i++;
            }
            return new Params(values);
        }
    }

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final Encoding enc;
    /** Kernel k's centre in dimension d: {@code mu[k][d]} (a category index for a choice; -1 for the uniform prior). */
    private final double[][] mu;
    private final double[][] sigma;
    /** log of the truncated Gaussian's mass inside the bounds. */
    private final double[][] logMass;

    ParzenEstimator(Encoding enc, List<double[]> points) {
        this.enc = enc;
        int m = points.size() + 1;
        int dims = enc.size();
        mu = new double[m][dims];
        sigma = new double[m][dims];
        logMass = new double[m][dims];
        for (int d = 0; d < dims; d++) {
            if (enc.categories[d] > 0) {
                mu[0][d] = -1;
                for (int k = 1; k < m; k++) {
                    mu[k][d] = points.get(k - 1)[d];
                }
                continue;
            }
            double lo = enc.lo[d];
            double hi = enc.hi[d];
            double range = hi - lo;
            mu[0][d] = 0.5 * (lo + hi);
            for (int k = 1; k < m; k++) {
                mu[k][d] = points.get(k - 1)[d];
            }
            Integer[] order = new Integer[m];
            for (int k = 0; k < m; k++) {
                order[k] = k;
            }
            final int dim = d;
            Arrays.sort(order, (a, b) -> Double.compare(mu[a][dim], mu[b][dim]));
            double minSigma = range / Math.min(100.0, m);
            for (int j = 0; j < m; j++) {
                int k = order[j];
                double left = j == 0 ? lo : mu[order[j - 1]][d];
                double right = j == m - 1 ? hi : mu[order[j + 1]][d];
                double s = Math.max(mu[k][d] - left, right - mu[k][d]);
                sigma[k][d] = Math.max(minSigma, Math.min(range, s));
            }
            sigma[0][d] = range;
            for (int k = 0; k < m; k++) {
                double mass = phi((hi - mu[k][d]) / sigma[k][d]) - phi((lo - mu[k][d]) / sigma[k][d]);
                logMass[k][d] = Math.log(Math.max(mass, 1e-300));
            }
        }
    }

    /** A draw from the mixture: pick a kernel uniformly, then draw each dimension from it. */
    double[] sample(SplittableRandom rng) {
        int k = rng.nextInt(mu.length);
        double[] x = new double[enc.size()];
        for (int d = 0; d < x.length; d++) {
            int cats = enc.categories[d];
            if (cats > 0) {
                int own = (int) mu[k][d];
                if (own < 0 || rng.nextDouble() < 0.5) {
                    x[d] = rng.nextInt(cats);
                } else {
                    x[d] = own;
                }
                continue;
            }
            double lo = enc.lo[d];
            double hi = enc.hi[d];
            double v = Double.NaN;
            for (int tries = 0; tries < 1000 && !(v >= lo && v <= hi); tries++) {
                v = mu[k][d] + sigma[k][d] * gaussian(rng);
            }
            x[d] = v >= lo && v <= hi ? v : lo + rng.nextDouble() * (hi - lo);
        }
        return x;
    }

    /** log of the mixture's density at {@code x}. */
    double logDensity(double[] x) {
        int m = mu.length;
        double[] logs = new double[m];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
            double s = -Math.log(m);
            for (int d = 0; d < x.length; d++) {
                int cats = enc.categories[d];
                if (cats > 0) {
                    int own = (int) mu[k][d];
                    double p = own < 0 ? 1.0 / cats : 0.5 / cats + (x[d] == own ? 0.5 : 0.0);
                    s += Math.log(p);
                } else {
                    double z = (x[d] - mu[k][d]) / sigma[k][d];
                    s += -0.5 * z * z - Math.log(sigma[k][d]) - LOG_SQRT_2PI - logMass[k][d];
                }
            }
            logs[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; one of the pair is enough here
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The standard normal CDF via erf (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
    static double phi(double z) {
        return 0.5 * (1 + erf(z / Math.sqrt(2)));
    }

    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
            * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
