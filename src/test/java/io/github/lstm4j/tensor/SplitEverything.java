package io.github.lstm4j.tensor;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests of thread splitting: before each test, every product and batch is split between
 * threads however small it is ({@link GemmPartition} thresholds 0); after it, the thresholds and
 * the kernel thread count are put back.
 */
final class SplitEverything implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SplitEverything.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", Kernels.threads());
        GemmPartition.setThresholds(0, 0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        GemmPartition.setThresholds(GemmPartition.MIN_PARALLEL_FMAS, GemmPartition.MIN_BLOCK_FMAS);
        Kernels.setThreads(context.getStore(NS).get("threads", Integer.class));
    }
}
