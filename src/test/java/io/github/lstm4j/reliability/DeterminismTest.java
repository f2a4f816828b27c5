package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.GRU;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.RNN;
import io.github.lstm4j.nn.RNNBase;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.tensor.KernelProvider;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.KernelsForTests;
import io.github.lstm4j.tensor.PackedMatrix;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What "the same seed gives the same bits" means: the tutorial model trained from one seed ends in
 * identical weights every time, on any thread, with 1 or 2 kernel threads, and with either kernel
 * provider, plain Java or Vector API. Tagged {@code plain-fallback}, so the build runs it once with
 * the Vector API provider and once with the plain one (the cross-provider tests need both and are
 * skipped in the second run).
 *
 * <p>Across providers the promise rests on one arithmetic per output element, shared by both: a
 * product's element is a chain of fused multiply-adds over k in ascending order (from +0, or from
 * the old C when accumulating), the LSTM step's activations are the same float polynomials
 * ({@code Activations.kernelSigmoid} and {@code kernelTanh} are one lane of {@code VectorMath}),
 * and the pointwise and column-sum kernels do the same operations in the same order.
 * {@link #plainAndVectorGemmGiveTheSameBits()} holds the products to it;
 * {@code tensor.ProvidersGiveTheSameBitsTest} and {@code tensor.KernelActivationsTest} hold the
 * rest of the {@code KernelProvider} methods; the training tests below hold the whole.
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
     * The two providers' products agree bit for bit, and with the arithmetic both promise (a
     * chain of fused multiply-adds over k in ascending order, from +0 for beta 0 or from the old
     * C for beta 1), computed here by a naive loop: every transpose combination, beta 0 and 1,
     * the prepacked-B path, every size from 1 to 70 in each dimension, primes, shapes larger than
     * the providers' blocks, and products of 1 to 16 rows (where the vector provider skips
     * packing).
     */
    @Test
    void plainAndVectorGemmGiveTheSameBits() {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no Vector API provider in this JVM");
        KernelProvider plain = Kernels.plain();
        KernelProvider vector = Kernels.vector().get();
        List<int[]> shapes = new ArrayList<>();
        Random sizes = new Random(70);
        for (int s = 1; s <= 70; s++) {
            shapes.add(new int[] {s, 1 + sizes.nextInt(70), 1 + sizes.nextInt(70)});
            shapes.add(new int[] {1 + sizes.nextInt(70), s, 1 + sizes.nextInt(70)});
            shapes.add(new int[] {1 + sizes.nextInt(70), 1 + sizes.nextInt(70), s});
        }
        // primes; then larger than a block: m > 384 (vector MC), k > 256 (the plain and the
        // vector KC), n > 1024 (plain NC) and n > 2048 (vector NC)
        shapes.addAll(List.of(new int[] {97, 101, 103}, new int[] {131, 127, 257}, new int[] {5, 257, 263},
            new int[] {263, 5, 131}, new int[] {400, 70, 300}, new int[] {33, 1030, 260}, new int[] {9, 2100, 130}));
        for (int m = 1; m <= 16; m++) {
            for (int[] nk : new int[][] {{1, 1}, {17, 300}, {64, 50}, {200, 33}, {65, 129}}) {
                shapes.add(new int[] {m, nk[0], nk[1]});
            }
        }
        Random r = new Random(3);
        int products = 0;
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    // A at offset 2 with row stride cols + 1, B at offset 1 with cols + 2, C with n + 3
                    int lda = (transA ? m : k) + 1;
                    int ldb = (transB ? k : n) + 2;
                    int ldc = n + 3;
                    float[] a = randoms(r, 2 + (transA ? k : m) * lda);
                    float[] b = randoms(r, 1 + (transB ? n : k) * ldb);
                    for (float beta : new float[] {0f, 1f}) {
                        float[] c0 = beta == 0f ? nans(m * ldc) : randoms(r, m * ldc);
                        float[] want = fmaChains(transA, transB, m, n, k, a, 2, lda, b, 1, ldb, beta, c0, ldc);
                        String what = "gemm " + m + "x" + n + "x" + k + (transA ? " transA" : "")
                            + (transB ? " transB" : "") + " beta " + beta;
                        float[] cp = c0.clone();
                        plain.gemm(transA, transB, m, n, k, a, 2, lda, b, 1, ldb, beta, cp, 0, ldc);
                        float[] cv = c0.clone();
                        vector.gemm(transA, transB, m, n, k, a, 2, lda, b, 1, ldb, beta, cv, 0, ldc);
                        assertSameBits(want, cp, "plain " + what);
                        assertSameBits(cp, cv, "vector vs plain " + what);
                        products++;
                        if (!transA) {
                            // the prepacked-B path, B packed from itself or from its transpose
                            PackedMatrix pp = plain.pack(transB, k, n, b, 1, ldb);
                            PackedMatrix pv = vector.pack(transB, k, n, b, 1, ldb);
                            float[] cpp = c0.clone();
                            plain.gemm(m, a, 2, lda, pp, beta, cpp, 0, ldc);
                            float[] cvp = c0.clone();
                            vector.gemm(m, a, 2, lda, pv, beta, cvp, 0, ldc);
                            pp.release();
                            pv.release();
                            assertSameBits(want, cpp, "plain packed " + what);
                            assertSameBits(cpp, cvp, "vector vs plain packed " + what);
                        }
                    }
                }
            }
        }
        assertTrue(products > 2000, products + " products compared");
    }

    /**
     * Training gives the same bits whichever provider computes it, on 1 and on 2 kernel threads:
     * the tutorial model (20 Adam steps) and a wider one whose products and LSTM steps are large
     * enough to be split over the pool.
     */
    @Test
    void trainingGivesTheSameBitsWithThePlainAndTheVectorKernelsOnOneAndTwoThreads() throws Exception {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no Vector API provider in this JVM");
        List<KernelProvider> providers = List.of(Kernels.plain(), Kernels.vector().get());
        List<String> names = new ArrayList<>();
        List<int[]> tutorial = new ArrayList<>();
        List<int[]> wide = new ArrayList<>();
        withKernelThreads(new int[] {1, 2}, (run, threads) -> {
            for (KernelProvider p : providers) {
                names.add(p.name() + " on " + threads + " kernel threads");
                tutorial.add(KernelsForTests.using(p, () -> trainedBits(11)));
                wide.add(KernelsForTests.using(p, () -> {
                    LSTMModel model = TutorialTraining.newModel(12, 64);
                    TutorialTraining.train(model, 13, 4, 32);
                    return TutorialTraining.bits(model.stateDict());
                }));
            }
        });
        for (int i = 1; i < names.size(); i++) {
            assertEquals(0, TutorialTraining.differing(tutorial.get(0), tutorial.get(i)),
                "tutorial model: weights differ between " + names.get(0) + " and " + names.get(i));
            assertEquals(0, TutorialTraining.differing(wide.get(0), wide.get(i)),
                "LSTMModel(1, 64, 1, 2): weights differ between " + names.get(0) + " and " + names.get(i));
        }
        assertFalse(TutorialTraining.same(tutorial.get(0), trainedBits(12)), "another seed must give other weights");
    }

    /** A GRU and an Elman RNN (tanh and relu) trained with either provider end in the same bits. */
    @Test
    void gruAndRnnTrainingGivesTheSameBitsWithThePlainAndTheVectorKernels() throws Exception {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no Vector API provider in this JVM");
        for (String kind : new String[] {"gru", "rnn-tanh", "rnn-relu"}) {
            int[] plain = KernelsForTests.using(Kernels.plain(), () -> trainedRecurrentBits(kind));
            int[] vector = KernelsForTests.using(Kernels.vector().get(), () -> trainedRecurrentBits(kind));
            assertEquals(0, TutorialTraining.differing(plain, vector), kind + ": weights differ between plain and vector");
        }
    }

    /** A two-layer batch-first GRU or RNN of 24, trained 10 Adam steps on every output step (MSE). */
    private static int[] trainedRecurrentBits(String kind) {
        Generator init = new Generator(21);
        RNNBase net = kind.equals("gru")
            ? GRU.builder(3, 24).numLayers(2).batchFirst(true).generator(init).build()
            : RNN.builder(3, 24).numLayers(2).batchFirst(true).nonlinearity(kind.substring(4)).generator(init).build();
        Generator data = new Generator(22);
        Optimizer opt = new Adam(net.parameters(), 0.01);
        MSELoss criterion = new MSELoss();
        for (int step = 0; step < 10; step++) {
            Tensor x = Tensor.randn(data, 8, 12, 3);
            Tensor y = Tensor.randn(data, 8, 12, 24);
            Tensor out = net instanceof GRU g ? g.forward(x).output() : ((RNN) net).forward(x).output();
            opt.zeroGrad();
            criterion.forward(out, y).backward();
            opt.step();
        }
        return TutorialTraining.bits(net.stateDict());
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

    /**
     * The promised arithmetic, naively: each element of C is {@code acc = fma(op(A)[i, p],
     * op(B)[p, j], acc)} for p = 0 .. k-1, from +0 (beta 0) or from {@code beta * C}.
     */
    private static float[] fmaChains(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int ldb, float beta, float[] c0, int ldc) {
        float[] c = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = beta == 0f ? 0f : beta * c0[i * ldc + j];
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc = Math.fma(av, bv, acc);
                }
                c[i * ldc + j] = acc;
            }
        }
        return c;
    }

    /** Bit for bit equal, with the first difference and the count in the message. */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        int[] e = TutorialTraining.bits(expected);
        int[] a = TutorialTraining.bits(actual);
        if (!Arrays.equals(e, a)) {
            int first = Arrays.mismatch(e, a);
            fail(what + ": " + TutorialTraining.differing(e, a) + " elements differ, the first at " + first + ": "
                + expected[first] + " expected, got " + actual[first]);
        }
    }

    private static float[] nans(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    private static float[] randoms(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
