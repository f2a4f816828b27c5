package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.PackedSequence;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code lstm_packed}: {@code nn.LSTM} over
 * {@code pack_padded_sequence(x, lengths, batch_first, enforce_sorted=False)} with the lengths of
 * {@code input.lengths} (I64), padded back with {@code pad_packed_sequence(..., total_length=T)};
 * initial states from {@code input.h0, input.c0} when the file has them. Absent config keys
 * ({@code proj_size}, {@code bias}) take PyTorch's defaults; without {@code batch_first} the
 * layout is read from the shape of {@code input.x}.
 */
final class LstmPackedCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return LstmCase.buildLstm(f);
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        Tensor x = inputs.get("x");
        long[] lengths = lengths(f);
        boolean batchFirst = batchFirst(f, x, lengths.length);
        LstmCase.checkInitialState(f, inputs);
        PackedSequence packed = PackedSequence.pack(x, lengths, batchFirst);
        LSTM.PackedOutput out = ((LSTM) module).forward(packed, inputs.get("h0"), inputs.get("c0"));
        Tensor padded = out.output().pad(batchFirst, x.size(batchFirst ? 1 : 0));
        return Map.of("output", padded, "h_n", out.hN(), "c_n", out.cN());
    }

    /**
     * The layout of {@code input.x}: {@code config.batch_first} when present, else read from the
     * shape (batch-first when the first dimension is the batch and the second is not).
     */
    private static boolean batchFirst(Fixture f, Tensor x, int batch) {
        boolean first = x.size(0) == batch;
        boolean second = x.size(1) == batch;
        Object v = f.config().get("batch_first");
        boolean batchFirst = v instanceof Boolean ? (Boolean) v : first && !second;
        if (batchFirst ? !first : !second) {
            throw new AssertionError(f.name() + ": input.x of shape " + Arrays.toString(x.shape()) + " does not hold "
                + batch + " sequences " + (batchFirst ? "batch-first" : "time-major"));
        }
        return batchFirst;
    }

    /** {@code input.lengths}, which must agree with {@code config.lengths} when both are present. */
    private static long[] lengths(Fixture f) {
        Object cfg = f.config().get("lengths");
        long[] fromConfig = null;
        if (cfg instanceof List<?>) {
            List<?> l = (List<?>) cfg;
            fromConfig = new long[l.size()];
            for (int i = 0; i < fromConfig.length; i++) {
                fromConfig[i] = ((Number) l.get(i)).longValue();
            }
        }
        if (!f.has("input.lengths")) {
            if (fromConfig == null) {
                throw new AssertionError(f.name() + ": neither input.lengths nor config.lengths");
            }
            return fromConfig;
        }
        long[] fromFile = f.longs("input.lengths");
        if (fromConfig != null && !Arrays.equals(fromConfig, fromFile)) {
            throw new AssertionError(f.name() + ": config.lengths " + Arrays.toString(fromConfig)
                + " differ from input.lengths " + Arrays.toString(fromFile));
        }
        return fromFile;
    }
}
