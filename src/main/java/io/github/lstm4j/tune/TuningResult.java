package io.github.lstm4j.tune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a search found: every trial in order, the best completed one, a text table, a CSV file and
 * a PNG plot.
 */
public final class TuningResult {

    private final SearchSpace space;
    private final Direction direction;
    private final List<TrialResult> trials;
    private final Duration elapsed;

    TuningResult(SearchSpace space, Direction direction, List<TrialResult> trials, Duration elapsed) {
        this.space = space;
        this.direction = direction;
        this.trials = List.copyOf(trials);
        this.elapsed = elapsed;
    }

    /** Every trial, ordered by number. */
    public List<TrialResult> trials() {
        return trials;
    }

    /** Whether lower or higher was better. */
    public Direction direction() {
        return direction;
    }

    /** Wall-clock time of the whole search. */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * The completed trial with the best score (the lowest-numbered on a tie).
     *
     * @throws IllegalStateException if no trial completed
     */
    public TrialResult best() {
        TrialResult best = null;
        for (TrialResult t : trials) {
            if (t.isComplete() && (best == null || direction.isBetter(t.score(), best.score()))) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no trial completed: " + count(TrialState.PRUNED) + " pruned, "
                + count(TrialState.FAILED) + " failed of " + trials.size());
        }
        return best;
    }

    /** The best completed trial's parameters. */
    public Params bestParams() {
        return best().params();
    }

    /** The best completed trial's score. */
    public double bestScore() {
        return best().score();
    }

    /** The number of trials that ended in {@code state}. */
    public int count(TrialState state) {
        return (int) trials.stream().filter(t -> t.state() == state).count();
    }

    /** For each trial in order, the best completed score up to and including it (NaN before the first). */
    public double[] bestSoFar() {
        double[] out = new double[trials.size()];
        double best = Double.NaN;
        for (int i = 0; i < out.length; i++) {
            TrialResult t = trials.get(i);
            if (t.isComplete() && (Double.isNaN(best) || direction.isBetter(t.score(), best))) {
                best = t.score();
            }
            out[i] = best;
        }
        return out;
    }

    /** One line: counts, time and the best trial. */
    public String summary() {
        String head = String.format(Locale.ROOT, "%d trials (%d complete, %d pruned, %d failed) in %.1f s",
            trials.size(), count(TrialState.COMPLETE), count(TrialState.PRUNED), count(TrialState.FAILED),
            elapsed.toNanos() / 1e9);
        if (count(TrialState.COMPLETE) == 0) {
            return head + "; no trial completed";
        }
        TrialResult b = best();
        return head + String.format(Locale.ROOT, "; best trial %d, score %.6g, %s", b.number(), b.score(), b.params());
    }

    /**
     * The trials as an aligned text table, one row per trial, the best marked with {@code *}:
     * <pre>
     * trial  state     score      time_s  hiddenSize  lr
     *     0  COMPLETE  0.0123     1.20    64          0.001
     * </pre>
     */
    public String table() {
        List<String> names = space.names();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("trial", "state", "score", "time_s"));
        header.addAll(names);
        rows.add(header.toArray(new String[0]));
        int bestNumber = count(TrialState.COMPLETE) > 0 ? best().number() : -1;
        for (TrialResult t : trials) {
            List<String> row = new ArrayList<>();
            row.add((t.number() == bestNumber ? "*" : "") + t.number());
            row.add(t.state().name());
            row.add(Double.isNaN(t.score()) ? "-" : String.format(Locale.ROOT, "%.6g", t.score()));
            row.add(String.format(Locale.ROOT, "%.2f", t.duration().toNanos() / 1e9));
            for (String n : names) {
                row.add(Params.format(t.params().get(n)));
            }
            rows.add(row.toArray(new String[0]));
        }
        int[] width = new int[header.size()];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(c == 0 ? pad + r[c] : "  " + r[c] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes every trial as CSV: {@code number,state,score,duration_ms,<parameters...>,note}, one
     * row per trial, scores in full precision, empty score for NaN. Creates parent directories.
     */
    public void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("number,state,score,duration_ms");
        for (String n : space.names()) {
            sb.append(',').append(csv(n));
        }
        sb.append(",note\n");
        for (TrialResult t : trials) {
            sb.append(t.number()).append(',').append(t.state()).append(',')
                .append(Double.isNaN(t.score()) ? "" : Double.toString(t.score())).append(',')
                .append(t.duration().toMillis());
            for (String n : space.names()) {
                sb.append(',').append(csv(String.valueOf(t.params().get(n))));
            }
            sb.append(',').append(t.error() == null ? "" : csv(t.error())).append('\n');
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** Writes the score of each trial with the best-so-far line as a PNG ({@link TrialPlot}). */
    public void writePlot(Path file, String title) throws IOException {
        TrialPlot.write(this, title, file);
    }

    private static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public String toString() {
        return summary();
    }
}
