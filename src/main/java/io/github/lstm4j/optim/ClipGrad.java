package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, like {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}
 * (PyTorch 1.13). Both modify the {@code grad} of the given tensors in place and skip tensors
 * whose grad is null.
 */
public final class ClipGrad {

    /** Added to the total norm before dividing, as PyTorch does. */
    private static final float EPS = 1e-6f;

    private ClipGrad() {
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static float clipGradNorm(Iterable<? extends Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without the non-finite check. */
    public static float clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their joint norm is at most {@code maxNorm}, like
     * {@code clip_grad_norm_}:
     * <pre>
     * total = ‖ (‖g_1‖_p, ‖g_2‖_p, ...) ‖_p      (p = ∞: max_i max |g_i|)
     * coef  = min(maxNorm / (total + 1e-6), 1)
     * g_i  *= coef                             for every grad, also when coef = 1
     * </pre>
     * in float32 as PyTorch computes it ({@code maxNorm / x} as {@code (1 / x) * maxNorm}). The norm is
     * that of all gradients viewed as one vector. Writes every non-null {@code grad}.
     *
     * @param params            tensors whose {@code grad} is clipped; null grads are skipped
     * @param maxNorm           the largest allowed norm, {@code >= 0}
     * @param normType          {@code p > 0}, or {@code Double.POSITIVE_INFINITY} for the max norm
     * @param errorIfNonfinite  throw instead of scaling when the total norm is NaN or infinite
     * @return the total norm before clipping (0 when no tensor has a grad)
     * @throws IllegalArgumentException for a negative or NaN {@code maxNorm}, or {@code normType <= 0} or NaN
     * @throws IllegalStateException when {@code errorIfNonfinite} and the norm is NaN or infinite
     *     (the gradients are left unchanged)
     */
    public static float clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType,
                                     boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("Invalid max_norm: " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("Invalid norm_type: " + normType + " (expected p > 0 or infinity)");
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0f;
        }
        try (NoGrad ignored = Tensor.noGrad()) {
            List<Tensor> norms = new ArrayList<>(grads.size());
            for (Tensor g : grads) {
                norms.add(g.norm(normType));
            }
            float total = Double.isInfinite(normType) && norms.size() == 1
                ? norms.get(0).item()
                : Tensor.stack(norms, 0).norm(normType).item();
            if (errorIfNonfinite && !Float.isFinite(total)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from "
                    + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
                    + "gradients by the non-finite norm anyway, set errorIfNonfinite=false");
            }
            float coef = (1f / (total + EPS)) * (float) maxNorm;
            float clamped = Math.min(coef, 1f); // NaN stays NaN, as torch.clamp keeps it
            for (Tensor g : grads) {
                g.mul_(clamped);
            }
            return total;
        }
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}, like
     * {@code clip_grad_value_}. Writes every non-null {@code grad}.
     *
     * @throws IllegalArgumentException for a negative or NaN {@code clipValue}
     */
    public static void clipGradValue(Iterable<? extends Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("Invalid clip_value: " + clipValue);
        }
        float c = (float) clipValue;
        try (NoGrad ignored = Tensor.noGrad()) {
            for (Tensor g : grads(params)) {
                g.clamp_(-c, c);
            }
        }
    }

    private static List<Tensor> grads(Iterable<? extends Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }
}
