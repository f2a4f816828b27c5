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
import io.github.lstm4j.nn.PackedSequence;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.CosineAnnealingLR;
import io.github.lstm4j.optim.LRScheduler;
import io.github.lstm4j.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A many-to-one sequence classifier: which novel, <i>Pride and Prejudice</i> (class 0) or
 * <i>Sense and Sensibility</i> (class 1), does a passage come from? The passage's words go
 * through {@code Embedding -> LSTM -> Linear} on the final hidden state {@code h_n} of the last
 * layer, trained with {@code CrossEntropyLoss} and Adam in an explicit loop. (Words, not
 * characters: a character LSTM needs five times as many steps and, in this budget, stayed at
 * chance; see docs/examples/novel-classifier.md.)
 *
 * <p>Protocol. Each book is split into its chapters; every 5th chapter of each book (5, 10, 15, ...)
 * is held out, so no passage of a test chapter is seen in training. A passage is a paragraph with
 * its whitespace collapsed to single spaces and the {@code _italic_} underscores removed (the two
 * transcriptions differ there: one puts two spaces after a full stop, only one marks italics);
 * a paragraph longer than {@code --max-chars} is cut at spaces into pieces of at most that many
 * characters, and pieces shorter than 40 characters are dropped. Batches are random, so their
 * lengths come unsorted; they go to the LSTM as a {@link PackedSequence}, which runs each passage
 * for exactly its own length. The vocabulary is the lower-cased words and punctuation marks seen
 * at least twice in the training passages; during training each token is replaced by the unknown
 * token with probability {@code --word-dropout}.
 *
 * <p>Baselines, computed here on the same split: the majority class of the training passages, and
 * multinomial naive Bayes on character 3-grams with add-one smoothing.
 *
 * <pre>examples/run NovelClassifier [--seed S] [--epochs N] [--quick] [--out DIR] [--split test|validation]
 *     [--embed E] [--hidden H] [--layers L] [--lr LR] [--batch B] [--dropout P] [--word-dropout P]
 *     [--clip C] [--min-count N] [--max-chars N] [--data DIR]</pre>
 *
 * {@code --quick} (seconds) sets a smaller model and 2000 training passages of at most 150
 * characters; options after it override it.
 * {@code --split validation} trains on the training chapters minus every 5th of them (4, 9, 14, ...)
 * and reports on those instead, never reading the test chapters: settings are chosen that way.
 * Writes {@code loss.png} and {@code accuracy.png} to {@code --out} (default
 * {@code target/examples/novels}); the last line is a JSON object with the accuracies.
 */
public final class NovelClassifier {

    private static final Logger log = LoggerFactory.getLogger(NovelClassifier.class);
    private static final String[] BOOKS = {"prideprejudice.txt", "sensesensibility.txt"};
    private static final String[] TITLES = {"Pride and Prejudice", "Sense and Sensibility"};
    private static final Pattern CHAPTER = Pattern.compile("(?i)\\s*chapter\\s+\\d+\\s*");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+(?:'[A-Za-z]+)*|[^\\sA-Za-z]");
    private static final int MIN_CHARS = 40;
    private static final int PAD = 0;
    private static final int UNKNOWN = 1;

    private NovelClassifier() {
    }

    /** A passage and its label (the index of its book). */
    record Passage(String text, int label) {
    }

    /** The settings of one run. */
    static final class Config {
        long seed = 0;
        int epochs = 12;
        int maxChars = 400;
        int embed = 64;
        int minCount = 2;
        int hidden = 64;
        int layers = 1;
        double dropout = 0.5;
        double wordDropout = 0.3;
        double lr = 3e-3;
        int batch = 32;
        double clip = 1.0;
        int trainLimit = 0;            // 0: every training passage
        boolean validation;
        Path data = Path.of("examples", "data");
        Path out = Path.of("target", "examples", "novels");

        static Config parse(String[] args) {
            Config c = new Config();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seed" -> c.seed = Long.parseLong(args[++i]);
                    case "--epochs" -> c.epochs = Integer.parseInt(args[++i]);
                    case "--embed" -> c.embed = Integer.parseInt(args[++i]);
                    case "--min-count" -> c.minCount = Integer.parseInt(args[++i]);
                    case "--clip" -> c.clip = Double.parseDouble(args[++i]);
                    case "--hidden" -> c.hidden = Integer.parseInt(args[++i]);
                    case "--layers" -> c.layers = Integer.parseInt(args[++i]);
                    case "--lr" -> c.lr = Double.parseDouble(args[++i]);
                    case "--batch" -> c.batch = Integer.parseInt(args[++i]);
                    case "--word-dropout" -> c.wordDropout = Double.parseDouble(args[++i]);
                    case "--dropout" -> c.dropout = Double.parseDouble(args[++i]);
                    case "--max-chars" -> c.maxChars = Integer.parseInt(args[++i]);
                    case "--data" -> c.data = Path.of(args[++i]);
                    case "--out" -> c.out = Path.of(args[++i]);
                    case "--split" -> {
                        String s = args[++i];
                        if (!s.equals("test") && !s.equals("validation")) {
                            throw new IllegalArgumentException("--split must be test or validation, got " + s);
                        }
                        c.validation = s.equals("validation");
                    }
                    case "--quick" -> {
                        c.epochs = 4;
                        c.maxChars = 150;
                        c.hidden = 32;
                        c.batch = 16;
                        c.lr = 5e-3;
                        c.wordDropout = 0.1;
                        c.trainLimit = 2000;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --seed S, --epochs N, --embed E, --hidden H, --layers L, --lr LR, --batch B,"
                        + " --dropout P, --word-dropout P, --clip C, --min-count N, --max-chars N,"
                        + " --split test|validation, --data DIR, --out DIR, --quick)");
                }
            }
            return c;
        }
    }

    /** Embedding, LSTM over the packed batch, dropout and a linear layer on {@code h_n} of the last layer. */
    static final class NovelModel extends Module {
        final int numLayers;
        final int hiddenSize;
        final Embedding embedding;
        final LSTM lstm;
        final Dropout dropout;
        final Linear fc;

        NovelModel(int vocab, int embed, int hiddenSize, int numLayers, double dropoutP, int classes, Generator gen) {
            this.numLayers = numLayers;
            this.hiddenSize = hiddenSize;
            embedding = registerModule("embedding", new Embedding(vocab, embed, PAD, gen));
            lstm = registerModule("lstm", LSTM.builder(embed, hiddenSize).numLayers(numLayers).batchFirst(true)
                .dropout(numLayers > 1 ? dropoutP : 0).generator(gen).build());
            dropout = registerModule("dropout", new Dropout(dropoutP, gen));
            fc = registerModule("fc", new Linear(hiddenSize, classes, true, gen));
        }

        /**
         * Logits {@code (B, classes)} for a padded batch of token indices.
         *
         * @param indices {@code (B, T)}, zero past each length
         * @param lengths each passage's length, in batch order (not sorted)
         */
        Tensor forward(Tensor indices, int[] lengths) {
            Tensor x = embedding.forward(indices);                              // (B, T, embed)
            PackedSequence packed = PackedSequence.pack(x, lengths, true);      // pack_padded_sequence(..., enforce_sorted=False)
            Tensor h0 = Tensor.zeros(numLayers, lengths.length, hiddenSize);
            Tensor c0 = Tensor.zeros(numLayers, lengths.length, hiddenSize);
            LSTM.PackedOutput out = lstm.forward(packed, h0, c0);
            Tensor last = out.hN().select(0, -1);                               // h_n[-1]: (B, hidden)
            return fc.forward(dropout.forward(last));
        }
    }

    public static void main(String[] args) {
        Config cfg = Config.parse(args);
        long start = System.nanoTime();
        Generator gen = new Generator(cfg.seed);       // initial weights, shuffling, dropout masks, word dropout

        List<List<Passage>> split = loadSplit(cfg);
        List<Passage> train = split.get(0);
        List<Passage> test = split.get(1);
        if (cfg.trainLimit > 0 && train.size() > cfg.trainLimit) {
            int[] perm = new Generator(cfg.seed + 1).permutation(train.size());
            List<Passage> sub = new ArrayList<>();
            for (int i = 0; i < cfg.trainLimit; i++) {
                sub.add(train.get(perm[i]));
            }
            train = sub;
        }
        String heldOut = cfg.validation ? "validation" : "test";
        log.info("{} training passages ({} / {}), {} {} passages ({} / {}), mean length {} characters",
            train.size(), count(train, 0), count(train, 1), test.size(), heldOut, count(test, 0), count(test, 1),
            String.format(Locale.ROOT, "%.0f", train.stream().mapToInt(p -> p.text().length()).average().orElse(0)));

        int majority = count(train, 0) >= count(train, 1) ? 0 : 1;
        double majorityAcc = (double) count(test, majority) / test.size();
        double bayesAcc = NaiveBayes.fit(train, 3).accuracy(test);
        log.info("baselines on the {} passages: majority class ({}) {}, naive Bayes on character 3-grams {}",
            heldOut, TITLES[majority], fmt(majorityAcc), fmt(bayesAcc));

        Map<String, Integer> vocab = vocabulary(train, cfg.minCount);
        List<int[]> trainTokens = encode(train, vocab);
        List<int[]> testTokens = encode(test, vocab);
        log.info("vocabulary: {} tokens seen at least {} times in training, mean passage {} tokens", vocab.size(),
            cfg.minCount, String.format(Locale.ROOT, "%.1f", trainTokens.stream().mapToInt(t -> t.length).average().orElse(0)));
        NovelModel model = new NovelModel(vocab.size() + 2, cfg.embed, cfg.hidden, cfg.layers, cfg.dropout, 2, gen);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(model.parameters(), cfg.lr);
        LRScheduler scheduler = new CosineAnnealingLR(optimizer, Math.max(cfg.epochs, 1));
        log.info("model: {}", model);

        double[] trainLoss = new double[cfg.epochs];
        double[] testLoss = new double[cfg.epochs];
        double[] testAcc = new double[cfg.epochs];
        for (int epoch = 0; epoch < cfg.epochs; epoch++) {
            long t0 = System.nanoTime();
            model.train();
            int[] order = gen.permutation(train.size());
            double sum = 0;
            for (int from = 0; from < order.length; from += cfg.batch) {
                int[] idx = Arrays.copyOfRange(order, from, Math.min(from + cfg.batch, order.length));
                Batch b = Batch.of(trainTokens, train, idx, cfg.wordDropout, gen);
                Tensor logits = model.forward(b.indices(), b.lengths());
                Tensor loss = criterion.forward(logits, b.labels());
                optimizer.zeroGrad();
                loss.backward();
                ClipGrad.clipGradNorm(model.parameters(), cfg.clip);
                optimizer.step();
                sum += loss.item() * idx.length;
            }
            trainLoss[epoch] = sum / train.size();
            scheduler.step();
            double[] eval = evaluate(model, criterion, testTokens, test, cfg.batch);
            testLoss[epoch] = eval[0];
            testAcc[epoch] = eval[1];
            log.info("epoch {}/{}: train loss {}, {} loss {}, {} accuracy {} ({} s)", epoch + 1, cfg.epochs,
                fmt(trainLoss[epoch]), heldOut, fmt(testLoss[epoch]), heldOut, fmt(testAcc[epoch]),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        }
        double accuracy = cfg.epochs > 0 ? testAcc[cfg.epochs - 1] : evaluate(model, criterion, testTokens, test, cfg.batch)[1];
        writePlots(cfg, heldOut, trainLoss, testLoss, testAcc, majorityAcc, bayesAcc);

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s accuracy: LSTM %.4f, naive Bayes (char 3-grams) %.4f, majority class %.4f%n",
            heldOut, accuracy, bayesAcc, majorityAcc);
        System.out.printf(Locale.ROOT,
            "{\"example\":\"NovelClassifier\",\"seed\":%d,\"split\":\"%s\",\"epochs\":%d,\"test_accuracy\":%.4f,"
                + "\"majority_accuracy\":%.4f,\"naive_bayes_accuracy\":%.4f,\"train_passages\":%d,\"test_passages\":%d,"
                + "\"seconds\":%.1f}%n",
            cfg.seed, heldOut, cfg.epochs, accuracy, majorityAcc, bayesAcc, train.size(), test.size(), seconds);
    }

    /** {@code {mean loss, accuracy}} over {@code passages}, in evaluation mode without gradients. */
    static double[] evaluate(NovelModel model, CrossEntropyLoss criterion, List<int[]> encoded, List<Passage> passages,
                             int batchSize) {
        model.eval();
        double loss = 0;
        int correct = 0;
        try (NoGrad ignored = Tensor.noGrad()) {
            for (int from = 0; from < passages.size(); from += batchSize) {
                int to = Math.min(from + batchSize, passages.size());
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                Batch b = Batch.of(encoded, passages, idx);
                Tensor logits = model.forward(b.indices(), b.lengths());
                loss += criterion.forward(logits, b.labels()).item() * idx.length;
                float[] predicted = logits.argmax(1, false).toFloatArray();
                float[] labels = b.labels().toFloatArray();
                for (int i = 0; i < idx.length; i++) {
                    if (predicted[i] == labels[i]) {
                        correct++;
                    }
                }
            }
        }
        return new double[] {loss / passages.size(), (double) correct / passages.size()};
    }

    /** A padded batch: indices {@code (B, T)}, lengths in batch order, labels {@code (B)} as floats. */
    record Batch(Tensor indices, int[] lengths, Tensor labels) {
        static Batch of(List<int[]> encoded, List<Passage> passages, int[] idx) {
            return of(encoded, passages, idx, 0, null);
        }

        /** With {@code wordDropout > 0}, each token becomes the unknown token with that probability (training only). */
        static Batch of(List<int[]> encoded, List<Passage> passages, int[] idx, double wordDropout, Generator gen) {
            int[] lengths = new int[idx.length];
            int longest = 0;
            for (int i = 0; i < idx.length; i++) {
                lengths[i] = encoded.get(idx[i]).length;
                longest = Math.max(longest, lengths[i]);
            }
            float[] data = new float[idx.length * longest];      // PAD = 0 past each length
            float[] labels = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                int[] tokens = encoded.get(idx[i]);
                for (int t = 0; t < tokens.length; t++) {
                    boolean drop = wordDropout > 0 && gen.nextDouble() < wordDropout;
                    data[i * longest + t] = drop ? UNKNOWN : tokens[t];
                }
                labels[i] = passages.get(idx[i]).label();
            }
            return new Batch(Tensor.wrap(data, idx.length, longest), lengths, Tensor.wrap(labels, idx.length));
        }
    }

    /** The tokens of a passage: lower-cased words (with an inner apostrophe) and single punctuation marks. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * Token to index, from 2 up, for the tokens seen at least {@code minCount} times in training
     * ({@code 0} pads, {@code 1} stands for every other token).
     */
    static Map<String, Integer> vocabulary(List<Passage> train, int minCount) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Passage p : train) {
            for (String t : tokens(p.text())) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount) {
                vocab.put(e.getKey(), vocab.size() + 2);
            }
        }
        return vocab;
    }

    /** Each passage as token indices. */
    static List<int[]> encode(List<Passage> passages, Map<String, Integer> vocab) {
        List<int[]> out = new ArrayList<>();
        for (Passage p : passages) {
            out.add(tokens(p.text()).stream().mapToInt(t -> vocab.getOrDefault(t, UNKNOWN)).toArray());
        }
        return out;
    }

    /**
     * {@code {train, heldOut}}: the passages of both books, chapter k held out when k % 5 == 0
     * (test), or with {@code validation}, trained on k % 5 in {1, 2, 3} and held out k % 5 == 4.
     */
    static List<List<Passage>> loadSplit(Config cfg) {
        List<Passage> train = new ArrayList<>();
        List<Passage> heldOut = new ArrayList<>();
        for (int label = 0; label < BOOKS.length; label++) {
            List<List<String>> chapters = chapters(cfg.data.resolve(BOOKS[label]));
            for (int c = 0; c < chapters.size(); c++) {
                int k = (c + 1) % 5;
                List<Passage> into;
                if (cfg.validation) {
                    into = k == 0 ? null : k == 4 ? heldOut : train;
                } else {
                    into = k == 0 ? heldOut : train;
                }
                if (into == null) {
                    continue;
                }
                for (String paragraph : chapters.get(c)) {
                    for (String piece : pieces(paragraph, cfg.maxChars)) {
                        into.add(new Passage(piece, label));
                    }
                }
            }
        }
        return List.of(train, heldOut);
    }

    /** The paragraphs of each chapter, normalized; text before the first chapter heading is dropped. */
    static List<List<String>> chapters(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath()
                + " (run from the project folder or pass --data DIR)", e);
        }
        List<List<String>> chapters = new ArrayList<>();
        List<String> current = null;
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines) {
            boolean heading = CHAPTER.matcher(line).matches();
            if (line.isBlank() || heading) {
                flush(paragraph, current);
                if (heading) {
                    current = new ArrayList<>();
                    chapters.add(current);
                }
            } else {
                paragraph.append(line).append(' ');
            }
        }
        flush(paragraph, current);
        return chapters;
    }

    private static void flush(StringBuilder paragraph, List<String> into) {
        String text = paragraph.toString().replace("_", "").trim().replaceAll("\\s+", " ");
        paragraph.setLength(0);
        if (into != null && !text.isEmpty() && !text.equals("THE END")) {
            into.add(text);
        }
    }

    /** The paragraph cut at spaces into pieces of at most {@code maxChars}; pieces under 40 characters dropped. */
    static List<String> pieces(String paragraph, int maxChars) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : paragraph.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + word.length() > maxChars) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) {
                cur.append(' ');
            }
            cur.append(word.length() > maxChars ? word.substring(0, maxChars) : word);
        }
        out.add(cur.toString());
        out.removeIf(s -> s.length() < MIN_CHARS);
        return out;
    }

    /** Multinomial naive Bayes over character n-grams with add-one (Laplace) smoothing. */
    static final class NaiveBayes {
        private final int n;
        private final double[] logPrior;
        private final List<Map<String, Integer>> counts;
        private final long[] totals;
        private final int vocabularySize;

        private NaiveBayes(int n, double[] logPrior, List<Map<String, Integer>> counts, long[] totals, int vocabularySize) {
            this.n = n;
            this.logPrior = logPrior;
            this.counts = counts;
            this.totals = totals;
            this.vocabularySize = vocabularySize;
        }

        static NaiveBayes fit(List<Passage> train, int n) {
            int classes = BOOKS.length;
            double[] prior = new double[classes];
            List<Map<String, Integer>> counts = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                counts.add(new HashMap<>());
            }
            long[] totals = new long[classes];
            TreeSet<String> grams = new TreeSet<>();
            for (Passage p : train) {
                prior[p.label()]++;
                String s = p.text();
                for (int i = 0; i + n <= s.length(); i++) {
                    String g = s.substring(i, i + n);
                    counts.get(p.label()).merge(g, 1, Integer::sum);
                    totals[p.label()]++;
                    grams.add(g);
                }
            }
            for (int c = 0; c < classes; c++) {
                prior[c] = Math.log(prior[c] / train.size());
            }
            return new NaiveBayes(n, prior, counts, totals, grams.size());
        }

        /** The class with the highest {@code log P(c) + sum log P(gram | c)}. */
        int predict(String s) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < logPrior.length; c++) {
                double score = logPrior[c];
                double denominator = Math.log(totals[c] + vocabularySize);
                for (int i = 0; i + n <= s.length(); i++) {
                    int k = counts.get(c).getOrDefault(s.substring(i, i + n), 0);
                    score += Math.log(k + 1) - denominator;
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            return best;
        }

        double accuracy(List<Passage> passages) {
            int correct = 0;
            for (Passage p : passages) {
                if (predict(p.text()) == p.label()) {
                    correct++;
                }
            }
            return (double) correct / passages.size();
        }
    }

    private static void writePlots(Config cfg, String heldOut, double[] trainLoss, double[] testLoss, double[] testAcc,
                                   double majorityAcc, double bayesAcc) {
        int e = trainLoss.length;
        double[] flatMajority = new double[e];
        double[] flatBayes = new double[e];
        Arrays.fill(flatMajority, majorityAcc);
        Arrays.fill(flatBayes, bayesAcc);
        try {
            new LinePlot("Novel classifier: cross-entropy per epoch", "epoch", "cross-entropy (nats)")
                .seriesWithPoints("train", epochs(e), trainLoss)
                .seriesWithPoints(heldOut, epochs(e), testLoss)
                .write(cfg.out.resolve("loss.png"));
            new LinePlot("Novel classifier: " + heldOut + " accuracy per epoch", "epoch", "accuracy")
                .seriesWithPoints("LSTM", epochs(e), testAcc)
                .series("naive Bayes 3-gram", epochs(e), flatBayes)
                .series("majority class", epochs(e), flatMajority)
                .write(cfg.out.resolve("accuracy.png"));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the plots to " + cfg.out, ex);
        }
        log.info("plots written to {}", cfg.out.resolve("loss.png").getParent().toAbsolutePath());
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        Arrays.setAll(x, i -> i + 1);
        return x;
    }

    private static int count(List<Passage> passages, int label) {
        return (int) passages.stream().filter(p -> p.label() == label).count();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
