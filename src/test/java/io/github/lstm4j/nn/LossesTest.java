package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.testing.GradCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L1, Huber, smooth L1, cross-entropy and BCE-with-logits losses: hand-worked values, the fused
 * kernels against plain textbook formulas over many shapes and options, numerical stability,
 * every gradient against finite differences, and the error messages. PyTorch's own numbers are
 * checked by PyTorchExtraParityTest.
 */
class LossesTest {

    /** A leaf requiring grad. */
    private static Tensor leaf(float[] values, int... shape) {
        return Tensor.of(values, shape).requiresGrad_(true);
    }

    /**
     * Predictions {@code target + d} where every |d| lies in [0.1, 2.5) and at least 0.05 from each
     * kink: finite differences with step 1e-2 never straddle one.
     */
    private static Tensor[] regressionPair(Generator gen, float[] kinks, int... shape) {
        Tensor target = GradCheck.uniform(gen, -1f, 1f, shape);
        float[] t = target.data();
        float[] p = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            float d;
            do {
                d = 0.1f + 2.4f * gen.nextFloat();
            } while (near(d, kinks));
            p[i] = t[i] + (gen.nextFloat() < 0.5f ? -d : d);
        }
        return new Tensor[] {leaf(p, shape), target};
    }

    private static boolean near(float d, float[] kinks) {
        for (float k : kinks) {
            if (Math.abs(d - k) < 0.05f) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ L1

    @Test
    void l1ReductionsMatchHandComputedValues() {
        Tensor pred = Tensor.of(1f, 2f, 4f);
        Tensor target = Tensor.of(0f, 2f, 6f);
        // absolute errors 1, 0, 2
        assertEquals(1f, new L1Loss().forward(pred, target).item(), 1e-6f);
        assertEquals(3f, new L1Loss(Reduction.SUM).forward(pred, target).item(), 1e-6f);
        assertArrayEquals(new float[] {1f, 0f, 2f}, new L1Loss(Reduction.NONE).forward(pred, target).data());
    }

    @Test
    void l1GradientIsSignOverNAndZeroWhereEqual() {
        Tensor pred = leaf(new float[] {1f, 2f, 4f}, 3);
        Tensor target = leaf(new float[] {0f, 2f, 6f}, 3);
        new L1Loss().forward(pred, target).backward();
        assertArrayEquals(new float[] {1f / 3f, 0f, -1f / 3f}, pred.grad().data(), 1e-7f);
        assertArrayEquals(new float[] {-1f / 3f, 0f, 1f / 3f}, target.grad().data(), 1e-7f);
    }

    @Test
    void l1GradientsMatchFiniteDifferences() {
        Generator gen = new Generator(11);
        for (Reduction r : Reduction.values()) {
            Tensor[] pt = regressionPair(gen, new float[0], 3, 4);
            L1Loss loss = new L1Loss(r);
            GradCheck.check("L1Loss " + r, in -> loss.forward(in[0], in[1]), pt);
        }
    }

    @Test
    void regressionLossesRejectShapesThatDoNotBroadcastNamingBoth() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        for (String msg : List.of(
                assertThrows(IllegalArgumentException.class, () -> new L1Loss().forward(a, b)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> new HuberLoss().forward(a, b)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss().forward(a, b)).getMessage())) {
            assertTrue(msg.contains("[2, 3]") && msg.contains("[4]"), msg);
        }
    }

    // ------------------------------------------------------------------ Huber and smooth L1

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        Tensor pred = Tensor.of(0.5f, -3f, 2f);
        Tensor target = Tensor.zeros(3);
        HuberLoss huber = new HuberLoss(Reduction.NONE, 2f);
        // |d| = 0.5 < 2: 0.5 * 0.25 = 0.125; |d| = 3: 2 * (3 - 1) = 4; |d| = 2 (boundary, linear): 2 * (2 - 1) = 2
        assertArrayEquals(new float[] {0.125f, 4f, 2f}, huber.forward(pred, target).data(), 1e-6f);
        assertEquals((0.125f + 4f + 2f) / 3f, new HuberLoss(Reduction.MEAN, 2f).forward(pred, target).item(), 1e-6f);
        // default delta 1: 0.125, 2.5, 1.5
        assertEquals(4.125f, new HuberLoss(Reduction.SUM).forward(pred, target).item(), 1e-6f);
    }

    @Test
    void huberGradientIsClampedDifference() {
        Tensor pred = leaf(new float[] {0.5f, -3f, 2.5f}, 3);
        new HuberLoss(Reduction.SUM, 2f).forward(pred, Tensor.zeros(3)).backward();
        assertArrayEquals(new float[] {0.5f, -2f, 2f}, pred.grad().data(), 1e-7f);
    }

    @Test
    void smoothL1IsHuberOverBetaAndL1AtBetaZero() {
        Generator gen = new Generator(5);
        Tensor pred = Tensor.randn(gen, 4, 5).mul(2f);
        Tensor target = Tensor.randn(gen, 4, 5);
        for (float beta : new float[] {0.3f, 1f, 2.5f}) {
            float[] smooth = new SmoothL1Loss(Reduction.NONE, beta).forward(pred, target).data();
            float[] huber = new HuberLoss(Reduction.NONE, beta).forward(pred, target).data();
            for (int i = 0; i < smooth.length; i++) {
                assertEquals(huber[i] / beta, smooth[i], 1e-5f * (1 + Math.abs(smooth[i])), "beta " + beta + " at " + i);
            }
        }
        assertArrayEquals(new L1Loss(Reduction.NONE).forward(pred, target).data(),
            new SmoothL1Loss(Reduction.NONE, 0f).forward(pred, target).data(), 1e-6f);
        // hand values, beta 1: |d| = 0.5 -> 0.125; |d| = 3 -> 2.5
        assertArrayEquals(new float[] {0.125f, 2.5f},
            new SmoothL1Loss(Reduction.NONE).forward(Tensor.of(0.5f, 3f), Tensor.zeros(2)).data(), 1e-6f);
    }

    @Test
    void smoothL1WithBetaZeroHasZeroGradientWhereEqual() {
        Tensor pred = leaf(new float[] {1f, 0f, -2f}, 3);
        new SmoothL1Loss(Reduction.SUM, 0f).forward(pred, Tensor.zeros(3)).backward();
        assertArrayEquals(new float[] {1f, 0f, -1f}, pred.grad().data());
    }

    @Test
    void huberAndSmoothL1GradientsMatchFiniteDifferences() {
        Generator gen = new Generator(12);
        for (Reduction r : Reduction.values()) {
            for (float k : new float[] {0.5f, 1f, 2f}) {
                HuberLoss huber = new HuberLoss(r, k);
                GradCheck.check("HuberLoss " + r + " delta " + k, in -> huber.forward(in[0], in[1]),
                    regressionPair(gen, new float[] {k}, 2, 5));
                SmoothL1Loss smooth = new SmoothL1Loss(r, k);
                GradCheck.check("SmoothL1Loss " + r + " beta " + k, in -> smooth.forward(in[0], in[1]),
                    regressionPair(gen, new float[] {k}, 2, 5));
            }
            SmoothL1Loss l1 = new SmoothL1Loss(r, 0f);
            GradCheck.check("SmoothL1Loss beta 0 " + r, in -> l1.forward(in[0], in[1]), regressionPair(gen, new float[0], 7));
        }
    }

    @Test
    void huberAndSmoothL1RejectBadThresholdsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HuberLoss(Reduction.MEAN, 0f))
            .getMessage().contains("delta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HuberLoss(Reduction.MEAN, Float.NaN))
            .getMessage().contains("delta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss(Reduction.MEAN, -0.5f))
            .getMessage().contains("-0.5"));
    }

    // ------------------------------------------------------------------ cross entropy

    /**
     * The textbook definition, in double with plain loops and no stabilisation: per position,
     * {@code p = softmax(z)}, {@code l = (1 - eps) (-w_t log p_t) + eps/C (-sum w_c log p_c)}, 0 where
     * ignored; mean divides by the sum of {@code w_t} over positions not ignored.
     */
    private static double[] referenceCrossEntropy(float[] z, int[] shape, int[] target, float[] w, int ignore,
            float eps, Reduction reduction) {
        int n = shape.length == 1 ? 1 : shape[0];
        int c = shape.length == 1 ? shape[0] : shape[1];
        int inner = 1;
        for (int i = 2; i < shape.length; i++) {
            inner *= shape[i];
        }
        double[] l = new double[n * inner];
        double sum = 0;
        double weightSum = 0;
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < inner; k++) {
                int t = target[b * inner + k];
                if (t == ignore) {
                    continue;
                }
                double denom = 0;
                for (int j = 0; j < c; j++) {
                    denom += Math.exp(z[(b * c + j) * inner + k]);
                }
                double smooth = 0;
                for (int j = 0; j < c; j++) {
                    smooth -= (w == null ? 1 : w[j]) * Math.log(Math.exp(z[(b * c + j) * inner + k]) / denom);
                }
                double wt = w == null ? 1 : w[t];
                double nll = -wt * Math.log(Math.exp(z[(b * c + t) * inner + k]) / denom);
                l[b * inner + k] = (1 - eps) * nll + eps / c * smooth;
                sum += l[b * inner + k];
                weightSum += wt;
            }
        }
        if (reduction == Reduction.NONE) {
            return l;
        }
        return new double[] {reduction == Reduction.SUM ? sum : sum / weightSum};
    }

    @Test
    void crossEntropyMatchesHandComputedValues() {
        // row 0: logits (1, 2, 3), class 2: -log(e^3 / (e + e^2 + e^3)) = log(1 + e^-1 + e^-2)
        // row 1: logits (1, 1, 1), class 0: log 3
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 1, 1, 1}, 2, 3);
        Tensor target = Tensor.of(2f, 0f);
        double l0 = Math.log(1 + Math.exp(-1) + Math.exp(-2));
        double l1 = Math.log(3);
        assertArrayEquals(new float[] {(float) l0, (float) l1},
            new CrossEntropyLoss(Reduction.NONE).forward(logits, target).data(), 1e-6f);
        assertEquals((float) ((l0 + l1) / 2), new CrossEntropyLoss().forward(logits, target).item(), 1e-6f);
        // weights (1, 1, 4): weighted mean = (4 l0 + 1 l1) / (4 + 1)
        CrossEntropyLoss weighted = CrossEntropyLoss.builder().weight(Tensor.of(1f, 1f, 4f)).build();
        assertEquals((float) ((4 * l0 + l1) / 5), weighted.forward(logits, target).item(), 1e-6f);
        // ignoring class 0 leaves row 0 alone in the mean
        CrossEntropyLoss ignoring = CrossEntropyLoss.builder().ignoreIndex(0).build();
        assertEquals((float) l0, ignoring.forward(logits, target).item(), 1e-6f);
    }

    @Test
    void crossEntropyLabelSmoothingMatchesHandComputedValue() {
        // logits (0, ln 3): p = (1/4, 3/4); target 1; eps 0.2, C = 2:
        // l = 0.8 * -log(3/4) + 0.1 * (-log(1/4) - log(3/4))
        Tensor logits = Tensor.of(new float[] {0f, (float) Math.log(3)}, 1, 2);
        double expected = 0.8 * -Math.log(0.75) + 0.1 * (-Math.log(0.25) - Math.log(0.75));
        CrossEntropyLoss ce = CrossEntropyLoss.builder().labelSmoothing(0.2f).build();
        assertEquals((float) expected, ce.forward(logits, Tensor.of(1f)).item(), 1e-6f);
    }

    @Test
    void crossEntropyMatchesTextbookFormulaOverShapesAndOptions() {
        Generator gen = new Generator(21);
        int[][] shapes = {{3}, {1, 1}, {4, 1}, {5, 2}, {3, 7}, {2, 3, 4}, {2, 5, 3, 2}, {1, 4, 1, 1}};
        for (int[] shape : shapes) {
            for (boolean weighted : new boolean[] {false, true}) {
                for (int ignore : new int[] {-100, 0}) {
                    for (float eps : new float[] {0f, 0.1f, 1f}) {
                        for (Reduction r : Reduction.values()) {
                            int c = shape.length == 1 ? shape[0] : shape[1];
                            Tensor logits = Tensor.randn(gen, shape).mul(2f);
                            int[] tShape = shape.length == 1 ? new int[0] : targetShape(shape);
                            int count = Math.max(1, Arrays.stream(tShape).reduce(1, (a, b) -> a * b));
                            int[] t = new int[count];
                            float[] tf = new float[count];
                            for (int i = 0; i < count; i++) {
                                t[i] = gen.nextInt(c);
                                tf[i] = t[i];
                            }
                            Tensor w = weighted ? Tensor.uniform(gen, 0.2f, 2f, c) : null;
                            CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(w).ignoreIndex(ignore)
                                .labelSmoothing(eps).reduction(r).build();
                            float[] got = ce.forward(logits, Tensor.of(tf, tShape)).data();
                            double[] want = referenceCrossEntropy(logits.data(), shape, t, w == null ? null : w.data(),
                                ignore, eps, r);
                            String what = Arrays.toString(shape) + " weighted=" + weighted + " ignore=" + ignore
                                + " eps=" + eps + " " + r;
                            assertEquals(want.length, got.length, what);
                            for (int i = 0; i < got.length; i++) {
                                if (Double.isNaN(want[i])) {
                                    assertTrue(Float.isNaN(got[i]), what);
                                } else {
                                    assertEquals(want[i], got[i], 1e-5 + 1e-5 * Math.abs(want[i]), what + " at " + i);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int[] targetShape(int[] inputShape) {
        int[] t = new int[inputShape.length - 1];
        t[0] = inputShape[0];
        System.arraycopy(inputShape, 2, t, 1, inputShape.length - 2);
        return t;
    }

    @Test
    void crossEntropyGradientsMatchFiniteDifferences() {
        Generator gen = new Generator(22);
        Object[][] configs = {
            {new int[] {4, 3}, null, -100, 0f, Reduction.MEAN},
            {new int[] {5, 4}, Tensor.of(0.5f, 2f, 1f, 1.5f), -100, 0.2f, Reduction.MEAN},
            {new int[] {5, 4}, Tensor.of(0.5f, 2f, 1f, 1.5f), 1, 0.3f, Reduction.SUM},
            {new int[] {3, 3, 2}, Tensor.of(1f, 0.3f, 2f), 2, 0.1f, Reduction.NONE},
            {new int[] {2, 3, 2, 2}, null, 0, 0.5f, Reduction.MEAN},
            {new int[] {6}, null, -100, 0.1f, Reduction.MEAN},
        };
        for (Object[] cfg : configs) {
            int[] shape = (int[]) cfg[0];
            int c = shape.length == 1 ? shape[0] : shape[1];
            Tensor logits = GradCheck.uniform(gen, -2f, 2f, shape);
            int[] tShape = shape.length == 1 ? new int[0] : targetShape(shape);
            Tensor target = Tensor.zeros(tShape);
            for (int i = 0; i < target.numel(); i++) {
                target.data()[i] = gen.nextInt(c);
            }
            CrossEntropyLoss ce = CrossEntropyLoss.builder().weight((Tensor) cfg[1]).ignoreIndex((Integer) cfg[2])
                .labelSmoothing((Float) cfg[3]).reduction((Reduction) cfg[4]).build();
            GradCheck.check("CrossEntropyLoss " + Arrays.toString(shape) + " " + ce, in -> ce.forward(in[0], target),
                logits);
        }
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor logits = leaf(new float[] {1000f, 0f, -1000f, 0f, 500f, 500f}, 2, 3);
        Tensor target = Tensor.of(1f, 2f);
        Tensor loss = new CrossEntropyLoss(Reduction.NONE).forward(logits, target);
        // row 0: 1000 - 0; row 1: log(e^500 + e^500) - 500 = log 2
        assertArrayEquals(new float[] {1000f, (float) Math.log(2)}, loss.data(), 1e-4f);
        loss.sum().backward();
        for (float g : logits.grad().data()) {
            assertTrue(Float.isFinite(g), Arrays.toString(logits.grad().data()));
        }
        assertArrayEquals(new float[] {1f, -1f, 0f, 0f, 0.5f, -0.5f}, logits.grad().data(), 1e-6f);
    }

    @Test
    void crossEntropyIgnoredPositionsGetNoGradientAndAllIgnoredMeanIsNaN() {
        Tensor logits = leaf(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        new CrossEntropyLoss().forward(logits, Tensor.of(-100f, 1f)).backward();
        float[] g = logits.grad().data();
        assertArrayEquals(new float[] {0f, 0f, 0f}, Arrays.copyOfRange(g, 0, 3));
        assertTrue(Math.abs(g[4]) > 0.1f);
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(logits, Tensor.of(-100f, -100f)).item()));
        assertEquals(0f, new CrossEntropyLoss(Reduction.SUM).forward(logits, Tensor.of(-100f, -100f)).item());
    }

    @Test
    void crossEntropyRejectsBadTargetsNamingValueAndPosition() {
        Tensor logits = Tensor.zeros(2, 3, 2);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        String outOfRange = assertThrows(IllegalArgumentException.class,
            () -> ce.forward(logits, Tensor.of(new float[] {0, 1, 2, 3}, 2, 2))).getMessage();
        assertTrue(outOfRange.contains("target 3") && outOfRange.contains("[1, 1]") && outOfRange.contains("[0, 3)"),
            outOfRange);
        String negative = assertThrows(IllegalArgumentException.class,
            () -> ce.forward(logits, Tensor.of(new float[] {0, -1, 2, 1}, 2, 2))).getMessage();
        assertTrue(negative.contains("-1") && negative.contains("[0, 1]"), negative);
        String fraction = assertThrows(IllegalArgumentException.class,
            () -> ce.forward(logits, Tensor.of(new float[] {0, 1, 1.5f, 1}, 2, 2))).getMessage();
        assertTrue(fraction.contains("1.5") && fraction.contains("[1, 0]"), fraction);
    }

    @Test
    void crossEntropyRejectsBadShapesAndOptionsNamingThem() {
        CrossEntropyLoss ce = new CrossEntropyLoss();
        String batch = assertThrows(IllegalArgumentException.class,
            () -> ce.forward(Tensor.zeros(2, 3), Tensor.zeros(3))).getMessage();
        assertTrue(batch.contains("[2, 3]") && batch.contains("[2]") && batch.contains("[3]"), batch);
        String probs = assertThrows(IllegalArgumentException.class,
            () -> ce.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3))).getMessage();
        assertTrue(probs.contains("probabilit"), probs);
        assertThrows(IllegalArgumentException.class, () -> ce.forward(Tensor.scalar(1f), Tensor.scalar(0f)));
        String weight = assertThrows(IllegalArgumentException.class,
            () -> CrossEntropyLoss.builder().weight(Tensor.ones(4)).build().forward(Tensor.zeros(2, 3), Tensor.zeros(2)))
            .getMessage();
        assertTrue(weight.contains("3 classes") && weight.contains("[4]"), weight);
        String smoothing = assertThrows(IllegalArgumentException.class,
            () -> CrossEntropyLoss.builder().labelSmoothing(1.5f).build()).getMessage();
        assertTrue(smoothing.contains("1.5"), smoothing);
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.builder().weight(Tensor.ones(2, 2)).build());
    }

    @Test
    void crossEntropyKeepsItsWeightAsStateDictBufferLikePyTorch() {
        CrossEntropyLoss ce = CrossEntropyLoss.builder().weight(Tensor.of(1f, 2f)).build();
        assertEquals(List.of("weight"), List.copyOf(ce.stateDict().keySet()));
        assertTrue(ce.parameters().isEmpty());
        assertTrue(new CrossEntropyLoss().stateDict().isEmpty());
    }

    // ------------------------------------------------------------------ BCE with logits

    @Test
    void bceWithLogitsMatchesNaiveFormulaForModerateLogits() {
        Generator gen = new Generator(31);
        Tensor x = Tensor.randn(gen, 3, 4).mul(3f);
        Tensor y = Tensor.rand(gen, 3, 4);
        Tensor pw = Tensor.of(0.5f, 1f, 2f, 4f);
        Tensor w = Tensor.of(new float[] {1f, 0.5f, 2f}, 3, 1);
        float[] got = BCEWithLogitsLoss.builder().reduction(Reduction.NONE).posWeight(pw).weight(w).build()
            .forward(x, y).data();
        for (int i = 0; i < got.length; i++) {
            double s = 1 / (1 + Math.exp(-x.data()[i]));
            double yi = y.data()[i];
            double want = -w.data()[i / 4] * (pw.data()[i % 4] * yi * Math.log(s) + (1 - yi) * Math.log(1 - s));
            assertEquals(want, got[i], 1e-5 * (1 + Math.abs(want)), "element " + i);
        }
        // x = 0, y = 1: log 2
        assertEquals((float) Math.log(2), new BCEWithLogitsLoss().forward(Tensor.of(0f), Tensor.of(1f)).item(), 1e-7f);
    }

    @Test
    void bceWithLogitsIsStableForHugeLogits() {
        Tensor x = leaf(new float[] {100f, -100f, 100f, -100f}, 4);
        Tensor y = Tensor.of(0f, 1f, 1f, 0f);
        Tensor loss = new BCEWithLogitsLoss(Reduction.NONE, Tensor.of(3f)).forward(x, y);
        // wrong side by 100: 100 (times pos_weight 3 for a positive target); right side: about e^-100
        assertArrayEquals(new float[] {100f, 300f, 0f, 0f}, loss.data(), 1e-5f);
        loss.sum().backward();
        assertArrayEquals(new float[] {1f, -3f, 0f, 0f}, x.grad().data(), 1e-6f);
    }

    @Test
    void bceWithLogitsGradientsMatchFiniteDifferences() {
        Generator gen = new Generator(32);
        for (Reduction r : Reduction.values()) {
            Tensor x = GradCheck.uniform(gen, -3f, 3f, 3, 4);
            Tensor y = GradCheck.uniform(gen, 0f, 1f, 3, 4);
            BCEWithLogitsLoss plain = new BCEWithLogitsLoss(r);
            GradCheck.check("BCEWithLogitsLoss " + r, in -> plain.forward(in[0], in[1]), x, y);
            BCEWithLogitsLoss weighted = BCEWithLogitsLoss.builder().reduction(r)
                .posWeight(Tensor.of(0.5f, 1f, 2f, 3f)).weight(Tensor.of(new float[] {1f, 0.2f, 2f}, 3, 1)).build();
            GradCheck.check("BCEWithLogitsLoss weighted " + r, in -> weighted.forward(in[0], in[1]), x, y);
        }
    }

    @Test
    void bceWithLogitsRejectsMismatchedShapesNamingThem() {
        String msg = assertThrows(IllegalArgumentException.class,
            () -> new BCEWithLogitsLoss().forward(Tensor.zeros(2, 3), Tensor.zeros(3))).getMessage();
        assertTrue(msg.contains("[2, 3]") && msg.contains("[3]"), msg);
        String pw = assertThrows(IllegalArgumentException.class,
            () -> new BCEWithLogitsLoss(Reduction.MEAN, Tensor.ones(4)).forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3)))
            .getMessage();
        assertTrue(pw.contains("pos_weight") && pw.contains("[4]"), pw);
        String w = assertThrows(IllegalArgumentException.class,
            () -> BCEWithLogitsLoss.builder().weight(Tensor.ones(2, 2, 3)).build()
                .forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3))).getMessage();
        assertTrue(w.contains("weight") && w.contains("[2, 2, 3]"), w);
    }

    @Test
    void bceWithLogitsKeepsWeightsAsBuffersNamedLikePyTorch() {
        BCEWithLogitsLoss bce = BCEWithLogitsLoss.builder().weight(Tensor.ones(3)).posWeight(Tensor.ones(3)).build();
        assertEquals(List.of("weight", "pos_weight"), List.copyOf(bce.stateDict().keySet()));
    }

    @Test
    void lossesWithoutReductionKeepTheInputShape() {
        Tensor a = Tensor.zeros(2, 3, 4);
        Tensor b = Tensor.ones(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, new L1Loss(Reduction.NONE).forward(a, b).shape());
        assertArrayEquals(new int[] {2, 3, 4}, new HuberLoss(Reduction.NONE).forward(a, b).shape());
        assertArrayEquals(new int[] {2, 3, 4}, new SmoothL1Loss(Reduction.NONE).forward(a, b).shape());
        assertArrayEquals(new int[] {2, 3, 4}, new BCEWithLogitsLoss(Reduction.NONE).forward(a, b).shape());
        assertArrayEquals(new int[] {2, 4}, new CrossEntropyLoss(Reduction.NONE).forward(a, Tensor.zeros(2, 4)).shape());
        assertArrayEquals(new int[0], new CrossEntropyLoss().forward(a, Tensor.zeros(2, 4)).shape());
    }
}
