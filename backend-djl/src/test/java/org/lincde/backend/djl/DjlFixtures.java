package org.lincde.backend.djl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.testing.SharedFixtures;

/** Shared builders for the DJL backend's tests. */
final class DjlFixtures {
    private DjlFixtures() {}

    /** Every built-in structure at small sizes (h = 4), both DPLR forms. */
    static final List<StructureSpec> ALL_STRUCTURES = SharedFixtures.ALL_STRUCTURES;

    /**
     * A session with one thread: the tests' tensors are tiny, and handing them between threads costs
     * far more than it saves on a loaded 2-core machine (the thread split is tested on its own).
     */
    static Session session(DType dtype, boolean fused) {
        return session(dtype, fused, 1);
    }

    static Session session(DType dtype, boolean fused, int threads) {
        return new DjlBackend().open(new SessionOptions(dtype, Device.CPU, threads, fused, null));
    }

    /** A random token batch with per-token targets and a random mask (at least one position). */
    static Batch tokenBatch(Rng rng, int b, int len, int vocab, int labels) {
        return SharedFixtures.tokenBatch(rng, b, len, vocab, labels);
    }

    /** Small R1-style spec: vocabulary 5, 4 classes, init_std 0.7 (so transitions matter). */
    static LinearCdeSpec smallSpec(StructureSpec s, int h, int blocks) {
        return SharedFixtures.smallSpec(s, h, blocks);
    }

    /** Normal random inputs with the given shapes, name → tensor. */
    static Map<String, HostTensor> inputs(Rng rng, Object... nameShape) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameShape.length; i += 2) {
            int[] shape = (int[]) nameShape[i + 1];
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            double[] v = new double[n];
            rng.stream(nameShape[i]).fillNormal(v, 0, 1);
            m.put((String) nameShape[i], HostTensor.of(v, shape));
        }
        return m;
    }

    /** Largest |a−b| / max(1, |b|) over all elements (shapes must agree). */
    static double maxRelError(HostTensor a, HostTensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs "
                    + java.util.Arrays.toString(b.shape()));
        }
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]) / Math.max(1.0, Math.abs(b.data()[i])));
        }
        return worst;
    }

    /**
     * Asserts that two runs' values agree within {@code valueTol} and each named gradient within {@code gradTol}
     * ({@link #maxRelError}, {@code expected} the oracle).
     */
    static void assertAgree(Session.GradientResult actual, Session.GradientResult expected, List<String> names,
                            double valueTol, double gradTol) {
        org.assertj.core.api.Assertions.assertThat(maxRelError(actual.value(), expected.value())).as("value")
                .isLessThanOrEqualTo(valueTol);
        for (String name : names) {
            org.assertj.core.api.Assertions.assertThat(actual.gradients()).containsKey(name);
            org.assertj.core.api.Assertions.assertThat(maxRelError(actual.gradients().get(name),
                    expected.gradients().get(name))).as("d/d%s", name).isLessThanOrEqualTo(gradTol);
        }
    }

    static List<Object[]> cross(List<?> a, List<?> b) {
        List<Object[]> out = new ArrayList<>();
        for (Object x : a) {
            for (Object y : b) {
                out.add(new Object[] {x, y});
            }
        }
        return out;
    }
}
