package io.github.lstm4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.autograd.ops.LinearAlgebra;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid arguments fail at the API boundary with an exception whose message names the problem. */
class TensorErrorsTest {

    /** Asserts that {@code call} throws {@code type} with a message containing every fragment. */
    private static <T extends Throwable> void assertFailsNaming(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m != null, "no message on " + e);
        for (String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks \"" + f + "\": " + m);
        }
    }

    private static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    // ------------------------------------------------------------------ matmul and linear

    @Test
    void matmulOfIncompatibleInnerSizesNamesBothShapes() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).matmul(zeros(4, 5)), "[2, 3]", "[4, 5]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).matmul(zeros(4)), "[3]", "[4]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).matmul(zeros(2)), "[2, 3]", "[2]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(4).matmul(zeros(2, 3, 4)), "[4]", "[2, 3, 4]");
    }

    @Test
    void matmulWithUnbroadcastableBatchesOrAScalarNamesTheShapes() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3, 4).matmul(zeros(5, 4, 2)),
            "[2, 3, 4]", "[5, 4, 2]");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(zeros(2)), "[]", "[2]");
    }

    @Test
    void linearWithAWrongInputSizeNamesTheExpectedDim() {
        assertFailsNaming(IllegalArgumentException.class,
            () -> LinearAlgebra.linear(zeros(4, 5), zeros(2, 3), null), "3", "[4, 5]");
        assertFailsNaming(IllegalArgumentException.class,
            () -> LinearAlgebra.linear(zeros(4, 3), zeros(2, 3), zeros(3)), "bias", "[2]", "[3]");
        assertFailsNaming(IllegalArgumentException.class,
            () -> LinearAlgebra.linear(zeros(4, 3), zeros(3), null), "weight", "[3]");
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void impossibleBroadcastNamesBothShapes() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).add(zeros(4, 3)), "[2, 3]", "[4, 3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).mul(zeros(2)), "[2, 3]", "[2]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3, 1, 4).sub(zeros(2, 3)), "[3, 1, 4]", "[2, 3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).div(zeros(3)), "[2]", "[3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).maximum(zeros(3)), "[2]", "[3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).pow(zeros(3)), "[2]", "[3]");
    }

    @Test
    void expandToAnIncompatibleShapeNamesIt() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).expand(2, 4), "[3]", "[2, 4]");
        assertThrows(IllegalArgumentException.class, () -> zeros(2, 3).expand(3));
    }

    @Test
    void inPlaceOpsWithAMismatchedOperandNameBothShapes() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).add_(zeros(2)), "add_", "[2]", "[3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).copy_(zeros(4)), "copy_", "[4]", "[3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).mul_(zeros(2)), "mul_", "[2]", "[3]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(3).addcmul_(zeros(2), zeros(3), 1f),
            "addcmul_", "[2]");
    }

    // ------------------------------------------------------------------ reshape

    @Test
    void reshapeToAShapeOfAnotherSizeNamesTheShapeAndSize() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).reshape(4, 2), "[4, 2]", "6");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).reshape(-1, 4), "[-1, 4]", "6");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).view(-1, -1), "[-1, -1]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).reshape(3, -2), "-2");
    }

    // ------------------------------------------------------------------ indexing

    @Test
    void selectOutOfRangeNamesTheIndexAndSize() {
        assertFailsNaming(IndexOutOfBoundsException.class, () -> zeros(2, 3).select(1, 3), "3", "[2, 3]");
        assertFailsNaming(IndexOutOfBoundsException.class, () -> zeros(2, 3).select(1, -4), "-4", "[2, 3]");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.scalar(1f).select(0, 0), "0-dim");
    }

    @Test
    void narrowOutOfRangeNamesStartLengthAndSize() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).narrow(1, 2, 2), "2", "3", "[2, 3]");
        // start must lie in [-size, size]
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).narrow(0, -3, 1), "-3");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).narrow(1, 0, -1), "-1");
    }

    @Test
    void getOutOfRangeAndItemOfManyElementsAreRejected() {
        assertFailsNaming(IndexOutOfBoundsException.class, () -> zeros(2, 3).get(0, 3), "3");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).get(0), "[2, 3]");
        assertFailsNaming(IllegalStateException.class, () -> zeros(2, 3).item(), "6", "[2, 3]");
    }

    // ------------------------------------------------------------------ joining and splitting

    @Test
    void catWithMismatchedShapesNamesThem() {
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.cat(List.of(zeros(2, 3), zeros(2, 4)), 0), "[2, 3]", "[2, 4]");
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.cat(List.of(zeros(2, 3), zeros(2, 3, 1)), 0), "[2, 3]", "[2, 3, 1]");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.cat(List.of(), 0), "empty");
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.cat(List.of(Tensor.scalar(1f), Tensor.scalar(2f)), 0), "zero-dimensional");
    }

    @Test
    void stackWithMismatchedShapesNamesThem() {
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.stack(List.of(zeros(2, 3), zeros(3, 2)), 0), "[2, 3]", "[3, 2]");
        assertThrows(IllegalArgumentException.class, () -> Tensor.stack(List.of(), 0));
    }

    @Test
    void chunkAndSplitRejectNonPositiveCounts() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(4).chunk(0, 0), "0");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(4).split(-1, 0), "-1");
    }

    // ------------------------------------------------------------------ dimensions

    @Test
    void permuteWithTheWrongRankOrARepeatedDimIsRejected() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3, 4).permute(1, 0), "3", "[1, 0]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3, 4).permute(0, 1, 1), "repeated");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3, 4).permute(0, 1, -1 - 3), "-4");
    }

    @Test
    void dimensionOutOfRangeNamesTheValidRange() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).sum(2, false),
            "dimension out of range", "[-2, 1]", "2");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).mean(-3, true), "[-2, 1]", "-3");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).transpose(0, 2), "[-2, 1]", "2");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).unsqueeze(3), "[-3, 2]", "3");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).squeeze(-3), "[-2, 1]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).max(2, false), "[-2, 1]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).size(5), "[-2, 1]", "5");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).select(2, 0), "[-2, 1]");
        assertFailsNaming(IllegalArgumentException.class,
            () -> zeros(2, 3).norm(2, new int[] {0, 2}, false), "[-2, 1]", "2");
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.cat(List.of(zeros(2), zeros(2)), 1), "[-1, 0]", "1");
    }

    @Test
    void reductionsRejectRepeatedOrMissingDims() {
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).sum(new int[] {0, -2}, false),
            "multiple times");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 3).mean(new int[0], false), "mean");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(0).max(), "empty");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).norm(0), "0");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).norm(-1), "-1");
    }

    // ------------------------------------------------------------------ creation and values

    @Test
    void creationRejectsBadArguments() {
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "5", "6", "[2, 3]");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}), "row 1");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "negative", "[2, -1]");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0), "step");
        assertFailsNaming(IllegalArgumentException.class, () -> Tensor.arange(0, 5, -1), "step=-1");
        assertFailsNaming(IllegalArgumentException.class,
            () -> Tensor.uniform(new Generator(1), 2f, 1f, 3), "2.0", "1.0");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).clamp(1f, -1f), "1.0", "-1.0");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2, 2, 2).t(), "[2, 2, 2]");
        assertFailsNaming(IllegalArgumentException.class, () -> zeros(2).setGrad(zeros(3)), "[3]", "[2]");
    }
}
