package io.github.lstm4j.examples.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small headless line chart drawn with plain Java2D and written as PNG: several named series
 * over a shared x axis, optional log-scale y, axes with ticks, a title and a legend.
 *
 * <pre>{@code
 * new LinePlot("Loss per epoch", "epoch", "MSE")
 *     .series("train", epochs, trainLoss)
 *     .series("validation", epochs, valLoss)
 *     .write(outDir.resolve("loss.png"));
 * }</pre>
 */
public final class LinePlot {

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

    private record Series(String name, double[] x, double[] y, boolean points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    private int width = 900;
    private int height = 500;

    /** A chart with a title and axis labels. */
    public LinePlot(String title, String xLabel, String yLabel) {
        System.setProperty("java.awt.headless", "true");
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a line. */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone(), false));
        return this;
    }

    /** Adds a line whose points are also marked. */
    public LinePlot seriesWithPoints(String name, double[] x, double[] y) {
        series(name, x, y);
        Series s = series.remove(series.size() - 1);
        series.add(new Series(s.name(), s.x(), s.y(), true));
        return this;
    }

    /** Adds a line with x = 1, 2, ..., n. */
    public LinePlot series(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return series(name, x, y);
    }

    /** Uses a base-10 log scale on y (non-positive values are skipped). */
    public LinePlot logY(boolean on) {
        logY = on;
        return this;
    }

    /** Sets the image size in pixels. */
    public LinePlot size(int w, int h) {
        width = w;
        height = h;
        return this;
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    /** Draws the chart and writes it as a PNG file (creating parent folders); returns the path. */
    public Path write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double yv = s.y()[i];
                if (!Double.isFinite(yv) || (logY && yv <= 0)) {
                    continue;
                }
                xmin = Math.min(xmin, s.x()[i]);
                xmax = Math.max(xmax, s.x()[i]);
                ymin = Math.min(ymin, ty(yv));
                ymax = Math.max(ymax, ty(yv));
            }
        }
        if (!(xmin <= xmax)) {
            xmin = 0;
            xmax = 1;
            ymin = 0;
            ymax = 1;
        }
        if (xmax == xmin) {
            xmax = xmin + 1;
        }
        if (ymax == ymin) {
            ymax = ymin + 1;
        }
        double pad = (ymax - ymin) * 0.05;
        ymin -= pad;
        ymax += pad;
        int left = 80;
        int right = 170;
        int top = 40;
        int bottom = 60;
        int pw = width - left - right;
        int ph = height - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(title, left + (pw - fm.stringWidth(title)) / 2, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 5; i++) {
            int yy = top + ph - i * ph / 5;
            g.drawLine(left, yy, left + pw, yy);
            int xx = left + i * pw / 5;
            g.drawLine(xx, top, xx, top + ph);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            double yv = ymin + (ymax - ymin) * i / 5;
            String label = fmt(logY ? Math.pow(10, yv) : yv);
            int yy = top + ph - i * ph / 5;
            g.drawString(label, left - 8 - fm.stringWidth(label), yy + 4);
            double xv = xmin + (xmax - xmin) * i / 5;
            String xl = fmt(xv);
            int xx = left + i * pw / 5;
            g.drawString(xl, xx - fm.stringWidth(xl) / 2, top + ph + 18);
        }
        g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 15);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        String yl = yLabel + (logY ? " (log scale)" : "");
        gy.drawString(yl, -(top + (ph + fm.stringWidth(yl)) / 2), 18);
        gy.dispose();
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            Color c = PALETTE[si % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(1.8f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                double yv = s.y()[i];
                if (!Double.isFinite(yv) || (logY && yv <= 0)) {
                    started = false;
                    continue;
                }
                double px = left + (s.x()[i] - xmin) / (xmax - xmin) * pw;
                double py = top + ph - (ty(yv) - ymin) / (ymax - ymin) * ph;
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
                if (s.points()) {
                    g.fillOval((int) px - 3, (int) py - 3, 6, 6);
                }
            }
            g.draw(path);
            int ly = top + 10 + si * 20;
            g.fillRect(left + pw + 15, ly - 5, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), left + pw + 40, ly);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
