package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which provider the facade picks, run twice by the build: once with
 * {@code --add-modules jdk.incubator.vector} and once without it (the {@code plain-fallback}
 * execution), so both the fast path and the fallback are proven on every build.
 */
@Tag("plain-fallback")
class KernelSelectionTest {

    private static boolean vectorModuleInBootLayer() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static boolean c2Running() {
        String info = System.getProperty("java.vm.info", "");
        return !info.contains("emulated-client") && !info.contains("interpreted mode");
    }

    @Test
    void autoPicksVectorWithTheModuleAndC2AndPlainWithoutTheModule() {
        String requested = System.getProperty(Kernels.PROPERTY, "auto");
        Assumptions.assumeTrue(requested.equals("auto"),
                () -> "provider forced by -D" + Kernels.PROPERTY + "=" + requested);
        if (!vectorModuleInBootLayer()) {
            assertEquals("plain", Kernels.provider().name(), "no jdk.incubator.vector in the boot layer");
        } else if (c2Running()) {
            assertEquals("vector", Kernels.provider().name(),
                    "jdk.incubator.vector in the boot layer and C2 running");
        } else {
            assertEquals("plain", Kernels.provider().name(), "C2 not running");
        }
    }

    @Test
    void vectorProviderIsAvailableExactlyWhenTheModuleIsInTheBootLayer() {
        assertEquals(vectorModuleInBootLayer(), Kernels.vector().isPresent());
        Kernels.vector().ifPresent(v -> assertEquals("vector", v.name()));
        assertEquals("plain", Kernels.plain().name());
    }

    @Test
    void facadeMultipliesCorrectlyWhicheverProviderItPicked() {
        // op(A) = A^T where A is stored 3 x 2, op(B) = B (3 x 4); C is 2 x 4 inside a padded array
        float[] a = {
            1, 2,
            3, 4,
            5, 6};
        float[] b = {
            1, 0, -1, 2,
            0, 1, 2, -2,
            1, 1, 0, 0.5f};
        float[] c = {
            9, 10, 100, 1000, -1,
            9, 20, 200, 2000, -1};
        // C = A^T B + 1 * C
        Kernels.gemm(true, false, 2, 4, 3, a, 0, 2, b, 0, 4, 1f, c, 1, 5);
        // A^T B = [[6, 8, 5, -1.5], [8, 10, 6, -1]]; the 9s lie outside C and stay
        float[] expected = {
            9, 10 + 6, 100 + 8, 1000 + 5, -1 - 1.5f,
            9, 20 + 8, 200 + 10, 2000 + 6, -1 - 1};
        assertArrayEquals(expected, c, 1e-6f, "provider " + Kernels.provider().name());

        // beta 0 overwrites even NaN: C = A B^T with A 2 x 3, B stored 2 x 3
        float[] c2 = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Kernels.gemm(false, true, 2, 2, 3, new float[]{1, 2, 3, 4, 5, 6}, 0, 3,
                new float[]{1, 0, -1, 2, 1, 0}, 0, 3, 0f, c2, 0, 2);
        assertArrayEquals(new float[]{-2, 4, -2, 13}, c2, 1e-6f, "provider " + Kernels.provider().name());
    }
}
