package lanes.layers.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanes.engine.Tensor;

/**
 * Gradient checking: a layer's backward against central finite differences of its forward. The scalar checked is
 * {@code L = sum_i r_i y_i} for fixed random {@code r}, so {@code dL/dy = r}; each checked element e of the input
 * and of every parameter is moved by +-h and {@code (L(e+h) - L(e-h)) / 2h}, summed in double, is compared with
 * the analytic gradient.
 *
 * <p>The forward runs in float, so the difference carries a rounding noise of about
 * {@code u * sum|r_i y_i| / h} over the outputs the step changed (the others are bit for bit the same both ways
 * and cancel); the check allows {@code 64} times that plus a relative {@code rtol} for the truncation error
 * (O(h^2)). An element where the one-sided differences {@code (L(e+h) - L(e)) / h} and
 * {@code (L(e) - L(e-h)) / h} disagree by more than a quarter of their size, or where the central difference at
 * {@code h/2} moves from the one at {@code h} by more than a quarter of the tolerance, sits on a kink (a ReLU or a
 * max switching inside the step, at a near tie too): it is skipped and counted, not compared.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * The worst element: where it is, both gradients and the allowed difference.
     *
     * @param where    the worst element: parameter or input, and index
     * @param analytic the gradient backward computed there
     * @param numeric  the central finite difference there
     * @param allowed  the difference allowed there
     * @param checked  elements compared
     * @param kinks    elements skipped: a kink (ReLU, max) inside the step
     */
    public record Result(String where, double analytic, double numeric, double allowed, int checked, int kinks) {
        /**
         * True if the worst element is within its allowance.
         *
         * @return true if the check passed
         */
        public boolean passes() {
            return Math.abs(analytic - numeric) <= allowed;
        }

        @Override
        public String toString() {
            return String.format("%s: analytic %.6g, numeric %.6g, |diff| %.3g, allowed %.3g (%d elements checked,"
                    + " %d skipped on kinks)", where, analytic, numeric, Math.abs(analytic - numeric), allowed, checked,
                    kinks);
        }
    }

    /**
     * Checks {@code layer} at input {@code x} (modified during the check, restored after), up to
     * {@code maxPerTensor} elements of the input and of each parameter (chosen by {@code seed}).
     *
     * @param layer the layer checked; its parameters are perturbed and restored
     * @param x the input
     * @param h the finite-difference step
     * @param rtol the relative tolerance
     * @param maxPerTensor the most elements checked per tensor
     * @param seed seed choosing the elements and the projection of the output
     * @return the worst difference found
     */
    public static Result check(Layer layer, Tensor x, double h, double rtol, int maxPerTensor, long seed) {
        Random random = new Random(seed);
        Tensor y0 = layer.forward(x);
        float[] r = new float[y0.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (random.nextDouble() * 2 - 1);
        }
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Tensor dy = Tensor.wrap(r.clone(), y0.shape());
        float[] dx = layer.backward(dy).toArray();
        List<float[]> grads = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            grads.add(p.grad.toArray());
        }
        double base = loss(output(layer, x), r)[0];
        int[] kinks = {0};
        Result worst = null;
        worst = checkTensor(layer, x, x, "input", dx, r, h, rtol, maxPerTensor, random, worst, base, kinks);
        List<Parameter> params = layer.parameters();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            worst = checkTensor(layer, x, p.value, p.name + " of " + layer, grads.get(i), r, h, rtol, maxPerTensor,
                    random, worst, base, kinks);
        }
        if (worst == null) {
            return new Result("nothing (every element sat on a kink)", 0, 0, 0, 0, kinks[0]);
        }
        return new Result(worst.where(), worst.analytic(), worst.numeric(), worst.allowed(), worst.checked(), kinks[0]);
    }

    private static Result checkTensor(Layer layer, Tensor x, Tensor t, String name, float[] analytic, float[] r,
                                      double h, double rtol, int max, Random random, Result worst, double base,
                                      int[] kinks) {
        int n = t.size();
        int count = Math.min(n, max);
        int[] shape = t.shape();
        for (int c = 0; c < count; c++) {
            int flat = count == n ? c : random.nextInt(n);
            int[] index = unflatten(flat, shape);
            float old = t.get(index);
            t.set(old + (float) h, index);
            float[] yPlus = output(layer, x);
            t.set(old - (float) h, index);
            float[] yMinus = output(layer, x);
            t.set(old, index);
            double[] plus = loss(yPlus, r);
            double[] minus = loss(yMinus, r);
            double actualStep = ((double) (old + (float) h) - (double) (old - (float) h));
            double numeric = (plus[0] - minus[0]) / actualStep;
            // outputs the step left as they were cancel exactly: only the changed ones carry float rounding
            double changed = 0;
            for (int i = 0; i < r.length; i++) {
                if (yPlus[i] != yMinus[i]) {
                    changed += Math.abs((double) r[i] * yPlus[i]) + Math.abs((double) r[i] * yMinus[i]);
                }
            }
            double noise = (64 * 0x1p-24 * changed + 1e-14 * Math.max(plus[1], minus[1])) / actualStep;
            double right = (plus[0] - base) / (actualStep / 2);
            double left = (base - minus[0]) / (actualStep / 2);
            if (Math.abs(right - left) > 0.25 * (Math.abs(right) + Math.abs(left)) + 8 * noise
                    || !smoothAt(layer, x, t, index, old, h / 2, r, numeric, noise, rtol)) {
                kinks[0]++;
                continue;
            }
            double allowed = noise + rtol * Math.max(Math.abs(numeric), Math.abs(analytic[flat])) + 1e-12;
            Result here = new Result(name + " " + java.util.Arrays.toString(index), analytic[flat], numeric, allowed,
                    count, 0);
            double excess = Math.abs(here.analytic() - here.numeric()) / here.allowed();
            if (worst == null || excess > Math.abs(worst.analytic() - worst.numeric()) / worst.allowed()) {
                worst = here;
            }
        }
        return worst;
    }

    // whether the central difference at half the step agrees with `numeric`: a smooth function's do, to O(h^2),
    // while a max or ReLU that switches part-way inside the step (a near tie) moves it
    private static boolean smoothAt(Layer layer, Tensor x, Tensor t, int[] index, float old, double half, float[] r,
                                    double numeric, double noise, double rtol) {
        t.set(old + (float) half, index);
        double plus = loss(output(layer, x), r)[0];
        t.set(old - (float) half, index);
        double minus = loss(output(layer, x), r)[0];
        t.set(old, index);
        double step = (double) (old + (float) half) - (double) (old - (float) half);
        double again = (plus - minus) / step;
        return Math.abs(again - numeric) <= 2 * noise * 2 + rtol / 4 * Math.max(Math.abs(again), Math.abs(numeric))
                + 1e-12;
    }

    // the layer's output for x, copied out of its buffers
    private static float[] output(Layer layer, Tensor x) {
        return layer.forward(x).toArray();
    }

    // {sum r_i y_i, sum |r_i y_i|} in double
    private static double[] loss(float[] y, float[] r) {
        double s = 0;
        double a = 0;
        for (int i = 0; i < r.length; i++) {
            double v = (double) r[i] * y[i];
            s += v;
            a += Math.abs(v);
        }
        return new double[] {s, a};
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
