package org.lincde.backend.reference;

import java.util.Arrays;
import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureSpec;

/** Shared builders for the reference backend's tests. */
final class Fixtures {
    private Fixtures() {}

    static Session session() {
        return new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(2));
    }

    static final List<StructureSpec> ALL_STRUCTURES = List.of(
            StructureSpec.of("dense"),
            StructureSpec.of("diagonal"),
            StructureSpec.of("block-diagonal", "block_size", "2"),
            StructureSpec.of("sparse", "sparsity", "0.5"),
            StructureSpec.of("walsh-hadamard"),
            StructureSpec.of("dplr", "rank", "2"),
            StructureSpec.of("dplr", "rank", "2", "form", "linear"),
            StructureSpec.of("diagonal-dense", "block_size", "2"));

    /** A random token batch with per-token targets and a random mask (at least one position). */
    static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        int[] ids = new int[b * len];
        int[] targets = new int[b * len];
        boolean[] mask = new boolean[b * len];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocab);
            targets[i] = rng.nextInt(labels);
            mask[i] = rng.nextDouble() < 0.6;
        }
        mask[0] = true;
        return Batch.of(new Batch.TokenInputs(b, len, ids), new Batch.TokenTargets(targets, mask));
    }

    /**
     * Largest relative error between the model's gradients and central finite differences over a few
     * coordinates of every trainable parameter: |g − fd| / max(1e-8, |g| + |fd|).
     */
    static double maxFiniteDifferenceError(SequenceModel model, List<Batch> batches, Objective objective,
                                           ForwardMode mode, Rng pick, int perParam, double eps) {
        ParameterSet base = model.parameters();
        SequenceModel.LossReport report = model.lossAndGradients(batches, objective, mode);
        double worst = 0;
        for (ParameterSet.Entry e : base.entries(ParameterSet.Entry::trainable)) {
            double[] g = report.gradients().get(e.name()).data();
            for (int t = 0; t < perParam; t++) {
                int i = pick.nextInt(g.length);
                double fd = (lossAt(model, base, e.name(), i, eps, batches, objective, mode)
                        - lossAt(model, base, e.name(), i, -eps, batches, objective, mode)) / (2 * eps);
                double err = Math.abs(g[i] - fd) / Math.max(1e-8, Math.abs(g[i]) + Math.abs(fd));
                if (Math.abs(g[i] - fd) < 1e-10) {
                    err = 0; // both essentially zero
                }
                worst = Math.max(worst, err);
            }
        }
        model.load(base);
        return worst;
    }

    private static double lossAt(SequenceModel model, ParameterSet base, String name, int i, double delta,
                                 List<Batch> batches, Objective objective, ForwardMode mode) {
        ParameterSet p = base.copy();
        HostTensor t = p.get(name);
        double[] d = t.data();
        d[i] += delta;
        model.load(p);
        return model.lossAndGradients(batches, objective, mode).loss();
    }

    /**
     * Largest relative error between {@link Session#gradient} and central differences of
     * {@code sum(f)} over every coordinate of every input.
     */
    static double opGradientError(Session s, Session.OpsFunction f, java.util.Map<String, HostTensor> inputs,
                                  double eps) {
        Session.GradientResult r = s.gradient(f, inputs);
        double worst = 0;
        for (String name : inputs.keySet()) {
            double[] g = r.gradients().get(name).data();
            for (int i = 0; i < g.length; i++) {
                double up = sumAt(s, f, inputs, name, i, eps);
                double down = sumAt(s, f, inputs, name, i, -eps);
                double fd = (up - down) / (2 * eps);
                double abs = Math.abs(g[i] - fd);
                if (abs > 1e-9) {
                    worst = Math.max(worst, abs / Math.max(1e-8, Math.abs(g[i]) + Math.abs(fd)));
                }
            }
        }
        return worst;
    }

    private static double sumAt(Session s, Session.OpsFunction f, java.util.Map<String, HostTensor> inputs,
                                String name, int i, double delta) {
        java.util.Map<String, HostTensor> moved = new java.util.LinkedHashMap<>();
        inputs.forEach((k, v) -> moved.put(k, k.equals(name) ? v.copy() : v));
        moved.get(name).data()[i] += delta;
        double acc = 0;
        for (double v : s.gradient(f, moved).value().data()) {
            acc += v;
        }
        return acc;
    }

    /** A random N(0,1) tensor. */
    static HostTensor randn(Rng rng, int... shape) {
        double[] v = new double[Math.toIntExact(org.lincde.spi.Shapes.size(shape))];
        rng.fillNormal(v, 0, 1);
        return HostTensor.of(v, shape);
    }

    static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return LinearCdeSpec.r1(5, 4, h, blocks, s).withInitStd(0.7);
    }

    static String str(double[] v) {
        return Arrays.toString(v);
    }
}
