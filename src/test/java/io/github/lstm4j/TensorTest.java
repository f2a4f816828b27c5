package io.github.lstm4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.autograd.NoGrad;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values of tensor operations against results worked out by hand (the arithmetic is in the
 * comments) or from index formulas.
 */
class TensorTest {

    private static final float EPS = 1e-6f;

    /** x[i, j, k] = 12 i + 4 j + k: arange(24) viewed as (2, 3, 4). */
    private static Tensor arange234() {
        return Tensor.arange(24).reshape(2, 3, 4);
    }

    private static void assertValues(float[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toFloatArray(), EPS, () -> "values of " + actual);
    }

    private static void assertShape(int[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.shape(), () -> "shape of " + actual);
    }

    // ------------------------------------------------------------------ creation

    @Test
    void zerosOnesAndFullHaveTheirShapeAndValue() {
        Tensor z = Tensor.zeros(2, 3);
        assertShape(new int[] {2, 3}, z);
        assertValues(new float[6], z);
        assertValues(new float[] {1, 1, 1, 1}, Tensor.ones(4));
        Tensor f = Tensor.full(2.5f, 3, 1);
        assertShape(new int[] {3, 1}, f);
        assertValues(new float[] {2.5f, 2.5f, 2.5f}, f);
        Tensor s = Tensor.scalar(-7f);
        assertEquals(0, s.dim());
        assertEquals(-7f, s.item());
        assertShape(new int[] {2, 0}, Tensor.zeros(2, 0));
        assertEquals(0, Tensor.zeros(2, 0).numel());
    }

    @Test
    void arangeCountsUpDownAndInFractionalSteps() {
        assertValues(new float[] {0, 1, 2, 3, 4}, Tensor.arange(5));
        // (−1 − 5) / −2 = 3 values: 5, 3, 1
        assertValues(new float[] {5, 3, 1}, Tensor.arange(5, -1, -2));
        // ceil((2.5 − 1) / 0.5) = 3 values: 1, 1.5, 2 (end excluded)
        assertValues(new float[] {1, 1.5f, 2}, Tensor.arange(1, 2.5, 0.5));
        // ceil(1 / 0.3) = 4 values: 0, 0.3, 0.6, 0.9
        assertValues(new float[] {0, 0.3f, 0.6f, 0.9f}, Tensor.arange(0, 1, 0.3));
        // ceil((0 − 1) / −0.25) = 4 values: 1, 0.75, 0.5, 0.25
        assertValues(new float[] {1, 0.75f, 0.5f, 0.25f}, Tensor.arange(1, 0, -0.25));
        assertEquals(0, Tensor.arange(3, 3, 1).numel());
    }

    @Test
    void ofCopiesTheArrayAndChecksItsLength() {
        float[] src = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(src, 2, 3);
        src[0] = 99;
        assertEquals(1f, t.get(0, 0));
        assertEquals(6f, t.get(-1, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("6")
            && e.getMessage().contains("[2, 3]"), e.getMessage());
        Tensor rows = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertShape(new int[] {3, 2}, rows);
        assertEquals(4f, rows.get(1, 1));
    }

    @Test
    void wrapSharesTheArray() {
        float[] src = {1, 2};
        Tensor t = Tensor.wrap(src, 2);
        src[1] = 5;
        assertEquals(5f, t.get(1));
    }

    // ------------------------------------------------------------------ randomness

    @Test
    void sameSeedGivesTheSameDrawsAndDifferentSeedsDiffer() {
        assertArrayEquals(Tensor.rand(new Generator(42), 3, 4).toFloatArray(),
            Tensor.rand(new Generator(42), 3, 4).toFloatArray());
        assertArrayEquals(Tensor.randn(new Generator(42), 7).toFloatArray(),
            Tensor.randn(new Generator(42), 7).toFloatArray());
        assertArrayEquals(Tensor.uniform(new Generator(3), -2f, 3f, 5).toFloatArray(),
            Tensor.uniform(new Generator(3), -2f, 3f, 5).toFloatArray());
        assertFalse(Arrays.equals(Tensor.rand(new Generator(42), 3, 4).toFloatArray(),
            Tensor.rand(new Generator(43), 3, 4).toFloatArray()));
        assertFalse(Arrays.equals(Tensor.randn(new Generator(42), 7).toFloatArray(),
            Tensor.randn(new Generator(43), 7).toFloatArray()));
        // one generator continues its stream: two consecutive draws differ
        Generator g = new Generator(5);
        assertFalse(Arrays.equals(Tensor.rand(g, 4).toFloatArray(), Tensor.rand(g, 4).toFloatArray()));
    }

    @Test
    void uniformDrawsStayInTheirInterval() {
        for (float v : Tensor.rand(new Generator(1), 1000).data()) {
            assertTrue(v >= 0f && v < 1f, "rand value " + v);
        }
        for (float v : Tensor.uniform(new Generator(2), -2f, 3f, 1000).data()) {
            assertTrue(v >= -2f && v < 3f, "uniform value " + v);
        }
    }

    @Test
    void randnHasMeanZeroAndStdOneWithinSixSigma() {
        int n = 10_000;
        float[] x = Tensor.randn(new Generator(123), n).data();
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / n;
        double ss = 0;
        for (float v : x) {
            ss += (v - mean) * (v - mean);
        }
        double var = ss / (n - 1);
        // std error of the mean: 1/sqrt(n) = 0.01, so 6 sigma = 0.06;
        // std error of the sample variance of N(0,1): sqrt(2/(n-1)) ≈ 0.0141, so 6 sigma ≈ 0.085
        assertEquals(0.0, mean, 0.06, "sample mean");
        assertEquals(1.0, var, 0.085, "sample variance");
    }

    // ------------------------------------------------------------------ shape ops

    @Test
    void transposeOfA2x3SwapsRowsAndColumns() {
        // [[1, 2, 3], [4, 5, 6]]^T = [[1, 4], [2, 5], [3, 6]]
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = x.transpose(0, 1);
        assertShape(new int[] {3, 2}, t);
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, t);
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, x.t());
        assertValues(new float[] {1, 4, 2, 5, 3, 6}, x.transpose(-1, -2));
    }

    @Test
    void permuteMovesEveryElementToItsPermutedIndex() {
        Tensor x = arange234();
        Tensor y = x.permute(2, 0, 1);
        assertShape(new int[] {4, 2, 3}, y);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(12 * i + 4 * j + k, y.get(k, i, j), "y[" + k + "," + i + "," + j + "]");
                }
            }
        }
        Tensor z = x.permute(1, -1, 0);
        assertShape(new int[] {3, 4, 2}, z);
        assertEquals(12 * 1 + 4 * 2 + 3, z.get(2, 3, 1));
    }

    @Test
    void selectLastTimeStepIsTheLastSliceAlongDimOne() {
        Tensor x = arange234();
        Tensor last = x.select(1, -1);
        assertShape(new int[] {2, 4}, last);
        // x[i, 2, k] = 12 i + 8 + k
        assertValues(new float[] {8, 9, 10, 11, 20, 21, 22, 23}, last);
        assertValues(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, x.select(0, 1));
        // x[i, j, 1] = 12 i + 4 j + 1
        assertValues(new float[] {1, 5, 9, 13, 17, 21}, x.select(-1, 1));
    }

    @Test
    void narrowAndSliceTakeRangesWithNegativeBoundsAndClipping() {
        Tensor x = arange234();
        Tensor n = x.narrow(1, 1, 2);
        assertShape(new int[] {2, 2, 4}, n);
        // x[i, j + 1, k] = 12 i + 4 j + 4 + k
        assertValues(new float[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, n);
        Tensor s = x.slice(2, -3, -1);
        assertShape(new int[] {2, 3, 2}, s);
        // k in {1, 2}: 12 i + 4 j + 1, 12 i + 4 j + 2
        assertValues(new float[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, s);
        assertArrayEquals(x.toFloatArray(), x.slice(0, -5, 99).toFloatArray());
        assertShape(new int[] {2, 3, 0}, x.slice(2, 3, 1));
        assertShape(new int[] {2, 3, 0}, x.slice(-1, 7, 9));
        assertValues(new float[] {0, 1, 2, 3}, Tensor.arange(6).slice(0, 0, -2));
    }

    @Test
    void narrowWithANegativeStartCountsFromTheEndLikeTorchNarrow() {
        // start -2 of a size-4 dim is k = 2: x[i, j, 2..3] = 12 i + 4 j + {2, 3}
        Tensor tail = arange234().narrow(2, -2, 2);
        assertShape(new int[] {2, 3, 2}, tail);
        assertValues(new float[] {2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23}, tail);
        assertValues(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, arange234().narrow(0, -1, 1));
    }

    @Test
    void catJoinsAlongTheChosenDimension() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor rows = Tensor.cat(List.of(a, Tensor.of(new float[] {5, 6}, 1, 2)), 0);
        assertShape(new int[] {3, 2}, rows);
        assertValues(new float[] {1, 2, 3, 4, 5, 6}, rows);
        Tensor cols = Tensor.cat(List.of(a, Tensor.of(new float[] {7, 8}, 2, 1)), -1);
        assertShape(new int[] {2, 3}, cols);
        assertValues(new float[] {1, 2, 7, 3, 4, 8}, cols);
    }

    @Test
    void stackAddsANewDimension() {
        Tensor a = Tensor.of(1, 2);
        Tensor b = Tensor.of(3, 4);
        Tensor s0 = Tensor.stack(List.of(a, b), 0);
        assertShape(new int[] {2, 2}, s0);
        assertValues(new float[] {1, 2, 3, 4}, s0);
        Tensor s1 = Tensor.stack(List.of(a, b), 1);
        assertShape(new int[] {2, 2}, s1);
        assertValues(new float[] {1, 3, 2, 4}, s1);
        Tensor s3 = Tensor.stack(List.of(a, b, a), -1);
        assertShape(new int[] {2, 3}, s3);
        assertValues(new float[] {1, 3, 1, 2, 4, 2}, s3);
    }

    @Test
    void chunkAndSplitCutIntoPiecesWithASmallerLastOne() {
        // chunk(3) of 7: ceil(7/3) = 3 per piece -> sizes 3, 3, 1
        List<Tensor> c = Tensor.arange(7).chunk(3, 0);
        assertEquals(3, c.size());
        assertValues(new float[] {0, 1, 2}, c.get(0));
        assertValues(new float[] {3, 4, 5}, c.get(1));
        assertValues(new float[] {6}, c.get(2));
        // chunk(4) of 6: ceil(6/4) = 2 per piece -> only 3 pieces, as in PyTorch
        assertEquals(3, Tensor.arange(6).chunk(4, 0).size());
        // split(2, dim 1) of a (2, 5): column widths 2, 2, 1
        List<Tensor> s = Tensor.arange(10).reshape(2, 5).split(2, 1);
        assertEquals(3, s.size());
        assertShape(new int[] {2, 2}, s.get(0));
        assertValues(new float[] {2, 3, 7, 8}, s.get(1));
        assertValues(new float[] {4, 9}, s.get(2));
        assertShape(new int[] {2, 1}, s.get(2));
    }

    @Test
    void squeezeAndUnsqueezeChangeOnlyTheShape() {
        Tensor x = Tensor.arange(6).reshape(1, 3, 1, 2);
        assertShape(new int[] {3, 2}, x.squeeze());
        assertShape(new int[] {3, 1, 2}, x.squeeze(0));
        assertShape(new int[] {1, 3, 2}, x.squeeze(-2));
        assertShape(new int[] {1, 3, 1, 2}, x.squeeze(1));
        Tensor y = Tensor.zeros(3, 2);
        assertShape(new int[] {3, 2, 1}, y.unsqueeze(-1));
        assertShape(new int[] {1, 3, 2}, y.unsqueeze(0));
        assertShape(new int[] {3, 1, 2}, y.unsqueeze(1));
        assertShape(new int[] {3, 1, 2}, y.unsqueeze(-2));
        assertValues(new float[] {0, 1, 2, 3, 4, 5}, x.squeeze());
    }

    @Test
    void reshapeSharesDataAndInfersOneDimension() {
        Tensor x = Tensor.arange(6);
        Tensor r = x.reshape(-1, 3);
        assertShape(new int[] {2, 3}, r);
        assertEquals(4f, r.get(1, 1));
        x.data()[4] = 40f;
        assertEquals(40f, r.get(1, 1));
        assertShape(new int[] {}, Tensor.of(5f).reshape());
    }

    @Test
    void expandRepeatsAlongSizeOneDimensions() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor e = x.expand(3, 2, 2);
        assertShape(new int[] {3, 2, 2}, e);
        assertValues(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2}, e);
        assertShape(new int[] {2, 4}, x.expand(-1, 4));
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void binaryOpsBroadcastColumnAgainstRow() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor row = Tensor.of(10, 20);
        // [[1 + 10, 1 + 20], [2 + 10, 2 + 20], [3 + 10, 3 + 20]]
        Tensor sum = col.add(row);
        assertShape(new int[] {3, 2}, sum);
        assertValues(new float[] {11, 21, 12, 22, 13, 23}, sum);
        assertValues(new float[] {-9, -19, -8, -18, -7, -17}, col.sub(row));
        assertValues(new float[] {10, 20, 20, 40, 30, 60}, col.mul(row));
        // [6, 8] / [[2], [4]] = [[3, 4], [1.5, 2]]
        assertValues(new float[] {3, 4, 1.5f, 2}, Tensor.of(6, 8).div(Tensor.of(new float[] {2, 4}, 2, 1)));
        // [[1, 2], [3, 4]] ^ [2, 0.5] = [[1, sqrt 2], [9, 2]]
        assertValues(new float[] {1, (float) Math.sqrt(2), 9, 2},
            Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).pow(Tensor.of(2, 0.5f)));
        // maximum([[1, 5], [3, 0]], [2, 4]) = [[2, 5], [3, 4]]
        assertValues(new float[] {2, 5, 3, 4}, Tensor.of(new float[] {1, 5, 3, 0}, 2, 2).maximum(Tensor.of(2, 4)));
    }

    @Test
    void zeroDimTensorBroadcastsAgainstAnyShape() {
        Tensor two = Tensor.scalar(2f);
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor p = m.mul(two);
        assertShape(new int[] {2, 3}, p);
        assertValues(new float[] {2, 4, 6, 8, 10, 12}, p);
        assertValues(new float[] {1, 0, -1, -2, -3, -4}, two.sub(m));
    }

    @Test
    void broadcastingAlignsTrailingDimensionsOfThreeAndTwoDims() {
        // a: (3, 1, 2) with a[i, 0, k] = 2 i + k; b: (2, 2) with b[j, k] = 10 (2 j + k)
        Tensor a = Tensor.arange(6).reshape(3, 1, 2);
        Tensor b = Tensor.of(new float[] {0, 10, 20, 30}, 2, 2);
        Tensor s = a.add(b);
        assertShape(new int[] {3, 2, 2}, s);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(2 * i + k + 10 * (2 * j + k), s.get(i, j, k));
                }
            }
        }
    }

    @Test
    void scalarFormsOfArithmeticAndElementwiseFunctions() {
        Tensor x = Tensor.of(1, 4, -2);
        assertValues(new float[] {3, 6, 0}, x.add(2f));
        assertValues(new float[] {-1, 2, -4}, x.sub(2f));
        assertValues(new float[] {1, -2, 4}, x.rsub(2f));
        assertValues(new float[] {0.5f, 2, -1}, x.mul(0.5f));
        assertValues(new float[] {0.5f, 2, -1}, x.div(2f));
        assertValues(new float[] {4, 1, -2}, x.rdiv(4f));
        assertValues(new float[] {-1, -4, 2}, x.neg());
        assertValues(new float[] {1, 16, 4}, x.pow(2f));
        assertValues(new float[] {1, 64, -8}, x.pow(3f));
        assertValues(new float[] {1, 4, 2}, x.abs());
        assertValues(new float[] {1, 4, 0}, x.relu());
        assertValues(new float[] {1, 2, 0}, Tensor.of(1, 4, 0).sqrt());
        assertValues(new float[] {0, 1, (float) Math.log(2)}, Tensor.of(1, (float) Math.E, 2).log());
        assertValues(new float[] {1, (float) Math.E, (float) (1 / Math.E)}, Tensor.of(0, 1, -1).exp());
        // tanh(0) = 0, tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
        assertValues(new float[] {0, 0.6f}, Tensor.of(0, (float) Math.log(2)).tanh());
        // sigmoid(0) = 1/2, sigmoid(ln 3) = 1 / (1 + 1/3) = 0.75, sigmoid(-1000) = 0 without overflow
        assertValues(new float[] {0.5f, 0.75f, 0f}, Tensor.of(0, (float) Math.log(3), -1000).sigmoid());
        assertValues(new float[] {1, 1, -1}, x.clamp(-1f, 1f));
        assertValues(new float[] {1, 4, -1}, x.clamp(-1f, Float.NaN));
        assertValues(new float[] {1, 1, -2}, x.clamp(Float.NaN, 1f));
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void sumAndMeanOverDimsWithAndWithoutKeepdim() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor all = x.sum();
        assertShape(new int[] {}, all);
        assertEquals(21f, all.item());
        assertValues(new float[] {5, 7, 9}, x.sum(0, false));
        assertValues(new float[] {6, 15}, x.sum(1, false));
        Tensor kept = x.sum(-1, true);
        assertShape(new int[] {2, 1}, kept);
        assertValues(new float[] {6, 15}, kept);
        assertEquals(3.5f, x.mean().item());
        assertValues(new float[] {2.5f, 3.5f, 4.5f}, x.mean(0, false));
        Tensor meanKept = x.mean(1, true);
        assertShape(new int[] {2, 1}, meanKept);
        assertValues(new float[] {2, 5}, meanKept);
        assertShape(new int[] {}, x.sum(new int[] {0, 1}, false));
        assertShape(new int[] {1, 1}, x.sum(new int[] {-1, -2}, true));
    }

    @Test
    void sumOverTwoDimsOfAThreeDimTensor() {
        // sum over i in {0, 1} and k in {0..3} of 12 i + 4 j + k = 48 + 32 j + 12 = 60 + 32 j
        Tensor s = arange234().sum(new int[] {0, 2}, false);
        assertShape(new int[] {3}, s);
        assertValues(new float[] {60, 92, 124}, s);
        assertShape(new int[] {1, 3, 1}, arange234().sum(new int[] {0, -1}, true));
        // mean over j of 12 i + 4 j + k = 12 i + 4 + k
        assertValues(new float[] {4, 5, 6, 7, 16, 17, 18, 19}, arange234().mean(1, false));
    }

    @Test
    void maxMinAndArgmaxPickTheFirstOfTies() {
        Tensor x = Tensor.of(new float[] {1, 5, 5, 7, 2, 7}, 2, 3);
        assertEquals(7f, x.max().item());
        assertEquals(1f, x.min().item());
        assertValues(new float[] {5, 7}, x.max(1, false));
        assertValues(new float[] {1, 0}, x.argmax(1, false));
        assertValues(new float[] {7, 5, 7}, x.max(0, false));
        assertValues(new float[] {1, 0, 1}, x.argmax(0, false));
        assertValues(new float[] {1, 2}, x.min(-1, false));
        assertValues(new float[] {0, 1}, x.argmin(-1, false));
        assertShape(new int[] {2, 1}, x.max(1, true));
        assertShape(new int[] {2, 1}, x.argmax(1, true));
        // first 7 in row-major order is at flat index 3
        assertEquals(3f, x.argmax().item());
    }

    @Test
    void normsOfAThreeFourVector() {
        Tensor v = Tensor.of(3, -4);
        assertEquals(5f, v.norm().item(), EPS);
        assertEquals(5f, v.norm(2).item(), EPS);
        assertEquals(7f, v.norm(1).item(), EPS);
        assertEquals(4f, v.norm(Double.POSITIVE_INFINITY).item(), EPS);
        // (27 + 64)^(1/3)
        assertEquals((float) Math.cbrt(91), v.norm(3).item(), 1e-5f);
    }

    @Test
    void normsPerDimension() {
        Tensor m = Tensor.of(new float[] {3, -4, -6, 8}, 2, 2);
        // rows: sqrt(9 + 16) = 5, sqrt(36 + 64) = 10
        assertValues(new float[] {5, 10}, m.norm(2, new int[] {1}, false));
        // columns: max(3, 6) = 6, max(4, 8) = 8
        assertValues(new float[] {6, 8}, m.norm(Double.POSITIVE_INFINITY, new int[] {0}, false));
        Tensor l1 = m.norm(1, new int[] {-2}, true);
        assertShape(new int[] {1, 2}, l1);
        assertValues(new float[] {9, 12}, l1);
        assertEquals((float) Math.sqrt(9 + 16 + 36 + 64), m.norm().item(), 1e-5f);
    }

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulOfTwoVectorsIsTheDotProduct() {
        // 1*4 + 2*5 + 3*6 = 32
        Tensor d = Tensor.of(1, 2, 3).matmul(Tensor.of(4, 5, 6));
        assertShape(new int[] {}, d);
        assertEquals(32f, d.item());
    }

    @Test
    void matmulOfTwoMatrices() {
        // [[1,2],[3,4]] [[5,6],[7,8]] = [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19, 22], [43, 50]]
        Tensor c = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).matmul(Tensor.of(new float[] {5, 6, 7, 8}, 2, 2));
        assertShape(new int[] {2, 2}, c);
        assertValues(new float[] {19, 22, 43, 50}, c);
        // (2x3)(3x1): [1*1+2*0+3*2, 4*1+5*0+6*2] = [7, 16]
        Tensor r = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).matmul(Tensor.of(new float[] {1, 0, 2}, 3, 1));
        assertShape(new int[] {2, 1}, r);
        assertValues(new float[] {7, 16}, r);
    }

    @Test
    void matmulOfVectorAndMatrixDropsTheVectorDimension() {
        Tensor m = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2);
        // [1, 2] [[5,6],[7,8]] = [1*5+2*7, 1*6+2*8] = [19, 22]
        Tensor vm = Tensor.of(1, 2).matmul(m);
        assertShape(new int[] {2}, vm);
        assertValues(new float[] {19, 22}, vm);
        // [[5,6],[7,8]] [1, 2] = [5+12, 7+16] = [17, 23]
        Tensor mv = m.matmul(Tensor.of(1, 2));
        assertShape(new int[] {2}, mv);
        assertValues(new float[] {17, 23}, mv);
    }

    @Test
    void batchedMatmulMultipliesEachBatchEntry() {
        // A[0] = [[1,2],[3,4]], A[1] = I; B[0] = I, B[1] = [[2,3],[4,5]]
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 1, 0, 0, 1}, 2, 2, 2);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 2, 3, 4, 5}, 2, 2, 2);
        Tensor c = a.matmul(b);
        assertShape(new int[] {2, 2, 2}, c);
        assertValues(new float[] {1, 2, 3, 4, 2, 3, 4, 5}, c);
        // 3-D times 2-D: every batch entry times [[5,6],[7,8]]: [[19,22],[43,50]] and [[5,6],[7,8]]
        Tensor c2 = a.matmul(Tensor.of(new float[] {5, 6, 7, 8}, 2, 2));
        assertShape(new int[] {2, 2, 2}, c2);
        assertValues(new float[] {19, 22, 43, 50, 5, 6, 7, 8}, c2);
        // 1-D times 3-D: [1, 1] B[i] = column sums: [1, 1] and [6, 8]
        Tensor c3 = Tensor.of(1, 1).matmul(b);
        assertShape(new int[] {2, 2}, c3);
        assertValues(new float[] {1, 1, 6, 8}, c3);
    }

    @Test
    void matmulBroadcastsBatchDimensions() {
        // A: (2,1,1,2) with rows [1,2] and [3,4]; B: (3,2,1) with B[j] = [[j+1], [1]]
        // C[i, j] = a0 (j+1) + a1: i=0 -> 3, 4, 5; i=1 -> 7, 10, 13
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 1, 1, 2);
        Tensor b = Tensor.of(new float[] {1, 1, 2, 1, 3, 1}, 3, 2, 1);
        Tensor c = a.matmul(b);
        assertShape(new int[] {2, 3, 1, 1}, c);
        assertValues(new float[] {3, 4, 5, 7, 10, 13}, c);
    }

    @Test
    void batchedMatmulMatchesATripleLoopOnAwkwardSizes() {
        Generator gen = new Generator(9);
        int[][][] cases = {
            {{3, 1, 5, 17}, {2, 17, 7}},
            {{1, 33}, {4, 33, 3}},
            {{2, 19, 1}, {1, 9}},
        };
        for (int[][] cs : cases) {
            Tensor a = Tensor.uniform(gen, -1f, 1f, cs[0]);
            Tensor b = Tensor.uniform(gen, -1f, 1f, cs[1]);
            Tensor c = a.matmul(b);
            // reference: broadcast both to the common batch shape and loop
            int[] as = cs[0];
            int[] bs = cs[1];
            int n = as[as.length - 2];
            int k = as[as.length - 1];
            int m = bs[bs.length - 1];
            int[] batch = c.shape();
            int count = c.numel() / (n * m);
            Tensor ab = a.expand(concat(Arrays.copyOf(batch, batch.length - 2), n, k));
            Tensor bb = b.expand(concat(Arrays.copyOf(batch, batch.length - 2), k, m));
            float[] ad = ab.data();
            float[] bd = bb.data();
            float[] cd = c.data();
            for (int t = 0; t < count; t++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (double) ad[t * n * k + i * k + p] * bd[t * k * m + p * m + j];
                        }
                        assertEquals(s, cd[t * n * m + i * m + j], 1e-5,
                            Arrays.toString(as) + " @ " + Arrays.toString(bs) + " at batch " + t + " (" + i + ", "
                                + j + ")");
                    }
                }
            }
        }
    }

    private static int[] concat(int[] head, int... tail) {
        int[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }

    // ------------------------------------------------------------------ in place

    @Test
    void inPlaceArithmeticChangesValuesAndBumpsTheVersion() {
        Tensor t = Tensor.of(1, 2, 3);
        int v = t.version();
        assertSame(t, t.add_(Tensor.of(1, 1, 1), 2f));
        // [1, 2, 3] + 2 [1, 1, 1] = [3, 4, 5]
        assertValues(new float[] {3, 4, 5}, t);
        assertEquals(v + 1, t.version());
        t.add_(Tensor.of(1, 2, 3));
        assertValues(new float[] {4, 6, 8}, t);
        t.add_(0.5f);
        assertValues(new float[] {4.5f, 6.5f, 8.5f}, t);
        t.sub_(Tensor.of(0.5f, 0.5f, 0.5f));
        assertValues(new float[] {4, 6, 8}, t);
        t.mul_(0.5f);
        assertValues(new float[] {2, 3, 4}, t);
        t.mul_(Tensor.of(2, -1, 0));
        assertValues(new float[] {4, -3, 0}, t);
        t.div_(2f);
        assertValues(new float[] {2, -1.5f, 0}, t);
        assertEquals(v + 7, t.version());
    }

    @Test
    void addcmulAndAddcdivAddAScaledProductOrQuotient() {
        Tensor t = Tensor.zeros(3);
        // 0 + 0.5 * [1, 2, 3] * [2, 2, 2] = [1, 2, 3]
        t.addcmul_(Tensor.of(1, 2, 3), Tensor.of(2, 2, 2), 0.5f);
        assertValues(new float[] {1, 2, 3}, t);
        assertEquals(1, t.version());
        // [1, 2, 3] + 2 * [1, 2, 3] / [2, 4, 6] = [2, 3, 4]
        t.addcdiv_(Tensor.of(1, 2, 3), Tensor.of(2, 4, 6), 2f);
        assertValues(new float[] {2, 3, 4}, t);
        assertEquals(2, t.version());
    }

    @Test
    void addcmulAndAddcdivAcceptAOneElementOperandLikeTheOtherInPlaceOps() {
        // the in-place shape check admits a one-element operand (as add_, mul_ and copy_ broadcast it)
        Tensor t = Tensor.zeros(3);
        // 0 + 1 * [1, 2, 3] * 2 = [2, 4, 6]
        t.addcmul_(Tensor.of(1, 2, 3), Tensor.of(2), 1f);
        assertValues(new float[] {2, 4, 6}, t);
        // [2, 4, 6] + 1 * 4 / [1, 2, 4] = [6, 6, 7]
        t.addcdiv_(Tensor.of(4), Tensor.of(1, 2, 4), 1f);
        assertValues(new float[] {6, 6, 7}, t);
    }

    @Test
    void zeroFillCopyAndClampOverwriteValuesAndBumpTheVersion() {
        Tensor t = Tensor.of(-2, 0.5f, 3);
        t.clamp_(-1f, 1f);
        assertValues(new float[] {-1, 0.5f, 1}, t);
        assertEquals(1, t.version());
        t.copy_(Tensor.of(-2, 0.5f, 3));
        assertValues(new float[] {-2, 0.5f, 3}, t);
        t.clamp_(Float.NaN, 0f);
        assertValues(new float[] {-2, 0, 0}, t);
        t.fill_(7f);
        assertValues(new float[] {7, 7, 7}, t);
        t.copy_(Tensor.scalar(-1f));
        assertValues(new float[] {-1, -1, -1}, t);
        t.zero_();
        assertValues(new float[] {0, 0, 0}, t);
        assertEquals(6, t.version());
    }

    @Test
    void inPlaceChangesAreVisibleThroughViewsWhichShareTheVersion() {
        Tensor x = Tensor.arange(6);
        Tensor v = x.reshape(2, 3);
        x.add_(1f);
        assertEquals(6f, v.get(1, 2));
        assertEquals(x.version(), v.version());
        v.mul_(2f);
        assertEquals(12f, x.get(5));
        assertEquals(2, x.version());
    }

    @Test
    @SuppressWarnings("try")
    void inPlaceOnALeafThatRequiresGradThrowsUnlessUnderNoGrad() {
        Tensor w = Tensor.ones(2).requiresGrad_(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.add_(1f));
        assertTrue(e.getMessage().contains("leaf") && e.getMessage().contains("in-place"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.mul_(2f));
        assertThrows(IllegalStateException.class, () -> w.zero_());
        assertThrows(IllegalStateException.class, () -> w.copy_(Tensor.zeros(2)));
        assertValues(new float[] {1, 1}, w);
        try (NoGrad ignored = Tensor.noGrad()) {
            w.add_(1f);
        }
        assertValues(new float[] {2, 2}, w);
    }

    // ------------------------------------------------------------------ copies

    @Test
    void copyAndCloneDoNotShareData() {
        Tensor x = Tensor.of(1, 2);
        Tensor c = x.copy();
        Tensor k = x.cloneTensor();
        assertNotSame(x.data(), c.data());
        assertNotSame(x.data(), k.data());
        x.data()[0] = 9;
        assertEquals(1f, c.get(0));
        assertEquals(1f, k.get(0));
    }

    // ------------------------------------------------------------------ printing

    @Test
    void toStringShowsFourDecimalsShapeAndGradFn() {
        Tensor x = Tensor.of(new float[][] {{1.5f, -2.25f}, {0.125f, 3f}});
        String s = x.toString();
        assertTrue(s.contains("1.5000") && s.contains("-2.2500") && s.contains("0.1250") && s.contains("3.0000"), s);
        assertTrue(s.contains("shape=[2, 2]"), s);
        assertFalse(s.contains("grad_fn"), s);
        Tensor y = x.requiresGrad_(true).mul(2f);
        String t = y.toString();
        assertTrue(t.contains("grad_fn=<") && t.contains("Backward>"), t);
        assertTrue(t.contains("3.0000") && t.contains("-4.5000") && t.contains("6.0000"), t);
        assertTrue(Tensor.scalar(0.25f).toString().contains("0.2500"), Tensor.scalar(0.25f).toString());
    }

    @Test
    void largeTensorsPrintSummarisedAndShort() {
        // 1 + 0.001 i for i < 2000: first entries 1.0000, 1.0010, last 2.9990
        String s = Tensor.arange(2000).mul(0.001f).add(1f).toString();
        assertTrue(s.contains("..."), s);
        assertTrue(s.length() < 200, () -> "length " + s.length() + ": " + s);
        assertTrue(s.contains("1.0010") && s.contains("2.9990"), s);
        assertFalse(s.contains("1.5000"), s);
        assertTrue(s.contains("shape=[2000]"), s);
        String m = Tensor.arange(2000).reshape(40, 50).toString();
        assertTrue(m.contains("...") && m.length() < 600, () -> "length " + m.length() + ": " + m);
    }
}
