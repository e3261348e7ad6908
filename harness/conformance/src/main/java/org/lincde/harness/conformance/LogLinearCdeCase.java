package org.lincde.harness.conformance;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lincde.spi.Batch;
import org.lincde.spi.LogLinearCdeSpec;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.LogLinearCde;

/**
 * R3's log-linear CDE (SPEC §1.5) as a conformance-kit case, so every backend's forward, gradients, AdamW
 * steps and scan-vs-recurrence of this model are checked against the float64 reference for every structure:
 * d = 3 channels, depth-2 log-signatures (β = 6), 6 intervals with a chunk length of 2 (three chunks), B = 2,
 * K = 3, hidden 8 (else 4 or 6), loss {@code −log(softmax + 1e−8)} + 0.01·R, Adam (R3). Structures the model
 * refuses (R1's quadratic DPLR) are not applicable.
 *
 * @param hidden hidden sizes to try, in order
 */
public record LogLinearCdeCase(List<Integer> hidden) implements ModelCase {
    static final int CHANNELS = 3;
    static final int CLASSES = 3;
    static final int INTERVALS = 6;
    static final int BATCH = 2;
    /** R3 adds 1e-8 inside the log of its cross-entropy (SPEC §4.3; the UEA run plan uses the same value). */
    static final double R3_LOSS_EPSILON = 1e-8;

    /** h ∈ {8, 4, 6}. */
    public static LogLinearCdeCase small() {
        return new LogLinearCdeCase(List.of(8, 4, 6));
    }

    /** Defensive copy. */
    public LogLinearCdeCase {
        hidden = List.copyOf(hidden);
    }

    @Override
    public String name() {
        return "log_lcde";
    }

    @Override
    public boolean usesStructure() {
        return true;
    }

    @Override
    public ModelSpec spec(Structure structure, StructureSpec spec) {
        Set<String> why = new LinkedHashSet<>();
        for (int h : hidden) {
            try {
                LogLinearCdeSpec s = new LogLinearCdeSpec(CHANNELS, CLASSES, h, spec, 2, 0.5, 2, true);
                new LogLinearCde(s, new StructureRegistry(List.of(structure))); // the model's own checks
                return s;
            } catch (IllegalArgumentException e) {
                why.add(e.getMessage());
            }
        }
        throw new NotApplicable("the log-linear CDE refuses " + spec + " at h = " + hidden + ": " + String.join("; ", why));
    }

    @Override
    public Batch batch(Rng rng, int index) {
        Rng r = rng.stream("batch", index);
        int beta = CHANNELS + CHANNELS * (CHANNELS - 1) / 2;
        double[] values = new double[BATCH * INTERVALS * beta];
        r.stream("logsig").fillNormal(values, 0, 0.3);
        double[] x0 = new double[BATCH * CHANNELS];
        r.stream("x0").fillNormal(x0, 0, 1);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        return Batch.of(new Batch.ChannelInputs(BATCH, INTERVALS, beta, values, CHANNELS, x0),
                new Batch.SequenceTargets(labels));
    }

    @Override
    public Objective objective() {
        return new Objective(new LossSpec.CrossEntropy(R3_LOSS_EPSILON), 0.01);
    }

    @Override
    public OptimizerSpec optimizer() {
        return OptimizerSpec.AdamW.adam();
    }
}
