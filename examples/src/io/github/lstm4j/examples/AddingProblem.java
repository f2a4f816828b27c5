package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.examples.support.LinePlot;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.RNN;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adding problem of Hochreiter and Schmidhuber (1997, experiment 4): the vanishing-gradient
 * point of the tutorial, made visible.
 *
 * <p>Each input is a sequence of {@code T} pairs {@code (value, marker)}. The values are drawn
 * from {@code U[0, 1]}; the marker is 1 at exactly two steps, one in the first half of the
 * sequence and one in the second, and 0 elsewhere. The target is the sum of the two marked
 * values. Predicting the constant 1.0 (the mean of the sum) scores the variance of a sum of two
 * uniforms, {@code 2/12 ≈ 0.167}; to do better a model has to carry a value across up to
 * {@code T} steps and ignore everything else.
 *
 * <p>An LSTM and a plain tanh RNN with the same hidden size, the same batches, optimizer,
 * learning rate, clipping and number of steps are trained one after the other on batches drawn
 * on the fly from a seeded {@link Generator}, and scored on a fixed test set. The LSTM's cell
 * state carries the first marked value to the end; the RNN's gradient through 50-100 tanh steps
 * vanishes and it stays near the constant predictor.
 *
 * <pre>
 * examples/run AddingProblem [--T 100] [--seed 0] [--steps N] [--hidden H] [--batch B] [--lr LR]
 *                            [--quick] [--out target/examples/adding]
 * </pre>
 * Writes {@code adding-curves.png} (test MSE of both models against the training step, log scale)
 * to the output folder. The last stdout line is a JSON object with the test MSE of both models and
 * of the constant predictor.
 */
public final class AddingProblem {

    private static final Logger log = LoggerFactory.getLogger(AddingProblem.class);

    /** Test sequences, drawn once from their own generator. */
    private static final int TEST_SIZE = 1000;

    private AddingProblem() {
    }

    /** The settings of a run; the defaults are the documented run. */
    static final class Config {
        int seqLen = 100;
        long seed = 0;
        int hidden = 32;
        int batch = 64;
        int steps = 2000;
        double lr = 0.01;
        double clip = 1.0;
        int evalEvery = 50;
        Path out = Path.of("target", "examples", "adding");

        static Config parse(String[] args) {
            Config c = new Config();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--T" -> c.seqLen = Integer.parseInt(value(args, ++i));
                    case "--seed" -> c.seed = Long.parseLong(value(args, ++i));
                    case "--steps" -> c.steps = Integer.parseInt(value(args, ++i));
                    case "--hidden" -> c.hidden = Integer.parseInt(value(args, ++i));
                    case "--batch" -> c.batch = Integer.parseInt(value(args, ++i));
                    case "--lr" -> c.lr = Double.parseDouble(value(args, ++i));
                    case "--out" -> c.out = Path.of(value(args, ++i));
                    case "--quick" -> {
                        c.seqLen = 20;
                        c.steps = 500;
                        c.hidden = 16;
                        c.batch = 32;
                        c.lr = 0.01;
                        c.evalEvery = 25;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --T N, --seed S, --steps N, --hidden H, --batch B, --lr LR, --quick, --out DIR)");
                }
            }
            if (c.seqLen < 2) {
                throw new IllegalArgumentException("--T must be at least 2 (two markers), got " + c.seqLen);
            }
            if (c.steps < 1 || c.hidden < 1 || c.batch < 1 || !(c.lr > 0)) {
                throw new IllegalArgumentException("AddingProblem needs positive --steps, --hidden, --batch and --lr, got "
                    + c.steps + ", " + c.hidden + ", " + c.batch + ", " + c.lr);
            }
            return c;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    /** A batch of inputs {@code (n, T, 2)} and their targets {@code (n, 1)}. */
    record Batch(Tensor x, Tensor y) {
    }

    /**
     * Draws {@code n} sequences of length {@code seqLen}: values {@code U[0, 1]} in feature 0, the
     * marker in feature 1, set at one step of the first half and one of the second.
     */
    static Batch draw(Generator gen, int n, int seqLen) {
        float[] x = new float[n * seqLen * 2];
        float[] y = new float[n];
        int half = seqLen / 2;
        for (int b = 0; b < n; b++) {
            int base = b * seqLen * 2;
            for (int t = 0; t < seqLen; t++) {
                x[base + 2 * t] = gen.nextFloat();
            }
            int first = gen.nextInt(half);
            int second = half + gen.nextInt(seqLen - half);
            x[base + 2 * first + 1] = 1f;
            x[base + 2 * second + 1] = 1f;
            y[b] = x[base + 2 * first] + x[base + 2 * second];
        }
        return new Batch(Tensor.of(x, n, seqLen, 2), Tensor.of(y, n, 1));
    }

    /** A recurrent layer over {@code (batch, T, 2)} followed by a Linear head on the last step. */
    static final class Regressor extends Module implements Forward {
        private final Module rnn;
        private final Linear head;

        Regressor(Module rnn, int hidden, Generator gen) {
            this.rnn = registerModule("rnn", rnn);
            this.head = registerModule("head", new Linear(hidden, 1, true, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = rnn instanceof LSTM lstm ? lstm.forward(x).output() : ((RNN) rnn).forward(x).output();
            return head.forward(out.select(1, -1));     // out[:, -1, :]
        }
    }

    /** The learning curve of one model: test MSE at the evaluated steps, and the final test MSE. */
    record Curve(String name, double[] steps, double[] testMse, double finalMse, double seconds) {
    }

    /**
     * Trains {@code model} for {@code c.steps} Adam steps on fresh batches (the same sequence of
     * batches for every model of a run, from a generator seeded by {@code c.seed}), with the
     * gradient norm clipped to {@code c.clip}, scoring it on {@code test} every {@code c.evalEvery}
     * steps. Modifies the model's parameters.
     */
    static Curve train(String name, Regressor model, Config c, Batch test) {
        Generator data = new Generator(c.seed * 7919 + 1);      // the same batches for both models
        Optimizer opt = new Adam(model.parameters(), c.lr);
        MSELoss mse = new MSELoss();
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, evaluate(model, test)});
        long start = System.nanoTime();
        double running = Double.NaN;
        for (int step = 1; step <= c.steps; step++) {
            Batch b = draw(data, c.batch, c.seqLen);
            opt.zeroGrad();
            Tensor loss = mse.forward(model.forward(b.x()), b.y());
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), c.clip);
            opt.step();
            double l = loss.item();
            running = Double.isNaN(running) ? l : 0.95 * running + 0.05 * l;
            if (step % c.evalEvery == 0 || step == c.steps) {
                double t = evaluate(model, test);
                points.add(new double[] {step, t});
                log.info(String.format(Locale.ROOT, "%s step %d/%d: train MSE %.4f (smoothed), test MSE %.4f, %.1f s",
                    name, step, c.steps, running, t, (System.nanoTime() - start) / 1e9));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
        return new Curve(name, xs, ys, ys[ys.length - 1], seconds);
    }

    /** The model's MSE on {@code test}, in eval mode and without building a graph. */
    static double evaluate(Regressor model, Batch test) {
        model.eval();
        try (NoGrad ignored = Tensor.noGrad()) {
            return new MSELoss().forward(model.forward(test.x()), test.y()).item();
        } finally {
            model.train();
        }
    }

    public static void main(String[] args) {
        Config c = Config.parse(args);
        log.info("adding problem: T={}, hidden {}, batch {}, {} steps, Adam lr {}, clip {}, seed {}",
            c.seqLen, c.hidden, c.batch, c.steps, c.lr, c.clip, c.seed);
        Batch test = draw(new Generator(c.seed * 7919 + 2), TEST_SIZE, c.seqLen);
        double baseline = new MSELoss().forward(Tensor.onesLike(test.y()), test.y()).item();
        log.info(String.format(Locale.ROOT, "constant 1.0 predictor: test MSE %.4f", baseline));

        Generator init = new Generator(c.seed);
        Regressor lstm = new Regressor(LSTM.builder(2, c.hidden).batchFirst(true).generator(init).build(), c.hidden, init);
        Regressor rnn = new Regressor(RNN.builder(2, c.hidden).nonlinearity("tanh").batchFirst(true).generator(init).build(),
            c.hidden, init);
        long start = System.nanoTime();
        Curve lstmCurve = train("LSTM", lstm, c, test);
        Curve rnnCurve = train("RNN", rnn, c, test);
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            Path png = new LinePlot("Adding problem, T = " + c.seqLen + ": test MSE", "training step", "MSE")
                .logY(true)
                .series("LSTM", lstmCurve.steps(), lstmCurve.testMse())
                .series("RNN (tanh)", rnnCurve.steps(), rnnCurve.testMse())
                .series("predict 1.0", new double[] {0, c.steps}, new double[] {baseline, baseline})
                .write(c.out.resolve("adding-curves.png"));
            log.info("wrote {}", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info(String.format(Locale.ROOT, "LSTM %.1f s (%.1f steps/s), RNN %.1f s (%.1f steps/s)",
            lstmCurve.seconds(), c.steps / lstmCurve.seconds(), rnnCurve.seconds(), c.steps / rnnCurve.seconds()));
        System.out.printf(Locale.ROOT,
            "{\"example\":\"AddingProblem\",\"T\":%d,\"seed\":%d,\"lstm_test_mse\":%.6g,\"rnn_test_mse\":%.6g,"
                + "\"baseline_mse\":%.6g,\"steps\":%d,\"seconds\":%.1f}%n",
            c.seqLen, c.seed, lstmCurve.finalMse(), rnnCurve.finalMse(), baseline, c.steps, seconds);
    }
}
