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

    static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return LinearCdeSpec.r1(5, 4, h, blocks, s).withInitStd(0.7);
    }

    static String str(double[] v) {
        return Arrays.toString(v);
    }
}
