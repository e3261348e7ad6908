package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;

/**
 * The model-level cases of one backend, dtype and {@link ModelFixture}: forward, gradients, recurrent
 * vs scan, fused vs generic, AdamW steps and gradient-mask invariants (docs/STYLE.md §7: the oracle is a
 * full backend, so whole training steps are compared, not only forward passes).
 */
final class ModelChecks extends BackendChecks {
    ModelChecks(CaseRunner runner, String backend, DType dtype, KnownGaps gaps, Set<Check> checks) {
        super(runner, backend, dtype, gaps, checks);
    }

    /** The checks that apply to {@code fx}, in report order. */
    static List<Check> applicable(ModelFixture fx) {
        List<Check> l = new ArrayList<>(List.of(Check.FORWARD, Check.GRADIENTS));
        if (fx.modelCase.hasScan()) {
            l.add(Check.RECURRENT_VS_SCAN);
        }
        l.add(Check.FUSED_VS_GENERIC);
        l.add(Check.ADAMW);
        if (!fx.graph.gradientMasks().isEmpty()) {
            l.add(Check.MASK_ZEROS);
        }
        return l;
    }

    /**
     * Runs every applicable check.
     *
     * @param main    a session with fused kernels allowed (the backend's default path)
     * @param generic a session with fused kernels off, or null when the backend declares none
     */
    void run(ModelFixture fx, Session main, Session generic) {
        String model = fx.modelCase.name();
        Memo<SequenceModel> m = new Memo<>(() -> main.model(fx.spec, fx.init));
        Memo<HostTensor> forward = new Memo<>(() -> m.get().forward(fx.batch, fx.training));
        Memo<SequenceModel.LossReport> grads = new Memo<>(
                () -> m.get().lossAndGradients(List.of(fx.batch), fx.modelCase.objective(), fx.training));
        Memo<ParameterSet> trained = new Memo<>(() -> {
            try (SequenceModel t = main.model(fx.spec, fx.init)) {
                return fx.train(t);
            }
        });
        Tol tol = c -> Tolerances.of(c, dtype);
        for (Check c : applicable(fx)) {
            if (!checks.contains(c)) {
                continue;
            }
            if (!fx.subject.discoverable()) {
                runner.record(backend, fx.subject, model, c, dtype, Outcome.SKIP, "structure '" + fx.subject.spec().id()
                        + "' is not registered for ServiceLoader, and Session.model resolves structures by id "
                        + "(register it with @AutoService(Structure.class) and put its jar on the class path)");
                continue;
            }
            runner.run(backend, fx.subject, model, c, dtype, gaps, () -> switch (c) {
                case FORWARD -> List.of(Comparison.of("logits", ModelFixture.oracle(fx.oracleForward), forward.get(),
                        tol.of(c)));
                case GRADIENTS -> compareReports("", ModelFixture.oracle(fx.oracleGradients), grads.get(), tol.of(c));
                case RECURRENT_VS_SCAN -> scanVsRecurrent(fx, m.get(), forward.get(), grads.get(), tol.of(c));
                case FUSED_VS_GENERIC -> fusedVsGeneric(fx, generic, forward.get(), grads.get(), tol.of(c));
                case ADAMW -> compareParameters(ModelFixture.oracle(fx.oracleTrained), trained.get(), tol.of(c));
                case MASK_ZEROS -> maskZeros(fx, grads.get(), trained.get());
                default -> throw new IllegalStateException("not a model check: " + c);
            });
        }
        m.ifComputed(SequenceModel::close);
    }

    @FunctionalInterface
    private interface Tol {
        Tolerance of(Check c);
    }

    private static List<Comparison> scanVsRecurrent(ModelFixture fx, SequenceModel m, HostTensor recurrent,
                                                    SequenceModel.LossReport recurrentGrads, Tolerance tol) {
        ForwardMode scan = fx.training.with(ForwardMode.Evaluation.SCAN);
        List<Comparison> out = new ArrayList<>();
        out.add(Comparison.of("scan logits", recurrent, m.forward(fx.batch, scan), tol));
        out.addAll(compareReports("scan ", recurrentGrads,
                m.lossAndGradients(List.of(fx.batch), fx.modelCase.objective(), scan), tol));
        return out;
    }

    private static List<Comparison> fusedVsGeneric(ModelFixture fx, Session generic, HostTensor fusedOut,
                                                   SequenceModel.LossReport fusedGrads, Tolerance tol) {
        if (generic == null) {
            throw new CaseRunner.Skip("backend declares no fused kernels (capabilities().fusedKernels() is false)");
        }
        try (SequenceModel g = generic.model(fx.spec, fx.init)) {
            List<Comparison> out = new ArrayList<>();
            out.add(Comparison.of("generic logits", g.forward(fx.batch, fx.training), fusedOut, tol));
            out.addAll(compareReports("generic-vs-fused ",
                    g.lossAndGradients(List.of(fx.batch), fx.modelCase.objective(), fx.training), fusedGrads, tol));
            return out;
        }
    }

    /** The loss and every gradient of {@code expected}; a gradient missing from {@code actual} is an error. */
    static List<Comparison> compareReports(String prefix, SequenceModel.LossReport expected,
                                           SequenceModel.LossReport actual, Tolerance tol) {
        List<Comparison> out = new ArrayList<>();
        out.add(Comparison.of(prefix + "loss", new int[0], new double[] {expected.loss()},
                new double[] {actual.loss()}, tol));
        for (ParameterSet.Entry e : expected.gradients().entries()) {
            if (!actual.gradients().contains(e.name())) {
                throw new IllegalStateException("the backend returned no gradient for '" + e.name() + "'");
            }
            out.add(Comparison.of(prefix + "grad " + e.name(), e.tensor(), actual.gradients().get(e.name()), tol));
        }
        return out;
    }

    private static List<Comparison> compareParameters(ParameterSet expected, ParameterSet actual, Tolerance tol) {
        List<Comparison> out = new ArrayList<>();
        for (ParameterSet.Entry e : expected.entries()) {
            if (!actual.contains(e.name())) {
                throw new IllegalStateException("the backend's parameters lack '" + e.name() + "'");
            }
            out.add(Comparison.of("param " + e.name(), e.tensor(), actual.get(e.name()), tol));
        }
        return out;
    }

    /**
     * SPEC §1.1 item 6: every gradient entry under a 0 of its mask is exactly 0, and so is every such
     * weight after the AdamW steps (decay of 0 is 0 and Adam's update of a zero gradient is 0).
     */
    private static List<Comparison> maskZeros(ModelFixture fx, SequenceModel.LossReport grads, ParameterSet trained) {
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<String, String> e : fx.graph.gradientMasks().entrySet()) {
            double[] mask = fx.init.get(e.getValue()).data();
            int[] shape = fx.init.get(e.getKey()).shape();
            List<Integer> masked = new ArrayList<>();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    masked.add(i);
                }
            }
            int[] offsets = masked.stream().mapToInt(Integer::intValue).toArray();
            double[] zeros = new double[offsets.length];
            out.add(Comparison.ofEntries("masked grad " + e.getKey(), shape, offsets, zeros,
                    pick(grads.gradients().get(e.getKey()).data(), offsets), Tolerance.EXACT));
            out.add(Comparison.ofEntries("masked param " + e.getKey() + " after " + ModelFixture.STEPS + " steps", shape,
                    offsets, zeros, pick(trained.get(e.getKey()).data(), offsets), Tolerance.EXACT));
        }
        return out;
    }

    private static double[] pick(double[] v, int[] offsets) {
        double[] out = new double[offsets.length];
        for (int k = 0; k < offsets.length; k++) {
            out[k] = v[offsets[k]];
        }
        return out;
    }
}
