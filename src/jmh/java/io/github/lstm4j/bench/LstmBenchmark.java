package io.github.lstm4j.bench;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.tensor.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tutorial's LSTMModel (two LSTM layers and a Linear head on the last step) at the sizes of
 * {@code ../shared/bench/pytorch_lstm.py}: {@code forwardBackward} is zeroGrad, forward, MSELoss
 * and backward; {@code trainingStep} adds the Adam step, the step that script times.
 *
 * <pre>
 * mvn -Pjmh -DskipTests test-compile exec:exec -Djmh.args="LstmBenchmark"
 * mvn -Pjmh -DskipTests test-compile exec:exec -Djmh.args="LstmBenchmark -p config=large -p threads=2"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class LstmBenchmark {

    /** {@code tutorial} (1, 50, 2 layers, batch 32, 10 steps), {@code medium} (32, 128, 64, 50), {@code large} (128, 512, 64, 100). */
    @Param({"tutorial", "medium"})
    public String config;

    /** Kernel threads. */
    @Param({"1", "2"})
    public int threads;

    private LSTMModel model;
    private Optimizer optimizer;
    private final MSELoss criterion = new MSELoss();
    private Tensor x;
    private Tensor y;

    /** The model, its optimizer and random data, from seed 0. */
    @Setup
    public void setUp() {
        int[] c = switch (config) {
            case "tutorial" -> new int[] {1, 50, 2, 32, 10, 1};
            case "medium" -> new int[] {32, 128, 2, 64, 50, 1};
            case "large" -> new int[] {128, 512, 2, 64, 100, 1};
            default -> throw new IllegalArgumentException("unknown config " + config);
        };
        Kernels.setThreads(threads);
        Generator.manualSeed(0);
        Generator gen = new Generator(0);
        model = new LSTMModel(c[0], c[1], c[5], c[2]);
        optimizer = new Adam(model.parameters(), 1e-3);
        x = Tensor.randn(gen, c[3], c[4], c[0]);
        y = Tensor.randn(gen, c[3], c[5]);
    }

    /** Puts the default thread count back. */
    @TearDown
    public void tearDown() {
        Kernels.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** zeroGrad, forward, MSELoss, backward; returns the loss. */
    @Benchmark
    public Tensor forwardBackward() {
        optimizer.zeroGrad();
        Tensor loss = criterion.forward(model.forward(x), y);
        loss.backward();
        return loss;
    }

    /** {@link #forwardBackward} then the Adam step: one training step. */
    @Benchmark
    public Tensor trainingStep() {
        Tensor loss = forwardBackward();
        optimizer.step();
        return loss;
    }
}
