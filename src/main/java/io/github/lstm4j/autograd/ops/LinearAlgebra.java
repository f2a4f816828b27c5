package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * Matrix products through the GEMM facade {@link Kernels#gemm}: {@code torch.matmul} for 1-D, 2-D
 * and batched operands, and {@code F.linear}. A product saves its left operand only if the right
 * one needs a gradient, and the right one only if the left one does.
 */
public final class LinearAlgebra {

    private LinearAlgebra() {
    }

    /**
     * {@code torch.matmul(a, b)}: a dot product for two vectors, a matrix product for two matrices,
     * a vector is treated as a row (left) or column (right) and that dimension removed from the
     * result, and leading batch dimensions broadcast. Backward: {@code dA = dC B^T}, {@code dB = A^T dC},
     * summed over broadcast batch dimensions.
     *
     * @throws IllegalArgumentException naming both shapes when the inner sizes differ, when an operand
     *     is a scalar, or when the batch dimensions cannot be broadcast
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        if (as.length == 0 || bs.length == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                + Shape.format(as) + " and " + Shape.format(bs));
        }
        boolean aVec = as.length == 1;
        boolean bVec = bs.length == 1;
        int[] a3 = aVec ? new int[] {1, as[0]} : as;
        int[] b3 = bVec ? new int[] {bs[0], 1} : bs;
        int n = a3[a3.length - 2];
        int k = a3[a3.length - 1];
        int k2 = b3[b3.length - 2];
        int m = b3[b3.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(as) + " and " + Shape.format(bs)
                + " cannot be multiplied (" + n + "x" + k + " and " + k2 + "x" + m + ")");
        }
        int[] aBatch = Arrays.copyOf(a3, a3.length - 2);
        int[] bBatch = Arrays.copyOf(b3, b3.length - 2);
        int[] batch;
        try {
            batch = Shape.broadcast(aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: batch dimensions of " + Shape.format(as) + " and "
                + Shape.format(bs) + " cannot be broadcast", e);
        }
        int[] outFull = Arrays.copyOf(batch, batch.length + 2);
        outFull[batch.length] = n;
        outFull[batch.length + 1] = m;
        int[] outShape = resultShape(batch, n, m, aVec, bVec);
        Plan plan = new Plan(aBatch, bBatch, batch, n, k, m);
        float[] c = new float[Shape.numel(outFull)];
        plan.forward(a.data(), b.data(), c);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(c, outShape);
        }
        return new MatMulBackward(a, b, plan).output(c, outShape);
    }

    private static int[] resultShape(int[] batch, int n, int m, boolean aVec, boolean bVec) {
        int extra = (aVec ? 0 : 1) + (bVec ? 0 : 1);
        int[] out = Arrays.copyOf(batch, batch.length + extra);
        int j = batch.length;
        if (!aVec) {
            out[j++] = n;
        }
        if (!bVec) {
            out[j] = m;
        }
        return out;
    }

    /** Which matrix of A and of B each batch entry of C multiplies. */
    private static final class Plan {
        final int n;
        final int k;
        final int m;
        final int count;
        final int[] aIndex;
        final int[] bIndex;
        final int aMatrices;
        final int bMatrices;

        Plan(int[] aBatch, int[] bBatch, int[] batch, int n, int k, int m) {
            this.n = n;
            this.k = k;
            this.m = m;
            this.count = Shape.numel(batch);
            this.aIndex = Shape.offsets(batch, Shape.broadcastStrides(aBatch, batch));
            this.bIndex = Shape.offsets(batch, Shape.broadcastStrides(bBatch, batch));
            this.aMatrices = Shape.numel(aBatch);
            this.bMatrices = Shape.numel(bBatch);
        }

        /** True when B is a single matrix and A's batches are distinct: one GEMM over all rows. */
        boolean flattenA() {
            return bMatrices == 1 && aMatrices == count;
        }

        void forward(float[] a, float[] b, float[] c) {
            if (flattenA()) {
                Kernels.gemm(false, false, count * n, m, k, a, 0, k, b, 0, m, 0f, c, 0, m);
                return;
            }
            for (int i = 0; i < count; i++) {
                Kernels.gemm(false, false, n, m, k, a, aIndex[i] * n * k, k, b, bIndex[i] * k * m, m,
                    0f, c, i * n * m, m);
            }
        }

        /** dA += dC B^T per batch entry. */
        float[] gradA(float[] g, float[] b) {
            float[] da = new float[aMatrices * n * k];
            if (flattenA()) {
                Kernels.gemm(false, true, count * n, k, m, g, 0, m, b, 0, m, 0f, da, 0, k);
                return da;
            }
            for (int i = 0; i < count; i++) {
                Kernels.gemm(false, true, n, k, m, g, i * n * m, m, b, bIndex[i] * k * m, m,
                    1f, da, aIndex[i] * n * k, k);
            }
            return da;
        }

        /** dB += A^T dC per batch entry. */
        float[] gradB(float[] g, float[] a) {
            float[] db = new float[bMatrices * k * m];
            if (flattenA()) {
                Kernels.gemm(true, false, k, m, count * n, a, 0, k, g, 0, m, 0f, db, 0, m);
                return db;
            }
            for (int i = 0; i < count; i++) {
                Kernels.gemm(true, false, k, m, n, a, aIndex[i] * n * k, k, g, i * n * m, m,
                    1f, db, bIndex[i] * k * m, m);
            }
            return db;
        }
    }

    private static final class MatMulBackward extends Node {
        private Saved a;
        private Saved b;
        private final Plan plan;

        MatMulBackward(Tensor a, Tensor b, Plan plan) {
            super(a, b);
            this.plan = plan;
            this.a = needsGrad(1) ? Saved.of(a, "MmBackward") : null;
            this.b = needsGrad(0) ? Saved.of(b, "MmBackward") : null;
        }

        @Override
        public String name() {
            return "MmBackward";
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            float[] da = needsGrad(0) ? plan.gradA(g, b.data()) : null;
            float[] db = needsGrad(1) ? plan.gradB(g, a.data()) : null;
            return new float[][] {da, db};
        }

        @Override
        protected void releaseSaved() {
            a = null;
            b = null;
        }
    }

    /**
     * {@code F.linear(x, weight, bias)}: {@code y = x W^T + b} over the last dimension of {@code x},
     * as one GEMM over all leading rows. Backward: {@code dx = dy W}, {@code dW = dy^T x},
     * {@code db = sum of dy over rows}.
     *
     * @param x input of shape {@code (*, in)}
     * @param weight {@code (out, in)}
     * @param bias {@code (out)} or null
     * @return shape {@code (*, out)}
     * @throws IllegalArgumentException naming the shapes when they do not fit
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int[] ws = weight.shape();
        if (ws.length != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D (out, in), got " + Shape.format(ws));
        }
        int out = ws[0];
        int in = ws[1];
        int[] xs = x.shape();
        if (xs.length == 0 || xs[xs.length - 1] != in) {
            throw new IllegalArgumentException("Linear expects last dim " + in + ", got " + Shape.format(xs));
        }
        if (bias != null && (bias.dim() != 1 || bias.shape()[0] != out)) {
            throw new IllegalArgumentException("linear: bias must have shape [" + out + "], got "
                + Shape.format(bias.shape()));
        }
        int rows = x.numel() / Math.max(in, 1);
        if (in == 0) {
            rows = Shape.numel(Arrays.copyOf(xs, xs.length - 1));
        }
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;
        float[] y = new float[rows * out];
        if (bias != null) {
            float[] bd = bias.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bd, 0, y, r * out, out);
            }
        }
        Kernels.gemm(false, true, rows, out, in, x.data(), 0, in, weight.data(), 0, in,
            bias != null ? 1f : 0f, y, 0, out);
        if (!Node.isRecording(x, weight, bias)) {
            return Tensor.wrap(y, ys);
        }
        return new LinearBackward(x, weight, bias, rows, in, out).output(y, ys);
    }

    private static final class LinearBackward extends Node {
        private Saved x;
        private Saved w;
        private final int rows;
        private final int in;
        private final int out;

        LinearBackward(Tensor x, Tensor w, Tensor b, int rows, int in, int out) {
            super(x, w, b);
            this.rows = rows;
            this.in = in;
            this.out = out;
            this.x = needsGrad(1) ? Saved.of(x, "LinearBackward") : null;
            this.w = needsGrad(0) ? Saved.of(w, "LinearBackward") : null;
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            float[] dx = null;
            float[] dw = null;
            float[] db = null;
            if (needsGrad(0)) {
                dx = new float[rows * in];
                Kernels.gemm(false, false, rows, in, out, g, 0, out, w.data(), 0, in, 0f, dx, 0, in);
            }
            if (needsGrad(1)) {
                dw = new float[out * in];
                Kernels.gemm(true, false, out, in, rows, g, 0, out, x.data(), 0, in, 0f, dw, 0, in);
            }
            if (needsGrad(2)) {
                double[] acc = new double[out];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        acc[j] += g[r * out + j];
                    }
                }
                db = new float[out];
                for (int j = 0; j < out; j++) {
                    db[j] = (float) acc[j];
                }
            }
            return new float[][] {dx, dw, db};
        }

        @Override
        protected void releaseSaved() {
            x = null;
            w = null;
        }
    }
}
