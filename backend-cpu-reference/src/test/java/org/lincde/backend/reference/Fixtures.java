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
import org.lincde.spi.testing.SharedFixtures;

/** Shared builders for the reference backend's tests. */
final class Fixtures {
    private Fixtures() {}

    static Session session() {
        return new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(2));
    }

    static final List<StructureSpec> ALL_STRUCTURES = SharedFixtures.ALL_STRUCTURES;

    /** A random token batch with per-token targets and a random mask (at least one position). */
    static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        return SharedFixtures.tokenBatch(rng, b, len, vocab, labels);
    }

    /**
     * Largest relative error between the model's gradients and central finite differences over a few
     * coordinates of every trainable parameter: |g − fd| / max(1e-8, |g| + |fd|).
     */
    static double maxFiniteDifferenceError(SequenceModel model, List<Batch> batches, Objective objective,
                                           ForwardMode mode, Rng pick, int perParam, double eps) {
        return SharedFixtures.maxSampledGradientError(model, batches, objective, mode, pick, perParam,
                (base, name, i, g) -> {
                    double fd = (SharedFixtures.lossAt(model, base, name, i, eps, batches, objective, mode)
                            - SharedFixtures.lossAt(model, base, name, i, -eps, batches, objective, mode)) / (2 * eps);
                    // both essentially zero: no relative error to speak of
                    double err = Math.abs(g - fd) < 1e-10 ? 0
                            : Math.abs(g - fd) / Math.max(1e-8, Math.abs(g) + Math.abs(fd));
                    return new SharedFixtures.CoordinateError(err, fd);
                }, null);
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
        return SharedFixtures.smallSpec(s, h, blocks);
    }

    static String str(double[] v) {
        return Arrays.toString(v);
    }
}
