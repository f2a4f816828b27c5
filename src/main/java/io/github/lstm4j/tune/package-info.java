/**
 * Hyperparameter search: a {@link io.github.lstm4j.tune.SearchSpace}, an
 * {@link io.github.lstm4j.tune.Objective} evaluated per {@link io.github.lstm4j.tune.Trial}, three
 * strategies ({@link io.github.lstm4j.tune.GridSearch}, {@link io.github.lstm4j.tune.RandomSearch},
 * {@link io.github.lstm4j.tune.BayesianSearch}), pruners that stop unpromising trials, and a
 * {@link io.github.lstm4j.tune.Tuner} that runs trials in parallel, reproducibly, into a
 * {@link io.github.lstm4j.tune.TuningResult} (log table, CSV, PNG). No dependency beyond SLF4J; the
 * plot uses the JDK's {@code java.desktop} module, headless.
 */
package io.github.lstm4j.tune;
