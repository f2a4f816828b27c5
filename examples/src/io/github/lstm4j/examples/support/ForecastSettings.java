package io.github.lstm4j.examples.support;

import io.github.lstm4j.examples.support.LstmForecaster.Loss;
import io.github.lstm4j.examples.support.LstmForecaster.Recipe;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The command-line settings shared by the forecasting examples: the seed, the output folder, the
 * validation period, the {@link Recipe} of the LSTM ensemble, the transform and the hybrid order.
 * An example sets its own defaults on a fresh instance, then {@link #parse}s its arguments:
 *
 * <pre>
 *   --seed S            seed of every random draw (default 0)
 *   --out DIR           folder for the plots
 *   --quick             a few seconds: at most 50 epochs and 2 members (for the smoke tests)
 *   --validate-only     fit before the validation years, score them and stop (the test years are unread)
 *   --val-years A-B     the validation years, inside the fitting period
 *   --window W --hidden H --layers L --dropout P --wd WD --lr LR --batch B --epochs E --members K
 *   --loss mse|huber --cosine true|false
 *   --augment A         amplitude augmentation: scale training windows by exp(U(-A, A)) (0: off)
 *   --transform NAME    the transform before standardising (the examples say which they accept)
 *   --hybrid P          learn the residual of an AR(P) fitted by least squares (0: a pure LSTM)
 *   --ar-weight W       report (1 - W) LSTM + W AR (the examples say whether they accept it)
 * </pre>
 */
public final class ForecastSettings {

    /** Seed of every random draw. */
    public long seed = 0;
    /** Output folder. */
    public Path out;
    /** Whether {@code --quick} was given. */
    public boolean quick;
    /** Stop after the validation stage. */
    public boolean validateOnly;
    /** First validation year. */
    public int valStart;
    /** Last validation year. */
    public int valEnd;
    /** Past values each forecast sees. */
    public int window = 9;
    /** LSTM hidden size. */
    public int hidden = 16;
    /** Stacked LSTM layers. */
    public int layers = 1;
    /** Dropout on the last hidden state. */
    public double dropout = 0;
    /** AdamW's decoupled weight decay. */
    public double weightDecay = 0;
    /** Learning rate. */
    public double lr = 1e-3;
    /** Minibatch size. */
    public int batch = 16;
    /** Training epochs. */
    public int epochs = 300;
    /** Networks in the ensemble. */
    public int members = 5;
    /** The training loss. */
    public Loss loss = Loss.MSE;
    /** Cosine learning-rate annealing. */
    public boolean cosine = true;
    /** Amplitude augmentation half-width on the log scale (0: off). */
    public double augment = 0;
    /** Weight of the classical AR forecast in a blend with the LSTM's (0: the LSTM alone). */
    public double arWeight = 0;
    /** The transform's name. */
    public String transform = "none";
    /** Order of the AR base of a hybrid; 0 for a pure LSTM. */
    public int hybrid = 0;

    /** The LSTM recipe these settings describe. */
    public Recipe recipe() {
        return new Recipe(window, hidden, layers, dropout, weightDecay, lr, batch, epochs, members, loss, cosine, augment);
    }

    /**
     * Reads the arguments over the current values; returns this.
     *
     * @throws IllegalArgumentException for an unknown flag or a malformed value
     */
    public ForecastSettings parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.equals("--quick") && !a.equals("--validate-only") && i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--validate-only" -> validateOnly = true;
                case "--val-years" -> {
                    String[] p = args[++i].split("-");
                    if (p.length != 2) {
                        throw new IllegalArgumentException("--val-years expects FIRST-LAST, e.g. 1891-1920, got " + args[i]);
                    }
                    valStart = Integer.parseInt(p[0]);
                    valEnd = Integer.parseInt(p[1]);
                }
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                case "--layers" -> layers = Integer.parseInt(args[++i]);
                case "--dropout" -> dropout = Double.parseDouble(args[++i]);
                case "--wd" -> weightDecay = Double.parseDouble(args[++i]);
                case "--lr" -> lr = Double.parseDouble(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--members" -> members = Integer.parseInt(args[++i]);
                case "--loss" -> loss = Loss.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--cosine" -> cosine = Boolean.parseBoolean(args[++i]);
                case "--transform" -> transform = args[++i];
                case "--hybrid" -> hybrid = Integer.parseInt(args[++i]);
                case "--augment" -> augment = Double.parseDouble(args[++i]);
                case "--ar-weight" -> arWeight = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + a + " (expected --seed S, --out DIR, "
                    + "--quick, --validate-only, --val-years A-B, --window W, --hidden H, --layers L, --dropout P, --wd WD, "
                    + "--lr LR, --batch B, --epochs E, --members K, --loss mse|huber, --cosine true|false, "
                    + "--transform NAME, --hybrid P)");
            }
        }
        if (quick) {
            epochs = Math.min(epochs, 50);
            members = Math.min(members, 2);
        }
        return this;
    }

    /**
     * Checks that the validation years lie inside {@code firstYear..lastFitYear} and leave at least
     * {@code minTrain} years before them to train on.
     *
     * @throws IllegalArgumentException otherwise
     */
    public void checkValidationYears(int firstYear, int lastFitYear, int minTrain) {
        if (valStart > valEnd || valEnd > lastFitYear || valStart - firstYear < minTrain) {
            throw new IllegalArgumentException("--val-years must lie inside the fitting period " + firstYear + "-"
                + lastFitYear + " and leave at least " + minTrain + " years before it, got " + valStart + "-" + valEnd);
        }
    }
}
