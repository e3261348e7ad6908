package org.lincde.backend.reference.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.lincde.backend.reference.ReferenceBackend;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LossSpec;
import org.lincde.spi.LruSpec;
import org.lincde.spi.LstmSpec;
import org.lincde.spi.MambaSpec;
import org.lincde.spi.ModelSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.S5Spec;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.SequenceModelSpec;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.TransformerSpec;
import org.lincde.spi.model.Models;
import org.lincde.spi.testing.SharedFixtures;

/** Small baseline specs, batches and a finite-difference checker for the reference backend's baseline tests. */
final class BaselineFixtures {
    private BaselineFixtures() {}

    static final StructureRegistry STRUCTURES = StructureRegistry.discover(BaselineFixtures.class.getClassLoader());

    static Session session() {
        return new ReferenceBackend().open(SessionOptions.of(DType.FLOAT64).withThreads(1));
    }

    static ParameterSet init(ModelSpec spec, long seed) {
        return Models.initialize(spec, STRUCTURES, Rng.seeded(seed));
    }

    /** A named small spec of every baseline family and variant: tokens per token, or channels mean over time. */
    record Case(String name, ModelSpec spec) {
        boolean tokens() {
            return io().input() != SequenceIo.Input.CHANNELS;
        }

        boolean perToken() {
            return io().output() == SequenceIo.Output.PER_TOKEN;
        }

        SequenceIo io() {
            if (spec instanceof org.lincde.spi.SequenceIoSpec s) {
                return s.io();
            }
            throw new IllegalArgumentException(spec.toString());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final int VOCAB = 5;
    static final int LABELS = 4;
    static final int CHANNELS = 3;

    static SequenceIo tokenIo() {
        return SequenceIo.tokens(VOCAB, LABELS);
    }

    static SequenceIo channelIo() {
        return SequenceIo.channels(CHANNELS, LABELS);
    }

    static List<Case> all() {
        SequenceIo tok = tokenIo();
        SequenceIo ch = channelIo();
        return List.of(
                new Case("lstm", new LstmSpec(tok, 6, 2, 0.1)),
                new Case("lstm-pairs", new LstmSpec(new SequenceIo(SequenceIo.Input.TOKEN_PAIRS, VOCAB,
                        SequenceIo.Output.PER_TOKEN, LABELS), 6, 1, 0.1)),
                new Case("transformer-r1", new TransformerSpec(tok, 8, 2, 2, 12, 0.1)),
                new Case("r2-s6", new SequenceModelSpec(tok, SequenceModelSpec.Core.S6, 6, 3, 2,
                        SequenceModelSpec.Mix.GLU, true, 0.1)),
                new Case("r2-s4d", new SequenceModelSpec(ch, SequenceModelSpec.Core.S4D, 6, 3, 2,
                        SequenceModelSpec.Mix.GELU, false, 0.0)),
                new Case("r2-rnn", new SequenceModelSpec(tok, SequenceModelSpec.Core.RNN, 6, 3, 1,
                        SequenceModelSpec.Mix.GLU, true, 0.1)),
                new Case("r2-transformer", new SequenceModelSpec(tok, SequenceModelSpec.Core.TRANSFORMER, 6, 2, 1,
                        SequenceModelSpec.Mix.LINEAR, true, 0.1)),
                new Case("r1-mamba", new MambaSpec(tok, MambaSpec.Template.R1_POSTNORM, MambaSpec.Core.MAMBA_V1, 4, 3,
                        2, 3, 2, true, 0.1)),
                new Case("r3-s6", new MambaSpec(ch, MambaSpec.Template.R3_PRENORM, MambaSpec.Core.S6, 5, 3, 2, 4, 2,
                        true, 0.1)),
                new Case("r3-mamba", new MambaSpec(ch, MambaSpec.Template.R3_PRENORM, MambaSpec.Core.MAMBA_V1, 4, 2, 1,
                        2, 2, true, 0.1)),
                new Case("r3-lru", new LruSpec(ch, 5, 3, 2, 0.1, 0.0, 1.0, 6.28)),
                new Case("r3-s5", new S5Spec(ch, 5, 8, 2, 2, 0.05)));
    }

    /** Random inputs for {@code c}: token ids or N(0,1) channels, with targets that suit its output. */
    static Batch batch(Case c, Rng rng, int b, int len) {
        SequenceIo io = c.io();
        Batch.Inputs in;
        if (io.input() == SequenceIo.Input.CHANNELS) {
            double[] v = new double[b * len * io.inputDim()];
            rng.fillNormal(v, 0, 1);
            in = new Batch.ChannelInputs(b, len, io.inputDim(), v);
        } else {
            int per = io.input() == SequenceIo.Input.TOKEN_PAIRS ? 2 : 1;
            int[] ids = new int[b * len * per];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rng.nextInt(io.inputDim());
            }
            in = new Batch.TokenInputs(b, len, per, ids);
        }
        Batch.Targets t;
        if (io.output() == SequenceIo.Output.PER_TOKEN) {
            int[] labels = new int[b * len];
            boolean[] mask = new boolean[b * len];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = rng.nextInt(io.outputDim());
                mask[i] = true;
            }
            t = new Batch.TokenTargets(labels, mask);
        } else {
            int[] labels = new int[b];
            for (int i = 0; i < b; i++) {
                labels[i] = rng.nextInt(io.outputDim());
            }
            t = new Batch.SequenceTargets(labels);
        }
        return Batch.of(in, t);
    }

    static Objective crossEntropy() {
        return new Objective(new LossSpec.CrossEntropy(0.0), 0.0);
    }

    /** Largest |a − b| over two equally long arrays. */
    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
    /** The value of {@code f} over {@code inputs} on a fresh float64 reference session. */
    static double[] value(Map<String, HostTensor> inputs, Session.OpsFunction f) {
        try (Session s = session()) {
            return s.gradient(f, inputs).value().data();
        }
    }

    /** {@code n} draws of {@code N(0, std²)} from {@code r}. */
    static double[] normals(Rng r, int n, double std) {
        double[] v = new double[n];
        r.fillNormal(v, 0, std);
        return v;
    }

    /**
     * Every gradient of {@code m} on {@code batch} against fourth-order central differences (relative error
     * ≤ 1e-6), in training mode (fixed dropout masks) under every evaluation (recurrent and scan). Step 1e-5:
     * ReLU/GELU-free models would tolerate 1e-4, but the R2 encoder's ReLU FFN has kinks within 1e-4 of some
     * sampled points (the difference there was off by 2.6 %, and agreed to 7e-9 at 1e-5); the fourth-order
     * rule's truncation error stays ~1e-20 and rounding ~1e-11.
     */
    static void assertGradientsMatchFiniteDifferences(SequenceModel m, Batch batch, String name) {
        for (ForwardMode.Evaluation e : ForwardMode.Evaluation.values()) {
            ForwardMode mode = ForwardMode.training(Rng.seeded(5)).with(e);
            StringBuilder where = new StringBuilder();
            double err = SharedFixtures.maxFiniteDifferenceError(m, List.of(batch), crossEntropy(), mode,
                    Rng.seeded(9), 3, 1e-5, where);
            assertThat(err).as(name + " " + e + " worst at " + where)
                    .isLessThanOrEqualTo(1e-6);
        }
    }
}
