package io.github.lstm4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A secondary JMH result: the floating-point operations a benchmark method did, which JMH reports
 * per second (divide by 1e9 for GFLOPS). A method adds its count to {@link #flops} on every call.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {

    /** Operations done in this iteration (a fused multiply-add counts two per lane). */
    public long flops;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void clean() {
        flops = 0;
    }
}
