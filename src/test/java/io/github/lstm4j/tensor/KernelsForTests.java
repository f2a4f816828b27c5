package io.github.lstm4j.tensor;

import java.util.concurrent.Callable;

/**
 * Test access to {@link Kernels}' package-private provider switch, for tests in other packages
 * that compare the providers inside one JVM (a training run on each).
 */
public final class KernelsForTests {

    private KernelsForTests() {
    }

    /**
     * Runs {@code body} with {@code provider} as the facade's provider and puts the previous one
     * back afterwards, even if the body throws. Nothing else may compute through the facade
     * meanwhile.
     *
     * @param provider {@link Kernels#plain()} or the provider of {@link Kernels#vector()}
     * @param body     what to run
     * @return what the body returned
     * @throws Exception what the body threw
     */
    public static <T> T using(KernelProvider provider, Callable<T> body) throws Exception {
        KernelProvider previous = Kernels.use(provider);
        try {
            return body.call();
        } finally {
            Kernels.use(previous);
        }
    }
}
