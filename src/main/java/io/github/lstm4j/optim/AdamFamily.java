package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.ArrayPool;
import io.github.lstm4j.tensor.Kernels;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The update shared by {@link Adam} and {@link AdamW}: PyTorch 1.13's single-tensor, non-capturable
 * {@code _single_tensor_adam} / {@code _single_tensor_adamw}, operation for operation in float32.
 * Scalars ({@code 1 - beta1}, {@code lr / bias_correction1}, ...) are computed in double and rounded
 * to float32 where PyTorch passes them to a float32 kernel. PyTorch's vectorised kernels may fuse a
 * multiply-add where this rounds twice, so results can differ from PyTorch's in the last bit.
 */
abstract class AdamFamily extends Optimizer {

    /** Adam adds {@code weight_decay * param} to the gradient; AdamW scales the parameter instead. */
    private final boolean decoupledWeightDecay;

    AdamFamily(String name, List<ParamGroup> groups, Map<String, Object> defaults, boolean decoupledWeightDecay) {
        super(name, groups, defaults, validator());
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    private static Consumer<ParamGroup> validator() {
        return AdamFamily::validate;
    }

    /** Checks lr, eps, betas, weight_decay, amsgrad and maximize with PyTorch's messages. */
    static void validate(ParamGroup g) {
        Check.lr(g);
        Check.nonNegative("Invalid epsilon value", g.getDouble("eps"));
        double[] betas = g.getDoubles("betas");
        if (betas.length != 2) {
            throw new IllegalArgumentException("Invalid betas: expected 2 values, got " + StateValues.encode(betas));
        }
        for (int i = 0; i < 2; i++) {
            if (!(betas[i] >= 0 && betas[i] < 1)) {
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas[i]);
            }
        }
        Check.weightDecay(g);
        g.getBoolean("amsgrad");
        g.getBoolean("maximize");
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.getDouble("lr");
        double[] betas = group.getDoubles("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Tensor> st = state(param);
            if (st.isEmpty()) {
                st.put("step", Tensor.scalar(0f));
                st.put("exp_avg", Tensor.zerosLike(param));
                st.put("exp_avg_sq", Tensor.zerosLike(param));
                if (amsgrad) {
                    st.put("max_exp_avg_sq", Tensor.zerosLike(param));
                }
            }
            if (!amsgrad) {
                fusedStep(param, grad, st, lr, beta1, beta2, eps, weightDecay, maximize);
                continue;
            }
            if (maximize) {
                grad = grad.neg();
            }
            Tensor expAvg = st.get("exp_avg");
            Tensor expAvgSq = st.get("exp_avg_sq");
            Tensor stepT = st.get("step");
            stepT.add_(1f);
            if (decoupledWeightDecay) {
                param.mul_((float) (1 - lr * weightDecay));
            } else if (weightDecay != 0) {
                grad = grad.copy().add_(param, (float) weightDecay);
            }
            expAvg.mul_((float) beta1).add_(grad, (float) (1 - beta1));
            expAvgSq.mul_((float) beta2).addcmul_(grad, grad, (float) (1 - beta2));

            double step = stepT.item();
            double biasCorrection1 = 1 - StrictMath.pow(beta1, step);
            double biasCorrection2 = 1 - StrictMath.pow(beta2, step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

            Tensor second = expAvgSq;
            if (amsgrad) {
                Tensor maxSq = st.computeIfAbsent("max_exp_avg_sq", k -> Tensor.zerosLike(param));
                maxSq.copy_(maxSq.maximum(expAvgSq));
                second = maxSq;
            }
            Tensor denom = second.sqrt().div((float) biasCorrection2Sqrt).add_((float) eps);
            param.addcdiv_(expAvg, denom, (float) -stepSize);
        }
    }

    /**
     * The step above without amsgrad, for one parameter, as one pass over its elements instead of
     * eight tensor operations (two of which allocate; with weight decay or maximize, a first pass
     * applies them): every element goes through the same float operations in the same order, so
     * the results are the same bits. Writes the parameter,
     * {@code exp_avg}, {@code exp_avg_sq} and {@code step}, and bumps their versions as the tensor
     * operations would.
     */
    private void fusedStep(Tensor param, Tensor grad, Map<String, Tensor> st, double lr, double beta1, double beta2,
                           double eps, double weightDecay, boolean maximize) {
        Tensor expAvg = st.get("exp_avg");
        Tensor expAvgSq = st.get("exp_avg_sq");
        Tensor stepT = st.get("step");
        stepT.add_(1f);
        double step = stepT.item();
        double biasCorrection1 = 1 - StrictMath.pow(beta1, step);
        double biasCorrection2 = 1 - StrictMath.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        // the scalars as the tensor operations receive them
        float decay = (float) (1 - lr * weightDecay);
        float wd = (float) weightDecay;
        float b1 = (float) beta1;
        float oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float epsF = (float) eps;
        float negStepSize = (float) -stepSize;
        boolean addDecay = !decoupledWeightDecay && weightDecay != 0;
        float[] p = param.data();
        float[] g = grad.data();
        float[] m = expAvg.data();
        float[] v = expAvgSq.data();
        // one formula for every variant (Kernels.adamUpdate, on vectors when they run): the weight
        // decay and the sign are applied first, element by element, with the operations the
        // tensor version applies before the update
        if (decoupledWeightDecay && weightDecay != 0) {
            for (int i = 0; i < p.length; i++) {
                p[i] *= decay;                          // param.mul_(1 - lr * weight_decay)
            }
        }
        float[] gu = g;
        if (maximize || addDecay) {
            gu = ArrayPool.take(p.length);              // every element is written
            for (int i = 0; i < p.length; i++) {
                float gi = maximize ? -g[i] : g[i];
                gu[i] = addDecay ? gi + wd * p[i] : gi; // grad + weight_decay * param
            }
        }
        Kernels.adamUpdate(p.length, p, gu, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, epsF, negStepSize);
        if (gu != g) {
            ArrayPool.give(gu);
        }
        expAvg.bumpVersion();
        expAvgSq.bumpVersion();
        param.bumpVersion();
        if (decoupledWeightDecay) {
            param.bumpVersion();
        }
    }
}
