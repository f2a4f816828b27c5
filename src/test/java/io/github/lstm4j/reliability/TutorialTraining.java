package io.github.lstm4j.reliability;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import java.util.Arrays;
import java.util.Map;

/** The tutorial model trained briefly from a seed, shared by the determinism and concurrency tests. */
final class TutorialTraining {

    private TutorialTraining() {
    }

    /**
     * {@code LSTMModel(1, hidden, 1, 2)} with its initial weights drawn from the default generator
     * reseeded to {@code seed}. The default generator is process-wide and not thread-safe, so models
     * are built under this class's lock.
     */
    static LSTMModel newModel(long seed, int hidden) {
        synchronized (TutorialTraining.class) {
            Generator.manualSeed(seed);
            return new LSTMModel(1, hidden, 1, 2);
        }
    }

    /**
     * Trains {@code model} for {@code steps} Adam steps (lr 0.01) on random {@code (8, 10, 1)}
     * batches with MSE against random targets, all drawn from {@code new Generator(dataSeed)}.
     */
    static void train(LSTMModel model, long dataSeed, int steps) {
        train(model, dataSeed, steps, 8);
    }

    /** {@link #train(LSTMModel, long, int)} with {@code (batch, 10, 1)} batches. */
    static void train(LSTMModel model, long dataSeed, int steps, int batch) {
        Generator gen = new Generator(dataSeed);
        Optimizer opt = new Adam(model.parameters(), 0.01);
        MSELoss criterion = new MSELoss();
        model.train();
        for (int i = 0; i < steps; i++) {
            Tensor x = Tensor.randn(gen, batch, 10, 1);
            Tensor y = Tensor.randn(gen, batch, 1);
            opt.zeroGrad();
            criterion.forward(model.forward(x), y).backward();
            opt.step();
        }
    }

    /** Every value of the state dict as raw bits, key by key, for exact comparison. */
    static int[] bits(Map<String, Tensor> state) {
        int n = 0;
        for (Tensor t : state.values()) {
            n += t.numel();
        }
        int[] out = new int[n];
        int at = 0;
        for (Tensor t : state.values()) {
            for (float f : t.data()) {
                out[at++] = Float.floatToRawIntBits(f);
            }
        }
        return out;
    }

    /** The raw bits of a tensor's values. */
    static int[] bits(Tensor t) {
        return bits(t.data());
    }

    /** The raw bits of the values. */
    static int[] bits(float[] d) {
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Float.floatToRawIntBits(d[i]);
        }
        return out;
    }

    /** How many positions differ, for messages. */
    static long differing(int[] a, int[] b) {
        if (a.length != b.length) {
            return Math.max(a.length, b.length);
        }
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    /** Whether two bit arrays are identical. */
    static boolean same(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
