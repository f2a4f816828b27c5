package io.github.lstm4j.examples;

import com.sun.management.ThreadMXBean;
import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.tensor.Kernels;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Times one full training step of the tutorial's {@link LSTMModel} (zeroGrad, forward, MSELoss,
 * backward, Adam step) at the sizes of {@code ../shared/bench/pytorch_lstm.py}, and prints one JSON
 * line per size with that script's fields, so the two can be run back to back and compared:
 *
 * <pre>
 * examples/run TrainingBenchmark --configs tutorial,medium,large --threads 1 --seconds 3
 * OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 ../shared/bench/pytorch_lstm.py --threads 1
 * </pre>
 *
 * <p>Fields: {@code impl} ({@code lstm4j-<kernels>}), {@code config}, {@code threads},
 * {@code ms_per_step}, {@code steps_per_s}, {@code gflops} (the script's formula: three times the
 * forward multiply-adds of the LSTM layers, two flops each, per second), then
 * {@code bytes_per_step}, the bytes this thread allocated per step (the kernel pool's workers
 * allocate nothing once their buffers have grown), and {@code warmup_s}.
 *
 * <p>Each size is first warmed up for at least {@code --warmup} seconds (default 2) and on until
 * the step time has settled or {@code --max-warmup} seconds (default 60) have passed (see
 * {@link #warmUp}), so that C2 has compiled the hot loops, then timed for {@code --seconds}
 * (default 3, at least 2 steps); {@code warmup_s} is the warm-up's length.
 */
public final class TrainingBenchmark {

    /** {@code name -> {input_size, hidden_size, num_layers, batch, seq_len, output_size}}, as in the script. */
    static final Map<String, int[]> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("tutorial", new int[] {1, 50, 2, 32, 10, 1});
        CONFIGS.put("medium", new int[] {32, 128, 2, 64, 50, 1});
        CONFIGS.put("large", new int[] {128, 512, 2, 64, 100, 1});
    }

    private TrainingBenchmark() {
    }

    public static void main(String[] args) {
        String configs = "tutorial,medium,large";
        int threads = Kernels.threads();
        double seconds = 3.0;
        double warmup = 2.0;
        double maxWarmup = 60.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--configs":
                    configs = args[++i];
                    break;
                case "--threads":
                    threads = Integer.parseInt(args[++i]);
                    break;
                case "--seconds":
                    seconds = Double.parseDouble(args[++i]);
                    break;
                case "--warmup":
                    warmup = Double.parseDouble(args[++i]);
                    break;
                case "--max-warmup":
                    maxWarmup = Double.parseDouble(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --configs a,b,c --threads N --seconds S --warmup S --max-warmup S)");
            }
        }
        for (String name : configs.split(",")) {
            if (!CONFIGS.containsKey(name)) {
                throw new IllegalArgumentException("unknown config '" + name + "'; known: " + CONFIGS.keySet());
            }
        }
        int previous = Kernels.threads();
        Kernels.setThreads(threads);
        try {
            for (String name : configs.split(",")) {
                System.out.println(run(name, CONFIGS.get(name), threads, seconds, warmup, maxWarmup));
                System.out.flush();
            }
        } finally {
            Kernels.setThreads(previous);
        }
    }

    /** Warms up and times one size; returns its JSON line. */
    static String run(String name, int[] cfg, int threads, double seconds, double warmup, double maxWarmup) {
        int in = cfg[0];
        int hidden = cfg[1];
        int layers = cfg[2];
        int batch = cfg[3];
        int seq = cfg[4];
        int out = cfg[5];
        Generator gen = new Generator(0);
        Generator.manualSeed(0);
        LSTMModel model = new LSTMModel(in, hidden, out, layers);
        Optimizer opt = new Adam(model.parameters(), 1e-3);
        MSELoss crit = new MSELoss();
        Tensor x = Tensor.randn(gen, batch, seq, in);
        Tensor y = Tensor.randn(gen, batch, out);
        Runnable step = () -> {
            opt.zeroGrad();
            Tensor loss = crit.forward(model.forward(x), y);
            loss.backward();
            opt.step();
        };

        double warmed = warmUp(step, warmup, maxWarmup);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long bytes0 = mx.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        long now;
        do {
            step.run();
            n++;
            now = System.nanoTime();
        } while (n < 2 || now < end);
        long bytes = mx.getThreadAllocatedBytes(tid) - bytes0;
        double dt = (now - t0) / 1e9 / n;
        return String.format(Locale.ROOT,
            "{\"impl\": \"lstm4j-%s\", \"config\": \"%s\", \"threads\": %d, \"ms_per_step\": %.3f, "
                + "\"steps_per_s\": %.2f, \"gflops\": %.2f, \"bytes_per_step\": %d, \"warmup_s\": %.1f}",
            Kernels.provider().name(), name, threads, dt * 1e3, 1 / dt, lstmFlops(in, hidden, layers, batch, seq) / dt / 1e9,
            bytes / n, warmed);
    }

    /**
     * Runs steps for at least {@code seconds} (and 3 steps), then on until C2 has settled: until
     * two half-second rounds in a row are within 3% of the fastest round so far, or
     * {@code maxSeconds} have passed. On a machine shared with other work the compiler threads
     * get little CPU, and a fixed short warm-up would time partly compiled code. Returns the
     * seconds spent.
     */
    static double warmUp(Runnable step, double seconds, double maxSeconds) {
        long start = System.nanoTime();
        long minEnd = start + (long) (seconds * 1e9);
        long maxEnd = start + (long) (Math.max(seconds, maxSeconds) * 1e9);
        double best = Double.MAX_VALUE;
        int settled = 0;
        int steps = 0;
        while (true) {
            long t0 = System.nanoTime();
            long roundEnd = t0 + 500_000_000L;
            int n = 0;
            do {
                step.run();
                n++;
            } while (System.nanoTime() < roundEnd && n < 1_000_000);
            long now = System.nanoTime();
            steps += n;
            double perStep = (double) (now - t0) / n;
            settled = perStep <= best * 1.03 ? settled + 1 : 0;
            best = Math.min(best, perStep);
            if (now >= maxEnd || (now >= minEnd && steps >= 3 && settled >= 2)) {
                return (now - start) / 1e9;
            }
        }
    }

    /** The script's count: three times the forward multiply-adds (two flops each) of the LSTM layers. */
    static double lstmFlops(int in, int hidden, int layers, int batch, int seq) {
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            sum += 2.0 * batch * seq * 4 * hidden * ((l == 0 ? in : hidden) + hidden);
        }
        return sum * 3;
    }
}
