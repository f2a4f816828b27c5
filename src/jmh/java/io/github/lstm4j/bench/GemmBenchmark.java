package io.github.lstm4j.bench;

import io.github.lstm4j.tensor.KernelProvider;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.PackedMatrix;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM on the LSTM's shapes: {@code m x k} times {@code k x n}, both stored as is, C
 * overwritten. The secondary result {@code flops} is the product's floating-point operations
 * ({@code 2 m n k}) per second, so GFLOPS is its score divided by 1e9.
 *
 * <pre>
 * mvn -Pjmh -DskipTests test-compile exec:exec -Djmh.args="GemmBenchmark"
 * mvn -Pjmh -DskipTests test-compile exec:exec -Djmh.args="GemmBenchmark -p provider=vector -p threads=1"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark {

    /** {@code m x k x n}: a step's gates (batch 64, hidden 128), all steps' gates, a weight gradient. */
    @Param({"64x128x512", "2048x128x512", "128x2048x512"})
    public String shape;

    /** {@code vector} or {@code plain}. */
    @Param({"vector", "plain"})
    public String provider;

    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    private KernelProvider kernels;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedMatrix packedB;


    /** Random operands and the provider and thread count asked for. */
    @Setup
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        Random rnd = new Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextFloat() * 2 - 1;
        }
        kernels = provider.equals("plain") ? Kernels.plain()
            : Kernels.vector().orElseThrow(() -> new IllegalStateException("no vector provider in this JVM"));
        Kernels.setThreads(threads);
    }

    /**
     * Packs B afresh for each iteration. The packed panels start on a cache line when they are
     * written (see {@code tensor.Alignment}), but a garbage collection may move the array later,
     * and then most vector loads straddle two lines; the layers pack their weights once per call
     * and use them at once, which a fresh packing per iteration reproduces.
     */
    @Setup(Level.Iteration)
    public void packB() {
        if (packedB != null) {
            packedB.release();
        }
        packedB = kernels.pack(false, k, n, b, 0, n);
    }

    /** Puts the default thread count back. */
    @TearDown
    public void tearDown() {
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * One product with B packed beforehand (once per iteration, in the set-up), as the recurrent layers use
     * their weights: packed once per forward or backward call, then multiplied at every step.
     * Only the packing of A is timed. Returns C so that it is not optimised away.
     */
    @Benchmark
    public float[] gemmPrepackedB(Flops flops) {
        kernels.gemm(m, a, 0, k, packedB, 0f, c, 0, n);
        flops.flops += 2L * m * n * k;
        return c;
    }

    /** One product, both operands packed inside the call; returns C so that it is not optimised away. */
    @Benchmark
    public float[] gemm(Flops flops) {
        kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
        flops.flops += 2L * m * n * k;
        return c;
    }
}
