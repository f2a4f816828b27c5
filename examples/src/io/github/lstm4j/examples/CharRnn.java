package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.examples.support.LinePlot;
import io.github.lstm4j.nn.CrossEntropyLoss;
import io.github.lstm4j.nn.Dropout;
import io.github.lstm4j.nn.Embedding;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A character-level language model of <i>Pride and Prejudice</i>: Embedding, LSTM, Dropout and Linear,
 * trained with CrossEntropyLoss to predict each next character.
 *
 * <p>The first 90% of the book is the training text, the last 10% is held out. Training uses
 * truncated backpropagation through time: the training text is cut into {@code batch} contiguous
 * streams read side by side, {@code seqLen} characters at a time, and the LSTM state at the end of
 * one chunk is detached and carried into the next, so the model sees context beyond the chunk
 * while gradients stop at its boundary. As it learns it logs text sampled with a temperature.
 *
 * <p>The score is bits per character on the held-out text: the mean cross-entropy in nats divided
 * by {@code ln 2}, read in one pass over the whole held-out text with the state carried from the
 * first character to the last. Anchors measured on the same split (character n-grams with
 * additive smoothing): 4.49 (1-gram), 3.52 (2-gram), 2.70 (3-gram), 2.07 (5-gram).
 *
 * <pre>
 * examples/run CharRnn [--seed 0] [--minutes 6.5 | --steps N] [--hidden 384] [--embed 32] [--layers 1]
 *                      [--dropout 0.2] [--seq 50] [--batch 32] [--lr 0.008] [--eval-every 90]
 *                      [--quick] [--out target/examples/charrnn]
 * </pre>
 * With {@code --minutes} training stops at the time budget (the result then depends a little on the
 * machine's speed; the time spent scoring and sampling is not charged to it); with {@code --steps}
 * the run is reproducible bit for bit. Writes
 * {@code charrnn-curves.png} (train loss and held-out bits per character against time). The last
 * stdout line is a JSON object with the held-out score and a short generated sample.
 */
public final class CharRnn {

    private static final Logger log = LoggerFactory.getLogger(CharRnn.class);
    private static final double LN2 = Math.log(2);

    private CharRnn() {
    }

    /** The settings of a run; the defaults are the documented run. */
    static final class Config {
        long seed = 0;
        double minutes = 6.5;
        int steps = 0;              // 0: train until the time budget is spent
        int hidden = 384;
        int embed = 32;
        int layers = 1;
        double dropout = 0.2;
        int seqLen = 50;
        int batch = 32;
        double lr = 0.008;
        double clip = 1.0;
        double evalEverySeconds = 90;
        int evalChars = Integer.MAX_VALUE;  // held-out characters scored (all of them by default)
        int sampleChars = 200;
        double temperature = 0.8;
        Path textFile = Path.of("examples", "data", "prideprejudice.txt");
        Path out = Path.of("target", "examples", "charrnn");

        static Config parse(String[] args) {
            Config c = new Config();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seed" -> c.seed = Long.parseLong(value(args, ++i));
                    case "--minutes" -> {
                        c.minutes = Double.parseDouble(value(args, ++i));
                        c.steps = 0;
                    }
                    case "--steps" -> c.steps = Integer.parseInt(value(args, ++i));
                    case "--hidden" -> c.hidden = Integer.parseInt(value(args, ++i));
                    case "--embed" -> c.embed = Integer.parseInt(value(args, ++i));
                    case "--layers" -> c.layers = Integer.parseInt(value(args, ++i));
                    case "--dropout" -> c.dropout = Double.parseDouble(value(args, ++i));
                    case "--seq" -> c.seqLen = Integer.parseInt(value(args, ++i));
                    case "--batch" -> c.batch = Integer.parseInt(value(args, ++i));
                    case "--lr" -> c.lr = Double.parseDouble(value(args, ++i));
                    case "--eval-every" -> c.evalEverySeconds = Double.parseDouble(value(args, ++i));
                    case "--text" -> c.textFile = Path.of(value(args, ++i));
                    case "--out" -> c.out = Path.of(value(args, ++i));
                    case "--quick" -> {
                        c.steps = 60;
                        c.hidden = 64;
                        c.dropout = 0;
                        c.embed = 16;
                        c.seqLen = 50;
                        c.batch = 16;
                        c.lr = 0.01;
                        c.evalEverySeconds = 2;
                        c.evalChars = 10_000;
                        c.sampleChars = 80;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (expected --seed S, "
                        + "--minutes M, --steps N, --hidden H, --embed E, --layers L, --dropout P, --seq S, --batch B, --lr LR, "
                        + "--eval-every SECONDS, --text FILE, --quick, --out DIR)");
                }
            }
            if (!(c.minutes > 0) || c.steps < 0 || c.hidden < 1 || c.embed < 1 || c.layers < 1 || c.seqLen < 1
                || c.batch < 1 || !(c.lr > 0) || !(c.dropout >= 0 && c.dropout < 1)) {
                throw new IllegalArgumentException("CharRnn needs --minutes > 0, --steps >= 0 and positive sizes and lr, got "
                    + "minutes " + c.minutes + ", steps " + c.steps + ", hidden " + c.hidden + ", embed " + c.embed
                    + ", layers " + c.layers + ", dropout " + c.dropout + ", seq " + c.seqLen + ", batch " + c.batch + ", lr " + c.lr);
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

    /** The characters of a text and their indices. */
    record Vocab(char[] chars, int[] index) {
        static Vocab of(String text) {
            TreeSet<Character> set = new TreeSet<>();
            for (int i = 0; i < text.length(); i++) {
                set.add(text.charAt(i));
            }
            char[] chars = new char[set.size()];
            int[] index = new int[Character.MAX_VALUE + 1];
            Arrays.fill(index, -1);
            int k = 0;
            for (char ch : set) {
                chars[k] = ch;
                index[ch] = k++;
            }
            return new Vocab(chars, index);
        }

        int size() {
            return chars.length;
        }

        float[] encode(String s) {
            float[] ids = new float[s.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = index[s.charAt(i)];
            }
            return ids;
        }
    }

    /**
     * Embedding, LSTM, Dropout, Linear: {@code (batch, seq)} indices to {@code (batch, seq, vocab)}
     * logits. Dropout (training mode only) acts on the LSTM's output, not on the carried state; with
     * several layers the LSTM also drops between them.
     */
    static final class Model extends Module {
        final Embedding embedding;
        final LSTM lstm;
        final Dropout dropout;
        final Linear decoder;

        Model(int vocab, int embed, int hidden, int layers, double dropout, Generator gen) {
            this.embedding = registerModule("embedding", new Embedding(vocab, embed, gen));
            this.lstm = registerModule("lstm", LSTM.builder(embed, hidden).numLayers(layers).dropout(layers > 1 ? dropout : 0)
                .batchFirst(true).generator(gen).build());
            this.dropout = registerModule("dropout", new Dropout(dropout, gen));
            this.decoder = registerModule("decoder", new Linear(hidden, vocab, true, gen));
        }

        /** The logits and the final state, from the state {@code (h, c)} (both {@code (layers, batch, hidden)}). */
        LSTM.Output forward(Tensor ids, Tensor h, Tensor c) {
            LSTM.Output r = lstm.forward(embedding.forward(ids), h, c);
            return new LSTM.Output(decoder.forward(dropout.forward(r.output())), r.hN(), r.cN());
        }
    }

    public static void main(String[] args) {
        Config c = Config.parse(args);
        String text;
        try {
            text = Files.readString(c.textFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + c.textFile + " (run from the project folder)", e);
        }
        Vocab vocab = Vocab.of(text);
        int split = (int) (text.length() * 0.9);
        float[] train = vocab.encode(text.substring(0, split));
        float[] heldOut = vocab.encode(text.substring(split, split + Math.min(text.length() - split, c.evalChars)));
        log.info("{}: {} characters, vocabulary {}, training on the first {}, {} held out", c.textFile, text.length(),
            vocab.size(), train.length, heldOut.length);

        Generator gen = new Generator(c.seed);
        Model model = new Model(vocab.size(), c.embed, c.hidden, c.layers, c.dropout, gen);
        long params = model.parameters().stream().mapToLong(Tensor::numel).sum();
        log.info("model: Embedding({}, {}) -> LSTM({}, {}, layers {}) -> Dropout({}) -> Linear({}, {}): {} parameters; "
                + "batch {} x {} characters, Adam lr {}, clip {}, {}", vocab.size(), c.embed, c.embed, c.hidden,
            c.layers, c.dropout, c.hidden, vocab.size(), params, c.batch, c.seqLen, c.lr, c.clip,
            c.steps > 0 ? c.steps + " steps" : c.minutes + " minutes");

        Optimizer opt = new Adam(model.parameters(), c.lr);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        Generator sampling = new Generator(c.seed + 1);

        // the training text as `batch` contiguous streams read side by side
        int streamLen = train.length / c.batch;
        int chunksPerEpoch = (streamLen - 1) / c.seqLen;
        if (chunksPerEpoch < 1) {
            throw new IllegalArgumentException("--batch " + c.batch + " streams of " + streamLen
                + " characters are too short for chunks of --seq " + c.seqLen);
        }
        Tensor h = Tensor.zeros(c.layers, c.batch, c.hidden);
        Tensor cell = Tensor.zeros(c.layers, c.batch, c.hidden);

        List<double[]> lossCurve = new ArrayList<>();   // (seconds, smoothed train bpc)
        List<double[]> evalCurve = new ArrayList<>();   // (seconds, held-out bpc)
        long start = System.nanoTime();
        long budgetNanos = (long) (c.minutes * 60e9);
        double nextEval = c.evalEverySeconds;
        double running = Double.NaN;
        int step = 0;
        int chunk = 0;
        double trainSeconds = 0;
        while (c.steps > 0 ? step < c.steps : System.nanoTime() - start < budgetNanos) {
            if (chunk == chunksPerEpoch) {
                chunk = 0;
                h = Tensor.zeros(c.layers, c.batch, c.hidden);
                cell = Tensor.zeros(c.layers, c.batch, c.hidden);
                log.info("epoch {} done after {} steps; the state starts again from zero", step / chunksPerEpoch, step);
            }
            Tensor[] xy = chunk(train, streamLen, chunk++, c.batch, c.seqLen);
            double progress = c.steps > 0 ? step / (double) c.steps : (System.nanoTime() - start) / (double) budgetNanos;
            opt.paramGroups().get(0).setLr(cosine(c.lr, progress));
            opt.zeroGrad();
            LSTM.Output r = model.forward(xy[0], h, cell);
            Tensor loss = ce.forward(r.output().reshape(c.batch * c.seqLen, vocab.size()), xy[1]);
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), c.clip);
            opt.step();
            h = r.hN().detach();        // carry the state, cut the graph
            cell = r.cN().detach();
            step++;
            double bpc = loss.item() / LN2;
            running = Double.isNaN(running) ? bpc : 0.98 * running + 0.02 * bpc;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (step % 10 == 0) {
                lossCurve.add(new double[] {elapsed, running});
            }
            boolean last = c.steps > 0 ? step == c.steps : System.nanoTime() - start >= budgetNanos;
            if (elapsed >= nextEval || last) {
                trainSeconds = elapsed;
                long t0 = System.nanoTime();
                double held = heldOutBpc(model, heldOut, vocab.size(), c);
                double evalSeconds = (System.nanoTime() - t0) / 1e9;
                evalCurve.add(new double[] {elapsed, held});
                log.info(String.format(Locale.ROOT,
                    "step %d (%.1f epochs), %.0f s: train %.3f bits/char (smoothed), held-out %.3f bits/char "
                        + "(%.1f s to score); %.0f characters/s", step, step / (double) chunksPerEpoch, elapsed,
                    running, held, evalSeconds, step * (double) c.batch * c.seqLen / elapsed));
                log.info("sample: {}", sample(model, vocab, "Elizabeth", c.sampleChars, c.temperature, sampling, c));
                // time spent scoring does not count against the training budget
                start += System.nanoTime() - t0;
                nextEval = elapsed + c.evalEverySeconds;
            }
        }
        double heldOutBpc = evalCurve.get(evalCurve.size() - 1)[1];
        // its own generator, so that with --steps the final sample does not depend on how many were logged
        String finalSample = sample(model, vocab, "Elizabeth", 120, c.temperature, new Generator(c.seed + 2), c);
        log.info("final sample: {}", finalSample);
        Path png = plot(lossCurve, evalCurve, trainSeconds, c.out.resolve("charrnn-curves.png"));
        log.info("wrote {}", png);
        System.out.printf(Locale.ROOT,
            "{\"example\":\"CharRnn\",\"seed\":%d,\"test_bpc\":%.4f,\"steps\":%d,\"seconds\":%.1f,"
                + "\"chars_per_second\":%.0f,\"sample\":\"%s\"}%n",
            c.seed, heldOutBpc, step, trainSeconds, step * (double) c.batch * c.seqLen / trainSeconds,
            jsonEscape(finalSample));
    }

    /**
     * Chunk number {@code chunk} of every stream: inputs {@code (batch, seqLen)} and the characters
     * one position further on as targets {@code (batch * seqLen)}. Stream {@code b} is
     * {@code train[b * streamLen, (b + 1) * streamLen)}.
     */
    static Tensor[] chunk(float[] train, int streamLen, int chunk, int batch, int seqLen) {
        float[] x = new float[batch * seqLen];
        float[] y = new float[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int from = b * streamLen + chunk * seqLen;
            System.arraycopy(train, from, x, b * seqLen, seqLen);
            System.arraycopy(train, from + 1, y, b * seqLen, seqLen);
        }
        return new Tensor[] {Tensor.of(x, batch, seqLen), Tensor.of(y, batch * seqLen)};
    }

    /** Draws the smoothed training loss and the held-out scores against training seconds. */
    private static Path plot(List<double[]> lossCurve, List<double[]> evalCurve, double seconds, Path file) {
        double[][] lc = lossCurve.toArray(new double[0][]);
        double[][] ec = evalCurve.toArray(new double[0][]);
        try {
            return new LinePlot("Pride and Prejudice, character LSTM", "training seconds", "bits per character")
                .series("train (smoothed)", column(lc, 0), column(lc, 1))
                .seriesWithPoints("held-out", column(ec, 0), column(ec, 1))
                .series("5-gram (2.07)", new double[] {0, seconds}, new double[] {2.07, 2.07})
                .write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bits per character of the model on {@code ids}, in one pass with the state carried from the
     * first character to the last (one stream, read in chunks of 1000 characters).
     */
    static double heldOutBpc(Model model, float[] ids, int vocab, Config c) {
        CrossEntropyLoss sum = new CrossEntropyLoss(Reduction.SUM);
        double nats = 0;
        Tensor h = Tensor.zeros(c.layers, 1, c.hidden);
        Tensor cell = Tensor.zeros(c.layers, 1, c.hidden);
        int n = ids.length - 1;
        int chunk = 1000;
        model.eval();
        try (NoGrad ignored = Tensor.noGrad()) {
            for (int from = 0; from < n; from += chunk) {
                int len = Math.min(chunk, n - from);
                float[] x = new float[len];
                float[] y = new float[len];
                System.arraycopy(ids, from, x, 0, len);
                System.arraycopy(ids, from + 1, y, 0, len);
                LSTM.Output r = model.forward(Tensor.of(x, 1, len), h, cell);
                nats += sum.forward(r.output().reshape(len, vocab), Tensor.of(y, len)).item();
                h = r.hN();
                cell = r.cN();
            }
        } finally {
            model.train();
        }
        return nats / n / LN2;
    }

    /** {@code length} characters drawn one by one after {@code prime}, from softmax(logits / temperature). */
    static String sample(Model model, Vocab vocab, String prime, int length, double temperature, Generator gen,
                         Config c) {
        StringBuilder out = new StringBuilder(prime);
        model.eval();
        try (NoGrad ignored = Tensor.noGrad()) {
            Tensor h = Tensor.zeros(c.layers, 1, c.hidden);
            Tensor cell = Tensor.zeros(c.layers, 1, c.hidden);
            float[] input = vocab.encode(prime);
            for (int i = 0; i < length; i++) {
                LSTM.Output r = model.forward(Tensor.of(input, 1, input.length), h, cell);
                h = r.hN();
                cell = r.cN();
                float[] logits = r.output().select(1, -1).reshape(vocab.size()).toFloatArray();
                int next = draw(logits, temperature, gen);
                out.append(vocab.chars()[next]);
                input = new float[] {next};
            }
        } finally {
            model.train();
        }
        return out.toString();
    }

    /** The learning rate after {@code progress} (0 to 1) of the run: cosine from {@code lr} down to {@code lr / 20}. */
    static double cosine(double lr, double progress) {
        double p = Math.min(1, Math.max(0, progress));
        return lr / 20 + (lr - lr / 20) * 0.5 * (1 + Math.cos(Math.PI * p));
    }

    /** An index drawn from {@code softmax(logits / temperature)}. */
    static int draw(float[] logits, double temperature, Generator gen) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / temperature - max);
            total += p[i];
        }
        double u = gen.nextDouble() * total;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    private static double[] column(double[][] rows, int j) {
        double[] col = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            col[i] = rows[i][j];
        }
        return col;
    }

    /** The string as the contents of a JSON string literal. */
    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }
}
