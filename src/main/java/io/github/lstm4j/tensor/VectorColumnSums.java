package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;

import jdk.incubator.vector.FloatVector;

/**
 * {@link PlainKernels#columnSums} on vectors, with the same operations in the same order (so the
 * same bits): the float sums of each block of rows are vector additions, column by column.
 *
 * <p>Only the preferred float species is used: widening to double on vectors would need a float
 * species of half the width, and a second FloatVector shape in the JVM makes the call sites
 * inside the Vector API polymorphic, after which C2 boxes the GEMM's vectors.
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorColumnSums {

    private VectorColumnSums() {
    }

    /**
     * The float sums of rows {@code [r0, r1)} for the columns {@code [j0, j1)}: {@code part[j - j0]}
     * is row r0's value plus each later row's, in order. Writes {@code part}.
     */
    static void blockSums(int r0, int r1, int j0, int j1, float[] x, int off, int ld, float[] part) {
        int jv = j0 + S.loopBound(j1 - j0);
        for (int j = j0; j < jv; j += L) {
            int i = off + r0 * ld + j;
            FloatVector p = FloatVector.fromArray(S, x, i);
            for (int r = r0 + 1; r < r1; r++) {
                i += ld;
                p = p.add(FloatVector.fromArray(S, x, i));
            }
            p.intoArray(part, j - j0);
        }
        PlainKernels.blockSums(r0, r1, jv, j1, x, off, ld, part, j0);
    }
}
