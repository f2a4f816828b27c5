package io.github.lstm4j.tune;

/**
 * Draws every parameter independently and uniformly (log-uniformly on log scales) from its
 * dimension. Bergstra and Bengio (2012) showed it beats grid search when only a few parameters
 * matter: every trial tries a new value of each. Trial {@code n}'s parameters depend only on the
 * search seed and {@code n}.
 */
public final class RandomSearch implements SearchStrategy {

    @Override
    public Params propose(Context context) {
        return context.space().sample(context.rng());
    }

    @Override
    public String toString() {
        return "RandomSearch";
    }
}
