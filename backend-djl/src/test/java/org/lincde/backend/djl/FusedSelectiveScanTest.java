package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.SelectiveScanKernel;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.baseline.DiagonalRecurrence;

/**
 * DJL's fused selective scan on its own, at op level: against the generic graph (the {@code (B, L, E, N)}
 * decay and drive through {@link DiagonalRecurrence}) in float64, with the gradients reaching the inputs'
 * producers ({@code Δ = softplus(·)}, {@code A = −exp(A_log)}) through the engine; and independent of the
 * thread split, bit for bit.
 */
class FusedSelectiveScanTest {
    private static final List<String> NAMES = List.of("u", "dtRaw", "aLog", "b", "c");

    /** {@code Σ w ⊙ y} of the scan, by the fused kernel when the session offers it, else the generic graph. */
    private static Session.OpsFunction scan(int b, int len, int e, int n, double[] w) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T u = p.get("u");
                T dt = o.softplus(p.get("dtRaw"));
                T a = o.neg(o.exp(p.get("aLog")));
                java.util.Optional<SelectiveScanKernel<T>> k = o.fusedSelectiveScan();
                T y;
                if (k.isPresent()) {
                    y = k.get().outputs(u, dt, a, p.get("b"), p.get("c"));
                } else {
                    T dt4 = o.reshape(dt, b, len, e, 1);
                    T decay = o.exp(o.mul(dt4, a));
                    T drive = o.mul(o.mul(dt4, o.reshape(u, b, len, e, 1)), o.reshape(p.get("b"), b, len, 1, n));
                    T h = DiagonalRecurrence.recurrent(o, decay, drive);
                    y = o.sum(o.mul(h, o.reshape(p.get("c"), b, len, 1, n)), 3, false);
                }
                return o.mul(y, o.constant(w, b, len, e));
            }
        };
    }

    private static final List<String> GATED_NAMES = List.of("u", "dtRaw", "aLog", "b", "c", "d", "z");

    /**
     * {@code Σ w ⊙ (y + D ⊙ u) ⊙ SiLU(z)} (with {@code gate}, else without the {@code ⊙ SiLU(z)}): the fused kernel
     * with the skip and the gate when the session offers it, else the generic graph of the same ops
     * ({@code S6Layer}'s).
     */
    private static Session.OpsFunction gatedScan(int b, int len, int e, int n, double[] w, boolean gate) {
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T u = p.get("u");
                T dt = o.softplus(p.get("dtRaw"));
                T a = o.neg(o.exp(p.get("aLog")));
                T z = gate ? o.mul(p.get("z"), o.scalar(3.0)) : null; // both signs, |z| up to ~10
                java.util.Optional<SelectiveScanKernel<T>> k = o.fusedSelectiveScan();
                T y;
                if (k.isPresent()) {
                    assertThat(k.get().fusesSkipAndGate()).isTrue();
                    y = k.get().outputs(k.get().layerInput(u), dt, a, p.get("b"), p.get("c"), p.get("d"), z);
                } else {
                    T dt4 = o.reshape(dt, b, len, e, 1);
                    T decay = o.exp(o.mul(dt4, a));
                    T drive = o.mul(o.mul(dt4, o.reshape(u, b, len, e, 1)), o.reshape(p.get("b"), b, len, 1, n));
                    T h = DiagonalRecurrence.recurrent(o, decay, drive);
                    y = o.add(o.sum(o.mul(h, o.reshape(p.get("c"), b, len, 1, n)), 3, false), o.mul(u, p.get("d")));
                    if (gate) {
                        y = o.mul(y, o.silu(z));
                    }
                }
                return o.mul(y, o.constant(w, b, len, e));
            }
        };
    }

    private static Map<String, HostTensor> gatedInputs(int b, int len, int e, int n, long seed) {
        return DjlFixtures.inputs(Rng.seeded(seed), "u", new int[] {b, len, e}, "dtRaw", new int[] {b, len, e},
                "aLog", new int[] {e, n}, "b", new int[] {b, len, n}, "c", new int[] {b, len, n}, "d", new int[] {e},
                "z", new int[] {b, len, e});
    }

    /**
     * The scan with the skip and the Mamba v1 gate against the generic graph, every gradient (float64 tight; float32
     * within its rounding: the kernel's float32 decays and sigmoids come from the vectorised polynomial).
     */
    @ParameterizedTest(name = "{0}, gate {1}")
    @CsvSource({"float64, true, 1e-12, 1e-10", "float64, false, 1e-12, 1e-10", "float32, true, 1e-4, 1e-3"})
    void skipAndGateEqualTheGenericGraph(String dtype, boolean gate, double valueTol, double gradTol) {
        int b = 20; // three backward chunks
        int len = 6;
        int e = 5;
        int n = 3;
        double[] w = new double[b * len * e];
        Rng.seeded(7).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = gatedInputs(b, len, e, n, 8);
        List<String> names = gate ? GATED_NAMES : GATED_NAMES.subList(0, 6);
        DType d = DType.parse(dtype);
        try (Session fused = DjlFixtures.session(d, true);
             Session generic = DjlFixtures.session(d, false)) {
            DjlFixtures.assertAgree(fused.gradient(gatedScan(b, len, e, n, w, gate), in),
                    generic.gradient(gatedScan(b, len, e, n, w, gate), in), names, valueTol, gradTol);
        }
    }

    @Test
    void skipAndGateDoNotDependOnTheThreadSplit() {
        int b = 64;
        int len = 10;
        int e = 32;
        int n = 8;
        double[] w = new double[b * len * e];
        Rng.seeded(9).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = gatedInputs(b, len, e, n, 10);
        Session.GradientResult one;
        Session.GradientResult two;
        try (Session s = DjlFixtures.session(DType.FLOAT32, true, 1)) {
            one = s.gradient(gatedScan(b, len, e, n, w, true), in);
        }
        try (Session s = DjlFixtures.session(DType.FLOAT32, true, 2)) {
            two = s.gradient(gatedScan(b, len, e, n, w, true), in);
        }
        assertThat(two.value().sameAs(one.value())).isTrue();
        for (String name : GATED_NAMES) {
            assertThat(two.gradients().get(name).sameAs(one.gradients().get(name))).as("d/d%s", name).isTrue();
        }
    }

    private static final List<String> MAMBA_NAMES = List.of("x", "in_proj.weight", "conv1d.weight", "conv1d.bias",
            "x_proj.weight", "dt_proj.weight", "dt_proj.bias", "A_log", "D", "out_proj.weight");

    /** {@code Σ w ⊙ MambaV1Layer(x)}: the fused mixer when the session offers it, else the layer's generic graph. */
    private static Session.OpsFunction mamba(int b, int len, int dm, int n, int k, double[] w) {
        org.lincde.spi.model.baseline.MambaV1Layer layer = new org.lincde.spi.model.baseline.MambaV1Layer(dm, n, k, 2);
        return new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T y = layer.forward(o, p, p.get("x"), org.lincde.spi.ForwardMode.inference());
                return o.mul(y, o.constant(w, b, len, dm));
            }
        };
    }

    /** Inputs of the Mamba v1 block tests: x and the block's nine parameters, {@code E = 2·dm}, {@code dt_rank} 1. */
    private static Map<String, HostTensor> mambaInputs(long seed, int b, int len, int dm, int n, int k) {
        int e = 2 * dm;
        int r = 1;
        return DjlFixtures.inputs(Rng.seeded(seed), "x", new int[] {b, len, dm},
                "in_proj.weight", new int[] {2 * e, dm}, "conv1d.weight", new int[] {e, 1, k}, "conv1d.bias", new int[] {e},
                "x_proj.weight", new int[] {r + 2 * n, e}, "dt_proj.weight", new int[] {e, r}, "dt_proj.bias",
                new int[] {e}, "A_log", new int[] {e, n}, "D", new int[] {e}, "out_proj.weight", new int[] {dm, e});
    }

    /**
     * The whole Mamba v1 block between its projections as one op against the layer's generic graph: values and the
     * gradients of the input and all nine parameters (float64 tight; float32 within its rounding).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"float64, 1e-11, 1e-9", "float32, 1e-4, 2e-3"})
    void mambaMixerEqualsTheGenericGraph(String dtype, double valueTol, double gradTol) {
        int b = 20; // three backward chunks
        int len = 7;
        int dm = 4;
        int n = 3;
        int k = 3;
        double[] w = new double[b * len * dm];
        Rng.seeded(11).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = mambaInputs(12, b, len, dm, n, k);
        DType d = DType.parse(dtype);
        try (Session fused = DjlFixtures.session(d, true, 2);
             Session generic = DjlFixtures.session(d, false)) {
            DjlFixtures.assertAgree(fused.gradient(mamba(b, len, dm, n, k, w), in),
                    generic.gradient(mamba(b, len, dm, n, k, w), in), MAMBA_NAMES, valueTol, gradTol);
        }
    }

    /**
     * The fused Mamba v1 mixer's gradients (its hand-derived backward: conv, SiLU, {@code dt_proj}, softplus, scan,
     * skip, gate) against central finite differences of its own forward, float64, a few entries of every input.
     */
    @Test
    void mambaMixerGradientsMatchFiniteDifferences() {
        int b = 9; // two backward chunks
        int len = 5;
        int dm = 4;
        int n = 3;
        int k = 3;
        double[] w = new double[b * len * dm];
        Rng.seeded(15).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = mambaInputs(16, b, len, dm, n, k);
        double h = 1e-6;
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true, 2)) {
            Session.GradientResult g = fused.gradient(mamba(b, len, dm, n, k, w), in);
            for (String name : MAMBA_NAMES) {
                double[] grad = g.gradients().get(name).data();
                int size = in.get(name).size();
                for (int i : new int[] {0, size / 2, size - 1}) {
                    double[] fx = new double[2];
                    for (int side = 0; side < 2; side++) {
                        Map<String, HostTensor> moved = new java.util.LinkedHashMap<>(in);
                        double[] v = in.get(name).data().clone();
                        v[i] += side == 0 ? h : -h;
                        moved.put(name, HostTensor.of(v, in.get(name).shape()));
                        // the gradient is of the sum of the function's values
                        fx[side] = java.util.Arrays.stream(fused.gradient(mamba(b, len, dm, n, k, w), moved).value()
                                .data()).sum();
                    }
                    double fd = (fx[0] - fx[1]) / (2 * h);
                    assertThat(Math.abs(fd - grad[i])).as("d/d%s[%d]: fd %s, kernel %s", name, i, fd, grad[i])
                            .isLessThanOrEqualTo(1e-6 * Math.max(1.0, Math.abs(fd)));
                }
            }
        }
    }

    private static final List<String> S6_NAMES = List.of("x", "x_proj.weight", "dt_proj.weight", "dt_proj.bias",
            "A_log", "D");

    /** The whole S6 layer as one op ({@code s6Layer}) against its generic graph, every gradient. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"float64, 1e-11, 1e-9", "float32, 1e-4, 2e-3"})
    void s6LayerEqualsTheGenericGraph(String dtype, double valueTol, double gradTol) {
        int b = 20;
        int len = 7;
        int e = 6;
        int n = 3;
        int r = 1;
        double[] w = new double[b * len * e];
        Rng.seeded(13).fillNormal(w, 0, 1);
        org.lincde.spi.model.baseline.S6Layer layer = new org.lincde.spi.model.baseline.S6Layer(e, n, e);
        Session.OpsFunction f = new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> o, ParameterLookup<T> p) {
                T y = layer.forward(o, p, p.get("x"), org.lincde.spi.ForwardMode.inference());
                return o.mul(y, o.constant(w, b, len, e));
            }
        };
        Map<String, HostTensor> in = DjlFixtures.inputs(Rng.seeded(14), "x", new int[] {b, len, e},
                "x_proj.weight", new int[] {r + 2 * n, e}, "dt_proj.weight", new int[] {e, r}, "dt_proj.bias",
                new int[] {e}, "A_log", new int[] {e, n}, "D", new int[] {e});
        DType d = DType.parse(dtype);
        try (Session fused = DjlFixtures.session(d, true, 2);
             Session generic = DjlFixtures.session(d, false)) {
            DjlFixtures.assertAgree(fused.gradient(f, in), generic.gradient(f, in), S6_NAMES, valueTol, gradTol);
        }
    }

    private static Map<String, HostTensor> inputs(int b, int len, int e, int n, long seed) {
        return DjlFixtures.inputs(Rng.seeded(seed), "u", new int[] {b, len, e}, "dtRaw", new int[] {b, len, e},
                "aLog", new int[] {e, n}, "b", new int[] {b, len, n}, "c", new int[] {b, len, n});
    }

    @Test
    void fusedEqualsTheGenericGraph() {
        int b = 20; // three backward chunks
        int len = 6;
        int e = 5;
        int n = 3;
        double[] w = new double[b * len * e];
        Rng.seeded(3).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = inputs(b, len, e, n, 4);
        try (Session fused = DjlFixtures.session(DType.FLOAT64, true);
             Session generic = DjlFixtures.session(DType.FLOAT64, false)) {
            DjlFixtures.assertAgree(fused.gradient(scan(b, len, e, n, w), in), generic.gradient(scan(b, len, e, n, w), in),
                    NAMES, 1e-12, 1e-11);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"float64", "float32"})
    void resultsDoNotDependOnTheThreadSplit(String dtype) {
        int b = 64;
        int len = 10;
        int e = 32;
        int n = 8;
        double[] w = new double[b * len * e];
        Rng.seeded(5).fillNormal(w, 0, 1);
        Map<String, HostTensor> in = inputs(b, len, e, n, 6);
        DType d = DType.parse(dtype);
        Session.GradientResult one;
        Session.GradientResult two;
        try (Session s = DjlFixtures.session(d, true, 1)) {
            one = s.gradient(scan(b, len, e, n, w), in);
        }
        try (Session s = DjlFixtures.session(d, true, 2)) {
            two = s.gradient(scan(b, len, e, n, w), in);
        }
        assertThat(two.value().sameAs(one.value())).isTrue();
        for (String name : NAMES) {
            assertThat(two.gradients().get(name).sameAs(one.gradients().get(name))).as("d/d%s", name).isTrue();
        }
    }
}
