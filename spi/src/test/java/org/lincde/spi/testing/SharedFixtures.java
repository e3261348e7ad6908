package org.lincde.spi.testing;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.StructureSpec;

/**
 * Test fixtures every backend's tests share (carried by the spi test-jar), so the backends test the
 * same structures on the same kind of batches.
 */
public final class SharedFixtures {
    private SharedFixtures() {}

    /** Every built-in structure at small sizes (h = 4), both DPLR forms. */
    public static final List<StructureSpec> ALL_STRUCTURES = List.of(
            StructureSpec.of("dense"),
            StructureSpec.of("diagonal"),
            StructureSpec.of("block-diagonal", "block_size", "2"),
            StructureSpec.of("sparse", "sparsity", "0.5"),
            StructureSpec.of("walsh-hadamard"),
            StructureSpec.of("dplr", "rank", "2"),
            StructureSpec.of("dplr", "rank", "2", "form", "linear"),
            StructureSpec.of("diagonal-dense", "block_size", "2"));

    /** Which positions a batch scores; may draw from {@code rng} (called once per position, in order). */
    @FunctionalInterface
    public interface Scored {
        boolean at(int index, Rng rng);
    }

    /** A random token batch with per-token targets and a random mask (at least one position). */
    public static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        // draw first, then force position 0: the stream is the same whichever way position 0 falls
        return tokenBatch(rng, b, len, vocab, labels, (i, r) -> r.nextDouble() < 0.6 || i == 0);
    }

    /** Random token ids and targets; {@code scored} decides the mask position by position. */
    public static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels, Scored scored) {
        int[] ids = new int[b * len];
        int[] targets = new int[b * len];
        boolean[] mask = new boolean[b * len];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
            targets[i] = rng.nextInt(labels);
            mask[i] = scored.at(i, rng);
        }
        return Batch.of(new Batch.TokenInputs(b, len, ids), new Batch.TokenTargets(targets, mask));
    }

    /** Small R1-style spec: vocabulary 5, 4 classes, init_std 0.7 (so transitions matter). */
    public static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return LinearCdeSpec.r1(5, 4, h, blocks, s).withInitStd(0.7);
    }

    /**
     * Largest relative error between the model's gradients and finite differences over {@code perParam}
     * sampled coordinates of every trainable parameter: {@code |g − fd| / max(|g| + |fd|, 1e-4)}. The
     * differences use the fourth-order central stencil
     * {@code (8(f(+h) − f(−h)) − (f(+2h) − f(−2h))) / 12h}, whose truncation error at {@code h = 1e-4} is
     * ~1e-16 and whose rounding noise is ~1e-12; the 1e-4 floor turns the bound into an absolute 1e-10 for
     * gradients too small for any difference quotient to resolve relatively.
     */
    public static double maxFiniteDifferenceError(SequenceModel model, List<Batch> batches, Objective objective,
                                           ForwardMode mode, Rng pick, int perParam, double h, StringBuilder worstAt) {
        return maxSampledGradientError(model, batches, objective, mode, pick, perParam, (base, name, i, g) -> {
            double d1 = lossAt(model, base, name, i, h, batches, objective, mode)
                    - lossAt(model, base, name, i, -h, batches, objective, mode);
            double d2 = lossAt(model, base, name, i, 2 * h, batches, objective, mode)
                    - lossAt(model, base, name, i, -2 * h, batches, objective, mode);
            double fd = (8 * d1 - d2) / (12 * h);
            return new CoordinateError(Math.abs(g - fd) / Math.max(Math.abs(g) + Math.abs(fd), 1e-4), fd);
        }, worstAt);
    }

    /** A sampled coordinate's error and the finite difference it was measured against. */
    public record CoordinateError(double error, double fd) {}

    /** How one sampled coordinate's gradient {@code g} is judged (a finite-difference stencil and an error rule). */
    @FunctionalInterface
    public interface CoordinateCheck {
        CoordinateError check(ParameterSet base, String name, int i, double g);
    }

    /**
     * The sampling both finite-difference checks share: the model's gradients at its parameters, {@code perParam}
     * coordinates of every trainable parameter drawn from {@code pick} (in entry order), the largest error
     * {@code check} reports (NaN if any is NaN) (where it stands goes to {@code worstAt}, when given), and the parameters restored.
     */
    public static double maxSampledGradientError(SequenceModel model, List<Batch> batches, Objective objective,
                                                 ForwardMode mode, Rng pick, int perParam, CoordinateCheck check,
                                                 StringBuilder worstAt) {
        ParameterSet base = model.parameters();
        SequenceModel.LossReport report = model.lossAndGradients(batches, objective, mode);
        double worst = 0;
        for (ParameterSet.Entry e : base.entries(ParameterSet.Entry::trainable)) {
            double[] g = report.gradients().get(e.name()).data();
            for (int t = 0; t < perParam; t++) {
                int i = pick.nextInt(g.length);
                CoordinateError c = check.check(base, e.name(), i, g[i]);
                if (!(c.error() <= worst) && !Double.isNaN(worst)) { // a NaN error is the worst and stays
                    worst = c.error();
                    if (worstAt != null) {
                        worstAt.setLength(0);
                        worstAt.append(e.name()).append('[').append(i).append("] grad ").append(g[i])
                                .append(" fd ").append(c.fd());
                    }
                }
            }
        }
        model.load(base);
        return worst;
    }

    /** The loss after moving entry {@code i} of parameter {@code name} by {@code delta} (the model keeps the move). */
    public static double lossAt(SequenceModel model, ParameterSet base, String name, int i, double delta,
                                 List<Batch> batches, Objective objective, ForwardMode mode) {
        ParameterSet p = base.copy();
        HostTensor t = p.get(name);
        t.data()[i] += delta;
        model.load(p);
        return model.lossAndGradients(batches, objective, mode).loss();
    }

    /** The mean of {@code v}. */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The population standard deviation of {@code v} (divisor n). */
    public static double std(double[] v) {
        return Math.sqrt(squaredDeviations(v) / v.length);
    }

    /** The sample standard deviation of {@code v} (divisor n − 1, PyTorch's {@code Tensor.std}). */
    public static double sampleStd(double[] v) {
        return Math.sqrt(squaredDeviations(v) / (v.length - 1));
    }

    private static double squaredDeviations(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s;
    }

    /** Normal values N(0, std²) of {@code shape} from {@code rng}. */
    public static HostTensor normal(Rng rng, double std, int... shape) {
        double[] v = new double[Math.toIntExact(org.lincde.spi.Shapes.size(shape))];
        rng.fillNormal(v, 0.0, std);
        return HostTensor.of(v, shape);
    }

    /**
     * PyTorch's {@code nn.LSTM} layer (SPEC §2.1) in plain doubles, the oracle the backends' LSTM tests share:
     * gate order i, f, g, o, zero initial state, {@code x} (b, len, in) row-major, weights (4h, in) and
     * (4h, h), biases (4h); returns the hidden states (b, len, h).
     */
    public static double[] lstmOracle(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh, int b,
                                      int len, int in, int h) {
        double[] out = new double[b * len * h];
        for (int r = 0; r < b; r++) {
            double[] hs = new double[h];
            double[] cs = new double[h];
            for (int t = 0; t < len; t++) {
                double[] gates = new double[4 * h];
                for (int g = 0; g < 4 * h; g++) {
                    double s = bih[g] + bhh[g];
                    for (int k = 0; k < in; k++) {
                        s += wih[g * in + k] * x[(r * len + t) * in + k];
                    }
                    for (int k = 0; k < h; k++) {
                        s += whh[g * h + k] * hs[k];
                    }
                    gates[g] = s;
                }
                for (int j = 0; j < h; j++) {
                    double i = 1 / (1 + Math.exp(-gates[j]));
                    double f = 1 / (1 + Math.exp(-gates[h + j]));
                    double gg = Math.tanh(gates[2 * h + j]);
                    double o = 1 / (1 + Math.exp(-gates[3 * h + j]));
                    cs[j] = f * cs[j] + i * gg;
                    hs[j] = o * Math.tanh(cs[j]);
                    out[(r * len + t) * h + j] = hs[j];
                }
            }
        }
        return out;
    }
}
