package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.data.Csv;
import io.github.lstm4j.data.DataLoader;
import io.github.lstm4j.data.MinMaxScaler;
import io.github.lstm4j.data.SlidingWindow;
import io.github.lstm4j.data.StandardScaler;
import io.github.lstm4j.data.TensorDataset;
import io.github.lstm4j.data.TimeSplit;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.CrossEntropyLoss;
import io.github.lstm4j.nn.Dropout;
import io.github.lstm4j.nn.Embedding;
import io.github.lstm4j.nn.GRU;
import io.github.lstm4j.nn.GRUCell;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.LSTMCell;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.PackedSequence;
import io.github.lstm4j.nn.Parameter;
import io.github.lstm4j.nn.RNN;
import io.github.lstm4j.nn.RNNCell;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.AdamW;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.CosineAnnealingLR;
import io.github.lstm4j.optim.ExponentialLR;
import io.github.lstm4j.optim.Optimizers;
import io.github.lstm4j.optim.ReduceLROnPlateau;
import io.github.lstm4j.optim.SGD;
import io.github.lstm4j.optim.StepLR;
import io.github.lstm4j.tensor.Kernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Walks the public API with wrong arguments. Every call must fail at the boundary with
 * {@link IllegalArgumentException}, {@link IllegalStateException} or
 * {@link IndexOutOfBoundsException} (never an {@link ArrayIndexOutOfBoundsException},
 * {@link NegativeArraySizeException}, {@link NullPointerException} or an {@link Error} from inside
 * a kernel), with a message that names what was expected and what came. Null arguments are out of
 * scope: like the JDK, the library answers them with a {@code NullPointerException}.
 */
class ApiMisuseTest {

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;
    private static final Class<IndexOutOfBoundsException> IOOBE = IndexOutOfBoundsException.class;

    /**
     * A check that {@code call} throws {@code type} (and not one of the exceptions a kernel throws
     * by accident) with a message containing every fragment.
     */
    private static Executable rejects(Class<? extends RuntimeException> type, Executable call, String... fragments) {
        String wanted = type.getSimpleName() + " naming " + String.join(", ", fragments);
        return () -> {
            Throwable thrown = null;
            try {
                call.execute();
            } catch (Throwable t) {
                thrown = t;
            }
            if (thrown == null) {
                fail("expected " + wanted + ", but the call succeeded");
            }
            if (thrown instanceof ArrayIndexOutOfBoundsException || thrown instanceof NegativeArraySizeException
                || thrown instanceof NullPointerException || thrown instanceof ClassCastException
                || thrown instanceof Error) {
                fail("expected " + wanted + ", got " + thrown + " from inside the library", thrown);
            }
            if (!type.isInstance(thrown)) {
                fail("expected " + wanted + ", got " + thrown, thrown);
            }
            String message = thrown.getMessage();
            assertNotNull(message, "no message: " + thrown);
            for (String f : fragments) {
                assertTrue(message.contains(f), "message \"" + message + "\" should contain \"" + f + "\"");
            }
        };
    }

    private static Tensor t(int... shape) {
        return Tensor.zeros(shape);
    }

    // ------------------------------------------------------------------ tensors

    @Test
    void tensorCreationRejectsNegativeSizesAndWrongDataLength() {
        Generator g = new Generator(0);
        assertAll(
            rejects(IAE, () -> Tensor.zeros(2, -3), "negative", "[2, -3]"),
            rejects(IAE, () -> Tensor.ones(-1), "negative", "[-1]"),
            rejects(IAE, () -> Tensor.full(1f, -1, 2), "negative", "[-1, 2]"),
            rejects(IAE, () -> Tensor.randn(g, -2), "negative", "[-2]"),
            rejects(IAE, () -> Tensor.uniform(g, 0f, 1f, 3, -1), "negative", "[3, -1]"),
            rejects(IAE, () -> Tensor.of(new float[5], 2, 3), "5", "[2, 3]", "6"),
            rejects(IAE, () -> Tensor.wrap(new float[7], 2, 3), "7", "[2, 3]", "6"),
            rejects(IAE, () -> Tensor.of(new float[][] {{1, 2}, {3}}), "row 1", "1", "2"),
            rejects(IAE, () -> Tensor.zeros(65536, 65536), "[65536, 65536]", "2^31-1"),
            rejects(IAE, () -> Tensor.arange(0, 1, 0), "step"),
            rejects(IAE, () -> Tensor.arange(1, 0, 1), "start=1.0", "end=0.0"));
    }

    @Test
    void reshapeAndViewRejectShapesThatDoNotFit() {
        assertAll(
            rejects(IAE, () -> t(2, 3).reshape(4), "[4]", "6"),
            rejects(IAE, () -> t(2, 3).view(5), "[5]", "6"),
            rejects(IAE, () -> t(2, 3).reshape(-1, -1), "only one dimension can be inferred"),
            rejects(IAE, () -> t(2, 3).reshape(-2, 3), "-2"),
            rejects(IAE, () -> t(2, 3).permute(0), "2 dims", "[0]"),
            rejects(IAE, () -> t(2, 3).permute(0, 0), "repeated dim"),
            rejects(IAE, () -> t(2, 3).expand(2, 2), "[2, 3]", "[2, 2]"),
            rejects(IAE, () -> t(2, 3).expand(3), "(1)", "(2)"));
    }

    @Test
    void selectNarrowAndIndexingRejectPositionsOutOfRange() {
        assertAll(
            rejects(IOOBE, () -> t(2, 3).select(1, 3), "index 3", "[2, 3]", "dimension 1"),
            rejects(IOOBE, () -> t(2, 3).select(1, -4), "index -4"),
            rejects(IOOBE, () -> t(2, 3).select(1, Integer.MIN_VALUE), "-2147483648"),
            rejects(IAE, () -> t(2, 3).select(2, 0), "[-2, 1]", "got 2"),
            rejects(IAE, () -> Tensor.scalar(1).select(0, 0), "0-dim"),
            rejects(IAE, () -> t(2, 3).narrow(1, 2, 2), "start 2", "length 2", "size 3"),
            rejects(IAE, () -> t(2, 3).narrow(1, 0, -1), "length -1"),
            rejects(IAE, () -> t(2, 3).narrow(1, 1, Integer.MAX_VALUE), "2147483647", "size 3"),
            rejects(IAE, () -> t(2, 3).slice(5, 0, 1), "got 5"),
            rejects(IAE, () -> t(2, 3).transpose(0, 3), "got 3"),
            rejects(IAE, () -> t(2, 3).unsqueeze(4), "[-3, 2]", "got 4"),
            rejects(IAE, () -> t(2, 3).get(1), "[1]", "[2, 3]"),
            rejects(IOOBE, () -> t(2, 3).get(2, 0), "index 2", "dimension 0", "size 2"),
            rejects(ISE, () -> t(2).item(), "2 elements"),
            rejects(IAE, () -> t(4).chunk(0, 0), "got: 0"),
            rejects(IAE, () -> t(4).split(-1, 0), "split_size=-1"));
    }

    @Test
    void matmulAndBroadcastingNameBothShapes() {
        assertAll(
            rejects(IAE, () -> t(2, 3).matmul(t(4, 5)), "[2, 3]", "[4, 5]"),
            rejects(IAE, () -> t(3).matmul(t(4)), "[3]", "[4]"),
            rejects(IAE, () -> t(2, 2, 3).matmul(t(3, 3, 4)), "[2, 2, 3]", "[3, 3, 4]"),
            rejects(IAE, () -> Tensor.scalar(1).matmul(t(2)), "[]", "[2]"),
            rejects(IAE, () -> t(2, 3).add(t(4)), "[2, 3]", "[4]"),
            rejects(IAE, () -> t(2, 3).mul(t(2, 2)), "[2, 3]", "[2, 2]"),
            rejects(IAE, () -> t(2, 3).maximum(t(2, 2)), "[2, 3]", "[2, 2]"),
            rejects(IAE, () -> t(2, 3).pow(t(2, 2)), "[2, 3]", "[2, 2]"),
            rejects(IAE, () -> t(100000, 1).matmul(t(1, 100000)), "[100000, 100000]", "2^31-1"));
    }

    @Test
    void catAndStackNameTheMismatchedEntry() {
        assertAll(
            rejects(IAE, () -> Tensor.cat(List.of(), 0), "non-empty"),
            rejects(IAE, () -> Tensor.cat(List.of(t(2, 3), t(2, 4)), 0), "position 1", "[2, 3]", "[2, 4]"),
            rejects(IAE, () -> Tensor.cat(List.of(t(2, 3), t(3)), 0), "[2, 3]", "[3]"),
            rejects(IAE, () -> Tensor.cat(List.of(t(2, 3), t(2, 3)), 2), "got 2"),
            rejects(IAE, () -> Tensor.stack(List.of(t(2, 3), t(3, 2)), 0), "entry 1", "[2, 3]", "[3, 2]"),
            rejects(IAE, () -> Tensor.stack(List.of(t(2, 3), t(2, 3)), 4), "got 4"),
            rejects(IAE, () -> Tensor.stack(List.of(), 0), "non-empty"));
    }

    @Test
    void reductionsRejectDimsOutOfRangeAndEmptyInputs() {
        assertAll(
            rejects(IAE, () -> t(2, 3).sum(3, false), "got 3"),
            rejects(IAE, () -> t(2, 3).mean(-3, false), "got -3"),
            rejects(IAE, () -> t(2, 3).sum(new int[] {0, 0}, false), "dim 0", "multiple"),
            rejects(IAE, () -> t(0).max(), "empty", "[0]"),
            rejects(IAE, () -> t(2, 3).norm(Double.NaN), "NaN"),
            rejects(IAE, () -> t(2).clamp(1, 0), "min 1.0", "max 0.0"));
    }

    @Test
    void inPlaceOpsAndBackwardRejectMismatchedShapesAndMisuse() {
        assertAll(
            rejects(IAE, () -> t(2, 3).add_(t(3, 3)), "[3, 3]", "[2, 3]"),
            rejects(IAE, () -> t(2, 3).mul_(t(2, 2)), "[2, 2]", "[2, 3]"),
            rejects(IAE, () -> t(2, 3).copy_(t(4)), "[4]", "[2, 3]"),
            rejects(IAE, () -> t(2, 3).addcdiv_(t(4), t(2, 3), 1f), "[4]", "[2, 3]"),
            rejects(ISE, () -> t(2).requiresGrad_(true).add_(1f), "leaf", "in-place"),
            rejects(ISE, () -> t(2).requiresGrad_(true).mul(2f).backward(), "scalar", "[2]"),
            rejects(IAE, () -> t(2).requiresGrad_(true).mul(2f).backward(t(3)), "[3]", "[2]"),
            rejects(ISE, () -> t(2).sum().backward(), "does not require grad"),
            rejects(IAE, () -> t(2).setGrad(t(3)), "[3]", "[2]"),
            rejects(ISE, () -> t(2).requiresGrad_(true).mul(2f).requiresGrad_(false), "leaf", "MulBackward"),
            rejects(ISE, () -> {
                Tensor x = t(2).requiresGrad_(true);
                Tensor y = x.mul(x).sum();
                y.backward();
                y.backward();
            }, "second time"));
    }

    // ------------------------------------------------------------------ layers

    @Test
    void linearRejectsWrongWidthAndNegativeSizes() {
        assertAll(
            rejects(IAE, () -> new Linear(7, 2).forward(t(4, 5)), "7", "[4, 5]"),
            rejects(IAE, () -> new Linear(1, 2).forward(Tensor.scalar(1)), "1", "[]"),
            rejects(IAE, () -> new Linear(-1, 2), "in_features", "-1"),
            rejects(IAE, () -> new Linear(2, -1), "out_features", "-1"),
            rejects(IAE, () -> new Linear(65536, 65536), "[65536, 65536]"));
    }

    @Test
    void recurrentLayersRejectWrongRankFeatureSizeStateShapesAndOptions() {
        LSTM lstm = new LSTM(2, 4);
        assertAll(
            rejects(IAE, () -> new LSTM(-1, 4), "input_size", "-1"),
            rejects(IAE, () -> new LSTM(2, -4), "hidden_size", "-4"),
            rejects(IAE, () -> new LSTM(2, 0), "hidden_size", "0"),
            rejects(IAE, () -> new LSTM(2, 4, 0), "num_layers", "0"),
            rejects(IAE, () -> LSTM.builder(2, 4).dropout(Double.NaN).build(), "dropout", "NaN"),
            rejects(IAE, () -> LSTM.builder(2, 4).dropout(1.5).build(), "dropout", "1.5"),
            rejects(IAE, () -> LSTM.builder(2, 4).projSize(4).build(), "proj_size=4", "hidden_size=4"),
            rejects(IAE, () -> LSTM.builder(2, 4).projSize(-1).build(), "proj_size", "-1"),
            rejects(IAE, () -> lstm.forward(t(1, 2, 3, 2)), "2D or 3D", "[1, 2, 3, 2]"),
            rejects(IAE, () -> lstm.forward(t(2)), "2D or 3D", "[2]"),
            rejects(IAE, () -> lstm.forward(t(5, 1, 3)), "Expected 2, got 3", "[5, 1, 3]"),
            rejects(IAE, () -> lstm.forward(t(5, 3)), "Expected 2, got 3", "[5, 3]"),
            rejects(IAE, () -> lstm.forward(t(5, 1, 2), t(1, 1, 3), t(1, 1, 4)), "hidden[0]", "[1, 1, 4]", "[1, 1, 3]"),
            rejects(IAE, () -> lstm.forward(t(5, 1, 2), t(1, 1, 4), t(2, 1, 4)), "hidden[1]", "[1, 1, 4]", "[2, 1, 4]"),
            rejects(IAE, () -> lstm.forward(t(5, 3, 2), t(1, 2, 4), t(1, 3, 4)), "[1, 3, 4]", "[1, 2, 4]"),
            rejects(IAE, () -> lstm.forward(t(5, 3, 2), t(1, 4), t(1, 4)), "3-D", "[1, 4]"),
            rejects(IAE, () -> lstm.forward(t(5, 2), t(1, 1, 4), t(1, 1, 4)), "2-D", "[1, 1, 4]"),
            rejects(IAE, () -> lstm.forward(t(5, 3, 2), null, t(1, 3, 4)), "c_0"),
            rejects(IAE, () -> LSTM.builder(2, 4).bidirectional(true).build().forward(t(3, 1, 2), t(1, 1, 4), t(1, 1, 4)),
                "[2, 1, 4]", "[1, 1, 4]"),
            rejects(IAE, () -> LSTM.builder(2, 4).projSize(2).build().forward(t(5, 1, 2), t(1, 1, 4), t(1, 1, 4)),
                "[1, 1, 2]", "[1, 1, 4]"),
            rejects(IAE, () -> lstm.forward(PackedSequence.pack(t(3, 2, 3), new int[] {3, 2}, false)), "Expected 2, got 3"),
            rejects(IAE, () -> PackedSequence.pack(t(3, 2, 1), new int[] {4, 1}, false), "length 4", "[1, 3]"),
            rejects(IAE, () -> PackedSequence.pack(t(3, 2, 1), new int[] {3}, false), "expected 2 lengths", "got 1"),
            rejects(IAE, () -> new GRU(-1, 4), "input_size", "-1"),
            rejects(IAE, () -> GRU.builder(2, 4).dropout(Double.NaN).build(), "dropout", "NaN"),
            rejects(IAE, () -> new GRU(2, 4).forward(t(5, 1, 3)), "GRU", "Expected 2, got 3"),
            rejects(IAE, () -> new GRU(2, 4).forward(t(1, 5, 1, 3)), "GRU", "[1, 5, 1, 3]"),
            rejects(IAE, () -> new GRU(2, 4).forward(t(5, 1, 2), t(2, 1, 4)), "GRU", "[1, 1, 4]", "[2, 1, 4]"),
            rejects(IAE, () -> new RNN(2, -1), "hidden_size", "-1"),
            rejects(IAE, () -> RNN.builder(2, 4).dropout(Double.NaN).build(), "dropout", "NaN"),
            rejects(IAE, () -> RNN.builder(2, 4).nonlinearity("gelu").build(), "gelu", "tanh", "relu"),
            rejects(IAE, () -> new RNN(2, 4).forward(t(5, 1, 3)), "RNN", "Expected 2, got 3"),
            rejects(IAE, () -> new RNN(2, 4).forward(t(5, 1, 2), t(1, 2, 4)), "RNN", "[1, 1, 4]", "[1, 2, 4]"));
    }

    /** PyTorch raises "Expected sequence length to be larger than 0 in RNN"; so does lstm4j. */
    @Test
    void recurrentLayersRejectAnEmptySequenceLikePyTorch() {
        assertAll(
            rejects(IAE, () -> new LSTM(2, 4).forward(t(0, 1, 2)), "sequence length"),
            rejects(IAE, () -> new LSTM(2, 4).forward(t(0, 2)), "sequence length"),
            rejects(IAE, () -> LSTM.builder(2, 4).batchFirst(true).build().forward(t(1, 0, 2)), "sequence length"),
            rejects(IAE, () -> new GRU(2, 4).forward(t(0, 1, 2)), "sequence length"),
            rejects(IAE, () -> new RNN(2, 4).forward(t(0, 1, 2)), "sequence length"));
    }

    @Test
    void cellsRejectWrongShapes() {
        LSTMCell cell = new LSTMCell(2, 4);
        assertAll(
            rejects(IAE, () -> new LSTMCell(-1, 2), "input_size", "-1"),
            rejects(IAE, () -> new LSTMCell(2, 0), "hidden_size", "0"),
            rejects(IAE, () -> cell.forward(t(3, 5)), "got 5, expected 2", "[3, 5]"),
            rejects(IAE, () -> cell.forward(t(1, 3, 2)), "1D or 2D", "[1, 3, 2]"),
            rejects(IAE, () -> cell.forward(Tensor.scalar(1)), "1D or 2D"),
            rejects(IAE, () -> cell.forward(t(3, 2), t(3, 5), t(3, 4)), "h_0", "[3, 4]", "[3, 5]"),
            rejects(IAE, () -> cell.forward(t(3, 2), t(3, 4), t(2, 4)), "c_0", "[3, 4]", "[2, 4]"),
            rejects(IAE, () -> cell.forward(t(2), t(1, 4), t(1, 4)), "[4]", "[1, 4]"),
            rejects(IAE, () -> cell.forward(t(3, 2), null, t(3, 4)), "c_0"),
            rejects(IAE, () -> new GRUCell(2, 4).forward(t(3, 5)), "GRUCell", "got 5", "2"),
            rejects(IAE, () -> new GRUCell(2, 4).forward(t(3, 2), t(3, 5)), "GRUCell", "[3, 4]", "[3, 5]"),
            rejects(IAE, () -> new GRUCell(2, 4).forward(t(1, 1, 2)), "GRUCell", "[1, 1, 2]"),
            rejects(IAE, () -> new RNNCell(2, 4).forward(t(3, 5)), "RNNCell", "got 5", "2"),
            rejects(IAE, () -> new RNNCell(2, 4).forward(t(3, 2), t(2, 4)), "RNNCell", "[3, 4]", "[2, 4]"),
            rejects(IAE, () -> new RNNCell(2, 4, true, "gelu"), "gelu"));
    }

    @Test
    void embeddingAndLossesRejectIndicesOutOfRange() {
        Embedding emb = new Embedding(3, 2);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        assertAll(
            rejects(IAE, () -> new Embedding(-1, 2), "num_embeddings", "-1"),
            rejects(IAE, () -> new Embedding(3, 2, 5, new Generator(0)), "padding_idx 5", "[-3, 3)"),
            rejects(IAE, () -> emb.forward(Tensor.of(0, 3)), "index 3", "[1]", "[0, 3)"),
            rejects(IAE, () -> emb.forward(Tensor.of(-1)), "index -1", "[0, 3)"),
            rejects(IAE, () -> emb.forward(Tensor.of(1.5f)), "integer", "1.5"),
            rejects(IAE, () -> emb.forward(Tensor.of(Float.NaN)), "integer", "NaN"),
            rejects(IAE, () -> emb.forward(Tensor.of(1e10f)), "integer", "1.0E10"),
            rejects(IAE, () -> Embedding.fromPretrained(t(3), true, null), "2-dimensional", "[3]"),
            rejects(IAE, () -> ce.forward(t(2, 3), Tensor.of(0, 3)), "target 3", "[1]", "[0, 3)"),
            rejects(IAE, () -> ce.forward(t(2, 3), Tensor.of(0, -1)), "target -1", "[0, 3)"),
            rejects(IAE, () -> ce.forward(t(2, 3), Tensor.of(0, 1.5f)), "integer", "1.5"),
            rejects(IAE, () -> ce.forward(t(2, 3), Tensor.of(0, 1, 2)), "[2, 3]", "[2]", "[3]"),
            rejects(IAE, () -> ce.forward(Tensor.scalar(1), Tensor.scalar(0)), "0-dim"),
            rejects(IAE, () -> CrossEntropyLoss.builder().weight(t(2)).build().forward(t(2, 3), Tensor.of(0, 1)),
                "3 classes", "[2]"),
            rejects(IAE, () -> CrossEntropyLoss.builder().labelSmoothing(Float.NaN).build(), "label_smoothing", "NaN"),
            rejects(IAE, () -> new MSELoss().forward(t(2, 3), t(4)), "[2, 3]", "[4]"),
            rejects(IAE, () -> new Dropout(Double.NaN), "dropout probability", "NaN"),
            rejects(IAE, () -> new Dropout(1.5), "dropout probability", "1.5"));
    }

    /** {@code F.dropout} rejects p outside [0, 1], and so does {@code Dropout.dropout}. */
    @Test
    void functionalDropoutRejectsAProbabilityOutsideZeroToOne() {
        Generator g = new Generator(0);
        assertAll(
            rejects(IAE, () -> Dropout.dropout(t(3), Float.NaN, true, g), "dropout probability", "NaN"),
            rejects(IAE, () -> Dropout.dropout(t(3), 2f, true, g), "dropout probability", "2.0"),
            rejects(IAE, () -> Dropout.dropout(t(3), -0.5f, true, g), "dropout probability", "-0.5"));
    }

    /**
     * Sizes whose product passes 2^31-1 must be refused with the shape that was asked for, before
     * anything is allocated (never a NegativeArraySizeException or OutOfMemoryError).
     * (The cells have the same overflow, but reaching it takes a batch whose zero state alone
     * fills gigabytes, so they are not exercised here.)
     */
    @Test
    void resultsTooLargeForOneArrayAreRefusedBeforeAllocating() {
        assertAll(
            rejects(IAE, () -> Tensor.arange(0, 1e10, 1), "arange"),
            rejects(IAE, () -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1), "arange"),
            rejects(IAE, () -> new Linear(1, 3000).forward(t(1_000_000, 1)), "[1000000, 3000]"),
            // layers over (T=1000, B=1000): the states are small, the gates of all steps are not
            rejects(IAE, () -> new LSTM(1, 600).forward(t(1000, 1000, 1)), "1000"),
            rejects(IAE, () -> new GRU(1, 800).forward(t(1000, 1000, 1)), "1000"),
            rejects(IAE, () -> new LSTM(1, Integer.MAX_VALUE / 2), "hidden_size"),
            rejects(IAE, () -> new GRU(1, Integer.MAX_VALUE / 2), "hidden_size"),
            rejects(IAE, () -> new LSTMCell(1, Integer.MAX_VALUE / 2), "hidden_size"));
    }

    // ------------------------------------------------------------------ state dicts

    @Test
    void loadStateDictListsMissingUnexpectedAndWrongShapedKeys() {
        LSTMModel model = new LSTMModel(1, 4, 1, 2);
        Map<String, Tensor> missing = new LinkedHashMap<>(model.stateDict());
        missing.remove("lstm.weight_hh_l1");
        Map<String, Tensor> unexpected = new LinkedHashMap<>(model.stateDict());
        unexpected.put("fc.extra", t(1));
        Map<String, Tensor> wrongShape = new LinkedHashMap<>(model.stateDict());
        wrongShape.put("fc.weight", t(1, 5));
        assertAll(
            rejects(IAE, () -> model.loadStateDict(missing), "LSTMModel", "Missing key(s)", "\"lstm.weight_hh_l1\""),
            rejects(IAE, () -> model.loadStateDict(unexpected), "Unexpected key(s)", "\"fc.extra\""),
            rejects(IAE, () -> model.loadStateDict(wrongShape, false), "size mismatch for fc.weight", "[1, 5]", "[1, 4]"));
    }

    // ------------------------------------------------------------------ optimizers

    @Test
    void optimizersRejectInvalidHyperparametersNamingThem() {
        List<Parameter> ps = new Linear(2, 2).parameters();
        assertAll(
            rejects(IAE, () -> new Adam(ps, Double.NaN), "Invalid learning rate", "NaN"),
            rejects(IAE, () -> new Adam(ps, -1), "Invalid learning rate", "-1.0"),
            rejects(IAE, () -> new Adam(ps, Double.POSITIVE_INFINITY), "Invalid learning rate", "Infinity"),
            rejects(IAE, () -> Adam.builder(ps).betas(1.0, 0.999).build(), "beta", "index 0", "1.0"),
            rejects(IAE, () -> Adam.builder(ps).betas(0.9, -0.1).build(), "beta", "index 1", "-0.1"),
            rejects(IAE, () -> Adam.builder(ps).betas(Double.NaN, 0.9).build(), "beta", "NaN"),
            rejects(IAE, () -> Adam.builder(ps).eps(-1).build(), "epsilon", "-1.0"),
            rejects(IAE, () -> Adam.builder(ps).weightDecay(Double.NaN).build(), "weight_decay", "NaN"),
            rejects(IAE, () -> Adam.builder(ps).set("lrr", 0.1).build(), "'lrr'"),
            rejects(IAE, () -> Adam.builder(ps).set("lr", "fast").build(), "'lr'", "fast"),
            rejects(IAE, () -> new Adam(List.of(), 0.1), "empty"),
            rejects(IAE, () -> new Adam(List.of(ps.get(0), ps.get(0)), 0.1), "duplicate"),
            rejects(IAE, () -> new AdamW(ps, Double.NaN), "Invalid learning rate", "NaN"),
            rejects(IAE, () -> AdamW.builder(ps).betas(0.9, 1.0).build(), "beta", "1.0"),
            rejects(IAE, () -> new SGD(ps, -1), "Invalid learning rate", "-1.0"),
            rejects(IAE, () -> SGD.builder(ps).lr(0.1).set("momentum", -1.0).build(), "momentum", "-1.0"),
            rejects(IAE, () -> SGD.builder(ps).lr(0.1).set("nesterov", true).build(), "Nesterov"),
            rejects(IAE, () -> Optimizers.create("Adamax", ps, Map.of()), "Adamax", "adam"));
    }

    @Test
    void schedulersAndClippingRejectInvalidArguments() {
        List<Parameter> ps = new Linear(2, 2).parameters();
        SGD sgd = new SGD(ps, 0.1);
        assertAll(
            // PyTorch's clip_grad_norm_ does not check max_norm itself; lstm4j refuses negative and NaN
            rejects(IAE, () -> ClipGrad.clipGradNorm(ps, -1), "max_norm", "-1.0"),
            rejects(IAE, () -> ClipGrad.clipGradNorm(ps, Double.NaN), "max_norm", "NaN"),
            rejects(IAE, () -> ClipGrad.clipGradNorm(ps, 1, 0), "norm_type", "0.0"),
            rejects(IAE, () -> ClipGrad.clipGradValue(ps, Double.NaN), "clip_value", "NaN"),
            rejects(ISE, () -> {
                Parameter q = new Linear(1, 1).weight;
                q.setGrad(Tensor.of(new float[] {Float.NaN}, 1, 1));
                ClipGrad.clipGradNorm(List.of(q), 1, 2, true);
            }, "non-finite"),
            rejects(IAE, () -> new StepLR(sgd, 0, 0.1), "step_size", "0"),
            rejects(IAE, () -> new StepLR(sgd, 1, Double.NaN), "gamma", "NaN"),
            rejects(IAE, () -> new ExponentialLR(sgd, Double.NaN), "gamma", "NaN"),
            rejects(IAE, () -> new CosineAnnealingLR(sgd, 0), "T_max", "0"),
            rejects(IAE, () -> ReduceLROnPlateau.builder(sgd).factor(1.0).build(), "Factor", "1.0"),
            rejects(IAE, () -> ReduceLROnPlateau.builder(sgd).mode("x").build(), "mode x"),
            rejects(IAE, () -> ReduceLROnPlateau.builder(sgd).patience(-1).build(), "patience", "-1"),
            rejects(IAE, () -> ReduceLROnPlateau.builder(sgd).minLrs(0.1, 0.2).build(), "1", "2"));
    }

    @Test
    void optimizerStateWithWrongShapesIsRejectedBeforeAnythingChanges() {
        Linear small = new Linear(2, 2);
        Adam trained = new Adam(small.parameters(), 0.1);
        small.forward(Tensor.ones(1, 2)).sum().backward();
        trained.step();
        Adam other = new Adam(new Linear(3, 3).parameters(), 0.1);
        assertAll(rejects(IAE, () -> other.loadStateDict(trained.stateDict()), "shape", "[2, 2]", "[3, 3]"));
    }

    // ------------------------------------------------------------------ data

    @Test
    void dataPipelineRejectsBadSizesAndUnfittedScalers() {
        TensorDataset ds = new TensorDataset(t(10, 3), t(10, 1));
        assertAll(
            rejects(IAE, () -> new DataLoader(ds, 0), "batch_size=0"),
            rejects(IAE, () -> DataLoader.builder(ds).batchSize(-1).build(), "batch_size=-1"),
            rejects(IAE, () -> DataLoader.builder(ds).shuffle(true).build().setGeneratorState(new long[2]), "4", "2"),
            rejects(IAE, () -> new TensorDataset(t(10, 3), t(9, 1)), "[10, 3]", "[9, 1]"),
            rejects(IAE, () -> new TensorDataset(Tensor.scalar(1)), "0-dim"),
            rejects(IOOBE, () -> ds.get(10), "10", "size 10"),
            rejects(IOOBE, () -> ds.get(-1), "-1"),
            rejects(IAE, () -> ds.range(5, 11), "[5, 11)", "10"),
            rejects(IAE, () -> SlidingWindow.of(10).apply(new float[5]), "5 steps", "window 10", "11"),
            rejects(IAE, () -> SlidingWindow.of(0), "window", "0"),
            rejects(IAE, () -> SlidingWindow.of(2).horizon(0), "horizon", "0"),
            rejects(IAE, () -> SlidingWindow.of(2).stride(0), "stride", "0"),
            rejects(IAE, () -> SlidingWindow.of(2).targetColumns(2).apply(t(10, 2)), "column 2", "2 features"),
            rejects(IAE, () -> SlidingWindow.of(2).apply(t(10, 2, 1)), "(T) or (T, F)", "[10, 2, 1]"),
            rejects(IAE, () -> TimeSplit.fractions(0.9, 0.2), "0.9", "0.2"),
            rejects(IAE, () -> TimeSplit.fractions(Double.NaN, 0.1), "NaN"),
            rejects(IAE, () -> TimeSplit.counts(8, 5).sizes(10), "8", "5", "10"),
            rejects(ISE, () -> new MinMaxScaler().transform(t(3, 1)), "not fitted"),
            rejects(ISE, () -> new StandardScaler().inverseTransform(t(3, 1)), "not fitted"),
            rejects(IAE, () -> new MinMaxScaler().fit(Tensor.of(new float[] {1, Float.NaN}, 2, 1)), "NaN", "position 1"),
            rejects(IAE, () -> {
                MinMaxScaler s = new MinMaxScaler();
                s.fit(t(3, 2));
                s.transform(t(3, 3));
            }, "2 features", "[3, 3]"),
            rejects(IAE, () -> Csv.parse("x.csv", "a,b\n1,2\nx,3\n").column("a"), "x.csv", "line 3", "\"x\""),
            rejects(IAE, () -> Csv.parse("x.csv", "a,b\n1,2\n3\n"), "line 3", "2 fields", "1"),
            rejects(IAE, () -> Csv.parse("x.csv", "a,b\n1,2\n").column("c"), "\"c\"", "[a, b]"),
            rejects(IAE, () -> Csv.parse("x.csv", "a,b\n1,2\n").column(5), "5", "2 columns"));
    }

    /** {@code TensorDataset.tensor(k)} names the bad index instead of an ArrayIndexOutOfBoundsException. */
    @Test
    void tensorDatasetRejectsATensorIndexOutOfRange() {
        TensorDataset ds = new TensorDataset(t(10, 3), t(10, 1));
        assertAll(
            rejects(IOOBE, () -> ds.tensor(2), "2"),
            rejects(IOOBE, () -> ds.tensor(-1), "-1"));
    }

    /**
     * {@code window + horizon} must not overflow int: a series shorter than the span is refused by
     * name even for spans near 2^31.
     */
    @Test
    void slidingWindowLongerThanTheSeriesIsRefusedEvenNearIntMax() {
        assertAll(
            rejects(IAE, () -> SlidingWindow.of(2).horizon(Integer.MAX_VALUE).apply(new float[5]), "5 steps"),
            rejects(IAE, () -> SlidingWindow.of(1 << 30).horizon(1 << 30).apply(new float[5]), "5 steps"));
    }

    // ------------------------------------------------------------------ kernels

    @Test
    void gemmFacadeRejectsArraysTooSmallAndBadStrides() {
        assertAll(
            rejects(IAE, () -> Kernels.gemm(false, false, 2, 2, 2, new float[3], 0, 2, new float[4], 0, 2, 0f,
                new float[4], 0, 2), "A needs 4", "has 3"),
            rejects(IAE, () -> Kernels.gemm(false, true, 2, 3, 2, new float[4], 0, 2, new float[5], 0, 2, 0f,
                new float[6], 0, 3), "B needs 6", "transB", "has 5"),
            rejects(IAE, () -> Kernels.gemm(false, false, 2, 2, 2, new float[4], 0, 2, new float[4], 0, 2, 0f,
                new float[3], 0, 2), "C needs 4", "has 3"),
            rejects(IAE, () -> Kernels.gemm(false, false, -1, 2, 2, new float[4], 0, 2, new float[4], 0, 2, 0f,
                new float[4], 0, 2), "m=-1"),
            rejects(IAE, () -> Kernels.gemm(false, false, 2, 2, 2, new float[4], 0, 1, new float[4], 0, 2, 0f,
                new float[4], 0, 2), "lda=1"),
            rejects(IAE, () -> Kernels.gemm(false, false, 2, 2, 2, new float[4], -1, 2, new float[4], 0, 2, 0f,
                new float[4], 0, 2), "offset -1"),
            rejects(IAE, () -> Kernels.gemm(false, false, 2, 2, 2, new float[4], Integer.MAX_VALUE, 2, new float[4], 0, 2,
                0f, new float[4], 0, 2), "2147483647"),
            rejects(IAE, () -> Kernels.gemm(false, false, 3, 1, 1, new float[4], 0, Integer.MAX_VALUE, new float[4], 0, 1,
                0f, new float[4], 0, 1), "4294967295"));
    }
}
