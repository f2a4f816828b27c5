package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.tensor.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A long training run that watches the heap: the tutorial model ({@code LSTMModel(1, 50, 1, 2)},
 * MSELoss, Adam with lr 0.001) trained on a fresh random {@code (32, 10, 1)} batch every step,
 * drawn from a seeded generator. Every {@code --every} steps it collects garbage and prints the
 * heap in use, the speed and the loss. The first interval is warm-up (JIT compilation, per-thread
 * kernel buffers, optimizer state); the heap is flat when it grows by less than 5% from the first
 * sample after warm-up to the last.
 *
 * <pre>examples/run Soak [--steps N] [--every N] [--seed S] [--quick]</pre>
 * {@code --quick} is 300 steps sampled every 100. The last line is a JSON object with the heap
 * samples after warm-up (MB), the growth in percent and whether the heap stayed flat. The run
 * stops with exit status 1 if the loss stops being finite.
 */
public final class Soak {

    /** Growth of the heap after warm-up, in percent, below which it counts as flat. */
    static final double FLAT_PERCENT = 5.0;

    private Soak() {
    }

    public static void main(String[] args) {
        int steps = 10_000;
        int every = 1_000;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps":
                    steps = Integer.parseInt(args[++i]);
                    break;
                case "--every":
                    every = Integer.parseInt(args[++i]);
                    break;
                case "--seed":
                    seed = Long.parseLong(args[++i]);
                    break;
                case "--quick":
                    steps = 300;
                    every = 100;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --steps N, --every N, --seed S, --quick)");
            }
        }
        if (every < 1 || steps < 2 * every) {
            throw new IllegalArgumentException("--steps (" + steps + ") must be at least twice --every (" + every
                + "): one interval of warm-up and one to compare with");
        }

        Generator.manualSeed(seed);
        Generator gen = new Generator(seed + 1);
        LSTMModel model = new LSTMModel(1, 50, 1, 2);
        MSELoss criterion = new MSELoss();
        Optimizer optimizer = new Adam(model.parameters(), 0.001);
        model.train();

        System.out.printf(Locale.ROOT, "Soak: %d steps, heap sampled every %d, kernels %s, max heap %.0f MB%n",
            steps, every, Kernels.provider().name(), Runtime.getRuntime().maxMemory() / 1e6);
        System.out.printf(Locale.ROOT, "step %6d  heap %7.2f MB  (before training)%n", 0, heapAfterGcMb());
        List<Double> samples = new ArrayList<>();
        float loss = Float.NaN;
        long start = System.nanoTime();
        long intervalStart = start;
        for (int step = 1; step <= steps; step++) {
            Tensor x = Tensor.randn(gen, 32, 10, 1);
            Tensor y = Tensor.randn(gen, 32, 1);
            optimizer.zeroGrad();
            Tensor l = criterion.forward(model.forward(x), y);
            l.backward();
            optimizer.step();
            loss = l.item();
            if (!Float.isFinite(loss)) {
                System.out.printf(Locale.ROOT, "Soak: the loss became %s at step %d; stopping%n", loss, step);
                System.exit(1);
            }
            if (step % every == 0) {
                double rate = every / ((System.nanoTime() - intervalStart) / 1e9);
                double heap = heapAfterGcMb();
                samples.add(heap);
                System.out.printf(Locale.ROOT, "step %6d  heap %7.2f MB  %7.1f steps/s  loss %.4f%s%n",
                    step, heap, rate, loss, samples.size() == 1 ? "  (end of warm-up)" : "");
                intervalStart = System.nanoTime();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> afterWarmup = samples;
        double first = afterWarmup.get(0);
        double last = afterWarmup.get(afterWarmup.size() - 1);
        double max = afterWarmup.stream().mapToDouble(Double::doubleValue).max().orElse(first);
        double growth = 100 * (last - first) / first;
        StringJoiner heap = new StringJoiner(",", "[", "]");
        afterWarmup.forEach(h -> heap.add(String.format(Locale.ROOT, "%.2f", h)));
        System.out.printf(Locale.ROOT, "{\"example\":\"Soak\",\"steps\":%d,\"every\":%d,\"seed\":%d,\"kernels\":\"%s\","
                + "\"heap_mb\":%s,\"heap_first_mb\":%.2f,\"heap_last_mb\":%.2f,\"heap_max_mb\":%.2f,"
                + "\"growth_percent\":%.2f,\"flat\":%b,\"steps_per_s\":%.1f,\"final_loss\":%.6g}%n",
            steps, every, seed, Kernels.provider().name(), heap, first, last, max, growth,
            growth < FLAT_PERCENT, steps / seconds, loss);
    }

    /** Heap in use after asking for a full collection (twice, so that finalizable garbage is gone too), in MB. */
    static double heapAfterGcMb() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / 1e6;
    }
}
