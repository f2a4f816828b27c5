package io.github.lstm4j;

import io.github.lstm4j.tensor.Shape;
import java.util.Locale;

/** Formats tensors the way PyTorch prints them, with the shape appended. */
final class TensorFormat {

    private static final int SUMMARIZE_OVER = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t, boolean hasGrad) {
        float[] d = t.data();
        int[] shape = t.shape();
        boolean summarize = d.length > SUMMARIZE_OVER;
        String style = chooseStyle(d);
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.length == 0) {
            sb.append(fmt(d[0], style));
        } else {
            appendDim(sb, d, shape, Shape.strides(shape), 0, 0, style, summarize, "tensor(".length());
        }
        sb.append(", shape=").append(Shape.format(shape));
        if (t.gradFn() != null) {
            sb.append(", grad_fn=").append(t.gradFn());
        } else if (t.requiresGrad()) {
            sb.append(", requires_grad=True");
        }
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, float[] d, int[] shape, int[] strides, int dim, int offset,
                                  String style, boolean summarize, int indent) {
        sb.append('[');
        int n = shape[dim];
        boolean last = dim == shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (last) {
                sb.append(fmt(d[offset + i * strides[dim]], style));
            } else {
                appendDim(sb, d, shape, strides, dim + 1, offset + i * strides[dim], style, summarize, indent);
            }
            if (i < n - 1) {
                if (last) {
                    sb.append(", ");
                } else {
                    sb.append(",").append("\n".repeat(shape.length - dim - 1)).append(" ".repeat(indent + dim + 1));
                }
            }
        }
        sb.append(']');
    }

    private static String chooseStyle(float[] d) {
        boolean allInt = true;
        double maxAbs = 0;
        double minAbs = Double.MAX_VALUE;
        for (float v : d) {
            if (!Float.isFinite(v)) {
                continue;
            }
            if (v != Math.rint(v)) {
                allInt = false;
            }
            double a = Math.abs(v);
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) {
                minAbs = Math.min(minAbs, a);
            }
        }
        if (allInt && maxAbs < 1e8) {
            return "int";
        }
        if (maxAbs >= 1e8 || (minAbs < 1e-4) || (minAbs != Double.MAX_VALUE && maxAbs / minAbs > 1000)) {
            return "sci";
        }
        return "fixed";
    }

    private static String fmt(float v, String style) {
        if (Float.isNaN(v)) {
            return "nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        switch (style) {
            case "int":
                return String.format(Locale.ROOT, "%.0f.", v);
            case "sci":
                return String.format(Locale.ROOT, "%.4e", v);
            default:
                return String.format(Locale.ROOT, "%.4f", v);
        }
    }
}
