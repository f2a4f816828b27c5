package io.github.lstm4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One core's fp32 FMA peak as the Vector API reaches it: 16 independent accumulators, fused
 * multiply-adds on registers only, no memory traffic. The yardstick for the GEMM's efficiency
 * ({@link GemmBenchmark}'s {@code flops} divided by this one's).
 *
 * <pre>
 * mvn -Pjmh -DskipTests test-compile exec:exec -Djmh.args="FmaPeakBenchmark"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FmaPeakBenchmark {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 100_000;

    /** A value the JIT cannot see, so that the loop is not folded. */
    public float seed = 0.5f;


    /** 16 accumulators times {@value #ITERATIONS} fused multiply-adds; returns their sum. */
    @Benchmark
    public float fma(Flops flops) {
        FloatVector a = FloatVector.broadcast(S, seed);
        FloatVector b = FloatVector.broadcast(S, 0.999f);
        FloatVector c0 = a;
        FloatVector c1 = a.add(1f);
        FloatVector c2 = a.add(2f);
        FloatVector c3 = a.add(3f);
        FloatVector c4 = a.add(4f);
        FloatVector c5 = a.add(5f);
        FloatVector c6 = a.add(6f);
        FloatVector c7 = a.add(7f);
        FloatVector c8 = a.add(8f);
        FloatVector c9 = a.add(9f);
        FloatVector c10 = a.add(10f);
        FloatVector c11 = a.add(11f);
        FloatVector c12 = a.add(12f);
        FloatVector c13 = a.add(13f);
        FloatVector c14 = a.add(14f);
        FloatVector c15 = a.add(15f);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(b, a);
            c1 = c1.fma(b, a);
            c2 = c2.fma(b, a);
            c3 = c3.fma(b, a);
            c4 = c4.fma(b, a);
            c5 = c5.fma(b, a);
            c6 = c6.fma(b, a);
            c7 = c7.fma(b, a);
            c8 = c8.fma(b, a);
            c9 = c9.fma(b, a);
            c10 = c10.fma(b, a);
            c11 = c11.fma(b, a);
            c12 = c12.fma(b, a);
            c13 = c13.fma(b, a);
            c14 = c14.fma(b, a);
            c15 = c15.fma(b, a);
        }
        flops.flops += 2L * 16 * S.length() * ITERATIONS;
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
            .add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }
}
