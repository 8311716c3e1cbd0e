package lanes.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.GradientDescent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes gd}: plain gradient descent on a quadratic, the course's example by default. */
@Command(name = "gd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Gradient descent X <- X - lr grad f(X) on f(x1, x2) = a x1^2 + b x1 x2 + c x2^2 (the course's "
                + "example: a, b, c = 1, 1, 4) from X0 = (3, 3), at one or more learning rates, until |f(X^k+1) - "
                + "f(X^k)| < eps. Prints per rate whether it converged (in how many steps), crawled (not converged "
                + "within --steps) or diverged, the last iterate and f, and why: the Hessian's eigenvalues and the "
                + "largest stable rate 2 / lambda_max."})
final class GdCommand implements Callable<Integer> {
    @Option(names = "--lr", split = ",", paramLabel = "RATES", description = "Learning rates (default "
            + "0.05,0.2,0.25).")
    double[] rates = {0.05, 0.2, 0.25};

    @Option(names = "--steps", description = "The most steps per rate (default ${DEFAULT-VALUE}).")
    int steps = 1000;

    @Option(names = "--eps", description = "Stop when |f(X^k+1) - f(X^k)| < eps (default ${DEFAULT-VALUE}).")
    double eps = 1e-8;

    @Option(names = "--hessian", split = ",", paramLabel = "A,B,C", description = "f = a x1^2 + b x1 x2 + c x2^2 "
            + "(default 1,1,4: Hessian [[2, 1], [1, 8]]).")
    double[] abc = {1, 1, 4};

    @Option(names = "--start", split = ",", paramLabel = "X1,X2", description = "X0 (default 3,3).")
    double[] start = {3, 3};

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every iterate of every rate as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the trajectories over the contours of f "
            + "(PNG).")
    Path plot;

    @Override
    public Integer call() throws Exception {
        Args.positive("--steps", steps);
        if (abc.length != 3 || start.length != 2) {
            throw new IllegalArgumentException("--hessian takes three numbers a,b,c and --start two, x1,x2");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("--eps " + eps + ": must be a finite number > 0");
        }
        for (double v : new double[] {abc[0], abc[1], abc[2], start[0], start[1]}) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("--hessian and --start take finite numbers, not " + v);
            }
        }
        for (double r : rates) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("--lr " + r + ": every rate must be a finite number > 0");
            }
        }
        GradientDescent gd = new GradientDescent(abc[0], abc[1], abc[2]);
        double[] lambda = gd.eigenvalues();
        System.out.printf(Locale.ROOT, "f(x1, x2) = %s x1^2 + %s x1 x2 + %s x2^2, X0 = (%s, %s)%n", abc[0], abc[1],
                abc[2], start[0], start[1]);
        System.out.printf(Locale.ROOT, "Hessian [[%s, %s], [%s, %s]]: eigenvalues %.6f and %.6f%n", 2 * abc[0],
                abc[1], abc[1], 2 * abc[2], lambda[0], lambda[1]);
        if (lambda[0] <= 0) {
            System.out.println("f is not convex (an eigenvalue <= 0): it has no minimum for gradient descent to "
                    + "find, and every rate drifts away along that direction");
        } else {
            System.out.printf(Locale.ROOT, "Gradient descent converges for 0 < lr < 2 / lambda_max = %.6f; the "
                    + "fastest rate is 2 / (lambda_min + lambda_max) = %.6f%n", 2 / lambda[1],
                    2 / (lambda[0] + lambda[1]));
        }
        List<GradientDescent.Run> runs = new ArrayList<>();
        for (double r : rates) {
            GradientDescent.Run run = gd.run(start[0], start[1], r, steps, eps);
            runs.add(run);
            System.out.println(run.describe(lambda));
        }
        if (json != null) {
            Json.writeObject(json, GradientDescent.json(abc, start, lambda, runs));
            System.out.println("Iterates: " + json);
        }
        if (plot != null) {
            lanes.app.Plot.writePng(plot, gd.draw(runs, start));
            System.out.println("Plot: " + plot);
        }
        return 0;
    }
}
