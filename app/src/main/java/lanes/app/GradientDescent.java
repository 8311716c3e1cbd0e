package lanes.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain gradient descent on a quadratic of two variables, the course's first optimisation example:
 *
 * <pre>
 *   f(x1, x2) = a x1^2 + b x1 x2 + c x2^2       grad f = (2a x1 + b x2, b x1 + 2c x2)      H = [[2a, b], [b, 2c]]
 *   X^(k+1) = X^k - lr grad f(X^k)             stop when |f(X^(k+1)) - f(X^k)| &lt; eps
 * </pre>
 *
 * (and the step itself is below sqrt(eps) times 1 + |X|: a step across the valley can leave f unchanged).
 *
 * Along each eigenvector of H an iterate is multiplied by {@code 1 - lr lambda} per step, so descent converges
 * exactly when {@code |1 - lr lambda| < 1} for both eigenvalues: {@code 0 < lr < 2 / lambda_max}. Near that edge
 * it crawls (the factor is close to 1); beyond it, it diverges, oscillating.
 *
 * @param a the coefficient of x1^2
 * @param b the coefficient of x1 x2
 * @param c the coefficient of x2^2
 */
public record GradientDescent(double a, double b, double c) {
    /** How a run ended. */
    public enum Verdict {
        /** |f(X^k+1) - f(X^k)| fell below eps. */
        CONVERGED,
        /** Not converged within the steps, f still falling: the rate is stable but slow. */
        CRAWLED,
        /** f grew (or overflowed): the rate is above the stable limit. */
        DIVERGED
    }

    /**
     * One run: its rate, its iterates (X^0 first) and values, and how it ended.
     *
     * @param lr the learning rate
     * @param xs the iterates, X^0 first
     * @param fs f at each iterate
     * @param verdict how it ended
     */
    public record Run(double lr, List<double[]> xs, List<Double> fs, Verdict verdict) {
        /**
         * The steps taken.
         *
         * @return iterates less one
         */
        public int steps() {
            return xs.size() - 1;
        }

        /**
         * One line: the verdict, the last iterate and f, and why (each eigen-direction's factor |1 - lr lambda|).
         *
         * @param lambda the Hessian's eigenvalues, smaller first
         * @return the line
         */
        public String describe(double[] lambda) {
            double[] x = xs.get(xs.size() - 1);
            double f = fs.get(fs.size() - 1);
            double f1 = Math.abs(1 - lr * lambda[0]);
            double f2 = Math.abs(1 - lr * lambda[1]);
            String what = switch (verdict) {
                case CONVERGED -> "converged in " + steps() + " steps";
                case CRAWLED -> "crawled: not converged in " + steps() + " steps, f still falling";
                case DIVERGED -> "diverged: f grew from " + fmt(fs.get(0)) + " to " + fmt(f) + " in " + steps()
                        + " steps";
            };
            String why = f2 > 1 || f1 > 1
                    ? "|1 - lr lambda_max| = " + fmt(Math.max(f1, f2)) + " > 1: each step multiplies the error along"
                    + " that eigenvector by it, changing its sign (lr above 2 / lambda_max = " + fmt(2 / lambda[1])
                    + ")"
                    : Math.max(f1, f2) > 0.99 ? "the slowest factor |1 - lr lambda| = " + fmt(Math.max(f1, f2))
                    + " is just below 1: stable, but each step removes little error"
                    : "factors |1 - lr lambda| = " + fmt(f1) + " and " + fmt(f2) + ", both below 1: each step "
                    + "shrinks the error along both eigenvectors";
            return String.format(Locale.ROOT, "lr %s: %s; X = (%s, %s), f = %s. Why: %s", lr, what, fmt(x[0]),
                    fmt(x[1]), fmt(f), why);
        }
    }

    /**
     * f at (x1, x2).
     *
     * @param x1 the first variable
     * @param x2 the second
     * @return the value
     */
    public double f(double x1, double x2) {
        return a * x1 * x1 + b * x1 * x2 + c * x2 * x2;
    }

    /**
     * The Hessian's eigenvalues, smaller first.
     *
     * @return {lambda_min, lambda_max}
     */
    public double[] eigenvalues() {
        double half = (2 * a + 2 * c) / 2;
        double det = 4 * a * c - b * b;
        double root = Math.sqrt(Math.max(0, half * half - det));
        return new double[] {half - root, half + root};
    }

    /**
     * Runs gradient descent from (x1, x2) at rate {@code lr}.
     *
     * @param x1 X0's first coordinate
     * @param x2 its second
     * @param lr the learning rate
     * @param maxSteps the most steps
     * @param eps the stopping threshold on |f(X^k+1) - f(X^k)|
     * @return the run
     */
    public Run run(double x1, double x2, double lr, int maxSteps, double eps) {
        List<double[]> xs = new ArrayList<>();
        List<Double> fs = new ArrayList<>();
        xs.add(new double[] {x1, x2});
        fs.add(f(x1, x2));
        double limit = Math.max(1e12, Math.abs(fs.get(0)) * 1e12);
        for (int k = 0; k < maxSteps; k++) {
            double g1 = 2 * a * x1 + b * x2;
            double g2 = b * x1 + 2 * c * x2;
            x1 -= lr * g1;
            x2 -= lr * g2;
            double f = f(x1, x2);
            xs.add(new double[] {x1, x2});
            fs.add(f);
            if (!Double.isFinite(f) || Math.abs(f) > limit) {
                return new Run(lr, xs, fs, Verdict.DIVERGED);
            }
            // the course's rule, and the iterate no longer moving: a step across the valley can leave f as it was
            // (from (3, 3) at lr 0.25, f is 54 before and after the first step)
            double moved = Math.hypot(lr * g1, lr * g2);
            if (Math.abs(f - fs.get(fs.size() - 2)) < eps && moved < Math.sqrt(eps) * (1 + Math.hypot(x1, x2))) {
                return new Run(lr, xs, fs, Verdict.CONVERGED);
            }
        }
        double first = Math.abs(fs.get(0));
        double last = Math.abs(fs.get(fs.size() - 1));
        return new Run(lr, xs, fs, last > first ? Verdict.DIVERGED : Verdict.CRAWLED);
    }

    /**
     * Every run as JSON: f's coefficients, X0, the eigenvalues, the largest stable rate, and per rate its verdict,
     * steps, iterates and values.
     *
     * @param abc a, b and c
     * @param start X0
     * @param lambda the eigenvalues
     * @param runs the runs
     * @return one JSON object
     */
    public static String json(double[] abc, double[] start, double[] lambda, List<Run> runs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "{\"f\": {\"a\": %s, \"b\": %s, \"c\": %s}, "
                + "\"start\": [%s, %s], \"eigenvalues\": [%s, %s], \"max_stable_lr\": %s, \"runs\": [", abc[0], abc[1],
                abc[2], start[0], start[1], lambda[0], lambda[1], lambda[1] > 0 ? Double.toString(2 / lambda[1])
                : "null"));
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            s.append(r == 0 ? "\n  " : ",\n  ").append(String.format(Locale.ROOT, "{\"lr\": %s, \"verdict\": \"%s\", "
                    + "\"steps\": %d, \"x\": [", run.lr(), run.verdict().name().toLowerCase(Locale.ROOT),
                    run.steps()));
            for (int i = 0; i < run.xs().size(); i++) {
                double[] x = run.xs().get(i);
                s.append(i == 0 ? "" : ", ").append('[').append(num(x[0])).append(", ").append(num(x[1])).append(']');
            }
            s.append("], \"f\": [");
            for (int i = 0; i < run.fs().size(); i++) {
                s.append(i == 0 ? "" : ", ").append(num(run.fs().get(i)));
            }
            s.append("]}");
        }
        return s.append("\n]}").toString();
    }

    /**
     * The trajectories over the contours of f, in a box around X0.
     *
     * @param runs the runs, one colour each
     * @param start X0
     * @return the picture
     */
    public BufferedImage draw(List<Run> runs, double[] start) {
        int side = 640;
        int margin = 40;
        int plot = side - 2 * margin;
        double half = 1.6 * Math.max(1, Math.max(Math.abs(start[0]), Math.abs(start[1])));
        BufferedImage image = new BufferedImage(side, side + 24 * runs.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        double top = Math.log1p(Math.abs(f(half, half)) + Math.abs(f(half, -half)));
        for (int py = 0; py < plot; py++) {
            for (int px = 0; px < plot; px++) {
                double x1 = -half + 2 * half * (px + 0.5) / plot;
                double x2 = half - 2 * half * (py + 0.5) / plot;
                double v = Math.log1p(Math.abs(f(x1, x2))) / top;          // 0 at the minimum, ~1 at the corners
                int level = (int) Math.floor(v * 12);
                double vr = Math.log1p(Math.abs(f(x1 + 2 * half / plot, x2))) / top;
                double vd = Math.log1p(Math.abs(f(x1, x2 - 2 * half / plot))) / top;
                boolean line = (int) Math.floor(vr * 12) != level || (int) Math.floor(vd * 12) != level;
                int shade = (int) (255 - 60 * Math.min(1, v));
                image.setRGB(margin + px, margin + py, line ? new Color(150, 150, 170).getRGB()
                        : new Color(shade, shade, 255).getRGB());
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Color[] colours = {new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
            new Color(148, 103, 189), new Color(23, 190, 207), new Color(140, 86, 75)};
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            g.setColor(colours[r % colours.length]);
            g.setStroke(new BasicStroke(1.5f));
            g.setClip(margin, margin, plot + 1, plot + 1);             // a diverging run leaves the picture
            int[] last = null;
            for (double[] x : run.xs()) {
                if (Math.abs(x[0]) > 2 * half || Math.abs(x[1]) > 2 * half) {
                    break;                                          // off the picture: a diverging run
                }
                int[] p = {margin + (int) Math.round((x[0] + half) / (2 * half) * plot),
                    margin + (int) Math.round((half - x[1]) / (2 * half) * plot)};
                if (last != null) {
                    g.drawLine(last[0], last[1], p[0], p[1]);
                }
                g.fillOval(p[0] - 2, p[1] - 2, 5, 5);
                last = p;
            }
            g.setClip(null);
            g.drawString(String.format(Locale.ROOT, "lr %s: %s after %d steps", run.lr(),
                    run.verdict().name().toLowerCase(Locale.ROOT), run.steps()), margin, side + 16 + 24 * r);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(margin, margin, plot, plot);
        g.drawString(String.format(Locale.ROOT, "f = %s x1^2 + %s x1 x2 + %s x2^2 on [-%.1f, %.1f]^2, from (%s, %s)",
                a, b, c, half, half, start[0], start[1]), margin, 24);
        g.dispose();
        return image;
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6 || v == 0 ? String.format(Locale.ROOT, "%.6g", v)
                : String.format(Locale.ROOT, "%.4e", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
