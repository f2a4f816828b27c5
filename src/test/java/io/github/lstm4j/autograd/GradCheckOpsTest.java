package io.github.lstm4j.autograd;

import static io.github.lstm4j.testing.GradCheck.awayFromZero;
import static io.github.lstm4j.testing.GradCheck.distinctMagnitudes;
import static io.github.lstm4j.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.LinearAlgebra;
import io.github.lstm4j.testing.GradCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Every differentiable operation of {@link Tensor}, checked against central finite differences by
 * {@link GradCheck} on seeded random inputs. Inputs stay away from kinks (see {@link GradCheck}):
 * magnitudes of at least 0.1 for abs/relu/norms, positive bases for log/sqrt/pow, divisors of
 * magnitude at least 0.5, and pairwise-distinct values for max/min/maximum.
 */
class GradCheckOpsTest {

    // ------------------------------------------------------------------ shapes

    /** Shape pairs that broadcast: fixed awkward ones plus seeded random ones with size-1 dims. */
    static Stream<Arguments> broadcastPairs() {
        List<Arguments> cases = new ArrayList<>(List.of(
            Arguments.of(new int[] {3, 1, 4}, new int[] {2, 4}),
            Arguments.of(new int[] {4}, new int[] {3, 4}),
            Arguments.of(new int[] {}, new int[] {2, 3}),
            Arguments.of(new int[] {2, 3}, new int[] {}),
            Arguments.of(new int[] {2, 1}, new int[] {1, 3}),
            Arguments.of(new int[] {2, 3}, new int[] {2, 3})));
        Generator gen = new Generator(11);
        for (int c = 0; c < 4; c++) {
            int rank = 1 + gen.nextInt(3);
            int[] full = new int[rank];
            for (int i = 0; i < rank; i++) {
                full[i] = 1 + gen.nextInt(4);
            }
            int[] a = full.clone();
            int[] b = Arrays.copyOfRange(full, gen.nextInt(rank), rank);
            for (int i = 0; i < b.length; i++) {
                if (gen.nextInt(3) == 0) {
                    b[i] = 1;
                } else if (gen.nextInt(3) == 0) {
                    a[a.length - b.length + i] = 1;
                }
            }
            cases.add(gen.nextInt(2) == 0 ? Arguments.of(a, b) : Arguments.of(b, a));
        }
        return cases.stream();
    }

    /** Shapes for elementwise ops: 0-dim, size-1 dims, and seeded random ones. */
    static Stream<int[]> shapes() {
        List<int[]> s = new ArrayList<>(List.of(new int[] {}, new int[] {1}, new int[] {5}, new int[] {2, 1, 3},
            new int[] {1, 4, 1}));
        Generator gen = new Generator(12);
        for (int c = 0; c < 3; c++) {
            int[] shape = new int[1 + gen.nextInt(3)];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = 1 + gen.nextInt(4);
            }
            s.add(shape);
        }
        return s.stream();
    }

    private static Function<Tensor[], Tensor> unary(UnaryOperator<Tensor> op) {
        return in -> op.apply(in[0]);
    }

    private static Function<Tensor[], Tensor> binary(java.util.function.BinaryOperator<Tensor> op) {
        return in -> op.apply(in[0], in[1]);
    }

    // ------------------------------------------------------------------ the checker itself

    @Test
    void gradCheckRejectsAWrongGradientAndNamesTheElement() {
        // y = x^2 with a backward that forgets the factor 2: dy/dx reported as x instead of 2x
        Function<Tensor[], Tensor> wrongSquare = in -> {
            Tensor x = in[0];
            float[] xd = x.data();
            float[] y = new float[xd.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = xd[i] * xd[i];
            }
            if (!Node.isRecording(x)) {
                return Tensor.wrap(y, x.shape());
            }
            Node node = new Node(x) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] r = new float[g[0].length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = g[0][i] * xd[i];
                    }
                    return new float[][] {r};
                }
            };
            return node.output(y, x.shape());
        };
        Tensor x = awayFromZero(new Generator(1), 0.5f, 1f, 2, 3);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
            () -> GradCheck.check("wrongSquare", wrongSquare, x));
        String m = e.getMessage();
        assertTrue(m.contains("wrongSquare") && m.contains("input 0") && m.contains("element 0")
            && m.contains("analytic") && m.contains("numeric"), m);
        // the correct op passes on the same point
        GradCheck.check("square", unary(t -> t.mul(t)), x);
    }

    @Test
    void gradCheckRejectsAGradientRoutedToTheWrongElement() {
        // a "transpose" of a [2,2] whose backward forgets to transpose back: only R reveals it
        Function<Tensor[], Tensor> badTranspose = in -> {
            Tensor x = in[0];
            float[] xd = x.data();
            float[] y = {xd[0], xd[2], xd[1], xd[3]};
            Node node = new Node(x) {
                @Override
                protected float[][] backward(float[][] g) {
                    return new float[][] {g[0].clone()};
                }
            };
            return Node.isRecording(x) ? node.output(y, new int[] {2, 2}) : Tensor.wrap(y, 2, 2);
        };
        Tensor x = uniform(new Generator(2), -1f, 1f, 2, 2);
        assertThrows(AssertionFailedError.class, () -> GradCheck.check("badTranspose", badTranspose, x));
    }

    // ------------------------------------------------------------------ binary with broadcasting

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("broadcastPairs")
    void addBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(21);
        GradCheck.check("add", binary(Tensor::add), uniform(gen, -1f, 1f, a), uniform(gen, -1f, 1f, b));
    }

    @ParameterizedTest(name = "{0} - {1}")
    @MethodSource("broadcastPairs")
    void subBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(22);
        GradCheck.check("sub", binary(Tensor::sub), uniform(gen, -1f, 1f, a), uniform(gen, -1f, 1f, b));
    }

    @ParameterizedTest(name = "{0} * {1}")
    @MethodSource("broadcastPairs")
    void mulBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(23);
        GradCheck.check("mul", binary(Tensor::mul), uniform(gen, -1f, 1f, a), uniform(gen, -1f, 1f, b));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("broadcastPairs")
    void divBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(24);
        GradCheck.check("div", binary(Tensor::div), uniform(gen, -1f, 1f, a), awayFromZero(gen, 0.5f, 1.5f, b));
    }

    @ParameterizedTest(name = "{0} ^ {1}")
    @MethodSource("broadcastPairs")
    void powBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(25);
        GradCheck.check("pow", binary(Tensor::pow), uniform(gen, 0.5f, 2f, a), uniform(gen, -1.5f, 2f, b));
    }

    @ParameterizedTest(name = "maximum({0}, {1})")
    @MethodSource("broadcastPairs")
    @SuppressWarnings("try")
    void maximumBroadcastGradientsMatchFiniteDifferences(int[] a, int[] b) {
        // after scaling, magnitudes of a are 0.2 + 0.1k and of b 0.25 + 0.1k: every pair differs by >= 0.05
        Generator gen = new Generator(26);
        Tensor x = distinctMagnitudes(gen, a);
        Tensor y = distinctMagnitudes(gen, b);
        try (NoGrad ignored = GradMode.noGrad()) {
            x.mul_(2f);
            y.mul_(2f);
            float[] yd = y.data();
            for (int i = 0; i < yd.length; i++) {
                yd[i] += Math.signum(yd[i]) * 0.05f;
            }
        }
        GradCheck.check("maximum", binary(Tensor::maximum), x, y);
    }

    @Test
    void binaryOpsWithOnlyOneInputRequiringGradMatchFiniteDifferences() {
        Generator gen = new Generator(27);
        Tensor a = uniform(gen, 0.5f, 1.5f, 3, 1, 4);
        Tensor b = Tensor.uniform(gen, 0.5f, 1.5f, 2, 4);
        GradCheck.check("mul(a, const)", binary(Tensor::mul), a, b);
        GradCheck.check("div(a, const)", binary(Tensor::div), a, b);
        GradCheck.check("pow(a, const)", binary(Tensor::pow), a, b);
        GradCheck.check("div(const, b)", in -> b.div(in[0]), a);
        GradCheck.check("pow(const, b)", in -> b.pow(in[0]), a);
    }

    @Test
    void mulOfATensorWithItselfGetsBothPaths() {
        Tensor x = uniform(new Generator(28), -1f, 1f, 2, 3);
        GradCheck.check("x*x", unary(t -> t.mul(t)), x);
        GradCheck.check("x/x+x-x", unary(t -> t.div(t.add(2f)).add(t).sub(t.mul(t))), x);
    }

    // ------------------------------------------------------------------ scalar forms and unary

    @ParameterizedTest(name = "shape {0}")
    @MethodSource("shapes")
    void scalarArithmeticGradientsMatchFiniteDifferences(int[] shape) {
        Generator gen = new Generator(31);
        Tensor x = awayFromZero(gen, 0.5f, 1.5f, shape);
        Tensor pos = uniform(gen, 0.5f, 2f, shape);
        GradCheck.check("add(s)", unary(t -> t.add(0.7f)), x);
        GradCheck.check("sub(s)", unary(t -> t.sub(0.7f)), x);
        GradCheck.check("mul(s)", unary(t -> t.mul(-1.3f)), x);
        GradCheck.check("div(s)", unary(t -> t.div(0.4f)), x);
        GradCheck.check("rsub", unary(t -> t.rsub(2.5f)), x);
        GradCheck.check("rdiv", unary(t -> t.rdiv(-1.5f)), x);
        GradCheck.check("neg", unary(Tensor::neg), x);
        GradCheck.check("pow(2)", unary(t -> t.pow(2f)), x);
        GradCheck.check("pow(3)", unary(t -> t.pow(3f)), x);
        GradCheck.check("pow(0)", unary(t -> t.pow(0f)), x);
        GradCheck.check("pow(0.5)", unary(t -> t.pow(0.5f)), pos);
        GradCheck.check("pow(-1.5)", unary(t -> t.pow(-1.5f)), pos);
    }

    @ParameterizedTest(name = "shape {0}")
    @MethodSource("shapes")
    void smoothUnaryGradientsMatchFiniteDifferences(int[] shape) {
        Generator gen = new Generator(32);
        Tensor x = uniform(gen, -2f, 2f, shape);
        Tensor pos = uniform(gen, 0.5f, 2f, shape);
        GradCheck.check("exp", unary(Tensor::exp), x);
        GradCheck.check("tanh", unary(Tensor::tanh), x);
        GradCheck.check("sigmoid", unary(Tensor::sigmoid), x);
        GradCheck.check("log", unary(Tensor::log), pos);
        GradCheck.check("sqrt", unary(Tensor::sqrt), pos);
        GradCheck.check("cloneTensor", unary(Tensor::cloneTensor), x);
    }

    @ParameterizedTest(name = "shape {0}")
    @MethodSource("shapes")
    void kinkedUnaryGradientsMatchFiniteDifferencesAwayFromTheKink(int[] shape) {
        Generator gen = new Generator(33);
        Tensor x = awayFromZero(gen, 0.1f, 1.5f, shape);
        GradCheck.check("abs", unary(Tensor::abs), x);
        GradCheck.check("relu", unary(Tensor::relu), x);
    }

    @Test
    void clampGradientsMatchFiniteDifferencesWithBothOrOneBound() {
        Generator gen = new Generator(34);
        Tensor x = uniform(gen, -1.5f, 1.5f, 4, 5);
        float lo = -0.5f;
        float hi = 0.6f;
        // push every value at least 0.05 from both bounds (bounds are 1.1 apart, so one push suffices)
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i] - lo) < 0.05f || Math.abs(d[i] - hi) < 0.05f) {
                d[i] += 0.1f;
            }
        }
        GradCheck.check("clamp(lo, hi)", unary(t -> t.clamp(lo, hi)), x);
        GradCheck.check("clamp(lo, NaN)", unary(t -> t.clamp(lo, Float.NaN)), x);
        GradCheck.check("clamp(NaN, hi)", unary(t -> t.clamp(Float.NaN, hi)), x);
    }

    // ------------------------------------------------------------------ reductions

    static Stream<Arguments> sumAndMeanCases() {
        return Stream.of(
            Arguments.of("sum()", (UnaryOperator<Tensor>) Tensor::sum),
            Arguments.of("sum(0)", (UnaryOperator<Tensor>) t -> t.sum(0, false)),
            Arguments.of("sum(-1, keepdim)", (UnaryOperator<Tensor>) t -> t.sum(-1, true)),
            Arguments.of("sum([0, 2])", (UnaryOperator<Tensor>) t -> t.sum(new int[] {0, 2}, false)),
            Arguments.of("sum([-1, -3], keepdim)", (UnaryOperator<Tensor>) t -> t.sum(new int[] {-1, -3}, true)),
            Arguments.of("sum([1], size-1 dim)", (UnaryOperator<Tensor>) t -> t.sum(1, false)),
            Arguments.of("mean()", (UnaryOperator<Tensor>) Tensor::mean),
            Arguments.of("mean(1)", (UnaryOperator<Tensor>) t -> t.mean(1, false)),
            Arguments.of("mean(-2, keepdim)", (UnaryOperator<Tensor>) t -> t.mean(-2, true)),
            Arguments.of("mean([0, -1])", (UnaryOperator<Tensor>) t -> t.mean(new int[] {0, -1}, false)),
            Arguments.of("mean([2, 0], keepdim)", (UnaryOperator<Tensor>) t -> t.mean(new int[] {2, 0}, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sumAndMeanCases")
    void sumAndMeanGradientsMatchFiniteDifferences(String name, UnaryOperator<Tensor> op) {
        Generator gen = new Generator(41);
        GradCheck.check(name + " of [2,3,4]", unary(op), uniform(gen, -1f, 1f, 2, 3, 4));
        GradCheck.check(name + " of [3,1,2]", unary(op), uniform(gen, -1f, 1f, 3, 1, 2));
    }

    static Stream<Arguments> maxMinCases() {
        return Stream.of(
            Arguments.of("max()", (UnaryOperator<Tensor>) Tensor::max),
            Arguments.of("min()", (UnaryOperator<Tensor>) Tensor::min),
            Arguments.of("max(0)", (UnaryOperator<Tensor>) t -> t.max(0, false)),
            Arguments.of("max(-1, keepdim)", (UnaryOperator<Tensor>) t -> t.max(-1, true)),
            Arguments.of("min(1)", (UnaryOperator<Tensor>) t -> t.min(1, false)),
            Arguments.of("min(-3, keepdim)", (UnaryOperator<Tensor>) t -> t.min(-3, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxMinCases")
    void maxAndMinGradientsMatchFiniteDifferencesWithoutTies(String name, UnaryOperator<Tensor> op) {
        Generator gen = new Generator(42);
        GradCheck.check(name + " of [2,3,4]", unary(op), distinctMagnitudes(gen, 2, 3, 4));
        GradCheck.check(name + " of [3,1,2]", unary(op), distinctMagnitudes(gen, 3, 1, 2));
    }

    static Stream<Arguments> normCases() {
        List<Arguments> cases = new ArrayList<>();
        for (double p : new double[] {2, 1, 3, Double.POSITIVE_INFINITY}) {
            cases.add(Arguments.of("norm(" + p + ")", p, null, false));
            cases.add(Arguments.of("norm(" + p + ", [1])", p, new int[] {1}, false));
            cases.add(Arguments.of("norm(" + p + ", [-1], keepdim)", p, new int[] {-1}, true));
            cases.add(Arguments.of("norm(" + p + ", [0, 2])", p, new int[] {0, 2}, false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normCases")
    void normGradientsMatchFiniteDifferences(String name, double p, int[] dims, boolean keepdim) {
        Generator gen = new Generator(43);
        Tensor x = distinctMagnitudes(gen, 2, 3, 4);
        UnaryOperator<Tensor> op = dims == null ? t -> t.norm(p) : t -> t.norm(p, dims, keepdim);
        GradCheck.check(name, unary(op), x);
        if (dims == null && p == 2) {
            GradCheck.check("norm()", unary(Tensor::norm), x);
        }
    }

    // ------------------------------------------------------------------ linear algebra

    static Stream<Arguments> matmulShapes() {
        return Stream.of(
            Arguments.of(new int[] {4}, new int[] {4}),
            Arguments.of(new int[] {2, 3}, new int[] {3, 4}),
            Arguments.of(new int[] {3}, new int[] {3, 4}),
            Arguments.of(new int[] {2, 3}, new int[] {3}),
            Arguments.of(new int[] {2, 2, 3}, new int[] {2, 3, 4}),
            Arguments.of(new int[] {2, 2, 3}, new int[] {3, 4}),
            Arguments.of(new int[] {2, 1, 3, 4}, new int[] {5, 4, 2}),
            Arguments.of(new int[] {3}, new int[] {2, 3, 4}),
            Arguments.of(new int[] {2, 2, 3}, new int[] {3}),
            Arguments.of(new int[] {1, 2, 3}, new int[] {3, 3, 1}));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("matmulShapes")
    void matmulGradientsMatchFiniteDifferences(int[] a, int[] b) {
        Generator gen = new Generator(51);
        GradCheck.check("matmul", binary(Tensor::matmul), uniform(gen, -1f, 1f, a), uniform(gen, -1f, 1f, b));
    }

    @Test
    void matmulWithOnlyOneOperandRequiringGradMatchesFiniteDifferences() {
        Generator gen = new Generator(52);
        Tensor a = uniform(gen, -1f, 1f, 2, 1, 3, 4);
        Tensor b = Tensor.uniform(gen, -1f, 1f, 5, 4, 2);
        GradCheck.check("matmul(a, const)", binary(Tensor::matmul), a, b);
        GradCheck.check("matmul(const, b)", in -> b.transpose(-1, -2).matmul(in[0].transpose(-1, -2)), a);
    }

    @Test
    void linearWithAndWithoutBiasMatchesFiniteDifferencesOn2dAnd3dInput() {
        Generator gen = new Generator(53);
        Tensor w = uniform(gen, -1f, 1f, 5, 3);
        Tensor b = uniform(gen, -1f, 1f, 5);
        Tensor x2 = uniform(gen, -1f, 1f, 4, 3);
        Tensor x3 = uniform(gen, -1f, 1f, 2, 4, 3);
        Tensor x1 = uniform(gen, -1f, 1f, 3);
        GradCheck.check("linear 2-D with bias", in -> LinearAlgebra.linear(in[0], in[1], in[2]), x2, w, b);
        GradCheck.check("linear 3-D with bias", in -> LinearAlgebra.linear(in[0], in[1], in[2]), x3, w, b);
        GradCheck.check("linear 2-D without bias", in -> LinearAlgebra.linear(in[0], in[1], null), x2, w);
        GradCheck.check("linear 3-D without bias", in -> LinearAlgebra.linear(in[0], in[1], null), x3, w);
        GradCheck.check("linear 1-D with bias", in -> LinearAlgebra.linear(in[0], in[1], in[2]), x1, w, b);
        Tensor constW = w.detach();
        GradCheck.check("linear, only x", in -> LinearAlgebra.linear(in[0], constW, null), x3);
    }

    // ------------------------------------------------------------------ shape ops

    @Test
    void viewLikeOpsPassGradientsThrough() {
        Generator gen = new Generator(61);
        Tensor x = uniform(gen, -1f, 1f, 2, 3, 4);
        GradCheck.check("reshape(-1, 4)", unary(t -> t.reshape(-1, 4)), x);
        GradCheck.check("view(4, 6)", unary(t -> t.view(4, 6)), x);
        GradCheck.check("flatten", unary(Tensor::flatten), x);
        GradCheck.check("reshape then mul", unary(t -> t.reshape(6, 4).mul(t.reshape(6, 4))), x);
        Tensor y = uniform(gen, -1f, 1f, 1, 3, 1, 2);
        GradCheck.check("squeeze()", unary(Tensor::squeeze), y);
        GradCheck.check("squeeze(2)", unary(t -> t.squeeze(2)), y);
        GradCheck.check("squeeze(-1) of size 2 (no-op)", unary(t -> t.squeeze(-1)), y);
        GradCheck.check("unsqueeze(-1)", unary(t -> t.unsqueeze(-1)), x);
        GradCheck.check("unsqueeze(0)", unary(t -> t.unsqueeze(0)), x);
    }

    @Test
    void transposeAndPermuteRouteGradientsBack() {
        Generator gen = new Generator(62);
        Tensor x = uniform(gen, -1f, 1f, 2, 3, 4);
        GradCheck.check("transpose(0, 2)", unary(t -> t.transpose(0, 2)), x);
        GradCheck.check("transpose(-1, -2)", unary(t -> t.transpose(-1, -2)), x);
        GradCheck.check("permute(2, 0, 1)", unary(t -> t.permute(2, 0, 1)), x);
        GradCheck.check("permute(1, -1, 0)", unary(t -> t.permute(1, -1, 0)), x);
        Tensor m = uniform(gen, -1f, 1f, 3, 5);
        GradCheck.check("t()", unary(Tensor::t), m);
    }

    @Test
    void selectNarrowAndSliceScatterGradientsIntoTheirRange() {
        Generator gen = new Generator(63);
        Tensor x = uniform(gen, -1f, 1f, 2, 3, 4);
        GradCheck.check("select(1, -1)", unary(t -> t.select(1, -1)), x);
        GradCheck.check("select(0, 1)", unary(t -> t.select(0, 1)), x);
        GradCheck.check("select(-1, -4)", unary(t -> t.select(-1, -4)), x);
        GradCheck.check("narrow(2, 1, 2)", unary(t -> t.narrow(2, 1, 2)), x);
        GradCheck.check("narrow(-2, 0, 1)", unary(t -> t.narrow(-2, 0, 1)), x);
        GradCheck.check("slice(2, -3, -1)", unary(t -> t.slice(2, -3, -1)), x);
        GradCheck.check("slice(1, 1, 99)", unary(t -> t.slice(1, 1, 99)), x);
    }

    @Test
    void catAndStackSplitGradientsAmongTheirInputs() {
        Generator gen = new Generator(64);
        Tensor a = uniform(gen, -1f, 1f, 2, 3);
        Tensor b = uniform(gen, -1f, 1f, 2, 1);
        Tensor c = uniform(gen, -1f, 1f, 2, 2);
        GradCheck.check("cat(dim -1)", in -> Tensor.cat(List.of(in[0], in[1], in[2]), -1), a, b, c);
        Tensor d = uniform(gen, -1f, 1f, 1, 3);
        GradCheck.check("cat(dim 0)", in -> Tensor.cat(List.of(in[0], in[1]), 0), a, d);
        GradCheck.check("cat of a tensor with itself", in -> Tensor.cat(List.of(in[0], in[0].mul(2f)), 0), a);
        Tensor e = uniform(gen, -1f, 1f, 2, 3);
        GradCheck.check("stack(dim 1)", in -> Tensor.stack(List.of(in[0], in[1]), 1), a, e);
        GradCheck.check("stack(dim -1)", in -> Tensor.stack(List.of(in[0], in[1]), -1), a, e);
        Tensor constE = e.detach();
        GradCheck.check("cat with a constant", in -> Tensor.cat(List.of(constE, in[0]), 1), a);
    }

    @Test
    void chunkAndSplitPiecesEachGetTheirGradient() {
        Generator gen = new Generator(65);
        Tensor x = uniform(gen, -1f, 1f, 3, 7);
        // weight piece i by (i + 1) so that a gradient sent to the wrong piece is caught
        GradCheck.check("chunk(3, 1)", unary(t -> weightedFlatCat(t.chunk(3, 1))), x);
        GradCheck.check("chunk(2, 0)", unary(t -> weightedFlatCat(t.chunk(2, 0))), x);
        GradCheck.check("split(2, -1)", unary(t -> weightedFlatCat(t.split(2, -1))), x);
        GradCheck.check("split(5, 0)", unary(t -> weightedFlatCat(t.split(5, 0))), x);
    }

    private static Tensor weightedFlatCat(List<Tensor> pieces) {
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            flat.add(pieces.get(i).mul(i + 1f).flatten());
        }
        return Tensor.cat(flat, 0);
    }

    @Test
    void expandSumsGradientsOverTheBroadcastDimensions() {
        Generator gen = new Generator(66);
        GradCheck.check("expand [3,1] to [2,3,4]", unary(t -> t.expand(2, 3, 4)), uniform(gen, -1f, 1f, 3, 1));
        GradCheck.check("expand [1,4] with -1", unary(t -> t.expand(3, -1)), uniform(gen, -1f, 1f, 1, 4));
        GradCheck.check("expand [] to [2,2]", unary(t -> t.expand(2, 2)), uniform(gen, -1f, 1f));
        GradCheck.check("expand to the same shape", unary(t -> t.expand(2, 3)), uniform(gen, -1f, 1f, 2, 3));
    }

    // ------------------------------------------------------------------ compositions

    @Test
    void composedExpressionGradientsMatchFiniteDifferences() {
        Generator gen = new Generator(71);
        Tensor x = uniform(gen, -1f, 1f, 3, 4);
        Tensor w = uniform(gen, -1f, 1f, 4, 2);
        Tensor bias = uniform(gen, -1f, 1f, 2);
        GradCheck.checkScalar("mean(tanh(x w + b)^2)",
            in -> in[0].matmul(in[1]).add(in[2]).tanh().pow(2f).mean(), x, w, bias);
        GradCheck.checkScalar("sigmoid gate times tanh, summed", in -> in[0].sigmoid().mul(in[0].tanh())
            .sum(1, false).mul(in[0].select(1, 0)).sum(), x);
    }
}
