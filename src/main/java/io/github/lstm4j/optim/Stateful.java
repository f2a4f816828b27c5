package io.github.lstm4j.optim;

/**
 * Something whose training state a checkpoint saves and restores: optimizers and learning-rate
 * schedulers, like PyTorch's {@code state_dict()} / {@code load_state_dict()} pair.
 */
public interface Stateful {

    /** A snapshot of the state; later steps do not change it. */
    StateDict stateDict();

    /**
     * Restores a state produced by {@link #stateDict()} of an object built the same way.
     *
     * @throws IllegalArgumentException naming the offending key when the state does not fit; nothing
     *     is changed then
     */
    void loadStateDict(StateDict state);
}
