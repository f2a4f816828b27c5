package io.github.lstm4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.ArrayPool;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The autograd engine's contract: accumulation, graph reuse, grad mode, detaching, in-place
 * checks and deep graphs. Expected gradients are derived by hand in the comments.
 */
@SuppressWarnings("try") // no-grad scopes are opened for their effect, not referenced
class AutogradTest {

    private static final float EPS = 1e-5f;

    private static Tensor leaf(float... values) {
        return Tensor.of(values).requiresGrad_(true);
    }

    private static void assertGrad(float[] expected, Tensor leaf) {
        assertNotNull(leaf.grad(), "no gradient reached the leaf");
        assertArrayEquals(expected, leaf.grad().toFloatArray(), EPS);
    }

    // ------------------------------------------------------------------ accumulation

    @Test
    void gradientsAccumulateAcrossTwoBackwardCallsOnARetainedGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward(null, true);
        // d/dx sum(x^2) = 2x = [2, 4]
        assertGrad(new float[] {2, 4}, x);
        y.backward();
        assertGrad(new float[] {4, 8}, x);
    }

    @Test
    void gradientsAccumulateAcrossTwoSeparateGraphs() {
        Tensor x = leaf(1, -2);
        x.mul(3f).sum().backward();
        assertGrad(new float[] {3, 3}, x);
        // + d/dx sum(x^2) = 2x: [3 + 2, 3 - 4]
        x.pow(2f).sum().backward();
        assertGrad(new float[] {5, -1}, x);
        x.setGrad(null);
        x.sum().backward();
        assertGrad(new float[] {1, 1}, x);
    }

    @Test
    void aSharedSubexpressionReceivesTheSumOfBothPaths() {
        Tensor x = leaf(1, 3);
        // y = x*x + x*x = 2 x^2, dy/dx = 4x
        x.mul(x).add(x.mul(x)).sum().backward();
        assertGrad(new float[] {4, 12}, x);
        Tensor z = leaf(2, -1);
        // s = z*z used twice: (s + s) * s = 2 s^2 = 2 z^4, d/dz = 8 z^3 = [64, -8]
        Tensor s = z.mul(z);
        s.add(s).mul(s).sum().backward();
        assertGrad(new float[] {64, -8}, z);
    }

    @Test
    void diamondGraphAddsBothBranches() {
        float x0 = 0.3f;
        Tensor x = leaf(x0);
        Tensor a = x.mul(2f);
        // d = exp(2x) + tanh(2x): dd/dx = 2 exp(2x) + 2 (1 - tanh^2(2x))
        a.exp().add(a.tanh()).sum().backward();
        double t = Math.tanh(2 * x0);
        assertGrad(new float[] {(float) (2 * Math.exp(2 * x0) + 2 * (1 - t * t))}, x);
    }

    @Test
    void twoLeavesInOneGraphEachGetTheirPartialDerivative() {
        Tensor a = leaf(2);
        Tensor b = leaf(5);
        // f = a b + a / b: df/da = b + 1/b = 5.2, df/db = a - a / b^2 = 2 - 0.08 = 1.92
        a.mul(b).add(a.div(b)).sum().backward();
        assertGrad(new float[] {5.2f}, a);
        assertGrad(new float[] {1.92f}, b);
    }

    @Test
    void aNodeWithTwoOutputsGetsGradientsOnlyForTheOutputsThatWereUsed() {
        Tensor x = leaf(1, 2);
        Tensor[] both = scaleTwice(x);
        // L = sum(2x) + sum((3x)^2): dL/dx = 2 + 18 x = [20, 38]
        both[0].sum().add(both[1].mul(both[1]).sum()).backward();
        assertGrad(new float[] {20, 38}, x);
        x.setGrad(null);
        // only the second output is used: the first receives no gradient, dL/dx = 3
        scaleTwice(x)[1].sum().backward();
        assertGrad(new float[] {3, 3}, x);
    }

    /** Outputs {2x, 3x} from one node; backward adds 2 g0 + 3 g1, skipping a missing gradient. */
    private static Tensor[] scaleTwice(Tensor x) {
        float[] d = x.data();
        float[] y0 = new float[d.length];
        float[] y1 = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            y0[i] = 2 * d[i];
            y1[i] = 3 * d[i];
        }
        Node node = new Node(2, x) {
            @Override
            protected float[][] backward(float[][] g) {
                float[] r = new float[d.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (g[0] == null ? 0f : 2 * g[0][i]) + (g[1] == null ? 0f : 3 * g[1][i]);
                }
                return new float[][] {r};
            }
        };
        return new Tensor[] {node.output(y0, x.shape(), 0), node.output(y1, x.shape(), 1)};
    }

    /**
     * A node that says its gradients are new arrays hands them to the leaves as they are; one
     * array returned for two leaves, or by a node that does not say so, is copied for each.
     */
    @Test
    void aLeafTakesANewGradientArrayAndCopiesAShared() {
        Tensor a = leaf(1, 2);
        Tensor b = leaf(3, 4);
        float[] ga = {5, 6};
        float[] shared = {7, 8};
        for (boolean fresh : new boolean[] {true, false}) {
            for (boolean same : new boolean[] {false, true}) {
                a.setGrad(null);
                b.setGrad(null);
                float[] gb = same ? ga : shared;
                Node node = new Node(a, b) {
                    @Override
                    protected float[][] backward(float[][] g) {
                        return new float[][] {ga, gb};
                    }

                    @Override
                    protected boolean returnsNewGradients() {
                        return fresh;
                    }
                };
                node.output(new float[] {0}, new int[] {1}, 0).backward();
                String what = "fresh " + fresh + ", one array for both " + same;
                assertEquals(fresh && !same, a.grad().data() == ga, what);
                assertEquals(fresh && !same, b.grad().data() == gb, what);
                assertFalse(a.grad().data() == b.grad().data(), what);
                assertArrayEquals(ga, a.grad().data(), what);
                assertArrayEquals(gb, b.grad().data(), what);
            }
        }
    }

    /**
     * A consumed gradient array goes back to the {@link ArrayPool} (the next {@code take} of its
     * size hands out that very array) only when nobody else can refer to it: its producer says it
     * is new, the consumer says it keeps none, and the consumer did not return it.
     */
    @Test
    void aConsumedNewGradientGoesBackToThePoolOnlyWhenNobodyElseHoldsIt() {
        int n = 12347; // a length nothing else asks the pool for
        for (boolean fresh : new boolean[] {true, false}) {
            for (boolean releases : new boolean[] {true, false}) {
                for (boolean returnsIt : new boolean[] {false, true}) {
                    Tensor x = Tensor.zeros(n).requiresGrad_(true);
                    float[][] produced = new float[1][];
                    // y = x; backward passes its gradient on, itself or a copy
                    Node consumer = new Node(x) {
                        @Override
                        protected float[][] backward(float[][] g) {
                            return new float[][] {returnsIt ? g[0] : g[0].clone()};
                        }

                        @Override
                        protected boolean releasesGradOutputs() {
                            return releases;
                        }
                    };
                    Tensor y = consumer.output(new float[n], new int[] {n});
                    // z = 2 y: dz/dy = 2, in a new array
                    scaled(y, 2f, fresh, produced).sum().backward();
                    String what = "fresh " + fresh + ", releases " + releases + ", returns it " + returnsIt;
                    float[] expected = new float[n];
                    java.util.Arrays.fill(expected, 2f);
                    assertArrayEquals(expected, x.grad().data(), what);
                    boolean recycled = ArrayPool.take(n) == produced[0];
                    assertEquals(fresh && releases && !returnsIt, recycled, what);
                }
            }
        }
    }

    /**
     * A new gradient array added into a leaf's existing grad (zeroed, not dropped) goes back to
     * the pool; one that becomes the grad does not.
     */
    @Test
    void aNewGradientAddedIntoAnExistingGradGoesBackToThePool() {
        int n = 12349; // a length nothing else asks the pool for
        Tensor x = Tensor.zeros(n).requiresGrad_(true);
        for (boolean existing : new boolean[] {false, true}) {
            if (existing) {
                x.grad().zero_();
            }
            float[][] produced = new float[1][];
            // y = 3 x, backward returns a new array and says so
            scaled(x, 3f, true, produced).sum().backward();
            float[] expected = new float[n];
            java.util.Arrays.fill(expected, 3f);
            assertArrayEquals(expected, x.grad().data(), "existing grad " + existing);
            assertEquals(!existing, x.grad().data() == produced[0], "existing grad " + existing);
            assertEquals(existing, ArrayPool.take(n) == produced[0], "existing grad " + existing);
        }
    }

    /**
     * A new gradient array that arrives first at a node used twice is added into (nobody else
     * refers to it) and the sum is right: a = x, L = sum(2a) + sum(3a), dL/dx = 5.
     */
    @Test
    void gradientsFromTwoConsumersAddUpWhenTheFirstIsANewArray() {
        Tensor x = leaf(1, 2, 3);
        Tensor a = x.mul(1f);
        Tensor sum = scaled(a, 2f, true, new float[1][]).sum().add(scaled(a, 3f, true, new float[1][]).sum());
        sum.backward();
        assertGrad(new float[] {5, 5, 5}, x);
    }

    /**
     * {@code k y}, whose backward returns a new array, says so when {@code fresh}, and leaves it
     * in {@code produced[0]}.
     */
    private static Tensor scaled(Tensor y, float k, boolean fresh, float[][] produced) {
        float[] d = y.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = k * d[i];
        }
        Node node = new Node(y) {
            @Override
            protected float[][] backward(float[][] g) {
                float[] r = new float[g[0].length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = k * g[0][i];
                }
                produced[0] = r;
                return new float[][] {r};
            }

            @Override
            protected boolean returnsNewGradients() {
                return fresh;
            }
        };
        return node.output(out, y.shape());
    }

    @Test
    void backwardWithAnExplicitGradientWeightsTheOutputs() {
        Tensor x = leaf(1, 2, 3);
        // y = x^2, upstream g = [1, 0, -1]: dx = 2 x g = [2, 0, -6]
        x.pow(2f).backward(Tensor.of(1, 0, -1));
        assertGrad(new float[] {2, 0, -6}, x);
    }

    @Test
    void theLeafGradientIsACopyNotTheUpstreamArray() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor g = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2);
        x.reshape(2, 2).backward(g);
        g.data()[0] = 100f;
        assertGrad(new float[] {1, 1, 1, 1}, x);
        // a second backward adds into the existing gradient without touching g
        x.reshape(2, 2).backward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertGrad(new float[] {2, 3, 4, 5}, x);
        assertEquals(100f, g.get(0, 0));
    }

    // ------------------------------------------------------------------ conventions at kinks

    @Test
    void subgradientsAtKinksFollowPyTorch() {
        // relu'(0) = 0, |x|'(0) = 0
        Tensor z = leaf(0, 0);
        z.relu().sum().backward();
        assertGrad(new float[] {0, 0}, z);
        z.setGrad(null);
        z.abs().sum().backward();
        assertGrad(new float[] {0, 0}, z);
        // clamp passes the gradient at its bounds: x = [-1, 1, 2] clamped to [-1, 1] -> [1, 1, 0]
        Tensor c = leaf(-1, 1, 2);
        c.clamp(-1f, 1f).sum().backward();
        assertGrad(new float[] {1, 1, 0}, c);
        // maximum splits a tie evenly
        Tensor a = leaf(2, 1);
        Tensor b = leaf(2, 3);
        a.maximum(b).sum().backward();
        assertGrad(new float[] {0.5f, 0}, a);
        assertGrad(new float[] {0.5f, 1}, b);
        // the 2-norm of zeros has gradient 0, not NaN
        Tensor zeros = Tensor.zeros(3).requiresGrad_(true);
        zeros.norm().backward();
        assertGrad(new float[] {0, 0, 0}, zeros);
    }

    @Test
    void maxOfAllSplitsTiesWhileMaxAlongADimPicksTheFirst() {
        Tensor x = leaf(1, 3, 3);
        x.max().backward();
        assertGrad(new float[] {0, 0.5f, 0.5f}, x);
        x.setGrad(null);
        x.max(0, false).backward();
        assertGrad(new float[] {0, 1, 0}, x);
        // infinity norm of [3, -3, 1]: the gradient sign(x)/2 goes to both largest magnitudes
        Tensor y = leaf(3, -3, 1);
        y.norm(Double.POSITIVE_INFINITY).backward();
        assertGrad(new float[] {0.5f, -0.5f, 0}, y);
    }

    // ------------------------------------------------------------------ misuse of backward

    @Test
    void aSecondBackwardWithoutRetainGraphThrows() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(gradient, true)"), "should say how to retain the graph: " + e.getMessage());
        // the failed call added nothing
        assertGrad(new float[] {2, 4}, x);
    }

    @Test
    void backwardOnANonScalarWithoutAGradientNamesTheShape() {
        Tensor y = leaf(1, 2, 3, 4, 5, 6).reshape(2, 3).mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> y.backward(null, true));
        assertTrue(e2.getMessage().contains("[2, 3]"), e2.getMessage());
    }

    @Test
    void backwardWithAWronglyShapedGradientNamesBothShapes() {
        Tensor y = leaf(1, 2, 3, 4, 5, 6).reshape(2, 3).mul(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> y.backward(Tensor.ones(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void backwardOnATensorThatDoesNotRequireGradThrows() {
        Tensor y = Tensor.of(1, 2).sum();
        assertThrows(IllegalStateException.class, y::backward);
    }

    // ------------------------------------------------------------------ grad mode

    @Test
    void noGradScopeRecordsNothingAndRestoresGradMode() {
        Tensor x = leaf(1, 2);
        assertTrue(GradMode.isEnabled());
        Tensor y;
        try (NoGrad ignored = Tensor.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = x.mul(2f).add(x);
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        assertTrue(y.isLeaf());
        assertArrayEquals(new float[] {3, 6}, y.toFloatArray());
        assertTrue(x.mul(2f).requiresGrad());
    }

    @Test
    void nestedNoGradAndEnableGradScopesRestoreTheirOuterMode() {
        Tensor x = leaf(1);
        try (NoGrad outer = GradMode.noGrad()) {
            try (NoGrad inner = GradMode.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner scope must not re-enable grad mode");
            try (NoGrad enable = GradMode.enableGrad()) {
                assertTrue(GradMode.isEnabled());
                assertTrue(x.mul(2f).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
            outer.close();
            assertTrue(GradMode.isEnabled());
        }
        // closing twice (explicitly, then by try-with-resources) restored only once
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void noGradIsPerThread() throws InterruptedException {
        Tensor x = leaf(1, 2);
        AtomicReference<Boolean> otherRecorded = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (NoGrad ignored = Tensor.noGrad()) {
            Thread other = new Thread(() -> {
                try {
                    otherRecorded.set(x.mul(2f).requiresGrad());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.start();
            other.join();
            assertFalse(x.mul(2f).requiresGrad());
        }
        assertNull(failure.get());
        assertEquals(Boolean.TRUE, otherRecorded.get(), "another thread should still record history");
    }

    // ------------------------------------------------------------------ leaves and detach

    @Test
    void detachSharesDataButHasNoHistory() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3f);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertTrue(d.isLeaf());
        assertSame(y.data(), d.data());
        d.add_(1f);
        assertArrayEquals(new float[] {4, 7}, y.toFloatArray());
        // a graph built on the detached tensor does not reach x
        Tensor w = leaf(2, 2);
        d.mul(w).sum().backward();
        assertNull(x.grad());
        assertGrad(new float[] {4, 7}, w);
    }

    @Test
    void requiresGradCanOnlyBeChangedOnALeaf() {
        Tensor x = leaf(1);
        Tensor y = x.mul(2f);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad_(false));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
        assertSame(x, x.requiresGrad_(false));
        assertFalse(x.requiresGrad());
        assertFalse(x.mul(2f).requiresGrad());
    }

    @Test
    void isLeafIsTrueExactlyForTensorsNotProducedByARecordedOp() {
        Tensor x = leaf(1);
        assertTrue(x.isLeaf());
        assertTrue(Tensor.of(1).isLeaf());
        assertFalse(x.mul(2f).isLeaf());
        assertFalse(x.reshape().isLeaf());
        assertTrue(Tensor.of(1).mul(2f).isLeaf(), "an op on tensors without grad records nothing");
        assertTrue(x.mul(2f).detach().isLeaf());
    }

    @Test
    void anOpRecordsOnlyWhenAnInputRequiresGrad() {
        Tensor x = leaf(1, 2);
        Tensor c = Tensor.of(3, 4);
        Tensor y = c.mul(x);
        assertTrue(y.requiresGrad());
        assertNotNull(y.gradFn());
        y.sum().backward();
        assertGrad(new float[] {3, 4}, x);
        assertNull(c.grad());
    }

    // ------------------------------------------------------------------ in-place after save

    @Test
    void modifyingASavedTensorInPlaceMakesBackwardThrow() {
        Tensor x = leaf(1, 2);
        Tensor w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        try (NoGrad ignored = Tensor.noGrad()) {
            x.add_(1f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("inplace"), e.getMessage());
    }

    @Test
    void modifyingASavedOutputInPlaceMakesBackwardThrow() {
        Tensor x = leaf(0.5f, 1);
        Tensor e = x.exp();
        Tensor y = e.sum();
        try (NoGrad ignored = Tensor.noGrad()) {
            e.mul_(2f);
        }
        IllegalStateException ex = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(ex.getMessage().contains("inplace"), ex.getMessage());
    }

    @Test
    void modifyingASavedTensorThroughAViewMakesBackwardThrow() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor q = leaf(1, 1, 1, 1);
        Tensor h = x.mul(2f);
        Tensor v = h.reshape(4);
        Tensor y = v.mul(q).sum();
        try (NoGrad ignored = Tensor.noGrad()) {
            h.add_(1f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("inplace"), e.getMessage());
    }

    @Test
    void modifyingATensorThatNoNodeSavedIsAllowed() {
        Tensor x = leaf(1, 2);
        Tensor y = x.add(1f).sum();
        try (NoGrad ignored = Tensor.noGrad()) {
            x.mul_(5f);
        }
        y.backward();
        assertGrad(new float[] {1, 1}, x);
    }

    // ------------------------------------------------------------------ deep graphs

    @Test
    void aChainOf20000OpsBackpropagatesOnASmallStack() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Float> grad = new AtomicReference<>();
        // 64 KiB of stack: a recursive backward or topological sort would overflow long before 20000 nodes
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = leaf(0.5f);
                Tensor y = x;
                for (int i = 0; i < 10_000; i++) {
                    y = y.mul(1.0001f).add(0.001f);
                }
                y.sum().backward();
                grad.set(x.grad().item());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-chain", 64 * 1024);
        t.start();
        t.join();
        assertNull(failure.get(), () -> "backward failed: " + failure.get());
        // y = s^10000 x + ..., dy/dx = s^10000 with s = 1.0001f (≈ e^1.0 ≈ 2.718); float32 products
        // of 10000 factors drift by at most ~1e-3 relative
        double expected = Math.pow(1.0001f, 10_000);
        assertEquals(expected, grad.get(), expected * 1e-3);
    }

    @Test
    void aWideGraphSumsManyUsesOfOneLeaf() {
        Tensor x = leaf(2);
        Tensor acc = x.mul(0f);
        for (int i = 1; i <= 100; i++) {
            acc = acc.add(x.mul((float) i));
        }
        // d/dx sum_i i x = 1 + 2 + ... + 100 = 5050
        acc.backward();
        assertGrad(new float[] {5050}, x);
    }

    @Test
    void gradientsFlowThroughShapeOpsIntoTheRightElements() {
        Tensor x = Tensor.arange(6).reshape(2, 3).requiresGrad_(true);
        // L = 1 * x[:, 2] summed + 10 * x[1, :] summed: x[1,2] gets 11, x[0,2] 1, x[1,0..1] 10
        Tensor l = x.select(1, -1).sum().add(x.select(0, 1).mul(10f).sum());
        l.backward();
        assertGrad(new float[] {0, 0, 1, 10, 10, 11}, x);
        x.setGrad(null);
        // cat(x, x^T flattened) weights: first copy 1, second copy 2 -> every element 3
        List<Tensor> parts = List.of(x.flatten(), x.t().flatten().mul(2f));
        Tensor.cat(parts, 0).sum().backward();
        assertGrad(new float[] {3, 3, 3, 3, 3, 3}, x);
    }
}
