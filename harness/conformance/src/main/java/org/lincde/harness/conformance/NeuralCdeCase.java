package org.lincde.harness.conformance;

import java.util.List;
import org.lincde.spi.Batch;
import org.lincde.spi.LossSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.NeuralCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;

/**
 * R3's NCDE, NRDE or Log-NCDE (docs/models/neural-cdes.md) as a conformance-kit case, so every backend's
 * forward, gradients and Adam steps through the whole Heun solve are checked against the float64 reference
 * (and the reference's gradients against central differences): d = 3 channels, L = 9 observations, stepsize 3
 * (NRDE, Log-NCDE: depth-2 log-signatures, β = 6, four intervals), B = 2, K = 3, h = 4, an MLP of depth 2 and
 * width 5, dt0 = 0.07 (13 Heun steps, the t = 0 wrap [QUIRK] included); Log-NCDE with {@code scale} 2 and
 * {@code lambd} 0.05; loss {@code −log(softmax + 1e−8)}, Adam (R3).
 *
 * @param kind which model
 */
public record NeuralCdeCase(NeuralCdeSpec.Kind kind) implements ModelCase {
    static final int CHANNELS = 3;
    static final int CLASSES = 3;
    static final int LENGTH = 9;
    static final int STEPSIZE = 3;
    static final int BATCH = 2;

    /** The three models. */
    public static List<ModelCase> all() {
        return List.of(new NeuralCdeCase(NeuralCdeSpec.Kind.NCDE), new NeuralCdeCase(NeuralCdeSpec.Kind.NRDE),
                new NeuralCdeCase(NeuralCdeSpec.Kind.LOG_NCDE));
    }

    @Override
    public String name() {
        return kind.modelName();
    }

    @Override
    public boolean usesStructure() {
        return false;
    }

    @Override
    public ModelSpec spec(Structure structure, StructureSpec spec) {
        boolean ncde = kind == NeuralCdeSpec.Kind.NCDE;
        return new NeuralCdeSpec(kind, CHANNELS, CLASSES, 4, 2, 5, ncde ? 1 : 2, LENGTH, ncde ? 1 : STEPSIZE, 1.0, 0.07,
                NeuralCdeSpec.R3_MAX_STEPS, kind == NeuralCdeSpec.Kind.LOG_NCDE ? 2.0 : 1.0, true);
    }

    @Override
    public Batch batch(Rng rng, int index) {
        Rng r = rng.stream("batch", kind.modelName(), index);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        if (kind == NeuralCdeSpec.Kind.NCDE) {
            double[] x = new double[BATCH * LENGTH * CHANNELS];
            r.stream("series").fillNormal(x, 0, 1);
            return Batch.of(new Batch.ChannelInputs(BATCH, LENGTH, CHANNELS, x), new Batch.SequenceTargets(labels));
        }
        int n = (LENGTH + 1 + STEPSIZE - 1) / STEPSIZE;
        int beta = CHANNELS + CHANNELS * (CHANNELS - 1) / 2;
        double[] v = new double[BATCH * n * beta];
        r.stream("logsig").fillNormal(v, 0, 0.3);
        double[] x0 = new double[BATCH * CHANNELS];
        r.stream("x0").fillNormal(x0, 0, 1);
        return Batch.of(new Batch.ChannelInputs(BATCH, n, beta, v, CHANNELS, x0), new Batch.SequenceTargets(labels));
    }

    @Override
    public Objective objective() {
        return new Objective(new LossSpec.CrossEntropy(LogLinearCdeCase.R3_LOSS_EPSILON),
                kind == NeuralCdeSpec.Kind.LOG_NCDE ? 0.05 : 0.0);
    }

    @Override
    public OptimizerSpec optimizer() {
        return OptimizerSpec.AdamW.adam();
    }
}
