package io.github.lstm4j.tune;

/**
 * User code from one trial's hyperparameters to a validation score.
 *
 * <pre>{@code
 * Objective objective = trial -> {
 *     Params p = trial.params();
 *     Model model = build(p, new Generator(trial.seed()));
 *     double val = Double.NaN;
 *     for (int epoch = 1; epoch <= p.getInt("epochs"); epoch++) {
 *         trainOneEpoch(model);
 *         val = validationLoss(model);
 *         trial.reportOrPrune(epoch, val);   // throws TrialPruned when the pruner says stop
 *     }
 *     return val;
 * };
 * }</pre>
 *
 * Trials run concurrently when the tuner has more than one thread, so the objective must not share
 * mutable state between calls; draw all randomness from {@link Trial#seed()}. A thrown exception
 * (other than {@link TrialPruned}) or a NaN or infinite score marks the trial {@link TrialState#FAILED}
 * and the search goes on.
 */
@FunctionalInterface
public interface Objective {

    /** The trial's score: lower is better unless the tuner maximises. */
    double evaluate(Trial trial) throws Exception;
}
