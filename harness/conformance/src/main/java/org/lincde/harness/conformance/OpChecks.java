package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lincde.spi.DType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.TensorOps;

/**
 * The op-level cases of one backend and dtype on one structure, through {@link Session#gradient}: the
 * generic transition against the structure's dense reference, its gradients against the oracle's, and
 * the Walsh–Hadamard involution for the structure that uses it.
 */
final class OpChecks extends BackendChecks {
    /** The structure id whose fields use {@link TensorOps#walshHadamard}. */
    static final String WALSH_HADAMARD = "walsh-hadamard";

    OpChecks(CaseRunner runner, String backend, DType dtype, KnownGaps gaps, Set<Check> checks) {
        super(runner, backend, dtype, gaps, checks);
    }

    /** The op checks that apply to {@code s}, in report order. */
    static List<Check> applicable(Subject s) {
        List<Check> l = new ArrayList<>(List.of(Check.TRANSITION, Check.TRANSITION_GRADIENTS));
        if (s.spec().id().equals(WALSH_HADAMARD)) {
            l.add(Check.HADAMARD);
        }
        return l;
    }

    void run(Subject s, Memo<TransitionFixture> fixture, Session session, Rng rng) {
        Memo<Session.GradientResult> result = new Memo<>(() -> session.gradient(fixture.get().function(),
                fixture.get().inputs));
        for (Check c : applicable(s)) {
            if (!checks.contains(c)) {
                continue;
            }
            Tolerance tol = Tolerances.of(c, dtype);
            runner.run(backend, s, "-", c, dtype, gaps, () -> switch (c) {
                case TRANSITION -> List.of(Comparison.of("A(u)·y", fixture.get().expected, result.get().value(), tol));
                case TRANSITION_GRADIENTS -> transitionGradients(fixture.get(), result.get(), tol);
                case HADAMARD -> hadamard(session, fixture.get().field.hidden(), rng, tol);
                default -> throw new IllegalStateException("not an op check: " + c);
            });
        }
    }

    private static List<Comparison> transitionGradients(TransitionFixture fx, Session.GradientResult actual,
                                                        Tolerance tol) {
        Session.GradientResult expected = ModelFixture.oracle(fx.oracle);
        List<Comparison> out = new ArrayList<>();
        for (String name : fx.differentiated()) {
            HostTensor g = actual.gradients().get(name);
            if (g == null) {
                throw new IllegalStateException("the backend returned no gradient for input '" + name + "'");
            }
            out.add(Comparison.of("d sum(A(u)·y)/d " + name, expected.gradients().get(name), g, tol));
        }
        return out;
    }

    /**
     * SPEC §1.1 item 4 / §6 (b): with {@code H} the backend's unnormalised transform,
     * {@code H·H·x / h = x}, the gradient of {@code sum(H·H·x)/h} is all ones, and {@code H} applied to
     * the identity is the Sylvester matrix {@code H[i][j] = (−1)^{popcount(i & j)}} (written here from
     * that formula, not from the SPI's recursion).
     */
    static List<Comparison> hadamard(Session session, int h, Rng rng, Tolerance tol) {
        double[] x = new double[3 * h];
        rng.stream("hadamard", h).fillNormal(x, 0, 1);
        Session.GradientResult twice = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.scale(ops.walshHadamard(ops.walshHadamard(p.get("x"))), 1.0 / h);
            }
        }, Map.of("x", HostTensor.of(x, 3, h)));
        double[] eye = new double[h * h];
        double[] sylvester = new double[h * h];
        for (int i = 0; i < h; i++) {
            eye[i * h + i] = 1;
            for (int j = 0; j < h; j++) {
                sylvester[i * h + j] = Integer.bitCount(i & j) % 2 == 0 ? 1 : -1;
            }
        }
        Session.GradientResult once = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return ops.walshHadamard(p.get("eye"));
            }
        }, Map.of("eye", HostTensor.of(eye, h, h)));
        double[] ones = new double[3 * h];
        java.util.Arrays.fill(ones, 1.0);
        return List.of(
                Comparison.of("H·H·x/h", HostTensor.of(x, 3, h), twice.value(), tol),
                Comparison.of("d sum(H·H·x/h)/dx", HostTensor.of(ones, 3, h), twice.gradients().get("x"), tol),
                // H·I is H applied to each row of I: row i is H e_i, i.e. column i of H = row i (H symmetric)
                Comparison.of("H·I", HostTensor.of(sylvester, h, h), once.value(), tol));
    }
}
