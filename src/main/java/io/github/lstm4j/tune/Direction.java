package io.github.lstm4j.tune;

/** Whether a search looks for the lowest score (a loss, the default) or the highest (an accuracy). */
public enum Direction {
    /** Lower scores are better. */
    MINIMIZE,
    /** Higher scores are better. */
    MAXIMIZE;

    /** True when {@code a} is strictly better than {@code b}; a NaN is never better. */
    public boolean isBetter(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return this == MINIMIZE ? a < b : a > b;
    }

    /** The score as a loss: itself when minimising, its negation when maximising. */
    double asLoss(double score) {
        return this == MINIMIZE ? score : -score;
    }
}
