package io.github.lstm4j.train;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.optim.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Trainer's own progress, saved in a checkpoint as part {@code trainer} so that a resumed run
 * carries on its history, early-stopping counters and best weights:
 * <pre>
 * values   best_loss, best_epoch, bad_epochs    early stopping ({@link Double#toString} exact)
 *          stopped                              "none", "EARLY_STOPPING" or "CALLBACK"
 *          history.epoch, history.train_loss, history.val_loss, history.lr, history.step,
 *          history.batches, history.seconds, history.improved     lists "[a, b, ...]"
 * tensors  best_model.&lt;key&gt;                      the weights of the best epoch (when kept)
 * </pre>
 */
final class FitState {

    static final String TYPE = "Trainer";
    private static final String BEST_MODEL = "best_model.";

    int epochsDone;
    long step;
    final List<EpochResult> results = new ArrayList<>();
    final EarlyStopping tracker;
    /** Why training stopped before its last epoch; null while it may go on. */
    History.StopReason stopped;
    /** A copy of the weights of the best epoch, or null. */
    Map<String, Tensor> bestWeights;
    /** The epoch counter of the last checkpoint written or resumed from, or -1; not saved. */
    int lastCheckpointEpoch = -1;

    FitState(EarlyStopping tracker) {
        this.tracker = tracker;
    }

    StateDict toStateDict() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("best_loss", Double.toString(tracker.best));
        v.put("best_epoch", Integer.toString(tracker.bestEpoch));
        v.put("bad_epochs", Integer.toString(tracker.badEpochs));
        v.put("stopped", stopped == null ? "none" : stopped.name());
        v.put("history.epoch", list(r -> (double) r.epoch()));
        v.put("history.train_loss", list(EpochResult::trainLoss));
        v.put("history.val_loss", list(EpochResult::valLoss));
        v.put("history.lr", list(EpochResult::lr));
        v.put("history.step", list(r -> (double) r.step()));
        v.put("history.batches", list(r -> (double) r.batches()));
        v.put("history.seconds", list(EpochResult::seconds));
        v.put("history.improved", list(r -> r.improved() ? 1.0 : 0.0));
        Map<String, Tensor> t = new LinkedHashMap<>();
        if (bestWeights != null) {
            bestWeights.forEach((k, w) -> t.put(BEST_MODEL + k, w));
        }
        return new StateDict(t, v);
    }

    private String list(Function<EpochResult, Double> column) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(column.apply(results.get(i)));
        }
        return sb.append(']').toString();
    }

    /**
     * Replaces this state by a saved one.
     *
     * @throws IllegalArgumentException naming a missing or malformed value
     */
    void load(StateDict s) {
        double best = number("best_loss", s.value("best_loss"));
        int bestEpoch = (int) number("best_epoch", s.value("best_epoch"));
        int bad = (int) number("bad_epochs", s.value("bad_epochs"));
        String stop = s.value("stopped");
        History.StopReason reason;
        try {
            reason = stop.equals("none") ? null : History.StopReason.valueOf(stop);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trainer state 'stopped' is \"" + stop + "\", expected none, "
                + "EARLY_STOPPING or CALLBACK", e);
        }
        double[] epoch = numbers(s, "history.epoch");
        double[] train = numbers(s, "history.train_loss");
        double[] val = numbers(s, "history.val_loss");
        double[] lr = numbers(s, "history.lr");
        double[] steps = numbers(s, "history.step");
        double[] batches = numbers(s, "history.batches");
        double[] seconds = numbers(s, "history.seconds");
        double[] improved = numbers(s, "history.improved");
        int n = epoch.length;
        for (double[] column : new double[][] {train, val, lr, steps, batches, seconds, improved}) {
            if (column.length != n) {
                throw new IllegalArgumentException("trainer history columns differ in length: " + n + " epochs but "
                    + column.length + " values");
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        s.tensors().forEach((k, w) -> {
            if (!k.startsWith(BEST_MODEL)) {
                throw new IllegalArgumentException("unexpected tensor in trainer state: " + k);
            }
            weights.put(k.substring(BEST_MODEL.length()), w);
        });
        results.clear();
        for (int i = 0; i < n; i++) {
            results.add(new EpochResult((int) epoch[i], train[i], val[i], lr[i], (long) steps[i], (int) batches[i],
                seconds[i], improved[i] != 0));
        }
        tracker.best = best;
        tracker.bestEpoch = bestEpoch;
        tracker.badEpochs = bad;
        stopped = reason;
        bestWeights = weights.isEmpty() ? null : weights;
    }

    private static double[] numbers(StateDict s, String key) {
        String text = s.value(key).trim();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new IllegalArgumentException("trainer state '" + key + "' is not a list like [1.0, 2.0]: " + text);
        }
        String inner = text.substring(1, text.length() - 1).trim();
        if (inner.isEmpty()) {
            return new double[0];
        }
        String[] parts = inner.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = number(key, parts[i]);
        }
        return out;
    }

    private static double number(String key, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trainer state '" + key + "' is not a number: \"" + s + "\"", e);
        }
    }
}
