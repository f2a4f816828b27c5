package io.github.lstm4j.tune;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * Draws a search as a PNG with plain Java2D (headless): each completed trial's score as a blue
 * dot, each pruned trial's last reported value as a grey ring, and the best-so-far score as an
 * orange step line. The y axis is logarithmic when every plotted value is positive and they span
 * more than two decades. Failed trials are counted in the title.
 */
final class TrialPlot {

    private static final int W = 900;
    private static final int H = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);
    private static final Color GREY = new Color(150, 150, 150);

    private TrialPlot() {
    }

    static void write(TuningResult result, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<TrialResult> trials = result.trials();
        double[] best = result.bestSoFar();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (TrialResult t : trials) {
            if (t.state() != TrialState.FAILED && Double.isFinite(t.score())) {
                lo = Math.min(lo, t.score());
                hi = Math.max(hi, t.score());
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        boolean logY = lo > 0 && hi / lo > 100;
        double ylo = logY ? Math.log10(lo) : lo;
        double yhi = logY ? Math.log10(hi) : hi;
        double pad = yhi > ylo ? 0.05 * (yhi - ylo) : Math.max(1e-12, Math.abs(ylo) * 0.1 + 1e-12);
        ylo -= pad;
        yhi += pad;
        int n = Math.max(trials.size(), 1);

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            final double fylo = ylo;
            final double fyhi = yhi;
            DoubleUnaryOperator sx = x -> LEFT + (n == 1 ? pw / 2.0 : x * pw / (n - 1.0));
            DoubleUnaryOperator sy = y -> {
                double v = logY ? Math.log10(y) : y;
                return TOP + ph - (v - fylo) / (fyhi - fylo) * ph;
            };

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(230, 230, 230));
            for (int i = 0; i <= 5; i++) {
                int y = TOP + ph - i * ph / 5;
                g.drawLine(LEFT, y, LEFT + pw, y);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(LEFT, TOP, pw, ph);
            for (int i = 0; i <= 5; i++) {
                double v = ylo + i * (yhi - ylo) / 5;
                String label = String.format(Locale.ROOT, "%.4g", logY ? Math.pow(10, v) : v);
                int y = TOP + ph - i * ph / 5;
                g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
            }
            int step = Math.max(1, (int) Math.ceil(n / 10.0));
            for (int i = 0; i < n; i += step) {
                int x = (int) sx.applyAsDouble(i);
                g.drawLine(x, TOP + ph, x, TOP + ph + 4);
                String label = Integer.toString(i);
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
            }
            g.drawString("trial", LEFT + pw / 2 - 10, H - 12);
            g.drawString(result.direction() == Direction.MINIMIZE ? "score (lower is better)" : "score (higher is better)",
                8, TOP - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            String head = title + (result.count(TrialState.FAILED) > 0 ? "  (" + result.count(TrialState.FAILED) + " failed)" : "");
            g.drawString(head, LEFT + pw / 2 - g.getFontMetrics().stringWidth(head) / 2, 22);

            Path2D line = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < best.length; i++) {
                if (Double.isNaN(best[i])) {
                    continue;
                }
                double x = sx.applyAsDouble(i);
                double y = sy.applyAsDouble(best[i]);
                if (!started) {
                    line.moveTo(x, y);
                    started = true;
                } else {
                    line.lineTo(x, line.getCurrentPoint().getY());
                    line.lineTo(x, y);
                }
            }
            g.setColor(ORANGE);
            g.setStroke(new BasicStroke(2f));
            g.draw(line);
            g.setStroke(new BasicStroke(1.5f));
            for (TrialResult t : trials) {
                if (t.state() == TrialState.FAILED || !Double.isFinite(t.score())) {
                    continue;
                }
                int x = (int) Math.round(sx.applyAsDouble(t.number()));
                int y = (int) Math.round(sy.applyAsDouble(t.score()));
                if (t.isComplete()) {
                    g.setColor(BLUE);
                    g.fillOval(x - 4, y - 4, 8, 8);
                } else {
                    g.setColor(GREY);
                    g.drawOval(x - 4, y - 4, 8, 8);
                }
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int lx = LEFT + pw - 170;
            int ly = TOP + 16;
            g.setColor(BLUE);
            g.fillOval(lx, ly - 8, 8, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString("complete", lx + 14, ly);
            g.setColor(GREY);
            g.drawOval(lx, ly + 8, 8, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString("pruned (last value)", lx + 14, ly + 16);
            g.setColor(ORANGE);
            g.drawLine(lx - 2, ly + 28, lx + 10, ly + 28);
            g.setColor(Color.DARK_GRAY);
            g.drawString("best so far", lx + 14, ly + 32);
        } finally {
            g.dispose();
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
