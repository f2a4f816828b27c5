package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.tensor.KernelProvider;
import io.github.lstm4j.tensor.Kernels;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What "the same seed gives the same bits" means today: the tutorial model trained from one seed
 * ends in identical weights every time, on any thread, with 1 or 2 kernel threads, with whichever
 * kernel provider the JVM chose. Tagged {@code plain-fallback}, so the build runs it once with the
 * Vector API provider and once with the plain one.
 *
 * <p>Not promised (yet): identical bits across the two providers. Their GEMMs sum in different
 * orders (the vector one in lanes, with fused multiply-adds), so the last bits differ; see
 * {@link #plainAndVectorGemmGiveTheSameBits()}.
 */
@Tag("plain-fallback")
class DeterminismTest {

    private static final int STEPS = 20;

    private static int[] trainedBits(long seed) {
        LSTMModel model = TutorialTraining.newModel(seed, 16);
        TutorialTraining.train(model, seed + 1, STEPS);
        return TutorialTraining.bits(model.stateDict());
    }

    @Test
    void tutorialModelTrainedTwiceFromTheSameSeedEndsInIdenticalBits() {
        int[] first = trainedBits(42);
        int[] second = trainedBits(42);
        assertEquals(0, TutorialTraining.differing(first, second),
            "differing weights after " + STEPS + " Adam steps with kernels " + Kernels.provider().name());
        assertFalse(TutorialTraining.same(first, trainedBits(43)), "another seed must give other weights");
    }

    @Test
    void trainingOnOtherThreadsAndTwoAtOnceGivesTheSameBitsAsOnThisThread() throws Exception {
        int[] here = trainedBits(7);
        LSTMModel a = TutorialTraining.newModel(7, 16);
        LSTMModel b = TutorialTraining.newModel(7, 16);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> runs = new ArrayList<>();
            for (LSTMModel m : List.of(a, b)) {
                runs.add(pool.submit(() -> {
                    start.await();
                    TutorialTraining.train(m, 8, STEPS);
                    return TutorialTraining.bits(m.stateDict());
                }));
            }
            start.countDown();
            for (Future<int[]> run : runs) {
                int[] there = run.get(60, TimeUnit.SECONDS);
                assertEquals(0, TutorialTraining.differing(here, there), "weights trained on a pool thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each provider's packing buffers are per thread: two threads multiplying at once get the
     * same bits as one thread alone. The shapes cross every block size of both providers.
     */
    @Test
    void eachProvidersGemmGivesTheSameBitsAloneAndOnTwoThreadsAtOnce() throws Exception {
        List<KernelProvider> providers = new ArrayList<>(List.of(Kernels.plain()));
        Kernels.vector().ifPresent(providers::add);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {33, 65, 129}, {400, 70, 300}, {3, 2100, 20}};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (KernelProvider p : providers) {
                for (int[] s : shapes) {
                    for (boolean transB : new boolean[] {false, true}) {
                        Random r = new Random(s[0] * 31L + s[1] * 7L + s[2]);
                        float[] a = randoms(r, s[0] * s[2]);
                        float[] b = randoms(r, s[2] * s[1]);
                        int[] alone = TutorialTraining.bits(gemm(p, transB, s, a, b));
                        CountDownLatch start = new CountDownLatch(1);
                        List<Future<float[]>> both = new ArrayList<>();
                        for (int th = 0; th < 2; th++) {
                            both.add(pool.submit(() -> {
                                start.await();
                                float[] c = null;
                                for (int rep = 0; rep < 2; rep++) {
                                    c = gemm(p, transB, s, a, b);
                                }
                                return c;
                            }));
                        }
                        start.countDown();
                        for (Future<float[]> f : both) {
                            int[] together = TutorialTraining.bits(f.get(60, TimeUnit.SECONDS));
                            assertArrayEquals(alone, together, p.name() + " gemm " + s[0] + "x" + s[1] + "x" + s[2]
                                + (transB ? " transB" : ""));
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The issue asks for the same bits on 1 and 2 kernel threads. The model is larger than the
     * tutorial's so that its products and LSTM steps are big enough to be split over the pool.
     */
    @Test
    void trainingGivesTheSameBitsOnOneAndTwoKernelThreads() throws Exception {
        int[][] bits = new int[2][];
        withKernelThreads(new int[] {1, 2}, (run, threads) -> {
            LSTMModel model = TutorialTraining.newModel(5, 64);
            TutorialTraining.train(model, 6, 4, 32);
            bits[run] = TutorialTraining.bits(model.stateDict());
        });
        assertEquals(0, TutorialTraining.differing(bits[0], bits[1]), "weights trained on 1 vs 2 kernel threads");
    }

    /** Each provider's GEMM on 1 and 2 kernel threads, over shapes large enough to be split by rows or by columns. */
    @Test
    void eachProvidersGemmGivesTheSameBitsOnOneAndTwoKernelThreads() throws Exception {
        List<KernelProvider> providers = new ArrayList<>(List.of(Kernels.plain()));
        Kernels.vector().ifPresent(providers::add);
        int[][] shapes = {{400, 130, 140}, {2101, 3, 601}, {3, 2101, 601}, {129, 257, 67}};
        List<float[]> one = new ArrayList<>();
        List<float[]> two = new ArrayList<>();
        withKernelThreads(new int[] {1, 2}, (run, threads) -> {
            for (KernelProvider p : providers) {
                for (int[] s : shapes) {
                    for (boolean transB : new boolean[] {false, true}) {
                        Random r = new Random(s[0] * 31L + s[1] * 7L + s[2]);
                        (run == 0 ? one : two).add(gemm(p, transB, s, randoms(r, s[0] * s[2]), randoms(r, s[2] * s[1])));
                    }
                }
            }
        });
        for (int i = 0; i < one.size(); i++) {
            int[] shape = shapes[(i / 2) % shapes.length];
            assertArrayEquals(TutorialTraining.bits(one.get(i)), TutorialTraining.bits(two.get(i)),
                providers.get(i / (2 * shapes.length)).name() + " gemm " + shape[0] + "x" + shape[1] + "x" + shape[2]
                    + (i % 2 == 1 ? " transB" : "") + " on 1 vs 2 kernel threads");
        }
    }

    /** A run of a test body with a given number of kernel threads. */
    @FunctionalInterface
    private interface ThreadedRun {
        void run(int index, int threads) throws Exception;
    }

    /**
     * Runs {@code body} once per thread count with {@code Kernels.setThreads}, restoring the
     * setting afterwards. Skipped while {@code Kernels} has no thread setting (it is called
     * reflectively so that this test compiles with or without it).
     */
    private static void withKernelThreads(int[] counts, ThreadedRun body) throws Exception {
        Optional<Method> setThreads = kernelThreadSetter();
        Assumptions.assumeTrue(setThreads.isPresent(), "Kernels has no setThreads(int): GEMM is single-threaded");
        int before = (Integer) Kernels.class.getMethod("threads").invoke(null);
        try {
            for (int i = 0; i < counts.length; i++) {
                setThreads.get().invoke(null, counts[i]);
                body.run(i, counts[i]);
            }
        } finally {
            setThreads.get().invoke(null, before);
        }
    }

    private static Optional<Method> kernelThreadSetter() {
        try {
            Kernels.class.getMethod("threads");
            return Optional.of(Kernels.class.getMethod("setThreads", int.class));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the two providers could promise the same bits. They do not today (most elements
     * differ in the last bits for {@code k > 1}); enable this if the project decides to promise it.
     */
    @Test
    @Disabled("decision: plain and vector GEMM sum in different orders (lanes, FMA), so their bits differ; "
        + "the library promises bit-identical results per provider only")
    void plainAndVectorGemmGiveTheSameBits() {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no Vector API provider in this JVM");
        int[][] shapes = {{8, 64, 16}, {8, 16, 64}, {80, 64, 1}, {33, 65, 17}};
        for (int[] s : shapes) {
            Random r = new Random(3);
            float[] a = randoms(r, s[0] * s[2]);
            float[] b = randoms(r, s[2] * s[1]);
            float[] plain = gemm(Kernels.plain(), true, s, a, b);
            float[] vector = gemm(Kernels.vector().get(), true, s, a, b);
            assertArrayEquals(plain, vector, 0f, s[0] + "x" + s[1] + "x" + s[2]);
        }
    }

    /** C = A op(B) with A {@code m x k}; B stored {@code k x n}, or {@code n x k} when transposed. */
    private static float[] gemm(KernelProvider p, boolean transB, int[] mnk, float[] a, float[] b) {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        float[] c = new float[m * n];
        p.gemm(false, transB, m, n, k, a, 0, k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }

    private static float[] randoms(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
